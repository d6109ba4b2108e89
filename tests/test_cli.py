"""The wpsgraph command: exit codes, messages and formats, run through click."""

from __future__ import annotations

import csv
import io
import json
from pathlib import Path

import pyoxigraph as ox
from click.testing import CliRunner
from conftest import FIXTURE_DATA, REPO

from wpsgraph.cli import main


def _run(*args: str) -> tuple[int, str, str]:
    res = CliRunner().invoke(main, ["--root", str(REPO), *args])
    return res.exit_code, res.stdout, res.stderr


def test_help_lists_every_command() -> None:
    code, out, _ = _run("--help")
    assert code == 0
    for command in ("build", "validate", "query", "queries", "export", "serve"):
        assert f"  {command}" in out


def test_validate_passes_the_fixture_and_reports_warnings() -> None:
    code, out, _ = _run("validate", "--data", str(FIXTURE_DATA))
    assert code == 0
    assert "fx-nap-2020.yaml:28: action 1.b: warning: no indicator" in out
    assert out.strip().endswith("conforms: 0 violation(s), 3 warning(s)")


def test_validate_fails_on_a_broken_file(fixture_copy: Path) -> None:
    plan = fixture_copy / "plans" / "fx-nap-2020.yaml"
    plan.write_text(plan.read_text().replace("level: objective", "level: chapter", 1))
    code, _, err = _run("validate", "--data", str(fixture_copy), str(plan))
    assert code == 1
    assert "fx-nap-2020.yaml:17: chapter 1: level: 'chapter' is not one of" in err


def test_validate_fails_on_a_shacl_violation(fixture_copy: Path) -> None:
    # A number with a leading space passes the file contract (a string) but not the
    # shapes (no surrounding spaces): the report names file, line and node.
    plan = fixture_copy / "plans" / "fx-nap-2020.yaml"
    plan.write_text(plan.read_text().replace('number: "1.b"', 'number: " 1.b"'))
    code, out, _ = _run("validate", "--data", str(fixture_copy))
    assert code == 1
    assert out.strip().endswith("does not conform: 1 violation(s), 3 warning(s)")
    assert "fx-nap-2020.yaml:28: action  1.b: violation: dcterms:identifier:" in out


def test_query_csv_and_json(fixture_copy: Path, tmp_path: Path) -> None:
    out_dir = tmp_path / "dist"
    # no cache: the project's own (ROOT/.wpsgraph-cache) is the developer's, not the tests'
    build = ("build", "--data", str(fixture_copy), "--out", str(out_dir), "--no-site", "--no-cache")
    assert _run(*build)[0] == 0
    dump = str(out_dir / "wpsgraph.nq")
    code, out, _ = _run(
        "query",
        "actions-of-actor",
        "--param",
        "actor=fx-justice",
        "--format",
        "csv",
        "--dump",
        dump,
    )
    assert code == 0
    rows = list(csv.DictReader(io.StringIO(out)))
    assert [r["number"] for r in rows] == ["2.a"]
    code, out, _ = _run("query", "actions-without-indicator", "-f", "json", "--dump", dump)
    assert json.loads(out)[0]["number"] == "1.b"


def test_query_refuses_a_hostile_parameter() -> None:
    code, out, err = _run("query", "actions-of-actor", "-p", 'actor=a" } #')
    assert code == 1 and "is not an identifier" in err and out == ""


def test_export_turtle_parses(fixture_copy: Path) -> None:
    code, out, _ = _run("export", "--data", str(fixture_copy), "--format", "ttl")
    assert code == 0
    triples = list(ox.parse(out.encode(), format=ox.RdfFormat.TURTLE))
    subjects = {t.subject.value for t in triples if isinstance(t.subject, ox.NamedNode)}
    assert "https://w3id.org/wpsgraph/id/plan/fx-nap-2020/action/2-b" in subjects
