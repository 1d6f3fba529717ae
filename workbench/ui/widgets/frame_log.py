"""The frame log: every frame of the session, filterable, with its dissection and bytes.

Top: filter bar (direction, frame kind, free text, "show secrets") over the frame table.
Bottom: the selected frame's dissection tree beside its hex view. Selecting a field
highlights its bytes; clicking a byte selects the deepest field that covers it.

The table follows new frames (auto-scroll) only while the user is at the bottom; once they
scroll up to read, it stays put. Saving and opening captures go through
:mod:`workbench.capture`; failures are reported by the ``capture_failed`` signal, never
raised, so the window decides how to show them.
"""

from __future__ import annotations

import time
from collections.abc import Iterable
from pathlib import Path

from PySide6.QtCore import (
    QItemSelectionModel,
    QModelIndex,
    QPersistentModelIndex,
    Qt,
    QTimer,
    Signal,
    Slot,
)
from PySide6.QtWidgets import (
    QAbstractItemView,
    QCheckBox,
    QComboBox,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QLineEdit,
    QSplitter,
    QTableView,
    QTreeView,
    QVBoxLayout,
    QWidget,
)

from workbench.capture import CaptureError, CaptureHeader, load_capture, save_capture
from workbench.session.trace import FrameRecord

from ..models.dissection_model import DissectionModel
from ..models.frame_filter_model import FrameFilterProxy
from ..models.frame_log_model import Dissector, FrameLogModel
from ..models.frame_summary import FRAME_KINDS
from .hex_view import HexView

__all__ = ["FrameLogWidget"]

_TEXT_FILTER_DELAY_MS = 120  # a typing pause; the filter itself takes ~15 ms for 100k frames


