"""What to try next, written once for both front ends: refused requests, undecodable
answers, and the wording of probe advice (:meth:`ProbeReport.advice`).

Why here: the command line and the window used to phrase the same advice separately and
drifted apart (the window told a refused *write by client 32* that "the public client may
only read"). The facts live here; the two front ends differ only in how they name their
controls, which :class:`Wording` holds (``CLI`` speaks options, ``WINDOW`` fields and
buttons).
"""

from __future__ import annotations

from dataclasses import dataclass

from workbench.protocol.apdu import ActionResult, DataAccessResult, Operation, data_access_advice
from workbench.protocol.errors import LocalProtocolError, ProtocolError
from workbench.session.errors import AccessDenied

__all__ = ["CLI", "WINDOW", "Wording", "access_denied", "protocol_error_text"]


@dataclass(frozen=True)
class Wording:
    """How one front end names the controls the advice points at."""

    prefix: str
    """Put before a piece of advice ("What to do: " in the window, nothing on a terminal)."""
    peer: str
    """Where the host and port are given."""
    physical: str
    """Where the physical address is given."""
    password: str
    """How to give the password."""
    use: str
    """The verb for applying an address ("use" options, "set" fields)."""
    address: str
    """An address to apply: a format with ``{physical}`` and ``{client}``."""
    capture: str
    """How to keep the frames for a report."""
    values: str
    """What the user typed that may not encode."""

    def say(self, text: str) -> str:
        """``text`` as a sentence after the prefix."""
        text = f"{self.prefix}{text}"
        return f"{text[:1].upper()}{text[1:]}"


CLI = Wording(prefix="", peer="the IP address and port",
              physical="pass --serial (its last 4 digits are the address) or --physical N",
              password="--password-env VAR", use="use",
              address="--physical {physical} --client {client}",
              capture="run again with --capture FILE.wbcap",
              values="the option values (addresses, OBIS codes, typed values)")
WINDOW = Wording(prefix="What to do: ", peer="the Host and Port",
                 physical="check the Serial field (its last 4 digits are the address)",
                 password="the Password field", use="set",
                 address="a Serial ending in {physical:04d} and Client {client}",
                 capture="save the capture (File → Save capture)",
                 values="the value, its type and the connection settings")


def access_denied(result: DataAccessResult | ActionResult, what: str, *,
                  operation: Operation, client: int) -> AccessDenied:
    """The :class:`AccessDenied` for a refusal: ``what`` ("writing 8/0-0:1.0.0.255:2")
    with the meter's code in the message, and a hint that fits *this* client and
    operation (only the public client is told it is public; a hardware fault is not
    blamed on access rights)."""
    advice = data_access_advice(int(result), client_sap=client, operation=operation)
    return AccessDenied(f"{what} failed: the meter answered {result.label}", _sentence(advice),
                        result=result)


def _sentence(text: str) -> str:
    text = text.strip()
    return f"{text[:1].upper()}{text[1:]}{'' if text.endswith('.') else '.'}"


def protocol_error_text(exc: ProtocolError, words: Wording) -> tuple[str, str]:
    """Message and hint for a protocol error that reached a front end unwrapped.

    A :class:`LocalProtocolError` is a value *we* were given that cannot be encoded; any
    other protocol error is the meter's answer that we could not read.
    """
    if isinstance(exc, LocalProtocolError):
        return f"this request cannot be built: {exc}", f"Check {words.values}."
    return (f"the meter sent something we could not decode: {exc}",
            f"{_sentence(words.capture)[:-1]} and report it with the bytes.")
