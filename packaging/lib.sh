# Shared helpers for the packaging scripts (sourced, not run). Bash, `set -euo pipefail` assumed.

# The repository root, whichever script sourced us.
REPO_ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"

log() { printf '\033[1m[%s] %s\033[0m\n' "$(basename "$0")" "$*" >&2; }
die() { printf '\033[1;31m[%s] ERROR: %s\033[0m\n' "$(basename "$0")" "$*" >&2; exit 1; }

# The single source of the version: workbench/__init__.py's `__version__ = "X.Y.Z"`.
app_version() {
  local v
  v="$(sed -n 's/^__version__ = "\([^"]*\)"$/\1/p' "$REPO_ROOT/workbench/__init__.py")"
  [ -n "$v" ] || die "no __version__ = \"...\" line in workbench/__init__.py"
  printf '%s\n' "$v"
}

# Debian's own interpreter: it has python3-venv and a shared libpython (PyInstaller needs that;
# a pyenv build often lacks it).
host_python() {
  if [ -x /usr/bin/python3 ]; then echo /usr/bin/python3; else command -v python3; fi
}

# Install the named Debian packages if any is missing (apt-get update first). Needs root or sudo.
ensure_debs() {
  local missing=() p sudo=""
  for p in "$@"; do
    dpkg-query -W -f='${db:Status-Abbrev}' "$p" 2>/dev/null | grep -q '^ii' || missing+=("$p")
  done
  [ "${#missing[@]}" -eq 0 ] && return 0
  command -v apt-get >/dev/null || die "missing Debian packages (${missing[*]}) and no apt-get"
  if [ "$(id -u)" -ne 0 ]; then
    command -v sudo >/dev/null || die "installing ${missing[*]} needs root (or sudo)"
    sudo="sudo"
  fi
  log "installing Debian packages: ${missing[*]}"
  $sudo apt-get update -qq
  DEBIAN_FRONTEND=noninteractive $sudo apt-get install -y -qq --no-install-recommends \
    "${missing[@]}" >/dev/null || die "apt-get could not install: ${missing[*]}"
}

# Size of a file or directory in MB (10^6 bytes), one decimal.
size_mb() { du -sb "$1" | awk '{printf "%.1f", $1 / 1e6}'; }
