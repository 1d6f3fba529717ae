"""Immutable values the session worker sends to the widgets.

Signals cross threads; everything they carry is frozen, so a widget can never change what
the worker still holds, and no widget ever needs a reference to the session itself.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from enum import Enum


class LinkState(Enum):
    DISCONNECTED = "Disconnected"
    CONNECTING = "Connecting"
    TCP = "TCP connected"
    HDLC = "HDLC link up"
    ASSOCIATED = "Associated"
    RECONNECTING = "Reconnecting"


@dataclass(frozen=True)
class LinkStatus:
    """Where the connection stands, for the state line and the idle countdown.

    ``last_activity`` is a ``time.monotonic()`` stamp of the last frame exchanged; the meter
    drops the link ``idle_limit`` seconds after it. ``next_keepalive`` is monotonic too.
    """

    state: LinkState
    detail: str = ""
    last_activity: float = 0.0
    idle_limit: float = 180.0
    next_keepalive: float = 0.0
    client: int = 0
    authenticated: bool = False


@dataclass(frozen=True)
class Failure:
    """A failed action, in plain language, with the next thing to try."""

    action: str
    message: str
    hint: str = ""


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
class PollSample:
    """One live-plot sample: series name → value (None where the read failed)."""

    time: float
    values: dict[str, float | None] = field(default_factory=dict)
    units: dict[str, str] = field(default_factory=dict)


@dataclass(frozen=True)
class ProfileChunk:
    """Rows of a profile read, as they arrive; ``done`` marks the last chunk."""

    obis: str
    columns: tuple[str, ...]
    rows: tuple[tuple, ...]
    done: bool = False
    cancelled: bool = False
    error: str = ""


@dataclass(frozen=True)
class MeterIdentity:
    """What the engineer wants to see first after connecting: which meter, which clock."""

    serial: str = ""
    device_name: str = ""
    clock: str = ""
    clock_drift_s: float | None = None
    association: str = ""
