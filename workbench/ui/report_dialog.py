"""Meter → Commissioning report…: the operator's note, days, clock sync and folder, then
the report written over the open connection, with its progress, Cancel, and the result.

The dialog only collects the order and shows what comes back: the reading runs in the
session thread (:mod:`workbench.ui.report_job` through a :class:`~workbench.ui.jobs.ClientJob`),
so the window stays responsive and Cancel stops it between two sections. When it is done
the report opens in the desktop's viewer, and the dialog keeps the paths, the verdict and
the capture's SHA-256 on screen.
"""

from __future__ import annotations

from html import escape
from pathlib import Path

from PySide6.QtCore import Qt, QUrl, Signal
from PySide6.QtGui import QDesktopServices
from PySide6.QtWidgets import (
    QCheckBox,
    QDialog,
    QDialogButtonBox,
    QFileDialog,
    QFormLayout,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QPlainTextEdit,
    QProgressBar,
    QPushButton,
    QSpinBox,
    QVBoxLayout,
    QWidget,
)

from workbench.ui.jobs import JobProgress, JobResult
from workbench.ui.report_job import REPORT_STEPS, ReportFiles, ReportOrder

__all__ = ["ReportDialog", "open_path"]

MAX_DAYS = 62


def open_path(path: Path) -> bool:
    """Open ``path`` in the desktop's viewer (tests replace this to look at the file)."""
    return QDesktopServices.openUrl(QUrl.fromLocalFile(str(path)))


