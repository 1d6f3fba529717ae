"""The four-method byte pipe every session runs over.

Shaped like httpcore's ``NetworkStream``: a transport moves bytes with a timeout on every
call and knows nothing about HDLC or DLMS. TCP is the only implementation today; a serial
transport (optical probe, RS-485) would subclass :class:`Transport` the same way, mapping
its own port errors to the same :mod:`workbench.transport.errors` family.
"""

from __future__ import annotations

from abc import ABC, abstractmethod
from types import TracebackType

__all__ = ["Transport"]


class Transport(ABC):
    """A bidirectional byte stream with timeouts.

    Every method raises only :class:`~workbench.transport.errors.TransportError`
    subclasses. ``read`` returns at least one byte or raises: it never returns ``b""``
    (end of stream is :class:`~workbench.transport.errors.LinkClosed`).
    """

    @abstractmethod
    def open(self, timeout: float) -> None:
        """Open the stream, waiting at most ``timeout`` seconds. Raises ``ConnectError``."""

    @abstractmethod
    def read(self, max_bytes: int, timeout: float) -> bytes:
        """Return 1..max_bytes bytes. Raises ``ReadTimeout`` or ``LinkClosed``."""

    @abstractmethod
    def write(self, data: bytes, timeout: float) -> None:
        """Send all of ``data``. Raises ``WriteTimeout`` or ``LinkClosed``."""

    @abstractmethod
    def close(self) -> None:
        """Release the stream. Idempotent; never raises."""

    def abort(self) -> None:
        """Make an :meth:`open` in progress (or the next one) fail at once with
        ``ConnectError``. Thread-safe; never raises. Reads and writes are short slices
        already, so they need no abort. Transports whose open cannot be interrupted keep this
        default, which does nothing."""
        return None

    @property
    @abstractmethod
    def peer(self) -> str:
        """Human-readable name of the far end, for messages ("192.0.2.7:3333")."""

    def __enter__(self) -> Transport:
        return self

    def __exit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        tb: TracebackType | None,
    ) -> None:
        self.close()
