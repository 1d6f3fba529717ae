"""The meter clock in a readout: the session's measurement, kept as plain data.

The measuring itself — PC time at the middle of the round trip, the resolution a drift can be
told with, a sync that writes the time the meter will receive — is the session's
(:mod:`workbench.session.clock`); this module only turns its readings into the readout's
:class:`ClockCheck` and says a stored drift in words.
"""

from __future__ import annotations

import dataclasses
import datetime as dt

from workbench.protocol.axdr import IncompleteDateTime
from workbench.session.client import DlmsClient
from workbench.session.clock import ClockReading

from .readout import ClockCheck

__all__ = ["check_clock", "drift_text", "sync_clock"]


def _check(reading: ClockReading) -> ClockCheck:
    try:
        meter: str | None = reading.meter.to_datetime().isoformat(timespec="seconds")
    except (IncompleteDateTime, ValueError):
        meter = None
    drift = None if reading.drift is None else round(reading.drift, 3)
    return ClockCheck(meter, reading.pc.astimezone(dt.UTC).isoformat(timespec="milliseconds"),
                      round(reading.round_trip, 3), drift, round(reading.resolution, 3))


def check_clock(client: DlmsClient) -> ClockCheck:
    """Read the clock once and compare it with the PC."""
    return _check(client.clock())


def sync_clock(client: DlmsClient) -> ClockCheck:
    """Write the PC's time into the meter; the drift measured just before and just after.

    Raises:
        AccessDenied: the client may not write the clock (client 16).
    """
    result = client.sync_clock()
    return dataclasses.replace(_check(result.before), synced=True,
                               drift_after_s=_check(result.after).drift_s)


def drift_text(drift: float | None, resolution: float) -> str:
    """"on time (within 1.0 s)", "12 s ahead (± 1.0 s)" — never more digits than it deserves."""
    if drift is None:
        return "unknown (the meter's clock is not set)"
    if abs(drift) <= resolution:
        return f"on time (within {resolution:.1f} s)"
    side = "ahead" if drift > 0 else "behind"
    return f"{abs(drift):.0f} s {side} (± {resolution:.1f} s)"
