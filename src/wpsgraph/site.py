"""Site: the static linked-data website, generated from the store in one pass.

Every resource under the data base ``…/id/`` gets ``<path>.html``, ``<path>.ttl`` and
``<path>.jsonld``; plans get a tree of their objectives, actions and indicators; the index
lists plans, reference data, queries and dumps; the ontology gets one documentation page.
All text is escaped by jinja2's autoescape; nothing from the data is trusted as markup.
"""

from __future__ import annotations

import posixpath
import shutil
from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Any

import jinja2
import pyoxigraph as ox

from wpsgraph.query import list_queries
from wpsgraph.vocab import PREFIXES, WPS, dcterms, owl, rdf, rdfs, skos, wps

if TYPE_CHECKING:
    from wpsgraph.build import BuildResult, Project

Term = ox.NamedNode | ox.BlankNode | ox.Literal
LABEL_PROPS = (rdfs.label, skos.prefLabel, dcterms.title)
DUMP_FILES = (
    ("wpsgraph.trig", "TriG (one named graph per plan)"),
    ("wpsgraph.nq", "N-Quads"),
    ("wpsgraph.nt", "N-Triples (graphs merged)"),
    ("wpsgraph.jsonld", "JSON-LD"),
)


@dataclass
class Resource:
    """One subject and everything said about it, both ways."""

    iri: str
    out: dict[str, list[Term]] = field(default_factory=lambda: defaultdict(list))
    inv: dict[str, list[str]] = field(default_factory=lambda: defaultdict(list))
    triples: list[ox.Triple] = field(default_factory=list)

    def one(self, prop: ox.NamedNode) -> str:
        values = self.out.get(prop.value)
        return values[0].value if values else ""

    def all(self, prop: ox.NamedNode) -> list[Term]:
        return list(self.out.get(prop.value, []))


class Graph:
    """The store grouped by subject (one scan), with labels and local paths."""

    def __init__(self, quads: Iterable[ox.Quad], id_base: str) -> None:
        self.id_base = id_base
        self.res: dict[str, Resource] = {}
        seen: set[tuple[str, str, str]] = set()
        for q in quads:
            s, p, o = q.subject, q.predicate, q.object
            if not isinstance(s, ox.NamedNode):
                continue
            key = (s.value, p.value, str(o))
            if key in seen:  # the same triple in several graphs (e.g. reference copies)
                continue
            seen.add(key)
            r = self.res.get(s.value) or self.res.setdefault(s.value, Resource(s.value))
            r.out[p.value].append(o)  # type: ignore[arg-type]
            r.triples.append(ox.Triple(s, p, o))
            if isinstance(o, ox.NamedNode):
                target = self.res.get(o.value) or self.res.setdefault(o.value, Resource(o.value))
                target.inv[p.value].append(s.value)
        for r in self.res.values():
            r.triples.sort(key=str)

    def label(self, iri: str) -> str:
        r = self.res.get(iri)
        if r is not None:
            for prop in LABEL_PROPS:
                if value := r.one(prop):
                    return value
        for prefix, ns in PREFIXES.items():
            if iri.startswith(ns):
                return f"{prefix}:{iri[len(ns) :]}"
        return iri.removeprefix(self.id_base)

    def path(self, iri: str) -> str | None:
        """The site path (without extension) of a resource we publish, else None."""
        if iri.startswith(self.id_base):
            local = iri[len(self.id_base) :]
            if local and ".." not in local.split("/"):
                return "id/" + local
        return None

    def local(self) -> list[Resource]:
        return [r for r in self.res.values() if r.triples and self.path(r.iri)]


