"""IEC 62056-21 mode E sign-on: from the optical probe's 300 baud to HDLC.

The optical port starts every exchange at 300 baud, 7 data bits, even parity:

1. we send the request ``/?!\\r\\n`` (optionally with a device address: ``/?ADDR!\\r\\n``);
2. the meter answers its identification ``/XXXZ\\2Ident\\r\\n`` — XXX the manufacturer's
   three letters, Z the fastest baud rate it offers ('0' 300 … '6' 19200), and the escape
   ``\\2`` saying it speaks HDLC (mode E);
3. we acknowledge with ``ACK 2 Z 2 \\r\\n`` (protocol control 2 = HDLC, the chosen baud
   character, mode control 2 = binary);
4. both sides switch to the chosen rate at 8 data bits, no parity, and HDLC begins.

This module only builds and parses those messages (sans-IO); the serial transport does the
waiting and the baud switching. 7E1 framing (start, 7 data bits, even parity, stop) is the
same ten bits as 8N1 with the parity in the eighth data bit, so the messages are built with
that bit already set (:func:`with_even_parity`) and can go out on a port set to 8N1 — what
cheap USB converters and pseudo-terminals support — and received bytes are read as 7 bits.
The identification is bounded (a meter's is at most 32 characters after the header);
anything longer is an error, not a buffer that grows.
"""

from __future__ import annotations

from dataclasses import dataclass

from workbench.protocol.errors import DecodeError, EncodeError

__all__ = ["BAUD_RATES", "SIGN_ON_BAUD", "Identification", "acknowledgement",
           "parse_identification", "sign_on_request", "with_even_parity"]

#: Baud rate characters of modes C and E.
BAUD_RATES = {"0": 300, "1": 600, "2": 1200, "3": 2400, "4": 4800, "5": 9600, "6": 19200}
SIGN_ON_BAUD = 300
_ACK = 0x06
_MAX_IDENTIFICATION = 48  # "/" + 3 + 1 + escapes + up to 32 characters + CR LF, with margin


@dataclass(frozen=True, slots=True)
class Identification:
    """What the meter said about itself in its identification message."""

    manufacturer: str
    baud_char: str
    hdlc: bool
    text: str
    raw: bytes

    @property
    def baud(self) -> int:
        """The fastest rate the meter offers."""
        return BAUD_RATES[self.baud_char]

    def describe(self) -> str:
        """One line for the user: "MSR meter 'MS3P1234', offers 9600 baud, mode E (HDLC)"."""
        mode = "mode E (HDLC)" if self.hdlc else "no HDLC (mode C only)"
        return (f"{self.manufacturer} meter '{self.text}', offers {self.baud} baud, {mode}")


def with_even_parity(data: bytes) -> bytes:
    """7-bit characters with an even-parity eighth bit: 7E1 on an 8N1 line."""
    return bytes(b & 0x7F | (bin(b & 0x7F).count("1") & 1) << 7 for b in data)


def sign_on_request(address: str = "") -> bytes:
    """The request message; ``address`` selects one meter on a shared bus (up to 32 chars)."""
    if len(address) > 32 or not all(c.isalnum() for c in address):
        raise EncodeError("an IEC 62056-21 device address is up to 32 letters or digits")
    return with_even_parity(b"/?" + address.encode("ascii") + b"!\r\n")


def parse_identification(raw: bytes) -> Identification:
    """Parse the meter's identification line (with its CR LF).

    Raises:
        DecodeError: not an identification message, or an unknown baud character.
    """
    if len(raw) > _MAX_IDENTIFICATION:
        raise DecodeError(f"identification longer than {_MAX_IDENTIFICATION} bytes",
                          offset=0, got=raw[:16].hex(" ").upper())
    line = bytes(b & 0x7F for b in raw)  # 7-bit characters, whatever the parity bit said
    if not (line.startswith(b"/") and line.endswith(b"\r\n") and len(line) >= 7):
        raise DecodeError("not an IEC 62056-21 identification message", offset=0,
                          expected="/XXXZ…<CR><LF>", got=raw[:16].hex(" ").upper())
    text = line[1:-2].decode("ascii", errors="replace")
    manufacturer, baud_char, rest = text[:3], text[3], text[4:]
    if baud_char not in BAUD_RATES:
        raise DecodeError("identification offers a baud rate outside modes C/E", offset=4,
                          got=repr(baud_char), expected="'0'..'6'")
    hdlc = False
    while rest.startswith("\\") and len(rest) >= 2:
        hdlc = hdlc or rest[1] == "2"
        rest = rest[2:]
    return Identification(manufacturer, baud_char, hdlc, rest, bytes(raw))


def acknowledgement(baud_char: str) -> bytes:
    """ACK 2 Z 2 CR LF: switch to HDLC (mode E) at the rate of ``baud_char``."""
    if baud_char not in BAUD_RATES:
        raise EncodeError(f"unknown baud character {baud_char!r}")
    return with_even_parity(bytes([_ACK]) + b"2" + baud_char.encode() + b"2\r\n")
