"""Import: one plan file → one named graph of quads (DESIGN.md, "Data flow").

Checks run in two passes before any triple is made: the column contract
(:mod:`wpsgraph.contract`), then the references between nodes and to the reference data.
Every node records where it came from: the source document and line, and the plan file
and line, so that errors and pages can point back to both.
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from pyoxigraph import Literal, NamedNode, Quad

from wpsgraph import yamlsrc
from wpsgraph.contract import PLAN, STATEMENT_KEYS
from wpsgraph.errors import DataError, Issue
from wpsgraph.reference import Located, Reference, _date
from wpsgraph.schema import Ctx, suggest
from wpsgraph.vocab import Iris, dcterms, foaf, prov, rdf, rdfs, skos, slug, wps, xsd
from wpsgraph.yamlsrc import LocDict, display_path

PLAN_LABEL_LEN = 90


@dataclass
class ImportedPlan:
    """A plan that passed its checks, as quads in its own named graph."""

    plan_id: str
    file: Path
    display: str
    graph: NamedNode
    quads: list[Quad] = field(default_factory=list)
    located: dict[str, Located] = field(default_factory=dict)
    data: LocDict | None = None


def read_plan(path: Path, data: Path, ref: Reference, ids: Iris) -> ImportedPlan:
    """Read, check and convert one plan file; raise :class:`DataError` on any problem."""
    display = display_path(path, data)
    doc = yamlsrc.load(path, display)
    issues = list(PLAN.check(doc, Ctx(display, 1, "plan")))
    if not issues:
        issues = list(_Checker(doc, display, path, data, ref).run())
    if issues:
        raise DataError(issues)
    plan = ImportedPlan(doc["id"], path, display, ids.plan_graph(doc["id"]), data=doc)
    _Emitter(plan, doc, ref, ids).run()
    return plan


def _objectives(node: LocDict) -> Iterator[LocDict]:
    for obj in node.get("objectives", []):
        yield obj
        yield from _objectives(obj)


def _actions(doc: LocDict) -> Iterator[LocDict]:
    yield from doc.get("actions", [])
    for obj in _objectives(doc):
        yield from obj.get("actions", [])


def _obj_local(obj: LocDict) -> str:
    return str(obj.get("number") or obj.get("key"))


class _Checker:
    """References and uniqueness, once the structure is known to be right."""

    def __init__(self, doc: LocDict, display: str, path: Path, data: Path, ref: Reference):
        self.doc, self.display, self.path, self.data, self.ref = doc, display, path, data, ref

    def at(self, node: LocDict, key: str, name: str, message: str) -> Issue:
        return Issue(self.display, node.line_of(key), name, message)

    def run(self) -> Iterator[Issue]:
        doc, name = self.doc, f"plan {self.doc['id']}"
        if doc["id"] != self.path.stem:
            yield self.at(doc, "id", name, f"id '{doc['id']}' must equal the file name")
        if doc["period"]["start"] > doc["period"]["end"]:
            yield self.at(doc, "period", name, "period: start is after end")
        if doc["type"] == "NationalActionPlan" and "country" not in doc:
            yield self.at(doc, "type", name, "a NationalActionPlan needs a 'country'")
        if "country" in doc and doc["country"] not in self.ref.countries:
            code = doc["country"]
            hint = suggest(code, self.ref.countries)
            yield self.at(doc, "country", name, f"unknown country '{code}'{hint}")
        document = self.data / "sources" / doc["source"]["document"]
        if not document.is_file() or ".." in Path(doc["source"]["document"]).parts:
            yield self.at(
                doc["source"],
                "document",
                name,
                f"no source document '{doc['source']['document']}' in data/sources/",
            )
        if not doc.get("objectives") and not doc.get("actions"):
            yield self.at(doc, "id", name, "a plan needs 'objectives' or 'actions'")
        yield from self.actor_list(doc, ("issued_by", "coordinated_by"), name)
        for key in STATEMENT_KEYS:
            if key in doc:
                yield from self.actor_list(doc[key], ("actors",), f"{name} {key}")
                if "stated" in doc[key] and key != "budget":
                    yield self.at(doc[key], "stated", name, "'stated' is only for 'budget'")
        yield from self.references(doc, name)
        yield from self.objectives()
        yield from self.actions()

    def actor_list(self, node: LocDict, keys: tuple[str, ...], name: str) -> Iterator[Issue]:
        for key in keys:
            values = node.get(key, [])
            for i, aid in enumerate(values):
                if aid not in self.ref.actors:
                    hint = suggest(aid, self.ref.actors)
                    yield Issue(
                        self.display, values.line_of(i), name, f"{key}: unknown actor '{aid}'{hint}"
                    )

    def references(self, node: LocDict, name: str) -> Iterator[Issue]:
        known = self.ref.known_instruments()
        seen: set[str] = set()
        for r in node.get("references", []):
            iid = r["instrument"]
            if iid not in self.ref.resolutions and iid not in self.ref.instruments:
                yield self.at(
                    r, "instrument", name, f"unknown instrument '{iid}'{suggest(iid, known)}"
                )
            elif iid in seen:
                yield self.at(r, "instrument", name, f"instrument '{iid}' is referenced twice")
            seen.add(iid)

    def objectives(self) -> Iterator[Issue]:
        seen: dict[tuple[str, str], int] = {}
        for obj in _objectives(self.doc):
            name = f"{obj['level']} {obj.get('number', obj.get('key', '?'))}"
            if ("number" in obj) == ("key" in obj):
                yield self.at(obj, "level", name, "give exactly one of 'number' or 'key'")
                continue
            local = (obj["level"], slug(_obj_local(obj)))
            if not local[1]:
                yield self.at(obj, "number", name, "the number gives an empty identifier")
            elif local in seen:
                yield self.at(
                    obj,
                    "level",
                    name,
                    f"duplicate identifier {local[0]}/{local[1]} (first at line {seen[local]})",
                )
            seen.setdefault(local, obj.line)
            yield from self.references(obj, name)

    def actions(self) -> Iterator[Issue]:
        seen: dict[str, int] = {}
        numbered: dict[str, int] = {}
        refs: list[tuple[LocDict, str, str]] = []
        for action in _actions(self.doc):
            name = f"action {action['number']}"
            local = slug(action["number"])
            if not local:
                yield self.at(action, "number", name, "the number gives an empty identifier")
            elif local in seen:
                yield self.at(
                    action,
                    "number",
                    name,
                    f"duplicate action number (identifier '{local}' first at line {seen[local]})",
                )
            seen.setdefault(local, action.line)
            yield from self.actor_list(action, ("actors", "addressees"), name)
            yield from self.references(action, name)
            for i, ind in enumerate(action.get("indicators", [])):
                line = action["indicators"].line_of(i)
                if not isinstance(ind, LocDict):
                    continue
                if "ref" in ind:
                    if set(ind) - {"ref", "notes"}:
                        yield Issue(self.display, line, name, "an indicator 'ref' takes no text")
                    refs.append((ind, name, ind["ref"]))
                elif "number" not in ind or "text" not in ind:
                    yield Issue(
                        self.display,
                        line,
                        name,
                        "a numbered indicator needs 'number' and 'text' (or only 'ref')",
                    )
                else:
                    key = slug(ind["number"])
                    if key in numbered:
                        yield Issue(
                            self.display,
                            line,
                            name,
                            f"indicator {ind['number']} is defined twice (first at line "
                            f'{numbered[key]}); use {{ref: "{ind["number"]}"}} to share it',
                        )
                    numbered.setdefault(key, line)
        for ind, name, target in refs:
            if slug(target) not in numbered:
                hint = suggest(target, [str(n) for n in numbered])
                yield self.at(ind, "ref", name, f"no indicator numbered '{target}'{hint}")


def _label(text: str, prefix: str) -> str:
    text = " ".join(text.split())
    if len(text) > PLAN_LABEL_LEN:
        text = text[: PLAN_LABEL_LEN - 1].rsplit(" ", 1)[0] + "…"
    return f"{prefix}: {text}"


class _Emitter:
    """Turn a checked plan into quads; nothing here can fail on curated input."""

    def __init__(self, plan: ImportedPlan, doc: LocDict, ref: Reference, ids: Iris) -> None:
        self.plan, self.doc, self.ref, self.ids = plan, doc, ref, ids
        self.pid = doc["id"]
        self.piri = ids.plan(self.pid)
        self.document = ids.document(self.pid)
        self.plan_label = doc.get("short_title") or doc["title"]

    def t(self, s: NamedNode, p: NamedNode, o: NamedNode | Literal) -> None:
        self.plan.quads.append(Quad(s, p, o, self.plan.graph))

    def text(self, s: NamedNode, p: NamedNode, value: str) -> None:
        self.t(s, p, Literal(value, language=self.doc["language"]))

    def where(self, s: NamedNode, node: LocDict, name: str) -> None:
        self.where_at(s, node.line, node.get("source"), name)

    def where_at(self, s: NamedNode, line: int, loc: Any, name: str) -> None:
        """Provenance: plan file and line, source document and location."""
        self.plan.located[s.value] = Located(self.plan.display, line, name)
        self.t(s, wps.curationFile, Literal(self.plan.display))
        self.t(s, wps.curationLine, Literal(line))
        self.t(s, prov.wasDerivedFrom, self.document)
        if isinstance(loc, LocDict):
            if "line" in loc:
                self.t(s, wps.sourceLine, Literal(loc["line"]))
            if "section" in loc:
                self.text(s, wps.sourceSection, loc["section"])
            if "page" in loc:
                self.t(s, wps.sourcePage, Literal(loc["page"]))
            if "row" in loc:
                self.t(s, wps.sourceRow, Literal(loc["row"]))

    def notes(self, s: NamedNode, node: LocDict) -> None:
        for note in node.get("notes", []):
            self.t(s, skos.editorialNote, Literal(note, language="en"))
        for defect in node.get("defects", []):
            self.t(s, wps.sourceDefect, Literal(defect, language="en"))

    def run(self) -> None:
        doc, s = self.doc, self.piri
        self.t(s, rdf.type, wps[doc["type"]])
        self.text(s, rdfs.label, self.plan_label)
        self.text(s, dcterms.title, doc["title"])
        self.t(s, dcterms.identifier, Literal(self.pid))
        self.t(s, wps.partOfPlan, s)
        if "country" in doc:
            self.t(s, wps.country, self.ids.country(doc["country"]))
        for aid in doc.get("issued_by", []):
            self.t(s, wps.issuedBy, self.ids.actor(aid))
        for aid in doc.get("coordinated_by", []):
            self.t(s, wps.coordinatedBy, self.ids.actor(aid))
        period = doc["period"]
        self.t(s, wps.startYear, Literal(str(period["start"]), datatype=xsd.gYear))
        self.t(s, wps.endYear, Literal(str(period["end"]), datatype=xsd.gYear))
        for key, prop in (("start_date", wps.startDate), ("end_date", wps.endDate)):
            if key in period:
                self.t(s, prop, _date(period[key]))
        if "text" in period:
            self.text(s, dcterms.temporal, period["text"])
        self.t(s, dcterms.language, Literal(doc["language"]))
        for lang in doc.get("original_language", []):
            self.t(s, wps.originalLanguage, Literal(lang))
        self.t(s, wps.translationStatus, Literal(doc["translation"]))
        self.source_document(doc["source"])
        for key in STATEMENT_KEYS:
            if key in doc:
                self.statement(key, doc[key])
        if "budget" in doc:
            self.t(s, wps.budgetStated, Literal(bool(doc["budget"].get("stated", True))))
        self.references(s, doc)
        self.notes(s, doc)
        self.where(s, doc, f"plan {self.pid}")
        self.actions(s, doc)
        for obj in doc.get("objectives", []):
            self.objective(obj, s, None)

    def source_document(self, src: LocDict) -> None:
        d = self.document
        self.t(d, rdf.type, foaf.Document)
        self.t(d, rdf.type, prov.Entity)
        self.text(d, rdfs.label, src["title"])
        self.text(d, dcterms.title, src["title"])
        self.t(d, wps.sourceFile, Literal(f"sources/{src['document']}"))
        if "publisher" in src:
            self.text(d, dcterms.publisher, src["publisher"])
        if "url" in src:
            self.t(d, foaf.page, NamedNode(src["url"]))
        if "note" in src:
            self.t(d, skos.editorialNote, Literal(src["note"], language="en"))
        self.t(self.piri, prov.wasDerivedFrom, self.document)
        self.plan.located[d.value] = Located(self.plan.display, src.line, "source document")
        self.t(d, wps.curationFile, Literal(self.plan.display))
        self.t(d, wps.curationLine, Literal(src.line))

    def statement(self, topic: str, st: LocDict) -> None:
        s = self.ids.statement(self.pid, topic)
        prop = {"civil_society": wps.civilSociety}.get(topic, wps[topic])
        self.t(self.piri, prop, s)
        self.t(s, rdf.type, wps.Statement)
        self.t(
            s, rdfs.label, Literal(f"{self.plan_label}: {topic.replace('_', ' ')}", language="en")
        )
        self.t(s, wps.topic, Literal(topic))
        self.text(s, wps.text, st["text"])
        self.t(s, wps.partOfPlan, self.piri)
        if "stated" in st:
            self.t(s, wps.stated, Literal(st["stated"]))
        for aid in st.get("actors", []):
            self.t(s, wps.responsibleActor, self.ids.actor(aid))
        self.notes(s, st)
        self.where(s, st, f"{topic}")

    def references(self, s: NamedNode, node: LocDict) -> None:
        """Curated references: a qualified node (which words, where) and a shortcut."""
        for r in node.get("references", []):
            iid = r["instrument"]
            target = self.ref.instrument_iri(iid, self.ids)
            q = self.ids.reference(s, iid)
            self.t(q, rdf.type, wps.InstrumentReference)
            self.t(q, rdfs.label, Literal(f"reference to {iid}", language="en"))
            self.t(q, wps.referringNode, s)
            self.t(q, wps.instrument, target)
            self.text(q, wps.evidence, r["evidence"])
            self.t(q, wps.partOfPlan, self.piri)
            self.where(q, r, f"reference {iid}")
            self.t(s, wps.hasReference, q)
            is_resolution = iid in self.ref.resolutions
            self.t(
                s, wps.addressesResolution if is_resolution else wps.referencesInstrument, target
            )

    def objective(self, obj: LocDict, parent_plan: NamedNode, parent: NamedNode | None) -> None:
        level, local = obj["level"], _obj_local(obj)
        s = self.ids.objective(self.pid, level, local)
        self.t(s, rdf.type, wps.Objective)
        name = f"{level} {local}"
        self.text(
            s, rdfs.label, _label(obj["title"], f"{level.replace('-', ' ').capitalize()} {local}")
        )
        self.text(s, dcterms.title, obj["title"])
        self.t(s, wps.objectiveLevel, Literal(level))
        if "number" in obj:
            self.t(s, dcterms.identifier, Literal(obj["number"]))
        if "text" in obj:
            self.text(s, wps.text, obj["text"])
        self.t(s, wps.partOfPlan, self.piri)
        if parent is None:
            self.t(parent_plan, wps.hasObjective, s)
        else:
            self.t(parent, wps.hasObjective, s)
            self.t(s, wps.subObjectiveOf, parent)
        self.references(s, obj)
        self.notes(s, obj)
        self.where(s, obj, name)
        self.actions(s, obj)
        for child in obj.get("objectives", []):
            self.objective(child, parent_plan, s)

    def actions(self, parent: NamedNode, node: LocDict) -> None:
        for order, action in enumerate(node.get("actions", []), start=1):
            self.action(parent, action, order)

    def action(self, parent: NamedNode, a: LocDict, order: int) -> None:
        number = a["number"]
        s = self.ids.action(self.pid, number)
        self.t(parent, wps.hasAction, s)
        self.t(s, rdf.type, wps.Action)
        kind = a.get("kind", "action")
        self.text(s, rdfs.label, _label(a["text"], f"{kind.capitalize()} {number}"))
        self.t(s, dcterms.identifier, Literal(number))
        self.t(s, wps.actionKind, Literal(kind))
        self.t(s, wps.order, Literal(order))
        if a.get("number_assigned"):
            self.t(s, wps.numberAssigned, Literal(True))
        self.text(s, wps.text, a["text"])
        self.t(s, wps.partOfPlan, self.piri)
        for ex in a.get("examples", []):
            self.text(s, wps.example, ex)
        for aid in a.get("actors", []):
            self.t(s, wps.responsibleActor, self.ids.actor(aid))
        if "actors_text" in a:
            self.text(s, wps.actorsAsWritten, a["actors_text"])
        for aid in a.get("addressees", []):
            self.t(s, wps.addressee, self.ids.actor(aid))
        for i, ind in enumerate(a.get("indicators", []), start=1):
            self.indicator(s, number, i, ind, a)
        self.references(s, a)
        self.notes(s, a)
        self.where(s, a, f"action {number}")

    def indicator(self, action: NamedNode, number: str, i: int, ind: Any, a: LocDict) -> None:
        if isinstance(ind, LocDict) and "ref" in ind:
            self.t(action, wps.hasIndicator, self.ids.indicator(self.pid, ind["ref"]))
            return
        if isinstance(ind, LocDict):
            s = self.ids.indicator(self.pid, ind["number"])
            text, name = ind["text"], f"indicator {ind['number']}"
            self.t(s, dcterms.identifier, Literal(ind["number"]))
            loc = ind.get("source", a["source"])
        else:
            s = self.ids.indicator(self.pid, f"{slug(number)}-{i}")
            text, name, loc = ind, f"indicator {number} ({i})", a["source"]
        label = _label(text, name.capitalize())
        self.t(action, wps.hasIndicator, s)
        self.t(s, rdf.type, wps.Indicator)
        self.text(s, rdfs.label, label)
        self.text(s, wps.text, text)
        self.t(s, wps.partOfPlan, self.piri)
        self.t(s, wps.order, Literal(i))
        if isinstance(ind, LocDict):
            self.notes(s, ind)
        self.where_at(s, a["indicators"].line_of(i - 1), loc, name)


def read_plans(
    data: Path, ref: Reference, ids: Iris, *, only: list[Path] | None = None
) -> list[ImportedPlan]:
    """Import every ``data/plans/*.yaml`` (or ``only`` those files); collect the problems
    of all files, then raise."""
    issues: list[Issue] = []
    plans: list[ImportedPlan] = []
    paths = sorted(only) if only is not None else sorted((data / "plans").glob("*.yaml"))
    if not paths:
        raise DataError([Issue(f"{data.name}/plans", 0, "", "no plan files (*.yaml)")])
    for path in paths:
        try:
            plans.append(read_plan(path, data, ref, ids))
        except DataError as exc:
            issues.extend(exc.issues)
    if issues:
        raise DataError(issues)
    return plans
