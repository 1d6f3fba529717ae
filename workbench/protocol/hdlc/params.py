"""HDLC link parameters (SNRM/UA information field), LLC headers and segmentation.

The SNRM may carry, and the UA does carry, a parameter negotiation field::

    81 80 LL   { id len value }*      ids: 05 max info TX, 06 max info RX,
                                           07 window TX,   08 window RX

with 1-4 byte big-endian values. Each side writes TX/RX *from its own point of view*: in the
UA, "05" is what the server will send, i.e. what the client receives. Absent parameters take
the defaults of IEC 62056-46 (128 bytes, window 1). :meth:`HdlcParameters.swapped` turns one
side's view into the other's.

Strict in what we send, tolerant in what we read: :meth:`HdlcParameters.read` accepts the
deviations real meters send where their meaning is clear, substitutes a safe value and says
so in a warning (also recorded as a warning node in a dissection):

* a group length that disagrees with the bytes present (gurux-dlms 1.0.203's server leaves it
  at 0: its call that should set it writes the byte 02 elsewhere in the field instead);
* a max info field above 2030 (the most an 11-bit frame length can carry: read as 2030, so
  our own, smaller limit applies) or 0 (read as the default 128);
* a window of 0 or above 7 (3-bit sequence numbers): read as the default 1;
* an unknown parameter id (skipped) or a repeated one (the later value is used).

What cannot be read at all (no 81 80 header, a value of 0 or 5+ bytes, a field cut short)
still raises :class:`DecodeError`; the link then falls back to the defaults, with a warning.
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass, replace

from workbench.protocol.errors import DecodeError, EncodeError
from workbench.protocol.fields import HDLC, Field, Recorder

__all__ = ["LLC_REQUEST", "LLC_RESPONSE", "HdlcParameters", "split_info"]

LLC_REQUEST = b"\xe6\xe6\x00"
LLC_RESPONSE = b"\xe6\xe7\x00"

_GROUP_HEADER = b"\x81\x80"
_FIELDS: dict[int, tuple[str, Field]] = {
    0x05: ("max_info_tx", HDLC.PARAMS_MAX_INFO_TX),
    0x06: ("max_info_rx", HDLC.PARAMS_MAX_INFO_RX),
    0x07: ("window_tx", HDLC.PARAMS_WINDOW_TX),
    0x08: ("window_rx", HDLC.PARAMS_WINDOW_RX),
}
MAX_INFO_LIMIT = 2030
"""The largest information field a type 3 frame can carry with 4-byte addresses."""


@dataclass(frozen=True, slots=True)
class HdlcParameters:
    """Negotiated (or proposed) link parameters, seen from the side that sends them."""

    max_info_tx: int = 128
    max_info_rx: int = 128
    window_tx: int = 1
    window_rx: int = 1

    def __post_init__(self) -> None:
        for name in ("max_info_tx", "max_info_rx"):
            if not 1 <= getattr(self, name) <= MAX_INFO_LIMIT:
                raise EncodeError(f"{name}={getattr(self, name)}",
                                  expected=f"1..{MAX_INFO_LIMIT}")
        for name in ("window_tx", "window_rx"):
            if not 1 <= getattr(self, name) <= 7:
                raise EncodeError(f"{name}={getattr(self, name)}", expected="1..7")

    def swapped(self) -> HdlcParameters:
        """The same agreement as seen by the peer (TX and RX exchanged)."""
        return HdlcParameters(self.max_info_rx, self.max_info_tx, self.window_rx, self.window_tx)

    def accept(self, proposal: HdlcParameters) -> HdlcParameters:
        """The agreement between our limits (``self``) and the peer's ``proposal``, our view.

        Each value is the smaller of what we can do and what the peer offers for the opposite
        direction: a server answers a SNRM with this, a client reads a UA with it.
        """
        peer = proposal.swapped()
        return replace(self, max_info_tx=min(self.max_info_tx, peer.max_info_tx),
                       max_info_rx=min(self.max_info_rx, peer.max_info_rx),
                       window_tx=min(self.window_tx, peer.window_tx),
                       window_rx=min(self.window_rx, peer.window_rx))

    def encode(self) -> bytes:
        """The negotiation field: max info in the fewest bytes, windows as 4 bytes."""
        items = b""
        for ident, (name, _) in _FIELDS.items():
            value = getattr(self, name)
            size = 4 if ident >= 0x07 else (1 if value < 0x100 else 2)
            items += bytes((ident, size)) + value.to_bytes(size, "big")
        return _GROUP_HEADER + bytes((len(items),)) + items

    @classmethod
    def decode(cls, data: bytes, rec: Recorder | None = None) -> HdlcParameters:
        """:meth:`read` without the warnings (a dissection finds them as warning nodes)."""
        return cls.read(data, rec=rec)[0]

    @classmethod
    def read(cls, data: bytes, who: str = "HDLC", rec: Recorder | None = None
             ) -> tuple[HdlcParameters, tuple[str, ...]]:
        """Parse a negotiation field tolerantly; empty ``data`` (SNRM without info) = defaults.

        ``who`` ("UA", "SNRM") starts each warning. Returns the parameters, safe values
        substituted for the tolerated deviations, and one warning per deviation.

        Raises:
            DecodeError: no 81 80 header, a value of 0 or 5+ bytes, a field cut short.
        """
        if not data:
            return cls(), ()
        if data[:2] != _GROUP_HEADER or len(data) < 3:
            raise DecodeError("HDLC parameter field must start 81 80 LL", offset=0,
                              length=min(len(data), 3), got=data[:3].hex(" ").upper(),
                              what="HDLC parameters")
        reading = _Reading(who, rec)
        if rec:
            rec.item(HDLC.PARAMS_FORMAT, 0, 1, "81")
            rec.item(HDLC.PARAMS_GROUP, 1, 1, "80")
            rec.item(HDLC.PARAMS_LENGTH, 2, 1, str(data[2]))
        end = reading.group_end(data)
        values: dict[str, int] = {}
        for ident, at, length, value in _read_items(data, end, rec):
            reading.item(values, ident, at, length, value)
        return cls(**values), tuple(reading.warnings)


class _Reading:
    """The warnings of one tolerant read, recorded as warning nodes too when recording."""

    def __init__(self, who: str, rec: Recorder | None) -> None:
        self.who, self.rec = who, rec
        self.warnings: list[str] = []

    def warn(self, text: str, offset: int, length: int) -> None:
        self.warnings.append(text)
        if self.rec:
            self.rec.warn(text, offset, length)

    def group_end(self, data: bytes) -> int:
        """Where the items end: the group length when it can be trusted, else the data's end."""
        declared, present = data[2], len(data) - 3
        if declared == present:
            return len(data)
        if declared == 0:
            self.warn(f"{self.who} parameter group length is 0 but {present} bytes of "
                      "parameters follow (known gurux-dlms server bug); parameters read "
                      "anyway", 2, 1)
        elif declared < present:
            self.warn(f"{self.who} parameter group length is {declared} but {present} bytes "
                      f"follow; the {present - declared} bytes after the group ignored", 2, 1)
            return 3 + declared
        else:
            self.warn(f"{self.who} parameter group length is {declared} but only {present} "
                      f"bytes follow; the {present} present read", 2, 1)
        return len(data)

    def item(self, values: dict[str, int], ident: int, at: int, length: int,
             value: int) -> None:
        """Keep one parameter (``length`` bytes at ``at``), a safe value where needed."""
        known = _FIELDS.get(ident)
        if known is None:
            self.warn(f"{self.who} parameter {ident:02X} is not one of IEC 62056-46's "
                      "(05-08); skipped", at, length)
            return
        name, field = known
        if name in values:
            self.warn(f"{self.who} {field.label} given twice; the later value {value} used",
                      at, length)
        values[name] = self._safe(name, field.label, value, at, length)

    def _safe(self, name: str, label: str, value: int, at: int, size: int) -> int:
        if name.startswith("window") and not 1 <= value <= 7:
            self.warn(f"{self.who} {label} is {value}, outside 1..7 (3-bit sequence numbers); "
                      "read as 1, the standard default", at, size)
            return 1
        if name.startswith("max_info") and value > MAX_INFO_LIMIT:
            self.warn(f"{self.who} {label} is {value}, more than the {MAX_INFO_LIMIT} bytes an "
                      f"HDLC frame can carry; read as {MAX_INFO_LIMIT} (the smaller side's "
                      "limit applies)", at, size)
            return MAX_INFO_LIMIT
        if name.startswith("max_info") and value == 0:
            self.warn(f"{self.who} {label} is 0; read as 128, the standard default", at, size)
            return 128
        return value


