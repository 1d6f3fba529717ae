#!/usr/bin/env bash
# CI packaging checks (called by .ci/run): build the Windows installer, check it (contents, size,
# silent install/uninstall under wine), freeze the app for Linux and self-test the bundle
# headless. Each step is timed and bounded; all run even if one fails, and the summary says which.
set -euo pipefail
source "$(dirname "$0")/lib.sh"

STEP_TIMEOUT=900   # seconds; the three together take ~3-4 min on 2 cores with cold caches
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
step "build Windows installer" bash "$REPO_ROOT/packaging/build-installer.sh"
step "check Windows installer" bash "$REPO_ROOT/packaging/check-installer.sh"
step "frozen Linux bundle self-test" bash "$REPO_ROOT/packaging/build-frozen.sh"

log "packaging summary ($((SECONDS - t_all))s):"
printf '  %s\n' "${summary[@]}" >&2
stats="$REPO_ROOT/packaging/windows/build/build-stats.txt"
[ -f "$stats" ] && sed 's/^/  installer: /' "$stats" >&2
frozen="$REPO_ROOT/packaging/build/frozen/stats.txt"
[ -f "$frozen" ] && sed 's/^/  frozen: /' "$frozen" >&2
echo "packaging: $passed passed, $failed failed"
[ "$failed" -eq 0 ]
