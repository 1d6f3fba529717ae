#!/usr/bin/env bash
# Run the INSTALLED Windows app under wine 8 on Debian (no Windows needed):
#   packaging/check-wine-app.sh SETUP.exe [NEWER_SETUP.exe]
# In a fresh, throwaway WINEPREFIX with the test-only DLLs of packaging/wine/ (icuuc and
# bcryptprimitives stubs, ucrtbase and cfgmgr32 proxies; built here from their sources, never in
# the installer):
#   the installer's pages (screenshots, then Cancel) -> silent install -> the installed app's
#   --version -> --self-test through the Start-menu shortcut (DLMS Workbench.exe ->
#   Python\pythonw.exe, output read from the launcher's log file) on Xvfb with Qt's "windows"
#   platform -> a --screenshot there, kept as an artefact ->
#   user data seeded (setting, connection profile, recording) ->
#   [NEWER_SETUP.exe installed over it: version, stale files gone, user data kept] ->
#   the uninstaller's confirmation page (screenshot) ->
#   silent uninstall: program, Start-menu entry, association and Add/Remove entry gone, user data
#   kept, and nothing else left in the prefix.
# Every failure names its step. Artefacts (screenshot, logs, timings) go to WINE_ARTIFACTS
# (default packaging/build/wine-check). KEEP_PREFIX=1 keeps the prefix for a look afterwards.
set -euo pipefail
source "$(dirname "$0")/lib.sh"

SETUP="$(realpath "${1:?usage: check-wine-app.sh SETUP.exe [NEWER_SETUP.exe]}")"
NEWER="${2:+$(realpath "$2")}"
ART="${WINE_ARTIFACTS:-$REPO_ROOT/packaging/build/wine-check}"
WINE=/usr/lib/wine/wine64
WINESERVER=/usr/lib/wine/wineserver64
APP_TIMEOUT=180        # seconds for any one run of the app (a self-test takes ~10 s on 2 cores)
STEP="start"
t_all=$SECONDS
times=()
XVFB_PID=""
WP=""

fail() { die "FAILED at step '$STEP': $*"; }
# shellcheck disable=SC2317  # called through the traps
on_exit() {
  local rc=$?
  [ -n "$WP" ] && WINEPREFIX="$WP" "$WINESERVER" -k >/dev/null 2>&1 || true
  [ -n "$XVFB_PID" ] && kill "$XVFB_PID" 2>/dev/null || true
  if [ -n "$WP" ] && [ "${KEEP_PREFIX:-0}" != 1 ]; then rm -rf "$WP"; fi
  [ -n "$WP" ] && [ "${KEEP_PREFIX:-0}" = 1 ] && log "prefix kept: $WP"
  return $rc
}
trap on_exit EXIT
trap 'printf "\033[1;31m[%s] FAILED at step %s (line %s)\033[0m\n" "$(basename "$0")" "$STEP" "$LINENO" >&2' ERR
step_start=$SECONDS
step() {   # step NAME: closes the previous step's timer and opens the next
  [ "$STEP" != start ] && times+=("$((SECONDS - step_start))s  $STEP")
  STEP="$1"
  step_start=$SECONDS
  log "--- $STEP"
}

# --- Debian packages, the test-only DLLs, a fresh prefix --------------------------------------
step "Debian packages (wine64, mingw-w64, Xvfb, fonts)"
ensure_debs wine64 gcc-mingw-w64-x86-64-win32 binutils-mingw-w64-x86-64 xvfb fonts-dejavu-core \
  binutils python3 xdotool x11-apps
[ -x "$WINE" ] || fail "$WINE missing after installing wine64"
rm -rf "$ART"
mkdir -p "$ART"

step "build the test-only DLLs (packaging/wine)"
bash "$REPO_ROOT/packaging/wine/build-dlls.sh" "$ART/dlls" 2> "$ART/dlls.log" \
  || { cat "$ART/dlls.log" >&2; fail "could not build the DLLs"; }
tail -n 1 "$ART/dlls.log" >&2

