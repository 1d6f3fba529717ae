"""HLS keys of a saved connection profile, kept in the OS keyring and nowhere else.

Why not in the profile file: the keys open every meter of a tender's batch; the profile
file may be copied, synced or attached to a bug report. Like the LLS password, keys are
stored only when the engineer ticks "Remember in the OS keyring", under the same service
name, one entry per key ("<profile> · authentication key").
"""

from __future__ import annotations

import logging

from workbench.profiles import KEYRING_SERVICE

__all__ = ["KEY_NAMES", "forget_keys", "load_keys", "store_keys"]

_log = logging.getLogger(__name__)
KEY_NAMES = ("authentication key", "block cipher key")


def _entry(profile: str, key: str) -> str:
    return f"{profile} · {key}"


def store_keys(profile: str, keys: tuple[str, str]) -> None:
    """Keep both keys (hex text) for ``profile``; a keyring failure is logged, not raised."""
    try:
        import keyring

        for name, value in zip(KEY_NAMES, keys, strict=True):
            if value:
                keyring.set_password(KEYRING_SERVICE, _entry(profile, name), value)
    except Exception as exc:  # keyring backends raise many types; none may crash the UI
        _log.warning("could not store the HLS keys in the keyring: %s", type(exc).__name__)


def load_keys(profile: str) -> tuple[str, str]:
    """Both keys of ``profile`` as hex text ("" where none is kept or no keyring works)."""
    try:
        import keyring

        found = [keyring.get_password(KEYRING_SERVICE, _entry(profile, n)) for n in KEY_NAMES]
    except Exception as exc:
        _log.warning("keyring unavailable: %s", type(exc).__name__)
        return "", ""
    return found[0] or "", found[1] or ""


def forget_keys(profile: str) -> None:
    """Remove both keys of ``profile`` from the keyring (nothing kept is fine)."""
    for name in KEY_NAMES:
        try:
            import keyring

            keyring.delete_password(KEYRING_SERVICE, _entry(profile, name))
        except Exception:  # nothing stored, or no backend: both mean "nothing to delete"
            continue
