"""Session timing against the simulated meter with a simulated round-trip time. Prints numbers.

Run:  .venv/bin/python bench/session.py [--rtt-ms 50] [--days 1]

The meter (``MeterServer``, in-process, loopback TCP) waits ``--rtt-ms`` before every
answer, like a GPRS modem. With HDLC window 1 each received frame costs one round trip, so
an exchange with no idle waits takes about (frames received × RTT); the ratio printed for
the profile read is wall time / that floor (target ≤ 1.1).

  (a) 12 instantaneous values: round trips after association, cold (scaler_unit read
      along) and warm (scalers known);
  (b) one day of load profile: wall time, frames, frames × RTT, ratio, frames/s;
  (c) the same read with the link dropped every N frames: time from the drop to the
      first new row, and the total;
  (d) connect-to-first-value: TCP + SNRM/UA + AARQ/AARE + one GET;
  (e) the profile read with a frame lost or damaged now and then: repaired on the link
      (RR poll, resent I-frame) without reconnecting; each loss costs one adaptive RTO
      (a few round trips, 0.2 s floor; see docs/timeouts.md), no longer the 2 s timeout;
  (f) issue 9's reproduction: 96 rows with every 3rd meter frame lost (drop-frame:3) or
      cut (truncate:3), CLI defaults (timeout 5 s). Before the adaptive timeout: 100.5 s
      each; after: about 6.3 s (20 repairs at about 0.25 s each).
  (g) a 60-day profile at 128/1 (meter PDU 512, as Microstar) against 1024/7 (meter PDU
      7,165, so one datablock fills a window; also shown with PDU 512): wall time, frames,
      wall / (round trips × RTT).
      The time above the floor is split into the simulated meter's (from each frame we
      send to its next frame, less the RTT) and ours.
"""

from __future__ import annotations

import argparse
import datetime as dt
import time

from workbench.protocol.cosem import Obis
from workbench.session.client import DlmsClient
from workbench.session.readings import read_values
from workbench.session.settings import ConnectionSettings
from workbench.session.targets import Target
from workbench.session.trace import FrameRecord
from workbench.simulator.config import MeterConfig
from workbench.simulator.server import MeterServer

INSTANT = [Obis(1, 1, c, 7, 0, 255) for c in (32, 31, 14, 1, 2, 3, 4, 9, 13)]
ENERGY = [Obis(1, 1, c, 8, 0, 255) for c in (1, 2, 3)]
LOAD_PROFILE = Obis.parse("1-0:99.1.0.255")


class Counter:
    """Frame observer: counts and keeps (time, direction, note) of every frame."""

    def __init__(self) -> None:
        self.log: list[FrameRecord] = []

    def __call__(self, record: FrameRecord) -> None:
        self.log.append(record)

    def mark(self) -> int:
        return len(self.log)

    def waits(self, mark: int) -> float:
        """Seconds from each frame we sent to the meter's next frame: the round trips plus
        the meter's own processing (the simulator runs on this machine, in Python)."""
        total, sent_at = 0.0, None
        for record in self.log[mark:]:
            if record.direction == "tx":
                sent_at = record.time if sent_at is None else sent_at
            elif sent_at is not None:
                total, sent_at = total + record.time - sent_at, None
        return total

    def since(self, mark: int) -> tuple[int, int]:
        part = self.log[mark:]
        return (sum(r.direction == "tx" for r in part), sum(r.direction == "rx" for r in part))


def _client(server: MeterServer, counter: Counter) -> DlmsClient:
    host, port = server.address
    return DlmsClient(ConnectionSettings(host=host, port=port, timeout=2.0),
                      observers=[counter])


def bench_first_value(server: MeterServer, rtt: float) -> None:
    counter = Counter()
    client = _client(server, counter)
    started = time.perf_counter()
    client.connect()
    read_values(client, [Target(Obis.parse("0-0:96.1.0.255"), 2, 1)], {})
    elapsed = time.perf_counter() - started
    tx, rx = counter.since(0)
    client.close()
    print(f"(d) connect to first value: {elapsed * 1000:.0f} ms; {tx} frames out, {rx} in "
          f"(floor {rx} x RTT = {rx * rtt * 1000:.0f} ms)")


