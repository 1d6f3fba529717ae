"""UI benchmark: GUI-thread stalls during a 60-day profile read with 10 Hz live polling,
the 100,000-frame log, and cold start to the window shown.

Run:  .venv/bin/python bench/ui.py [--profile] [--skip-framelog] [--starts 3]

(a) The real MainWindow talks to the simulated meter on loopback TCP as client 32. The live
    plot polls at 10 Hz (five registers in one GET-with-list) while the Profile tab reads the
    whole 60-day load profile (5,760 rows). A 5 ms heartbeat QTimer in the GUI thread records
    the gap between its ticks: the longest gap is the longest time the window could not
    repaint or react. Target: ≤ 50 ms. The window is built as ``workbench`` builds it,
    with its garbage-collector and interpreter-lock settings (without the former, a full
    collection of the start-up heap in the session thread held the interpreter lock for
    35-40 ms). ``--profile`` runs cProfile on the GUI thread over the read and prints where
    that thread spent its time.
(b) bench/ui_framelog.py in a child process (its own memory numbers): 100,000 frames appended
    and filtered.
(c) Cold start: ``python -m workbench --offscreen --screenshot PNG --after 0`` from spawn to
    the "screenshot saved" line (interpreter start, imports, window built, shown, painted).
"""

from __future__ import annotations

import argparse
import cProfile
import os
import pstats
import queue
import statistics
import subprocess
import sys
import tempfile
import threading
import time
from pathlib import Path
from typing import IO

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")

ROOT = Path(__file__).resolve().parent.parent
PASSWORD = "2222222222"
HEARTBEAT_MS = 5
STALL_TARGET_MS = 50.0
LIVE_PERIOD_MS = 100
START_TIMEOUT_S = 30.0  # the simulator child: interpreter start and imports


class Heartbeat:
    """A precise GUI-thread timer that keeps every gap between its ticks."""

    def __init__(self) -> None:
        from PySide6.QtCore import Qt, QTimer

        self.gaps: list[float] = []
        self._last = 0.0
        self._timer = QTimer()
        self._timer.setTimerType(Qt.TimerType.PreciseTimer)
        self._timer.setInterval(HEARTBEAT_MS)
        self._timer.timeout.connect(self._tick)

    def start(self) -> None:
        self.gaps.clear()
        self._last = time.perf_counter()
        self._timer.start()

    def stop(self) -> None:
        self._timer.stop()

    def _tick(self) -> None:
        now = time.perf_counter()
        self.gaps.append((now - self._last) * 1000)
        self._last = now


def run_until(condition, timeout: float, what: str) -> None:
    """Run the Qt event loop until ``condition()`` holds; fail loudly after ``timeout`` s."""
    from PySide6.QtCore import QEventLoop, QTimer

    loop = QEventLoop()
    deadline = time.monotonic() + timeout
    check = QTimer()
    check.setInterval(10)

    def poll() -> None:
        if condition() or time.monotonic() > deadline:
            loop.quit()

    check.timeout.connect(poll)
    check.start()
    loop.exec()
    check.stop()
    if not condition():
        raise SystemExit(f"bench: {what} did not happen within {timeout:.0f} s")


def _first_line(stream: IO[str], timeout: float) -> str:
    """The first line a child writes to ``stream``, or "" if none came within ``timeout`` s.

    readline() on a pipe cannot time out (and select() does not take pipes on Windows), so
    a daemon thread does the blocking read; killing the child then ends it with EOF.
    """
    lines: queue.Queue[str] = queue.Queue(maxsize=1)
    threading.Thread(target=lambda: lines.put(stream.readline()), daemon=True).start()
    try:
        return lines.get(timeout=timeout)
    except queue.Empty:
        return ""


class _MeterProcess:
    """``workbench simulate`` in a child process: a real meter does not share our GIL."""

    def __init__(self) -> None:
        self.proc = subprocess.Popen([sys.executable, "-m", "workbench", "simulate", "--port",
                                      "0"], stdout=subprocess.PIPE, text=True, cwd=ROOT,
                                     stderr=subprocess.DEVNULL)
        assert self.proc.stdout is not None
        line = _first_line(self.proc.stdout, START_TIMEOUT_S)
        if "listening on" not in line:
            self.proc.kill()
            self.proc.wait(timeout=10)
            raise SystemExit(f"bench: the simulator did not announce its port within "
                             f"{START_TIMEOUT_S:.0f} s: {line!r}")
        host, port = line.split("listening on", 1)[1].split()[0].rsplit(":", 1)
        self.address = (host, int(port))

    def stop(self) -> None:
        self.proc.terminate()
        self.proc.wait(timeout=10)


def _start_meter(in_process: bool):
    from workbench.simulator.config import MeterConfig
    from workbench.simulator.server import MeterServer

    if in_process:
        return MeterServer(MeterConfig(password=PASSWORD, history_days=60)).start()
    return _MeterProcess()


