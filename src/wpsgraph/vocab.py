"""Namespaces and the identifier scheme (DESIGN.md, "Identifiers").

>>> ids = Iris("https://example.org/wps/")
>>> ids.action("be-nap-2017", "2.b.").value
'https://example.org/wps/id/plan/be-nap-2017/action/2-b'
>>> slug("4.1.2."), slug("P1 / C2")
('4-1-2', 'p1-c2')
"""

from __future__ import annotations

import re
from urllib.parse import urlsplit

from pyoxigraph import NamedNode

from wpsgraph.errors import WpsgraphError

DEFAULT_BASE = "https://w3id.org/wpsgraph"
WPS = "https://w3id.org/wpsgraph/ontology#"
ONTOLOGY_IRI = "https://w3id.org/wpsgraph/ontology"

PREFIXES = {
    "wps": WPS,
    "rdf": "http://www.w3.org/1999/02/22-rdf-syntax-ns#",
    "rdfs": "http://www.w3.org/2000/01/rdf-schema#",
    "owl": "http://www.w3.org/2002/07/owl#",
    "xsd": "http://www.w3.org/2001/XMLSchema#",
    "skos": "http://www.w3.org/2004/02/skos/core#",
    "dcterms": "http://purl.org/dc/terms/",
    "prov": "http://www.w3.org/ns/prov#",
    "org": "http://www.w3.org/ns/org#",
    "foaf": "http://xmlns.com/foaf/0.1/",
    "sh": "http://www.w3.org/ns/shacl#",
    "void": "http://rdfs.org/ns/void#",
    "dcat": "http://www.w3.org/ns/dcat#",
    "schema": "https://schema.org/",
}


class NS:
    """A namespace whose attributes are :class:`NamedNode` terms.

    >>> NS("http://x/#").foo.value
    'http://x/#foo'
    """

    def __init__(self, base: str) -> None:
        self._base = base
        self._cache: dict[str, NamedNode] = {}

    def __getattr__(self, name: str) -> NamedNode:
        if name.startswith("_"):
            raise AttributeError(name)
        node = self[name]
        self.__dict__[name] = node  # the next lookup does not come here
        return node

    def __getitem__(self, name: str) -> NamedNode:
        node = self._cache.get(name)
        if node is None:
            node = self._cache[name] = NamedNode(self._base + name)
        return node


wps = NS(WPS)
rdf = NS(PREFIXES["rdf"])
rdfs = NS(PREFIXES["rdfs"])
owl = NS(PREFIXES["owl"])
xsd = NS(PREFIXES["xsd"])
skos = NS(PREFIXES["skos"])
dcterms = NS(PREFIXES["dcterms"])
prov = NS(PREFIXES["prov"])
org = NS(PREFIXES["org"])
foaf = NS(PREFIXES["foaf"])

_NON_SLUG = re.compile(r"[^a-z0-9]+")


def slug(number: str) -> str:
    """The URL-safe local part of a plan's own number: lower case, runs of anything
    else than letters and digits become one hyphen, none at either end."""
    return _NON_SLUG.sub("-", number.lower()).strip("-")


INSTRUMENT_PATHS = {
    "Convention": "convention",
    "Protocol": "convention",
    "Framework": "framework",
    "Policy": "policy",
}


def checked_base(base: str) -> str:
    """``base`` if it can be the base of every IRI the data uses (an ``http`` or
    ``https`` URL with a host, without a query or a fragment, every IRI under it valid),
    else a :class:`~wpsgraph.errors.WpsgraphError` saying why: the site writes it into
    its pages, links and sitemap, so it is checked before anything is made from it.

    >>> checked_base("https://example.org/wps")
    'https://example.org/wps'
    """
    parts = urlsplit(base)
    if parts.scheme not in ("http", "https") or not parts.netloc:
        problem = "not an http:// or https:// URL with a host"
    elif parts.query or parts.fragment or base.endswith(("?", "#")):
        problem = "a base URL has no query (?) or fragment (#)"
    else:
        try:
            NamedNode(base.rstrip("/") + "/id/")
            return base
        except ValueError as exc:
            problem = f"not a valid IRI: {exc}"
    raise WpsgraphError(f"base URL {base!r}: {problem} (such as {DEFAULT_BASE})")


class Iris:
    """Every IRI the data uses, derived from one configurable base."""

    def __init__(self, base: str = DEFAULT_BASE) -> None:
        self.base = checked_base(base).rstrip("/")
        self.id = self.base + "/id/"

    def _n(self, path: str) -> NamedNode:
        return NamedNode(self.id + path)

    def plan(self, plan: str) -> NamedNode:
        return self._n(f"plan/{plan}")

    def objective(self, plan: str, level: str, local: str) -> NamedNode:
        return self._n(f"plan/{plan}/{level}/{slug(local)}")

    def action(self, plan: str, number: str) -> NamedNode:
        return self._n(f"plan/{plan}/action/{slug(number)}")

    def indicator(self, plan: str, local: str) -> NamedNode:
        return self._n(f"plan/{plan}/indicator/{slug(local)}")

    def statement(self, plan: str, topic: str) -> NamedNode:
        return self._n(f"plan/{plan}/statement/{slug(topic)}")

    def reference(self, subject: NamedNode, instrument: str) -> NamedNode:
        return NamedNode(f"{subject.value}/reference/{instrument}")

    def document(self, plan: str) -> NamedNode:
        return self._n(f"document/{plan}")

    def resolution(self, rid: str) -> NamedNode:
        return self._n(f"resolution/{rid}")

    def instrument(self, kind: str, iid: str) -> NamedNode:
        return self._n(f"{INSTRUMENT_PATHS[kind]}/{iid}")

    def country(self, code: str) -> NamedNode:
        return self._n(f"country/{code}")

    def actor(self, aid: str) -> NamedNode:
        return self._n(f"actor/{aid}")

    def theme(self, tid: str) -> NamedNode:
        return self._n(f"theme/{tid}")

    def theme_scheme(self) -> NamedNode:
        return self._n("theme")

    def graph(self, name: str) -> NamedNode:
        """Named graphs: ``graph/plan/<id>``, ``graph/reference``, ``graph/ontology``."""
        return NamedNode(f"{self.base}/graph/{name}")

    def plan_graph(self, plan: str) -> NamedNode:
        return self.graph(f"plan/{plan}")

    def links_graph(self, plan: str) -> NamedNode:
        """Where the linker puts a plan's links: ``graph/links/<id>``."""
        return self.graph(f"links/{plan}")

    def plan_graphs(self, plan: str) -> tuple[NamedNode, NamedNode]:
        """A plan's two graphs: its own and its links'."""
        return self.plan_graph(plan), self.links_graph(plan)
