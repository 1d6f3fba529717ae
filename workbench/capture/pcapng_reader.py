"""Reading pcapng captures: the blocks :mod:`.pcapng` writes, or any compatible writer's.

Every length comes from the file, so each is checked before it is used: a block must be
12..:data:`~.limits.MAX_BLOCK_BYTES` bytes, a multiple of 4, inside the file and equal to
its trailer; a block's fixed fields must fit in its body; a packet's captured length must
fit in the block. A failed check raises :class:`~.errors.CaptureFormatError` with the byte
offset of the block and what was expected, never a ``struct.error``.
"""

from __future__ import annotations

import struct
from pathlib import Path
from typing import Any

from workbench.framelog import FrameRecord

from .errors import CaptureError, CaptureFormatError
from .limits import (
    MAX_BLOCK_BYTES,
    MAX_FILE_BYTES,
    BadValue,
    check_size,
    check_time,
    check_version,
    header_from_json,
    load_json_object,
)
from .model import Capture, CaptureHeader
from .pcapng import (
    CLIENT_PORT,
    EPB,
    EPB_FLAGS,
    HEADER_PREFIX,
    IDB,
    IF_TSRESOL,
    INBOUND,
    LINKTYPE_IPV4,
    OPT_COMMENT,
    OPT_END,
    SHB,
)

__all__ = ["parse_pcapng", "read_pcapng"]

_MAGIC_ORDER = {b"\x4d\x3c\x2b\x1a": "<", b"\x1a\x2b\x3c\x4d": ">"}
_SHB_FIXED, _IDB_FIXED, _EPB_FIXED = 16, 8, 20  # bytes of fixed fields before the options


def read_pcapng(path: str | Path, *, strict: bool = True) -> Capture:
    """Read a pcapng capture written by :class:`~.pcapng.PcapngWriter` (or compatible).

    Args:
        strict: raise on the first damaged block; when False, stop at a damaged block (a
            file cut short by a crash) and list it in ``Capture.problems``.

    Raises:
        CaptureFormatError: damaged or unsupported content; names the byte offset.
        CaptureError: the file cannot be read.
    """
    try:
        with open(path, "rb") as file:
            check_size(file, path)
            data = file.read(MAX_FILE_BYTES + 1)
    except OSError as exc:
        raise CaptureError(f"cannot read capture: {exc.strerror or exc}", path=path) from exc
    return parse_pcapng(data, path=path, strict=strict)


def parse_pcapng(data: bytes, *, path: str | Path | None = None,
                 strict: bool = True) -> Capture:
    """Parse pcapng bytes (see :func:`read_pcapng`)."""
    reader = _Reader(data, path)
    capture = Capture(CaptureHeader(), [])
    try:
        reader.run(capture)
    except CaptureFormatError as problem:
        if strict or reader.offset == 0:  # offset 0: not a capture at all
            raise
        capture.add_problem(problem)
    return capture


