"""One frame log document: its frames, filterable, with the selected frame's tree and bytes.

Top: filter bar (direction, frame kind, free text or hex, "hide polling", "show secrets")
over the frame table. Below, side by side: the selected frame's dissection tree and its
hex view. Selecting a field highlights its bytes; clicking a byte selects the deepest
field that covers it. Ctrl+C (or the context menu) copies the selected frames as hex;
the menu also copies them as dissection text. Copies keep the password as ``**`` unless
"show secrets" is on.

The table follows new frames (auto-scroll) only while the user is at the bottom; once they
scroll up to read, it stays put. The live log and each opened capture are separate panes
(see :class:`~.frame_log.FrameLogWidget`), so their frames never mix.
"""

from __future__ import annotations

from collections.abc import Iterable

from PySide6.QtCore import (
    QItemSelectionModel,
    QModelIndex,
    QPersistentModelIndex,
    Qt,
    QTimer,
    Signal,
    Slot,
)
from PySide6.QtGui import QAction, QGuiApplication, QKeySequence
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

from workbench.framelog import FRAME_KINDS, Entry, hex_text, tree_text

from ..models.dissection_model import DissectionModel
from ..models.frame_filter_model import FrameFilterProxy
from ..models.frame_log_model import Dissector, FrameLogModel
from .hex_view import HexView

__all__ = ["FrameLogPane"]

_TEXT_FILTER_DELAY_MS = 120  # a typing pause; the filter itself takes ~15 ms for 100k frames
_HEX_ROWS = 8  # the hex pane shows 128 bytes (8 rows of 16) without scrolling
_TABLE_ROWS = 4  # the frame table never shrinks below this many rows


