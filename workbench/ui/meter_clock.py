"""The meter clock's drift in the window's words (Qt-free).

The session measures it (:mod:`workbench.session.clock`: against the middle of the read's
round trip, with the resolution the clock and the round trip allow); the window says it as
a sentence about this PC: "within 1 s of this PC", "30.4 s behind this PC".
"""

from __future__ import annotations

from workbench.session.clock import ClockReading

__all__ = ["DRIFT_WARNING_S", "drift_text"]

DRIFT_WARNING_S = 60.0
"""A drift beyond this is shown in the warning colour (a profile's interval edges move)."""


def drift_text(reading: ClockReading) -> str:
    """``within 1 s of this PC`` / ``3.2 s ahead of this PC`` / ``40.0 s behind this PC``."""
    said = reading.describe_drift()
    if reading.drift is None:
        return f"drift {said}"
    if said.startswith("within") or said.endswith("ahead"):
        return f"{said} of this PC"
    return f"{said} this PC"
