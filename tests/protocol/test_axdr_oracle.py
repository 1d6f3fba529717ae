"""Cross-checks of the A-XDR codec against gurux-dlms and dlms-cosem (test oracles only).

Both directions: bytes we encode decode to the same values in theirs, and bytes they encode
decode to the same values in ours. Both libraries read deviation -60 as UTC+01:00, as we do.
"""

from __future__ import annotations

import datetime as dt

import pytest
from dlms_cosem import dlms_data as dc
from gurux_dlms import (
    GXArray,
    GXByteBuffer,
    GXDateTime,
    GXDLMSClient,
    GXEnum,
    GXInt8,
    GXInt16,
    GXInt64,
    GXStructure,
    GXUInt8,
    GXUInt16,
    GXUInt32,
    GXUInt64,
)
from gurux_dlms.enums import DataType as GxType
from gurux_dlms.GXDLMSSettings import GXDLMSSettings
from gurux_dlms.internal._GXCommon import _GXCommon

from workbench.protocol.axdr import (
    ClockStatus,
    CosemDateTime,
    Data,
    DataType,
    decode_data_exact,
    encode_data,
)

pytestmark = pytest.mark.oracle

STAMP = CosemDateTime(2024, 3, 5, 14, 30, 15, 50, 2, -60, ClockStatus(0))
STAMP_DT = STAMP.to_datetime()

INTS = [
    Data.i8(-128), Data.i8(127), Data.u8(255), Data.i16(-32768), Data.u16(65535),
    Data.i32(-(2**31)), Data.u32(2**32 - 1), Data.i64(-(2**63)), Data.u64(2**64 - 1),
    Data.enum(200), Data.u32(0),
]
NESTED = Data.struct(
    Data.octets(bytes.fromhex("0100010800FF")), Data.text("Microstar"),
    Data.array([Data.struct(Data.u16(i), Data.boolean(i % 2 == 0)) for i in range(3)]),
    Data.struct(), Data.array([]),
)
FLOATS = [Data.float32(1.5), Data.float64(-2.5)]  # dlms-cosem 25.1 cannot decode floats


def _gurux_decode(raw: bytes) -> object:
    return _plain(GXDLMSClient.getValue(GXByteBuffer(raw), False))


def _plain(value: object) -> object:
    """Gurux values as plain Python: lists, ints, bytes, datetimes."""
    if isinstance(value, list):
        return [_plain(v) for v in value]
    if isinstance(value, GXDateTime):
        return value.value
    if isinstance(value, bytearray):
        return bytes(value)
    if isinstance(value, bool):
        return value
    if isinstance(value, int):
        return int(value)
    return value


def _ours(value: Data) -> object:
    plain = value.to_python()
    return STAMP_DT if isinstance(plain, CosemDateTime) else plain


@pytest.mark.parametrize("value", [*INTS, *FLOATS, NESTED, Data.datetime(STAMP)],
                         ids=lambda d: d.type.label)
def test_ours_decode_identically_in_gurux(value: Data) -> None:
    assert _gurux_decode(encode_data(value)) == _ours(value)


@pytest.mark.parametrize("value", [*INTS, NESTED], ids=lambda d: d.type.label)
def test_ours_decode_identically_in_dlms_cosem(value: Data) -> None:
    (parsed,) = dc.DlmsDataParser().parse(encode_data(value))
    assert parsed.to_python() == value.to_python()


def test_our_datetime_in_dlms_cosem() -> None:
    (parsed,) = dc.DlmsDataParser().parse(encode_data(Data.datetime(STAMP)))
    when, status = parsed.to_python()
    assert when == STAMP_DT and not status.daylight_saving_active


def _gurux_encode(gx_type: GxType, value: object) -> bytes:
    buff = GXByteBuffer()
    _GXCommon.setData(GXDLMSSettings(False, None), buff, gx_type, value)
    return bytes(buff.array())


def _gx_structure(*items: object) -> GXStructure:
    structure = GXStructure()
    structure.extend(items)
    return structure


def test_gurux_encoded_values_decode_in_ours() -> None:
    array = GXArray()
    array.extend([GXUInt16(1), GXUInt16(2)])
    raw = _gurux_encode(GxType.STRUCTURE, _gx_structure(
        GXInt8(-1), GXUInt8(200), GXInt16(-300), GXUInt16(60000), -70000, GXUInt32(2**32 - 1),
        GXInt64(-(2**40)), GXUInt64(2**64 - 1), GXEnum(3), True, b"\x01\x02", "abc", array))
    assert decode_data_exact(raw) == Data.struct(
        Data.i8(-1), Data.u8(200), Data.i16(-300), Data.u16(60000), Data.i32(-70000),
        Data.u32(2**32 - 1), Data.i64(-(2**40)), Data.u64(2**64 - 1), Data.enum(3),
        Data.boolean(True), Data.octets(b"\x01\x02"), Data.text("abc"),
        Data.array([Data.u16(1), Data.u16(2)]))


def test_gurux_encoded_datetime_decodes_in_ours() -> None:
    aware = dt.datetime(2024, 3, 5, 14, 30, 15, tzinfo=dt.timezone(dt.timedelta(hours=1)))
    value = decode_data_exact(_gurux_encode(GxType.DATETIME, GXDateTime(aware))).value
    assert isinstance(value, CosemDateTime)
    assert value.deviation == -60 and value.to_datetime() == aware


def test_dlms_cosem_encoded_values_decode_in_ours() -> None:
    raw = dc.DataStructure([
        dc.DoubleLongUnsignedData(123456), dc.IntegerData(-5), dc.LongData(-1000),
        dc.UnsignedIntegerData(7), dc.UnsignedLongData(65535), dc.Long64Data(-(2**50)),
        dc.UnsignedLong64Data(2**63), dc.EnumData(9), dc.OctetStringData(b"\xff" * 12),
        dc.VisibleStringData("meter"), dc.DataArray([dc.DoubleLongData(-1)]),
    ]).to_bytes()
    value = decode_data_exact(raw)
    assert value == Data.struct(
        Data.u32(123456), Data.i8(-5), Data.i16(-1000), Data.u8(7), Data.u16(65535),
        Data.i64(-(2**50)), Data.u64(2**63), Data.enum(9), Data.octets(b"\xff" * 12),
        Data.text("meter"), Data.array([Data.i32(-1)]))
    assert value.value[8].type == DataType.OCTET_STRING
