"""Names of the standard event codes and profile status bits, so logs read as events.

The numbering is the DLMS UA / IDIS one used by the standard event log (0-0:99.98.0.255,
whose code column is captured from 0-0:96.11.0.255). Codes outside this table are
manufacturer-specific and are shown as the bare number.
"""

from __future__ import annotations

from .obis import Obis

__all__ = ["STANDARD_EVENTS", "event_text", "is_event_code_column", "is_profile_status",
           "status_text"]

STANDARD_EVENTS: dict[int, str] = {
    1: "Power down", 2: "Power up", 3: "Daylight saving time enabled or disabled",
    4: "Clock adjusted (old time)", 5: "Clock adjusted (new time)", 6: "Clock invalid",
    7: "Replace battery", 8: "Battery voltage low", 9: "Tariff (TOU) activated",
    10: "Error register cleared", 11: "Alarm register cleared", 12: "Program memory error",
    13: "RAM error", 14: "NV memory error", 15: "Watchdog error",
    16: "Measurement system error", 17: "Firmware ready for activation",
    18: "Firmware activated", 47: "One or more parameters changed",
    255: "Event log cleared",
}

EVENT_CODE_GROUP = (0, 0, 96, 11)
"""A, B, C, D of the event code objects 0-0:96.11.e.255 (e = which event log)."""


def is_event_code_column(obis: Obis, attribute: int) -> bool:
    return (obis.a, obis.b, obis.c, obis.d) == EVENT_CODE_GROUP and attribute == 2


def event_text(code: object) -> object:
    """``"1 · Power down"`` for a standard code; anything else is returned unchanged."""
    if isinstance(code, int) and not isinstance(code, bool) and code in STANDARD_EVENTS:
        return f"{code} · {STANDARD_EVENTS[code]}"
    return code


PROFILE_STATUS_GROUP = (0, 0, 96, 10)
"""A, B, C, D of the profile status objects 0-0:96.10.e.255 (IDIS AMR profile status)."""

STATUS_BITS = ((0x80, "power down"), (0x20, "clock adjusted"), (0x08, "daylight saving"),
               (0x04, "data not valid"), (0x02, "clock invalid"), (0x01, "critical error"))
"""IDIS AMR profile status bits, most significant first (bits 4 and 6 are reserved)."""


def is_profile_status(obis: Obis) -> bool:
    return (obis.a, obis.b, obis.c, obis.d) == PROFILE_STATUS_GROUP


def status_text(value: int) -> str:
    """``"0x80 power down"``; ``"0x00"`` when no flag is set (a status is not a quantity)."""
    flags = [name for bit, name in STATUS_BITS if value & bit]
    return " ".join([f"0x{value:02X}", ", ".join(flags)]).strip()
