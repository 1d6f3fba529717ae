"""``workbench clock [--sync]``: the meter's time beside the PC's, the drift, and a fix.

The drift is measured against the middle of the GET round trip, so a slow link does not
show up as clock error. ``--sync`` writes the PC's local time (with its UTC deviation).
"""

from __future__ import annotations

import argparse
import datetime as dt
import time

from workbench.cli.connection_options import add_connection_options, cli_command, open_client
from workbench.cli.output import print_json, print_table
from workbench.protocol.apdu import CLOCK, AttributeDescriptor
from workbench.protocol.axdr import CosemDateTime, Data, IncompleteDateTime
from workbench.session.client import DlmsClient
from workbench.session.errors import ProtocolFailure

__all__ = ["measure_drift", "register"]

_TIME = AttributeDescriptor(8, CLOCK, 2)


def register(sub: argparse._SubParsersAction) -> None:
    parser = sub.add_parser("clock", help="show (and fix) the meter clock",
                            description="Show the meter time, the PC time and the drift; "
                                        "--sync sets the meter clock to the PC time.")
    parser.add_argument("--sync", action="store_true", help="set the meter clock to PC time")
    add_connection_options(parser)
    parser.set_defaults(func=run)


def _as_local(stamp: CosemDateTime) -> dt.datetime:
    try:
        moment = stamp.to_datetime()
    except (IncompleteDateTime, ValueError) as exc:
        raise ProtocolFailure(f"the meter clock reads {stamp}, which is not a usable time",
                              "Set the clock with `workbench clock --sync`.") from exc
    return moment.astimezone() if moment.tzinfo else moment.replace(
        tzinfo=dt.datetime.now().astimezone().tzinfo)


def measure_drift(client: DlmsClient) -> tuple[CosemDateTime, dt.datetime, float]:
    """(meter clock, PC time at mid round trip, meter minus PC in seconds)."""
    before = time.time()
    stamp = client.read_clock()
    middle = (before + time.time()) / 2
    pc = dt.datetime.fromtimestamp(middle).astimezone()
    return stamp, pc, (_as_local(stamp) - pc).total_seconds()


@cli_command
def run(args: argparse.Namespace) -> int:
    with open_client(args) as client:
        stamp, pc, drift = measure_drift(client)
        after = None
        if args.sync:
            client.set(_TIME, Data.datetime(CosemDateTime.from_datetime(
                dt.datetime.now().astimezone())))
            after = measure_drift(client)[2]
    if args.json:
        print_json({"meter": str(stamp), "pc": pc.isoformat(), "drift_s": round(drift, 3),
                    "synced": bool(args.sync), "drift_after_s":
                    round(after, 3) if after is not None else None})
        return 0
    rows = [["meter", str(stamp)], ["PC", pc.isoformat(sep=" ", timespec="seconds")],
            ["drift", f"{drift:+.1f} s (meter {'ahead' if drift >= 0 else 'behind'})"]]
    if after is not None:
        rows.append(["after sync", f"{after:+.1f} s"])
    print_table(["clock", "time"], rows)
    return 0
