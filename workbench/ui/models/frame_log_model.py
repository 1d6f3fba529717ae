"""The frame log as a Qt table: a thin adapter over the pure :class:`~workbench.framelog.FrameLog`.

The log (storage, indexing, filtering, masking, search) lives in :mod:`workbench.framelog`
and is tested without Qt; this class only turns it into rows and columns, announces
growth as Qt model signals, and schedules indexing on the event loop (as napari's ``_qt``
layer wraps pure objects):

* each appended batch is one ``beginInsertRows``/``endInsertRows`` (the session worker
  emits a batch every ~40 ms); trimming to ``max_frames`` is one row removal;
* small batches are indexed as they arrive; a big one (opening a capture) is indexed in
  time slices of a few milliseconds by a zero-interval timer, so the GUI never freezes;
  ``indexed`` announces the index's growth;
* a link marker (:class:`~workbench.framelog.LinkMarker`) is a row in italics whose
  summary is the event; it has no direction, length or bytes.
"""

from __future__ import annotations

import time
from collections.abc import Iterable
from datetime import datetime

from PySide6.QtCore import (
    QAbstractTableModel,
    QModelIndex,
    QObject,
    QPersistentModelIndex,
    Qt,
    QTimer,
    Signal,
    Slot,
)
from PySide6.QtGui import QBrush, QColor, QFont

from workbench.framelog import (
    BAD,
    MARKER,
    Dissector,
    Entry,
    FrameFilter,
    FrameLog,
    FrameRecord,
    LinkMarker,
)

__all__ = ["AnyIndex", "Dissector", "FrameFilter", "FrameLogModel"]

AnyIndex = QModelIndex | QPersistentModelIndex

_SYNC_INDEX_ROWS = 256  # a batch up to this size is indexed as it arrives (~8 ms at worst)
_SLICE_SECONDS = 0.008  # background indexing works at most this long per event-loop turn
_CHUNK = 64
_DIRECTION_TEXT = {"tx": "→ tx", "rx": "← rx"}
_DIRECTION_COLOR = {"tx": QColor("#1f5fa8"), "rx": QColor("#2e7d32")}
_BAD_COLOR = QColor("#c62828")
_MARKER_COLOR = QColor("#8a5a00")


