"""Pictures as SVG text, made at build time: heatmaps, a timeline and bar charts.

Each function takes plain numbers and labels and returns one ``<svg>`` element (valid as
a file of its own and inline in a page). Every mark carries a ``<title>`` (a tooltip and
its accessible name) and ``data-*`` attributes with its numbers, so a test can read
them back; text is XML-escaped. Links inside a picture are made with ``href``, a
function from a site path to the link from where the picture is shown.

>>> svg = heatmap(["p"], ["c"], {("p", "c"): 3}, title="T", desc="D", ids="h")
>>> 'data-value="3"' in svg and ">3</text>" in svg
True
"""

from __future__ import annotations

from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass
from functools import lru_cache
from xml.sax.saxutils import escape
from xml.sax.saxutils import quoteattr as _quoteattr

# a chart's keys repeat on every cell of their row or column
quoteattr = lru_cache(maxsize=4096)(_quoteattr)

Href = Callable[[str], str]

# A single-hue blue ramp (ColorBrewer "Blues"), light to dark; readable in grey scale.
RAMP = ("#f7fbff", "#deebf7", "#c6dbef", "#9ecae1", "#6baed6", "#4292c6", "#2171b5", "#084594")
EMPTY = "#f4f4f6"
FONT = 'font-family="system-ui, sans-serif" font-size="12"'


@dataclass(frozen=True)
class Axis:
    """A row or column: its key (as in the data), label, site path and tooltip."""

    key: str
    label: str
    path: str = ""
    title: str = ""


def _colour(value: int, top: int) -> str:
    if value <= 0 or top <= 0:
        return EMPTY
    step = max(1, round(value / top * (len(RAMP) - 1)))
    return RAMP[min(step, len(RAMP) - 1)]


def _ink(value: int, top: int) -> str:
    return "#ffffff" if top and value / top > 0.55 else "#1d2330"


def _unit(unit: str, n: int) -> str:
    return unit.removesuffix("s") if n == 1 else unit


def _head(width: float, height: float, title: str, desc: str, ids: str) -> list[str]:
    return [
        f'<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 {width:.0f} {height:.0f}" '
        f'width="{width:.0f}" height="{height:.0f}" class="chart" '
        f'aria-labelledby="{ids}-t {ids}-d" {FONT}>',
        f'<title id="{ids}-t">{escape(title)}</title>',
        f'<desc id="{ids}-d">{escape(desc)}</desc>',
    ]


def _label(a: Axis, x: float, y: float, anchor: str, href: Href | None, extra: str = "") -> str:
    text = f'<text x="{x:.1f}" y="{y:.1f}" text-anchor="{anchor}"{extra}>'
    text += f"<title>{escape(a.title or a.label)}</title>{escape(a.label)}</text>"
    if a.path and href is not None:
        return f"<a href={quoteattr(href(a.path))}>{text}</a>"
    return text


def heatmap(
    rows: Sequence[Axis | str],
    cols: Sequence[Axis | str],
    values: Mapping[tuple[str, str], int],
    *,
    title: str,
    desc: str,
    ids: str,
    href: Href | None = None,
    unit: str = "actions",
    left: int = 0,
) -> str:
    """A grid of cells, one per (row, column) key, with the number written in it."""
    r_axes = [a if isinstance(a, Axis) else Axis(a, a) for a in rows]
    c_axes = [a if isinstance(a, Axis) else Axis(a, a) for a in cols]
    cell, gap = 44, 2
    left = left or 12 + 7 * max((len(a.label) for a in r_axes), default=4)
    longest = max((len(a.label) for a in c_axes), default=4)
    top_pad = 16 + 6 * longest
    width = left + len(c_axes) * cell + 6 * longest  # room for the last slanted label
    height = top_pad + len(r_axes) * cell + 10
    top = max(values.values(), default=0)
    out = _head(width, height, title, desc, ids)
    for j, c in enumerate(c_axes):
        x = left + j * cell + cell / 2
        y = top_pad - 8
        rot = f' transform="rotate(-40 {x:.1f} {y:.1f})"'
        out.append(_label(c, x, y, "start", href, rot))
    for i, r in enumerate(r_axes):
        y = top_pad + i * cell
        out.append(_label(r, left - 8, y + cell / 2 + 4, "end", href))
        for j, c in enumerate(c_axes):
            v = values.get((r.key, c.key), 0)
            x = left + j * cell
            tip = f"{r.title or r.label} × {c.title or c.label}: {v} {_unit(unit, v)}"
            out.append(
                f'<g class="cell" data-row={quoteattr(r.key)} data-col={quoteattr(c.key)} '
                f'data-value="{v}"><title>{escape(tip)}</title>'
                f'<rect x="{x}" y="{y}" width="{cell - gap}" height="{cell - gap}" '
                f'fill="{_colour(v, top)}" stroke="#d9dde5"/>'
                f'<text x="{x + (cell - gap) / 2:.1f}" y="{y + cell / 2 + 3:.1f}" '
                f'text-anchor="middle" fill="{_ink(v, top)}">{v}</text></g>'
            )
    out.append("</svg>")
    return "\n".join(out)


