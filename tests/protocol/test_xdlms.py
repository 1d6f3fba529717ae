"""xDLMS: conformance, invoke byte, descriptors, selective access, result codes, and the
vendor notes' GET fragment."""

from __future__ import annotations

import datetime as dt

import pytest
from hypothesis import given
from hypothesis import strategies as st

from workbench.protocol.apdu import (
    ActionRequestNormal,
    ActionResponseNormal,
    ActionResult,
    AttributeDescriptor,
    ConfirmedServiceError,
    Conformance,
    DataAccessResult,
    ExceptionResponse,
    GetRequestNext,
    GetRequestNormal,
    GetResponseNormal,
    GetResponseWithDatablock,
    GetResponseWithList,
    InitiateRequest,
    InvokeIdAndPriority,
    MethodDescriptor,
    SelectiveAccess,
    SetRequestNormal,
    SetRequestWithList,
    SetResponseNormal,
    decode_apdu,
    encode_apdu,
    entry_access,
    names,
    range_access,
)
from workbench.protocol.axdr import CosemDateTime, Data, DataType
from workbench.protocol.cosem import Obis
from workbench.protocol.errors import DecodeError, EncodeError


def test_conformance_names_all_24_bits_in_wire_order() -> None:
    assert len(Conformance) == 24
    for bit, label in names.CONFORMANCE_BITS.items():
        flag = Conformance[label.upper().replace("-", "_")]
        assert int(flag).to_bytes(3, "big") == (1 << (23 - bit)).to_bytes(3, "big")
        assert flag.labels() == [label]


def test_conformance_block_on_the_wire() -> None:
    request = InitiateRequest(Conformance.GET | Conformance.SET | Conformance.ACTION
                              | Conformance.SELECTIVE_ACCESS, 0x0400)
    data = encode_apdu(request)
    assert data == bytes.fromhex("01 00 00 00 06 5F 1F 04 00 00 00 1D 04 00")
    assert decode_apdu(data).conformance.labels() == ["get", "set", "selective-access",
                                                      "action"]


def test_bad_conformance_header_is_named() -> None:
    with pytest.raises(DecodeError) as err:
        decode_apdu(bytes.fromhex("01 00 00 00 06 5F 1F 03 00 00 00 1D 04 00"))
    assert err.value.offset == 5 and "5F 1F 04 00" in str(err.value)


@pytest.mark.parametrize(("byte", "invoke"), [
    (0xC1, InvokeIdAndPriority(1, True, True)),
    (0x4F, InvokeIdAndPriority(15, True, False)),
    (0x80, InvokeIdAndPriority(0, False, True)),
])
def test_invoke_id_and_priority(byte: int, invoke: InvokeIdAndPriority) -> None:
    assert InvokeIdAndPriority.from_byte(byte) == invoke
    assert invoke.to_byte() == byte


def test_invoke_id_out_of_range() -> None:
    with pytest.raises(EncodeError, match="invoke id 16"):
        InvokeIdAndPriority(16)


def test_vendor_get_fragment_reads_class_1_not_register() -> None:
    """``C0 01 C1 00 01 01 01 20 07 00 FF 02 00``: GET-Request-normal, invoke 0xC1,
    class id 0x0001 (Data) for 1-1:32.7.0.255 attribute 2, no selection. Voltage is a
    Register (class 3) in the same notes; a meter answers class 1 with object-undefined or
    object-class-inconsistent, so the class id must come from the object list."""
    req = decode_apdu(bytes.fromhex("C0 01 C1 00 01 01 01 20 07 00 FF 02 00"))
    assert req == GetRequestNormal(AttributeDescriptor(1, Obis.parse("1-1:32.7.0.255"), 2))
    assert encode_apdu(GetRequestNormal(AttributeDescriptor(3, "1-1:32.7.0", 2))) == \
        bytes.fromhex("C0 01 C1 00 03 01 01 20 07 00 FF 02 00")


def test_vendor_get_fragment_as_printed_in_the_notes_is_one_byte_short() -> None:
    """The notes print ``C0 01 C1 00 01 01 20 07 00 FF 02 00``: the OBIS lost its B byte,
    so the descriptor swallows the attribute id and the access-selection flag is missing."""
    with pytest.raises(DecodeError) as err:
        decode_apdu(bytes.fromhex("C0 01 C1 00 01 01 20 07 00 FF 02 00"))
    assert err.value.offset == 12
    assert "access-selection" in str(err.value) and "truncated" in str(err.value)


def test_descriptor_accepts_obis_text_and_validates() -> None:
    assert AttributeDescriptor(8, "0-0:1.0.0.255", 2).obis == Obis(0, 0, 1, 0, 0)
    assert str(MethodDescriptor(70, "0-0:96.3.10.255", 1)) == "class 70 0-0:96.3.10.255 method 1"
    with pytest.raises(EncodeError, match="class id"):
        AttributeDescriptor(70000, "0-0:1.0.0.255", 2)
    with pytest.raises(EncodeError, match="attribute id"):
        AttributeDescriptor(1, "0-0:1.0.0.255", 200)


def test_entry_access_parameters() -> None:
    access = entry_access(1, 10)
    assert access.selector == 2
    assert access.parameters == Data.struct(Data.u32(1), Data.u32(10), Data.u16(1), Data.u16(0))


