"""The report as one self-contained HTML page, readable on screen and printed on A4.

Self-contained: styles inline in the page, charts as SVG images in ``data:`` URLs, no
scripts, fonts or files fetched. Every value that came from the meter or the user is
escaped. ``image`` lets the PDF renderer swap the SVG data URLs for images it rasterised
itself (Qt's rich-text engine does not draw SVG), so both documents share this layout.
"""

from __future__ import annotations

import base64
from collections.abc import Callable, Sequence
from html import escape

from .charts import band_bars, day_bars
from .checks import Status
from .clock import drift_text
from .readout import Value
from .report import Report

__all__ = ["render_html", "svg_data_url"]

ImageSource = Callable[[str, str], str]
"""(chart name, SVG text) → the ``src`` of its ``<img>``."""

_TABLE = '<table width="100%" cellpadding="4" cellspacing="0">'
"""Attributes as well as CSS: Qt's rich-text engine (the PDF) reads these, browsers both."""
_STYLE = """
@page { size: A4; margin: 14mm 12mm; }
body { font-family: "DejaVu Sans", Arial, sans-serif; font-size: 10pt; color: #222;
       max-width: 190mm; margin: 0 auto; }
h1 { font-size: 16pt; margin: 0 0 8px 0; }
h2 { font-size: 12pt; margin: 18px 0 6px 0; border-bottom: 1px solid #bbb; }
table { border-collapse: collapse; width: 100%; margin-bottom: 8px; }
th, td { text-align: left; padding: 3px 8px 3px 0; border-bottom: 1px solid #e2e2e2;
         vertical-align: top; }
th { background: #f0f0f0; font-weight: bold; }
td.num { text-align: right; white-space: nowrap; }
td.code { white-space: nowrap; }
.pass { color: #1e7b34; font-weight: bold; }
.warn { color: #9a6700; font-weight: bold; }
.fail { color: #b3261e; font-weight: bold; }
.skip { color: #666; }
.verdict { font-size: 13pt; padding: 6px 10px; border: 2px solid; display: inline-block; }
.note { white-space: pre-wrap; border: 1px solid #ccc; padding: 6px; background: #fafafa; }
.small { font-size: 8pt; color: #555; }
section { page-break-inside: avoid; }
"""


_OBIS_COLUMN = frozenset({1})
"""Column index of OBIS codes: kept on one line."""


def svg_data_url(name: str, svg: str) -> str:
    """The default image source: the SVG itself, base64 in a data URL."""
    return "data:image/svg+xml;base64," + base64.b64encode(svg.encode()).decode()


def _e(value: object) -> str:
    return escape(str(value))


def _rows(headers: tuple[str, ...], rows: Sequence[tuple[object, ...]],
          numeric: frozenset[int] = frozenset(), codes: frozenset[int] = frozenset()) -> str:
    head = "".join(f'<th bgcolor="#eeeeee">{_e(h)}</th>' for h in headers)
    head = f"<tr>{head}</tr>" if any(headers) else ""
    def cell(i: int, value: object) -> str:
        if i in numeric:
            return f'<td class="num" align="right" nowrap>{_e(value)}</td>'
        if i in codes:
            return f'<td class="code" nowrap>{_e(value)}</td>'
        return f"<td>{_e(value)}</td>"
    body = "".join("<tr>" + "".join(cell(i, c) for i, c in enumerate(row)) + "</tr>"
                   for row in rows)
    return f"{_TABLE}{head}{body}</table>"


def _status(status: Status) -> str:
    css = {Status.PASS: "pass", Status.WARN: "warn", Status.FAIL: "fail"}.get(status, "skip")
    return f'<span class="{css}">{_e(status.value.upper())}</span>'


def _value_rows(values: list[Value]) -> list[tuple[object, ...]]:
    return [(v.name or "—", v.obis, v.error or v.text) for v in values]


def _identity(report: Report) -> str:
    r = report.readout
    meter = r.meter
    rows: list[tuple[object, ...]] = _value_rows(r.identity)
    reach = ", ".join(f"{k} {meter[k]}" for k in ("peer", "physical", "logical", "client")
                      if meter.get(k) not in (None, ""))
    rows.append(("Reached at", "", reach))
    if r.association:
        rows.append(("Link and association", "", r.association.get("describe", "")))
    rows += [("Tolerated deviation", "", w) for w in r.warnings]
    table = _rows(("Item", "OBIS", "Value"), rows, codes=_OBIS_COLUMN)
    return "<section><h2>Identity</h2>" + table + "</section>"


def _clock(report: Report) -> str:
    clock = report.readout.clock
    if clock is None:
        return ""
    rows: list[tuple[object, ...]] = [
        ("Meter time", clock.meter_time or "not set"),
        ("PC time (UTC, mid round trip)", clock.pc_time),
        ("Drift", drift_text(clock.drift_s, clock.resolution_s)),
        ("Round trip of the read", f"{clock.round_trip_s * 1000:.0f} ms")]
    if clock.synced:
        rows.append(("After clock sync", drift_text(clock.drift_after_s, clock.resolution_s)))
    return "<section><h2>Clock</h2>" + _rows(("", ""), rows) + "</section>"