class FrameLogPane(QWidget):
    """Frame table with filters, dissection tree and hex view, over one :class:`FrameLogModel`.

    Signals:
        frame_selected(FrameRecord): the user selected a frame.
    """

    frame_selected = Signal(object)

    def __init__(self, parent: QWidget | None = None, *, dissect: Dissector | None = None,
                 max_frames: int | None = None) -> None:
        super().__init__(parent)
        self.model = FrameLogModel(self, dissect=dissect, max_frames=max_frames)
        self.proxy = FrameFilterProxy(self.model, self)
        self.dissection = DissectionModel(self)
        self._follow = True
        self._shown = QPersistentModelIndex()  # the log row in the detail panes
        self._follow_kept = True
        self._build()
        self._connect()

    # --- public API ---------------------------------------------------------------------
    @Slot(object)
    def append_records(self, records: Iterable[Entry]) -> None:
        """Add a batch of frames or link markers."""
        self.model.append_records(records)

    def clear(self) -> None:
        self.model.clear()
        self._show_frame(None)

    def select_row(self, source_row: int) -> None:
        """Select the frame at ``source_row`` of the model (if the filter shows it)."""
        index = self.proxy.mapFromSource(self.model.index(source_row, 0))
        if index.isValid():
            self.table.selectionModel().setCurrentIndex(
                index, QItemSelectionModel.SelectionFlag.ClearAndSelect
                | QItemSelectionModel.SelectionFlag.Rows)

    def selected_rows(self) -> list[int]:
        """Model rows of the selected frames, in log order (markers left out)."""
        rows = {self.proxy.source_row(i.row()) for i in self.table.selectionModel().selectedRows()}
        return sorted(r for r in rows if self.model.record(r) is not None)

    def copy_hex(self) -> str:
        """Put the selected frames on the clipboard as hex, one frame per line; return it."""
        log, shown = self.model.log, self.secrets_box.isChecked()
        text = "\n".join(hex_text(record.raw, log.secret_spans(row), show_secrets=shown)
                         for row in self.selected_rows()
                         if (record := log.record(row)) is not None)
        return self._to_clipboard(text)

    def copy_dissection(self) -> str:
        """Put the selected frames' dissection trees on the clipboard; return the text."""
        log, shown = self.model.log, self.secrets_box.isChecked()
        blocks = []
        for row in self.selected_rows():
            record = log.record(row)
            assert record is not None  # selected_rows() holds frames only
            head = f"{self.model.data(self.model.index(row, 0))} {record.direction} " \
                   f"{log.summary(row)}"
            blocks.append(head + "\n" + tree_text(log.dissection(row), record.raw,
                                                  show_secrets=shown))
        return self._to_clipboard("\n\n".join(blocks))

    @staticmethod
    def _to_clipboard(text: str) -> str:
        if text:
            QGuiApplication.clipboard().setText(text)
        return text

    # --- construction -------------------------------------------------------------------
    def _build(self) -> None:
        self.direction_combo = QComboBox()
        for text, value in (("Both directions", None), ("→ tx only", "tx"), ("← rx only", "rx")):
            self.direction_combo.addItem(text, value)
        self.kind_combo = QComboBox()
        self.kind_combo.addItem("All frames", None)
        for kind in FRAME_KINDS:
            self.kind_combo.addItem("Bad frames" if kind == "bad" else f"{kind} frames", kind)
        self.text_filter = QLineEdit(placeholderText="Filter: summary, note or hex (7EA0)…")
        self.text_filter.setClearButtonEnabled(True)
        self.text_filter.setToolTip("Text of the summary or note, or bytes in hex with or "
                                    "without spaces: 7EA0 finds 7E A0")
        self.polling_box = QCheckBox("Hide polling")
        self.polling_box.setToolTip("Hide the live plot's polling and the keepalive frames")
        self.secrets_box = QCheckBox("Show secrets")
        self.secrets_box.setToolTip("Show the LLS password bytes instead of **")
        self.count_label = QLabel()
        bar = QHBoxLayout()
        for widget in (self.direction_combo, self.kind_combo):
            bar.addWidget(widget)
        bar.addWidget(self.text_filter, 1)
        bar.addWidget(self.polling_box)
        bar.addWidget(self.secrets_box)
        bar.addWidget(self.count_label)

        self.table = self._make_table()
        self.tree = QTreeView()
        self.tree.setModel(self.dissection)
        self.tree.setUniformRowHeights(True)
        self.tree.setAlternatingRowColors(True)
        header = self.tree.header()
        header.setStretchLastSection(False)
        header.setSectionResizeMode(0, QHeaderView.ResizeMode.Interactive)
        header.setSectionResizeMode(1, QHeaderView.ResizeMode.Stretch)
        for column in (2, 3):
            header.setSectionResizeMode(column, QHeaderView.ResizeMode.ResizeToContents)
        self.hex_view = HexView()
        line = self.hex_view.fontMetrics().height()
        self.hex_view.setMinimumHeight(_HEX_ROWS * line + 2 * self.hex_view.frameWidth())
        self.hex_view.setMinimumWidth(self.hex_view.sizeHint().width())
        # Table on top, the selected frame's tree beside its bytes below: at 1366x768 the
        # tree keeps the width its field names need and the hex pane a whole frame's rows.
        detail = QSplitter(Qt.Orientation.Horizontal)
        detail.addWidget(self.tree)
        detail.addWidget(self.hex_view)
        detail.setStretchFactor(0, 1)
        detail.setStretchFactor(1, 0)
        detail.setCollapsible(1, False)
        split = QSplitter(Qt.Orientation.Vertical)
        rows_height = (_TABLE_ROWS + 1) * self.table.verticalHeader().defaultSectionSize()
        self.table.setMinimumHeight(rows_height + 2 * self.table.frameWidth())
        split.addWidget(self.table)
        split.addWidget(detail)
        split.setStretchFactor(0, 1)
        split.setStretchFactor(1, 1)
        self.splitter, self.detail_splitter = split, detail
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
        table.setSelectionMode(QAbstractItemView.SelectionMode.ExtendedSelection)
        table.setContextMenuPolicy(Qt.ContextMenuPolicy.ActionsContextMenu)
        for text, shortcut, slot in (("Copy as hex", QKeySequence.StandardKey.Copy, self.copy_hex),
                                     ("Copy as dissection text", None, self.copy_dissection)):
            action = QAction(text, table)
            if shortcut is not None:
                action.setShortcut(shortcut)
                action.setShortcutContext(Qt.ShortcutContext.WidgetShortcut)
            action.triggered.connect(slot)
            table.addAction(action)
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
        self.polling_box.toggled.connect(self.proxy.set_hide_polling)
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
        if self.model.record(row) is not None:
            self.frame_selected.emit(self.model.record(row))

    def _show_frame(self, row: int | None) -> None:
        self._shown = QPersistentModelIndex(
            self.model.index(row, 0) if row is not None else QModelIndex())
        record = self.model.record(row) if row is not None else None
        if record is None:  # nothing selected, or a link marker
            self.dissection.clear()
            self.hex_view.set_data(b"")
            return
        self.dissection.set_frame(self.model.log.dissection(row), record.raw)
        self.hex_view.set_data(record.raw, self.dissection.secret_spans())
        self.tree.expandToDepth(0)
        self.tree.resizeColumnToContents(0)  # field names are never cut off

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
