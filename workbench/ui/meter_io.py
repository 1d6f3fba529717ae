"""What the session worker does with a DlmsClient, written without Qt so it can be tested alone.

Each function takes a connected client, performs one user-level job (read these
attributes, poll the live registers, stream a profile) and returns the frozen values the
widgets display. The worker only adds threading and signals around them.
"""

from __future__ import annotations

import datetime as dt
import logging
import time
from collections.abc import Callable
from decimal import Decimal

from workbench.cli.connection_options import UsageError
from workbench.cli.typed_value import TYPE_NAMES, parse_typed_value
from workbench.protocol.apdu import AttributeDescriptor, MethodDescriptor
from workbench.protocol.axdr import Data, as_datetime, format_data
from workbench.protocol.cosem import Obis, obis_name, parse_scaler_unit, unit_symbol
from workbench.protocol.errors import LocalProtocolError, ProtocolError
from workbench.session.client import DlmsClient
from workbench.session.errors import Cancelled, SessionError
from workbench.session.probe import REJECTED
from workbench.session.probe import probe as run_probe
from workbench.session.profile import profile_columns
from workbench.session.readings import REGISTER_CLASSES, Reading, UnknownClass, read_values
from workbench.session.settings import ConnectionSettings
from workbench.session.targets import Target, TargetError
from workbench.session.trace import FrameObserver
from workbench.ui.event_codes import event_text, is_event_code_column
from workbench.ui.messages import (
    AttributeReading,
    Failure,
    MeterIdentity,
    PollSample,
    ProfileChunk,
)

__all__ = [
    "DEFAULT_POLL_SERIES",
    "VALUE_KINDS",
    "call",
    "describe_association",
    "failure_from",
    "format_value",
    "identify",
    "is_cancel",
    "kind_for_type_hint",
    "make_client",
    "parse_value",
    "poll",
    "probe",
    "read_attributes",
    "read_profile",
    "window_advice",
    "write",
]

_log = logging.getLogger(__name__)

# (series name, class id, OBIS) polled for the live plot in one GET-with-list.
DEFAULT_POLL_SERIES: tuple[tuple[str, int, str], ...] = (
    ("Voltage L1", 3, "1-1:32.7.0.255"),
    ("Current L1", 3, "1-1:31.7.0.255"),
    ("P+", 3, "1-1:1.7.0.255"),
    ("Q+", 3, "1-1:3.7.0.255"),
    ("S", 3, "1-1:9.7.0.255"),
)
VALUE_KINDS: tuple[str, ...] = tuple(TYPE_NAMES)
SCALER_UNIT_ATTRIBUTE = 3


def make_client(settings: ConnectionSettings, observer: FrameObserver) -> DlmsClient:
    return DlmsClient(settings, observers=[observer])


def describe_association(settings: ConnectionSettings | None) -> str:
    if settings is None:
        return ""
    auth = "LLS" if settings.password is not None else "public, read-only"
    return f"{settings.peer} · physical {settings.physical} · client {settings.client} ({auth})"


def read_attributes(client: DlmsClient, targets) -> tuple[AttributeReading, ...]:
    """Read (class_id, obis, attribute) triples in one GET-with-list, scaled where possible."""
    wanted = [Target(Obis.parse(obis), attribute, class_id)
              for class_id, obis, attribute in targets]
    stamp = time.time()
    return tuple(_reading(r, stamp) for r in read_values(client, wanted, {}))


def _reading(r: Reading, stamp: float) -> AttributeReading:
    raw = format_data(r.data, max_items=50) if r.data is not None else ""
    number: float | None = None
    unit = ""
    if r.scaled is not None:
        text = str(r.scaled)
        unit = r.scaled.symbol
        number = _as_float(r.scaled.value)
    elif r.data is not None:
        text = _scaler_unit_text(r) or raw
        number = _as_float(r.data.value)
    else:
        text = r.error or "failed"
    return AttributeReading(r.class_id, str(r.target.obis), r.target.index, text, raw,
                            r.ok, stamp, number, unit)