def test_range_access_restricts_on_the_clock_time() -> None:
    start = CosemDateTime.from_datetime(dt.datetime(2024, 1, 1), deviation=None)
    access = range_access(start, dt.datetime(2024, 1, 2), columns=((3, "1-1:32.7.0", 2),))
    restricting, frm, to, selected = access.parameters.value
    assert access.selector == 1
    assert restricting == Data.struct(Data.u16(8), Data.octets(bytes.fromhex("0000010000FF")),
                                      Data.i8(2), Data.u16(0))
    assert frm == Data.octets(start.encode()) and to.type == DataType.OCTET_STRING
    assert len(to.value) == 12
    assert selected.value[0].value[1] == Data.octets(bytes.fromhex("0101200700FF"))


def test_data_access_result_advice() -> None:
    text = DataAccessResult.OBJECT_UNDEFINED.describe()
    assert text.startswith("object-undefined: the meter has no such object with this class id")
    assert "read the object list" in text
    assert "password" in DataAccessResult.READ_WRITE_DENIED.describe()
    assert ActionResult.LONG_ACTION_ABORTED.label == "long-action-aborted"


def test_unknown_result_codes_decode_to_named_pseudo_members() -> None:
    resp = decode_apdu(bytes.fromhex("C4 01 C1 01 4D"))
    assert resp == GetResponseNormal(DataAccessResult(77))
    assert resp.result.label == "unknown (77)" and resp.result.name == "UNKNOWN_77"
    assert encode_apdu(resp) == bytes.fromhex("C4 01 C1 01 4D")


def test_exception_response_in_plain_language() -> None:
    exc = decode_apdu(bytes.fromhex("D8 01 02"))
    assert exc == ExceptionResponse(1, 2)
    assert exc.describe().startswith("the meter refused the request: service-not-allowed, "
                                     "service-not-supported")
    counter = ExceptionResponse(1, 6, 0x01020304)
    assert encode_apdu(counter) == bytes.fromhex("D8 01 06 01 02 03 04")
    assert decode_apdu(encode_apdu(counter)) == counter


def test_confirmed_service_error_in_plain_language() -> None:
    err = decode_apdu(bytes.fromhex("0E 01 06 01"))
    assert err == ConfirmedServiceError(1, 6, 1)
    assert err.describe() == ("initiateError: initiate / dlms-version-too-low — the meter "
                              "needs a newer DLMS version than proposed (use 6)")


def test_with_list_counts_must_match() -> None:
    desc = AttributeDescriptor(1, "0-0:96.1.0.255", 2)
    with pytest.raises(EncodeError, match="2 values for 1 descriptors"):
        SetRequestWithList((desc,), (Data.u8(1), Data.u8(2)))
    data = bytes.fromhex("C1 04 C1 01 00 01 00 00 60 01 00 FF 02 00 02 11 01 11 02")
    with pytest.raises(DecodeError, match="value count differs"):
        decode_apdu(data)


_leaves = st.one_of(
    st.integers(0, 255).map(Data.u8), st.integers(0, 0xFFFF).map(Data.u16),
    st.integers(-(2**31), 2**31 - 1).map(Data.i32), st.binary(max_size=20).map(Data.octets),
    st.builds(Data.null), st.booleans().map(Data.boolean))
_data = st.recursive(_leaves, lambda inner: st.one_of(
    st.lists(inner, max_size=4).map(lambda items: Data.struct(*items)),
    st.lists(inner, max_size=4).map(Data.array)), max_leaves=12)
_obis = st.tuples(*[st.integers(0, 255)] * 6).map(lambda g: Obis(*g))
_attr = st.builds(AttributeDescriptor, st.integers(0, 0xFFFF), _obis, st.integers(-128, 127))
_method = st.builds(MethodDescriptor, st.integers(0, 0xFFFF), _obis, st.integers(-128, 127))
_invoke = st.builds(InvokeIdAndPriority, st.integers(0, 15), st.booleans(), st.booleans())
_access = st.none() | st.builds(SelectiveAccess, st.integers(0, 255), _data)
_dar = st.sampled_from(DataAccessResult)
_apdus = st.one_of(
    st.builds(GetRequestNormal, _attr, _access, _invoke),
    st.builds(GetRequestNext, st.integers(0, 2**32 - 1), _invoke),
    st.builds(GetResponseNormal, _data | _dar, _invoke),
    st.builds(GetResponseWithDatablock, st.booleans(), st.integers(0, 2**32 - 1),
              st.binary(max_size=300) | _dar, _invoke),
    st.lists(_data | _dar, max_size=4).map(lambda r: GetResponseWithList(tuple(r))),
    st.builds(SetRequestNormal, _attr, _data, _access, _invoke),
    st.lists(st.tuples(_attr, _data), max_size=4).map(lambda pairs: SetRequestWithList(
        tuple(p[0] for p in pairs), tuple(p[1] for p in pairs))),
    st.builds(SetResponseNormal, _dar, _invoke),
    st.builds(ActionRequestNormal, _method, st.none() | _data, _invoke),
    st.builds(ActionResponseNormal, st.sampled_from(ActionResult), st.none() | _data | _dar,
              _invoke),
)


@given(_apdus)
def test_xdlms_round_trip(apdu: object) -> None:
    data = encode_apdu(apdu)
    assert decode_apdu(data) == apdu
    assert encode_apdu(decode_apdu(data)) == data
