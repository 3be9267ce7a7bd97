"""Timing helpers shared by the in-process benchmarks of tests/load."""

from __future__ import annotations

import statistics
import time
from collections.abc import Callable


def median_ms(action: Callable[[], object], rounds: int) -> float:
    """The median time of ``rounds`` calls of ``action``, in milliseconds."""
    timings = []
    for _ in range(rounds):
        start = time.perf_counter()
        action()
        timings.append((time.perf_counter() - start) * 1000)
    return statistics.median(timings)
