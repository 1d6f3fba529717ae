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
from html import escape
from pathlib import Path

from workbench.cli.connection_options import UsageError, cli_command
from workbench.cli.output import print_json
from workbench.commissioning.site import SiteError, SiteMeter, parse_site
from workbench.commissioning.site_run import MeterRow, SiteOptions, SiteRun

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


def _summary_row(meter: SiteMeter, row: MeterRow) -> dict[str, str]:
    """One flat line of summary.csv for a finished meter."""
    return {"name": meter.name, "host": meter.host, "port": str(meter.port),
            "status": "ok" if row.ok else "failed", "verdict": row.verdict,
            "serial": row.serial, "clock": row.clock, "reason": row.reason, "hint": row.hint,
            "readout": row.readout.name if row.readout else "",
            "report": row.report.name if row.report else ""}


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
    options = SiteOptions(folder=args.out, jobs=args.jobs, days=args.days, report=args.report,
                          timeout=args.timeout, retries=args.retries, extra=tuple(args.read))
    by_line = {m.line: m for m in meters}
    done: list[MeterRow] = []

    def finished(row: MeterRow) -> None:
        done.append(row)
        if not args.json:
            state = "ok" if row.ok else f"FAILED: {row.reason}"
            print(f"[{len(done)}/{len(meters)}] {by_line[row.line].name}: {state}",
                  file=sys.stderr)

    site = SiteRun(meters, options, on_step=lambda _line, _step: None, on_done=finished)
    try:
        rows = [_summary_row(by_line[r.line], r) for r in site.run()]
    except KeyboardInterrupt:
        site.cancel()
        raise
    _write_summary(rows, args.out, args.report)
    failed = sum(r["status"] != "ok" for r in rows)
    if args.json:
        print_json({"meters": rows, "failed": failed, "out": str(args.out)})
    else:
        for row in rows:
            state = row["verdict"].upper() if row["status"] == "ok" else "FAILED"
            detail = row["clock"] if row["status"] == "ok" else \
                f"{row['reason']} — {row['hint']}".rstrip(" —")
            print(f"{row['name']:<24} {state:<7} {detail}")
        print(f"{len(rows) - failed} of {len(rows)} meters read; results in {args.out}")
    return EXIT_SOME_FAILED if failed else 0