def _read_items(data: bytes, end: int, rec: Recorder | None
                ) -> Iterator[tuple[int, int, int, int]]:
    """Yield (id, offset, length, value) for each parameter in ``data[3:end]``, recorded."""
    pos = 3
    while pos < end:
        if pos + 2 > end:
            raise DecodeError("parameter header cut short", offset=pos, what="HDLC parameters")
        ident, size = data[pos], data[pos + 1]
        if not 1 <= size <= 4 or pos + 2 + size > end:
            room = max(1, min(4, end - pos - 2))
            raise DecodeError("bad parameter length", offset=pos + 1, got=str(size),
                              expected="1" if room == 1 else f"1..{room}",
                              what="HDLC parameters")
        value = int.from_bytes(data[pos + 2:pos + 2 + size], "big")
        if rec:
            field = _FIELDS[ident][1] if ident in _FIELDS else HDLC.PARAMS_UNKNOWN
            label = None if ident in _FIELDS else f"unknown parameter {ident:02X}"
            rec.item(field, pos, 2 + size, str(value), label=label)
        yield ident, pos, 2 + size, value
        pos += 2 + size


def split_info(apdu: bytes, max_info: int) -> list[bytes]:
    """Cut ``apdu`` (LLC header included) into information fields of at most ``max_info``.

    Every part but the last goes out with the segmentation bit set. An empty input gives one
    empty part, so callers always have a frame to send.
    """
    if max_info < 1:
        raise EncodeError(f"max info field length {max_info}", expected="at least 1")
    return [apdu[i:i + max_info] for i in range(0, len(apdu), max_info)] or [b""]
