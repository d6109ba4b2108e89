"""Import, last step: a checked plan file becomes the quads of its named graph.

Every node gets its label, type, wording, order and a pointer back to where it was found
(source document and line) and where it was curated (plan file and line). Nothing here
can fail on input that passed :mod:`wpsgraph.contract` and :mod:`wpsgraph.refcheck`.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from pyoxigraph import Literal, NamedNode, Quad

from wpsgraph.contract import STATEMENT_KEYS
from wpsgraph.plantree import obj_local
from wpsgraph.reference import Located, Reference, _date
from wpsgraph.vocab import Iris, dcterms, foaf, prov, rdf, rdfs, skos, slug, wps, xsd
from wpsgraph.yamlsrc import LocDict

if TYPE_CHECKING:
    from wpsgraph.importer import ImportedPlan

PLAN_LABEL_LEN = 90


def _label(text: str, prefix: str) -> str:
    text = " ".join(text.split())
    if len(text) > PLAN_LABEL_LEN:
        text = text[: PLAN_LABEL_LEN - 1].rsplit(" ", 1)[0] + "…"
    return f"{prefix}: {text}"


class Emitter:
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
        level, local = obj["level"], obj_local(obj)
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
