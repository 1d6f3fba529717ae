"""The meter clock as the window shows it: read with its round trip, drift with its
resolution, and a sync that sends the time of the moment it is sent (Qt-free).

A drift is meter time minus PC time at the middle of the read's round trip. What that
figure cannot resolve is the clock's own resolution (1 s when the meter leaves the
hundredths unspecified or always 0, as meters counting whole seconds do) plus half the
round trip; a drift inside
it is "within 1 s", because saying "0.4 s behind" would claim a precision the meter
never gave.
"""

from __future__ import annotations

import datetime as dt
import time

from workbench.protocol.apdu import CLOCK, AttributeDescriptor
from workbench.protocol.axdr import CosemDateTime, Data
from workbench.session.client import DlmsClient
from workbench.ui.messages import ClockReading, ClockSyncResult

__all__ = ["drift_text", "read_clock", "reading_of", "sync_clock"]

CLOCK_TIME = AttributeDescriptor(8, CLOCK, 2)
DRIFT_WARNING_S = 60.0
"""A drift beyond this is shown in the warning colour (a profile's interval edges move)."""


def read_clock(client: DlmsClient) -> ClockReading:
    """Read the meter clock and measure its drift against this PC."""
    sent = time.time()
    stamp = client.read_clock()
    return reading_of(stamp, sent, time.time())


def reading_of(stamp: CosemDateTime, sent: float, received: float) -> ClockReading:
    """The drift of ``stamp`` read between PC times ``sent`` and ``received``."""
    resolution = 1.0 if not stamp.hundredths else 0.01  # ".00" is whole seconds, as a rule
    uncertainty = resolution + (received - sent) / 2
    try:
        moment = stamp.to_datetime()
    except ValueError:  # IncompleteDateTime: not a single instant, so no drift
        drift = None
    else:  # a naive moment is local time, as the PC's
        drift = moment.timestamp() - (sent + received) / 2
    return ClockReading(str(stamp), drift, uncertainty, received, received - sent, resolution)


def sync_clock(client: DlmsClient) -> ClockSyncResult:
    """Drift before, write this PC's time, drift after.

    The time written is taken just before the request is encoded, plus half the round trip
    measured by the read before, so it is the PC's time when the meter receives it — never
    a time taken before a confirmation dialog.
    """
    before = read_clock(client)
    half_trip = dt.timedelta(seconds=before.round_trip_s / 2)
    moment = dt.datetime.now().astimezone() + half_trip
    client.set(CLOCK_TIME, Data.datetime(CosemDateTime.from_datetime(moment)))
    return ClockSyncResult(before, read_clock(client))


def drift_text(reading: ClockReading) -> str:
    """``within 1 s of this PC`` or ``31 s behind this PC (±1.1 s)``; the drift itself is
    rounded to the clock's resolution."""
    if reading.drift_s is None:
        return "drift unknown: the meter clock is not a complete date and time"
    bound = _seconds(reading.uncertainty_s)
    if abs(reading.drift_s) <= reading.uncertainty_s:
        return f"within {bound} s of this PC"
    side = "ahead of" if reading.drift_s > 0 else "behind"
    size = abs(reading.drift_s)
    shown = f"{size:.0f}" if reading.resolution_s >= 1 else _seconds(size)
    return f"{shown} s {side} this PC (±{bound} s)"


def _seconds(value: float) -> str:
    """Seconds with one decimal at most, and none when it would be .0."""
    text = f"{value:.1f}"
    return text[:-2] if text.endswith(".0") else text
