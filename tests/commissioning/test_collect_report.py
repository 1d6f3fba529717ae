"""A commissioning readout of the simulated meter, checked and reported field by field."""

from __future__ import annotations

import datetime as dt
import re

from tests.session.conftest import PASSWORD
from workbench.commissioning import (
    CollectOptions,
    Status,
    build_report,
    collect_readout,
    readout_from_json,
    readout_to_json,
    render_html,
)
from workbench.session.client import DlmsClient
from workbench.session.settings import ConnectionSettings, Secret
from workbench.simulator.server import MeterServer


def _readout(client: DlmsClient, days: int = 1, **options: object):
    meter = {"name": "Cabinet 3 / bay 2", "peer": "127.0.0.1", "physical": 1234,
             "logical": 1, "client": 16}
    return collect_readout(client, meter, CollectOptions(days=days, **options))  # type: ignore[arg-type]


def test_a_healthy_meter_reads_whole_and_passes(client: DlmsClient) -> None:
    readout = _readout(client, days=2, note="Installed after the fuse box.")  # one whole day
    assert readout.errors == {}
    identity = {v.obis: v.text for v in readout.identity}
    assert identity["0-0:96.1.0.255"].isdigit()
    assert identity["0-0:42.0.0.255"] == "MS-DLMS 2.04"
    volts = [v for v in readout.values if v.unit == "V"]
    assert volts and all(200 < (v.number or 0) < 260 for v in volts)  # single phase
    assert readout.clock is not None and readout.clock.drift_s is not None
    assert abs(readout.clock.drift_s) <= readout.clock.resolution_s + 1
    assert readout.profile is not None and len(readout.profile.times) >= 96
    assert any(c.endswith("[kWh]") for c in readout.profile.columns)
    report = build_report(readout)
    verdicts = {c.name: c.status for c in report.checks}
    assert verdicts["Clock drift"] is Status.PASS
    assert verdicts["|S|² ≈ P² + Q²"] is Status.PASS
    assert all(s is not Status.FAIL for s in verdicts.values()), report.checks
    assert report.completeness is not None
    assert report.completeness.present >= report.completeness.expected - 1
    assert report.day_energy and report.day_energy_unit == "kWh"


def test_the_html_is_self_contained_and_escaped(client: DlmsClient) -> None:
    readout = _readout(client, days=2, note="<script>alert(1)</script> & more")
    html = render_html(build_report(readout))
    assert "<script>" not in html and "&lt;script&gt;" in html
    assert not re.search(r"""(src|href)=["'](https?:|//)""", html)
    assert html.count("data:image/svg+xml;base64,") == 2  # voltage and energy per day
    for text in ("Commissioning report", "Cabinet 3 / bay 2", "Plausibility checks",
                 "Load profile completeness", "Energy registers", "MS-DLMS 2.04"):
        assert text in html


def test_a_clock_sync_reports_drift_before_and_after(meter: MeterServer) -> None:
    host, port = meter.address
    settings = ConnectionSettings(host=host, port=port, client=32, password=Secret(PASSWORD))
    with DlmsClient(settings) as client:
        client.connect()
        readout = _readout(client, sync_clock=True)
    assert readout.clock is not None and readout.clock.synced, readout.errors
    assert readout.clock.drift_after_s is not None
    assert abs(readout.clock.drift_after_s) <= readout.clock.resolution_s + 1


def test_a_public_client_cannot_sync_and_the_report_says_so(client: DlmsClient) -> None:
    readout = _readout(client, sync_clock=True)
    assert readout.clock is not None and not readout.clock.synced
    assert "clock sync" in readout.errors
    assert build_report(readout).verdict is Status.FAIL


def test_a_readout_survives_json(client: DlmsClient) -> None:
    readout = _readout(client)
    again = readout_from_json(readout_to_json(readout))
    assert again == readout
    assert build_report(again, now=dt.datetime.now(dt.UTC)).verdict is not None
