"""``workbench read [CLASS/]OBIS[:ATTR]...``: several attributes in one GET-with-list.

Registers are shown scaled with their unit ("230.1 V"); the raw value sits beside it in
``--json``. Class ids come from the cached association object list unless given.
"""

from __future__ import annotations

import argparse
from typing import Any

from workbench.cli.connection_options import (
    UsageError,
    add_connection_options,
    cli_command,
    open_client,
)
from workbench.cli.output import (
    data_json,
    display_value,
    plain_value,
    print_json,
    print_table,
    to_jsonable,
)
from workbench.protocol.cosem import Obis
from workbench.session.cache import ObjectCache
from workbench.session.client import DlmsClient
from workbench.session.readings import Reading, UnknownClass, explain_failures, read_values
from workbench.session.targets import Target, TargetError, parse_target

__all__ = ["register"]

EXIT_PARTIAL = 1


def register(sub: argparse._SubParsersAction) -> None:
    parser = sub.add_parser(
        "read", help="read attributes by OBIS code",
        description="Read attributes in one GET-with-list. TARGET is OBIS[:ATTR] (attribute "
                    "2 by default) or CLASS/OBIS:ATTR; registers are shown with scaler and unit.")
    parser.add_argument("targets", nargs="+", metavar="TARGET")
    parser.add_argument("--refresh", action="store_true",
                        help="read the object list from the meter again (ignore the cache)")
    add_connection_options(parser)
    parser.set_defaults(func=run)


def parse_targets(texts: list[str]) -> list[Target]:
    try:
        return [parse_target(text) for text in texts]
    except TargetError as exc:
        raise UsageError(str(exc), "Write OBIS[:ATTR] like 1-1:32.7.0.255:2, or "
                                   "CLASS/OBIS:ATTR like 3/1-1:32.7.0.255:2.") from exc


def parse_indexed_target(text: str, field: str, needs: str, example: str) -> Target:
    """A ``set`` / ``action`` target: like ``read`` targets, but the index must be written
    out (no default). ``field`` names it in the hints ("ATTR"), ``needs`` in the error
    ("attribute to write"), ``example`` is a whole OBIS:N target."""
    try:
        target = parse_target(text, default_index=0)
    except TargetError as exc:
        raise UsageError(str(exc), f"Write [CLASS/]OBIS:{field}, e.g. {example}.") from exc
    if target.index == 0:
        raise UsageError(f"'{text}' does not say which {needs}",
                         f"Write OBIS:{field}, e.g. {example}.")
    return target


def class_map(client: DlmsClient, cache: ObjectCache, refresh: bool) -> dict[Obis, int]:
    return {e.obis: e.class_id for e in cache.object_list(client, refresh=refresh)}


def resolve_class(client: DlmsClient, target: Target) -> int:
    """The target's class id: as given, or from the cached object list (refreshed once)."""
    if target.class_id is not None:
        return target.class_id
    cache = ObjectCache()
    for refresh in (False, True):
        class_id = class_map(client, cache, refresh).get(target.obis)
        if class_id is not None:
            return class_id
    raise UsageError(f"{target.obis} is not in this association's object list",
                     f"Check the code with `workbench objects`, or give the class "
                     f"explicitly, e.g. 1/{target}.")


def read_targets(client: DlmsClient, targets: list[Target], refresh: bool = False
                 ) -> list[Reading]:
    """Resolve class ids (cached object list, refreshed once if an OBIS is missing) and read."""
    cache = ObjectCache()
    classes: dict[Obis, int] = {}
    if any(t.class_id is None for t in targets):
        classes = class_map(client, cache, refresh)
    try:
        readings = read_values(client, targets, classes)
    except UnknownClass as exc:
        if not refresh and any(t.class_id is None for t in targets):
            return read_targets(client, targets, refresh=True)
        raise UsageError(str(exc), f"Check the code with `workbench objects`, or give the "
                                   f"class explicitly, e.g. 1/{exc.obis}:2.") from exc
    if any(r.class_unclear for r in readings) and not classes:
        readings = explain_failures(readings, class_map(client, cache, refresh))
    return readings


def reading_json(r: Reading) -> dict[str, Any]:
    item: dict[str, Any] = {"target": str(r.target), "obis": str(r.target.obis), "name": r.name,
                            "class_id": r.class_id, "attribute": r.target.index}
    if r.data is not None:
        item["raw"] = data_json(r.data)
        item["value"] = to_jsonable(r.scaled.value) if r.scaled else plain_value(r.data)
        if r.scaled is not None:
            item.update(scaler=r.scaled.scaler, unit=r.scaled.symbol)
    else:
        item["error"] = r.error
    return item


def _row(r: Reading) -> list[object]:
    if r.data is None:
        return [r.target.obis, r.name, f"{r.class_id}:{r.target.index}", "—", f"error: {r.error}"]
    value = str(r.scaled) if r.scaled is not None else display_value(r.data)
    raw = display_value(r.data) if r.scaled is not None else ""
    return [r.target.obis, r.name, f"{r.class_id}:{r.target.index}", value, raw]


@cli_command
def run(args: argparse.Namespace) -> int:
    targets = parse_targets(args.targets)
    with open_client(args) as client:
        readings = read_targets(client, targets, args.refresh)
    if args.json:
        print_json([reading_json(r) for r in readings])
    else:
        print_table(["OBIS", "name", "class:attr", "value", "raw"], [_row(r) for r in readings])
    return 0 if all(r.ok for r in readings) else EXIT_PARTIAL
