"""Bad input: every broken plan file gives `file:line: node: message`, exit 1, no graph."""

from __future__ import annotations

import os
from pathlib import Path

import pytest
from conftest import REPO

from wpsgraph.build import Project, build_graph
from wpsgraph.errors import DataError

PLAN = "plans/fx-nap-2020.yaml"

# (case, text to find, replacement, expected line, expected words in the message)
CASES = [
    (
        "unknown key",
        "        actors_text: Foreign Affairs\n",
        "        actors_txt: Foreign Affairs\n",
        26,
        "unknown key 'actors_txt' (did you mean 'actors_text'?)",
    ),
    (
        "unknown actor",
        "actors: [fx-justice]",
        "actors: [fx-justise]",
        41,
        "unknown actor 'fx-justise' (did you mean 'fx-justice'?)",
    ),
    (
        "unknown resolution",
        "{instrument: unscr-1820,",
        "{instrument: unscr-1821,",
        43,
        "unknown instrument 'unscr-1821'",
    ),
    ("duplicate action number", 'number: "2.b"', 'number: "2.a."', 45, "duplicate action number"),
    (
        "duplicate key",
        "        source: {line: 6, row: 2}\n",
        "        source: {line: 6, row: 2}\n        text: again\n",
        32,
        "duplicate key 'text'",
    ),
    (
        "missing field",
        "        text: Fund women's organisations\n",
        "",
        28,
        "missing required key 'text'",
    ),
    (
        "wrong type",
        "period: {start: 2020,",
        "period: {start: twenty,",
        8,
        "period.start: expected an integer",
    ),
    ("unknown country", "country: FX", "country: FY", 6, "unknown country 'FY'"),
    (
        "bad level",
        '  - level: objective\n    number: "2"',
        '  - level: objectiv\n    number: "2"',
        32,
        "level: 'objectiv' is not one of",
    ),
    ("not yaml", "title: Protection\n", "title: [Protection\n", 0, "not valid YAML"),
    (
        "path in source document",
        "document: fixture.txt",
        "document: ../../../etc/passwd",
        11,
        "no source document",
    ),
    ("shared indicator without definition", '[{ref: "2.a.1"}]', '[{ref: "9.9.9"}]', 0, "9.9.9"),
]


@pytest.mark.parametrize(
    ("case", "find", "replace", "line", "words"), CASES, ids=[c[0] for c in CASES]
)
def test_broken_plan_is_rejected_with_file_and_line(
    fixture_copy: Path, case: str, find: str, replace: str, line: int, words: str
) -> None:
    path = fixture_copy / PLAN
    text = path.read_text(encoding="utf-8")
    assert find in text, f"fixture changed: {find!r} not found"
    path.write_text(text.replace(find, replace, 1), encoding="utf-8")
    with pytest.raises(DataError) as caught:
        build_graph(Project(REPO, data_dir=fixture_copy), check=False)
    messages = [str(i) for i in caught.value.issues]
    assert any(words in m for m in messages), messages
    assert all(m.split(":")[0].endswith("fx-nap-2020.yaml") for m in messages), messages
    if line:
        assert any(i.line == line and words in i.message for i in caught.value.issues), messages


def test_every_problem_of_a_file_is_reported_at_once(fixture_copy: Path) -> None:
    path = fixture_copy / PLAN
    text = path.read_text(encoding="utf-8")
    text = text.replace("actors: [fx-justice]", "actors: [nobody]").replace(
        "country: FX", "country: XX"
    )
    path.write_text(text, encoding="utf-8")
    with pytest.raises(DataError) as caught:
        build_graph(Project(REPO, data_dir=fixture_copy), check=False)
    assert {i.line for i in caught.value.issues} >= {6, 41}


@pytest.mark.parametrize("cache", [False, True])
def test_a_plan_file_that_is_not_a_file_is_named_with_why(
    fixture_copy: Path, tmp_path: Path, cache: bool
) -> None:
    """Names in data/plans/ that look like plan files but cannot be read (a folder, a link
    to nothing or to itself, a pipe) are data errors naming each as listed, with or without
    the cache (whose key reads every plan file first), and no graph is made."""
    plans = fixture_copy / "plans"
    (plans / "folder.yaml").mkdir()
    (plans / "dangling.yaml").symlink_to("nowhere.yaml")
    (plans / "loop.yaml").symlink_to("loop.yaml")
    os.mkfifo(plans / "pipe.yaml")
    project = Project(REPO, data_dir=fixture_copy)
    with pytest.raises(DataError) as caught:
        build_graph(project, cache=tmp_path / "cache" if cache else None)
    found = {(Path(i.file).name, i.message) for i in caught.value.issues}
    assert found == {
        ("dangling.yaml", "a link to no file"),
        ("folder.yaml", "a folder, not a plan file"),
        ("loop.yaml", "a link to no file"),
        ("pipe.yaml", "not a regular file"),
    }
    assert all(i.file.endswith(f"plans/{Path(i.file).name}") for i in caught.value.issues)


@pytest.mark.parametrize("name", ["themes.yaml", "resolution-themes.yaml"])
def test_a_theme_file_that_is_a_folder_is_not_taken_for_no_themes(
    fixture_copy: Path, name: str
) -> None:
    """Without ``themes.yaml`` a project has no themes; a folder of that name is not
    that, but a file that cannot be read."""
    path = fixture_copy / "reference" / name
    path.unlink()
    path.mkdir()
    with pytest.raises(DataError) as caught:
        build_graph(Project(REPO, data_dir=fixture_copy), check=False)
    assert [(Path(i.file).name, i.message) for i in caught.value.issues] == [
        (name, "cannot be read: Is a directory")
    ]


def test_bad_reference_data_is_rejected(fixture_copy: Path) -> None:
    actors = fixture_copy / "reference" / "actors" / "fx.yaml"
    actors.write_text(
        actors.read_text(encoding="utf-8") + "- id: fx-justice\n  label: Again\n  type: ministry\n",
        encoding="utf-8",
    )
    with pytest.raises(DataError) as caught:
        build_graph(Project(REPO, data_dir=fixture_copy), check=False)
    assert any("fx-justice" in str(i) and "fx.yaml" in i.file for i in caught.value.issues)


def test_norway_is_a_country_code_not_false(fixture_project: Project) -> None:
    result = build_graph(fixture_project, check=False)
    assert "NO" in result.reference.countries
