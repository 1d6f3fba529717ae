"""How long the meter tolerates silence: read from the meter when it says, else configured.

The IEC HDLC setup object (class 23, ``0-0:22.0.0.255``) holds ``inactivity_time_out``
(attribute 8, seconds). A meter that has it is believed over the configured value (a
Microstar's notes say 180 s, but a meter set to 45 s drops us at 45 s); the keepalive is then
kept at two thirds of it, so the idle drop never fires while we are connected.
"""

from __future__ import annotations

import logging
from collections.abc import Callable
from dataclasses import dataclass

from workbench.protocol.apdu import AttributeDescriptor, DataAccessResult
from workbench.protocol.axdr import Data
from workbench.protocol.cosem import Obis
from workbench.session.errors import AccessDenied, ProtocolFailure, ServiceFailed
from workbench.session.settings import ConnectionSettings

__all__ = ["HDLC_SETUP", "INACTIVITY_TIMEOUT", "IdleTimeout", "keepalive_interval",
           "read_idle_timeout"]

_log = logging.getLogger("workbench.session")

HDLC_SETUP = Obis(0, 0, 22, 0, 0, 255)
INACTIVITY_TIMEOUT = AttributeDescriptor(23, HDLC_SETUP, 8)
_KEEPALIVE_SHARE = 2 / 3


@dataclass(frozen=True)
class IdleTimeout:
    """Seconds of silence before the meter drops the link, and who said so."""

    seconds: float
    source: str  # "meter" or "configured"


def read_idle_timeout(get: Callable[[AttributeDescriptor], Data | DataAccessResult],
                      settings: ConnectionSettings) -> IdleTimeout:
    """The meter's inactivity time-out if it has one (a positive number), else the setting."""
    configured = IdleTimeout(settings.idle_timeout, "configured")
    try:
        answer = get(INACTIVITY_TIMEOUT)
    except (AccessDenied, ServiceFailed, ProtocolFailure) as exc:
        _log.info("inactivity time-out not readable (%s); using %g s", exc, configured.seconds)
        return configured
    value = answer.value if isinstance(answer, Data) else None
    if isinstance(value, int) and not isinstance(value, bool) and value > 0:
        return IdleTimeout(float(value), "meter")
    return configured


def keepalive_interval(configured: float, idle: IdleTimeout) -> float:
    """The keepalive period: as configured, but never beyond two thirds of the idle time-out
    (0 or less keeps keepalives off)."""
    if configured <= 0:
        return configured
    return min(configured, idle.seconds * _KEEPALIVE_SHARE)
