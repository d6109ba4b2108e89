"""The ``wpsgraph`` command: a thin layer over the library API.

Exit status: 0 on success, 1 when the data or a query is wrong (every problem is printed
as ``file:line: node: message``), 2 on a usage error.
"""

from __future__ import annotations

import contextlib
import functools
import http.server
import sys
import textwrap
import time
from collections import Counter
from collections.abc import Callable
from pathlib import Path
from typing import Any, ClassVar

import click

from wpsgraph import __version__
from wpsgraph.build import BuildResult, Project, ValidationFailed, build, build_graph
from wpsgraph.errors import DataError, WpsgraphError
from wpsgraph.query import FORMATS, list_queries, load_query, run_query
from wpsgraph.remote import Endpoint, PublishError, check_url, publish, run_query_remote
from wpsgraph.store import DUMP_FORMATS, DUMP_NAME, export, open_store
from wpsgraph.vocab import DEFAULT_BASE


def _fail(message: str) -> None:
    click.echo(message, err=True)
    sys.exit(1)


def _guard(fn: Callable[..., Any]) -> Callable[..., Any]:
    """Turn the library's errors into messages on stderr and exit status 1."""

    @functools.wraps(fn)
    def wrapper(*args: Any, **kwargs: Any) -> Any:
        try:
            return fn(*args, **kwargs)
        except DataError as exc:
            _fail(str(exc))
        except ValidationFailed as exc:
            _fail(exc.report.text())
        except WpsgraphError as exc:
            _fail(f"error: {exc}")

    return wrapper


def _project(ctx: click.Context, data: Path | None = None) -> Project:
    root: Path = ctx.obj["root"]
    return Project(root, data_dir=data)


@click.group(context_settings={"help_option_names": ["-h", "--help"]})
@click.version_option(__version__, prog_name="wpsgraph")
@click.option(
    "--root",
    type=click.Path(file_okay=False, exists=True, path_type=Path),
    default=".",
    show_default=True,
    help="The project folder (holding data/, ontology/, shapes/, queries/, site/).",
)
@click.pass_context
def main(ctx: click.Context, root: Path) -> None:
    """Women, Peace and Security action plans as linked data.

    \b
    wpsgraph build                      import, validate, write dist/ (dumps + site)
    wpsgraph validate data/plans/x.yaml the SHACL report for some plans
    wpsgraph queries                    the query library
    wpsgraph query actions-of-actor --param actor=be-defence --format csv
    wpsgraph publish --endpoint http://127.0.0.1:7878/query
    """
    ctx.ensure_object(dict)
    ctx.obj["root"] = root.resolve()


@main.command("build")
@click.option(
    "--data",
    type=click.Path(file_okay=False, exists=True, path_type=Path),
    help="The curated data folder [default: ROOT/data].",
)
@click.option(
    "--out",
    type=click.Path(path_type=Path),
    default=Path("dist"),
    show_default=True,
    help="Where to write the dumps and the site (replaced only on success).",
)
@click.option(
    "--base-url",
    default=DEFAULT_BASE,
    show_default=True,
    help="The base of every IRI (for a deployment under another domain).",
)
@click.option("--no-site", is_flag=True, help="Write the dumps only.")
@click.option(
    "--cache/--no-cache",
    default=True,
    show_default=True,
    help="Reuse plans whose inputs did not change (ROOT/.wpsgraph-cache): their "
    "triples, links, validation results and pages.",
)
@click.pass_context
@_guard
def build_cmd(
    ctx: click.Context, data: Path | None, out: Path, base_url: str, no_site: bool, cache: bool
) -> None:
    """Import every plan, validate, and write dumps and the site to OUT."""
    project = _project(ctx, data)
    cache_dir = project.root / ".wpsgraph-cache" if cache else None
    result = build(project, out, base=base_url, site=not no_site, log=click.echo, cache=cache_dir)
    _summary(result)
    if result.report.warnings:
        per_file = sorted(Counter(w.file for w in result.report.warnings).items())
        listed = ", ".join(f"{f} {n}" for f, n in per_file[:8])
        more = f", and {len(per_file) - 8} more files" if len(per_file) > 8 else ""
        click.echo(f"warnings: {listed}{more}\n  ('wpsgraph validate' lists them)")
    click.echo(f"dumps: {out}/{DUMP_NAME}.trig, .nq, .nt, .jsonld")
    if not no_site:
        index = (out / "site" / "index.html").resolve()
        click.echo(f"site: open {index}")
        click.echo(
            f"      or run 'wpsgraph serve --dir {out}/site' and open http://127.0.0.1:8000/"
        )


