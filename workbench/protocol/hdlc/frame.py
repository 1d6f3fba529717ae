"""HDLC frames of IEC 62056-46 (frame format type 3): the dataclass and its byte codec.

Layout between the two ``7E`` flags::

    format (2)  dest addr (1/2/4)  src addr (1/2/4)  control (1)  [HCS (2)  info (n)]  FCS (2)

The format field is ``1010 S LLL LLLLLLLL``: type 3, the segmentation bit S (more segments of
this information follow) and an 11-bit length counting every byte between the flags. The HCS
protects format+addresses+control and is present only when there is an information field;
the FCS protects everything between the flags. Both are CRC-16/X.25 sent low byte first.

Two decoders, one behaviour (a deliberate speed trade-off):

* :func:`fast_decode` is the session's: straight-line code, no recording, no messages, one
  CRC pass over a reflected copy. It answers "the frame, or None" and is what the
  :class:`~workbench.protocol.hdlc.reader.FrameReader` tries first on every candidate; a
  60-day load profile is ~1,600 frames, and this path keeps them cheap.
* :func:`parse_frame` is the explaining one: it records byte spans when given a
  :class:`Recorder`, *collects* checksum failures instead of stopping at the first (the
  dissector shows a frame whose HCS is wrong with all its fields), names the byte and the
  expectation in every error, and reads the tolerated deviations (an HCS on an empty
  information field) with a warning. :func:`decode_frame` runs the fast one, then this one
  when the fast one says no.

The rule that keeps them one decoder: ``fast_decode(raw)`` equals the frame ``parse_frame``
returns when it finds no problem and no deviation, and is None otherwise (a tolerated frame
always goes the careful way, which says what it tolerated). Property tests hold them to it
on valid, corrupted and *restructured* frames (checksums repaired after changing the length,
addresses, control or segmentation: ``tests/protocol/test_hdlc_decoders.py``).
"""

from __future__ import annotations

from dataclasses import dataclass, field

from workbench.protocol.errors import ChecksumError, DecodeError, EncodeError
from workbench.protocol.fields import HDLC, Field, Recorder

from .address import decode_address, read_address
from .control import CONTROL_TABLE, NUMBERED, FrameKind
from .crc import crc16_bytes, crc16_residue_ok, reflect_bytes
from .frmr import read_frmr

__all__ = ["FLAG", "FrameKind", "HdlcFrame", "decode_frame", "encode_frame", "fast_decode",
           "parse_frame"]

FLAG = 0x7E
MAX_FRAME_LENGTH = 0x7FF  # the 11-bit length field


_CARRY_INFO = {FrameKind.I, FrameKind.UI, FrameKind.SNRM, FrameKind.UA, FrameKind.FRMR}
_SEGMENTABLE = {FrameKind.I, FrameKind.UI}


@dataclass(frozen=True, slots=True)
class HdlcFrame:
    """One HDLC frame. ``dest``/``src`` are the address bytes as sent (see hdlc_address).

    ``n_s`` is meaningful for I frames only, ``n_r`` for I, RR and RNR; ``pf`` is the
    poll/final bit; ``segmented`` is the format field's S bit (more segments follow).
    ``warnings`` name the deviations tolerated when the frame was read (never encoded, not
    compared): only the careful decoder produces them.

    Raises:
        EncodeError: on construction, for fields the frame kind cannot carry.
    """

    kind: FrameKind
    dest: bytes
    src: bytes
    pf: bool = True
    n_s: int = 0
    n_r: int = 0
    segmented: bool = False
    info: bytes = b""
    warnings: tuple[str, ...] = field(default=(), compare=False)

    def __post_init__(self) -> None:
        if not (0 <= self.n_s <= 7 and 0 <= self.n_r <= 7):
            raise EncodeError(f"N(S)={self.n_s}, N(R)={self.n_r}: sequence numbers are 0..7")
        if self.kind is not FrameKind.I and self.n_s:
            raise EncodeError(f"a {self.kind.name} frame has no N(S)")
        if self.kind not in NUMBERED and self.n_r:
            raise EncodeError(f"a {self.kind.name} frame has no N(R)")
        if self.info and self.kind not in _CARRY_INFO:
            raise EncodeError(f"a {self.kind.name} frame carries no information field")
        if self.segmented and self.kind not in _SEGMENTABLE:
            raise EncodeError(f"a {self.kind.name} frame cannot be segmented")
        for name in ("dest", "src"):
            try:
                decode_address(getattr(self, name))
            except DecodeError as exc:
                raise EncodeError(f"{name} address: {exc}") from None

    @property
    def control(self) -> int:
        """The control byte for this frame."""
        return (self.kind.value | (self.n_r << 5) * (self.kind in NUMBERED)
                | self.n_s << 1 | self.pf << 4)


