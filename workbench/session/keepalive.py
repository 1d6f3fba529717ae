"""When to send a keepalive so the meter's 180 s idle drop never fires while we are connected.

The timer is reset by *any* frame we send, so a long profile read needs no keepalive at
all; only an idle session (UI left open, CLI between commands) sends the clock read.
The clock is injected so tests can drive it.
"""

from __future__ import annotations

import time
from collections.abc import Callable

__all__ = ["KeepaliveTimer"]


class KeepaliveTimer:
    """Tracks the last transmission and says when a keepalive is due.

    Args:
        interval: seconds of silence after which a keepalive is due (default 120, under
            the meter's 180 s drop). ``0`` or less disables keepalives.
        clock: monotonic time source.
    """

    def __init__(self, interval: float, clock: Callable[[], float] = time.monotonic) -> None:
        self.interval = interval
        self._clock = clock
        self._last = clock()

    def touch(self) -> None:
        """Record that a frame was just sent."""
        self._last = self._clock()

    def idle_for(self) -> float:
        return self._clock() - self._last

    def due(self) -> bool:
        return self.interval > 0 and self.idle_for() >= self.interval

    def remaining(self) -> float:
        """Seconds until the next keepalive is due (``inf`` when disabled)."""
        if self.interval <= 0:
            return float("inf")
        return max(0.0, self.interval - self.idle_for())
