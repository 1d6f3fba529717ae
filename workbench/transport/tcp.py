"""Raw TCP transport (the Microstar meters listen on port 3333, no IEC wrapper).

All socket exceptions are translated in :func:`map_exceptions`, once, so the rest of the
code handles four typed errors instead of errno values.
"""

from __future__ import annotations

import contextlib
import errno
import os
import select
import socket
import threading
import time
from collections.abc import Iterator
from typing import Any

from workbench.transport.base import Transport
from workbench.transport.errors import (
    ConnectError,
    LinkClosed,
    ReadTimeout,
    TransportError,
    WriteTimeout,
)

__all__ = ["CONNECT_SLICE", "TcpTransport", "map_exceptions"]

CONNECT_SLICE = 0.05
"""Longest blocking step of a TCP connect, in seconds: how soon :meth:`abort` takes effect."""

_IN_PROGRESS = {errno.EINPROGRESS, errno.EWOULDBLOCK, errno.EALREADY, 10035}  # 10035: Windows


@contextlib.contextmanager
def map_exceptions(
    mapping: dict[type[BaseException], type[TransportError]], what: str
) -> Iterator[None]:
    """Re-raise the first matching exception type of ``mapping`` as its transport error.

    ``what`` prefixes the message ("connect to 10.0.0.5:3333"). Order matters: the first
    entry whose type matches wins, so put ``TimeoutError`` before ``OSError``.
    """
    try:
        yield
    except TransportError:
        raise
    except Exception as exc:
        for source, target in mapping.items():
            if isinstance(exc, source):
                detail = exc.strerror if isinstance(exc, OSError) and exc.strerror else str(exc)
                raise target(f"{what}: {detail or type(exc).__name__}") from exc
        raise


_CONNECT_MAP: dict[type[BaseException], type[TransportError]] = {
    TimeoutError: ConnectError,
    OSError: ConnectError,
}
_READ_MAP: dict[type[BaseException], type[TransportError]] = {
    TimeoutError: ReadTimeout,
    OSError: LinkClosed,
}
_WRITE_MAP: dict[type[BaseException], type[TransportError]] = {
    TimeoutError: WriteTimeout,
    OSError: LinkClosed,
}


class TcpTransport(Transport):
    """A TCP client socket with per-call timeouts.

    Args:
        host: name or address of the meter (or its modem / the simulator).
        port: TCP port, 3333 for Microstar meters.
    """

    def __init__(self, host: str, port: int) -> None:
        self._host = host
        self._port = port
        self._sock: socket.socket | None = None
        self._aborted = threading.Event()

    @property
    def peer(self) -> str:
        return f"{self._host}:{self._port}"

    def __repr__(self) -> str:
        state = "open" if self._sock is not None else "closed"
        return f"<TcpTransport {self.peer} {state}>"

    def open(self, timeout: float) -> None:
        if self._sock is not None:
            return
        what = f"cannot connect to {self.peer}"
        if not 1 <= self._port <= 65535:  # the OS would silently wrap it onto another port
            raise ConnectError(f"{what}: port {self._port} is not in 1–65535")
        try:
            with map_exceptions(_CONNECT_MAP, what):
                addresses = socket.getaddrinfo(self._host, self._port, type=socket.SOCK_STREAM)
        except ValueError as exc:  # UnicodeError from the idna codec ("a..b"), NUL bytes
            raise ConnectError(f"{what}: {self._host!r} is not a valid host name") from exc
        deadline = time.monotonic() + timeout
        failure: OSError = OSError(errno.EADDRNOTAVAIL, "no address to connect to")
        for family, kind, proto, _name, address in addresses:
            sock = socket.socket(family, kind, proto)
            error = self._connect(sock, address, deadline, what)
            if error is None:
                sock.setblocking(True)
                sock.setsockopt(socket.IPPROTO_TCP, socket.TCP_NODELAY, 1)
                self._sock = sock
                return
            sock.close()
            failure = error
        raise ConnectError(f"{what}: {failure.strerror or failure}") from failure

    def _connect(self, sock: socket.socket, address: tuple[Any, ...], deadline: float,
                 what: str) -> OSError | None:
        """Connect ``sock`` in short slices (so :meth:`abort` works); None or the failure."""
        sock.setblocking(False)
        code = sock.connect_ex(address)
        while code in _IN_PROGRESS:
            if self._aborted.is_set():
                sock.close()
                raise ConnectError(f"{what}: cancelled")
            remaining = deadline - time.monotonic()
            if remaining <= 0:
                return TimeoutError(errno.ETIMEDOUT, "timed out")
            _r, writable, failed = select.select([], [sock], [sock],
                                                 min(remaining, CONNECT_SLICE))
            if writable or failed:
                code = sock.getsockopt(socket.SOL_SOCKET, socket.SO_ERROR)
        return OSError(code, os.strerror(code)) if code else None

    def abort(self) -> None:
        self._aborted.set()

    def read(self, max_bytes: int, timeout: float) -> bytes:
        sock = self._require_open()
        with map_exceptions(_READ_MAP, f"reading from {self.peer}"):
            sock.settimeout(max(timeout, 0.0001))
            data = sock.recv(max_bytes)
        if not data:
            raise LinkClosed(f"{self.peer} closed the connection")
        return data

    def write(self, data: bytes, timeout: float) -> None:
        sock = self._require_open()
        with map_exceptions(_WRITE_MAP, f"writing to {self.peer}"):
            sock.settimeout(max(timeout, 0.0001))
            sock.sendall(data)

    def close(self) -> None:
        sock, self._sock = self._sock, None
        if sock is None:
            return
        with contextlib.suppress(OSError):
            sock.shutdown(socket.SHUT_RDWR)
        with contextlib.suppress(OSError):
            sock.close()

    def _require_open(self) -> socket.socket:
        if self._sock is None:
            raise LinkClosed(f"connection to {self.peer} is not open")
        return self._sock
