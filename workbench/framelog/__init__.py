"""Frames as the workbench keeps them: the record, the password masking, the frame log.

Pure (no Qt, no sockets, no threads): the session emits :class:`FrameRecord` objects, the
capture files store them, the window's frame log (a thin Qt adapter) and the CLI show
them. :mod:`.masking` finds the LLS password in frames (also in AARQs split over HDLC
segments) so no view, file or clipboard shows it unasked; :class:`FrameLog` holds a
session's frames with their index, filter and search; :mod:`.summary` gives each frame
its one-line description; :mod:`.text` renders frames for the clipboard.
"""

from .entries import POLLING_TAGS, Entry, FrameFilter, LinkMarker, is_polling
from .log import MARKER, Dissector, FrameLog
from .masking import MASK_BYTE, Masker, apply_mask, mask_frame, recompute_checks, secret_spans
from .record import DIRECTIONS, Direction, FrameObserver, FrameRecord
from .summary import BAD, FRAME_KINDS, frame_facts, summarize
from .text import HIDDEN, hex_text, tree_text

__all__ = [
    "BAD",
    "DIRECTIONS",
    "FRAME_KINDS",
    "HIDDEN",
    "MARKER",
    "MASK_BYTE",
    "POLLING_TAGS",
    "Direction",
    "Dissector",
    "Entry",
    "FrameFilter",
    "FrameLog",
    "FrameObserver",
    "FrameRecord",
    "LinkMarker",
    "Masker",
    "apply_mask",
    "frame_facts",
    "hex_text",
    "is_polling",
    "mask_frame",
    "recompute_checks",
    "secret_spans",
    "summarize",
    "tree_text",
]
