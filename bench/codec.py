"""A-XDR codec benchmark: a 60-day, 15-minute load profile (5,760 rows) through our stack,
gurux-dlms and dlms-cosem. Prints numbers; it is not a test.

Run:  .venv/bin/python bench/codec.py [--repeat 7] [--block 1024] [--max-info 128]

The buffer is built deterministically: an array of 5,760 structures {date-time as a 12-byte
octet-string, 4 x double-long-unsigned, status unsigned}. It is cut into GET-Response-with-
datablock APDUs of ``--block`` bytes, each segmented into HDLC I-frames of at most
``--max-info`` information bytes, as a meter would send it. "ours, full" times the whole
receive path: HDLC frame scan + FCS checks, segment reassembly, APDU decode, block
reassembly, A-XDR decode. The library comparisons time the A-XDR part on the same bytes.
"""

from __future__ import annotations

import argparse
import datetime as dt
import gc
import random
import time
from collections.abc import Callable

from dlms_cosem import dlms_data as dc
from gurux_dlms import GXArray, GXByteBuffer, GXDLMSClient, GXStructure, GXUInt8, GXUInt32
from gurux_dlms.enums import DataType as GxType
from gurux_dlms.GXDLMSSettings import GXDLMSSettings
from gurux_dlms.internal._GXCommon import _GXCommon

from workbench.protocol.apdu import (
    BlockCollector,
    GetResponseWithDatablock,
    decode_apdu,
    encode_apdu,
)
from workbench.protocol.axdr import ClockStatus, CosemDateTime, Data, decode_data, encode_data
from workbench.protocol.hdlc import (
    LLC_RESPONSE,
    FrameKind,
    FrameReader,
    FrameReceived,
    HdlcFrame,
    client_address,
    encode_frame,
    server_address,
    split_info,
)

ROWS = 60 * 96
START = dt.datetime(2024, 1, 1, tzinfo=dt.timezone(dt.timedelta(hours=1)))


def profile_rows() -> list[tuple[bytes, int, int, int, int, int]]:
    """Deterministic rows: (date-time octets, +A Wh, -A Wh, +R varh, -R varh, status)."""
    rng = random.Random(20240101)
    totals = [1_000_000, 20_000, 300_000, 4_000]
    rows = []
    for i in range(ROWS):
        stamp = CosemDateTime.from_datetime(START + dt.timedelta(minutes=15 * i),
                                            status=ClockStatus(0))
        totals = [t + rng.randrange(0, 900) for t in totals]
        rows.append((stamp.encode(), *totals, 0x80 if rng.random() < 0.01 else 0))
    return rows


def as_data(rows: list[tuple]) -> Data:
    return Data.array([Data.struct(Data.octets(r[0]), *map(Data.u32, r[1:5]), Data.u8(r[5]))
                       for r in rows])


def to_wire(axdr: bytes, block: int, max_info: int) -> tuple[bytes, int, int]:
    """Datablock APDUs segmented into HDLC I-frames. Returns (bytes, #blocks, #frames)."""
    server, client = server_address(1, 1234), client_address(16)
    frames, n_s = [], 0
    parts = [axdr[i:i + block] for i in range(0, len(axdr), block)]
    for number, part in enumerate(parts, 1):
        apdu = encode_apdu(GetResponseWithDatablock(number == len(parts), number, part))
        segments = split_info(LLC_RESPONSE + apdu, max_info)
        for k, info in enumerate(segments):
            frames.append(encode_frame(HdlcFrame(FrameKind.I, client, server, n_s=n_s,
                                                 segmented=k < len(segments) - 1, info=info)))
            n_s = (n_s + 1) % 8
    return b"".join(frames), len(parts), len(frames)


def receive(wire: bytes, chunk: int = 1460) -> Data:
    """Our full receive path, fed in TCP-sized chunks."""
    reader, collector, pending = FrameReader(), BlockCollector(), []
    for i in range(0, len(wire), chunk):
        for event in reader.feed(wire[i:i + chunk]):
            assert isinstance(event, FrameReceived), event
            pending.append(event.frame.info)
            if not event.frame.segmented:
                apdu = b"".join(pending)[len(LLC_RESPONSE):]
                pending.clear()
                collector.feed(decode_apdu(apdu))
    result = collector.result()
    assert isinstance(result, Data)
    return result


