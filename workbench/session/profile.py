"""Profile generic reads that survive a dropped link without losing or repeating rows.

Rows are decoded *while the blocks arrive* (the buffer is an array; each complete element
is a row), handed to ``on_rows`` at once and kept. When the link drops or the meter goes
silent, the read reconnects and asks again only for what is missing: by range, from the
last row's timestamp (rows at or before it are skipped, the range being inclusive); by
entry, from the entry after the last one received.
"""

from __future__ import annotations

import datetime as dt
import itertools
import logging
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Protocol

from workbench.protocol.apdu import (
    AttributeDescriptor,
    DataAccessResult,
    SelectiveAccess,
    entry_access,
    range_access,
)
from workbench.protocol.axdr import (
    CosemDateTime,
    Data,
    DataType,
    as_datetime,
    decode_data,
    decode_data_exact,
    decode_length,
    encode_length,
)
from workbench.protocol.cosem import CaptureObject, Obis, parse_capture_objects
from workbench.protocol.errors import DecodeError, ProtocolError
from workbench.session import services
from workbench.session.advice import access_denied
from workbench.session.errors import (
    LinkLost,
    NoResponse,
    ProtocolFailure,
)

__all__ = ["Row", "RowDecoder", "profile_columns", "read_profile"]

_log = logging.getLogger("workbench.session")

Row = tuple[Data, ...]
RowsCallback = Callable[[list[Row]], None]
Moment = CosemDateTime | dt.datetime

PROFILE_CLASS = 7


class _Client(services.Requester, Protocol):
    def transaction(self, work: Callable[[], object], *, retry: bool = ...,
                    note: str = ...) -> object: ...

    def get(self, desc: AttributeDescriptor, access: SelectiveAccess | None = ...) -> Data: ...

    def pause(self, seconds: float) -> None: ...


