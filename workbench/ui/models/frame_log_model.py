"""The frame log as a Qt table: an adapter over a plain list of FrameRecords.

Why it is built this way: a long session (a 60-day profile, a night of polling) reaches
100,000 frames, and the table must stay responsive while it grows and while it is filtered.

* Appending stores the record and one byte of direction; each batch is one
  ``beginInsertRows``/``endInsertRows`` (the session worker emits a batch every ~40 ms).
* *Indexing* works out each frame's kind, summary and lower-case search text with the
  protocol core's fast paths (:func:`~.frame_summary.frame_facts`, ~10–30 µs, no
  dissection tree). Small batches are indexed as they arrive; a big one (opening a
  capture) is indexed in time slices of a few milliseconds on the event loop, so the GUI
  never freezes. Rows ``0 .. indexed_rows()-1`` are indexed; ``indexed`` announces growth.
* Filters read these columns in one pass (:meth:`FrameLogModel.matching_rows`): direction
  and kind as numpy masks, text as a substring test per row; see
  :class:`~.frame_filter_model.FrameFilterProxy`.
* Dissection trees, needed only for the selected frame and for summaries of frames the
  fast path cannot describe (bad ones), are kept in a small LRU cache.
* The LLS password never shows unasked: a :class:`~workbench.capture.masking.Masker` sees
  every frame as it is appended (so an AARQ split over segments is followed across them),
  and the tooltip and the search text show its secret bytes as ``**`` unless
  :meth:`FrameLogModel.set_show_secrets` is on. Secret bytes the dissection does not mark
  itself (an AARQ it cannot decode) are added to the frame's tree as secret nodes, which is
  what the tree and the hex view hide.
"""

from __future__ import annotations

import sys
import time
from collections import OrderedDict
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from datetime import datetime

import numpy as np
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
from PySide6.QtGui import QBrush, QColor

from workbench.capture.masking import Masker, secret_spans
from workbench.protocol.fields import Node
from workbench.session.trace import FrameRecord

from .frame_summary import BAD, FRAME_KINDS, frame_facts, summarize

__all__ = ["FrameFilter", "FrameLogModel"]

Dissector = Callable[[bytes], list[Node]]
AnyIndex = QModelIndex | QPersistentModelIndex

_TREE_CACHE = 256
_UNKNOWN = 255  # kind code of a row not described yet
_KIND_CODES = {kind: code for code, kind in enumerate(FRAME_KINDS)}
_SYNC_INDEX_ROWS = 256  # a batch up to this size is indexed as it arrives (~8 ms at worst)
_SLICE_SECONDS = 0.008  # background indexing works at most this long per event-loop turn
_CHUNK = 64
_DIRECTION_TEXT = {"tx": "→ tx", "rx": "← rx"}
_DIRECTION_COLOR = {"tx": QColor("#1f5fa8"), "rx": QColor("#2e7d32")}
_BAD_COLOR = QColor("#c62828")
_NO_SECRETS: tuple[tuple[int, int], ...] = ()


def _default_dissect(data: bytes) -> list[Node]:
    from workbench.protocol.dissect import dissect

    return dissect(data)


@dataclass(frozen=True, slots=True)
class FrameFilter:
    """Which frames to show: all given criteria must match.

    Attributes:
        direction: ``"tx"``, ``"rx"`` or None for both.
        kind: a frame kind of :data:`~.frame_summary.FRAME_KINDS` or None for all.
        text: lower-case substring of "summary note hex bytes", or "" for all.
    """

    direction: str | None = None
    kind: str | None = None
    text: str = ""

    @property
    def needs_index(self) -> bool:
        """Whether the filter reads indexed columns (kind, search text)."""
        return bool(self.kind or self.text)


