"""apdu: dispatch, round trips of every APDU type, dissection spans, robustness against any
bytes, and GET block reassembly."""

from __future__ import annotations

import datetime as dt

import pytest
from hypothesis import given
from hypothesis import strategies as st

from workbench.protocol.apdu import (
    Aare,
    Aarq,
    ActionOutcome,
    ActionRequestNext,
    ActionRequestNormal,
    ActionRequestWithFirstPblock,
    ActionRequestWithList,
    ActionRequestWithListAndFirstPblock,
    ActionRequestWithPblock,
    ActionResponseNext,
    ActionResponseNormal,
    ActionResponseWithList,
    ActionResponseWithPblock,
    ActionResult,
    AssociationResult,
    AttributeDescriptor,
    BlockCollector,
    ConfirmedServiceError,
    Conformance,
    DataAccessResult,
    ExceptionResponse,
    GetRequestNext,
    GetRequestNormal,
    GetRequestWithList,
    GetResponseNormal,
    GetResponseWithDatablock,
    GetResponseWithList,
    InitiateRequest,
    InitiateResponse,
    InvokeIdAndPriority,
    Mechanism,
    MethodDescriptor,
    Rlre,
    Rlrq,
    SetRequestNormal,
    SetRequestWithDatablock,
    SetRequestWithFirstDatablock,
    SetRequestWithList,
    SetRequestWithListAndFirstDatablock,
    SetResponseDatablock,
    SetResponseLastDatablock,
    SetResponseLastDatablockWithList,
    SetResponseNormal,
    SetResponseWithList,
    decode_apdu,
    encode_apdu,
    entry_access,
    range_access,
    reassemble,
)
from workbench.protocol.axdr import Data, encode_data
from workbench.protocol.errors import DecodeError, EncodeError, LocalProtocolError, ProtocolError
from workbench.protocol.fields import Recorder

CLOCK = AttributeDescriptor(8, "0-0:1.0.0.255", 2)
VOLTAGE = AttributeDescriptor(3, "1-1:32.7.0.255", 2)
PROFILE = AttributeDescriptor(7, "1-0:99.1.0.255", 2)
RESET = MethodDescriptor(70, "0-0:96.3.10.255", 1)
INV = InvokeIdAndPriority(5, True, False)
ROW = Data.struct(Data.octets(bytes(12)), Data.u32(1234), Data.i16(-5))

SAMPLES = [
    Aarq(mechanism=Mechanism.LLS, password=b"2222222222"),
    Aare(AssociationResult.ACCEPTED, user_information=InitiateResponse(Conformance.GET, 128)),
    Rlrq(0), Rlre(0),
    InitiateRequest(), InitiateRequest(Conformance.GET, 512, dedicated_key=bytes(16),
                                       response_allowed=False, quality_of_service=3),
    InitiateResponse(Conformance(0x00501F), 0x01F4, quality_of_service=1),
    ConfirmedServiceError(1, 6, 2), ExceptionResponse(2, 3),
    GetRequestNormal(VOLTAGE), GetRequestNormal(PROFILE, entry_access(1, 24), INV),
    GetRequestNormal(PROFILE, range_access(dt.datetime(2024, 5, 1), dt.datetime(2024, 5, 2))),
    GetRequestNext(7, INV), GetRequestWithList((CLOCK, VOLTAGE)),
    GetRequestWithList((CLOCK, PROFILE), (None, entry_access(1, 2))),
    GetResponseNormal(Data.u16(2301)), GetResponseNormal(DataAccessResult.OBJECT_UNDEFINED),
    GetResponseWithDatablock(False, 1, b"\x01\x82\x01\x00"),
    GetResponseWithDatablock(True, 2, DataAccessResult.LONG_GET_ABORTED, INV),
    GetResponseWithList((Data.u16(1), DataAccessResult.READ_WRITE_DENIED, ROW)),
    SetRequestNormal(CLOCK, Data.octets(bytes(12))),
    SetRequestWithFirstDatablock(CLOCK, False, 1, b"\x09\x0c"),
    SetRequestWithDatablock(True, 2, bytes(12), INV),
    SetRequestWithList((CLOCK, VOLTAGE), (Data.octets(bytes(12)), Data.u16(1))),
    SetRequestWithListAndFirstDatablock((CLOCK,), False, 1, b"\x01"),
    SetResponseNormal(DataAccessResult.SUCCESS), SetResponseDatablock(1),
    SetResponseLastDatablock(DataAccessResult.TYPE_UNMATCHED, 3),
    SetResponseLastDatablockWithList((DataAccessResult.SUCCESS,), 2),
    SetResponseWithList((DataAccessResult.SUCCESS, DataAccessResult.HARDWARE_FAULT)),
    ActionRequestNormal(RESET), ActionRequestNormal(RESET, Data.i8(0), INV),
    ActionRequestWithList((RESET, RESET), (Data.null(), Data.u8(1))),
    ActionResponseNormal(ActionResult.SUCCESS),
    ActionResponseNormal(ActionResult.SUCCESS, Data.octets(b"\x01\x02")),
    ActionResponseNormal(ActionResult.OTHER_REASON, DataAccessResult.OTHER_REASON),
    ActionResponseWithList((ActionOutcome(ActionResult.SUCCESS),
                            ActionOutcome(ActionResult.TYPE_UNMATCHED, Data.u8(3)))),
    ActionRequestNext(2, INV), ActionRequestWithFirstPblock(RESET, False, 1, b"\x09\x82"),
    ActionRequestWithListAndFirstPblock((RESET, RESET), False, 1, b"\x00"),
    ActionRequestWithPblock(True, 2, bytes(5)),
    ActionResponseWithPblock(False, 1, b"\x01\x02"), ActionResponseNext(1, INV),
]
ENCODED = [encode_apdu(s) for s in SAMPLES]