class Pages:
    """Renders templates to files, with relative links from each page."""

    def __init__(self, graph: Graph, templates: Path, out: Path, globals_: dict[str, Any]):
        self.graph = graph
        self.out = out
        self.env = jinja2.Environment(
            loader=jinja2.FileSystemLoader(str(templates)),
            autoescape=True,
            undefined=jinja2.StrictUndefined,
            trim_blocks=True,
            lstrip_blocks=True,
        )
        self.env.globals.update(globals_)
        self.count = 0

    def write(self, path: str, template: str, **ctx: Any) -> None:
        here = posixpath.dirname(path)

        def url(target: str) -> str:
            return posixpath.relpath(target, here or ".")

        def link(term: Any) -> dict[str, str]:
            """A term as {label, href, kind} for the templates."""
            if isinstance(term, ox.Literal):
                return {
                    "label": term.value,
                    "href": "",
                    "kind": "literal",
                    "lang": term.language or "",
                }
            if isinstance(term, ox.BlankNode):  # e.g. an owl:unionOf class expression
                return {
                    "label": "(a class expression; see the Turtle)",
                    "href": "",
                    "kind": "literal",
                    "lang": "",
                }
            iri = term.value if hasattr(term, "value") else str(term)
            target = self.graph.path(iri)
            if target is not None:
                href = url(target + ".html")
            elif iri.startswith(WPS):
                href = url("ontology.html") + "#" + iri[len(WPS) :]
            else:
                href = iri
            return {"label": self.graph.label(iri), "href": href, "kind": "iri", "lang": ""}

        html = self.env.get_template(template).render(url=url, link=link, path=path, **ctx)
        dest = self.out / path
        dest.parent.mkdir(parents=True, exist_ok=True)
        dest.write_text(html, encoding="utf-8")
        self.count += 1


def build_site(result: BuildResult, project: Project, out: Path) -> int:
    """Write the site for a built graph into ``out``; return the number of HTML pages."""
    id_base = result.ids.id
    graph = Graph(result.store.quads_for_pattern(None, None, None, None), id_base)
    out.mkdir(parents=True, exist_ok=True)
    static = project.site / "static"
    if static.is_dir():
        shutil.copytree(static, out / "static", dirs_exist_ok=True)
    queries = list_queries(project.queries) if project.queries.is_dir() else []
    plans = sorted((r for r in graph.local() if _is_a(r, graph, "ActionPlan")), key=lambda r: r.iri)
    pages = Pages(
        graph,
        project.site / "templates",
        out,
        {
            "site_title": "wpsgraph",
            "plans": plans,
            "label": graph.label,
            "WPS": WPS,
            "wps": wps,
            "rdf": rdf,
            "dumps": DUMP_FILES,
            "queries": queries,
            "prop_node": ox.NamedNode,
            "dcterms_identifier": dcterms.identifier,
            "rdfs_label": rdfs.label,
            "skos_definition": skos.definition,
            "rdfs_subClassOf": rdfs.subClassOf,
            "rdfs_subPropertyOf": rdfs.subPropertyOf,
            "rdfs_domain": rdfs.domain,
            "rdfs_range": rdfs.range,
            "owl_equivalentClass": owl.equivalentClass,
        },
    )
    for r in graph.local():
        path = graph.path(r.iri)
        assert path is not None
        dest = out / path
        dest.parent.mkdir(parents=True, exist_ok=True)
        prefixes = _used_prefixes(r.triples)
        ox.serialize(r.triples, str(dest) + ".ttl", format=ox.RdfFormat.TURTLE, prefixes=prefixes)
        ox.serialize(
            r.triples, str(dest) + ".jsonld", format=ox.RdfFormat.JSON_LD, prefixes=prefixes
        )
        template = "plan.html" if r in plans else "resource.html"
        pages.write(
            path + ".html",
            template,
            r=r,
            tree=_tree(r, graph) if r in plans else [],
            groups=_groups(r, graph),
            inverse=_inverse(r, graph),
            types=_types(r, graph),
        )
    pages.write("index.html", "index.html", stats=_stats(graph, plans), reference=_reference(graph))
    pages.write("ontology.html", "ontology.html", terms=_ontology_terms(graph))
    return pages.count