def stall_benchmark(profile: bool, in_process: bool) -> None:
    from PySide6.QtCore import QDateTime, QSettings
    from PySide6.QtWidgets import QApplication

    from workbench.profiles import ProfileStore
    from workbench.ui.app import favour_gui_thread
    from workbench.ui.gc_guard import GuiThreadCollector
    from workbench.ui.main_window import MainWindow
    from workbench.ui.messages import LinkState

    app = QApplication.instance() or QApplication([])
    scratch = Path(tempfile.mkdtemp(prefix="bench-ui-"))
    window = MainWindow(settings_store=QSettings(str(scratch / "s.ini"),
                                                 QSettings.Format.IniFormat),
                        profile_store=ProfileStore(scratch), recordings=scratch / "rec")
    GuiThreadCollector(window)  # as run_window() does once the window is built
    favour_gui_thread()
    states: list = []
    window.status_shown.connect(lambda s: states.append(s.state))
    window.show()
    meter = _start_meter(in_process)
    try:
        host, port = meter.address
        window.connection.set_endpoint(host, port)
        window.connection.set_client(32, PASSWORD)
        window.plot.period_spin.setValue(LIVE_PERIOD_MS)
        # Polling follows the Live tab unless told to go on: the read below is on the
        # Profile tab and must share the link with the 10 Hz polling.
        window.plot.background_box.setChecked(True)
        window.connection.connect_button.click()
        run_until(lambda: states and states[-1] is LinkState.ASSOCIATED
                  and window.browser.model.rowCount() > 0, 10, "association")
        run_until(lambda: window.plot.point_count() >= 10, 10, "live polling")
        window.tabs.setCurrentWidget(window.profile)
        view = window.profile
        view.from_edit.setDateTime(QDateTime.currentDateTime().addDays(-61))
        view.to_edit.setDateTime(QDateTime.currentDateTime())

        beat = Heartbeat()
        points_before = window.plot.point_count()
        frames_before = window.frame_log.model.rowCount()
        profiler = cProfile.Profile() if profile else None
        beat.start()
        started = time.perf_counter()
        if profiler:
            profiler.enable()
        view.read_button.click()
        run_until(lambda: view.read_button.isEnabled(), 120, "the profile read")
        if profiler:
            profiler.disable()
        elapsed = time.perf_counter() - started
        beat.stop()
        _report_stalls(beat.gaps, elapsed, len(view.model.rows), view.status.text(),
                       window.plot.point_count() - points_before,
                       window.frame_log.model.rowCount() - frames_before)
        if profiler:
            print("\nGUI thread during the read (cProfile, top 20 by own time):")
            pstats.Stats(profiler).sort_stats("tottime").print_stats(20)
    finally:
        window.close()
        meter.stop()
        app.processEvents()


def _report_stalls(gaps: list[float], elapsed: float, rows: int, status: str,
                   points: int, frames: int) -> None:
    ordered = sorted(gaps)
    worst = ordered[-1] if ordered else float("nan")
    p99 = ordered[int(len(ordered) * 0.99)] if ordered else float("nan")
    over = sum(1 for g in gaps if g > STALL_TARGET_MS)
    verdict = "OK" if worst <= STALL_TARGET_MS else "MISSED"
    print("(a) GUI-thread stalls: 60-day load profile read + live plot polling at "
          f"{1000 // LIVE_PERIOD_MS} Hz")
    print(f"    profile read        {elapsed:7.2f} s   {rows} rows   ({status})")
    print(f"    live samples        {points:7d}      frames logged {frames}")
    print(f"    heartbeat {HEARTBEAT_MS} ms      {len(gaps)} ticks; median gap "
          f"{statistics.median(gaps):.1f} ms, p99 {p99:.1f} ms")
    print(f"    longest stall       {worst:7.1f} ms   target <= {STALL_TARGET_MS:.0f} ms: "
          f"{verdict}; gaps over target: {over}")


def framelog_benchmark() -> None:
    print("\n(b) frame log: bench/ui_framelog.py --frames 100000 (child process)")
    result = subprocess.run([sys.executable, str(ROOT / "bench" / "ui_framelog.py"),
                             "--frames", "100000"], capture_output=True, text=True,
                            timeout=600, cwd=ROOT)
    for line in result.stdout.splitlines():
        print(f"    {line}")
    if result.returncode != 0:
        tail = result.stderr.strip().splitlines()[-3:]
        print(f"    (exit code {result.returncode}: {' | '.join(tail)})")


def cold_start_benchmark(runs: int) -> None:
    print(f"\n(c) cold start: python -m workbench --offscreen --screenshot (best/median of {runs})")
    times = []
    for n in range(runs):
        shot = Path(tempfile.mkdtemp(prefix="bench-start-")) / f"start-{n}.png"
        started = time.perf_counter()
        proc = subprocess.Popen([sys.executable, "-m", "workbench", "--offscreen",
                                 "--screenshot", str(shot), "--after", "0"],
                                stdout=subprocess.PIPE, stderr=subprocess.DEVNULL, text=True,
                                cwd=ROOT)
        assert proc.stdout is not None
        for line in proc.stdout:
            if "screenshot" in line:
                times.append(time.perf_counter() - started)
                break
        proc.wait(timeout=60)
        if not shot.exists():
            print(f"    run {n}: no screenshot written (exit code {proc.returncode})")
    if times:
        print(f"    spawn -> window shown and painted: best {min(times):.2f} s, "
              f"median {statistics.median(times):.2f} s")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--profile", action="store_true",
                        help="cProfile the GUI thread during the profile read")
    parser.add_argument("--meter-in-process", action="store_true",
                        help="run the simulator in this process (its threads then compete "
                             "with the GUI thread for the GIL)")
    parser.add_argument("--skip-framelog", action="store_true")
    parser.add_argument("--starts", type=int, default=3, help="cold-start runs")
    args = parser.parse_args()
    stall_benchmark(args.profile, args.meter_in_process)
    if not args.skip_framelog:
        framelog_benchmark()
    if args.starts > 0:
        cold_start_benchmark(args.starts)


if __name__ == "__main__":
    main()
