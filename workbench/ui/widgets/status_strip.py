"""The status bar's content: the link state in its own permanent place, never hidden.

A QStatusBar's temporary messages cover its normal widgets, which is how a "Connect
failed" from the last attempt used to sit over the state of the current one. Here the
state line, what the worker is busy with (with Cancel), short notices, the recording
mark and the idle countdown each have their own label, and a notice never covers the
state.
"""

from __future__ import annotations

import time

from PySide6.QtCore import Qt, QTimer, Signal
from PySide6.QtWidgets import QHBoxLayout, QLabel, QPushButton, QWidget

from workbench.ui import theme
from workbench.ui.messages import Activity, LinkState, LinkStatus

__all__ = ["StatusStrip", "state_text"]

_STEPS = (LinkState.TCP, LinkState.HDLC, LinkState.ASSOCIATED)
_STEP_LABELS = ("TCP", "HDLC", "Association")


class StatusStrip(QWidget):
    """State line · activity + Cancel · notice · recording · idle countdown."""

    cancel_requested = Signal()

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self._status = LinkStatus(LinkState.DISCONNECTED)
        self.state_label = _label("Where the connection to the meter stands")
        self.activity_label = _label("What the session is doing now")
        self.cancel_button = QPushButton("Cancel")
        self.cancel_button.setToolTip("Stop what the session is doing now (Esc)")
        self.cancel_button.clicked.connect(self.cancel_requested)
        self.notice_label = _label("The result of the last action")
        self.recording_label = _label("")
        self.recording_label.setStyleSheet(f"color: {theme.warning_colour()};")
        self.idle_label = _label("When the meter drops an idle link, and when the next "
                                 "keepalive (a clock read) prevents it")
        layout = QHBoxLayout(self)
        layout.setContentsMargins(4, 0, 4, 0)
        for widget, stretch in ((self.state_label, 0), (self.activity_label, 0),
                                (self.cancel_button, 0), (self.notice_label, 1),
                                (self.recording_label, 0), (self.idle_label, 0)):
            layout.addWidget(widget, stretch)
        self._notice_timer = QTimer(self, singleShot=True)
        self._notice_timer.timeout.connect(self.notice_label.clear)
        self.show_activity(Activity())
        self.show_status(self._status)

    @property
    def status(self) -> LinkStatus:
        return self._status

    def show_status(self, status: LinkStatus) -> None:
        self._status = status
        self.state_label.setText(state_text(status))
        self.refresh()

    def show_activity(self, activity: Activity) -> None:
        self.activity_label.setText(f"{activity.text}…" if activity.running else "")
        self.activity_label.setVisible(activity.running)
        self.cancel_button.setVisible(activity.running)

    def show_notice(self, text: str, ms: int = 8000) -> None:
        self.notice_label.setText(text)
        self._notice_timer.start(ms)

    def notice(self) -> str:
        return self.notice_label.text()

    def show_recording(self, path: str) -> None:
        self.recording_label.setText("● recording" if path else "")
        self.recording_label.setToolTip(f"This session is recorded to {path}" if path else "")

    def refresh(self) -> None:
        """Recount the idle countdown (the window calls this twice a second)."""
        self.idle_label.setText(idle_text(self._status, time.monotonic()))


def state_text(status: LinkStatus) -> str:
    """``✔ TCP → ✔ HDLC → · Association  127.0.0.1:3333 (attempt 2 of 4)``."""
    if status.state in _STEPS:
        reached = _STEPS.index(status.state)
        head = " → ".join(f"✔ {label}" if i <= reached else f"· {label}"
                          for i, label in enumerate(_STEP_LABELS))
    else:
        head = status.state.value
    text = f"{head}   {status.detail}".rstrip()
    if status.attempt > 1 and status.attempts:
        of = f" of {status.attempts}" if status.attempt <= status.attempts else ""
        text += f" (attempt {status.attempt}{of})"
    return text


def idle_text(status: LinkStatus, now: float) -> str:
    """``idle drop in 38 s (meter: 45 s) · keepalive in 23 s``, only while associated."""
    if status.state is not LinkState.ASSOCIATED or not status.last_activity:
        return ""
    left = max(0.0, status.idle_limit - (now - status.last_activity))
    source = "meter" if status.idle_from_meter else "assumed"
    keep = max(0.0, status.next_keepalive - now)
    return (f"idle drop in {left:3.0f} s ({source}: {status.idle_limit:.0f} s) · "
            f"keepalive in {keep:3.0f} s")


def _label(tip: str) -> QLabel:
    label = QLabel()
    label.setToolTip(tip)
    label.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
    return label