class FrameLogModel(QAbstractTableModel):
    """Rows are frames in arrival order; columns time, direction, length, summary.

    Args:
        dissect: ``bytes -> list[Node]`` for the selected frame's tree and for summaries
            the fast path cannot give (defaults to the protocol dissector).
        max_frames: keep only the newest this many frames (None: keep all).

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
        self._dissect = dissect or _default_dissect
        self.max_frames = max_frames
        self._records: list[FrameRecord] = []
        self._rx = bytearray()  # 1 where the frame was received
        self._kinds = bytearray()  # code in FRAME_KINDS, or _UNKNOWN
        self._summaries: list[str | None] = []
        self._search: list[str] = []  # one per indexed row: its length is the frontier
        self._trees: OrderedDict[bytes, list[Node]] = OrderedDict()
        self._masker = Masker(self._tree)
        self._secrets: list[tuple[tuple[int, int], ...]] = []  # (offset, length) per row
        self.show_secrets = False
        self._indexer = QTimer(self, interval=0)
        self._indexer.timeout.connect(self._index_slice)

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
            if self.kind(row) == BAD:
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
        """Append a batch of frames (one insert notification), trimming to ``max_frames``.

        A small batch arriving while the index is complete is indexed at once, so filters
        see it in the same call; a bigger one is indexed in the background.
        """
        batch = list(records)
        if not batch:
            return
        first = len(self._records)
        index_now = first == len(self._search) and len(batch) <= _SYNC_INDEX_ROWS
        self.beginInsertRows(QModelIndex(), first, first + len(batch) - 1)
        self._records.extend(batch)
        self._rx.extend([record.direction == "rx" for record in batch])
        self._kinds.extend(bytes([_UNKNOWN]) * len(batch))
        self._summaries.extend([None] * len(batch))
        self._secrets.extend([tuple(self._masker.secret_spans(r.raw)) or _NO_SECRETS
                              for r in batch])
        if index_now:
            self._index_rows(len(self._records))
        self.endInsertRows()
        if self.max_frames is not None and len(self._records) > self.max_frames:
            self._drop_oldest(len(self._records) - self.max_frames)
        if index_now:
            self.indexed.emit(len(self._search))
        elif not self._indexer.isActive():
            self._indexer.start()

    def clear(self) -> None:
        self.beginResetModel()
        self._records, self._summaries, self._search = [], [], []
        self._rx, self._kinds = bytearray(), bytearray()
        self._secrets = []
        self._masker = Masker(self._tree)
        self._trees.clear()
        self._indexer.stop()
        self.endResetModel()

    def _drop_oldest(self, count: int) -> None:
        self.beginRemoveRows(QModelIndex(), 0, count - 1)
        del self._records[:count], self._summaries[:count], self._search[:count]
        del self._secrets[:count]
        del self._rx[:count], self._kinds[:count]
        self.endRemoveRows()

    # --- indexing -----------------------------------------------------------------------
    def indexed_rows(self) -> int:
        """How many rows (from the first) have kind, summary and search text."""
        return len(self._search)

    def finish_indexing(self) -> None:
        """Index every remaining row now (blocking; for scripts and tests)."""
        self._index_rows(len(self._records))
        self._indexer.stop()
        self.indexed.emit(len(self._search))

    def _index_slice(self) -> None:
        """One time slice of background indexing (the timer calls it each event-loop turn)."""
        deadline = time.perf_counter() + _SLICE_SECONDS
        while len(self._search) < len(self._records) and time.perf_counter() < deadline:
            self._index_rows(min(len(self._search) + _CHUNK, len(self._records)))
        if len(self._search) == len(self._records):
            self._indexer.stop()
        self.indexed.emit(len(self._search))

    def _index_rows(self, stop: int) -> None:
        search, records = self._search, self._records
        for row in range(len(search), stop):
            record = records[row]
            search.append(f"{self.summary(row)} {record.note} {self._hex(row, True)}".lower())

    # --- pure accessors (used by the filter and the widget) -----------------------------
    def record(self, row: int) -> FrameRecord:
        return self._records[row]

    def records(self) -> list[FrameRecord]:
        """A copy of all frames, oldest first (for saving a capture)."""
        return list(self._records)

    def set_show_secrets(self, show: bool) -> None:
        """Whether the tooltip shows the password bytes (the search text never does)."""
        self.show_secrets = show

    def secret_spans(self, row: int) -> list[tuple[int, int]]:
        """``(offset, length)`` of the frame's secret bytes, found in arrival order."""
        return list(self._secrets[row])

    def dissection(self, row: int) -> list[Node]:
        """The frame's dissection tree (cached), plus a secret node for each run of
        password bytes the masking found but the dissection does not mark (an AARQ cut
        short, or split over segments)."""
        roots = self._tree(self._records[row].raw)
        marked = secret_spans(roots)
        extra = [Node("password (found by the masking scan)", "***", offset, length,
                      secret=True, key="capture.secret")
                 for offset, length in self._secrets[row] if (offset, length) not in marked]
        return [*roots, *extra] if extra else roots

    def _tree(self, raw: bytes) -> list[Node]:
        """The dissection of ``raw``, from a small LRU cache."""
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
            kind, text = frame_facts(bytes(self._records[row].raw))
            if text is None:  # only the dissection can describe it (it shows an error)
                text = summarize(self._tree(self._records[row].raw))
            self._kinds[row] = _KIND_CODES[kind]
            self._summaries[row] = text = sys.intern(text)  # polling repeats summaries
        return text

    def kind(self, row: int) -> str:
        """HDLC frame kind ("I", "RR", ..., or "bad") of the frame at ``row``."""
        if self._kinds[row] == _UNKNOWN:
            self.summary(row)
        return FRAME_KINDS[self._kinds[row]]

    def search_text(self, row: int) -> str:
        """Lower-case text the free-text filter matches: summary, note and hex bytes."""
        if row < len(self._search):
            return self._search[row]
        record = self._records[row]
        return f"{self.summary(row)} {record.note} {self._hex(row, True)}".lower()

    def matching_rows(self, flt: FrameFilter, start: int, stop: int) -> np.ndarray:
        """Rows in ``start .. stop-1`` that ``flt`` accepts, ascending (uint32).

        With kind or text criteria, ``stop`` must not pass :meth:`indexed_rows`.
        """
        if flt.needs_index and stop > len(self._search):
            raise ValueError(f"rows {len(self._search)}..{stop - 1} are not indexed yet")
        mask = None
        if flt.direction:
            mask = np.frombuffer(self._rx, np.uint8)[start:stop] == (flt.direction == "rx")
        if flt.kind:
            kinds = np.frombuffer(self._kinds, np.uint8)[start:stop] == _KIND_CODES[flt.kind]
            mask = kinds if mask is None else mask & kinds
        if mask is None:
            rows = np.arange(start, stop, dtype=np.uint32)
        else:
            rows = (np.flatnonzero(mask) + start).astype(np.uint32)
        if not flt.text:
            return rows
        text, search = flt.text, self._search
        if mask is None:
            hits = [row for row, line in enumerate(search[start:stop], start) if text in line]
        else:
            hits = [row for row in rows.tolist() if text in search[row]]
        return np.array(hits, dtype=np.uint32)

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
        return f"{stamp}\n{self._hex(row, not self.show_secrets).upper()}"

    def _hex(self, row: int, masked: bool) -> str:
        """The frame's bytes as spaced hex; secret bytes as ``**`` when ``masked``."""
        text = self._records[row].raw.hex(" ")
        if not masked or not self._secrets[row]:
            return text
        cells = text.split(" ")
        for offset, length in self._secrets[row]:
            cells[offset:offset + length] = ["**"] * len(cells[offset:offset + length])
        return " ".join(cells)
