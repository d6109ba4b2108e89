"""Comparison views: the numbers of the library queries as pictures and CSV files.

- plan × resolution heatmaps (explicit links only; all links) from ``plan-resolution-matrix``;
- plan × theme heatmaps (pillars; all themes) from ``plan-theme-matrix`` (theme links
  are all made by the theme rules, so they have one basis; the second version narrows
  to the four pillars instead);
- a timeline of plan periods from ``plans-overview``;
- per resolution, a bar chart of its linked actions per plan (explicit + thematic), from
  ``plan-resolution-matrix``, shown on the resolution's page; per plan, the same numbers
  by resolution (its coverage), on the plan's page.

Every picture is written as ``compare/<name>.svg`` with its numbers in
``compare/<name>.csv``; the pages show the same SVG inline.
"""

from __future__ import annotations

import csv
import io
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

from wpsgraph.results import QueryResult
from wpsgraph.site import charts
from wpsgraph.site.charts import Axis
from wpsgraph.site.graph import Graph
from wpsgraph.site.library import QueryRun
from wpsgraph.site.render import relative
from wpsgraph.vocab import wps

FOLDER = "compare"
SERIES = (("explicit", "#2171b5"), ("thematic", "#9ecae1"))


@dataclass
class Picture:
    """One picture: how to draw it (from where it is shown), its numbers and its query."""

    name: str  # file stem under compare/
    heading: str
    caption: str
    query: str  # the library query that produced its numbers
    draw: Callable[[charts.Href], str]
    table: list[list[str]]  # its numbers, header first

    @property
    def svg_path(self) -> str:
        return f"{FOLDER}/{self.name}.svg"

    @property
    def csv_path(self) -> str:
        return f"{FOLDER}/{self.name}.csv"

    def inline(self, page_path: str) -> str:
        here = page_path.rsplit("/", 1)[0] if "/" in page_path else ""
        return self.draw(lambda target: relative(target, here))

    def files(self) -> dict[str, bytes]:
        """Its SVG and CSV files, by path under the site."""
        svg = '<?xml version="1.0" encoding="utf-8"?>\n' + self.inline(self.svg_path) + "\n"
        buf = io.StringIO()
        csv.writer(buf, lineterminator="\n").writerows(self.table)
        return {self.svg_path: svg.encode("utf-8"), self.csv_path: buf.getvalue().encode("utf-8")}

    def write(self, out: Path) -> None:
        (out / self.svg_path).parent.mkdir(parents=True, exist_ok=True)
        for path, data in self.files().items():
            (out / path).write_bytes(data)


def _records(result: QueryResult | None) -> list[dict[str, str]]:
    if result is None:
        return []
    return [dict(zip(result.variables, row, strict=True)) for row in result.values()]


def _int(text: str) -> int:
    return int(text) if text.lstrip("-").isdigit() else 0


