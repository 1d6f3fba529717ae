"""Files around the window: ``--self-test`` and ``--screenshot`` leave no scratch folder in
the temp directory, and a damaged capture opened from the command line or File → Open is
one line in the failure banner, never an exception that takes the window down."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest
from PySide6.QtWidgets import QFileDialog

DAMAGED = {
    "superscript-version.wbcap": "#wbcap ² {}\n".encode(),
    "huge-version.wbcap": b"#wbcap " + b"9" * 4301 + b"\n",
    "deep-header.wbcap": b"#wbcap 1 " + b"[" * 1000 + b"\n",
    "short-block.pcapng": bytes.fromhex("0a0d0d0a1c0000004d3c2b1a01000000ffffffffffffffff"
                                        "1c000000060000000c0000000c000000"),
}


def _run_window(tmp_path: Path, *args: str) -> subprocess.CompletedProcess:
    env = dict(os.environ, TMPDIR=str(tmp_path), QT_QPA_PLATFORM="offscreen")
    return subprocess.run([sys.executable, "-m", "workbench", *args], env=env, cwd=tmp_path,
                          capture_output=True, text=True, timeout=120)


def _scratch_folders(tmp_path: Path) -> list[str]:
    return [p.name for p in tmp_path.iterdir() if p.is_dir() and p.name.startswith("workbench")]


@pytest.mark.timeout(150)
def test_self_test_and_screenshot_leave_no_scratch_folder(tmp_path):
    done = _run_window(tmp_path, "--self-test")
    assert done.returncode == 0, done.stdout + done.stderr
    assert "self-test ok" in done.stdout
    assert _scratch_folders(tmp_path) == []

    shot = _run_window(tmp_path, "--offscreen", "--screenshot", str(tmp_path / "w.png"),
                       "--after", "0.5")
    assert shot.returncode == 0, shot.stdout + shot.stderr
    assert (tmp_path / "w.png").stat().st_size > 1000
    assert _scratch_folders(tmp_path) == []


@pytest.mark.parametrize("name", sorted(DAMAGED))
def test_a_damaged_capture_is_one_line_not_a_crash(make_window, tmp_path, name):
    path = tmp_path / name
    path.write_bytes(DAMAGED[name])
    window = make_window()

    if window.open_capture(path):  # what ``workbench FILE`` runs; a lenient read skips
        assert "skipped" in window.status_strip.notice()  # the damage, and says so
    else:
        banner = window.banner
        assert banner.isVisible() and "Could not open" in banner.message_label.text()
        assert "\n" not in banner.message_label.text()
        assert "Traceback" not in banner.message_label.text()
        assert window.frame_log.capture_panes() == []
    assert window.thread_.isRunning()  # the session worker is untouched


def test_file_open_reports_a_damaged_capture(make_window, tmp_path, monkeypatch):
    path = tmp_path / "deep-header.wbcap"
    path.write_bytes(DAMAGED["deep-header.wbcap"])
    monkeypatch.setattr(QFileDialog, "getOpenFileName", lambda *_a, **_k: (str(path), ""))
    window = make_window()
    open_action = next(a for a in window.menuBar().actions()[0].menu().actions()
                       if a.text().startswith("&Open"))

    open_action.trigger()

    assert "Could not open" in window.banner.message_label.text()
    window.banner.dismiss_button.click()
    assert not window.banner.isVisible()
