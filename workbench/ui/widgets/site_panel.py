"""Site tab: a site CSV (the ``workbench batch`` format) read meter by meter, a few at a
time, with one table row per meter that says what it is doing now and how it ended.

The reading runs in a background thread of its own (each meter on its own connection, see
:mod:`workbench.ui.site_run`), independent of the session the rest of the window drives.
Rows change only through signals queued to this widget, so the table is touched from the
GUI thread alone. A failed meter keeps its plain-language reason in the row; any finished
meter's report, readout or capture opens from the row.
"""

from __future__ import annotations

import threading
from pathlib import Path

from PySide6.QtCore import QObject, Qt, Signal
from PySide6.QtWidgets import (
    QAbstractItemView,
    QCheckBox,
    QFileDialog,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QLineEdit,
    QProgressBar,
    QPushButton,
    QSpinBox,
    QTableWidget,
    QTableWidgetItem,
    QVBoxLayout,
    QWidget,
)

from workbench.commissioning.site import MAX_METERS, SiteError, SiteMeter, parse_site
from workbench.commissioning.site_run import MeterRow, SiteOptions, SiteRun
from workbench.ui import report_dialog

__all__ = ["COLUMNS", "SitePanel"]

COLUMNS = ("Meter", "Address", "State", "Verdict", "Serial", "Clock", "Reason")
STATE, VERDICT, SERIAL, CLOCK, REASON = 2, 3, 4, 5, 6
JOIN_SECONDS = 15.0


class _Bridge(QObject):
    """Signals the reading threads emit; queued to the panel in the GUI thread."""

    step = Signal(int, str)  # CSV line, step
    done = Signal(object)  # MeterRow
    finished = Signal()


