"""Connection progress as typed events: TCP → HDLC → association, with the attempt count.

The window shows the link state in its own permanent place (and the CLI could print it);
both subscribe with ``DlmsClient(on_progress=...)`` and receive :class:`ConnectProgress`
values, never text to parse. Events are emitted on the thread running ``connect()``.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from enum import Enum

__all__ = ["ConnectProgress", "ConnectStep", "ProgressCallback"]


class ConnectStep(Enum):
    """Where a connection attempt is."""

    TCP = "opening TCP"
    HDLC = "opening the HDLC link (SNRM)"
    ASSOCIATION = "opening the association (AARQ)"
    ASSOCIATED = "associated"
    WAITING = "waiting before the next attempt"


@dataclass(frozen=True)
class ConnectProgress:
    """One step of one attempt.

    Attributes:
        step: what is happening now.
        attempt: 1-based number of this attempt.
        attempts: how many attempts are allowed in all (retries + 1).
        detail: the peer, or why the previous attempt failed (for WAITING).
    """

    step: ConnectStep
    attempt: int
    attempts: int
    detail: str = ""

    def describe(self) -> str:
        """``opening the HDLC link (SNRM), attempt 2 of 4`` (no count on a first try)."""
        count = f", attempt {self.attempt} of {self.attempts}" if self.attempt > 1 else ""
        detail = f": {self.detail}" if self.detail else ""
        return f"{self.step.value}{count}{detail}"


ProgressCallback = Callable[[ConnectProgress], None]
