"""The HDLC control field of IEC 62056-46: frame kinds and their sequence numbers.

One byte says what a frame is and carries its numbers: I frames ``NNN P SSS 0`` (N(R),
poll/final, N(S)), supervisory frames ``NNN P xx 01`` (RR, RNR), unnumbered frames
``xxx P xx 11`` (SNRM, UA, DISC, DM, FRMR, UI). Every possible byte is classified once into
:data:`CONTROL_TABLE`, so decoding a frame's control field is one dictionary lookup.
"""

from __future__ import annotations

from enum import Enum

__all__ = ["CONTROL_TABLE", "NUMBERED", "FrameKind", "control_fields"]


class FrameKind(Enum):
    """Frame types; the value is the control byte with N(S), N(R) and P/F all zero."""

    I = 0x00  # noqa: E741 - the standard's name for information frames
    RR = 0x01
    RNR = 0x05
    SNRM = 0x83
    UA = 0x63
    DISC = 0x43
    DM = 0x0F
    FRMR = 0x87
    UI = 0x03

    __hash__ = object.__hash__  # members are singletons; Enum's name hash is slow per frame


NUMBERED = {FrameKind.I, FrameKind.RR, FrameKind.RNR}
"""Kinds that carry N(R)."""


def _build_table() -> dict[int, tuple[FrameKind, int, int, bool]]:
    """Every valid control byte -> (kind, N(S), N(R), P/F); built once, one lookup per frame."""
    table: dict[int, tuple[FrameKind, int, int, bool]] = {}
    for byte in range(256):
        pf = bool(byte & 0x10)
        if not byte & 1:
            table[byte] = (FrameKind.I, (byte >> 1) & 7, byte >> 5, pf)
        elif byte & 3 == 1:
            kind = {0x01: FrameKind.RR, 0x05: FrameKind.RNR}.get(byte & 0x0F)
            if kind:
                table[byte] = (kind, 0, byte >> 5, pf)
        else:
            kind = next((k for k in FrameKind if k.value == byte & 0xEF
                         and k not in NUMBERED), None)
            if kind:
                table[byte] = (kind, 0, 0, pf)
    return table


CONTROL_TABLE = _build_table()


def control_fields(byte: int) -> tuple[FrameKind, int, int, bool] | None:
    """(kind, N(S), N(R), P/F) of a control byte, or None if it is not one we know."""
    return CONTROL_TABLE.get(byte)
