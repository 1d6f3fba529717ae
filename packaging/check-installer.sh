#!/usr/bin/env bash
# Check the installer that build-installer.sh made: its contents (7z listing), size and manifest,
# then, when Debian's wine64 can be installed, a silent install and uninstall in a throwaway
# WINEPREFIX. The app's GUI cannot run under wine 8 (no icuuc.dll for Qt, numpy needs
# ucrtbase.crealf), so only `--version` runs there; the real self-test is the windows-2022 job.
# WINE_CHECK=0 skips the wine part (it says so).
set -euo pipefail
source "$(dirname "$0")/lib.sh"

B="$REPO_ROOT/packaging/windows/build"
MAX_BYTES=$((35 * 1000 * 1000))
VERSION="$(app_version)"
SETUP="$B/DLMS-Workbench-$VERSION-setup.exe"
[ -f "$SETUP" ] || die "$SETUP not found: run packaging/build-installer.sh first"
ensure_debs p7zip-full binutils

failures=0
fail() { printf '\033[1;31mFAIL: %s\033[0m\n' "$*" >&2; failures=$((failures + 1)); }

# --- contents ------------------------------------------------------------------------------
listing="$B/contents.txt"
7z l -slt "$SETUP" > "$B/7z-listing.txt"
sed -n 's/^Path = //p' "$B/7z-listing.txt" | tail -n +2 | tr '\\' '/' > "$listing"
grep -qx 'SubType = NSIS-3 Unicode 64-bit' "$B/7z-listing.txt" || fail "not a 64-bit Unicode NSIS-3 installer"
grep -qx 'Solid = +' "$B/7z-listing.txt" || fail "not solid-compressed"

required=(
  Python/python311.dll Python/python.exe Python/pythonw.exe Python/python311._pth
  DLMS_Workbench.launch.pyw uninstall.exe
  pkgs/workbench/__main__.py
  pkgs/PySide6/plugins/platforms/qwindows.dll
  pkgs/PySide6/Qt6OpenGL.dll pkgs/PySide6/QtOpenGL.pyd       # pyqtgraph imports QtOpenGL
  pkgs/PySide6/Qt6Widgets.dll pkgs/PySide6/QtWidgets.pyd
  pkgs/shiboken6/Shiboken.pyd pkgs/pyqtgraph/__init__.py pkgs/numpy/__init__.py
  pkgs/keyring/__init__.py pkgs/win32ctypes/__init__.py pkgs/platformdirs/__init__.py
  licenses/THIRD_PARTY_LICENSES.md "licenses/dlms-workbench-$VERSION/LICENSE"
)
for f in "${required[@]}"; do
  grep -qxF "$f" "$listing" || fail "missing from the installer: $f"
done
for re in '^licenses/python-3[.0-9]+/LICENSE\.txt$' '^licenses/pyside6-essentials-[^/]+/LGPL-3\.txt$' \
          '^licenses/shiboken6-[^/]+/GPL-3\.txt$'; do
  grep -qE "$re" "$listing" || fail "missing from the installer: a file matching $re"
done

# Test code and test-only (GPL) packages must not ship; numpy/testing stays (import numpy needs it).
forbidden='(^|/)(tests?|conftest\.py)(/|$)|^pkgs/(_?pytest|pytest_?qt|pytest_[a-z_]+|hypothesis|gurux[a-z_]*|dlms_cosem)([-./]|$)|\.pdb$|^pkgs/PySide6/(translations|qml)/'
if grep -E "$forbidden" "$listing" > "$B/forbidden.txt"; then
  fail "$(wc -l < "$B/forbidden.txt") forbidden files, e.g.: $(head -n 5 "$B/forbidden.txt" | tr '\n' ' ')"
fi

# Per-user install: the manifest must not ask for elevation.
# (grep without -q reads all input: with pipefail an early exit would SIGPIPE the writer)
strings "$SETUP" | grep 'requestedExecutionLevel level="asInvoker"' >/dev/null \
  || fail "the installer's manifest does not say asInvoker (it would prompt for UAC)"

