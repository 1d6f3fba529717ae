"""SET and ACTION sized to the meter's PDU (issue 11): a request longer than the meter's
server-max-receive-pdu-size goes in datablocks / parameter blocks, over loopback TCP to the
simulator's ``small-pdu`` meter (256 bytes); refusals say what fits this client."""

from __future__ import annotations

from collections.abc import Iterator

import pytest

from tests.helpers import running_meter
from tests.session.conftest import settings_for
from workbench.protocol.apdu import (
    ActionRequestWithFirstPblock,
    ActionRequestWithPblock,
    ActionResult,
    AttributeDescriptor,
    DataAccessResult,
    MethodDescriptor,
    SetRequestNormal,
    SetRequestWithDatablock,
    SetRequestWithFirstDatablock,
    encode_apdu,
)
from workbench.protocol.axdr import Data, encode_data
from workbench.session.advice import access_denied
from workbench.session.client import DlmsClient
from workbench.session.errors import AccessDenied
from workbench.simulator.server import MeterServer

DST_BEGIN = AttributeDescriptor(8, "0-0:1.0.0.255", 5)  # an octet-string the meter stores
NAME = AttributeDescriptor(1, "0-0:42.0.0.255", 2)  # read-only for every client
DISCONNECT = MethodDescriptor(70, "0-0:96.3.10.255", 1)
LONG = Data.octets(bytes(range(256)) * 3 + bytes(13))  # 785 bytes in A-XDR


class RecordingClient(DlmsClient):
    """The real client, noting each request object it sends (the wire is real)."""

    sent: list[object]

    def request(self, apdu: object, what: str) -> object:
        self.sent.append(apdu)
        return super().request(apdu, what)


@pytest.fixture
def small() -> Iterator[MeterServer]:
    with running_meter(quirks=("small-pdu",)) as server:
        yield server


def _client(server: MeterServer, **overrides: object) -> RecordingClient:
    values: dict[str, object] = {"client": 32, "password": "right"}
    values.update(overrides)
    client = RecordingClient(settings_for(server, **values))
    client.sent = []
    return client


def test_a_785_byte_set_goes_in_datablocks_and_is_stored(small: MeterServer) -> None:
    assert len(encode_data(LONG)) == 785
    with _client(small) as client:
        assert client.max_pdu == 256
        client.set(DST_BEGIN, LONG)
        sent = list(client.sent)
        assert client.get(DST_BEGIN) == LONG  # read back whole (GET datablocks)
    kinds = [type(a) for a in sent]
    assert kinds == [SetRequestWithFirstDatablock] + [SetRequestWithDatablock] * 3
    assert [a.block_number for a in sent] == [1, 2, 3, 4]  # type: ignore[attr-defined]
    assert [a.last_block for a in sent] == [False, False, False, True]  # type: ignore[attr-defined]
    assert all(len(encode_apdu(a)) <= 256 for a in sent)


def test_a_short_set_stays_one_normal_request(small: MeterServer) -> None:
    with _client(small) as client:
        client.set(DST_BEGIN, Data.octets(bytes(12)))
    assert [type(a) for a in client.sent] == [SetRequestNormal]


def test_a_refused_long_set_by_client_32_names_its_rights_not_the_public_client(
        small: MeterServer) -> None:
    with _client(small) as client, pytest.raises(AccessDenied) as info:
        client.set(NAME, LONG)
    assert info.value.result == DataAccessResult.READ_WRITE_DENIED
    assert "read-write-denied" in info.value.message
    assert "client 32" in info.value.hint and "public" not in info.value.hint
    assert len(client.sent) == 4  # the meter decides after the whole value arrived


def test_action_parameters_go_in_pblocks_and_the_method_runs(small: MeterServer) -> None:
    with _client(small) as client:
        assert client.action(DISCONNECT, Data.octets(bytes(600))) is None
    assert [type(a) for a in client.sent] == [ActionRequestWithFirstPblock,
                                              ActionRequestWithPblock, ActionRequestWithPblock]
    assert all(len(encode_apdu(a)) <= 256 for a in client.sent)
    assert small.meter.supply.connected is False


def test_the_public_client_is_told_it_is_public_only_when_it_is(small: MeterServer) -> None:
    with _client(small, client=16, password=None) as client, \
            pytest.raises(AccessDenied) as info:
        client.set(DST_BEGIN, LONG)
    assert "public client (16) may only read" in info.value.hint


def test_a_read_failing_with_hardware_fault_is_not_blamed_on_access_rights() -> None:
    exc = access_denied(DataAccessResult.HARDWARE_FAULT, "reading 3/1-1:32.7.0.255:2",
                        operation="read", client=16)
    assert exc.message == ("reading 3/1-1:32.7.0.255:2 failed: the meter answered "
                           "hardware-fault")
    assert "not an access-rights problem" in exc.hint and "public" not in exc.hint
    refused = access_denied(ActionResult.READ_WRITE_DENIED, "running 70/0-0:96.3.10.255:1",
                            operation="action", client=1)
    assert refused.hint.startswith("The meter refuses invoking this method to client 1")
