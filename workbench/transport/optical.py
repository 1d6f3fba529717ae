"""An IEC 62056-21 optical probe: mode E sign-on at 300 baud, then HDLC at the meter's rate.

Opening this transport performs the sign-on (see :mod:`workbench.protocol.optical`) so the
session above sees a plain byte pipe already switched to HDLC. The meter's identification
is kept in :attr:`OpticalTransport.identification` for the user to see. A meter that does
not offer mode E, or says nothing, is a ``ConnectError`` naming what it did say.
"""

from __future__ import annotations

import time

from workbench.protocol.errors import ProtocolError
from workbench.protocol.optical import (
    BAUD_RATES,
    Identification,
    acknowledgement,
    parse_identification,
    sign_on_request,
)
from workbench.transport.errors import ConnectError, ReadTimeout
from workbench.transport.serial import SIGN_ON, LineSettings, SerialTransport

__all__ = ["OpticalTransport"]

_LINE_LIMIT = 64
#: The meter may take up to 1.5 s to answer the request (IEC 62056-21 t_r).
_ANSWER_TIME = 1.5
#: Time for the meter to switch rate after our acknowledgement (t_r minimum is 200 ms).
_SWITCH_PAUSE = 0.3


class OpticalTransport(SerialTransport):
    """A serial port with an optical head; the sign-on runs inside :meth:`open`.

    Args:
        device: the probe's port (``/dev/ttyUSB0``, ``COM5``).
        max_baud: never switch faster than this, whatever the meter offers (long cables,
            cheap probes).
        address: the IEC 62056-21 device address, for a shared bus; usually empty.
    """

    HOLDER = "the optical probe"

    def __init__(self, device: str, max_baud: int = 19200, address: str = "") -> None:
        super().__init__(device, SIGN_ON)
        self._max_baud = max_baud
        self._address = address
        self.identification: Identification | None = None

    @property
    def peer(self) -> str:
        return f"optical probe on {self._device}"

    def open(self, timeout: float) -> None:
        super().open(timeout)
        try:
            self._sign_on(timeout)
        except BaseException:
            self.close()
            raise

    def _sign_on(self, timeout: float) -> None:
        self.configure(SIGN_ON)
        self.write(sign_on_request(self._address), timeout)
        line = self._read_line(min(timeout, _ANSWER_TIME * 2))
        try:
            ident = parse_identification(line)
        except ProtocolError as exc:
            raise ConnectError(f"{self.peer}: the meter's answer to the sign-on is not an "
                               f"identification ({exc})") from None
        if not ident.hdlc:
            raise ConnectError(f"{self.peer}: {ident.describe()} — it does not offer mode E, "
                               "so DLMS cannot be used through this port")
        baud_char = self._choose(ident)
        self.write(acknowledgement(baud_char), timeout)
        time.sleep(_SWITCH_PAUSE)
        self.configure(LineSettings(BAUD_RATES[baud_char], 8, "N", 1))
        self.identification = ident

    def _choose(self, ident: Identification) -> str:
        allowed = [c for c, baud in BAUD_RATES.items()
                   if baud <= min(ident.baud, self._max_baud)]
        return max(allowed)

    def _read_line(self, timeout: float) -> bytes:
        """Bytes up to CR LF, within ``timeout`` and at most a bounded length."""
        deadline = time.monotonic() + timeout
        line = b""
        while not line.endswith(b"\n"):
            left = deadline - time.monotonic()
            if left <= 0:
                break
            try:
                line += self.read(_LINE_LIMIT, left)
            except ReadTimeout:
                break
            if len(line) > _LINE_LIMIT:
                raise ConnectError(f"{self.peer}: {len(line)} bytes without an end of line "
                                   f"after the sign-on (first: {line[:16].hex(' ').upper()})")
        if not line:
            raise ConnectError(f"{self.peer}: no answer to the IEC 62056-21 sign-on within "
                               f"{timeout:g} s — is the probe on the meter's optical port, "
                               "and the right way round?")
        return line
