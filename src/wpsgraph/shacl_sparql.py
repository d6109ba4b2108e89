"""SHACL Core constraints evaluated as SPARQL inside the store: the fast validator.

pySHACL stays the reference implementation (``wpsgraph validate --validator pyshacl``);
a test proves that both give the same results on the corpus and on a suite of invalid
fixtures. This engine compiles each constraint of ``shapes/*.ttl`` into one SELECT that
returns the violating focus nodes, and runs it over the union of all graphs, so the work
is done by Oxigraph's query engine instead of node by node in Python.

Only the constraint components the project's shapes use are supported; a shape using any
other makes :func:`compile_shapes` fail loudly, so a new shape can never pass unchecked.

Targets follow SHACL: ``sh:targetClass C`` selects the instances of C and of its
subclasses (``rdf:type/rdfs:subClassOf*``), as does ``sh:class``; the ontology graph is in
the store, so the subclass axioms are visible.
"""

from __future__ import annotations

import os
from collections.abc import Iterator, Mapping
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass
from pathlib import Path

import pyoxigraph as ox

from wpsgraph.errors import WpsgraphError
from wpsgraph.reference import Located
from wpsgraph.validate import Severity, ValidationResult, short_name

SH = "http://www.w3.org/ns/shacl#"
RDF = "http://www.w3.org/1999/02/22-rdf-syntax-ns#"
RDFS = "http://www.w3.org/2000/01/rdf-schema#"
_SEVERITY = {
    SH + "Violation": Severity.VIOLATION,
    SH + "Warning": Severity.WARNING,
    SH + "Info": Severity.INFO,
}
# Predicates a shape may carry that are not constraints.
_ANNOTATIONS = {
    RDF + "type",
    RDFS + "label",
    RDFS + "comment",
    SH + "targetClass",
    SH + "property",
    SH + "severity",
    SH + "message",
    SH + "path",
    SH + "name",
    SH + "description",
}
_COMPONENTS = {
    SH + c
    for c in (
        "minCount",
        "maxCount",
        "datatype",
        "class",
        "pattern",
        "in",
        "minLength",
        "minInclusive",
        "hasValue",
        "or",
    )
}


class UnsupportedShape(WpsgraphError):
    """A shape uses a constraint this engine does not implement."""


@dataclass(frozen=True)
class Check:
    """One compiled constraint: a query returning ``?focus`` (and ``?value``)."""

    shape: str
    path: str
    severity: Severity
    message: str
    query: str
    show_value: bool


def _term(t: ox.NamedNode | ox.BlankNode | ox.Literal) -> str:
    return str(t)


class _Shapes:
    def __init__(self, store: ox.Store) -> None:
        self.store = store

    def objects(self, s: ox.NamedNode | ox.BlankNode, p: str) -> list:  # type: ignore[type-arg]
        return [q.object for q in self.store.quads_for_pattern(s, ox.NamedNode(p), None)]

    def one(self, s: ox.NamedNode | ox.BlankNode, p: str):  # type: ignore[no-untyped-def]
        values = self.objects(s, p)
        return values[0] if values else None

    def rdf_list(self, head) -> list:  # type: ignore[no-untyped-def,type-arg]
        out = []
        while head is not None and not (
            isinstance(head, ox.NamedNode) and head.value == RDF + "nil"
        ):
            out.append(self.one(head, RDF + "first"))
            head = self.one(head, RDF + "rest")
        return out

    def predicates(self, s) -> set[str]:  # type: ignore[no-untyped-def]
        return {q.predicate.value for q in self.store.quads_for_pattern(s, None, None)}


def load_shapes(shapes_dir: Path) -> ox.Store:
    store = ox.Store()
    for path in sorted(shapes_dir.glob("*.ttl")):
        store.load(path=str(path), format=ox.RdfFormat.TURTLE)
    return store


