"""What a frame log row can be besides a frame, and what a filter asks of the rows.

A log row is a :class:`~.record.FrameRecord` or a :class:`LinkMarker`: a moment of the
session that is not a frame but explains the frames around it ("link lost", "link
resumed"). Markers pass every filter: they are the context a filtered view needs most.

Polling traffic (the live plot's GET-with-list, keepalives) is recognised by the session's
note on the frame, its *tag*: the first comma-separated word of the note, as in
``"poll, retry 1"``. One filter switch hides it all.
"""

from __future__ import annotations

from dataclasses import dataclass

from .record import FrameRecord

__all__ = ["POLLING_TAGS", "Entry", "FrameFilter", "LinkMarker", "is_polling"]

POLLING_TAGS = frozenset({"poll", "keepalive"})
"""Note tags of background traffic the "hide polling" filter hides."""


@dataclass(frozen=True, slots=True)
class LinkMarker:
    """A moment of the session shown as a row between frames.

    Attributes:
        time: wall-clock time of the event (``time.time()``).
        text: what happened, in the user's words ("link lost: no answer in 5 s").
    """

    time: float
    text: str


Entry = FrameRecord | LinkMarker


def is_polling(note: str) -> bool:
    """Whether a frame's note tags it as background polling (see :data:`POLLING_TAGS`)."""
    return note.split(",", 1)[0].strip().lower() in POLLING_TAGS


@dataclass(frozen=True, slots=True)
class FrameFilter:
    """Which frames to show: all given criteria must match (markers always show).

    Attributes:
        direction: ``"tx"``, ``"rx"`` or None for both.
        kind: a frame kind of :data:`~.summary.FRAME_KINDS` or None for all.
        text: lower-case text of the summary or note, or hex bytes with or without spaces
            ("7ea0" finds ``7E A0``), or "" for all.
        hide_polling: leave out frames tagged as polling or keepalive.
    """

    direction: str | None = None
    kind: str | None = None
    text: str = ""
    hide_polling: bool = False

    @property
    def needs_index(self) -> bool:
        """Whether the filter reads indexed columns (kind, search text)."""
        return bool(self.kind or self.text)
