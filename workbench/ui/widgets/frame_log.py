"""The frame log dock: the live session's frames, and each opened capture as its own tab.

An opened capture is a separate document, never mixed with the live frames: the "Live"
tab always receives the session's frames (and its link markers); each capture opens in a
new closable tab named after its file. Saving writes the frames of the tab in view.
Saving and opening go through :mod:`workbench.capture`; failures are reported by the
``capture_failed`` signal, never raised, so the window decides how to show them.
"""

from __future__ import annotations

import time
from collections.abc import Iterable
from pathlib import Path

from PySide6.QtCore import Signal, Slot
from PySide6.QtWidgets import QTabWidget, QVBoxLayout, QWidget

from workbench.capture import CaptureError, CaptureHeader, load_capture, save_capture
from workbench.framelog import Entry

from ..models.frame_log_model import Dissector
from .frame_log_pane import FrameLogPane

__all__ = ["FrameLogWidget"]

LIVE_TITLE = "Live"


class FrameLogWidget(QWidget):
    """Tabs of frame log panes: "Live" first, then one per opened capture.

    ``model``, ``proxy``, ``table`` ... are the live pane's (the session's frames).

    Signals:
        frame_selected(FrameRecord): the user selected a frame (in any tab).
        capture_saved(str path, int frames), capture_loaded(str path, int frames,
        int skipped): a capture was written / read (skipped = damaged lines ignored).
        capture_failed(str): saving or loading failed; the text says why, for the user.
    """

    frame_selected = Signal(object)
    capture_saved = Signal(str, int)
    capture_loaded = Signal(str, int, int)
    capture_failed = Signal(str)

    def __init__(self, parent: QWidget | None = None, *, dissect: Dissector | None = None,
                 max_frames: int | None = None) -> None:
        super().__init__(parent)
        self._dissect = dissect
        self.live = FrameLogPane(dissect=dissect, max_frames=max_frames)
        self.live.frame_selected.connect(self.frame_selected)
        self.tabs = QTabWidget(documentMode=True, tabsClosable=True)
        self.tabs.addTab(self.live, LIVE_TITLE)
        self.tabs.tabBar().setTabButton(0, self.tabs.tabBar().ButtonPosition.RightSide, None)
        self.tabs.tabCloseRequested.connect(self._close_tab)
        self._headers: dict[FrameLogPane, CaptureHeader] = {}
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addWidget(self.tabs)
        self.model, self.proxy, self.dissection = (self.live.model, self.live.proxy,
                                                   self.live.dissection)
        self.table, self.tree, self.hex_view = self.live.table, self.live.tree, self.live.hex_view

    # --- the live session ----------------------------------------------------------------
    @Slot(object)
    def append_records(self, records: Iterable[Entry]) -> None:
        """Add a batch of live frames (connect the worker's ``frames_logged`` here)."""
        self.live.append_records(records)

    def add_marker(self, text: str, when: float | None = None) -> None:
        """Show a link event ("link lost: …", "link resumed") as a row of the live log."""
        self.live.model.add_marker(text, when)

    def clear(self) -> None:
        """Clear the live log (opened captures stay open)."""
        self.live.clear()

    def select_row(self, source_row: int) -> None:
        self.current().select_row(source_row)

    def current(self) -> FrameLogPane:
        """The pane in view (the live log or an opened capture)."""
        pane = self.tabs.currentWidget()
        return pane if isinstance(pane, FrameLogPane) else self.live

    def capture_panes(self) -> list[FrameLogPane]:
        """The opened captures' panes, in tab order."""
        panes = (self.tabs.widget(i) for i in range(1, self.tabs.count()))
        return [pane for pane in panes if isinstance(pane, FrameLogPane)]

    # --- capture files -------------------------------------------------------------------
    def save_capture(self, path: str | Path, *, keep_secrets: bool = False) -> bool:
        """Save every frame of the tab in view (not just the filtered ones).

        Returns True on success; on failure emits ``capture_failed`` and returns False.
        """
        pane = self.current()
        records = pane.model.records()
        header = self._headers.get(pane) or CaptureHeader(
            created=records[0].time if records else time.time())
        try:
            count = save_capture(path, records, header, keep_secrets=keep_secrets,
                                 dissect=self._dissect)
        except CaptureError as exc:
            self.capture_failed.emit(f"Could not save the capture: {exc}")
            return False
        self.capture_saved.emit(str(path), count)
        return True

    def load_capture(self, path: str | Path) -> bool:
        """Open a saved capture (either format) in a new tab, beside the live log.

        Damaged lines are skipped and counted in ``capture_loaded``; an unreadable file
        emits ``capture_failed`` and opens nothing.
        """
        try:
            capture = load_capture(path)
        except CaptureError as exc:
            self.capture_failed.emit(f"Could not open the capture: {exc}")
            return False
        pane = FrameLogPane(dissect=self._dissect)
        pane.frame_selected.connect(self.frame_selected)
        self._headers[pane] = capture.header
        pane.append_records(capture.records)
        index = self.tabs.addTab(pane, Path(path).name)
        self.tabs.setTabToolTip(index, str(path))
        self.tabs.setCurrentIndex(index)
        self.capture_loaded.emit(str(path), len(capture.records), capture.skipped)
        return True

    def _close_tab(self, index: int) -> None:
        pane = self.tabs.widget(index)
        if index == 0 or not isinstance(pane, FrameLogPane):
            return  # the live log stays
        self.tabs.removeTab(index)
        self._headers.pop(pane, None)
        pane.deleteLater()
