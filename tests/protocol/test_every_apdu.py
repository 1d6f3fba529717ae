"""Every APDU tag of IEC 62056-5-3 decodes (or is named): notifications, short-name
services, ciphered and signed APDUs with their security header, block transfer, gateway."""

from __future__ import annotations

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from workbench.protocol.apdu import decode_apdu, encode_apdu, names
from workbench.protocol.apdu.ciphered import (
    CIPHERED_TAGS,
    CipheredApdu,
    GeneralCiphering,
    GeneralSigning,
    KeyInfo,
    SecurityControl,
)
from workbench.protocol.apdu.common import AttributeDescriptor, DataAccessResult
from workbench.protocol.apdu.notify import (
    AccessRequest,
    AccessResponse,
    DataNotification,
    EventNotification,
    LongInvokeIdAndPriority,
)
from workbench.protocol.apdu.sn import (
    BlockNumberAccess,
    InformationReport,
    ParameterizedAccess,
    ReadDataBlockAccess,
    ReadRequest,
    ReadResponse,
    SnBlock,
    SnBlockNumber,
    UnconfirmedWriteRequest,
    VariableName,
    WriteDataBlockAccess,
    WriteRequest,
    WriteResponse,
)
from workbench.protocol.apdu.transfer import GatewayApdu, GeneralBlockTransfer
from workbench.protocol.axdr import CosemDateTime, Data
from workbench.protocol.dissect import dissect
from workbench.protocol.errors import ProtocolError
from workbench.protocol.fields import Recorder
from workbench.protocol.hdlc import LLC_RESPONSE, FrameKind, HdlcFrame, encode_frame

STAMP = CosemDateTime(2024, 3, 5, 10, 0, 0, 0, 2, -60, 0).encode()
PUSH_BODY = Data.struct(Data.octets(b"\x00\x00\x2A\x00\x00\xFF"), Data.octets(b"MST0001234"),
                        Data.u32(123456), Data.i16(-5))
ST = b"MST\x00\x00\x12\x34\x56"
SAMPLES = [
    DataNotification(PUSH_BODY, STAMP, LongInvokeIdAndPriority(7, high_priority=True)),
    DataNotification(Data.u8(1)),
    EventNotification(AttributeDescriptor(1, "0-0:96.11.0.255", 2), Data.u16(9), STAMP),
    EventNotification(AttributeDescriptor(1, "0-0:96.11.0.255", 2), Data.u16(9)),
    AccessRequest(b"\x01\x02\x03", b"", LongInvokeIdAndPriority(1, confirmed=True)),
    AccessResponse(b"\x00", STAMP),
    ReadRequest((VariableName(0x1008), BlockNumberAccess(3),
                 ParameterizedAccess(0x1110, 2, Data.struct(Data.u32(1), Data.u32(2))))),
    ReadResponse((Data.u32(5), DataAccessResult.OBJECT_UNDEFINED, SnBlock(False, 1, b"\x01"),
                  SnBlockNumber(2))),
    WriteRequest((VariableName(0x1008), WriteDataBlockAccess(True, 2)),
                 (Data.u16(7), Data.octets(b"\x01"))),
    WriteResponse((DataAccessResult.SUCCESS, DataAccessResult.READ_WRITE_DENIED,
                   SnBlockNumber(4))),
    UnconfirmedWriteRequest((ReadDataBlockAccess(False, 1, b"\x09"),), (Data.null(),)),
    InformationReport((VariableName(0x1008),), (Data.u16(7),), STAMP),
    CipheredApdu(0xCC, SecurityControl(), 42, bytes(8), bytes(12)),
    CipheredApdu(0xD0, SecurityControl(authenticated=False), 1, b"\x99" * 20),
    CipheredApdu(0x21, SecurityControl(encrypted=False, broadcast_key=True), 9, b"\x01"
                 b"\x00\x00", bytes(12)),
    CipheredApdu(0xDB, SecurityControl(), 0xFFFFFFFF, bytes(30), bytes(12), ST),
    CipheredApdu(0xDC, SecurityControl(suite=1, compressed=True), 3, b"", bytes(12), ST),
    GeneralCiphering(b"\x01", ST, ST, b"", b"", KeyInfo(0, 2), SecurityControl(), 5,
                     bytes(4), bytes(12)),
    GeneralCiphering(b"", ST, ST, STAMP, b"x", KeyInfo(1, 0, None, bytes(24)),
                     SecurityControl(), 5, b"", bytes(12)),
    GeneralCiphering(b"", ST, ST, b"", b"", KeyInfo(2, None, b"\x01", bytes(8)),
                     SecurityControl(), 5, b"\x01", bytes(12)),
    GeneralCiphering(b"", ST, ST, b"", b"", None, SecurityControl(authenticated=False), 5,
                     b"\x01"),
    GeneralSigning(b"\x01", ST, ST, b"", b"", b"\xc4\x01\xc1\x00\x11\x05", bytes(64)),
    GeneralBlockTransfer(True, 1, 0, b"\xc4\x01\xc1\x00\x11\x05", window=1),
    GeneralBlockTransfer(False, 7, 6, bytes(100), streaming=True, window=63),
    GatewayApdu(False, 1, b"12345678", b"\xc0\x01\xc1\x00\x03\x01\x01\x01\x08\x00\xff\x02\x00"),
    GatewayApdu(True, 1, b"12345678", b"\xc4\x01\xc1\x00\x11\x05"),
]


