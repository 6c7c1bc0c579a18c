"""Server-rendered SVG charts: no script, no library, no inline style (the CSP forbids it).

Colours and sizes are SVG presentation attributes, which the CSP's
``style-src 'self'`` allows; every label is escaped.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from datetime import date
from typing import Final

from markupsafe import Markup, escape

#: Colours of the series, in order (readable on white, distinct for common colour blindness).
PALETTE: Final = (
    "#1d5fbf",
    "#f5a623",
    "#2a9d8f",
    "#c0392b",
    "#8e44ad",
    "#7f8c8d",
    "#d35400",
    "#27ae60",
)
_W: Final = 720
_H: Final = 220
_PAD_L: Final = 40
_PAD_B: Final = 28
_PAD_T: Final = 12


def _ticks(top: int) -> list[int]:
    if top <= 4:
        return list(range(0, top + 1))
    step = max(1, round(top / 4))
    return list(range(0, top + 1, step))


def stacked_bars(
    days: Sequence[date],
    series: Mapping[str, Mapping[date, int]],
    *,
    title: str,
    labels: Mapping[str, str] | None = None,
) -> Markup:
    """A stacked bar chart: one bar per day, one coloured part per series, with a legend.

    ``series`` maps a series key to its count per day; ``labels`` names the
    keys for people. The chart carries ``title`` for screen readers.
    """
    names = labels or {}
    keys = list(series)
    totals = [sum(series[k].get(d, 0) for k in keys) for d in days]
    top = max(totals, default=0) or 1
    plot_w, plot_h = _W - _PAD_L - 8, _H - _PAD_B - _PAD_T
    width = plot_w / max(len(days), 1)
    parts: list[str] = []
    for tick in _ticks(top):
        y = _PAD_T + plot_h - plot_h * tick / top
        parts.append(
            f'<line x1="{_PAD_L}" x2="{_W - 8}" y1="{y:.1f}" y2="{y:.1f}" stroke="#d8dde4"/>'
            f'<text x="{_PAD_L - 6}" y="{y + 4:.1f}" text-anchor="end" font-size="11" '
            f'fill="#5b6675">{tick}</text>'
        )
    for i, day in enumerate(days):
        x = _PAD_L + i * width
        y = _PAD_T + plot_h
        for k_index, key in enumerate(keys):
            count = series[key].get(day, 0)
            if not count:
                continue
            h = plot_h * count / top
            y -= h
            label = escape(f"{day.isoformat()} · {names.get(key, key)}: {count}")
            parts.append(
                f'<rect x="{x + 1:.1f}" y="{y:.1f}" width="{max(width - 2, 1):.1f}" '
                f'height="{h:.1f}" fill="{PALETTE[k_index % len(PALETTE)]}">'
                f"<title>{label}</title></rect>"
            )
        if len(days) <= 14 or i % max(1, len(days) // 7) == 0:
            parts.append(
                f'<text x="{x + width / 2:.1f}" y="{_H - 10}" text-anchor="middle" '
                f'font-size="11" fill="#5b6675">{escape(day.strftime("%m-%d"))}</text>'
            )
    legend = "".join(
        f'<li><svg width="12" height="12" aria-hidden="true"><rect width="12" height="12" '
        f'fill="{PALETTE[i % len(PALETTE)]}"/></svg> {escape(names.get(key, key))}</li>'
        for i, key in enumerate(keys)
    )
    svg = (
        f'<svg class="chart" viewBox="0 0 {_W} {_H}" role="img" '
        f'aria-label="{escape(title)}" xmlns="http://www.w3.org/2000/svg">'
        f"<title>{escape(title)}</title>"
        f'<line x1="{_PAD_L}" x2="{_W - 8}" y1="{_PAD_T + plot_h}" y2="{_PAD_T + plot_h}" '
        f'stroke="#5b6675"/>' + "".join(parts) + "</svg>"
    )
    return Markup(svg + (f'<ul class="legend">{legend}</ul>' if keys else ""))


def top_series(
    counts: Mapping[tuple[date, str], int], *, keep: int = 6, other: str = "other"
) -> dict[str, dict[date, int]]:
    """Per-key day counts of the ``keep`` largest keys, the rest summed under ``other``."""
    totals: dict[str, int] = {}
    for (_, key), n in counts.items():
        totals[key] = totals.get(key, 0) + n
    kept = [k for k, _ in sorted(totals.items(), key=lambda kv: (-kv[1], kv[0]))[:keep]]
    out: dict[str, dict[date, int]] = {k: {} for k in kept}
    for (day, key), n in counts.items():
        target = key if key in out else other
        out.setdefault(target, {})
        out[target][day] = out[target].get(day, 0) + n
    return out