def bench_instant(server: MeterServer, rtt: float) -> None:
    counter = Counter()
    targets = [Target(o, 2, 3) for o in INSTANT + ENERGY]
    with _client(server, counter) as client:
        scalers: dict = {}
        for label in ("cold", "warm"):
            mark, started = counter.mark(), time.perf_counter()
            readings = read_values(client, targets, {}, scalers)
            elapsed = time.perf_counter() - started
            tx, rx = counter.since(mark)
            assert all(r.ok for r in readings), [r.error for r in readings if not r.ok]
            print(f"(a) 12 values, {label}: {rx} round trips ({tx} frames out, {rx} in), "
                  f"{elapsed * 1000:.0f} ms; e.g. {readings[0].scaled}, {readings[9].scaled}")


def bench_profile(server: MeterServer, rtt: float, days: int) -> None:
    counter = Counter()
    end = dt.datetime.now().replace(minute=0, second=0, microsecond=0)
    start = end - dt.timedelta(days=days)
    with _client(server, counter) as client:
        mark, started = counter.mark(), time.perf_counter()
        rows = client.read_profile(LOAD_PROFILE, start=start, end=end)
        elapsed = time.perf_counter() - started
    tx, rx = counter.since(mark)
    floor = rx * rtt
    print(f"(b) {days} day(s) of load profile: {len(rows)} rows in {elapsed:.2f} s; "
          f"{tx} frames out, {rx} in; {rx} x RTT = {floor:.2f} s; ratio "
          f"{elapsed / floor:.3f}; {(tx + rx) / elapsed:.1f} frames/s")


def bench_resume(rtt_ms: float, days: int, drop_after: int) -> None:
    counter = Counter()
    row_times: list[tuple[float, int]] = []
    end = dt.datetime.now().replace(minute=0, second=0, microsecond=0)
    start = end - dt.timedelta(days=days)
    config = MeterConfig(rtt_ms=rtt_ms, faults=(f"drop-link-after:{drop_after}",))
    with MeterServer(config) as server, _client(server, counter) as client:
        started = time.perf_counter()
        rows = client.read_profile(LOAD_PROFILE, start=start, end=end,
                                   on_rows=lambda b: row_times.append((time.time(), len(b))))
        total = time.perf_counter() - started
        reconnects = client.reconnects
    gaps = []
    snrms = [i for i, r in enumerate(counter.log) if r.note == "SNRM"][1:]
    for i in snrms:
        last_rx = max(r.time for r in counter.log[:i] if r.direction == "rx")
        first_row = min((t for t, _ in row_times if t > counter.log[i].time), default=None)
        if first_row is not None:
            gaps.append(first_row - last_rx)
    mean = sum(gaps) / len(gaps) if gaps else float("nan")
    print(f"(c) link dropped every {drop_after} frames: {len(rows)} rows, {reconnects} "
          f"reconnects, drop -> first new row {mean * 1000:.0f} ms on average "
          f"(max {max(gaps, default=float('nan')) * 1000:.0f} ms); total {total:.2f} s")


def bench_link_repair(rtt_ms: float, days: int, fault: str) -> None:
    """(e) a lost or damaged frame repaired on the HDLC link (RR poll / resent I-frame)."""
    counter = Counter()
    end = dt.datetime.now().replace(minute=0, second=0, microsecond=0)
    start = end - dt.timedelta(days=days)
    with MeterServer(MeterConfig(rtt_ms=rtt_ms, seed=3, faults=(fault,))) as server:
        host, port = server.address
        settings = ConnectionSettings(host=host, port=port, timeout=2.0, retries=5)
        with DlmsClient(settings, observers=[counter]) as client:
            started = time.perf_counter()
            rows = client.read_profile(LOAD_PROFILE, start=start, end=end)
            total = time.perf_counter() - started
            repairs, reconnects = client.link_recoveries, client.reconnects
    print(f"(e) {fault}: {len(rows)} rows in {total:.2f} s; {repairs} link repairs, "
          f"{reconnects} reconnects")


def bench_lost_frames(fault: str, rtt_ms: float = 0.0) -> None:
    """(f) the issue-9 reproduction: 96 rows (--last 96) with CLI defaults (timeout 5 s,
    retries 3) while the meter loses or truncates every 3rd frame it sends."""
    counter = Counter()
    with MeterServer(MeterConfig(rtt_ms=rtt_ms, faults=(fault,))) as server:
        host, port = server.address
        settings = ConnectionSettings(host=host, port=port, timeout=5.0, retries=3)
        started = time.perf_counter()
        with DlmsClient(settings, observers=[counter]) as client:
            rows = client.read_profile(LOAD_PROFILE, last=96)
            repairs, reconnects = client.link_recoveries, client.reconnects
        total = time.perf_counter() - started
    tx, rx = counter.since(0)
    print(f"(f) {fault}, 96 rows, timeout 5 s: {len(rows)} rows in {total:.2f} s "
          f"(connect included); {tx} frames out, {rx} in; {repairs} link repairs, "
          f"{reconnects} reconnects")