def _summary(result: BuildResult) -> None:
    t = result.timings
    reused = ""
    if result.reused:
        reused = (
            f" ({result.reused} unchanged, read from the cache; "
            f"{len(result.revalidated)} validated again; "
            f"pages of {len(result.site_reused)} linked from the previous site)"
        )
    names = ", ".join(p.plan_id for p in result.plans)
    click.echo(f"built {len(result.plans)} plan(s){reused}: {names}")
    click.echo(
        f"{result.triples} triples; {result.report.summary()}; "
        f"{t.get('total', sum(t.values())):.1f} s "
        f"({', '.join(f'{k} {v:.2f}' for k, v in t.items() if k != 'total')})"
    )


@main.command("validate")
@click.argument("files", nargs=-1, type=click.Path(dir_okay=False, exists=True, path_type=Path))
@click.option(
    "--data",
    type=click.Path(file_okay=False, exists=True, path_type=Path),
    help="The curated data folder [default: ROOT/data].",
)
@click.option("--quiet", "-q", is_flag=True, help="Print violations only, not warnings.")
@click.option(
    "--validator",
    type=click.Choice(["sparql", "pyshacl"]),
    default="sparql",
    show_default=True,
    help="sparql: SHACL Core compiled to SPARQL in the store (fast); "
    "pyshacl: the reference implementation.",
)
@click.pass_context
@_guard
def validate_cmd(
    ctx: click.Context, files: tuple[Path, ...], data: Path | None, quiet: bool, validator: str
) -> None:
    """Validate plan FILES (default: every plan) with the SHACL shapes.

    Prints one line per result, `file:line: node: severity: message`; exits 1 on any
    violation or on any error in the files themselves.
    """
    project = _project(ctx, data)
    result = build_graph(
        project, plan_files=list(files) or None, raise_on_violation=False, validator=validator
    )
    report = result.report
    shown = report.violations if quiet else report.results
    for r in shown:
        click.echo(str(r))
    click.echo(("conforms: " if report.conforms else "does not conform: ") + report.summary())
    if not report.conforms:
        sys.exit(1)


def _store_for_queries(project: Project, dump: Path | None) -> Any:
    """The built dump when it is there and newer than the data; else build in memory."""
    if dump is None:
        candidate = project.root / "dist" / f"{DUMP_NAME}.nq"
        if candidate.is_file() and candidate.stat().st_mtime >= _newest(project):
            dump = candidate
    if dump is not None:
        return open_store(dump=dump)
    click.echo("(no up-to-date dist/ dump: building the graph in memory)", err=True)
    return build_graph(project, check=False).store


def _newest(project: Project) -> float:
    newest = 0.0
    for folder in (project.data, project.ontology):
        for path in folder.rglob("*"):
            if path.is_file():
                newest = max(newest, path.stat().st_mtime)
    return newest


def _remote_options(fn: Callable[..., Any]) -> Callable[..., Any]:
    """Options shared by the commands that talk to a SPARQL server."""
    options = [
        click.option("--user", envvar="WPSGRAPH_USER", help="User name [env WPSGRAPH_USER]."),
        click.option(
            "--password",
            envvar="WPSGRAPH_PASSWORD",
            help="Password [env WPSGRAPH_PASSWORD]; never printed.",
        ),
        click.option(
            "--auth",
            type=click.Choice(["basic", "digest"]),
            default="basic",
            show_default=True,
            help="HTTP authentication scheme.",
        ),
        click.option(
            "--timeout",
            type=float,
            default=30.0,
            show_default=True,
            help="Seconds to wait for each request.",
        ),
        click.option(
            "--retries",
            type=int,
            default=3,
            show_default=True,
            help="Retries, with backoff, of a transient failure.",
        ),
    ]
    for option in reversed(options):
        fn = option(fn)
    return fn