step "fresh wine prefix"
WP="$(mktemp -d /tmp/wb-wine.XXXXXX)"
# No Mono/Gecko prompts; wine's own chatter off; our proxies before wine's builtin DLLs.
export WINEPREFIX="$WP" WINEDEBUG=-all WINEDLLOVERRIDES="mscoree,mshtml=;ucrtbase,cfgmgr32=n,b"
# Xvfb on a free display number (-displayfd). Every wine process of this prefix gets it: the
# first one fixes the session's display driver, and a window created in a session started
# without DISPLAY never reaches the screen.
exec 9<> <(:)
Xvfb -displayfd 9 -screen 0 1366x768x24 -nolisten tcp > "$ART/xvfb.log" 2>&1 &
XVFB_PID=$!
read -r -t 20 -u 9 display_no || fail "Xvfb did not start (see $ART/xvfb.log)"
exec 9<&-
XDISPLAY=":$display_no"
export DISPLAY="$XDISPLAY"
"$WINE" wineboot -i </dev/null 2>&1 | cat >/dev/null
"$WINESERVER" -w
cp "$ART"/dlls/{icuuc,bcryptprimitives,ucrtbase,ucrtbase_wine,cfgmgr32,cfgmgr32_wine}.dll \
  "$WP/drive_c/windows/system32/"
user_dir="$(echo "$WP"/drive_c/users/*/AppData)"
user_dir="${user_dir%/AppData}"
[ -d "$user_dir/AppData/Local" ] || fail "no user profile in the new prefix"
win_user="$(basename "$user_dir")"
DIR="$user_dir/AppData/Local/Programs/DLMS Workbench"
WDIR="C:\\users\\$win_user\\AppData\\Local\\Programs\\DLMS Workbench"
LNK="$user_dir/AppData/Roaming/Microsoft/Windows/Start Menu/Programs/DLMS Workbench.lnk"
WLNK="C:\\users\\$win_user\\AppData\\Roaming\\Microsoft\\Windows\\Start Menu\\Programs\\DLMS Workbench.lnk"
LAUNCH_LOG="$user_dir/AppData/Roaming/DLMS_Workbench.launch.pyw.log"
UNINSTALL_KEY='HKCU\Software\Microsoft\Windows\CurrentVersion\Uninstall\DLMS Workbench'
# Every file and folder of the new prefix except wine's own C:\windows (which wine rewrites).
snapshot() { (cd "$WP/drive_c" && find . -path ./windows -prune -o -print | sort); }
snapshot > "$ART/prefix-before.txt"


# A Windows program's stdout must be a pipe (a regular file makes Python fail at start with
# WinError 6), hence "| cat"/"| tee"; stdin from /dev/null. wine hides QT_* variables: WINEQT_X
# arrives as QT_X. Returns the program's exit code.
run_win() {   # run_win LOGFILE [VAR=VALUE...] -- PROGRAM ARGS...
  local out="$1" envs=()
  shift
  while [ "$1" != -- ]; do envs+=("$1"); shift; done
  shift
  local rc=0
  if env "${envs[@]}" timeout --kill-after=10 "$APP_TIMEOUT" "$WINE" "$@" </dev/null 2>&1 \
      | tr -d '\r' | tee "$out" >&2; then
    rc=0
  else
    rc=${PIPESTATUS[0]}   # the program's status, not tee's
  fi
  return "$rc"
}
# Screenshots of wine's own windows (installer pages): xwd of the window, converted to PNG.
wait_window() {   # wait_window TITLE-REGEX -> the window id, once it is visible
  timeout 90 env DISPLAY="$XDISPLAY" xdotool search --sync --onlyvisible --name "$1" 2>/dev/null | head -n 1
}
gui_shot() {   # gui_shot WINDOW-ID OUT.png
  DISPLAY="$XDISPLAY" xwd -silent -id "$1" > "$2.xwd" \
    && python3 "$REPO_ROOT/packaging/wine/xwd2png.py" "$2.xwd" "$2" && rm -f "$2.xwd"
}
keys() { DISPLAY="$XDISPLAY" xdotool "$@"; }
reg_has() { "$WINE" reg query "$1" </dev/null 2>/dev/null | tr -d '\r' | grep -F -- "${2:-}" >/dev/null; }

