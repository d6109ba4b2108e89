"""Benchmark: wpsgraph's pipeline against a naive one, at growing corpus sizes.

For each size, a synthetic corpus (bench/synth.py) is built by both pipelines, each
build in its own process so that peak memory is its own:

- **ours**: ``wpsgraph.build`` (import, link, load, SPARQL-compiled SHACL, dumps, site),
  then every library query on the embedded store (five times each, timed by the median;
  the first and the slowest execution kept beside it); three times for each size up to
  40× (``--repeat``, ``--repeat-up-to``), every figure reported the median of the runs.
  Then, for each run, a rebuild after one edit (``wpsgraph build`` in a fresh process)
  and the same edit in a session (``wpsgraph watch``: the store and the site graph kept
  in memory between builds);
- **naive**: what a competent user would write with the same libraries: PyYAML's
  pure-Python loader, an rdflib ``Graph`` filled triple by triple, one pySHACL run over
  the whole graph, rdflib's SPARQL engine for the queries, one SPARQL query per page for
  the site, rdflib's serialisers for the dumps. Its site is timed on a sample of pages and
  scaled to the page count (said in the output); stages over the time budget are skipped.

It prints, per stage, seconds and throughput for both and the ratio naive/ours; the floor
for the site (creating as many files of the same sizes, with no templating); peak RSS;
the growth of the graph pipeline between the two largest sizes, built in blocks of four
one right after the other (``--growth-blocks``; see :func:`growth`); then writes
``bench/results/results.json`` and ``bench/results/time-vs-size.png``.

    python bench/run.py                      # sizes 1 10 40 120, naive at 1 10 40
    python bench/run.py --sizes 1 10 --naive-sizes 1 --repeat 1
"""

from __future__ import annotations

import argparse
import gc
import hashlib
import json
import os
import platform
import re
import resource
import shutil
import signal
import statistics
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT / "bench"))

STAGES = ["import", "link", "store", "validate", "queries", "dumps", "site"]
# each library query is run this many times on the built store and timed by the median:
# one execution on this machine swings by ±40 % (the same 40x query took 157 ms in one
# run and 235 ms in another); the first and the slowest execution are kept beside it
QUERY_REPEAT = 5


def _rss_mb() -> float:
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


def _workers_rss_mb() -> float:
    """Peak RSS of the largest forked worker (import and link, site pages): it counts
    the pages it shares with the build process, so it is not to be added to it."""
    return resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss / 1024


# ----------------------------------------------------------------------------- ours


def run_ours(data: Path, out: Path) -> dict[str, Any]:
    from wpsgraph.build import Project, build
    from wpsgraph.query import list_queries, run_query

    project = Project(ROOT, data_dir=data)
    cache = out.parent / "cache"
    shutil.rmtree(cache, ignore_errors=True)
    started = time.perf_counter()
    result = build(project, out, cache=cache)  # as `wpsgraph build` does: cache on, empty
    total = time.perf_counter() - started
    t = result.timings
    graph_stages = _pipeline_stages(t)
    stages = graph_stages | {"site": t.get("site", 0)}
    # of the site's time, the graph grouped beside the store's load
    site_graph = t.get("site_graph", 0)
    # the build leaves its site graph to the cycle collector (jinja2's environment holds
    # it in cycles); collected here, not inside whichever query's allocations set off the
    # collection (1.6 s of one query at 40x): a query run from the command line starts in
    # a process of its own
    collected = time.perf_counter()
    gc.collect()
    collected = time.perf_counter() - collected
    queries = {}
    for q in list_queries(project.queries):
        params = {p.name: _example(p.name) for p in q.params}
        samples = []
        for _ in range(QUERY_REPEAT):
            q_start = time.perf_counter()
            answer = run_query(result.store, q, params)  # evaluated, every solution written
            samples.append(time.perf_counter() - q_start)
        rows = answer.count
        # then read into Python (SPARQL JSON bindings), as the site and the command line
        # do on first use: reported beside the query's time, not in it
        decode = time.perf_counter()
        assert len(answer.bindings) == rows
        decode = time.perf_counter() - decode
        queries[q.name] = {
            "seconds": statistics.median(samples),
            "first_seconds": samples[0],
            "max_seconds": max(samples),
            "rows": rows,
            "decode_seconds": decode,
        }
    stages["queries"] = sum(v["seconds"] for v in queries.values())
    pages = sum(1 for _ in (out / "site").rglob("*.html"))
    files = [p for p in (out / "site").rglob("*") if p.is_file()]
    floor = _file_floor(files, out.parent / "floor")
    pipeline = sum(graph_stages.values())
    return {
        "triples": result.triples,
        "plans": len(result.plans),
        "pages": pages,
        "site_files": len(files),
        "site_bytes": sum(p.stat().st_size for p in files),
        "stages": stages,
        "queries": queries,
        "total": total + stages["queries"],
        "pipeline": pipeline,
        "rss_mb": _rss_mb(),
        "rss_workers_mb": _workers_rss_mb(),
        "floor_seconds": floor,
        "site_floor_ratio": stages["site"] / max(floor, 1e-9),
        "site_graph_seconds": site_graph,
        "site_own_floor_ratio": (stages["site"] - site_graph) / max(floor, 1e-9),
        "gc_after_build_seconds": collected,
    }


