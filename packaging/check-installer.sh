#!/usr/bin/env bash
# Check the installer that build-installer.sh made, without running it: contents (7z listing),
# size, manifest, the version resources and icon of the installer and of DLMS Workbench.exe,
# the licence and uninstall pages, and the signing path (a throwaway certificate). Running the
# installed app (under wine) is check-wine-app.sh.
set -euo pipefail
source "$(dirname "$0")/lib.sh"

B="$REPO_ROOT/packaging/windows/build"
MAX_BYTES=$((35 * 1000 * 1000))
VERSION="$(app_version)"
SETUP="$B/DLMS-Workbench-$VERSION-setup.exe"
[ -f "$SETUP" ] || die "$SETUP not found: run packaging/build-installer.sh first"
ensure_debs p7zip-full binutils binutils-mingw-w64-x86-64 osslsigncode openssl

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
  DLMS_Workbench.launch.pyw "DLMS Workbench.exe" workbench.ico uninstall.exe
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

# --- looks like a Windows product: icon sizes, version resources, pages -------------------------
# windres reads the resources of a PE file back as .rc text (kept next to the installer).
rc_dump() { x86_64-w64-mingw32-windres -i "$1" -O rc 2>/dev/null | tr -d '\r'; }
check_pe_resources() {   # check_pe_resources FILE LABEL DUMP
  rc_dump "$1" > "$3" || { fail "$2: windres could not read its resources"; return; }
  local key
  for key in '"ProductName", "DLMS Workbench"' "\"ProductVersion\", \"$VERSION\"" \
             '"CompanyName", "DLMS Workbench developers"' '"FileDescription", "DLMS Workbench' \
             "\"FileVersion\", \"$VERSION\""; do
    grep -F "VALUE $key" "$3" >/dev/null || fail "$2: version resource lacks $key (see $3)"
  done
}
mkdir -p "$B/check"
7z e -y -o"$B/check" "$SETUP" 'DLMS Workbench.exe' >/dev/null || fail "cannot extract DLMS Workbench.exe"
LAUNCHER="$B/check/DLMS Workbench.exe"
check_pe_resources "$SETUP" "installer" "$B/resources-installer.rc.txt"
check_pe_resources "$LAUNCHER" "DLMS Workbench.exe" "$B/resources-launcher.rc.txt"
# The launcher's icon group: 16, 24, 32, 48 and 256 px (256 is written as 0).
sizes="$(sed -n 's/^ *"\\\([0-7]*\)\\\([0-7]*\)\\000\\000", 1, 32,.*/\1/p' "$B/resources-launcher.rc.txt" \
  | while read -r o; do echo $((8#$o)); done | sort -n | tr '\n' ' ')"
[ "$sizes" = "0 16 24 32 48 " ] || fail "DLMS Workbench.exe icon sizes are '$sizes', want 16 24 32 48 256 (0)"
log "version resources: installer and DLMS Workbench.exe say DLMS Workbench $VERSION; launcher icon sizes: ${sizes}(0 = 256)"
# Licence page, uninstall confirmation (user data kept), and the .wbcap icon source.
nsi="$B/nsis/installer.nsi"
grep 'MUI_PAGE_LICENSE' "$nsi" >/dev/null || fail "the installer has no licence page"
grep 'MUI_UNPAGE_CONFIRM' "$nsi" >/dev/null || fail "the uninstaller has no confirmation page"
grep -F 'connection profiles and recordings are kept' "$nsi" >/dev/null \
  || fail "the uninstaller does not say that user data is kept"

# --- signing path: a throwaway self-signed certificate, made here and deleted ---------------------
signing_check() {
  local tmp out
  tmp="$(mktemp -d)"
  openssl req -x509 -newkey rsa:2048 -nodes -days 2 -subj "/CN=DLMS Workbench CI throwaway/O=Test" \
    -keyout "$tmp/key.pem" -out "$tmp/cert.pem" >/dev/null 2>&1 \
    && openssl pkcs12 -export -inkey "$tmp/key.pem" -in "$tmp/cert.pem" -out "$tmp/cert.p12" \
       -passout pass:throwaway-ci >/dev/null 2>&1 || { fail "openssl could not make a test certificate"; rm -rf "$tmp"; return; }
  cp "$LAUNCHER" "$tmp/launcher.exe"
  cp "$SETUP" "$tmp/setup.exe"
  for f in launcher.exe setup.exe; do
    out="$(WB_SIGN_PKCS12="$tmp/cert.p12" WB_SIGN_PASSWORD=throwaway-ci sign_pe "$tmp/$f")" || true
    [ "$out" = signed ] || fail "sign_pe did not sign $f"
    osslsigncode verify -CAfile "$tmp/cert.pem" -in "$tmp/$f" 2>&1 | grep -x 'Succeeded' >/dev/null \
      || fail "$f signed with the test certificate does not verify"
  done
  rm -rf "$tmp"
}
if [ -n "${WB_SIGN_PKCS12:-}" ]; then
  osslsigncode verify -in "$SETUP" >/dev/null 2>&1 || log "NOTE: the signed installer does not verify against the system CAs"
fi
signing_check
log "signing path: launcher and installer copies signed with a throwaway certificate and verified;" \
    "the real build is $(sed -n 's/^signed=//p' "$B/build-stats.txt" 2>/dev/null || echo unknown)"

[ "$failures" -eq 0 ] || die "$failures installer check(s) failed"
log "installer checks passed"