@main.command("query")
@click.argument("name")
@click.option(
    "--param",
    "-p",
    "params",
    multiple=True,
    metavar="KEY=VALUE",
    help="A query parameter (repeatable); bound as an RDF term, never pasted.",
)
@click.option(
    "--format",
    "-f",
    "fmt",
    type=click.Choice(FORMATS),
    default="table",
    show_default=True,
)
@click.option(
    "--dump",
    type=click.Path(dir_okay=False, exists=True, path_type=Path),
    help="Query this TriG/N-Quads dump [default: dist/wpsgraph.nq if up to date].",
)
@click.option("--base-url", default=DEFAULT_BASE, show_default=True)
@click.option(
    "--endpoint",
    envvar="WPSGRAPH_ENDPOINT",
    help="Query this SPARQL endpoint instead of the embedded store [env WPSGRAPH_ENDPOINT].",
)
@_remote_options
@click.pass_context
@_guard
def query_cmd(
    ctx: click.Context,
    name: str,
    params: tuple[str, ...],
    fmt: str,
    dump: Path | None,
    base_url: str,
    endpoint: str | None,
    user: str | None,
    password: str | None,
    auth: str,
    timeout: float,
    retries: int,
) -> None:
    """Run query NAME from queries/ (or a .rq FILE) over the graph, or on a server."""
    project = _project(ctx)
    query = load_query(name, project.queries)
    bound: dict[str, str] = {}
    for item in params:
        key, sep, value = item.partition("=")
        if not sep:
            raise click.BadParameter(f"{item!r} is not KEY=VALUE", param_hint="--param")
        bound[key.strip()] = value
    base = base_url.rstrip("/")
    if endpoint is not None:
        ep = Endpoint(
            check_url(endpoint),
            check_url(endpoint),
            user=user,
            password=password,
            auth=auth,
            timeout=timeout,
            retries=retries,
        )
        result = run_query_remote(
            ep, query, bound, id_base=base + "/id/", graph_prefix=base + "/graph/"
        )
    else:
        store = _store_for_queries(project, dump)
        result = run_query(store, query, bound, id_base=base + "/id/")
    out = result.render(fmt)
    click.echo(out, nl=not out.endswith("\n"))


@main.command("queries")
@click.pass_context
@_guard
def queries_cmd(ctx: click.Context) -> None:
    """List the query library: name, title and parameters."""
    for q in list_queries(_project(ctx).queries):
        params = " ".join(f"--param {p.name}=…" for p in q.params)
        click.echo(f"{q.name}\n    {q.title}")
        for line in textwrap.wrap(q.description, 84):
            click.echo(f"    {line}")
        if params:
            click.echo(f"    {params}")


@main.command("publish")
@click.option(
    "--endpoint",
    envvar="WPSGRAPH_ENDPOINT",
    required=True,
    help="The server's SPARQL query endpoint [env WPSGRAPH_ENDPOINT].",
)
@click.option(
    "--graph-store",
    envvar="WPSGRAPH_GRAPH_STORE",
    help="Its Graph Store Protocol URL [default: Oxigraph's /store beside /query].",
)
@_remote_options
@click.option("--prune", is_flag=True, help="Delete our graphs the build no longer has.")
@click.option("--dry-run", is_flag=True, help="Say what would change; change nothing.")
@click.option(
    "--data",
    type=click.Path(file_okay=False, exists=True, path_type=Path),
    help="The curated data folder [default: ROOT/data].",
)
@click.option("--base-url", default=DEFAULT_BASE, show_default=True)
@click.pass_context
@_guard
def publish_cmd(
    ctx: click.Context,
    endpoint: str,
    graph_store: str | None,
    user: str | None,
    password: str | None,
    auth: str,
    timeout: float,
    retries: int,
    prune: bool,
    dry_run: bool,
    data: Path | None,
    base_url: str,
) -> None:
    """Build and validate the graph, then replace each of its named graphs on a SPARQL
    server (Graph Store Protocol PUT) and check the triple counts there."""
    ep = Endpoint.parse(
        endpoint,
        graph_store,
        user=user,
        password=password,
        auth=auth,
        timeout=timeout,
        retries=retries,
    )
    result = build_graph(_project(ctx, data), base=base_url)
    try:
        report = publish(
            result.store,
            ep,
            graph_prefix=base_url.rstrip("/") + "/graph/",
            prune=prune,
            dry_run=dry_run,
        )
    except PublishError as exc:
        click.echo(exc.report.table(), err=True)
        raise
    click.echo(report.table())


