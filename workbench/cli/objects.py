"""``workbench objects``: the association object list with class names and access rights.

The list is read from the meter and stored in the object cache that ``read`` uses.
"""

from __future__ import annotations

import argparse
from typing import Any

from workbench.cli.connection_options import add_connection_options, cli_command, open_client
from workbench.cli.output import print_json, print_table
from workbench.protocol.cosem import (
    ObjectListEntry,
    attribute_name,
    class_name,
    method_name,
    obis_name,
)
from workbench.session.cache import ObjectCache

__all__ = ["access_summary", "register"]


def register(sub: argparse._SubParsersAction) -> None:
    parser = sub.add_parser("objects", help="list the objects this client may reach",
                            description="Read the association object list: OBIS code, "
                                        "class, version and access rights.")
    parser.add_argument("--cached", action="store_true",
                        help="show the cached list if there is one instead of reading it")
    add_connection_options(parser)
    parser.set_defaults(func=run)


def access_summary(entry: ObjectListEntry) -> str:
    """``r 1-3  w 2  m 1`` — readable, writable attributes and usable methods; "rights not
    listed" when the meter sent empty access-rights arrays (that is no refusal)."""
    if not entry.rights_listed:
        return "rights not listed"
    readable = [i for i, a in sorted(entry.attribute_access.items()) if a.can_read]
    writable = [i for i, a in sorted(entry.attribute_access.items()) if a.can_write]
    methods = [i for i, m in sorted(entry.method_access.items()) if m.value]
    parts = [f"{tag} {','.join(map(str, ids))}" for tag, ids in
             (("r", readable), ("w", writable), ("m", methods)) if ids]
    return "  ".join(parts) or "no access"


def entry_json(entry: ObjectListEntry) -> dict[str, Any]:
    return {
        "obis": str(entry.obis),
        "name": obis_name(entry.obis),
        "class_id": entry.class_id,
        "class": class_name(entry.class_id),
        "version": entry.version,
        "attributes": [{"index": i, "name": attribute_name(entry.class_id, i),
                        "access": a.name.lower(), "read": a.can_read, "write": a.can_write,
                        "selectors": list(entry.access_selectors.get(i, ()))}
                       for i, a in sorted(entry.attribute_access.items())],
        "methods": [{"index": i, "name": method_name(entry.class_id, i),
                     "access": m.name.lower()} for i, m in sorted(entry.method_access.items())],
    }


@cli_command
def run(args: argparse.Namespace) -> int:
    cache = ObjectCache()
    with open_client(args) as client:
        entries = cache.object_list(client, refresh=not args.cached)
    entries = sorted(entries, key=lambda e: e.obis)
    if args.json:
        print_json([entry_json(e) for e in entries])
        return 0
    print_table(["OBIS", "name", "class", "ver", "access"],
                [[e.obis, obis_name(e.obis) or "", f"{e.class_id} {class_name(e.class_id)}",
                  e.version, access_summary(e)] for e in entries])
    return 0
