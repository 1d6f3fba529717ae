"""``workbench report``: read a meter and write its signed-off commissioning report.

One connection reads every section (identity, clock, values, energies twice, profile
completeness, events); the frames of that connection go to a capture file beside the report
(password masked) whose SHA-256 is printed in the report's footer, so the document can be
tied to the bytes. ``--out`` takes ``.html`` and/or ``.pdf``; the readout is saved as JSON
beside them for ``workbench compare``.
"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

from workbench.cli.connection_options import (
    UsageError,
    add_connection_options,
    cli_command,
    settings_from_args,
)
from workbench.cli.output import print_json
from workbench.commissioning import (
    CollectOptions,
    Limits,
    Report,
    build_report,
    readout_to_json,
    render_html,
    report_json,
    visit_meter,
)
from workbench.session.settings import ConnectionSettings

__all__ = ["register", "write_outputs"]

_SUFFIXES = (".html", ".htm", ".pdf")


def register(sub: argparse._SubParsersAction) -> None:
    parser = sub.add_parser(
        "report", help="read a meter and write its commissioning report (HTML/PDF)",
        description="Connect, read identity, clock, values, energies, the load profile and "
                    "event log of the last days, check them and write a report. The frames "
                    "are recorded to a capture beside the report (password masked).")
    parser.add_argument("--out", action="append", type=Path, required=True, metavar="FILE",
                        help="FILE.html or FILE.pdf (give --out twice for both)")
    parser.add_argument("--note", default="", help="the operator's note, printed in the report")
    parser.add_argument("--days", type=int, default=7,
                        help="days of load profile and events to check (default 7)")
    parser.add_argument("--sync-clock", action="store_true",
                        help="write the PC's time into the meter and report the drift after")
    parser.add_argument("--nominal-voltage", type=float, default=230.0, metavar="V",
                        help="nominal voltage for the plausibility band (default 230)")
    parser.add_argument("--voltage-band", type=float, default=10.0, metavar="PERCENT",
                        help="allowed deviation from nominal in percent (default 10)")
    parser.add_argument("--read", nargs="+", default=[], metavar="OBIS",
                        help="more OBIS codes to read and show (attribute 2)")
    parser.add_argument("--name", default="", help="a name for the meter (site, bay)")
    parser.add_argument("--capture", type=Path, metavar="FILE",
                        help="capture file (.wbcap or .pcapng; default: beside the report)")
    add_connection_options(parser)
    parser.set_defaults(func=run)


def _check_outputs(paths: list[Path]) -> None:
    for path in paths:
        if path.suffix.lower() not in _SUFFIXES:
            raise UsageError(f"--out {path} is neither .html nor .pdf",
                             "Name the report FILE.html or FILE.pdf.")
    if not 1 <= len(paths) <= 2:
        raise UsageError("give --out once or twice", "e.g. --out site.html --out site.pdf")


def _meter(args: argparse.Namespace, settings: ConnectionSettings) -> dict[str, object]:
    return {"name": args.name, "peer": f"{settings.host}:{settings.port}",
            "serial": args.serial or "", "physical": settings.physical,
            "logical": settings.logical, "client": settings.client}


def write_outputs(report: Report, outputs: list[Path]) -> list[Path]:
    """Write the report in each format asked, plus the readout JSON beside the first."""
    written = []
    for path in outputs:
        path.parent.mkdir(parents=True, exist_ok=True)
        if path.suffix.lower() == ".pdf":
            from workbench.ui.report_pdf import write_pdf  # Qt only when a PDF is wanted

            write_pdf(report, path)
        else:
            path.write_text(render_html(report), encoding="utf-8")
        written.append(path)
    readout = outputs[0].with_suffix(".readout.json")
    readout.write_text(readout_to_json(report.readout), encoding="utf-8")
    return [*written, readout]


@cli_command
def run(args: argparse.Namespace) -> int:
    _check_outputs(args.out)
    settings = settings_from_args(args)
    capture = args.capture or args.out[0].with_suffix(".wbcap")
    options = CollectOptions(days=args.days, sync_clock=args.sync_clock, note=args.note,
                             extra=tuple(args.read),
                             progress=None if args.json else _progress)
    readout = visit_meter(settings, _meter(args, settings), options, capture)
    limits = Limits(nominal_voltage=args.nominal_voltage, voltage_band=args.voltage_band / 100)
    report = build_report(readout, limits)
    written = write_outputs(report, args.out)
    if args.json:
        print_json(report_json(report))
    else:
        print(f"{report.title}: {report.verdict.value.upper()}")
        for check in report.checks:
            print(f"  {check.status.value:>11}  {check.name}: {check.detail}")
        for section, text in readout.errors.items():
            print(f"  {'fail':>11}  {section} not read: {text}")
        for path in [*written, capture]:
            print(f"wrote {path}")
    return 0 if report.verdict.value != "fail" else 1


def _progress(section: str) -> None:
    print(f"reading {section}…", file=sys.stderr)
