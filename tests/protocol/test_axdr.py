"""A-XDR Data codec: standard vectors, round trips, spans, hostile input, range checks."""

from __future__ import annotations

import math

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from workbench.protocol.axdr import (
    MAX_DEPTH,
    BitString,
    CosemDate,
    CosemDateTime,
    CosemTime,
    Data,
    DataType,
    TypeDesc,
    as_date,
    as_datetime,
    as_time,
    decode_data,
    decode_data_exact,
    decode_length,
    encode_data,
    encode_length,
    format_data,
)
from workbench.protocol.errors import DecodeError, EncodeError, ProtocolError
from workbench.protocol.fields import Recorder

T = DataType


def _ints(t: DataType, bits: int, signed: bool) -> st.SearchStrategy[Data]:
    lo, hi = (-(1 << bits - 1), (1 << bits - 1) - 1) if signed else (0, (1 << bits) - 1)
    edges = st.sampled_from([lo, hi, 0, min(hi, 1), max(lo, -1)])
    return st.builds(Data, st.just(t), edges | st.integers(lo, hi))


_datetimes = st.builds(
    CosemDateTime, st.none() | st.integers(0, 0xFFFE), st.none() | st.integers(1, 12),
    st.none() | st.integers(1, 31), st.none() | st.integers(0, 23),
    st.none() | st.integers(0, 59), st.none() | st.integers(0, 59),
    st.none() | st.integers(0, 99), st.none() | st.integers(1, 7),
    st.none() | st.integers(-720, 720), st.none() | st.integers(0, 0xFE))

LEAVES = st.one_of(
    st.just(Data.null()), st.just(Data(T.DONT_CARE, None)), st.booleans().map(Data.boolean),
    _ints(T.INTEGER, 8, True), _ints(T.LONG, 16, True), _ints(T.DOUBLE_LONG, 32, True),
    _ints(T.LONG64, 64, True), _ints(T.UNSIGNED, 8, False), _ints(T.LONG_UNSIGNED, 16, False),
    _ints(T.DOUBLE_LONG_UNSIGNED, 32, False), _ints(T.LONG64_UNSIGNED, 64, False),
    _ints(T.ENUM, 8, False), _ints(T.BCD, 8, False),
    st.floats(width=32, allow_nan=False).map(Data.float32),
    st.floats(allow_nan=False).map(Data.float64),
    st.binary(max_size=300).map(Data.octets),
    st.text(st.characters(max_codepoint=0xFF), max_size=20).map(Data.text),
    st.text(max_size=20).map(Data.utf8),
    st.text("01", max_size=40).map(Data.bits),
    _datetimes.map(Data.datetime),
    st.builds(CosemDate, st.none() | st.integers(0, 0xFFFE), st.none() | st.integers(1, 12),
              st.none() | st.integers(1, 31), st.none() | st.integers(1, 7)).map(Data.date),
    st.builds(CosemTime, st.none() | st.integers(0, 23), st.none() | st.integers(0, 59),
              st.none() | st.integers(0, 59), st.none() | st.integers(0, 99)).map(Data.time),
)


def data_values() -> st.SearchStrategy[Data]:
    """Arbitrary nested Data: leaves of every type inside arrays and structures."""
    return st.recursive(LEAVES, lambda children: st.one_of(
        st.lists(children, max_size=6).map(Data.array),
        st.lists(children, max_size=6).map(lambda items: Data.struct(*items)),
    ), max_leaves=40)


@st.composite
def profile_rows(draw: st.DrawFn) -> list[Data]:
    """Arrays whose elements share one layout (the bulk path), sometimes with an odd one."""
    fixed = {T.DOUBLE_LONG_UNSIGNED: _ints(T.DOUBLE_LONG_UNSIGNED, 32, False),
             T.LONG: _ints(T.LONG, 16, True), T.LONG64: _ints(T.LONG64, 64, True),
             T.BOOLEAN: st.booleans().map(Data.boolean),
             T.FLOAT64: st.floats(allow_nan=False).map(Data.float64),
             T.DATE_TIME: _datetimes.map(Data.datetime)}
    size = draw(st.integers(0, 14))
    columns = draw(st.lists(st.sampled_from([T.DOUBLE_LONG_UNSIGNED, T.LONG, T.LONG64,
                                             T.BOOLEAN, T.FLOAT64, T.DATE_TIME,
                                             T.OCTET_STRING, T.VISIBLE_STRING]),
                            min_size=1, max_size=6))
    rows = []
    for _ in range(draw(st.integers(8, 40))):
        cells = []
        for t in columns:
            if t == T.OCTET_STRING:
                cells.append(Data.octets(draw(st.binary(min_size=size, max_size=size))))
            elif t == T.VISIBLE_STRING:
                cells.append(Data.text(draw(st.text("abc", min_size=size, max_size=size))))
            else:
                cells.append(draw(fixed[t]))
        rows.append(Data.struct(*cells) if len(cells) > 1 or draw(st.booleans()) else cells[0])
    if draw(st.booleans()):
        rows[draw(st.integers(0, len(rows) - 1))] = draw(LEAVES)
    return rows

