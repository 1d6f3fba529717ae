"""The load profile and event log of the last days, read and scaled for the report.

A profile captures each register's raw value (attribute 2); its scale and unit live in the
register's own scaler_unit, read once here in one GET-with-list. Energy counters are kept
in kWh/kvarh/kVAh so the report's numbers read as the meter's display does.
"""

from __future__ import annotations

import datetime as dt

from workbench.protocol.apdu import AttributeDescriptor
from workbench.protocol.axdr import Data, IncompleteDateTime, as_datetime
from workbench.protocol.cosem import (
    STANDARD_EVENTS,
    CaptureObject,
    Obis,
    engineering,
    obis_name,
    parse_scaler_unit,
)
from workbench.protocol.errors import ProtocolError
from workbench.session.client import DlmsClient
from workbench.session.profile import profile_columns

from .readout import EventRow, ProfileTable

__all__ = ["read_events", "read_profile_table"]

_SCALER_ATTRIBUTE = {3: 3, 4: 3, 5: 4}
_STATUS_C_D = (96, 10)


def _start(days: int) -> dt.datetime:
    return dt.datetime.now().astimezone() - dt.timedelta(days=days)


def _scales(client: DlmsClient, columns: list[CaptureObject]) -> dict[int, tuple[int, int]]:
    """Column index → (scaler, unit) for the register columns."""
    wanted = [(i, c) for i, c in enumerate(columns)
              if c.class_id in _SCALER_ATTRIBUTE and c.attribute == 2]
    if not wanted:
        return {}
    answers = client.get_many([AttributeDescriptor(c.class_id, c.obis,
                                                   _SCALER_ATTRIBUTE[c.class_id])
                               for _, c in wanted])
    scales = {}
    for (i, _), answer in zip(wanted, answers, strict=True):
        if isinstance(answer, Data):
            try:
                scales[i] = parse_scaler_unit(answer)
            except ProtocolError:
                continue
    return scales


def _header(column: CaptureObject, scale: tuple[int, int] | None) -> str:
    name = obis_name(column.obis) or str(column.obis)
    if scale is None:
        return name
    symbol = engineering(0.0, scale[1])[1]
    return f"{name} [{symbol}]" if symbol else name


def _scaled(value: object, scale: tuple[int, int] | None) -> float | None:
    if isinstance(value, bool) or not isinstance(value, int | float):
        return None
    if scale is None:
        return float(value)
    scaler, unit = scale
    return engineering(value * 10.0 ** scaler, unit)[0]


def _time(data: Data) -> str | None:
    try:
        return as_datetime(data).to_datetime().isoformat(timespec="seconds")
    except (ProtocolError, IncompleteDateTime, ValueError):
        return None


def read_profile_table(client: DlmsClient, obis: Obis, days: int) -> ProfileTable:
    """Rows of ``obis`` captured in the last ``days`` days, scaled."""
    columns = profile_columns(client, obis)
    scales = _scales(client, columns)
    start = _start(days)
    rows = client.read_profile(obis, start=start, columns=columns)
    period = client.get(AttributeDescriptor(7, obis, 4)).value
    clock = next((i for i, c in enumerate(columns) if c.class_id == 8), None)
    status = next((i for i, c in enumerate(columns)
                   if (c.obis.c, c.obis.d) == _STATUS_C_D), None)
    data_columns = [i for i in range(len(columns)) if i not in (clock, status)]
    return ProfileTable(
        obis=str(obis), name=obis_name(obis) or "Profile",
        period_s=period if isinstance(period, int) else 0,
        columns=[_header(columns[i], scales.get(i)) for i in data_columns],
        times=[_time(row[clock]) if clock is not None else None for row in rows],
        status=[_status(row[status]) if status is not None else None for row in rows],
        values=[[_scaled(row[i].value, scales.get(i)) for i in data_columns] for row in rows],
        first_requested=start.isoformat(timespec="seconds"))


def _status(data: Data) -> int | None:
    value = data.value
    return value if isinstance(value, int) and not isinstance(value, bool) else None


def read_events(client: DlmsClient, obis: Obis, days: int) -> list[EventRow]:
    """Event log entries of the last ``days`` days: time, code and the standard name."""
    columns = profile_columns(client, obis)
    rows = client.read_profile(obis, start=_start(days), columns=columns)
    clock = next((i for i, c in enumerate(columns) if c.class_id == 8), None)
    code = next((i for i, c in enumerate(columns) if c.class_id == 1), None)
    events = []
    for row in rows:
        number = _status(row[code]) if code is not None else None
        name = STANDARD_EVENTS.get(number, "manufacturer-specific") if number is not None \
            else ""
        events.append(EventRow(_time(row[clock]) if clock is not None else None, number, name))
    return events
