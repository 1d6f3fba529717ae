"""Frame-log benchmark: 100,000 frames appended to the log, then filtered; model and widget.

Run:  QT_QPA_PLATFORM=offscreen .venv/bin/python bench/ui_framelog.py [--frames 100000]

Frames are a polling session's mix: GET-Request-Normal with cycling N(S)/N(R) over 4,096
different OBIS codes, GET-Response-Normal carrying a changing double-long-unsigned (every
one distinct), and RR frames (8 variants: the only ones the summary cache helps with).
Appends arrive in batches of 40, as the session worker delivers them.

Printed, in three parts:

1. model: append (with a live filter; small batches are indexed as they arrive), memory
   (growth of the process RSS), each filter step.
2. widget (a shown ``FrameLogWidget``, offscreen): the longest GUI stall per appended batch
   (append + the event loop's repaint/auto-scroll), then each filter change from the bar
   with the table's relayout and repaint.
3. capture-sized load (all frames in one batch, as opening a capture does): the insert,
   the time until the background index is complete and the longest GUI stall meanwhile
   (the longest gap between ticks of a 2 ms timer), and a text filter set while it is
   still indexing.

Targets: any filter change <= 200 ms, no batch blocking the GUI > 50 ms.
Before the index-array filter and the fast-path summaries (QSortFilterProxyModel, summaries
from dissection trees; same machine, 2 cores): direction filter 1.3–2.9 s, kind filter
1.8–2.5 s, first text filter 8–13 s, later text filters 0.14–0.34 s.
"""

from __future__ import annotations

import argparse
import time
from collections.abc import Callable

from PySide6.QtCore import QEventLoop, QTimer
from PySide6.QtWidgets import QApplication

from workbench.protocol.hdlc import (
    FrameKind,
    HdlcFrame,
    client_address,
    encode_frame,
    server_address,
)
from workbench.session.trace import FrameRecord
from workbench.ui.models.frame_filter_model import FrameFilterProxy
from workbench.ui.models.frame_log_model import FrameLogModel
from workbench.ui.widgets.frame_log import FrameLogWidget

METER, CLIENT = server_address(1, 1234), client_address(1)
LLC_GET = bytes.fromhex("E6E600C001C10003")  # LLC, get-request-normal, invoke, class 3