class Views:
    """The comparison pictures of one build."""

    def __init__(self, graph: Graph, runs: dict[str, QueryRun]) -> None:
        self.graph = graph
        self.matrix = _records(_result(runs, "plan-resolution-matrix"))
        self.themes = _records(_result(runs, "plan-theme-matrix"))
        self.overview = _records(_result(runs, "plans-overview"))
        self.plans = sorted({r["plan"] for r in self.matrix} | {r["plan"] for r in self.themes})
        self.resolutions: dict[str, str] = {}  # number -> IRI
        for r in graph.res.values():
            number = r.one(wps.resolutionNumber)
            if number and graph.path(r.iri) and graph.is_a(r, "Resolution"):
                self.resolutions[number] = r.iri

    def plan_axis(self, key: str) -> Axis:
        iri = self.graph.id_base + "plan/" + key
        path = self.graph.path(iri) if iri in self.graph.res else None
        return Axis(key, key, path + ".html" if path else "", self.graph.label(iri))

    def resolution_axis(self, number: str) -> Axis:
        iri = self.resolutions.get(number, "")
        path = self.graph.path(iri) if iri else None
        title = self.graph.label(iri) if iri else f"UNSCR {number}"
        return Axis(number, number, path + ".html" if path else "", title)

    def theme_axis(self, key: str, label: str) -> Axis:
        iri = self.graph.id_base + "theme/" + key
        path = self.graph.path(iri) if iri in self.graph.res else None
        return Axis(key, label, path + ".html" if path else "", label)

    def pictures(self) -> list[Picture]:
        return [*self.resolution_heatmaps(), *self.theme_heatmaps(), self.timeline()]

    def resolution_heatmaps(self) -> list[Picture]:
        numbers = sorted({r["resolution"] for r in self.matrix}, key=_int)
        rows = [self.plan_axis(p) for p in sorted({r["plan"] for r in self.matrix})]
        cols = [self.resolution_axis(n) for n in numbers]
        table = [["plan", "resolution", "explicit", "thematic", "actions"]] + [
            [r["plan"], r["resolution"], r["explicit"], r["thematic"], r["actions"]]
            for r in self.matrix
        ]
        out = []
        for column, name, what in (
            ("explicit", "plan-resolution-explicit", "explicit links only"),
            ("actions", "plan-resolution-all", "all links (explicit or thematic)"),
        ):
            values = {(r["plan"], r["resolution"]): _int(r[column]) for r in self.matrix}
            title = f"Plans × resolutions: actions linked to each resolution, {what}"

            def draw(
                href: charts.Href, values: dict = values, title: str = title, name: str = name
            ) -> str:
                return charts.heatmap(
                    rows, cols, values, title=title, desc=_DESC_RES, ids=name, href=href
                )

            out.append(Picture(name, f"Plans × resolutions — {what}", title, _Q_RES, draw, table))
        return out

    def theme_heatmaps(self) -> list[Picture]:
        labels = {r["theme"]: r["label"] for r in self.themes}
        pillars = {
            k
            for k in labels
            if (t := self.graph.res.get(self.graph.id_base + "theme/" + k)) is not None
            and self.graph.is_a(t, "Pillar")
        }
        cols = [self.plan_axis(p) for p in sorted({r["plan"] for r in self.themes})]
        values = {(r["theme"], r["plan"]): _int(r["actions"]) for r in self.themes}
        table = [["plan", "theme", "label", "actions"]] + [
            [r["plan"], r["theme"], r["label"], r["actions"]] for r in self.themes
        ]
        out = []
        for name, what, keys in (
            ("plan-theme-pillars", "the four pillars", sorted(pillars)),
            ("plan-theme-all", "all themes", sorted(labels, key=lambda k: labels[k].lower())),
        ):
            rows = [self.theme_axis(k, labels[k]) for k in keys]
            sub = {k: v for k, v in values.items() if k[0] in keys}
            title = f"Themes × plans: actions linked to each theme, {what}"

            def draw(
                href: charts.Href,
                rows: list = rows,
                sub: dict = sub,
                title: str = title,
                name: str = name,
            ) -> str:
                return charts.heatmap(
                    rows, cols, sub, title=title, desc=_DESC_THEME, ids=name, href=href
                )

            out.append(Picture(name, f"Themes × plans — {what}", title, _Q_THEME, draw, table))
        return out

    def timeline(self) -> Picture:
        spans = []
        for r in sorted(self.overview, key=lambda r: (r["start"], r["plan"])):
            key = r["plan"].rsplit("/", 1)[-1]
            axis = self.plan_axis(key)
            spans.append(charts.Span(axis, _int(r["start"]), _int(r["end"])))
        title = "Plan periods: each plan from its first to its last year"
        table = [["plan", "start", "end"]] + [[s.axis.key, str(s.start), str(s.end)] for s in spans]

        def draw(href: charts.Href) -> str:
            return charts.timeline(
                spans, title=title, desc="One bar per plan.", ids="timeline", href=href
            )

        return Picture("timeline", "Plan periods", title, "plans-overview", draw, table)

    def resolution_chart(self, iri: str) -> Picture | None:
        """The bar chart of one resolution's linked actions per plan, or None."""
        number = next((n for n, i in self.resolutions.items() if i == iri), None)
        rows = [r for r in self.matrix if r["resolution"] == number]
        if number is None or not rows:
            return None
        axes = [self.plan_axis(r["plan"]) for r in rows]
        values = {(r["plan"], k): _int(r[k]) for r in rows for k, _ in SERIES}
        title = f"Actions linked to {self.graph.label(iri)}, per plan"
        name = f"resolution/{iri.rsplit('/', 1)[-1]}"
        table = [["plan", "explicit", "thematic", "actions"]] + [
            [r["plan"], r["explicit"], r["thematic"], r["actions"]] for r in rows
        ]

        def draw(href: charts.Href) -> str:
            desc = "Stacked bars: explicit links, then thematic links; the total at the end."
            return charts.bars(axes, SERIES, values, title=title, desc=desc, ids="bars", href=href)

        return Picture(name, title, title, _Q_RES, draw, table)

    def plan_chart(self, plan_id: str) -> Picture | None:
        """The bar chart of one plan's actions per resolution (its coverage), or None."""
        rows = [r for r in self.matrix if r["plan"] == plan_id]
        if not rows:
            return None
        rows.sort(key=lambda r: _int(r["resolution"]))
        axes = [self.resolution_axis(r["resolution"]) for r in rows]
        axes = [Axis(a.key, a.title, a.path, a.title) for a in axes]  # "UNSCR 1325"
        values = {(r["resolution"], k): _int(r[k]) for r in rows for k, _ in SERIES}
        title = f"Actions of {plan_id} linked to each resolution"
        table = [["resolution", "explicit", "thematic", "actions"]] + [
            [r["resolution"], r["explicit"], r["thematic"], r["actions"]] for r in rows
        ]

        def draw(href: charts.Href) -> str:
            desc = "Stacked bars: explicit links, then thematic links; the total at the end."
            return charts.bars(axes, SERIES, values, title=title, desc=desc, ids="bars", href=href)

        return Picture(f"plan/{plan_id}", title, title, _Q_RES, draw, table)


_Q_RES = "plan-resolution-matrix"
_Q_THEME = "plan-theme-matrix"
_DESC_RES = "One row per plan, one column per resolution; each cell gives a number of actions."
_DESC_THEME = "One row per theme, one column per plan; each cell gives a number of actions."


def _result(runs: dict[str, QueryRun], name: str) -> QueryResult | None:
    run = runs.get(name)
    return run.result if run is not None else None
