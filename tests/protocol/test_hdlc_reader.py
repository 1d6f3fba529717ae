"""FrameReader: any chunking, junk between frames, corrupt frames, and resynchronisation."""

from __future__ import annotations

from hypothesis import given
from hypothesis import strategies as st

from workbench.protocol.errors import ChecksumError, ProtocolError
from workbench.protocol.hdlc import (
    BadFrame,
    FrameKind,
    FrameReader,
    FrameReceived,
    HdlcFrame,
    Skipped,
    encode_frame,
    server_address,
)

SNRM = bytes.fromhex("7E A0 07 03 03 93 8C 11 7E")
DISC = bytes.fromhex("7E A0 08 02 03 03 53 09 B1 7E")
I_FRAME = encode_frame(HdlcFrame(FrameKind.I, server_address(1, 1234), b"\x21",
                                 info=b"\xe6\xe6\x00" + bytes(range(40))))


def feed_in_chunks(data: bytes, cuts: list[int]) -> list:
    reader, events, last = FrameReader(), [], 0
    for cut in [*sorted(cuts), len(data)]:
        events += reader.feed(data[last:cut])
        last = cut
    return events


def frames_of(events: list) -> list[bytes]:
    return [e.raw for e in events if isinstance(e, FrameReceived)]


def test_several_frames_in_one_chunk():
    events = FrameReader().feed(SNRM + DISC + I_FRAME)
    assert frames_of(events) == [SNRM, DISC, I_FRAME]
    assert all(isinstance(e, FrameReceived) for e in events)


def test_every_split_point_of_every_pair_gives_the_same_frames():
    stream = SNRM + I_FRAME + DISC
    for cut in range(len(stream) + 1):
        assert frames_of(feed_in_chunks(stream, [cut])) == [SNRM, I_FRAME, DISC], cut


def test_byte_by_byte():
    stream = I_FRAME + SNRM
    assert frames_of(feed_in_chunks(stream, list(range(len(stream))))) == [I_FRAME, SNRM]


def test_junk_between_frames_is_skipped_with_a_reason():
    events = FrameReader().feed(b"AT OK\r\n" + SNRM + b"\x00\x01" + DISC)
    assert [type(e) for e in events] == [Skipped, FrameReceived, Skipped, FrameReceived]
    assert events[0].raw == b"AT OK\r\n" and "no frame start flag" in events[0].reason
    assert events[2].raw == b"\x00\x01" and "not an HDLC type 3 format" in events[2].reason


def test_doubled_flags_are_idle_fill_and_a_shared_flag_opens_the_next_frame():
    events = FrameReader().feed(b"\x7e\x7e" + SNRM + DISC[1:] + b"\x7e")
    assert frames_of(events) == [SNRM, DISC]
    assert all(isinstance(e, FrameReceived) for e in events)


def test_corrupted_fcs_then_good_frame():
    bad = SNRM[:7] + b"\x00" + SNRM[8:]
    events = FrameReader().feed(bad + DISC)
    assert isinstance(events[0], BadFrame) and isinstance(events[0].error, ChecksumError)
    assert events[0].raw == bad
    assert "FCS mismatch at bytes 6–7" in str(events[0].error)
    assert frames_of(events) == [DISC]


def test_corrupted_length_is_caught_by_hcs_without_waiting_for_the_bogus_length():
    bad = bytearray(I_FRAME)
    bad[2] ^= 0x40  # length now says 64 bytes more than present
    reader = FrameReader()
    events = reader.feed(bytes(bad) + SNRM)
    assert isinstance(events[0], BadFrame) and "HCS mismatch" in str(events[0].error)
    assert frames_of(events) == [SNRM]


def test_truncated_frame_followed_by_good_ones_resyncs_once_its_length_has_arrived():
    reader = FrameReader()
    assert reader.feed(I_FRAME[:20] + SNRM + SNRM) == []  # 38 of the 57 announced bytes
    events = reader.feed(SNRM * 3)
    # byte 56 happens to be a SNRM's flag, so the candidate fails on its FCS; the flags
    # inside it show it may be cut off, so scanning resumes right after its opening flag
    assert isinstance(events[0], BadFrame) and "FCS mismatch" in str(events[0].error)
    assert events[0].raw == I_FRAME[:20]
    assert frames_of(events) == [SNRM] * 5


def test_flush_after_a_truncated_frame_still_finds_the_frames_behind_it():
    reader = FrameReader()
    assert reader.feed(I_FRAME[:20] + SNRM) == []
    events = reader.flush()
    assert isinstance(events[0], BadFrame) and "cut short" in str(events[0].error)
    assert frames_of(events) == [SNRM]


def test_truncated_frame_with_no_flag_at_its_announced_end():
    events = FrameReader().feed(I_FRAME[:20] + SNRM + SNRM + b"\x00" * 30 + SNRM)
    assert "closing flag missing" in str(events[0].error)
    assert frames_of(events) == [SNRM] * 3


def test_size_guard_rejects_long_frames_at_once():
    reader = FrameReader(max_frame_length=100)
    big = encode_frame(HdlcFrame(FrameKind.I, b"\x03", b"\x21", info=bytes(200)))
    events = reader.feed(big[:10])
    assert isinstance(events[0], BadFrame) and "implausible frame length" in str(events[0].error)
    assert reader.pending < 10


def test_flush_reports_an_unfinished_frame():
    reader = FrameReader()
    assert reader.feed(I_FRAME[:30]) == []
    (event,) = reader.flush()
    assert isinstance(event, BadFrame) and "cut short" in str(event.error)
    assert reader.pending == 0


frames = st.sampled_from([SNRM, DISC, I_FRAME])
junk = st.binary(max_size=12).map(lambda b: b.replace(b"\x7e", b""))


@given(st.lists(st.tuples(junk, frames), max_size=6), st.lists(st.integers(0, 400), max_size=8))
def test_frames_survive_any_junk_and_any_chunking(parts, cuts):
    stream = b"".join(j + f for j, f in parts)
    expected = [f for _, f in parts]
    events = feed_in_chunks(stream, [c for c in cuts if c <= len(stream)])
    assert frames_of(events) == expected
    # junk right after a flag that looks like a format byte (A0..AF) is reported as a bad
    # frame rather than skipped; either way every junk byte is reported, none silently lost
    reported = b"".join(e.raw for e in events if not isinstance(e, FrameReceived))
    assert reported.replace(b"\x7e", b"") == b"".join(j for j, _ in parts)


@given(st.binary(max_size=300), st.lists(st.integers(0, 300), max_size=5))
def test_any_bytes_give_only_typed_events(data, cuts):
    reader = FrameReader()
    events, last = [], 0
    for cut in [*sorted(c for c in cuts if c <= len(data)), len(data)]:
        events += reader.feed(data[last:cut])
        last = cut
    events += reader.flush()
    assert reader.pending == 0
    for event in events:
        assert isinstance(event, FrameReceived | Skipped | BadFrame)
        if isinstance(event, BadFrame):
            assert isinstance(event.error, ProtocolError)
