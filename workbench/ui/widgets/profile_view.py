"""Profile view: read a load profile or event log by time range, watch rows stream in.

Rows are appended as each block arrives, so a cancelled or interrupted read keeps what it
received; CSV export writes exactly the values shown (engineering units). The table and
the plot are two pages of one tab widget, so that at 1366×768 the table shows some fifteen
rows instead of six squeezed above a plot; progress and status sit beside the page tabs.
A dropped and resumed link is said in the status ("link dropped at row 320, resumed"),
because the session resumes silently and every row still arrives.
"""

from __future__ import annotations

import csv
import datetime as dt
from collections.abc import Callable
from pathlib import Path

import pyqtgraph as pg
from PySide6.QtCore import QDateTime, Qt, QTimer, Signal
from PySide6.QtWidgets import (
    QAbstractItemView,
    QDateTimeEdit,
    QFileDialog,
    QHBoxLayout,
    QLabel,
    QProgressBar,
    QPushButton,
    QTableView,
    QTabWidget,
    QVBoxLayout,
    QWidget,
)

from workbench.ui import theme
from workbench.ui.messages import ProfileChunk
from workbench.ui.models.profile_table_model import ProfileTableModel
from workbench.ui.widgets.profile_plot import ProfilePlot

__all__ = ["ProfileTableModel", "ProfileView"]

FLUSH_MS = 100
SIZING_ROWS = 20
WHOLE_BUFFER = "the whole buffer"


