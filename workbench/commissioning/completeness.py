"""Is the load profile complete? Expected intervals against the rows present.

A commissioned meter must be recording: every capture period of the checked days should
have exactly one row. Missing intervals are listed as gaps (merged into runs, so a day's
outage is one line), repeated time stamps as duplicates, and the IDIS status flags that
rows carry (power down, clock adjusted…) are counted, because they explain most gaps.
"""

from __future__ import annotations

import datetime as dt
from collections import Counter
from dataclasses import dataclass, field

from workbench.protocol.cosem import STATUS_BITS

from .readout import ProfileTable

__all__ = ["Completeness", "profile_completeness"]

MAX_LISTED = 20


@dataclass(frozen=True)
class Completeness:
    """Expected vs present rows of a profile, with where it falls short.

    Attributes:
        expected, present: interval counts over the checked window.
        gaps: runs of missing intervals as (first missing, last missing) ISO times; at
            most MAX_LISTED, ``more_gaps`` counts the rest.
        duplicates: time stamps that appear more than once.
        flags: status flag name → rows carrying it.
        undated: rows without a valid time stamp.
    """

    expected: int
    present: int
    gaps: list[tuple[str, str]] = field(default_factory=list)
    more_gaps: int = 0
    duplicates: list[str] = field(default_factory=list)
    flags: dict[str, int] = field(default_factory=dict)
    undated: int = 0

    @property
    def ratio(self) -> float:
        return self.present / self.expected if self.expected else 1.0


def _parse(text: str | None) -> dt.datetime | None:
    if text is None:
        return None
    try:
        return dt.datetime.fromisoformat(text)
    except ValueError:
        return None


def profile_completeness(table: ProfileTable, now: dt.datetime | None = None) -> Completeness:
    """Check ``table`` over its requested window (from its first request to ``now``)."""
    period = table.period_s
    stamps = [_parse(t) for t in table.times]
    dated = [s for s in stamps if s is not None]
    flags = _flags(table.status)
    start = _parse(table.first_requested) or (min(dated) if dated else None)
    if period <= 0 or start is None:
        return Completeness(0, len(dated), flags=flags, undated=len(stamps) - len(dated))
    end = now or dt.datetime.now(start.tzinfo)
    first = _ceil(start, period)
    expected = max(0, int((end - first).total_seconds() // period) + 1)
    counts = Counter(_key(s) for s in dated)
    duplicates = sorted(k for k, n in counts.items() if n > 1)
    gaps = _gaps(first, expected, period, counts)
    return Completeness(expected, len(counts), gaps[:MAX_LISTED], max(0, len(gaps) - MAX_LISTED),
                        duplicates[:MAX_LISTED], flags, len(stamps) - len(dated))


def _key(stamp: dt.datetime) -> str:
    return stamp.astimezone(dt.UTC).isoformat(timespec="seconds")


def _ceil(moment: dt.datetime, period: int) -> dt.datetime:
    epoch = moment.timestamp()
    rounded = -(-epoch // period) * period
    return dt.datetime.fromtimestamp(rounded, moment.tzinfo)


def _gaps(first: dt.datetime, expected: int, period: int,
          present: Counter[str]) -> list[tuple[str, str]]:
    gaps: list[tuple[str, str]] = []
    run_start: dt.datetime | None = None
    previous = first
    for n in range(expected):
        moment = first + dt.timedelta(seconds=n * period)
        if _key(moment) in present:
            if run_start is not None:
                gaps.append((run_start.isoformat(timespec="minutes"),
                             previous.isoformat(timespec="minutes")))
                run_start = None
        elif run_start is None:
            run_start = moment
        previous = moment
    if run_start is not None:
        gaps.append((run_start.isoformat(timespec="minutes"),
                     previous.isoformat(timespec="minutes")))
    return gaps


def _flags(status: list[int | None]) -> dict[str, int]:
    counts: Counter[str] = Counter()
    for value in status:
        for bit, name in STATUS_BITS:
            if value is not None and value & bit:
                counts[name] += 1
    return dict(counts)
