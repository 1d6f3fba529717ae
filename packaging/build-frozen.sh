#!/usr/bin/env bash
# Freeze the app for Linux with PyInstaller (onedir, in its own venv under packaging/build/frozen)
# and run the frozen bundle headless: `workbench --self-test` (simulated meter, connect, read,
# render offscreen) when `workbench --help` lists it, else --version and a frame decode, with a
# loud warning. A missing --self-test fails unless REQUIRE_SELF_TEST=0 (it has landed).
set -euo pipefail
source "$(dirname "$0")/lib.sh"

D="$REPO_ROOT/packaging/build/frozen"
PYINSTALLER_PINS=("pyinstaller==6.22.3" "pyinstaller-hooks-contrib==2026.9")
SNRM_FRAME=(7E A0 07 03 03 93 8C 11 7E)   # SNRM (control 0x93) from client 1 to server 1
export PIP_DISABLE_PIP_VERSION_CHECK=1

start=$SECONDS
PY="$(host_python)"
py_mm="$("$PY" -c 'import sys; print("%d.%d" % sys.version_info[:2])')"
# PyInstaller needs the shared libpython and objdump; Qt's offscreen platform needs EGL/GL,
# xkbcommon, fontconfig, D-Bus and GLib even without a display; fonts so text renders.
glib=libglib2.0-0
ldconfig -p 2>/dev/null | grep 'libglib-2.0.so.0' >/dev/null && glib=""
# shellcheck disable=SC2086
ensure_debs "libpython$py_mm" binutils python3-venv libegl1 libgl1 libxkbcommon0 libfontconfig1 \
  libdbus-1-3 fonts-dejavu-core $glib
VERSION="$(app_version)"

rm -rf "$D"
mkdir -p "$D/src"
cp -r "$REPO_ROOT"/{pyproject.toml,README.md,LICENSE,workbench} "$D/src/"
find "$D/src" -name __pycache__ -prune -exec rm -rf {} +
"$PY" -m venv "$D/venv"
"$D/venv/bin/pip" install -q "$D/src" "${PYINSTALLER_PINS[@]}"

# Sub-commands are imported by name (importlib), which PyInstaller cannot see: collect the
# whole package. Copy the distribution metadata of the app and its direct dependencies so
# importlib.metadata (About box, --version of components) works in the bundle too.
mapfile -t dists < <("$D/venv/bin/python" - "$REPO_ROOT/pyproject.toml" <<'PYEOF'
import re, sys, tomllib
project = tomllib.load(open(sys.argv[1], "rb"))["project"]
for name in [project["name"], *project["dependencies"]]:
    print(re.split(r"[\s<>=!~;\[]", name, maxsplit=1)[0])
PYEOF
)
metadata_args=()
for d in "${dists[@]}"; do metadata_args+=(--copy-metadata "$d"); done

# --- trimming, driven by what the app imports -------------------------------------------------
# PyInstaller already bundles only what the app's imports reach (plus what hooks add). On top:
#  1. a trace: every module the app imports in a real run (frozen_trace.py: all workbench
#     modules, keyring's backend as the profiles use it, the --self-test);
#  2. excluded: test and build tools, and the PySide6 bindings the trace does not show (hooks and
#     pyqtgraph's optional imports pull in QtNetwork, QtDBus, QtTest...). An exclusion that the
#     trace contradicts fails the build, so a new import (e.g. cryptography for ciphering, or
#     SecretStorage for the Linux keyring) keeps its package in the bundle by itself;
#  3. after the build: Qt translations (unless the app uses QTranslator), the GTK platform theme
#     (it drags in ~20 MB of GTK), plugins of excluded Qt modules, then every bundled library
#     that no kept binary needs (NEEDED closure from objdump).
log "tracing the app's imports"
QT_QPA_PLATFORM=offscreen timeout 180 "$D/venv/bin/python" "$REPO_ROOT/packaging/frozen_trace.py" \
  "$D/trace.txt" > "$D/trace.log" 2>&1 || { tail -n 20 "$D/trace.log"; die "the import trace run failed"; }
grep '^trace:' "$D/trace.log" >&2 || true
TOOLS=(pytest _pytest pytestqt hypothesis setuptools pkg_resources _distutils_hack pip wheel
       PyInstaller tkinter _tkinter IPython mypy ruff)
excludes=()
for m in "${TOOLS[@]}"; do
  if grep -qE "^$m(\.|$)" "$D/trace.txt"; then die "the app imports $m: it cannot be excluded from the bundle"; fi
  excludes+=(--exclude-module "$m")
done
mapfile -t qt_all < <(cd "$D/venv/lib/python$py_mm/site-packages/PySide6" && ls Qt*.abi3.so | sed 's/\.abi3\.so$//')
qt_kept=()
for q in "${qt_all[@]}"; do
  if grep -qx "PySide6\.$q" "$D/trace.txt"; then qt_kept+=("$q"); else excludes+=(--exclude-module "PySide6.$q"); fi
done
log "Qt bindings kept (imported by the app): ${qt_kept[*]}"
for m in cryptography secretstorage jeepney serial; do
  if grep -qx "$m" "$D/trace.txt"; then log "$m: kept (the app imports it)"; else log "$m: not imported by the app"; fi
done

