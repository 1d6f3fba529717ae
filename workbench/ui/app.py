"""Start the window: ``workbench`` (no command), ``--demo``, ``--screenshot``, ``--self-test``.

``--demo`` runs the simulated meter in-process on a free loopback port and connects to it,
so a new user sees live values and frames without any hardware. ``--self-test`` does the
same headless and exits 0 only if a value was read, frames were logged and the window
rendered; the Windows installer and the frozen bundle run it in CI.
"""

from __future__ import annotations

import contextlib
import os
import sys
import tempfile
from dataclasses import dataclass
from pathlib import Path
from types import TracebackType
from typing import TYPE_CHECKING

if TYPE_CHECKING:  # Qt is imported only once QT_QPA_PLATFORM is decided
    from PySide6.QtWidgets import QApplication

    from workbench.simulator.server import MeterServer
    from workbench.ui.main_window import MainWindow

__all__ = ["WindowOptions", "favour_gui_thread", "run_window"]

SELF_TEST_TIMEOUT_S = 30.0
DEMO_PASSWORD = "2222222222"
GUI_SWITCH_INTERVAL_S = 0.001
"""How long another thread may keep the interpreter lock once the GUI thread asks for it."""


@dataclass(frozen=True)
class WindowOptions:
    demo: bool = False
    screenshot: Path | None = None
    after: float = 3.0
    self_test: bool = False
    offscreen: bool = False
    capture: Path | None = None

    @property
    def throwaway(self) -> bool:
        """Self-tests and screenshots keep their layout and recordings out of the user's."""
        return self.self_test or self.screenshot is not None


def run_window(options: WindowOptions) -> int:
    """Create the application and main window; returns the process exit code."""
    if options.offscreen or (options.self_test and not os.environ.get("DISPLAY")):
        os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
    from PySide6.QtCore import QSettings
    from PySide6.QtWidgets import QApplication

    from workbench.ui.icon import app_icon
    from workbench.ui.main_window import MainWindow

    log_path = _start_logging()
    existing = QApplication.instance()  # a test's, or none
    app = existing if isinstance(existing, QApplication) else QApplication(sys.argv[:1])
    app.setApplicationName("DLMS Workbench")
    app.setOrganizationName("DLMS Workbench")
    app.setWindowIcon(app_icon())
    with contextlib.ExitStack() as scratch_folders:
        if options.throwaway:  # removed, recordings and all, when the window is gone
            scratch = Path(scratch_folders.enter_context(
                tempfile.TemporaryDirectory(prefix="workbench-", ignore_cleanup_errors=True)))
            window = MainWindow(settings_store=QSettings(str(scratch / "settings.ini"),
                                                         QSettings.Format.IniFormat),
                                recordings=scratch / "recordings")
        else:
            window = MainWindow()
        return _run(app, window, options, log_path)


def _run(app: QApplication, window: MainWindow, options: WindowOptions, log_path: Path) -> int:
    """Show ``window``, run the event loop, and tear everything down in order."""
    from PySide6.QtCore import QTimer

    from workbench.ui.gc_guard import GuiThreadCollector

    collector = GuiThreadCollector(window)
    switch_interval = favour_gui_thread()
    meter = _start_demo_meter(window) if options.demo or options.self_test else None
    window.show()
    _install_excepthook(window, log_path)
    if options.capture is not None:
        window.open_capture(options.capture)
    result = {"code": 0}
    if options.self_test:
        _schedule_self_test(app, window, result)
    elif options.screenshot is not None:
        shot = options.screenshot
        QTimer.singleShot(int(options.after * 1000), lambda: _save_and_quit(app, window, shot))
    try:
        code = app.exec()
    finally:
        window.shutdown()
        if meter is not None:
            meter.stop()
        collector.stop()
        sys.setswitchinterval(switch_interval)
        _tear_down(app, window)
    return result["code"] or code


