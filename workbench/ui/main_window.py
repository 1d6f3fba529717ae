"""The main window: arranges the panels and wires widget signals to the session worker.

It holds no protocol logic. Requests go to the worker through queued signals; results come
back as frozen values. The worker lives in its own QThread; closing the window cancels any
read in progress, then stops the worker inside its own thread and waits for it.
"""

from __future__ import annotations

import gc
import time
from pathlib import Path

from PySide6.QtCore import QSettings, Qt, QThread, QTimer, Signal, Slot
from PySide6.QtGui import QAction, QKeySequence
from PySide6.QtWidgets import (
    QDockWidget,
    QFileDialog,
    QFrame,
    QLabel,
    QMainWindow,
    QMessageBox,
    QScrollArea,
    QTabWidget,
    QWidget,
)

from workbench import __version__
from workbench.profiles import ProfileStore
from workbench.ui import dialogs, theme
from workbench.ui.messages import Failure, LinkState, LinkStatus, PollSample
from workbench.ui.recording import default_recordings_dir
from workbench.ui.widgets.connection_panel import ConnectionPanel
from workbench.ui.widgets.frame_log import FrameLogWidget
from workbench.ui.widgets.live_panel import LivePanel
from workbench.ui.widgets.object_browser import ObjectBrowser
from workbench.ui.widgets.profile_view import ProfileView
from workbench.ui.worker import SessionWorker

__all__ = ["MainWindow"]

POLL_MS = 1000
DEFAULT_RECORDINGS = default_recordings_dir()


