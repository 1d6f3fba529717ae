"""The event log reads as events: standard codes carry their names, and only numeric columns
are offered for plotting (an event code is not a quantity)."""

from __future__ import annotations

import datetime as dt
import re

from PySide6.QtCore import QDateTime

from workbench.protocol.cosem import event_text
from workbench.ui.messages import ProfileChunk
from workbench.ui.widgets.profile_view import ProfileView

EVENT_LOG = "0-0:99.98.0.255"


def test_standard_codes_are_named_and_others_left_alone() -> None:
    assert event_text(1) == "1 · Power down"
    assert event_text(5) == "5 · Clock adjusted (new time)"
    assert event_text(200) == 200 and event_text(True) is True


def test_event_log_from_the_meter_shows_event_names(driver, meter) -> None:
    driver.connect(meter)
    driver.select(EVENT_LOG)
    driver.window.browser.profile_button.click()
    view = driver.window.profile
    view.from_edit.setDateTime(QDateTime.currentDateTime().addDays(-60))
    view.read_button.click()
    driver.wait(lambda: view.status.text().startswith("done"))

    codes = [row[1] for row in view.model.rows]
    assert codes, "the simulated meter has power events in its history"
    assert all(re.fullmatch(r"\d+ · [A-Z].+", code) for code in codes), codes
    listed = [view.column_list.item(n) for n in range(view.column_list.count())]
    assert all(item.isHidden() for item in listed)  # nothing numeric to plot


def test_only_numeric_columns_are_offered_for_plotting(qtbot) -> None:
    view = ProfileView()
    qtbot.addWidget(view)
    t = dt.datetime(2026, 11, 1, 12, 0)
    view.add_chunk(ProfileChunk("1-0:99.1.0.255", ("Clock", "Status", "Energy"),
                                ((t, "0x80", 12.5),), done=True))

    status, energy = (view.column_list.item(n) for n in range(2))
    assert status.isHidden() and not energy.isHidden()
    assert energy.checkState().name == "Checked"


def test_a_profile_with_nothing_to_plot_disables_the_plot_page(qtbot) -> None:
    view = ProfileView()
    qtbot.addWidget(view)
    view.show()
    t = dt.datetime(2026, 11, 1, 12, 0)
    view.add_chunk(ProfileChunk("0-0:99.98.0.255", ("Clock", "Event code"),
                                ((t, "1 · Power down"),), done=True))
    assert not view.pages.isTabEnabled(1)
    assert "Nothing numeric" in view.pages.tabToolTip(1)
    view.add_chunk(ProfileChunk("1-0:99.1.0.255", ("Clock", "Energy"), ((t, 12.5),), done=True))
    assert view.pages.isTabEnabled(1)
