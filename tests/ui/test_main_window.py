"""The real MainWindow against a real simulated meter on loopback TCP: connect, browse, read,
write, refusals, failures in plain language.

Every wait is bounded (``WAIT_MS``); a Qt warning fails the test (see conftest).
"""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from PySide6.QtWidgets import QApplication, QComboBox, QDialog, QLineEdit, QMessageBox

from tests.ui.conftest import LLS_PASSWORD
from workbench.protocol.axdr import Data
from workbench.ui.messages import AttributeRef, LinkState, WriteRequest

VOLTAGE = "1-1:32.7.0.255"
CLOCK = "0-0:1.0.0.255"
DEVIATION = 7  # clock attribute the simulator lets the management client write (i8 minutes)


@pytest.mark.parametrize(("client", "password", "auth"), [
    (16, "", "public, read-only"),
    (32, LLS_PASSWORD, "LLS"),
])
def test_connect_associates_and_fills_the_object_tree(driver, meter, client, password, auth):
    driver.connect(meter, client, password)

    status = driver.statuses[-1]
    assert status.client == client
    assert f"client {client} ({auth})" in status.detail
    assert "✔ Association" in driver.window.status_strip.state_label.text()
    groups = [driver.window.browser.model.item(r, 0).text()
              for r in range(driver.window.browser.model.rowCount())]
    assert "Instantaneous values" in groups
    driver.select(VOLTAGE)
    driver.select(CLOCK)
    assert driver.window.connection.disconnect_button.isEnabled()
    assert not driver.window.connection.connect_button.isEnabled()


def test_wrong_password_is_explained_in_plain_language(driver, meter):
    driver.click_connect(meter, 32, "0000000000")

    driver.wait(lambda: driver.failures)
    failure = driver.failures[-1]
    assert failure.action == "Connect"
    shown = driver.window.last_failure_text() + driver.window.banner.hint_label.text()
    assert re.search(r"authenticat|password", shown, re.IGNORECASE), shown
    assert "Traceback" not in shown and failure.hint
    assert driver.window.browser.model.rowCount() == 0
    driver.wait(lambda: driver.window.connection.connect_button.isEnabled())
    assert driver.state is LinkState.DISCONNECTED


def test_read_all_shows_the_scaled_voltage(driver, meter):
    driver.connect(meter)

    text = driver.read_all(VOLTAGE)

    assert text.endswith(" V"), text
    assert 100.0 < float(text.removesuffix(" V")) < 300.0
    assert driver.value_text(3) != ""  # scaler_unit read in the same request
    table = driver.window.browser.table
    assert table.item(1, 4).text() != ""  # "Read at" time filled


def _fill_write_dialog(kind: str, value: str, seen: list[str]) -> None:
    """Answer the real write dialog (runs from a timer while the dialog's exec() waits)."""
    dialog = QApplication.activeModalWidget()
    assert isinstance(dialog, QDialog), f"expected the write dialog, got {dialog!r}"
    seen.append(dialog.windowTitle())
    dialog.findChild(QComboBox).setCurrentText(kind)
    dialog.findChild(QLineEdit).setText(value)
    dialog.accept()


def test_write_as_lls_goes_through_dialog_and_confirmation(driver, meter, monkeypatch, qtbot):
    driver.connect(meter, 32, LLS_PASSWORD)
    driver.select(CLOCK)
    driver.select_attribute(DEVIATION)
    assert driver.window.browser.write_button.isEnabled()
    seen: list[str] = []
    questions: list[str] = []

    def confirm(_parent, title, text, *_args):
        questions.append(f"{title}: {text}")
        return QMessageBox.StandardButton.Yes

    monkeypatch.setattr(QMessageBox, "question", confirm)
    from PySide6.QtCore import QTimer

    QTimer.singleShot(0, lambda: _fill_write_dialog("i8", "30", seen))
    driver.window.browser.write_button.click()

    assert seen == ["Write attribute"]
    assert len(questions) == 1 and "Confirm write" in questions[0]
    assert CLOCK in questions[0] and "changes the meter" in questions[0]
    driver.wait(lambda: "wrote 30" in driver.window.status_strip.notice())
    assert not driver.failures
    driver.wait(lambda: driver.read_all(CLOCK, DEVIATION) == "30")


