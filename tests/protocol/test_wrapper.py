"""IEC 62056-47 wrapper PDUs: round trips, stream splitting, bounded and typed failures."""

from __future__ import annotations

import contextlib

import pytest
from hypothesis import given
from hypothesis import strategies as st

from workbench.protocol.dissect import dissect
from workbench.protocol.errors import DecodeError, EncodeError, ProtocolError
from workbench.protocol.wrapper import WrapperPdu, WrapperReader, decode_wrapper, encode_wrapper

AARQ_HEAD = bytes.fromhex("6036A1090607608574050801")


def test_header_fields_are_big_endian_version_source_destination_length() -> None:
    raw = encode_wrapper(WrapperPdu(16, 1, AARQ_HEAD))
    assert raw[:8] == bytes.fromhex("0001 0010 0001 000C")
    assert decode_wrapper(raw) == WrapperPdu(16, 1, AARQ_HEAD)


@given(chunks=st.lists(st.integers(1, 40), min_size=1, max_size=30),
       apdus=st.lists(st.binary(max_size=100), min_size=1, max_size=5))
def test_any_split_of_the_stream_gives_the_same_pdus(chunks: list[int],
                                                      apdus: list[bytes]) -> None:
    stream = b"".join(encode_wrapper(WrapperPdu(1, 16, a)) for a in apdus)
    reader, got, pos = WrapperReader(), [], 0
    for size in [*chunks, len(stream)]:
        reader.feed(stream[pos:pos + size])
        pos += size
        while (pdu := reader.next_pdu()) is not None:
            got.append(pdu.apdu)
    assert got == apdus
    assert reader.pending == 0


def test_a_length_over_the_limit_is_refused_at_once() -> None:
    reader = WrapperReader(max_apdu=256)
    reader.feed(bytes.fromhex("0001 0001 0010 0400"))
    with pytest.raises(DecodeError, match="1024 bytes, more than the 256-byte limit"):
        reader.next_pdu()
    assert reader.pending == 0


def test_a_foreign_header_shows_its_bytes() -> None:
    reader = WrapperReader()
    reader.feed(bytes.fromhex("7EA00A0002") + b"xxxxx")
    with pytest.raises(DecodeError, match="7E A0 0A 00 02"):
        reader.next_pdu()


def test_values_that_do_not_fit_are_encode_errors() -> None:
    with pytest.raises(EncodeError):
        WrapperPdu(70000, 1, b"")
    with pytest.raises(EncodeError):
        WrapperPdu(1, 1, bytes(70000))


@given(st.binary(max_size=40))
def test_arbitrary_bytes_raise_only_typed_errors(data: bytes) -> None:
    with contextlib.suppress(ProtocolError):
        decode_wrapper(data)
    reader = WrapperReader(max_apdu=16)
    reader.feed(data)
    with contextlib.suppress(ProtocolError):
        while reader.next_pdu() is not None:
            pass


def test_wrapper_pdus_dissect_to_their_header_and_apdu() -> None:
    get = bytes.fromhex("C001C1000800000100FF0200")
    raw = encode_wrapper(WrapperPdu(16, 1, get)) + encode_wrapper(WrapperPdu(16, 1, get))
    trees = dissect(raw)
    assert [t.key for t in trees] == ["wrapper", "wrapper"]
    first = trees[0]
    assert [c.key for c in first.children[:4]] == [
        "wrapper.version", "wrapper.source", "wrapper.destination", "wrapper.length"]
    assert first.find_key("dlms.instance_id") is not None
    assert trees[1].offset == len(raw) // 2  # offsets are absolute in the record


def test_bytes_that_only_look_like_a_wrapper_are_read_as_hdlc() -> None:
    trees = dissect(bytes.fromhex("0001 0010 0001 00FF C0"))  # length says 255, 1 follows
    assert all(not t.key.startswith("wrapper") for t in trees)
