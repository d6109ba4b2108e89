"""Ontology and shapes documentation: what the SHACL shapes say about each term, and a
class diagram of the ontology (SVG), both from the files the build reads.

The shapes are read from ``shapes/*.ttl`` with pyoxigraph; each property shape
(including those inside ``sh:or``) becomes one :class:`Constraint`, filed under the
classes its node shape targets and under the property its path names (``^p`` for an
inverse path).
"""

from __future__ import annotations

import math
from collections import defaultdict
from dataclasses import dataclass, field
from pathlib import Path
from xml.sax.saxutils import escape, quoteattr

import pyoxigraph as ox

from wpsgraph.query import parse_query
from wpsgraph.site.graph import Graph
from wpsgraph.vocab import PREFIXES, WPS, owl, rdf, rdfs

SH = "http://www.w3.org/ns/shacl#"
Node = ox.NamedNode | ox.BlankNode | ox.Literal | ox.Triple
# constraint components shown, in this order, with the words used for them
COMPONENTS = (
    ("minCount", "at least {}"),
    ("maxCount", "at most {}"),
    ("datatype", "datatype {}"),
    ("class", "class {}"),
    ("nodeKind", "node kind {}"),
    ("hasValue", "value {}"),
    ("in", "one of {}"),
    ("pattern", "matches {}"),
    ("minLength", "length ≥ {}"),
)


@dataclass(frozen=True)
class Constraint:
    """One property shape, in words."""

    shape: str  # the node shape's IRI
    shape_label: str
    targets: tuple[str, ...]  # target class IRIs
    path: str  # the property IRI
    inverse: bool
    rules: str  # "at least 1, at most 1, datatype rdf:langString"
    severity: str  # Violation, Warning or Info
    message: str
    alternative: bool  # inside an sh:or: one of several ways to conform


@dataclass
class Check:
    """A SPARQL check ``shapes/checks/*-violation.rq``: any row it returns stops the build."""

    name: str
    title: str
    description: str


@dataclass
class ShapesDoc:
    by_class: dict[str, list[Constraint]]
    by_property: dict[str, list[Constraint]]
    files: list[str]
    checks: list[Check] = field(default_factory=list)

    def other_properties(self) -> list[tuple[str, list[Constraint]]]:
        """Constrained properties of other vocabularies (rdfs:label, dcterms:title …)."""
        return sorted((p, cs) for p, cs in self.by_property.items() if not p.startswith(WPS))


def _short(term: Node) -> str:
    if isinstance(term, ox.Literal):
        return f'"{term.value}"'
    if isinstance(term, ox.Triple):
        return str(term)
    for p, ns in PREFIXES.items():
        if term.value.startswith(ns):
            return f"{p}:{term.value[len(ns) :]}"
    return term.value


class _Triples:
    def __init__(self, triples: list[ox.Triple]) -> None:
        self.out: dict[str, dict[str, list[Node]]] = defaultdict(lambda: defaultdict(list))
        for t in triples:
            self.out[str(t.subject)][t.predicate.value].append(t.object)

    def all(self, s: Node, p: str) -> list[Node]:
        return list(self.out.get(str(s), {}).get(p, []))

    def one(self, s: Node, p: str) -> Node | None:
        values = self.all(s, p)
        return values[0] if values else None

    def items(self, head: Node | None) -> list[Node]:
        """The members of an RDF list."""
        out: list[Node] = []
        while isinstance(head, ox.NamedNode | ox.BlankNode) and head.value != rdf.nil.value:
            first = self.one(head, rdf.first.value)
            if first is not None:
                out.append(first)
            head = self.one(head, rdf.rest.value)
        return out


