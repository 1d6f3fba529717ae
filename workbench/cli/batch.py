"""``workbench batch SITE.csv``: a whole site in one go, a few meters at a time.

Each meter is connected on its own connection, identified, clock-checked and read (the
default set: identity, clock drift, instantaneous values and energies; ``--read`` adds
OBIS codes, ``--days`` adds the profile and event log). Per meter: its readout JSON and its
capture; for the site: ``summary.csv`` and ``summary.json``, and with ``--report`` one
report per meter plus ``index.html``. Exit 0 only when every meter succeeded.
"""

from __future__ import annotations

import argparse
import csv
import sys
import threading
from html import escape
from pathlib import Path

from workbench.cli.connection_options import UsageError, cli_command
from workbench.cli.output import print_json
from workbench.commissioning import (
    CollectOptions,
    Readout,
    build_report,
    readout_to_json,
    render_html,
    visit_meter,
)
from workbench.commissioning.clock import drift_text
from workbench.commissioning.site import (
    MeterOutcome,
    SiteError,
    SiteMeter,
    iter_summary_rows,
    meter_settings,
    parse_site,
    run_site,
)
from workbench.session.client import DlmsClient

__all__ = ["register"]

EXIT_SOME_FAILED = 1
_SUMMARY_COLUMNS = ("name", "host", "port", "status", "verdict", "serial", "clock", "reason",
                    "hint", "readout", "report")


def register(sub: argparse._SubParsersAction) -> None:
    parser = sub.add_parser(
        "batch", help="read every meter of a site CSV (several at once) and summarise",
        description="SITE.csv names the meters, one per line, with a header line: name, host, "
                    "and optionally port, serial (or physical), client, password_env (the "
                    "name of an environment variable holding that meter's password).")
    parser.add_argument("site", type=Path, metavar="SITE.csv")
    parser.add_argument("--jobs", type=int, default=4, help="meters read at once (default 4)")
    parser.add_argument("--out", type=Path, default=Path("site-readouts"), metavar="DIR",
                        help="folder for the results (default ./site-readouts)")
    parser.add_argument("--report", action="store_true",
                        help="also write a commissioning report per meter and index.html")
    parser.add_argument("--read", nargs="+", default=[], metavar="OBIS",
                        help="more OBIS codes to read from every meter (attribute 2)")
    parser.add_argument("--days", type=int, default=0,
                        help="days of load profile and events to check (default 0: none)")
    parser.add_argument("--timeout", type=float, default=5.0, help="seconds per answer (5)")
    parser.add_argument("--retries", type=int, default=3, help="resends of a lost frame (3)")
    parser.add_argument("--json", action="store_true", help="machine-readable output")
    parser.set_defaults(func=run)


class _Site:
    """The run's shared state: where outputs go, and the clients to cancel on Ctrl+C."""

    def __init__(self, args: argparse.Namespace, total: int) -> None:
        self.args = args
        self.total = total
        self.done = 0
        self.clients: set[DlmsClient] = set()
        self.lock = threading.Lock()

    def read(self, meter: SiteMeter, cancel: threading.Event) -> Readout:
        settings = meter_settings(meter, timeout=self.args.timeout, retries=self.args.retries)
        options = CollectOptions(days=self.args.days, extra=tuple(self.args.read))
        info = {"name": meter.name, "peer": f"{meter.host}:{meter.port}",
                "serial": meter.serial, "physical": settings.physical,
                "logical": settings.logical, "client": settings.client}
        capture = self.args.out / f"{meter.file_stem}.wbcap"
        readout = visit_meter(settings, info, options, capture, started=self._track)
        (self.args.out / f"{meter.file_stem}.readout.json").write_text(
            readout_to_json(readout), encoding="utf-8")
        if self.args.report:
            html = render_html(build_report(readout))
            (self.args.out / f"{meter.file_stem}.html").write_text(html, encoding="utf-8")
        return readout

    def _track(self, client: DlmsClient) -> None:
        with self.lock:
            self.clients.add(client)

    def cancel_all(self) -> None:
        with self.lock:
            for client in self.clients:
                client.cancel()

    def progress(self, outcome: MeterOutcome) -> None:
        self.done += 1
        if not self.args.json:
            state = "ok" if outcome.ok else f"FAILED: {outcome.error}"
            print(f"[{self.done}/{self.total}] {outcome.meter.name}: {state}", file=sys.stderr)


