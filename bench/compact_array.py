"""Compact-array decoding and formatting on hostile input (issue 9). Prints numbers; not a test.

Run:  .venv/bin/python bench/compact_array.py

Each case is a compact-array whose type description makes a few input bytes stand for many
values (null-data members take no bytes on the wire), plus a plain large compact-array as a
control. For each: input size, outcome (values decoded, or the typed error), and the time to
decode and to format with ``format_data``. Decoding must stay linear in the input: the
budget of values per input byte turns an amplifying description into one DecodeError.
"""

from __future__ import annotations

import time
import tracemalloc
from collections.abc import Callable

from workbench.protocol.axdr import decode_data, format_data
from workbench.protocol.errors import ProtocolError


def _length(n: int) -> bytes:
    return bytes([n]) if n < 0x80 else b"\x82" + n.to_bytes(2, "big")


def nulls_then_unsigned(nulls: int, elements: int) -> bytes:
    """The issue's reproduction: compact-array of struct{null × nulls, unsigned}."""
    desc = b"\x02" + _length(nulls + 1) + b"\x00" * nulls + b"\x11"
    return b"\x13" + desc + _length(elements) + b"\x01" * elements


def plain_rows(rows: int) -> bytes:
    """Control: struct{long-unsigned, double-long-unsigned} × rows (6 bytes each)."""
    contents = b"".join(i.to_bytes(2, "big") + (i * 7).to_bytes(4, "big") for i in range(rows))
    length = len(contents)
    size = (length.bit_length() + 7) // 8
    return b"\x13\x02\x02\x12\x06" + bytes([0x80 | size]) + length.to_bytes(size, "big") + contents


def _timed(fn: Callable[[], object]) -> tuple[float, object]:
    start = time.perf_counter()
    try:
        result: object = fn()
    except ProtocolError as exc:
        result = exc
    return (time.perf_counter() - start) * 1000, result


def run(name: str, buf: bytes) -> None:
    """Time decode and format (best of 3), then measure peak memory in a separate pass."""
    decode_ms, result = min((_timed(lambda: decode_data(buf)[0]) for _ in range(3)),
                            key=lambda r: r[0])
    format_ms = 0.0
    if isinstance(result, ProtocolError):
        outcome = f"DecodeError: {str(result)[-70:]}"
    else:
        format_ms, text = _timed(lambda: format_data(result))  # type: ignore[arg-type]
        outcome = f"{len(result.value.values)} elements, {len(str(text))} chars"  # type: ignore[union-attr]
    tracemalloc.start()
    _timed(lambda: decode_data(buf)[0])
    peak = tracemalloc.get_traced_memory()[1] / 1e6
    tracemalloc.stop()
    print(f"{name:36} {len(buf):6} B  decode {decode_ms:7.2f} ms  format {format_ms:7.2f} ms"
          f"  peak {peak:6.1f} MB  {outcome}")


def main() -> None:
    run("issue: null×1000 + unsigned, 2 kB", nulls_then_unsigned(1000, 1000))
    run("null×4000 + unsigned, 8 kB", nulls_then_unsigned(4000, 4000))
    run("null×16000 + unsigned, 32 kB", nulls_then_unsigned(16000, 16000))
    run("null×30000 + unsigned × 2000, 32 kB", nulls_then_unsigned(30000, 2000))
    run("control: 5,400 plain rows, 32 kB", plain_rows(5400))


if __name__ == "__main__":
    main()