@pytest.mark.parametrize("apdu", SAMPLES, ids=lambda a: type(a).__name__)
def test_round_trip(apdu: object) -> None:
    data = encode_apdu(apdu)
    assert decode_apdu(data) == apdu
    assert encode_apdu(decode_apdu(data)) == data


@pytest.mark.parametrize("data", ENCODED, ids=lambda d: d[:2].hex())
def test_dissection_covers_the_apdu_and_matches_plain_decode(data: bytes) -> None:
    rec = Recorder("APDU", base=100)
    assert decode_apdu(data, rec) == decode_apdu(data)
    apdu_node = rec.finish().children[0]
    assert (apdu_node.offset, apdu_node.length) == (100, len(data))
    for node in apdu_node.walk():
        assert node.offset >= 100 and node.end <= 100 + len(data), node.name
        assert node.error is None


def _tolerated(data: bytes, cut: int) -> bool:
    """An ACTION-Response cut right after its (last) result reads, with the warning of
    test_tolerant_reading.py; every other truncation is an error."""
    warnings: list[str] = []
    try:
        decode_apdu(data[:cut], warnings=warnings)
    except DecodeError:
        return False
    return data[0] == 0xC7 and len(warnings) == 1 and "presence byte is missing" in warnings[0]


@pytest.mark.parametrize("data", ENCODED, ids=lambda d: d[:2].hex())
def test_every_truncation_is_a_decode_error_with_offset(data: bytes) -> None:
    for cut in range(1, len(data)):
        if _tolerated(data, cut):
            continue
        with pytest.raises(DecodeError) as err:
            decode_apdu(data[:cut])
        assert err.value.offset is not None and err.value.offset <= cut


@pytest.mark.parametrize("data", ENCODED, ids=lambda d: d[:2].hex())
def test_trailing_bytes_are_rejected(data: bytes) -> None:
    with pytest.raises(DecodeError) as err:
        decode_apdu(data + b"\x00")
    assert err.value.offset == len(data)


@pytest.mark.parametrize(("data", "fragment"), [
    (b"", "empty APDU"),
    (b"\x42\x00", "unknown APDU tag at byte 0: got 0x42, expected"),
    (b"\xdb\x00", "general-glo-ciphering: ciphered-content length truncated"),
    (b"\xcc\x02\x30\x00", "ciphered content shorter than its security header"),
    (b"\xcc\x06\x30\x00\x00\x00\x01\xAA", "authentication tag truncated"),
    (b"\xc0\x09\xc1", "unknown service variant at byte 1: got 9"),
    (b"\xc3\x07\xc1", "unknown service variant"),
    (b"\xc3\x02\xc1", "block-number truncated"),
    (b"\xc4\x01\xc1\x05", "bad result choice at byte 3"),
    (b"\xc4\x02\xc1\x01\x00\x00\x00\x01\x07", "bad datablock result choice at byte 8"),
    (b"\xc0\x01\xc1\x00\x01\x00\x00\x60\x01\x00\xff\x02\x02", "bad presence flag"),
])
def test_bad_apdus_name_the_problem(data: bytes, fragment: str) -> None:
    with pytest.raises(DecodeError, match=fragment.replace("(", r"\(").replace(")", r"\)")):
        decode_apdu(data)


