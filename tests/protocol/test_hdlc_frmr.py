"""FRMR information field: the rejected control field, V(S), V(R), C/R and W/X/Y/Z named."""

from __future__ import annotations

import pytest

from tests.helpers import ClientServerPair
from workbench.protocol.dissect import dissect
from workbench.protocol.hdlc import (
    FrameKind,
    FrmrInfo,
    HdlcFrame,
    RejectCause,
    client_address,
    encode_frame,
    read_frmr,
    server_address,
)


def frmr_frame(info: bytes) -> bytes:
    return encode_frame(HdlcFrame(FrameKind.FRMR, client_address(16), server_address(1, 1234),
                                  info=info))


@pytest.mark.parametrize(("info", "expected"), [
    ("32 24 01", FrmrInfo(0x32, 2, 1, False, ("W",))),
    ("10 F1 0E", FrmrInfo(0x10, 0, 7, True, ("X", "Y", "Z"))),
    ("83 0E 03", FrmrInfo(0x83, 7, 0, False, ("W", "X"))),
])
def test_fields_are_read_bit_by_bit(info, expected):
    assert read_frmr(bytes.fromhex(info)) == expected


def test_the_description_names_the_rejected_frame_and_the_reason():
    assert read_frmr(bytes.fromhex("32 24 04")).describe() == (
        "rejected control field 32 (I N(S)=1 N(R)=1 P/F), Y: information field longer than "
        "the negotiated maximum; the meter's V(S)=2, V(R)=1")
    assert "not a control field of IEC 62056-46" in read_frmr(b"\xff\x00\x00").describe()


def test_the_link_reports_the_meters_frmr_with_its_reason():
    pair = ClientServerPair()
    pair.connect()
    raw = frmr_frame(bytes.fromhex("32 24 08"))
    pair.client.receive_data(raw)
    event = pair.client.next_event()
    assert event.cause is RejectCause.PEER_REJECTED and event.raw == raw
    assert event.reason == ("the peer rejected our frame (FRMR): rejected control field 32 "
                            "(I N(S)=1 N(R)=1 P/F), Z: N(R) names a frame never sent; the "
                            "meter's V(S)=2, V(R)=1")


def test_the_dissection_names_every_frmr_field():
    (tree,) = dissect(frmr_frame(bytes.fromhex("93 31 01")))
    assert not tree.errors()
    values = {key: tree.find_key(key).value for key in (
        "hdlc.frmr.control", "hdlc.frmr.vs", "hdlc.frmr.vr", "hdlc.frmr.cr", "hdlc.frmr.flags")}
    assert values == {"hdlc.frmr.control": "93 (SNRM P/F)", "hdlc.frmr.vs": "0",
                      "hdlc.frmr.vr": "1", "hdlc.frmr.cr": "response",
                      "hdlc.frmr.flags": "W (control field invalid or not implemented)"}
    info = tree.find_key("hdlc.info")
    assert tree.find_key("hdlc.frmr").offset == info.offset and info.length == 3


def test_an_frmr_of_another_length_is_shown_with_a_warning_not_an_error():
    (tree,) = dissect(frmr_frame(b"\x32\x24"))
    assert not tree.errors()
    assert [n.value for n in tree.warnings()] == [
        "FRMR information is 2 bytes, expected 3 (ISO/IEC 13239, modulo 8); not decoded"]
    assert read_frmr(b"\x32\x24") is None
