"""A fixed-window rate limit for writes, kept in the cache (Redis in production)."""

from __future__ import annotations

import time

from django.conf import settings
from django.core.cache import cache


def parse_rate(rate: str) -> tuple[int, int]:
    count, seconds = rate.split("/")
    return int(count), int(seconds)


def hit(action: str, key: str) -> bool:
    """Count one attempt; return False when the limit for this window is used up."""
    if not settings.COCREATE_RATE_LIMITS_ENABLED:
        return True
    rate = settings.COCREATE_RATE_LIMITS.get(action)
    if not rate:
        return True
    limit, window = parse_rate(rate)
    bucket = int(time.time() // window)
    cache_key = f"ratelimit:{action}:{key}:{bucket}"
    if cache.add(cache_key, 1, timeout=window + 1):
        return limit >= 1  # a limit of 0 shuts the action off
    try:
        count = cache.incr(cache_key)
    except ValueError:
        cache.set(cache_key, 1, timeout=window + 1)
        count = 1
    return count <= limit
