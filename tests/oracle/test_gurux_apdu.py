"""Cross-check of whole APDUs against gurux-dlms (GPLv2, used as a test oracle only).

Both directions: APDUs gurux encodes (its client in PDU mode, its XML translator for
responses) decode in ours to the expected objects and re-encode to the same bytes; APDUs we
encode are read by gurux's client (getData, parseAareResponse) to the same values, including
a profile buffer sent as GET-Response-with-datablock.
"""

from __future__ import annotations

import datetime as dt

import pytest

gurux = pytest.importorskip("gurux_dlms")

from gurux_dlms import (  # noqa: E402
    GXByteBuffer,
    GXDateTime,
    GXDLMSClient,
    GXDLMSException,
    GXDLMSTranslator,
    GXReplyData,
)
from gurux_dlms.enums import Authentication, InterfaceType, TranslatorOutputType  # noqa: E402
from gurux_dlms.enums import Conformance as GxConformance  # noqa: E402
from gurux_dlms.enums import DataType as GxType  # noqa: E402
from gurux_dlms.objects import (  # noqa: E402
    GXDLMSClock,
    GXDLMSData,
    GXDLMSProfileGeneric,
    GXDLMSRegister,
    GXDLMSScriptTable,
)

from workbench.protocol.apdu import (  # noqa: E402  # noqa: E402  # noqa: E402
    Aare,
    Aarq,
    ActionRequestNormal,
    ActionResponseNormal,
    ActionResult,
    AssociationResult,
    AttributeDescriptor,
    BlockCollector,
    Conformance,
    DataAccessResult,
    ExceptionResponse,
    GetRequestNormal,
    GetRequestWithList,
    GetResponseNormal,
    GetResponseWithDatablock,
    InitiateRequest,
    InitiateResponse,
    Mechanism,
    MethodDescriptor,
    SetRequestNormal,
    SetRequestWithDatablock,
    SetResponseNormal,
    decode_apdu,
    encode_apdu,
    entry_access,
    range_access,
)
from workbench.protocol.axdr import ClockStatus, CosemDateTime, Data, encode_data  # noqa: E402  # noqa: E402

pytestmark = pytest.mark.oracle

PASSWORD = "2222222222"
PROFILE = GXDLMSProfileGeneric("1.0.99.1.0.255")
MIDNIGHT = CosemDateTime(2024, 1, 1, 0, 0, 0, 0, None, 0, ClockStatus(0))
ROWS = Data.array([
    Data.struct(Data.octets(CosemDateTime(2024, 1, 1, h, 0, 0, 0, None, 0,
                                          ClockStatus(0)).encode()),
                Data.u32(1000 + h), Data.i16(-h), Data.u16(2300 + h))
    for h in range(24)])


def _client(auth: Authentication = Authentication.NONE) -> GXDLMSClient:
    client = GXDLMSClient(True, 16 if auth == Authentication.NONE else 1, 1, auth,
                          PASSWORD if auth != Authentication.NONE else None, InterfaceType.PDU)
    client.negotiatedConformance = client.proposedConformance
    return client


def _reverse24(value: int) -> int:
    """Gurux numbers conformance bits from the least significant end; the wire (and our
    Conformance) from the most significant."""
    return int(f"{value:024b}"[::-1], 2)


def _one(frames: list) -> bytes:
    (frame,) = frames
    return bytes(frame)


GURUX_REQUESTS = {
    "aarq-none": (lambda c: _one(c.aarqRequest()), Authentication.NONE,
                  Aarq(user_information=InitiateRequest(Conformance(0x401E5D), 0xFFFF))),
    "aarq-lls": (lambda c: _one(c.aarqRequest()), Authentication.LOW,
                 Aarq(mechanism=Mechanism.LLS, password=PASSWORD.encode(),
                      user_information=InitiateRequest(Conformance(0x401E5D), 0xFFFF))),
    "get-register": (lambda c: _one(c.read(GXDLMSRegister("1.1.32.7.0.255"), 2)),
                     Authentication.NONE,
                     GetRequestNormal(AttributeDescriptor(3, "1-1:32.7.0.255", 2))),
    "get-with-list": (lambda c: bytes(c.readList([(GXDLMSRegister("1.1.32.7.0.255"), 2),
                                                  (GXDLMSClock(), 2)])[0][0]),
                      Authentication.NONE,
                      GetRequestWithList((AttributeDescriptor(3, "1-1:32.7.0.255", 2),
                                          AttributeDescriptor(8, "0-0:1.0.0.255", 2)))),
    "get-by-entry": (lambda c: _one(c.readRowsByEntry(PROFILE, 1, 10)), Authentication.NONE,
                     GetRequestNormal(AttributeDescriptor(7, "1-0:99.1.0.255", 2),
                                      entry_access(1, 10))),
    "get-by-range": (lambda c: _one(c.readRowsByRange(PROFILE, dt.datetime(2024, 1, 1),
                                                      dt.datetime(2024, 1, 2))),
                     Authentication.NONE,
                     GetRequestNormal(AttributeDescriptor(7, "1-0:99.1.0.255", 2), range_access(
                         MIDNIGHT, CosemDateTime(2024, 1, 2, 0, 0, 0, 0, None, 0,
                                                 ClockStatus(0))))),
    "set-data": (lambda c: _one(c.write(_data_object(5), 2)), Authentication.LOW,
                 SetRequestNormal(AttributeDescriptor(1, "0-0:96.1.0.255", 2), Data.i32(5))),
    "action-script": (lambda c: _one(c.method(GXDLMSScriptTable("0.0.10.0.0.255"), 1, 3,
                                              GxType.UINT16)), Authentication.LOW,
                      ActionRequestNormal(MethodDescriptor(9, "0-0:10.0.0.255", 1),
                                          Data.u16(3))),
}