def read_shapes(folder: Path) -> ShapesDoc:
    files = sorted(folder.glob("*.ttl")) if folder.is_dir() else []
    triples: list[ox.Triple] = []
    for f in files:
        triples += [q.triple for q in ox.parse(path=f, format=ox.RdfFormat.TURTLE)]
    g = _Triples(triples)
    doc = ShapesDoc(defaultdict(list), defaultdict(list), [f.name for f in files])
    shapes = [t.subject for t in triples if t.predicate.value == SH + "targetClass"]
    for shape in dict.fromkeys(shapes):
        targets = tuple(
            sorted(t.value for t in g.all(shape, SH + "targetClass") if isinstance(t, ox.NamedNode))
        )
        label = g.one(shape, rdfs.label.value)
        sev = g.one(shape, SH + "severity")
        members = [(p, False) for p in g.all(shape, SH + "property")]
        for alt in g.all(shape, SH + "or"):
            members += [(p, True) for p in g.items(alt)]
        for prop, alternative in members:
            path = g.one(prop, SH + "path")
            inverse = False
            if isinstance(path, ox.BlankNode):
                path, inverse = g.one(path, SH + "inversePath"), True
            if not isinstance(path, ox.NamedNode):
                continue
            rules = []
            for name, words in COMPONENTS:
                value = g.one(prop, SH + name)
                if value is None:
                    continue
                if name == "in":
                    value_text = ", ".join(_short(v) for v in g.items(value))
                else:
                    value_text = _short(value) if not isinstance(value, ox.Literal) else value.value
                rules.append(words.format(value_text))
            psev = g.one(prop, SH + "severity") or sev
            message = g.one(prop, SH + "message") or g.one(shape, SH + "message")
            c = Constraint(
                shape=str(shape),
                shape_label=label.value if isinstance(label, ox.Literal) else _short(shape),
                targets=targets,
                path=path.value,
                inverse=inverse,
                rules=", ".join(rules),
                severity=_short(psev).rsplit(":", 1)[-1] if psev is not None else "Violation",
                message=message.value if isinstance(message, ox.Literal) else "",
                alternative=alternative,
            )
            for t in targets:
                doc.by_class[t].append(c)
            doc.by_property[path.value].append(c)
    for f in sorted((folder / "checks").glob("*-violation.rq")):
        q = parse_query(f.stem, f.read_text(encoding="utf-8"), f)
        doc.checks.append(Check(f.name, q.title, q.description))
    return doc


