"""Commands that build the graph from the curated files: build, validate, export and
evaluate."""

from __future__ import annotations

import sys
from collections import Counter
from pathlib import Path

import click

from wpsgraph.build import BuildResult, build, build_graph
from wpsgraph.cli.common import BASE_URL, DATA, OUT, guard, main, project_of
from wpsgraph.store import DUMP_FORMATS, DUMP_NAME, export
from wpsgraph.vocab import DEFAULT_BASE


@main.command("build")
@DATA
@OUT
@BASE_URL
@click.option("--no-site", is_flag=True, help="Write the dumps only.")
@click.option(
    "--cache/--no-cache",
    default=True,
    show_default=True,
    help="Reuse plans whose inputs did not change (ROOT/.wpsgraph-cache): their "
    "triples, links, validation results and pages.",
)
@click.pass_context
@guard
def build_cmd(
    ctx: click.Context, data: Path | None, out: Path, base_url: str, no_site: bool, cache: bool
) -> None:
    """Import every plan, validate, and write dumps and the site to OUT."""
    project = project_of(ctx, data)
    cache_dir = project.root / ".wpsgraph-cache" if cache else None
    result = build(project, out, base=base_url, site=not no_site, log=click.echo, cache=cache_dir)
    summary(result)
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


def summary(result: BuildResult) -> None:
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
@DATA
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
@guard
def validate_cmd(
    ctx: click.Context, files: tuple[Path, ...], data: Path | None, quiet: bool, validator: str
) -> None:
    """Validate plan FILES (default: every plan) with the SHACL shapes.

    Prints one line per result, `file:line: node: severity: message`; exits 1 on any
    violation or on any error in the files themselves.
    """
    project = project_of(ctx, data)
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
@guard
def evaluate_cmd(ctx: click.Context, gold: Path, split: str, show_errors: bool) -> None:
    """Precision and recall of the linker against a hand-labelled gold set."""
    from wpsgraph.evaluate import evaluate

    result = build_graph(project_of(ctx), check=False)
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
@DATA
@click.pass_context
@guard
def export_cmd(
    ctx: click.Context, fmt: str, output: Path | None, base_url: str, data: Path | None
) -> None:
    """Build the graph in memory (validated) and serialise it (ttl and nt merge graphs)."""
    result = build_graph(project_of(ctx, data), base=base_url)
    data = export(result.store, fmt)
    if output is None:
        sys.stdout.buffer.write(data)
    else:
        output.write_bytes(data)
        click.echo(f"wrote {output} ({len(data)} bytes)", err=True)
