"""pcapng captures that Wireshark opens, with each HDLC frame inside a synthetic TCP segment.

Why synthetic IPv4/TCP rather than ``LINKTYPE_USER0`` (147): a USER0 file shows only raw
bytes until the user configures Wireshark's "DLT User" table by hand. Wrapping each frame in
an IPv4/TCP packet to or from port 4059, the IANA DLMS/COSEM port, lets Wireshark's own
DLMS dissector (recent versions) pick the frames up with no configuration, and every
Wireshark shows a correct conversation (client/meter addresses, directions, TCP sequence
numbers that follow the byte stream). The addresses are from the TEST-NET-1 documentation
block (192.0.2.0/24) so nobody mistakes them for real hosts; the real host is in the
section comment. The meter port can be changed (e.g. 3333) with ``meter_port``.

File layout: Section Header Block (application name; a comment holding the capture header
as JSON), one Interface Description Block (``LINKTYPE_IPV4`` = 228, microsecond
timestamps), then one Enhanced Packet Block per frame with its timestamp, the direction in
``epb_flags`` (outbound = tx, inbound = rx) and the session note as ``opt_comment``.

The reader accepts either byte order and skips block types it does not know, as the
pcapng specification asks.
"""

from __future__ import annotations

import json
import struct
from pathlib import Path
from typing import BinaryIO

from workbench.session.trace import FrameRecord

from .errors import CaptureError, CaptureFormatError
from .masking import Dissector
from .model import Capture, CaptureHeader
from .writer import CaptureWriter

__all__ = ["LINKTYPE_IPV4", "PcapngWriter", "parse_pcapng", "read_pcapng"]

LINKTYPE_IPV4 = 228
SHB, IDB, EPB = 0x0A0D0D0A, 0x00000001, 0x00000006
_BYTE_ORDER_MAGIC = 0x1A2B3C4D
_OPT_END, _OPT_COMMENT, _SHB_USERAPPL, _IF_NAME, _IF_TSRESOL, _EPB_FLAGS = 0, 1, 4, 2, 9, 2
_INBOUND, _OUTBOUND = 1, 2
_HEADER_PREFIX = "workbench capture header: "
CLIENT_IP, METER_IP = bytes([192, 0, 2, 100]), bytes([192, 0, 2, 1])
CLIENT_PORT = 49152


