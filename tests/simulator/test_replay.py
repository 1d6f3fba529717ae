"""A capture recorded by our client replays as a meter: our client and gurux-dlms's client
read the same values back, over real loopback TCP."""

from __future__ import annotations

import datetime as dt
import os
import signal
import subprocess
import sys
from pathlib import Path

import pytest

from tests.helpers import readline_within, running_meter
from tests.simulator.test_cli import _RUNNER, ANNOUNCE_TIMEOUT
from tests.simulator.wire import WireClient
from workbench.capture import CaptureHeader, open_writer
from workbench.protocol.apdu import (
    AssociationResult,
    AttributeDescriptor,
    DataAccessResult,
    MethodDescriptor,
)
from workbench.protocol.axdr import CosemDateTime, Data
from workbench.session import AccessDenied, ConnectionSettings, DlmsClient
from workbench.simulator.config import MeterConfig
from workbench.simulator.replay import ReplayMeter, load_replay
from workbench.simulator.replay_book import access_key
from workbench.simulator.server import MeterServer

SERIAL = AttributeDescriptor(1, "0-0:96.1.0.255", 2)
VOLTAGE = AttributeDescriptor(3, "1-1:32.7.0.255", 2)
VOLTAGE_UNIT = AttributeDescriptor(3, "1-1:32.7.0.255", 3)
CLOCK = AttributeDescriptor(8, "0-0:1.0.0.255", 2)
RECONNECT = MethodDescriptor(70, "0-0:96.3.10.255", 2)
PROFILE = "1-0:99.1.0.255"
FIXED = dt.datetime(2026, 3, 1, 12, 0, tzinfo=dt.UTC).timestamp()
START = dt.datetime(2026, 3, 1, 6, 0, tzinfo=dt.UTC)
END = dt.datetime(2026, 3, 1, 10, 0, tzinfo=dt.UTC)


def _moment(when: dt.datetime) -> CosemDateTime:
    return CosemDateTime.from_datetime(when, deviation=0)


def _settings(address: tuple[str, int], password: str, **extra: object) -> ConnectionSettings:
    host, port = address
    return ConnectionSettings(host=host, port=port, client=32, password=password,
                              timeout=3.0, **extra)


def _readings(client: DlmsClient) -> dict[str, object]:
    rows = client.read_profile(PROFILE, start=_moment(START), end=_moment(END))
    return {
        "serial": client.get(SERIAL).value,
        "voltage": client.get(VOLTAGE).value,
        "unit": client.get(VOLTAGE_UNIT),
        "clock": client.get(CLOCK).value,
        "rows": [tuple(rows_item) for rows_item in rows],
        "reconnect": client.action(RECONNECT),
    }


@pytest.fixture(scope="module")
def recorded(tmp_path_factory) -> tuple[Path, dict[str, object]]:
    """A field visit: our client reads a meter at 512/2 and records a .wbcap (masked)."""
    path = tmp_path_factory.mktemp("field") / "visit.wbcap"
    header = CaptureHeader(created=FIXED)
    with running_meter(time_source=lambda: FIXED, max_info=512, window=2) as server, \
            open_writer(path, header) as writer, \
            open_writer(path.with_suffix(".pcapng"), header) as wireshark, \
            DlmsClient(_settings(server.address, "2222222222", max_info=512),
                       observers=[writer, wireshark]) as client:
        readings = _readings(client)
    assert b"2222222222" not in path.read_bytes()  # masked by default
    return path, readings


def _replaying(path: Path, **config: object) -> MeterServer:
    book = load_replay(path)
    meter = MeterConfig(physical=book.physical, logical=book.logical,
                        max_pdu_size=book.max_pdu_size, **config)  # type: ignore[arg-type]
    return MeterServer(meter, model=ReplayMeter(book, meter)).start()


def test_the_book_holds_what_the_visit_asked(recorded) -> None:
    path, _ = recorded
    book = load_replay(path)
    assert book.masked and book.password is None
    assert (book.client_sap, book.logical, book.physical) == (32, 1, 1234)
    assert book.entries.counts()["ACTION"] == 1 and book.entries.counts()["GET"] >= 6
    assert "ANY password is accepted" in book.describe("visit.wbcap")


def test_the_pcapng_of_the_same_visit_books_the_same_answers(recorded) -> None:
    path, _ = recorded
    text, wireshark = load_replay(path), load_replay(path.with_suffix(".pcapng"))
    assert wireshark.entries == text.entries and wireshark.masked
    assert wireshark.entries.counts() == {"GET": 6, "SET": 0, "ACTION": 1}


