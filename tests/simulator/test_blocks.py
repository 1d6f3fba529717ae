"""SET with datablocks and ACTION with parameter blocks, received by a meter whose
server-max-receive-pdu-size is 256 (the ``small-pdu`` quirk), over loopback TCP.

The requests come from the protocol core's planner (byte-identical to gurux-dlms's client,
see tests/oracle), so this is the meter side of the same exchange."""

from __future__ import annotations

import pytest

from tests.helpers import running_meter
from tests.simulator.wire import WireClient
from workbench.protocol.apdu import (
    ActionRequestWithFirstPblock,
    ActionRequestWithPblock,
    ActionResponseNext,
    ActionResponseNormal,
    ActionResult,
    AttributeDescriptor,
    DataAccessResult,
    MethodDescriptor,
    SetResponseDatablock,
    SetResponseLastDatablock,
    encode_apdu,
    plan_action,
    plan_set,
)
from workbench.protocol.axdr import Data

PASSWORD = b"2222222222"
NAME = AttributeDescriptor(1, "0-0:42.0.0.255", 2)  # read-only for every client
DISCONNECT = MethodDescriptor(70, "0-0:96.3.10.255", 1)
SHIFT_TIME = MethodDescriptor(8, "0-0:1.0.0.255", 6)


@pytest.fixture
def small():
    with running_meter(quirks=("small-pdu",)) as server, \
            WireClient(server.address, client_sap=32) as client:
        client.associate(PASSWORD)
        client.server = server
        yield client


def test_a_785_byte_set_planned_in_datablocks_is_reassembled(small) -> None:
    requests = plan_set(NAME, Data.octets(bytes(range(256)) * 3 + bytes(13)), max_pdu=256)
    assert len(requests) == 4 and all(len(encode_apdu(r)) <= 256 for r in requests)
    answers = [small.request(r) for r in requests]
    assert answers[:3] == [SetResponseDatablock(n) for n in (1, 2, 3)]
    assert answers[3] == SetResponseLastDatablock(DataAccessResult.READ_WRITE_DENIED, 4)


def test_an_action_in_pblocks_runs_once_after_the_last_block(small) -> None:
    requests = plan_action(DISCONNECT, Data.octets(bytes(600)), max_pdu=256)
    assert len(requests) == 3
    answers = [small.request(r) for r in requests]
    assert answers[:2] == [ActionResponseNext(1), ActionResponseNext(2)]
    assert answers[2] == ActionResponseNormal(ActionResult.SUCCESS)
    assert small.server.meter.supply.connected is False


def test_pblock_parameters_are_joined_before_decoding() -> None:
    """shift_time's long parameter (10 00 1E: +30 s) cut after its type byte: only the
    joined blocks say 30, and the clock moves by exactly that once."""
    fixed = 1.8e9
    with running_meter(quirks=("small-pdu",), time_source=lambda: fixed) as server, \
            WireClient(server.address, client_sap=32) as client:
        client.associate(PASSWORD)
        first = ActionRequestWithFirstPblock(SHIFT_TIME, False, 1, b"\x10")
        assert client.request(first) == ActionResponseNext(1)
        last = ActionRequestWithPblock(True, 2, b"\x00\x1e")
        assert client.request(last) == ActionResponseNormal(ActionResult.SUCCESS)
        assert server.meter.clock.now() == fixed + 30


def test_pblocks_that_are_not_one_value_are_type_unmatched(small) -> None:
    first = ActionRequestWithFirstPblock(SHIFT_TIME, False, 1, b"\x10")
    assert small.request(first) == ActionResponseNext(1)
    last = ActionRequestWithPblock(True, 2, b"\x00\x1e\x00")  # a byte too many
    assert small.request(last) == ActionResponseNormal(ActionResult.TYPE_UNMATCHED)


@pytest.mark.parametrize(("request_", "result"), [
    (ActionRequestWithPblock(True, 1, b"\x00"), ActionResult.NO_LONG_ACTION_IN_PROGRESS),
], ids=["no-transfer"])
def test_a_stray_pblock_is_refused(small, request_, result) -> None:
    assert small.request(request_) == ActionResponseNormal(result)


def test_a_pblock_out_of_sequence_aborts_the_call(small) -> None:
    first, *_ = plan_action(DISCONNECT, Data.octets(bytes(600)), max_pdu=256)
    assert small.request(first) == ActionResponseNext(1)
    skipped = ActionRequestWithPblock(False, 3, bytes(100))
    assert small.request(skipped) == ActionResponseNormal(ActionResult.LONG_ACTION_ABORTED)
    assert small.server.meter.supply.connected is True  # nothing ran