@pytest.mark.parametrize("apdu", SAMPLES, ids=lambda a: type(a).__name__)
def test_round_trip_and_dissection(apdu: object) -> None:
    raw = encode_apdu(apdu)
    assert decode_apdu(raw) == apdu and encode_apdu(decode_apdu(raw)) == raw
    rec = Recorder("APDU")
    assert decode_apdu(raw, rec) == apdu
    tree = rec.finish()
    assert not tree.errors() and tree.children[0].length == len(raw)
    assert tree.children[0].name == names.APDU_TAGS[raw[0]]


def test_every_named_tag_has_a_decoder() -> None:
    for tag, name in names.APDU_TAGS.items():
        try:
            decode_apdu(bytes([tag]))
        except ProtocolError as exc:  # one byte is too short for anything: but not unknown
            assert "unknown APDU tag" not in str(exc) and "unsupported" not in str(exc), name


def test_a_push_frame_from_the_customer_port_is_fully_decoded() -> None:
    push = encode_apdu(SAMPLES[0])
    frame = encode_frame(HdlcFrame(FrameKind.UI, b"\x2B", b"\x21",
                                   info=LLC_RESPONSE + push))
    assert frame.hex().upper().startswith("7EA0") and frame[3:6] == b"\x2B\x21\x13"
    (tree,) = dissect(frame)
    assert not tree.errors()
    apdu = tree.find_key("dlms.apdu")
    assert apdu is not None and apdu.name == "data-notification"
    assert tree.find_key("dlms.long_invoke_id").value == "id 7, high priority"
    assert tree.find_key("dlms.date_time").value == "2024-03-05 10:00:00 UTC+01:00"
    body = tree.find_key("dlms.notification_body")
    assert body is not None and "123456" in [n.value for n in body.walk()]


def test_a_push_with_two_byte_source_address_and_no_time() -> None:
    frame = encode_frame(HdlcFrame(FrameKind.UI, b"\x41", b"\x08\x83", info=LLC_RESPONSE
                                   + encode_apdu(DataNotification(Data.u32(1)))))
    assert frame[3:7] == bytes.fromhex("41 08 83 13")
    (tree,) = dissect(frame)
    assert not tree.errors() and tree.find_key("dlms.date_time").value == "absent"


def test_ciphered_apdu_shows_its_security_header() -> None:
    raw = encode_apdu(SAMPLES[15])
    rec = Recorder("APDU")
    decode_apdu(raw, rec)
    tree = rec.finish()
    apdu = tree.children[0]
    assert apdu.value == ("any APDU, suite 0, authenticated and encrypted, unicast key, "
                          "invocation counter 4294967295, 30-byte ciphertext, 12-byte tag")
    control = tree.find_key("security.control")
    assert control.value == "0x30: suite 0, authenticated and encrypted, unicast key"
    assert [c.name for c in control.children] == ["security suite", "authentication",
                                                  "encryption", "key set", "compression"]
    assert tree.find_key("security.system_title").value.startswith("8 bytes: 4d 53 54")
    assert tree.find_key("security.ciphertext").value == "30 bytes (not deciphered)"
    assert CIPHERED_TAGS[0xCC] == 0xC4 and SAMPLES[12].protects == "get-response"


def test_event_notification_time_is_shown_and_a_never_set_one_warns() -> None:
    raw = encode_apdu(EventNotification(AttributeDescriptor(1, "0-0:96.11.0.255", 2),
                                        Data.u16(9), bytes(12)))
    warnings: list[str] = []
    decode_apdu(raw, warnings=warnings)
    assert warnings == ["event-notification-request: invalid date-time (all zero: never set); "
                        "read as unspecified"]


@settings(max_examples=500, deadline=None)
@given(st.sampled_from(sorted(names.APDU_TAGS)), st.binary(max_size=60))
def test_any_bytes_after_any_tag_decode_or_raise_a_protocol_error(tag: int,
                                                                   body: bytes) -> None:
    for rec in (None, Recorder("APDU")):
        try:
            decode_apdu(bytes([tag]) + body, rec)
        except ProtocolError as exc:
            assert exc.offset is None or exc.offset <= len(body) + 1
