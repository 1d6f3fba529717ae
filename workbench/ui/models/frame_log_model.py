"""The frame log as a Qt table: an adapter over a plain list of FrameRecords.

Why it is lazy: a long session (a 60-day profile, a night of polling) reaches 100,000
frames, and dissecting each one costs tens of microseconds. So appending only stores the
record; the summary (from the dissection tree) and the frame kind are computed the first
time a view or a filter asks for them, and cached per row. The view asks only for visible
rows; dissection trees themselves are kept in a small LRU cache.

Appends come in batches (the session worker emits one tuple of records every ~40 ms), and
each batch is one ``beginInsertRows``/``endInsertRows``, so views and proxies do one update
per batch, not one per frame.
"""

from __future__ import annotations

from collections import OrderedDict
from collections.abc import Callable, Iterable
from datetime import datetime

from PySide6.QtCore import (
    QAbstractTableModel,
    QModelIndex,
    QObject,
    QPersistentModelIndex,
    QSortFilterProxyModel,
    Qt,
    Slot,
)
from PySide6.QtGui import QBrush, QColor

from workbench.protocol.dissect import Node
from workbench.session.trace import FrameRecord

from .frame_summary import frame_kind, summarize

__all__ = ["FrameFilterProxy", "FrameLogModel"]

Dissector = Callable[[bytes], list[Node]]
AnyIndex = QModelIndex | QPersistentModelIndex

_TREE_CACHE = 256
_DIRECTION_TEXT = {"tx": "→ tx", "rx": "← rx"}
_DIRECTION_COLOR = {"tx": QColor("#1f5fa8"), "rx": QColor("#2e7d32")}
_BAD_COLOR = QColor("#c62828")


def _default_dissect(data: bytes) -> list[Node]:
    from workbench.protocol.dissector import dissect

    return dissect(data)


