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
import threading
import time
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field

from workbench.protocol.hdlc import physical_from_serial
from workbench.session.advice import CLI, Wording
from workbench.session.association import AssociationInfo
from workbench.session.client import DlmsClient
from workbench.session.errors import (
    AssociationRejected,
    Cancelled,
    ConnectFailed,
    LinkLost,
    NoResponse,
    ProtocolFailure,
    SessionError,
    WrongAddress,
)
from workbench.session.settings import PUBLIC_CLIENT, ConnectionSettings
from workbench.session.trace import FrameObserver
from workbench.transport.base import Transport
from workbench.transport.errors import TransportError
from workbench.transport.tcp import TcpTransport

__all__ = ["ProbeAttempt", "ProbeReport", "candidate_physicals", "probe"]

COMMON_PHYSICALS = (1234, 1, 16, 17, 100, 1000)
COMMON_CLIENTS = (16, 32, 1)

ASSOCIATED, SILENT, LINK_REFUSED, REJECTED, LOST, SKIPPED, BAD_ANSWER, OTHER_ADDRESS = (
    "associated", "silent", "link refused", "rejected", "link lost", "not tried",
    "bad answer", "other address")


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
    answered_by: int | None = None
    """The physical address another station answered from (outcome ``other address``)."""


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
        answered = [a for a in self.attempts
                    if a.outcome not in (SILENT, SKIPPED, LOST, BAD_ANSWER, OTHER_ADDRESS)]
        return answered[0].physical if answered else None

    def advice(self, words: Wording = CLI) -> str:
        """What to change next, in one or two sentences, in ``words`` (options or fields)."""
        if self.tcp_error:
            return words.say(f"nothing listens there: check {words.peer} (3333 on Microstar "
                             "meters) and that the modem is online.")
        if self.physical is None:
            return words.say(f"no physical address answered: {words.physical}, and check "
                             "that nobody else is connected to the meter.")
        if not self.working:
            return words.say(f"the meter answers on physical address {self.physical} but "
                             f"refused every client tried: check the password "
                             f"({words.password}).")
        with_password = [a for a in self.working if a.with_password]
        best = (with_password or self.working)[0]
        where = f"{words.use} {words.address.format(physical=best.physical, client=best.client)}"
        if best.with_password:
            return words.say(f"{where} with the password; that combination associated.")
        refused = sorted({a.client for a in self.attempts
                          if a.with_password and a.outcome == REJECTED})
        if refused:
            return words.say(f"the password was refused (clients "
                             f"{', '.join(map(str, refused))}); check it. Meanwhile you can "
                             f"{where} (public, read-only).")
        return words.say(f"{where} (public, read-only); that combination associated.")


def candidate_physicals(serial: str | None = None, physical: int | None = None) -> list[int]:
    """Addresses to try, most likely first: given, derived from the serial, then common ones."""
    ordered = [physical, physical_from_serial(serial) if serial else None, *COMMON_PHYSICALS]
    return list(dict.fromkeys(p for p in ordered if p is not None))


def _explain(exc: SessionError, physical: int, client: int) -> tuple[str, str]:
    if isinstance(exc, WrongAddress):
        return OTHER_ADDRESS, exc.message
    if isinstance(exc, ProtocolFailure):
        return BAD_ANSWER, exc.message
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
          transport_factory: Callable[[str, int], Transport] = TcpTransport,
          cancel: threading.Event | None = None) -> ProbeReport:
    """Scan physical addresses, then clients, within ``budget`` seconds.

    ``settings`` gives host, port, logical address, timeout and the password (used for
    clients other than 16). Its physical address and client are tried first. An answer from
    another address puts that address next in line. A garbled answer is one attempt's
    outcome (``bad answer``); the scan goes on.

    Raises:
        Cancelled: ``cancel`` was set (from any thread); the client of the running attempt
            is cancelled at once.
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
            if watcher is not None:
                watcher.follow(client_obj)
            info = client_obj.connect()
            outcome, text = ASSOCIATED, f"associated: {info.describe()}"
            answered_by = None
        except ConnectFailed:
            raise
        except (NoResponse, AssociationRejected, LinkLost, ProtocolFailure) as exc:
            info = None
            outcome, text = _explain(exc, physical, client)
            answered_by = exc.physical if isinstance(exc, WrongAddress) else None
        finally:
            client_obj.close()
            if watcher is not None:
                watcher.follow(None)
        return ProbeAttempt(physical, client, password is not None, outcome, text,
                            time.monotonic() - started, info, answered_by)

    watcher = _CancelWatcher(cancel) if cancel is not None else None
    first_client = settings.client
    queue = list(physicals or candidate_physicals(serial, settings.physical))
    try:
        while queue:
            result = attempt(queue.pop(0), first_client)
            report.attempts.append(result)
            tried = {a.physical for a in report.attempts}
            if result.outcome == OTHER_ADDRESS and result.answered_by not in tried | {None}:
                queue.insert(0, result.answered_by)  # type: ignore[arg-type]
            elif result.outcome not in (SILENT, LOST, BAD_ANSWER):
                break
        found = report.physical
        if found is not None:
            for client in dict.fromkeys(clients):
                if client != first_client:
                    report.attempts.append(attempt(found, client))
    except ConnectFailed as exc:
        report.tcp_error = exc.message
    finally:
        if watcher is not None:
            watcher.stop()
    return report


class _CancelWatcher:
    """Forwards ``cancel`` (set from any thread) to the client of the running attempt."""

    def __init__(self, cancel: threading.Event) -> None:
        self._cancel = cancel
        self._client: DlmsClient | None = None
        self._lock = threading.Lock()
        self._done = threading.Event()
        threading.Thread(target=self._watch, name="probe-cancel", daemon=True).start()

    def follow(self, client: DlmsClient | None) -> None:
        with self._lock:
            self._client = client
        if client is not None and self._cancel.is_set():
            raise Cancelled("cancelled by the user")

    def _watch(self) -> None:
        while not self._done.is_set():
            if self._cancel.wait(0.05):
                with self._lock:
                    if self._client is not None:
                        self._client.cancel()
                return

    def stop(self) -> None:
        self._done.set()
