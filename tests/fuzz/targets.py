"""Every reader of untrusted bytes, wrapped for fuzzing: seeds, a runner, the typed errors.

Shared by the quick seeded tests in this folder and by ``bench/fuzz.py`` (10^6 inputs).
A *target* takes any bytes and either returns or raises one of its ``allowed`` typed
errors; anything else (an ``IndexError``, a ``RecursionError``, ...) is a bug. Inputs are
random bytes or *mutations* of valid seeds (bit flips, interesting bytes, insertions,
deletions, truncation, spliced copies), because random bytes alone rarely get past a
checksum or a tag.
"""

from __future__ import annotations

import random
import tempfile
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

from tests.capture.samples import (
    GET_VOLTAGE,
    aarq_info,
    session_records,
    split_aarq_frames,
)
from workbench.capture import CaptureError, CaptureHeader, parse_pcapng, parse_wbcap, save_capture
from workbench.framelog import Masker, frame_facts
from workbench.protocol.apdu import decode_apdu
from workbench.protocol.axdr import Data, DataType, decode_data, encode_data, format_data
from workbench.protocol.dissect import dissect
from workbench.protocol.errors import ProtocolError
from workbench.protocol.fields import Recorder
from workbench.protocol.hdlc import (
    NEED_DATA,
    ClientLink,
    FrameReader,
    ServerLink,
    parse_frame,
    server_address,
)

__all__ = ["TARGETS", "Target", "inputs", "mutate"]

_INTERESTING = (0x00, 0x01, 0x7E, 0x7F, 0x80, 0x81, 0x82, 0x83, 0x84, 0xFF, 0x13, 0x01, 0x02)
_MAX_EVENTS = 10_000  # a link may answer one input with many events, never endlessly


@dataclass(frozen=True)
class Target:
    """One reader: valid seeds to mutate, how to run it, which errors are its typed ones."""

    name: str
    seeds: tuple[bytes, ...]
    run: Callable[[bytes], object]
    allowed: tuple[type[BaseException], ...] = (ProtocolError,)


def mutate(rng: random.Random, data: bytes, others: tuple[bytes, ...]) -> bytes:
    """One to four random edits of ``data`` (a seed or a previous mutation)."""
    out = bytearray(data)
    for _ in range(rng.randint(1, 4)):
        choice = rng.randrange(7)
        at = rng.randrange(len(out) + 1)
        if choice == 0 and out:
            out[at % len(out)] ^= 1 << rng.randrange(8)
        elif choice == 1 and out:
            out[at % len(out)] = rng.choice(_INTERESTING)
        elif choice == 2:
            out[at:at] = rng.randbytes(rng.randint(1, 8))
        elif choice == 3:
            del out[at:at + rng.randint(1, 8)]
        elif choice == 4:
            del out[at:]
        elif choice == 5:
            other = rng.choice(others)
            start = rng.randrange(len(other) + 1)
            out[at:at] = other[start:start + rng.randint(1, 64)]
        else:
            out[at:at] = out[at:at + rng.randint(1, 32)] * rng.randint(2, 8)
    return bytes(out)


def inputs(target: Target, rng: random.Random, count: int) -> list[bytes]:
    """``count`` inputs for ``target``: one in eight random bytes, the rest mutated seeds."""
    found = []
    for i in range(count):
        if i % 8 == 0:
            found.append(rng.randbytes(rng.randint(0, 96)))
        else:
            found.append(mutate(rng, rng.choice(target.seeds), target.seeds))
    return found


