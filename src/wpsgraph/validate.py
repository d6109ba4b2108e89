"""Validate: SHACL shapes per plan graph (with the ontology and reference data), plus the
``*-violation.rq`` quality checks, reported as the project's own result values.

pyshacl's report graph is translated into :class:`ValidationResult` in exactly one place,
:func:`_translate`, which also finds the plan file and line of each focus node.
"""

from __future__ import annotations

import enum
from collections.abc import Iterable, Mapping
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, field
from functools import cache
from pathlib import Path

import pyoxigraph as ox
import pyshacl
from rdflib import BNode, Graph, URIRef
from rdflib.namespace import RDF, SH

from wpsgraph.reference import Located
from wpsgraph.vocab import PREFIXES


class Severity(enum.Enum):
    """How serious a result is; only violations stop a build."""

    VIOLATION = "violation"
    WARNING = "warning"
    INFO = "info"


_SEVERITY = {SH.Violation: Severity.VIOLATION, SH.Warning: Severity.WARNING, SH.Info: Severity.INFO}


@dataclass(frozen=True)
class ValidationResult:
    """One finding, located in the curated file that produced the node.

    >>> r = ValidationResult(Severity.WARNING, "data/plans/x.yaml", 12, "action 4.b",
    ...     "no indicator", "https://w3id.org/wpsgraph/id/plan/x/action/4-b", "", "")
    >>> str(r)
    'data/plans/x.yaml:12: action 4.b: warning: no indicator'
    """

    severity: Severity
    file: str
    line: int
    node: str
    message: str
    focus: str
    path: str
    shape: str

    def __str__(self) -> str:
        where = f"{self.file}:{self.line}" if self.line else (self.file or "<graph>")
        return f"{where}: {self.node}: {self.severity.value}: {self.message}"


@dataclass
class ValidationReport:
    """Every result of a validation run; ``conforms`` is true when there is no violation."""

    results: list[ValidationResult] = field(default_factory=list)

    @property
    def conforms(self) -> bool:
        return not self.violations

    @property
    def violations(self) -> list[ValidationResult]:
        return [r for r in self.results if r.severity is Severity.VIOLATION]

    @property
    def warnings(self) -> list[ValidationResult]:
        return [r for r in self.results if r.severity is Severity.WARNING]

    def extend(self, results: Iterable[ValidationResult]) -> None:
        self.results = sorted(
            set(self.results) | set(results),
            key=lambda r: (r.file, r.line, r.severity.value, r.node, r.message, r.focus),
        )

    def summary(self) -> str:
        return f"{len(self.violations)} violation(s), {len(self.warnings)} warning(s)"

    def text(self) -> str:
        """A human-readable report, violations first."""
        ordered = self.violations + self.warnings
        ordered += [r for r in self.results if r.severity is Severity.INFO]
        lines = [str(r) for r in ordered]
        lines.append(("conforms: " if self.conforms else "does not conform: ") + self.summary())
        return "\n".join(lines)


def to_rdflib(quads: Iterable[ox.Quad]) -> Graph:
    """Bulk-convert quads to an rdflib graph (as triples) through N-Triples."""
    triples = (ox.Triple(q.subject, q.predicate, q.object) for q in quads)
    data = ox.serialize(triples, format=ox.RdfFormat.N_TRIPLES)
    graph = Graph()
    if data:
        graph.parse(data=data, format="nt")
    return graph


@cache
def _turtle_graph(path: Path, mtime: float) -> Graph:
    graph = Graph()
    for f in sorted(path.glob("*.ttl")) if path.is_dir() else [path]:
        graph.parse(f, format="turtle")
    return graph


def load_turtle(path: Path) -> Graph:
    """Parse a Turtle file, or every ``*.ttl`` of a folder, once per modification."""
    stamp = (
        max((f.stat().st_mtime for f in path.glob("*.ttl")), default=0.0)
        if path.is_dir()
        else path.stat().st_mtime
    )
    return _turtle_graph(path, stamp)


def _translate(report: Graph, located: Mapping[str, Located]) -> list[ValidationResult]:
    """The one place where pyshacl's report becomes :class:`ValidationResult` values."""
    out = []
    for result in report.subjects(RDF.type, SH.ValidationResult):
        focus = report.value(result, SH.focusNode)
        severity = _SEVERITY.get(report.value(result, SH.resultSeverity), Severity.VIOLATION)
        message = str(report.value(result, SH.resultMessage) or "")
        path = report.value(result, SH.resultPath)
        value = report.value(result, SH.value)
        shape = report.value(result, SH.sourceShape)
        inverse = report.value(path, SH.inversePath) if isinstance(path, BNode) else None
        if inverse is not None:
            path_text = "^" + _short(inverse)
        else:
            path_text = _short(path) if path is not None else ""
        if path_text and path_text not in message:
            message = f"{path_text}: {message}"
        if value is not None and severity is Severity.VIOLATION:
            message += f" (value: {_short(value)})"
        where = located.get(str(focus)) if isinstance(focus, URIRef) else None
        out.append(
            ValidationResult(
                severity,
                where.file if where else "",
                where.line if where else 0,
                where.name if where else _short(focus),
                message,
                str(focus),
                path_text,
                str(shape) if isinstance(shape, URIRef) else "",
            )
        )
    return out


