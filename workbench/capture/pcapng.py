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

The reader (:mod:`.pcapng_reader`) accepts either byte order and skips block types it does
not know, as the pcapng specification asks.
"""

from __future__ import annotations

import json
import struct
from pathlib import Path
from typing import BinaryIO

from workbench.framelog import Dissector, FrameRecord

from .model import CaptureHeader
from .writer import CaptureWriter

__all__ = [
    "CLIENT_PORT",
    "EPB",
    "EPB_FLAGS",
    "HEADER_PREFIX",
    "IDB",
    "IF_TSRESOL",
    "INBOUND",
    "LINKTYPE_IPV4",
    "OPT_COMMENT",
    "OPT_END",
    "SHB",
    "PcapngWriter",
]

LINKTYPE_IPV4 = 228
SHB, IDB, EPB = 0x0A0D0D0A, 0x00000001, 0x00000006
_BYTE_ORDER_MAGIC = 0x1A2B3C4D
OPT_END, OPT_COMMENT, _SHB_USERAPPL, _IF_NAME, IF_TSRESOL, EPB_FLAGS = 0, 1, 4, 2, 9, 2
INBOUND, OUTBOUND = 1, 2
HEADER_PREFIX = "workbench capture header: "
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
        comment = HEADER_PREFIX + json.dumps(body, ensure_ascii=False)
        options = _option(_SHB_USERAPPL, b"DLMS Workbench") + _option(OPT_COMMENT, comment)
        file.write(_block(SHB, struct.pack("<IHHq", _BYTE_ORDER_MAGIC, 1, 0, -1) + options
                          + _option(OPT_END, b"")))
        if_name = f"HDLC over synthetic TCP, meter port {self.meter_port}"
        file.write(_block(IDB, struct.pack("<HHI", LINKTYPE_IPV4, 0, 0)
                          + _option(_IF_NAME, if_name) + _option(IF_TSRESOL, b"\x06")
                          + _option(OPT_END, b"")))
        file.flush()
        return file

    def _write_frame(self, record: FrameRecord, raw: bytes) -> None:
        packet = self._packet(record.direction, raw)
        micros = round(record.time * 1_000_000)
        fields = struct.pack("<IIIII", 0, micros >> 32, micros & 0xFFFFFFFF, len(packet),
                             len(packet))
        flags = OUTBOUND if record.direction == "tx" else INBOUND
        options = _option(EPB_FLAGS, struct.pack("<I", flags))
        if record.note:
            options += _option(OPT_COMMENT, record.note)
        self._file.write(_block(EPB, fields + _pad(packet) + options + _option(OPT_END, b"")))
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


def _block(block_type: int, body: bytes) -> bytes:
    length = len(body) + 12
    return struct.pack("<II", block_type, length) + body + struct.pack("<I", length)


def _option(code: int, value: bytes | str) -> bytes:
    data = value.encode("utf-8") if isinstance(value, str) else value
    return struct.pack("<HH", code, len(data)) + _pad(data)


def _pad(data: bytes) -> bytes:
    return data + b"\0" * (-len(data) % 4)


def _checksum(data: bytes) -> int:
    """Internet checksum (RFC 1071) over ``data``."""
    if len(data) % 2:
        data += b"\0"
    total: int = sum(struct.unpack(f">{len(data) // 2}H", data))
    while total >> 16:
        total = (total & 0xFFFF) + (total >> 16)
    return ~total & 0xFFFF
