"""``workbench compare A B``: what differs between two saved readouts.

A and B are readout files written by ``workbench report`` or ``workbench batch``
(``*.readout.json``), or captures (``.wbcap``/``.pcapng``): a capture's recorded answers
are sorted by meaning as the replaying simulator does, and read as a readout. The output
says which objects were added, removed or changed and which values differ, with the
difference for numbers and the time between the readings.
"""

from __future__ import annotations

import argparse
import dataclasses
from pathlib import Path

from workbench.cli.connection_options import UsageError, cli_command
from workbench.cli.output import print_json
from workbench.commissioning import Readout, ReadoutError
from workbench.commissioning.answers import read_reading
from workbench.commissioning.compare import compare_readouts, comparison_html, comparison_text

__all__ = ["register"]

EXIT_DIFFERENT = 1


def register(sub: argparse._SubParsersAction) -> None:
    parser = sub.add_parser(
        "compare", help="compare two saved readouts (object lists and values)",
        description="Compare readout A (before, or the reference meter) with B (after, or the "
                    "meter under test). Exit 0 when nothing differs, 1 when something does.")
    parser.add_argument("a", type=Path, metavar="A", help="readout JSON (before / reference)")
    parser.add_argument("b", type=Path, metavar="B", help="readout JSON (after / under test)")
    parser.add_argument("--html", type=Path, metavar="FILE", help="also write an HTML page")
    parser.add_argument("--json", action="store_true", help="machine-readable output")
    parser.set_defaults(func=run)


def load_readout(path: Path) -> Readout:
    """A readout file or a capture, or a usage error naming the file and what is wrong."""
    try:
        return read_reading(path)
    except ReadoutError as exc:
        raise UsageError(str(exc), "Give two readout files (*.readout.json) written by "
                                   "`workbench report` or `workbench batch`, or captures "
                                   "(.wbcap, .pcapng).") from None


@cli_command
def run(args: argparse.Namespace) -> int:
    comparison = compare_readouts(load_readout(args.a), load_readout(args.b))
    if args.html:
        args.html.write_text(comparison_html(comparison), encoding="utf-8")
    if args.json:
        print_json(dataclasses.asdict(comparison) | {"identical": comparison.identical})
    else:
        print(comparison_text(comparison))
    return 0 if comparison.identical else EXIT_DIFFERENT
