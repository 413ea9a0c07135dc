"""Small hand-written SVG charts for documents (the audit report): no scripts, no external files.

Each function returns one standalone ``<svg>`` element as text, drawn with presentation
attributes only (no CSS classes, no fonts to fetch), so it renders the same inline in a
browser, on paper and through Qt's SVG renderer. Every label is XML-escaped: values come from
lead lists, which are untrusted input.

Functions
---------
histogram_svg(frame, threshold) : the score histogram (MQL and non-MQL bars) with the threshold
bars_svg(labels, values, highlight) : horizontal bars per label (leads, with MQLs inside)
columns_svg(labels, values, highlight) : vertical bars over time (leads, with MQLs inside)
nice_ticks(top) : round axis ticks from 0 to at least ``top``
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from html import escape

import numpy as np
import pandas as pd

__all__ = ["histogram_svg", "bars_svg", "columns_svg", "nice_ticks", "MQL_COLOUR", "LEAD_COLOUR",
           "THRESHOLD_COLOUR"]

MQL_COLOUR = "#2e7d32"
LEAD_COLOUR = "#b7c4cc"
THRESHOLD_COLOUR = "#c62828"
_AXIS = "#5f6b73"
_GRID = "#e3e8eb"
_TEXT = "#263238"
_FONT = 'font-family="Helvetica, Arial, sans-serif"'


def _x(text) -> str:
    """Text safe inside an SVG element or attribute."""
    return escape(str(text), quote=True)


def _n(value: float) -> str:
    """A coordinate: at most one decimal."""
    return f"{value:.1f}".rstrip("0").rstrip(".")


def _count(value: float) -> str:
    """A count for an axis label: 1,200 or 1.2M."""
    if value >= 1_000_000:
        return f"{value / 1e6:.1f}M".replace(".0M", "M")
    if value >= 10_000:
        return f"{value / 1e3:.0f}k"
    return f"{value:,.0f}"


def nice_ticks(top: float, n: int = 4) -> list[float]:
    """Round tick values from 0 to at least ``top`` (about ``n`` steps of 1, 2 or 5 x 10^k)."""
    if not top > 0 or not math.isfinite(top):
        return [0.0, 1.0]
    raw = top / n
    power = 10.0 ** math.floor(math.log10(raw))
    step = next(f * power for f in (1, 2, 2.5, 5, 10) if f * power >= raw)
    if step < 1:
        step = 1.0
    count = math.ceil(top / step - 1e-9)
    return [i * step for i in range(count + 1)]


def _open(width: int, height: int, title: str, description: str) -> list[str]:
    # no xmlns: inline in HTML5 it is implied (and the report holds no web address at all)
    return [f'<svg width="{width}" height="{height}" '
            f'viewBox="0 0 {width} {height}" role="img" {_FONT} font-size="11">',
            f"<title>{_x(title)}</title>", f"<desc>{_x(description)}</desc>",
            f'<rect x="0" y="0" width="{width}" height="{height}" fill="#ffffff"/>']


def _legend(x: float, y: float, items: Sequence[tuple[str, str]]) -> list[str]:
    out = []
    for colour, label in items:
        out.append(f'<rect x="{_n(x)}" y="{_n(y - 9)}" width="10" height="10" fill="{colour}"/>')
        out.append(f'<text x="{_n(x + 14)}" y="{_n(y)}" fill="{_TEXT}">{_x(label)}</text>')
        x += 22 + 6.2 * len(label)
    return out


def _y_axis(left: float, right: float, top: float, bottom: float, ticks: list[float]) -> list[str]:
    out = []
    scale = (bottom - top) / ticks[-1]
    for tick in ticks:
        y = bottom - tick * scale
        out.append(f'<line x1="{_n(left)}" y1="{_n(y)}" x2="{_n(right)}" y2="{_n(y)}" '
                   f'stroke="{_GRID if tick else _AXIS}" stroke-width="1"/>')
        out.append(f'<text x="{_n(left - 6)}" y="{_n(y + 4)}" text-anchor="end" fill="{_AXIS}">'
                   f"{_count(tick)}</text>")
    return out


def _score(value: float) -> str:
    return f"{value:,.1f}".rstrip("0").rstrip(".")


def histogram_svg(frame: pd.DataFrame, threshold: float, *, width: int = 720, height: int = 280,
                  title: str = "Score distribution") -> str:
    """The score histogram: per bin, MQLs (green) stacked under non-MQLs (grey), and the
    threshold as a dashed red line.

    Parameters
    ----------
    frame : :func:`scoring.insight.distribution.score_histogram` (``left``, ``right``, ``mqls``,
        ``non_mqls``)
    threshold : the model's threshold (a bin edge)
    width, height : size in pixels
    title : the chart's accessible title
    """
    left, right, top, bottom = 56.0, width - 16.0, 30.0, height - 40.0
    lo = float(frame["left"].iloc[0]) if len(frame) else threshold - 1
    hi = float(frame["right"].iloc[-1]) if len(frame) else threshold + 1
    leads = (frame["mqls"] + frame["non_mqls"]).to_numpy() if len(frame) else np.zeros(0)
    ticks = nice_ticks(float(leads.max()) if len(leads) else 0.0)
    sx = (right - left) / (hi - lo)
    sy = (bottom - top) / ticks[-1]
    n_mql = int(frame["mqls"].sum()) if len(frame) else 0
    out = _open(width, height, title, f"{int(leads.sum()):,} leads by total score; {n_mql:,} MQLs; "
                f"threshold {_score(threshold)}")
    out += _y_axis(left, right, top, bottom, ticks)
    for row in frame.itertuples(index=False):
        x = left + (row.left - lo) * sx
        w = max((row.right - row.left) * sx - 1.0, 0.5)
        h_mql, h_other = row.mqls * sy, row.non_mqls * sy
        if row.mqls:
            out.append(f'<rect x="{_n(x)}" y="{_n(bottom - h_mql)}" width="{_n(w)}" '
                       f'height="{_n(h_mql)}" fill="{MQL_COLOUR}"/>')
        if row.non_mqls:
            out.append(f'<rect x="{_n(x)}" y="{_n(bottom - h_mql - h_other)}" width="{_n(w)}" '
                       f'height="{_n(h_other)}" fill="{LEAD_COLOUR}"/>')
    # x ticks: about eight round scores
    span = hi - lo
    step = nice_ticks(span, 8)[1] if span > 0 else 1.0
    first = math.ceil(lo / step) * step
    for tick in np.arange(first, hi + step * 1e-6, step):
        x = left + (tick - lo) * sx
        out.append(f'<line x1="{_n(x)}" y1="{_n(bottom)}" x2="{_n(x)}" y2="{_n(bottom + 4)}" '
                   f'stroke="{_AXIS}"/>')
        out.append(f'<text x="{_n(x)}" y="{_n(bottom + 16)}" text-anchor="middle" fill="{_AXIS}">'
                   f"{_score(float(tick))}</text>")
    out.append(f'<text x="{_n((left + right) / 2)}" y="{_n(height - 6)}" text-anchor="middle" '
               f'fill="{_TEXT}">Total score</text>')
    tx = left + (threshold - lo) * sx
    out.append(f'<line x1="{_n(tx)}" y1="{_n(top - 6)}" x2="{_n(tx)}" y2="{_n(bottom)}" '
               f'stroke="{THRESHOLD_COLOUR}" stroke-width="2" stroke-dasharray="5,3"/>')
    anchor, dx = ("end", -5) if tx > (left + right) / 2 else ("start", 5)
    out.append(f'<text x="{_n(tx + dx)}" y="{_n(top + 4)}" text-anchor="{anchor}" '
               f'fill="{THRESHOLD_COLOUR}" font-weight="bold">Threshold {_score(threshold)}</text>')
    out += _legend(left, 16, [(MQL_COLOUR, "MQLs"), (LEAD_COLOUR, "Not MQLs")])
    out.append("</svg>")
    return "\n".join(out)


def _clip(label: str, chars: int) -> str:
    label = " ".join(str(label).split())
    return label if len(label) <= chars else label[:chars - 1] + "…"


def bars_svg(labels: Sequence[str], values: Sequence[float], highlight: Sequence[float], *,
             width: int = 720, title: str = "Leads and MQLs by source",
             value_label: str = "Leads", highlight_label: str = "MQLs") -> str:
    """Horizontal bars, one per label: ``values`` (grey) with ``highlight`` (green) drawn inside.

    The height grows with the number of labels (20 px a bar); long labels are shortened with
    an ellipsis (the report's table beside the chart has them in full).
    """
    labels = [str(v) for v in labels]
    values = np.asarray(values, np.float64)
    highlight = np.asarray(highlight, np.float64)
    label_chars = max(8, min(28, max((len(v) for v in labels), default=8)))
    left = 12 + 6.3 * label_chars
    right = width - 90.0
    top, bar = 30.0, 20.0
    height = int(top + bar * max(len(labels), 1) + 28)
    ticks = nice_ticks(float(values.max()) if len(values) else 0.0)
    sx = (right - left) / ticks[-1]
    out = _open(width, height, title, f"{title}: {len(labels)} bars")
    bottom = top + bar * max(len(labels), 1)
    for tick in ticks:
        x = left + tick * sx
        out.append(f'<line x1="{_n(x)}" y1="{_n(top)}" x2="{_n(x)}" y2="{_n(bottom)}" '
                   f'stroke="{_GRID if tick else _AXIS}"/>')
        out.append(f'<text x="{_n(x)}" y="{_n(bottom + 14)}" text-anchor="middle" fill="{_AXIS}">'
                   f"{_count(tick)}</text>")
    for i, (label, value, high) in enumerate(zip(labels, values, highlight)):
        y = top + i * bar
        out.append(f'<text x="{_n(left - 6)}" y="{_n(y + 14)}" text-anchor="end" fill="{_TEXT}">'
                   f"{_x(_clip(label, label_chars))}</text>")
        out.append(f'<rect x="{_n(left)}" y="{_n(y + 3)}" width="{_n(max(value * sx, 0.5))}" '
                   f'height="{_n(bar - 6)}" fill="{LEAD_COLOUR}"/>')
        if high > 0:
            out.append(f'<rect x="{_n(left)}" y="{_n(y + 3)}" width="{_n(high * sx)}" '
                       f'height="{_n(bar - 6)}" fill="{MQL_COLOUR}"/>')
        out.append(f'<text x="{_n(left + value * sx + 5)}" y="{_n(y + 14)}" fill="{_TEXT}">'
                   f"{value:,.0f} / {high:,.0f}</text>")
    out += _legend(left, 16, [(LEAD_COLOUR, value_label), (MQL_COLOUR, highlight_label)])
    out.append("</svg>")
    return "\n".join(out)


def columns_svg(labels: Sequence[str], values: Sequence[float], highlight: Sequence[float], *,
                width: int = 720, height: int = 260, title: str = "Leads and MQLs over time",
                value_label: str = "Leads", highlight_label: str = "MQLs") -> str:
    """Vertical bars per period: ``values`` (grey) with ``highlight`` (green) in front.

    At most about twelve period labels are written under the axis, evenly spaced.
    """
    labels = [str(v) for v in labels]
    values = np.asarray(values, np.float64)
    highlight = np.asarray(highlight, np.float64)
    left, right, top, bottom = 56.0, width - 16.0, 30.0, height - 34.0
    ticks = nice_ticks(float(values.max()) if len(values) else 0.0)
    sy = (bottom - top) / ticks[-1]
    slot = (right - left) / max(len(labels), 1)
    out = _open(width, height, title, f"{title}: {len(labels)} periods")
    out += _y_axis(left, right, top, bottom, ticks)
    every = max(1, math.ceil(len(labels) / 12))
    for i, (label, value, high) in enumerate(zip(labels, values, highlight)):
        x = left + i * slot + slot * 0.12
        w = max(slot * 0.76, 0.5)
        if value > 0:
            out.append(f'<rect x="{_n(x)}" y="{_n(bottom - value * sy)}" width="{_n(w)}" '
                       f'height="{_n(value * sy)}" fill="{LEAD_COLOUR}"/>')
        if high > 0:
            out.append(f'<rect x="{_n(x)}" y="{_n(bottom - high * sy)}" width="{_n(w)}" '
                       f'height="{_n(high * sy)}" fill="{MQL_COLOUR}"/>')
        if i % every == 0:
            out.append(f'<text x="{_n(x + w / 2)}" y="{_n(bottom + 15)}" text-anchor="middle" '
                       f'fill="{_AXIS}">{_x(_clip(label, 10))}</text>')
    out += _legend(left, 16, [(LEAD_COLOUR, value_label), (MQL_COLOUR, highlight_label)])
    out.append("</svg>")
    return "\n".join(out)
