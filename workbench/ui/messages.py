"""Immutable values that cross between the window (GUI thread) and the session worker.

Signals cross threads; everything they carry is a frozen dataclass, so a widget can never
change what the worker still holds, no widget needs a reference to the session, and every
field has a name and a type (no positional tuples documented only in docstrings).

Requests go from the window to the worker, say what the worker is ``doing`` while it runs
them, and carry the ``epoch`` they were sent in: a
Disconnect or Cancel starts a new epoch, so requests still queued from before it are
dropped instead of reaching the meter after the user said stop.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from enum import Enum
from typing import ClassVar

from workbench.protocol.axdr import Data
from workbench.session.settings import ConnectionSettings
from workbench.ui.jobs import ClientJob

__all__ = [
    "ActionRequest",
    "Activity",
    "AttributeReading",
    "AttributeRef",
    "ClockSyncRequest",
    "ConnectRequest",
    "Failure",
    "LinkState",
    "LinkStatus",
    "MeterIdentity",
    "ObjectListRequest",
    "PollSample",
    "PollTarget",
    "PollValue",
    "ProbeRequest",
    "ProfileChunk",
    "ProfileRequest",
    "ReadRequest",
    "Request",
    "WriteRequest",
]


class LinkState(Enum):
    DISCONNECTED = "Disconnected"
    CONNECTING = "Connecting"
    TCP = "TCP connected"
    HDLC = "HDLC link up"
    ASSOCIATED = "Associated"
    RECONNECTING = "Reconnecting"
    CLOSED = "Link closed"


@dataclass(frozen=True)
class LinkStatus:
    """Where the connection stands: the one source of truth for the state line.

    ``attempt``/``attempts`` count connect tries while retrying (0 when not retrying).
    ``last_activity`` is a ``time.monotonic()`` stamp of the last frame exchanged; the meter
    drops the link ``idle_limit`` seconds after it, a limit read from the meter's IEC HDLC
    setup object when ``idle_from_meter``, else the configured one. ``next_keepalive`` is
    monotonic too.
    """

    state: LinkState
    detail: str = ""
    attempt: int = 0
    attempts: int = 0
    last_activity: float = 0.0
    idle_limit: float = 180.0
    idle_from_meter: bool = False
    next_keepalive: float = 0.0
    client: int = 0
    authenticated: bool = False


@dataclass(frozen=True)
class Activity:
    """What the worker is busy with ("Reading the object list"), or idle when not running."""

    text: str = ""
    running: bool = False


@dataclass(frozen=True)
class AttributeRef:
    """One attribute (or method, for actions) of one COSEM object."""

    class_id: int
    obis: str
    index: int


# ---------------------------------------------------------------------------- requests


@dataclass(frozen=True)
class ConnectRequest:
    doing: ClassVar[str] = "Connecting"
    settings: ConnectionSettings
    epoch: int = 0


@dataclass(frozen=True)
class ObjectListRequest:
    doing: ClassVar[str] = "Reading the object list"
    epoch: int = 0


@dataclass(frozen=True)
class ReadRequest:
    """Read these attributes in one GET-with-list."""

    doing: ClassVar[str] = "Reading"
    targets: tuple[AttributeRef, ...]
    epoch: int = 0


@dataclass(frozen=True)
class WriteRequest:
    doing: ClassVar[str] = "Writing"
    target: AttributeRef
    value: Data
    epoch: int = 0


@dataclass(frozen=True)
class ActionRequest:
    doing: ClassVar[str] = "Calling the method"
    method: AttributeRef
    parameter: Data | None = None
    epoch: int = 0


@dataclass(frozen=True)
class ProfileRequest:
    doing: ClassVar[str] = "Reading the profile"
    obis: str
    start: dt.datetime | None = None
    end: dt.datetime | None = None
    epoch: int = 0


@dataclass(frozen=True)
class ProbeRequest:
    doing: ClassVar[str] = "Probing addresses and clients"
    settings: ConnectionSettings
    epoch: int = 0


@dataclass(frozen=True)
class ClockSyncRequest:
    """Set the meter clock to this PC's time, taken at the moment of sending."""

    doing: ClassVar[str] = "Setting the meter clock"
    epoch: int = 0


Request = (ConnectRequest | ObjectListRequest | ReadRequest | WriteRequest | ActionRequest
           | ProfileRequest | ProbeRequest | ClockSyncRequest | ClientJob)
"""Everything the window asks of the worker (Disconnect is a plain signal: never dropped)."""


# ---------------------------------------------------------------------------- results


@dataclass(frozen=True)
class Failure:
    """A failed action, in plain language, with the next thing to try.

    ``retry`` is the request to send again when the user presses Retry (None: nothing to
    retry); ``offer_probe`` shows the Probe button beside the message.
    """

    action: str
    message: str
    hint: str = ""
    retry: Request | None = None
    offer_probe: bool = False


@dataclass(frozen=True)
class AttributeReading:
    """One attribute as read: display text, raw text and the time it was read."""

    class_id: int
    obis: str
    attribute: int
    text: str
    raw: str
    ok: bool
    time: float
    number: float | None = None
    unit: str = ""


@dataclass(frozen=True)
class PollTarget:
    """One live-plot series: its name and the register polled for it."""

    name: str
    class_id: int
    obis: str


@dataclass(frozen=True)
class PollValue:
    """One series' value in a sample (None where the read failed)."""

    name: str
    value: float | None
    unit: str = ""


@dataclass(frozen=True)
class PollSample:
    """One live-plot sample; no values means a gap (the link was down)."""

    time: float
    values: tuple[PollValue, ...] = ()


@dataclass(frozen=True)
class ProfileChunk:
    """Rows of a profile read, as they arrive; ``done`` marks the last chunk."""

    obis: str
    columns: tuple[str, ...]
    rows: tuple[tuple[object, ...], ...]
    done: bool = False
    cancelled: bool = False
    error: str = ""


@dataclass(frozen=True)
class MeterIdentity:
    """What the meter said about itself when the association opened.

    ``idle_timeout_s`` is how long the meter tolerates silence: from its IEC HDLC setup
    object when ``idle_from_meter``, else the configured value; ``warnings`` are the
    deviations from the standard that were tolerated to talk to it.
    """

    serial: str = ""
    device_name: str = ""
    association: str = ""
    idle_timeout_s: float | None = None
    idle_from_meter: bool = False
    warnings: tuple[str, ...] = ()
