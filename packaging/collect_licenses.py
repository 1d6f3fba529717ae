"""Collect the license texts of everything the Windows installer bundles, and guard against GPL.

Reads each wheel's METADATA and license files (PEP 639 ``dist-info/licenses/`` or the older
top-level ``LICENSE*``/``COPYING*``/``NOTICE*`` files), plus the embeddable CPython's
``LICENSE.txt``, and writes them to ``OUT/<name>-<version>/``. PySide6 and shiboken6 (Qt) are
taken under the LGPLv3, whose text (and the GPLv3 it builds on) the wheels lack: they come from
Debian's ``/usr/share/common-licenses``, with a notice on where the sources are and how to
replace the libraries. A Markdown summary goes to ``OUT/THIRD_PARTY_LICENSES.md`` and ``--summary``.

The build fails if a bundled distribution is GPL-only (no LGPL choice), has no license at all,
or is one of pyproject's optional (test-only) dependencies such as gurux-dlms.
"""

from __future__ import annotations

import argparse
import re
import shutil
import sys
import tomllib
import zipfile
from dataclasses import dataclass, field
from email.parser import HeaderParser
from pathlib import Path, PurePosixPath

COMMON_LICENSES = Path("/usr/share/common-licenses")
# Texts for wheels that ship none, taken from the same release's sdist (see its README.md).
KEPT_TEXTS = Path(__file__).resolve().parent / "license-texts"
LEGACY_LICENSE_NAME = re.compile(r"^(LICEN[CS]E|COPYING|NOTICE|AUTHORS)", re.IGNORECASE)
GPL = re.compile(r"\bGPL\b|GNU General Public License", re.IGNORECASE)
LGPL = re.compile(r"\bLGPL\b|GNU Lesser General Public License", re.IGNORECASE)
QT_DISTS = {"pyside6-essentials", "shiboken6"}
QT_NOTICE = """\
{name} {version} and the Qt {version} libraries it ships are used under the GNU Lesser General
Public License version 3 (LGPL-3.txt here; it adds permissions to the GNU GPL version 3,
GPL-3.txt). They are unmodified and loaded dynamically from the pkgs\\PySide6 and pkgs\\shiboken6
folders of this installation: you may replace them with your own build of the same version.
Sources: https://download.qt.io/official_releases/QtForPython/ and https://code.qt.io/
Licenses of the third-party code inside Qt: https://doc.qt.io/qt-6/licenses-used-in-qt.html
"""


@dataclass
class Component:
    """One bundled distribution: its license as declared and the files that hold the texts."""

    name: str
    version: str
    license: str
    files: list[str] = field(default_factory=list)

    @property
    def folder(self) -> str:
        return f"{self.name}-{self.version}"


def _normalize(name: str) -> str:
    return re.sub(r"[-_.]+", "-", name).lower()


def declared_license(meta) -> str:
    """License-Expression, else a short License field, else the License :: classifiers."""
    if meta.get("License-Expression"):
        return meta["License-Expression"].strip()
    short = (meta.get("License") or "").strip()
    if short and "\n" not in short and len(short) < 100:
        return short
    classifiers = [c.split("::")[-1].strip() for c in meta.get_all("Classifier", [])
                   if c.startswith("License ::")]
    return " AND ".join(classifiers)


def is_license_file(dist_info: str, member: str) -> bool:
    path = PurePosixPath(member)
    if not member.startswith(dist_info + "/") or member.endswith("/"):
        return False
    if path.parts[1] == "licenses":
        return True
    return len(path.parts) == 2 and bool(LEGACY_LICENSE_NAME.match(path.name))


def extract_wheel(wheel: Path, out: Path) -> Component:
    """Copy one wheel's license files into OUT/<name>-<version>/ and describe it."""
    with zipfile.ZipFile(wheel) as zf:
        meta_name = next(n for n in zf.namelist()
                         if n.count("/") == 1 and n.endswith(".dist-info/METADATA"))
        dist_info = meta_name.split("/")[0]
        meta = HeaderParser().parsestr(zf.read(meta_name).decode("utf-8"))
        comp = Component(_normalize(meta["Name"]), meta["Version"], declared_license(meta))
        for member in filter(lambda m: is_license_file(dist_info, m), zf.namelist()):
            rel = PurePosixPath(member).relative_to(dist_info)
            if rel.parts[0] == "licenses":
                rel = rel.relative_to("licenses")
            target = out / comp.folder / rel
            target.parent.mkdir(parents=True, exist_ok=True)
            target.write_bytes(zf.read(member))
            comp.files.append(str(rel))
    kept = KEPT_TEXTS / comp.folder
    if not comp.files and kept.is_dir():
        for text in sorted(kept.iterdir()):
            (out / comp.folder).mkdir(parents=True, exist_ok=True)
            shutil.copyfile(text, out / comp.folder / text.name)
            comp.files.append(text.name)
    return comp


