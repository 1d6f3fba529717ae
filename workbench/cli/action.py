"""``workbench action [CLASS/]OBIS:METHOD [PARAM]``: run one method.

PARAM is a typed value (``i8:0``, ``u32:5``...); without it the request carries no
parameters. The meter's action result is reported in plain language when it refuses.
"""

from __future__ import annotations

import argparse

from workbench.cli.connection_options import add_connection_options, cli_command, open_client
from workbench.cli.output import data_json, display_value, print_json
from workbench.cli.read import parse_indexed_target, resolve_class
from workbench.cli.typed_value import TYPE_NAMES, parse_typed_value
from workbench.protocol.apdu import MethodDescriptor

__all__ = ["register"]


def register(sub: argparse._SubParsersAction) -> None:
    parser = sub.add_parser(
        "action", help="run one method",
        description="Invoke a method, e.g. `workbench action 1-1:1.8.0.255:1 i8:0` (reset). "
                    f"PARAM is TYPE:TEXT with TYPE one of {', '.join(TYPE_NAMES)}.")
    parser.add_argument("target", metavar="[CLASS/]OBIS:METHOD")
    parser.add_argument("param", metavar="PARAM", nargs="?")
    add_connection_options(parser)
    parser.set_defaults(func=run)


@cli_command
def run(args: argparse.Namespace) -> int:
    target = parse_indexed_target(args.target, "METHOD", "method to run", "1-1:1.8.0.255:1")
    param = parse_typed_value(args.param) if args.param is not None else None
    with open_client(args) as client:
        desc = MethodDescriptor(resolve_class(client, target), target.obis, target.index)
        returned = client.action(desc, param)
    if args.json:
        print_json({"method": str(desc), "class_id": desc.class_id, "ok": True,
                    "returned": data_json(returned) if returned is not None else None})
    else:
        tail = f"; it returned {display_value(returned)}" if returned is not None else ""
        print(f"ran {desc}{tail}")
    return 0