class _Reader:
    """Walks the blocks of one pcapng file, keeping the per-section state."""

    def __init__(self, data: bytes, path: str | Path | None) -> None:
        self.data = data
        self.path = path
        self.offset = 0
        self.endian = "<"
        self.interfaces: list[tuple[int, float]] = []  # (link type, ticks per second)

    def error(self, message: str, offset: int | None = None) -> CaptureFormatError:
        return CaptureFormatError(message, path=self.path,
                                  offset=self.offset if offset is None else offset)

    def run(self, capture: Capture) -> None:
        if len(self.data) > MAX_FILE_BYTES:
            raise self.error(f"the data is over {MAX_FILE_BYTES:,} bytes, the capture limit")
        if self.data[:4] != struct.pack("<I", SHB):
            raise self.error("not a pcapng file: it must start with a Section Header Block "
                             "(0A 0D 0D 0A)")
        while self.offset < len(self.data):
            block_type, body = self._next_block()
            if block_type == SHB:
                capture.header = self._section(body)
            elif block_type == IDB:
                self.interfaces.append(self._interface(body))
            elif block_type == EPB:
                record = self._packet(body)
                if record is not None:
                    capture.records.append(record)
            self.offset += len(body) + 12

    def _next_block(self) -> tuple[int, bytes]:
        head = self.data[self.offset:self.offset + 12]
        if len(head) < 12:
            raise self.error(f"truncated block: {len(head)} bytes left, expected a block "
                             "of 12 bytes or more")
        if head[:4] == struct.pack("<I", SHB):
            self.endian = _MAGIC_ORDER.get(head[8:12], "")
            if not self.endian:
                raise self.error(f"bad byte-order magic {head[8:12].hex()}, expected "
                                 "1a2b3c4d in either byte order", self.offset + 8)
            self.interfaces = []
        block_type, length = struct.unpack(self.endian + "II", head[:8])
        end = self.offset + length
        if not 12 <= length <= MAX_BLOCK_BYTES or length % 4 or end > len(self.data):
            raise self.error(f"block length {length} is invalid or runs past the end of the "
                             f"file ({len(self.data) - self.offset} bytes left); expected a "
                             f"multiple of 4 from 12 to {MAX_BLOCK_BYTES}")
        (trailer,) = struct.unpack(self.endian + "I", self.data[end - 4:end])
        if trailer != length:
            raise self.error(f"block length {length} does not match its trailer {trailer}")
        return block_type, self.data[self.offset + 8:end - 4]

    def _fixed(self, body: bytes, size: int, what: str) -> None:
        if len(body) < size:
            raise self.error(f"{what} block body is {len(body)} bytes, expected at least "
                             f"{size}")

    def _section(self, body: bytes) -> CaptureHeader:
        self._fixed(body, _SHB_FIXED, "section header")
        comments = [v for code, v in _options(body[_SHB_FIXED:], self.endian)
                    if code == OPT_COMMENT]
        for comment in comments:
            text = comment.decode("utf-8", "replace")
            if text.startswith(HEADER_PREFIX):
                try:
                    return _header(load_json_object(text[len(HEADER_PREFIX):]))
                except BadValue as exc:
                    raise self.error(f"bad workbench header comment: {exc}") from None
        return CaptureHeader()

    def _interface(self, body: bytes) -> tuple[int, float]:
        self._fixed(body, _IDB_FIXED, "interface description")
        link, _, _ = struct.unpack(self.endian + "HHI", body[:_IDB_FIXED])
        return link, _tick(_options(body[_IDB_FIXED:], self.endian))

    def _packet(self, body: bytes) -> FrameRecord | None:
        self._fixed(body, _EPB_FIXED, "enhanced packet")
        iface, high, low, caplen, _ = struct.unpack(self.endian + "IIIII", body[:_EPB_FIXED])
        if iface >= len(self.interfaces):
            raise self.error(f"packet refers to interface {iface}, which was not described")
        if caplen > len(body) - _EPB_FIXED:
            raise self.error(f"packet length {caplen} runs past its block "
                             f"({len(body) - _EPB_FIXED} bytes)")
        link, ticks_per_second = self.interfaces[iface]
        if link != LINKTYPE_IPV4:
            raise self.error(f"link type {link} is not supported (expected {LINKTYPE_IPV4})")
        options = _options(body[_EPB_FIXED + caplen + (-caplen % 4):], self.endian)
        payload, to_port = self._tcp_payload(body[_EPB_FIXED:_EPB_FIXED + caplen])
        if not payload:
            return None
        flags = next((struct.unpack(self.endian + "I", v)[0] for c, v in options
                      if c == EPB_FLAGS and len(v) == 4), 0)
        inbound = flags & 3 == INBOUND if flags & 3 else to_port == CLIENT_PORT
        note = next((v.decode("utf-8", "replace") for c, v in options if c == OPT_COMMENT), "")
        try:
            stamp = check_time(((high << 32) | low) / ticks_per_second, "packet time")
        except BadValue as exc:
            raise self.error(str(exc)) from None
        return FrameRecord(stamp, "rx" if inbound else "tx", payload, note)

    def _tcp_payload(self, packet: bytes) -> tuple[bytes, int]:
        if len(packet) < 20 or packet[0] >> 4 != 4 or packet[9] != 6:
            raise self.error("packet is not IPv4/TCP")
        ip_len = (packet[0] & 0x0F) * 4
        total = min(struct.unpack(">H", packet[2:4])[0], len(packet))
        tcp = packet[ip_len:total]
        if ip_len < 20 or len(tcp) < 20:
            raise self.error("IPv4 or TCP header truncated; expected 20 bytes each at least")
        return tcp[(tcp[12] >> 4) * 4:], struct.unpack(">H", tcp[2:4])[0]


def _header(body: dict[str, Any]) -> CaptureHeader:
    """The capture header from the section comment's JSON (version, created, meta)."""
    version = check_version(body.get("version", 1))
    return header_from_json(body, check_time(body.get("created", 0.0), "header 'created'"),
                            version)


def _options(data: bytes, endian: str) -> list[tuple[int, bytes]]:
    """Decode an options list; a malformed tail is ignored (options are advisory)."""
    found, pos = [], 0
    while pos + 4 <= len(data):
        code, length = struct.unpack(endian + "HH", data[pos:pos + 4])
        if code == OPT_END or pos + 4 + length > len(data):
            break
        found.append((code, data[pos + 4:pos + 4 + length]))
        pos += 4 + length + (-length % 4)
    return found


def _tick(options: list[tuple[int, bytes]]) -> float:
    """Timestamp units per second from ``if_tsresol`` (default: microseconds)."""
    value = next((v[0] for code, v in options if code == IF_TSRESOL and v), 6)
    return 2.0 ** (value & 0x7F) if value & 0x80 else 10.0 ** value  # at most 1e127: finite