def _scaler_unit_text(r: Reading) -> str:
    """``scaler -1 · unit V (35)`` for a register's attribute 3, else ""."""
    if r.class_id not in REGISTER_CLASSES or r.target.index != SCALER_UNIT_ATTRIBUTE:
        return ""
    try:
        scaler, unit = parse_scaler_unit(r.data)
    except ProtocolError:
        return ""
    return f"scaler {scaler} · unit {unit_symbol(unit) or 'none'} ({unit})"


def _as_float(value: object) -> float | None:
    """A plottable number, or None (booleans, strings and structures are not)."""
    if isinstance(value, bool) or not isinstance(value, int | float | Decimal):
        return None
    return float(value)


def poll(client: DlmsClient, series) -> PollSample:
    """One live sample of every series (name, class id, OBIS) in a single GET-with-list."""
    readings = read_attributes(client, [(class_id, obis, 2) for _n, class_id, obis in series])
    values = {name: r.number for (name, _c, _o), r in zip(series, readings, strict=True)}
    units = {name: r.unit for (name, _c, _o), r in zip(series, readings, strict=True)}
    return PollSample(time.time(), values, units)


IDENTITY_TARGETS = ((1, "0-0:96.1.0.255", 2), (1, "0-0:42.0.0.255", 2), (8, "0-0:1.0.0.255", 2))


def identify(client: DlmsClient) -> MeterIdentity:
    """Serial, logical device name and clock (with drift against this PC) in one request."""
    serial, name, clock = read_values(
        client, [Target(Obis.parse(o), a, c) for c, o, a in IDENTITY_TARGETS], {})
    drift = None
    clock_text = clock.error or ""
    if clock.data is not None:
        try:
            meter_time = as_datetime(clock.data)
            clock_text = str(meter_time)
            drift = meter_time.to_datetime().timestamp() - time.time()
        except (ProtocolError, ValueError):
            clock_text = format_data(clock.data)
    info = client.info.describe() if client.info is not None else ""
    return MeterIdentity(_text_of(serial), _text_of(name), clock_text, drift, info)


def _text_of(reading: Reading) -> str:
    if reading.data is None:
        return reading.error or "?"
    value = reading.data.value
    if isinstance(value, bytes) and value.isascii() and value.decode().isprintable():
        return value.decode()
    return format_data(reading.data)


def write(client: DlmsClient, class_id: int, obis: str, attribute: int, value: Data) -> str:
    client.set(AttributeDescriptor(class_id, Obis.parse(obis), attribute), value)
    return f"wrote {format_value(value)} to {obis} attribute {attribute}"


def call(client: DlmsClient, class_id: int, obis: str, method: int, param: Data | None) -> str:
    result = client.action(MethodDescriptor(class_id, Obis.parse(obis), method), param)
    returned = f", returned {format_value(result)}" if result is not None else ""
    return f"{obis} method {method} done{returned}"


def read_profile(client: DlmsClient, obis: str, start: dt.datetime | None,
                 end: dt.datetime | None, emit: Callable[[ProfileChunk], None]) -> None:
    """Stream a profile's rows to ``emit`` as blocks arrive; the last chunk has done=True."""
    target = Obis.parse(obis)
    captured = profile_columns(client, target)
    names = tuple(f"{obis_name(c.obis) or c.obis} /{c.attribute}" for c in captured)
    events = [i for i, c in enumerate(captured) if is_event_code_column(c.obis, c.attribute)]

    def on_rows(rows) -> None:
        emit(ProfileChunk(obis, names, tuple(_named_events(_row_values(r), events)
                                             for r in rows)))

    client.read_profile(target, start=start, end=end, on_rows=on_rows, columns=captured)
    emit(ProfileChunk(obis, names, (), done=True))


def _named_events(values: tuple, columns: list[int]) -> tuple:
    """Event code cells as ``"1 · Power down"``, so the log reads without the standard."""
    if not columns:
        return values
    return tuple(event_text(v) if i in columns else v for i, v in enumerate(values))


