"""What a session needs to reach one meter, and the password wrapper that keeps it secret.

Settings are frozen so a running session can never be changed under its feet; the UI and
the CLI build a new one with :func:`dataclasses.replace`.
"""

from __future__ import annotations

import math
from dataclasses import dataclass

from workbench.security import Concealed
from workbench.session.credentials import HlsCredentials
from workbench.session.transports import check_transport

__all__ = ["DEFAULT_MAX_TRANSFER", "MAX_INFO_RANGE", "PUBLIC_CLIENT", "WINDOW_RANGE",
           "ConnectionSettings", "Secret"]

MAX_INFO_RANGE = (32, 2030)
"""HDLC information field lengths a client may propose (2030: the longest frame of 2047
bytes less its header and checksums)."""
WINDOW_RANGE = (1, 7)
"""HDLC windows: 3-bit sequence numbers allow at most 7 frames in flight."""

DEFAULT_MAX_TRANSFER = 16 * 1024 * 1024
"""Cap on one block transfer, in bytes (adjustable per connection)."""

PUBLIC_CLIENT = 16
"""Client SAP of the public (read-only, no password) association."""


class Secret(Concealed):
    """A password that never shows itself: ``repr``/``str``/f-strings all give ``***``.

    Only :meth:`reveal` hands out the bytes, and only the AARQ encoder should call it.
    """

    __slots__ = ()

    def __init__(self, value: str | bytes) -> None:
        """Keep ``value`` as bytes; text must be Latin-1 (one byte per character on the wire).

        Raises:
            ValueError: text outside Latin-1. The message and the exception chain say nothing
                about the value: a UnicodeEncodeError would quote the offending character.
        """
        if isinstance(value, str):
            try:
                value = value.encode("latin-1")
            except UnicodeEncodeError:
                raise ValueError("the password must be Latin-1 text "
                                 "(a character outside it was found)") from None
        self._value = bytes(value)

    def __reduce__(self) -> str | tuple[object, ...]:
        raise TypeError("a Secret cannot be pickled or copied to disk")


@dataclass(frozen=True)
class ConnectionSettings:
    """How to reach and talk to one meter.

    Attributes:
        host, port: TCP endpoint (raw HDLC, Microstar default port 3333).
        physical: HDLC physical (lower) server address; last 4 digits of the serial.
        logical: HDLC logical (upper) server address; 1 on Microstar meters.
        address_size: server address length in bytes (1, 2 or 4).
        client: client SAP: 16 public, 32 or 1 with the LLS password.
        password: LLS password, or None for no authentication.
        timeout: seconds to wait for any single answer from the meter.
        retries: resends of a lost or corrupted frame before giving up.
        keepalive: seconds of silence after which the session reads the clock, so the
            meter's 180 s idle drop never happens while connected.
        max_info: HDLC information field length proposed in the SNRM (both ways),
            32..2030 bytes; the meter grants at most its own limit.
        window: HDLC window proposed in the SNRM (both ways), 1..7. The defaults (128 and 1)
            are what Microstar meters grant; faster meters take up to 2030 and 7.
        idle_timeout: seconds of silence after which the meter drops the link, used when
            the meter does not say (its IEC HDLC setup object); Microstar: 180.
        max_transfer: most bytes one block transfer (a GET answered in datablocks) may
            bring, default :data:`DEFAULT_MAX_TRANSFER`: a year of 15-minute load profile
            is about 2 MB, so this is never reached by an honest meter.
        transport, device, baud: ``tcp`` (HDLC on host:port), ``serial`` (HDLC on
            ``device`` at ``baud`` 8N1), ``optical`` (IEC 62056-21 probe on ``device``, mode
            E, switching to at most ``baud``) or ``wrapper`` (IEC 62056-47 on host:port);
            see :mod:`workbench.session.transports`.
        hls: system title and keys for HLS-GMAC with suite-0 ciphering, or None.
    """

    host: str = "127.0.0.1"
    port: int = 3333
    physical: int = 1234
    logical: int = 1
    address_size: int = 4
    client: int = PUBLIC_CLIENT
    password: Secret | None = None
    timeout: float = 5.0
    retries: int = 3
    keepalive: float = 120.0
    max_info: int = 128
    window: int = 1
    idle_timeout: float = 180.0
    max_transfer: int = DEFAULT_MAX_TRANSFER
    transport: str = "tcp"
    device: str = ""
    baud: int = 9600
    hls: HlsCredentials | None = None

    def __post_init__(self) -> None:
        check_transport(self.transport, self.device, self.baud)
        if self.password is not None and not isinstance(self.password, Secret):
            object.__setattr__(self, "password", Secret(self.password))
        if not 0 < self.timeout < math.inf:  # also refuses NaN, which sockets reject late
            raise ValueError(f"timeout must be a positive number of seconds, got {self.timeout}")
        if self.retries < 0:
            raise ValueError(f"retries must be 0 or more, got {self.retries}")
        if not MAX_INFO_RANGE[0] <= self.max_info <= MAX_INFO_RANGE[1]:
            raise ValueError(f"max_info must be within {MAX_INFO_RANGE[0]}..{MAX_INFO_RANGE[1]} "
                             f"bytes, got {self.max_info}")
        if not WINDOW_RANGE[0] <= self.window <= WINDOW_RANGE[1]:
            raise ValueError(f"window must be within {WINDOW_RANGE[0]}..{WINDOW_RANGE[1]}, "
                             f"got {self.window}")
        if self.max_transfer < 1024:
            raise ValueError(f"max_transfer must be at least 1024 bytes, got {self.max_transfer}")
        if self.address_size not in (1, 2, 4):
            raise ValueError(f"address_size must be 1, 2 or 4, got {self.address_size}")

    @property
    def peer(self) -> str:
        """``host:port`` (or the serial device) for messages."""
        if self.transport in ("serial", "optical"):
            return f"{self.transport} {self.device}"
        return f"{self.host}:{self.port}"

    @property
    def uses_password(self) -> bool:
        return self.password is not None

    def describe(self) -> str:
        """One line for logs and error messages; never contains the password."""
        auth = "LLS password" if self.password is not None else "no password"
        auth = self.hls.describe() if self.hls is not None else auth
        return (f"{self.peer} physical {self.physical} logical {self.logical} "
                f"client {self.client} ({auth})")
