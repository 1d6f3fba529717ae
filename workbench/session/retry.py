"""How long to wait before trying again, and how often.

Lost or corrupted frames are resent at once (the response timeout already was the
wait); only reconnects back off, so a flapping modem is not hammered. Delays are
deterministic (no jitter): one client talks to one meter, there is no thundering herd.
"""

from __future__ import annotations

from dataclasses import dataclass

__all__ = ["Backoff"]


@dataclass(frozen=True)
class Backoff:
    """Exponential backoff: ``base * factor**attempt`` capped at ``cap`` seconds.

    Attributes:
        attempts: how many tries after the first one.
    """

    attempts: int = 3
    base: float = 0.2
    factor: float = 2.0
    cap: float = 5.0

    def delay(self, attempt: int) -> float:
        """Seconds to wait before retry number ``attempt`` (0-based)."""
        return min(self.cap, self.base * self.factor**attempt)

    def delays(self) -> list[float]:
        """Every delay in order, one per retry."""
        return [self.delay(i) for i in range(self.attempts)]