class SitePanel(QWidget):
    """Open CSV · folder · jobs · days · report; Run / Cancel; the table; open buttons."""

    capture_requested = Signal(str)  # a meter's capture, to open in the frame log
    run_finished = Signal()

    def __init__(self, parent: QWidget | None = None, folder: Path | None = None) -> None:
        super().__init__(parent)
        self.meters: list[SiteMeter] = []
        self.rows: dict[int, MeterRow] = {}
        self._run: SiteRun | None = None
        self._thread: threading.Thread | None = None
        self._bridge = _Bridge(self)
        self._bridge.step.connect(self._on_step)
        self._bridge.done.connect(self._on_done)
        self._bridge.finished.connect(self._on_finished)
        self._build(folder or Path.home() / "site-readouts")
        self._update_buttons()

    # ------------------------------------------------------------------ layout
    def _build(self, folder: Path) -> None:
        layout = QVBoxLayout(self)
        layout.addLayout(self._file_row(folder))
        layout.addLayout(self._options_row())
        self.table = QTableWidget(0, len(COLUMNS))
        self.table.setHorizontalHeaderLabels(COLUMNS)
        self.table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.table.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        self.table.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.table.verticalHeader().hide()
        self.table.verticalHeader().setSectionResizeMode(QHeaderView.ResizeMode.ResizeToContents)
        self.table.setWordWrap(True)
        header = self.table.horizontalHeader()
        header.setSectionResizeMode(QHeaderView.ResizeMode.ResizeToContents)
        header.setSectionResizeMode(REASON, QHeaderView.ResizeMode.Stretch)
        self.table.itemSelectionChanged.connect(self._update_buttons)
        self.table.cellDoubleClicked.connect(lambda *_: self.open_selected("report"))
        layout.addWidget(self.table, 1)
        layout.addLayout(self._open_row())

    def _file_row(self, folder: Path) -> QHBoxLayout:
        self.load_button = QPushButton("Open site CSV…")
        self.load_button.setToolTip("A CSV with a header line: name, host and optionally port, "
                                    "serial (or physical), client, password_env")
        self.load_button.clicked.connect(self._choose_csv)
        self.site_label = QLabel("No site loaded.")
        self.folder_edit = QLineEdit(str(folder))
        self.folder_edit.setToolTip("Per meter: its readout JSON, capture and report go here")
        browse = QPushButton("Browse…")
        browse.clicked.connect(self._choose_folder)
        row = QHBoxLayout()
        for widget, stretch in ((self.load_button, 0), (self.site_label, 1),
                                (QLabel("Results in"), 0), (self.folder_edit, 1), (browse, 0)):
            row.addWidget(widget, stretch)
        return row

    def _options_row(self) -> QHBoxLayout:
        self.jobs_spin = _spin(1, 32, 4, " at once", "Meters read at the same time, each "
                               "on its own connection (a shared modem may need 1)")
        self.days_spin = _spin(0, 62, 0, " days", "Days of load profile and events checked "
                               "per meter (0: identity, clock and values only)")
        self.report_check = QCheckBox("Report per meter")
        self.report_check.setChecked(True)
        self.run_button = QPushButton("Run site")
        self.run_button.clicked.connect(self.run)
        self.cancel_button = QPushButton("Cancel")
        self.cancel_button.setToolTip("Stop every meter still being read")
        self.cancel_button.clicked.connect(self.cancel)
        self.progress = QProgressBar()
        self.progress.setFormat("%v of %m meters")
        row = QHBoxLayout()
        for widget in (QLabel("Jobs"), self.jobs_spin, QLabel("Profile"), self.days_spin,
                       self.report_check, self.run_button, self.cancel_button):
            row.addWidget(widget)
        row.addWidget(self.progress, 1)
        return row

    def _open_row(self) -> QHBoxLayout:
        self.open_report_button = QPushButton("Open report")
        self.open_report_button.clicked.connect(lambda: self.open_selected("report"))
        self.open_readout_button = QPushButton("Open readout")
        self.open_readout_button.clicked.connect(lambda: self.open_selected("readout"))
        self.open_capture_button = QPushButton("Show frames")
        self.open_capture_button.setToolTip("Open this meter's capture in the frame log")
        self.open_capture_button.clicked.connect(lambda: self.open_selected("capture"))
        row = QHBoxLayout()
        row.addWidget(QLabel("Selected meter:"))
        for button in (self.open_report_button, self.open_readout_button,
                       self.open_capture_button):
            row.addWidget(button)
        row.addStretch(1)
        return row

    # ------------------------------------------------------------------ loading
    def load(self, path: str | Path) -> bool:
        """Load a site CSV; an unusable file is said in the label, naming the line."""
        try:
            meters = parse_site(Path(path).read_bytes())
        except OSError as exc:
            return self._refuse(f"Cannot read {Path(path).name}: {exc.strerror or exc}")
        except SiteError as exc:
            return self._refuse(f"{Path(path).name}: {exc}")
        self.meters, self.rows = meters, {}
        self.site_label.setText(f"{Path(path).name}: {len(meters)} meters")
        self.site_label.setToolTip(str(path))
        self.table.setRowCount(len(meters))
        for row, meter in enumerate(meters):
            for column, text in enumerate((meter.name, f"{meter.host}:{meter.port}", "waiting")):
                self._set(row, column, text)
            for column in (VERDICT, SERIAL, CLOCK, REASON):
                self._set(row, column, "")
        self.progress.setRange(0, len(meters))
        self.progress.setValue(0)
        self._update_buttons()
        return True

    def _refuse(self, message: str) -> bool:
        self.site_label.setText(message)
        self.site_label.setToolTip(f"A site CSV lists at most {MAX_METERS} meters")
        self._update_buttons()
        return False

    # ------------------------------------------------------------------ running
    @property
    def running(self) -> bool:
        return self._run is not None

    def run(self) -> None:
        """Read every meter in a background thread (``jobs`` at once)."""
        if self.running or not self.meters:
            return
        options = SiteOptions(Path(self.folder_edit.text().strip() or "."),
                              jobs=self.jobs_spin.value(), days=self.days_spin.value(),
                              report=self.report_check.isChecked())
        self.load_rows_waiting()
        bridge = self._bridge
        self._run = SiteRun(self.meters, options, bridge.step.emit, bridge.done.emit)
        self._thread = threading.Thread(target=self._work, args=(self._run,),
                                        name="site-run", daemon=True)
        self._update_buttons()
        self._thread.start()

    def _work(self, run: SiteRun) -> None:
        """The background thread: read, then say so (a failure of the folder included)."""
        try:
            run.run()
        except OSError as exc:
            for meter in run.meters:
                if meter.line not in self.rows:
                    self._bridge.done.emit(MeterRow(meter.line, False,
                                                    reason=f"not written: {exc}"))
        finally:
            self._bridge.finished.emit()

    def load_rows_waiting(self) -> None:
        self.rows = {}
        self.progress.setValue(0)
        for row in range(len(self.meters)):
            for column, text in ((STATE, "waiting"), (VERDICT, ""), (SERIAL, ""), (CLOCK, ""),
                                 (REASON, "")):
                self._set(row, column, text)

    def cancel(self) -> None:
        if self._run is not None:
            self._run.cancel()

    def shutdown(self) -> None:
        """Cancel and wait for the reading thread (bounded), when the window closes."""
        self.cancel()
        if self._thread is not None:
            self._thread.join(JOIN_SECONDS)

    def _on_step(self, line: int, step: str) -> None:
        if line not in self.rows:
            self._set(self._row_of(line), STATE, step)

    def _on_done(self, row: MeterRow) -> None:
        self.rows[row.line] = row
        index = self._row_of(row.line)
        self._set(index, STATE, "done" if row.ok else "failed")
        for column, text in ((VERDICT, row.verdict.upper()), (SERIAL, row.serial),
                             (CLOCK, row.clock), (REASON, row.reason)):
            self._set(index, column, text)
        reason = self.table.item(index, REASON)
        if row.hint and reason is not None:  # what to try next, one hover away
            reason.setToolTip(f"{row.reason}\n\nWhat to try: {row.hint}")
        self.progress.setValue(len(self.rows))
        self._update_buttons()

    def _on_finished(self) -> None:
        if self._thread is not None:
            self._thread.join(JOIN_SECONDS)
        self._run, self._thread = None, None
        failed = sum(not r.ok for r in self.rows.values())
        self.site_label.setText(f"{len(self.rows) - failed} of {len(self.meters)} meters read"
                                + (f", {failed} failed" if failed else ""))
        self._update_buttons()
        self.run_finished.emit()

    # ------------------------------------------------------------------ opening
    def selected_row(self) -> MeterRow | None:
        index = self.table.currentRow()
        if not 0 <= index < len(self.meters):
            return None
        return self.rows.get(self.meters[index].line)

    def open_selected(self, what: str) -> None:
        """Open the selected meter's ``report``, ``readout`` or ``capture``."""
        row = self.selected_row()
        path = getattr(row, what, None) if row is not None else None
        if path is None and what == "report" and row is not None:
            path = row.readout  # no report asked for: the readout is the result
        if path is None:
            return
        if what == "capture":
            self.capture_requested.emit(str(path))
        else:
            report_dialog.open_path(path)

    # ------------------------------------------------------------------ helpers
    def _row_of(self, line: int) -> int:
        return next(i for i, m in enumerate(self.meters) if m.line == line)

    def _set(self, row: int, column: int, text: str) -> None:
        item = QTableWidgetItem(text)
        item.setToolTip(text)
        if column == VERDICT and text:
            item.setTextAlignment(Qt.AlignmentFlag.AlignCenter)
        self.table.setItem(row, column, item)

    def _update_buttons(self) -> None:
        running = self.running
        self.run_button.setEnabled(bool(self.meters) and not running)
        self.run_button.setToolTip("Load a site CSV first" if not self.meters else
                                   "Read every meter of the site")
        self.cancel_button.setEnabled(running)
        self.load_button.setEnabled(not running)
        row = self.selected_row()
        self.open_report_button.setEnabled(row is not None and row.ok)
        self.open_readout_button.setEnabled(row is not None and row.readout is not None)
        self.open_capture_button.setEnabled(row is not None and row.capture is not None)

    def _choose_csv(self) -> None:
        path, _ = QFileDialog.getOpenFileName(self, "Open site CSV", "",
                                              "Site CSV (*.csv);;All files (*)")
        if path:
            self.load(path)

    def _choose_folder(self) -> None:
        folder = QFileDialog.getExistingDirectory(self, "Results folder",
                                                  self.folder_edit.text())
        if folder:
            self.folder_edit.setText(folder)


def _spin(low: int, high: int, value: int, suffix: str, tip: str) -> QSpinBox:
    spin = QSpinBox()
    spin.setRange(low, high)
    spin.setValue(value)
    spin.setSuffix(suffix)
    spin.setToolTip(tip)
    return spin