def run_pipeline(data: Path, out: Path) -> dict[str, Any]:
    """The graph pipeline alone (``build`` without the site, the cache on and empty), in
    a process of its own: its seconds per stage, and the CPU seconds (user and system)
    of this process and of the workers it forked. For :func:`growth`."""
    from wpsgraph.build import Project, build

    project = Project(ROOT, data_dir=data)
    cache = out.parent / "cache"
    shutil.rmtree(cache, ignore_errors=True)
    started = time.perf_counter()
    result = build(project, out, cache=cache, site=False)
    seconds = time.perf_counter() - started
    cpu = sum(
        getattr(resource.getrusage(who), field)
        for who in (resource.RUSAGE_SELF, resource.RUSAGE_CHILDREN)
        for field in ("ru_utime", "ru_stime")
    )
    return {
        "triples": result.triples,
        "seconds": seconds,
        "cpu_seconds": cpu,
        "stages": _pipeline_stages(result.timings),
    }


def _pipeline_stages(t: dict[str, float]) -> dict[str, float]:
    """The graph pipeline's stages as the benchmark reports them, from a build's
    timings (the reference data and themes counted in the import, the ontology in the
    store)."""
    return {
        "import": t.get("reference", 0) + t.get("import", 0) + t.get("themes", 0),
        "link": t.get("link", 0),
        "store": t.get("store", 0) + t.get("ontology", 0),
        "validate": t.get("validate", 0),
        "dumps": t.get("dumps", 0),
    }


def growth(small: Path, large: Path, work: Path, blocks: int, budget: float) -> dict[str, Any]:
    """The graph pipeline's growth from the corpus ``small`` to ``large``, measured in
    blocks of four builds one right after the other: small, large, large, small. A
    block's ratio is that of its two large builds' time to its two small builds'. This
    machine's speed drifts by ±20 % within minutes, so sizes built far apart (each size's
    runs come one after another) compare the machine's moments as much as the sizes; a
    block's builds share a few minutes, and with the sizes in mirrored order a drift that
    is steady over them weighs on both sizes alike (built in pairs, small then large, the
    large build always came second). The site is left out: its files make the disk's state
    part of the measure (its growth is told by its ratio to the floor at each size)."""
    runs = []
    for _ in range(blocks):
        block: dict[str, list[dict[str, Any]]] = {"small": [], "large": []}
        for name, data in (("small", small), ("large", large), ("large", large), ("small", small)):
            block[name].append(_child("pipeline", data, work / "dist", budget))
            shutil.rmtree(work, ignore_errors=True)  # a few files: the dumps, the cache
        runs.append(block)

    def ratios(of: Callable[[dict[str, Any]], float]) -> list[float]:
        return [sum(map(of, b["large"])) / max(sum(map(of, b["small"])), 1e-9) for b in runs]

    wall, cpu = ratios(lambda r: r["seconds"]), ratios(lambda r: r["cpu_seconds"])
    return {
        "triples_ratio": runs[0]["large"][0]["triples"] / runs[0]["small"][0]["triples"],
        "blocks": runs,
        "wall_ratios": wall,
        "cpu_ratios": cpu,
        "wall_ratio": statistics.median(wall),
        "cpu_ratio": statistics.median(cpu),
        "stage_ratios": {
            stage: statistics.median(ratios(lambda r, stage=stage: r["stages"][stage]))
            for stage in runs[0]["small"][0]["stages"]
        },
    }


