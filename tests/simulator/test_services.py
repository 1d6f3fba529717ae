"""GET / SET / ACTION against the meter over loopback TCP, built with the core's encoders."""

from __future__ import annotations

import datetime as dt

import pytest

from tests.helpers import running_meter
from tests.simulator.wire import WireClient
from workbench.protocol.apdu import (
    ActionRequestNormal,
    ActionRequestWithList,
    ActionResponseNormal,
    ActionResult,
    AttributeDescriptor,
    DataAccessResult,
    ExceptionResponse,
    GetRequestNext,
    GetRequestWithList,
    GetResponseWithDatablock,
    GetResponseWithList,
    MethodDescriptor,
    Rlre,
    Rlrq,
    SetRequestNormal,
    SetRequestWithDatablock,
    SetRequestWithFirstDatablock,
    SetRequestWithList,
    SetResponseDatablock,
    SetResponseLastDatablock,
    SetResponseNormal,
    entry_access,
    range_access,
)
from workbench.protocol.axdr import CosemDateTime, Data, DataType, as_datetime, encode_data
from workbench.protocol.cosem import AttributeAccess, MethodAccess, Obis, parse_object_list

PASSWORD = b"2222222222"
CLOCK = AttributeDescriptor(8, "0-0:1.0.0.255", 2)
VOLTAGE = AttributeDescriptor(3, "1-1:32.7.0.255", 2)
CURRENT = AttributeDescriptor(3, "1-1:31.7.0.255", 2)
PROFILE = AttributeDescriptor(7, "1-0:99.1.0.255", 2)
DISCONNECT = MethodDescriptor(70, "0-0:96.3.10.255", 1)
RECONNECT = MethodDescriptor(70, "0-0:96.3.10.255", 2)


@pytest.fixture
def public(meter):
    with WireClient(meter.address) as client:
        client.associate()
        yield client


@pytest.fixture
def manager(meter):
    with WireClient(meter.address, client_sap=32) as client:
        client.associate(PASSWORD)
        yield client


def _meter_time(value: Data) -> float:
    return as_datetime(value).to_datetime().timestamp()


def test_clock_runs_with_the_wall_clock(public) -> None:
    t = _meter_time(public.get(CLOCK))
    assert abs(t - dt.datetime.now(dt.UTC).timestamp()) < 2


def test_register_value_and_scaler_unit(public) -> None:
    raw = public.get(VOLTAGE)
    scaler, unit = public.get(AttributeDescriptor(3, "1-1:32.7.0.255", 3)).value
    assert (scaler.value, unit.value) == (-1, 35)
    assert 220 < raw.value * 10**scaler.value < 240


def test_wrong_class_and_unknown_obis(public) -> None:
    assert public.get(AttributeDescriptor(1, "1-1:32.7.0.255", 2)) \
        is DataAccessResult.OBJECT_CLASS_INCONSISTENT
    assert public.get(AttributeDescriptor(3, "1-1:99.99.0.255", 2)) \
        is DataAccessResult.OBJECT_UNDEFINED


def test_get_with_list_mixes_values_and_errors(public) -> None:
    response = public.request(GetRequestWithList(
        (VOLTAGE, AttributeDescriptor(3, "9-9:9.9.9.255", 2),
         AttributeDescriptor(1, "0-0:96.1.0.255", 2))))
    assert isinstance(response, GetResponseWithList)
    voltage, missing, serial = response.results
    assert voltage.type is DataType.LONG_UNSIGNED
    assert missing is DataAccessResult.OBJECT_UNDEFINED
    assert serial.value == b"000019001234"


def test_load_profile_needs_block_transfer(public) -> None:
    rows = public.get(PROFILE)
    assert public.blocks > 100
    assert len(rows.value) == 60 * 96 + 1 or len(rows.value) == 60 * 96 + 2
    in_use = public.get(AttributeDescriptor(7, "1-0:99.1.0.255", 7)).value
    assert in_use == len(rows.value)
    times = [_meter_time(row.value[0]) for row in rows.value[:3]]
    assert times[1] - times[0] == times[2] - times[1] == 900
    energies = [row.value[1].value for row in rows.value]
    assert energies == sorted(energies)


def test_profile_by_range_returns_the_quarters_inside() -> None:
    start = dt.datetime(2026, 1, 1, tzinfo=dt.UTC)
    end = start + dt.timedelta(hours=2)
    with running_meter(time_source=lambda: end.timestamp() + 86400) as server, \
            WireClient(server.address) as client:
        client.associate()
        rows = client.get(PROFILE, range_access(start, end))
    stamps = [_meter_time(row.value[0]) for row in rows.value]
    assert stamps == [start.timestamp() + 900 * i for i in range(9)]


def test_profile_by_range_with_selected_columns(public) -> None:
    now = _meter_time(public.get(CLOCK))
    start = dt.datetime.fromtimestamp(now - 3 * 3600, dt.UTC)
    end = dt.datetime.fromtimestamp(now, dt.UTC)
    access = range_access(start, end, ((8, Obis.parse("0-0:1.0.0.255"), 2),
                                       (3, Obis.parse("1-1:1.8.0.255"), 2)))
    rows = public.get(PROFILE, access)
    assert 11 <= len(rows.value) <= 13
    assert all(len(row.value) == 2 for row in rows.value)


def test_profile_by_entry(public) -> None:
    everything = public.get(PROFILE, entry_access(1, 0))
    some = public.get(PROFILE, entry_access(3, 5, 2, 3))
    assert [row.value for row in some.value] == [
        row.value[1:3] for row in everything.value[2:5]]


