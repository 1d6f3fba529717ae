"""Plot of a profile's numeric columns in engineering units, per interval or cumulative.

An energy column of a load profile is a counter (85 737.426 kWh, ever growing); what an
engineer looks at is mostly the energy of each interval, so counters are plotted as the
difference between consecutive rows by default, with "cumulative" one click away.
Columns that are not counters (powers, voltages) are plotted as read either way.
"""

from __future__ import annotations

import datetime as dt

import numpy as np
import pyqtgraph as pg
from PySide6.QtCore import Qt
from PySide6.QtWidgets import (
    QComboBox,
    QHBoxLayout,
    QLabel,
    QListWidget,
    QListWidgetItem,
    QSplitter,
    QVBoxLayout,
    QWidget,
)

from workbench.ui.models.profile_table_model import ProfileTableModel

__all__ = ["CUMULATIVE", "PER_INTERVAL", "ProfilePlot"]

PER_INTERVAL = "Per interval (Δ)"
CUMULATIVE = "Cumulative"
COLUMN_ROLE = Qt.ItemDataRole.UserRole


class ProfilePlot(QWidget):
    """Column check list + per-interval/cumulative choice + the plot."""

    def __init__(self, model: ProfileTableModel, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.model = model
        self.column_list = QListWidget()
        self.column_list.setToolTip("Tick the columns to plot (numeric columns only)")
        self.column_list.itemChanged.connect(lambda _i: self.replot())
        self.mode = QComboBox()
        self.mode.addItems([PER_INTERVAL, CUMULATIVE])
        self.mode.setToolTip("Energy counters: the energy of each interval (difference between "
                             "rows), or the counter itself. Other columns are plotted as read.")
        self.mode.currentTextChanged.connect(lambda _t: self.replot())
        self.plot = pg.PlotWidget(axisItems={"bottom": pg.DateAxisItem()})
        self.plot.showGrid(x=True, y=True, alpha=0.3)
        self.plot.getAxis("left").enableAutoSIPrefix(False)  # "kWh (x0.001)" misreads
        self.plot.addLegend()
        self._build()

    def _build(self) -> None:
        side = QWidget()
        side_layout = QVBoxLayout(side)
        side_layout.setContentsMargins(0, 0, 0, 0)
        mode_row = QHBoxLayout()
        mode_row.addWidget(QLabel("Energy"))
        mode_row.addWidget(self.mode, 1)
        side_layout.addLayout(mode_row)
        side_layout.addWidget(self.column_list, 1)
        splitter = QSplitter(Qt.Orientation.Horizontal)
        splitter.addWidget(side)
        splitter.addWidget(self.plot)
        splitter.setStretchFactor(1, 1)
        splitter.setSizes([260, 700])
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addWidget(splitter)

    # ------------------------------------------------------------------ public
    def set_columns(self, columns: tuple[str, ...]) -> None:
        """List the columns (hidden until the first row tells which are numeric)."""
        self.column_list.blockSignals(True)
        self.column_list.clear()
        for i, name in enumerate(columns[1:], start=1):
            item = QListWidgetItem(name)
            item.setToolTip(name)
            item.setFlags(item.flags() | Qt.ItemFlag.ItemIsUserCheckable)
            item.setCheckState(Qt.CheckState.Unchecked)
            item.setData(COLUMN_ROLE, i)
            item.setHidden(True)
            self.column_list.addItem(item)
        self.column_list.blockSignals(False)

    def offer_numeric(self, first_row: tuple[object, ...]) -> bool:
        """Show only numeric columns and tick the first; False when none is numeric."""
        self.column_list.blockSignals(True)
        ticked = False
        for item in self.items():
            value = first_row[item.data(COLUMN_ROLE)]
            numeric = isinstance(value, int | float) and not isinstance(value, bool)
            item.setHidden(not numeric)
            item.setCheckState(Qt.CheckState.Checked if numeric and not ticked
                               else Qt.CheckState.Unchecked)
            ticked = ticked or numeric
        self.column_list.blockSignals(False)
        return ticked

    def items(self) -> list[QListWidgetItem]:
        return [self.column_list.item(n) for n in range(self.column_list.count())]

    def series(self, column: int) -> tuple[np.ndarray, np.ndarray]:
        """Times and engineering values plotted for ``column`` in the current mode."""
        rows = range(len(self.model.rows))
        points = [(_epoch(self.model.rows[r][0]), self.model.value(r, column)) for r in rows]
        points = [(t, v) for t, v in points
                  if t is not None and isinstance(v, int | float) and not isinstance(v, bool)]
        times = np.array([t for t, _v in points], dtype=float)
        values = np.array([v for _t, v in points], dtype=float)
        scale = self.model.scale(column)
        if self.mode.currentText() == PER_INTERVAL and scale is not None and scale.cumulative:
            return times[1:], np.diff(values)
        return times, values

    def replot(self) -> None:
        self.plot.clear()
        units = set()
        for item in self.items():
            if item.isHidden() or item.checkState() != Qt.CheckState.Checked:
                continue
            column = item.data(COLUMN_ROLE)
            times, values = self.series(column)
            if len(times):
                self.plot.plot(times, values, pen=pg.intColor(column, hues=8),
                               name=item.text())
            scale = self.model.scale(column)
            units.add(scale.symbol if scale is not None else "")
        self.plot.setLabel("left", self._axis_label(units))

    def _axis_label(self, units: set[str]) -> str:
        if len(units) != 1 or not next(iter(units)):
            return ""
        unit = next(iter(units))
        per = " per interval" if self.mode.currentText() == PER_INTERVAL \
            and unit.endswith("h") else ""
        return f"{unit}{per}"


def _epoch(value: object) -> float | None:
    return value.timestamp() if isinstance(value, dt.datetime) else None
