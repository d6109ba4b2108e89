"""Link: every action to the instruments its text names and to the themes it serves.

The linker is its own stage, between import and validation. For each action it reads the
action's wording, examples and indicators (from the curated plan file) and makes:

- **explicit** links to resolutions and conventions the wording names ("resolution 1820",
  "UNSCR 1325 and 1820", "S/RES/2242", "1325", "CEDAW", "Istanbul Convention"…), merged
  with the references curators recorded on the action;
- **thematic** links to themes, by the rules in ``data/reference/themes.yaml``, and
  through each theme to the resolutions ``resolution-themes.yaml`` says are about it.

Plan-level references (a plan naming 1325 in its introduction) stay on the plan, as its
``wps:InstrumentReference`` nodes: they are not copied onto every action.

Each link is a ``wps:Link`` node (action, target, basis, evidence, rule) in the graph
``graph/links/<plan>``, with a shortcut triple from the action (``wps:addressesResolution``,
``wps:referencesInstrument`` or ``wps:addressesTheme``).

>>> sorted(find_resolutions("in line with UNSCR 1325 and 1820 and S/RES/2242 (2015)"))
[1325, 1820, 2242]
>>> sorted(find_resolutions("Resolutions 1325, 1820, 1888 et 1889; since 1960"))
[1325, 1820, 1888, 1889]
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from dataclasses import dataclass, field
from typing import Any

from pyoxigraph import Literal, NamedNode, Quad

from wpsgraph.importer import ImportedPlan
from wpsgraph.plantree import actions as plan_actions
from wpsgraph.reference import Reference
from wpsgraph.themes import Themes
from wpsgraph.vocab import Iris, rdf, rdfs, slug, wps
from wpsgraph.wordindex import WordIndex

_NUM = r"(\d{4})(?:\s*\(\d{4}\))?"
_SEP = r"\s*(?:,|;|/|&|\band\b|\bet\b|\ben\b)\s*"
_RESOLUTION_LIST = re.compile(
    r"(?:\bUNSC?R?s?\b|\bS/RES/|\bSCR\b|\bRCSNU\b|\bCSNU\b|\b[Rr]esolutions?\b)"
    r"\s*(?:[Nn]o\.?\s*|[Nn]os\.?\s*|[Nn]umbers?\s*)?" + _NUM + f"(?:{_SEP}{_NUM})*"
)
_BARE_1325 = re.compile(r"(?<![\d/])1325(?!\d)")


def find_resolutions(text: str) -> dict[int, str]:
    """Resolution numbers the text names, each with the words that name it."""
    found: dict[int, str] = {}
    for m in _RESOLUTION_LIST.finditer(text):
        for number in re.findall(r"\d{4}(?!\s*\))", m.group(0)):
            found.setdefault(int(number), m.group(0).strip())
    if _BARE_1325.search(text):
        found.setdefault(1325, "1325")
    return found


@dataclass
class _Patterns:
    """How the reference data's instruments are named in running text."""

    by_number: dict[int, str] = field(default_factory=dict)
    # each instrument's names, indexed by the words they need
    instruments: WordIndex[tuple[str, re.Pattern[str]]] = field(
        default_factory=lambda: WordIndex([])
    )

    @classmethod
    def of(cls, ref: Reference) -> _Patterns:
        global _patterns
        if _patterns is not None and _patterns[0] is ref:
            return _patterns[1]
        out = cls()
        for rid, r in ref.resolutions.items():
            out.by_number[int(r["number"])] = rid
        named: list[tuple[tuple[str, re.Pattern[str]], list[str]]] = []
        for iid, i in ref.instruments.items():
            names = [i["title"], *i.get("aliases", [])]
            folded = [n for n in names if len(n) > 6]
            exact = ([i["acronym"]] if i.get("acronym") else []) + [
                n for n in i.get("aliases", []) if len(n) <= 6
            ]
            alternatives = [f"(?i:{re.escape(n)})" for n in folded]
            alternatives += [re.escape(n) for n in exact]
            if alternatives:
                rx = re.compile(r"(?<![\w])(?:" + "|".join(alternatives) + r")(?![\w])")
                # a literal name ending in "*" would read as a prefix: a weaker need
                named.append(((iid, rx), folded + exact))
        out.instruments = WordIndex(named)
        _patterns = (ref, out)
        return out


_patterns: tuple[Reference, _Patterns] | None = None  # the last reference data's


