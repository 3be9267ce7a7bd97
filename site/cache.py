"""The Redis cache: django-redis, whose errors are misses (IGNORE_EXCEPTIONS),
with one change for an outage, what a failed ``add`` means."""

from __future__ import annotations

from django_redis.cache import RedisCache as DjangoRedisCache

from cocreate.outages import cache_outage


class RedisCache(DjangoRedisCache):
    """A failed ``add`` counts as done. django-redis answers None, which allauth
    reads as a lock someone else holds: after a second's wait it refuses every
    login and signup with a 429, and every TOTP code as already used. Taken as
    done, locks and limits let people in while Redis is down (TOTP codes lose
    their replay guard for the outage; the code itself is still checked)."""

    def add(self, *args, **kwargs):
        added = super().add(*args, **kwargs)
        if added is None:
            # django-redis has logged the error itself (once a minute, LOGGING).
            cache_outage.failed(
                "locks and rate limits let every request through", exc_info=False
            )
            return True
        cache_outage.recovered()
        return added
