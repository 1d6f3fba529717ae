"""The frame log's filter: a table model over an index array of the log's rows.

Why not ``QSortFilterProxyModel``: when a filter change hides every other row of 100,000,
it reports tens of thousands of separate row-range removals, and it asks
``filterAcceptsRow`` once per row through Python: 1.5–2.5 s per change (measured). Here a
filter change computes the accepted rows in one pass of the pure log
(:meth:`workbench.framelog.FrameLog.matching_rows`) and publishes them with one model
reset; appended frames are tested alone and published as one insert at the end.

Kind and text criteria need the log's index (kind, summary, search text). While the log
is still indexing in the background (just after opening a big capture), the filter shows
the matches among the indexed rows and adds the rest as the index grows: ``complete``
tells which. Source rows are kept as ``array('I')``: 4 bytes a row.
"""

from __future__ import annotations

from array import array
from bisect import bisect_left, bisect_right
from dataclasses import replace

from PySide6.QtCore import QAbstractTableModel, QModelIndex, QObject, Qt

from .frame_log_model import AnyIndex, FrameFilter, FrameLogModel

__all__ = ["FrameFilterProxy"]


class FrameFilterProxy(QAbstractTableModel):
    """Filters the frame log by direction, kind, polling and free text (all must match).

    Rows are the accepted log rows in log order; ``mapToSource``/``mapFromSource``
    translate indexes like a ``QAbstractProxyModel`` does.
    """

    def __init__(self, source: FrameLogModel, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self._log = source
        self._filter = FrameFilter()
        self._rows = array("I")  # accepted log rows, ascending
        self._scanned = 0  # log rows 0 .. _scanned-1 have been tested
        self._leaving = (0, 0)  # our rows (start, stop) for log rows being removed
        source.rowsInserted.connect(self._scan)
        source.indexed.connect(self._scan)
        source.rowsAboutToBeRemoved.connect(self._source_rows_leaving)
        source.rowsRemoved.connect(self._source_rows_removed)
        source.modelReset.connect(self._refilter)
        self._refilter()

    # --- filter criteria ----------------------------------------------------------------
    @property
    def criteria(self) -> FrameFilter:
        return self._filter

    def set_direction(self, direction: str | None) -> None:
        """``"tx"``, ``"rx"`` or None for both."""
        self._set(replace(self._filter, direction=direction))

    def set_kind(self, kind: str | None) -> None:
        """A frame kind ("I", "RR", "SNRM", ..., "bad") or None for all."""
        self._set(replace(self._filter, kind=kind))

    def set_text(self, text: str) -> None:
        """Case-insensitive text of the summary or note, or hex bytes with or without spaces."""
        self._set(replace(self._filter, text=text.strip().lower()))

    def set_hide_polling(self, hide: bool) -> None:
        """Leave out the frames tagged as polling or keepalive (see ``framelog.entries``)."""
        self._set(replace(self._filter, hide_polling=hide))

    @property
    def complete(self) -> bool:
        """False while some log rows wait for the background index to be tested."""
        return self._scanned == self._log.rowCount()

    def _set(self, flt: FrameFilter) -> None:
        if flt != self._filter:
            self._filter = flt
            self._refilter()

    # --- mapping ------------------------------------------------------------------------
    def source_row(self, row: int) -> int:
        return self._rows[row]

    def mapToSource(self, index: AnyIndex) -> QModelIndex:
        if not index.isValid() or not 0 <= index.row() < len(self._rows):
            return QModelIndex()
        return self._log.index(self._rows[index.row()], index.column())

    def mapFromSource(self, index: AnyIndex) -> QModelIndex:
        """The filter's index for a log index, invalid when the filter hides that frame."""
        if not index.isValid():
            return QModelIndex()
        row = bisect_left(self._rows, index.row())
        if row == len(self._rows) or self._rows[row] != index.row():
            return QModelIndex()
        return self.index(row, index.column())

    # --- Qt model interface -------------------------------------------------------------
    def rowCount(self, parent: AnyIndex = QModelIndex()) -> int:  # noqa: B008
        return 0 if parent.isValid() else len(self._rows)

    def columnCount(self, parent: AnyIndex = QModelIndex()) -> int:  # noqa: B008
        return self._log.columnCount(parent)

    def headerData(self, section: int, orientation: Qt.Orientation,
                   role: int = Qt.ItemDataRole.DisplayRole) -> object:
        if orientation == Qt.Orientation.Vertical:
            return None
        return self._log.headerData(section, orientation, role)

    def data(self, index: AnyIndex, role: int = Qt.ItemDataRole.DisplayRole) -> object:
        if not index.isValid() or not 0 <= index.row() < len(self._rows):
            return None
        return self._log.data(self._log.index(self._rows[index.row()], index.column()), role)

    # --- keeping up with the log --------------------------------------------------------
    def _refilter(self) -> None:
        """Test every ready log row against the criteria; publish as one reset."""
        self.beginResetModel()
        stop = self._ready()
        self._rows = array("I", self._log.log.matching_rows(self._filter, 0, stop))
        self._scanned = stop
        self.endResetModel()

    def _scan(self) -> None:
        """Test log rows that became ready (appended, or indexed); publish as one insert."""
        stop = self._ready()
        if stop <= self._scanned:
            return
        new = self._log.log.matching_rows(self._filter, self._scanned, stop)
        self._scanned = stop
        if len(new):
            first = len(self._rows)
            self.beginInsertRows(QModelIndex(), first, first + len(new) - 1)
            self._rows.extend(new)
            self.endInsertRows()

    def _ready(self) -> int:
        log = self._log
        return log.indexed_rows() if self._filter.needs_index else log.rowCount()

    def _source_rows_leaving(self, _parent: AnyIndex, first: int, last: int) -> None:
        """Announce the removal of our rows mapping to log rows ``first .. last``."""
        self._leaving = (bisect_left(self._rows, first), bisect_right(self._rows, last))
        if self._leaving[1] > self._leaving[0]:
            self.beginRemoveRows(QModelIndex(), self._leaving[0], self._leaving[1] - 1)

    def _source_rows_removed(self, _parent: AnyIndex, first: int, last: int) -> None:
        """Drop our rows for the removed log rows and renumber the ones after them."""
        start, stop = self._leaving
        count = last - first + 1
        kept = self._rows[stop:]
        for i, row in enumerate(kept):
            kept[i] = row - count
        self._rows = self._rows[:start] + kept
        self._scanned = self._scanned - count if self._scanned > last else min(
            self._scanned, first)
        if stop > start:
            self.endRemoveRows()
