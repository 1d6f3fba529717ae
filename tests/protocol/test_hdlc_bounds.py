"""Bounded memory on the HDLC layer, tested with what a hostile peer sends: endless segments,
flag floods, endless junk. Bounds are asserted on outcomes (sizes, counts), never on time."""

from __future__ import annotations

import pytest
from hypothesis import given
from hypothesis import strategies as st

from tests.helpers import ClientServerPair
from workbench.protocol.errors import ApduTooLarge
from workbench.protocol.hdlc import (
    MAX_FRAME_LENGTH,
    NEED_DATA,
    ApduReceived,
    ClientLink,
    FrameKind,
    FrameReader,
    FrameReceived,
    HdlcFrame,
    LinkState,
    ServerLink,
    Skipped,
    client_address,
    encode_frame,
    server_address,
)

TO_SERVER = server_address(1, 1234)
FROM_CLIENT = client_address(16)
UA = encode_frame(HdlcFrame(FrameKind.UA, FROM_CLIENT, TO_SERVER))


def endless_segment(n_s: int) -> bytes:
    """The issue's reproduction: `7E A8 14 00 02 12 A5 21 00 BC E9 E6 E6 00 AA*5 F2 E0 7E`,
    N(S) counting up (a client's request segment that never says "last")."""
    info = b"\xe6\xe6\x00" + b"\xaa" * 5 if n_s == 0 else b"\xaa" * 8
    return encode_frame(HdlcFrame(FrameKind.I, TO_SERVER, FROM_CLIENT, pf=False, n_s=n_s % 8,
                                  segmented=True, info=info))


def test_the_issues_frame_is_what_the_helper_builds():
    assert endless_segment(0) == bytes.fromhex(
        "7E A8 14 00 02 12 A5 21 00 BC E9 E6 E6 00 AA AA AA AA AA F2 E0 7E")


def connected_server(max_apdu_size: int) -> ServerLink:
    server = ServerLink(1, 1234, max_apdu_size=max_apdu_size)
    server.receive_data(encode_frame(HdlcFrame(FrameKind.SNRM, TO_SERVER, FROM_CLIENT)))
    server.next_event()
    server.data_to_send()
    return server


def test_endless_segments_to_the_server_end_with_a_typed_error_naming_both_numbers():
    server = connected_server(max_apdu_size=1000)
    with pytest.raises(ApduTooLarge) as caught:
        for n_s in range(10_000):
            server.receive_data(endless_segment(n_s))
            assert server.next_event() is NEED_DATA
    assert (caught.value.received, caught.value.limit) == (1005, 1000)
    assert str(caught.value) == (
        "HDLC link: the peer's segmented APDU reached 1005 bytes, more than the negotiated "
        "maximum APDU size of 1000 bytes; reassembly stopped")
    assert n_s == 125  # 5 + 125 * 8 bytes: raised on the first byte over the cap
    assert server._rx_size == 0 and server._rx_parts == []


def test_after_the_error_the_rest_of_that_apdu_is_dropped_and_the_link_recovers():
    server = connected_server(max_apdu_size=20)
    for n_s in range(2):
        server.receive_data(endless_segment(n_s))
        assert server.next_event() is NEED_DATA
    server.receive_data(endless_segment(2))  # 5 + 8 + 8 = 21 bytes
    with pytest.raises(ApduTooLarge):
        server.next_event()
    for n_s in range(3, 1000):  # the peer goes on: acknowledged, dropped, never buffered
        server.receive_data(endless_segment(n_s))
        assert server.next_event() is NEED_DATA
        assert server._rx_size == 0
    last = encode_frame(HdlcFrame(FrameKind.I, TO_SERVER, FROM_CLIENT, n_s=1000 % 8,
                                  info=b"\xaa"))
    server.receive_data(last)
    assert "oversized APDU dropped" in server.next_event().reason
    short = encode_frame(HdlcFrame(FrameKind.I, TO_SERVER, FROM_CLIENT, n_s=1001 % 8,
                                   info=b"\xe6\xe6\x00\xc0\x01"))
    server.receive_data(short)
    assert server.next_event() == ApduReceived(b"\xc0\x01")


def test_the_client_caps_the_meters_answer_and_the_cap_can_be_lowered_after_association():
    pair = ClientServerPair()
    pair.connect()
    pair.client.max_apdu_size = 256  # e.g. the AARE's negotiated PDU size
    pair.request(b"\xc0\x01\xc1")
    with pytest.raises(ApduTooLarge, match="reached 381 bytes, more than the negotiated "
                                           "maximum APDU size of 256 bytes"):
        pair.respond(bytes(1000))
    assert pair.client.state is LinkState.CONNECTED


def test_an_apdu_exactly_at_the_cap_is_delivered():
    pair = ClientServerPair()
    pair.connect()
    pair.client.max_apdu_size = 1000
    pair.request(b"\xc0\x01\xc1")
    assert pair.respond(bytes(1000)) == [ApduReceived(bytes(1000))]


def test_a_megabyte_of_flags_leaves_nothing_buffered():
    reader = FrameReader()
    assert reader.feed(b"\x7e" * 1_000_000) == []
    assert reader.pending == 1  # the last flag may open the next frame
    assert [type(e) for e in reader.feed(UA[1:])] == [FrameReceived]


def test_a_flag_flood_between_frames_in_small_chunks_still_finds_every_frame():
    reader, events = FrameReader(), []
    stream = (b"\x7e" * 5000 + UA) * 20
    for at in range(0, len(stream), 997):
        events += reader.feed(stream[at:at + 997])
        assert reader.pending <= MAX_FRAME_LENGTH + 2
    assert [e.raw for e in events] == [UA] * 20


def test_a_megabyte_of_flags_through_the_link_gives_no_event():
    client = ClientLink(16, TO_SERVER)
    client.connect()
    client.receive_data(b"\x7e" * 1_000_000)
    assert client.next_event() is NEED_DATA
    assert client._reader.pending == 1


def test_endless_junk_is_reported_at_once_never_accumulated():
    reader = FrameReader()
    total = 0
    for _ in range(1000):
        events = reader.feed(b"\x00junk" * 200)
        total += sum(len(e.raw) for e in events if isinstance(e, Skipped))
        assert reader.pending == 0
    assert total == 1_000_000


@given(st.lists(st.binary(max_size=3000), max_size=8), st.integers(16, MAX_FRAME_LENGTH))
def test_the_reader_never_holds_more_than_one_frame_candidate(chunks, max_length):
    reader = FrameReader(max_frame_length=max_length)
    for chunk in chunks:
        reader.feed(chunk)
        assert reader.pending <= max_length + 2
