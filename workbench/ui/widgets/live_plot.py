"""Live plot of polled meter values: named series with units on a real time axis.

Shaped like pyqtgraph's ``scrollingPlots`` example: samples go into numpy ring buffers as
they arrive (cheap, any rate), and ONE QTimer redraws the curves that changed with
``setData``; plots use peak downsampling and clip-to-view, width-1 pens and no
antialiasing, so a day of 1 s samples stays smooth. Series with the same ``axis`` (by
default, the same unit) share one plot; plots are stacked with their time axes linked,
each at least MIN_PLOT_HEIGHT tall inside a scroll area, so a fourth or tenth plot adds a
scroll bar instead of squeezing every panel until its axis label is cut off. A series is
removed with the × beside its readout (or its context menu); an emptied plot goes with it.

Slots take plain values (``add_point(series, t, value)``, ``mark_gap(t)``), so the window
can wire the worker's poll results straight in. A gap (link down) is a NaN sample drawn
with ``connect="finite"``: the line breaks and is never interpolated across the outage.
"""

from __future__ import annotations

import csv
import html
import math
from datetime import datetime
from pathlib import Path

import pyqtgraph as pg
from PySide6.QtCore import Qt, QTimer, Signal, Slot
from PySide6.QtWidgets import (
    QFrame,
    QGridLayout,
    QHBoxLayout,
    QLabel,
    QMenu,
    QPushButton,
    QScrollArea,
    QToolButton,
    QVBoxLayout,
    QWidget,
)

from ..models.series_buffer import SeriesBuffer

__all__ = ["LivePlotWidget"]

REDRAW_MS = 200
MIN_PLOT_HEIGHT = 170
"""Pixels (at 100 % scaling) below which a plot's vertical axis label no longer fits."""
_COLORS = ("#1f77b4", "#d62728", "#2ca02c", "#ff7f0e", "#9467bd", "#8c564b", "#e377c2",
           "#17becf", "#7f7f7f", "#bcbd22")


class ClockAxis(pg.DateAxisItem):
    """A time axis that shows wall-clock ``HH:MM:SS`` when zoomed to seconds.

    pyqtgraph's default labels seconds-level ticks as bare seconds (``27.000``), which
    reads like a value, not a time; the legend is replaced by the readouts' colour swatches.
    """

    def tickStrings(self, values, scale, spacing):
        if spacing < 1:
            return [datetime.fromtimestamp(v).strftime("%H:%M:%S.%f")[:-5] for v in values]
        if spacing < 60:
            return [datetime.fromtimestamp(v).strftime("%H:%M:%S") for v in values]
        return super().tickStrings(values, scale, spacing)


class _Series:
    """One curve: its buffer, its plot item, its readout row (swatch, label, close button)."""

    def __init__(self, name: str, unit: str, color: str, capacity: int, axis: str) -> None:
        self.name, self.unit, self.color, self.axis = name, unit, color, axis
        self.buffer = SeriesBuffer(capacity)
        self.curve = pg.PlotDataItem(name=f"{name} [{unit}]" if unit else name,
                                     pen=pg.mkPen(color, width=1))
        self.swatch = _swatch(color)
        self.readout = QLabel()
        self.readout.setToolTip(f"Last value of {name}; right-click to remove the series")
        self.readout.setContextMenuPolicy(Qt.ContextMenuPolicy.CustomContextMenu)
        self.close_button = QToolButton()
        self.close_button.setText("×")
        self.close_button.setAutoRaise(True)
        self.close_button.setToolTip(f"Remove {name} from the plot and stop polling it")
        self.dirty = False

    def widgets(self) -> tuple[QWidget, ...]:
        return self.swatch, self.readout, self.close_button