class FrameLogWidget(QWidget):
    """Frame table with filters, dissection tree and hex view.

    Signals:
        frame_selected(FrameRecord): the user selected a frame.
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
        self.model = FrameLogModel(self, dissect=dissect, max_frames=max_frames)
        self.proxy = FrameFilterProxy(self.model, self)
        self.dissection = DissectionModel(self)
        self.capture_header: CaptureHeader | None = None
        self._dissect = dissect
        self._follow = True
        self._shown = QPersistentModelIndex()  # the log row in the detail panes
        self._follow_kept = True
        self._build()
        self._connect()

    # --- public API ---------------------------------------------------------------------
    @Slot(object)
    def append_records(self, records: Iterable[FrameRecord]) -> None:
        """Add a batch of frames (connect the worker's ``frames_logged`` here)."""
        self.model.append_records(records)

    def clear(self) -> None:
        self.model.clear()
        self._show_frame(None)

    def save_capture(self, path: str | Path, *, keep_secrets: bool = False) -> bool:
        """Save every frame (not just the filtered ones); format chosen by the suffix.

        Returns True on success; on failure emits ``capture_failed`` and returns False.
        """
        records = self.model.records()
        header = self.capture_header or CaptureHeader(
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
        """Replace the log with a saved capture (either format, recognised by content).

        Damaged lines are skipped and counted in ``capture_loaded``; an unreadable file
        emits ``capture_failed`` and leaves the log as it was.
        """
        try:
            capture = load_capture(path)
        except CaptureError as exc:
            self.capture_failed.emit(f"Could not open the capture: {exc}")
            return False
        self.clear()
        self.capture_header = capture.header
        self.model.append_records(capture.records)
        self.capture_loaded.emit(str(path), len(capture.records), len(capture.problems))
        return True

    def select_row(self, source_row: int) -> None:
        """Select the frame at ``source_row`` of the model (if the filter shows it)."""
        index = self.proxy.mapFromSource(self.model.index(source_row, 0))
        if index.isValid():
            self.table.selectionModel().setCurrentIndex(
                index, QItemSelectionModel.SelectionFlag.ClearAndSelect
                | QItemSelectionModel.SelectionFlag.Rows)

    # --- construction -------------------------------------------------------------------
    def _build(self) -> None:
        self.direction_combo = QComboBox()
        for text, value in (("Both directions", None), ("→ tx only", "tx"), ("← rx only", "rx")):
            self.direction_combo.addItem(text, value)
        self.kind_combo = QComboBox()
        self.kind_combo.addItem("All frames", None)
        for kind in FRAME_KINDS:
            self.kind_combo.addItem("Bad frames" if kind == "bad" else f"{kind} frames", kind)
        self.text_filter = QLineEdit(placeholderText="Filter: summary, note or hex…")
        self.text_filter.setClearButtonEnabled(True)
        self.secrets_box = QCheckBox("Show secrets")
        self.secrets_box.setToolTip("Show the LLS password bytes instead of **")
        self.count_label = QLabel()
        bar = QHBoxLayout()
        for widget in (self.direction_combo, self.kind_combo):
            bar.addWidget(widget)
        bar.addWidget(self.text_filter, 1)
        bar.addWidget(self.secrets_box)
        bar.addWidget(self.count_label)

        self.table = self._make_table()
        self.tree = QTreeView()
        self.tree.setModel(self.dissection)
        self.tree.setUniformRowHeights(True)
        self.tree.setAlternatingRowColors(True)
        header = self.tree.header()
        header.setStretchLastSection(False)
        header.setSectionResizeMode(1, QHeaderView.ResizeMode.Stretch)
        for column in (2, 3):
            header.setSectionResizeMode(column, QHeaderView.ResizeMode.ResizeToContents)
        header.resizeSection(0, self.fontMetrics().horizontalAdvance("M" * 16))
        self.hex_view = HexView()
        # Frames on the left, the selected frame's tree over its bytes on the right: on a
        # 1366x768 laptop the log dock is short and wide, so side by side keeps both readable.
        detail = QSplitter(Qt.Orientation.Vertical)
        detail.addWidget(self.tree)
        detail.addWidget(self.hex_view)
        detail.setStretchFactor(0, 3)
        detail.setStretchFactor(1, 2)
        split = QSplitter(Qt.Orientation.Horizontal)
        split.addWidget(self.table)
        split.addWidget(detail)
        split.setStretchFactor(0, 1)
        split.setStretchFactor(1, 1)
        split.setSizes([620, 700])
        layout = QVBoxLayout(self)
        layout.setContentsMargins(4, 4, 4, 4)
        layout.addLayout(bar)
        layout.addWidget(split, 1)
        self._text_timer = QTimer(self, singleShot=True, interval=_TEXT_FILTER_DELAY_MS)
        self._update_count()

    def _make_table(self) -> QTableView:
        table = QTableView()
        table.setModel(self.proxy)
        table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        table.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        table.setAlternatingRowColors(True)
        table.setWordWrap(False)
        table.verticalHeader().setVisible(False)
        table.verticalHeader().setDefaultSectionSize(table.fontMetrics().height() + 4)
        table.verticalHeader().setSectionResizeMode(QHeaderView.ResizeMode.Fixed)
        header = table.horizontalHeader()
        metrics = table.fontMetrics()
        for column, sample in ((0, "00:00:00.000"), (1, "← rx"), (2, "0000")):
            header.setSectionResizeMode(column, QHeaderView.ResizeMode.Fixed)
            header.resizeSection(column, metrics.horizontalAdvance(sample) + 18)
        header.setStretchLastSection(True)
        return table

    def _connect(self) -> None:
        self.direction_combo.currentIndexChanged.connect(
            lambda: self.proxy.set_direction(self.direction_combo.currentData()))
        self.kind_combo.currentIndexChanged.connect(
            lambda: self.proxy.set_kind(self.kind_combo.currentData()))
        self.text_filter.textChanged.connect(self._text_timer.start)
        self._text_timer.timeout.connect(lambda: self.proxy.set_text(self.text_filter.text()))
        self.secrets_box.toggled.connect(self._set_show_secrets)
        self.table.selectionModel().currentRowChanged.connect(self._row_changed)
        self.tree.selectionModel().currentChanged.connect(self._field_changed)
        self.hex_view.byte_clicked.connect(self._byte_clicked)
        self.table.verticalScrollBar().valueChanged.connect(self._scrolled)
        self.proxy.rowsInserted.connect(self._rows_inserted)
        self.proxy.modelAboutToBeReset.connect(self._before_refilter)
        self.proxy.modelReset.connect(self._after_refilter)
        for signal in (self.proxy.rowsInserted, self.proxy.rowsRemoved, self.proxy.modelReset,
                       self.model.rowsInserted, self.model.rowsRemoved, self.model.indexed):
            signal.connect(self._update_count)  # after the proxy's own handlers

    # --- reactions ----------------------------------------------------------------------
    def _scrolled(self, value: int) -> None:
        self._follow = value >= self.table.verticalScrollBar().maximum()

    def _rows_inserted(self) -> None:
        if self._follow:
            self.table.scrollToBottom()

    def _before_refilter(self) -> None:
        self._follow_kept = self._follow  # the reset moves the scroll bar on its own

    def _after_refilter(self) -> None:
        """Keep the shown frame selected if the new filter shows it, and the scroll mode."""
        index = self.proxy.mapFromSource(QModelIndex(self._shown))
        if index.isValid():
            self.table.selectionModel().setCurrentIndex(
                index, QItemSelectionModel.SelectionFlag.ClearAndSelect
                | QItemSelectionModel.SelectionFlag.Rows)
        self._follow = self._follow_kept
        if self._follow:
            self.table.scrollToBottom()
        elif index.isValid():
            self.table.scrollTo(index, QAbstractItemView.ScrollHint.PositionAtCenter)

    def _update_count(self) -> None:
        shown, total = self.proxy.rowCount(), self.model.rowCount()
        text = f"{total} frames" if shown == total else f"{shown} of {total} frames"
        self.count_label.setText(text if self.proxy.complete else f"{text} (searching…)")

    def _row_changed(self, current: QModelIndex) -> None:
        if not current.isValid():
            self._show_frame(None)
            return
        row = self.proxy.mapToSource(current).row()
        if row == self._shown.row():  # the same frame, re-selected after a filter change
            return
        self._show_frame(row)
        self.frame_selected.emit(self.model.record(row))

    def _show_frame(self, row: int | None) -> None:
        self._shown = QPersistentModelIndex(
            self.model.index(row, 0) if row is not None else QModelIndex())
        if row is None:
            self.dissection.clear()
            self.hex_view.set_data(b"")
            return
        raw = self.model.record(row).raw
        self.dissection.set_frame(self.model.dissection(row), raw)
        self.hex_view.set_data(raw, self.dissection.secret_spans())
        self.tree.expandToDepth(0)

    def _field_changed(self, current: QModelIndex) -> None:
        span = self.dissection.data(current, DissectionModel.SpanRole)
        self.hex_view.highlight(*(span or (0, 0)))

    def _byte_clicked(self, offset: int) -> None:
        index = self.dissection.index_at_offset(offset)
        if index.isValid():
            self.tree.setCurrentIndex(index)
            self.tree.scrollTo(index)

    def _set_show_secrets(self, show: bool) -> None:
        self.model.set_show_secrets(show)
        self.dissection.set_show_secrets(show)
        self.hex_view.set_show_secrets(show)
