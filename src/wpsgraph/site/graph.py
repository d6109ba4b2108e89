"""The build's quads grouped by subject in one pass: the only view of the data the site
reads."""

from __future__ import annotations

import gc
from collections import defaultdict
from collections.abc import Callable, Iterable, Iterator
from contextlib import contextmanager
from typing import Any

import pyoxigraph as ox

from wpsgraph.vocab import PREFIXES, WPS, dcterms, rdf, rdfs, skos

Term = ox.NamedNode | ox.BlankNode | ox.Literal
LABEL_PROPS = (rdfs.label, skos.prefLabel, dcterms.title)


class Resource:
    """One subject and everything said about it, both ways: ``out`` its values by
    property, ``inv`` the subjects pointing at it by property (both plain dicts)."""

    __slots__ = ("inv", "iri", "out")

    def __init__(self, iri: str) -> None:
        self.iri = iri
        self.out: dict[str, list[Term]] = {}
        self.inv: dict[str, list[str]] = {}

    def ordered(self) -> list[tuple[str, list[Term]]]:
        """Its outgoing triples by property, then by value (by N-Triples text): the order
        the store's serialisers write them in, which its RDF files and its digest follow."""
        found = []
        for p in sorted(self.out):
            objs = self.out[p]
            if len(objs) > 1:  # most properties have one value: no text is made for it
                objs = sorted(objs, key=str)
            found.append((p, objs))
        return found

    def one(self, prop: ox.NamedNode) -> str:
        values = self.out.get(prop.value)
        return values[0].value if values else ""

    def all(self, prop: ox.NamedNode) -> list[Term]:
        return list(self.out.get(prop.value, []))

    def refs(self, prop: ox.NamedNode) -> list[str]:
        """The IRIs this resource points to with ``prop``, in a stable order."""
        return iris_in(self.out.get(prop.value, ()))


def iris_in(values: Iterable[Term]) -> list[str]:
    """The IRIs among ``values``, sorted, each once."""
    return sorted({t.value for t in values if isinstance(t, ox.NamedNode)})