# --- install --------------------------------------------------------------------------------
install_setup() {   # install_setup SETUP VERSION
  run_win "$ART/install-$2.log" -- "$1" /S || fail "$(basename "$1") /S exited with $?"
  "$WINESERVER" -w
  local f
  for f in "DLMS Workbench.exe" Python/python311.dll Python/pythonw.exe DLMS_Workbench.launch.pyw \
           pkgs/workbench/__main__.py uninstall.exe workbench.ico licenses/THIRD_PARTY_LICENSES.md \
           "licenses/dlms-workbench-$2/LICENSE"; do
    [ -e "$DIR/$f" ] || fail "not installed: $DIR/$f"
  done
  [ -e "$LNK" ] || fail "no Start-menu shortcut $LNK"
  # The shortcut runs the launcher (strings -el: the .lnk's UTF-16 strings).
  strings -el "$LNK" | grep -F 'DLMS Workbench.exe' >/dev/null || fail "the Start-menu shortcut does not run DLMS Workbench.exe"
  reg_has 'HKCU\Software\Classes\.wbcap' DLMSWorkbench.wbcap || fail ".wbcap is not associated with DLMSWorkbench.wbcap"
  reg_has 'HKCU\Software\Classes\DLMSWorkbench.wbcap\shell\open\command' 'DLMS Workbench.exe" "%1"' \
    || fail "no .wbcap open command running DLMS Workbench.exe"
  reg_has "$UNINSTALL_KEY" "$2" || fail "Add/Remove entry does not show version $2"
  reg_has "$UNINSTALL_KEY" EstimatedSize || fail "Add/Remove entry has no EstimatedSize"
}

VERSION="$(sed -n 's/^DLMS-Workbench-\(.*\)-setup\.exe$/\1/p' <<<"$(basename "$SETUP")")"
[ -n "$VERSION" ] || fail "cannot read the version from $(basename "$SETUP")"

step "installer pages on Xvfb (licence, install mode, folder and space required), then Cancel"
# The interactive installer, page by page (Return = the default button), each page kept as a
# screenshot; Escape and Return (yes, quit) cancel before anything is installed.
{ DISPLAY="$XDISPLAY" "$WINE" "$SETUP" </dev/null 2>&1 | cat > "$ART/installer-gui.log"; } &
gui_pid=$!
win="$(wait_window "DLMS Workbench $VERSION Setup")"
[ -n "$win" ] || fail "the installer's window did not appear"
sleep 1
keys windowfocus --sync "$win"
for page in 1-licence 2-install-mode 3-folder-and-space; do
  keys key Return
  sleep 1.5
  gui_shot "$win" "$ART/installer-page-$page.png" || fail "no screenshot of installer page $page"
done
keys key Escape
sleep 1
keys key Return
timeout 30 "$WINESERVER" -w || fail "the cancelled installer did not exit"
wait "$gui_pid" || true
[ ! -e "$DIR" ] || fail "cancelling the installer left $DIR"
log "installer pages: $ART/installer-page-*.png"

step "silent install of $(basename "$SETUP")"
install_setup "$SETUP" "$VERSION"
log "installed: $(du -sm "$DIR" | cut -f1) MB in $DIR"

step "installed app --version (python.exe)"
run_win "$ART/version.log" -- "$DIR/Python/python.exe" "$DIR/DLMS_Workbench.launch.pyw" --version \
  || fail "--version exited with $?"
[ "$(cat "$ART/version.log")" = "DLMS Workbench $VERSION" ] || fail "--version said '$(cat "$ART/version.log")'"

step "--self-test through the Start-menu shortcut (pythonw.exe, Xvfb, windows platform)"
# "start /wait <shortcut>" opens the .lnk the way Explorer does: the launcher, then pythonw.exe
# with no console, whose output the launch script writes to %APPDATA%\...launch.pyw.log. The
# shell does not hand back the exit code of a shortcut, so the verdict is that log.
rm -f "$LAUNCH_LOG"
run_win "$ART/shortcut-start.log" DISPLAY="$XDISPLAY" WINEQT_QPA_PLATFORM=windows -- \
  start /wait "$WLNK" --self-test || fail "'start /wait' of the shortcut exited with $?"
"$WINESERVER" -w
[ -f "$LAUNCH_LOG" ] || fail "the launcher wrote no log ($LAUNCH_LOG): the app did not start"
tr -d '\r' < "$LAUNCH_LOG" > "$ART/self-test-pythonw.log"
cat "$ART/self-test-pythonw.log" >&2
grep '^self-test ok' "$ART/self-test-pythonw.log" >/dev/null \
  || fail "no 'self-test ok' in the launcher's log (copied to $ART/self-test-pythonw.log)"
# The same through the launcher directly, which hands back the exit code.
rm -f "$LAUNCH_LOG"
run_win "$ART/launcher-exit.log" DISPLAY="$XDISPLAY" WINEQT_QPA_PLATFORM=windows -- \
  "$DIR/DLMS Workbench.exe" --version || fail "DLMS Workbench.exe --version exited with $?"
tr -d '\r' < "$LAUNCH_LOG" | grep -x "DLMS Workbench $VERSION" >/dev/null || fail "DLMS Workbench.exe --version did not log the version"