def _checks(report: Report) -> str:
    body = "".join(f"<tr><td>{_status(c.status)}</td><td>{_e(c.name)}</td>"
                   f"<td>{_e(c.detail)}</td></tr>" for c in report.checks)
    errors = "".join(f"<tr><td>{_status(Status.FAIL)}</td><td>{_e(section)} not read</td>"
                     f"<td>{_e(text)}</td></tr>" for section, text in report.readout.errors.items())
    head = "".join(f'<th bgcolor="#eeeeee">{h}</th>' for h in ("Verdict", "Check", "Details"))
    return (f"<section><h2>Plausibility checks</h2>{_TABLE}<tr>{head}</tr>{errors}{body}"
            "</table></section>")


def _values(report: Report, image: ImageSource) -> str:
    r = report.readout
    html = "<section><h2>Instantaneous values</h2>"
    html += _rows(("Quantity", "OBIS", "Value"), _value_rows(r.values), codes=_OBIS_COLUMN)
    volts = [(v.name.replace("Voltage ", "") or v.obis, v.number) for v in r.values
             if v.unit == "V" and v.number is not None]
    if volts:
        lim = report.limits
        band = lim.nominal_voltage * lim.voltage_band
        svg = band_bars([(label, float(n)) for label, n in volts if n is not None],
                        lim.nominal_voltage - band, lim.nominal_voltage + band,
                        lim.nominal_voltage, "V", "Voltage per phase against the allowed band")
        html += f'<img alt="Voltage per phase" src="{image("voltage", svg)}"/>'
    return html + "</section>"


def _energies(report: Report) -> str:
    r = report.readout
    if not r.energies:
        return ""
    later = {v.key: v for v in r.energies_again}
    rows = [(v.name or "—", v.obis, v.error or v.text,
             later[v.key].text if v.key in later else "—") for v in r.energies]
    return ("<section><h2>Energy registers</h2>"
            + _rows(("Register", "OBIS", "First read", "Last read"), rows, codes=_OBIS_COLUMN)
            + "</section>")


def _profile(report: Report, image: ImageSource) -> str:
    table, done = report.readout.profile, report.completeness
    if table is None or done is None:
        return ""
    rows: list[tuple[object, ...]] = [
        ("Profile", f"{table.name} ({table.obis}), every {table.period_s // 60} min"),
        ("Intervals expected / present", f"{done.expected} / {done.present} "
                                         f"({done.ratio:.1%})"),
        ("Gaps", "; ".join(f"{a} → {b}" for a, b in done.gaps) or "none"
         + (f" (+{done.more_gaps} more)" if done.more_gaps else "")),
        ("Duplicate time stamps", ", ".join(done.duplicates) or "none"),
        ("Rows without a valid time", done.undated),
        ("Status flags", ", ".join(f"{k}: {n}" for k, n in done.flags.items()) or "none")]
    html = "<section><h2>Load profile completeness</h2>" + _rows(("", ""), rows)
    if report.day_energy:
        svg = day_bars(report.day_energy, report.day_energy_unit,
                       f"Energy per day ({report.day_energy_unit})")
        html += f'<img alt="Energy per day" src="{image("days", svg)}"/>'
    return html + "</section>"


def _events(report: Report) -> str:
    r = report.readout
    if not r.events and "events" not in r.errors:
        return ""
    html = "<section><h2>Event log</h2>"
    html += _rows(("Event", "Count"), [(name, n) for name, n in report.event_counts],
                  frozenset({1}))
    if report.power_events:
        html += "<p>Last power failures:</p>" + _rows(
            ("Time", "Event"), [(e.time or "?", e.name) for e in report.power_events])
    tamper = report.tamper_events
    html += ("<p>Tamper events: " + (", ".join(f"{e.time} {e.name}" for e in tamper)
                                     if tamper else "none") + "</p>")
    return html + "</section>"


def _footer(report: Report) -> str:
    r = report.readout
    capture = r.capture
    frames = (f"Frames recorded in {_e(capture.get('path', ''))} (SHA-256 "
              f"{_e(capture.get('sha256', ''))})" if capture else "No capture file was written.")
    return (f'<p class="small">DLMS Workbench {_e(r.tool_version)} · report created '
            f"{_e(r.created)} · {frames}</p>")


def _summary(report: Report) -> str:
    counts = {s: sum(c.status is s for c in report.checks) for s in Status}
    failed = counts[Status.FAIL] + len(report.readout.errors)
    verdict = report.verdict
    return (f'<p>Overall: <span class="verdict {verdict.value}">{_e(verdict.value.upper())}'
            f"</span> &nbsp; {counts[Status.PASS]} passed, {counts[Status.WARN]} warnings, "
            f"{failed} failed, {counts[Status.SKIP]} not checked</p>")


def render_html(report: Report, image: ImageSource = svg_data_url) -> str:
    """The whole report as one HTML document."""
    r = report.readout
    note = (f'<section><h2>Operator\'s note</h2><div class="note">{_e(r.note)}</div></section>'
            if r.note else "")
    return (
        "<!DOCTYPE html><html lang=\"en\"><head><meta charset=\"utf-8\">"
        f"<title>Commissioning report — {_e(report.title)}</title>"
        f"<style>{_STYLE}</style></head><body>"
        f"<h1>Commissioning report — {_e(report.title)}</h1>" + _summary(report)
        + note + _identity(report) + _clock(report) + _checks(report)
        + _values(report, image) + _energies(report) + _profile(report, image)
        + _events(report) + _footer(report) + "</body></html>")
