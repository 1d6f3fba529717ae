"""The Site tab: a site CSV of simulated meters read over loopback, one refused, each row
saying its state, verdict, serial, clock drift or the reason of its failure."""

from __future__ import annotations

import json
import socket
from contextlib import ExitStack
from pathlib import Path

from tests.helpers import running_meter
from tests.ui.conftest import LLS_PASSWORD
from workbench.ui import report_dialog
from workbench.ui.widgets.site_panel import CLOCK, REASON, SERIAL, STATE, VERDICT

SERIALS = ("000019001234", "000019005678", "000019009012")


def _closed_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def _site(tmp_path: Path, ports: list[int]) -> Path:
    site = tmp_path / "site.csv"
    site.write_text(
        "name,host,port,serial,client,password_env\n"
        f"bay 1,127.0.0.1,{ports[0]},{SERIALS[0]},,\n"
        f"bay 2,127.0.0.1,{ports[1]},{SERIALS[1]},32,SITE_PW\n"
        f"bay 3 (refused),127.0.0.1,{_closed_port()},000019000001,,\n"
        f"bay 4,127.0.0.1,{ports[2]},{SERIALS[2]},,\n", encoding="utf-8")
    return site


def _cell(panel, row: int, column: int) -> str:
    item = panel.table.item(row, column)
    return item.text() if item is not None else ""


def test_a_site_runs_in_the_background_with_a_row_per_meter(
        driver, tmp_path, monkeypatch) -> None:
    monkeypatch.setenv("SITE_PW", LLS_PASSWORD)
    opened: list[Path] = []
    monkeypatch.setattr(report_dialog, "open_path", opened.append)
    window = driver.window
    panel = window.visit.site
    with ExitStack() as stack:
        ports = [stack.enter_context(running_meter(serial=s, password=LLS_PASSWORD)).address[1]
                 for s in SERIALS]
        assert panel.load(_site(tmp_path, ports))
        assert [_cell(panel, r, STATE) for r in range(4)] == ["waiting"] * 4
        panel.folder_edit.setText(str(tmp_path / "out"))
        panel.jobs_spin.setValue(2)
        panel.run_button.click()
        assert panel.running and panel.cancel_button.isEnabled()
        driver.wait(lambda: not panel.running)

    states = [_cell(panel, r, STATE) for r in range(4)]
    assert states == ["done", "done", "failed", "done"], states
    assert [_cell(panel, r, SERIAL) for r in (0, 1, 3)] == list(SERIALS)
    assert all(_cell(panel, r, VERDICT) in ("PASS", "WARN") for r in (0, 1, 3))
    assert all(_cell(panel, r, CLOCK).startswith("on time (within") for r in (0, 1, 3))
    assert "refused" in _cell(panel, 2, REASON).lower()
    assert panel.progress.value() == 4
    assert "3 of 4 meters read, 1 failed" in panel.site_label.text()
    readout = json.loads((tmp_path / "out" / "bay_2.readout.json").read_text("utf-8"))
    assert readout["meter"]["client"] == 32 and readout["identity"][0]["text"] == SERIALS[1]
    assert LLS_PASSWORD not in (tmp_path / "out" / "bay_2.wbcap").read_text("utf-8")

    panel.table.selectRow(1)
    assert panel.open_report_button.isEnabled()
    panel.open_report_button.click()
    assert opened == [tmp_path / "out" / "bay_2.html"]
    assert "bay 2" in opened[0].read_text("utf-8")
    panel.table.selectRow(2)
    assert not panel.open_report_button.isEnabled()


def test_a_bad_site_file_names_the_line(driver, tmp_path) -> None:
    site = tmp_path / "bad.csv"
    site.write_text("name,host,port\nbay,127.0.0.1,99999\n", encoding="utf-8")
    panel = driver.window.visit.site
    assert not panel.load(site)
    assert "line 2: port '99999'" in panel.site_label.text()
    assert not panel.run_button.isEnabled()


def test_cancel_stops_the_site_and_says_so_per_meter(driver, tmp_path) -> None:
    panel = driver.window.visit.site
    with ExitStack() as stack:
        ports = [stack.enter_context(running_meter(serial=s, rtt_ms=150)).address[1]
                 for s in SERIALS]
        site = tmp_path / "slow.csv"
        site.write_text("name,host,port,serial\n" + "".join(
            f"slow {i},127.0.0.1,{p},{s}\n" for i, (p, s) in enumerate(
                zip(ports, SERIALS, strict=True))), encoding="utf-8")
        assert panel.load(site)
        panel.folder_edit.setText(str(tmp_path / "out"))
        panel.jobs_spin.setValue(1)
        panel.run_button.click()
        driver.wait(lambda: _cell(panel, 0, STATE) not in ("waiting", "connecting"))
        panel.cancel_button.click()
        driver.wait(lambda: not panel.running)
    reasons = [_cell(panel, r, REASON) for r in range(3)]
    assert [_cell(panel, r, STATE) for r in range(3)] == ["failed"] * 3, reasons
    assert "cancelled" in reasons[0].lower()
    assert reasons[1:] == ["cancelled before it started"] * 2
    assert panel.run_button.isEnabled() and not panel.cancel_button.isEnabled()