def gurux_objects(rows: list[tuple]) -> GXArray:
    array = GXArray()
    for r in rows:
        structure = GXStructure()
        structure.extend([r[0], *map(GXUInt32, r[1:5]), GXUInt8(r[5])])
        array.append(structure)
    return array


def gurux_encode(array: GXArray) -> bytes:
    buff = GXByteBuffer()
    _GXCommon.setData(GXDLMSSettings(False, None), buff, GxType.ARRAY, array)
    return bytes(buff.array())


def cosem_objects(rows: list[tuple]) -> dc.DataArray:
    return dc.DataArray([dc.DataStructure([dc.OctetStringData(r[0]),
                                           *map(dc.DoubleLongUnsignedData, r[1:5]),
                                           dc.UnsignedIntegerData(r[5])]) for r in rows])


def best(fn: Callable[[], object], repeat: int) -> float:
    """Best-of-``repeat`` wall time in seconds (collections run as in real use)."""
    times = []
    for _ in range(repeat):
        gc.collect()
        t0 = time.perf_counter()
        fn()
        times.append(time.perf_counter() - t0)
    return min(times)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--repeat", type=int, default=7, help="best of N (ours, dlms-cosem)")
    parser.add_argument("--block", type=int, default=1024, help="raw-data bytes per block")
    parser.add_argument("--max-info", type=int, default=128, help="HDLC max information field")
    args = parser.parse_args()

    rows = profile_rows()
    value = as_data(rows)
    axdr = encode_data(value)
    wire, blocks, frames = to_wire(axdr, args.block, args.max_info)
    print(f"profile: {ROWS} rows, A-XDR {len(axdr):,} bytes; wire {len(wire):,} bytes in "
          f"{blocks} datablocks / {frames} HDLC I-frames (max info {args.max_info})")

    # Correctness first: every path must see the same values.
    assert receive(wire) == value and decode_data(axdr)[0] == value
    assert gurux_encode(gurux_objects(rows)) == axdr == cosem_objects(rows).to_bytes()
    gx_first = GXDLMSClient.getValue(GXByteBuffer(axdr), False)[0]
    assert [bytes(gx_first[0]), *map(int, gx_first[1:])] == list(rows[0])
    assert dc.DlmsDataParser().parse(axdr)[0].to_python()[0] == list(rows[0])

    gx_array, cosem_array, slow = gurux_objects(rows), cosem_objects(rows), max(2, args.repeat // 3)
    results = {
        "ours, full receive (HDLC+APDU+A-XDR)": best(lambda: receive(wire), args.repeat),
        "ours, A-XDR decode": best(lambda: decode_data(axdr), args.repeat),
        "ours, A-XDR encode": best(lambda: encode_data(value), args.repeat),
        "gurux-dlms, A-XDR decode": best(
            lambda: GXDLMSClient.getValue(GXByteBuffer(axdr), False), slow),
        "gurux-dlms, A-XDR encode": best(lambda: gurux_encode(gx_array), slow),
        "dlms-cosem, A-XDR decode": best(lambda: dc.DlmsDataParser().parse(axdr), args.repeat),
        "dlms-cosem, A-XDR encode": best(cosem_array.to_bytes, args.repeat),
    }
    print(f"\n{'path':40} {'ms/buffer':>10} {'rows/s':>12}")
    for name, seconds in results.items():
        print(f"{name:40} {seconds * 1000:10.1f} {ROWS / seconds:12,.0f}")

    print("\nspeed-up (their time / our time):")
    for op in ("decode", "encode"):
        ours = results[f"ours, A-XDR {op}"]
        for lib in ("gurux-dlms", "dlms-cosem"):
            print(f"  {op}: ours vs {lib:11} {results[f'{lib}, A-XDR {op}'] / ours:6.1f}x")
    full = results["ours, full receive (HDLC+APDU+A-XDR)"]
    print(f"  full receive vs gurux A-XDR decode alone "
          f"{results['gurux-dlms, A-XDR decode'] / full:6.1f}x")
    print(f"\ntarget: full receive < 50 ms -> {'met' if full < 0.050 else 'NOT met'} "
          f"({full * 1000:.1f} ms)")


if __name__ == "__main__":
    main()
