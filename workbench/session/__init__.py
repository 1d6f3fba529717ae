"""Drives the protocol core over a transport: timeouts, retries, keepalive, reconnect.

The public face: :class:`DlmsClient`, its :class:`ConnectionSettings` (with the password
in a :class:`Secret`), and the :class:`SessionError` family every failure arrives as.
"""

from workbench.session.association import AssociationInfo
from workbench.session.client import DlmsClient, SessionState
from workbench.session.errors import (
    AccessDenied,
    AssociationRejected,
    Cancelled,
    ConnectFailed,
    LinkLost,
    NoResponse,
    NotConnected,
    ProtocolFailure,
    ServiceFailed,
    SessionError,
)
from workbench.session.settings import ConnectionSettings, Secret
from workbench.session.trace import FrameRecord, Tracer

__all__ = [
    "AccessDenied",
    "AssociationInfo",
    "AssociationRejected",
    "Cancelled",
    "ConnectFailed",
    "ConnectionSettings",
    "DlmsClient",
    "FrameRecord",
    "LinkLost",
    "NoResponse",
    "NotConnected",
    "ProtocolFailure",
    "Secret",
    "ServiceFailed",
    "SessionError",
    "SessionState",
    "Tracer",
]
