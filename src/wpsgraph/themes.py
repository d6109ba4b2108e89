"""Themes: the SKOS concept scheme of WPS themes, its matching rules, and which themes
each resolution or convention is about (``data/reference/themes.yaml`` and
``resolution-themes.yaml``).

A rule is a list of lower-case terms matched at word boundaries (``traffick*`` is a
prefix) and a list of phrases that veto the theme where they occur:

>>> rule = Rule.compile("sea", ["sexual exploitation", "zero toleran*"], ["tolerance zone"])
>>> rule.match("Apply the zero-tolerance policy to sexual exploitation.")
['zero-tolerance', 'sexual exploitation']
>>> rule.match("Outside the tolerance zone, zero tolerance.")
[]
>>> rule.match("Apply zero tolerance.")
['zero tolerance']
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from functools import cached_property
from pathlib import Path
from typing import Any

from pyoxigraph import Literal, NamedNode, Quad

from wpsgraph import yamlsrc
from wpsgraph.contract import INSTRUMENT_THEMES, THEME
from wpsgraph.errors import DataError, Issue
from wpsgraph.reference import Located, Reference
from wpsgraph.schema import Ctx, ListOf, suggest
from wpsgraph.vocab import Iris, dcterms, rdf, rdfs, skos, wps
from wpsgraph.wordindex import WordIndex

THEMES_FILE = "themes.yaml"
INSTRUMENT_THEMES_FILE = "resolution-themes.yaml"


def _pattern(term: str) -> str:
    """A term as a regular expression: word boundaries, ``*`` a word ending, and any run
    of spaces or hyphens between words (``zero tolerance`` matches ``zero-tolerance``)."""
    prefix = term.endswith("*")
    words = re.split(r"[\s-]+", term.rstrip("*").strip())
    body = r"[\s-]+".join(re.escape(w) for w in words)
    return body + (r"\w*" if prefix else r"(?!\w)")


def _alternation(terms: list[str]) -> re.Pattern[str]:
    """One regular expression for many terms, each starting at a word boundary."""
    return re.compile(r"\b(?:" + "|".join(_pattern(t) for t in terms) + ")", re.I)


@dataclass(frozen=True)
class Rule:
    """The matching rule of one theme."""

    theme: str
    terms: tuple[str, ...]
    regex: re.Pattern[str] | None
    exclude: re.Pattern[str] | None

    @classmethod
    def compile(cls, theme: str, terms: list[str], exclude: list[str]) -> Rule:
        rx = _alternation(terms) if terms else None
        ex = _alternation(exclude) if exclude else None
        return cls(theme, tuple(terms), rx, ex)

    def match(self, text: str) -> list[str]:
        """The matched words, in order, without repeats; [] when vetoed or unmatched."""
        if self.regex is None:
            return []
        found: list[str] = []
        for m in self.regex.finditer(text):
            words = " ".join(m.group(0).lower().split())
            if words not in found:
                found.append(words)
        if found and self.exclude is not None and self.exclude.search(text):
            return []
        return found


@dataclass
class Themes:
    """The concept scheme, its rules, and the themes of each instrument."""

    concepts: dict[str, Any] = field(default_factory=dict)
    rules: list[Rule] = field(default_factory=list)
    # instrument id -> [(theme id, justification)]
    of_instrument: dict[str, list[tuple[str, str]]] = field(default_factory=dict)
    # instrument id -> its core themes, through which the linker links actions to it
    core: dict[str, set[str]] = field(default_factory=dict)
    quads: list[Quad] = field(default_factory=list)
    located: dict[str, Located] = field(default_factory=dict)
    files: list[Path] = field(default_factory=list)

    @cached_property
    def index(self) -> WordIndex[Rule]:
        """The rules, indexed by the words their terms need (see :mod:`wpsgraph.wordindex`)."""
        return WordIndex([(rule, rule.terms) for rule in self.rules])

    def instruments_of(self, theme: str) -> list[str]:
        """Every instrument for which ``theme`` is core (all its themes, when none is
        marked core): the targets of thematic links through that theme."""
        return [
            iid
            for iid, pairs in self.of_instrument.items()
            if theme in (self.core.get(iid) or {t for t, _ in pairs})
        ]


def load_themes(data: Path, ref: Reference, ids: Iris) -> Themes:
    """Read and check the theme files; an absent ``themes.yaml`` means no themes (one
    there that cannot be read, a folder say, is a data error)."""
    out = Themes()
    path = data / "reference" / THEMES_FILE
    if not path.exists():
        return out
    issues: list[Issue] = []
    display = yamlsrc.display_path(path, data)
    doc = yamlsrc.load(path, display)
    issues += ListOf(THEME).check(doc, Ctx(display, 1, ""))
    if issues:
        raise DataError(issues)
    out.files.append(path)
    for item in doc:
        if item["id"] in out.concepts:
            issues.append(Issue(display, item.line, f"theme {item['id']}", "duplicate identifier"))
        out.concepts[item["id"]] = item
        where = Located(display, item.line, f"theme {item['id']}")
        out.located[ids.theme(item["id"]).value] = where
    for tid, item in out.concepts.items():
        broader = item.get("broader")
        if broader and broader not in out.concepts:
            issues.append(
                Issue(
                    display,
                    item.line_of("broader"),
                    f"theme {tid}",
                    f"unknown theme '{broader}'{suggest(broader, out.concepts)}",
                )
            )
        match = item.get("match", {})
        out.rules.append(
            Rule.compile(tid, list(match.get("terms", [])), list(match.get("exclude", [])))
        )
    issues += _instrument_themes(data, ref, out)
    if issues:
        raise DataError(issues)
    out.quads = list(_emit(out, ref, ids))
    return out


def _instrument_themes(data: Path, ref: Reference, out: Themes) -> list[Issue]:
    path = data / "reference" / INSTRUMENT_THEMES_FILE
    if not path.exists():
        return []
    display = yamlsrc.display_path(path, data)
    doc = yamlsrc.load(path, display)
    issues = list(ListOf(INSTRUMENT_THEMES).check(doc, Ctx(display, 1, "")))
    if issues:
        return issues
    out.files.append(path)
    known = ref.known_instruments()
    for item in doc:
        iid = item["instrument"]
        name = f"themes of {iid}"
        if iid not in known:
            issues.append(
                Issue(
                    display,
                    item.line_of("instrument"),
                    name,
                    f"unknown instrument '{iid}'{suggest(iid, known)}",
                )
            )
            continue
        if iid in out.of_instrument:
            issues.append(Issue(display, item.line, name, "instrument listed twice"))
        pairs = out.of_instrument.setdefault(iid, [])
        for i, entry in enumerate(item["themes"]):
            if entry["theme"] not in out.concepts:
                issues.append(
                    Issue(
                        display,
                        item["themes"].line_of(i),
                        name,
                        f"unknown theme '{entry['theme']}'{suggest(entry['theme'], out.concepts)}",
                    )
                )
            pairs.append((entry["theme"], entry["why"]))
            if entry.get("core"):
                out.core.setdefault(iid, set()).add(entry["theme"])
    return issues


def _emit(themes: Themes, ref: Reference, ids: Iris):  # type: ignore[no-untyped-def]
    g = ids.graph("reference")
    scheme = ids.theme_scheme()

    def t(s: NamedNode, p: NamedNode, o: NamedNode | Literal) -> Quad:
        return Quad(s, p, o, g)

    yield t(scheme, rdf.type, skos.ConceptScheme)
    yield t(scheme, rdfs.label, Literal("Themes of Women, Peace and Security", language="en"))
    yield t(scheme, skos.prefLabel, Literal("Themes of Women, Peace and Security", language="en"))
    for tid, c in themes.concepts.items():
        s = ids.theme(tid)
        where = themes.located[s.value]
        yield t(s, rdf.type, wps.Theme)
        yield t(s, rdf.type, skos.Concept)
        if c.get("pillar"):
            yield t(s, rdf.type, wps.Pillar)
        yield t(s, skos.inScheme, scheme)
        yield t(s, rdfs.label, Literal(c["label"], language="en"))
        yield t(s, skos.prefLabel, Literal(c["label"], language="en"))
        yield t(s, skos.notation, Literal(tid))
        yield t(s, skos.definition, Literal(c["definition"], language="en"))
        if "scope_note" in c:
            yield t(s, skos.scopeNote, Literal(c["scope_note"], language="en"))
        if "broader" in c:
            yield t(s, skos.broader, ids.theme(c["broader"]))
            yield t(ids.theme(c["broader"]), skos.narrower, s)
        else:
            yield t(s, skos.topConceptOf, scheme)
            yield t(scheme, skos.hasTopConcept, s)
        for term in c.get("match", {}).get("terms", []):
            yield t(s, wps.matchTerm, Literal(term))
        for term in c.get("match", {}).get("exclude", []):
            yield t(s, wps.excludeTerm, Literal(term))
        for note in c.get("notes", []):
            yield t(s, skos.editorialNote, Literal(note, language="en"))
        yield t(s, wps.curationFile, Literal(where.file))
        yield t(s, wps.curationLine, Literal(where.line))
    for iid, pairs in themes.of_instrument.items():
        target = ref.instrument_iri(iid, ids)
        for tid, why in pairs:
            q = NamedNode(f"{target.value}/theme/{tid}")
            if tid in themes.core.get(iid, ()):
                yield t(q, wps.core, Literal(True))
            yield t(target, wps.addressesTheme, ids.theme(tid))
            yield t(q, rdf.type, wps.InstrumentTheme)
            yield t(q, rdfs.label, Literal(f"{iid} is about {tid}", language="en"))
            yield t(q, wps.instrument, target)
            yield t(q, wps.theme, ids.theme(tid))
            yield t(q, dcterms.description, Literal(why, language="en"))
