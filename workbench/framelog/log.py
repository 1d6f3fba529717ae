"""The frame log without Qt: storage, indexing, filtering, masking and search.

Why it is built this way: a long session (a 60-day profile, a night of polling) reaches
100,000 frames, and a view over it must stay responsive while it grows and is filtered.

* Appending stores the entry and one *code* byte per row: the frame kind, the direction
  and the polling tag packed together (``kind << 2 | rx << 1 | polling``). A filter on
  direction, kind and polling is then one regular-expression scan over the code bytes
  (C speed, no per-row Python), which is why there is no numpy here.
* *Indexing* works out each frame's kind, summary and search text with the protocol
  core's fast paths (:func:`~.summary.frame_facts`, ~10–30 µs, no dissection tree).
  Rows ``0 .. indexed_rows()-1`` are indexed; a caller (the Qt adapter) decides when to
  index more, so a GUI can do it in time slices.
* The text filter matches the summary and the note, or, when the text is hex (with or
  without spaces: "7EA0" and "7e a0" alike), the frame's bytes at a byte boundary.
* Dissection trees, needed only for the selected frame and for frames the fast path
  cannot describe, are kept in a small LRU cache.
* The LLS password never shows unasked: a :class:`~.masking.Masker` sees every frame as
  it is appended (so an AARQ split over segments is followed across them); the search
  text and :meth:`FrameLog.hex` show its bytes as ``**``.
"""

from __future__ import annotations

import re
import string
import sys
from collections import OrderedDict
from collections.abc import Iterable
from functools import lru_cache

from workbench.protocol.fields import ACSE, Node

from .entries import Entry, FrameFilter, LinkMarker, is_polling
from .masking import Dissector, Masker, secret_spans
from .record import FrameRecord
from .summary import FRAME_KINDS, frame_facts, summarize

__all__ = ["MARKER", "Dissector", "FrameLog"]

Span = tuple[int, int]

MARKER = "link"
"""The kind of a :class:`~.entries.LinkMarker` row."""

_TREE_CACHE = 256
_KIND_CODES = {kind: code for code, kind in enumerate(FRAME_KINDS)}
_UNKNOWN_KIND = 62  # a frame not indexed yet
_MARKER_CODE = 63 << 2
_HEX_QUERY = set(string.hexdigits + " :*")  # "*": a masked byte reads "**"
_NO_SECRETS: tuple[Span, ...] = ()


def _default_dissect(data: bytes) -> list[Node]:
    from workbench.protocol.dissect import dissect

    return dissect(data)