def favour_gui_thread() -> float:
    """Make other threads hand the interpreter lock back after 1 ms instead of Python's 5 ms;
    returns the interval it replaced (bench/ui.py calls this too, as the window runs).

    Why: each Qt call from the GUI thread lets the lock go and each model or paint callback
    from Qt takes it back, so while the session thread decodes a profile block the GUI thread
    waited up to a whole switch interval many times within one repaint or flush. bench/ui.py,
    5 alternating runs: median longest stall 44.8 -> 27.6 ms, the read itself no slower.
    """
    previous = sys.getswitchinterval()
    sys.setswitchinterval(GUI_SWITCH_INTERVAL_S)
    return previous


def _tear_down(app: QApplication, window: MainWindow) -> None:
    """Destroy the window and the application now, in that order.

    Left to interpreter exit, Python frees Qt wrappers in no particular order (and the
    window's objects were frozen out of the collector), and Qt then crashed in about one
    exit in two (SIGSEGV after a successful self-test, seen in the frozen bundle).
    """
    from PySide6.QtCore import QCoreApplication, QEvent

    window.deleteLater()
    QCoreApplication.sendPostedEvents(None, QEvent.Type.DeferredDelete)
    app.shutdown()


def _start_logging() -> Path:
    """Log to a file in the user's log folder (frames are in captures, never passwords)."""
    import logging

    import platformdirs

    folder = Path(platformdirs.user_log_dir("dlms-workbench"))
    folder.mkdir(parents=True, exist_ok=True)
    path = folder / "workbench.log"
    logging.basicConfig(filename=path, level=logging.INFO,
                        format="%(asctime)s %(levelname)s %(name)s: %(message)s")
    return path


def _install_excepthook(window: MainWindow, log_path: Path) -> None:
    """An exception escaping a Qt slot is logged and shown as one sentence, not lost on
    stderr (invisible under pythonw on Windows) and never a raw traceback in a dialog."""
    import logging

    from PySide6.QtWidgets import QMessageBox

    def hook(kind: type[BaseException], value: BaseException,
             tb: TracebackType | None) -> None:
        logging.getLogger("workbench").error("unexpected error", exc_info=(kind, value, tb))
        if issubclass(kind, KeyboardInterrupt):
            window.close()
            return
        QMessageBox.critical(window, "DLMS Workbench",
                             f"Unexpected error: {kind.__name__}: {value}\n\n"
                             f"This is a bug in the workbench. The details are in {log_path}; "
                             "please attach that file and a saved capture to the report.")

    sys.excepthook = hook


def _start_demo_meter(window: MainWindow) -> MeterServer:
    from workbench.simulator.server import MeterConfig, MeterServer

    meter = MeterServer(MeterConfig(password=DEMO_PASSWORD), host="127.0.0.1", port=0)
    meter.start()
    host, port = meter.address
    window.connection.set_endpoint(host, port)
    window.connection.set_client(32, DEMO_PASSWORD)
    window.connection.connect_button.click()
    window.tabs.setCurrentWidget(window.plot)  # the demo opens on moving values
    return meter


def _save_and_quit(app: QApplication, window: MainWindow, path: Path) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    ok = window.grab().save(str(path))
    print(f"screenshot {'saved to' if ok else 'FAILED for'} {path}", flush=True)
    app.exit(0 if ok else 1)


def _schedule_self_test(app: QApplication, window: MainWindow, result: dict[str, int]) -> None:
    """Poll until a value was read and frames were logged, or fail after a timeout."""
    import time

    from PySide6.QtCore import QTimer

    deadline = time.monotonic() + SELF_TEST_TIMEOUT_S
    timer = QTimer(window)

    def check() -> None:
        frames = window.frame_log.model.rowCount()
        points = window.plot.point_count()
        if frames > 0 and points > 0:
            timer.stop()
            shot = Path(tempfile.gettempdir()) / "workbench-self-test.png"
            ok = window.grab().save(str(shot))
            print(f"self-test ok: {frames} frames logged, {points} plot points, "
                  f"window rendered to {shot}" if ok else "self-test FAILED: grab failed",
                  flush=True)
            result["code"] = 0 if ok else 1
            app.exit(result["code"])
        elif time.monotonic() > deadline:
            timer.stop()
            why = window.last_failure_text() or "no value read in time"
            print(f"self-test FAILED after {SELF_TEST_TIMEOUT_S:.0f} s: {why}", flush=True)
            result["code"] = 1
            app.exit(1)

    timer.timeout.connect(check)
    timer.start(200)
