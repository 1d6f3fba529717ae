"""``workbench set [CLASS/]OBIS:ATTR VALUE``: write one attribute with a typed value.

VALUE is ``TYPE:TEXT`` (``u16:300``, ``octets:0a0b``, ``datetime:2026-01-02T03:04``) or a
bare text parsed as the attribute's current type (read first). A refusal is reported with
the meter's own data-access-result, e.g. read-write-denied for the public client.
"""

from __future__ import annotations

import argparse

from workbench.cli.connection_options import add_connection_options, cli_command, open_client
from workbench.cli.output import data_json, display_value, print_json
from workbench.cli.read import parse_indexed_target, resolve_class
from workbench.cli.typed_value import TYPE_NAMES, parse_typed_value
from workbench.protocol.apdu import AttributeDescriptor
from workbench.protocol.axdr import Data
from workbench.session.client import DlmsClient
from workbench.session.targets import Target

__all__ = ["register"]


def register(sub: argparse._SubParsersAction) -> None:
    parser = sub.add_parser(
        "set", help="write one attribute",
        description="Write one attribute. VALUE is TYPE:TEXT with TYPE one of "
                    f"{', '.join(TYPE_NAMES)}, or bare text in the attribute's current type.")
    parser.add_argument("target", metavar="[CLASS/]OBIS:ATTR")
    parser.add_argument("value", metavar="VALUE")
    add_connection_options(parser)
    parser.set_defaults(func=run)


def write(client: DlmsClient, target: Target, text: str) -> tuple[AttributeDescriptor, Data]:
    """Resolve the class, type the value (reading the current one if needed), write it."""
    desc = AttributeDescriptor(resolve_class(client, target), target.obis, target.index)
    prefix = text.partition(":")[0].lower()
    current = None if prefix in TYPE_NAMES else client.get(desc).type
    value = parse_typed_value(text, current)
    client.set(desc, value)
    return desc, value


@cli_command
def run(args: argparse.Namespace) -> int:
    target = parse_indexed_target(args.target, "ATTR", "attribute to write", "0-0:1.0.0.255:2")
    with open_client(args) as client:
        desc, value = write(client, target, args.value)
    if args.json:
        print_json({"target": str(desc), "class_id": desc.class_id, "written": True,
                    "value": data_json(value)})
    else:
        print(f"wrote {display_value(value)} to {desc}")
    return 0