def compile_shapes(shapes: ox.Store) -> list[Check]:
    """Every constraint of every node shape as a :class:`Check`."""
    g = _Shapes(shapes)
    checks: list[Check] = []
    node_shapes = [
        q.subject
        for q in shapes.quads_for_pattern(
            None, ox.NamedNode(RDF + "type"), ox.NamedNode(SH + "NodeShape")
        )
    ]
    for shape in sorted(node_shapes, key=str):
        targets = g.objects(shape, SH + "targetClass")
        if not targets:
            raise UnsupportedShape(f"{shape}: only sh:targetClass targets are supported")
        target = " UNION ".join(f"{{ ?focus a/<{RDFS}subClassOf>* {_term(t)} }}" for t in targets)
        severity = _SEVERITY[
            (g.one(shape, SH + "severity") or ox.NamedNode(SH + "Violation")).value
        ]
        message = g.one(shape, SH + "message")
        name = shape.value if isinstance(shape, ox.NamedNode) else ""
        unknown = g.predicates(shape) - _ANNOTATIONS - {SH + "or"}
        if unknown:
            raise UnsupportedShape(f"{shape}: unsupported node constraints {sorted(unknown)}")
        for alternatives in g.objects(shape, SH + "or"):
            conditions = [_conforms(g, alt) for alt in g.rdf_list(alternatives)]
            where = f"{target} FILTER NOT EXISTS {{ {' UNION '.join(conditions)} }}"
            checks.append(
                Check(
                    name,
                    "",
                    severity,
                    message.value if message else "conforms to none of sh:or",
                    f"SELECT DISTINCT ?focus WHERE {{ {where} }}",
                    False,
                )
            )
        for prop in g.objects(shape, SH + "property"):
            checks += _property_checks(g, prop, target, name, severity)
    return checks


def _path(g: _Shapes, prop) -> tuple[str, str]:  # type: ignore[no-untyped-def]
    """(SPARQL path, display) of a property shape's sh:path."""
    path = g.one(prop, SH + "path")
    if isinstance(path, ox.NamedNode):
        return _term(path), short_name(path.value)
    inverse = g.one(path, SH + "inversePath") if path is not None else None
    if isinstance(inverse, ox.NamedNode):
        return f"^{_term(inverse)}", f"^{short_name(inverse.value)}"
    raise UnsupportedShape(f"{prop}: only IRI and sh:inversePath paths are supported")


def _conforms(g: _Shapes, prop) -> str:  # type: ignore[no-untyped-def]
    """A group pattern that holds when ``?focus`` conforms to a property shape used in
    sh:or (only minCount 1 and hasValue are needed and supported there)."""
    path, _ = _path(g, prop)
    constraints = g.predicates(prop) & _COMPONENTS
    if constraints - {SH + "minCount", SH + "hasValue"}:
        raise UnsupportedShape(f"{prop}: sh:or supports minCount and hasValue only")
    parts = []
    min_count = g.one(prop, SH + "minCount")
    if min_count is not None:
        if int(min_count.value) != 1:
            raise UnsupportedShape(f"{prop}: sh:or supports minCount 1 only")
        parts.append(f"?focus {path} ?any .")
    has_value = g.one(prop, SH + "hasValue")
    if has_value is not None:
        parts.append(f"?focus {path} {_term(has_value)} .")
    return "{ " + " ".join(parts) + " }"


