#!/usr/bin/env bash
# Build the two TEST-ONLY DLLs that let the installed app run under wine 8 (see README.md here):
#   packaging/wine/build-dlls.sh OUT_DIR [WINE_UCRTBASE_DLL]
# -> OUT_DIR/icuuc.dll, OUT_DIR/ucrtbase.dll (the proxy), OUT_DIR/ucrtbase_wine.dll (a copy of
#    wine's own), OUT_DIR/ucrtbase.def. They go into a throwaway WINEPREFIX's system32, never into
#    the installer. Reproducible: no timestamps, stripped, same inputs -> same bytes.
set -euo pipefail
HERE="$(cd "$(dirname "$0")" && pwd)"
OUT="${1:?usage: build-dlls.sh OUT_DIR [WINE_UCRTBASE_DLL]}"
WINE_UCRT="${2:-/usr/lib/x86_64-linux-gnu/wine/x86_64-windows/ucrtbase.dll}"
CC=x86_64-w64-mingw32-gcc
NM=x86_64-w64-mingw32-nm
[ -f "$WINE_UCRT" ] || { echo "build-dlls.sh: no wine ucrtbase.dll at $WINE_UCRT" >&2; exit 1; }
mkdir -p "$OUT"
# -nostdlib --entry=0: no C runtime start-up code, no DllMain; --no-insert-timestamp: same bytes
# every build; no image base derived from the output path; -ffile-prefix-map: no build path.
common=(-O2 -Wall -Werror -shared -nostdlib -Wl,--entry=0 -Wl,--no-insert-timestamp
        -Wl,--disable-auto-image-base -s
        "-ffile-prefix-map=$HERE=.")

# icuuc.dll: 20 no-op converter functions, no imports.
"$CC" "${common[@]}" -o "$OUT/icuuc.dll" "$HERE/icuuc_stub.c"

# ucrtbase.dll: the 79 complex functions (mingw's libm does the arithmetic; it needs msvcrt.dll
# for errno, which wine has) + forwarders for every other export of wine's ucrtbase.
"$CC" -O2 -Wall -Werror "-ffile-prefix-map=$HERE=." -c -o "$OUT/ucrtbase_complex.o" "$HERE/ucrtbase_complex.c"
"$NM" -g --defined-only "$OUT/ucrtbase_complex.o" | awk '$3 ~ /^wb_/ {print substr($3, 4)}' \
  > "$OUT/implemented.txt"
python3 "$HERE/make_ucrtbase_def.py" "$WINE_UCRT" "$OUT/implemented.txt" "$OUT/ucrtbase.def" >&2
"$CC" "${common[@]}" -o "$OUT/ucrtbase.dll" "$OUT/ucrtbase_complex.o" "$OUT/ucrtbase.def" \
  -lmingwex -lmingw32 -lmsvcrt -lkernel32 -lgcc
cp "$WINE_UCRT" "$OUT/ucrtbase_wine.dll"
rm -f "$OUT/ucrtbase_complex.o"
echo "build-dlls.sh: $(wc -l < "$OUT/implemented.txt") complex functions; $(cd "$OUT" && sha256sum icuuc.dll ucrtbase.dll | tr '\n' ' ')" >&2