class ReportDialog(QDialog):
    """The report's order form; while it runs, a progress bar and Cancel; then the result."""

    start_requested = Signal(object)  # ReportOrder
    cancel_requested = Signal()

    def __init__(self, parent: QWidget | None, folder: Path, *, name: str = "",
                 serial: str = "", recording: Path | None = None,
                 sync_refused: str = "") -> None:
        """``sync_refused`` says why the clock cannot be set on this connection ("" when
        it can); ``recording`` is the connection's capture, tied to the report."""
        super().__init__(parent)
        self.setWindowTitle("Commissioning report")
        self._serial, self._recording = serial, recording
        self.files: ReportFiles | None = None
        self._running = False
        self._build(folder, name, sync_refused)

    # ------------------------------------------------------------------ layout
    def _build(self, folder: Path, name: str, sync_refused: str) -> None:
        layout = QVBoxLayout(self)
        layout.addLayout(self._form(folder, name, sync_refused))
        self.progress = QProgressBar()
        self.progress.setRange(0, len(REPORT_STEPS))
        self.progress.setFormat("%v of %m steps")
        self.step_label = QLabel("Reads identity, clock, values, energies, the load profile "
                                 "and events over this connection, then writes HTML and PDF.")
        self.step_label.setWordWrap(True)
        self.result_label = QLabel()
        self.result_label.setWordWrap(True)
        self.result_label.setTextInteractionFlags(Qt.TextInteractionFlag.TextBrowserInteraction)
        self.result_label.linkActivated.connect(_open_link)
        for widget in (self.progress, self.step_label, self.result_label):
            layout.addWidget(widget)
        layout.addWidget(self._buttons())
        self.setMinimumWidth(520)

    def _form(self, folder: Path, name: str, sync_refused: str) -> QFormLayout:
        self.name_edit = QLineEdit(name)
        self.name_edit.setPlaceholderText("e.g. Substation 4, bay 2 (optional)")
        self.note_edit = QPlainTextEdit()
        self.note_edit.setPlaceholderText("What you did and saw on site; printed in the report")
        self.note_edit.setFixedHeight(self.fontMetrics().lineSpacing() * 5)
        self.days_spin = QSpinBox()
        self.days_spin.setRange(0, MAX_DAYS)
        self.days_spin.setValue(7)
        self.days_spin.setSuffix(" days")
        self.days_spin.setToolTip("Days of load profile and event log checked (0: none)")
        self.sync_check = QCheckBox("Set the meter clock to this PC's time, then read the "
                                    "drift again")
        self.sync_check.setEnabled(not sync_refused)
        self.sync_check.setToolTip(sync_refused or "The report shows the drift before and after")
        self.folder_edit = QLineEdit(str(folder))
        browse = QPushButton("Browse…")
        browse.clicked.connect(self._browse)
        row = QHBoxLayout()
        row.addWidget(self.folder_edit, 1)
        row.addWidget(browse)
        form = QFormLayout()
        form.addRow("Meter name", self.name_edit)
        form.addRow("Operator's note", self.note_edit)
        form.addRow("Profile and events", self.days_spin)
        form.addRow("Clock", self.sync_check)
        form.addRow("Folder", row)
        return form

    def _buttons(self) -> QDialogButtonBox:
        self.buttons = QDialogButtonBox()
        self.start_button = self.buttons.addButton("Write report",
                                                   QDialogButtonBox.ButtonRole.AcceptRole)
        self.start_button.setDefault(True)
        self.open_button = self.buttons.addButton("Open report",
                                                  QDialogButtonBox.ButtonRole.ActionRole)
        self.open_button.setEnabled(False)
        self.close_button = self.buttons.addButton(QDialogButtonBox.StandardButton.Close)
        self.start_button.clicked.connect(self._start)
        self.open_button.clicked.connect(self._open_report)
        self.close_button.clicked.connect(self._close_or_cancel)
        return self.buttons

    # ------------------------------------------------------------------ behaviour
    def order(self) -> ReportOrder:
        return ReportOrder(folder=Path(self.folder_edit.text().strip() or "."),
                           note=self.note_edit.toPlainText().strip(),
                           days=self.days_spin.value(),
                           sync_clock=self.sync_check.isEnabled() and self.sync_check.isChecked(),
                           name=self.name_edit.text().strip(), serial=self._serial,
                           recording=self._recording)

    @property
    def running(self) -> bool:
        return self._running

    def show_step(self, progress: JobProgress) -> None:
        """A step began: the bar counts the steps done, the label names the current one."""
        if progress.step in REPORT_STEPS:
            self.progress.setValue(REPORT_STEPS.index(progress.step))
        self.step_label.setText(f"Now: {progress.step}…")

    def show_result(self, result: JobResult) -> None:
        """The job ended: links to the files (and open the report), or why it did not."""
        self._set_running(False)
        if result.cancelled:
            self.step_label.setText("Cancelled: no report was written.")
            return
        if not result.ok or not isinstance(result.result, ReportFiles):
            self.step_label.setText(f"The report could not be written: {result.error}")
            return
        self.files = result.result
        self.progress.setValue(self.progress.maximum())
        self.step_label.setText(f"{self.files.title}: {self.files.verdict.upper()}")
        self.result_label.setText(_result_html(self.files))
        self.open_button.setEnabled(True)
        self._open_report()

    def _start(self) -> None:
        order = self.order()
        self.files = None
        self.result_label.clear()
        self.open_button.setEnabled(False)
        self.progress.setValue(0)
        self.step_label.setText("Starting…")
        self._set_running(True)
        self.start_requested.emit(order)

    def _set_running(self, running: bool) -> None:
        self._running = running
        self.start_button.setEnabled(not running)
        self.close_button.setText("Cancel" if running else "Close")
        self.close_button.setToolTip("Stop the report between two sections" if running
                                     else "Close this dialog")

    def _close_or_cancel(self) -> None:
        if self._running:
            self.step_label.setText("Cancelling…")
            self.cancel_requested.emit()
        else:
            self.reject()

    def _open_report(self) -> None:
        if self.files is not None:
            open_path(self.files.html)

    def _browse(self) -> None:
        folder = QFileDialog.getExistingDirectory(self, "Report folder", self.folder_edit.text())
        if folder:
            self.folder_edit.setText(folder)

    def reject(self) -> None:
        """Esc or the window's close button while running cancels first."""
        if self._running:
            self.cancel_requested.emit()
        super().reject()


def _open_link(url: str) -> None:
    open_path(Path(QUrl(url).toLocalFile()))


def _result_html(files: ReportFiles) -> str:
    """One line per file, each a link that opens it; the folder and the capture's hash."""
    def link(path: Path) -> str:
        url = QUrl.fromLocalFile(str(path)).toString()
        return f'<a href="{escape(url)}">{escape(path.name)}</a>'

    frames = (f"Frames: {link(files.capture)} · SHA-256 <code>{escape(files.sha256[:16])}"
              "…</code>" if files.capture is not None else
              "No recording was running: the report names no capture.")
    return (f"Report: {link(files.html)} · {link(files.pdf)}<br>Readout: "
            f"{link(files.readout)}<br>{frames}<br>In {escape(str(files.html.parent))}")
