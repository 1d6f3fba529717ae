"""Two readouts of the simulated meter compared: a clock change and an object-list change."""

from __future__ import annotations

import dataclasses
import json
from pathlib import Path

import pytest

from tests.session.conftest import PASSWORD
from workbench.cli import main
from workbench.commissioning import CollectOptions, collect_readout, readout_to_json
from workbench.commissioning.compare import compare_readouts, comparison_text
from workbench.protocol.apdu import CLOCK, AttributeDescriptor
from workbench.protocol.axdr import CosemDateTime, Data
from workbench.session.client import DlmsClient
from workbench.session.settings import ConnectionSettings, Secret
from workbench.simulator.server import MeterServer

METER = {"name": "bay 2", "peer": "loopback"}


def _read(client: DlmsClient):
    return collect_readout(client, METER, CollectOptions(days=0))


def test_a_clock_change_shows_in_the_comparison(meter: MeterServer, tmp_path: Path,
                                                capsys: pytest.CaptureFixture[str]) -> None:
    host, port = meter.address
    settings = ConnectionSettings(host=host, port=port, client=32, password=Secret(PASSWORD))
    with DlmsClient(settings) as client:
        client.connect()
        before = _read(client)
        shifted = CosemDateTime.from_datetime(
            client.read_clock().to_datetime().replace(year=2030))
        client.set(AttributeDescriptor(8, CLOCK, 2), Data.octets(shifted.encode()))
        after = _read(client)
    comparison = compare_readouts(before, after)
    assert "clock drift" in comparison.clock and comparison.clock.count("s") >= 2
    assert after.clock is not None and after.clock.drift_s is not None
    assert after.clock.drift_s > 3 * 365 * 86400  # the meter is now years ahead
    a, b = tmp_path / "a.readout.json", tmp_path / "b.readout.json"
    a.write_text(readout_to_json(before), encoding="utf-8")
    b.write_text(readout_to_json(after), encoding="utf-8")
    assert main(["compare", str(a), str(b), "--html", str(tmp_path / "c.html")]) == 1
    out = capsys.readouterr().out
    assert "clock drift" in out and "→" in out
    assert "Comparison" in (tmp_path / "c.html").read_text(encoding="utf-8")


def test_object_list_and_value_differences_are_named(meter: MeterServer) -> None:
    host, port = meter.address
    with DlmsClient(ConnectionSettings(host=host, port=port)) as client:
        client.connect()
        reference = _read(client)
    changed = dataclasses.replace(reference, objects=reference.objects[1:],
                                  values=[dataclasses.replace(v, text="999 V", number=999.0)
                                          if v.unit == "V" else v for v in reference.values])
    comparison = compare_readouts(reference, changed)
    assert comparison.removed and reference.objects[0].obis in comparison.removed[0]
    volts = [v for v in comparison.values if v.after == "999 V"]
    assert volts and volts[0].difference.endswith(" V")
    assert "999 V" in comparison_text(comparison)
    assert compare_readouts(reference, reference).identical


def test_a_file_that_is_not_a_readout_is_a_usage_error(
        tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    bad = tmp_path / "bad.json"
    for content in ("[" * 5000, "{}", json.dumps({"format": "dlms-workbench-readout/1"}),
                    "\xff\xfe"):
        bad.write_text(content, encoding="latin-1")
        assert main(["compare", str(bad), str(bad)]) == 2
        assert str(bad) in capsys.readouterr().err


def test_a_capture_compares_with_the_readout_made_in_the_same_visit(
        meter: MeterServer, tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    host, port = meter.address
    out = tmp_path / "visit.html"
    assert main(["report", "--host", host, "--port", str(port), "--out", str(out),
                 "--days", "0", "--json"]) == 0
    capsys.readouterr()
    readout = tmp_path / "visit.readout.json"
    code = main(["compare", str(tmp_path / "visit.wbcap"), str(readout), "--json"])
    data = json.loads(capsys.readouterr().out)
    assert code in (0, 1)
    assert data["added"] == [] and data["removed"] == []  # the same object list
    serials = [v for v in data["values"] if v["key"] == "0-0:96.1.0.255:2"]
    assert serials == []  # the capture's serial number equals the readout's
    changed = {v["key"] for v in data["values"]}
    # only what moves with time may differ: instantaneous values (x.7) and energies (x.8),
    # the capture keeping the energies' second read, the readout their first
    assert all(".7." in key or ".8." in key for key in changed), changed
