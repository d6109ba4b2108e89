"""The query library on the site: every query of ``queries/`` run once on the built
graph, its results kept for its page, its CSV and JSON downloads and the pictures.

A query with parameters is run with one example value: the first value named in the
help text of its ``# param:`` line ("e.g. 1820") that gives rows on this graph, else the
resource with most links to it among those the parameter can name; its page says so.
"""

from __future__ import annotations

import re
import time
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass, field
from pathlib import Path

import pyoxigraph as ox

from wpsgraph.query import Param, Query, QueryError, run_query
from wpsgraph.results import QueryResult
from wpsgraph.site.graph import Graph
from wpsgraph.site.reuse import link_files

FOLDER = "queries"
MAX_ROWS = 300  # rows shown on a query page; the downloads hold them all
_EXAMPLE = re.compile(r"e\.g\.\s*([^(]*)")  # up to a remark in brackets
_TOKEN = re.compile(r"[A-Za-z0-9][A-Za-z0-9._-]*")


@dataclass
class QueryRun:
    """One library query as run for the site."""

    query: Query
    params: dict[str, str] = field(default_factory=dict)  # example values used
    result: QueryResult | None = None
    error: str = ""
    seconds: float = 0.0

    @property
    def name(self) -> str:
        return self.query.name

    def path(self, ext: str) -> str:
        """Its page (``html``) or downloads (``csv``, ``json``, ``rq``) on the site."""
        return f"{FOLDER}/{self.name}.{ext}"


def _candidates(p: Param) -> list[str]:
    m = _EXAMPLE.search(p.help)
    words = _TOKEN.findall(m.group(1)) if m else []
    return [w.rstrip(".") for w in words if w not in ("or", "and", "see", "the")]


def _fallback(p: Param, graph: Callable[[], Graph], id_base: str) -> list[str]:
    """For an IRI parameter: the resources it can name, most linked first."""
    if p.kind != "iri" or "{}" not in p.template:
        return []
    prefix, suffix = p.template.split("{}", 1)
    found = []
    for r in graph().res.values():
        local = r.iri[len(id_base) :] if r.iri.startswith(id_base) else ""
        if r.out and local.startswith(prefix) and local.endswith(suffix):
            value = local[len(prefix) : len(local) - len(suffix)]
            if value and "/" not in value:
                found.append((-sum(len(v) for v in r.inv.values()), value))
    return [v for _, v in sorted(found)[:3]]


def run_library(
    store: ox.Store, queries: list[Query], graph: Callable[[], Graph], id_base: str
) -> dict[str, QueryRun]:
    """Run every query once (parameterised ones with an example value), by name.

    ``graph`` gives the site's graph, asked for only when a parameter has no example
    value in its help text: so the library can run in a thread while the graph is made
    (the store answers queries without holding the interpreter's lock)."""
    runs = {}
    # those without parameters first: they need no graph, which may still be in the making
    for q in sorted(queries, key=lambda q: bool(q.params)):
        run = QueryRun(q)
        try:
            run.params, run.result, run.seconds = _run(
                store, q, _options(q, graph, id_base), id_base
            )
        except QueryError as exc:
            run.error = str(exc)
        runs[q.name] = run
    return {q.name: runs[q.name] for q in queries}


Tried = tuple[dict[str, str], QueryResult, float]  # example values, result, seconds


def _options(q: Query, graph: Callable[[], Graph], id_base: str) -> Iterator[list[list[str]]]:
    """The example values to try, one list per parameter, in turns: a later turn is made
    only when the earlier gave no rows (values are looked for before the clock starts)."""
    if len(q.params) == 1:
        # the values its help text names first: when one gives rows, the query need not
        # wait for the graph
        yield [_candidates(q.params[0])]
        yield [_fallback(q.params[0], graph, id_base)]
    else:
        yield [_candidates(p) + _fallback(p, graph, id_base) for p in q.params]


def _run(store: ox.Store, q: Query, options: Iterable[list[list[str]]], id_base: str) -> Tried:
    """The query with the first combination of example values that gives rows (else the
    first tried), and the seconds that run took."""
    if not q.params:
        return {}, *_timed(store, q, {}, id_base)
    tried: list[Tried] = []
    for turn in options:
        found = _first_with_rows(store, q, turn, id_base, tried)
        if found is not None:
            return found
    if tried:
        return tried[0]
    raise QueryError(f"no example value for the parameters of {q.name}")


def _first_with_rows(
    store: ox.Store, q: Query, options: list[list[str]], id_base: str, tried: list[Tried]
) -> Tried | None:
    """Run the query with each combination of example values in turn (``tried`` gets
    them all) until one gives rows."""
    for i in range(max((len(o) for o in options), default=0)):
        params = {
            p.name: o[min(i, len(o) - 1)] for p, o in zip(q.params, options, strict=True) if o
        }
        if len(params) < len(q.params):
            break
        result, seconds = _timed(store, q, params, id_base)
        tried.append((params, result, seconds))
        if result.count or result.boolean is not None:
            return tried[-1]
    return None


def _timed(
    store: ox.Store, q: Query, params: dict[str, str], id_base: str
) -> tuple[QueryResult, float]:
    start = time.perf_counter()
    result = run_query(store, q, params, id_base=id_base)
    return result, time.perf_counter() - start


def write_downloads(runs: dict[str, QueryRun], out: Path, previous: Path | None = None) -> None:
    """``queries/<name>.csv`` and ``.json`` (SPARQL 1.1 results) and the ``.rq`` itself.

    A query whose text and results (the store's JSON, byte for byte) are those of the
    ``previous`` site has its three files linked from there, not written again: give a
    ``previous`` site only when the code that wrote its downloads is this build's."""
    folder = out / FOLDER
    folder.mkdir(parents=True, exist_ok=True)
    for run in runs.values():
        files = [run.path(ext) for ext in ("rq", "csv", "json")]
        if (
            previous is not None
            and _same_as_before(run, previous)
            and link_files(previous, out, files)  # else all three are written
        ):
            continue
        (out / run.path("rq")).write_text(run.query.text, encoding="utf-8")
        if run.result is not None:
            (out / run.path("csv")).write_text(run.result.to_csv(), encoding="utf-8")
            json = out / run.path("json")
            if run.result.raw is not None:  # as the store wrote it: no second encoding
                json.write_bytes(run.result.raw)
            else:
                json.write_text(run.result.to_json(), encoding="utf-8")


def _same_as_before(run: QueryRun, previous: Path) -> bool:
    """Whether the previous site holds this run's query text and results, as the store
    wrote them (the CSV is made from those alone)."""
    if run.result is None or run.result.raw is None:
        return False
    try:
        return (previous / run.path("json")).read_bytes() == run.result.raw and (
            previous / run.path("rq")
        ).read_bytes() == run.query.text.encode("utf-8")
    except OSError:
        return False
