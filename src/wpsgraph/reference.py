"""Reference data: resolutions, instruments, countries and actors (``data/reference/``).

Loaded and checked before any plan, since plans refer to it by identifier.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from pyoxigraph import Literal, NamedNode, Quad

from wpsgraph import yamlsrc
from wpsgraph.contract import ACTOR, COUNTRY, INSTRUMENT, RESOLUTION
from wpsgraph.errors import DataError, Issue
from wpsgraph.schema import Ctx, ListOf, Record, suggest
from wpsgraph.vocab import Iris, dcterms, org, owl, rdf, rdfs, skos, wps, xsd


@dataclass(frozen=True)
class Located:
    """Where a curated node was written: file, line and its human name."""

    file: str
    line: int
    name: str


@dataclass
class Reference:
    """What plans may refer to, by identifier, and where each was defined."""

    resolutions: dict[str, Any] = field(default_factory=dict)
    instruments: dict[str, Any] = field(default_factory=dict)
    countries: dict[str, Any] = field(default_factory=dict)
    actors: dict[str, Any] = field(default_factory=dict)
    files: list[Path] = field(default_factory=list)
    quads: list[Quad] = field(default_factory=list)
    located: dict[str, Located] = field(default_factory=dict)

    def instrument_iri(self, iid: str, ids: Iris) -> NamedNode:
        if iid in self.resolutions:
            return ids.resolution(iid)
        return ids.instrument(self.instruments[iid]["type"], iid)

    def known_instruments(self) -> list[str]:
        return [*self.resolutions, *self.instruments]


def _files(data: Path, pattern: str) -> list[Path]:
    return sorted((data / "reference").glob(pattern))


def _read_list(
    path: Path, data: Path, spec: Record, issues: list[Issue]
) -> Iterator[tuple[str, Any]]:
    """Yield (display name, item) for every item of a list file that passes its spec."""
    display = yamlsrc.display_path(path, data)
    try:
        doc = yamlsrc.load(path, display)
    except DataError as exc:
        issues.extend(exc.issues)
        return
    found = list(ListOf(spec).check(doc, Ctx(display, 1, "")))
    issues.extend(found)
    if found:
        return
    for item in doc:
        yield display, item


def _date(value: Any) -> Literal:
    if isinstance(value, dt.date):
        return Literal(value.isoformat(), datatype=xsd.date)
    text = str(value)
    kind = {4: xsd.gYear, 7: xsd.gYearMonth}.get(len(text), xsd.date)
    return Literal(text, datatype=kind)


def load_reference(data: Path, ids: Iris) -> Reference:
    """Read and check ``data/reference``; raise :class:`DataError` listing every problem."""
    ref = Reference()
    issues: list[Issue] = []
    tables: list[tuple[str, Record, dict[str, Any], str]] = [
        ("resolutions.yaml", RESOLUTION, ref.resolutions, "id"),
        ("instruments/*.yaml", INSTRUMENT, ref.instruments, "id"),
        ("countries.yaml", COUNTRY, ref.countries, "code"),
        ("actors/*.yaml", ACTOR, ref.actors, "id"),
    ]
    for pattern, spec, table, key in tables:
        paths = _files(data, pattern)
        if not paths:
            issues.append(Issue(f"{data.name}/reference/{pattern}", 0, "", "no such file"))
        for path in paths:
            ref.files.append(path)
            for display, item in _read_list(path, data, spec, issues):
                ident = item[key]
                name = f"{spec.name} {ident}"
                if ident in table or (spec is INSTRUMENT and ident in ref.resolutions):
                    first = ref.located[ident]
                    issues.append(
                        Issue(
                            display,
                            item.line,
                            name,
                            f"duplicate identifier (first defined at {first.file}:{first.line})",
                        )
                    )
                    continue
                table[ident] = item
                ref.located[ident] = Located(display, item.line, name)
    issues.extend(_cross_check(ref))
    if issues:
        raise DataError(issues)
    ref.quads = list(_emit(ref, ids))
    return ref


def _cross_check(ref: Reference) -> Iterator[Issue]:
    def bad(ident: str, key: str, message: str) -> Issue:
        where = ref.located[ident]
        item = (ref.instruments | ref.actors)[ident]
        return Issue(where.file, item.line_of(key), where.name, message)

    for iid, item in ref.instruments.items():
        parent = item.get("part_of")
        if parent and parent not in ref.instruments and parent not in ref.resolutions:
            hint = suggest(parent, ref.known_instruments())
            yield bad(iid, "part_of", f"part_of: unknown instrument '{parent}'{hint}")
    for aid, item in ref.actors.items():
        parent = item.get("sub_organization_of")
        if parent and parent not in ref.actors:
            hint = suggest(parent, ref.actors)
            yield bad(aid, "sub_organization_of", f"unknown actor '{parent}'{hint}")
        code = item.get("country")
        if code and code not in ref.countries:
            yield bad(aid, "country", f"unknown country '{code}'{suggest(code, ref.countries)}")


def _emit(ref: Reference, ids: Iris) -> Iterator[Quad]:
    g = ids.graph("reference")

    def t(s: NamedNode, p: NamedNode, o: NamedNode | Literal) -> Quad:
        return Quad(s, p, o, g)

    def located(s: NamedNode, ident: str) -> Iterator[Quad]:
        where = ref.located[ident]
        yield t(s, wps.curationFile, Literal(where.file))
        yield t(s, wps.curationLine, Literal(where.line))

    for rid, r in ref.resolutions.items():
        s = ids.resolution(rid)
        yield t(s, rdf.type, wps.Resolution)
        yield t(s, rdfs.label, Literal(f"UNSCR {r['number']}", language="en"))
        yield t(s, dcterms.title, Literal(r["title"], language="en"))
        yield t(s, dcterms.identifier, Literal(r["symbol"]))
        yield t(s, wps.resolutionNumber, Literal(r["number"]))
        yield t(s, dcterms.issued, _date(r["adopted"]))
        yield t(s, dcterms.description, Literal(r["summary"], language="en"))
        for alias in r.get("aliases", []):
            yield t(s, skos.altLabel, Literal(alias, language="en"))
        if "wikidata" in r:
            yield t(s, owl.sameAs, NamedNode(f"http://www.wikidata.org/entity/{r['wikidata']}"))
        yield from located(s, rid)
    for iid, i in ref.instruments.items():
        s = ids.instrument(i["type"], iid)
        cls = {"Protocol": "Convention"}.get(i["type"], i["type"])
        yield t(s, rdf.type, wps[cls])
        if i["type"] == "Protocol":
            yield t(s, rdf.type, wps.Protocol)
        label = i.get("acronym") or i["title"]
        yield t(s, rdfs.label, Literal(label, language="en"))
        yield t(s, dcterms.title, Literal(i["title"], language="en"))
        if "acronym" in i:
            yield t(s, skos.notation, Literal(i["acronym"]))
        for alias in i.get("aliases", []):
            yield t(s, skos.altLabel, Literal(alias, language="en"))
        if "adopted" in i:
            yield t(s, dcterms.issued, _date(i["adopted"]))
        if "summary" in i:
            yield t(s, dcterms.description, Literal(i["summary"], language="en"))
        if "part_of" in i:
            yield t(s, dcterms.isPartOf, ref.instrument_iri(i["part_of"], ids))
        if "wikidata" in i:
            yield t(s, owl.sameAs, NamedNode(f"http://www.wikidata.org/entity/{i['wikidata']}"))
        for note in i.get("notes", []):
            yield t(s, skos.editorialNote, Literal(note, language="en"))
        yield from located(s, iid)
    for code, c in ref.countries.items():
        s = ids.country(code)
        yield t(s, rdf.type, wps.Country)
        yield t(s, rdfs.label, Literal(c["label"], language="en"))
        yield t(s, dcterms.identifier, Literal(code))
        if "iso3" in c:
            yield t(s, skos.notation, Literal(c["iso3"]))
        if "wikidata" in c:
            yield t(s, owl.sameAs, NamedNode(f"http://www.wikidata.org/entity/{c['wikidata']}"))
        yield from located(s, code)
    for aid, a in ref.actors.items():
        s = ids.actor(aid)
        yield t(s, rdf.type, wps.Actor)
        yield t(s, rdfs.label, Literal(a["label"], language="en"))
        yield t(s, wps.actorType, Literal(a["type"]))
        for alt in a.get("alt_labels", []):
            yield t(s, skos.altLabel, Literal(alt))
        if "country" in a:
            yield t(s, wps.country, ids.country(a["country"]))
        if "sub_organization_of" in a:
            yield t(s, org.subOrganizationOf, ids.actor(a["sub_organization_of"]))
        if "definition" in a:
            yield t(s, skos.definition, Literal(a["definition"], language="en"))
        for note in a.get("notes", []):
            yield t(s, skos.editorialNote, Literal(note, language="en"))
        if "wikidata" in a:
            yield t(s, owl.sameAs, NamedNode(f"http://www.wikidata.org/entity/{a['wikidata']}"))
        yield from located(s, aid)
