"""``workbench objects``: the association object list with class names and access rights.

The list is read from the meter and stored in the object cache that ``read`` uses.
``--export FILE.json`` also writes it to a file; ``--import FILE.json`` stores such a file
as the list of the meter and client the options name, without connecting — for a meter
that cannot send its own list (see :mod:`workbench.session.object_file`).
"""

from __future__ import annotations

import argparse
import datetime as dt
import json
import sys
from pathlib import Path
from typing import Any

from workbench import __version__
from workbench.cli.connection_options import (
    UsageError,
    add_connection_options,
    cli_command,
    open_client,
    settings_from_args,
)
from workbench.cli.output import print_json, print_table
from workbench.protocol.cosem import (
    ObjectListEntry,
    attribute_name,
    class_name,
    method_name,
    obis_name,
)
from workbench.session.cache import ObjectCache
from workbench.session.object_file import ObjectFileError, object_list_json, read_object_file
from workbench.session.settings import ConnectionSettings

__all__ = ["access_summary", "register"]


def register(sub: argparse._SubParsersAction) -> None:
    parser = sub.add_parser("objects", help="list the objects this client may reach",
                            description="Read the association object list: OBIS code, "
                                        "class, version and access rights.")
    parser.add_argument("--cached", action="store_true",
                        help="show the cached list if there is one instead of reading it")
    files = parser.add_mutually_exclusive_group()
    files.add_argument("--export", type=Path, metavar="FILE.json",
                       help="also write the list to FILE.json (with the meter, client, time "
                            "and tool version) for --import elsewhere")
    files.add_argument("--import", dest="import_file", type=Path, metavar="FILE.json",
                       help="store FILE.json as the object list of the meter and client "
                            "given (no connection); read then finds class ids in it")
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


def _meta(settings: ConnectionSettings, serial: str | None) -> dict[str, object]:
    """Where and when a list was read, for the exported file (nothing secret)."""
    return {"meter": settings.describe(), "serial": serial or "", "client": settings.client,
            "time": dt.datetime.now().astimezone().isoformat(timespec="seconds"),
            "tool": f"DLMS Workbench {__version__}"}


def _export(path: Path, entries: list[ObjectListEntry], meta: dict[str, object]) -> None:
    try:
        path.write_text(json.dumps(object_list_json(entries, meta), indent=1) + "\n",
                        encoding="utf-8")
    except OSError as exc:
        raise UsageError(f"cannot write {path}: {exc.strerror or exc}",
                         "Give --export a path in a folder you can write to.") from exc
    print(f"wrote {len(entries)} objects to {path}", file=sys.stderr)


def _import(args: argparse.Namespace) -> int:
    settings = settings_from_args(args)
    try:
        entries, meta = read_object_file(args.import_file)
    except ObjectFileError as exc:
        raise UsageError(str(exc), "Import a file written by `workbench objects --export`."
                         ) from exc
    cache = ObjectCache()
    key = cache.key(settings)
    cache.store(key, entries, {**meta, "imported_from": str(args.import_file)})
    if args.json:
        print_json({"stored": len(entries), "for": settings.describe(),
                    "client": settings.client, "from": meta})
    else:
        origin = f" (read from {meta['meter']})" if meta.get("meter") else ""
        print(f"stored {len(entries)} objects{origin} as the object list of "
              f"{settings.describe()}; read finds class ids in it from now on")
    return 0


@cli_command
def run(args: argparse.Namespace) -> int:
    if args.import_file is not None:
        return _import(args)
    cache = ObjectCache()
    with open_client(args) as client:
        entries = cache.object_list(client, refresh=not args.cached)
        if args.export is not None:
            _export(args.export, entries, _meta(client.settings, args.serial))
    entries = sorted(entries, key=lambda e: e.obis)
    if args.json:
        print_json([entry_json(e) for e in entries])
        return 0
    print_table(["OBIS", "name", "class", "ver", "access"],
                [[e.obis, obis_name(e.obis) or "", f"{e.class_id} {class_name(e.class_id)}",
                  e.version, access_summary(e)] for e in entries])
    return 0
