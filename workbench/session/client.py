"""``DlmsClient``: the COSEM services of one meter — GET, SET, ACTION, object list, clock,
profile, keepalive — each run as a transaction on its :class:`~.connection.Connection`.

Reads are retried after a reconnect; SET and ACTION never are (the meter could not tell a
repeat from a new request). Profile reads resume from the last row received instead of
starting again (see :mod:`workbench.session.profile`).
"""

from __future__ import annotations

import logging
import time
from collections.abc import Callable, Iterable

from workbench.protocol.apdu import (
    CLOCK,
    ActionResult,
    AttributeDescriptor,
    DataAccessResult,
    MethodDescriptor,
    SelectiveAccess,
)
from workbench.protocol.axdr import CosemDateTime, Data, as_datetime
from workbench.protocol.cosem import Obis, ObjectListEntry, parse_object_list
from workbench.protocol.errors import ProtocolError
from workbench.session import idle, profile, services
from workbench.session.advice import access_denied
from workbench.session.association import AssociationInfo
from workbench.session.clock import ClockReading, ClockSync, measure_clock, sync_clock
from workbench.session.connection import Connection, SessionState
from workbench.session.errors import NotConnected, ProtocolFailure
from workbench.session.progress import ProgressCallback
from workbench.session.settings import ConnectionSettings
from workbench.session.trace import FrameObserver
from workbench.transport.base import Transport

__all__ = ["ASSOCIATION_LN", "DlmsClient", "SessionState"]

_log = logging.getLogger("workbench.session")

ASSOCIATION_LN = Obis(0, 0, 40, 0, 0, 255)


class DlmsClient(Connection):
    """A blocking DLMS/COSEM client for one meter (see :class:`Connection` for the
    arguments). ``on_clock`` is told every clock reading, keepalive ones included."""

    def __init__(self, settings: ConnectionSettings, *,
                 transport_factory: Callable[[str, int], Transport] | None = None,
                 observers: Iterable[FrameObserver] = (),
                 clock: Callable[[], float] = time.monotonic,
                 on_progress: ProgressCallback | None = None) -> None:
        super().__init__(settings, transport_factory=transport_factory, observers=observers,
                         clock=clock, on_progress=on_progress)
        self.last_clock: ClockReading | None = None
        self.on_clock: Callable[[ClockReading], None] | None = None

    def _before_hls(self) -> None:
        if self._secure is not None:
            self._secure.prepare(DlmsClient)  # the frame counter, over the public client

    def _after_hls_association(self) -> None:
        if self._secure is not None:
            self._secure.authenticate(self)  # reply_to_HLS_authentication, an ACTION

    def read_idle_timeout(self) -> AssociationInfo:
        """Ask the meter how long it tolerates silence (IEC HDLC setup, class 23, attribute
        8; the configured ``idle_timeout`` when it has no such object) and keep the keepalive
        inside it. Read once per client; the answer shows in :attr:`info` from then on (also
        after reconnects). One GET, so call it when the window has time (after connect).

        Raises:
            NotConnected, NoResponse, LinkLost, Cancelled.
        """
        if self._idle is None:
            self._idle = self.transaction(
                lambda: idle.read_idle_timeout(lambda d: services.get(self, d), self.settings))
        if self.info is None:
            raise NotConnected("no association is open")
        self.info = self._with_idle_timeout(self.info, self._idle)
        return self.info

    # -- services ------------------------------------------------------------------------------

    def get_result(self, desc: AttributeDescriptor, access: SelectiveAccess | None = None,
                   on_block: services.BlockCallback | None = None) -> Data | DataAccessResult:
        """Read one attribute; the data-access-result is returned, not raised."""
        return self.transaction(lambda: services.get(self, desc, access, on_block))

    def get(self, desc: AttributeDescriptor, access: SelectiveAccess | None = None) -> Data:
        """Read one attribute.

        Raises:
            AccessDenied: the meter answered a data-access-result instead of the value.
        """
        result = self.get_result(desc, access)
        if isinstance(result, DataAccessResult):
            raise access_denied(result, f"reading {desc}", operation="read",
                                client=self.settings.client)
        return result

    def get_many(self, descs: list[AttributeDescriptor]) -> list[Data | DataAccessResult]:
        """Read several attributes with GET-with-list (split to fit the meter's PDU size)."""
        return self.transaction(lambda: services.get_list(self, descs))

    def set(self, desc: AttributeDescriptor, value: Data) -> None:
        """Write one attribute (recovered on the link, never re-sent after a reconnect).

        Raises:
            AccessDenied: the meter refused, with its own data-access-result.
        """
        result = self.transaction(lambda: services.set_value(self, desc, value), retry=False)
        if result != DataAccessResult.SUCCESS:
            raise access_denied(result, f"writing {desc}", operation="write",
                                client=self.settings.client)

    def action(self, desc: MethodDescriptor, parameters: Data | None = None) -> Data | None:
        """Run one method (like :meth:`set`, never twice) and return its return value, if any.

        Raises:
            AccessDenied: the action result was not success.
        """
        result, value = self.transaction(lambda: services.invoke(self, desc, parameters),
                                         retry=False)
        if result != ActionResult.SUCCESS:
            raise access_denied(result, f"running {desc}", operation="action",
                                client=self.settings.client)
        if isinstance(value, DataAccessResult):
            raise access_denied(value, f"reading the return value of {desc}",
                                operation="read", client=self.settings.client)
        return value

    def object_list(self) -> list[ObjectListEntry]:
        """The association's object list (Association LN, attribute 2)."""
        data = self.get(AttributeDescriptor(15, ASSOCIATION_LN, 2))
        try:
            return parse_object_list(data)
        except ProtocolError as exc:
            raise ProtocolFailure(f"the object list could not be understood: {exc}") from exc

    def read_clock(self) -> CosemDateTime:
        """The meter's clock (0-0:1.0.0.255 attribute 2)."""
        data = self.get(AttributeDescriptor(8, CLOCK, 2))
        try:
            return as_datetime(data)
        except ProtocolError as exc:
            raise ProtocolFailure(f"the meter clock could not be understood: {exc}") from exc

    def read_profile(self, obis: Obis | str, **kwargs: object) -> list[tuple[Data, ...]]:
        """Read a profile generic buffer; see :func:`workbench.session.profile.read_profile`."""
        return profile.read_profile(self, Obis.parse(obis), **kwargs)  # type: ignore[arg-type]

    # -- keepalive -------------------------------------------------------------------------------

    def poll(self) -> bool:
        """Send the keepalive clock read if it is due; return True when one was sent.

        Call it from idle loops (the UI calls it once a second); any request resets the timer.
        """
        if not self.is_associated or not self._keepalive.due():
            return False
        reading = self.transaction(lambda: measure_clock(self), note="keepalive")
        self._clock_read(reading)
        return True

    def _clock_read(self, reading: ClockReading) -> None:
        """Keep the latest clock reading and hand it to ``on_clock`` (the meter box)."""
        self.last_clock = reading
        if self.on_clock is not None:
            try:
                self.on_clock(reading)
            except Exception:
                _log.exception("clock callback failed")

    def clock(self) -> ClockReading:
        """Read the meter clock now, with the drift against this PC (see :mod:`.clock`)."""
        reading = self.transaction(lambda: measure_clock(self))
        self._clock_read(reading)
        return reading

    def sync_clock(self) -> ClockSync:
        """Set the meter clock to this PC's time; drift before and after (see :mod:`.clock`).
        Never re-sent after a reconnect, like every SET."""
        result = self.transaction(lambda: sync_clock(self, self.rtt.srtt), retry=False)
        self._clock_read(result.after)
        return result
