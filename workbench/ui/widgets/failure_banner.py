"""A failure stays on screen, with Retry, until the user dismisses it or a new attempt works.

A status-bar message vanished after 15 s and an empty object tree then told nothing; the
banner keeps what went wrong and what to try, offers the button that does it (Retry the
same request, or Probe for a silent meter) and goes away only when dismissed or when the
same action is tried again.
"""

from __future__ import annotations

from collections.abc import Callable

from PySide6.QtCore import Qt, Signal
from PySide6.QtWidgets import QFrame, QHBoxLayout, QLabel, QPushButton, QVBoxLayout, QWidget

from workbench.ui import theme
from workbench.ui.messages import Failure

__all__ = ["FailureBanner"]


class FailureBanner(QFrame):
    """Message + hint, and Retry / Probe / Dismiss."""

    retry_requested = Signal(object)  # the Request to send again
    probe_requested = Signal()

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setFrameShape(QFrame.Shape.StyledPanel)
        self._failure: Failure | None = None
        self.message_label = QLabel()
        self.message_label.setWordWrap(True)
        self.message_label.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        self.message_label.setStyleSheet(f"color: {theme.warning_colour()};")
        self.hint_label = QLabel()
        self.hint_label.setWordWrap(True)
        self.hint_label.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        self.retry_button = _button("Retry", "Send the request that failed again",
                                    self._retry)
        self.probe_button = _button("Probe", "Try the likely physical addresses and clients "
                                    "and explain what answered", self.probe_requested.emit)
        self.dismiss_button = _button("Dismiss", "Hide this message", self.clear)
        texts = QVBoxLayout()
        texts.addWidget(self.message_label)
        texts.addWidget(self.hint_label)
        layout = QHBoxLayout(self)
        layout.setContentsMargins(8, 4, 8, 4)
        layout.addLayout(texts, 1)
        for button in (self.retry_button, self.probe_button, self.dismiss_button):
            layout.addWidget(button, 0, Qt.AlignmentFlag.AlignTop)
        self.hide()

    @property
    def failure(self) -> Failure | None:
        return self._failure

    def show_failure(self, failure: Failure) -> None:
        self._failure = failure
        self.message_label.setText(f"{failure.action} failed: {failure.message}")
        self.hint_label.setText(failure.hint)
        self.hint_label.setVisible(bool(failure.hint))
        self.retry_button.setVisible(failure.retry is not None)
        self.probe_button.setVisible(failure.offer_probe)
        self.show()

    def clear(self) -> None:
        self._failure = None
        self.message_label.clear()
        self.hint_label.clear()
        self.hide()

    def _retry(self) -> None:
        failure = self._failure
        self.clear()
        if failure is not None and failure.retry is not None:
            self.retry_requested.emit(failure.retry)


def _button(text: str, tip: str, slot: Callable[[], object]) -> QPushButton:
    button = QPushButton(text)
    button.setToolTip(tip)
    button.clicked.connect(slot)
    return button
