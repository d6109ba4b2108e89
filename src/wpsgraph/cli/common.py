"""What every command shares: the ``wpsgraph`` group, and the turning of the library's
errors into messages and exit statuses."""

from __future__ import annotations

import functools
import sys
from collections.abc import Callable
from pathlib import Path
from typing import Any

import click

from wpsgraph import __version__
from wpsgraph.build import Project, ValidationFailed
from wpsgraph.errors import DataError, WpsgraphError
from wpsgraph.vocab import DEFAULT_BASE

# the options several commands share
DATA = click.option(
    "--data",
    type=click.Path(file_okay=False, exists=True, path_type=Path),
    help="The curated data folder [default: ROOT/data].",
)
OUT = click.option(
    "--out",
    type=click.Path(path_type=Path),
    default=Path("dist"),
    show_default=True,
    help="Where to write the dumps and the site (replaced only on success).",
)
BASE_URL = click.option(
    "--base-url",
    default=DEFAULT_BASE,
    show_default=True,
    help="The base of every IRI (for a deployment under another domain).",
)


def fail(message: str) -> None:
    click.echo(message, err=True)
    sys.exit(1)


def message(exc: WpsgraphError) -> str:
    """What the command prints for one of the library's errors: a data error's problems
    and a validation's report as they are (one ``file:line: node: message`` each)."""
    if isinstance(exc, DataError):
        return str(exc)
    if isinstance(exc, ValidationFailed):
        return exc.report.text()
    return f"error: {exc}"


def guard(fn: Callable[..., Any]) -> Callable[..., Any]:
    """Turn the library's errors into messages on stderr and exit status 1."""

    @functools.wraps(fn)
    def wrapper(*args: Any, **kwargs: Any) -> Any:
        try:
            return fn(*args, **kwargs)
        except WpsgraphError as exc:
            fail(message(exc))

    return wrapper


def project_of(ctx: click.Context, data: Path | None = None) -> Project:
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