def test_our_client_reads_the_same_values_back_with_any_password(recorded) -> None:
    path, readings = recorded
    server = _replaying(path)
    try:
        with DlmsClient(_settings(server.address, "not-the-password")) as client:
            assert _readings(client) == readings  # at 128/1 this time: framing is live
    finally:
        server.stop()


def test_a_request_not_in_the_capture_is_object_undefined_and_logged(recorded,
                                                                     caplog) -> None:
    caplog.set_level("WARNING", logger="workbench.simulator")
    server = _replaying(recorded[0])
    try:
        with DlmsClient(_settings(server.address, "x")) as client:
            with pytest.raises(AccessDenied) as denied:
                client.get(AttributeDescriptor(3, "1-1:31.7.0.255", 2))  # current: not read
            assert denied.value.result is DataAccessResult.OBJECT_UNDEFINED
            other = _moment(START - dt.timedelta(days=1))
            with pytest.raises(AccessDenied):  # the same profile, another range
                client.read_profile(PROFILE, start=other, end=_moment(START))
    finally:
        server.stop()
    assert "replay: no recorded answer for GET class 3 1-1:31.7.0.255 attribute 2: " \
           "answered object-undefined" in caplog.text
    assert "GET class 7 1-0:99.1.0.255 attribute 2 with access selector 1" in caplog.text


def test_gurux_reads_the_same_values_back(recorded) -> None:
    gurux = pytest.importorskip("gurux_dlms")
    from gurux_dlms import GXDateTime
    from gurux_dlms.objects import GXDLMSData, GXDLMSProfileGeneric, GXDLMSRegister

    from tests.gurux_session import GuruxSession

    assert gurux
    path, readings = recorded
    server = _replaying(path)
    gx = GuruxSession(server.address, 32, "any-password")
    try:
        gx.associate()
        serial, voltage = GXDLMSData("0.0.96.1.0.255"), GXDLMSRegister("1.1.32.7.0.255")
        gx.read(serial, 2)
        gx.read(voltage, 3)
        gx.read(voltage, 2)
        profile = GXDLMSProfileGeneric(PROFILE.replace("-", ".").replace(":", "."))
        gx.read(profile, 3)
        reply = gx.exchange(gx.client.readRowsByRange(profile, GXDateTime(START),
                                                      GXDateTime(END)))
        gx.client.updateValue(profile, 2, reply.value)
    finally:
        gx.close()
        server.stop()
    assert bytes(serial.value) == readings["serial"]
    assert round(voltage.value * 10) == readings["voltage"]  # scaler -1 applied by gurux
    recorded_rows = readings["rows"]
    assert len(profile.buffer) == len(recorded_rows) == 17
    assert [row[1] for row in profile.buffer] == [r[1].value for r in recorded_rows]


def test_two_encodings_of_one_range_mean_the_same() -> None:
    from workbench.protocol.apdu import range_access

    utc = range_access(_moment(START), _moment(END))
    unspecified = range_access(CosemDateTime(2026, 3, 1, 6, 0, 0, 0),
                               CosemDateTime(2026, 3, 1, 10, 0, 0, 0))
    later = range_access(_moment(START), _moment(END + dt.timedelta(minutes=15)))
    assert access_key(utc) == access_key(unspecified) != access_key(later)


@pytest.mark.skipif(sys.platform == "win32", reason="SIGINT delivery differs on Windows")
def test_simulate_replay_says_how_passwords_are_treated(recorded) -> None:
    path, readings = recorded
    proc = subprocess.Popen(
        [sys.executable, "-c", _RUNNER, "simulate", "--port", "0", "--replay", str(path)],
        stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True, env=dict(os.environ))
    try:
        line = readline_within(proc.stdout, timeout=ANNOUNCE_TIMEOUT)
        assert line and line.startswith("listening on 127.0.0.1:"), proc.stderr
        port = int(line.rsplit(":", 1)[1])
        with WireClient(("127.0.0.1", port), client_sap=32) as client:
            assert client.associate(b"whatever").result is AssociationResult.ACCEPTED
            assert client.get(SERIAL) == Data.octets(readings["serial"])
        proc.send_signal(signal.SIGINT)
        _, err = proc.communicate(timeout=10)
    finally:
        proc.kill()
    assert "replaying visit.wbcap: " in err
    assert "from client 32 to physical 1234, logical 1; the capture's password is masked: " \
           "ANY password is accepted" in err


def test_replay_of_a_damaged_file_is_a_usage_error(tmp_path: Path) -> None:
    bad = tmp_path / "bad.wbcap"
    bad.write_text("#wbcap 1 {not json\n")
    proc = subprocess.run([sys.executable, "-c", _RUNNER, "simulate", "--port", "0",
                           "--replay", str(bad)], capture_output=True, text=True, timeout=30)
    assert proc.returncode == 2
    assert proc.stderr.startswith("workbench simulate: ")