def _describe(outcome: MeterOutcome, args: argparse.Namespace) -> dict[str, str]:
    readout = outcome.result
    if not isinstance(readout, Readout):  # only successful outcomes are described
        return {}
    stem = outcome.meter.file_stem
    clock = readout.clock
    return {"verdict": build_report(readout).verdict.value,
            "serial": next((v.text for v in readout.identity if v.obis == "0-0:96.1.0.255"),
                           ""),
            "clock": drift_text(clock.drift_s, clock.resolution_s) if clock else "not read",
            "readout": f"{stem}.readout.json", "report": f"{stem}.html" if args.report else ""}


def _write_summary(rows: list[dict[str, str]], out: Path, report: bool) -> None:
    with (out / "summary.csv").open("w", newline="", encoding="utf-8") as f:
        writer = csv.DictWriter(f, fieldnames=_SUMMARY_COLUMNS, extrasaction="ignore")
        writer.writeheader()
        writer.writerows(rows)
    if report:
        (out / "index.html").write_text(_index(rows), encoding="utf-8")


def _index(rows: list[dict[str, str]]) -> str:
    body = "".join(
        f"<tr><td>{_link(r)}</td><td>{escape(r['host'])}:{escape(r['port'])}</td>"
        f"<td>{escape(r.get('verdict') or r['status']).upper()}</td>"
        f"<td>{escape(r.get('serial', ''))}</td><td>{escape(r.get('clock', ''))}</td>"
        f"<td>{escape(r['reason'])}</td></tr>" for r in rows)
    return ("<!DOCTYPE html><html lang=\"en\"><head><meta charset=\"utf-8\"><title>Site</title>"
            "<style>body{font-family:'DejaVu Sans',Arial,sans-serif;font-size:10pt}"
            "table{border-collapse:collapse}td,th{padding:3px 8px;border-bottom:1px solid #ddd;"
            "text-align:left}</style></head><body><h1>Site commissioning</h1><table><tr>"
            "<th>Meter</th><th>Address</th><th>Verdict</th><th>Serial</th><th>Clock</th>"
            f"<th>Reason</th></tr>{body}</table></body></html>")


def _link(row: dict[str, str]) -> str:
    name = escape(row["name"])
    return f'<a href="{escape(row["report"])}">{name}</a>' if row.get("report") else name


@cli_command
def run(args: argparse.Namespace) -> int:
    try:
        meters = parse_site(args.site.read_bytes())
    except OSError as exc:
        raise UsageError(f"cannot read {args.site}: {exc.strerror or exc}",
                         "Give the path of the site CSV.") from None
    except SiteError as exc:
        raise UsageError(f"{args.site}: {exc}", "Fix that line of the site CSV.") from None
    if not 1 <= args.jobs <= 32:
        raise UsageError(f"--jobs {args.jobs} is not in 1..32", "Use e.g. --jobs 4.")
    args.out.mkdir(parents=True, exist_ok=True)
    site = _Site(args, len(meters))
    cancel = threading.Event()
    try:
        outcomes = run_site(meters, site.read, jobs=args.jobs, on_done=site.progress,
                            cancel=cancel)
    except KeyboardInterrupt:
        cancel.set()
        site.cancel_all()
        raise
    rows = list(iter_summary_rows(outcomes, lambda o: _describe(o, args)))
    _write_summary(rows, args.out, args.report)
    failed = sum(not o.ok for o in outcomes)
    if args.json:
        print_json({"meters": rows, "failed": failed, "out": str(args.out)})
    else:
        for row in rows:
            state = row.get("verdict", "").upper() if row["status"] == "ok" else "FAILED"
            detail = row.get("clock", "") if row["status"] == "ok" else \
                f"{row['reason']} — {row['hint']}".rstrip(" —")
            print(f"{row['name']:<24} {state:<7} {detail}")
        print(f"{len(rows) - failed} of {len(rows)} meters read; results in {args.out}")
    return EXIT_SOME_FAILED if failed else 0
