"""Client and server HDLC links talking to each other over a fake wire (no sockets)."""

from __future__ import annotations

import pytest

from tests.helpers import ClientServerPair
from workbench.protocol.errors import LocalProtocolError
from workbench.protocol.hdlc import (
    NEED_DATA,
    ApduReceived,
    ClientLink,
    Disconnected,
    FrameKind,
    FrameReader,
    FrameRejected,
    HdlcFrame,
    HdlcParameters,
    LinkState,
    RejectCause,
    ServerLink,
    client_address,
    decode_frame,
    encode_frame,
    server_address,
)


def test_connect_negotiates_defaults_and_server_answers_ua_with_parameters():
    pair = ClientServerPair()
    params = pair.connect()
    assert params == HdlcParameters()
    assert pair.client.state is LinkState.CONNECTED
    assert pair.server.state is LinkState.CONNECTED
    ua = decode_frame(pair.wire[-1][1])
    assert ua.kind is FrameKind.UA and HdlcParameters.decode(ua.info) == HdlcParameters()


def test_negotiation_takes_the_smaller_value_per_direction():
    pair = ClientServerPair(client_params=HdlcParameters(512, 256, 1, 1),
                            server_params=HdlcParameters(200, 1000, 1, 1))
    client_view = pair.connect()
    # client sends at most what the server receives, receives at most what the server sends
    assert client_view == HdlcParameters(max_info_tx=512, max_info_rx=200)
    assert pair.server.params == client_view.swapped()


@pytest.mark.parametrize(("size", "physical"), [(1, 1234), (2, 17), (4, 1234)])
def test_short_request_and_response_in_every_address_form(size, physical):
    pair = ClientServerPair(size=size, physical=physical)
    pair.connect()
    _, server_events = pair.request(b"\xc0\x01\xc1")
    assert server_events == [ApduReceived(b"\xc0\x01\xc1")]
    assert pair.respond(b"\xc4\x01\xc1\x00") == [ApduReceived(b"\xc4\x01\xc1\x00")]
    request, response = (decode_frame(raw) for _, raw in pair.wire[-2:])
    assert request.info.startswith(b"\xe6\xe6\x00") and response.info.startswith(b"\xe6\xe7\x00")
    assert response.src == server_address(1, physical, size)  # answered in the form addressed
    assert (request.control, response.control) == (0x10, 0x30)


def test_long_request_is_segmented_and_acked_with_rr():
    pair = ClientServerPair()
    pair.connect()
    apdu = bytes(range(256)) * 2
    _, server_events = pair.request(apdu)
    assert server_events == [ApduReceived(apdu)]
    frames = [decode_frame(raw) for tag, raw in pair.wire if tag == "c>s"][1:]
    assert [f.segmented for f in frames] == [True] * 4 + [False]
    assert all(len(f.info) <= 128 for f in frames)
    assert pair.kinds("s>c")[1:] == [FrameKind.RR] * 4
    assert [f.n_s for f in frames] == [0, 1, 2, 3, 4]


def test_long_response_is_reassembled_by_the_client():
    pair = ClientServerPair()
    pair.connect()
    pair.request(b"\xc0\x01\xc1")
    long_apdu = bytes(1000)
    assert pair.respond(long_apdu) == [ApduReceived(long_apdu)]
    assert pair.kinds("c>s").count(FrameKind.RR) == 7  # 1003 bytes = 8 segments


def test_window_of_three_sends_three_segments_per_rr():
    params = HdlcParameters(64, 64, 3, 3)
    pair = ClientServerPair(client_params=params, server_params=params)
    assert pair.connect().window_tx == 3
    pair.client.send_apdu(bytes(400))  # 403 bytes = 7 segments of 64
    first = pair.client.data_to_send()
    assert [decode_frame(f).pf for f in first] == [False, False, True]
    _, server_events = pair.run(first)
    assert server_events == [ApduReceived(bytes(400))]
    assert pair.kinds("s>c")[1:] == [FrameKind.RR, FrameKind.RR]


def test_sequence_numbers_wrap_modulo_8():
    pair = ClientServerPair()
    pair.connect()
    for i in range(10):
        pair.request(bytes([i]))
        assert pair.respond(bytes([i, i])) == [ApduReceived(bytes([i, i]))]


def test_disconnect_is_acknowledged_and_then_server_answers_dm():
    pair = ClientServerPair()
    pair.connect()
    pair.client.disconnect()
    client_events, server_events = pair.run()
    assert client_events == [Disconnected("link closed (UA)")]
    assert server_events == [Disconnected("client sent DISC")]
    pair.client.disconnect()
    client_events, _ = pair.run()
    assert pair.kinds("s>c")[-1] is FrameKind.DM
    assert isinstance(client_events[0], Disconnected)


