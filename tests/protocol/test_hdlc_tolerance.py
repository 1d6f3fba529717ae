"""Tolerant reading of SNRM/UA deviations real servers send, always with a warning naming it;
strict sending (our own UA is always well formed)."""

from __future__ import annotations

import pytest

from workbench.protocol.dissect import dissect
from workbench.protocol.hdlc import (
    NEED_DATA,
    ApduReceived,
    ClientLink,
    FrameKind,
    FrameRejected,
    HdlcFrame,
    HdlcParameters,
    LinkEstablished,
    ServerLink,
    client_address,
    crc16_bytes,
    decode_frame,
    encode_frame,
    server_address,
)

GURUX_UA = bytes.fromhex(  # what gurux-dlms 1.0.203's server answers a SNRM without info
    "7E A0 21 21 00 02 12 A5 73 7C 1A 81 80 00 05 01 80 06 01 80 07 04 00 00 00 01 08 04 00 02"
    " 00 01 61 DC 7E")
GURUX_WARNINGS = (
    "UA parameter group length is 0 but 18 bytes of parameters follow (known gurux-dlms "
    "server bug); parameters read anyway",
    "UA window RX is 131073, outside 1..7 (3-bit sequence numbers); read as 1, the standard "
    "default",
)


def ua_event(info: bytes, *, proposal: HdlcParameters | None = None,
             raw: bytes | None = None) -> object:
    client = ClientLink(16, server_address(1, 1234), proposal)
    client.connect()
    client.receive_data(raw or encode_frame(HdlcFrame(
        FrameKind.UA, client_address(16), server_address(1, 1234), info=info)))
    return client.next_event()


def test_gurux_servers_ua_connects_with_defaults_and_names_both_deviations():
    event = ua_event(b"", raw=GURUX_UA)
    assert event == LinkEstablished(HdlcParameters(), GURUX_WARNINGS)


@pytest.mark.oracle
def test_the_gurux_ua_above_is_what_gurux_dlms_server_code_really_sends():
    client = ClientLink(16, server_address(1, 1234))
    client.connect()
    ua = _gurux_answer(*client.data_to_send())
    assert ua == GURUX_UA


def _gurux_answer(snrm: bytes) -> bytes:
    """Drive gurux-dlms's own GXDLMSServer with ``snrm``; return the frame it answers.

    Two plumbing gaps of 1.0.203 are bridged, neither touching how the UA is built:
    ``GXServerReply`` lacks the ``setReply`` the server calls, and ``handleSnrmRequest`` reads
    its own limits from ``self.hdlc`` only when that attribute is falsy (a truthy one crashes
    on a missing ``update``), so the limits come from a falsy object holding gurux's defaults.
    """
    gurux = pytest.importorskip("gurux_dlms")
    from gurux_dlms.enums import InterfaceType

    class Limits:
        maxInfoTX = maxInfoRX = 128  # gurux's attribute names
        windowSizeTX = windowSizeRX = 1

        def __bool__(self) -> bool:
            return False

    class Server(gurux.GXDLMSServer):
        def __init__(self) -> None:
            super().__init__(True, InterfaceType.HDLC)
            self.initialized, self.hdlc = True, Limits()

        def isTarget(self, server: int, client: int) -> bool:
            return True

    reply = gurux.GXServerReply(snrm)
    reply.setReply = lambda frame: setattr(reply, "reply", frame)
    Server().handleRequest(reply)
    return bytes(reply.reply)


@pytest.mark.parametrize("max_info", [2048, 0xFFFF])
def test_max_info_beyond_2030_uses_our_own_limit(max_info):
    info = HdlcParameters().encode()[:3] + bytes.fromhex(
        f"05 02 {max_info:04X} 06 02 {max_info:04X} 07 01 01 08 01 01")
    info = info[:2] + bytes((len(info) - 3,)) + info[3:]
    event = ua_event(info, proposal=HdlcParameters(1024, 512, 1, 1))
    assert event.params == HdlcParameters(1024, 512, 1, 1)
    assert event.warnings == tuple(
        f"UA max info field {d} is {max_info}, more than the 2030 bytes an HDLC frame can "
        "carry; read as 2030 (the smaller side's limit applies)" for d in ("TX", "RX"))


def test_window_0_is_read_as_1():
    info = bytes.fromhex("81 80 06 07 01 00 08 01 07")
    event = ua_event(info, proposal=HdlcParameters(128, 128, 7, 7))
    assert event.params == HdlcParameters(128, 128, window_tx=7, window_rx=1)
    assert event.warnings == ("UA window TX is 0, outside 1..7 (3-bit sequence numbers); read "
                              "as 1, the standard default",)