class PcapngWriter(CaptureWriter):
    """Write frames to a new ``.pcapng`` file (an existing file is replaced).

    Args:
        meter_port: TCP port the synthetic meter listens on (4059: Wireshark decodes DLMS).
        Other arguments as :class:`~workbench.capture.writer.CaptureWriter`.
    """

    def __init__(self, path: str | Path, header: CaptureHeader, *, keep_secrets: bool = False,
                 dissect: Dissector | None = None, meter_port: int = 4059) -> None:
        self.meter_port = meter_port
        self._seq = {"tx": 1, "rx": 1}
        self._ip_id = 0
        super().__init__(path, header, keep_secrets=keep_secrets, dissect=dissect)

    def _open(self) -> BinaryIO:
        file = open(self.path, "wb")  # noqa: SIM115 - kept open for the session, closed in close()
        body = {"created": self.header.created, "meta": self.header.meta,
                "version": self.header.version}
        comment = _HEADER_PREFIX + json.dumps(body, ensure_ascii=False)
        options = _option(_SHB_USERAPPL, b"DLMS Workbench") + _option(_OPT_COMMENT, comment)
        file.write(_block(SHB, struct.pack("<IHHq", _BYTE_ORDER_MAGIC, 1, 0, -1) + options
                          + _option(_OPT_END, b"")))
        if_name = f"HDLC over synthetic TCP, meter port {self.meter_port}"
        file.write(_block(IDB, struct.pack("<HHI", LINKTYPE_IPV4, 0, 0)
                          + _option(_IF_NAME, if_name) + _option(_IF_TSRESOL, b"\x06")
                          + _option(_OPT_END, b"")))
        file.flush()
        return file

    def _write_frame(self, record: FrameRecord, raw: bytes) -> None:
        packet = self._packet(record.direction, raw)
        micros = round(record.time * 1_000_000)
        fields = struct.pack("<IIIII", 0, micros >> 32, micros & 0xFFFFFFFF, len(packet),
                             len(packet))
        flags = _OUTBOUND if record.direction == "tx" else _INBOUND
        options = _option(_EPB_FLAGS, struct.pack("<I", flags))
        if record.note:
            options += _option(_OPT_COMMENT, record.note)
        self._file.write(_block(EPB, fields + _pad(packet) + options + _option(_OPT_END, b"")))
        self._file.flush()

    def _packet(self, direction: str, payload: bytes) -> bytes:
        """IPv4 + TCP headers around ``payload``, sequence numbers following each stream."""
        other = "rx" if direction == "tx" else "tx"
        if direction == "tx":
            src, dst, sport, dport = CLIENT_IP, METER_IP, CLIENT_PORT, self.meter_port
        else:
            src, dst, sport, dport = METER_IP, CLIENT_IP, self.meter_port, CLIENT_PORT
        tcp = struct.pack(">HHIIBBHHH", sport, dport, self._seq[direction], self._seq[other],
                          5 << 4, 0x18, 65535, 0, 0)  # flags PSH|ACK
        pseudo = src + dst + struct.pack(">BBH", 0, 6, len(tcp) + len(payload))
        tcp = tcp[:16] + struct.pack(">H", _checksum(pseudo + tcp + payload)) + tcp[18:]
        self._seq[direction] = (self._seq[direction] + len(payload)) & 0xFFFFFFFF
        self._ip_id = (self._ip_id + 1) & 0xFFFF
        ip = struct.pack(">BBHHHBBH4s4s", 0x45, 0, 20 + len(tcp) + len(payload), self._ip_id,
                         0x4000, 64, 6, 0, src, dst)
        ip = ip[:10] + struct.pack(">H", _checksum(ip)) + ip[12:]
        return ip + tcp + payload


