"""Commands that ask the graph questions or put it on a SPARQL server: query, queries
and publish."""

from __future__ import annotations

import textwrap
from collections.abc import Callable
from pathlib import Path
from typing import Any

import click

from wpsgraph.build import Project, build_graph
from wpsgraph.cli.common import DATA, guard, main, project_of
from wpsgraph.query import list_queries, load_query, run_query
from wpsgraph.remote import Endpoint, PublishError, check_url, publish, run_query_remote
from wpsgraph.results import FORMATS
from wpsgraph.store import DUMP_NAME, open_store
from wpsgraph.vocab import DEFAULT_BASE


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
@guard
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
    project = project_of(ctx)
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
@guard
def queries_cmd(ctx: click.Context) -> None:
    """List the query library: name, title and parameters."""
    for q in list_queries(project_of(ctx).queries):
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
@DATA
@click.option("--base-url", default=DEFAULT_BASE, show_default=True)
@click.pass_context
@guard
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
    result = build_graph(project_of(ctx, data), base=base_url)
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
