"""``workbench probe HOST[:PORT]``: find the physical address and the clients that work.

Prints every attempt with the reason it failed in plain words, then what to use.
"""

from __future__ import annotations

import argparse
import dataclasses

from workbench.cli.connection_options import (
    EXIT_CONNECT,
    UsageError,
    add_connection_options,
    cli_command,
    frame_observers,
    settings_from_args,
)
from workbench.cli.output import print_json, print_table
from workbench.session.probe import ProbeReport, probe

__all__ = ["register"]


def register(sub: argparse._SubParsersAction) -> None:
    parser = sub.add_parser(
        "probe", help="find the meter's address and working clients",
        description="Connect, then try likely physical addresses (from --serial, 1234, 1, "
                    "16, 17, ...) and clients 16/32/1 within a time box; explain each failure.")
    parser.add_argument("address", metavar="HOST[:PORT]")
    parser.add_argument("--budget", type=float, default=30.0,
                        help="stop the scan after this many seconds (30)")
    add_connection_options(parser, with_host=False)
    parser.set_defaults(func=run, timeout=1.5)
    for action in parser._actions:
        if action.dest == "timeout":
            action.help = "seconds to wait for each answer (1.5)"


def split_address(text: str) -> tuple[str, int]:
    host, sep, port = text.rpartition(":")
    if not sep:
        return text, 3333
    if not port.isdigit() or not 0 < int(port) < 65536:
        raise UsageError(f"'{port}' in '{text}' is not a TCP port", "Write HOST or HOST:PORT.")
    return host.strip("[]"), int(port)


def report_json(report: ProbeReport) -> dict:
    return {
        "host": report.host, "port": report.port, "tcp_error": report.tcp_error,
        "physical": report.physical, "advice": report.advice(),
        "attempts": [{k: v for k, v in dataclasses.asdict(a).items() if k != "info"}
                     | {"seconds": round(a.seconds, 3)} for a in report.attempts],
    }


@cli_command
def run(args: argparse.Namespace) -> int:
    args.host, args.port = split_address(args.address)
    settings = settings_from_args(args, retries=0)
    if args.client is None:
        settings = dataclasses.replace(settings, client=16)
    with frame_observers(args, settings) as observers:
        report = probe(settings, serial=args.serial, budget=args.budget, observers=observers)
    if args.json:
        print_json(report_json(report))
    elif report.tcp_error:
        print(f"TCP {report.host}:{report.port}: {report.tcp_error}")
    else:
        print(f"TCP {report.host}:{report.port}: connected")
        print_table(["physical", "client", "password", "result", "why"],
                    [[a.physical, a.client, "yes" if a.with_password else "no", a.outcome,
                      a.explanation] for a in report.attempts])
    if not args.json:
        print(f"\n{report.advice()}")
    return 0 if report.working else EXIT_CONNECT
