"""Byte-span field trees: what every decoder records about the bytes it read.

``registry`` declares every dissectable field once (stable dotted key, label, description);
``tree`` holds :class:`Node` and :class:`Recorder` (spans taken during the real parse, plus
warnings for tolerated deviations); ``cursor`` is the bounded reader every APDU decoder
reads its fixed fields with. This is the bottom of the protocol stack: it imports nothing
but ``errors``. Import from here.
"""

from __future__ import annotations

from .cursor import (
    Cursor,
    encode_axdr_length,
    uint,
)
from .registry import (
    ACSE,
    AXDR,
    DLMS,
    EXPERT,
    FIELDS,
    GBT,
    HDLC,
    LLC,
    SECURITY,
    SN,
    WRAPPER,
    Field,
    lookup,
)
from .tree import (
    Node,
    Recorder,
)

__all__ = [
    "ACSE",
    "AXDR",
    "DLMS",
    "EXPERT",
    "FIELDS",
    "GBT",
    "HDLC",
    "LLC",
    "SECURITY",
    "SN",
    "WRAPPER",
    "Cursor",
    "Field",
    "Node",
    "Recorder",
    "encode_axdr_length",
    "lookup",
    "uint",
]
