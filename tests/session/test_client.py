"""DlmsClient against the simulated meter: association, services, refusals, tracing."""

from __future__ import annotations

import datetime as dt

import pytest

from tests.session.conftest import PASSWORD, settings_for
from workbench.protocol.apdu import AttributeDescriptor, DataAccessResult, MethodDescriptor
from workbench.protocol.axdr import CosemDateTime, Data, DataType, as_datetime
from workbench.protocol.cosem import Obis
from workbench.session.client import DlmsClient, SessionState
from workbench.session.errors import (
    AccessDenied,
    AssociationRejected,
    ConnectFailed,
    NotConnected,
)
from workbench.session.settings import Secret
from workbench.session.trace import FrameRecord
from workbench.simulator.server import MeterServer

SERIAL = AttributeDescriptor(1, Obis.parse("0-0:96.1.0.255"), 2)
VOLTAGE = AttributeDescriptor(3, Obis.parse("1-1:32.7.0.255"), 2)
CLOCK_TIME = AttributeDescriptor(8, Obis.parse("0-0:1.0.0.255"), 2)


def test_public_client_reads_serial_and_scaled_register(meter: MeterServer) -> None:
    with DlmsClient(settings_for(meter)) as client:
        assert client.state is SessionState.ASSOCIATED
        assert client.info is not None and not client.info.authenticated
        assert client.get(SERIAL) == Data.octets(b"000019001234")
        value, scaler_unit = client.get_many(
            [VOLTAGE, AttributeDescriptor(3, VOLTAGE.obis, 3)])
        assert value.type == DataType.LONG_UNSIGNED and 2000 < value.value < 2600
        assert scaler_unit == Data.struct(Data.i8(-1), Data.enum(35))
    assert client.state is SessionState.DISCONNECTED


def test_object_list_needs_segmentation_and_blocks(meter: MeterServer) -> None:
    with DlmsClient(settings_for(meter)) as client:
        entries = client.object_list()
    by_obis = {e.obis: e for e in entries}
    assert by_obis[Obis.parse("1-1:32.7.0.255")].class_id == 3
    assert by_obis[Obis.parse("0-0:1.0.0.255")].class_id == 8
    assert len(entries) > 20


def test_long_list_is_split_and_answers_keep_their_order(meter: MeterServer) -> None:
    descs = [SERIAL, VOLTAGE, CLOCK_TIME] * 25
    with DlmsClient(settings_for(meter)) as client:
        results = client.get_many(descs)
    assert len(results) == 75
    assert all(r == Data.octets(b"000019001234") for r in results[::3])
    assert all(isinstance(r, Data) and r.type == DataType.LONG_UNSIGNED for r in results[1::3])


def test_unknown_object_comes_back_as_a_result_not_an_exception(meter: MeterServer) -> None:
    missing = AttributeDescriptor(3, Obis.parse("1-1:99.99.9.255"), 2)
    with DlmsClient(settings_for(meter)) as client:
        results = client.get_many([SERIAL, missing])
        assert results[1] == DataAccessResult.OBJECT_UNDEFINED
        with pytest.raises(AccessDenied, match="object-undefined"):
            client.get(missing)


def test_lls_with_right_password_may_write_the_clock(meter: MeterServer) -> None:
    target = dt.datetime(2026, 1, 2, 3, 4, 5)
    with DlmsClient(settings_for(meter, client=32, password="right")) as client:
        assert client.info is not None and client.info.authenticated
        client.set(CLOCK_TIME, Data.octets(CosemDateTime.from_datetime(target).encode()))
        read_back = as_datetime(client.get(CLOCK_TIME)).to_datetime().replace(tzinfo=None)
    assert abs((read_back - target).total_seconds()) < 5


def test_lls_with_wrong_password_is_rejected_with_a_hint(meter: MeterServer) -> None:
    settings = settings_for(meter, client=32, password=Secret("9999999999"))
    with pytest.raises(AssociationRejected) as info:
        DlmsClient(settings).connect()
    assert "authentication" in info.value.message
    assert "password" in info.value.hint
    assert "9999999999" not in info.value.message + info.value.hint


def test_public_client_set_is_refused_with_the_meters_answer(meter: MeterServer) -> None:
    with DlmsClient(settings_for(meter)) as client, pytest.raises(AccessDenied) as info:
        client.set(CLOCK_TIME, Data.octets(CosemDateTime.from_datetime(dt.datetime.now())
                                           .encode()))
    assert info.value.result == DataAccessResult.READ_WRITE_DENIED
    assert "read-write-denied" in info.value.message
    assert "client 32 or 1" in info.value.hint


def test_action_runs_for_management_and_is_refused_for_public(meter: MeterServer) -> None:
    shift = MethodDescriptor(8, Obis.parse("0-0:1.0.0.255"), 6)
    with DlmsClient(settings_for(meter, client=1, password="right")) as client:
        assert client.action(shift, Data.i16(30)) is None
    with DlmsClient(settings_for(meter)) as client, pytest.raises(AccessDenied):
        client.action(shift, Data.i16(30))


def test_closed_port_is_connect_failed() -> None:
    import socket

    with socket.create_server(("127.0.0.1", 0)) as s:
        port = s.getsockname()[1]
    from workbench.session.settings import ConnectionSettings

    with pytest.raises(ConnectFailed) as info:
        DlmsClient(ConnectionSettings(port=port, timeout=0.5)).connect()
    assert "3333" in info.value.hint


def test_calls_without_association_say_so(meter: MeterServer) -> None:
    client = DlmsClient(settings_for(meter))
    with pytest.raises(NotConnected):
        client.request(object(), "anything")
    client.close()
    client.close()


def test_every_frame_is_traced_and_the_password_is_never_in_repr(meter: MeterServer) -> None:
    records: list[FrameRecord] = []
    settings = settings_for(meter, client=32, password="right")
    with DlmsClient(settings, observers=[records.append]) as client:
        client.get(SERIAL)
        assert PASSWORD not in repr(client) and PASSWORD not in repr(client.settings)
    kinds = [r.direction for r in records]
    assert kinds[:4] == ["tx", "rx", "tx", "rx"]  # SNRM/UA, AARQ/AARE
    assert kinds.count("tx") == client.frames_sent and client.frames_sent >= 4
    assert records[0].raw[0] == 0x7E and records[0].raw[-1] == 0x7E
    assert records[0].time <= records[-1].time