def add_qt_texts(comp: Component, out: Path) -> None:
    """Qt is taken under the LGPLv3: ship its text, the GPLv3 it builds on, and a notice."""
    comp.license = f"LGPL-3.0-only (chosen from: {comp.license})"
    for src, dst in (("LGPL-3", "LGPL-3.txt"), ("GPL-3", "GPL-3.txt")):
        shutil.copyfile(COMMON_LICENSES / src, out / comp.folder / dst)
        comp.files.append(dst)
    notice = QT_NOTICE.format(name=comp.name, version=comp.version)
    (out / comp.folder / "NOTICE.txt").write_text(notice, encoding="utf-8")
    comp.files.append("NOTICE.txt")


def python_component(embed_zip: Path, version: str, out: Path) -> Component:
    comp = Component("python", version, "PSF-2.0", ["LICENSE.txt"])
    (out / comp.folder).mkdir(parents=True)
    with zipfile.ZipFile(embed_zip) as zf:
        (out / comp.folder / "LICENSE.txt").write_bytes(zf.read("LICENSE.txt"))
    return comp


def license_problems(comps: list[Component], forbidden: set[str]) -> list[str]:
    """Everything that must not ship: GPL-only code, unknown licenses, test-only packages."""
    problems = []
    for c in comps:
        if c.name in forbidden:
            problems.append(f"{c.folder}: a test-only dependency (pyproject optional-dependencies)")
        if not c.license:
            problems.append(f"{c.folder}: declares no license")
        elif GPL.search(c.license) and not LGPL.search(c.license):
            problems.append(f"{c.folder}: GPL without an LGPL choice ({c.license})")
        if not c.files:
            problems.append(f"{c.folder}: ships no license text")
    return problems


def optional_dependency_names(pyproject: Path) -> set[str]:
    with pyproject.open("rb") as f:
        groups = tomllib.load(f)["project"].get("optional-dependencies", {})
    return {_normalize(re.split(r"[\s<>=!~;\[]", req, maxsplit=1)[0])
            for reqs in groups.values() for req in reqs}


def summary(comps: list[Component]) -> str:
    lines = [
        "# Third-party components in the DLMS Workbench Windows installer",
        "",
        "Generated by packaging/collect_licenses.py from the wheels the installer bundles; the",
        "texts are installed in the `licenses` folder beside the application.",
        "",
        "| Component | Version | License | Texts (in licenses/<component>-<version>/) |",
        "| --- | --- | --- | --- |",
    ]
    lines += [f"| {c.name} | {c.version} | {c.license} | {', '.join(sorted(c.files))} |"
              for c in sorted(comps, key=lambda c: c.name)]
    return "\n".join(lines) + "\n"


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--wheels", type=Path, required=True, help="folder of the bundled wheels")
    ap.add_argument("--python-zip", type=Path, required=True, help="flat embeddable CPython zip")
    ap.add_argument("--python-version", required=True)
    ap.add_argument("--pyproject", type=Path, required=True)
    ap.add_argument("--out", type=Path, required=True, help="licenses folder to create")
    ap.add_argument("--summary", type=Path, required=True, help="copy of the Markdown summary")
    args = ap.parse_args()

    if args.out.exists():
        shutil.rmtree(args.out)
    args.out.mkdir(parents=True)
    comps = [python_component(args.python_zip, args.python_version, args.out)]
    for wheel in sorted(args.wheels.glob("*.whl")):
        comp = extract_wheel(wheel, args.out)
        if comp.name in QT_DISTS:
            add_qt_texts(comp, args.out)
        comps.append(comp)
    problems = license_problems(comps, optional_dependency_names(args.pyproject))
    if problems:
        print("license check failed:\n  " + "\n  ".join(problems), file=sys.stderr)
        return 1
    text = summary(comps)
    (args.out / "THIRD_PARTY_LICENSES.md").write_text(text, encoding="utf-8")
    args.summary.write_text(text, encoding="utf-8")
    print(f"licenses of {len(comps)} components -> {args.out}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
