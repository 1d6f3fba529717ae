"""The commissioning visit in the window: the report, the Site tab, object lists as files,
objects typed by OBIS and the connection's recording saved under a name.

Why one module beside the main window rather than inside it: these are the issue-13
actions an engineer uses on site, each a small flow of its own (a dialog, a file, a job on
the session); the window only creates :class:`VisitActions` and stops it when closing.
Everything the flows need from the window goes through its public parts: ``send`` for
requests, the worker's signals for results, the tabs and the status strip.
"""

from __future__ import annotations

import datetime as dt
import functools
import json
from collections.abc import Callable
from pathlib import Path
from typing import TYPE_CHECKING

import platformdirs
from PySide6.QtCore import QObject
from PySide6.QtGui import QAction
from PySide6.QtWidgets import QFileDialog, QMenu

from workbench import __version__
from workbench.capture import CaptureError, load_capture, save_capture
from workbench.commissioning.answers import read_reading
from workbench.commissioning.compare import compare_readouts
from workbench.protocol.axdr import Data
from workbench.protocol.cosem import ObjectListEntry
from workbench.session.object_file import ObjectFileError, object_list_json, read_object_file
from workbench.session.settings import PUBLIC_CLIENT
from workbench.ui.compare_dialog import FILE_FILTER, CompareDialog
from workbench.ui.dialogs_objects import ObisDialog
from workbench.ui.jobs import ClientJob, JobProgress, JobResult
from workbench.ui.menus import PUBLIC_READ_ONLY
from workbench.ui.messages import (
    AttributeReading,
    AttributeRef,
    Failure,
    LinkState,
    LinkStatus,
    MeterIdentity,
    ReadRequest,
    WriteRequest,
)
from workbench.ui.report_dialog import ReportDialog
from workbench.ui.report_job import ReportOrder, run_report
from workbench.ui.widgets.site_panel import SitePanel

if TYPE_CHECKING:
    from workbench.ui.main_window import MainWindow

__all__ = ["REPORT_JOB", "VisitActions", "save_recording"]

REPORT_JOB = "Writing the commissioning report"


def default_folder(what: str) -> Path:
    return Path(platformdirs.user_documents_dir()) / "DLMS Workbench" / what


def save_recording(recording: Path, target: Path) -> int:
    """Copy the connection's recording to ``target`` through the capture writers (``.wbcap``
    or ``.pcapng`` by extension, password masked); return the frames written.

    Raises:
        CaptureError: the recording cannot be read or the target written.
    """
    if target.resolve() == recording.resolve():
        raise CaptureError("that is the recording itself; choose another file name")
    capture = load_capture(recording)
    return save_capture(target, capture.records, capture.header)


