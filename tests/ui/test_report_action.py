"""Meter → Commissioning report… over the open connection of the real window: the same
HTML and PDF as `workbench report`, tied to the connection's recording by its SHA-256,
written off the GUI thread with its steps shown, and stoppable with Cancel."""

from __future__ import annotations

import hashlib
import json
import shutil
import subprocess
from pathlib import Path

import pytest

from tests.helpers import running_meter
from tests.ui.conftest import LLS_PASSWORD
from workbench.capture import load_capture
from workbench.ui import report_dialog
from workbench.ui.report_job import REPORT_STEPS

NOTE = "Cabinet 4 — seals intact, CT ratio 1"


def _report_dialog(driver, tmp_path: Path):
    window = driver.window
    action = window.visit.report_action
    assert action.isEnabled(), action.toolTip()
    action.trigger()
    dialog = window.visit.report_dialog
    dialog.folder_edit.setText(str(tmp_path / "reports"))
    return dialog


def test_the_report_is_written_from_the_open_connection_and_opened(
        driver, tmp_path, monkeypatch) -> None:
    opened: list[Path] = []
    monkeypatch.setattr(report_dialog, "open_path", opened.append)
    steps: list[str] = []
    driver.window.worker.job_progress.connect(lambda p: steps.append(p.step))
    with running_meter(password=LLS_PASSWORD, serial="000019004321") as meter:
        driver.window.connection.serial_edit.setText("000019004321")
        driver.connect(meter, 32, LLS_PASSWORD)
        dialog = _report_dialog(driver, tmp_path)
        assert dialog.sync_check.isEnabled()
        dialog.note_edit.setPlainText(NOTE)
        dialog.name_edit.setText("Bay 7")
        dialog.days_spin.setValue(2)
        dialog.sync_check.setChecked(True)
        dialog.start_button.click()
        assert dialog.running and dialog.close_button.text() == "Cancel"
        driver.wait(lambda: dialog.files is not None or not dialog.running)

    files = dialog.files
    assert files is not None, dialog.step_label.text()
    assert opened == [files.html]
    assert files.html.name == "report-Bay_7.html"
    html = files.html.read_text("utf-8")
    for text in (NOTE, "000019004321", "Bay 7", files.sha256):
        assert text in html, text
    assert files.pdf.read_bytes().startswith(b"%PDF")
    if shutil.which("pdftotext"):
        text = subprocess.run(["pdftotext", str(files.pdf), "-"], capture_output=True,
                              text=True, check=True).stdout
        assert "Commissioning report" in text and "000019004321" in text
    # the capture beside the report is this connection's recording, hashed as printed
    assert files.capture == files.html.with_suffix(".wbcap")
    assert hashlib.sha256(files.capture.read_bytes()).hexdigest() == files.sha256
    recorded = load_capture(files.capture)
    assert len(recorded.records) > 20 and recorded.header.meta["client"] == 32
    assert LLS_PASSWORD not in files.capture.read_text("utf-8")
    clock = json.loads(files.readout.read_text("utf-8"))["clock"]
    assert clock["synced"] is True and abs(clock["drift_after_s"]) <= clock["resolution_s"]
    assert steps[:3] == list(REPORT_STEPS[:3]) and steps[-1] == "writing the PDF"
    assert dialog.progress.value() == dialog.progress.maximum()
    assert files.verdict.upper() in dialog.step_label.text()


def test_the_public_client_cannot_sync_and_says_why(driver, meter, tmp_path) -> None:
    driver.connect(meter)
    dialog = _report_dialog(driver, tmp_path)
    assert not dialog.sync_check.isEnabled()
    assert "read-only" in dialog.sync_check.toolTip()
    assert not dialog.order().sync_clock
    dialog.reject()


@pytest.mark.parametrize("rtt_ms", [150])
def test_cancel_stops_the_report_and_writes_nothing(driver, tmp_path, rtt_ms) -> None:
    with running_meter(password=LLS_PASSWORD, rtt_ms=rtt_ms) as meter:
        driver.connect(meter)
        dialog = _report_dialog(driver, tmp_path)
        dialog.days_spin.setValue(7)
        dialog.start_button.click()
        driver.wait(lambda: "Now:" in dialog.step_label.text())
        dialog.close_button.click()  # "Cancel" while running
        driver.wait(lambda: not dialog.running)
    assert dialog.step_label.text() == "Cancelled: no report was written."
    assert dialog.files is None
    assert not list((tmp_path / "reports").glob("*.html"))
    assert not driver.failures, driver.failures
    assert "cancelled" in driver.window.status_strip.notice()
