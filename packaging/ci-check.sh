#!/usr/bin/env bash
# CI packaging checks (called by .ci/run): build the Windows installer and check it (contents,
# size, version resources, signing path); build a "next version" of it and run the INSTALLED app
# under wine 8 (install, --version, self-test through the Start-menu shortcut, screenshot on
# Xvfb, upgrade keeping the user's data, uninstall leaving only that data); freeze the app for
# Linux and self-test the bundle headless. Each step is timed and bounded; all run even if one
# fails, and the summary says which. Installs the Debian packages it needs (root or sudo).
set -euo pipefail
source "$(dirname "$0")/lib.sh"

STEP_TIMEOUT=900   # seconds per step; all five take ~5 min on 2 cores once apt is done
export QT_QPA_PLATFORM=offscreen

passed=0
failed=0
summary=()
step() {
  local name="$1" t0=$SECONDS rc=0
  shift
  log "=== $name"
  timeout --kill-after=30 "$STEP_TIMEOUT" "$@" || rc=$?
  local took=$((SECONDS - t0))
  if [ "$rc" -eq 0 ]; then
    passed=$((passed + 1)); summary+=("ok     ${took}s  $name")
  else
    local why="exit $rc"
    [ "$rc" -eq 124 ] && why="timed out after ${STEP_TIMEOUT}s"
    failed=$((failed + 1)); summary+=("FAILED ${took}s  $name ($why)")
  fi
}

t_all=$SECONDS
VERSION="$(app_version)"
# "N+1" for the upgrade test: the same sources built as the next patch version (never released;
# zlib instead of solid LZMA, so it builds in ~30 s instead of ~90 s).
IFS=. read -r v_major v_minor v_patch _ <<<"$(vi_version "$VERSION")"
NEXT_VERSION="$v_major.$v_minor.$((v_patch + 1))"
SETUP="$REPO_ROOT/packaging/windows/build/DLMS-Workbench-$VERSION-setup.exe"
UPGRADE_DIR="$REPO_ROOT/packaging/build/upgrade-installer"
WINE_ART="$REPO_ROOT/packaging/build/wine-check"

step "build Windows installer" bash "$REPO_ROOT/packaging/build-installer.sh"
step "check Windows installer (contents, size, resources, signing path)" \
  bash "$REPO_ROOT/packaging/check-installer.sh"
step "build upgrade-test installer $NEXT_VERSION" \
  env WB_VERSION="$NEXT_VERSION" WB_BUILD_DIR="$UPGRADE_DIR" WB_FAST_COMPRESS=1 \
  bash "$REPO_ROOT/packaging/build-installer.sh"
step "installed app under wine (install, self-test, screenshot, upgrade, uninstall)" \
  env WINE_ARTIFACTS="$WINE_ART" bash "$REPO_ROOT/packaging/check-wine-app.sh" "$SETUP" \
  "$UPGRADE_DIR/DLMS-Workbench-$NEXT_VERSION-setup.exe"
step "frozen Linux bundle self-test" bash "$REPO_ROOT/packaging/build-frozen.sh"

log "packaging summary ($((SECONDS - t_all))s):"
printf '  %s\n' "${summary[@]}" >&2
stats="$REPO_ROOT/packaging/windows/build/build-stats.txt"
[ -f "$stats" ] && sed 's/^/  installer: /' "$stats" >&2
frozen="$REPO_ROOT/packaging/build/frozen/stats.txt"
[ -f "$frozen" ] && sed 's/^/  frozen: /' "$frozen" >&2
[ -f "$WINE_ART/timings.txt" ] && sed 's/^/  wine: /' "$WINE_ART/timings.txt" >&2
[ -f "$WINE_ART/workbench-wine-windows-platform.png" ] \
  && echo "  artefact: $WINE_ART/workbench-wine-windows-platform.png (the installed app's window, drawn under wine on Xvfb)" >&2
echo "packaging: $passed passed, $failed failed"
[ "$failed" -eq 0 ]
