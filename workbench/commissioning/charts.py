"""Small SVG charts for the report: no library, no external assets, crisp when printed.

Two shapes only: horizontal bars against an allowed band (the phase voltages) and vertical
bars per day (energy of each profile day). Text is escaped; sizes are in CSS pixels and
the SVG scales with the page.
"""

from __future__ import annotations

from html import escape

__all__ = ["band_bars", "day_bars"]

_FONT = 'font-family="DejaVu Sans, Arial, sans-serif" font-size="11"'


def _svg(width: int, height: int, body: list[str], title: str) -> str:
    return (f'<svg xmlns="http://www.w3.org/2000/svg" width="{width}" height="{height}" '
            f'viewBox="0 0 {width} {height}" role="img" aria-label="{escape(title)}">'
            f'<title>{escape(title)}</title>{"".join(body)}</svg>')


def band_bars(items: list[tuple[str, float]], low: float, high: float, nominal: float,
              unit: str, title: str) -> str:
    """One horizontal bar per item on a scale around the band [low, high], band shaded."""
    width, label_w, row = 460, 70, 26
    height = 30 + row * max(len(items), 1)
    lo = min([low * 0.95, *(v for _, v in items)])
    hi = max([high * 1.05, *(v for _, v in items)])
    span = hi - lo or 1.0

    def x(value: float) -> float:
        return label_w + (value - lo) / span * (width - label_w - 60)

    body = [f'<rect x="{x(low):.1f}" y="4" width="{x(high) - x(low):.1f}" '
            f'height="{height - 22}" fill="#e3f2e3"/>',
            f'<line x1="{x(nominal):.1f}" y1="4" x2="{x(nominal):.1f}" y2="{height - 18}" '
            'stroke="#4a7" stroke-dasharray="3,2"/>',
            f'<text x="{x(low):.1f}" y="{height - 4}" {_FONT} text-anchor="middle">'
            f'{low:g}</text>',
            f'<text x="{x(high):.1f}" y="{height - 4}" {_FONT} text-anchor="middle">'
            f'{high:g} {escape(unit)}</text>']
    for i, (label, value) in enumerate(items):
        y = 10 + i * row
        inside = low <= value <= high
        colour = "#3b6ea5" if inside else "#c0392b"
        body.append(f'<text x="0" y="{y + 13}" {_FONT}>{escape(label)}</text>')
        body.append(f'<rect x="{label_w}" y="{y}" width="{max(x(value) - label_w, 1):.1f}" '
                    f'height="16" fill="{colour}"/>')
        body.append(f'<text x="{x(value) + 4:.1f}" y="{y + 13}" {_FONT}>{value:.1f} '
                    f'{escape(unit)}</text>')
    return _svg(width, height, body, title)


def day_bars(days: list[tuple[str, float]], unit: str, title: str) -> str:
    """One vertical bar per day (label "12-01"), scaled to the largest."""
    width, height, base = 460, 170, 140
    if not days:
        return _svg(width, 40, [f'<text x="0" y="20" {_FONT}>no complete day</text>'], title)
    top = max(max(v for _, v in days), 1e-9)
    slot = (width - 50) / len(days)
    body = [f'<line x1="40" y1="{base}" x2="{width}" y2="{base}" stroke="#888"/>',
            f'<text x="0" y="12" {_FONT}>{top:,.1f}</text>',
            f'<text x="0" y="{base}" {_FONT}>0 {escape(unit)}</text>']
    for i, (label, value) in enumerate(days):
        h = max(value, 0.0) / top * (base - 20)
        x = 45 + i * slot
        body.append(f'<rect x="{x:.1f}" y="{base - h:.1f}" width="{slot * 0.7:.1f}" '
                    f'height="{h:.1f}" fill="#3b6ea5"/>')
        body.append(f'<text x="{x + slot * 0.35:.1f}" y="{base + 14}" {_FONT} '
                    f'text-anchor="middle">{escape(label)}</text>')
    return _svg(width, height, body, title)
