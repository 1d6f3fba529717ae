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

# A Windows 4-part numeric version (VIProductVersion, VERSIONINFO) from "X.Y.Z[anything]":
# the leading numeric release parts, padded with zeros (0.1.0rc1 -> 0.1.0.0).
vi_version() {
  local nums
  nums="$(grep -oE '^[0-9]+(\.[0-9]+){0,3}' <<<"$1")" || die "version '$1' does not start with a number"
  while [ "$(tr -cd . <<<"$nums" | wc -c)" -lt 3 ]; do nums="$nums.0"; done
  printf '%s\n' "$nums"
}

# Authenticode-sign the PE file $1 in place with osslsigncode when WB_SIGN_PKCS12 (path of a
# .pfx/.p12 holding the certificate and key) and WB_SIGN_PASSWORD are set in the environment;
# WB_SIGN_TIMESTAMP_URL (an RFC 3161 server) is used when set. Prints "signed" or "unsigned".
# Never keep a certificate in the repository: CI passes it in from its secret store.
sign_pe() {
  local file="$1" pass tsa=()
  if [ -z "${WB_SIGN_PKCS12:-}" ] || [ -z "${WB_SIGN_PASSWORD:-}" ]; then
    echo unsigned
    return 0
  fi
  [ -f "$WB_SIGN_PKCS12" ] || die "WB_SIGN_PKCS12=$WB_SIGN_PKCS12: no such file"
  pass="$(mktemp)"   # the password goes through a file, not the command line (ps shows that)
  printf '%s' "$WB_SIGN_PASSWORD" > "$pass"
  [ -n "${WB_SIGN_TIMESTAMP_URL:-}" ] && tsa=(-ts "$WB_SIGN_TIMESTAMP_URL")
  if ! osslsigncode sign -pkcs12 "$WB_SIGN_PKCS12" -readpass "$pass" -h sha256 \
      -n "DLMS Workbench" "${tsa[@]}" -in "$file" -out "$file.signed" >"$file.sign.log" 2>&1; then
    rm -f "$pass" "$file.signed"
    cat "$file.sign.log" >&2
    die "osslsigncode could not sign $file"
  fi
  rm -f "$pass" "$file.sign.log"
  mv "$file.signed" "$file"
  echo signed
}
