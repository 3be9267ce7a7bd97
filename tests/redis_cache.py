"""A Redis cache for tests that share one Redis database between parallel
workers (``private_redis``): each test has its own key prefix, and clearing the
cache deletes that prefix's keys only. Redis' FLUSHDB, which django-redis'
clear() sends, would empty the other workers' caches in the middle of their tests."""

from __future__ import annotations

from cocreate.cache import RedisCache


class PrefixedRedisCache(RedisCache):
    def clear(self) -> bool:
        self.delete_pattern("*")  # django-redis puts the prefix in the pattern
        return True
