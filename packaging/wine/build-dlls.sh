#!/usr/bin/env bash
# Build the TEST-ONLY DLLs that let the installed app run under wine 8 (see packaging/README.md):
#   packaging/wine/build-dlls.sh OUT_DIR [WINE_DLL_DIR]
# -> OUT_DIR/icuuc.dll, OUT_DIR/bcryptprimitives.dll, and two proxies with a copy of the wine DLL
#    they forward to: OUT_DIR/ucrtbase.dll + ucrtbase_wine.dll, OUT_DIR/cfgmgr32.dll +
#    cfgmgr32_wine.dll (and their .def files). They go into a throwaway WINEPREFIX's system32,
#    never into the installer. Reproducible: same inputs -> same bytes.
set -euo pipefail
HERE="$(cd "$(dirname "$0")" && pwd)"
OUT="${1:?usage: build-dlls.sh OUT_DIR [WINE_DLL_DIR]}"
WINE_DLLS="${2:-/usr/lib/x86_64-linux-gnu/wine/x86_64-windows}"
CC=x86_64-w64-mingw32-gcc
NM=x86_64-w64-mingw32-nm
mkdir -p "$OUT"
# -nostdlib --entry=0: no C runtime start-up code, no DllMain; --no-insert-timestamp: same bytes
# every build; no image base derived from the output path; -ffile-prefix-map: no build path.
common=(-O2 -Wall -Werror -shared -nostdlib -Wl,--entry=0 -Wl,--no-insert-timestamp
        -Wl,--disable-auto-image-base -s "-ffile-prefix-map=$HERE=.")

# icuuc.dll: 20 no-op converter functions (Qt6Core imports them), no imports.
"$CC" "${common[@]}" -o "$OUT/icuuc.dll" "$HERE/icuuc_stub.c"

# bcryptprimitives.dll: ProcessPrng (cryptography's Rust extension) over BCryptGenRandom.
"$CC" "${common[@]}" -o "$OUT/bcryptprimitives.dll" "$HERE/bcryptprimitives_stub.c" -lbcrypt

proxy() {   # proxy NAME SOURCE LIBS...: NAME.dll = SOURCE's wb_* functions + forwarders
  local name="$1" src="$2"
  shift 2
  [ -f "$WINE_DLLS/$name.dll" ] || { echo "build-dlls.sh: no wine $name.dll in $WINE_DLLS" >&2; exit 1; }
  "$CC" -O2 -Wall -Werror "-ffile-prefix-map=$HERE=." -c -o "$OUT/$name.o" "$HERE/$src"
  "$NM" -g --defined-only "$OUT/$name.o" | awk '$3 ~ /^wb_/ {print substr($3, 4)}' \
    > "$OUT/$name.implemented.txt"
  python3 "$HERE/make_proxy_def.py" "$WINE_DLLS/$name.dll" "$OUT/$name.implemented.txt" \
    "$OUT/$name.def" >&2
  "$CC" "${common[@]}" -o "$OUT/$name.dll" "$OUT/$name.o" "$OUT/$name.def" "$@"
  cp "$WINE_DLLS/$name.dll" "$OUT/${name}_wine.dll"
  rm -f "$OUT/$name.o"
}
# ucrtbase.dll: the 79 complex functions wine 8 leaves as stubs (mingw's libm does the
# arithmetic; it needs msvcrt.dll for errno, which wine has) + forwarders for the rest.
proxy ucrtbase ucrtbase_complex.c -lmingwex -lmingw32 -lmsvcrt -lkernel32 -lgcc
# cfgmgr32.dll: CM_MapCrToWin32Err (pyserial looks it up on import) + forwarders.
proxy cfgmgr32 cfgmgr32_proxy.c

echo "build-dlls.sh: $(wc -l < "$OUT/ucrtbase.implemented.txt") complex functions;" \
  "$(cd "$OUT" && sha256sum icuuc.dll bcryptprimitives.dll ucrtbase.dll cfgmgr32.dll | tr '\n' ' ')" >&2