def test_cancelled_confirmation_writes_nothing(driver, meter, monkeypatch):
    driver.connect(meter, 32, LLS_PASSWORD)
    driver.select(CLOCK)
    driver.select_attribute(DEVIATION)
    monkeypatch.setattr(QMessageBox, "question",
                        lambda *_a: QMessageBox.StandardButton.No)
    from PySide6.QtCore import QTimer

    requests: list = []
    driver.window.request_sent.connect(requests.append)
    QTimer.singleShot(0, lambda: _fill_write_dialog("i8", "45", []))
    driver.window.browser.write_button.click()

    assert requests == []
    assert driver.read_all(CLOCK, DEVIATION) == "60"  # the simulator's initial deviation


def test_public_client_cannot_write(driver, meter):
    driver.connect(meter)
    driver.select(CLOCK)
    driver.select_attribute(DEVIATION)

    button = driver.window.browser.write_button
    assert not button.isEnabled()
    assert "read-only" in button.toolTip() and "32" in button.toolTip()
    assert not driver.window.browser.action_button.isEnabled()

    # Bypassing the disabled button, the meter itself refuses, and the window says so.
    driver.window.send(WriteRequest(AttributeRef(8, CLOCK, DEVIATION), Data.i8(30)))
    driver.wait(lambda: driver.failures)
    failure = driver.failures[-1]
    assert failure.action == "Write"
    assert re.search(r"denied|refused|not allowed", failure.message, re.IGNORECASE), failure
    assert "Write failed" in driver.window.banner.message_label.text()
    assert driver.window.banner.isVisible()
    assert driver.state is LinkState.ASSOCIATED  # a refusal is not a lost link
    assert driver.read_all(CLOCK, DEVIATION) == "60"


def test_the_session_is_recorded_to_disk_as_it_happens_with_the_password_masked(driver, meter):
    driver.connect(meter, 32, LLS_PASSWORD)
    driver.wait(lambda: driver.window.recording_path)
    path = driver.window.recording_path
    driver.wait(lambda: Path(path).read_text(encoding="utf-8").count("\n") > 4)

    from workbench.capture import load_capture

    capture = load_capture(path)
    sent = b"".join(r.raw for r in capture.records if r.direction == "tx")
    assert LLS_PASSWORD.encode() not in sent
    assert b"*" * len(LLS_PASSWORD) in sent
    assert capture.header.meta["auth"] == "lls"


def test_a_capture_given_on_the_command_line_opens_in_the_frame_log(make_window, tmp_path):
    from workbench.capture import CaptureHeader, save_capture
    from workbench.cli import _capture_argument
    from workbench.session.trace import FrameRecord

    path = tmp_path / "visit.wbcap"
    snrm = bytes.fromhex("7EA00703039 38C117E".replace(" ", ""))
    save_capture(path, [FrameRecord(1.0, "tx", snrm)], CaptureHeader(1, 0.0, {}))
    assert _capture_argument([str(path)]) == path  # what a double-click runs
    window = make_window()
    assert window.open_capture(path)
    assert [p.model.rowCount() for p in window.frame_log.capture_panes()] == [1]
    assert window.frame_log.model.rowCount() == 0  # the live log is another document
    assert window.windowTitle().startswith("visit.wbcap — DLMS Workbench")


def test_an_unreadable_capture_is_reported_not_raised(make_window, tmp_path):
    path = tmp_path / "broken.wbcap"
    path.write_text("not a capture\n", encoding="utf-8")
    window = make_window()
    assert not window.open_capture(path)
    shown = window.banner.message_label.text()
    assert window.banner.isVisible() and "Could not open" in shown, shown
    assert "\n" not in shown.strip()  # one line
