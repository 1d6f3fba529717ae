"""Window > 1 for real: negotiation as a meter does it (the minimum of both sides per
direction), up to ``window`` I-frames in flight, RR on the poll bit or a full window, and link
repair (poll, resend) through lost frames at 128/1, 1024/7 and in between."""

from __future__ import annotations

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from tests.protocol.test_link_recovery import LossyPair
from workbench.protocol.hdlc import (
    NEED_DATA,
    ApduReceived,
    FrameKind,
    HdlcFrame,
    HdlcParameters,
    ServerLink,
    client_address,
    decode_frame,
    encode_frame,
    server_address,
)

FAST = HdlcParameters(1024, 1024, 7, 7)
REQUEST = b"\xc0\x01\xc1\x00\x07\x01\x00\x63\x01\x00\xff\x02\x00"
RESPONSE = bytes(range(256)) * 80  # 20,480 bytes: a profile chunk


def test_a_meter_grants_the_minimum_of_both_sides_per_direction():
    pair = LossyPair(client_params=HdlcParameters(2030, 2030, 7, 7),
                     server_params=HdlcParameters(512, 256, 3, 2))
    client_view = pair.connect()
    # server view: TX 512 / RX 256 / window TX 3 / window RX 2; the client's is the mirror
    assert client_view == HdlcParameters(max_info_tx=256, max_info_rx=512, window_tx=2,
                                         window_rx=3)
    assert pair.server.params == client_view.swapped()
    snrm = decode_frame(pair.wire[0][1])
    assert HdlcParameters.decode(snrm.info) == HdlcParameters(2030, 2030, 7, 7)


def test_without_a_proposal_the_link_stays_at_the_defaults_whatever_the_meter_supports():
    pair = LossyPair(server_params=FAST)
    assert pair.connect() == HdlcParameters()
    assert decode_frame(pair.wire[0][1]).info == b""  # strict: a default SNRM carries nothing


@pytest.mark.parametrize(("params", "segments", "rrs"), [
    (HdlcParameters(), 161, 160),  # 20,483 bytes in 128-byte segments, one RR each
    (FAST, 21, 2),  # 21 segments in windows of 7: RRs after the first two windows only
])
def test_a_long_response_costs_one_rr_per_window(params, segments, rrs):
    pair = LossyPair(client_params=params, server_params=params)
    pair.connect()
    pair.request(REQUEST)
    start = len(pair.wire)
    assert pair.respond(RESPONSE) == [ApduReceived(RESPONSE)]
    sent = [decode_frame(raw) for tag, raw in pair.wire[start:] if tag == "s>c"]
    acks = [decode_frame(raw) for tag, raw in pair.wire[start:] if tag == "c>s"]
    assert len(sent) == segments and {f.kind for f in sent} == {FrameKind.I}
    assert max(len(f.info) for f in sent) == params.max_info_tx
    assert [f.kind for f in acks] == [FrameKind.RR] * rrs
    # P/F set exactly on the last frame of each window
    assert [i for i, f in enumerate(sent) if f.pf] == sorted(
        {min(i + params.window_tx - 1, segments - 1) for i in range(0, segments,
                                                                      params.window_tx)})


def test_a_long_request_goes_out_a_window_at_a_time():
    pair = LossyPair(client_params=FAST, server_params=FAST)
    pair.connect()
    pair.client.send_apdu(RESPONSE)
    first = pair.client.data_to_send()
    assert len(first) == 7 and pair.client.unacknowledged == 7
    _, server_events = pair.run(first)
    assert server_events == [ApduReceived(RESPONSE)]
    assert pair.kinds("s>c")[1:] == [FrameKind.RR] * 2


def test_the_receiver_acknowledges_a_full_window_even_without_the_poll_bit():
    server = ServerLink(1, 1234, HdlcParameters(128, 128, 3, 3))
    to, frm = server_address(1, 1234), client_address(16)
    snrm_info = HdlcParameters(128, 128, 3, 3).encode()
    server.receive_data(encode_frame(HdlcFrame(FrameKind.SNRM, to, frm, info=snrm_info)))
    server.next_event()
    server.data_to_send()
    for n_s in range(3):
        server.receive_data(encode_frame(HdlcFrame(FrameKind.I, to, frm, pf=False, n_s=n_s,
                                                   segmented=True, info=bytes(10))))
        assert server.next_event() is NEED_DATA
        rrs = [decode_frame(f) for f in server.data_to_send()]
        assert [(f.kind, f.n_r) for f in rrs] == ([(FrameKind.RR, 3)] if n_s == 2 else [])


def exchange(pair: LossyPair, request: bytes = REQUEST, *, max_rounds: int = 200
             ) -> tuple[list, list, int]:
    """One request/response through the lossy wire, repaired as the session's driver does:
    a poll, or every second time a resend of our unacknowledged frames.
    Returns (client APDUs, server APDUs, recoveries)."""
    client_got, server_got = [], []
    pair.client.send_apdu(request)
    for rounds in range(max_rounds):
        client_events, server_events = pair.run()
        client_got += [e.apdu for e in client_events if isinstance(e, ApduReceived)]
        new = [e.apdu for e in server_events if isinstance(e, ApduReceived)]
        server_got += new
        if new:
            client_got += [e.apdu for e in pair.respond(RESPONSE) if isinstance(e, ApduReceived)]
        if client_got:
            return client_got, server_got, rounds
        if rounds % 2 == 1 and pair.client.unacknowledged:
            pair.client.retransmit()
        else:
            pair.client.poll()
    raise AssertionError(f"no answer after {max_rounds} recoveries")


@pytest.mark.parametrize("params", [HdlcParameters(), FAST, HdlcParameters(256, 512, 3, 5)])
@pytest.mark.parametrize("lost", [1, 2, 4, 7, 8, 9, 15, 21])
def test_one_lost_response_frame_costs_one_poll(params, lost):
    pair = LossyPair(client_params=params, server_params=params)
    pair.connect()
    pair.arm(to_client=(lost,))
    client_got, server_got, recoveries = exchange(pair)
    assert (client_got, server_got) == ([RESPONSE], [REQUEST])
    assert recoveries <= 1


@settings(max_examples=60, deadline=None)
@given(st.sampled_from([HdlcParameters(), FAST, HdlcParameters(64, 200, 3, 2)]),
       st.frozensets(st.integers(1, 40), max_size=12),
       st.frozensets(st.integers(1, 40), max_size=12),
       st.booleans())
def test_any_losses_in_both_directions_are_repaired_and_nothing_runs_twice(
        params, to_server, to_client, long_request):
    pair = LossyPair(client_params=params, server_params=params)
    pair.connect()
    request = RESPONSE[:3000] if long_request else REQUEST
    pair.arm(to_server=tuple(to_server), to_client=tuple(to_client))
    client_got, server_got, _ = exchange(pair, request)
    assert server_got == [request] and client_got == [RESPONSE]
    # and the link goes on numbering correctly afterwards
    pair.arm()
    _, server_events = pair.request(b"\xc0\x01")
    assert server_events == [ApduReceived(b"\xc0\x01")]
    assert pair.respond(b"\xc4\x01") == [ApduReceived(b"\xc4\x01")]