def test_encode_rejects_non_apdus_and_out_of_range_fields() -> None:
    with pytest.raises(EncodeError, match="str is not an APDU"):
        encode_apdu("hello")
    with pytest.raises(EncodeError, match="block number"):
        encode_apdu(GetRequestNext(2**32))


@given(st.binary(max_size=64),
       st.sampled_from([0x01, 0x08, 0x0E, 0x60, 0x61, 0xC0, 0xC1, 0xC3, 0xC4, 0xC5, 0xC7, 0xD8]),
       st.integers(0, 6))
def test_any_bytes_decode_or_raise_protocol_error(body: bytes, tag: int, choice: int) -> None:
    for data in (body, bytes([tag]) + body, bytes([tag, choice, 0xC1]) + body):
        _decodes_or_raises_protocol_error(data)


def _decodes_or_raises_protocol_error(data: bytes) -> None:
    """Decoding either fails with a ProtocolError, or gives an APDU that re-encodes into
    bytes decoding to the same APDU (only defaults such as response-allowed normalise)."""
    try:
        apdu = decode_apdu(data, Recorder("APDU"))
    except ProtocolError:
        return
    assert decode_apdu(encode_apdu(apdu)) == apdu


@given(st.sampled_from(ENCODED), st.integers(0, 200), st.integers(0, 255))
def test_one_corrupted_byte_decodes_or_raises_protocol_error(data: bytes, at: int,
                                                              value: int) -> None:
    corrupted = bytearray(data)
    corrupted[at % len(data)] = value
    _decodes_or_raises_protocol_error(bytes(corrupted))


def _blocks(value: Data, size: int) -> list[GetResponseWithDatablock]:
    raw = encode_data(value)
    parts = [raw[i:i + size] for i in range(0, len(raw), size)]
    return [GetResponseWithDatablock(n == len(parts), n, part)
            for n, part in enumerate(parts, start=1)]


def test_block_collector_asks_for_each_next_block_and_decodes_once() -> None:
    profile = Data.array([ROW] * 40)
    blocks = _blocks(profile, 100)
    collector = BlockCollector(INV)
    requests = [collector.feed(b) for b in blocks]
    assert requests[:-1] == [GetRequestNext(n, INV) for n in range(1, len(blocks))]
    assert requests[-1] is None and collector.done
    assert collector.size == len(encode_data(profile))
    assert collector.result() == profile == reassemble(blocks)


def test_block_collector_records_the_joined_value() -> None:
    blocks = _blocks(Data.array([ROW] * 3), 7)
    rec = Recorder("value")
    collector = BlockCollector()
    for block in blocks:
        collector.feed(block)
    assert collector.result(rec) == Data.array([ROW] * 3)
    assert rec.finish().length == sum(len(b.raw) for b in blocks)


def test_block_collector_errors() -> None:
    blocks = _blocks(Data.array([ROW] * 10), 30)
    collector = BlockCollector()
    collector.feed(blocks[0])
    with pytest.raises(LocalProtocolError, match="not finished"):
        collector.result()
    with pytest.raises(DecodeError, match="out of sequence: got block 3, expected block 2"):
        collector.feed(blocks[2])
    aborted = BlockCollector()
    aborted.feed(blocks[0])
    assert aborted.feed(GetResponseWithDatablock(
        True, 2, DataAccessResult.LONG_GET_ABORTED)) is None
    assert aborted.result() == DataAccessResult.LONG_GET_ABORTED
    with pytest.raises(DecodeError, match="after the transfer ended"):
        aborted.feed(blocks[2])
    broken = [blocks[0], GetResponseWithDatablock(True, 2, blocks[1].raw[:3])]
    with pytest.raises(DecodeError):
        reassemble(broken)


@pytest.mark.parametrize("data", ENCODED, ids=lambda d: d[:2].hex())
def test_error_nodes_of_truncated_apdus_stay_inside_the_bytes(data: bytes) -> None:
    for cut in range(1, len(data)):
        if _tolerated(data, cut):
            continue
        rec = Recorder("APDU")
        with pytest.raises(DecodeError) as err:
            decode_apdu(data[:cut], rec)
        tree = rec.fail(err.value)
        assert tree.errors() and all(n.end <= cut for n in tree.walk())
