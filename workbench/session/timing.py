"""How long the session waits: the adaptive response timeout and the exchange deadline.

Two different questions, two rules (stated for users in ``docs/timeouts.md``):

* **When is a frame lost?** After the retransmission timeout (RTO) of RFC 6298, measured
  as the session runs: ``RTO = max(RTO_FLOOR, SRTT + 4·RTTVAR)``, never beyond the user's
  timeout, doubled after each loss in a row. Round trips of frames we had to resend are not
  measured (Karn's rule: the answer could belong to either copy). So a lost or truncated
  frame costs a few round trips instead of the whole timeout.
* **When does an exchange give up?** A :class:`Deadline` starts at
  :func:`stall_budget` (the user's timeout times the retries plus two) and is pushed back by
  that much each time the exchange moves forward (a new frame of the answer, one of ours
  acknowledged), at most :func:`progress_cap` times. Frames that move nothing (RR or RNR
  floods, repeats, frames for another address, junk, a byte trickle) never extend it.
"""

from __future__ import annotations

import math
import time
from collections.abc import Callable

__all__ = ["RTO_FLOOR", "Deadline", "RttEstimator", "progress_cap", "stall_budget"]

RTO_FLOOR = 0.2
"""Shortest wait before a frame counts as lost, in seconds: below it a meter's own
processing jitter would trigger needless polls."""

_ALPHA, _BETA, _K = 1 / 8, 1 / 4, 4  # RFC 6298 section 2
_CLOCK_GRANULARITY = 0.001


class RttEstimator:
    """SRTT/RTTVAR and the RTO derived from them (RFC 6298), clamped to ``[floor, ceiling]``.

    Until the first sample the RTO is the ceiling (the user's timeout): nothing is known
    about this line yet, and a first poll fired too early would confuse a slow meter.
    """

    def __init__(self, ceiling: float, floor: float = RTO_FLOOR) -> None:
        self.ceiling = ceiling
        self.floor = min(floor, ceiling)
        self.srtt: float | None = None
        self.rttvar = 0.0
        self._backoff = 0

    @property
    def rto(self) -> float:
        """Seconds of silence after which the awaited frame counts as lost."""
        if self.srtt is None:
            return self.ceiling
        base = self.srtt + max(_CLOCK_GRANULARITY, _K * self.rttvar)
        return min(self.ceiling, max(self.floor, base) * 2.0 ** self._backoff)

    @property
    def at_ceiling(self) -> bool:
        """True when a wait of :attr:`rto` is as long as the user's whole timeout."""
        return self.rto >= self.ceiling

    def sample(self, rtt: float) -> None:
        """Fold in one measured round trip (of a frame sent once, never resent)."""
        if not math.isfinite(rtt) or rtt < 0:
            return
        if self.srtt is None:
            self.srtt, self.rttvar = rtt, rtt / 2
        else:
            self.rttvar = (1 - _BETA) * self.rttvar + _BETA * abs(self.srtt - rtt)
            self.srtt = (1 - _ALPHA) * self.srtt + _ALPHA * rtt
        self._backoff = 0

    def lost(self) -> None:
        """A frame was declared lost: wait twice as long next time (RFC 6298 5.5)."""
        if not self.at_ceiling:
            self._backoff += 1

    def reset_backoff(self) -> None:
        """A frame arrived: the next wait starts from the measured RTO again."""
        self._backoff = 0


def stall_budget(timeout: float, retries: int) -> float:
    """Seconds an exchange may go without progress: one full timeout per try, plus one for
    the shorter adaptive waits and pauses before them."""
    return timeout * (retries + 2)


def progress_cap(answer_bytes: int, request_bytes: int, max_info_rx: int,
                 max_info_tx: int) -> int:
    """Most frames of progress one exchange can honestly need: every segment of the largest
    answer we accept and of our request, plus a few acknowledgements."""
    return (math.ceil(answer_bytes / max(1, max_info_rx))
            + math.ceil(request_bytes / max(1, max_info_tx)) + 4)


class Deadline:
    """A moment (monotonic clock) an operation must end by; pushed back only on progress.

    Args:
        budget: seconds from now, and the length of each extension.
        extensions: how many times :meth:`extend` may push it back.
    """

    def __init__(self, budget: float, extensions: int = 0, *,
                 clock: Callable[[], float] = time.monotonic) -> None:
        self._clock = clock
        self.budget = budget
        self.started = clock()
        self.at = self.started + budget
        self.extensions_left = extensions

    def remaining(self) -> float:
        return max(0.0, self.at - self._clock())

    @property
    def expired(self) -> bool:
        return self._clock() >= self.at

    def elapsed(self) -> float:
        """Real seconds since the deadline was set (for messages)."""
        return self._clock() - self.started

    def extend(self) -> bool:
        """Push the end back to ``budget`` from now; False when no extension is left."""
        if self.extensions_left <= 0:
            return False
        self.extensions_left -= 1
        self.at = max(self.at, self._clock() + self.budget)
        return True