class VisitActions(QObject):
    """Adds the Site tab and the visit's menu actions to ``window`` and runs them."""

    def __init__(self, window: MainWindow) -> None:
        super().__init__(window)
        self.window = window
        self.objects: list[ObjectListEntry] = []
        self.identity: MeterIdentity | None = None
        self.status = LinkStatus(LinkState.DISCONNECTED)
        self.report_dialog: ReportDialog | None = None
        self.obis_dialog: ObisDialog | None = None
        self.site = SitePanel(folder=default_folder("site"))
        window.tabs.add_page(self.site, "Site")
        self.site.capture_requested.connect(window.open_capture)
        window.connection.connect_requested.connect(lambda s: window.dissector.use(s.hls))
        self._add_actions()
        worker = window.worker  # worker signals reach bound methods, queued to this thread
        worker.job_progress.connect(self._on_job_progress)
        worker.job_finished.connect(self._on_job_finished)
        worker.objects_listed.connect(self._on_objects)
        worker.attributes_read.connect(self._on_readings)
        worker.identified.connect(self._on_identity)
        window.status_shown.connect(self._on_status)
        self._update()

    def _add_actions(self) -> None:
        menus = {m.title(): m for m in self.window.menuBar().findChildren(QMenu)}
        file_menu, meter = menus["&File"], menus["&Meter"]
        before = next(a for a in file_menu.actions() if a.text() == "&Quit")
        self.save_recording_action = _action(file_menu, before, "Save &recording…",
                                             self.ask_save_recording,
                                             "Save this connection's frames as .wbcap or "
                                             ".pcapng (password masked)")
        self.export_action = _action(file_menu, before, "&Export object list…",
                                     self.ask_export, "Save the association's object list "
                                     "as JSON (workbench objects --import reads it)")
        self.import_action = _action(file_menu, before, "&Import object list…",
                                     self.ask_import, "Show an object list saved from a "
                                     "meter of the same type, when this one cannot send it")
        self.compare_action = _action(file_menu, before, "&Compare readings…",
                                      self.ask_compare, "Show what differs between two "
                                      "saved readouts or captures (before/after, or against "
                                      "a reference meter)")
        file_menu.insertSeparator(before)
        meter.addSeparator()
        self.report_action = _action(meter, None, "Commissioning &report…", self.open_report,
                                     "Read this meter and write its commissioning report "
                                     "(HTML and PDF)")
        self.obis_action = _action(meter, None, "Object by &OBIS…", self.open_obis_dialog,
                                   "Read, write or plot any attribute by its OBIS code")

    # ------------------------------------------------------------------ state
    @property
    def associated(self) -> bool:
        return self.status.state is LinkState.ASSOCIATED

    def _write_refused(self) -> str:
        return PUBLIC_READ_ONLY if self.status.client in (0, PUBLIC_CLIENT) else ""

    def _on_status(self, status: LinkStatus) -> None:
        self.status = status
        self._update()

    def _update(self) -> None:
        connect_first = "" if self.associated else "Connect first."
        _allow(self.report_action, connect_first)
        _allow(self.obis_action, "")
        _allow(self.export_action, "" if self.objects else "No object list read or imported.")
        _allow(self.save_recording_action, "" if self.window.recording_path
               else "No connection has been recorded yet.")
        if self.obis_dialog is not None:
            self.obis_dialog.set_session(self.associated, self._write_refused())

    def _on_identity(self, identity: MeterIdentity) -> None:
        self.identity = identity

    def _on_objects(self, entries: tuple[ObjectListEntry, ...]) -> None:
        self.objects = list(entries)
        self._update()

    def _on_readings(self, readings: tuple[AttributeReading, ...]) -> None:
        if self.obis_dialog is not None:
            self.obis_dialog.show_readings(readings)

    # ------------------------------------------------------------------ report
    def open_report(self) -> ReportDialog:
        """The report dialog for the open connection (one at a time)."""
        if self.report_dialog is not None and self.report_dialog.running:
            self.report_dialog.raise_()
            return self.report_dialog
        serial = self.identity.serial if self.identity is not None else ""
        recording = self.window.recording_path
        dialog = ReportDialog(self.window, default_folder("reports"), serial=serial,
                              recording=Path(recording) if recording else None,
                              sync_refused=self._write_refused())
        dialog.start_requested.connect(self._start_report)
        dialog.cancel_requested.connect(self.window.cancel)
        self.report_dialog = dialog
        dialog.open()
        return dialog

    def _start_report(self, order: ReportOrder) -> None:
        self.window.send(ClientJob(REPORT_JOB, functools.partial(run_report, order)))

    def _on_job_progress(self, progress: JobProgress) -> None:
        if progress.doing == REPORT_JOB and self.report_dialog is not None:
            self.report_dialog.show_step(progress)

    def _on_job_finished(self, result: JobResult) -> None:
        if result.doing == REPORT_JOB and self.report_dialog is not None:
            self.report_dialog.show_result(result)

    # ------------------------------------------------------------------ object by OBIS
    def open_obis_dialog(self) -> ObisDialog:
        if self.obis_dialog is None:
            dialog = ObisDialog(self.window)
            dialog.read_requested.connect(lambda ref: self.window.send(ReadRequest((ref,))))
            dialog.write_requested.connect(self._write)
            dialog.plot_requested.connect(self._plot)
            self.obis_dialog = dialog
        self.obis_dialog.set_session(self.associated, self._write_refused())
        self.obis_dialog.show()
        self.obis_dialog.raise_()
        return self.obis_dialog

    def _write(self, target: AttributeRef, value: Data) -> None:
        self.window.send(WriteRequest(target, value))

    def _plot(self, series: tuple[int, str, str]) -> None:
        self.window.plot.add_register(*series)
        self.window.tabs.setCurrentWidget(self.window.plot)

    # ------------------------------------------------------------------ files
    def export_objects(self, path: Path) -> bool:
        """Write the object list as JSON (the ``workbench objects --export`` format)."""
        try:
            meter = self.window.connection.settings().describe()
        except ValueError:  # the form was changed into something unusable since
            meter = ""
        meta = {"meter": meter, "client": self.status.client,
                "serial": self.identity.serial if self.identity is not None else "",
                "time": dt.datetime.now().astimezone().isoformat(timespec="seconds"),
                "tool": f"DLMS Workbench {__version__}"}
        try:
            path.write_text(json.dumps(object_list_json(self.objects, meta), indent=1) + "\n",
                            encoding="utf-8")
        except OSError as exc:
            return self._failed("Export object list", f"cannot write {path}: "
                                f"{exc.strerror or exc}", "Choose a folder you can write to.")
        self.window.status_strip.show_notice(f"{len(self.objects)} objects saved to {path}")
        return True

    def import_objects(self, path: Path) -> bool:
        """Show an exported object list in the object tree (checked entry by entry)."""
        try:
            entries, meta = read_object_file(path)
        except ObjectFileError as exc:
            return self._failed("Import object list", str(exc),
                                "Import a file written by Export object list or "
                                "`workbench objects --export`.")
        self.window.browser.set_objects(entries)
        self._on_objects(tuple(entries))
        origin = f" (read from {meta['meter']})" if meta.get("meter") else ""
        self.window.status_strip.show_notice(f"{len(entries)} objects imported from "
                                             f"{path.name}{origin}", 15000)
        return True

    def save_recording_as(self, target: Path) -> bool:
        try:
            frames = save_recording(Path(self.window.recording_path), target)
        except CaptureError as exc:
            return self._failed("Save recording", str(exc), "Choose another file name.")
        self.window.status_strip.show_notice(f"{frames} frames of this connection saved to "
                                             f"{target}", 15000)
        return True

    def _failed(self, action: str, message: str, hint: str) -> bool:
        self.window.banner.show_failure(Failure(action, message, hint))
        self.window.failure_shown.emit(self.window.banner.failure)
        return False

    def ask_save_recording(self) -> None:
        path, _ = QFileDialog.getSaveFileName(
            self.window, "Save recording", "recording.wbcap",
            "Workbench capture (*.wbcap);;pcapng for Wireshark (*.pcapng)")
        if path:
            self.save_recording_as(Path(path))

    def ask_export(self) -> None:
        path, _ = QFileDialog.getSaveFileName(self.window, "Export object list",
                                              "objects.json", "Object list (*.json)")
        if path:
            self.export_objects(Path(path))

    def ask_import(self) -> None:
        path, _ = QFileDialog.getOpenFileName(self.window, "Import object list", "",
                                              "Object list (*.json);;All files (*)")
        if path:
            self.import_objects(Path(path))

    def ask_compare(self) -> None:
        first, _ = QFileDialog.getOpenFileName(self.window, "Compare: reading A (before, or "
                                               "the reference)", "", FILE_FILTER)
        if not first:
            return
        second, _ = QFileDialog.getOpenFileName(self.window, "Compare: reading B (after, or "
                                                "the meter under test)", "", FILE_FILTER)
        if second:
            self.compare_files(Path(first), Path(second))

    def compare_files(self, a: Path, b: Path) -> CompareDialog | None:
        """Open the comparison of ``a`` and ``b``; a file that cannot be read is a failure."""
        try:
            comparison = compare_readouts(read_reading(a), read_reading(b))
        except ValueError as exc:
            self._failed("Compare readings", str(exc), "Choose readouts written by a report "
                         "or a site run (*.readout.json), or captures (.wbcap, .pcapng).")
            return None
        dialog = CompareDialog(self.window, comparison)
        dialog.show()
        return dialog

    def shutdown(self) -> None:
        self.site.shutdown()


def _action(menu: QMenu, before: QAction | None, text: str, slot: Callable[[], object],
            tip: str) -> QAction:
    action = QAction(text, menu)
    action.setToolTip(tip)
    action.setStatusTip(tip)
    action.triggered.connect(lambda _checked=False: slot())
    if before is None:
        menu.addAction(action)
    else:
        menu.insertAction(before, action)
    return action


def _allow(action: QAction, why_not: str) -> None:
    action.setEnabled(not why_not)
    action.setToolTip(action.statusTip() + (f" — {why_not}" if why_not else ""))
