"""The linker: explicit and thematic links, their evidence, and the gold-set evaluation."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pyoxigraph as ox
import pytest
from conftest import REPO, select

from wpsgraph.build import Project, build_graph
from wpsgraph.errors import DataError
from wpsgraph.evaluate import evaluate
from wpsgraph.importer import read_plan
from wpsgraph.linker import _Patterns, _texts, find_resolutions
from wpsgraph.plantree import actions as plan_actions
from wpsgraph.reference import load_reference
from wpsgraph.themes import Rule, load_themes
from wpsgraph.vocab import DEFAULT_BASE, Iris

ACTION = "https://w3id.org/wpsgraph/id/plan/fx-nap-2020/action/"


@pytest.mark.parametrize(
    ("text", "numbers"),
    [
        ("UNSCR 1325 and 1820", [1325, 1820]),
        ("S/RES/2242 (2015)", [2242]),
        ("resolutions 1888, 1889 and 1960 (2010)", [1888, 1889, 1960]),
        ("the Friends of 1325 network", [1325]),
        ("since 1960, and in 2008", []),  # years are not resolutions
        ("resolution 2331 on trafficking", [2331]),  # found; ignored unless in reference
    ],
)
def test_resolution_mentions(text: str, numbers: list[int]) -> None:
    assert sorted(find_resolutions(text)) == numbers


def test_links_of_the_fixture(fixture_store: ox.Store) -> None:
    rows = select(
        fixture_store,
        """
        SELECT ?a ?to ?basis ?evidence WHERE {
          ?l a wps:Link ; wps:linkFrom ?a ; wps:linkTo ?to ; wps:basis ?basis ;
             wps:evidence ?evidence }""",
    )
    got = {
        (r["a"].removeprefix(ACTION), r["to"].rsplit("/", 1)[1], r["basis"], r["evidence"])
        for r in rows
    }
    assert got == {
        ("1-a", "training-education", "thematic", "train | trained"),
        ("1-b", "civil-society", "thematic", "women's organisations"),
        ("1-b", "unscr-1325", "thematic", "women's organisations"),
        ("2-a", "unscr-1820", "explicit", "resolution 1820"),
        ("2-a", "crsv", "thematic", "sexual violence"),
        ("2-a", "protection", "thematic", "prosecute"),
        ("2-b", "training-education", "thematic", "training | curriculum"),
    }
    # Shortcuts: the plan-level 1325 is not copied onto actions; 1.b reaches 1325 by theme.
    linked = select(
        fixture_store,
        """
        SELECT ?a WHERE { ?a wps:addressesResolution
          <https://w3id.org/wpsgraph/id/resolution/unscr-1325> ; a wps:Action }""",
    )
    assert [r["a"].removeprefix(ACTION) for r in linked] == ["1-b"]


def test_an_exclude_phrase_vetoes_a_theme(fixture_copy: Path) -> None:
    plan = fixture_copy / "plans" / "fx-nap-2020.yaml"
    plan.write_text(
        plan.read_text().replace(
            "Prosecute sexual violence under resolution 1820",
            "Prosecute cases so that there is no sexual violence under resolution 1820",
        )
    )
    store = build_graph(Project(REPO, data_dir=fixture_copy)).store
    themes = select(store, f"""SELECT ?t WHERE {{ <{ACTION}2-a> wps:addressesTheme ?t }}""")
    assert [r["t"].rsplit("/", 1)[1] for r in themes] == ["protection"]


def test_bad_theme_files_are_rejected(fixture_copy: Path) -> None:
    themes = fixture_copy / "reference" / "themes.yaml"
    themes.write_text(themes.read_text().replace("broader: protection", "broader: protectoin"))
    rt = fixture_copy / "reference" / "resolution-themes.yaml"
    rt.write_text(rt.read_text().replace("theme: crsv", "theme: csrv"))
    with pytest.raises(DataError) as caught:
        build_graph(Project(REPO, data_dir=fixture_copy))
    text = str(caught.value)
    assert (
        "themes.yaml:11: theme crsv: unknown theme 'protectoin' (did you mean 'protection'?)"
        in text
    )
    assert "resolution-themes.yaml:3: themes of unscr-1820: unknown theme 'csrv'" in text


def test_gold_set_evaluation() -> None:
    """Targets on the hand-labelled gold set: every explicit mention found, thematic
    precision at least 0.85 and recall at least 0.75."""
    result = build_graph(Project(REPO), check=False)
    ev = evaluate(result, REPO / "tests" / "gold" / "links.yaml")
    assert ev.actions >= 150
    assert ev.explicit.fn == 0, ev.explicit.misses
    assert ev.thematic.recall >= 0.75, ev.thematic.misses
    assert ev.thematic.precision >= 0.85, ev.thematic.extras


def _found(patterns: list[Any], text: str) -> list[tuple[str, Any]]:
    """What each pattern (a theme rule, or an instrument's names) finds in ``text``."""
    out = []
    for pattern in patterns:
        if isinstance(pattern, Rule):
            out.append((pattern.theme, pattern.match(text)))
        else:
            m = pattern[1].search(text)
            out.append((pattern[0], m.group(0) if m else None))
    return [(key, found) for key, found in out if found]


def test_the_word_indexes_find_what_every_pattern_finds() -> None:
    """The indexes of the theme rules' and the instrument names' words only skip
    patterns that cannot match: on every action text of the real corpus, and on texts
    that play with case, hyphens, apostrophes, prefixes and characters whose case folds
    to ASCII letters, they find what trying every pattern finds."""
    ids = Iris(DEFAULT_BASE)
    ref = load_reference(REPO / "data", ids)
    themes = load_themes(REPO / "data", ref, ids)
    instruments = _Patterns.of(ref).instruments
    texts = []
    for path in sorted((REPO / "data" / "plans").glob("*.yaml")):
        plan = read_plan(path, REPO / "data", ref, ids)
        assert plan.data is not None
        texts += [" \n ".join(_texts(a, {})) for a in plan_actions(plan.data)]
    terms = [t for r in themes.rules for t in r.terms]
    terms += [n for i in ref.instruments.values() for n in [i["title"], *i.get("aliases", [])]]
    texts += [t.upper() for t in terms] + [t.replace(" ", "-") for t in terms]
    texts += [f"pre{t}" for t in terms] + [f"{t.rstrip('*')}s" for t in terms]
    texts += [f"({t.lower()})" for t in terms] + [t.replace("s", "\u017f") for t in terms]
    texts += ["Women's participation", "TRAFFICKING", "İntegrate gender", "\u212aill"]
    for index in (themes.index, instruments):
        matched = 0
        for text in texts:
            expected = _found(index.keys, text)
            assert _found(index.candidates(text), text) == expected, text
            matched += bool(expected)
        # and the index does skip patterns: an ordinary text is tried against few
        assert len(index.candidates("Train police officers in ethics.")) < len(index.keys) // 4
        assert matched > len(texts) // 20  # the texts do exercise the patterns
