"""Real concurrency for PostgreSQL tests: threads released together."""

from __future__ import annotations

import threading

from django.db import connections


def run_together(actions) -> list[object]:
    """Run each action in its own thread, all released at once; return outcomes."""
    barrier = threading.Barrier(len(actions))
    outcomes: list[object] = [None] * len(actions)

    def worker(index, action):
        try:
            barrier.wait(timeout=10)
            outcomes[index] = action()
        except Exception as exc:  # noqa: BLE001 - the test inspects every outcome
            outcomes[index] = exc
        finally:
            connections.close_all()

    threads = [
        threading.Thread(target=worker, args=(index, action))
        for index, action in enumerate(actions)
    ]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=60)
    assert not any(thread.is_alive() for thread in threads), "a thread hung"
    return outcomes
