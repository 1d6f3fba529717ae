"""Profile view: read a load profile or event log by time range, watch rows stream in.

Rows are appended as each block arrives, so a cancelled or interrupted read keeps what it
received; CSV export writes exactly the rows shown. Numeric columns can be plotted.
"""

from __future__ import annotations

import csv
import datetime as dt
from pathlib import Path

import pyqtgraph as pg
from PySide6.QtCore import QAbstractTableModel, QDateTime, QModelIndex, Qt, QTimer, Signal
from PySide6.QtWidgets import (
    QAbstractItemView,
    QDateTimeEdit,
    QFileDialog,
    QHBoxLayout,
    QLabel,
    QListWidget,
    QListWidgetItem,
    QProgressBar,
    QPushButton,
    QSplitter,
    QTableView,
    QVBoxLayout,
    QWidget,
)

from workbench.ui.messages import ProfileChunk

__all__ = ["ProfileTableModel", "ProfileView"]

FLUSH_MS = 100
SIZING_ROWS = 20


class ProfileTableModel(QAbstractTableModel):
    """Append-only table of profile rows (tuples of plain values)."""

    def __init__(self, parent=None) -> None:
        super().__init__(parent)
        self.columns: tuple[str, ...] = ()
        self.rows: list[tuple] = []

    def reset(self, columns: tuple[str, ...]) -> None:
        self.beginResetModel()
        self.columns, self.rows = tuple(columns), []
        self.endResetModel()

    def append(self, rows: tuple[tuple, ...]) -> None:
        if not rows:
            return
        first = len(self.rows)
        self.beginInsertRows(QModelIndex(), first, first + len(rows) - 1)
        self.rows.extend(rows)
        self.endInsertRows()

    def rowCount(self, parent: QModelIndex | None = None) -> int:
        return 0 if parent is not None and parent.isValid() else len(self.rows)

    def columnCount(self, parent: QModelIndex | None = None) -> int:
        return 0 if parent is not None and parent.isValid() else len(self.columns)

    def data(self, index, role=Qt.ItemDataRole.DisplayRole):
        if role != Qt.ItemDataRole.DisplayRole or not index.isValid():
            return None
        return _text(self.rows[index.row()][index.column()])

    def headerData(self, section, orientation, role=Qt.ItemDataRole.DisplayRole):
        if role != Qt.ItemDataRole.DisplayRole:
            return None
        if orientation == Qt.Orientation.Horizontal and section < len(self.columns):
            return self.columns[section]
        return str(section + 1) if orientation == Qt.Orientation.Vertical else None