class LivePlotWidget(QWidget):
    """Stacked live plots with last-value readouts, pause/resume and PNG/CSV export.

    Signals:
        export_failed(str): an export could not be written (the text says why).
        remove_requested(str): the user asked to remove this series (the owner decides).
    """

    export_failed = Signal(str)
    remove_requested = Signal(str)

    def __init__(self, parent: QWidget | None = None, *, capacity: int = 86_400) -> None:
        super().__init__(parent)
        self.capacity = capacity
        self._series: dict[str, _Series] = {}
        self._plots: dict[str, pg.PlotItem] = {}
        self.paused = False
        self._build()
        self._timer = QTimer(self, interval=REDRAW_MS)
        self._timer.timeout.connect(self.redraw)
        self._timer.start()

    # --- public API ---------------------------------------------------------------------
    def add_series(self, name: str, unit: str = "", *, axis: str | None = None) -> None:
        """Add a series; ``axis`` groups series on one plot (default: one plot per unit)."""
        if name in self._series:
            return
        axis = axis if axis is not None else unit
        series = _Series(name, unit, self._free_colour(), self.capacity, axis)
        self._series[name] = series
        self._plot_for(axis).addItem(series.curve)
        row = self._readouts.rowCount()
        for column, widget in enumerate(series.widgets()):
            self._readouts.addWidget(widget, row, column)
        series.close_button.clicked.connect(lambda: self.remove_requested.emit(name))
        series.readout.customContextMenuRequested.connect(
            lambda pos: self._readout_menu(series, pos))
        self._update_readout(series)

    def remove_series(self, name: str) -> None:
        """Take a series off: its curve, its readout row, and its plot when it was the last."""
        series = self._series.pop(name, None)
        if series is None:
            return
        plot = self._plots[series.axis]
        plot.removeItem(series.curve)
        for widget in series.widgets():
            self._readouts.removeWidget(widget)
            widget.deleteLater()
        if not any(s.axis == series.axis for s in self._series.values()):
            del self._plots[series.axis]
            self._relayout()

    def plot_count(self) -> int:
        return len(self._plots)

    def series_names(self) -> list[str]:
        return list(self._series)

    @Slot(str, float, float)
    def add_point(self, series: str, t: float, value: float) -> None:
        """Add a sample (``t`` in epoch seconds). An unknown series is added, unit-less."""
        if series not in self._series:
            self.add_series(series)
        entry = self._series[series]
        entry.buffer.append(t, float(value))
        entry.dirty = True
        self._update_readout(entry)

    @Slot(float)
    def mark_gap(self, t: float) -> None:
        """The link was down at ``t``: break every line there."""
        for entry in self._series.values():
            entry.buffer.mark_gap(t)
            entry.dirty = True
            self._update_readout(entry)

    def data(self, series: str) -> tuple:
        """Times and values buffered for ``series`` (numpy arrays, oldest first)."""
        return self._series[series].buffer.arrays()

    def set_paused(self, paused: bool) -> None:
        """Freeze the drawing (samples are still recorded; resuming shows them all)."""
        self.paused = paused
        self.pause_button.setChecked(paused)
        self.pause_button.setText("Resume" if paused else "Pause")
        if not paused:
            self.redraw()

    def clear(self) -> None:
        for entry in self._series.values():
            entry.buffer.clear()
            entry.dirty = True
            self._update_readout(entry)
        self.redraw()

    @Slot()
    def redraw(self) -> None:
        """Push changed buffers to their curves (the timer calls this; tests may too)."""
        if self.paused:
            return
        for entry in self._series.values():
            if entry.dirty:
                t, v = entry.buffer.arrays()
                entry.curve.setData(t, v, connect="finite")
                entry.dirty = False

    def export_png(self, path: str | Path) -> bool:
        """Save the plots as an image; on failure emit ``export_failed`` and return False."""
        self.redraw()
        if self.plots.grab().save(str(path)):
            return True
        self.export_failed.emit(f"Could not save the image {path}")
        return False

    def export_csv(self, path: str | Path) -> bool:
        """Save every buffered sample as ``time,series,value,unit`` rows (gaps: no value)."""
        try:
            with open(path, "w", newline="", encoding="utf-8") as file:
                writer = csv.writer(file)
                writer.writerow(["time", "series", "value", "unit"])
                for entry in self._series.values():
                    for t, v in zip(*entry.buffer.arrays(), strict=True):
                        stamp = datetime.fromtimestamp(t).astimezone().isoformat(
                            timespec="milliseconds")
                        writer.writerow([stamp, entry.name, "" if math.isnan(v) else repr(float(v)),
                                         entry.unit])
        except OSError as exc:
            self.export_failed.emit(f"Could not save {path}: {exc.strerror or exc}")
            return False
        return True

    # --- construction -------------------------------------------------------------------
    def _build(self) -> None:
        self.plots = pg.GraphicsLayoutWidget()
        self.scroll = QScrollArea()
        self.scroll.setWidgetResizable(True)
        self.scroll.setFrameShape(QFrame.Shape.NoFrame)
        self.scroll.setHorizontalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAlwaysOff)
        self.scroll.setWidget(self.plots)
        self.pause_button = QPushButton("Pause")
        self.pause_button.setCheckable(True)
        self.pause_button.setToolTip("Freeze the drawing; polling goes on and resuming shows "
                                     "every sample (Stop ends the polling)")
        self.pause_button.toggled.connect(self.set_paused)
        side = QVBoxLayout()
        self._readouts = QGridLayout()
        self._readouts.setColumnStretch(1, 1)
        self._readouts.addWidget(QLabel("<b>Last values</b>"), 0, 0, 1, 3)
        side.addLayout(self._readouts)
        side.addStretch(1)
        side.addWidget(self.pause_button)
        layout = QHBoxLayout(self)
        layout.setContentsMargins(4, 4, 4, 4)
        layout.addWidget(self.scroll, 1)
        layout.addLayout(side)

    def _plot_for(self, axis: str) -> pg.PlotItem:
        plot = self._plots.get(axis)
        if plot is None:
            plot = self.plots.addPlot(row=len(self._plots), col=0,
                                      axisItems={"bottom": ClockAxis()})
            plot.setLabel("left", axis or "value")
            plot.showGrid(x=True, y=True, alpha=0.25)
            plot.setDownsampling(auto=True, mode="peak")
            plot.setClipToView(True)
            if self._plots:
                plot.setXLink(next(iter(self._plots.values())))
            self._plots[axis] = plot
            self.plots.setMinimumHeight(MIN_PLOT_HEIGHT * len(self._plots))
        return plot

    def _relayout(self) -> None:
        """Stack the remaining plots again, top to bottom, with no empty row left behind."""
        self.plots.ci.clear()
        first = None
        for row, plot in enumerate(self._plots.values()):
            self.plots.ci.addItem(plot, row=row, col=0)
            plot.setXLink(first)
            first = first or plot
        self.plots.setMinimumHeight(MIN_PLOT_HEIGHT * max(1, len(self._plots)))

    def _free_colour(self) -> str:
        used = {s.color for s in self._series.values()}
        return next((c for c in _COLORS if c not in used), _COLORS[len(self._series) % 10])

    def _readout_menu(self, series: _Series, pos) -> None:
        menu = QMenu(self)
        menu.addAction(f"Remove {series.name}", lambda: self.remove_requested.emit(series.name))
        menu.exec(series.readout.mapToGlobal(pos))

    def _update_readout(self, entry: _Series) -> None:
        last = entry.buffer.last()
        if last is None:
            text = "—"
        elif math.isnan(last[1]):
            text = "— (link down)"
        else:
            text = f"{last[1]:.6g} {entry.unit}".rstrip()
        entry.readout.setText(f"{html.escape(entry.name)}: <b>{html.escape(text)}</b>")
        entry.readout.setTextFormat(Qt.TextFormat.RichText)


def _swatch(color: str) -> QLabel:
    label = QLabel()
    label.setFixedSize(12, 12)
    label.setStyleSheet(f"background: {color}; border-radius: 2px;")
    return label
