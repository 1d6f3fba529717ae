"""File → Compare readings…: two saved readouts (or a capture) compared in the window."""

from __future__ import annotations

import dataclasses
from pathlib import Path

from tests.helpers import running_meter
from workbench.commissioning import CollectOptions, collect_readout, readout_to_json
from workbench.session.client import DlmsClient
from workbench.session.settings import ConnectionSettings


def _saved_readouts(tmp_path: Path) -> tuple[Path, Path]:
    with running_meter() as meter:
        host, port = meter.address
        with DlmsClient(ConnectionSettings(host=host, port=port, timeout=2)) as client:
            client.connect()
            before = collect_readout(client, {"name": "bay 2"}, CollectOptions(days=0))
    after = dataclasses.replace(before, objects=before.objects[1:],
                                identity=[dataclasses.replace(v, text="MS-DLMS 2.05")
                                          if v.obis == "0-0:42.0.0.255" else v
                                          for v in before.identity])
    a, b = tmp_path / "before.readout.json", tmp_path / "after.readout.json"
    a.write_text(readout_to_json(before), encoding="utf-8")
    b.write_text(readout_to_json(after), encoding="utf-8")
    return a, b


def test_two_readouts_compare_in_a_dialog_that_saves_html(driver, tmp_path) -> None:
    a, b = _saved_readouts(tmp_path)
    action = driver.window.visit.compare_action
    assert action.isEnabled() and "two saved readouts" in action.toolTip()
    dialog = driver.window.visit.compare_files(a, b)
    assert dialog is not None
    text = dialog.text.toPlainText()
    assert "MS-DLMS 2.04 → MS-DLMS 2.05" in text
    assert "- object" in text and "1 object(s) differ" in dialog.summary.text()
    dialog.save_html(tmp_path / "diff.html")
    assert "MS-DLMS 2.05" in (tmp_path / "diff.html").read_text(encoding="utf-8")
    dialog.close()


def test_a_file_that_is_not_a_reading_is_one_failure_in_the_banner(driver, tmp_path) -> None:
    bad = tmp_path / "notes.json"
    bad.write_text("[1, 2", encoding="utf-8")
    assert driver.window.visit.compare_files(bad, bad) is None
    failure = driver.window.banner.failure
    assert failure is not None and "notes.json" in failure.message
    assert "readout.json" in failure.hint