def test_public_client_may_not_set_or_act(public) -> None:
    response = public.request(SetRequestNormal(CLOCK, public.get(CLOCK)))
    assert response == SetResponseNormal(DataAccessResult.READ_WRITE_DENIED)
    response = public.request(ActionRequestNormal(DISCONNECT, Data.i8(0)))
    assert response == ActionResponseNormal(ActionResult.READ_WRITE_DENIED)


def test_object_list_rights_depend_on_the_association(public, manager) -> None:
    listing = AttributeDescriptor(15, "0-0:40.0.0.255", 2)
    seen = {}
    for name, client in (("public", public), ("manager", manager)):
        entries = {e.obis: e for e in parse_object_list(client.get(listing))}
        seen[name] = entries[Obis.parse("0-0:1.0.0.255")]
    assert seen["public"].attribute_access[2] is AttributeAccess.READ_ONLY
    assert seen["manager"].attribute_access[2] is AttributeAccess.READ_AND_WRITE
    assert seen["public"].method_access[6] is MethodAccess.NO_ACCESS
    assert seen["manager"].method_access[6] is MethodAccess.ACCESS
    assert Obis.parse("1-0:99.1.0.255") in entries and len(entries) >= 25


def test_secret_is_never_readable(manager) -> None:
    assert manager.get(AttributeDescriptor(15, "0-0:40.0.0.255", 7)) \
        is DataAccessResult.READ_WRITE_DENIED


def test_disconnect_and_reconnect_change_the_current(manager) -> None:
    assert manager.get(CURRENT).value > 0
    assert manager.request(ActionRequestNormal(DISCONNECT, Data.i8(0))) \
        == ActionResponseNormal(ActionResult.SUCCESS)
    assert manager.get(CURRENT).value == 0
    assert manager.get(AttributeDescriptor(70, "0-0:96.3.10.255", 2)).value is False
    manager.request(ActionRequestWithList((RECONNECT,), (Data.i8(0),)))
    assert manager.get(CURRENT).value > 0


def test_set_clock_moves_time_and_logs_events(manager) -> None:
    target = dt.datetime(2030, 6, 1, 12, 0, tzinfo=dt.UTC)
    stamp = Data.octets(CosemDateTime.from_datetime(target, deviation=0).encode())
    assert manager.request(SetRequestNormal(CLOCK, stamp)) \
        == SetResponseNormal(DataAccessResult.SUCCESS)
    assert abs(_meter_time(manager.get(CLOCK)) - target.timestamp()) < 2
    events = manager.get(AttributeDescriptor(7, "0-0:99.98.0.255", 2)).value
    assert [e.value[1].value for e in events[-2:]] == [4, 5]


def test_shift_time_method(manager) -> None:
    before = _meter_time(manager.get(CLOCK))
    shift = MethodDescriptor(8, "0-0:1.0.0.255", 6)
    assert manager.request(ActionRequestNormal(shift, Data.i16(600))).result \
        is ActionResult.SUCCESS
    assert 598 < _meter_time(manager.get(CLOCK)) - before < 603


def test_set_with_list_and_type_check(manager) -> None:
    dst_deviation = AttributeDescriptor(8, "0-0:1.0.0.255", 7)
    response = manager.request(SetRequestWithList(
        (dst_deviation, dst_deviation), (Data.i8(30), Data.text("sixty"))))
    assert response.results == (DataAccessResult.SUCCESS, DataAccessResult.TYPE_UNMATCHED)
    assert manager.get(dst_deviation).value == 30


def test_set_with_datablocks(manager) -> None:
    enabled = AttributeDescriptor(8, "0-0:1.0.0.255", 8)
    raw = encode_data(Data.boolean(True))
    first = manager.request(SetRequestWithFirstDatablock(enabled, False, 1, raw[:1]))
    assert first == SetResponseDatablock(1)
    last = manager.request(SetRequestWithDatablock(True, 2, raw[1:]))
    assert last == SetResponseLastDatablock(DataAccessResult.SUCCESS, 2)
    assert manager.get(enabled).value is True


def test_same_seed_same_history_different_seed_differs() -> None:
    fixed = dt.datetime(2026, 3, 1, tzinfo=dt.UTC).timestamp()
    start = dt.datetime(2026, 2, 20, tzinfo=dt.UTC)
    access = range_access(start, start + dt.timedelta(hours=6))

    def rows(seed: int) -> list:
        with running_meter(seed=seed, time_source=lambda: fixed) as server, \
                WireClient(server.address) as client:
            client.associate()
            return client.get(PROFILE, access).value

    assert rows(7) == rows(7)
    assert rows(7) != rows(8)


def test_long_get_with_list_goes_out_in_blocks() -> None:
    listing = AttributeDescriptor(15, "0-0:40.0.0.255", 2)
    with running_meter(block_size=64) as server, WireClient(server.address) as client:
        client.associate()
        first = client.request(GetRequestWithList((VOLTAGE, listing)))
        assert isinstance(first, GetResponseWithDatablock) and not first.last_block
        wrong = client.request(GetRequestNext(first.block_number + 5))
        assert wrong.raw is DataAccessResult.DATA_BLOCK_NUMBER_INVALID


def test_release_ends_the_association(public) -> None:
    assert isinstance(public.request(Rlrq(reason=0)), Rlre)
    assert isinstance(public.request(GetRequestWithList((VOLTAGE,))), ExceptionResponse)