printf 'from workbench.__main__ import run\n\nrun()\n' > "$D/run_workbench.py"
log "PyInstaller onedir"
"$D/venv/bin/pyinstaller" --noconfirm --clean --onedir --name workbench --log-level WARN \
  --collect-submodules workbench --collect-data workbench "${metadata_args[@]}" "${excludes[@]}" \
  --distpath "$D/dist" --workpath "$D/work" --specpath "$D" "$D/run_workbench.py" \
  > "$D/pyinstaller.log" 2>&1 || { tail -n 30 "$D/pyinstaller.log"; die "PyInstaller failed"; }
BUNDLE="$D/dist/workbench"
untrimmed="$(size_mb "$BUNDLE")"
QT="$BUNDLE/_internal/PySide6/Qt"
grep -rq QTranslator "$REPO_ROOT/workbench" || rm -rf "$QT/translations"
rm -f "$QT"/plugins/platformthemes/libqgtk3.so
for q in Network:tls Network:networkinformation DBus:generic; do
  printf '%s\n' "${qt_kept[@]}" | grep -qx "Qt${q%%:*}" || rm -rf "$QT/plugins/${q#*:}"
done
# Libraries nobody needs any more: closure of DT_NEEDED from the executable, every Python
# extension module and every kept Qt plugin; bundled libraries outside it are removed.
"$D/venv/bin/python" - "$BUNDLE" <<'PYEOF' >&2
import os, subprocess, sys
from pathlib import Path
bundle = Path(sys.argv[1])
internal = bundle / "_internal"
def needed(path):
    out = subprocess.run(["objdump", "-p", str(path)], capture_output=True, text=True).stdout
    return [l.split()[1] for l in out.splitlines() if l.strip().startswith("NEEDED")]
libs = {}   # bundled shared libraries by soname (file name)
for p in internal.rglob("*.so*"):
    if p.is_file() and not p.name.endswith((".abi3.so",)) and ".cpython-" not in p.name \
            and "plugins" not in p.parts:
        libs.setdefault(p.name, p)
# The bootloader dlopen()s libpython, so it is a root like the executable.
roots = [bundle / "workbench"] + [p for p in internal.rglob("*.so*") if p.is_file() and
         (p.name.endswith(".abi3.so") or ".cpython-" in p.name or "plugins" in p.parts
          or p.name.startswith("libpython"))]
seen, todo = {p.name for p in roots if p.name in libs}, list(roots)
while todo:
    for name in needed(todo.pop()):
        if name in libs and name not in seen:
            seen.add(name)
            todo.append(libs[name])
removed = 0
for name, p in libs.items():
    if name not in seen:
        removed += p.stat().st_size
        p.unlink()
print(f"removed {len(libs) - len(seen)} unneeded libraries ({removed / 1e6:.1f} MB)")
PYEOF
build_s=$((SECONDS - start))
EXE="$BUNDLE/workbench"
log "frozen bundle $BUNDLE: $(size_mb "$BUNDLE") MB (untrimmed ${untrimmed} MB), built in ${build_s}s"

# --- run the bundle headless ---------------------------------------------------------------
export QT_QPA_PLATFORM=offscreen
help="$(timeout 60 "$EXE" --help 2>&1)" || { echo "$help"; die "frozen 'workbench --help' failed"; }
ver="$(timeout 60 "$EXE" --version 2>&1)" || die "frozen 'workbench --version' failed: $ver"
[ "$ver" = "DLMS Workbench $VERSION" ] || die "frozen --version said '$ver', expected 'DLMS Workbench $VERSION'"

if grep -e '--self-test' >/dev/null <<<"$help"; then
  t0=$SECONDS
  timeout 180 "$EXE" --self-test || die "frozen 'workbench --self-test' failed (exit $?)"
  log "frozen self-test passed in $((SECONDS - t0))s"
else
  printf '\033[1;33m%s\n%s\033[0m\n' \
    "!!!!! SELF-TEST NOT AVAILABLE: 'workbench --help' lists no --self-test. The frozen bundle" \
    "!!!!! is checked only with --version and decode; the GUI is NOT exercised." >&2
  [ "${REQUIRE_SELF_TEST:-1}" = 0 ] || die "no --self-test (REQUIRE_SELF_TEST=0 accepts that)"
  if grep -E '^\s+decode\b|[{,]decode[,}]' >/dev/null <<<"$help"; then
    out="$(timeout 60 "$EXE" decode "${SNRM_FRAME[@]}" 2>&1)" || { echo "$out"; die "frozen decode failed"; }
    grep -i 'snrm' >/dev/null <<<"$out" || { echo "$out"; die "frozen decode did not name the SNRM frame"; }
    log "frozen decode of ${SNRM_FRAME[*]} names SNRM"
  else
    printf '\033[1;33m!!!!! decode NOT AVAILABLE either: only --version was checked\033[0m\n' >&2
  fi
fi
printf 'bundle=%s\nsize_bytes=%s\nuntrimmed_mb=%s\nbuild_seconds=%s\n' "$BUNDLE" \
  "$(du -sb "$BUNDLE" | cut -f1)" "$untrimmed" "$build_s" > "$D/stats.txt"
log "frozen bundle checks passed (total $((SECONDS - start))s)"
