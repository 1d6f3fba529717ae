"""Live polling under control: it runs only with a session, Started, and the Live tab on
screen (or "Keep polling in other tabs"); series can be removed; many plots scroll instead
of squeezing. The window against the simulated meter is in test_polling_window.py."""

from __future__ import annotations

import pytest
from PySide6.QtWidgets import QTabWidget, QWidget

from workbench.ui.widgets.live_panel import LivePanel
from workbench.ui.widgets.live_plot import MIN_PLOT_HEIGHT

T0 = 1_764_064_800.0


@pytest.fixture
def tabs(qtbot) -> tuple[QTabWidget, LivePanel, list[int]]:
    widget = QTabWidget()
    qtbot.addWidget(widget)
    other, panel = QWidget(), LivePanel()
    widget.addTab(other, "Objects")
    widget.addTab(panel, "Live values")
    periods: list[int] = []
    panel.period_changed.connect(periods.append)
    widget.resize(1000, 600)
    widget.show()
    return widget, panel, periods


def test_polls_only_with_a_session_and_the_tab_on_screen(tabs) -> None:
    widget, panel, periods = tabs
    panel.set_session_open(True)
    assert periods == [] and "another tab" in panel.state_label.text()

    widget.setCurrentWidget(panel)
    assert periods == [1000] and panel.state_label.text() == "polling"
    panel.set_session_open(True)  # the status repeats every second: no restart
    assert periods == [1000]

    widget.setCurrentIndex(0)
    assert periods == [1000, 0]
    panel.background_box.setChecked(True)
    assert periods == [1000, 0, 1000]
    panel.set_session_open(False)
    assert periods[-1] == 0 and "not connected" in panel.state_label.text()


def test_start_stop_and_period(tabs) -> None:
    widget, panel, periods = tabs
    widget.setCurrentWidget(panel)
    panel.set_session_open(True)
    panel.start_button.click()
    assert periods == [1000, 0] and panel.start_button.text() == "Start"
    assert "stopped" in panel.state_label.text()
    panel.period_spin.setValue(500)
    assert periods == [1000, 0]  # stopped stays stopped
    panel.start_button.click()
    assert periods == [1000, 0, 500] and panel.start_button.text() == "Stop"


def test_a_series_is_removed_from_the_plot_and_the_poll_list(tabs) -> None:
    _widget, panel, _periods = tabs
    lists: list = []
    panel.series_changed.connect(lists.append)
    for n, (name, unit) in enumerate((("Voltage L1", "V"), ("Current L1", "A"), ("P+", "W"))):
        panel.add_point(name, T0 + n, 1.0, unit)
    assert panel.plot.plot_count() == 3

    panel.plot._series["Current L1"].close_button.click()

    assert "Current L1" not in panel.plot.series_names()
    assert [s.name for s in lists[-1]] == [s.name for s in panel.series]
    assert "Current L1" not in [s.name for s in panel.series]
    assert panel.plot.plot_count() == 2
    panel.add_point("Current L1", T0 + 9, 1.0, "A")  # a sample already in flight
    assert "Current L1" not in panel.plot.series_names()


def test_many_plots_scroll_instead_of_squeezing(tabs, qtbot) -> None:
    widget, panel, _periods = tabs
    widget.setCurrentWidget(panel)
    for n in range(6):
        panel.add_register(3, f"1-1:{60 + n}.7.0.255", f"Series {n}")
        panel.add_point(f"Series {n}", T0, float(n), f"unit{n}")
    plot = panel.plot
    assert plot.plot_count() == 6
    qtbot.waitUntil(lambda: plot.plots.height() >= 6 * MIN_PLOT_HEIGHT)
    assert plot.scroll.verticalScrollBar().maximum() > 0
    for item in plot._plots.values():
        assert item.height() >= MIN_PLOT_HEIGHT - 20