def read_pcapng(path: str | Path, *, strict: bool = True) -> Capture:
    """Read a pcapng capture written by :class:`PcapngWriter` (or compatible).

    Args:
        strict: raise on the first damaged block; when False, stop at a damaged block (a
            file cut short by a crash) and list it in ``Capture.problems``.

    Raises:
        CaptureFormatError: damaged or unsupported content; names the byte offset.
        CaptureError: the file cannot be read.
    """
    try:
        data = Path(path).read_bytes()
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
        capture.problems.append(problem)
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
        if self.data[:4] != struct.pack("<I", SHB):
            raise self.error("not a pcapng file: it must start with a Section Header Block")
        while self.offset < len(self.data):
            block_type, body = self._next_block()
            if block_type == SHB:
                capture.header = self._section(body)
            elif block_type == IDB:
                link, _, _ = struct.unpack(self.endian + "HHI", body[:8])
                self.interfaces.append((link, _tick(_options(body[8:], self.endian))))
            elif block_type == EPB:
                record = self._packet(body)
                if record is not None:
                    capture.records.append(record)
            self.offset += len(body) + 12

    def _next_block(self) -> tuple[int, bytes]:
        head = self.data[self.offset:self.offset + 12]
        if len(head) < 12:
            raise self.error(f"truncated block: {len(head)} bytes left, a block needs 12+")
        if head[:4] == struct.pack("<I", SHB):
            magic = head[8:12]
            self.endian = {b"\x4d\x3c\x2b\x1a": "<", b"\x1a\x2b\x3c\x4d": ">"}.get(magic, "")
            if not self.endian:
                raise self.error(f"bad byte-order magic {magic.hex()}", self.offset + 8)
            self.interfaces = []
        block_type, length = struct.unpack(self.endian + "II", head[:8])
        end = self.offset + length
        if length < 12 or length % 4 or end > len(self.data):
            raise self.error(f"block length {length} is invalid or runs past the end of the "
                             f"file ({len(self.data) - self.offset} bytes left)")
        (trailer,) = struct.unpack(self.endian + "I", self.data[end - 4:end])
        if trailer != length:
            raise self.error(f"block length {length} does not match its trailer {trailer}")
        return block_type, self.data[self.offset + 8:end - 4]

    def _section(self, body: bytes) -> CaptureHeader:
        comments = [v for code, v in _options(body[16:], self.endian) if code == _OPT_COMMENT]
        for comment in comments:
            text = comment.decode("utf-8", "replace")
            if text.startswith(_HEADER_PREFIX):
                try:
                    info = json.loads(text[len(_HEADER_PREFIX):])
                    return CaptureHeader(int(info["version"]), float(info["created"]),
                                         dict(info["meta"]))
                except (ValueError, KeyError, TypeError) as exc:
                    raise self.error(f"bad workbench header comment: {exc}") from None
        return CaptureHeader()

    def _packet(self, body: bytes) -> FrameRecord | None:
        iface, high, low, caplen, _ = struct.unpack(self.endian + "IIIII", body[:20])
        if iface >= len(self.interfaces):
            raise self.error(f"packet refers to interface {iface}, which was not described")
        link, ticks_per_second = self.interfaces[iface]
        if link != LINKTYPE_IPV4:
            raise self.error(f"link type {link} is not supported (expected {LINKTYPE_IPV4})")
        options = _options(body[20 + caplen + (-caplen % 4):], self.endian)
        payload, to_port = self._tcp_payload(body[20:20 + caplen])
        if not payload:
            return None
        flags = next((struct.unpack(self.endian + "I", v)[0] for c, v in options
                      if c == _EPB_FLAGS and len(v) == 4), 0)
        inbound = flags & 3 == _INBOUND if flags & 3 else to_port == CLIENT_PORT
        note = next((v.decode("utf-8", "replace") for c, v in options if c == _OPT_COMMENT), "")
        stamp = ((high << 32) | low) / ticks_per_second
        return FrameRecord(stamp, "rx" if inbound else "tx", payload, note)

    def _tcp_payload(self, packet: bytes) -> tuple[bytes, int]:
        if len(packet) < 20 or packet[0] >> 4 != 4 or packet[9] != 6:
            raise self.error("packet is not IPv4/TCP")
        ip_len = (packet[0] & 0x0F) * 4
        total = min(struct.unpack(">H", packet[2:4])[0], len(packet))
        tcp = packet[ip_len:total]
        if len(tcp) < 20:
            raise self.error("TCP header truncated")
        return tcp[(tcp[12] >> 4) * 4:], struct.unpack(">H", tcp[2:4])[0]


def _block(block_type: int, body: bytes) -> bytes:
    length = len(body) + 12
    return struct.pack("<II", block_type, length) + body + struct.pack("<I", length)


def _option(code: int, value: bytes | str) -> bytes:
    data = value.encode("utf-8") if isinstance(value, str) else value
    return struct.pack("<HH", code, len(data)) + _pad(data)


def _pad(data: bytes) -> bytes:
    return data + b"\0" * (-len(data) % 4)


def _options(data: bytes, endian: str) -> list[tuple[int, bytes]]:
    """Decode an options list; a malformed tail is ignored (options are advisory)."""
    found, pos = [], 0
    while pos + 4 <= len(data):
        code, length = struct.unpack(endian + "HH", data[pos:pos + 4])
        if code == _OPT_END or pos + 4 + length > len(data):
            break
        found.append((code, data[pos + 4:pos + 4 + length]))
        pos += 4 + length + (-length % 4)
    return found


def _tick(options: list[tuple[int, bytes]]) -> float:
    """Timestamp units per second from ``if_tsresol`` (default: microseconds)."""
    value = next((v[0] for code, v in options if code == _IF_TSRESOL and v), 6)
    return 2.0 ** (value & 0x7F) if value & 0x80 else 10.0 ** value


def _checksum(data: bytes) -> int:
    """Internet checksum (RFC 1071) over ``data``."""
    if len(data) % 2:
        data += b"\0"
    total = sum(struct.unpack(f">{len(data) // 2}H", data))
    while total >> 16:
        total = (total & 0xFFFF) + (total >> 16)
    return ~total & 0xFFFF
