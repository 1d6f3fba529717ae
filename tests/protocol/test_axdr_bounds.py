"""Input that decides a size never decides our cost: compact arrays stay linear, counts are
checked against the bytes left, block transfers are capped and strictly numbered."""

from __future__ import annotations

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from workbench.protocol.apdu import (
    DEFAULT_MAX_TRANSFER,
    BlockAssembler,
    BlockCollector,
    BlockTransferError,
    DataAccessResult,
    GetResponseWithDatablock,
    GetResponseWithList,
    decode_apdu,
    encode_apdu,
    encode_get_result,
)
from workbench.protocol.axdr import (
    Data,
    DataType,
    TypeDesc,
    decode_data,
    decode_length,
    encode_data,
    format_data,
)
from workbench.protocol.axdr.compact import _compact_elements
from workbench.protocol.errors import DecodeError, EncodeError

T = DataType


def _nulls_then_unsigned(nulls: int, elements: int) -> bytes:
    """The issue's reproduction: compact-array of struct{null × nulls, unsigned}."""
    def length(n: int) -> bytes:
        return bytes([n]) if n < 0x80 else b"\x82" + n.to_bytes(2, "big")
    desc = b"\x02" + length(nulls + 1) + b"\x00" * nulls + b"\x11"
    return b"\x13" + desc + length(elements) + b"\x01" * elements


@pytest.mark.parametrize("nulls, elements", [(1000, 1000), (16000, 16000), (30000, 2000)])
def test_amplifying_compact_array_is_one_decode_error(nulls: int, elements: int) -> None:
    with pytest.raises(DecodeError, match=f"makes {nulls + 2} values of each 1-byte element, "
                                          "more than 16 per byte"):
        decode_data(_nulls_then_unsigned(nulls, elements))


def test_compact_array_with_a_few_nulls_still_decodes_and_formats() -> None:
    value, end = decode_data(_nulls_then_unsigned(2, 1000))
    assert end == len(_nulls_then_unsigned(2, 1000))
    assert len(value.value.values) == 1000
    assert value.value.values[0] == Data.struct(Data.null(), Data.null(), Data.u8(1))
    assert format_data(value, max_items=2).endswith("… (+998 more)]")


def test_encoder_refuses_what_the_decoder_refuses() -> None:
    desc = TypeDesc(T.STRUCTURE, (TypeDesc(T.NULL_DATA),) * 20 + (TypeDesc(T.UNSIGNED),))
    row = Data.struct(*[Data.null()] * 20, Data.u8(1))
    with pytest.raises(EncodeError, match="more than 16 values per byte"):
        encode_data(Data.compact(desc, [row]))


_FIXED = st.sampled_from([T.UNSIGNED, T.LONG, T.DOUBLE_LONG_UNSIGNED, T.FLOAT64, T.BOOLEAN,
                          T.NULL_DATA, T.ENUM])
_VALUES = {T.UNSIGNED: st.integers(0, 255).map(Data.u8), T.LONG: st.integers(-5, 5).map(Data.i16),
           T.DOUBLE_LONG_UNSIGNED: st.integers(0, 2**32 - 1).map(Data.u32),
           T.FLOAT64: st.floats(allow_nan=False).map(Data.float64),
           T.BOOLEAN: st.booleans().map(Data.boolean), T.NULL_DATA: st.just(Data.null()),
           T.ENUM: st.integers(0, 255).map(Data.enum)}


@st.composite
def _fixed_compact(draw: st.DrawFn) -> Data:
    columns = draw(st.lists(_FIXED, min_size=1, max_size=5).filter(
        lambda c: any(t != T.NULL_DATA for t in c)))
    flat = draw(st.booleans()) and len(columns) == 1
    desc = TypeDesc(columns[0]) if flat else TypeDesc(T.STRUCTURE, tuple(map(TypeDesc, columns)))
    rows = []
    for _ in range(draw(st.integers(0, 12))):
        cells = [draw(_VALUES[t]) for t in columns]
        rows.append(cells[0] if flat else Data.struct(*cells))
    return Data.compact(desc, rows)


@settings(max_examples=200, deadline=None)
@given(_fixed_compact())
def test_bulk_compact_path_decodes_like_the_element_path(value: Data) -> None:
    raw = encode_data(value)
    assert decode_data(raw) == (value, len(raw))
    length_at = len(encode_data(Data.compact(value.value.description, []))) - 1
    _, start = decode_length(raw, length_at)
    assert tuple(_compact_elements(raw, start, len(raw), value.value.description)) == \
        value.value.values


def test_with_list_count_larger_than_the_apdu_is_refused_before_decoding() -> None:
    raw = encode_apdu(GetResponseWithList((Data.u8(1),)))
    hostile = raw[:3] + b"\x84\x7f\xff\xff\xff" + raw[4:]
    with pytest.raises(DecodeError, match="result count 2147483647 cannot fit"):
        decode_apdu(hostile)


def _block(n: int, raw: bytes, last: bool = False) -> GetResponseWithDatablock:
    return GetResponseWithDatablock(last, n, raw)


def test_block_numbers_must_rise_by_exactly_one() -> None:
    collector = BlockCollector()
    collector.feed(_block(1, b"\x01"))
    for wrong in (1, 3, 0):
        with pytest.raises(BlockTransferError, match=f"out of sequence: got block {wrong}, "
                                                     "expected block 2"):
            collector.feed(_block(wrong, b"\x02"))


def test_block_transfer_is_capped_and_the_cap_is_adjustable() -> None:
    assert DEFAULT_MAX_TRANSFER == 16 * 1024 * 1024
    collector = BlockCollector(max_size=1000)
    n = 0
    with pytest.raises(BlockTransferError, match="larger than the 1000-byte limit: got 1100 "
                                                 "bytes by block 11"):
        for n in range(1, 10_000):
            collector.feed(_block(n, b"\xAA" * 100))
    assert n == 11 and collector.size == 1000


def test_empty_blocks_that_never_end_are_refused() -> None:
    blocks = BlockAssembler("SET-Request-with-datablock", first=1)
    with pytest.raises(BlockTransferError, match="empty data block that is not the last"):
        blocks.add(1, b"", False)
    with pytest.raises(BlockTransferError, match="got block 2, expected block 1"):
        blocks.add(2, b"\x00", False)
    blocks.add(1, b"", True)
    assert blocks.done and blocks.joined() == b""


def test_get_with_list_answered_in_datablocks_is_reassembled() -> None:
    results = (Data.u32(7), DataAccessResult.OBJECT_UNDEFINED, Data.text("abc"))
    raw = b"\x03" + b"".join(encode_get_result(r) for r in results)
    collector = BlockCollector()
    for n, i in enumerate(range(0, len(raw), 4), start=1):
        collector.feed(_block(n, raw[i:i + 4], last=i + 4 >= len(raw)))
    assert collector.results(3) == results
    with pytest.raises(DecodeError, match="wrong number of results at byte 0: got 3"):
        collector.results(2)
