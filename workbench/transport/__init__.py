"""Byte transports with timeouts (TCP today, serial later); they know nothing of DLMS."""

from workbench.transport.base import Transport
from workbench.transport.errors import (
    ConnectError,
    LinkClosed,
    PortGone,
    PortMissing,
    ReadTimeout,
    TransportError,
    WriteTimeout,
)
from workbench.transport.tcp import TcpTransport

__all__ = [
    "ConnectError",
    "LinkClosed",
    "PortGone",
    "PortMissing",
    "ReadTimeout",
    "TcpTransport",
    "Transport",
    "TransportError",
    "WriteTimeout",
]
