"""Object lists as JSON: one entry codec for the object cache and for exported files.

Why files: some meters cannot send their object list (too slow a link, a firmware bug, a
client that may not read it), yet ``read``/``set``/``report`` need class ids. An engineer
exports the list from a meter of the same type (``workbench objects --export``) and imports
it for this one (``--import``). The file is the cache's shape — ``{"format": 1,
"entries": [...]}`` — plus ``meta`` saying where it came from.

An imported file is untrusted input: its size, entry count and every field are checked,
and anything wrong is one :class:`ObjectFileError` naming the entry and the field.
"""

from __future__ import annotations

import json
from collections.abc import Callable, Mapping
from pathlib import Path
from typing import Any, TypeVar

from workbench.protocol.cosem import AttributeAccess, MethodAccess, Obis, ObjectListEntry
from workbench.protocol.errors import ProtocolError

__all__ = ["FORMAT", "MAX_ENTRIES", "MAX_FILE_BYTES", "ObjectFileError", "entry_from_json",
           "entry_to_json", "object_list_json", "parse_object_payload", "read_object_file"]

FORMAT = 1
MAX_FILE_BYTES = 8 * 1024 * 1024
"""An object list of 20,000 objects is about 3 MB of JSON; a larger file is not one."""
MAX_ENTRIES = 20_000
"""Real meters list a few hundred to a few thousand objects."""
_MAX_SELECTORS = 16
_T = TypeVar("_T")


class ObjectFileError(ValueError):
    """An object-list file (or cache entry) we cannot use; the message names where."""


def entry_to_json(entry: ObjectListEntry) -> dict[str, object]:
    """One entry as JSON-ready data (access modes as their numbers, keys as text)."""
    return {
        "class_id": entry.class_id,
        "version": entry.version,
        "obis": str(entry.obis),
        "attributes": {str(k): int(v) for k, v in entry.attribute_access.items()},
        "methods": {str(k): int(v) for k, v in entry.method_access.items()},
        "selectors": {str(k): list(v) for k, v in entry.access_selectors.items()},
    }


def entry_from_json(item: object, where: str = "entry") -> ObjectListEntry:
    """Read one entry back, checking every field.

    Raises:
        ObjectFileError: naming ``where`` and the field ("entry 3 (1-0:99.1.0.255):
            attributes: key 'x' is not an index 0..255").
    """
    if not isinstance(item, dict):
        raise ObjectFileError(f"{where}: not a JSON object")
    obis = _obis(item.get("obis"), where)
    where = f"{where} ({obis})"
    return ObjectListEntry(
        class_id=_int(item.get("class_id"), 0, 0xFFFF, f"{where}: class_id"),
        version=_int(item.get("version"), 0, 255, f"{where}: version"),
        obis=obis,
        attribute_access=_table(item.get("attributes"), f"{where}: attributes",
                                lambda v, w: AttributeAccess(_int(v, 0, 255, w))),
        method_access=_table(item.get("methods"), f"{where}: methods",
                             lambda v, w: MethodAccess(_int(v, 0, 255, w))),
        access_selectors=_table(item.get("selectors", {}), f"{where}: selectors", _selectors),
    )


def object_list_json(entries: list[ObjectListEntry], meta: Mapping[str, object] | None = None
                     ) -> dict[str, object]:
    """The file's (and the cache's) content: format, optional meta, entries."""
    payload: dict[str, object] = {"format": FORMAT}
    if meta:
        payload["meta"] = dict(meta)
    payload["entries"] = [entry_to_json(e) for e in entries]
    return payload


def read_object_file(path: Path) -> tuple[list[ObjectListEntry], dict[str, object]]:
    """Entries and meta of an exported object list.

    Raises:
        ObjectFileError: unreadable, too large, not JSON, another format, or a bad entry.
    """
    try:
        with path.open("rb") as file:
            raw = file.read(MAX_FILE_BYTES + 1)
    except OSError as exc:
        raise ObjectFileError(f"{path}: cannot read it ({exc.strerror or exc})") from exc
    if len(raw) > MAX_FILE_BYTES:
        raise ObjectFileError(f"{path}: larger than {MAX_FILE_BYTES} bytes; not an object list")
    return parse_object_payload(raw, str(path))


def parse_object_payload(raw: bytes | str, where: str
                         ) -> tuple[list[ObjectListEntry], dict[str, object]]:
    """Entries and meta from the JSON text of a file or a cache entry."""
    try:
        payload = json.loads(raw, parse_constant=_no_constant)
    except (ValueError, RecursionError) as exc:
        raise ObjectFileError(f"{where}: not JSON ({exc})") from None
    if not isinstance(payload, dict):
        raise ObjectFileError(f"{where}: not a JSON object")
    if payload.get("format") != FORMAT:
        raise ObjectFileError(f"{where}: format {payload.get('format')!r}, expected {FORMAT}")
    items, meta = payload.get("entries"), payload.get("meta", {})
    if not isinstance(items, list) or not isinstance(meta, dict):
        raise ObjectFileError(f"{where}: 'entries' must be a list and 'meta' an object")
    if len(items) > MAX_ENTRIES:
        raise ObjectFileError(f"{where}: {len(items)} entries, more than {MAX_ENTRIES}")
    entries = [entry_from_json(item, f"entry {n}") for n, item in enumerate(items, start=1)]
    return entries, meta


def _no_constant(name: str) -> None:
    raise ValueError(f"{name} is not a number")


def _int(value: object, low: int, high: int, where: str) -> int:
    if isinstance(value, bool) or not isinstance(value, int) or not low <= value <= high:
        raise ObjectFileError(f"{where}: {value!r} is not a number {low}..{high}")
    return value


def _obis(value: object, where: str) -> Obis:
    if not isinstance(value, str):
        raise ObjectFileError(f"{where}: obis: {value!r} is not an OBIS code")
    try:
        return Obis.parse(value)
    except ProtocolError as exc:
        raise ObjectFileError(f"{where}: obis: {exc}") from None


def _table(value: object, where: str, read: Callable[[Any, str], _T]) -> dict[int, _T]:
    """``{"2": x, ...}`` keyed by attribute/method index, each value read by ``read``."""
    if not isinstance(value, dict):
        raise ObjectFileError(f"{where}: not a JSON object")
    out: dict[int, _T] = {}
    for key, item in value.items():
        if not (isinstance(key, str) and key.isascii() and key.isdigit() and len(key) <= 3
                and int(key) <= 255):
            raise ObjectFileError(f"{where}: key {key!r} is not an index 0..255")
        out[int(key)] = read(item, f"{where}[{key}]")
    return out


def _selectors(value: object, where: str) -> tuple[int, ...]:
    if not isinstance(value, list) or len(value) > _MAX_SELECTORS:
        raise ObjectFileError(f"{where}: not a list of at most {_MAX_SELECTORS} selectors")
    return tuple(_int(v, 0, 255, where) for v in value)