VECTORS = [
    ("06 0000002A", Data.u32(42)),
    ("05 FFFFFFFF", Data.i32(-1)),
    ("00", Data.null()),
    ("FF", Data(T.DONT_CARE, None)),
    ("03 01", Data.boolean(True)),
    ("0F 80", Data.i8(-128)),
    ("10 8000", Data.i16(-32768)),
    ("11 FF", Data.u8(255)),
    ("12 FFFF", Data.u16(65535)),
    ("14 8000000000000000", Data.i64(-(2**63))),
    ("15 FFFFFFFFFFFFFFFF", Data.u64(2**64 - 1)),
    ("16 03", Data.enum(3)),
    ("0D 12", Data.bcd(0x12)),
    ("17 3F800000", Data.float32(1.0)),
    ("18 C004000000000000", Data.float64(-2.5)),
    ("09 06 0100010800FF", Data.octets(bytes.fromhex("0100010800FF"))),
    ("0A 03 616263", Data.text("abc")),
    ("0C 02 C3A9", Data.utf8("é")),
    ("04 03 A0", Data.bits("101")),
    ("04 00", Data.bits("")),
    ("01 00", Data.array([])),
    ("02 02 1100 0A00", Data.struct(Data.u8(0), Data.text(""))),
    ("19 07E80101 01 000F0000 FFC4 00",
     Data.datetime(CosemDateTime(2024, 1, 1, 0, 15, 0, 0, 1, -60, 0))),
    ("1A 07E80C19FF", Data.date(CosemDate(2024, 12, 25))),
    ("1B 0C00FFFF", Data.time(CosemTime(12, 0))),
    # compact-array of structure{long-unsigned, octet-string}: 2 rows
    ("13 02 02 12 09 08 0001 02AABB 0002 00",
     Data.compact(TypeDesc(T.STRUCTURE, (TypeDesc(T.LONG_UNSIGNED), TypeDesc(T.OCTET_STRING))),
                  [Data.struct(Data.u16(1), Data.octets(b"\xaa\xbb")),
                   Data.struct(Data.u16(2), Data.octets(b""))])),
    ("13 01 0002 11 04 01020304",
     Data.compact(TypeDesc(T.ARRAY, (TypeDesc(T.UNSIGNED),), 2),
                  [Data.array([Data.u8(1), Data.u8(2)]), Data.array([Data.u8(3), Data.u8(4)])])),
]


@pytest.mark.parametrize("hex_text, value", VECTORS, ids=[v[1].type.label for v in VECTORS])
def test_standard_vectors(hex_text: str, value: Data) -> None:
    raw = bytes.fromhex(hex_text)
    assert encode_data(value) == raw
    assert decode_data_exact(raw) == value
    rec = Recorder("data")
    assert decode_data(raw, rec=rec) == (value, len(raw))
    assert rec.finish().children[0].length == len(raw)