def make_records(n: int) -> list[FrameRecord]:
    records = []
    for i in range(n):
        seq = (i // 3) % 8
        if i % 3 == 0:
            obis = bytes((1, 1, 32, (i // 3) % 16, (i // 48) % 256, 255))
            frame = HdlcFrame(FrameKind.I, METER, CLIENT, n_s=seq, n_r=seq,
                              info=LLC_GET + obis + b"\x02\x00")
        elif i % 3 == 1:
            value = (230_000 + i).to_bytes(4, "big")
            info = bytes.fromhex("E6E700C401C10006") + value
            frame = HdlcFrame(FrameKind.I, CLIENT, METER, n_s=seq, n_r=(seq + 1) % 8, info=info)
        else:
            frame = HdlcFrame(FrameKind.RR, CLIENT, METER, n_r=(seq + 1) % 8)
        records.append(FrameRecord(1_764_064_800 + i * 0.01, "tx" if i % 3 == 0 else "rx",
                                   encode_frame(frame)))
    return records


def rss_mb() -> float:
    with open("/proc/self/status") as status:
        line = next(x for x in status if x.startswith("VmRSS:"))
    return int(line.split()[1]) / 1024


def ms(start: float) -> float:
    return (time.perf_counter() - start) * 1000


def report(label: str, text: str) -> None:
    print(f"  {label:<50} {text}")


def timed(label: str, action: Callable[[], object]) -> None:
    start = time.perf_counter()
    result = action()
    report(label, f"{ms(start):8.1f} ms   {result}")


def batches(records: list[FrameRecord], size: int) -> list[list[FrameRecord]]:
    return [records[start:start + size] for start in range(0, len(records), size)]


def bench_model(records: list[FrameRecord], batch: int) -> None:
    print("model (FrameLogModel + FrameFilterProxy):")
    rss = rss_mb()
    model = FrameLogModel()
    proxy = FrameFilterProxy(model)
    proxy.set_kind("I")  # a live filter that needs the index
    worst = 0.0
    start = time.perf_counter()
    for part in batches(records, batch):
        t = time.perf_counter()
        model.append_records(part)
        worst = max(worst, ms(t))
    report(f"append all, batches of {batch} (indexed on arrival)",
           f"{ms(start):8.1f} ms   slowest batch {worst:.2f} ms, {proxy.rowCount()} rows shown")
    report("memory of the model (index included)", f"RSS +{rss_mb() - rss:.1f} MB")

    def show(setter: Callable[[object], None], value: object) -> str:
        setter(value)
        return f"{proxy.rowCount()} rows shown"

    timed("filter kind = all", lambda: show(proxy.set_kind, None))
    timed("filter direction = rx", lambda: show(proxy.set_direction, "rx"))
    timed("filter direction = both", lambda: show(proxy.set_direction, None))
    timed("filter kind = RR", lambda: show(proxy.set_kind, "RR"))
    timed("filter kind = all", lambda: show(proxy.set_kind, None))
    timed("filter text '1-1:32.7.'", lambda: show(proxy.set_text, "1-1:32.7."))
    timed("filter text 'rr n(r)=3'", lambda: show(proxy.set_text, "rr n(r)=3"))
    timed("filter text '00 03 01 01 20 07' (hex)", lambda: show(proxy.set_text,
                                                                 "00 03 01 01 20 07"))
    timed("filter text + direction rx", lambda: show(proxy.set_direction, "rx"))
    timed("filter text cleared, direction both",
          lambda: (proxy.set_text(""), show(proxy.set_direction, None))[1])


def pump(app: QApplication) -> float:
    """Run the event loop until idle; return how long that took (ms)."""
    start = time.perf_counter()
    app.processEvents()
    return ms(start)


def new_widget(app: QApplication) -> FrameLogWidget:
    widget = FrameLogWidget()
    widget.resize(1100, 700)
    widget.show()
    pump(app)
    return widget


def bench_widget(app: QApplication, records: list[FrameRecord], batch: int) -> None:
    print("widget (shown, offscreen; times include the table's relayout and repaint):")
    log = new_widget(app)
    stalls = []
    for part in batches(records, batch):
        t = time.perf_counter()
        log.append_records(part)
        app.processEvents()
        stalls.append(ms(t))
    stalls.sort()
    bar = log.table.verticalScrollBar()
    report(f"append + event loop, per batch of {batch}",
           f"median {stalls[len(stalls) // 2]:.2f} ms, p99 {stalls[int(len(stalls) * .99)]:.2f}"
           f" ms, max {stalls[-1]:.2f} ms; following newest: {bar.value() == bar.maximum()}")

    def change(action: Callable[[], object]) -> Callable[[], str]:
        def run() -> str:
            action()
            app.processEvents()
            return log.live.count_label.text()
        return run

    combo, kinds = log.live.direction_combo, log.live.kind_combo
    log.select_row(len(records) // 2)
    timed("direction = rx (from the bar)", change(lambda: combo.setCurrentIndex(2)))
    timed("direction = both", change(lambda: combo.setCurrentIndex(0)))
    timed("kind = RR", change(lambda: kinds.setCurrentIndex(kinds.findData("RR"))))
    timed("kind = all", change(lambda: kinds.setCurrentIndex(0)))
    timed("text '1-1:32.7.' (after the typing pause)", change(
        lambda: log.proxy.set_text("1-1:32.7.")))
    timed("text 'get-response'", change(lambda: log.proxy.set_text("get-response")))
    timed("text cleared", change(lambda: log.proxy.set_text("")))
    report("RSS with the widget", f"{rss_mb():.1f} MB")
    log.close()


class LagProbe:
    """A 2 ms timer noting how late it fires: the longest gap is the longest GUI stall."""

    def __init__(self) -> None:
        self.gaps: list[float] = []
        self._last = time.perf_counter()
        self._timer = QTimer(interval=2)
        self._timer.timeout.connect(self._tick)
        self._timer.start()

    def _tick(self) -> None:
        now = time.perf_counter()
        self.gaps.append((now - self._last) * 1000)
        self._last = now

    def stop(self) -> str:
        self._timer.stop()
        return f"{len(self.gaps)} ticks, longest gap {max(self.gaps, default=0):.1f} ms"


def bench_load(app: QApplication, records: list[FrameRecord]) -> None:
    print("capture-sized load (one batch of all frames, indexed in the background):")
    log = new_widget(app)
    log.proxy.set_text("get-response")
    start = time.perf_counter()
    log.append_records(records)
    report(f"insert {len(records)} frames", f"{ms(start):8.1f} ms   {log.live.count_label.text()}")
    probe, partial = LagProbe(), ""
    while not log.proxy.complete:
        app.processEvents(QEventLoop.ProcessEventsFlag.WaitForMoreEvents)
        if not partial and log.model.indexed_rows() > len(records) // 4:
            t = time.perf_counter()
            log.proxy.set_text("1-1:32.7.")
            app.processEvents()
            partial = f"{ms(t):8.1f} ms   {log.live.count_label.text()}"
    report("until the index is complete", f"{ms(start):8.1f} ms   {probe.stop()}")
    report("text filter set while indexing", partial)
    report("then", log.live.count_label.text())
    log.close()


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--frames", type=int, default=100_000)
    parser.add_argument("--batch", type=int, default=40)
    args = parser.parse_args()
    app = QApplication.instance() or QApplication([])
    records = make_records(args.frames)
    print(f"{args.frames} frames, {sum(len(r.raw) for r in records)} bytes, "
          f"batches of {args.batch}; RSS before: {rss_mb():.1f} MB")
    bench_model(records, args.batch)
    bench_widget(app, records, args.batch)
    bench_load(app, records)


if __name__ == "__main__":
    main()
