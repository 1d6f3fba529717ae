"""A failed connect stays in view in the failure banner until a connect works (a status-bar
message was cut off and dropped), the probe says what to change in the form, and the
panel scrolls rather than squashing its fields at 1366×768."""

from __future__ import annotations

from PySide6.QtWidgets import QScrollArea

from tests.ui.conftest import LLS_PASSWORD
from workbench.session.probe import ProbeAttempt, ProbeReport
from workbench.ui.meter_io import window_advice


def test_wrong_password_is_shown_until_a_new_connect(driver, meter) -> None:
    banner = driver.window.banner
    driver.click_connect(meter, 32, "1111111111")
    driver.wait(lambda: driver.failures)

    shown = banner.message_label.text() + banner.hint_label.text()
    assert banner.isVisible() and "Connect failed" in shown
    assert "password" in shown.lower()
    driver.wait(lambda: driver.window.connection.connect_button.isEnabled())

    driver.failures.clear()
    driver.click_connect(meter, 32, LLS_PASSWORD)
    assert not banner.isVisible() and banner.message_label.text() == ""  # cleared at once
    driver.connect(meter, 32, LLS_PASSWORD)


def test_connection_panel_scrolls_instead_of_squashing(make_window) -> None:
    window = make_window()
    area = window.connection_dock.widget()
    assert isinstance(area, QScrollArea)
    assert window.connection.parentWidget() is area.widget()
    assert area.minimumWidth() >= window.connection.minimumSizeHint().width()


def _attempt(physical: int, client: int, password: bool, outcome: str) -> ProbeAttempt:
    return ProbeAttempt(physical, client, password, outcome, "")


def test_probe_advice_names_form_fields_and_blames_the_password() -> None:
    report = ProbeReport("127.0.0.1", 3333, attempts=[
        _attempt(1234, 32, True, "rejected"), _attempt(1234, 16, False, "associated"),
        _attempt(1234, 1, True, "rejected")])

    advice = window_advice(report)

    assert "password was refused (clients 1, 32)" in advice
    assert "Serial ending in 1234" in advice and "Client 16" in advice
    assert "--" not in advice  # no command-line options in the window


def test_probe_advice_for_a_silent_meter_points_at_the_serial() -> None:
    report = ProbeReport("127.0.0.1", 3333, attempts=[_attempt(9999, 16, False, "silent")])
    assert "Serial field" in window_advice(report)
