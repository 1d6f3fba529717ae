"""One error family for everything the protocol core rejects.

Every decoder raises a subclass of :class:`ProtocolError` and nothing else, so callers
(the session, the frame log, ``workbench decode``) can catch one type and still tell the
user exactly what was wrong: which frame, which byte, what was expected, what was found.

Following h11, the core raises :class:`LocalProtocolError` when *we* are asked to build
something invalid, and :class:`RemoteProtocolError` when bytes from the peer are invalid.
"""

from __future__ import annotations

__all__ = [
    "ApduTooLarge",
    "ChecksumError",
    "DecodeError",
    "EncodeError",
    "LocalProtocolError",
    "ProtocolError",
    "RemoteProtocolError",
]


class ProtocolError(Exception):
    """Base of every error the protocol core raises.

    Attributes:
        offset: byte offset (within the buffer being decoded) where the problem sits, or None.
        length: how many bytes the problem spans (at least 1 when offset is set).
        expected: what the decoder expected there, in words, or None.
        got: what it found, in words or hex, or None.
        what: the frame or element being decoded ("HDLC frame", "GET-Response", ...).
    """

    def __init__(
        self,
        message: str,
        *,
        offset: int | None = None,
        length: int = 1,
        expected: str | None = None,
        got: str | None = None,
        what: str | None = None,
    ) -> None:
        self.message = message
        self.offset = offset
        self.length = length
        self.expected = expected
        self.got = got
        self.what = what
        super().__init__(self._render())

    def _render(self) -> str:
        parts = []
        if self.what:
            parts.append(f"{self.what}: ")
        parts.append(self.message)
        if self.offset is not None:
            end = self.offset + max(self.length, 1) - 1
            where = f"byte {self.offset}" if end == self.offset else f"bytes {self.offset}–{end}"
            parts.append(f" at {where}")
        if self.got is not None:
            parts.append(f": got {self.got}")
        if self.expected is not None:
            parts.append(f", expected {self.expected}" if self.got is not None
                         else f": expected {self.expected}")
        return "".join(parts)

    def shifted(self, base: int) -> ProtocolError:
        """Return the same error with its offset moved by ``base`` (for nested decoders)."""
        if self.offset is not None:
            self.offset += base
            self.args = (self._render(),)
        return self


class LocalProtocolError(ProtocolError):
    """We were asked to build or send something the protocol does not allow."""


class RemoteProtocolError(ProtocolError):
    """Bytes received from the peer (or given to a decoder) are not valid."""


class DecodeError(RemoteProtocolError):
    """A decoder met bytes it cannot interpret (truncated, unknown tag, bad length...)."""


class ChecksumError(DecodeError):
    """An HDLC HCS or FCS does not match the bytes it protects."""


class EncodeError(LocalProtocolError):
    """A value cannot be encoded (out of range, wrong type for the DLMS data type...)."""


class ApduTooLarge(RemoteProtocolError):
    """The peer's segmented APDU grew past the size we allow (the negotiated maximum).

    Why a type of its own: the session ends the exchange on it (a peer that never sends the
    last segment must not eat the machine) and tells the user both numbers.

    Attributes:
        received: APDU bytes received so far (LLC header excluded) when the cap was hit.
        limit: the maximum APDU size in force.
    """

    def __init__(self, received: int, limit: int) -> None:
        self.received = received
        self.limit = limit
        super().__init__(f"the peer's segmented APDU reached {received} bytes, more than the "
                         f"negotiated maximum APDU size of {limit} bytes; reassembly stopped",
                         what="HDLC link")
