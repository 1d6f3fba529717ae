"""Session failures, each with a plain-language ``hint`` saying what to try next.

The CLI prints ``message`` and ``hint`` as two sentences and exits non-zero; the UI shows
them in its status bar. Transport errors and protocol errors are mapped to these at the
session edge, so callers catch :class:`SessionError` and nothing else.
"""

from __future__ import annotations

__all__ = [
    "AccessDenied",
    "AssociationRejected",
    "Cancelled",
    "ConnectFailed",
    "LinkLost",
    "NoResponse",
    "NotConnected",
    "ProtocolFailure",
    "ServiceFailed",
    "SessionError",
    "WrongAddress",
]


class SessionError(Exception):
    """Base of every session failure.

    Attributes:
        message: what went wrong, one sentence.
        hint: what to try next, one sentence.
    """

    default_hint = "Check the connection settings and try again."

    def __init__(self, message: str, hint: str | None = None) -> None:
        self.message = message
        self.hint = hint or self.default_hint
        super().__init__(message)

    def __str__(self) -> str:
        return self.message


class ConnectFailed(SessionError):
    """The TCP connection could not be opened."""

    default_hint = ("Check the host and port (Microstar meters listen on 3333), "
                    "that the modem is powered and that no other program holds the connection.")


class NoResponse(SessionError):
    """The meter stayed silent past the timeout (and every retry)."""

    default_hint = ("A silent meter usually means a wrong physical address (the last 4 digits "
                    "of the serial, default 1234); try `workbench probe` to find it.")


class AssociationRejected(SessionError):
    """The meter refused the association (AARE not accepted, or DM to the SNRM).

    Attributes:
        aare: the decoded AARE, or None when the refusal came as an HDLC DM frame.
    """

    default_hint = ("Check the client address and the password: client 16 needs none, "
                    "clients 32 and 1 need the LLS password.")

    def __init__(self, message: str, hint: str | None = None, aare: object | None = None) -> None:
        super().__init__(message, hint)
        self.aare = aare


class AccessDenied(SessionError):
    """The meter answered a GET/SET/ACTION with a data-access or action result other than success.

    Attributes:
        result: the ``DataAccessResult`` / ``ActionResult`` the meter sent.
    """

    default_hint = ("The public client (16) may only read; connect with client 32 or 1 and "
                    "the password to write or run methods.")

    def __init__(self, message: str, hint: str | None = None, result: object | None = None) -> None:
        super().__init__(message, hint)
        self.result = result


class ServiceFailed(SessionError):
    """The meter answered with an exception or confirmed-service-error response."""

    default_hint = ("The meter did not understand the request; check the OBIS code, class and "
                    "attribute, and that the object appears in `workbench objects`.")


class LinkLost(SessionError):
    """The meter (or a modem in between) closed or reset the connection mid-exchange."""

    default_hint = ("The meter drops the link after 180 s of silence or when another client "
                    "connects; reconnect, and keep the keepalive under 180 s.")


class ProtocolFailure(SessionError):
    """The meter sent something we cannot use: an undecodable APDU, frames the link refuses,
    bytes that are no frame, an answer that does not fit the request or exceeds our limits.

    Deterministic: the same request would get the same answer, so it is reported once and
    never retried or reconnected as if the line were noisy.
    """

    default_hint = ("Save a capture (`--trace`) and decode it with `workbench decode`; "
                    "a non-DLMS device on that port or a meter bug is the usual cause.")


class WrongAddress(ProtocolFailure):
    """A frame came back from another HDLC address than the one we called.

    Attributes:
        logical, physical: the address the meter answered from (physical None for a
            1-byte address; both None when unknown): what the engineer should use.
    """

    default_hint = ("Another station answered: use the address it answered from (the "
                    "message names it), or run the probe to scan the addresses.")

    def __init__(self, message: str, hint: str | None = None, *, logical: int | None = None,
                 physical: int | None = None) -> None:
        super().__init__(message, hint)
        self.logical = logical
        self.physical = physical


class NotConnected(SessionError):
    """A request was made while no association is open."""

    default_hint = "Call connect() first (or reconnect after the meter dropped the link)."


class Cancelled(SessionError):
    """The user cancelled the running request (``DlmsClient.cancel()``)."""

    default_hint = "Nothing was lost: rows already received were kept. Run the request again."