def short_name(iri: str) -> str:
    """An IRI with a known prefix, e.g. ``wps:text``; other IRIs in angle brackets.

    >>> short_name("https://w3id.org/wpsgraph/ontology#text"), short_name("x")
    ('wps:text', 'x')
    """
    for prefix, ns in PREFIXES.items():
        if iri.startswith(ns):
            return f"{prefix}:{iri[len(ns) :]}"
    return iri


def _short(term: object) -> str:
    text = str(term)
    for prefix, ns in PREFIXES.items():
        if text.startswith(ns):
            return f"{prefix}:{text[len(ns) :]}"
    return f"<{text}>" if isinstance(term, URIRef) else text


def validate_quads(
    quads: Iterable[ox.Quad],
    *,
    shapes: Graph,
    ontology: Graph,
    located: Mapping[str, Located],
) -> list[ValidationResult]:
    """Run pyshacl over one data graph (a plan plus reference data) with the ontology."""
    data = to_rdflib(quads)
    _conforms, report, _text = pyshacl.validate(
        data,
        shacl_graph=shapes,
        ont_graph=ontology,
        inference="none",
        allow_warnings=True,
        abort_on_first=False,
        advanced=False,
    )
    assert isinstance(report, Graph)
    return _translate(report, located)


def run_checks(
    store: ox.Store, checks: Path, located: Mapping[str, Located]
) -> list[ValidationResult]:
    """Run every ``*-violation.rq`` over the whole store; each row is a violation.

    A check SELECTs ``?focus`` and ``?message`` (and may SELECT ``?severity`` as
    "warning"), so its rows read like SHACL results.
    """
    out = []
    for path in sorted(checks.glob("*-violation.rq")):
        rows = store.query(path.read_text(encoding="utf-8"), use_default_graph_as_union=True)
        assert isinstance(rows, ox.QuerySolutions)
        for row in rows:
            focus = row["focus"]
            focus_text = focus.value if focus is not None else ""
            where = located.get(focus_text)
            severity = row["severity"]
            sev = (
                Severity.WARNING
                if severity is not None and severity.value == "warning"
                else Severity.VIOLATION
            )
            message = row["message"].value if row["message"] is not None else path.stem
            out.append(
                ValidationResult(
                    sev,
                    where.file if where else "",
                    where.line if where else 0,
                    where.name if where else focus_text,
                    message,
                    focus_text,
                    "",
                    path.name,
                )
            )
    return out


VALIDATORS = ("sparql", "pyshacl")


def validate(
    plan_quads: Mapping[str, list[ox.Quad]],
    reference_quads: list[ox.Quad],
    *,
    shapes_dir: Path,
    ontology_dir: Path,
    located: Mapping[str, Located],
    store: ox.Store | None = None,
    validator: str = "sparql",
) -> ValidationReport:
    """Validate the graph with the SHACL shapes, then run the ``*-violation.rq`` checks.

    ``validator="sparql"`` (the default) compiles the shapes' SHACL Core constraints to
    SPARQL and runs them in the store, which must hold everything (plans, links,
    reference data, ontology). ``validator="pyshacl"`` is the reference implementation:
    each plan graph is validated with a copy of the reference data so that ``sh:class``
    sees the types of actors and instruments; reference nodes are validated once.
    """
    report = ValidationReport()
    checks_dir = shapes_dir / "checks"
    with ThreadPoolExecutor(1) as side:
        # the ``*-violation.rq`` checks run in the store beside the shapes (the store
        # answers without the interpreter lock)
        extra = (
            side.submit(run_checks, store, checks_dir, located)
            if store is not None and checks_dir.is_dir()
            else None
        )
        if validator == "sparql":
            from wpsgraph import shacl_sparql

            if store is None:
                raise ValueError("the sparql validator needs the store")
            checks = shacl_sparql.compile_shapes(shacl_sparql.load_shapes(shapes_dir))
            report.extend(shacl_sparql.run(store, checks, located))
        elif validator == "pyshacl":
            shapes = load_turtle(shapes_dir)
            ontology = load_turtle(ontology_dir)
            reference_nodes = {q.subject.value for q in reference_quads}
            report.extend(
                validate_quads(reference_quads, shapes=shapes, ontology=ontology, located=located)
            )
            for quads in plan_quads.values():
                results = validate_quads(
                    [*quads, *reference_quads], shapes=shapes, ontology=ontology, located=located
                )
                report.extend(r for r in results if r.focus not in reference_nodes)
        else:
            raise ValueError(f"unknown validator {validator!r}; use one of {VALIDATORS}")
        if extra is not None:
            report.extend(extra.result())
    return report
