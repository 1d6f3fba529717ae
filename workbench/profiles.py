"""Named connection profiles: saved under the user's config dir, passwords only in the OS keyring.

Why split storage: the JSON file may be copied, synced or attached to a bug report, so it
must never hold a secret. A password is stored only when the user ticks "remember", and
then only in the keyring (Windows Credential Manager, macOS Keychain, Secret Service).
"""

from __future__ import annotations

import json
import logging
from dataclasses import asdict, dataclass, fields
from pathlib import Path

import platformdirs

__all__ = ["ConnectionProfile", "ProfileStore"]

_log = logging.getLogger(__name__)
APP_NAME = "dlms-workbench"
KEYRING_SERVICE = "DLMS Workbench"


@dataclass(frozen=True)
class ConnectionProfile:
    """What the connection panel remembers about one meter (never the password itself)."""

    name: str
    host: str = "127.0.0.1"
    port: int = 3333
    serial: str = "000019001234"
    client: int = 16
    timeout: float = 5.0
    remember_password: bool = False
    max_info: int = 128
    window: int = 1
    transport: str = "tcp"
    device: str = ""
    baud: int = 9600
    auth: str = ""  # none, lls or hls; "" in profiles older than the choice
    system_title: str = ""  # sent in clear in every AARQ: not a secret (the keys are)

    @classmethod
    def from_dict(cls, data: dict) -> ConnectionProfile:
        known = {f.name for f in fields(cls)}
        return cls(**{k: v for k, v in data.items() if k in known})


class ProfileStore:
    """Loads and saves profiles as JSON; reads and writes their passwords through keyring."""

    def __init__(self, directory: Path | None = None) -> None:
        self.directory = directory or Path(platformdirs.user_config_dir(APP_NAME))
        self.path = self.directory / "profiles.json"

    def load(self) -> dict[str, ConnectionProfile]:
        """Return the saved profiles by name; a damaged file is reported and treated as empty."""
        try:
            raw = json.loads(self.path.read_text(encoding="utf-8"))
            return {p["name"]: ConnectionProfile.from_dict(p) for p in raw.get("profiles", [])}
        except FileNotFoundError:
            return {}
        except (OSError, ValueError, KeyError, TypeError) as exc:
            _log.warning("ignoring unreadable profile file %s: %s", self.path, exc)
            return {}

    def save(self, profile: ConnectionProfile, password: str | None = None) -> None:
        """Save ``profile``; store ``password`` in the keyring only if remember_password is set."""
        profiles = self.load()
        profiles[profile.name] = profile
        self._write(profiles)
        if profile.remember_password and password:
            self._keyring_set(profile.name, password)
        elif not profile.remember_password:
            self._keyring_delete(profile.name)

    def delete(self, name: str) -> None:
        profiles = self.load()
        if profiles.pop(name, None) is not None:
            self._write(profiles)
        self._keyring_delete(name)

    def password(self, name: str) -> str | None:
        """The remembered password for profile ``name``, or None (also when no keyring works)."""
        try:
            import keyring

            return keyring.get_password(KEYRING_SERVICE, name)
        except Exception as exc:  # keyring backends raise many types; none may crash the UI
            _log.warning("keyring unavailable: %s", exc)
            return None

    def _write(self, profiles: dict[str, ConnectionProfile]) -> None:
        self.directory.mkdir(parents=True, exist_ok=True)
        data = {"version": 1, "profiles": [asdict(p) for p in profiles.values()]}
        tmp = self.path.with_suffix(".tmp")
        tmp.write_text(json.dumps(data, indent=2), encoding="utf-8")
        tmp.replace(self.path)

    @staticmethod
    def _keyring_set(name: str, password: str) -> None:
        try:
            import keyring

            keyring.set_password(KEYRING_SERVICE, name, password)
        except Exception as exc:
            _log.warning("could not store the password in the keyring: %s", exc)

    @staticmethod
    def _keyring_delete(name: str) -> None:
        try:
            import keyring

            keyring.delete_password(KEYRING_SERVICE, name)
        except Exception:  # nothing stored, or no backend: both mean "nothing to delete"
            pass
