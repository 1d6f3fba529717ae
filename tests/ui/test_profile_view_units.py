"""Profile view: engineering units, per-interval plot, From/To refused, link drops said.

Chunks are built as ``profile_reading`` sends them; the same view against the simulated
meter through the real window is in test_profile_window.py.
"""

from __future__ import annotations

import datetime as dt

import numpy as np
import pytest
from PySide6.QtCore import Qt

from workbench.ui.profile_reading import ColumnScale, ScaledProfileChunk
from workbench.ui.widgets.profile_plot import CUMULATIVE, PER_INTERVAL
from workbench.ui.widgets.profile_view import ProfileView

T0 = dt.datetime(2026, 11, 24, 0, 15)
QUARTER = dt.timedelta(minutes=15)
COLUMNS = ("Clock", "Status register (profile status)", "Active energy import (+A) [kWh]")
SCALES = (None, None, ColumnScale(0, 30))
ROWS = tuple((T0 + i * QUARTER, "0x00", 85_737_000 + 100 * i + (i % 3)) for i in range(8))


@pytest.fixture
def view(qtbot) -> ProfileView:
    widget = ProfileView()
    qtbot.addWidget(widget)
    widget.resize(1000, 500)
    widget.show()
    return widget


def test_energy_shown_in_kwh_with_the_raw_value_on_hover(view) -> None:
    view.add_chunk(ScaledProfileChunk("1-0:99.1.0.255", COLUMNS, ROWS, done=True, scales=SCALES))
    index = view.model.index(0, 2)
    assert view.model.data(index) == "85737.000"
    assert view.model.data(index, Qt.ItemDataRole.ToolTipRole) == "raw 85737000 · scaler 0"
    assert view.model.headerData(2, Qt.Orientation.Horizontal) == \
        "Active energy import (+A)\n[kWh]"
    assert view.model.data(view.model.index(0, 1)) == "0x00"


def test_plot_per_interval_by_default_and_cumulative_by_choice(view) -> None:
    view.add_chunk(ScaledProfileChunk("1-0:99.1.0.255", COLUMNS, ROWS, done=True, scales=SCALES))
    assert view.plot_page.mode.currentText() == PER_INTERVAL
    times, deltas = view.plot_page.series(2)
    expected = np.diff([r[2] / 1000 for r in ROWS])
    assert len(times) == len(ROWS) - 1 and np.allclose(deltas, expected)
    assert view.plot.getPlotItem().getAxis("left").labelText == "kWh per interval"

    view.plot_page.mode.setCurrentText(CUMULATIVE)
    _times, values = view.plot_page.series(2)
    assert np.allclose(values, [r[2] / 1000 for r in ROWS])
    assert values.max() < 1e6, "plotted in kWh, not 8.57e+07 Wh"
    assert view.plot.getPlotItem().getAxis("left").labelText == "kWh"


def test_from_later_than_to_is_refused_with_a_message(view, qtbot) -> None:
    sent: list = []
    view.read_requested.connect(sent.append)
    view.from_edit.setDateTime(view.to_edit.dateTime().addDays(1))

    assert not view.read_button.isEnabled()
    assert view.status.text().startswith("From (") and "later than To" in view.status.text()
    assert "later than To" in view.read_button.toolTip()
    view._on_read()  # what a shortcut would do with the button disabled
    assert sent == [] and view.progress.value() == 0

    view.from_edit.setDateTime(view.to_edit.dateTime().addDays(-1))
    assert view.read_button.isEnabled() and view.status.text() == ""
    view.read_button.click()
    assert len(sent) == 1 and sent[0][1] < sent[0][2]


def test_link_drops_during_the_read_are_said_in_the_status(view) -> None:
    view.read_button.click()
    view.add_chunk(ScaledProfileChunk("1-0:99.1.0.255", COLUMNS, ROWS[:4], scales=SCALES))
    view.add_chunk(ScaledProfileChunk("1-0:99.1.0.255", COLUMNS, ROWS[4:], scales=SCALES,
                                      link_events=("link dropped at row 4, resumed",)))
    view.add_chunk(ScaledProfileChunk("1-0:99.1.0.255", COLUMNS, (), done=True, scales=SCALES))
    assert view.status.text() == "done — 8 rows · link dropped at row 4, resumed"
    assert len(view.model.rows) == 8