size=$(stat -c %s "$SETUP")
[ "$size" -le "$MAX_BYTES" ] || fail "installer is $size bytes, over the $MAX_BYTES budget"
build_s="$(sed -n 's/^build_seconds=//p' "$B/build-stats.txt" 2>/dev/null || true)"
log "installer: $(size_mb "$SETUP") MB ($size bytes, limit $MAX_BYTES), $(wc -l < "$listing") files," \
    "build time ${build_s:-unknown}s"

# --- silent install / uninstall under wine -------------------------------------------------
wine_check() {
  local wp dir user_dir lnk wine=/usr/lib/wine/wine64
  wp="$(mktemp -d /tmp/wb-wineprefix.XXXXXX)"
  # Throwaway prefix; no Mono/Gecko download prompts; wine's own chatter off.
  export WINEPREFIX="$wp" WINEDEBUG=-all WINEDLLOVERRIDES="mscoree,mshtml="
  "$wine" wineboot -i >/dev/null 2>&1
  user_dir="$(echo "$wp"/drive_c/users/*/AppData | head -n1)"
  user_dir="${user_dir%/AppData}"
  dir="$user_dir/AppData/Local/Programs/DLMS Workbench"
  lnk="$user_dir/AppData/Roaming/Microsoft/Windows/Start Menu/Programs/DLMS Workbench.lnk"
  local t0=$SECONDS
  "$wine" "$SETUP" /S >/dev/null 2>&1
  log "wine: silent install took $((SECONDS - t0))s"
  for f in Python/python311.dll pkgs/workbench/__main__.py uninstall.exe licenses/THIRD_PARTY_LICENSES.md; do
    [ -e "$dir/$f" ] || fail "wine install: $dir/$f missing"
  done
  [ -e "$lnk" ] || fail "wine install: no Start-menu link $lnk"
  "$wine" reg query 'HKCU\Software\Classes\.wbcap' 2>/dev/null | grep 'DLMSWorkbench.wbcap' >/dev/null \
    || fail "wine install: HKCU\\Software\\Classes\\.wbcap does not point at DLMSWorkbench.wbcap"
  "$wine" reg query 'HKCU\Software\Classes\DLMSWorkbench.wbcap\shell\open\command' 2>/dev/null \
    | grep 'pythonw.exe.*launch.pyw.*%1' >/dev/null || fail "wine install: no .wbcap open command"
  # The installed interpreter + pkgs path + app import work (output through a pipe: see recipe).
  local ver
  ver="$("$wine" "$dir/Python/python.exe" "$dir/DLMS_Workbench.launch.pyw" --version 2>&1 | cat | tr -d '\r')"
  [ "$ver" = "DLMS Workbench $VERSION" ] || fail "wine: installed app --version said: '$ver'"

  t0=$SECONDS
  "$wine" "$dir/uninstall.exe" /S >/dev/null 2>&1
  /usr/lib/wine/wineserver64 -w    # the uninstaller re-runs itself from %TEMP%: wait for it
  log "wine: silent uninstall took $((SECONDS - t0))s"
  [ ! -e "$dir/pkgs" ] && [ ! -e "$dir/Python" ] || fail "wine uninstall left files in $dir"
  [ ! -e "$lnk" ] || fail "wine uninstall left the Start-menu link"
  if "$wine" reg query 'HKCU\Software\Classes\.wbcap' >/dev/null 2>&1; then
    fail "wine uninstall left HKCU\\Software\\Classes\\.wbcap"
  fi
  if "$wine" reg query 'HKCU\Software\Microsoft\Windows\CurrentVersion\Uninstall\DLMS Workbench' \
      >/dev/null 2>&1; then
    fail "wine uninstall left the Add/Remove Programs entry"
  fi
  /usr/lib/wine/wineserver64 -k 2>/dev/null || true
  rm -rf "$wp"
}

if [ "${WINE_CHECK:-1}" = 0 ]; then
  log "WARNING: WINE_CHECK=0: silent install/uninstall NOT checked"
elif (ensure_debs wine64 wine); then
  wine_check
elif [ -n "${CI:-}" ]; then
  fail "wine64 could not be installed, so silent install/uninstall was not checked (WINE_CHECK=0 to skip on purpose)"
else
  log "WARNING: wine64 could not be installed: silent install/uninstall NOT checked"
fi

[ "$failures" -eq 0 ] || die "$failures installer check(s) failed"
log "installer checks passed"