def _data_object(value: int) -> GXDLMSData:
    obj = GXDLMSData("0.0.96.1.0.255")
    obj.value = value
    return obj


@pytest.mark.parametrize("case", GURUX_REQUESTS)
def test_gurux_requests_decode_in_ours_and_ours_encode_the_same_bytes(case: str) -> None:
    build, auth, expected = GURUX_REQUESTS[case]
    raw = build(_client(auth))
    assert decode_apdu(raw) == expected
    assert encode_apdu(expected) == raw


def test_conformance_bit_names_agree_with_gurux() -> None:
    for flag in GxConformance:
        if flag.name in Conformance.__members__:
            assert int(Conformance[flag.name]) == _reverse24(int(flag)), flag.name
    proposed = int(_client().proposedConformance)
    assert Conformance(_reverse24(proposed)) == Conformance(0x401E5D)


def _gurux_read(*apdus: bytes) -> GXReplyData:
    """Feed response APDUs to a gurux client as one reply; between blocks, gurux's
    GET-Request-next must equal the one our BlockCollector asks for."""
    client, reply, collector = _client(), GXReplyData(), BlockCollector()
    for raw in apdus:
        assert client.getData(GXByteBuffer(raw), reply, None)
        ours = decode_apdu(raw)
        if isinstance(ours, GetResponseWithDatablock):
            next_request = collector.feed(ours)
            if reply.isMoreData():  # gurux 1.0.203 leaves the tag byte 0 in PDU mode
                gx_next = bytes(client.receiverReady(reply))
                assert gx_next[1:] == encode_apdu(next_request)[1:]
    assert not reply.isMoreData()
    return reply


def _plain(value: object) -> object:
    if isinstance(value, list):
        return [_plain(v) for v in value]
    if isinstance(value, bytearray):
        return bytes(value)
    if isinstance(value, GXDateTime):
        return value.value
    return int(value) if isinstance(value, int) and not isinstance(value, bool) else value


@pytest.mark.parametrize("value", [Data.u16(2304), Data.octets(b"MSR-1234"), ROWS],
                         ids=["long-unsigned", "octet-string", "profile-buffer"])
def test_our_get_response_reads_the_same_in_gurux(value: Data) -> None:
    reply = _gurux_read(encode_apdu(GetResponseNormal(value)))
    assert _plain(reply.value) == value.to_python()


def test_our_block_transfer_of_a_profile_buffer_reads_the_same_in_gurux() -> None:
    raw = encode_data(ROWS)
    parts = [raw[i:i + 120] for i in range(0, len(raw), 120)]
    blocks = [encode_apdu(GetResponseWithDatablock(n == len(parts), n, part))
              for n, part in enumerate(parts, start=1)]
    assert len(blocks) > 3
    assert _plain(_gurux_read(*blocks).value) == ROWS.to_python()


@pytest.mark.parametrize("apdu", [
    GetResponseNormal(DataAccessResult.OBJECT_UNDEFINED),
    SetResponseNormal(DataAccessResult.READ_WRITE_DENIED),
    ActionResponseNormal(ActionResult.TYPE_UNMATCHED),
], ids=["get", "set", "action"])
def test_our_error_results_read_the_same_in_gurux(apdu: object) -> None:
    client, reply = _client(), GXReplyData()
    client.getData(GXByteBuffer(encode_apdu(apdu)), reply, None)
    assert reply.error == int(apdu.result)


def test_our_action_return_value_reads_the_same_in_gurux() -> None:
    reply = _gurux_read(encode_apdu(ActionResponseNormal(ActionResult.SUCCESS,
                                                         Data.octets(b"\x01\x02"))))
    assert _plain(reply.value) == b"\x01\x02"


def test_our_accepted_aare_is_accepted_by_gurux() -> None:
    client = _client(Authentication.LOW)
    conformance = Conformance.GET | Conformance.SET | Conformance.ACTION | \
        Conformance.SELECTIVE_ACCESS | Conformance.BLOCK_TRANSFER_WITH_GET_OR_READ
    client.parseAareResponse(GXByteBuffer(encode_apdu(Aare(
        AssociationResult.ACCEPTED, mechanism=Mechanism.LLS,
        user_information=InitiateResponse(conformance, 0x01F4)))))
    assert _reverse24(int(client.negotiatedConformance)) == int(conformance)