def test_hcs_on_an_empty_information_field_is_read_as_no_information():
    body = bytes.fromhex("A0 0C 21 00 02 12 A5 73")
    ua = b"\x7e" + body + crc16_bytes(body) + crc16_bytes(body + crc16_bytes(body)) + b"\x7e"
    event = ua_event(b"", raw=ua)
    assert event == LinkEstablished(HdlcParameters(), (
        "HCS present on an empty information field (the standard sends none); frame read as "
        "having no information",))
    (tree,) = dissect(ua)
    assert [n.key for n in tree.warnings()] == ["expert.warning"]
    assert tree.find_key("hdlc.hcs").value.endswith("(ok)")


def test_unreadable_parameters_fall_back_to_the_defaults_with_the_reason():
    event = ua_event(bytes.fromhex("81 80 03 05 05 80"), proposal=HdlcParameters(512, 512))
    assert event.params == HdlcParameters()
    assert event.warnings == (
        "UA parameters could not be read (HDLC parameters: bad parameter length at byte 4: "
        "got 5, expected 1); using the standard defaults (max info 128, window 1)",)


@pytest.mark.parametrize(("declared", "text"), [
    (3, "UA parameter group length is 3 but 6 bytes follow; the 3 bytes after the group "
        "ignored"),
    (9, "UA parameter group length is 9 but only 6 bytes follow; the 6 present read"),
])
def test_other_group_length_mismatches_are_named(declared, text):
    info = bytes.fromhex(f"81 80 {declared:02X} 05 01 40 06 01 40")
    event = ua_event(info)
    assert text in event.warnings


def test_unknown_and_repeated_parameters_are_named():
    event = ua_event(bytes.fromhex("81 80 09 09 01 01 05 01 40 05 01 20"))
    assert event.params.max_info_rx == 32
    assert event.warnings == (
        "UA parameter 09 is not one of IEC 62056-46's (05-08); skipped",
        "UA max info field TX given twice; the later value 32 used",
    )


def test_an_answer_from_another_form_of_the_called_address_is_accepted_and_named():
    client = ClientLink(16, server_address(1, 17, 4))
    client.connect()
    two_bytes = server_address(1, 17, 2)
    client.receive_data(encode_frame(HdlcFrame(FrameKind.UA, client_address(16), two_bytes)))
    event = client.next_event()
    assert event.warnings == (
        "the meter answered from address 02 23 (2-byte form) though we called 00 02 00 23 "
        "(4-byte form): the same address (upper 1 (logical), lower 17 (physical)), so "
        "accepted; we keep sending in our form",)
    client.send_apdu(b"\xc0\x01")
    client.receive_data(encode_frame(HdlcFrame(FrameKind.I, client_address(16), two_bytes,
                                               n_r=1, info=b"\xe6\xe7\x00\xc4\x01")))
    assert client.next_event() == ApduReceived(b"\xc4\x01")


def test_an_answer_from_other_address_values_is_still_rejected():
    client = ClientLink(16, server_address(1, 17, 4))
    client.connect()
    client.receive_data(encode_frame(HdlcFrame(FrameKind.UA, client_address(16),
                                               server_address(1, 18, 2))))
    assert isinstance(client.next_event(), FrameRejected)


def test_the_server_reads_a_malformed_snrm_but_answers_with_a_strict_ua():
    server = ServerLink(1, 1234, HdlcParameters(512, 512, 7, 7))
    info = bytes.fromhex("81 80 00 05 02 04 00 06 02 04 00 07 01 07 08 01 09")
    server.receive_data(encode_frame(HdlcFrame(FrameKind.SNRM, server_address(1, 1234),
                                               client_address(16), info=info)))
    event = server.next_event()
    assert event.params == HdlcParameters(512, 512, window_tx=1, window_rx=7)
    assert event.warnings[0].startswith("SNRM parameter group length is 0 but 14 bytes")
    assert "SNRM window RX is 9" in event.warnings[1]
    ua = decode_frame(server.data_to_send()[0])
    assert ua.info == HdlcParameters(512, 512, 1, 7).encode()
    assert HdlcParameters.read(ua.info) == (HdlcParameters(512, 512, 1, 7), ())


def test_the_dissection_shows_the_gurux_deviations_as_warning_nodes():
    (tree,) = dissect(GURUX_UA)
    assert not tree.errors()
    assert [n.value for n in tree.warnings()] == [  # the dissector cannot say which side
        text.replace("UA", "HDLC", 1) for text in GURUX_WARNINGS]
    assert tree.find_key("hdlc.params.window_rx").value == "131073"
    assert [w.offset for w in tree.warnings()] == [13, 26]  # group length, window RX item


def test_an_ordinary_ua_has_no_warning():
    client = ClientLink(16, server_address(1, 1234))
    client.connect()
    client.receive_data(encode_frame(HdlcFrame(FrameKind.UA, client_address(16),
                                               server_address(1, 1234),
                                               info=HdlcParameters().encode())))
    assert client.next_event() == LinkEstablished(HdlcParameters(), ())
    assert client.next_event() is NEED_DATA
