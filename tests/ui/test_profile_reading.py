"""What a profile read sends the view, against the simulated meter over loopback TCP:
columns named with their units, each register column's scale read from the meter, and
link drops during the read reported with the row they happened at."""

from __future__ import annotations

import datetime as dt

from tests.helpers import running_meter
from workbench.session.client import DlmsClient
from workbench.session.settings import ConnectionSettings
from workbench.ui.profile_reading import ColumnScale, ScaledProfileChunk, read_profile

LOAD_PROFILE = "1-0:99.1.0.255"


def _read(server, start: dt.datetime) -> list[ScaledProfileChunk]:
    chunks: list = []
    host, port = server.address
    with DlmsClient(ConnectionSettings(host=host, port=port, timeout=2.0, retries=3)) as client:
        read_profile(client, LOAD_PROFILE, start, None, chunks.append)
    return chunks


def test_columns_carry_the_scale_and_unit_of_each_captured_register() -> None:
    with running_meter() as server:
        chunks = _read(server, dt.datetime.now() - dt.timedelta(hours=6))
    last = chunks[-1]
    assert last.done and not last.link_events
    names = last.columns
    assert names[0] == "Clock"
    assert "Active energy import (+A) [kWh]" in names
    energy = names.index("Active energy import (+A) [kWh]")
    assert last.scales[energy] == ColumnScale(0, 30) and last.scales[0] is None
    rows = [row for chunk in chunks for row in chunk.rows]
    assert 20 <= len(rows) <= 25  # 15-minute rows over 6 hours
    assert isinstance(rows[0][0], dt.datetime)
    status = names.index("Status register (profile status)")
    assert all(isinstance(row[status], str) and row[status].startswith("0x") for row in rows)
    kwh = [last.scales[energy].value(row[energy]) for row in rows]
    assert all(1_000 < v < 1_000_000 for v in kwh), kwh[:3]  # kWh, not Wh


def test_a_link_dropped_mid_read_is_reported_with_its_row() -> None:
    # the meter closes every connection after its 30th frame: a 2-day read needs resumes
    with running_meter(faults=("drop-link-after:30",)) as server:
        chunks = _read(server, dt.datetime.now() - dt.timedelta(days=2))
    rows = sum(len(c.rows) for c in chunks)
    events = [e for c in chunks for e in c.link_events]
    assert chunks[-1].done and 190 <= rows <= 194
    assert events, "the drops were resumed silently"
    for event in events:
        row = int(event.split("at row ")[1].split(",")[0])
        assert 0 < row < rows and event.startswith("link dropped at row ")
        assert ", resumed" in event