@pytest.mark.parametrize("n, raw", [
    (0, "00"), (0x7F, "7F"), (0x80, "8180"), (0xFF, "81FF"), (0x100, "820100"),
    (0xFFFF, "82FFFF"), (0x10000, "83010000"), (0xFFFFFFFF, "84FFFFFFFF"),
])
def test_length_forms(n: int, raw: str) -> None:
    assert encode_length(n) == bytes.fromhex(raw)
    assert decode_length(bytes.fromhex(raw), 0) == (n, len(raw) // 2)


def test_long_octet_string_uses_long_length_form() -> None:
    raw = encode_data(Data.octets(bytes(300)))
    assert raw[:4] == bytes.fromhex("09 82 012C") and len(raw) == 304
    assert decode_data_exact(raw) == Data.octets(bytes(300))


@settings(max_examples=300, deadline=None)
@given(data_values())
def test_round_trip_any_data(value: Data) -> None:
    raw = encode_data(value)
    assert decode_data_exact(raw) == value
    rec = Recorder("data")
    assert decode_data(raw, rec=rec) == (value, len(raw))
    assert sum(1 for n in rec.finish().walk() if n.name.endswith(value.type.label)) >= 1


@settings(max_examples=100, deadline=None)
@given(profile_rows())
def test_bulk_array_path_matches_element_by_element(rows: list[Data]) -> None:
    raw = encode_data(Data.array(rows))
    fast, end = decode_data(raw)
    slow, _ = decode_data(raw, rec=Recorder("data"))  # never takes the bulk path
    assert fast == slow == Data.array(rows) and end == len(raw)


def test_bulk_path_falls_back_when_one_row_differs() -> None:
    row = Data.struct(Data.octets(bytes(12)), Data.u32(1), Data.u8(0))
    odd = Data.struct(Data.octets(bytes(12)), Data.null(), Data.u8(0))
    rows = [row] * 20 + [odd] + [row] * 5
    assert decode_data_exact(encode_data(Data.array(rows))) == Data.array(rows)


def test_bulk_path_reads_a_bad_tagged_datetime_as_invalid() -> None:
    good = Data.struct(Data.datetime(CosemDateTime(2024, 1, 1)), Data.u16(5))
    raw = bytearray(encode_data(Data.array([good] * 10)))
    row = 2 + 1 + 12 + 1 + 2  # structure header, tagged date-time, long-unsigned
    raw[2 + 6 * row + 5] = 13  # after the array header; month is 5 bytes into the row
    rows = decode_data_exact(bytes(raw)).value
    stamp = rows[6].value[0].value
    assert stamp.invalid == ("month",) and stamp.month is None
    assert str(stamp).startswith("invalid date-time (month 13): 2024-**-01")
    assert [r.value[0].value.invalid for r in rows].count(()) == 9
    assert encode_data(Data.array(rows)) == bytes(raw)  # sent back exactly as received


def test_truncated_element_error_names_position() -> None:
    raw = encode_data(Data.array([Data.u32(i) for i in range(5)]))[:-7]
    with pytest.raises(DecodeError) as info:
        decode_data(raw)
    assert info.value.offset == 18
    assert str(info.value) == ("array element 4 of 5, double-long-unsigned truncated at "
                               "bytes 18–19: got 2 bytes left, expected 4 bytes")


@pytest.mark.parametrize("hex_text, message", [
    ("", "data truncated"),
    ("07", "unknown data type tag at byte 0: got 0x07"),
    ("01 80", "uses 0 length bytes"),
    ("09 85 0000000001 00", "uses 5 length bytes"),
    ("01 84FFFFFFFF 00", "array of 4294967295 elements cannot fit in the 1 bytes left"),
    ("0C 02 C328", "utf8-string is not valid UTF-8 at byte 2"),
    ("04 09 FF", "bit-string truncated"),
    ("13 02 01 00 00", "compact-array elements of type {null-data} take no bytes"),
    ("13 01 FFFF 00 00", "takes no bytes"),
    ("13 13 00", "invalid type in compact-array description"),
    ("13 12 03 0001 02", "compact-array element 2, long-unsigned truncated"),
])
def test_bad_input_messages(hex_text: str, message: str) -> None:
    with pytest.raises(DecodeError, match=message.replace("{", r"\{").replace("}", r"\}")):
        decode_data(bytes.fromhex(hex_text))


def test_nesting_depth_guard() -> None:
    raw = b"\x02\x01" * (MAX_DEPTH + 10) + b"\x00"
    with pytest.raises(DecodeError, match="nested deeper than 64"):
        decode_data(raw)
    with pytest.raises(DecodeError, match="nested deeper than 64"):
        decode_data(raw, rec=Recorder("data"))
    deep = Data.null()
    for _ in range(MAX_DEPTH + 1):
        deep = Data.struct(deep)
    with pytest.raises(EncodeError, match="nested deeper"):
        encode_data(deep)


def test_trailing_bytes_rejected_by_exact() -> None:
    with pytest.raises(DecodeError, match="2 trailing bytes after the data at bytes 2–3"):
        decode_data_exact(bytes.fromhex("1101 0000"))
    assert decode_data(bytes.fromhex("0000 1107"), 2) == (Data.u8(7), 4)


@settings(max_examples=1000, deadline=None)
@given(st.binary(max_size=64))
def test_any_bytes_give_data_or_protocol_error(raw: bytes) -> None:
    for rec in (None, Recorder("data")):
        try:
            value, _ = decode_data(raw, rec=rec)
        except ProtocolError as exc:
            assert exc.offset is not None and exc.offset + exc.length <= len(raw)
            if rec is not None:
                assert all(n.end <= len(raw) for n in rec.fail(exc).walk())
            continue
        # Bytes may be non-canonical (long-form lengths, boolean 0x02, bit-string padding),
        # but what was decoded must survive a round trip (NaN never equals itself).
        assert decode_data_exact(encode_data(value)) == value or _has_nan(value)


def _has_nan(value: Data) -> bool:
    if isinstance(value.value, tuple):
        return any(_has_nan(v) for v in value.value)
    return isinstance(value.value, float) and math.isnan(value.value)


@given(st.binary(min_size=1, max_size=40), st.integers(0, 39))
def test_truncation_anywhere_is_a_decode_error(tail: bytes, cut: int) -> None:
    raw = encode_data(Data.struct(Data.octets(tail), Data.u64(7), Data.text("x")))
    cut = min(cut, len(raw) - 1)
    with pytest.raises(DecodeError):
        decode_data_exact(raw[:cut])


@pytest.mark.parametrize("value, message", [
    (Data.u8(256), "unsigned value 256 out of range 0..255"),
    (Data(T.DOUBLE_LONG_UNSIGNED, -1), "double-long-unsigned value -1 out of range"),
    (Data(T.LONG, 2**15), "long value 32768 out of range -32768..32767"),
    (Data(T.LONG64_UNSIGNED, 2**64), "out of range 0..18446744073709551615"),
    (Data(T.ENUM, "a"), "enum value 'a' is not an int"),
    (Data(T.UNSIGNED, True), "is not an int"),
    (Data(T.FLOAT32, 1e39), "too large for a float32"),
    (Data(T.VISIBLE_STRING, "€"), "visible-string value '€' has a character"),
    (Data(T.OCTET_STRING, "text"), "octet-string value 'text' is not bytes"),
    (Data(T.DATE_TIME, b"\x00" * 12), "is not a CosemDateTime"),
    (Data(7, 1), "unknown data type 7"),
    (Data(T.STRUCTURE, (1, 2)), "expected Data, got 1"),
    (Data(T.NULL_DATA, 0), "null-data value 0 must be None"),
])
def test_encode_range_checks(value: Data, message: str) -> None:
    with pytest.raises(EncodeError, match=message):
        encode_data(value)


def test_as_datetime_accepts_tagged_and_octet_string() -> None:
    stamp = CosemDateTime(2024, 3, 31, 2, 0, 0, 0, 7, -60, 0)
    assert as_datetime(Data.datetime(stamp)) == stamp
    assert as_datetime(Data.octets(stamp.encode())) == stamp
    assert as_date(Data.octets(stamp.date.encode())) == stamp.date
    assert as_time(Data.time(stamp.time)) == stamp.time
    with pytest.raises(DecodeError, match="expected a date-time or an octet-string of 12"):
        as_datetime(Data.octets(bytes(6)))
    with pytest.raises(DecodeError, match="month"):
        as_datetime(Data.octets(bytes.fromhex("07E81501FF000000FF800000")))


def test_recorded_nodes_and_spans() -> None:
    value = Data.struct(Data.u16(1), Data.array([Data.u32(7), Data.u32(8), Data.u32(9)]),
                        Data.octets(b"\x01\x02"))
    raw = encode_data(value)
    rec = Recorder("data", base=100)
    decode_data(raw, rec=rec)
    root = rec.finish().children[0]
    assert (root.name, root.value, root.offset, root.length) == ("structure", "3 elements",
                                                                 100, len(raw))
    array = root.children[3]
    assert [c.name for c in array.children] == ["tag", "count", "[0] double-long-unsigned",
                                                "[1] double-long-unsigned",
                                                "[2] double-long-unsigned"]
    third = array.children[4]
    assert (third.offset, third.length, third.value) == (100 + 5 + 2 + 10, 5, "9")
    octets = root.children[4]
    assert [(c.name, c.offset - 100, c.length) for c in octets.children] == [
        ("tag", 22, 1), ("length", 23, 1), ("value", 24, 2)]


def test_recorder_keeps_nodes_before_the_error() -> None:
    raw = encode_data(Data.array([Data.u16(1), Data.u16(2), Data.u16(3)]))[:-1]
    rec = Recorder("data")
    with pytest.raises(DecodeError) as info:
        decode_data(raw, rec=rec)
    root = rec.fail(info.value)
    names = [n.name for n in root.walk()]
    assert names[:6] == ["data", "array", "tag", "count", "[0] long-unsigned",
                         "[1] long-unsigned"]
    assert root.errors()[0].offset == 9


def test_format_data() -> None:
    stamp = CosemDateTime(2024, 1, 1, 0, 0, 0).encode()
    row = Data.struct(Data.octets(stamp), Data.u32(42), Data.text("ok"), Data.boolean(False),
                      Data.bits("1"))
    assert format_data(row) == ("{0x07E80101FF000000FF8000FF (2024-01-01 00:00:00), 42, 'ok', "
                                "false, '1'B}")
    assert format_data(Data.array([Data.u8(i) for i in range(10)]), max_items=3) == \
        "[0, 1, 2, … (+7 more)]"
    assert format_data(Data.null()) == "null-data"


def test_bitstring_value() -> None:
    bits = BitString.from_str("1000000001")
    assert (bits.data, bits.bits, str(bits)) == (b"\x80\x40", 10, "1000000001")
    with pytest.raises(ValueError):
        BitString(b"\x00", 9)


def test_to_python() -> None:
    value = Data.struct(Data.u8(1), Data.array([Data.text("a")]), Data.null())
    assert value.to_python() == [1, ["a"], None]
