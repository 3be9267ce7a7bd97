"""A fixed-window rate limit for writes, kept in the cache (Redis in production).

Without a cache the limits let requests through: Redis is a cache, and a member's
support or comment matters more than a limit (see docs/deploy.md)."""

from __future__ import annotations

import time

from django.conf import settings
from django.core.cache import cache

from cocreate.outages import cache_outage


class CacheUnavailable(Exception):
    """The cache answered a write with nothing: django-redis, ignoring its errors,
    returns None from a failed ``add`` or ``incr``."""


def parse_rate(rate: str) -> tuple[int, int]:
    count, seconds = rate.split("/")
    return int(count), int(seconds)


def hit(action: str, key: str) -> bool:
    """Count one attempt; return False when the limit for this window is used up,
    True when the cache cannot count (logged once per outage; our Redis cache
    backend, cocreate.cache, notices when it is back)."""
    if not settings.COCREATE_RATE_LIMITS_ENABLED:
        return True
    rate = settings.COCREATE_RATE_LIMITS.get(action)
    if not rate:
        return True
    limit, window = parse_rate(rate)
    bucket = int(time.time() // window)
    cache_key = f"ratelimit:{action}:{key}:{bucket}"
    try:
        count = _count(cache_key, timeout=window + 1)
    except Exception:  # noqa: BLE001 - any cache failure lets the request through
        cache_outage.failed("rate limits let every request through")
        return True
    return count <= limit  # a limit of 0 shuts the action off


def _count(cache_key: str, *, timeout: int) -> int:
    added = cache.add(cache_key, 1, timeout=timeout)
    if added is None:
        raise CacheUnavailable(cache_key)
    if added:
        return 1
    try:
        count = cache.incr(cache_key)
    except ValueError:  # expired between add and incr
        cache.set(cache_key, 1, timeout=timeout)
        return 1
    if count is None:
        raise CacheUnavailable(cache_key)
    return count