def encode_frame(frame: HdlcFrame) -> bytes:
    """Return the frame's bytes on the wire, flags included.

    Raises:
        EncodeError: the frame would exceed the 11-bit length field.
    """
    header_len = 2 + len(frame.dest) + len(frame.src) + 1
    length = header_len + (2 + len(frame.info) if frame.info else 0) + 2
    if length > MAX_FRAME_LENGTH:
        raise EncodeError(f"HDLC frame of {length} bytes exceeds the 11-bit length field",
                          expected=f"at most {MAX_FRAME_LENGTH}")
    fmt = 0xA000 | (0x0800 if frame.segmented else 0) | length
    body = fmt.to_bytes(2, "big") + frame.dest + frame.src + bytes((frame.control,))
    if frame.info:
        body += crc16_bytes(body) + frame.info
    return b"\x7e" + body + crc16_bytes(body) + b"\x7e"


def decode_frame(data: bytes, rec: Recorder | None = None) -> HdlcFrame:
    """Decode exactly one frame, flags included.

    Raises:
        DecodeError: malformed frame (offset names the byte); ChecksumError for HCS/FCS.
    """
    if rec is None and (frame := fast_decode(data)) is not None:
        return frame
    frame, problems = parse_frame(data, rec)  # the careful path, to name what is wrong
    if problems:
        raise problems[0]
    return frame


def fast_decode(data: bytes | bytearray) -> HdlcFrame | None:
    """The frame in ``data`` if it is entirely valid, else None (nothing says why).

    The fast half of the two-decoder design (see the module notes): it accepts exactly what
    :func:`parse_frame` reads without a problem or a warning; callers that need the reason
    for a rejection, or the frames read with a tolerated deviation, run the careful path.
    """
    data = bytes(data)
    try:
        n = len(data)
        b1 = data[1]
        if (data[0] != FLAG or data[n - 1] != FLAG or b1 & 0xF0 != 0xA0
                or ((b1 & 7) << 8 | data[2]) != n - 2):
            return None
        dest_end = _address_end(data, 3)
        src_end = _address_end(data, dest_end)
        kind, n_s, n_r, pf = CONTROL_TABLE[data[src_end]]
    except (IndexError, KeyError):
        return None
    fcs_at, header_end = n - 3, src_end + 1
    reflected = memoryview(reflect_bytes(data))
    info = b""
    if fcs_at != header_end:
        if (fcs_at < header_end + 3 or kind not in _CARRY_INFO
                or not crc16_residue_ok(reflected[1:header_end + 2])):
            return None
        info = data[header_end + 2:fcs_at]
    segmented = bool(b1 & 0x08)
    if segmented and kind not in _SEGMENTABLE:
        return None
    if not crc16_residue_ok(reflected[1:n - 1]):
        return None
    # every field was validated above, so skip __post_init__ (unrolled: a loop costs 3x)
    frame = _new(HdlcFrame)
    _set(frame, "kind", kind)
    _set(frame, "dest", data[3:dest_end])
    _set(frame, "src", data[dest_end:src_end])
    _set(frame, "pf", pf)
    _set(frame, "n_s", n_s)
    _set(frame, "n_r", n_r)
    _set(frame, "segmented", segmented)
    _set(frame, "info", info)
    _set(frame, "warnings", ())
    return frame


_new = object.__new__
_set = object.__setattr__


def _address_end(data: bytes, i: int) -> int:
    """End of a 1, 2 or 4-byte address at ``i``; IndexError if it runs off, KeyError if bad."""
    if data[i] & 1:
        return i + 1
    if data[i + 1] & 1:
        return i + 2
    if not data[i + 2] & 1 and data[i + 3] & 1:
        return i + 4
    raise KeyError(i)


