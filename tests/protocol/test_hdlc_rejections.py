"""Every frame that arrives but is not used comes out of the link as an event with its cause
and a reason naming what really arrived; bytes that are no frame come out as BytesSkipped."""

from __future__ import annotations

import pytest

from workbench.protocol.hdlc import (
    NEED_DATA,
    BytesSkipped,
    ClientLink,
    FrameKind,
    HdlcAddress,
    HdlcFrame,
    LinkEstablished,
    RejectCause,
    client_address,
    encode_frame,
    server_address,
)

CALLED = server_address(1, 1234)


def connecting_client() -> ClientLink:
    client = ClientLink(16, CALLED)
    client.connect()
    return client


def events_for(client: ClientLink, data: bytes) -> list[object]:
    client.receive_data(data)
    events = []
    while (event := client.next_event()) is not NEED_DATA:
        events.append(event)
    return events


@pytest.mark.parametrize(("sender", "reason"), [
    (HdlcAddress(1, 5678, 4), "a UA from physical address 5678 (we called 1234)"),
    (HdlcAddress(2, 1234, 4), "a UA from logical address 2 (we called 1)"),
    (HdlcAddress(2, 5678, 4), "a UA from logical 2, physical 5678 (we called logical 1, "
                              "physical 1234)"),
    (HdlcAddress(1, None, 1), "a UA from logical 1, no physical address (we called "
                              "logical 1, physical 1234)"),
])
def test_a_ua_from_another_address_names_the_address_it_came_from(sender, reason):
    client = connecting_client()
    ua = encode_frame(HdlcFrame(FrameKind.UA, client_address(16), server_address(*sender)))
    (event,) = events_for(client, ua)
    assert (event.raw, event.reason, event.cause) == (ua, reason, RejectCause.OTHER_ADDRESS)
    assert event.source_address == sender and event.frame.kind is FrameKind.UA


def test_a_dm_from_another_physical_address_is_named_too():
    client = connecting_client()
    dm = encode_frame(HdlcFrame(FrameKind.DM, client_address(16), server_address(1, 42)))
    (event,) = events_for(client, dm)
    assert event.reason == "a DM from physical address 42 (we called 1234)"
    assert event.source_address.lower == 42


def test_a_frame_for_another_client_sap():
    client = connecting_client()
    ua = encode_frame(HdlcFrame(FrameKind.UA, client_address(32), CALLED))
    (event,) = events_for(client, ua)
    assert (event.cause, event.reason) == (RejectCause.OTHER_CLIENT,
                                           "a UA for client 32 (we are client 16)")


def test_bad_fcs_and_bad_hcs_are_checksum_rejections_with_the_bytes():
    ua = encode_frame(HdlcFrame(FrameKind.UA, client_address(16), CALLED,
                                info=bytes.fromhex("81 80 03 07 01 01")))
    bad_fcs = ua[:-3] + bytes([ua[-3] ^ 1]) + ua[-2:]
    bad_hcs = ua[:9] + bytes([ua[9] ^ 1]) + ua[10:]
    for damaged, what in ((bad_fcs, "FCS mismatch"), (bad_hcs, "HCS mismatch")):
        (event,) = events_for(connecting_client(), damaged)
        assert event.cause is RejectCause.CHECKSUM and what in event.reason
        assert damaged.startswith(event.raw) and len(event.raw) >= len(damaged) - 1
        assert event.frame is None and event.source_address is None


def test_a_malformed_frame_is_named():
    truncated = bytes.fromhex("7E A0 0A 21 00 02 12 A5 73") + bytes.fromhex("7E A0 07 03 03")
    (event, *_) = events_for(connecting_client(), truncated + b"\x93\x8c\x11\x7e")
    assert event.cause is RejectCause.MALFORMED and "HDLC frame" in event.reason


def test_junk_comes_out_with_its_first_16_bytes_and_its_count():
    junk = b"CONNECT 9600\r\nNO CARRIER\r\n" * 10
    (event,) = events_for(connecting_client(), junk)
    assert event == BytesSkipped(junk[:16], len(junk), "no frame start flag (7E) before these")


def test_junk_then_the_real_ua_gives_both_events_in_order():
    ua = encode_frame(HdlcFrame(FrameKind.UA, client_address(16), CALLED))
    events = events_for(connecting_client(), b"AT\r\n" + ua)
    assert [type(e) for e in events] == [BytesSkipped, LinkEstablished]


def test_a_frame_the_state_does_not_take_is_unexpected():
    rr = encode_frame(HdlcFrame(FrameKind.RR, client_address(16), CALLED))
    (event,) = events_for(connecting_client(), rr)
    assert event.cause is RejectCause.UNEXPECTED
    assert event.reason == "ClientLink: can't handle RR in state CONNECTING"
    assert event.source_address == HdlcAddress(1, 1234, 4)


def test_sequence_rejections_carry_the_frame():
    client = connecting_client()
    events_for(client, encode_frame(HdlcFrame(FrameKind.UA, client_address(16), CALLED)))
    rr = encode_frame(HdlcFrame(FrameKind.RR, client_address(16), CALLED, n_r=5))
    (event,) = events_for(client, rr)
    assert event.cause is RejectCause.SEQUENCE and event.frame.n_r == 5
