"""Typed transport failures: the only exceptions a :class:`Transport` raises.

Modelled on httpcore's exception tree: the socket layer's zoo of ``OSError`` subclasses
and ``socket.timeout`` is mapped once, at the edge, into four kinds the session can act on
(reconnect, retry, give up) without ever inspecting errno values.
"""

from __future__ import annotations

__all__ = ["ConnectError", "LinkClosed", "PortGone", "PortMissing", "ReadTimeout",
           "TransportError", "WriteTimeout"]


class TransportError(Exception):
    """Base of every transport failure; the message names the peer and what went wrong."""


class ConnectError(TransportError):
    """The connection could not be opened (refused, unreachable, name not found, timeout)."""


class ReadTimeout(TransportError):
    """No byte arrived within the read timeout. The link may still be usable."""


class WriteTimeout(TransportError):
    """The peer did not accept our bytes within the write timeout."""


class LinkClosed(TransportError):
    """The peer closed or reset the connection, or the transport was already closed."""


class PortGone(LinkClosed):
    """The local device itself went away (a USB serial adapter or optical probe unplugged,
    or its power lost): the message says so in plain words, since the meter did nothing."""


class PortMissing(ConnectError):
    """The local device to open is not there (nothing plugged in under that name)."""
