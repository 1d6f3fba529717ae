"""Screenshots of the Site tab and the commissioning report dialog on real screen sizes
(1366×768 at 100 % and 1920×1080 at 150 %), each size in a child pytest as in
:mod:`tests.ui.test_main_window_screenshots`, plus the report's first A4 page as PNG.
Regenerate the committed ones with:
    WORKBENCH_SCREENSHOTS=/tmp/shots .venv/bin/pytest tests/ui/test_visit_screenshots.py
and copy site-panel.png, report.png and report-a4.png to docs/screenshots/.
"""

from __future__ import annotations

import os
import shutil
import socket
import subprocess
from contextlib import ExitStack

import pytest
from PySide6.QtWidgets import QApplication

from tests.helpers import running_meter
from tests.ui.conftest import LLS_PASSWORD
from tests.ui.test_main_window_screenshots import (
    SCREENS,
    _name,
    _not_cut,
    _save,
    run_on_screen,
    shots,
)
from workbench.ui import report_dialog

__all__ = ["shots"]  # the fixture, shared with the main views' screenshots


def _closed_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


@pytest.mark.skipif(os.environ.get("WORKBENCH_SCREEN") is None, reason="runs in the child")
def test_screenshot_of_the_site_tab(driver, shots, tmp_path, monkeypatch):
    monkeypatch.setenv("BAY_PW", LLS_PASSWORD)
    window = driver.window
    window.showMaximized()
    panel = window.visit.site
    window.tabs.setCurrentWidget(panel)
    serials = ("000019001234", "000019005678", "000019009012", "000019003456")
    with ExitStack() as stack:
        ports = [stack.enter_context(running_meter(serial=s, password=LLS_PASSWORD,
                                                   time_source=_skewed(i))).address[1]
                 for i, s in enumerate(serials)]
        site = tmp_path / "substation-4.csv"
        site.write_text("name,host,port,serial,client,password_env\n" + "".join(
            f"Bay {i + 1},127.0.0.1,{p},{s},{32 if i % 2 else ''},{'BAY_PW' if i % 2 else ''}\n"
            for i, (p, s) in enumerate(zip(ports, serials, strict=True)))
            + f"Bay 5 (modem off),127.0.0.1,{_closed_port()},000019000005,,\n"
            + f"Bay 6,127.0.0.1,{ports[0]},000019007777,,\n", encoding="utf-8")
        assert panel.load(site)
        panel.folder_edit.setText(str(tmp_path / "site"))
        panel.run_button.click()
        driver.wait(lambda: not panel.running, timeout=60_000)
    panel.table.selectRow(1)
    _save(window, shots / _name("site-panel"))
    _not_cut(panel.site_label)


def _skewed(index: int):
    import time

    offsets = (0.0, 42.0, -3.0, 0.0)
    return lambda: time.time() + offsets[index]


@pytest.mark.skipif(os.environ.get("WORKBENCH_SCREEN") is None, reason="runs in the child")
def test_screenshot_of_the_report_dialog(driver, shots, tmp_path, monkeypatch):
    monkeypatch.setattr(report_dialog, "open_path", lambda path: True)
    window = driver.window
    window.showMaximized()
    with running_meter(password=LLS_PASSWORD) as meter:
        driver.connect(meter, 32, LLS_PASSWORD)
        window.visit.report_action.trigger()
        dialog = window.visit.report_dialog
        dialog.name_edit.setText("Substation 4, bay 2")
        dialog.note_edit.setPlainText("Seals intact. CT ratio 1. Meter replaced after the "
                                      "storm of 28 November; old meter 000019004411.")
        dialog.days_spin.setValue(3)
        dialog.folder_edit.setText(str(tmp_path / "reports"))
        dialog.start_button.click()
        driver.wait(lambda: dialog.files is not None or not dialog.running, timeout=60_000)
    assert dialog.files is not None, dialog.step_label.text()
    for _ in range(3):
        QApplication.processEvents()
    image = dialog.grab().toImage()
    assert image.save(str(shots / _name("report"))), "could not write the dialog shot"
    assert dialog.result_label.width() > 300
    pdf = shots / "report.pdf"
    shutil.copyfile(dialog.files.pdf, pdf)
    if shutil.which("pdftoppm") and os.environ.get("WORKBENCH_SCREEN") == "1366x768":
        subprocess.run(["pdftoppm", "-r", "80", "-f", "1", "-l", "1", "-png", "-singlefile",
                        str(pdf), str(shots / "report-a4")], check=True, timeout=60)
        assert (shots / "report-a4.png").stat().st_size > 10_000


@pytest.mark.parametrize("screen", sorted(SCREENS))
@pytest.mark.skipif(os.environ.get("WORKBENCH_SCREEN") is not None, reason="the child run")
def test_visit_screenshots_on_each_screen(shots, tmp_path, screen) -> None:
    run_on_screen(__file__, screen, shots, tmp_path)
    name = "site-panel.png" if screen == "1366x768" else f"site-panel-{screen}.png"
    assert (shots / name).stat().st_size > 10_000