class FrameLogModel(QAbstractTableModel):
    """Rows are log entries in arrival order; columns time, direction, length, summary.

    Args:
        dissect: ``bytes -> list[Node]`` for the selected frame's tree and for summaries
            the fast path cannot give (defaults to the protocol dissector).
        max_frames: keep only the newest this many rows (None: keep all).

    Signals:
        indexed(int rows): rows ``0 .. rows-1`` now have kind, summary and search text.
    """

    TIME, DIRECTION, LENGTH, SUMMARY = range(4)
    HEADERS = ("Time", "Dir", "Len", "Summary")
    RecordRole = Qt.ItemDataRole.UserRole
    KindRole = Qt.ItemDataRole.UserRole + 1

    indexed = Signal(int)

    def __init__(self, parent: QObject | None = None, *, dissect: Dissector | None = None,
                 max_frames: int | None = None) -> None:
        super().__init__(parent)
        self.log = FrameLog(dissect=dissect, max_frames=max_frames)
        self.show_secrets = False
        self._indexer = QTimer(self, interval=0)
        self._indexer.timeout.connect(self._index_slice)
        self._marker_font = QFont()
        self._marker_font.setItalic(True)

    # --- Qt model interface -------------------------------------------------------------
    def rowCount(self, parent: AnyIndex = QModelIndex()) -> int:  # noqa: B008
        return 0 if parent.isValid() else len(self.log)

    def columnCount(self, parent: AnyIndex = QModelIndex()) -> int:  # noqa: B008
        return 0 if parent.isValid() else len(self.HEADERS)

    def headerData(self, section: int, orientation: Qt.Orientation,
                   role: int = Qt.ItemDataRole.DisplayRole) -> object:
        if (orientation == Qt.Orientation.Horizontal and role == Qt.ItemDataRole.DisplayRole
                and 0 <= section < len(self.HEADERS)):
            return self.HEADERS[section]
        return None

    def data(self, index: AnyIndex, role: int = Qt.ItemDataRole.DisplayRole) -> object:
        if not index.isValid() or not 0 <= index.row() < len(self.log):
            return None
        row, column = index.row(), index.column()
        entry = self.log.entry(row)
        if role == Qt.ItemDataRole.DisplayRole:
            return self._display(row, column, entry)
        if role == Qt.ItemDataRole.ToolTipRole:
            return self._tooltip(row, entry)
        if role == Qt.ItemDataRole.ForegroundRole:
            return self._color(row, column, entry)
        if role == Qt.ItemDataRole.FontRole and isinstance(entry, LinkMarker):
            return self._marker_font
        if role == Qt.ItemDataRole.TextAlignmentRole and column == self.LENGTH:
            return int(Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter)
        if role == self.RecordRole:
            return self.log.record(row)
        if role == self.KindRole:
            return self.log.kind(row)
        return None

    # --- appending ----------------------------------------------------------------------
    @Slot(object)
    def append_records(self, entries: Iterable[Entry]) -> None:
        """Append a batch of frames or markers (one insert notification), then trim.

        A small batch arriving while the index is complete is indexed at once, so filters
        see it in the same call; a bigger one is indexed in the background.
        """
        batch = list(entries)
        if not batch:
            return
        first = len(self.log)
        index_now = first == self.log.indexed_rows() and len(batch) <= _SYNC_INDEX_ROWS
        self.beginInsertRows(QModelIndex(), first, first + len(batch) - 1)
        self.log.append(batch)
        if index_now:
            self.log.index_rows(len(self.log))
        self.endInsertRows()
        excess = self.log.excess()
        if excess:
            self.beginRemoveRows(QModelIndex(), 0, excess - 1)
            self.log.drop_oldest(excess)
            self.endRemoveRows()
        if index_now:
            self.indexed.emit(self.log.indexed_rows())
        elif not self._indexer.isActive():
            self._indexer.start()

    def add_marker(self, text: str, when: float | None = None) -> None:
        """Add a link event row ("link lost: …", "link resumed") after the frames so far."""
        self.append_records([LinkMarker(time.time() if when is None else when, text)])

    def clear(self) -> None:
        self.beginResetModel()
        self.log.clear()
        self._indexer.stop()
        self.endResetModel()

    # --- indexing -----------------------------------------------------------------------
    def indexed_rows(self) -> int:
        """How many rows (from the first) have kind, summary and search text."""
        return self.log.indexed_rows()

    def finish_indexing(self) -> None:
        """Index every remaining row now (blocking; for scripts and tests)."""
        self.log.index_rows(len(self.log))
        self._indexer.stop()
        self.indexed.emit(self.log.indexed_rows())

    def _index_slice(self) -> None:
        """One time slice of background indexing (the timer calls it each event-loop turn)."""
        deadline = time.perf_counter() + _SLICE_SECONDS
        log = self.log
        while log.indexed_rows() < len(log) and time.perf_counter() < deadline:
            log.index_rows(log.indexed_rows() + _CHUNK)
        if log.indexed_rows() == len(log):
            self._indexer.stop()
        self.indexed.emit(log.indexed_rows())

    # --- accessors the filter and the widget use ------------------------------------------
    def record(self, row: int) -> FrameRecord | None:
        """The frame at ``row``; None for a link marker."""
        return self.log.record(row)

    def records(self) -> list[FrameRecord]:
        """Every frame, oldest first (for saving a capture); markers left out."""
        return self.log.records()

    def set_show_secrets(self, show: bool) -> None:
        """Whether the tooltip shows the password bytes (the search text never does)."""
        self.show_secrets = show

    def kind(self, row: int) -> str:
        return self.log.kind(row)

    def summary(self, row: int) -> str:
        return self.log.summary(row)

    def _display(self, row: int, column: int, entry: Entry) -> str:
        if column == self.TIME:
            return datetime.fromtimestamp(entry.time).strftime("%H:%M:%S.%f")[:-3]
        if isinstance(entry, LinkMarker):
            return "⏸ " + entry.text if column == self.SUMMARY else ""
        if column == self.DIRECTION:
            return _DIRECTION_TEXT[entry.direction]
        if column == self.LENGTH:
            return str(len(entry.raw))
        summary = self.log.summary(row)
        return f"{summary}  [{' '.join(entry.note.split())}]" if entry.note else summary

    def _tooltip(self, row: int, entry: Entry) -> str:
        stamp = datetime.fromtimestamp(entry.time).isoformat(sep=" ", timespec="microseconds")
        if isinstance(entry, LinkMarker):
            return f"{stamp}\n{entry.text}"
        return f"{stamp}\n{self.log.hex(row, masked=not self.show_secrets).upper()}"

    def _color(self, row: int, column: int, entry: Entry) -> QBrush | None:
        kind = self.log.kind(row)
        if kind == MARKER:
            return QBrush(_MARKER_COLOR)
        if kind == BAD:
            return QBrush(_BAD_COLOR)
        if column == self.DIRECTION and isinstance(entry, FrameRecord):
            return QBrush(_DIRECTION_COLOR[entry.direction])
        return None