def class_diagram(graph: Graph, *, href_prefix: str = "#") -> str:
    """The ontology's classes on a circle: subclass arrows (dashed) and the object
    properties whose domain and range are both ontology classes (labelled lines)."""
    classes = sorted(
        r.iri
        for r in graph.res.values()
        if r.iri.startswith(WPS) and any(t.value == owl.Class.value for t in r.all(rdf.type))
    )
    classes = _tree_order(graph, classes)  # subclasses next to their superclass
    n = max(len(classes), 1)
    radius = 60 + 22 * n
    cx = cy = radius + 110
    size = 2 * cx
    pos = {
        c: (
            cx + radius * math.cos(2 * math.pi * i / n - math.pi / 2),
            cy + radius * math.sin(2 * math.pi * i / n - math.pi / 2),
        )
        for i, c in enumerate(classes)
    }
    edges: list[tuple[str, str, str, str]] = []  # (from, to, label, kind)
    for c in classes:
        for sup in graph.res[c].refs(rdfs.subClassOf):
            if sup in pos:
                edges.append((c, sup, "", "sub"))
    props: dict[tuple[str, str], list[str]] = defaultdict(list)  # one line per pair
    terms = sorted((r for r in graph.res.values() if r.iri.startswith(WPS)), key=lambda r: r.iri)
    for r in terms:
        for d in r.refs(rdfs.domain):
            for rg in r.refs(rdfs.range):
                if d in pos and rg in pos:
                    props[(d, rg)].append(r.iri[len(WPS) :])
    for (d, rg), names in props.items():
        edges.append((d, rg, ", ".join(names), "prop"))
    out = [
        f'<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 {size:.0f} {size:.0f}" '
        f'width="{size:.0f}" height="{size:.0f}" class="chart diagram" '
        'aria-labelledby="diagram-t diagram-d" font-family="system-ui, sans-serif" '
        'font-size="12">',
        '<title id="diagram-t">Class diagram of the wpsgraph ontology</title>',
        '<desc id="diagram-d">Classes on a circle; dashed arrows: subclass of; solid '
        "lines: object properties from their domain to their range.</desc>",
        '<defs><marker id="arrow" viewBox="0 0 10 10" refX="10" refY="5" markerWidth="8" '
        'markerHeight="8" orient="auto-start-reverse"><path d="M0,0 L10,5 L0,10 z" '
        'fill="#5b6475"/></marker></defs>',
    ]
    for a, b, label, kind in edges:
        (x1, y1), (x2, y2) = pos[a], pos[b]
        dash = ' stroke-dasharray="5 4"' if kind == "sub" else ""
        colour = "#9a4b00" if kind == "sub" else "#8c96a8"
        tip = f"{_local(a)} subClassOf {_local(b)}" if kind == "sub" else f"{label}"
        if a == b:
            out.append(
                f'<g class="edge"><title>{escape(tip)}</title><circle cx="{x1:.1f}" '
                f'cy="{y1 - 22:.1f}" r="14" fill="none" stroke="{colour}"/></g>'
            )
            continue
        x2, y2 = _border(x1, y1, x2, y2, _box_width(b))  # the arrow stops at the box
        mx, my = (x1 + x2) / 2, (y1 + y2) / 2
        text = (
            f'<text x="{mx:.1f}" y="{my:.1f}" text-anchor="middle" font-size="10" '
            f'fill="#5b6475">{escape(label)}</text>'
            if label
            else ""
        )
        out.append(
            f'<g class="edge"><title>{escape(tip)}</title><line x1="{x1:.1f}" y1="{y1:.1f}" '
            f'x2="{x2:.1f}" y2="{y2:.1f}" stroke="{colour}"{dash} marker-end="url(#arrow)"/>'
            f"{text}</g>"
        )
    for c, (x, y) in pos.items():
        name = _local(c)
        w = _box_width(c)
        out.append(
            f'<a href={quoteattr(href_prefix + name)}><g class="class">'
            f"<title>{escape(graph.label(c))}</title>"
            f'<rect x="{x - w / 2:.1f}" y="{y - 12:.1f}" width="{w:.1f}" height="24" rx="5" '
            f'fill="#efe8f7" stroke="#6a3d9a"/>'
            f'<text x="{x:.1f}" y="{y + 4:.1f}" text-anchor="middle" fill="#1d2330">'
            f"{escape(name)}</text></g></a>"
        )
    out.append("</svg>")
    return "\n".join(out)


def _local(iri: str) -> str:
    return iri[len(WPS) :] if iri.startswith(WPS) else iri


def _box_width(iri: str) -> float:
    return 14 + 7.2 * len(_local(iri))


def _border(x1: float, y1: float, x2: float, y2: float, w: float) -> tuple[float, float]:
    """Where the line from (x1, y1) to the centre of a box at (x2, y2) enters the box."""
    dx, dy = x2 - x1, y2 - y1
    t = min(w / 2 / abs(dx) if dx else math.inf, 13 / abs(dy) if dy else math.inf)
    return x2 - dx * min(t, 1), y2 - dy * min(t, 1)


def _tree_order(graph: Graph, classes: list[str]) -> list[str]:
    """The classes depth first along rdfs:subClassOf, roots with most subclasses first."""
    kids: dict[str, list[str]] = defaultdict(list)
    roots = []
    for c in classes:
        sups = [x for x in graph.res[c].refs(rdfs.subClassOf) if x in classes and x != c]
        if sups:
            kids[sups[0]].append(c)
        else:
            roots.append(c)
    out: list[str] = []

    def visit(c: str) -> None:
        if c not in out:
            out.append(c)
            for k in sorted(kids[c]):
                visit(k)

    for r in sorted(roots, key=lambda c: (-len(kids[c]), c)):
        visit(r)
    return out + [c for c in classes if c not in out]