def _row_values(row) -> tuple:
    out = []
    for cell in row:
        try:
            out.append(as_datetime(cell).to_datetime())
            continue
        except (ProtocolError, ValueError, TypeError):
            pass
        value = cell.to_python() if isinstance(cell, Data) else cell
        out.append(value if isinstance(value, int | float | str) else format_value(cell))
    return tuple(out)


def probe(settings: ConnectionSettings, observer: FrameObserver) -> str:
    """Run the address/client scan and return its findings as plain text for a dialog.

    What to do comes first, in the words of the connection form (the session's advice
    names command-line options); each attempt follows on its own short paragraph.
    """
    report = run_probe(settings, observers=[observer])
    if report.tcp_error:
        return f"TCP {settings.peer}: {report.tcp_error}\n\n{report.advice()}"
    lines = [window_advice(report), "", f"TCP {settings.peer}: connected", ""]
    for a in report.attempts:
        auth = "with password" if a.with_password else "no password"
        lines += [f"physical {a.physical}, client {a.client} ({auth}): {a.outcome}",
                  f"    {a.explanation}", ""]
    return "\n".join(lines).rstrip()


def window_advice(report) -> str:
    """What to change in the Connection panel, from a finished :class:`ProbeReport`."""
    if report.physical is None:
        return ("What to do: no physical address answered. Check the Serial field (its last "
                "4 digits are the address) and that nobody else is connected to the meter.")
    if not report.working:
        return (f"What to do: the meter answers on physical address {report.physical} but "
                "refused every client tried. Check the Password (Microstar: 10 digits).")
    with_password = [a for a in report.working if a.with_password]
    best = (with_password or report.working)[0]
    where = f"set a Serial ending in {best.physical:04d} and Client {best.client}"
    if best.with_password:
        return f"What to do: {where} with the password; that combination associated."
    refused = sorted({a.client for a in report.attempts
                      if a.with_password and a.outcome == REJECTED})
    if refused:
        return (f"What to do: the password was refused (clients "
                f"{', '.join(map(str, refused))}); check it. Meanwhile you can {where} "
                "(public, read-only).")
    return f"What to do: {where} (public, read-only); that combination associated."


def parse_value(kind: str, text: str) -> Data:
    """Parse what the user typed as a value of ``kind`` (one of VALUE_KINDS)."""
    try:
        return parse_typed_value(f"{kind}:{text}")
    except UsageError as exc:
        raise ValueError(f"{exc} {exc.hint}") from exc


def kind_for_type_hint(type_hint: str) -> str:
    """The VALUE_KINDS entry for an attribute's declared type ("long-unsigned" → "u16")."""
    if "date-time" in type_hint:
        return "datetime"
    by_label = {kind.label: name for name, kind in TYPE_NAMES.items()}
    base = type_hint.split(" (")[0].split("[")[0].strip()
    return by_label.get(base, "octets")


def format_value(value: Data | None) -> str:
    return "nothing" if value is None else format_data(value, max_items=8)


def is_cancel(exc: BaseException) -> bool:
    return isinstance(exc, Cancelled)


def failure_from(action: str, exc: BaseException) -> Failure:
    """Turn any exception into a Failure the user can act on (never a traceback)."""
    if isinstance(exc, SessionError):
        return Failure(action, exc.message, exc.hint)
    if isinstance(exc, LocalProtocolError):
        return Failure(action, f"this request cannot be built: {exc}",
                       "Check the value, its type and the connection settings.")
    if isinstance(exc, ProtocolError):
        return Failure(action, f"the meter sent something we could not decode: {exc}",
                       "Save the capture (File → Save capture) and report it.")
    if isinstance(exc, UnknownClass | TargetError):
        return Failure(action, str(exc), "Read the object list again, or give the class id.")
    _log.error("%s failed unexpectedly", action, exc_info=exc)
    return Failure(action, f"unexpected {type(exc).__name__}: {exc}",
                   "This is a bug in the workbench; please save the capture and report it.")