class FrameLog:
    """Frames and link markers in arrival order.

    Args:
        dissect: ``bytes -> list[Node]`` for dissection trees and for summaries the fast
            path cannot give (defaults to the protocol dissector).
        max_frames: keep only the newest this many rows (None: keep all); the owner
            calls :meth:`drop_oldest` with :meth:`excess` after appending.
    """

    def __init__(self, *, dissect: Dissector | None = None,
                 max_frames: int | None = None) -> None:
        self._dissect = dissect or _default_dissect
        self.max_frames = max_frames
        self._trees: OrderedDict[bytes, list[Node]] = OrderedDict()
        self.clear()

    def clear(self) -> None:
        """Forget every row (and the masker's memory of split AARQs)."""
        self._entries: list[Entry] = []
        self._codes = bytearray()
        self._summaries: list[str | None] = []
        self._words: list[str] = []  # one per indexed row: its length is the frontier
        self._hexes: list[str] = []  # compact lower-case hex, secrets as "**"
        self._secrets: list[tuple[Span, ...]] = []
        self._masker = Masker(self._tree)
        self._trees.clear()

    # --- storage -----------------------------------------------------------------------
    def __len__(self) -> int:
        return len(self._entries)

    def append(self, entries: Iterable[Entry]) -> int:
        """Add entries at the end; return how many. Masking sees each frame in order."""
        batch = list(entries)
        self._entries.extend(batch)
        self._codes.extend(self._first_code(entry) for entry in batch)
        self._summaries.extend([None] * len(batch))
        self._secrets.extend(self._spans(entry) for entry in batch)
        return len(batch)

    def excess(self) -> int:
        """How many of the oldest rows :attr:`max_frames` says to drop."""
        return 0 if self.max_frames is None else max(len(self._entries) - self.max_frames, 0)

    def drop_oldest(self, count: int) -> None:
        del self._entries[:count], self._summaries[:count], self._secrets[:count]
        del self._codes[:count], self._words[:count], self._hexes[:count]

    def entry(self, row: int) -> Entry:
        return self._entries[row]

    def record(self, row: int) -> FrameRecord | None:
        """The frame at ``row``; None for a marker row."""
        entry = self._entries[row]
        return entry if isinstance(entry, FrameRecord) else None

    def records(self) -> list[FrameRecord]:
        """Every frame (markers left out), oldest first: what a saved capture holds."""
        return [e for e in self._entries if isinstance(e, FrameRecord)]

    def is_polling(self, row: int) -> bool:
        return bool(self._codes[row] & 1) and self._codes[row] != _MARKER_CODE

    def _first_code(self, entry: Entry) -> int:
        if isinstance(entry, LinkMarker):
            return _MARKER_CODE
        return _UNKNOWN_KIND << 2 | (entry.direction == "rx") << 1 | is_polling(entry.note)

    def _spans(self, entry: Entry) -> tuple[Span, ...]:
        if isinstance(entry, LinkMarker):
            return _NO_SECRETS
        return tuple(self._masker.secret_spans(entry.raw)) or _NO_SECRETS

    # --- indexing ----------------------------------------------------------------------
    def indexed_rows(self) -> int:
        """How many rows (from the first) have kind, summary and search text."""
        return len(self._words)

    def index_rows(self, stop: int) -> None:
        """Index rows up to ``stop`` (exclusive)."""
        for row in range(len(self._words), min(stop, len(self._entries))):
            entry = self._entries[row]
            note = entry.note if isinstance(entry, FrameRecord) else ""
            self._words.append(f"{self.summary(row)} {note}".lower())
            self._hexes.append(self.hex(row, sep=""))

    def summary(self, row: int) -> str:
        """One line describing the row (the frame's summary, or the marker's text)."""
        text = self._summaries[row]
        if text is None:
            entry = self._entries[row]
            if isinstance(entry, LinkMarker):
                return entry.text
            kind, text = frame_facts(bytes(entry.raw))
            if text is None:  # only the dissection can describe it (it shows an error)
                text = summarize(self._tree(entry.raw))
            self._codes[row] = _KIND_CODES[kind] << 2 | self._codes[row] & 3
            self._summaries[row] = text = sys.intern(text)  # polling repeats summaries
        return text

    def kind(self, row: int) -> str:
        """HDLC frame kind ("I", "RR", ..., "bad") of the row, or :data:`MARKER`."""
        code = self._codes[row]
        if code == _MARKER_CODE:
            return MARKER
        if code >> 2 == _UNKNOWN_KIND:
            self.summary(row)
        return FRAME_KINDS[self._codes[row] >> 2]

    def search_text(self, row: int) -> str:
        """Lower-case text the free-text filter matches: summary and note."""
        if row >= len(self._words):
            self.index_rows(row + 1)
        return self._words[row]

    # --- filtering -----------------------------------------------------------------------
    def matching_rows(self, flt: FrameFilter, start: int, stop: int) -> list[int]:
        """Rows in ``start .. stop-1`` that ``flt`` accepts, ascending; markers always.

        Raises:
            ValueError: the filter needs the index and ``stop`` passes :meth:`indexed_rows`.
        """
        if flt.needs_index and stop > len(self._words):
            raise ValueError(f"rows {len(self._words)}..{stop - 1} are not indexed yet")
        pattern = _code_pattern(flt.direction, flt.kind, flt.hide_polling)
        rows: Iterable[int] = range(start, stop) if pattern is None else [
            m.start() for m in pattern.finditer(self._codes, start, stop)]
        if not flt.text:
            return list(rows)
        text, hexes = flt.text, _hex_query(flt.text)
        return [row for row in rows if self._codes[row] == _MARKER_CODE
                or text in self._words[row]
                or (hexes is not None and _aligned_in(self._hexes[row], hexes))]

    # --- one frame's details -----------------------------------------------------------
    def secret_spans(self, row: int) -> list[Span]:
        """``(offset, length)`` of the frame's secret bytes, found in arrival order."""
        return list(self._secrets[row])

    def hex(self, row: int, *, masked: bool = True, sep: str = " ") -> str:
        """The frame's bytes as lower-case hex; secret bytes as ``**`` when ``masked``."""
        record = self.record(row)
        if record is None:
            return ""
        cells = record.raw.hex(" ").split(" ") if record.raw else []
        if masked:
            for offset, length in self._secrets[row]:
                cells[offset:offset + length] = ["**"] * len(cells[offset:offset + length])
        return sep.join(cells)

    def dissection(self, row: int) -> list[Node]:
        """The frame's dissection tree (cached), plus a secret node for each run of
        password bytes the masking found but the dissection does not mark (an AARQ cut
        short, or split over segments). A marker row has no tree."""
        record = self.record(row)
        if record is None:
            return []
        roots = self._tree(record.raw)
        marked = secret_spans(roots)
        extra = [Node("password (found by the masking scan)", "***", offset, length,
                      secret=True, key=ACSE.PASSWORD.key)
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


@lru_cache(maxsize=64)
def _code_pattern(direction: str | None, kind: str | None,
                  hide_polling: bool) -> re.Pattern[bytes] | None:
    """A one-byte pattern matching the codes of accepted rows; None when all are."""
    if direction is None and kind is None and not hide_polling:
        return None
    kinds = [_KIND_CODES[kind]] if kind is not None else [*_KIND_CODES.values(),
                                                          _UNKNOWN_KIND]
    rxs = [0, 1] if direction is None else [direction == "rx"]
    polls = [0] if hide_polling else [0, 1]
    codes = [k << 2 | rx << 1 | poll for k in kinds for rx in rxs for poll in polls]
    return re.compile(b"[" + b"".join(re.escape(bytes([c]))
                                       for c in [*codes, _MARKER_CODE]) + b"]")


def _hex_query(text: str) -> str | None:
    """``text`` as compact lower-case hex ("7e a0" -> "7ea0") if it reads as hex, else None."""
    if not set(text) <= _HEX_QUERY:
        return None
    compact = text.replace(" ", "").replace(":", "").lower()
    return compact if len(compact) >= 2 else None


def _aligned_in(haystack: str, needle: str) -> bool:
    """Whether ``needle`` occurs in the compact hex ``haystack`` at a byte boundary."""
    at = haystack.find(needle)
    while at >= 0:
        if at % 2 == 0:
            return True
        at = haystack.find(needle, at + 1)
    return False
