"""Two readouts side by side: what the object list and the values say differently.

For "before and after a firmware update" and "this meter against the reference meter":
objects added, removed, or changed (class version, access rights), values changed (with the
difference for numbers), and the time between the two readings — so a difference that is
only time passing (energy registers, the clock) reads as such.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from html import escape

from .readout import Readout, Value

__all__ = ["Comparison", "compare_readouts", "comparison_html", "comparison_text"]


@dataclass(frozen=True)
class ValueChange:
    """One value that differs (or is present on one side only)."""

    key: str
    name: str
    before: str
    after: str
    difference: str = ""


@dataclass(frozen=True)
class Comparison:
    """What differs between readout A (before / reference) and B (after / meter)."""

    a_label: str
    b_label: str
    seconds_between: float | None
    added: list[str] = field(default_factory=list)
    removed: list[str] = field(default_factory=list)
    changed_objects: list[str] = field(default_factory=list)
    values: list[ValueChange] = field(default_factory=list)
    clock: str = ""
    unchanged_values: int = 0

    @property
    def identical(self) -> bool:
        return not (self.added or self.removed or self.changed_objects or self.values)


def _label(readout: Readout, fallback: str) -> str:
    serial = next((v.text for v in readout.identity if v.obis == "0-0:96.1.0.255"), "")
    name = str(readout.meter.get("name") or "")
    parts = [p for p in (name, serial and f"serial {serial}", readout.created) if p]
    return " · ".join(parts) or fallback


def _seconds(a: Readout, b: Readout) -> float | None:
    try:
        return (dt.datetime.fromisoformat(b.created)
                - dt.datetime.fromisoformat(a.created)).total_seconds()
    except (ValueError, TypeError):
        return None


def _objects(a: Readout, b: Readout) -> tuple[list[str], list[str], list[str]]:
    before = {o.obis: o for o in a.objects}
    after = {o.obis: o for o in b.objects}
    added = [f"{o} (class {after[o].class_id}) {after[o].name}".rstrip()
             for o in sorted(after.keys() - before.keys())]
    removed = [f"{o} (class {before[o].class_id}) {before[o].name}".rstrip()
               for o in sorted(before.keys() - after.keys())]
    changed = []
    for obis in sorted(before.keys() & after.keys()):
        x, y = before[obis], after[obis]
        if (x.class_id, x.version) != (y.class_id, y.version):
            changed.append(f"{obis}: class {x.class_id} v{x.version} → "
                           f"class {y.class_id} v{y.version}")
        if x.access != y.access:
            changed.append(f"{obis}: access {x.access} → {y.access}")
    return added, removed, changed


def _shown(value: Value | None) -> str:
    if value is None:
        return "—"
    return (value.error and f"not read ({value.error})") or value.text


def _difference(x: Value, y: Value) -> str:
    if x.number is None or y.number is None or x.unit != y.unit:
        return ""
    delta = y.number - x.number
    return f"{delta:+,.3f} {x.unit}".rstrip()


def _values(a: Readout, b: Readout) -> tuple[list[ValueChange], int]:
    before = {v.key: v for v in a.all_values()}
    after = {v.key: v for v in b.all_values()}
    changes, same = [], 0
    for key in sorted(before.keys() | after.keys()):
        x, y = before.get(key), after.get(key)
        if x is not None and y is not None and _shown(x) == _shown(y):
            same += 1
            continue
        name = (x or y).name if (x or y) else key  # type: ignore[union-attr]
        diff = _difference(x, y) if x is not None and y is not None else ""
        changes.append(ValueChange(key, name, _shown(x), _shown(y), diff))
    return changes, same


def _clock(a: Readout, b: Readout) -> str:
    def drift(r: Readout) -> str:
        if r.clock is None or r.clock.drift_s is None:
            return "unknown"
        return f"{r.clock.drift_s:+.1f} s"
    if a.clock is None and b.clock is None:
        return ""
    return f"clock drift {drift(a)} → {drift(b)}"


def compare_readouts(a: Readout, b: Readout) -> Comparison:
    """Compare ``a`` (before / reference) with ``b`` (after / meter under test)."""
    added, removed, changed = _objects(a, b)
    values, same = _values(a, b)
    return Comparison(_label(a, "A"), _label(b, "B"), _seconds(a, b), added, removed,
                      changed, values, _clock(a, b), same)


def _between(seconds: float | None) -> str:
    if seconds is None:
        return "unknown time apart"
    hours, rest = divmod(abs(seconds), 3600)
    text = f"{int(hours)} h {rest / 60:.0f} min" if hours else f"{abs(seconds):.0f} s"
    return text + (" apart" if seconds >= 0 else " apart (B is older than A)")


def comparison_text(c: Comparison) -> str:
    """Plain text, one difference a line."""
    lines = [f"A: {c.a_label}", f"B: {c.b_label}", f"read {_between(c.seconds_between)}"]
    if c.clock:
        lines.append(c.clock)
    lines += [f"+ object {o}" for o in c.added] + [f"- object {o}" for o in c.removed]
    lines += [f"~ object {o}" for o in c.changed_objects]
    for v in c.values:
        diff = f"  ({v.difference})" if v.difference else ""
        lines.append(f"~ {v.name or v.key} [{v.key}]: {v.before} → {v.after}{diff}")
    lines.append("no differences" if c.identical else
                 f"{len(c.values)} value(s) differ, {c.unchanged_values} unchanged")
    return "\n".join(lines)


def comparison_html(c: Comparison) -> str:
    """A small self-contained HTML page with the same content."""
    rows = "".join(
        f"<tr><td>{escape(v.name or v.key)}</td><td>{escape(v.key)}</td>"
        f"<td>{escape(v.before)}</td><td>{escape(v.after)}</td><td>{escape(v.difference)}</td></tr>"
        for v in c.values)
    objects = "".join(f"<li>{escape(sign)} {escape(text)}</li>" for sign, items in
                      (("added", c.added), ("removed", c.removed), ("changed", c.changed_objects))
                      for text in items)
    return ("<!DOCTYPE html><html lang=\"en\"><head><meta charset=\"utf-8\"><title>Comparison"
            "</title><style>body{font-family:'DejaVu Sans',Arial,sans-serif;font-size:10pt}"
            "table{border-collapse:collapse}td,th{padding:3px 8px;border-bottom:1px solid #ddd;"
            "text-align:left}</style></head><body><h1>Comparison</h1>"
            f"<p>A: {escape(c.a_label)}<br>B: {escape(c.b_label)}<br>"
            f"read {escape(_between(c.seconds_between))}; {escape(c.clock)}</p>"
            f"<h2>Objects</h2><ul>{objects or '<li>same object list</li>'}</ul>"
            "<h2>Values</h2><table><tr><th>Quantity</th><th>OBIS:attr</th><th>A</th><th>B</th>"
            f"<th>Difference</th></tr>{rows}</table>"
            f"<p>{c.unchanged_values} value(s) unchanged.</p></body></html>")