class ProfileView(QWidget):
    """Time range + Read/Cancel + streaming table + plot of chosen columns + CSV export."""

    read_requested = Signal(object)  # (obis_text, start datetime | None, end datetime | None)
    cancel_requested = Signal()

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.obis = "1-0:99.1.0.255"
        self._range: tuple[dt.datetime | None, dt.datetime] | None = None
        self._link_events: list[str] = []
        self.model = ProfileTableModel(self)
        self._pending: list[tuple[object, ...]] = []
        self._flush_timer = QTimer(self, singleShot=True, interval=FLUSH_MS)
        self._flush_timer.timeout.connect(self._flush)
        self._build()

    # ------------------------------------------------------------------ construction
    def _build(self) -> None:
        self.title = QLabel()
        self.title.setToolTip("The profile object read by this view")
        now = QDateTime.currentDateTime()
        self.from_edit = _datetime_edit(now.addDays(-1), "First capture time to read")
        self.to_edit = _datetime_edit(now, "Last capture time to read (inclusive)")
        for edit in (self.from_edit, self.to_edit):
            edit.dateTimeChanged.connect(lambda _v: self._check_range())
        self.read_button = _button("Read", "Read the rows captured between From and To",
                                   self._on_read)
        self.cancel_button = _button("Cancel", "Stop the read; the rows received are kept",
                                     self.cancel_requested.emit)
        self.cancel_button.setEnabled(False)
        self.export_button = _button("Export CSV…", "Save the rows shown, in the units shown",
                                     self._export_dialog)
        self.table = self._build_table()
        self.plot_page = ProfilePlot(self.model)
        self.column_list = self.plot_page.column_list
        self.pages = self._build_pages()
        layout = QVBoxLayout(self)
        layout.setContentsMargins(4, 4, 4, 4)
        layout.setSpacing(4)
        layout.addLayout(self._build_top())
        layout.addWidget(self.pages, 1)
        self.set_obis(self.obis, "Load profile")

    def _build_top(self) -> QHBoxLayout:
        top = QHBoxLayout()
        for w in (self.title, QLabel("From"), self.from_edit, QLabel("To"), self.to_edit,
                  self.read_button, self.cancel_button, self.export_button):
            top.addWidget(w)
        top.addStretch(1)
        return top

    def _build_table(self) -> QTableView:
        table = QTableView()
        table.setModel(self.model)
        table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        table.verticalHeader().setDefaultSectionSize(table.fontMetrics().height() + 4)
        table.setToolTip("")
        return table

    def _build_pages(self) -> QTabWidget:
        pages = QTabWidget()
        pages.setDocumentMode(True)
        pages.addTab(self.table, "Table")
        pages.addTab(self.plot_page, "Plot")
        pages.setTabToolTip(0, "The rows read, in engineering units (raw value on hover)")
        pages.setTabToolTip(1, "The numeric columns over time")
        self.progress = QProgressBar()
        self.progress.setRange(0, 100)
        self.progress.setValue(0)
        self.progress.setMaximumWidth(220)
        self.progress.setToolTip("How much of the asked time range has arrived")
        self.status = QLabel("")
        self.status.setToolTip("How the last read went")
        corner = QWidget()
        row = QHBoxLayout(corner)
        row.setContentsMargins(0, 0, 4, 0)
        row.addWidget(self.status)
        row.addWidget(self.progress)
        pages.setCornerWidget(corner, Qt.Corner.TopRightCorner)
        return pages

    # ------------------------------------------------------------------ public
    @property
    def plot(self) -> pg.PlotWidget:  # tests and the screenshots look at it
        return self.plot_page.plot

    def set_obis(self, obis_text: str, name: str = "") -> None:
        self.obis = obis_text
        self.title.setText(f"<b>{name or obis_text}</b> {obis_text}")

    def set_busy(self, busy: bool) -> None:
        self.read_button.setEnabled(not busy and not self._range_problem())
        self.cancel_button.setEnabled(busy)

    def read_whole(self, obis_text: str) -> None:
        """Read every row of ``obis_text`` (a profile's "Read all" in the browser)."""
        if obis_text != self.obis:
            self.set_obis(obis_text)
        if not self.cancel_button.isEnabled():  # one read at a time
            self._start(None, None)

    def add_chunk(self, chunk: ProfileChunk) -> None:
        """Collect rows as they arrive; show them at most every FLUSH_MS, and at the end.

        A fast meter sends a block every few milliseconds; inserting each into the table
        and repainting the progress bar each time kept the GUI thread busy for 150 ms
        stretches (bench/ui.py). On the last chunk, say how the read ended.
        """
        scales = getattr(chunk, "scales", ())
        if chunk.columns and (chunk.columns != self.model.columns
                              or (scales and scales != self.model.scales)):
            self._flush()
            self.model.reset(chunk.columns, scales)
            self.plot_page.set_columns(chunk.columns)
        self._link_events += getattr(chunk, "link_events", ())
        self._pending.extend(chunk.rows)
        if not chunk.done:
            if not self._flush_timer.isActive():
                self._flush_timer.start()
            return
        self._flush()
        self.set_busy(False)
        if not chunk.cancelled and not chunk.error:
            self.progress.setValue(100)
        self._show_status(_with_events(_ending(chunk, len(self.model.rows)), self._link_events),
                          warn=bool(chunk.error))
        self.plot_page.replot()

    def export_csv(self, path: str | Path) -> int:
        """Write the rows shown to ``path``; returns the number of rows written."""
        with open(path, "w", newline="", encoding="utf-8") as handle:
            writer = csv.writer(handle)
            writer.writerow(self.model.columns)
            for r in range(len(self.model.rows)):
                writer.writerow([self.model.text(r, c) for c in range(len(self.model.columns))])
        return len(self.model.rows)

    # ------------------------------------------------------------------ internals
    def _flush(self) -> None:
        self._flush_timer.stop()
        rows, self._pending = tuple(self._pending), []
        if not self.model.rows and rows:
            self._show_plot(self.plot_page.offer_numeric(rows[0]))
            # Column widths from the first rows alone (they are uniform): Qt sizes over up
            # to 1,000 rows, which cost 80-150 ms in the GUI thread.
            self.model.append(rows[:SIZING_ROWS])
            self.table.resizeColumnsToContents()
            rows = rows[SIZING_ROWS:]
        self.model.append(rows)
        self._update_progress()

    def _show_plot(self, numeric: bool) -> None:
        """Nothing numeric (an event log): the Plot page is disabled, the rows shown."""
        self.pages.setTabEnabled(1, numeric)
        self.pages.setTabToolTip(1, "The numeric columns over time" if numeric
                                 else "Nothing numeric to plot in this profile")
        if not numeric:
            self.pages.setCurrentIndex(0)

    def _range_problem(self) -> str:
        start, end = self.from_edit.dateTime(), self.to_edit.dateTime()
        if start > end:
            return (f"From ({start.toString('yyyy-MM-dd HH:mm')}) is later than To "
                    f"({end.toString('yyyy-MM-dd HH:mm')}): set From before To.")
        return ""

    def _check_range(self) -> None:
        problem = self._range_problem()
        busy = self.cancel_button.isEnabled()
        self.read_button.setEnabled(not busy and not problem)
        self.read_button.setToolTip(problem or "Read the rows captured between From and To")
        if problem:
            self._show_status(problem, warn=True)
        elif self.status.text().startswith("From ("):  # the range was fixed: drop the refusal
            self._show_status("")

    def _on_read(self) -> None:
        problem = self._range_problem()
        if problem:  # the button is disabled then; this guards a shortcut or a test
            self._show_status(problem, warn=True)
            return
        start, end = self.from_edit.dateTime().toPython(), self.to_edit.dateTime().toPython()
        assert isinstance(start, dt.datetime) and isinstance(end, dt.datetime)
        self._start(start, end)

    def _start(self, start: dt.datetime | None, end: dt.datetime | None) -> None:
        self._range = (start, end or dt.datetime.now())
        self._pending.clear()
        self._link_events = []
        self.model.reset(self.model.columns, self.model.scales)
        self.progress.setValue(0)
        self._show_status("reading…" if start else f"reading {WHOLE_BUFFER}…")
        self.set_busy(True)
        self.read_requested.emit((self.obis, start, end))

    def _show_status(self, text: str, warn: bool = False) -> None:
        self.status.setText(text)
        self.status.setStyleSheet(f"color: {theme.warning_colour()};" if warn else "")

    def _update_progress(self) -> None:
        if not self._range or not self.model.rows:
            return
        last = self.model.rows[-1][0]
        if isinstance(last, dt.datetime):
            first = self.model.rows[0][0]
            start, end = self._range
            start = start or (first.replace(tzinfo=None) if isinstance(first, dt.datetime)
                              else end)
            total = max((end - start).total_seconds(), 1.0)
            done = (last.replace(tzinfo=None) - start).total_seconds()
            self.progress.setValue(max(0, min(100, int(100 * done / total))))
        self.status.setText(_with_events(f"{len(self.model.rows)} rows", self._link_events))

    def _export_dialog(self) -> None:
        path, _ = QFileDialog.getSaveFileName(self, "Export profile", "profile.csv",
                                              "CSV files (*.csv)")
        if path:
            count = self.export_csv(path)
            self._show_status(f"{count} rows written to {path}")


def _datetime_edit(value: QDateTime, tip: str) -> QDateTimeEdit:
    edit = QDateTimeEdit(value)
    edit.setCalendarPopup(True)
    edit.setDisplayFormat("yyyy-MM-dd HH:mm")
    edit.setToolTip(tip)
    return edit


def _button(text: str, tip: str, slot: Callable[[], object]) -> QPushButton:
    button = QPushButton(text)
    button.setToolTip(tip)
    button.clicked.connect(slot)
    return button


def _with_events(text: str, events: list[str]) -> str:
    return f"{text} · {'; '.join(events)}" if events else text


def _ending(chunk: ProfileChunk, count: int) -> str:
    if chunk.cancelled:
        return f"cancelled — {count} rows kept"
    if chunk.error:
        return f"stopped: {chunk.error} — {count} rows kept"
    return f"done — {count} rows"