# --- the runners ---------------------------------------------------------------------------
def _reader(data: bytes) -> None:
    reader = FrameReader()
    step = max(len(data) // 3, 1)
    for start in range(0, len(data), step):
        reader.feed(data[start:start + step])
    reader.flush()


def _frame(data: bytes) -> None:
    parse_frame(data)
    frame_facts(data)  # the frame log's fast path: never raises


def _apdu(data: bytes) -> None:
    try:
        decode_apdu(data)
    finally:
        decode_apdu(data, Recorder("fuzz"))


def _axdr(data: bytes) -> None:
    try:
        value, _ = decode_data(data)
        format_data(value, max_items=1000)
    finally:
        decode_data(data, 0, Recorder("fuzz"))


def _masker(data: bytes) -> None:
    masker = Masker()
    for part in (data, data[: len(data) // 2], data):
        if len(masker.mask(part)) != len(part):
            raise AssertionError("masking changed a frame's length")


def _drain(link: ClientLink | ServerLink, data: bytes) -> None:
    link.receive_data(data)
    for _ in range(_MAX_EVENTS):
        if link.next_event() is NEED_DATA:
            link.data_to_send()
            return
        link.data_to_send()
    raise AssertionError(f"one input produced more than {_MAX_EVENTS} link events")


def _client_link(data: bytes) -> None:
    link = ClientLink(client_sap=16, server=server_address(1, 1234))
    link.connect()
    _drain(link, data)


def _server_link(data: bytes) -> None:
    _drain(ServerLink(), data)


def _wbcap(data: bytes) -> None:
    lines = data.decode("utf-8", "replace").splitlines(keepends=True)
    try:
        parse_wbcap(lines)
    finally:
        parse_wbcap(lines, strict=False)


def _pcapng(data: bytes) -> None:
    try:
        parse_pcapng(data)
    finally:
        parse_pcapng(data, strict=False)


# --- the seeds -----------------------------------------------------------------------------
def _link_answers() -> tuple[bytes, ...]:
    """What a meter says to a client: UA, then I frames and segments of an answer."""
    server = ServerLink()
    client = ClientLink(client_sap=16, server=server_address(1, 1234))
    client.connect()
    server.receive_data(b"".join(client.data_to_send()))
    while server.next_event() is not NEED_DATA:
        pass
    ua = b"".join(server.data_to_send())
    server.send_apdu(b"\xc4\x01\xc1\x00" + encode_data(_profile_row()))
    answer = b"".join(server.data_to_send())
    return ua, ua + answer, *(r.raw for r in session_records())


def _profile_row() -> Data:
    values = [Data(DataType.DOUBLE_LONG_UNSIGNED, 85_700_000 + i) for i in range(4)]
    row = Data(DataType.STRUCTURE, [Data(DataType.OCTET_STRING, bytes(12)), *values])
    return Data(DataType.ARRAY, [row] * 3)


def _axdr_seeds() -> tuple[bytes, ...]:
    compact = bytes.fromhex("13020500000000110401010101")  # struct{null x4, unsigned}
    return (encode_data(_profile_row()), compact, bytes.fromhex("09060000600100FF"),
            bytes.fromhex("020312000309060101200700FF0F02"))


def _capture_seeds() -> tuple[bytes, bytes]:
    with tempfile.TemporaryDirectory() as folder:
        files = []
        for suffix in (".wbcap", ".pcapng"):
            path = Path(folder) / f"seed{suffix}"
            save_capture(path, session_records(), CaptureHeader(created=1.0, meta={"a": 1}))
            files.append(path.read_bytes())
    return files[0], files[1]


_FRAMES = tuple(r.raw for r in session_records()) + tuple(split_aarq_frames(24))
_APDUS = (GET_VOLTAGE, aarq_info()[3:], b"\xc4\x01\xc1\x00" + encode_data(_profile_row()),
          bytes.fromhex("6129A109060760857405080101A203020100A305A103020100BE10040E0800065F"
                        "1F040000101D04000007"))
_WBCAP, _PCAPNG = _capture_seeds()

TARGETS = (
    Target("hdlc-reader", (*_FRAMES, b"".join(_FRAMES)), _reader),
    Target("hdlc-frame", _FRAMES, _frame),
    Target("apdu", _APDUS, _apdu),
    Target("axdr", _axdr_seeds(), _axdr),
    Target("dissect", _FRAMES + _APDUS, dissect),
    Target("masker", _FRAMES + tuple(aarq_info()[i:] for i in (0, 3)), _masker, ()),
    Target("client-link", _link_answers(), _client_link),
    Target("server-link", _FRAMES, _server_link),
    Target("wbcap", (_WBCAP,), _wbcap, (CaptureError,)),
    Target("pcapng", (_PCAPNG,), _pcapng, (CaptureError,)),
)
