"""The one hook every frame on the wire passes through.

Like httpcore's trace hook: the session emits a :class:`FrameRecord` for each frame it
sends or receives, and the frame log, the capture file and the debug log all subscribe
here, so they can never disagree about what crossed the wire. The record itself lives in
the pure :mod:`workbench.framelog` (re-exported here), so captures need nothing of ours.
"""

from __future__ import annotations

import logging

from workbench.framelog import Direction, FrameObserver, FrameRecord

__all__ = ["Direction", "FrameObserver", "FrameRecord", "Tracer"]

_log = logging.getLogger("workbench.frames")


class Tracer:
    """Fans one frame record out to every observer; a failing observer never breaks the link."""

    def __init__(self, observers: tuple[FrameObserver, ...] | list[FrameObserver] = ()) -> None:
        self._observers: list[FrameObserver] = list(observers)

    def subscribe(self, observer: FrameObserver) -> None:
        self._observers.append(observer)

    def unsubscribe(self, observer: FrameObserver) -> None:
        if observer in self._observers:
            self._observers.remove(observer)

    def emit(self, record: FrameRecord) -> None:
        for observer in list(self._observers):
            try:
                observer(record)
            except Exception:  # an observer bug must not drop the meter link
                _log.exception("frame observer %r failed", observer)
