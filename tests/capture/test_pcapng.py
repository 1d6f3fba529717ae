"""pcapng: blocks written per the specification, read back, direction and masking kept."""

from __future__ import annotations

import shutil
import struct
import subprocess

import pytest

from tests.capture.samples import PASSWORD, assert_same_records, session_records
from workbench.capture import (
    CaptureFormatError,
    CaptureHeader,
    PcapngWriter,
    load_capture,
    parse_pcapng,
    read_pcapng,
    save_capture,
)
from workbench.capture.pcapng import LINKTYPE_IPV4
from workbench.protocol.hdlc import decode_frame

HEADER = CaptureHeader(created=1_764_064_800.5, meta={"host": "10.1.2.3", "client": 1})


def blocks(data: bytes) -> list[tuple[int, bytes]]:
    """Independent walk over the blocks: (type, body), checking both length fields."""
    found, pos = [], 0
    while pos < len(data):
        btype, length = struct.unpack("<II", data[pos:pos + 8])
        assert length % 4 == 0
        assert struct.unpack("<I", data[pos + length - 4:pos + length])[0] == length
        found.append((btype, data[pos + 8:pos + length - 4]))
        pos += length
    assert pos == len(data)
    return found


def test_round_trip(tmp_path):
    records = session_records()
    path = tmp_path / "s.pcapng"
    save_capture(path, records, HEADER, keep_secrets=True)
    capture = load_capture(path)
    assert capture.header == HEADER
    assert capture.problems == []
    assert_same_records(capture.records, records)


def test_block_layout(tmp_path):
    path = tmp_path / "s.pcapng"
    save_capture(path, session_records(), HEADER)
    found = blocks(path.read_bytes())
    assert [t for t, _ in found] == [0x0A0D0D0A, 1] + [6] * 5
    shb, idb, first = found[0][1], found[1][1], found[2][1]
    assert struct.unpack("<IHHq", shb[:16]) == (0x1A2B3C4D, 1, 0, -1)
    assert struct.unpack("<HH", idb[:4]) == (LINKTYPE_IPV4, 0)
    iface, high, low, caplen, origlen = struct.unpack("<IIIII", first[:20])
    assert (iface, caplen) == (0, origlen)
    assert ((high << 32) | low) == round(session_records()[0].time * 1e6)
    packet = first[20:20 + caplen]
    assert packet[0] == 0x45 and packet[9] == 6  # IPv4, TCP
    assert struct.unpack(">H", packet[22:24])[0] == 4059  # tx goes to the DLMS port
    assert packet[40:] == session_records()[0].raw
    # epb_flags option: code 2, length 4, outbound (2) for tx
    options = first[20 + caplen + (-caplen % 4):]
    assert struct.unpack("<HHI", options[:8]) == (2, 4, 2)


def test_ip_and_tcp_checksums_are_valid(tmp_path):
    path = tmp_path / "s.pcapng"
    save_capture(path, session_records(), HEADER)
    for btype, body in blocks(path.read_bytes()):
        if btype != 6:
            continue
        caplen = struct.unpack("<I", body[12:16])[0]
        packet = body[20:20 + caplen]
        assert _ones_sum(packet[:20]) == 0xFFFF
        pseudo = packet[12:20] + struct.pack(">BBH", 0, 6, len(packet) - 20)
        assert _ones_sum(pseudo + packet[20:]) == 0xFFFF


def _ones_sum(data: bytes) -> int:
    data += b"\0" * (len(data) % 2)
    total = sum(int.from_bytes(data[i:i + 2], "big") for i in range(0, len(data), 2))
    while total >> 16:
        total = (total & 0xFFFF) + (total >> 16)
    return total


def test_password_masked_in_pcapng(tmp_path):
    path = tmp_path / "s.pcapng"
    save_capture(path, session_records(), HEADER)
    assert PASSWORD not in path.read_bytes()
    masked = read_pcapng(path).records[2].raw
    assert b"*" * len(PASSWORD) in masked
    decode_frame(masked)


def test_meter_port_is_configurable(tmp_path):
    path = tmp_path / "s.pcapng"
    with PcapngWriter(path, HEADER, meter_port=3333) as writer:
        for record in session_records():
            writer.write(record)
    assert [r.direction for r in read_pcapng(path).records] == \
        [r.direction for r in session_records()]
    assert b"meter port 3333" in path.read_bytes()


def test_truncated_file(tmp_path):
    path = tmp_path / "s.pcapng"
    save_capture(path, session_records(), HEADER)
    data = path.read_bytes()[:-10]
    with pytest.raises(CaptureFormatError, match="runs past the end") as info:
        parse_pcapng(data)
    assert info.value.offset is not None and info.value.offset > 0
    lenient = parse_pcapng(data, strict=False)
    assert len(lenient.records) == 4 and len(lenient.problems) == 1


def test_not_pcapng():
    with pytest.raises(CaptureFormatError, match="not a pcapng file"):
        parse_pcapng(b"\x00" * 32)


def test_big_endian_section_is_read():
    """Files from big-endian writers: the byte-order magic decides, per section."""
    def block(btype: int, body: bytes) -> bytes:
        n = len(body) + 12
        return struct.pack(">II", btype, n) + body + struct.pack(">I", n)
    payload = session_records()[1].raw
    tcp = struct.pack(">HHIIBBHHH", 4059, 49152, 1, 1, 0x50, 0x18, 1000, 0, 0)
    ip = struct.pack(">BBHHHBBH4s4s", 0x45, 0, 40 + len(payload), 0, 0, 64, 6, 0,
                     bytes(4), bytes(4))
    packet = ip + tcp + payload
    packet_padded = packet + b"\0" * (-len(packet) % 4)
    data = (block(0x0A0D0D0A, struct.pack(">IHHq", 0x1A2B3C4D, 1, 0, -1))
            + block(1, struct.pack(">HHI", LINKTYPE_IPV4, 0, 0))
            + block(6, struct.pack(">IIIII", 0, 0, 2_000_000, len(packet), len(packet))
                    + packet_padded))
    (record,) = parse_pcapng(data).records
    assert (record.direction, record.raw, record.time) == ("rx", payload, 2.0)


@pytest.mark.skipif(shutil.which("tshark") is None, reason="tshark not installed")
def test_tshark_reads_the_file(tmp_path):
    path = tmp_path / "s.pcapng"
    save_capture(path, session_records(), HEADER)
    out = subprocess.run(["tshark", "-r", str(path), "-T", "fields", "-e", "tcp.dstport",
                          "-e", "tcp.len"], capture_output=True, text=True, timeout=60)
    assert out.returncode == 0, out.stderr
    rows = [line.split("\t") for line in out.stdout.splitlines()]
    assert [int(port) for port, _ in rows] == [4059, 49152, 4059, 4059, 49152]
    assert [int(n) for _, n in rows] == [len(r.raw) for r in session_records()]