def bench_fast_link(rtt_ms: float, days: int, max_info: int, window: int,
                   max_pdu: int) -> float:
    """(g) a long profile read with the link parameters granted, against a meter whose xDLMS
    PDU is ``max_pdu`` bytes (the meter decides how big each GET datablock is).

    Round trips are counted as the frames we send (each one with the poll bit waits for the
    meter: a request, an RR for the next window); the floor is that count × RTT."""
    counter = Counter()
    end = dt.datetime.now().replace(minute=0, second=0, microsecond=0)
    start = end - dt.timedelta(days=days)
    config = MeterConfig(rtt_ms=rtt_ms, max_info=max_info, window=window,
                         history_days=days + 1, max_pdu_size=max_pdu)
    with MeterServer(config) as server:
        host, port = server.address
        settings = ConnectionSettings(host=host, port=port, timeout=5.0, max_info=max_info,
                                      window=window)
        with DlmsClient(settings, observers=[counter]) as client:
            mark, started = counter.mark(), time.perf_counter()
            rows = client.read_profile(LOAD_PROFILE, start=start, end=end)
            elapsed = time.perf_counter() - started
    tx, rx = counter.since(mark)
    floor = tx * rtt_ms / 1000
    waits = counter.waits(mark) - floor  # the meter's own time: processing and sending
    print(f"(g) {days} days, {max_info}/{window}, meter PDU {max_pdu}: {len(rows)} rows in "
          f"{elapsed:.2f} s; {tx} frames out (round trips), {rx} in; floor {floor:.2f} s; "
          f"wall/floor {elapsed / floor:.3f}; of the {elapsed - floor:.2f} s above the floor "
          f"the simulated meter took {waits:.2f} s and our client {elapsed - floor - waits:.2f} "
          f"s (ours/floor {(elapsed - waits) / floor:.3f})")
    return elapsed


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rtt-ms", type=float, default=50.0)
    parser.add_argument("--days", type=int, default=1)
    parser.add_argument("--drop-after", type=int, default=25,
                        help="(c): the meter closes the link after this many frames")
    parser.add_argument("--only", choices=("lost", "fast"), help="run one part only")
    args = parser.parse_args()
    rtt = args.rtt_ms / 1000
    if args.only == "lost":
        for fault in ("drop-frame:3", "truncate:3"):
            bench_lost_frames(fault)
        return
    if args.only == "fast":
        bench_fast_links(args.rtt_ms)
        return
    print(f"simulated RTT {args.rtt_ms:g} ms; HDLC window 1, max info 128")
    with MeterServer(MeterConfig(rtt_ms=args.rtt_ms)) as server:
        bench_first_value(server, rtt)
        bench_instant(server, rtt)
        bench_profile(server, rtt, args.days)
    bench_resume(args.rtt_ms, args.days, args.drop_after)
    for fault in ("drop-frame:7", "corrupt-fcs:0.2"):
        bench_link_repair(args.rtt_ms, args.days, fault)
    for fault in ("drop-frame:3", "truncate:3"):
        bench_lost_frames(fault)
    bench_fast_links(args.rtt_ms)


WINDOW_PDU = 7 * 1024 - 3
"""A meter granting 1024-byte frames and window 7 is a meter built for throughput; such
meters announce a large xDLMS PDU too. 7,165 bytes is the PDU whose datablock, with its
3-byte LLC header, fills exactly one window of 7 × 1024 (one round trip per block)."""


def bench_fast_links(rtt_ms: float) -> None:
    """128/1 on a Microstar-like meter (PDU 512) against 1024/7 on a meter with the PDU to
    fill the window; the 1024/7 read with PDU 512 shows why the PDU matters (each datablock
    fits one frame, so the window never fills)."""
    slow = bench_fast_link(rtt_ms, 60, 128, 1, 512)
    small = bench_fast_link(rtt_ms, 60, 1024, 7, 512)
    fast = bench_fast_link(rtt_ms, 60, 1024, 7, WINDOW_PDU)
    print(f"(g) 1024/7 with PDU {WINDOW_PDU} is {slow / fast:.1f}x faster than 128/1 with "
          f"PDU 512 (target >= 5x); with PDU 512 it is {slow / small:.1f}x")


if __name__ == "__main__":
    main()
