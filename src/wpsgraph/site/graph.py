"""The store grouped by subject in one scan: the only view of the data the site reads."""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass, field

import pyoxigraph as ox

from wpsgraph.vocab import PREFIXES, WPS, dcterms, rdf, rdfs, skos

Term = ox.NamedNode | ox.BlankNode | ox.Literal
LABEL_PROPS = (rdfs.label, skos.prefLabel, dcterms.title)


@dataclass(eq=False)
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

    def refs(self, prop: ox.NamedNode) -> list[str]:
        """The IRIs this resource points to with ``prop``, in a stable order."""
        return sorted({t.value for t in self.all(prop) if isinstance(t, ox.NamedNode)})


class Graph:
    """The store grouped by subject (one scan), with labels, types and local paths."""

    def __init__(self, quads: Iterable[ox.Quad], id_base: str) -> None:
        self.id_base = id_base
        self.res: dict[str, Resource] = {}
        self._isa: dict[tuple[str, str], bool] = {}
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

    def is_a(self, r: Resource, cls: str) -> bool:
        """Is ``r`` an instance of wps:<cls> or of a declared subclass of it?"""
        return any(self._subclass(t.value, WPS + cls) for t in r.all(rdf.type))

    def _subclass(self, c: str, target: str) -> bool:
        key = (c, target)
        if key not in self._isa:
            todo, seen, found = [c], set(), False
            while todo and not found:
                x = todo.pop()
                found = x == target
                seen.add(x)
                sup = self.res.get(x)
                if sup:
                    todo += [s for s in sup.refs(rdfs.subClassOf) if s not in seen]
            self._isa[key] = found
        return self._isa[key]

    def plan_of(self, r: Resource) -> Resource | None:
        for iri in r.refs(WPS_PART_OF):
            if iri in self.res:
                return self.res[iri]
        return None


WPS_PART_OF = ox.NamedNode(WPS + "partOfPlan")