@pytest.mark.parametrize(("diagnostic", "name"), [(13, "AUTHENTICATION_FAILURE"),
                                                  (2, "CONTEXT_NAME_IS_NOT_SUPPORTED")])
def test_our_rejected_aare_is_rejected_by_gurux(diagnostic: int, name: str) -> None:
    aare = Aare(AssociationResult.REJECTED_PERMANENT, diagnostic)
    with pytest.raises(GXDLMSException) as err:
        _client(Authentication.LOW).parseAareResponse(GXByteBuffer(encode_apdu(aare)))
    assert int(err.value.result) == 1 and int(err.value.diagnostic) == diagnostic
    assert name in str(err.value).upper().replace(" ", "_")


def _gurux_encode_xml(xml: str) -> bytes:
    buff = GXDLMSTranslator(TranslatorOutputType.SIMPLE_XML).xmlToPdu(xml)
    return bytes(buff.array())[:buff.size]


GURUX_XML = {
    "get-response-blocks": (
        "<GetResponse><GetResponsewithDataBlock><InvokeIdAndPriority Value='C1' /><Result>"
        "<LastBlock Value='01' /><BlockNumber Value='00000002' /><Result>"
        "<RawData Value='0102' /></Result></Result></GetResponsewithDataBlock></GetResponse>",
        GetResponseWithDatablock(True, 2, b"\x01\x02")),
    "set-response": (
        "<SetResponse><SetResponseNormal><InvokeIdAndPriority Value='C1' />"
        "<Result Value='ReadWriteDenied' /></SetResponseNormal></SetResponse>",
        SetResponseNormal(DataAccessResult.READ_WRITE_DENIED)),
    "set-with-datablock": (
        "<SetRequest><SetRequestWithDataBlock><InvokeIdAndPriority Value='C1' /><DataBlock>"
        "<LastBlock Value='01' /><BlockNumber Value='00000002' /><RawData Value='0102' />"
        "</DataBlock></SetRequestWithDataBlock></SetRequest>",
        SetRequestWithDatablock(True, 2, b"\x01\x02")),
    "action-response": (
        "<ActionResponse><ActionResponseNormal><InvokeIdAndPriority Value='C1' />"
        "<Result Value='Success' /><ReturnParameters><Data><OctetString Value='0102' />"
        "</Data></ReturnParameters></ActionResponseNormal></ActionResponse>",
        ActionResponseNormal(ActionResult.SUCCESS, Data.octets(b"\x01\x02"))),
    "exception-response": (
        "<ExceptionResponse><StateError Value='ServiceNotAllowed' />"
        "<ServiceError Value='ServiceNotSupported' /></ExceptionResponse>",
        ExceptionResponse(1, 2)),
}


@pytest.mark.parametrize("case", GURUX_XML)
def test_gurux_encoded_apdus_decode_in_ours(case: str) -> None:
    xml, expected = GURUX_XML[case]
    raw = _gurux_encode_xml(xml)
    assert decode_apdu(raw) == expected
    assert encode_apdu(expected) == raw


def test_gurux_encoded_profile_buffer_in_blocks_decodes_in_ours() -> None:
    """Gurux encodes the rows (via its XML translator), we split them into blocks as a meter
    would, gurux encodes each block APDU, and our collector rebuilds the same rows."""
    rows_xml = "".join(
        f"<Structure Qty='03'><OctetString Value='{MIDNIGHT.encode().hex()}' />"
        f"<UInt32 Value='{1000 + i:08X}' /><Int16 Value='{-i & 0xFFFF:04X}' /></Structure>"
        for i in range(20))
    whole = _gurux_encode_xml(
        "<GetResponse><GetResponseNormal><InvokeIdAndPriority Value='C1' /><Result><Data>"
        f"<Array Qty='14'>{rows_xml}</Array></Data></Result></GetResponseNormal></GetResponse>")
    expected = Data.array([Data.struct(Data.octets(MIDNIGHT.encode()), Data.u32(1000 + i),
                                       Data.i16(-i)) for i in range(20)])
    assert decode_apdu(whole) == GetResponseNormal(expected)
    raw = whole[4:]
    parts = [raw[i:i + 64] for i in range(0, len(raw), 64)]
    collector = BlockCollector()
    for n, part in enumerate(parts, start=1):
        block = _gurux_encode_xml(
            "<GetResponse><GetResponsewithDataBlock><InvokeIdAndPriority Value='C1' /><Result>"
            f"<LastBlock Value='{int(n == len(parts)):02X}' /><BlockNumber Value='{n:08X}' />"
            f"<Result><RawData Value='{part.hex()}' /></Result></Result>"
            "</GetResponsewithDataBlock></GetResponse>")
        collector.feed(decode_apdu(block))
    assert collector.done and collector.result() == expected
