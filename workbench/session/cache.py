"""On-disk cache of each meter's association object list, so ``read`` can find class ids.

Reading the object list costs several block transfers; it only changes with a firmware
update, so it is kept per meter address and client (different clients see different
lists) as JSON under the platform's user cache directory. Nothing secret is stored: the
key and the file hold addresses and object descriptions only.
"""

from __future__ import annotations

import contextlib
import json
import os
import re
from pathlib import Path
from typing import Protocol

import platformdirs

from workbench.protocol.cosem import AttributeAccess, MethodAccess, Obis, ObjectListEntry
from workbench.session.settings import ConnectionSettings

__all__ = ["ObjectCache"]

_FORMAT = 1


class _ObjectLister(Protocol):
    settings: ConnectionSettings

    def object_list(self) -> list[ObjectListEntry]: ...


def _entry_to_json(entry: ObjectListEntry) -> dict[str, object]:
    return {
        "class_id": entry.class_id,
        "version": entry.version,
        "obis": str(entry.obis),
        "attributes": {str(k): int(v) for k, v in entry.attribute_access.items()},
        "methods": {str(k): int(v) for k, v in entry.method_access.items()},
        "selectors": {str(k): list(v) for k, v in entry.access_selectors.items()},
    }


def _entry_from_json(item: dict) -> ObjectListEntry:
    return ObjectListEntry(
        class_id=int(item["class_id"]),
        version=int(item["version"]),
        obis=Obis.parse(item["obis"]),
        attribute_access={int(k): AttributeAccess(v) for k, v in item["attributes"].items()},
        method_access={int(k): MethodAccess(v) for k, v in item["methods"].items()},
        access_selectors={int(k): tuple(v) for k, v in item.get("selectors", {}).items()},
    )


class ObjectCache:
    """Object lists keyed by meter address and client.

    Args:
        directory: where the JSON files live; default: ``<user cache dir>/objects``.
    """

    def __init__(self, directory: Path | None = None) -> None:
        base = Path(platformdirs.user_cache_dir("dlms-workbench", appauthor=False))
        self.directory = directory or base / "objects"

    @staticmethod
    def key(settings: ConnectionSettings, serial: str | None = None) -> str:
        """File stem for one meter+client; the serial wins over the network address."""
        where = serial or f"{settings.host}_{settings.port}_{settings.logical}-{settings.physical}"
        return re.sub(r"[^A-Za-z0-9._-]", "_", f"{where}_client{settings.client}")

    def path(self, key: str) -> Path:
        return self.directory / f"{key}.json"

    def load(self, key: str) -> list[ObjectListEntry] | None:
        """The cached list, or None when absent or unreadable (a broken cache is not an error)."""
        try:
            payload = json.loads(self.path(key).read_text(encoding="utf-8"))
            if payload.get("format") != _FORMAT:
                return None
            return [_entry_from_json(item) for item in payload["entries"]]
        except (OSError, ValueError, KeyError, TypeError):
            return None

    def store(self, key: str, entries: list[ObjectListEntry]) -> None:
        """Write atomically (temp file + rename) so a crash never leaves half a file."""
        self.directory.mkdir(parents=True, exist_ok=True)
        target = self.path(key)
        tmp = target.with_suffix(".tmp")
        payload = {"format": _FORMAT, "entries": [_entry_to_json(e) for e in entries]}
        tmp.write_text(json.dumps(payload, indent=1), encoding="utf-8")
        os.replace(tmp, target)

    def forget(self, key: str) -> None:
        with contextlib.suppress(FileNotFoundError):
            self.path(key).unlink()

    def object_list(self, client: _ObjectLister, *, refresh: bool = False
                    ) -> list[ObjectListEntry]:
        """The cached list for this client's meter, reading (and caching) it when needed."""
        key = self.key(client.settings)
        entries = None if refresh else self.load(key)
        if entries is None:
            entries = client.object_list()
            self.store(key, entries)
        return entries
