"""One frame as it crossed the wire: the record every other layer passes around.

The session emits one per frame sent or received (:mod:`workbench.session.trace`), capture
files store and return them, the frame log shows them. It sits at the bottom, beside the
protocol core, so that none of those layers has to import another to share it.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Literal

__all__ = ["DIRECTIONS", "Direction", "FrameObserver", "FrameRecord"]

Direction = Literal["tx", "rx"]
DIRECTIONS: dict[str, Direction] = {"tx": "tx", "rx": "rx"}
"""Text to :data:`Direction`, for readers checking a direction read from a file."""


@dataclass(frozen=True, slots=True)
class FrameRecord:
    """One frame as it crossed the wire.

    Attributes:
        time: wall-clock time (``time.time()``) when the frame was sent or fully received.
        direction: ``"tx"`` (client → meter) or ``"rx"`` (meter → client).
        raw: the exact bytes, flags included.
        note: a short remark from the session ("retry 2", "keepalive", "junk skipped").
    """

    time: float
    direction: Direction
    raw: bytes
    note: str = ""


FrameObserver = Callable[[FrameRecord], None]
