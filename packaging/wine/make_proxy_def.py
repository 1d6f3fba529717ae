"""Write the .def of a test-only proxy DLL (ucrtbase_complex.c, cfgmgr32_proxy.c).

    python3 make_proxy_def.py WINE_DLL IMPLEMENTED_TXT OUT_DIR/<name>.def

The proxy is <name>.dll. Every name that wine's own DLL exports becomes a forwarder to the copy
of that DLL saved as <name>_wine.dll (``name=<name>_wine.name``), except the names listed in
IMPLEMENTED_TXT (one per line: the proxy object's wb_* symbols without the prefix), which the
proxy exports itself (``name=wb_name``). The export table is read from the PE file directly, so
the forwarders follow whatever wine version is installed.
"""

from __future__ import annotations

import struct
import sys
from pathlib import Path


def pe_export_names(data: bytes) -> list[str]:
    """The named exports of a PE32+ DLL, in export-table order."""
    if data[:2] != b"MZ":
        raise ValueError("not a PE file (no MZ header)")
    pe = struct.unpack_from("<I", data, 0x3C)[0]
    if data[pe:pe + 4] != b"PE\0\0":
        raise ValueError("not a PE file (no PE signature)")
    sections = struct.unpack_from("<H", data, pe + 6)[0]
    opt_size = struct.unpack_from("<H", data, pe + 20)[0]
    opt = pe + 24
    magic = struct.unpack_from("<H", data, opt)[0]
    if magic != 0x20B:
        raise ValueError("not a 64-bit (PE32+) DLL")
    export_rva, _ = struct.unpack_from("<II", data, opt + 112)   # data directory 0: exports
    table = [struct.unpack_from("<IIII", data, opt + opt_size + 40 * i + 8)
             for i in range(sections)]

    def offset(rva: int) -> int:
        for vsize, vaddr, rsize, raw in table:
            if vaddr <= rva < vaddr + max(vsize, rsize):
                return rva - vaddr + raw
        raise ValueError(f"RVA {rva:#x} is in no section")

    exp = offset(export_rva)
    count = struct.unpack_from("<I", data, exp + 24)[0]
    names_rva = struct.unpack_from("<I", data, exp + 32)[0]
    names = []
    for i in range(count):
        start = offset(struct.unpack_from("<I", data, offset(names_rva) + 4 * i)[0])
        names.append(data[start:data.index(b"\0", start)].decode("ascii"))
    return names


def main(argv: list[str]) -> int:
    if len(argv) != 3:
        print(__doc__, file=sys.stderr)
        return 2
    dll, implemented_txt, out = map(Path, argv)
    exported = pe_export_names(dll.read_bytes())
    implemented = sorted({line.strip() for line in implemented_txt.read_text().splitlines()
                          if line.strip()})
    unknown = sorted(set(implemented) - set(exported))
    if unknown:
        print(f"{dll} does not export {', '.join(unknown)}: the proxy adds them.",
              file=sys.stderr)
    module = out.stem
    lines = [f"LIBRARY {module}.dll", "EXPORTS"]
    for name in sorted(set(exported) | set(implemented)):
        target = f"wb_{name}" if name in implemented else f"{module}_wine.{name}"
        lines.append(f"    {name}={target}")
    out.write_text("\n".join(lines) + "\n")
    print(f"{out}: {len(implemented)} functions implemented, "
          f"{len(set(exported) - set(implemented))} forwarded to {module}_wine.dll")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