def _edits(project: Any) -> tuple[Path, Any]:
    """The plan file a rebuild edits (the same in every run), and a function that gives
    its first wording, quoted or not, a word more (``None`` puts the file back)."""
    plan = sorted((project.data / "plans").glob("*.yaml"))[len(_real_plans()) // 2]
    original = plan.read_text(encoding="utf-8")

    def edit(words: str | None) -> None:
        if words is None:
            plan.write_text(original, encoding="utf-8")
            return
        edited = re.sub(r"(?m)^(\s+text: )(['\"]?)", rf"\1\2{words} ", original, count=1)
        assert edited != original
        plan.write_text(edited, encoding="utf-8")

    return plan, edit


def run_rebuild(data: Path, out: Path) -> dict[str, Any]:
    """One plan file edited (one action's wording), then built again with the cache left
    by :func:`run_ours`, in a process of its own: the incremental build a curator gets
    from ``wpsgraph build`` after an edit. Then the same wording edited again and built
    once more (``again``): a curator's next edit of the file, when the site knows what
    the plan shows on each shared page. The file is restored afterwards."""
    from wpsgraph.build import Project, build

    project = Project(ROOT, data_dir=data)
    cache = out.parent / "cache"
    plan, edit = _edits(project)
    try:
        edit("(edited)")
        result, seconds, removal = _timed(lambda: build(project, out, cache=cache))
        first = {
            "file": plan.name,
            "seconds": seconds,
            "removal_wait": removal,
            "reused": result.reused,
            "revalidated": result.revalidated,
            "site_reused": len(result.site_reused),
            "site_shared_reused": result.site_shared_reused,
            "timings": result.timings,
            "rss_mb": _rss_mb(),  # the peak so far: this rebuild's
        }
        del result  # its store, before the next build makes another
        edit("(edited again)")
        again, again_seconds, _ = _timed(lambda: build(project, out, cache=cache))
    finally:
        edit(None)
    first["again"] = {
        "seconds": again_seconds,
        "site_shared_reused": again.site_shared_reused,
        "timings": again.timings,
    }
    return first


def run_session(data: Path, out: Path) -> dict[str, Any]:
    """The same edits in a session (``wpsgraph watch``, :mod:`wpsgraph.session`), in a
    process of its own: its first build (a full one, with the cache and the site left by
    :func:`run_ours`), then the edit, then the second edit, each built with the store and
    the site graph kept in memory. Before each edit the session settles (its garbage
    collected, what is left frozen), as ``wpsgraph watch`` does while it waits for the
    next save: timed apart (``settle_seconds``). The file is restored afterwards."""
    from wpsgraph.build import Project
    from wpsgraph.session import Session

    project = Project(ROOT, data_dir=data)
    session = Session(project, out, out.parent / "cache")
    plan, edit = _edits(project)
    _, start, _ = _timed(session.build)
    runs = []
    try:
        for words in ("(edited in a session)", "(edited again in a session)"):
            # as wpsgraph watch does after each build, while the curator edits
            settled = session.settle()
            edit(words)
            result, seconds, removal = _timed(session.build)
            runs.append(
                {
                    "seconds": seconds,
                    "settle_seconds": settled,
                    "removal_wait": removal,
                    "patched": session.patched,
                    "regrouped": session.regrouped,
                    "site_reused": len(result.site_reused),
                    "site_shared_reused": result.site_shared_reused,
                    "timings": result.timings,
                }
            )
    finally:
        edit(None)
    return runs[0] | {
        "file": plan.name,
        "start_seconds": start,
        "again": runs[1],
        "rss_mb": _rss_mb(),  # the session's peak: its first build's, or a rebuild's
    }


def _timed(build: Any) -> tuple[Any, float, float]:
    """A build's result and seconds; then the previous tree's removal, which goes on in
    the background after the build returned, waited for outside the build's time and
    reported on its own."""
    from wpsgraph.output import wait_for_removals

    started = time.perf_counter()
    result = build()
    seconds = time.perf_counter() - started
    return result, seconds, wait_for_removals()


def median_of(runs: list[dict[str, Any]]) -> dict[str, Any]:
    """One run's figures from several: every number the median of the runs' (each ratio
    too, taken per run first), everything else the first run's; the runs themselves
    under ``runs`` (one run is returned as it is)."""
    if len(runs) == 1:
        return runs[0]

    def merged(values: list[Any]) -> Any:
        first = values[0]
        if isinstance(first, dict):
            keys = [k for k in first if all(isinstance(v, dict) and k in v for v in values)]
            return first | {k: merged([v[k] for v in values]) for k in keys}
        if not all(isinstance(v, int | float) and not isinstance(v, bool) for v in values):
            return first
        # counts stay whole (one of the runs'); with an even number of runs, the lower
        return (
            statistics.median(values) if isinstance(first, float) else statistics.median_low(values)
        )

    return merged(runs) | {"runs": runs}


def _real_plans() -> list[Path]:
    return sorted((ROOT / "data" / "plans").glob("*.yaml"))


def _example(name: str) -> str:
    return {"actor": "be-defence", "resolution": "1820", "theme": "crsv", "year": "2018"}[name]


def _file_floor(files: list[Path], into: Path) -> float:
    """Seconds to merely create as many files of the same sizes (no templating), in a
    new folder ``into``, left for the caller to remove when no build is timed next (a
    tree removed makes the next files slower to create, see :func:`main`)."""
    sizes = [p.stat().st_size for p in files]
    shutil.rmtree(into, ignore_errors=True)
    into.mkdir(parents=True)
    started = time.perf_counter()
    for i, size in enumerate(sizes):
        d = into / str(i // 1000)
        if i % 1000 == 0:
            d.mkdir()
        (d / f"{i}.html").write_bytes(b"x" * size)
    return time.perf_counter() - started


# ----------------------------------------------------------------------------- naive


class _OverBudget(Exception):
    pass


def _over_budget(signum: int, frame: Any) -> None:
    raise _OverBudget


def run_naive(data: Path, budget: float) -> dict[str, Any]:
    # a naive run must not take the machine down: memory is capped at half of it, and a
    # query that hits the cap is recorded as failed
    signal.signal(signal.SIGALRM, _over_budget)
    half = os.sysconf("SC_PAGE_SIZE") * os.sysconf("SC_PHYS_PAGES") // 2
    resource.setrlimit(resource.RLIMIT_AS, (half, half))
    import jinja2
    import pyshacl
    import yaml
    from rdflib import BNode as RBNode
    from rdflib import Graph, Literal, URIRef

    from wpsgraph.build import Project, build_graph
    from wpsgraph.query import PREFIX_BLOCK, list_queries

    project = Project(ROOT, data_dir=data)
    stages: dict[str, float | None] = {}
    notes = []
    # import: the pure-Python YAML loader over every file; our importer makes the triples
    # (a hand-written importer does the same work), which are then added one by one.
    started = time.perf_counter()
    for path in sorted((data / "plans").glob("*.yaml")) + sorted(
        (data / "reference").rglob("*.yaml")
    ):
        yaml.safe_load(path.read_text(encoding="utf-8"))
    parse = time.perf_counter() - started
    ours = build_graph(project, check=False)
    started = time.perf_counter()
    g = Graph()

    def term(t: Any) -> Any:
        import pyoxigraph as ox

        if isinstance(t, ox.NamedNode):
            return URIRef(t.value)
        if isinstance(t, ox.BlankNode):
            return RBNode(t.value)
        if t.language:
            return Literal(t.value, lang=t.language)
        return Literal(t.value, datatype=URIRef(t.datatype.value))

    for q in ours.store:
        g.add((term(q.subject), term(q.predicate), term(q.object)))
    stages["import"] = parse + (time.perf_counter() - started)
    stages["link"] = ours.timings.get("link", 0)  # same rules; no naive variant
    stages["store"] = 0.0  # the rdflib Graph is the store
    # validate: one pySHACL run over everything
    started = time.perf_counter()
    shapes = Graph()
    for p in sorted((ROOT / "shapes").glob("*.ttl")):
        shapes.parse(p)
    ontology = Graph()
    for p in sorted((ROOT / "ontology").glob("*.ttl")):
        ontology.parse(p)
    if len(g) > budget * 20_000:  # pySHACL checks ~20-30k triples/s here
        stages["validate"] = None
        notes.append(f"validate skipped: {len(g)} triples over the budget")
    else:
        pyshacl.validate(
            g,
            shacl_graph=shapes,
            ont_graph=ontology,
            inference="none",
            allow_warnings=True,
            advanced=False,
        )
        stages["validate"] = time.perf_counter() - started
    # queries: rdflib's SPARQL engine
    started = time.perf_counter()
    queries = {}
    for q in list_queries(project.queries):
        if time.perf_counter() - started > budget:  # the rest would only add time
            queries[q.name] = {"seconds": None, "error": "skipped: stage over the budget"}
            continue
        q_start = time.perf_counter()
        params = {p.name: _example(p.name) for p in q.params}
        text = PREFIX_BLOCK + q.text
        bindings = {
            p.name: (
                URIRef(ours.ids.id + p.template.replace("{}", params[p.name]))
                if p.kind == "iri"
                else Literal(int(params[p.name]))
            )
            for p in q.params
        }
        # one query may take the rest of the budget, no more (rdflib's engine can run
        # for hours, and fill the memory, on a query it plans badly)
        signal.alarm(max(1, int(budget - (time.perf_counter() - started))))
        try:
            rows = len(list(g.query(text, initBindings=bindings)))
            queries[q.name] = {"seconds": time.perf_counter() - q_start, "rows": rows}
        except _OverBudget:
            queries[q.name] = {"seconds": None, "error": "stopped: over the stage budget"}
        except Exception as exc:  # rdflib lacks a feature, or memory: recorded, not hidden
            queries[q.name] = {"seconds": None, "error": f"{type(exc).__name__}: {exc}"[:200]}
        finally:
            signal.alarm(0)
    stages["queries"] = time.perf_counter() - started
    skipped = [name for name, v in queries.items() if v["seconds"] is None]
    if skipped:
        notes.append(
            f"queries: {len(skipped)} not run or failed ({', '.join(skipped)}); "
            "the naive query time is a lower bound"
        )
    # site: one SPARQL query per page, a small template, one file per page (on a sample)
    subjects = sorted(
        {s for s in g.subjects() if isinstance(s, URIRef) and str(s).startswith(ours.ids.id)}
    )
    sample = subjects[: min(len(subjects), 300)]
    env = jinja2.Environment(autoescape=True)
    page = env.from_string(
        "<h1>{{ s }}</h1><table>{% for p, o in rows %}<tr><td>{{ p }}</td><td>{{ o }}</td>"
        "</tr>{% endfor %}</table><h2>In</h2>{% for s2, p in inv %}<p>{{ s2 }} {{ p }}</p>"
        "{% endfor %}"
    )
    with tempfile.TemporaryDirectory(dir=ROOT / "bench") as tmp:
        started = time.perf_counter()
        for i, s in enumerate(sample):
            rows = list(g.query("SELECT ?p ?o WHERE { ?s ?p ?o }", initBindings={"s": s}))
            inv = list(g.query("SELECT ?x ?p WHERE { ?x ?p ?s }", initBindings={"s": s}))
            Path(tmp, f"{i}.html").write_text(page.render(s=s, rows=rows, inv=inv))
            for fmt, ext in (("turtle", "ttl"), ("json-ld", "jsonld")):
                sub = Graph()
                for t in g.triples((s, None, None)):
                    sub.add(t)
                Path(tmp, f"{i}.{ext}").write_text(sub.serialize(format=fmt))
        elapsed = time.perf_counter() - started
    stages["site"] = elapsed * len(subjects) / max(1, len(sample))
    notes.append(f"site timed on {len(sample)} of {len(subjects)} pages and scaled")
    # dumps
    with tempfile.TemporaryDirectory(dir=ROOT / "bench") as tmp:
        started = time.perf_counter()
        for fmt, ext in (("nt", "nt"), ("turtle", "ttl"), ("json-ld", "jsonld")):
            g.serialize(destination=str(Path(tmp) / f"x.{ext}"), format=fmt)
        stages["dumps"] = time.perf_counter() - started
    done = [v for v in stages.values() if v is not None]
    return {
        "triples": len(g),
        "stages": stages,
        "queries": queries,
        "total": sum(done),
        "complete": None not in stages.values(),
        "rss_mb": _rss_mb(),
        "notes": notes,
    }


# ----------------------------------------------------------------------------- driver


def _child(kind: str, data: Path, out: Path, budget: float) -> dict[str, Any]:
    """Run one measurement in a fresh process; return its JSON."""
    cmd = [
        sys.executable,
        __file__,
        "--one",
        kind,
        "--data",
        str(data),
        "--out",
        str(out),
        "--budget",
        str(budget),
    ]
    proc = subprocess.run(cmd, capture_output=True, text=True, check=False)
    if proc.returncode != 0:
        raise RuntimeError(f"{kind} failed:\n{proc.stderr[-3000:]}")
    return json.loads(proc.stdout.strip().splitlines()[-1])


def _corpus(size: float, work: Path) -> Path:
    """The synthetic corpus of ``size`` under ``work``, written again unless the one there
    was made by the same generator from the same data (a stale corpus would measure
    another corpus than the one the results name)."""
    from synth import synthesise

    from wpsgraph.cache import hash_tree

    corpus = work / f"x{size:g}"
    digest = hashlib.sha256(f"{size:g}".encode())
    digest.update((ROOT / "bench" / "synth.py").read_bytes())
    hash_tree(digest, ROOT / "data")
    stamp = corpus / "corpus.key"
    key = digest.hexdigest()
    if not (corpus / "data").is_dir() or not stamp.is_file() or stamp.read_text() != key:
        synthesise(size, corpus)
        stamp.write_text(key)
    return corpus


def _fmt(v: float | None) -> str:
    return "   skipped" if v is None else f"{v:10.2f}"


def report(size: float, ours: dict[str, Any], naive: dict[str, Any] | None) -> None:
    runs = ours.get("runs", [ours])
    print(
        f"\n== size {size:g}x: {ours['plans']} plans, {ours['triples']:,} triples, "
        f"{ours['pages']:,} pages ({ours['site_files']:,} files)"
        + (f"; ours: the median of {len(runs)} runs" if len(runs) > 1 else "")
    )
    print(f"{'stage':10} {'ours s':>10} {'naive s':>10} {'naive/ours':>10}  throughput (ours)")
    for stage in STAGES:
        o = ours["stages"][stage]
        n = naive["stages"].get(stage) if naive else None
        ratio = f"{n / o:10.1f}" if n is not None and o > 0 else "         -"
        extra = ""
        if stage in ("import", "store", "validate", "dumps") and o > 0:
            extra = f"{ours['triples'] / o:,.0f} triples/s"
        elif stage == "site" and o > 0:
            extra = (
                f"{ours['pages'] / o:,.0f} pages/s; floor {ours['floor_seconds']:.2f} s "
                f"({ours['site_floor_ratio']:.2f}x the floor; without the graph grouped "
                f"beside the store, {ours['site_own_floor_ratio']:.2f}x)"
            )
        elif stage == "queries":
            slowest = max(ours["queries"].items(), key=lambda kv: kv[1]["seconds"])
            read = max(
                ours["queries"].items(),
                key=lambda kv: kv[1]["seconds"] + kv[1].get("decode_seconds", 0),
            )
            worst = max(ours["queries"].items(), key=lambda kv: kv[1].get("max_seconds", 0))
            extra = (
                f"slowest {slowest[0]} {slowest[1]['seconds'] * 1000:.0f} ms (median of "
                f"{QUERY_REPEAT} executions; its first "
                f"{slowest[1].get('first_seconds', 0) * 1000:.0f} ms; the slowest execution "
                f"of any, {worst[0]} {worst[1].get('max_seconds', 0) * 1000:.0f} ms); with "
                f"its rows read into Python, {read[0]} "
                f"{(read[1]['seconds'] + read[1].get('decode_seconds', 0)) * 1000:.0f} ms"
            )
        print(f"{stage:10} {o:10.2f} {_fmt(n)} {ratio}  {extra}")
    n_total = naive["total"] if naive else None
    ratio = f"{n_total / ours['total']:10.1f}" if naive and naive["complete"] else "         -"
    print(f"{'total':10} {ours['total']:10.2f} {_fmt(n_total)} {ratio}")
    print(
        f"peak RSS: ours {ours['rss_mb']:.0f} MB (largest worker "
        f"{ours.get('rss_workers_mb', 0):.0f} MB)"
        + (f", naive {naive['rss_mb']:.0f} MB" if naive else "")
    )
    full_build = ours["total"] - ours["stages"]["queries"]
    print(
        f"graph pipeline (import, link, store, validate, dumps): {ours['pipeline']:.2f} s; "
        f"full build with site {full_build:.2f} s"
    )
    rb = ours.get("rebuild")
    if rb:
        stages = ", ".join(
            f"{k} {v:.2f}" for k, v in rb["timings"].items() if k != "total" and v >= 0.01
        )
        print(
            f"rebuild after editing {rb['file']}: {rb['seconds']:.2f} s "
            f"({100 * rb['share']:.1f}% of the full build), "
            f"peak RSS {rb['rss_mb']:.0f} MB; "
            f"{rb['reused']} plans from the cache, {len(rb['revalidated'])} validated again, "
            f"pages of {rb['site_reused']} plans and {rb.get('site_shared_reused', 0)} shared "
            f"pages taken from the previous site ({stages}); "
            f"the old tree's removal went on {rb.get('removal_wait', 0):.2f} s after it"
        )
        if again := rb.get("again"):
            print(
                f"rebuild after a second edit of the file: {again['seconds']:.2f} s "
                f"({100 * again['seconds'] / full_build:.1f}% of the full build), "
                f"{again['site_shared_reused']} shared pages taken"
            )
    if sess := ours.get("session"):
        stages = ", ".join(
            f"{k} {v:.2f}" for k, v in sess["timings"].items() if k != "total" and v >= 0.01
        )
        how = "grouped again" if sess["regrouped"] else "replaced in place"
        print(
            f"rebuild in a session (wpsgraph watch) after editing {sess['file']}: "
            f"{sess['seconds']:.2f} s ({100 * sess['share']:.1f}% of the full build; "
            f"the plan {how} in the store and the site graph; {stages}); "
            f"after a second edit {sess['again']['seconds']:.2f} s "
            f"({100 * sess['again']['seconds'] / full_build:.1f}%); "
            f"the session's first build {sess['start_seconds']:.2f} s, "
            f"its peak RSS {sess['rss_mb']:.0f} MB"
        )
    if len(runs) > 1:
        spread = {
            "full build": [r["total"] - r["stages"]["queries"] for r in runs],
            "site/floor": [r["site_floor_ratio"] for r in runs],
            "slowest query (ms)": [
                1000 * max(q["seconds"] for q in r["queries"].values()) for r in runs
            ],
            "rebuild share (%)": [100 * r["rebuild"]["share"] for r in runs],
            "session rebuild share (%)": [
                100 * r["session"]["share"] for r in runs if "session" in r
            ],
        }
        print("runs: " + "; ".join(f"{k} {_each(vs)}" for k, vs in spread.items()))
    for note in (naive or {}).get("notes", []):
        print(f"naive: {note}")


def _each(values: list[float]) -> str:
    """Each run's figure, as the report prints them side by side: "1.00 / 2.00"."""
    return " / ".join(f"{v:.2f}" for v in values)


def report_growth(grew: dict[str, Any]) -> None:
    small, large = grew["sizes"]
    t = grew["triples_ratio"]

    def times(runs: list[dict[str, Any]]) -> str:
        return " + ".join(f"{r['seconds']:.2f}" for r in runs)

    per_block = "; ".join(f"{times(b['small'])} → {times(b['large'])} s" for b in grew["blocks"])
    print(
        f"\n== growth of the graph pipeline from {small:g}x to {large:g}x, "
        f"{len(grew['blocks'])} blocks of four builds one right after the other, "
        f"{small:g}x {large:g}x {large:g}x {small:g}x ({per_block})"
    )
    print(
        f"triples {t:.2f}x; time {grew['wall_ratio']:.2f}x (blocks "
        f"{_each(grew['wall_ratios'])}), {100 * (grew['wall_ratio'] / t - 1):+.1f} % against "
        f"linear; CPU time {grew['cpu_ratio']:.2f}x ({_each(grew['cpu_ratios'])}), "
        f"{100 * (grew['cpu_ratio'] / t - 1):+.1f} %"
    )
    print(
        "per stage (median of the blocks): "
        + ", ".join(f"{k} {v:.2f}x" for k, v in grew["stage_ratios"].items())
    )


def plot(results: list[dict[str, Any]], path: Path) -> None:
    import matplotlib

    matplotlib.use("Agg")
    import matplotlib.pyplot as plt

    fig, ax = plt.subplots(figsize=(6, 4))
    xs = [r["ours"]["triples"] for r in results]
    ax.plot(xs, [r["ours"]["total"] for r in results], "o-", label="wpsgraph")
    naive = [
        (r["ours"]["triples"], r["naive"]["total"])
        for r in results
        if r.get("naive") and r["naive"]["complete"]
    ]
    if naive:
        ax.plot(*zip(*naive, strict=True), "s--", label="naive (rdflib, pySHACL)")
    rebuilds = [(r["ours"]["triples"], r["ours"]["rebuild"]["seconds"]) for r in results]
    ax.plot(*zip(*rebuilds, strict=True), "^:", label="wpsgraph build, rebuild after one edit")
    sessions = [
        (r["ours"]["triples"], r["ours"]["session"]["seconds"])
        for r in results
        if "session" in r["ours"]
    ]
    if sessions:
        ax.plot(*zip(*sessions, strict=True), "v-.", label="wpsgraph watch, after one edit")
    ax.set_xscale("log")
    ax.set_yscale("log")
    ax.set_xlabel("triples")
    ax.set_ylabel("seconds, end to end")
    ax.set_title("Build time against corpus size")
    ax.grid(True, which="both", alpha=0.3)
    ax.legend()
    fig.tight_layout()
    fig.savefig(path)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--sizes", type=float, nargs="+", default=[1, 10, 40, 120])
    parser.add_argument("--naive-sizes", type=float, nargs="*", default=[1, 10, 40])
    parser.add_argument(
        "--budget",
        type=float,
        default=600,
        help="seconds a naive stage may take before it is skipped",
    )
    parser.add_argument(
        "--repeat",
        type=int,
        default=3,
        help="builds (and rebuilds) of ours per size, reported by their medians",
    )
    parser.add_argument(
        "--repeat-up-to",
        type=float,
        default=40,
        help="the largest size built --repeat times (larger ones once)",
    )
    parser.add_argument("--results", type=Path, default=ROOT / "bench" / "results")
    parser.add_argument(
        "--growth-blocks",
        type=int,
        default=5,
        help="blocks of four pipeline builds (the two largest sizes, one after the other, "
        "small large large small) that measure the growth between them (0: none)",
    )
    parser.add_argument(
        "--one",
        choices=["ours", "rebuild", "session", "naive", "pipeline"],
        help=argparse.SUPPRESS,
    )
    parser.add_argument("--data", type=Path, help=argparse.SUPPRESS)
    parser.add_argument("--out", type=Path, help=argparse.SUPPRESS)
    args = parser.parse_args(argv)
    if args.one == "ours":
        print(json.dumps(run_ours(args.data, args.out)))
        return 0
    if args.one == "rebuild":
        print(json.dumps(run_rebuild(args.data, args.out)))
        return 0
    if args.one == "session":
        print(json.dumps(run_session(args.data, args.out)))
        return 0
    if args.one == "naive":
        print(json.dumps(run_naive(args.data, args.budget)))
        return 0
    if args.one == "pipeline":
        print(json.dumps(run_pipeline(args.data, args.out)))
        return 0
    work = ROOT / "bench" / "corpora"
    results = []
    print(
        f"machine: {platform.machine()}, {os.cpu_count()} cores, Python "
        f"{platform.python_version()}, {platform.platform()}"
    )
    for size in args.sizes:
        corpus = _corpus(size, work)
        left = [corpus / "dist", corpus / "cache", *corpus.glob("run*")]
        if any(p.exists() for p in left):
            # left by a run that stopped: the full build would take its pages from it
            # (the incremental site), so it is removed, at the cost of making the files
            # in the minutes when ext4 skips the freed inodes (see below)
            print(f"warning: removing what an earlier run left in {corpus}")
            for path in left:
                shutil.rmtree(path, ignore_errors=True)
        # each run in a folder of its own (dist, cache, the floor's files), none removed
        # until the last: ext4 (without a journal, as here) passes over the inodes freed
        # in the last minutes when it makes a file (recently_deleted, one look-up each),
        # so files made right after a large tree is removed take several times longer.
        # The rebuilds and the sessions remove what they replace (the previous site, in
        # the background), so every run's full build and floor come first, and only then
        # the rebuilds and the sessions
        dists = [
            corpus / f"run{k}" / "dist"
            for k in range(args.repeat if size <= args.repeat_up_to else 1)
        ]
        runs = [_child("ours", corpus / "data", dist, args.budget) for dist in dists]
        for run, dist in zip(runs, dists, strict=True):
            full_build = run["total"] - run["stages"]["queries"]
            run["rebuild"] = _child("rebuild", corpus / "data", dist, args.budget)
            run["rebuild"]["share"] = run["rebuild"]["seconds"] / full_build
            run["session"] = _child("session", corpus / "data", dist, args.budget)
            run["session"]["share"] = run["session"]["seconds"] / full_build
        ours = median_of(runs)
        # removed before the naive run, which creates few files
        for path in corpus.glob("run*"):
            shutil.rmtree(path, ignore_errors=True)
        naive = (
            _child("naive", corpus / "data", corpus / "dist", args.budget)
            if size in args.naive_sizes
            else None
        )
        report(size, ours, naive)
        results.append({"size": size, "ours": ours, "naive": naive})
    grew = None
    if args.growth_blocks > 0 and len(args.sizes) > 1:
        small, large = sorted(args.sizes)[-2:]
        grew = growth(
            _corpus(small, work) / "data",
            _corpus(large, work) / "data",
            work / "growth",
            args.growth_blocks,
            args.budget,
        )
        grew["sizes"] = [small, large]
        report_growth(grew)
    args.results.mkdir(parents=True, exist_ok=True)
    (args.results / "results.json").write_text(
        json.dumps(
            {
                "machine": {
                    "arch": platform.machine(),
                    "cores": os.cpu_count(),
                    "python": platform.python_version(),
                    "platform": platform.platform(),
                },
                "results": results,
                "growth": grew,
            },
            indent=1,
        )
    )
    plot(results, args.results / "time-vs-size.png")
    print(f"\nwrote {args.results / 'results.json'} and {args.results / 'time-vs-size.png'}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
