#!/usr/bin/env bash
# Set up a fresh Debian/Ubuntu machine for DLMS Workbench: system libraries Qt needs, then
# a virtualenv in .venv with the workbench installed (editable). `--test` adds test tools.
# Safe to run again: it installs only what is missing.
set -euo pipefail
cd "$(dirname "$0")/.."

extras=""
[ "${1:-}" = "--test" ] && extras="[test]"

# Qt (PySide6) needs these shared libraries even offscreen; fonts so text is not tofu.
debs="python3-venv libegl1 libgl1 libxkbcommon0 libfontconfig1 libdbus-1-3 fonts-dejavu-core"
# glib is libglib2.0-0 on Debian 12, libglib2.0-0t64 on Debian 13.
if ! ldconfig -p 2>/dev/null | grep -q 'libglib-2.0.so.0'; then debs="$debs libglib2.0-0"; fi
# Xvfb and the xcb plugin's libraries, to run the window on a virtual screen.
debs="$debs xvfb xauth libxcb-cursor0 libxcb-icccm4 libxcb-image0 libxcb-keysyms1 libxcb-render-util0 libxcb-shape0 libxkbcommon-x11-0"
# Tests also check our pcapng files with Wireshark's own reader.
if [ -n "$extras" ]; then debs="$debs tshark"; fi
missing=""
for p in $debs; do
  dpkg-query -W -f='${db:Status-Abbrev}' "$p" 2>/dev/null | grep -q '^ii' || missing="$missing $p"
done
if [ -n "$missing" ] && command -v apt-get >/dev/null; then
  sudo=""; [ "$(id -u)" -ne 0 ] && sudo="sudo"
  $sudo apt-get update -qq
  # shellcheck disable=SC2086
  DEBIAN_FRONTEND=noninteractive $sudo apt-get install -y -qq --no-install-recommends $missing \
    || { echo "apt-get could not install:$missing (try libglib2.0-0t64 on Debian 13)" >&2; exit 1; }
fi

[ -x .venv/bin/python ] || python3 -m venv .venv
.venv/bin/python -m pip install -q --upgrade pip
.venv/bin/python -m pip install -q -e ".$extras"
