"""The meter's clock against this PC's: drift measured honestly, and a sync that is exact.

* The drift is taken against the PC time at the *middle* of the GET round trip, so a slow
  link does not show up as clock error.
* Its resolution is the larger of the meter clock's own (1 s when it sends no hundredths)
  and half the round trip; a drift inside it is "within 1 s", never "0.4 s behind".
* A sync writes the PC time taken at the moment of sending plus half the measured round
  trip (the time the meter receives it), then reads the clock again.
"""

from __future__ import annotations

import datetime as dt
import time
from dataclasses import dataclass

from workbench.protocol.apdu import CLOCK, AttributeDescriptor, DataAccessResult
from workbench.protocol.axdr import CosemDateTime, Data, IncompleteDateTime, as_datetime
from workbench.protocol.errors import ProtocolError
from workbench.session import services
from workbench.session.advice import access_denied
from workbench.session.errors import ProtocolFailure

__all__ = ["CLOCK_TIME", "ClockReading", "ClockSync", "measure_clock", "sync_clock"]

CLOCK_TIME = AttributeDescriptor(8, CLOCK, 2)


@dataclass(frozen=True)
class ClockReading:
    """One clock read.

    Attributes:
        meter: the meter's date-time as sent.
        pc: this PC's time at the middle of the round trip (local, aware).
        drift: meter minus PC in seconds; None when the meter's time is not a usable moment.
        round_trip: seconds the GET took.
        resolution: the smallest drift this reading can tell from zero, in seconds.
    """

    meter: CosemDateTime
    pc: dt.datetime
    drift: float | None
    round_trip: float
    resolution: float

    def describe_drift(self) -> str:
        """``within 1 s`` / ``3.2 s ahead`` / ``40.0 s behind`` / ``unknown``."""
        if self.drift is None:
            return "unknown (the meter's time is incomplete)"
        if abs(self.drift) < self.resolution:
            return f"within {self.resolution:g} s"
        return f"{abs(self.drift):.1f} s {'ahead' if self.drift > 0 else 'behind'}"


@dataclass(frozen=True)
class ClockSync:
    """A clock write: the drift before, what was written, the drift after."""

    before: ClockReading
    written: CosemDateTime
    after: ClockReading


def _as_local(stamp: CosemDateTime) -> dt.datetime | None:
    try:
        moment = stamp.to_datetime()
    except (IncompleteDateTime, ValueError):
        return None
    return moment.astimezone() if moment.tzinfo else moment.replace(
        tzinfo=dt.datetime.now().astimezone().tzinfo)


def measure_clock(client: services.Requester) -> ClockReading:
    """Read the meter clock once and compare it with the PC at mid round trip.

    Raises:
        AccessDenied: the meter refused the read; ProtocolFailure: not a date-time.
    """
    before = time.time()
    answer = services.get(client, CLOCK_TIME)
    after = time.time()
    if isinstance(answer, DataAccessResult):
        raise access_denied(answer, "reading the meter clock", operation="read",
                            client=client.settings.client)
    try:
        stamp = as_datetime(answer)
    except ProtocolError as exc:
        raise ProtocolFailure(f"the meter clock could not be understood: {exc}") from exc
    pc = dt.datetime.fromtimestamp((before + after) / 2).astimezone()
    meter = _as_local(stamp)
    drift = (meter - pc).total_seconds() if meter is not None else None
    own = 0.01 if stamp.hundredths not in (None, 0) else 1.0
    return ClockReading(stamp, pc, drift, after - before, max(own, (after - before) / 2))


def sync_clock(client: services.Requester, srtt: float | None = None) -> ClockSync:
    """Drift before; write the time the meter will receive; drift after.

    ``srtt``: the smoothed round trip if known, else the clock read's own.

    Raises:
        AccessDenied: the meter refused the write (with its data-access-result).
    """
    before = measure_clock(client)
    half = (srtt if srtt is not None else before.round_trip) / 2
    moment = dt.datetime.fromtimestamp(time.time() + half).astimezone()
    written = CosemDateTime.from_datetime(moment)
    result = services.set_value(client, CLOCK_TIME, Data.datetime(written))
    if result != DataAccessResult.SUCCESS:
        raise access_denied(result, "setting the meter clock", operation="write",
                            client=client.settings.client)
    return ClockSync(before, written, measure_clock(client))