def _hex(b: bytes) -> str:
    return b.hex(" ").upper()


def _need(data: bytes, offset: int, n: int, what: str) -> None:
    """Raise at the end of ``data`` (a zero-length span) if ``data[offset:offset+n]`` is short."""
    if len(data) < offset + n:
        raise DecodeError(f"frame ends before the {what}", offset=len(data), length=0,
                          expected=f"{offset + n - len(data)} more byte(s)", what="HDLC frame")


def _check_crc(data: bytes, start: int, at: int, check: Field, rec: Recorder | None,
               problems: list[ChecksumError]) -> None:
    """Compare the CRC of ``data[start:at]`` with the two bytes at ``at``; record the result."""
    name = check.label
    got, want = data[at:at + 2], crc16_bytes(data[start:at])
    error = None
    if got != want:
        error = ChecksumError(f"{name} mismatch", offset=at, length=2, got=_hex(got),
                              expected=_hex(want), what="HDLC frame")
        problems.append(error)
    if rec:
        text = None
        if error:  # the node's message names absolute offsets, like the node itself
            text = str(ChecksumError(error.message, offset=rec.base + at, length=2,
                                     got=error.got, expected=error.expected, what=error.what))
        rec.item(check, at, 2, f"{_hex(got)} ({'ok' if error is None else 'bad'})", error=text)


def parse_frame(data: bytes, rec: Recorder | None = None
                ) -> tuple[HdlcFrame, list[ChecksumError]]:
    """Decode one frame and return it with the HCS/FCS failures found (empty when valid).

    Structural errors (wrong flag, format, addresses, length) still raise DecodeError; with a
    recorder, the fields read before the error are already recorded.
    """
    _need(data, 0, 3, "format field")
    _flag(data, 0, "opening flag", rec)
    length, segmented = _format(data, rec)
    fcs_at = length - 1
    dest_end = read_address(data, 3, "destination address")
    src_end = read_address(data, dest_end, "source address")
    _need(data, src_end, 1, "control field")
    if rec:
        _record_address(rec, _DEST_FIELDS, data, 3, dest_end)
        _record_address(rec, _SRC_FIELDS, data, dest_end, src_end)
    kind, n_s, n_r, pf = _control(data, src_end, rec)
    if segmented and kind not in _SEGMENTABLE:
        raise DecodeError(f"segmentation bit set on a {kind.name} frame", offset=1,
                          what="HDLC frame")
    header_end = src_end + 1
    warnings = _hcs_without_info(data, header_end, fcs_at, rec)
    if fcs_at != header_end and fcs_at < header_end + 3 and not warnings:
        raise DecodeError("length field too small for the header", offset=1, length=2,
                          got=str(length), expected=f"{header_end + 1} (no information) or "
                          f"at least {header_end + 4}", what="HDLC frame")
    problems: list[ChecksumError] = []
    info = b""
    if fcs_at > header_end + 2:
        _need(data, header_end, 2, "HCS")
        _check_crc(data, 1, header_end, HDLC.HCS, rec, problems)
        _need(data, header_end + 2, fcs_at - header_end - 2, "end of the information field")
        info = data[header_end + 2:fcs_at]
        _info(kind, info, header_end + 2, rec)
    _need(data, fcs_at, 2, "FCS")
    _check_crc(data, 1, fcs_at, HDLC.FCS, rec, problems)
    _need(data, length + 1, 1, "closing flag")
    _flag(data, length + 1, "closing flag", rec)
    if len(data) > length + 2:
        raise DecodeError("bytes after the closing flag", offset=length + 2,
                          length=len(data) - length - 2, what="HDLC frame")
    frame = HdlcFrame(kind, bytes(data[3:dest_end]), bytes(data[dest_end:src_end]), pf,
                      n_s, n_r, segmented, bytes(info), warnings)
    return frame, problems


EMPTY_INFO_HCS = ("HCS present on an empty information field (the standard sends none); "
                  "frame read as having no information")


