"""Convert an X window dump (xwd of an Xvfb TrueColor screen) to PNG, stdlib only.

    python3 xwd2png.py IN.xwd OUT.png
"""

import struct
import sys
import zlib
from pathlib import Path


def main(src: str, dst: str) -> int:
    data = Path(src).read_bytes()
    header_size, version = struct.unpack(">II", data[:8])
    if version != 7:
        raise SystemExit(f"{src}: not an XWD version 7 file")
    fields = struct.unpack(">25I", data[:100])
    pixmap_format, width, height, byte_order = fields[2], fields[4], fields[5], fields[7]
    bytes_per_line, ncolors = fields[12], fields[19]
    red_mask, green_mask, blue_mask = fields[14:17]
    # Xvfb's depth-24 screens store 4 bytes a pixel (xwd may report 24 bits per pixel).
    if pixmap_format != 2 or bytes_per_line < 4 * width:
        raise SystemExit(f"{src}: only 32-bit-per-pixel ZPixmap dumps are supported")
    pixels = data[header_size + 12 * ncolors:]
    fmt = "<I" if byte_order == 0 else ">I"

    def shift(mask: int) -> int:
        return (mask & -mask).bit_length() - 1

    rs, gs, bs = shift(red_mask), shift(green_mask), shift(blue_mask)
    rows = []
    for y in range(height):
        line = pixels[y * bytes_per_line:y * bytes_per_line + 4 * width]
        out = bytearray(b"\0")   # filter type 0 for this row
        for (v,) in struct.iter_unpack(fmt, line):
            out += bytes(((v & red_mask) >> rs, (v & green_mask) >> gs, (v & blue_mask) >> bs))
        rows.append(bytes(out))

    def chunk(kind: bytes, body: bytes) -> bytes:
        crc = struct.pack(">I", zlib.crc32(kind + body))
        return struct.pack(">I", len(body)) + kind + body + crc

    header = struct.pack(">IIBBBBB", width, height, 8, 2, 0, 0, 0)   # 8-bit RGB
    png = (b"\x89PNG\r\n\x1a\n" + chunk(b"IHDR", header)
           + chunk(b"IDAT", zlib.compress(b"".join(rows), 6)) + chunk(b"IEND", b""))
    Path(dst).write_bytes(png)
    return 0


if __name__ == "__main__":
    sys.exit(main(*sys.argv[1:3]))
