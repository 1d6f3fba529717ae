"""The commissioning report: a readout, its verdicts, and the figures derived from it.

:func:`build_report` is pure: it takes a :class:`Readout` (fresh from a meter, or loaded
from a saved JSON file) and computes the checks, the profile's completeness, the event
summary and the per-day energies. The HTML and PDF renderers only lay this out.
"""

from __future__ import annotations

import datetime as dt
from collections import Counter
from dataclasses import asdict, dataclass, field
from typing import Any

from .checks import Check, Limits, Status, run_checks
from .completeness import Completeness, profile_completeness
from .readout import EventRow, Readout

__all__ = ["Report", "build_report", "report_json"]

TAMPER_WORDS = ("cover", "tamper", "magnetic", "field", "authentication failure")
POWER_CODES = frozenset({1, 2})


@dataclass(frozen=True)
class Report:
    """A readout with everything the report shows about it."""

    readout: Readout
    limits: Limits
    checks: list[Check]
    completeness: Completeness | None
    event_counts: list[tuple[str, int]]
    power_events: list[EventRow]
    tamper_events: list[EventRow]
    day_energy: list[tuple[str, float]]
    day_energy_unit: str = ""
    verdict: Status = Status.PASS
    extra: dict[str, Any] = field(default_factory=dict)

    @property
    def title(self) -> str:
        serial = next((v.text for v in self.readout.identity
                       if v.obis == "0-0:96.1.0.255" and not v.error), "")
        name = str(self.readout.meter.get("name") or "")
        return " · ".join(p for p in (name, f"serial {serial}" if serial else "") if p) \
            or str(self.readout.meter.get("peer", "meter"))


def _verdict(checks: list[Check], readout: Readout) -> Status:
    statuses = {c.status for c in checks}
    if Status.FAIL in statuses or readout.errors:
        return Status.FAIL
    return Status.WARN if Status.WARN in statuses or readout.warnings else Status.PASS


def _day_energy(readout: Readout) -> tuple[list[tuple[str, float]], str]:
    """Energy per day from the first cumulative column (kWh/kvarh/kVAh) of the profile."""
    table = readout.profile
    if table is None:
        return [], ""
    column = next((i for i, h in enumerate(table.columns) if h.endswith(("[kWh]", "[kvarh]",
                                                                           "[kVAh]"))), None)
    if column is None:
        return [], ""
    per_day: dict[dt.date, list[tuple[dt.datetime, float]]] = {}
    for stamp, row in zip(table.times, table.values, strict=False):
        value = row[column] if column < len(row) else None
        if stamp is not None and value is not None:
            moment = dt.datetime.fromisoformat(stamp)
            per_day.setdefault(moment.date(), []).append((moment, value))
    unit = table.columns[column].rsplit("[", 1)[1].rstrip("]")
    step = dt.timedelta(seconds=max(table.period_s, 1))
    days = []
    for day, points in sorted(per_day.items()):
        first, last = min(points)[0], max(points)[0]
        midnight = dt.datetime.combine(day, dt.time(), first.tzinfo)
        if first - midnight <= step and (last + step).date() > day:  # whole days only
            values = [v for _, v in points]
            days.append((day.isoformat()[5:], max(values) - min(values)))
    return days, unit


def _events(readout: Readout) -> tuple[list[tuple[str, int]], list[EventRow], list[EventRow]]:
    counts = Counter(f"{e.code} · {e.name}" if e.code is not None else e.name or "?"
                     for e in readout.events)
    power = [e for e in readout.events if e.code in POWER_CODES][-10:]
    tamper = [e for e in readout.events if any(w in e.name.lower() for w in TAMPER_WORDS)]
    return counts.most_common(), power, tamper


def build_report(readout: Readout, limits: Limits | None = None,
                 now: dt.datetime | None = None) -> Report:
    """Compute everything the report shows (pure; ``now`` ends the completeness window)."""
    limits = limits or Limits()
    checks = run_checks(readout, limits)
    completeness = (profile_completeness(readout.profile, now)
                    if readout.profile is not None else None)
    counts, power, tamper = _events(readout)
    days, unit = _day_energy(readout)
    return Report(readout, limits, checks, completeness, counts, power, tamper, days, unit,
                  _verdict(checks, readout))


def report_json(report: Report) -> dict[str, Any]:
    """The report's data for ``--json``: the readout plus verdicts, enum values as text."""
    return {
        "verdict": report.verdict.value,
        "checks": [{"section": c.section, "name": c.name, "status": c.status.value,
                    "detail": c.detail} for c in report.checks],
        "completeness": asdict(report.completeness) if report.completeness else None,
        "event_counts": dict(report.event_counts),
        "day_energy": dict(report.day_energy),
        "day_energy_unit": report.day_energy_unit,
        "readout": asdict(report.readout),
    }
