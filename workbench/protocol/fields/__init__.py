"""Byte-span field trees: what every decoder records about the bytes it read.

``tree`` holds :class:`Node` and :class:`Recorder` (spans taken during the real parse);
``cursor`` is the bounded reader every APDU decoder reads its fixed fields with. This is the
bottom of the protocol stack: it imports nothing but ``errors``. Import from here.
"""

from __future__ import annotations

from .cursor import (
    Cursor,
    encode_axdr_length,
    uint,
)
from .tree import (
    Node,
    Recorder,
)

__all__ = [
    "Cursor",
    "Node",
    "Recorder",
    "encode_axdr_length",
    "uint",
]