@dataclass(frozen=True)
class Span:
    """A bar on the timeline: a plan from its start to its end year."""

    axis: Axis
    start: int
    end: int


def timeline(spans: Sequence[Span], *, title: str, desc: str, ids: str, href: Href | None) -> str:
    """Horizontal bars on a year axis, one per plan, with their years written."""
    if not spans:
        return "\n".join([*_head(300, 40, title, desc, ids), "</svg>"])
    first = min(s.start for s in spans)
    last = max(s.end for s in spans) + 1
    left = 12 + 7 * max(len(s.axis.label) for s in spans)
    year_w = max(24, min(60, 720 // max(1, last - first)))
    row = 30
    width = left + (last - first) * year_w + 90
    height = 40 + len(spans) * row + 10
    out = _head(width, height, title, desc, ids)
    for y in range(first, last + 1):
        x = left + (y - first) * year_w
        out.append(
            f'<line x1="{x}" y1="22" x2="{x}" y2="{height - 8}" stroke="#d9dde5"/>'
            f'<text x="{x + 2}" y="16" fill="#5b6475" font-size="11">{y}</text>'
        )
    for i, s in enumerate(spans):
        y = 30 + i * row
        x0 = left + (s.start - first) * year_w
        w = (s.end - s.start + 1) * year_w
        out.append(_label(s.axis, left - 8, y + 15, "end", href))
        tip = f"{s.axis.title or s.axis.label}: {s.start}–{s.end}"
        out.append(
            f'<g class="span" data-row={quoteattr(s.axis.key)} data-start="{s.start}" '
            f'data-end="{s.end}"><title>{escape(tip)}</title>'
            f'<rect x="{x0}" y="{y}" width="{w}" height="{row - 8}" rx="4" fill="#6a3d9a"/>'
            + (  # the years inside the bar, or after it when the bar is too short
                f'<text x="{x0 + 6}" y="{y + 15}" fill="#ffffff">{s.start}–{s.end}</text></g>'
                if w >= 80
                else f'<text x="{x0 + w + 6}" y="{y + 15}">{s.start}–{s.end}</text></g>'
            )
        )
    out.append("</svg>")
    return "\n".join(out)


def bars(
    rows: Sequence[Axis],
    series: Sequence[tuple[str, str]],
    values: Mapping[tuple[str, str], int],
    *,
    title: str,
    desc: str,
    ids: str,
    href: Href | None,
) -> str:
    """Stacked horizontal bars: one per row, one segment per series (key, colour), with
    each segment's number and the total written."""
    left = 12 + 7 * max((len(a.label) for a in rows), default=4)
    totals = {r.key: sum(values.get((r.key, k), 0) for k, _ in series) for r in rows}
    top = max(totals.values(), default=0) or 1
    scale = 420 / top
    row = 30
    width = left + 420 + 60
    height = 34 + len(rows) * row + 10
    out = _head(width, height, title, desc, ids)
    for n, (key, colour) in enumerate(series):  # the legend
        lx = left + n * 110
        out.append(
            f'<rect x="{lx}" y="6" width="12" height="12" fill="{colour}"/>'
            f'<text x="{lx + 16}" y="16">{escape(key)}</text>'
        )
    for i, r in enumerate(rows):
        y = 30 + i * row
        out.append(_label(r, left - 8, y + 15, "end", href))
        x = float(left)
        for key, colour in series:
            v = values.get((r.key, key), 0)
            w = v * scale
            tip = f"{r.title or r.label}: {v} {key} {_unit('actions', v)}"
            out.append(
                f'<g class="bar" data-row={quoteattr(r.key)} data-series={quoteattr(key)} '
                f'data-value="{v}"><title>{escape(tip)}</title>'
                f'<rect x="{x:.1f}" y="{y}" width="{w:.1f}" height="{row - 8}" fill="{colour}"/>'
                + (
                    f'<text x="{x + w / 2:.1f}" y="{y + 15}" text-anchor="middle" '
                    f'fill="#ffffff">{v}</text>'
                    if w >= 22
                    else ""
                )
                + "</g>"
            )
            x += w
        out.append(f'<text x="{x + 6:.1f}" y="{y + 15}">{totals[r.key]}</text>')
    out.append("</svg>")
    return "\n".join(out)