class Graph:
    """The quads grouped by subject (one pass), with labels, types and local paths."""

    def __init__(self, quads: Iterable[ox.Quad], id_base: str) -> None:
        self.id_base = id_base
        self.res: dict[str, Resource] = {}
        self._members: dict[str, list[Resource]] = {}  # by class
        self._local: tuple[Resource, ...] | None = None
        self._supers: dict[str, set[str]] = {}
        self._classes: dict[str, frozenset[str]] = {}  # by resource
        self._class_sets: dict[tuple[str, ...], frozenset[str]] = {}  # by its types
        # what the views work out once per build and reuse across pages (breadcrumbs …)
        self.memo: dict[str, dict[Any, Any]] = defaultdict(dict)
        self._labels: dict[str, str] = {}
        # with the quads in parts (:class:`wpsgraph.build.LoadOrder`): the part whose
        # resources begin at each position of ``res``, in order
        self.blocks: list[tuple[str | None, int]] = []
        with collector_paused():
            parts = getattr(quads, "parts", None)
            if parts is None:
                self._group(quads)
            for name, part in parts or ():
                self.blocks.append((name, len(self.res)))
                self._group(part)

    def forget(self) -> None:
        """Drop what was worked out from the resources (labels, classes, members,
        breadcrumbs …): for a graph whose resources changed in place."""
        self._members, self._local, self._supers = {}, None, {}
        self._classes, self._class_sets, self._labels = {}, {}, {}
        self.memo.clear()

    def _group(self, quads: Iterable[ox.Quad]) -> None:
        """The scan: at 1M triples the site's biggest single step, so written for speed
        (plain dicts, names bound locally)."""
        res = self.res
        get = res.get
        for q in quads:
            s = q.subject
            if type(s) is not NamedNode:
                continue
            sv = s.value
            r = get(sv)
            if r is None:
                r = res[sv] = Resource(sv)
            o = q.object
            p = q.predicate.value
            out = r.out
            values = out.get(p)
            if values is None:
                out[p] = [o]
            elif o in values:  # the same triple in several graphs (e.g. reference copies)
                continue
            else:
                values.append(o)
            if type(o) is NamedNode:
                ov = o.value
                target = get(ov)
                if target is None:
                    target = res[ov] = Resource(ov)
                subjects = target.inv.get(p)
                if subjects is None:
                    target.inv[p] = [sv]
                else:
                    subjects.append(sv)

    def label(self, iri: str) -> str:
        label = self._labels.get(iri)
        if label is None:
            label = self._labels[iri] = self._label(iri)
        return label

    def _label(self, iri: str) -> str:
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
            if local and (".." not in local or ".." not in local.split("/")):
                return "id/" + local
        return None

    def plan_id(self, iri: str) -> str | None:
        """The plan in whose own part of the site a published resource's page is (its
        page or below; :func:`wpsgraph.site.reuse.plan_of_path` of its path), by prefix."""
        under = self.id_base + "plan/"
        return iri[len(under) :].partition("/")[0] if iri.startswith(under) else None

    def local(self) -> tuple[Resource, ...]:
        """The resources with a page of their own (published, with triples of their own),
        found once (until :meth:`forget`)."""
        if self._local is None:
            self._local = tuple(r for r in self.res.values() if self._published(r))
        return self._local

    def _published(self, r: Resource) -> bool:
        """Whether ``r`` has a page of its own: a path on the site, and triples of its own."""
        return bool(r.out) and self.path(r.iri) is not None

    def instances(self, cls: str) -> list[Resource]:
        """The published resources that are instances of wps:<cls> (or of a subclass),
        each once: those the class's and its subclasses' incoming ``rdf:type`` links come
        from (the grouped graph's inverse index), not a pass over every resource (0.45 s
        at 1M triples, on the critical path of a rebuild). Worked out once per class."""
        found = self._members.get(cls)
        if found is None:
            found, seen = [], set()
            for c in self._subclasses(WPS + cls):
                target = self.res.get(c)
                for iri in target.inv.get(RDF_TYPE, ()) if target is not None else ():
                    if iri not in seen:
                        seen.add(iri)
                        r = self.res[iri]
                        if self._published(r):
                            found.append(r)
            self._members[cls] = found
        return list(found)

    def _subclasses(self, c: str) -> list[str]:
        """``c`` and every class declared a subclass of it, at any depth, in order."""
        return sorted(self._along(c, lambda r: r.inv.get(SUBCLASS_OF, ())))

    def _superclasses(self, c: str) -> set[str]:
        """``c`` and every class it is declared a subclass of, at any depth (cached)."""
        if c not in self._supers:
            self._supers[c] = self._along(c, lambda r: r.refs(rdfs.subClassOf))
        return self._supers[c]

    def _along(self, c: str, step: Callable[[Resource], Iterable[str]]) -> set[str]:
        """``c`` and every IRI ``step`` leads to from it, at any depth."""
        seen, todo = {c}, [c]
        while todo:
            r = self.res.get(todo.pop())
            for x in step(r) if r is not None else ():
                if x not in seen:
                    seen.add(x)
                    todo.append(x)
        return seen

    def is_a(self, r: Resource, cls: str) -> bool:
        """Is ``r`` an instance of wps:<cls> or of a declared subclass of it?"""
        return WPS + cls in self.classes(r)

    def classes(self, r: Resource) -> frozenset[str]:
        """Every class ``r`` is an instance of: its types and their superclasses
        (worked out once per resource, and once per distinct set of types)."""
        found = self._classes.get(r.iri)
        if found is None:
            types = tuple(t.value for t in r.out.get(RDF_TYPE, ()))
            found = self._class_sets.get(types)
            if found is None:
                found = self._class_sets[types] = frozenset(
                    c for t in types for c in self._superclasses(t)
                )
            self._classes[r.iri] = found
        return found

    def plan_of(self, r: Resource) -> Resource | None:
        for iri in r.refs(WPS_PART_OF):
            if iri in self.res:
                return self.res[iri]
        return None


@contextmanager
def collector_paused() -> Iterator[None]:
    """The cycle collector off while the scan makes millions of containers, none of them
    garbage: left on, it walks every one of them again and again (a third of the scan's
    time at 1M triples)."""
    was = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if was:
            gc.enable()


NamedNode = ox.NamedNode
WPS_PART_OF = ox.NamedNode(WPS + "partOfPlan")
RDF_TYPE = rdf.type.value
SUBCLASS_OF = rdfs.subClassOf.value
