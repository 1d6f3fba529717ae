"""Any exception from a session job, as a :class:`Failure` in the window's words (Qt-free).

The session's hints are written for both front ends; where one still speaks command-line
syntax (a back-quoted command, an ``--option``), the window says the same thing with its
own buttons and fields instead. A link lost in the middle of a request names that, never
the idle drop: the session was talking when it happened.
"""

from __future__ import annotations

import logging

from workbench.protocol.errors import LocalProtocolError, ProtocolError
from workbench.session.advice import WINDOW, protocol_error_text
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
from workbench.session.readings import UnknownClass
from workbench.session.targets import TargetError
from workbench.ui.messages import Failure, Request

__all__ = ["failure_from", "is_cancel"]

_log = logging.getLogger(__name__)

PROBE_HINT = ("A silent meter usually means a wrong physical address (the last 4 digits of "
              "the Serial). Press Probe to try the likely addresses and clients.")
_GUI_HINTS: dict[type[SessionError], str] = {
    ConnectFailed: ("Check the Host and Port (Microstar meters listen on 3333), that the modem "
                    "is online and that no other program holds the connection."),
    AssociationRejected: ("Check the Client and the Password: client 16 needs none, clients "
                          "32 and 1 need the LLS password."),
    ServiceFailed: ("The meter did not understand the request: check the object, class and "
                    "attribute in the object list."),
    ProtocolFailure: ("Save the capture (File → Save capture) and report it; a noisy line or a "
                      "device that is not a meter is the usual cause."),
    NotConnected: "Press Connect first (Ctrl+K).",
    AccessDenied: ("The public client (16) may only read; connect as client 32 or 1 with the "
                   "password to write or call methods."),
}


def is_cancel(exc: BaseException) -> bool:
    return isinstance(exc, Cancelled)


def failure_from(action: str, exc: BaseException, retry: Request | None = None,
                 connecting: bool = False) -> Failure:
    """Turn any exception into a Failure the user can act on (never a traceback).

    ``connecting`` says the association was not open yet: silence then points at the
    address (and the Probe button); silence or a lost link later does not.
    """
    if isinstance(exc, NoResponse):
        if connecting:
            return Failure(action, exc.message, PROBE_HINT, retry, offer_probe=True)
        return Failure(action, exc.message, "The meter stopped answering in the middle of "
                       f"{action.lower()}. Press Retry; if it stays silent, check the line.",
                       retry)
    if isinstance(exc, LinkLost):
        hint = ("The connection closed while connecting: the meter or a modem in between reset "
                "it. Press Retry." if connecting else
                f"The connection closed in the middle of {action.lower()}: the meter or a modem "
                "in between reset it. Press Retry; the session reconnects first.")
        return Failure(action, exc.message, hint, retry)
    if isinstance(exc, SessionError):
        return Failure(action, exc.message, _gui_hint(exc), retry)
    return _local_failure(action, exc, retry)


def _gui_hint(exc: SessionError) -> str:
    """The session's hint, unless it speaks command-line syntax."""
    speaks_cli = "`" in exc.hint or " --" in exc.hint or "command line" in exc.hint
    if not speaks_cli and exc.hint != type(exc).default_hint:
        return exc.hint  # a specific hint (wrong password, refused write) fits both
    return _GUI_HINTS.get(type(exc), exc.hint if not speaks_cli else "")


def _local_failure(action: str, exc: BaseException, retry: Request | None) -> Failure:
    if isinstance(exc, ProtocolError):  # a value we cannot encode is not worth a retry
        message, hint = protocol_error_text(exc, WINDOW)
        return Failure(action, message, hint,
                       None if isinstance(exc, LocalProtocolError) else retry)
    if isinstance(exc, UnknownClass | TargetError):
        return Failure(action, str(exc), "Read the object list again.")
    _log.error("%s failed unexpectedly", action, exc_info=exc)
    return Failure(action, f"unexpected {type(exc).__name__}: {exc}",
                   "This is a bug in the workbench; please save the capture and report it.")
