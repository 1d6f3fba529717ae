"""Find how to talk to an unknown meter: which physical address answers, which clients work.

A bounded scan, in plain language. Silence to an SNRM means a wrong physical address; a DM
means the address is right but this client SAP is refused; an AARE rejection means the
link is fine and the association failed (usually the password). The scan first looks for
an address that answers at all (with the public client), then tries each client there.
Every attempt is a full connect with no retries and a short timeout, and the whole scan
stops at ``budget`` seconds.
"""

from __future__ import annotations

import dataclasses
import time
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field

from workbench.protocol.hdlc import physical_from_serial
from workbench.session.association import AssociationInfo
from workbench.session.client import DlmsClient
from workbench.session.errors import (
    AssociationRejected,
    ConnectFailed,
    LinkLost,
    NoResponse,
    SessionError,
)
from workbench.session.settings import PUBLIC_CLIENT, ConnectionSettings
from workbench.session.trace import FrameObserver
from workbench.transport.base import Transport
from workbench.transport.errors import TransportError
from workbench.transport.tcp import TcpTransport

__all__ = ["ProbeAttempt", "ProbeReport", "candidate_physicals", "probe"]

COMMON_PHYSICALS = (1234, 1, 16, 17, 100, 1000)
COMMON_CLIENTS = (16, 32, 1)

ASSOCIATED, SILENT, LINK_REFUSED, REJECTED, LOST, SKIPPED = (
    "associated", "silent", "link refused", "rejected", "link lost", "not tried")


@dataclass(frozen=True)
class ProbeAttempt:
    """One connect attempt and what it tells us."""

    physical: int
    client: int
    with_password: bool
    outcome: str
    explanation: str
    seconds: float = 0.0
    info: AssociationInfo | None = None


@dataclass
class ProbeReport:
    host: str
    port: int
    tcp_error: str | None = None
    attempts: list[ProbeAttempt] = field(default_factory=list)

    @property
    def working(self) -> list[ProbeAttempt]:
        return [a for a in self.attempts if a.outcome == ASSOCIATED]

    @property
    def physical(self) -> int | None:
        """The physical address the meter answered on, if any."""
        answered = [a for a in self.attempts if a.outcome not in (SILENT, SKIPPED, LOST)]
        return answered[0].physical if answered else None

    def advice(self) -> str:
        """What to do next, in one or two sentences."""
        if self.tcp_error:
            return ("Nothing listens there: check the IP address and port (3333 on Microstar "
                    "meters) and that the modem is online.")
        if self.physical is None:
            return ("No physical address answered: pass --serial (the last 4 digits are the "
                    "address) or --physical, and check nobody else is connected to the meter.")
        if not self.working:
            return (f"The meter answers on physical address {self.physical} but refused every "
                    "client tried: check the password (--password-env VAR).")
        with_password = [a for a in self.working if a.with_password]
        best = (with_password or self.working)[0]
        pw = " with the password" if best.with_password else ""
        return f"Use --physical {best.physical} --client {best.client}{pw}."


def candidate_physicals(serial: str | None = None, physical: int | None = None) -> list[int]:
    """Addresses to try, most likely first: given, derived from the serial, then common ones."""
    ordered = [physical, physical_from_serial(serial) if serial else None, *COMMON_PHYSICALS]
    return list(dict.fromkeys(p for p in ordered if p is not None))


def _explain(exc: SessionError, physical: int, client: int) -> tuple[str, str]:
    if isinstance(exc, NoResponse):
        return SILENT, (f"no answer on physical address {physical}: wrong physical address, "
                        "or the meter ignores this client SAP")
    if isinstance(exc, AssociationRejected) and exc.aare is None:
        return LINK_REFUSED, f"the meter answered DM: client {client} is not allowed"
    if isinstance(exc, AssociationRejected):
        return REJECTED, f"{exc.message}. {exc.hint}"
    return LOST, f"{exc.message}"


def probe(settings: ConnectionSettings, *, serial: str | None = None,
          physicals: Iterable[int] | None = None, clients: Iterable[int] = COMMON_CLIENTS,
          budget: float = 30.0, observers: Iterable[FrameObserver] = (),
          transport_factory: Callable[[str, int], Transport] = TcpTransport) -> ProbeReport:
    """Scan physical addresses, then clients, within ``budget`` seconds.

    ``settings`` gives host, port, logical address, timeout and the password (used for
    clients other than 16). Its physical address and client are tried first.
    """
    report = ProbeReport(settings.host, settings.port)
    deadline = time.monotonic() + budget
    try:
        transport = transport_factory(settings.host, settings.port)
        transport.open(settings.timeout)
        transport.close()
    except TransportError as exc:
        report.tcp_error = str(exc)
        return report
    observers = list(observers)

    def attempt(physical: int, client: int) -> ProbeAttempt:
        password = settings.password if client != PUBLIC_CLIENT else None
        if time.monotonic() + settings.timeout > deadline:
            return ProbeAttempt(physical, client, password is not None, SKIPPED,
                                "the time box ran out before this attempt")
        trial = dataclasses.replace(settings, physical=physical, client=client,
                                    password=password, retries=0)
        client_obj = DlmsClient(trial, transport_factory=transport_factory, observers=observers)
        started = time.monotonic()
        try:
            info = client_obj.connect()
            outcome, text = ASSOCIATED, f"associated: {info.describe()}"
        except ConnectFailed:
            raise
        except (NoResponse, AssociationRejected, LinkLost) as exc:
            info = None
            outcome, text = _explain(exc, physical, client)
        finally:
            client_obj.close()
        return ProbeAttempt(physical, client, password is not None, outcome, text,
                            time.monotonic() - started, info)

    first_client = settings.client
    try:
        for physical in physicals or candidate_physicals(serial, settings.physical):
            result = attempt(physical, first_client)
            report.attempts.append(result)
            if result.outcome not in (SILENT, LOST):
                break
        found = report.physical
        if found is not None:
            for client in dict.fromkeys(clients):
                if client != first_client:
                    report.attempts.append(attempt(found, client))
    except ConnectFailed as exc:
        report.tcp_error = exc.message
    return report
