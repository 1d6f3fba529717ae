"""HDLC link parameters (SNRM/UA information field), LLC headers and segmentation.

The SNRM may carry, and the UA does carry, a parameter negotiation field::

    81 80 LL   { id len value }*      ids: 05 max info TX, 06 max info RX,
                                           07 window TX,   08 window RX

with 1-4 byte big-endian values. Each side writes TX/RX *from its own point of view*: in the
UA, "05" is what the server will send, i.e. what the client receives. Absent parameters take
the defaults of IEC 62056-46 (128 bytes, window 1). :meth:`HdlcParameters.swapped` turns one
side's view into the other's.
"""

from __future__ import annotations

from dataclasses import dataclass, replace

from workbench.protocol.errors import DecodeError, EncodeError
from workbench.protocol.fields import Recorder

__all__ = ["LLC_REQUEST", "LLC_RESPONSE", "HdlcParameters", "split_info"]

LLC_REQUEST = b"\xe6\xe6\x00"
LLC_RESPONSE = b"\xe6\xe7\x00"

_GROUP_HEADER = b"\x81\x80"
_FIELDS = {0x05: "max_info_tx", 0x06: "max_info_rx", 0x07: "window_tx", 0x08: "window_rx"}
_LABELS = {0x05: "max info field TX", 0x06: "max info field RX", 0x07: "window TX",
           0x08: "window RX"}


@dataclass(frozen=True, slots=True)
class HdlcParameters:
    """Negotiated (or proposed) link parameters, seen from the side that sends them."""

    max_info_tx: int = 128
    max_info_rx: int = 128
    window_tx: int = 1
    window_rx: int = 1

    def __post_init__(self) -> None:
        for name in ("max_info_tx", "max_info_rx"):
            if not 1 <= getattr(self, name) <= 2030:
                raise EncodeError(f"{name}={getattr(self, name)}", expected="1..2030")
        for name in ("window_tx", "window_rx"):
            if not 1 <= getattr(self, name) <= 7:
                raise EncodeError(f"{name}={getattr(self, name)}", expected="1..7")

    def swapped(self) -> HdlcParameters:
        """The same agreement as seen by the peer (TX and RX exchanged)."""
        return HdlcParameters(self.max_info_rx, self.max_info_tx, self.window_rx, self.window_tx)

    def accept(self, proposal: HdlcParameters) -> HdlcParameters:
        """Server side: the values to answer a SNRM ``proposal`` with, ``self`` being our limits.

        Each value is the smaller of what we can do and what the client offers for the
        opposite direction; the result is in our (the server's) view, ready for the UA.
        """
        peer = proposal.swapped()
        return replace(self, max_info_tx=min(self.max_info_tx, peer.max_info_tx),
                       max_info_rx=min(self.max_info_rx, peer.max_info_rx),
                       window_tx=min(self.window_tx, peer.window_tx),
                       window_rx=min(self.window_rx, peer.window_rx))

    def encode(self) -> bytes:
        """The negotiation field: max info in the fewest bytes, windows as 4 bytes."""
        items = b""
        for ident, name in _FIELDS.items():
            value = getattr(self, name)
            size = 4 if ident >= 0x07 else (1 if value < 0x100 else 2)
            items += bytes((ident, size)) + value.to_bytes(size, "big")
        return _GROUP_HEADER + bytes((len(items),)) + items

    @classmethod
    def decode(cls, data: bytes, rec: Recorder | None = None) -> HdlcParameters:
        """Parse a negotiation field; empty ``data`` (SNRM without info) means defaults.

        Raises:
            DecodeError: wrong group header, a length that overruns, an empty or 5+ byte value.
        """
        if not data:
            return cls()
        if data[:2] != _GROUP_HEADER or len(data) < 3:
            raise DecodeError("HDLC parameter field must start 81 80 LL", offset=0,
                              length=min(len(data), 3), got=data[:3].hex(" ").upper(),
                              what="HDLC parameters")
        if data[2] != len(data) - 3:
            raise DecodeError("HDLC parameter group length wrong", offset=2,
                              got=str(data[2]), expected=str(len(data) - 3),
                              what="HDLC parameters")
        if rec:
            rec.add("format identifier", 0, 1, "81", key="hdlc.params.format")
            rec.add("group identifier", 1, 1, "80", key="hdlc.params.group")
            rec.add("group length", 2, 1, str(data[2]), key="hdlc.params.length")
        values = dict(_read_items(data, 3, rec))
        try:
            return cls(**values)
        except EncodeError as exc:
            raise DecodeError(f"HDLC parameter out of range: {exc.message}",
                              expected=exc.expected, what="HDLC parameters") from None


def _read_items(data: bytes, pos: int, rec: Recorder | None):
    """Yield (field name, value) for each known parameter; unknown ids are recorded, skipped."""
    while pos < len(data):
        if pos + 2 > len(data):
            raise DecodeError("parameter header cut short", offset=pos, what="HDLC parameters")
        ident, size = data[pos], data[pos + 1]
        if not 1 <= size <= 4 or pos + 2 + size > len(data):
            raise DecodeError("bad parameter length", offset=pos + 1, got=str(size),
                              expected=f"1..{min(4, len(data) - pos - 2)}",
                              what="HDLC parameters")
        value = int.from_bytes(data[pos + 2:pos + 2 + size], "big")
        if rec:
            label = _LABELS.get(ident, f"unknown parameter {ident:02X}")
            rec.add(label, pos, 2 + size, str(value), key=f"hdlc.params.{ident:02x}")
        if ident in _FIELDS:
            yield _FIELDS[ident], value
        pos += 2 + size


def split_info(apdu: bytes, max_info: int) -> list[bytes]:
    """Cut ``apdu`` (LLC header included) into information fields of at most ``max_info``.

    Every part but the last goes out with the segmentation bit set. An empty input gives one
    empty part, so callers always have a frame to send.
    """
    if max_info < 1:
        raise EncodeError(f"max info field length {max_info}", expected="at least 1")
    return [apdu[i:i + max_info] for i in range(0, len(apdu), max_info)] or [b""]