def _property_checks(  # type: ignore[no-untyped-def]
    g: _Shapes, prop, target: str, shape: str, node_severity: Severity
) -> Iterator[Check]:
    path, shown = _path(g, prop)
    unknown = g.predicates(prop) - _ANNOTATIONS - _COMPONENTS
    if unknown or SH + "or" in g.predicates(prop):
        raise UnsupportedShape(f"{prop}: unsupported constraints {sorted(unknown)}")
    sev = g.one(prop, SH + "severity")
    severity = _SEVERITY[sev.value] if sev is not None else node_severity
    msg = g.one(prop, SH + "message")

    def check(default: str, where: str, value: bool = True) -> Check:
        select = "?focus ?value" if value else "?focus"
        return Check(
            shape,
            shown,
            severity,
            msg.value if msg else default,
            f"SELECT DISTINCT {select} WHERE {{ {target} {where} }}",
            value,
        )

    each = f"?focus {path} ?value ."
    for component in sorted(g.predicates(prop) & _COMPONENTS):
        arg = g.one(prop, component)
        name = component[len(SH) :]
        if name == "minCount":
            n = int(arg.value)
            yield check(
                f"less than {n} value(s)",
                f"FILTER NOT EXISTS {{ SELECT ?focus WHERE {{ ?focus {path} ?v }} "
                f"GROUP BY ?focus HAVING (COUNT(DISTINCT ?v) >= {n}) }}"
                if n > 1
                else f"FILTER NOT EXISTS {{ ?focus {path} ?v }}",
                False,
            )
        elif name == "maxCount":
            n = int(arg.value)
            yield check(
                f"more than {n} value(s)",
                # at most one: two different values of the focus, looked up from each
                # focus (no grouping of every value of the path in the store)
                f"?focus {path} ?v1 . ?focus {path} ?v2 . FILTER(!sameTerm(?v1, ?v2))"
                if n == 1
                else f"{{ SELECT ?focus WHERE {{ ?focus {path} ?v }} GROUP BY ?focus "
                f"HAVING (COUNT(DISTINCT ?v) > {n}) }}",
                False,
            )
        elif name == "datatype":
            yield check(
                f"value is not of datatype {short_name(arg.value)}",
                f"{each} FILTER(!isLiteral(?value) || datatype(?value) != {_term(arg)})",
            )
        elif name == "class":
            yield check(
                f"value is not an instance of {short_name(arg.value)}",
                f"{each} FILTER NOT EXISTS {{ ?value a/<{RDFS}subClassOf>* {_term(arg)} }}",
            )
        elif name == "pattern":
            yield check(
                f"value does not match {arg.value}",
                f"{each} FILTER(isBlank(?value) || !REGEX(STR(?value), {_term(arg)}))",
            )
        elif name == "in":
            members = ", ".join(_term(t) for t in g.rdf_list(arg))
            yield check(
                "value is not one of the allowed values",
                f"{each} FILTER(?value NOT IN ({members}))",
            )
        elif name == "minLength":
            yield check(
                f"value is shorter than {arg.value}",
                f"{each} FILTER(isBlank(?value) || STRLEN(STR(?value)) < {arg.value})",
            )
        elif name == "minInclusive":
            yield check(
                f"value is less than {arg.value}", f"{each} FILTER(!(?value >= {_term(arg)}))"
            )
        elif name == "hasValue":
            yield check(
                f"does not have the value {arg}",
                f"FILTER NOT EXISTS {{ ?focus {path} {_term(arg)} }}",
                False,
            )
        else:  # pragma: no cover - _COMPONENTS and this list are kept in step
            raise UnsupportedShape(f"{prop}: {name} is not supported")


def run(
    store: ox.Store, checks: list[Check], located: Mapping[str, Located]
) -> list[ValidationResult]:
    """Run every check over the union of the store's graphs, on every core (the store
    answers without the interpreter lock); the results in the order of ``checks``."""
    with ThreadPoolExecutor(os.cpu_count() or 1) as pool:
        found = pool.map(lambda c: _results(store, c, located), checks)
        return [r for results in found for r in results]


def _results(store: ox.Store, c: Check, located: Mapping[str, Located]) -> list[ValidationResult]:
    out = []
    rows = store.query(c.query, use_default_graph_as_union=True)
    assert isinstance(rows, ox.QuerySolutions)
    for row in rows:
        focus = row["focus"]
        if not isinstance(focus, ox.NamedNode):
            continue
        message = c.message
        if c.path and c.path not in message:
            message = f"{c.path}: {message}"
        if c.show_value and c.severity is Severity.VIOLATION:
            value = row["value"]
            message += f" (value: {short_name(getattr(value, 'value', str(value)))})"
        where = located.get(focus.value)
        out.append(
            ValidationResult(
                c.severity,
                where.file if where else "",
                where.line if where else 0,
                where.name if where else short_name(focus.value),
                message,
                focus.value,
                c.path,
                c.shape,
            )
        )
    return out