step "--screenshot on Xvfb (windows platform)"
SHOT="$ART/workbench-wine-windows-platform.png"
wshot="$(WINEPREFIX="$WP" "$WINE" winepath -w "$SHOT" 2>/dev/null | tr -d '\r')"
# The app saves its own rendering (--screenshot); meanwhile the X server's copy of its window
# (xwd) shows that wine's X11 driver really put it on the screen.
run_win "$ART/screenshot.log" DISPLAY="$XDISPLAY" WINEQT_QPA_PLATFORM=windows -- \
  "$DIR/Python/python.exe" "$DIR/DLMS_Workbench.launch.pyw" --demo --screenshot "$wshot" --after 6 &
app_pid=$!
app_win="$(wait_window 'DLMS Workbench [0-9]')" || true   # "<meter> — DLMS Workbench X.Y.Z"
if [ -n "$app_win" ]; then
  sleep 3
  gui_shot "$app_win" "$ART/workbench-wine-x11-window.png" || true
fi
wait "$app_pid" || fail "--screenshot exited with $?"
[ -n "$app_win" ] && [ -s "$ART/workbench-wine-x11-window.png" ] \
  || fail "the app's window never appeared on the X server"
[ -s "$SHOT" ] || fail "no screenshot at $SHOT"
read -r width height < <(python3 -c 'import struct, sys
d = open(sys.argv[1], "rb").read(24)
assert d[:8] == b"\x89PNG\r\n\x1a\n", "not a PNG"
print(*struct.unpack(">II", d[16:24]))' "$SHOT") || fail "$SHOT is not a PNG"
[ "$width" -ge 800 ] && [ "$height" -ge 500 ] || fail "screenshot is only ${width}x${height}"
log "screenshot (artefact): $SHOT (${width}x${height}, $(stat -c %s "$SHOT") bytes)"

step "user data seeded (setting, connection profile, recording)"
USER_DATA_PY="$(WINEPREFIX="$WP" "$WINE" winepath -w "$REPO_ROOT/packaging/wine/user_data.py" 2>/dev/null | tr -d '\r')"
run_win "$ART/user-data-seed.log" -- "$DIR/Python/python.exe" "$USER_DATA_PY" seed "$VERSION" \
  || fail "seeding user data exited with $?"
# The folders the app keeps user data in, as Linux paths (for the checks after uninstall).
unix_path() { local p="${1#[Cc]:\\}"; printf '%s\n' "$WP/drive_c/${p//\\//}"; }
mapfile -t data_dirs < <(sed -n 's/^dir [a-z]* //p' "$ART/user-data-seed.log" | while read -r p; do
  unix_path "$p"; done)
[ "${#data_dirs[@]}" -ge 3 ] || fail "user_data.py named no data folders"
for d in "${data_dirs[@]}"; do
  case "$d" in "$DIR"*) fail "user data folder $d is inside the program folder: uninstall would delete it" ;; esac
done

# --- upgrade --------------------------------------------------------------------------------
if [ -n "$NEWER" ]; then
  NEW_VERSION="$(sed -n 's/^DLMS-Workbench-\(.*\)-setup\.exe$/\1/p' <<<"$(basename "$NEWER")")"
  step "upgrade: $(basename "$NEWER") installed over $VERSION"
  [ -n "$NEW_VERSION" ] && [ "$NEW_VERSION" != "$VERSION" ] || fail "the newer installer must have another version"
  # A module the new version does not ship must not survive (pkgs\ is replaced whole).
  echo 'raise ImportError("stale module from the old version")' > "$DIR/pkgs/workbench/_stale_module.py"
  install_setup "$NEWER" "$NEW_VERSION"
  [ ! -e "$DIR/pkgs/workbench/_stale_module.py" ] || fail "a stale module of $VERSION survived the upgrade"
  [ ! -e "$DIR/licenses/dlms-workbench-$VERSION" ] || fail "the licence folder of $VERSION survived the upgrade"
  run_win "$ART/version-upgraded.log" -- "$DIR/Python/python.exe" "$DIR/DLMS_Workbench.launch.pyw" --version \
    || fail "--version after the upgrade exited with $?"
  [ "$(cat "$ART/version-upgraded.log")" = "DLMS Workbench $NEW_VERSION" ] \
    || fail "after the upgrade --version said '$(cat "$ART/version-upgraded.log")'"

  step "upgrade kept the user's data"
  run_win "$ART/user-data-after-upgrade.log" -- "$DIR/Python/python.exe" "$USER_DATA_PY" check "$VERSION" \
    || fail "$(grep 'LOST' "$ART/user-data-after-upgrade.log" || echo "user data check exited with an error")"
