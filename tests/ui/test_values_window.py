"""The real window against the simulated meter: values read as an engineer reads them, and
Enter in the object tree reads the selected object."""

from __future__ import annotations

import re

from PySide6.QtCore import Qt

VOLTAGE = "1-1:32.7.0.255"


def _tooltip(driver, attribute: int) -> str:
    table = driver.window.browser.table
    row = next(r for r in range(table.rowCount()) if table.item(r, 0).text() == str(attribute))
    return table.item(row, 2).toolTip()


def test_logical_name_is_obis_with_the_raw_bytes_on_hover(driver, meter) -> None:
    driver.connect(meter)
    assert driver.read_all(VOLTAGE, attribute=1) == VOLTAGE
    assert _tooltip(driver, 1) == "raw: 0x0101200700FF"
    volts = driver.value_text(2)
    assert re.fullmatch(r"2\d\d(\.\d)? V", volts), volts  # exactly 230.0 reads "230 V"


def test_clock_energy_and_enums_read_by_name(driver, meter) -> None:
    driver.connect(meter)
    clock = driver.read_all("0-0:1.0.0.255")
    assert re.match(r"20\d\d-\d\d-\d\d \d\d:\d\d:\d\d", clock) and "0x" not in clock
    assert driver.value_text(9) == "internal crystal (1)"

    assert driver.read_all("0-0:96.3.10.255", attribute=3) == "connected (1)"
    assert driver.value_text(4) == "remote disconnect; remote reconnect acts at once (2)"

    assert driver.read_all("0-0:22.0.0.255") == "9600 baud (5)"
    assert driver.read_all("0-0:42.0.0.255") == '"MS-DLMS 2.04"'
    energy = driver.read_all("1-1:1.8.0.255")
    assert re.fullmatch(r"[\d,]+\.\d{3} kWh", energy), energy


def test_capture_objects_list_obis_codes(driver, meter) -> None:
    driver.connect(meter)
    driver.select("1-0:99.1.0.255")
    driver.select_attribute(3)
    driver.window.browser.read_button.click()
    driver.wait(lambda: driver.value_text(3))
    assert driver.value_text(3).startswith(
        "[0-0:1.0.0.255 /2 (class 8), 1-1:1.8.0.255 /2 (class 3)")


def test_enter_in_the_object_tree_reads_the_selected_object(driver, meter, qtbot) -> None:
    driver.connect(meter)
    driver.select(VOLTAGE)
    assert driver.value_text(2) == ""
    driver.window.browser.tree.setFocus()

    qtbot.keyClick(driver.window.browser.tree, Qt.Key.Key_Return)

    driver.wait(lambda: driver.value_text(2).endswith(" V"))
    assert driver.value_text(1) == VOLTAGE
