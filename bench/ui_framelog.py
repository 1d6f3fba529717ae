"""Frame-log benchmark: 100,000 frames appended to the log model, then filtered.

Run:  QT_QPA_PLATFORM=offscreen .venv/bin/python bench/ui_framelog.py [--frames 100000]

Frames are a polling session's mix, all distinct (worst case for caches): GET-Request-
Normal for 1-1:32.7.0.255 /2 with cycling N(S)/N(R), GET-Response-Normal carrying a
changing double-long-unsigned, and RR frames. Appends arrive in batches of 40, as the
session worker delivers them. Printed: append time, memory (tracemalloc peak of the model's
Python objects, and process RSS), and the time of each filter step: by direction (no
decoding), by frame kind (the decoder's fast path), by free text (first time: every
summary computed from a full dissection; second time: cached).

Known: on CPython 3.11 with PySide6 6.12.0 the script may abort at interpreter exit with
"none_dealloc: deallocating None" after printing: every void PySide6 call (beginInsertRows,
setText, ...) drops one reference to None (measured; None is immortal only from 3.12).
"""

from __future__ import annotations

import argparse
import time
import tracemalloc

from PySide6.QtWidgets import QApplication

from workbench.protocol.hdlc import FrameKind, HdlcFrame, encode_frame
from workbench.protocol.hdlc_address import client_address, server_address
from workbench.session.trace import FrameRecord
from workbench.ui.models.frame_filter_model import FrameFilterProxy
from workbench.ui.models.frame_log_model import FrameLogModel

METER, CLIENT = server_address(1, 1234), client_address(1)
GET = bytes.fromhex("E6E600C001C100030101200700FF0200")


def make_records(n: int) -> list[FrameRecord]:
    records = []
    for i in range(n):
        seq = (i // 3) % 8
        if i % 3 == 0:
            frame = HdlcFrame(FrameKind.I, METER, CLIENT, n_s=seq, n_r=seq, info=GET)
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


def timed(label: str, action) -> None:
    start = time.perf_counter()
    result = action()
    print(f"{label:<46} {(time.perf_counter() - start) * 1000:9.1f} ms   {result}")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--frames", type=int, default=100_000)
    parser.add_argument("--batch", type=int, default=40)
    args = parser.parse_args()
    app = QApplication.instance() or QApplication([])
    records = make_records(args.frames)
    print(f"{args.frames} frames, {sum(len(r.raw) for r in records)} bytes, "
          f"batches of {args.batch}; RSS before: {rss_mb():.1f} MB")

    tracemalloc.start()
    model = FrameLogModel()
    proxy = FrameFilterProxy(model)

    def append() -> str:
        for start in range(0, len(records), args.batch):
            model.append_records(records[start:start + args.batch])
        return f"{proxy.rowCount()} rows shown"

    timed("append (with live proxy)", append)
    current, peak = tracemalloc.get_traced_memory()
    tracemalloc.stop()
    print(f"{'memory after append':<46} tracemalloc {current / 2**20:.1f} MB "
          f"(peak {peak / 2**20:.1f} MB), RSS {rss_mb():.1f} MB")

    def show(setter, value) -> str:
        setter(value)
        return f"{proxy.rowCount()} rows shown"

    timed("filter direction = rx", lambda: show(proxy.set_direction, "rx"))
    timed("filter direction = both", lambda: show(proxy.set_direction, None))
    timed("filter kind = RR (first: fast-path decode)", lambda: show(proxy.set_kind, "RR"))
    timed("filter kind = I (cached kinds)", lambda: show(proxy.set_kind, "I"))
    timed("filter kind = all", lambda: show(proxy.set_kind, None))
    timed("filter text '32.7.0' (first: dissect all)", lambda: show(proxy.set_text, "32.7.0"))
    timed("filter text 'rr n(r)=3' (summaries cached)", lambda: show(proxy.set_text, "rr n(r)=3"))
    timed("filter text cleared", lambda: show(proxy.set_text, ""))
    print(f"{'RSS at the end':<46} {rss_mb():.1f} MB")
    timed("summary of the newest row (cached)", lambda: model.summary(len(records) - 1))
    app.processEvents()


if __name__ == "__main__":
    main()
