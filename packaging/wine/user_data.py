"""Seed and check the user's data around an upgrade/uninstall test (run by the INSTALLED app's
python.exe under wine, from packaging/check-wine-app.sh; test-only, never shipped).

    python.exe user_data.py seed TAG    settings value, a connection profile and a recording
    python.exe user_data.py check TAG   all three still there (exit 1 naming what is missing)

Both print ``dir <kind> <path>`` for every folder the app keeps user data in (taken from the
app's own code, so the test follows it), which the caller uses to tell user data from leftovers.
"""

import sys
from pathlib import Path

import platformdirs
from PySide6.QtCore import QSettings

from workbench.profiles import APP_NAME, ConnectionProfile, ProfileStore
from workbench.ui.recording import default_recordings_dir

PROFILE = "ci-upgrade-check"
SETTING = "ci_upgrade_marker"


def main(mode: str, tag: str) -> int:
    store = ProfileStore()
    recordings = default_recordings_dir()
    recording = recordings / f"ci-upgrade-{tag}.wbcap"
    settings = QSettings("DLMS Workbench", "workbench")   # what MainWindow uses by default
    for kind, path in (("config", store.directory), ("recordings", recordings),
                       ("data", Path(platformdirs.user_data_dir(APP_NAME))),
                       ("log", Path(platformdirs.user_log_dir(APP_NAME))),
                       ("cache", Path(platformdirs.user_cache_dir(APP_NAME, appauthor=False)))):
        print(f"dir {kind} {path}")
    print(f"settings {settings.fileName()}")
    if mode == "seed":
        store.save(ConnectionProfile(name=PROFILE, host="192.0.2.7", port=4059))
        recordings.mkdir(parents=True, exist_ok=True)
        recording.write_bytes(b"recorded before the upgrade: " + tag.encode())
        settings.setValue(SETTING, tag)
        settings.sync()
        print(f"seeded: profile {PROFILE!r} in {store.path}, recording {recording}, "
              f"setting {SETTING}={tag}")
        return 0
    missing = []
    profile = store.load().get(PROFILE)
    if profile is None or profile.port != 4059:
        missing.append(f"connection profile {PROFILE!r} in {store.path}")
    if not recording.is_file():
        missing.append(f"recording {recording}")
    if settings.value(SETTING) != tag:
        missing.append(f"setting {SETTING} (found {settings.value(SETTING)!r})")
    if missing:
        print("user data LOST: " + "; ".join(missing))
        return 1
    print("user data kept: profile, recording and setting all present")
    return 0


if __name__ == "__main__":
    sys.exit(main(*sys.argv[1:3]))
