"""The meter clock against the PC: drift corrected for the round trip, and an honest sync.

Why the round trip matters: the meter stamps its answer somewhere between our request and
its arrival, so the PC time compared with it is the middle of that interval, and the drift
is only known to ± (half the round trip + the clock's 1 s resolution). A sync writes the time
taken at the moment of sending plus half the last measured round trip, then reads back.
"""

from __future__ import annotations

import datetime as dt
import time

from workbench.protocol.apdu import CLOCK, AttributeDescriptor
from workbench.protocol.axdr import CosemDateTime, Data, IncompleteDateTime
from workbench.session.client import DlmsClient

from .readout import ClockCheck

__all__ = ["check_clock", "drift_text", "sync_clock"]

CLOCK_RESOLUTION_S = 1.0


def _measure(client: DlmsClient) -> tuple[CosemDateTime, dt.datetime, float]:
    start = time.monotonic()
    stamp = client.read_clock()
    rtt = time.monotonic() - start
    pc = dt.datetime.now(dt.UTC) - dt.timedelta(seconds=rtt / 2)
    return stamp, pc, rtt


def _drift(stamp: CosemDateTime, pc: dt.datetime) -> tuple[str | None, float | None]:
    try:
        meter = stamp.to_datetime()
    except IncompleteDateTime:
        return None, None
    if meter.tzinfo is None:  # no deviation: the meter keeps local time
        meter = meter.astimezone()
    return meter.isoformat(timespec="seconds"), (meter - pc).total_seconds()


def check_clock(client: DlmsClient) -> ClockCheck:
    """Read the clock once and compare it with the PC."""
    stamp, pc, rtt = _measure(client)
    meter_time, drift = _drift(stamp, pc)
    return ClockCheck(meter_time, pc.isoformat(timespec="milliseconds"), round(rtt, 3),
                      None if drift is None else round(drift, 3),
                      round(CLOCK_RESOLUTION_S + rtt / 2, 3))


def sync_clock(client: DlmsClient, before: ClockCheck) -> ClockCheck:
    """Write the PC's time (taken as the request leaves), then measure again.

    Raises:
        AccessDenied: the client may not write the clock (client 16); ``before`` stays valid.
    """
    now = dt.datetime.now().astimezone() + dt.timedelta(seconds=before.round_trip_s / 2)
    client.set(AttributeDescriptor(8, CLOCK, 2),
               Data.octets(CosemDateTime.from_datetime(now).encode()))
    after = check_clock(client)
    return ClockCheck(before.meter_time, before.pc_time, before.round_trip_s, before.drift_s,
                      before.resolution_s, synced=True, drift_after_s=after.drift_s)


def drift_text(drift: float | None, resolution: float) -> str:
    """"on time (within 1.0 s)", "12 s ahead (± 1.0 s)" — never more digits than it deserves."""
    if drift is None:
        return "unknown (the meter's clock is not set)"
    if abs(drift) <= resolution:
        return f"on time (within {resolution:.1f} s)"
    side = "ahead" if drift > 0 else "behind"
    return f"{abs(drift):.0f} s {side} (± {resolution:.1f} s)"