def test_server_answers_dm_to_i_frame_when_disconnected():
    server = ServerLink()
    server.receive_data(encode_frame(HdlcFrame(FrameKind.I, server_address(1, 1234),
                                               client_address(16), info=b"\xe6\xe6\x00\x01")))
    assert server.next_event() is NEED_DATA
    assert decode_frame(server.data_to_send()[0]).kind is FrameKind.DM


def test_server_does_not_answer_frames_for_another_meter_but_reports_them():
    server = ServerLink(1, 1234)
    snrm = HdlcFrame(FrameKind.SNRM, server_address(1, 4321), client_address(16))
    server.receive_data(encode_frame(snrm))
    event = server.next_event()
    assert event.cause is RejectCause.OTHER_ADDRESS
    assert event.reason == ("a SNRM for logical 1, physical 4321 (we are logical 1, "
                            "physical 1234): not answered")
    assert server.data_to_send() == [] and server.state is LinkState.DISCONNECTED


def test_client_rejects_dm_to_snrm_as_disconnected():
    client = ClientLink(16, server_address(1, 1234))
    client.connect()
    client.receive_data(encode_frame(HdlcFrame(FrameKind.DM, client_address(16),
                                               server_address(1, 1234))))
    event = client.next_event()
    assert isinstance(event, Disconnected) and client.state is LinkState.DISCONNECTED


def test_local_call_in_wrong_state_raises_named_error():
    client = ClientLink(16, server_address(1, 1234))
    with pytest.raises(LocalProtocolError, match="can't handle send_apdu in state DISCONNECTED"):
        client.send_apdu(b"\xc0")


def test_unexpected_frame_becomes_frame_rejected_not_an_exception():
    client = ClientLink(16, server_address(1, 1234))
    client.connect()
    client.receive_data(encode_frame(HdlcFrame(FrameKind.I, client_address(16),
                                               server_address(1, 1234), info=b"\xe6\xe7\x00")))
    event = client.next_event()
    assert isinstance(event, FrameRejected)
    assert "can't handle I in state CONNECTING" in event.reason


def test_bad_fcs_is_reported_and_the_resent_frame_is_accepted():
    pair = ClientServerPair()
    pair.connect()
    pair.client.send_apdu(b"\xc0\x01")
    (good,) = pair.client.data_to_send()
    corrupted = good[:-3] + bytes([good[-3] ^ 0xFF]) + good[-2:]
    pair.server.receive_data(corrupted)
    event = pair.server.next_event()
    assert isinstance(event, FrameRejected) and "FCS mismatch" in event.reason
    _, events = pair.run([good])
    assert events == [ApduReceived(b"\xc0\x01")]


def test_client_rejects_frames_from_another_server():
    pair = ClientServerPair()
    pair.connect()
    stray = HdlcFrame(FrameKind.RR, client_address(16), server_address(1, 99))
    pair.client.receive_data(encode_frame(stray))
    event = pair.client.next_event()
    assert isinstance(event, FrameRejected) and event.cause is RejectCause.OTHER_ADDRESS
    assert event.reason == "a RR from physical address 99 (we called 1234)"


def test_reader_size_guard_is_independent_of_link():
    reader = FrameReader(max_frame_length=64)
    events = reader.feed(b"\x7e\xa7\xff" + bytes(10))
    assert "implausible frame length" in str(events[0].error)


def test_ui_frame_is_delivered_outside_the_i_frame_sequence():
    pair = ClientServerPair()
    pair.connect()
    push = HdlcFrame(FrameKind.UI, client_address(16), server_address(1, 1234),
                     info=b"\xe6\xe7\x00\x0f\x01")
    pair.client.receive_data(encode_frame(push))
    assert pair.client.next_event() == ApduReceived(b"\x0f\x01")
    pair.request(b"\xc0\x01")  # numbering is unaffected by the UI frame
    assert pair.respond(b"\xc4\x01") == [ApduReceived(b"\xc4\x01")]


def test_information_without_llc_is_rejected_with_the_bytes_found():
    pair = ClientServerPair()
    pair.connect()
    frame = HdlcFrame(FrameKind.I, client_address(16), server_address(1, 1234), n_r=0,
                      info=b"\xc4\x01\xc1")
    pair.client.receive_data(encode_frame(frame))
    event = pair.client.next_event()
    assert isinstance(event, FrameRejected)
    assert event.reason == "information field starts C4 01 C1, expected LLC E6 E7 00"


@pytest.mark.parametrize("link_class", [ClientLink, ServerLink])
def test_transition_tables_name_real_handlers_and_states(link_class):
    for (state, trigger), (handler, next_state) in link_class.TRANSITIONS.items():
        assert isinstance(state, LinkState) and isinstance(next_state, LinkState)
        assert isinstance(trigger, FrameKind | str)
        assert handler is None or handler.__name__ in dir(link_class), handler
