"""``workbench clock [--sync]``: the meter's time beside the PC's, the drift, and a fix.

The drift is measured against the middle of the GET round trip, so a slow link does not
show up as clock error, and shown with its resolution ("within 1 s"). ``--sync`` writes the
PC's local time taken at the moment of sending plus half the round trip, then shows the
drift after (see :mod:`workbench.session.clock`).
"""

from __future__ import annotations

import argparse

from workbench.cli.connection_options import add_connection_options, cli_command, open_client
from workbench.cli.output import print_json, print_table
from workbench.session.clock import ClockReading

__all__ = ["register"]


def register(sub: argparse._SubParsersAction) -> None:
    parser = sub.add_parser("clock", help="show (and fix) the meter clock",
                            description="Show the meter time, the PC time and the drift; "
                                        "--sync sets the meter clock to the PC time.")
    parser.add_argument("--sync", action="store_true", help="set the meter clock to PC time")
    add_connection_options(parser)
    parser.set_defaults(func=run)


def _reading_json(r: ClockReading) -> dict[str, object]:
    return {"meter": str(r.meter), "pc": r.pc.isoformat(),
            "drift_s": round(r.drift, 3) if r.drift is not None else None,
            "resolution_s": round(r.resolution, 3), "drift": r.describe_drift()}


@cli_command
def run(args: argparse.Namespace) -> int:
    with open_client(args) as client:
        sync = client.sync_clock() if args.sync else None
        reading = sync.before if sync is not None else client.clock()
    if args.json:
        out = _reading_json(reading) | {"synced": sync is not None}
        if sync is not None:
            out |= {"written": str(sync.written), "after": _reading_json(sync.after),
                    "drift_after_s": _reading_json(sync.after)["drift_s"]}
        print_json(out)
        return 0
    rows = [["meter", str(reading.meter)],
            ["PC", reading.pc.isoformat(sep=" ", timespec="seconds")],
            ["drift", _drift_text(reading)]]
    if sync is not None:
        rows += [["written", f"{sync.written} (PC time at sending + half the round trip)"],
                 ["after sync", _drift_text(sync.after)]]
    print_table(["clock", "time"], rows)
    return 0


def _drift_text(r: ClockReading) -> str:
    if r.drift is None or abs(r.drift) < r.resolution:
        return f"{r.describe_drift()} (meter)"
    return f"{r.drift:+.1f} s (meter {r.describe_drift()})"