class ProfileView(QWidget):
    """Time range + Read/Cancel + streaming table + plot of chosen columns + CSV export."""

    read_requested = Signal(object)  # (obis_text, start datetime, end datetime)
    cancel_requested = Signal()

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.obis = "1-0:99.1.0.255"
        self._range: tuple[dt.datetime, dt.datetime] | None = None
        self.model = ProfileTableModel(self)
        self._pending: list[tuple] = []
        self._flush_timer = QTimer(self, singleShot=True, interval=FLUSH_MS)
        self._flush_timer.timeout.connect(self._flush)
        self._build()

    def _build(self) -> None:
        now = QDateTime.currentDateTime()
        self.title = QLabel()
        self.from_edit = _datetime_edit(now.addDays(-1))
        self.to_edit = _datetime_edit(now)
        self.read_button = QPushButton("Read")
        self.read_button.clicked.connect(self._on_read)
        self.cancel_button = QPushButton("Cancel")
        self.cancel_button.setEnabled(False)
        self.cancel_button.clicked.connect(self.cancel_requested)
        self.export_button = QPushButton("Export CSV…")
        self.export_button.clicked.connect(self._export_dialog)
        self.progress = QProgressBar()
        self.progress.setRange(0, 100)
        self.progress.setValue(0)
        self.status = QLabel("")
        top = QHBoxLayout()
        for w in (self.title, QLabel("From"), self.from_edit, QLabel("To"), self.to_edit,
                  self.read_button, self.cancel_button, self.export_button):
            top.addWidget(w)
        top.addStretch(1)
        progress_row = QHBoxLayout()
        progress_row.addWidget(self.progress, 1)
        progress_row.addWidget(self.status)

        self.table = QTableView()
        self.table.setModel(self.model)
        self.table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.table.verticalHeader().setDefaultSectionSize(20)
        self.column_list = QListWidget()
        self.column_list.setMaximumWidth(260)  # fits "Reactive energy export (−R) /2"
        self.column_list.itemChanged.connect(lambda _i: self._replot())
        self.plot = pg.PlotWidget(axisItems={"bottom": pg.DateAxisItem()})
        self.plot.showGrid(x=True, y=True, alpha=0.3)
        self.plot.addLegend()
        self.plot_row = plot_row = QSplitter(Qt.Orientation.Horizontal)
        plot_row.addWidget(self.column_list)
        plot_row.addWidget(self.plot)
        plot_row.setStretchFactor(1, 1)
        plot_row.setSizes([230, 700])
        splitter = QSplitter(Qt.Orientation.Vertical)
        splitter.addWidget(self.table)
        splitter.addWidget(plot_row)
        splitter.setSizes([3, 2])  # the rows are what was asked for; the plot is a preview

        layout = QVBoxLayout(self)
        layout.addLayout(top)
        layout.addLayout(progress_row)
        layout.addWidget(splitter, 1)
        self.set_obis(self.obis, "Load profile")

    def set_obis(self, obis_text: str, name: str = "") -> None:
        self.obis = obis_text
        self.title.setText(f"<b>{name or obis_text}</b> {obis_text}")

    def set_busy(self, busy: bool) -> None:
        self.read_button.setEnabled(not busy)
        self.cancel_button.setEnabled(busy)

    def add_chunk(self, chunk: ProfileChunk) -> None:
        """Collect rows as they arrive; show them at most every FLUSH_MS, and at the end.

        A fast meter sends a block every few milliseconds; inserting each into the table
        and repainting the progress bar each time kept the GUI thread busy for 150 ms
        stretches (bench/ui.py). On the last chunk, say how the read ended.
        """
        if chunk.columns and chunk.columns != self.model.columns:
            self._flush()
            self.model.reset(chunk.columns)
            self._fill_column_list(chunk.columns)
        self._pending.extend(chunk.rows)
        if not chunk.done:
            if not self._flush_timer.isActive():
                self._flush_timer.start()
            return
        self._flush()
        self.set_busy(False)
        if not chunk.cancelled and not chunk.error:
            self.progress.setValue(100)
        self.status.setText(_ending(chunk, len(self.model.rows)))
        self._replot()

    def _flush(self) -> None:
        self._flush_timer.stop()
        rows, self._pending = tuple(self._pending), []
        if not self.model.rows and rows:
            self._list_plottable_columns(rows[0])
            # Column widths from the first rows alone (they are uniform): Qt sizes over up
            # to 1,000 rows, which cost 80-150 ms in the GUI thread.
            self.model.append(rows[:SIZING_ROWS])
            self.table.resizeColumnsToContents()
            rows = rows[SIZING_ROWS:]
        self.model.append(rows)
        self._update_progress()

    def export_csv(self, path: str | Path) -> int:
        """Write the rows shown to ``path``; returns the number of rows written."""
        with open(path, "w", newline="", encoding="utf-8") as handle:
            writer = csv.writer(handle)
            writer.writerow(self.model.columns)
            for row in self.model.rows:
                writer.writerow([_text(v) for v in row])
        return len(self.model.rows)

    def _on_read(self) -> None:
        start = self.from_edit.dateTime().toPython()
        end = self.to_edit.dateTime().toPython()
        self._range = (start, end)
        self._pending.clear()
        self.model.reset(self.model.columns)
        self.progress.setValue(0)
        self.status.setText("reading…")
        self.set_busy(True)
        self.read_requested.emit((self.obis, start, end))

    def _update_progress(self) -> None:
        if not self._range or not self.model.rows:
            return
        last = self.model.rows[-1][0]
        if isinstance(last, dt.datetime):
            start, end = self._range
            total = max((end - start).total_seconds(), 1.0)
            done = (last.replace(tzinfo=None) - start).total_seconds()
            self.progress.setValue(max(0, min(100, int(100 * done / total))))
        self.status.setText(f"{len(self.model.rows)} rows")

    def _fill_column_list(self, columns: tuple[str, ...]) -> None:
        self.column_list.blockSignals(True)
        self.column_list.clear()
        for i, name in enumerate(columns[1:], start=1):
            item = QListWidgetItem(name)
            item.setToolTip(name)
            item.setFlags(item.flags() | Qt.ItemFlag.ItemIsUserCheckable)
            item.setCheckState(Qt.CheckState.Checked if i == 1 else Qt.CheckState.Unchecked)
            item.setData(Qt.ItemDataRole.UserRole, i)
            self.column_list.addItem(item)
        self.column_list.blockSignals(False)

    def _list_plottable_columns(self, first_row: tuple) -> None:
        """Offer only numeric columns for plotting (an event code or a status text is not a
        quantity), and tick the first of them."""
        self.column_list.blockSignals(True)
        ticked = False
        for n in range(self.column_list.count()):
            item = self.column_list.item(n)
            value = first_row[item.data(Qt.ItemDataRole.UserRole)]
            numeric = isinstance(value, int | float) and not isinstance(value, bool)
            item.setHidden(not numeric)
            item.setCheckState(Qt.CheckState.Checked if numeric and not ticked
                               else Qt.CheckState.Unchecked)
            ticked = ticked or numeric
        self.column_list.blockSignals(False)
        self.plot_row.setVisible(ticked)  # nothing to plot (an event log): give the rows room

    def _replot(self) -> None:
        self.plot.clear()
        times = [_epoch(r[0]) for r in self.model.rows]
        for n in range(self.column_list.count()):
            item = self.column_list.item(n)
            if item.checkState() != Qt.CheckState.Checked:
                continue
            col = item.data(Qt.ItemDataRole.UserRole)
            points = [(t, r[col]) for t, r in zip(times, self.model.rows, strict=True)
                      if t is not None and isinstance(r[col], int | float)]
            if points:
                xs, ys = zip(*points, strict=True)
                self.plot.plot(xs, ys, pen=pg.intColor(col, hues=8), name=item.text())

    def _export_dialog(self) -> None:
        path, _ = QFileDialog.getSaveFileName(self, "Export profile", "profile.csv",
                                              "CSV files (*.csv)")
        if path:
            count = self.export_csv(path)
            self.status.setText(f"{count} rows written to {path}")


def _datetime_edit(value: QDateTime) -> QDateTimeEdit:
    edit = QDateTimeEdit(value)
    edit.setCalendarPopup(True)
    edit.setDisplayFormat("yyyy-MM-dd HH:mm")
    return edit


def _text(value) -> str:
    if isinstance(value, dt.datetime):
        return value.strftime("%Y-%m-%d %H:%M:%S")
    return "" if value is None else str(value)


def _epoch(value) -> float | None:
    return value.timestamp() if isinstance(value, dt.datetime) else None


def _ending(chunk: ProfileChunk, count: int) -> str:
    if chunk.cancelled:
        return f"cancelled — {count} rows kept"
    if chunk.error:
        return f"stopped: {chunk.error} — {count} rows kept"
    return f"done — {count} rows"
