"""What a commissioning visit read from one meter, as plain data that survives JSON.

Why plain data: a readout is written to disk at the site and read back weeks later by
``workbench compare`` or the report, maybe by a newer version of the tool. So it holds only
strings and numbers (OBIS as text, times as ISO 8601, values already scaled, with their
unit), and :func:`readout_from_json` reads a file it did not write defensively: bounded
size and nesting, only :class:`ReadoutError` on anything unexpected.
"""

from __future__ import annotations

import json
from dataclasses import asdict, dataclass, field, fields
from typing import Any

__all__ = ["FORMAT", "ClockCheck", "EventRow", "ObjectInfo", "ProfileTable", "Readout",
           "ReadoutError", "Value", "readout_from_json", "readout_to_json"]

FORMAT = "dlms-workbench-readout/1"
MAX_FILE_BYTES = 64 * 1024 * 1024


class ReadoutError(ValueError):
    """A readout file that cannot be used: the message says where and what was wrong."""


@dataclass(frozen=True)
class Value:
    """One attribute as read and shown.

    Attributes:
        obis, attribute, class_id: what was read.
        name: the OBIS name ("Voltage L1").
        number: the scaled value when numeric, else None.
        unit: unit symbol ("V"), "" when none.
        text: the value as an engineer reads it ("230.1 V", "MS-DLMS 2.04").
        error: why it could not be read, else None.
    """

    obis: str
    attribute: int
    class_id: int
    name: str
    number: float | None = None
    unit: str = ""
    text: str = ""
    error: str | None = None

    @property
    def key(self) -> str:
        """``OBIS:attribute``, the identity used when two readouts are compared."""
        return f"{self.obis}:{self.attribute}"


@dataclass(frozen=True)
class ClockCheck:
    """The meter clock against the PC, corrected for the round trip.

    Attributes:
        meter_time: the meter's time (ISO 8601, as the meter stated it), or None if invalid.
        pc_time: the PC's UTC time at the middle of the read's round trip.
        round_trip_s: how long the clock read took.
        drift_s: meter − PC in seconds (positive: meter ahead), None when unknown.
        resolution_s: the smallest drift the reading can tell from zero (the session's).
        synced: the clock was written during the visit.
        drift_after_s: the drift read back after the write.
    """

    meter_time: str | None
    pc_time: str
    round_trip_s: float
    drift_s: float | None
    resolution_s: float
    synced: bool = False
    drift_after_s: float | None = None


@dataclass(frozen=True)
class ObjectInfo:
    """One object of the association's object list."""

    obis: str
    class_id: int
    version: int
    name: str
    access: str  # "2:r 3:r 4:rw" — attribute access rights, compact


@dataclass(frozen=True)
class ProfileTable:
    """The recent rows of a load profile, scaled.

    Attributes:
        obis, name: the profile object.
        period_s: its capture period (0 when unknown).
        columns: one header per column ("Active energy+ [kWh]").
        times: each row's capture time (ISO 8601), None where the row had none.
        status: each row's status byte, None where there is no status column.
        values: per column, the scaled numbers (None where not numeric).
        first_requested: the start of the window read (ISO 8601).
    """

    obis: str
    name: str
    period_s: int
    columns: list[str]
    times: list[str | None]
    status: list[int | None]
    values: list[list[float | None]]
    first_requested: str = ""


@dataclass(frozen=True)
class EventRow:
    """One event log entry."""

    time: str | None
    code: int | None
    name: str


@dataclass
class Readout:
    """Everything read from one meter in one visit; sections that failed say why in ``errors``."""

    tool_version: str
    created: str
    meter: dict[str, Any]
    association: dict[str, Any] = field(default_factory=dict)
    identity: list[Value] = field(default_factory=list)
    clock: ClockCheck | None = None
    values: list[Value] = field(default_factory=list)
    energies: list[Value] = field(default_factory=list)
    energies_again: list[Value] = field(default_factory=list)
    objects: list[ObjectInfo] = field(default_factory=list)
    profile: ProfileTable | None = None
    events: list[EventRow] = field(default_factory=list)
    errors: dict[str, str] = field(default_factory=dict)
    warnings: list[str] = field(default_factory=list)
    note: str = ""
    capture: dict[str, str] = field(default_factory=dict)
    format: str = FORMAT

    def all_values(self) -> list[Value]:
        """Identity, instantaneous values and energies (first read), for comparison."""
        return [*self.identity, *self.values, *self.energies]


def readout_to_json(readout: Readout) -> str:
    """The readout as indented JSON text."""
    return json.dumps(asdict(readout), indent=1, ensure_ascii=False)


def readout_from_json(text: str | bytes, source: str = "readout") -> Readout:
    """Read a readout file written by this tool (any version of format 1).

    Raises:
        ReadoutError: not JSON, too large or too deep, not a readout, or a field of the
            wrong type. The message names the file and the field.
    """
    if len(text) > MAX_FILE_BYTES:
        raise ReadoutError(f"{source}: larger than {MAX_FILE_BYTES // 2**20} MB")
    try:
        raw = json.loads(text)
    except (ValueError, RecursionError) as exc:
        raise ReadoutError(f"{source}: not a JSON readout ({exc})") from None
    if not isinstance(raw, dict) or raw.get("format") != FORMAT:
        raise ReadoutError(f"{source}: not a DLMS Workbench readout (no format "
                           f"'{FORMAT}')")
    try:
        readout: Readout = _build(Readout, raw)
        return readout
    except (TypeError, ValueError, KeyError) as exc:
        raise ReadoutError(f"{source}: {exc}") from None


_NESTED = {"identity": Value, "values": Value, "energies": Value, "energies_again": Value,
           "objects": ObjectInfo, "events": EventRow}


def _build(cls: type, raw: dict[str, Any]) -> Any:
    """Construct ``cls`` from a dict, keeping only known fields and checking nested lists."""
    known = {f.name for f in fields(cls)}
    kwargs: dict[str, Any] = {}
    for name, value in raw.items():
        if name not in known:
            continue  # written by a newer version: ignored, not fatal
        if name in _NESTED and cls is Readout:
            value = [_build(_NESTED[name], _as_dict(v, name)) for v in _as_list(value, name)]
        elif name == "clock" and value is not None:
            value = _build(ClockCheck, _as_dict(value, name))
        elif name == "profile" and value is not None:
            value = _build(ProfileTable, _as_dict(value, name))
        kwargs[name] = value
    return cls(**kwargs)


def _as_list(value: object, name: str) -> list[Any]:
    if not isinstance(value, list):
        raise TypeError(f"field '{name}' must be a list")
    return value


def _as_dict(value: object, name: str) -> dict[str, Any]:
    if not isinstance(value, dict):
        raise TypeError(f"an entry of '{name}' must be an object")
    return value
