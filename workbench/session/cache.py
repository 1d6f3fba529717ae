"""On-disk cache of each meter's association object list, so ``read`` can find class ids.

Reading the object list costs several block transfers; it only changes with a firmware
update, so it is kept per meter address and client (different clients see different
lists) as JSON under the platform's user cache directory. Nothing secret is stored: the
key and the file hold addresses and object descriptions only. The files have the shape of
an exported object list (:mod:`.object_file`), so an imported list is simply stored here.
"""

from __future__ import annotations

import contextlib
import json
import logging
import os
import re
from collections.abc import Mapping
from pathlib import Path
from typing import Protocol

import platformdirs

from workbench.protocol.cosem import ObjectListEntry
from workbench.session.errors import Cancelled, SessionError
from workbench.session.object_file import ObjectFileError, object_list_json, read_object_file
from workbench.session.settings import ConnectionSettings

__all__ = ["ObjectCache"]

_log = logging.getLogger("workbench.session")


class _ObjectLister(Protocol):
    settings: ConnectionSettings

    def object_list(self) -> list[ObjectListEntry]: ...


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
        """The cached list, or None when absent or unreadable (a broken cache is not an error:
        the list is read from the meter again)."""
        try:
            return read_object_file(self.path(key))[0]
        except ObjectFileError:
            return None

    def store(self, key: str, entries: list[ObjectListEntry],
              meta: Mapping[str, object] | None = None) -> None:
        """Write atomically (temp file + rename) so a crash never leaves half a file."""
        self.directory.mkdir(parents=True, exist_ok=True)
        target = self.path(key)
        tmp = target.with_suffix(".tmp")
        tmp.write_text(json.dumps(object_list_json(entries, meta), indent=1), encoding="utf-8")
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

    def read_or_stored(self, client: _ObjectLister) -> list[ObjectListEntry]:
        """The meter's own list (stored for next time); when the meter cannot send it — a
        refusal, an answer we cannot read, silence — the stored or imported one, if any.

        Raises:
            SessionError: the meter's failure, when nothing is stored for it; Cancelled
                always.
        """
        key = self.key(client.settings)
        try:
            entries = client.object_list()
        except Cancelled:
            raise
        except SessionError:
            stored = self.load(key)
            if stored is None:
                raise
            _log.warning("the meter did not send its object list; using the stored one (%s)",
                         self.path(key))
            return stored
        self.store(key, entries)
        return entries
