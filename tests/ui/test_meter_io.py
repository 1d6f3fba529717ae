"""The worker's Qt-free jobs against a real simulated meter over loopback TCP."""

from __future__ import annotations

import pytest

from tests.helpers import running_meter
from workbench.session.settings import ConnectionSettings
from workbench.ui import meter_io, values
from workbench.ui.failures import failure_from
from workbench.ui.messages import AttributeRef


@pytest.fixture(scope="module")
def meter():
    with running_meter() as server:
        yield server


@pytest.fixture
def client(meter):
    host, port = meter.address
    frames = []
    c = meter_io.make_client(ConnectionSettings(host=host, port=port, timeout=2.0), frames.append)
    c.connect()
    yield c
    c.close()
    assert frames, "every exchange goes through the frame observer"


def test_identify_reads_serial_device_name_and_the_meters_idle_timeout(client) -> None:
    identity = meter_io.identify(client)
    assert identity.serial == "000019001234"
    assert identity.device_name
    assert identity.idle_timeout_s == 180.0 and identity.idle_from_meter  # IEC HDLC setup
    assert "PDU" in identity.association


def test_register_attributes_are_scaled_and_scaler_unit_is_spelled_out(client) -> None:
    value, scaler_unit = meter_io.read_attributes(
        client, (AttributeRef(3, "1-1:32.7.0.255", 2), AttributeRef(3, "1-1:32.7.0.255", 3)))
    assert value.ok and value.text.endswith(" V") and value.unit == "V"
    assert 180 < value.number < 280
    assert scaler_unit.text == "scaler -1 · unit V (35)"


def test_poll_returns_one_number_per_series(client) -> None:
    sample = meter_io.poll(client, meter_io.DEFAULT_POLL_SERIES)
    assert [v.name for v in sample.values] == [t.name for t in meter_io.DEFAULT_POLL_SERIES]
    assert all(isinstance(v.value, float) for v in sample.values)
    assert sample.values[0].unit == "V"


def test_probe_explains_a_wrong_physical_address(meter) -> None:
    host, port = meter.address
    text = meter_io.probe(ConnectionSettings(host=host, port=port, physical=99, timeout=0.5),
                          lambda _record: None)
    assert "physical 99, client 16 (no password): silent" in text
    assert "physical 1234, client 16 (no password): associated" in text


@pytest.mark.parametrize("hint, kind", [
    ("integer (minutes)", "i8"), ("octet-string (date-time)", "datetime"),
    ("long-unsigned (s)", "u16"), ("enum", "enum"), ("structure", "octets"),
])
def test_write_editor_preselects_the_attribute_type(hint: str, kind: str) -> None:
    assert values.kind_for_type_hint(hint) == kind


def test_failures_never_surface_as_tracebacks() -> None:
    failure = failure_from("Read", RuntimeError("boom"))
    assert failure.action == "Read" and "bug" in failure.hint