class RowDecoder:
    """Decodes the elements of an A-XDR array as its bytes arrive, block after block."""

    def __init__(self) -> None:
        self._buf = bytearray()
        self._pos = 0
        self._left: int | None = None
        self._bulk = True

    @property
    def started(self) -> bool:
        """True once any block arrived (the value came by block transfer)."""
        return bool(self._buf)

    def feed(self, chunk: bytes, last: bool) -> list[Row]:
        """Add bytes; return the rows now complete.

        Raises:
            DecodeError: the data is not an array of structures, or is broken at the end.
        """
        self._buf += chunk
        buf = bytes(self._buf)
        if self._left is None:
            if len(buf) < 2 and not last:
                return []
            if buf[0] != DataType.ARRAY:
                raise DecodeError("a profile buffer must be an array", offset=0,
                                  got=f"tag {buf[0]}", expected="1 (array)")
            try:
                self._left, self._pos = decode_length(buf, 1)
            except DecodeError:
                if last:
                    raise
                return []
        rows: list[Row] = []
        while self._left:
            try:
                item, end = decode_data(buf, self._pos)
            except DecodeError:
                if last:
                    raise
                break
            rows.append(_as_row(item))
            size, self._pos, self._left = end - self._pos, end, self._left - 1
            rows += self._alike(buf, size)
        return rows

    def _alike(self, buf: bytes, size: int) -> list[Row]:
        """The complete rows that follow, if they are all ``size`` bytes like the one just
        read (profile rows usually are), decoded in one go: the A-XDR decoder unpacks rows
        of one layout in bulk. Rows of varying size make it fail once; from then on every
        row is decoded alone, so a block is never decoded twice over."""
        count = min(self._left or 0, (len(buf) - self._pos) // size) if self._bulk else 0
        if count < 2:
            return []
        part = buf[self._pos:self._pos + count * size]
        try:
            items = decode_data_exact(bytes([DataType.ARRAY]) + encode_length(count) + part)
        except DecodeError:
            self._bulk = False
            return []
        if not isinstance(items.value, list | tuple):
            self._bulk = False
            return []
        self._pos, self._left = self._pos + count * size, (self._left or 0) - count
        return [_as_row(item) for item in items.value]


def _as_row(item: Data) -> Row:
    if item.type == DataType.STRUCTURE:
        return tuple(item.value)  # type: ignore[arg-type]
    return (item,)


def profile_columns(client: _Client, obis: Obis) -> list[CaptureObject]:
    """The buffer's columns (capture_objects, attribute 3)."""
    data = client.get(AttributeDescriptor(PROFILE_CLASS, obis, 3))
    try:
        return parse_capture_objects(data)
    except ProtocolError as exc:
        raise ProtocolFailure(f"the columns of profile {obis} could not be understood: {exc}") \
            from exc


def _clock_column(columns: list[CaptureObject]) -> int:
    for i, column in enumerate(columns):
        if column.class_id == 8 and column.attribute == 2:
            return i
    return 0


def _stamp_key(row: Row, column: int) -> tuple[int, ...] | None:
    try:
        stamp = as_datetime(row[column])
    except (ProtocolError, IndexError):
        return None
    return tuple(v or 0 for v in (stamp.year, stamp.month, stamp.day, stamp.hour,
                                  stamp.minute, stamp.second, stamp.hundredths))


@dataclass
class _Progress:
    """What a (possibly resumed) read asks for, and what it has received so far."""

    start: Moment | None
    end: Moment | None
    first_entry: int | None
    last_entry: int | None
    clock_column: int
    rows: list[Row] = field(default_factory=list)
    last_row: Row | None = None

    def access(self) -> SelectiveAccess | None:
        if self.by_range:
            start = self.start or CosemDateTime(2000, 1, 1, 0, 0, 0, 0)
            if self.last_row is not None:
                start = as_datetime(self.last_row[self.clock_column])
            end = self.end or CosemDateTime(2099, 12, 31, 23, 59, 59, 0)
            return range_access(start, end)
        if self.first_entry is not None:
            first = self.first_entry + len(self.rows)
            return entry_access(first, self.last_entry or 0)
        if self.rows:
            return entry_access(len(self.rows) + 1, 0)
        return None

    @property
    def by_range(self) -> bool:
        return self.start is not None or self.end is not None

    def accept(self, rows: list[Row]) -> list[Row]:
        """Drop rows already received: a resumed range starts again at the last row we
        have. Only the leading rows are compared — a later row stamped earlier (the meter's
        clock was set back) is the meter's data, kept — so a block costs one comparison,
        not one date decode per row."""
        if self.last_row is not None and self.by_range:
            column = self.clock_column
            floor = _stamp_key(self.last_row, column)
            if floor is not None:
                rows = list(itertools.dropwhile(
                    lambda r: (_stamp_key(r, column) or ()) <= floor, rows))
        if rows:
            self.rows.extend(rows)
            self.last_row = rows[-1]
        return rows


def read_profile(client: _Client, obis: Obis, *, start: Moment | None = None,
                 end: Moment | None = None, last: int | None = None,
                 on_rows: RowsCallback | None = None,
                 columns: list[CaptureObject] | None = None) -> list[Row]:
    """Read rows of profile ``obis``, reporting them as they arrive, resuming after drops.

    Args:
        start, end: capture-time range (inclusive); either may be open.
        last: the newest ``last`` entries (by entry index) instead of a time range.
        on_rows: called with each batch of new rows, as soon as they are decoded.
        columns: the capture objects if already known (saves a request).

    Raises:
        AccessDenied: the meter refused the buffer (e.g. selective access not allowed).
        NoResponse, LinkLost: still failing after ``settings.retries`` resumptions.
    """
    if columns is None:
        columns = profile_columns(client, obis)
    first_entry = last_entry = None
    if last is not None:
        in_use = client.get(AttributeDescriptor(PROFILE_CLASS, obis, 7)).value
        last_entry = int(in_use)  # type: ignore[call-overload]
        first_entry = max(1, last_entry - last + 1)
        if last_entry == 0:
            return []
    progress = _Progress(start, end, first_entry, last_entry, _clock_column(columns))
    retries = client.settings.retries
    failures = 0
    while True:
        received = len(progress.rows)
        try:
            client.transaction(lambda: _read_once(client, obis, progress, on_rows), retry=False)
            return progress.rows
        except (NoResponse, LinkLost) as exc:  # what the meter said would be said again
            # An attempt that brought rows is progress, not a failure: only consecutive
            # fruitless attempts count against the retry budget.
            failures = 0 if len(progress.rows) > received else failures + 1
            if failures > retries:
                raise
            _log.info("profile read interrupted after %d rows (%s); resuming",
                      len(progress.rows), exc)
            if failures:  # a productive attempt resumes at once: no idle wait
                client.pause(0.05 * 2**failures)


def _read_once(client: _Client, obis: Obis, progress: _Progress,
               on_rows: RowsCallback | None) -> None:
    decoder = RowDecoder()

    def deliver(rows: list[Row]) -> None:
        fresh = progress.accept(rows)
        if fresh and on_rows is not None:
            on_rows(fresh)

    def on_block(raw: bytes, last_block: bool) -> None:
        try:
            deliver(decoder.feed(raw, last_block))
        except DecodeError as exc:
            raise ProtocolFailure(f"profile {obis} rows could not be decoded: {exc}") from exc

    desc = AttributeDescriptor(PROFILE_CLASS, obis, 2)
    result = services.get(client, desc, progress.access(), on_block)
    if isinstance(result, DataAccessResult):
        raise access_denied(result, f"reading profile {obis}", operation="read",
                            client=client.settings.client)
    if decoder.started:
        return
    if result.type != DataType.ARRAY or not isinstance(result.value, list | tuple):
        raise ProtocolFailure(f"profile {obis} buffer is a {result.type.label}, not an array")
    deliver([_as_row(item) for item in result.value])
