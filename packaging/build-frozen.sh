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
printf 'from workbench.__main__ import run\n\nrun()\n' > "$D/run_workbench.py"
log "PyInstaller onedir"
"$D/venv/bin/pyinstaller" --noconfirm --clean --onedir --name workbench --log-level WARN \
  --collect-submodules workbench --collect-data workbench "${metadata_args[@]}" \
  --distpath "$D/dist" --workpath "$D/work" --specpath "$D" "$D/run_workbench.py" \
  > "$D/pyinstaller.log" 2>&1 || { tail -n 30 "$D/pyinstaller.log"; die "PyInstaller failed"; }
build_s=$((SECONDS - start))
BUNDLE="$D/dist/workbench"
EXE="$BUNDLE/workbench"
log "frozen bundle $BUNDLE: $(size_mb "$BUNDLE") MB, built in ${build_s}s"

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
printf 'bundle=%s\nsize_bytes=%s\nbuild_seconds=%s\n' "$BUNDLE" "$(du -sb "$BUNDLE" | cut -f1)" \
  "$build_s" > "$D/stats.txt"
log "frozen bundle checks passed (total $((SECONDS - start))s)"
