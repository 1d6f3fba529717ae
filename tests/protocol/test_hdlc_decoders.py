"""The two HDLC frame decoders stay one decoder: ``fast_decode`` (the session's, straight-line)
accepts exactly the frames ``parse_frame`` (the dissector's, recording and explaining) reads
without a problem or a tolerated deviation, and both give the same frame.

Random corruption almost always breaks a CRC, which both reject at once; so the strategies
here also *repair* the checksums after changing the structure (length, addresses, control,
segmentation bit, an HCS with no information), which is where two decoders could drift.
"""

from __future__ import annotations

from hypothesis import given
from hypothesis import strategies as st

from tests.protocol.test_hdlc import frames
from workbench.protocol.errors import ProtocolError
from workbench.protocol.hdlc import (
    FrameReader,
    FrameReceived,
    crc16_bytes,
    encode_frame,
    fast_decode,
    parse_frame,
)


def careful(raw: bytes) -> object:
    """What the careful decoder makes of ``raw``: the frame if clean, else None."""
    try:
        frame, problems = parse_frame(raw)
    except ProtocolError:
        return None
    return None if problems or frame.warnings else frame


def with_checksums(head: bytearray, info: bytes, *, hcs: bool, fix_length: bool) -> bytes:
    """Flags, header, [HCS, information], FCS, with the checksums computed afresh."""
    if fix_length:
        total = len(head) + (2 if hcs else 0) + len(info) + 2
        head[0], head[1] = (head[0] & 0xF8) | (total >> 8 & 7), total & 0xFF
    body = bytes(head) + (crc16_bytes(head) + info if hcs else b"")
    return b"\x7e" + body + crc16_bytes(body) + b"\x7e"


@st.composite
def restructured(draw: st.DrawFn) -> bytes:
    """A valid frame whose structure was changed, its checksums then made right again."""
    raw = encode_frame(draw(frames()))
    dest_end = next(i for i in range(3, len(raw)) if raw[i] & 1) + 1
    header_end = next(i for i in range(dest_end, len(raw)) if raw[i] & 1) + 2
    head = bytearray(raw[1:header_end])  # format (2 bytes), addresses, control
    info = raw[header_end + 2:-3] if len(raw) > header_end + 3 else b""
    choice = draw(st.sampled_from(["byte", "length", "hcs-only", "extra", "none"]))
    if choice == "byte":
        i = draw(st.integers(0, len(head) - 1))
        head[i] = draw(st.integers(0, 255))
    elif choice == "length":
        head[0] = (head[0] & 0xF8) | draw(st.integers(0, 7))
        head[1] = draw(st.integers(0, 255))
    elif choice == "hcs-only":
        info = b""
    elif choice == "extra":
        info += draw(st.binary(min_size=1, max_size=4))
    return with_checksums(head, info, hcs=bool(info) or choice == "hcs-only",
                          fix_length=choice != "length")


@given(restructured())
def test_fast_and_careful_decoders_agree_on_restructured_frames(raw):
    fast = fast_decode(raw)
    assert fast == careful(raw)
    if fast is not None:
        assert fast.warnings == () and encode_frame(fast) == raw


@given(st.binary(max_size=80))
def test_fast_and_careful_decoders_agree_on_any_bytes_between_flags(body):
    raw = b"\x7e" + body + b"\x7e"
    assert fast_decode(raw) == careful(raw)


@given(st.lists(restructured(), min_size=1, max_size=5))
def test_the_reader_takes_exactly_the_frames_a_careful_decode_reads(stream):
    events = FrameReader().feed(b"".join(stream))
    for event in events:
        if isinstance(event, FrameReceived):
            frame, problems = parse_frame(event.raw)
            assert not problems and frame == event.frame
            assert frame.warnings == event.frame.warnings
