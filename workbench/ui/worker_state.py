"""The link state as the session worker knows it, published as one :class:`LinkStatus`.

Kept apart from the worker (and Qt-free) because it is the window's single source of
truth: which step the connection reached (TCP → HDLC → association, from the session's
typed progress events), which attempt of how many is running, when the last frame
passed, and which idle limit the meter enforces — the one the session read from its IEC
HDLC setup object when it has one, else the configured one (the session keeps its
keepalive inside that limit; the countdown shows both).
"""

from __future__ import annotations

import math
import time
from collections.abc import Callable

from workbench.session.client import DlmsClient
from workbench.session.progress import ConnectProgress, ConnectStep
from workbench.session.settings import ConnectionSettings
from workbench.ui.messages import LinkState, LinkStatus
from workbench.ui.meter_io import describe_association

__all__ = ["LinkTracker"]

_REACHED = {ConnectStep.HDLC: LinkState.TCP, ConnectStep.ASSOCIATION: LinkState.HDLC}
"""The step being opened says which one is already done."""
_OPENING = (LinkState.CONNECTING, LinkState.RECONNECTING, LinkState.TCP, LinkState.HDLC)


class LinkTracker:
    """Collects what the worker sees and emits a fresh LinkStatus whenever it changes."""

    def __init__(self, emit: Callable[[LinkStatus], None],
                 on_event: Callable[[str], None] = lambda _text: None,
                 clock: Callable[[], float] = time.monotonic) -> None:
        """``emit`` gets every status; ``on_event`` a line when an open association is lost
        and when it comes back ("link lost: …", "link resumed"), for the frame log."""
        self._emit = emit
        self._on_event = on_event
        self._clock = clock
        self._state = LinkState.DISCONNECTED
        self._down = False
        self._settings: ConnectionSettings | None = None
        self._attempt = self._attempts = 0
        self._was_associated = False
        self._idle, self._idle_from_meter = 180.0, False
        self._next_keepalive = 0.0
        self._last_activity = 0.0

    def start(self, settings: ConnectionSettings) -> None:
        """A new connection: forget the old one's attempts, idle limit and errors."""
        self._settings = settings
        self._attempt, self._attempts = 0, settings.retries + 1
        self._was_associated = self._down = False
        self._idle, self._idle_from_meter = settings.idle_timeout, False
        self.publish(LinkState.CONNECTING, settings.peer)

    def progress(self, event: ConnectProgress) -> None:
        """A connection step of the session (called in the worker thread)."""
        if event.step is ConnectStep.ASSOCIATED:
            return  # the worker says so once the client is ready (associated())
        self._attempt, self._attempts = event.attempt, event.attempts
        opening = LinkState.RECONNECTING if self._was_associated else LinkState.CONNECTING
        peer = self._settings.peer if self._settings is not None else ""
        detail = f"{peer} — {event.detail}" if event.step is ConnectStep.WAITING else peer
        self.publish(_REACHED.get(event.step, opening), detail)

    def frame_seen(self) -> None:
        """A frame passed: the meter's idle countdown starts again."""
        self._last_activity = self._clock()

    def associated(self, client: DlmsClient) -> None:
        """The association is open (also repeated once a second to refresh the countdown)."""
        if not client.is_associated:
            return
        self._attempt = 0
        self._was_associated = True
        info = client.info
        if info is not None and info.idle_timeout is not None:
            self._idle = info.idle_timeout
            self._idle_from_meter = info.idle_timeout_source == "meter"
        wait = client.next_keepalive
        self._next_keepalive = self._clock() + wait if math.isfinite(wait) else 0.0
        self.publish(LinkState.ASSOCIATED, describe_association(self._settings))

    def publish(self, state: LinkState, detail: str) -> None:
        self._mark(state, detail)
        settings = self._settings
        opening = state in _OPENING
        self._emit(LinkStatus(
            state=state, detail=detail, attempt=self._attempt if opening else 0,
            attempts=self._attempts,
            last_activity=self._last_activity, idle_limit=self._idle,
            idle_from_meter=self._idle_from_meter, next_keepalive=self._next_keepalive,
            client=settings.client if settings is not None else 0,
            authenticated=bool(settings is not None and settings.password is not None)))

    def _mark(self, state: LinkState, detail: str) -> None:
        """Say when an open association is lost, and when it is open again."""
        if self._state is LinkState.ASSOCIATED and state is not LinkState.ASSOCIATED:
            self._down = state is not LinkState.DISCONNECTED
            self._on_event(f"link {'lost' if self._down else 'closed'}: {detail}")
        elif state is LinkState.ASSOCIATED and self._down:
            self._down = False
            self._on_event("link resumed")
        self._state = state
