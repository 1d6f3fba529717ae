"""Live plot: ring buffers, redraw, gaps as NaN breaks, pause, readouts, exports."""

from __future__ import annotations

import csv
import math

import numpy as np
import pytest

from workbench.ui.models.series_buffer import SeriesBuffer
from workbench.ui.widgets.live_plot import LivePlotWidget

T0 = 1_764_064_800.0


@pytest.fixture
def plot(qtbot):
    widget = LivePlotWidget(capacity=1000)
    qtbot.addWidget(widget)
    widget.resize(900, 500)
    widget.add_series("Voltage L1", "V")
    for name, unit in (("P", "W"), ("Q", "var"), ("S", "VA")):
        widget.add_series(name, unit, axis="power")
    widget.show()
    qtbot.waitExposed(widget)
    return widget


def feed(plot: LivePlotWidget, start: int, stop: int) -> None:
    for i in range(start, stop):
        t = T0 + i
        plot.add_point("Voltage L1", t, 230 + 2 * math.sin(i / 5))
        plot.add_point("P", t, 1500 + 10 * i)
        plot.add_point("Q", t, 200.0)
        plot.add_point("S", t, math.hypot(1500 + 10 * i, 200))


def curve_data(plot: LivePlotWidget, name: str) -> tuple[np.ndarray, np.ndarray]:
    curve = plot._series[name].curve
    return curve.xData, curve.yData


def test_points_reach_the_curves_on_the_timer(plot, qtbot):
    feed(plot, 0, 30)
    qtbot.waitUntil(lambda: curve_data(plot, "P")[0] is not None
                    and len(curve_data(plot, "P")[0]) == 30, timeout=2000)
    x, y = curve_data(plot, "P")
    assert x[0] == T0 and y[-1] == 1500 + 10 * 29
    assert len(plot._plots) == 2  # V on one plot, P/Q/S share the "power" plot
    last_voltage = 230 + 2 * math.sin(29 / 5)
    assert plot._series["Voltage L1"].readout.text() == \
        f"Voltage L1: <b>{last_voltage:.6g} V</b>"


def test_gap_breaks_every_line_with_nan(plot):
    feed(plot, 0, 10)
    plot.mark_gap(T0 + 10.5)
    plot.mark_gap(T0 + 11)  # a second gap marker adds nothing
    feed(plot, 20, 25)
    plot.redraw()
    for name in plot.series_names():
        x, y = curve_data(plot, name)
        assert len(x) == 16
        assert math.isnan(y[10]) and x[10] == T0 + 10.5
        assert np.isfinite(np.delete(y, 10)).all()
        assert plot._series[name].curve.opts["connect"] == "finite"
    assert "link down" not in plot._series["P"].readout.text()
    plot.mark_gap(T0 + 30)
    assert "link down" in plot._series["P"].readout.text()


def test_pause_freezes_drawing_but_keeps_samples(plot):
    feed(plot, 0, 5)
    plot.redraw()
    plot.pause_button.click()
    assert plot.paused and plot.pause_button.text() == "Resume"
    feed(plot, 5, 10)
    plot.redraw()
    assert len(curve_data(plot, "P")[0]) == 5
    assert len(plot.data("P")[0]) == 10
    plot.pause_button.click()
    assert len(curve_data(plot, "P")[0]) == 10


def test_unknown_series_is_added(plot):
    plot.add_point("Frequency", T0, 50.01)
    assert "Frequency" in plot.series_names()
    assert plot.data("Frequency")[1].tolist() == [50.01]


def test_export_png_and_csv(plot, tmp_path, qtbot):
    feed(plot, 0, 60)
    plot.mark_gap(T0 + 60.5)
    feed(plot, 70, 120)
    png, table = tmp_path / "live_plot.png", tmp_path / "plot.csv"
    assert plot.export_png(png)
    assert png.stat().st_size > 5000
    assert plot.export_csv(table)
    rows = list(csv.DictReader(table.open()))
    assert len(rows) == 4 * 111
    p_rows = [r for r in rows if r["series"] == "P"]
    assert p_rows[0]["unit"] == "W" and float(p_rows[0]["value"]) == 1500
    assert p_rows[60]["value"] == ""  # the gap
    with qtbot.waitSignal(plot.export_failed):
        assert not plot.export_csv(tmp_path / "missing" / "x.csv")


def test_ring_buffer_wraps_oldest_first():
    buf = SeriesBuffer(4)
    for i in range(6):
        buf.append(float(i), i * 10.0)
    t, v = buf.arrays()
    assert t.tolist() == [2, 3, 4, 5] and v.tolist() == [20, 30, 40, 50]
    assert buf.last() == (5.0, 50.0) and len(buf) == 4
    buf.mark_gap(6.0)
    assert math.isnan(buf.last()[1])
    with pytest.raises(ValueError, match="capacity"):
        SeriesBuffer(0)
