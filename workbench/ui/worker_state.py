"""The link state as the session worker knows it, published as one :class:`LinkStatus`.

Kept apart from the worker (and Qt-free) because it is the window's single source of
truth: which step the connection reached (TCP → HDLC → association), which attempt of how
many is running, when the last frame passed, and which idle limit the meter enforces —
the one read from its IEC HDLC setup object when it has one, else the configured one.
The keepalive is timed against that limit, so a meter that drops the link after 45 s of
silence is kept alive at 30 s, not at the 120 s that suits a 180 s meter.
"""

from __future__ import annotations

import time
from collections.abc import Callable

from workbench.session.client import DlmsClient, SessionState
from workbench.session.settings import ConnectionSettings
from workbench.ui.messages import LinkState, LinkStatus
from workbench.ui.meter_io import describe_association

__all__ = ["CONFIGURED_IDLE_S", "KEEPALIVE_SHARE", "LinkTracker"]

CONFIGURED_IDLE_S = 180.0
"""The idle drop assumed when the meter does not say (the Microstar notes' 180 s)."""
KEEPALIVE_SHARE = 2 / 3
"""The keepalive fires after this share of the idle limit (120 s of a 180 s meter)."""

_STEPS = {SessionState.TCP: LinkState.TCP, SessionState.HDLC: LinkState.HDLC}


class LinkTracker:
    """Collects what the worker sees and emits a fresh LinkStatus whenever it changes."""

    def __init__(self, emit: Callable[[LinkStatus], None],
                 clock: Callable[[], float] = time.monotonic) -> None:
        self._emit = emit
        self._clock = clock
        self._settings: ConnectionSettings | None = None
        self._state = LinkState.DISCONNECTED
        self._detail = ""
        self._attempt = 0
        self._was_associated = False
        self._idle = CONFIGURED_IDLE_S
        self._idle_from_meter = False
        self._last_activity = 0.0

    def start(self, settings: ConnectionSettings) -> None:
        """A new connection: forget the old one's attempts, idle limit and errors."""
        self._settings = settings
        self._attempt = 0
        self._was_associated = False
        self._idle, self._idle_from_meter = CONFIGURED_IDLE_S, False
        self.publish(LinkState.CONNECTING, settings.peer)

    def attempt_started(self) -> None:
        """A connection attempt opens a new TCP connection (called in the worker thread)."""
        self._attempt += 1
        state = LinkState.RECONNECTING if self._was_associated else LinkState.CONNECTING
        peer = self._settings.peer if self._settings is not None else ""
        self.publish(state, peer)

    def frame_seen(self, session: SessionState) -> None:
        """A frame passed: note the time, and show the step reached while connecting."""
        self._last_activity = self._clock()
        step = _STEPS.get(session)
        if step is not None and step is not self._state:
            self.publish(step, self._detail)

    def associated(self, client: DlmsClient) -> None:
        """The association is open (also repeated once a second to refresh the countdown)."""
        if client.is_associated:
            self._attempt = 0
            self._was_associated = True
            self.publish(LinkState.ASSOCIATED, describe_association(self._settings))

    def idle_from_meter(self, seconds: float | None) -> None:
        if seconds is not None:
            self._idle, self._idle_from_meter = seconds, True

    def keepalive_interval(self) -> float:
        configured = self._settings.keepalive if self._settings is not None else 120.0
        return min(configured, self._idle * KEEPALIVE_SHARE)

    def keepalive_due(self) -> bool:
        return self._clock() - self._last_activity >= self.keepalive_interval()

    def publish(self, state: LinkState, detail: str) -> None:
        self._state, self._detail = state, detail
        settings = self._settings
        retrying = state in (LinkState.CONNECTING, LinkState.RECONNECTING, LinkState.TCP,
                             LinkState.HDLC)
        self._emit(LinkStatus(
            state=state, detail=detail,
            attempt=self._attempt if retrying else 0,
            attempts=settings.retries + 1 if settings is not None else 0,
            last_activity=self._last_activity, idle_limit=self._idle,
            idle_from_meter=self._idle_from_meter,
            next_keepalive=self._last_activity + self.keepalive_interval(),
            client=settings.client if settings is not None else 0,
            authenticated=bool(settings is not None and settings.password is not None)))
