"""The session's pure helpers: list batching, incremental row decoding, targets, object cache."""

from __future__ import annotations

import json

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from tests.session.conftest import PASSWORD, settings_for
from workbench.protocol.apdu import AttributeDescriptor, GetRequestWithList, encode_apdu
from workbench.protocol.axdr import Data, decode_data_exact, encode_data
from workbench.protocol.cosem import Obis
from workbench.protocol.errors import DecodeError
from workbench.session.cache import ObjectCache
from workbench.session.client import DlmsClient
from workbench.session.profile import RowDecoder
from workbench.session.services import list_batches
from workbench.session.targets import Target, TargetError, parse_target


@pytest.mark.parametrize("max_request", [125, 200, 512, 30])
def test_list_batches_fit_the_request_size(max_request: int) -> None:
    descs = [AttributeDescriptor(3, Obis(1, 1, c, 7, 0, 255), 2) for c in range(1, 41)]
    batches = list_batches(descs, max_request)
    assert [d for b in batches for d in b] == descs
    for batch in batches:
        if len(batch) > 1:
            assert len(encode_apdu(GetRequestWithList(tuple(batch)))) <= max_request
    if max_request == 125:  # 12 descriptors fill one 128-byte HDLC frame exactly
        assert [len(b) for b in batches] == [12, 12, 12, 4]


def test_row_decoder_yields_rows_as_bytes_trickle_in() -> None:
    rows = [Data.struct(Data.u32(i), Data.octets(bytes(12))) for i in range(5)]
    raw = encode_data(Data.array(rows))
    decoder, got = RowDecoder(), []
    for i in range(0, len(raw), 7):
        got.extend(decoder.feed(raw[i:i + 7], last=i + 7 >= len(raw)))
    assert [r[0].value for r in got] == [0, 1, 2, 3, 4]


def test_row_decoder_reports_a_broken_end() -> None:
    raw = encode_data(Data.array([Data.struct(Data.u8(1))] * 3))
    with pytest.raises(DecodeError):
        RowDecoder().feed(raw[:-1], last=True)


@pytest.mark.parametrize(("text", "expected"), [
    ("1-1:32.7.0.255", Target(Obis(1, 1, 32, 7, 0, 255), 2, None)),
    ("1-1:32.7.0:3", Target(Obis(1, 1, 32, 7, 0, 255), 3, None)),
    ("3/1-1:1.8.0.255:2", Target(Obis(1, 1, 1, 8, 0, 255), 2, 3)),
    ("0101200700FF:2", Target(Obis(1, 1, 32, 7, 0, 255), 2, None)),
])
def test_targets_parse(text: str, expected: Target) -> None:
    assert parse_target(text) == expected


@pytest.mark.parametrize("text", ["x/1-1:1.8.0", "1-1:1.8", "foo:2"])
def test_bad_targets_name_the_bad_part(text: str) -> None:
    with pytest.raises(TargetError, match="is not"):
        parse_target(text)


def test_object_cache_round_trips_and_holds_no_secret(meter, tmp_path) -> None:
    cache = ObjectCache(tmp_path)
    settings = settings_for(meter, client=32, password="right")
    with DlmsClient(settings) as client:
        first = cache.object_list(client)
        frames_after_first = client.frames_sent
        assert cache.object_list(client) == first
        assert client.frames_sent == frames_after_first  # served from the cache
    text = cache.path(ObjectCache.key(settings)).read_text()
    assert PASSWORD not in text
    assert json.loads(text)["format"] == 1
    cache.path(ObjectCache.key(settings)).write_text("{broken")
    assert cache.load(ObjectCache.key(settings)) is None


def _row(i: int, varying: bool) -> Data:
    name = bytes(i % 5 if varying else 3)  # varying: rows of different sizes
    return Data.struct(Data.u32(i), Data.octets(name), Data.i16(-i))


@settings(max_examples=60, deadline=None)
@given(count=st.integers(0, 40), varying=st.booleans(), cuts=st.lists(st.integers(1, 60),
                                                                      max_size=30))
def test_row_decoder_equals_one_decode_for_any_blocks(count: int, varying: bool,
                                                      cuts: list[int]) -> None:
    """Rows of one size are decoded in bulk, rows of varying size one by one; either way,
    cut anywhere into blocks, the rows are those of decoding the whole array at once."""
    whole = Data.array([_row(i, varying) for i in range(count)])
    raw = encode_data(whole)
    decoder, got, pos = RowDecoder(), [], 0
    for cut in [*cuts, len(raw)]:
        piece = raw[pos:pos + cut]
        pos += len(piece)
        got.extend(decoder.feed(piece, last=pos >= len(raw)))
        if pos >= len(raw):
            break
    expected = decode_data_exact(raw).value
    assert [tuple(r) for r in got] == [tuple(e.value) for e in expected]