@dataclass
class Link:
    """One link of an action, before it becomes quads."""

    action: NamedNode
    target: str  # instrument id or theme id
    kind: str  # "resolution", "instrument" or "theme"
    basis: str  # "explicit" or "thematic"
    evidence: list[str] = field(default_factory=list)
    rules: list[str] = field(default_factory=list)
    via: list[str] = field(default_factory=list)  # themes, for thematic resolution links


def _texts(a: Any, indicators: dict[str, str]) -> list[str]:
    out = [a["text"], *a.get("examples", [])]
    for ind in a.get("indicators", []):
        if isinstance(ind, str):
            out.append(ind)
        elif "ref" in ind:
            out.append(indicators.get(slug(ind["ref"]), ""))
        else:
            out.append(ind["text"])
    return out


def link_plan(plan: ImportedPlan, ref: Reference, themes: Themes, ids: Iris) -> list[Link]:
    """Every link of every action of one plan."""
    assert plan.data is not None
    patterns = _Patterns.of(ref)
    actions = list(plan_actions(plan.data))
    indicators = {
        slug(ind["number"]): ind["text"]
        for a in actions
        for ind in a.get("indicators", [])
        if not isinstance(ind, str) and "number" in ind and "text" in ind
    }
    links: list[Link] = []
    for a in actions:
        node = ids.action(plan.plan_id, a["number"])
        text = " \n ".join(_texts(a, indicators))
        explicit: dict[str, Link] = {}
        for r in a.get("references", []):
            iid = r["instrument"]
            kind = "resolution" if iid in ref.resolutions else "instrument"
            _add(explicit, Link(node, iid, kind, "explicit"), r["evidence"], "curated reference")
        for number, words in find_resolutions(text).items():
            if number in patterns.by_number:
                rid = patterns.by_number[number]
                link = Link(node, rid, "resolution", "explicit")
                _add(explicit, link, words, "resolution number")
        for iid, rx in patterns.instruments.candidates(text):
            m = rx.search(text)
            if m:
                link = Link(node, iid, "instrument", "explicit")
                _add(explicit, link, m.group(0), "instrument name")
        links += explicit.values()
        thematic: dict[str, Link] = {}
        for rule in themes.index.candidates(text):
            words = rule.match(text)
            if not words:
                continue
            links.append(
                Link(
                    node,
                    rule.theme,
                    "theme",
                    "thematic",
                    words,
                    [f"theme {rule.theme}: {', '.join(words)}"],
                )
            )
            for iid in themes.instruments_of(rule.theme):
                if iid in explicit:
                    continue
                kind = "resolution" if iid in ref.resolutions else "instrument"
                link = thematic.setdefault(iid, Link(node, iid, kind, "thematic"))
                link.via.append(rule.theme)
                link.evidence += [w for w in words if w not in link.evidence]
        for link in thematic.values():
            link.rules.append("themes " + ", ".join(link.via))
        links += thematic.values()
    return links


def _add(links: dict[str, Link], new: Link, words: str, rule: str) -> None:
    """Merge one finding into the explicit link of its target."""
    link = links.setdefault(new.target, new)
    if words not in link.evidence:
        link.evidence.append(words)
    if rule not in link.rules:
        link.rules.append(rule)


def link_quads(plan: ImportedPlan, links: list[Link], ref: Reference, ids: Iris) -> Iterator[Quad]:
    """The links of one plan as quads in ``graph/links/<plan>``."""
    g = ids.links_graph(plan.plan_id)
    piri = ids.plan(plan.plan_id)

    def t(s: NamedNode, p: NamedNode, o: NamedNode | Literal) -> Quad:
        return Quad(s, p, o, g)

    for link in links:
        if link.kind == "theme":
            target = ids.theme(link.target)
            local = f"theme-{link.target}"
            shortcut = wps.addressesTheme
        else:
            target = ref.instrument_iri(link.target, ids)
            local = f"{link.basis}-{link.target}"
            shortcut = (
                wps.addressesResolution if link.kind == "resolution" else wps.referencesInstrument
            )
        s = NamedNode(f"{link.action.value}/link/{local}")
        yield t(s, rdf.type, wps.Link)
        yield t(s, rdfs.label, Literal(f"{link.basis} link to {link.target}", language="en"))
        yield t(s, wps.linkFrom, link.action)
        yield t(s, wps.linkTo, target)
        yield t(s, wps.basis, Literal(link.basis))
        yield t(s, wps.partOfPlan, piri)
        # one literal each, in the order found, so that every store reads them alike
        yield t(s, wps.evidence, Literal(" | ".join(link.evidence)))
        yield t(s, wps.rule, Literal("; ".join(link.rules)))
        for theme in link.via:
            yield t(s, wps.viaTheme, ids.theme(theme))
        yield t(link.action, shortcut, target)