class MainWindow(QMainWindow):
    """Connection dock, object browser / live plots / profile tabs, frame log dock."""

    # Requests to the worker (queued: the worker lives in another thread).
    connect_requested = Signal(object)
    disconnect_requested = Signal()
    read_requested = Signal(object)
    write_requested = Signal(object)
    action_requested = Signal(object)
    profile_requested = Signal(object)
    probe_requested = Signal(object)
    polling_changed = Signal(int)
    poll_series_changed = Signal(object)
    # Re-emitted in the GUI thread, for tests and status.
    status_shown = Signal(object)
    failure_shown = Signal(object)

    def __init__(self, settings_store: QSettings | None = None, client_factory=None, *,
                 profile_store: ProfileStore | None = None,
                 recordings: Path | None = DEFAULT_RECORDINGS) -> None:
        """``settings_store`` keeps the layout, ``profile_store`` the connection profiles,
        ``recordings`` the folder every session is recorded to (None: no recording); tests
        pass throwaway ones so the user's configuration is never touched."""
        super().__init__()
        self.setWindowTitle(f"DLMS Workbench {__version__}")
        self._qsettings = settings_store or QSettings("DLMS Workbench", "workbench")
        theme.apply_plot_palette()
        self._status = LinkStatus(LinkState.DISCONNECTED)
        self._last_failure: Failure | None = None
        self.recording_path = ""
        self._build_widgets(profile_store)
        self._build_actions()
        self._start_worker(client_factory, recordings)
        self._restore_layout()
        self._clock = QTimer(self)
        self._clock.timeout.connect(self._refresh_state_line)
        self._clock.start(500)
        _tune_garbage_collector()

    # ------------------------------------------------------------------ construction
    def _build_widgets(self, profile_store: ProfileStore | None) -> None:
        self.connection = ConnectionPanel(profile_store)
        self.browser = ObjectBrowser()
        self.plot = LivePanel()
        self.profile = ProfileView()
        self.frame_log = FrameLogWidget()

        self.tabs = QTabWidget()
        self.tabs.addTab(self.browser, "Objects")
        self.tabs.addTab(self.plot, "Live values")
        self.tabs.addTab(self.profile, "Profile")
        self.setCentralWidget(self.tabs)

        self.connection_dock = self._dock("Connection", _scrolling(self.connection),
                                          Qt.DockWidgetArea.LeftDockWidgetArea)
        self.frames_dock = self._dock("Frame log", self.frame_log,
                                      Qt.DockWidgetArea.BottomDockWidgetArea)
        self.state_label = QLabel()
        self.idle_label = QLabel()
        self.statusBar().addWidget(self.state_label, 1)
        self.recording_label = QLabel()
        self.recording_label.setStyleSheet(f"color: {theme.warning_colour()};")
        self.statusBar().addPermanentWidget(self.recording_label)
        self.statusBar().addPermanentWidget(self.idle_label)
        self.resize(1366, 768)

        self.connection.connect_requested.connect(self._on_connect_clicked)
        self.connection.disconnect_requested.connect(self.disconnect_requested)
        self.connection.probe_requested.connect(self.probe_requested)
        self.browser.read_requested.connect(self.read_requested)
        self.browser.write_requested.connect(self._confirm_write)
        self.browser.action_requested.connect(self._confirm_action)
        self.browser.plot_requested.connect(self._add_plot_series)
        self.browser.profile_requested.connect(self._open_profile)
        self.browser.whole_profile_requested.connect(self._open_profile)
        self.browser.whole_profile_requested.connect(lambda e: self.profile.read_whole(str(e.obis)))
        self.profile.read_requested.connect(self.profile_requested)
        self.profile.cancel_requested.connect(lambda: self.worker.cancel())
        self.frame_log.capture_failed.connect(self._on_capture_failed)
        self.frame_log.capture_saved.connect(
            lambda path, n: self.statusBar().showMessage(f"{n} frames saved to {path}", 8000))
        self.plot.period_changed.connect(self.polling_changed)
        self.plot.series_changed.connect(self.poll_series_changed)

    def _dock(self, title: str, widget: QWidget, area: Qt.DockWidgetArea) -> QDockWidget:
        dock = QDockWidget(title, self)
        dock.setObjectName(title.replace(" ", "_"))
        dock.setWidget(widget)
        self.addDockWidget(area, dock)
        return dock

    def _build_actions(self) -> None:
        file_menu = self.menuBar().addMenu("&File")
        self._action(file_menu, "&Open capture…", QKeySequence.StandardKey.Open, self._open_capture)
        self._action(file_menu, "&Save capture…", QKeySequence.StandardKey.Save, self._save_capture)
        file_menu.addSeparator()
        self._action(file_menu, "&Quit", QKeySequence.StandardKey.Quit, self.close)
        meter = self.menuBar().addMenu("&Meter")
        self._action(meter, "&Connect", QKeySequence("Ctrl+K"),
                     lambda: self._on_connect_clicked(self.connection.settings()))
        self._action(meter, "&Disconnect", QKeySequence("Ctrl+Shift+K"), self.disconnect_requested)
        self._action(meter, "&Read selected", QKeySequence("F5"),
                     lambda: self.browser.read_button.click())
        self._action(meter, "Re&fresh all attributes", QKeySequence("Ctrl+R"),
                     lambda: self.browser.read_all_button.click())
        view = self.menuBar().addMenu("&View")
        view.addAction(self.connection_dock.toggleViewAction())
        view.addAction(self.frames_dock.toggleViewAction())
        help_menu = self.menuBar().addMenu("&Help")
        self._action(help_menu, "&About DLMS Workbench", None, lambda: dialogs.about(self))

    def _action(self, menu, text, shortcut, slot) -> QAction:
        action = QAction(text, self)
        if shortcut is not None:
            action.setShortcut(shortcut)
        action.triggered.connect(slot)
        menu.addAction(action)
        return action

    def _start_worker(self, client_factory, recordings: Path | None) -> None:
        self.thread_ = QThread(self)
        self.thread_.setObjectName("session-worker")
        self.worker = SessionWorker(client_factory, recordings)
        self.worker.moveToThread(self.thread_)
        self.thread_.started.connect(self.worker.start_timers)
        self.thread_.finished.connect(self.worker.deleteLater)
        self.connect_requested.connect(self.worker.connect_meter)
        self.disconnect_requested.connect(self.worker.disconnect_meter)
        self.read_requested.connect(self.worker.read_attributes)
        self.write_requested.connect(self.worker.write_attribute)
        self.action_requested.connect(self.worker.call_method)
        self.profile_requested.connect(self.worker.read_profile)
        self.probe_requested.connect(self.worker.probe)
        self.polling_changed.connect(self.worker.set_polling)
        self.poll_series_changed.connect(self.worker.set_poll_series)
        self.worker.status_changed.connect(self._on_status)
        self.worker.failed.connect(self._on_failure)
        self.worker.frames_logged.connect(self.frame_log.append_records)
        self.worker.identified.connect(self.connection.show_identity)
        self.worker.objects_listed.connect(self.browser.set_objects)
        self.worker.attributes_read.connect(self.browser.show_readings)
        # Worker signals go to bound methods, never lambdas: a lambda has no thread, so
        # PySide6 would call it directly in the worker thread and touch widgets from there.
        self.worker.action_done.connect(self._on_action_done)
        self.worker.poll_sampled.connect(self._on_sample)
        self.worker.profile_received.connect(self.profile.add_chunk)
        self.worker.probe_finished.connect(self._on_probe_finished)
        self.worker.recording_started.connect(self._on_recording_started)
        self.thread_.start()

    # ------------------------------------------------------------------ worker results
    def _on_connect_clicked(self, settings) -> None:
        self.connection.set_connected(True)
        self.connect_requested.emit(settings)

    def _on_status(self, status: LinkStatus) -> None:
        was_connected = self._status.state is LinkState.ASSOCIATED
        self._status = status
        connected = status.state is LinkState.ASSOCIATED
        self.connection.set_connected(status.state not in (LinkState.DISCONNECTED,))
        if connected:
            self.connection.show_problem(None)
            public = status.client == 16
            self.browser.set_write_allowed(
                not public, "The public client (16) is read-only: connect as client 32 or 1 "
                "with the LLS password to write or call methods.")
            if not was_connected:  # the worker repeats ASSOCIATED every second: restarting
                self.polling_changed.emit(self.plot.period_ms())  # the timer would starve it
        else:
            self.browser.set_write_allowed(False, "Connect first.")
            self.plot.mark_gap(time.time())
        self._refresh_state_line()
        self.status_shown.emit(status)

    def _on_failure(self, failure: Failure) -> None:
        self._last_failure = failure
        text = f"{failure.action} failed: {failure.message}"
        if failure.hint:
            text += f" — {failure.hint}"
        self.statusBar().showMessage(text, 15000)
        if self._status.state is not LinkState.ASSOCIATED:
            self.connection.set_connected(False)
            self.connection.show_problem(failure)
        self.failure_shown.emit(failure)

    @Slot(str)
    def _on_action_done(self, text: str) -> None:
        self.statusBar().showMessage(text, 8000)

    @Slot(str)
    @Slot(str)
    def _on_recording_started(self, path: str) -> None:
        self.recording_path = path
        self.recording_label.setText("● recording")
        self.recording_label.setToolTip(f"This session is recorded to {path}")

    def _on_probe_finished(self, report: str) -> None:
        dialogs.show_report(self, "Probe", report)

    def _on_sample(self, sample: PollSample) -> None:
        if not sample.values:
            self.plot.mark_gap(sample.time)
            return
        for name, value in sample.values.items():
            if value is None:
                continue
            self.plot.add_point(name, sample.time, value, sample.units.get(name, ""))

    def _refresh_state_line(self) -> None:
        s = self._status
        steps = _state_steps(s.state)
        self.state_label.setText(f"{steps}   {s.detail}")
        if s.state is LinkState.ASSOCIATED and s.last_activity:
            now = time.monotonic()
            idle_left = max(0.0, s.idle_limit - (now - s.last_activity))
            keep = max(0.0, s.next_keepalive - now) if s.next_keepalive else 0.0
            self.idle_label.setText(f"meter idle drop in {idle_left:4.0f} s · keepalive in "
                                    f"{keep:4.0f} s")
        else:
            self.idle_label.setText("")

    # ------------------------------------------------------------------ user actions
    def _confirm_write(self, request) -> None:
        entry, attribute = request
        value = dialogs.ask_value(self, entry, attribute)
        if value is not None:
            self.write_requested.emit((entry.class_id, str(entry.obis), attribute, value))

    def _confirm_action(self, entry) -> None:
        request = dialogs.ask_method(self, entry)
        if request is not None:
            method, param = request
            self.action_requested.emit((entry.class_id, str(entry.obis), method, param))

    def _add_plot_series(self, request) -> None:
        class_id, obis, label = request
        self.plot.add_register(class_id, obis, label)
        self.tabs.setCurrentWidget(self.plot)

    def _open_profile(self, entry) -> None:
        from workbench.protocol.cosem import obis_name

        self.profile.set_obis(str(entry.obis), obis_name(entry.obis) or "")
        self.tabs.setCurrentWidget(self.profile)

    def _open_capture(self) -> None:
        path, _ = QFileDialog.getOpenFileName(self, "Open capture", "",
                                              "Captures (*.wbcap *.pcapng);;All files (*)")
        if path:
            self.open_capture(path)

    def _on_capture_failed(self, message: str) -> None:
        self._last_failure = Failure("Capture", message)
        QMessageBox.warning(self, "Capture", message)

    def open_capture(self, path: str | Path) -> bool:
        """Show a saved capture in the frame log (a failure is reported, not raised)."""
        loaded = self.frame_log.load_capture(path)
        if loaded:
            self.frames_dock.show()
            self.setWindowTitle(f"DLMS Workbench {__version__} — {Path(path).name}")
        return loaded

    def _save_capture(self) -> None:
        path, _ = QFileDialog.getSaveFileName(self, "Save capture", "capture.wbcap",
                                              "Workbench capture (*.wbcap);;pcapng (*.pcapng)")
        if path:
            self.frame_log.save_capture(path)

    def last_failure_text(self) -> str:
        """The last failure shown, as one line (for the self-test and tests)."""
        f = self._last_failure
        return f"{f.action}: {f.message}" if f is not None else ""

    # ------------------------------------------------------------------ lifecycle
    def _restore_layout(self) -> None:
        geometry = self._qsettings.value("geometry")
        state = self._qsettings.value("window_state")
        if geometry is not None:
            self.restoreGeometry(geometry)
        if state is not None:
            self.restoreState(state)
        else:
            self.resizeDocks([self.connection_dock], [330], Qt.Orientation.Horizontal)
            self.resizeDocks([self.frames_dock], [290], Qt.Orientation.Vertical)

    def closeEvent(self, event) -> None:
        self._qsettings.setValue("geometry", self.saveGeometry())
        self._qsettings.setValue("window_state", self.saveState())
        self.shutdown()
        super().closeEvent(event)

    def shutdown(self) -> None:
        """Cancel any read, stop the worker in its own thread and wait for the thread."""
        if not self.thread_.isRunning():
            return
        self._clock.stop()
        self.worker.shutdown()
        self.worker.metaObject().invokeMethod(self.worker, "stop",
                                              Qt.ConnectionType.QueuedConnection)
        if not self.thread_.wait(10_000):
            QMessageBox.warning(self, "DLMS Workbench", "The session did not stop in 10 s.")