def _hcs_without_info(data: bytes, header_end: int, fcs_at: int,
                      rec: Recorder | None) -> tuple[str, ...]:
    """A tolerated deviation: two bytes between header and FCS that are the header's HCS."""
    hcs = crc16_bytes(data[1:header_end])
    if fcs_at != header_end + 2 or data[header_end:header_end + 2] != hcs:
        return ()
    if rec:
        rec.item(HDLC.HCS, header_end, 2, f"{_hex(hcs)} (ok)")
        rec.warn(EMPTY_INFO_HCS, header_end, 2)
    return (EMPTY_INFO_HCS,)


def _flag(data: bytes, at: int, name: str, rec: Recorder | None) -> None:
    if data[at] != FLAG:
        raise DecodeError(f"{name} missing", offset=at, got=f"{data[at]:02X}", expected="7E",
                          what="HDLC frame")
    if rec:
        rec.item(HDLC.FLAG, at, 1, "7E")


def _format(data: bytes, rec: Recorder | None) -> tuple[int, bool]:
    high = data[1]
    length = ((high & 0x07) << 8) | data[2]
    segmented = bool(high & 0x08)
    if rec:
        with rec.subtree(HDLC.FORMAT, 1, f"type 3, length {length}"
                         + (", segmented" if segmented else "")):
            rec.item(HDLC.FORMAT_TYPE, 1, 1, f"{high >> 4:X} (0xA = type 3)")
            rec.item(HDLC.FORMAT_SEGMENTATION, 1, 1,
                     "more segments follow" if segmented else "last/only")
            rec.item(HDLC.FORMAT_LENGTH, 1, 2, str(length))
    if high >> 4 != 0xA:
        raise DecodeError("not HDLC frame format type 3", offset=1, got=f"{high:02X}",
                          expected="A0..AF", what="HDLC frame")
    if length < 7:
        raise DecodeError("frame length below the minimum", offset=1, length=2,
                          got=str(length), expected="at least 7", what="HDLC frame")
    return length, segmented


_DEST_FIELDS = (HDLC.DEST, HDLC.DEST_UPPER, HDLC.DEST_LOWER)
_SRC_FIELDS = (HDLC.SRC, HDLC.SRC_UPPER, HDLC.SRC_LOWER)


def _record_address(rec: Recorder, fields: tuple[Field, Field, Field], data: bytes,
                    start: int, end: int) -> None:
    whole, upper, lower = fields
    address = decode_address(bytes(data[start:end]))
    with rec.subtree(whole, start, str(address)):
        half = 1 if address.size <= 2 else 2
        rec.item(upper, start, half, str(address.upper))
        if address.lower is not None:
            rec.item(lower, start + half, half, str(address.lower))


def _control(data: bytes, at: int, rec: Recorder | None) -> tuple[FrameKind, int, int, bool]:
    byte = data[at]
    fields = CONTROL_TABLE.get(byte)
    if fields is None:
        raise DecodeError("unknown control field", offset=at, got=f"{byte:02X}",
                          expected="I, RR, RNR, SNRM, UA, DISC, DM, FRMR or UI",
                          what="HDLC frame")
    if rec:
        kind, n_s, n_r, pf = fields
        with rec.subtree(HDLC.CONTROL, at, f"{byte:02X} {kind.name}"):
            rec.item(HDLC.CONTROL_KIND, at, 1, kind.name)
            if kind is FrameKind.I:
                rec.item(HDLC.CONTROL_NS, at, 1, str(n_s))
            if kind in NUMBERED:
                rec.item(HDLC.CONTROL_NR, at, 1, str(n_r))
            rec.item(HDLC.CONTROL_PF, at, 1, str(int(pf)))
    return fields


def _info(kind: FrameKind, info: bytes, at: int, rec: Recorder | None) -> None:
    if rec and kind is FrameKind.FRMR:
        with rec.subtree(HDLC.INFO, at, f"{len(info)} bytes"):
            read_frmr(info, rec, at)
    elif rec:
        rec.item(HDLC.INFO, at, len(info), f"{len(info)} bytes")
    if kind not in _CARRY_INFO:
        raise DecodeError(f"a {kind.name} frame carries no information field", offset=at,
                          length=len(info), what="HDLC frame")
