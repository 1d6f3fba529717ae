"""Objects without the object list: the association's list exported and imported as JSON
(the `workbench objects --export/--import` format), and any (class, OBIS, attribute)
typed by hand read, written and plotted from the real window over loopback."""

from __future__ import annotations

import json
from pathlib import Path

from tests.ui.conftest import LLS_PASSWORD
from workbench.cli import main
from workbench.protocol.axdr import Data
from workbench.session.object_file import read_object_file
from workbench.ui import dialogs

CLOCK = "0-0:1.0.0.255"


def _tree_objects(window) -> int:
    model = window.browser.model
    return sum(model.item(row).rowCount() for row in range(model.rowCount()))


def test_the_object_list_goes_out_as_json_and_comes_back(
        make_window, qtbot, meter, tmp_path, monkeypatch) -> None:
    from tests.ui.conftest import WindowDriver

    driver = WindowDriver(make_window(), qtbot)
    driver.connect(meter)
    window = driver.window
    assert window.visit.export_action.isEnabled()
    path = tmp_path / "objects.json"
    assert window.visit.export_objects(path)
    payload = json.loads(path.read_text("utf-8"))
    assert payload["format"] == 1 and payload["meta"]["client"] == 16
    entries, meta = read_object_file(path)
    assert f"{meter.address[0]}:{meter.address[1]}" in str(meta["meter"])
    assert len(entries) == _tree_objects(window) > 10
    assert any(str(e.obis) == CLOCK and e.class_id == 8 for e in entries)
    # the command line takes the window's file as it is
    monkeypatch.setenv("XDG_CACHE_HOME", str(tmp_path / "cache"))
    host, port = meter.address
    assert main(["objects", "--import", str(path), "--host", host, "--port", str(port)]) == 0

    fresh = make_window()  # never connected: the tree comes from the file alone
    assert _tree_objects(fresh) == 0
    assert fresh.visit.import_objects(path)
    assert _tree_objects(fresh) == len(entries)
    assert fresh.browser.select_obis(CLOCK)
    assert f"{len(entries)} objects imported from objects.json" in fresh.status_strip.notice()


def test_a_damaged_object_file_is_one_failure_naming_the_entry(driver, tmp_path) -> None:
    path = tmp_path / "bad.json"
    path.write_text(json.dumps({"format": 1, "entries": [
        {"class_id": 3, "version": 0, "obis": "1-0:1.8.0.255", "attributes": {"x": 1},
         "methods": {}}]}), encoding="utf-8")
    assert not driver.window.visit.import_objects(path)
    assert "entry 1 (1-0:1.8.0.255): attributes: key 'x'" in driver.failures[-1].message
    assert _tree_objects(driver.window) == 0


def test_an_object_typed_by_obis_is_read_written_and_plotted(
        driver, meter, monkeypatch) -> None:
    driver.connect(meter, 32, LLS_PASSWORD)
    window = driver.window
    dialog = window.visit.open_obis_dialog()
    dialog.obis_edit.setText("1-1:32.7.0.255")  # voltage L1, class 3 attribute 2
    dialog.read_button.click()
    driver.wait(lambda: dialog.value_label.text().endswith(" V"))
    assert dialog.name_label.text()  # the OBIS code has a name

    dialog.plot_button.click()
    assert window.tabs.currentWidget() is window.plot
    assert any(s.obis == "1-1:32.7.0.255" for s in window.plot.series)

    asked: list[tuple[int, str, int]] = []

    def typed_value(_parent, entry, attribute):
        asked.append((entry.class_id, str(entry.obis), attribute))
        return Data.i8(30)

    monkeypatch.setattr(dialogs, "ask_value", typed_value)
    dialog.class_combo.setCurrentIndex(dialog.class_combo.findData(8))
    dialog.obis_edit.setText(CLOCK)
    dialog.attribute_spin.setValue(7)  # daylight_savings_deviation, minutes
    assert not dialog.plot_button.isEnabled() and "register" in dialog.plot_button.toolTip()
    dialog.write_button.click()
    assert asked == [(8, CLOCK, 7)]
    driver.wait(lambda: "wrote" in window.status_strip.notice())
    dialog.read_button.click()
    driver.wait(lambda: "30" in dialog.value_label.text())
    assert not driver.failures, driver.failures


def test_the_public_client_may_read_by_obis_but_not_write(driver, meter) -> None:
    driver.connect(meter)
    dialog = driver.window.visit.open_obis_dialog()
    assert dialog.read_button.isEnabled()
    assert not dialog.write_button.isEnabled()
    assert "read-only" in dialog.write_button.toolTip()
    dialog.obis_edit.setText("1-0:99.1")
    assert not dialog.read_button.isEnabled()
    assert "Not an OBIS code" in dialog.name_label.text()


def test_the_recording_of_this_connection_is_saved_masked(driver, meter, tmp_path) -> None:
    from workbench.capture import load_capture

    driver.connect(meter, 32, LLS_PASSWORD)
    window = driver.window
    assert window.visit.save_recording_action.isEnabled()
    for name in ("visit.wbcap", "visit.pcapng"):
        target = tmp_path / name
        assert window.visit.save_recording_as(target)
        saved = load_capture(target)
        assert len(saved.records) >= 8  # SNRM/UA, AARQ/AARE, identity, object list...
        assert LLS_PASSWORD.encode() not in target.read_bytes()
        assert f"frames of this connection saved to {target}" in window.status_strip.notice()
    assert not window.visit.save_recording_as(Path(window.recording_path))
    assert "the recording itself" in driver.failures[-1].message