fi

# --- uninstall ------------------------------------------------------------------------------
step "uninstaller's confirmation page on Xvfb (says user data is kept), then Cancel"
# _?= runs it in place: without it, it relaunches a copy from %TEMP%, whose window never shows
# under wine 8 when started this way.
{ DISPLAY="$XDISPLAY" "$WINE" "$DIR/uninstall.exe" "_?=$WDIR" </dev/null 2>&1 \
    | cat > "$ART/uninstaller-gui.log"; } &
gui_pid=$!
win="$(wait_window "DLMS Workbench .* Uninstall")"
[ -n "$win" ] || fail "the uninstaller's window did not appear"
sleep 1.5
gui_shot "$win" "$ART/uninstaller-confirm-page.png" || fail "no screenshot of the uninstaller"
keys windowfocus --sync "$win"
keys key Escape
timeout 30 "$WINESERVER" -w || fail "the cancelled uninstaller did not exit"
wait "$gui_pid" || true
[ -e "$DIR/uninstall.exe" ] || fail "cancelling the uninstaller removed files"
log "uninstaller page: $ART/uninstaller-confirm-page.png"

step "silent uninstall"
run_win "$ART/uninstall.log" -- "$DIR/uninstall.exe" /S || fail "uninstall.exe /S exited with $?"
"$WINESERVER" -w    # the uninstaller re-runs itself from %TEMP%: wait for that copy
[ ! -e "$DIR" ] || fail "the program folder is still there: $(cd "$DIR" && find . | head -n 5 | tr '\n' ' ')"
[ ! -e "$LNK" ] || fail "the Start-menu shortcut is still there"
[ ! -e "$LAUNCH_LOG" ] || fail "the launcher's log is still there"
reg_has 'HKCU\Software\Classes\.wbcap' && fail ".wbcap association left in the registry"
reg_has 'HKCU\Software\Classes\DLMSWorkbench.wbcap' && fail "DLMSWorkbench.wbcap class left in the registry"
reg_has "$UNINSTALL_KEY" && fail "Add/Remove Programs entry left in the registry"

step "uninstall kept the user's data and left nothing else"
tag="$VERSION"
rec="$(sed -n 's/^seeded: .*, recording \(.*\), setting .*/\1/p' "$ART/user-data-seed.log")"
prof="$(sed -n "s/^seeded: profile '[^']*' in \(.*\), recording .*/\1/p" "$ART/user-data-seed.log")"
for p in "$rec" "$prof"; do
  u="$(unix_path "$p")"
  [ -f "$u" ] || fail "uninstall deleted the user's $p"
done
reg_has 'HKCU\Software\DLMS Workbench\workbench' "$tag" || fail "uninstall deleted the user's settings (registry)"
# Everything new in the prefix must be user data or temporary files.
snapshot > "$ART/prefix-after.txt"
comm -13 "$ART/prefix-before.txt" "$ART/prefix-after.txt" > "$ART/prefix-new.txt"
allowed=("./users/$win_user/Temp" "./users/$win_user/AppData/Local/Temp")
# %LOCALAPPDATA%\Programs is Windows' per-user program files folder; it may stay, empty.
programs="./users/$win_user/AppData/Local/Programs"
for d in "${data_dirs[@]}"; do allowed+=(".${d#"$WP/drive_c"}"); done
leftovers="$(while read -r p; do
  ok=0
  for a in "${allowed[@]}"; do
    case "$p" in "$a"|"$a"/*) ok=1 ;; esac
    # parents of an allowed folder (e.g. AppData/Local/dlms-workbench) are fine too
    case "$a" in "$p"/*) ok=1 ;; esac
  done
  [ "$p" = "$programs" ] && ok=1
  [ "$ok" = 1 ] || echo "$p"
done < "$ART/prefix-new.txt")"
[ -z "$leftovers" ] || fail "uninstall left files outside the user-data folders: $(head -n 8 <<<"$leftovers" | tr '\n' ' ')"
log "kept user data: $(grep -c . "$ART/prefix-new.txt") new paths, all in: ${allowed[*]}"
step "done"

printf '%s\n' "${times[@]}" > "$ART/timings.txt"
log "installed-app checks under wine passed in $((SECONDS - t_all))s; per step:"
sed 's/^/  /' "$ART/timings.txt" >&2
log "artefacts: $ART (screenshot: $SHOT)"