@main.command("evaluate")
@click.option(
    "--gold",
    type=click.Path(dir_okay=False, exists=True, path_type=Path),
    default=Path("tests/gold/links.yaml"),
    show_default=True,
    help="The hand-labelled gold set.",
)
@click.option(
    "--split",
    type=click.Choice(["all", "dev", "test"]),
    default="all",
    show_default=True,
    help="dev: the half for tuning rules; test: the held-out half.",
)
@click.option("--show-errors", is_flag=True, help="List every missed and every extra link.")
@click.pass_context
@_guard
def evaluate_cmd(ctx: click.Context, gold: Path, split: str, show_errors: bool) -> None:
    """Precision and recall of the linker against a hand-labelled gold set."""
    from wpsgraph.evaluate import evaluate

    result = build_graph(_project(ctx), check=False)
    ev = evaluate(result, gold, split)
    click.echo(ev.text())
    if show_errors:
        for name, score in (("explicit", ev.explicit), ("thematic", ev.thematic)):
            click.echo(f"\n{name}: missed")
            click.echo("\n".join(f"  {m}" for m in score.misses) or "  none")
            click.echo(f"{name}: extra")
            click.echo("\n".join(f"  {m}" for m in score.extras) or "  none")


@main.command("export")
@click.option(
    "--format",
    "-f",
    "fmt",
    type=click.Choice(sorted(DUMP_FORMATS)),
    default="trig",
    show_default=True,
)
@click.option(
    "--output",
    "-o",
    type=click.Path(dir_okay=False, path_type=Path),
    help="Write to this file [default: standard output].",
)
@click.option("--base-url", default=DEFAULT_BASE, show_default=True)
@click.option(
    "--data",
    type=click.Path(file_okay=False, exists=True, path_type=Path),
    help="The curated data folder [default: ROOT/data].",
)
@click.pass_context
@_guard
def export_cmd(
    ctx: click.Context, fmt: str, output: Path | None, base_url: str, data: Path | None
) -> None:
    """Build the graph in memory (validated) and serialise it (ttl and nt merge graphs)."""
    result = build_graph(_project(ctx, data), base=base_url)
    data = export(result.store, fmt)
    if output is None:
        sys.stdout.buffer.write(data)
    else:
        output.write_bytes(data)
        click.echo(f"wrote {output} ({len(data)} bytes)", err=True)


@main.command("serve")
@click.option(
    "--dir",
    "directory",
    type=click.Path(file_okay=False, path_type=Path),
    default=Path("dist/site"),
    show_default=True,
)
@click.option("--port", default=8000, show_default=True)
def serve_cmd(directory: Path, port: int) -> None:
    """Preview the built site on http://127.0.0.1:PORT/ (loopback only)."""
    if not (directory / "index.html").is_file():
        _fail(f"error: {directory}/index.html not found; run 'wpsgraph build' first")
    handler = functools.partial(_Handler, directory=str(directory))
    with http.server.ThreadingHTTPServer(("127.0.0.1", port), handler) as server:
        click.echo(f"serving {directory} on http://127.0.0.1:{server.server_port}/ (Ctrl-C stops)")
        with contextlib.suppress(KeyboardInterrupt):
            server.serve_forever()


class _Handler(http.server.SimpleHTTPRequestHandler):
    """Static files with the linked-data media types; ``id/x`` serves ``id/x.html``."""

    extensions_map: ClassVar[dict[str, str]] = {
        **http.server.SimpleHTTPRequestHandler.extensions_map,
        ".ttl": "text/turtle",
        ".trig": "application/trig",
        ".nt": "application/n-triples",
        ".nq": "application/n-quads",
        ".jsonld": "application/ld+json",
        ".rq": "application/sparql-query",
        ".wasm": "application/wasm",
        ".js": "text/javascript",
    }

    def translate_path(self, path: str) -> str:
        local = super().translate_path(path)
        p = Path(local)
        if not p.exists() and p.with_name(p.name + ".html").is_file():
            return local + ".html"
        return local

    def log_message(self, format: str, *args: Any) -> None:
        sys.stderr.write(f"{time.strftime('%H:%M:%S')} {format % args}\n")
