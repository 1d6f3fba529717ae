"""Requests sized to the meter's server-max-receive-pdu-size: plan_set / plan_action."""

from __future__ import annotations

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from workbench.protocol.apdu import (
    ActionRequestNormal,
    AttributeDescriptor,
    BlockAssembler,
    MethodDescriptor,
    SetRequestNormal,
    SetRequestWithDatablock,
    SetRequestWithFirstDatablock,
    decode_apdu,
    encode_apdu,
    entry_access,
    plan_action,
    plan_set,
)
from workbench.protocol.axdr import Data, decode_data_exact, encode_data
from workbench.protocol.errors import EncodeError

DESC = AttributeDescriptor(1, "0-0:96.1.0.255", 2)
METHOD = MethodDescriptor(9, "0-0:10.0.0.255", 1)


def _joined(requests: list[object]) -> bytes:
    blocks = BlockAssembler("test", first=1)
    for req in requests:
        blocks.add(req.block_number, req.raw, req.last_block)  # type: ignore[attr-defined]
    assert blocks.done
    return blocks.joined()


def test_a_785_byte_set_goes_in_datablocks_to_a_256_byte_pdu() -> None:
    value = Data.octets(bytes(range(256)) * 3)
    assert len(encode_apdu(SetRequestNormal(DESC, value))) == 785
    requests = plan_set(DESC, value, max_pdu=256)
    sizes = [len(encode_apdu(r)) for r in requests]
    assert sizes == [256, 256, 256, 53] and len(requests) == 4
    assert isinstance(requests[0], SetRequestWithFirstDatablock)
    assert all(isinstance(r, SetRequestWithDatablock) for r in requests[1:])
    assert [r.block_number for r in requests] == [1, 2, 3, 4]
    assert [r.last_block for r in requests] == [False, False, False, True]
    assert decode_data_exact(_joined(requests)) == value


def test_what_fits_goes_as_one_normal_request() -> None:
    assert plan_set(DESC, Data.u32(5), max_pdu=256) == [SetRequestNormal(DESC, Data.u32(5))]
    assert plan_action(METHOD, None, max_pdu=16) == [ActionRequestNormal(METHOD)]


def test_selective_access_rides_in_the_first_block() -> None:
    access = entry_access(1, 2)
    requests = plan_set(DESC, Data.octets(bytes(500)), max_pdu=128, access=access)
    assert requests[0].access == access  # type: ignore[union-attr]
    assert all(len(encode_apdu(r)) <= 128 for r in requests)


def test_a_pdu_too_small_for_any_data_is_refused() -> None:
    with pytest.raises(EncodeError, match="server-max-receive-pdu-size 19 leaves no room"):
        plan_set(DESC, Data.octets(bytes(50)), max_pdu=19)


@settings(max_examples=200, deadline=None)
@given(st.binary(max_size=3000), st.integers(24, 2048), st.booleans())
def test_every_planned_apdu_fits_and_the_blocks_join_to_the_value(
        payload: bytes, max_pdu: int, action: bool) -> None:
    value = Data.octets(payload)
    requests: list[object] = (list(plan_action(METHOD, value, max_pdu=max_pdu)) if action
                              else list(plan_set(DESC, value, max_pdu=max_pdu)))
    encoded = [encode_apdu(r) for r in requests]
    assert all(len(raw) <= max_pdu for raw in encoded)
    assert [decode_apdu(raw) for raw in encoded] == requests
    if len(requests) > 1:
        assert _joined(requests) == encode_data(value)
        assert all(len(raw) == max_pdu for raw in encoded[:-1])  # no block wasted