class FrameLogModel(QAbstractTableModel):
    """Rows are frames in arrival order; columns time, direction, length, summary.

    Args:
        dissect: ``bytes -> list[Node]`` (defaults to the protocol dissector).
        max_frames: keep only the newest this many frames (None: keep all).
    """

    TIME, DIRECTION, LENGTH, SUMMARY = range(4)
    HEADERS = ("Time", "Dir", "Len", "Summary")
    RecordRole = Qt.ItemDataRole.UserRole
    KindRole = Qt.ItemDataRole.UserRole + 1

    def __init__(self, parent: QObject | None = None, *, dissect: Dissector | None = None,
                 max_frames: int | None = None) -> None:
        super().__init__(parent)
        self._dissect = dissect or _default_dissect
        self.max_frames = max_frames
        self._records: list[FrameRecord] = []
        self._summaries: list[str | None] = []
        self._kinds: list[str | None] = []
        self._trees: OrderedDict[bytes, list[Node]] = OrderedDict()

    # --- Qt model interface -------------------------------------------------------------
    def rowCount(self, parent: AnyIndex = QModelIndex()) -> int:  # noqa: B008
        return 0 if parent.isValid() else len(self._records)

    def columnCount(self, parent: AnyIndex = QModelIndex()) -> int:  # noqa: B008
        return 0 if parent.isValid() else len(self.HEADERS)

    def headerData(self, section: int, orientation: Qt.Orientation,
                   role: int = Qt.ItemDataRole.DisplayRole) -> object:
        if (orientation == Qt.Orientation.Horizontal and role == Qt.ItemDataRole.DisplayRole
                and 0 <= section < len(self.HEADERS)):
            return self.HEADERS[section]
        return None

    def data(self, index: AnyIndex, role: int = Qt.ItemDataRole.DisplayRole) -> object:
        if not index.isValid() or not 0 <= index.row() < len(self._records):
            return None
        row, column = index.row(), index.column()
        record = self._records[row]
        if role == Qt.ItemDataRole.DisplayRole:
            return self._display(row, column, record)
        if role == Qt.ItemDataRole.ToolTipRole:
            return self._tooltip(row, record)
        if role == Qt.ItemDataRole.ForegroundRole:
            if self.kind(row) == "bad":
                return QBrush(_BAD_COLOR)
            return QBrush(_DIRECTION_COLOR[record.direction]) if column == 1 else None
        if role == Qt.ItemDataRole.TextAlignmentRole and column == self.LENGTH:
            return int(Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter)
        if role == self.RecordRole:
            return record
        if role == self.KindRole:
            return self.kind(row)
        return None

    # --- appending ----------------------------------------------------------------------
    @Slot(object)
    def append_records(self, records: Iterable[FrameRecord]) -> None:
        """Append a batch of frames (one insert notification), trimming to ``max_frames``."""
        batch = list(records)
        if not batch:
            return
        first = len(self._records)
        self.beginInsertRows(QModelIndex(), first, first + len(batch) - 1)
        self._records.extend(batch)
        self._summaries.extend([None] * len(batch))
        self._kinds.extend([None] * len(batch))
        self.endInsertRows()
        if self.max_frames is not None and len(self._records) > self.max_frames:
            self._drop_oldest(len(self._records) - self.max_frames)

    def clear(self) -> None:
        self.beginResetModel()
        self._records, self._summaries, self._kinds = [], [], []
        self._trees.clear()
        self.endResetModel()

    def _drop_oldest(self, count: int) -> None:
        self.beginRemoveRows(QModelIndex(), 0, count - 1)
        del self._records[:count], self._summaries[:count], self._kinds[:count]
        self.endRemoveRows()

    # --- pure accessors (used by the proxy and the widget) ------------------------------
    def record(self, row: int) -> FrameRecord:
        return self._records[row]

    def records(self) -> list[FrameRecord]:
        """A copy of all frames, oldest first (for saving a capture)."""
        return list(self._records)

    def dissection(self, row: int) -> list[Node]:
        """The frame's dissection tree (cached for the most recently used frames)."""
        raw = self._records[row].raw
        tree = self._trees.get(raw)
        if tree is None:
            tree = self._trees[raw] = self._dissect(raw)
            if len(self._trees) > _TREE_CACHE:
                self._trees.popitem(last=False)
        else:
            self._trees.move_to_end(raw)
        return tree

    def summary(self, row: int) -> str:
        text = self._summaries[row]
        if text is None:
            text = self._summaries[row] = summarize(self.dissection(row))
        return text

    def kind(self, row: int) -> str:
        """HDLC frame kind ("I", "RR", ..., or "bad") of the frame at ``row``."""
        kind = self._kinds[row]
        if kind is None:
            kind = self._kinds[row] = frame_kind(self._records[row].raw)
        return kind

    def search_text(self, row: int) -> str:
        """Lower-case text the free-text filter matches: summary, note and hex bytes."""
        record = self._records[row]
        return f"{self.summary(row)} {record.note} {record.raw.hex(' ')}".lower()

    def _display(self, row: int, column: int, record: FrameRecord) -> str:
        if column == self.TIME:
            return datetime.fromtimestamp(record.time).strftime("%H:%M:%S.%f")[:-3]
        if column == self.DIRECTION:
            return _DIRECTION_TEXT[record.direction]
        if column == self.LENGTH:
            return str(len(record.raw))
        summary = self.summary(row)
        return f"{summary}  [{' '.join(record.note.split())}]" if record.note else summary

    def _tooltip(self, row: int, record: FrameRecord) -> str:
        stamp = datetime.fromtimestamp(record.time).isoformat(sep=" ", timespec="microseconds")
        return f"{stamp}\n{record.raw.hex(' ').upper()}"


class FrameFilterProxy(QSortFilterProxyModel):
    """Filters the frame log by direction, frame kind and free text (all must match).

    It reads the source model's plain accessors rather than going through ``data()``, so
    refiltering 100,000 rows costs one Python call per row.
    """

    def __init__(self, source: FrameLogModel, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self._log = source
        self.setSourceModel(source)
        self._direction: str | None = None
        self._kind: str | None = None
        self._text = ""

    def set_direction(self, direction: str | None) -> None:
        """``"tx"``, ``"rx"`` or None for both."""
        self._change(lambda: setattr(self, "_direction", direction))

    def set_kind(self, kind: str | None) -> None:
        """A frame kind ("I", "RR", "SNRM", ..., "bad") or None for all."""
        self._change(lambda: setattr(self, "_kind", kind))

    def set_text(self, text: str) -> None:
        """Case-insensitive substring of the summary, the note or the hex bytes."""
        self._change(lambda: setattr(self, "_text", text.strip().lower()))

    def _change(self, apply: Callable[[], None]) -> None:
        self.beginFilterChange()
        apply()
        self.endFilterChange(QSortFilterProxyModel.Direction.Rows)

    def filterAcceptsRow(self, source_row: int, source_parent: AnyIndex) -> bool:
        model = self._log
        if self._direction and model.record(source_row).direction != self._direction:
            return False
        if self._kind and model.kind(source_row) != self._kind:
            return False
        return not self._text or self._text in model.search_text(source_row)