def _scrolling(panel: QWidget) -> QScrollArea:
    """The panel in a scroll area: at 1366×768 a failure message under the form would
    otherwise squash every field to a sliver instead of adding a scroll bar."""
    area = QScrollArea()
    area.setWidgetResizable(True)
    area.setFrameShape(QFrame.Shape.NoFrame)
    area.setWidget(panel)
    area.setHorizontalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAlwaysOff)
    area.setMinimumWidth(panel.minimumSizeHint().width()
                         + area.verticalScrollBar().sizeHint().width())
    return area


def _tune_garbage_collector() -> None:
    """Keep Python's cyclic collector from freezing the window during big reads.

    A 60-day profile read creates hundreds of thousands of short-lived objects, so the
    collector runs often, and each full pass also walks every object of Qt, pyqtgraph and
    numpy loaded at start-up, holding the interpreter lock for up to ~60 ms (measured with
    bench/ui.py). Freezing what exists once the window is built takes those objects out of
    every later pass, and a larger first-generation threshold makes passes rarer; together
    the longest GUI stall during the read dropped from 50–65 ms to 22–26 ms.
    """
    gc.collect()
    gc.freeze()
    gc.set_threshold(20_000, 50, 50)


def _state_steps(state: LinkState) -> str:
    order = (LinkState.TCP, LinkState.HDLC, LinkState.ASSOCIATED)
    labels = ("TCP", "HDLC", "Association")
    if state in order:
        reached = order.index(state)
        return " → ".join(f"✔ {lab}" if i <= reached else f"· {lab}"
                          for i, lab in enumerate(labels))
    return state.value
