"""The real window against the simulated meter: the profile view in engineering units, a
profile's Read all going to the profile view, From/To refused, link drops said, and the
table showing some fifteen rows at 1366×768."""

from __future__ import annotations

import re

from PySide6.QtCore import QDateTime

from tests.helpers import running_meter
from tests.ui.conftest import LLS_PASSWORD

LOAD_PROFILE = "1-0:99.1.0.255"
ENERGY = "Active energy import (+A) [kWh]"


def _read_days(window, days: int) -> None:
    view = window.profile
    view.from_edit.setDateTime(QDateTime.currentDateTime().addDays(-days))
    view.to_edit.setDateTime(QDateTime.currentDateTime())
    window.tabs.setCurrentWidget(view)
    view.read_button.click()


def test_profile_rows_are_in_kwh_and_fifteen_fit_at_1366x768(driver, meter) -> None:
    window = driver.window
    window.resize(1366, 768)
    driver.connect(meter)
    _read_days(window, 2)
    view = window.profile
    driver.wait(lambda: view.status.text().startswith("done"))

    column = view.model.columns.index(ENERGY)
    text = view.model.text(0, column)
    assert re.fullmatch(r"\d{1,6}\.\d{3}", text), text  # kWh with Wh resolution
    assert view.progress.value() == 100
    table = view.table
    visible = table.viewport().height() // table.verticalHeader().defaultSectionSize()
    assert visible >= 15, f"only {visible} rows visible at 1366x768"


def test_read_all_on_a_profile_goes_to_the_profile_view(driver) -> None:
    with running_meter(password=LLS_PASSWORD, history_days=3) as meter:
        driver.connect(meter)
        driver.select(LOAD_PROFILE)
        driver.window.browser.read_all_button.click()

        view = driver.window.profile
        assert driver.window.tabs.currentWidget() is view
        assert view.cancel_button.isEnabled() and view.obis == LOAD_PROFILE
        driver.wait(lambda: view.status.text().startswith("done"))
        assert 3 * 96 - 2 <= len(view.model.rows) <= 3 * 96 + 2
        assert view.progress.value() == 100
        driver.window.tabs.setCurrentWidget(driver.window.browser)
        assert driver.value_text(2) == "→ rows in the Profile view"
        driver.wait(lambda: driver.value_text(7))  # entries_in_use, read into its cell
        assert not driver.failures


def test_read_all_on_a_profile_can_be_cancelled(driver) -> None:
    with running_meter(password=LLS_PASSWORD, rtt_ms=15) as slow:
        driver.connect(slow)
        driver.select(LOAD_PROFILE)
        driver.window.browser.read_all_button.click()
        view = driver.window.profile
        driver.wait(lambda: len(view.model.rows) > 0)
        view.cancel_button.click()
        driver.wait(lambda: view.read_button.isEnabled())
        assert re.fullmatch(r"cancelled — \d+ rows kept", view.status.text())


def test_from_later_than_to_is_refused_in_the_window(driver, meter) -> None:
    driver.connect(meter)
    view = driver.window.profile
    driver.window.tabs.setCurrentWidget(view)
    view.from_edit.setDateTime(view.to_edit.dateTime().addSecs(3600))
    assert not view.read_button.isEnabled()
    assert "later than To" in view.status.text()
    assert view.progress.value() == 0 and not view.status.text().startswith("done")


def test_link_drops_during_a_read_are_said_in_the_profile_status(driver) -> None:
    with running_meter(password=LLS_PASSWORD, faults=("drop-link-after:400",)) as flaky:
        driver.connect(flaky)
        _read_days(driver.window, 20)
        view = driver.window.profile
        driver.wait(lambda: view.read_button.isEnabled(), timeout=60_000)
        status = view.status.text()
        assert status.startswith("done"), status
        assert re.search(r"link dropped at row \d+, resumed", status), status
        assert 20 * 96 - 2 <= len(view.model.rows) <= 20 * 96 + 2
