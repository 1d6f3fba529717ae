"""Finding HDLC frames in a byte stream: the incremental :class:`FrameReader`.

TCP hands us arbitrary chunks: several frames in one, a frame split over many, and, on real
meters, junk (a half frame left over from a timeout, modem chatter, doubled flags). The reader
must never lose the next good frame because of what came before it, so it works like this:

* Between frames, bytes that are not a ``7E`` flag are reported at once as :class:`Skipped`
  (so the buffer never holds more than one frame candidate: at most ``max_frame_length`` + 2
  bytes, whatever the peer sends), and repeated flags are idle fill, skipped a whole run at a
  time by the regular expression engine (a flood of ``7E`` costs C speed, not a Python
  iteration per byte).
* After a flag, the header is trusted only once it is proven: the format byte must be type 3
  (``A_``) and, when the frame has an information field, the HCS must match. The HCS covers the
  length field, so a corrupted length is caught *before* we wait for that many bytes.
* A candidate that fails any of this is reported as :class:`BadFrame` and scanning resumes at
  the next flag *after its opening flag*, so a good frame hiding behind it is still found.
* A frame whose FCS fails is reported whole, unless a flag sits inside it: then it may be a
  cut-off frame with good frames behind its opening flag, so scanning resumes at that flag.
* A complete frame ends at ``start + length + 1``; its closing flag is left in the buffer
  because ISO 13239 lets one flag close a frame and open the next.

:func:`find_segment` is the pure scanning step; the dissector uses it with ``eof=True``.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from enum import Enum
from typing import NamedTuple

from workbench.protocol.errors import ChecksumError, DecodeError, ProtocolError

from .address import read_address
from .crc import crc16_bytes
from .frame import FLAG, MAX_FRAME_LENGTH, HdlcFrame, decode_frame, fast_decode

__all__ = ["BadFrame", "FrameReader", "FrameReceived", "ReaderEvent", "Segment", "SegmentKind",
           "Skipped", "find_segment"]


@dataclass(frozen=True, slots=True)
class FrameReceived:
    """A valid frame; ``raw`` is its bytes with both flags."""

    frame: HdlcFrame
    raw: bytes


@dataclass(frozen=True, slots=True)
class Skipped:
    """Bytes that are not part of any frame, and why they were dropped."""

    raw: bytes
    reason: str


@dataclass(frozen=True, slots=True)
class BadFrame:
    """Bytes that started like a frame but are not a valid one; ``error`` says which byte."""

    raw: bytes
    error: ProtocolError


ReaderEvent = FrameReceived | Skipped | BadFrame


class SegmentKind(Enum):
    FRAME = "frame"  # flags, HCS and FCS check out; still to be decoded
    JUNK = "junk"  # bytes outside any frame
    IDLE = "idle"  # a run of flags, all but the last (which may open a frame)
    BAD = "bad"  # started like a frame, proved not to be one


class Segment(NamedTuple):
    """``buf[start:end]`` is one piece of the stream; scanning resumes at ``resume``."""

    kind: SegmentKind
    start: int
    end: int
    resume: int
    reason: str = ""
    error: ProtocolError | None = None
    frame: HdlcFrame | None = None  # set when the fast path already decoded a FRAME


_FLAG_RUN = re.compile(b"\x7e+")


def _last_flag_of_run(buf: bytes | bytearray, pos: int) -> int:
    """Index of the last ``7E`` of the run starting at ``pos`` (it may open the next frame)."""
    run = _FLAG_RUN.match(buf, pos)
    return pos if run is None else run.end() - 1


def _next_flag(buf: bytes | bytearray, after: int) -> int:
    found = buf.find(b"\x7e", after)
    return len(buf) if found < 0 else found


def _bad(buf: bytes | bytearray, start: int, error: ProtocolError) -> Segment:
    end = _next_flag(buf, start + 1)
    return Segment(SegmentKind.BAD, start, end, end, error=error.shifted(-start))


def find_segment(buf: bytes | bytearray, pos: int, *, eof: bool = False,
                 max_length: int = MAX_FRAME_LENGTH) -> Segment | None:
    """Classify the bytes at ``buf[pos:]``; None means "wait for more data".

    With ``eof`` the data is complete, so an unfinished frame becomes a BAD segment.
    Errors in BAD segments have offsets relative to the segment start.
    """
    n = len(buf)
    if pos >= n:
        return None
    if buf[pos] != FLAG:
        end = _next_flag(buf, pos)
        return Segment(SegmentKind.JUNK, pos, end, end, "no frame start flag (7E) before these")
    if pos + 1 >= n:
        return Segment(SegmentKind.IDLE, pos, n, n) if eof else None
    if buf[pos + 1] == FLAG:
        last = _last_flag_of_run(buf, pos)
        return Segment(SegmentKind.IDLE, pos, last, last)
    if buf[pos + 1] >> 4 != 0xA:
        end = _next_flag(buf, pos + 1)
        return Segment(SegmentKind.JUNK, pos + 1, end, end,
                       f"byte after the flag is {buf[pos + 1]:02X}, not an HDLC type 3 "
                       "format field (A0..AF)")
    try:
        return _frame_segment(buf, pos, eof, max_length)
    except DecodeError as exc:
        return _bad(buf, pos, exc)


def _frame_segment(buf: bytes | bytearray, pos: int, eof: bool,
                   max_length: int) -> Segment | None:
    """Check a frame candidate at ``pos`` as far as the bytes present allow."""
    if len(buf) < pos + 3:
        return _truncated(buf, pos) if eof else None
    length = ((buf[pos + 1] & 0x07) << 8) | buf[pos + 2]
    if not 7 <= length <= max_length:
        raise DecodeError("implausible frame length", offset=pos + 1, length=2,
                          got=str(length), expected=f"7..{max_length}", what="HDLC frame")
    end = pos + length + 2
    if len(buf) >= end and (frame := fast_decode(buf[pos:end])) is not None:
        return Segment(SegmentKind.FRAME, pos, end, end - 1, frame=frame)  # the usual case
    head = bytes(buf[pos:pos + 16])
    try:
        src_end = read_address(head, read_address(head, 3, "destination address"),
                               "source address")
    except DecodeError as exc:
        if exc.message.startswith("frame ends") and not eof:
            return None
        raise exc.shifted(pos) from None
    header_end = src_end + 1
    if length > header_end + 1:  # an information field, so an HCS to prove the header
        if len(head) < header_end + 2:
            return _truncated(buf, pos) if eof else None
        want = crc16_bytes(head[1:header_end])
        if head[header_end:header_end + 2] != want:
            raise ChecksumError("HCS mismatch", offset=pos + header_end, length=2,
                              got=head[header_end:header_end + 2].hex(" ").upper(),
                              expected=want.hex(" ").upper(), what="HDLC frame")
    if len(buf) < end:
        return _truncated(buf, pos) if eof else None
    if buf[pos + length + 1] != FLAG:
        raise DecodeError("closing flag missing", offset=pos + length + 1,
                          got=f"{buf[pos + length + 1]:02X}", expected="7E", what="HDLC frame")
    got, want = bytes(buf[end - 3:end - 1]), crc16_bytes(buf[pos + 1:end - 3])
    if got != want:
        error = ChecksumError("FCS mismatch", offset=length - 1, length=2,
                              got=got.hex(" ").upper(), expected=want.hex(" ").upper(),
                              what="HDLC frame")
        if FLAG in buf[pos + 1:end - 1]:  # maybe a cut-off frame with good frames inside
            raise error.shifted(pos)
        return Segment(SegmentKind.BAD, pos, end, end - 1, error=error)
    return Segment(SegmentKind.FRAME, pos, end, end - 1)


def _truncated(buf: bytes | bytearray, pos: int) -> Segment:
    """At end of data: the candidate is cut short; what follows its flag is scanned again."""
    return _bad(buf, pos, DecodeError("frame cut short by the end of the data", offset=pos,
                                      length=len(buf) - pos, what="HDLC frame"))


class FrameReader:
    """Incremental frame finder: ``feed(chunk)`` returns what the new bytes completed.

    Args:
        max_frame_length: size guard; a length field above it is rejected at once instead of
            waiting for that many bytes (use the negotiated max info plus the header).
    """

    def __init__(self, max_frame_length: int = MAX_FRAME_LENGTH) -> None:
        self._buf = bytearray()
        self._max = max_frame_length

    @property
    def pending(self) -> int:
        """Bytes held back waiting for the rest of a frame."""
        return len(self._buf)

    def feed(self, chunk: bytes) -> list[ReaderEvent]:
        """Add received bytes; return the frames, skipped bytes and bad frames now complete."""
        self._buf += chunk
        return self._drain(eof=False)

    def flush(self) -> list[ReaderEvent]:
        """Report whatever is still buffered (e.g. after a timeout) and start afresh."""
        return self._drain(eof=True)

    def _drain(self, eof: bool) -> list[ReaderEvent]:
        buf, pos = self._buf, 0
        events: list[ReaderEvent] = []
        while (seg := find_segment(buf, pos, eof=eof, max_length=self._max)) is not None:
            raw = bytes(buf[seg.start:seg.end])
            if seg.frame is not None:
                events.append(FrameReceived(seg.frame, raw))
            elif seg.kind is SegmentKind.FRAME:
                events.append(_decode(raw))
            elif seg.kind is SegmentKind.JUNK and raw:
                events.append(Skipped(raw, seg.reason))
            elif seg.kind is SegmentKind.BAD and seg.error is not None:
                events.append(BadFrame(raw, seg.error))
            pos = seg.resume
        del buf[:pos]
        return events


def _decode(raw: bytes) -> FrameReceived | BadFrame:
    try:
        return FrameReceived(decode_frame(raw), raw)
    except ProtocolError as exc:
        return BadFrame(raw, exc)
