"""Redis outages, told once: the site serves without Redis, so a dead cache or
channel layer is logged when it fails and when it is back, not on every request."""

from __future__ import annotations

import logging
import threading
import time


class Outage:
    """One dependency's state as the code that uses it sees it: ``failed()`` logs
    the first failure with its traceback, later ones only at DEBUG, until
    ``recovered()`` says it works again."""

    def __init__(self, what: str, logger: logging.Logger) -> None:
        self.what = what
        self.logger = logger
        self.down = False
        self._lock = threading.Lock()

    def failed(self, consequence: str, *, exc_info: bool = True) -> None:
        """Call from an ``except`` block: the traceback is logged with it."""
        with self._lock:
            first, self.down = not self.down, True
        if first:
            self.logger.warning(
                "%s is unavailable: %s; further failures are not logged until it "
                "recovers",
                self.what,
                consequence,
                exc_info=exc_info,
            )
        else:
            self.logger.debug("%s is still unavailable", self.what)

    def recovered(self) -> None:
        if not self.down:
            return
        with self._lock:
            was_down, self.down = self.down, False
        if was_down:
            self.logger.warning("%s is available again", self.what)


class OncePerInterval(logging.Filter):
    """Pass at most one record per logger every ``seconds``: django-redis logs each
    ignored cache error, which during an outage is several per page."""

    def __init__(self, seconds: float = 60) -> None:
        super().__init__()
        self.seconds = seconds
        self._last: dict[str, float] = {}

    def filter(self, record: logging.LogRecord) -> bool:
        now = time.monotonic()
        last = self._last.get(record.name)
        if last is not None and now - last < self.seconds:
            return False
        self._last[record.name] = now
        return True


cache_outage = Outage("The cache (Redis)", logging.getLogger("cocreate.outages"))
channel_layer_outage = Outage(
    "The channel layer (Redis)", logging.getLogger("cocreate.outages")
)