def _is_a(r: Resource, graph: Graph, cls: str) -> bool:
    """Is ``r`` an instance of wps:<cls> or of a declared subclass of it?"""
    target = WPS + cls
    for t in r.all(rdf.type):
        todo, seen = [t.value], set()
        while todo:
            c = todo.pop()
            if c == target:
                return True
            seen.add(c)
            sup = graph.res.get(c)
            if sup:
                todo += [s.value for s in sup.all(rdfs.subClassOf) if s.value not in seen]
    return False


def _types(r: Resource, graph: Graph) -> list[str]:
    return [graph.label(t.value) for t in r.all(rdf.type)]


def _groups(r: Resource, graph: Graph) -> list[tuple[str, list[Term]]]:
    """Outgoing values grouped by property, labelled, in a stable order."""
    order = {p.value: i for i, p in enumerate((rdf.type, *LABEL_PROPS, wps.text))}
    props = sorted(r.out, key=lambda p: (order.get(p, 99), graph.label(p)))
    return [(p, sorted(r.out[p], key=_sort_key)) for p in props]


def _inverse(r: Resource, graph: Graph) -> list[tuple[str, list[str]]]:
    return [(p, sorted(set(subjects))) for p, subjects in sorted(r.inv.items())]


def _sort_key(term: Term) -> tuple[int, str]:
    order = term.value if not isinstance(term, ox.Literal) else term.value.zfill(6)
    return (0 if isinstance(term, ox.Literal) else 1, order)


def _children(r: Resource, graph: Graph, prop: ox.NamedNode) -> list[Resource]:
    kids = [graph.res[t.value] for t in r.all(prop) if t.value in graph.res]
    return sorted(kids, key=lambda k: (int(k.one(wps.curationLine) or 0), k.iri))


def _tree(r: Resource, graph: Graph) -> list[dict[str, Any]]:
    """The plan as nested objectives → actions → indicators, in the plan's order."""

    def node(x: Resource) -> dict[str, Any]:
        return {
            "r": x,
            "objectives": [node(c) for c in _children(x, graph, wps.hasObjective)],
            "actions": [
                {
                    "r": a,
                    "indicators": _children(a, graph, wps.hasIndicator),
                    "actors": [t.value for t in a.all(wps.responsibleActor)],
                }
                for a in _children(x, graph, wps.hasAction)
            ],
        }

    return [node(r)]


def _stats(graph: Graph, plans: list[Resource]) -> list[dict[str, Any]]:
    rows = []
    for p in plans:
        members = p.inv.get(wps.partOfPlan.value, [])
        kinds: dict[str, int] = defaultdict(int)
        for m in set(members):
            for t in graph.res[m].all(rdf.type):
                kinds[t.value] += 1
        rows.append(
            {
                "r": p,
                "objectives": kinds[WPS + "Objective"],
                "actions": kinds[WPS + "Action"],
                "indicators": kinds[WPS + "Indicator"],
            }
        )
    return rows


def _reference(graph: Graph) -> list[tuple[str, list[Resource]]]:
    groups = []
    for cls, title in (
        ("Resolution", "Resolutions"),
        ("Instrument", "Conventions and frameworks"),
        ("Actor", "Actors"),
    ):
        members = [r for r in graph.local() if _is_a(r, graph, cls)]
        used = [r for r in members if r.inv]  # actors: only those something points to
        groups.append(
            (
                title,
                sorted(
                    used if cls == "Actor" else members, key=lambda r: graph.label(r.iri).lower()
                ),
            )
        )
    return groups


def _ontology_terms(graph: Graph) -> list[Resource]:
    terms = [r for r in graph.res.values() if r.iri.startswith(WPS) and r.triples]
    return sorted(terms, key=lambda r: (not r.iri[len(WPS)].isupper(), r.iri.lower()))


def _used_prefixes(triples: list[ox.Triple]) -> dict[str, str]:
    """The standard prefixes a resource's triples use (data IRIs stay in full)."""
    text = " ".join(f"{t.predicate.value} {getattr(t.object, 'value', '')}" for t in triples)
    text += " " + " ".join(getattr(t.object, "datatype", t.predicate).value for t in triples)
    return {p: ns for p, ns in PREFIXES.items() if ns in text}
