"""What the session worker does with a DlmsClient, written without Qt so it can be tested alone.

Each function takes a connected client, performs one user-level job (read these
attributes, poll the live registers, stream a profile) and returns the frozen values the
widgets display. The worker only adds threading and signals around them.
"""

from __future__ import annotations

import threading
import time
from decimal import Decimal

from workbench.protocol.apdu import AttributeDescriptor, MethodDescriptor
from workbench.protocol.axdr import Data, format_data
from workbench.protocol.cosem import Obis, parse_scaler_unit, unit_symbol
from workbench.protocol.errors import ProtocolError
from workbench.session.advice import WINDOW
from workbench.session.client import DlmsClient
from workbench.session.probe import ProbeReport
from workbench.session.probe import probe as run_probe
from workbench.session.progress import ProgressCallback
from workbench.session.readings import REGISTER_CLASSES, Reading, read_values
from workbench.session.settings import ConnectionSettings
from workbench.session.targets import Target
from workbench.session.trace import FrameObserver
from workbench.ui.messages import (
    ActionRequest,
    AttributeReading,
    AttributeRef,
    MeterIdentity,
    PollSample,
    PollTarget,
    PollValue,
    WriteRequest,
)
from workbench.ui.value_text import readable_value, scaled_text

__all__ = [
    "DEFAULT_POLL_SERIES",
    "call",
    "describe_association",
    "format_value",
    "identify",
    "make_client",
    "poll",
    "probe",
    "read_attributes",
    "window_advice",
    "write",
]

DEFAULT_POLL_SERIES: tuple[PollTarget, ...] = (
    PollTarget("Voltage L1", 3, "1-1:32.7.0.255"),
    PollTarget("Current L1", 3, "1-1:31.7.0.255"),
    PollTarget("P+", 3, "1-1:1.7.0.255"),
    PollTarget("Q+", 3, "1-1:3.7.0.255"),
    PollTarget("S", 3, "1-1:9.7.0.255"),
)
"""Registers polled for the live plot, in one GET-with-list."""
SCALER_UNIT_ATTRIBUTE = 3


def make_client(settings: ConnectionSettings, observer: FrameObserver,
                on_progress: ProgressCallback | None = None) -> DlmsClient:
    """A client for ``settings`` whose frames go to ``observer`` and whose connection steps
    (TCP → HDLC → association, attempt n of m) go to ``on_progress``."""
    return DlmsClient(settings, observers=[observer], on_progress=on_progress)


def describe_association(settings: ConnectionSettings | None) -> str:
    if settings is None:
        return ""
    auth = "LLS" if settings.password is not None else "public, read-only"
    return f"{settings.peer} · physical {settings.physical} · client {settings.client} ({auth})"


def read_attributes(client: DlmsClient,
                    targets: tuple[AttributeRef, ...]) -> tuple[AttributeReading, ...]:
    """Read attributes in one GET-with-list, scaled where possible."""
    wanted = [Target(Obis.parse(t.obis), t.index, t.class_id) for t in targets]
    stamp = time.time()
    return tuple(_reading(r, stamp) for r in read_values(client, wanted, {}))


def _reading(r: Reading, stamp: float) -> AttributeReading:
    raw = format_data(r.data, max_items=50) if r.data is not None else ""
    number: float | None = None
    unit = ""
    if r.scaled is not None:
        text = scaled_text(r.scaled)
        unit = r.scaled.symbol
        number = _as_float(r.scaled.value)
    elif r.data is not None:
        text = _scaler_unit_text(r) or readable_value(r.class_id, r.target.obis, r.target.index,
                                                      r.data)
        number = _as_float(r.data.value)
    else:
        text = r.error or "failed"
    return AttributeReading(r.class_id, str(r.target.obis), r.target.index, text, raw,
                            r.ok, stamp, number, unit)


def _scaler_unit_text(r: Reading) -> str:
    """``scaler -1 · unit V (35)`` for a register's attribute 3, else ""."""
    if r.class_id not in REGISTER_CLASSES or r.target.index != SCALER_UNIT_ATTRIBUTE \
            or r.data is None:
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


def poll(client: DlmsClient, series: tuple[PollTarget, ...]) -> PollSample:
    """One live sample of every series in a single GET-with-list."""
    readings = read_attributes(client, tuple(AttributeRef(t.class_id, t.obis, 2)
                                             for t in series))
    return PollSample(time.time(), tuple(PollValue(t.name, r.number, r.unit)
                                         for t, r in zip(series, readings, strict=True)))


IDENTITY_TARGETS = ((1, "0-0:96.1.0.255", 2), (1, "0-0:42.0.0.255", 2))
"""Serial and logical device name."""


def identify(client: DlmsClient) -> MeterIdentity:
    """Serial, device name, link parameters, the meter's idle time-out (asked once) and the
    deviations tolerated while connecting."""
    serial, name = read_values(
        client, [Target(Obis.parse(o), a, c) for c, o, a in IDENTITY_TARGETS], {})
    info = client.read_idle_timeout()
    return MeterIdentity(_text_of(serial), _text_of(name), info.describe(),
                         info.idle_timeout, info.idle_timeout_source == "meter", info.warnings)


def _text_of(reading: Reading) -> str:
    if reading.data is None:
        return reading.error or "?"
    value = reading.data.value
    if isinstance(value, bytes) and value.isascii() and value.decode().isprintable():
        return value.decode()
    return format_data(reading.data)


def write(client: DlmsClient, request: WriteRequest) -> str:
    t = request.target
    client.set(AttributeDescriptor(t.class_id, Obis.parse(t.obis), t.index), request.value)
    return f"wrote {format_value(request.value)} to {t.obis} attribute {t.index}"


def call(client: DlmsClient, request: ActionRequest) -> str:
    m = request.method
    result = client.action(MethodDescriptor(m.class_id, Obis.parse(m.obis), m.index),
                           request.parameter)
    returned = f", returned {format_value(result)}" if result is not None else ""
    return f"{m.obis} method {m.index} done{returned}"


def probe(settings: ConnectionSettings, observer: FrameObserver,
          cancel: threading.Event | None = None) -> str:
    """Run the address/client scan and return its findings as plain text for a dialog.

    What to do comes first, in the words of the connection form (the session's advice
    names command-line options); each attempt follows on its own short paragraph.
    ``cancel``, set from any thread, stops the scan at once (raising ``Cancelled``).
    """
    report = run_probe(settings, observers=[observer], cancel=cancel)
    if report.tcp_error:
        return f"TCP {settings.peer}: {report.tcp_error}\n\n{window_advice(report)}"
    lines = [window_advice(report), "", f"TCP {settings.peer}: connected", ""]
    for a in report.attempts:
        auth = "with password" if a.with_password else "no password"
        lines += [f"physical {a.physical}, client {a.client} ({auth}): {a.outcome}",
                  f"    {a.explanation}", ""]
    return "\n".join(lines).rstrip()


def window_advice(report: ProbeReport) -> str:
    """What to change in the Connection panel, from a finished :class:`ProbeReport`."""
    return report.advice(WINDOW)


def format_value(value: Data | None) -> str:
    return "nothing" if value is None else format_data(value, max_items=8)
