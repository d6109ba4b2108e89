"""Remote: publish the graph to a SPARQL 1.1 server and query it there.

Publishing uses the SPARQL 1.1 Graph Store HTTP Protocol: each named graph (one per plan,
the reference data, the ontology) is replaced as a whole with one ``PUT``, which a server
applies atomically, so a graph is always either the old or the new one. Queries go through
SPARQLWrapper with the SPARQL 1.1 Protocol; the default graph is the merge of our named
graphs (``default-graph-uri``), so the library runs unchanged on any server.

>>> Endpoint.parse("http://127.0.0.1:7878/query").store
'http://127.0.0.1:7878/store'
>>> Endpoint.parse("ftp://x/query")
Traceback (most recent call last):
...
wpsgraph.remote.RemoteError: 'ftp://x/query' is not an http(s) URL
"""

from __future__ import annotations

import json
import re
import time
import urllib.error
import urllib.parse
import urllib.request
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from typing import Any

import pyoxigraph as ox
from SPARQLWrapper import JSON, POST, URLENCODED, SPARQLWrapper
from SPARQLWrapper.SPARQLExceptions import SPARQLWrapperException, Unauthorized

from wpsgraph.errors import WpsgraphError
from wpsgraph.query import Query, bind, bound_text
from wpsgraph.results import QueryResult

TRANSIENT_STATUS = {429, 502, 503, 504}


class RemoteError(WpsgraphError):
    """The server could not be reached, refused us, or answered with an error."""


def check_url(url: str) -> str:
    parts = urllib.parse.urlsplit(url)
    if parts.scheme not in ("http", "https") or not parts.hostname:
        raise RemoteError(f"{url!r} is not an http(s) URL")
    try:
        parts.port  # noqa: B018 - raises on a malformed port
    except ValueError as exc:
        raise RemoteError(f"{url!r} has a malformed port") from exc
    return url


@dataclass(frozen=True)
class Endpoint:
    """Where a server answers queries, and where its Graph Store Protocol lives."""

    query: str
    store: str
    user: str | None = None
    password: str | None = field(default=None, repr=False)
    auth: str = "basic"
    timeout: float = 30.0
    retries: int = 3
    backoff: float = 0.5

    @classmethod
    def parse(cls, query: str, store: str | None = None, **options: Any) -> Endpoint:
        """The query URL, and the store URL (default: Oxigraph's sibling ``/store``)."""
        check_url(query)
        if store is None:
            if not query.rstrip("/").endswith("/query"):
                raise RemoteError(
                    f"cannot guess the Graph Store Protocol URL of {query}; give --graph-store "
                    "(Fuseki: http://host:3030/DATASET/data, Virtuoso: "
                    "http://host:8890/sparql-graph-crud-auth)"
                )
            store = query.rstrip("/")[: -len("/query")] + "/store"
        return cls(query, check_url(store), **options)

    def _opener(self) -> urllib.request.OpenerDirector:
        handlers: list[urllib.request.BaseHandler] = []
        if self.user is not None:
            manager = urllib.request.HTTPPasswordMgrWithDefaultRealm()
            for url in (self.query, self.store):
                manager.add_password(None, url, self.user, self.password or "")
            handler: urllib.request.BaseHandler
            if self.auth == "digest":
                handler = urllib.request.HTTPDigestAuthHandler(manager)
            else:
                handler = urllib.request.HTTPBasicAuthHandler(manager)
            handlers.append(handler)
        return urllib.request.build_opener(*handlers)

    def request(
        self,
        method: str,
        url: str,
        body: bytes | None = None,
        headers: Mapping[str, str] | None = None,
    ) -> bytes:
        """One HTTP request with retries and backoff for transient failures."""
        opener = self._opener()
        attempt = 0
        while True:
            req = urllib.request.Request(url, data=body, method=method, headers=dict(headers or {}))
            try:
                with opener.open(req, timeout=self.timeout) as response:
                    data: bytes = response.read()
                    return data
            except urllib.error.HTTPError as exc:
                if exc.code in (401, 403):
                    raise RemoteError(
                        f"{method} {_safe(url)}: authentication refused (HTTP {exc.code})"
                    ) from exc
                if exc.code not in TRANSIENT_STATUS or attempt >= self.retries:
                    detail = exc.read()[:300].decode("utf-8", "replace").strip()
                    raise RemoteError(
                        f"{method} {_safe(url)}: HTTP {exc.code} {exc.reason}"
                        + (f": {detail}" if detail else "")
                    ) from exc
            except (urllib.error.URLError, TimeoutError, ConnectionError) as exc:
                if attempt >= self.retries:
                    reason = getattr(exc, "reason", exc)
                    what = (
                        "timed out"
                        if isinstance(reason, TimeoutError) or "timed out" in str(reason)
                        else f"not reachable ({reason})"
                    )
                    raise RemoteError(f"{method} {_safe(url)}: server {what}") from exc
            time.sleep(self.backoff * 2**attempt)
            attempt += 1

    def graph_url(self, graph: str) -> str:
        sep = "&" if "?" in self.store else "?"
        return f"{self.store}{sep}graph={urllib.parse.quote(graph, safe='')}"


def _safe(url: str) -> str:
    """A URL without user:password, for messages."""
    parts = urllib.parse.urlsplit(url)
    if parts.username or parts.password:
        netloc = parts.hostname or ""
        if parts.port:
            netloc += f":{parts.port}"
        parts = parts._replace(netloc=netloc)
    return urllib.parse.urlunsplit(parts)


# --------------------------------------------------------------------------- queries


def select_json(endpoint: Endpoint, text: str, graphs: list[str] | None = None) -> dict[str, Any]:
    """Run a query through SPARQLWrapper; SPARQL JSON results as a dict."""
    sparql = SPARQLWrapper(endpoint.query)
    sparql.setMethod(POST)
    sparql.setRequestMethod(URLENCODED)
    sparql.setReturnFormat(JSON)
    sparql.setTimeout(int(endpoint.timeout))
    if endpoint.user is not None:
        sparql.setCredentials(endpoint.user, endpoint.password or "")
        sparql.setHTTPAuth("DIGEST" if endpoint.auth == "digest" else "BASIC")
    for g in graphs or []:
        sparql.addDefaultGraph(g)
    sparql.setQuery(text)
    # SPARQLWrapper guesses the query form with a regular expression that mistakes words
    # such as "addressee" for the update keyword ADD; the library only reads, so say so.
    body = "\n".join(
        line
        for line in text.splitlines()
        if not line.lstrip().startswith(("#", "PREFIX", "prefix", "BASE", "base"))
    )
    sparql.queryType = "ASK" if re.match(r"\s*ASK\b", body, re.I) else "SELECT"
    attempt = 0
    while True:
        try:
            result = sparql.queryAndConvert()
            assert isinstance(result, dict)
            return result
        except Unauthorized as exc:
            raise RemoteError(f"query {_safe(endpoint.query)}: authentication refused") from exc
        except SPARQLWrapperException as exc:
            raise RemoteError(f"query {_safe(endpoint.query)}: {exc}") from exc
        except urllib.error.HTTPError as exc:
            if exc.code in (401, 403):
                raise RemoteError(
                    f"query {_safe(endpoint.query)}: authentication refused (HTTP {exc.code})"
                ) from exc
            if exc.code not in TRANSIENT_STATUS or attempt >= endpoint.retries:
                raise RemoteError(f"query {_safe(endpoint.query)}: HTTP {exc.code}") from exc
        except (urllib.error.URLError, TimeoutError, ConnectionError) as exc:
            if attempt >= endpoint.retries:
                raise RemoteError(
                    f"query {_safe(endpoint.query)}: server not reachable or timed out ({exc})"
                ) from exc
        time.sleep(endpoint.backoff * 2**attempt)
        attempt += 1


def graph_counts(endpoint: Endpoint, prefix: str) -> dict[str, int]:
    """Triples per named graph on the server, for graphs whose IRI starts with ``prefix``."""
    doc = select_json(
        endpoint,
        "SELECT ?g (COUNT(*) AS ?n) WHERE { GRAPH ?g { ?s ?p ?o } } GROUP BY ?g",
    )
    out = {}
    for b in doc["results"]["bindings"]:
        g = b["g"]["value"]
        if g.startswith(prefix):
            out[g] = int(b["n"]["value"])
    return out


def run_query_remote(
    endpoint: Endpoint,
    query: Query,
    params: Mapping[str, str] | None = None,
    *,
    id_base: str,
    graph_prefix: str,
) -> QueryResult:
    """Run a library query on the server, with the same parameters and results as
    :func:`wpsgraph.query.run_query` on the embedded store.

    Parameters become one RDF term each (validated exactly as for the embedded store) and
    are bound with a ``VALUES`` block of terms serialised by pyoxigraph, never pasted.
    """
    text = bound_text(query, bind(query, params or {}, id_base))
    if text is None:
        raise RemoteError(f"query {query.name}: no WHERE {{ to bind parameters in")
    graphs = sorted(graph_counts(endpoint, graph_prefix))
    doc = select_json(endpoint, text, graphs)
    if "boolean" in doc:
        return QueryResult([], boolean=bool(doc["boolean"]))
    return QueryResult(list(doc["head"]["vars"]), doc["results"]["bindings"])


# --------------------------------------------------------------------------- publish


@dataclass
class GraphReport:
    graph: str
    local: int | None  # None: not in the local build (stale on the server)
    before: int
    after: int | None = None
    action: str = ""  # "put", "delete", "keep"
    done: bool = False


@dataclass
class PublishReport:
    graphs: list[GraphReport]
    seconds: float = 0.0
    dry_run: bool = False

    def table(self) -> str:
        rows = [("graph", "action", "local", "before", "after", "status")]
        for g in self.graphs:
            status = "dry run" if self.dry_run else ("ok" if g.done else "NOT DONE")
            if g.action == "keep":
                status = "stale (use --prune)"
            rows.append((g.graph, g.action, _n(g.local), str(g.before), _n(g.after), status))
        widths = [max(len(r[i]) for r in rows) for i in range(len(rows[0]))]
        lines = [
            "  ".join(c.ljust(w) for c, w in zip(r, widths, strict=True)).rstrip() for r in rows
        ]
        lines.append(f"{len(self.graphs)} graph(s) in {self.seconds:.2f} s")
        return "\n".join(lines)


def _n(value: int | None) -> str:
    return "-" if value is None else str(value)


class PublishError(RemoteError):
    """A publish stopped part way; ``report`` says which graphs were replaced."""

    def __init__(self, message: str, report: PublishReport) -> None:
        self.report = report
        done = [g.graph for g in report.graphs if g.done]
        todo = [g.graph for g in report.graphs if not g.done and g.action != "keep"]
        super().__init__(
            f"{message}\nreplaced: {', '.join(done) or 'none'}\n"
            f"not replaced (still the old version on the server): {', '.join(todo) or 'none'}"
        )


def local_graphs(store: ox.Store) -> dict[str, list[ox.Triple]]:
    out: dict[str, list[ox.Triple]] = {}
    for q in store:
        if isinstance(q.graph_name, ox.NamedNode):
            out.setdefault(q.graph_name.value, []).append(
                ox.Triple(q.subject, q.predicate, q.object)
            )
    return out


def publish(
    store: ox.Store,
    endpoint: Endpoint,
    *,
    graph_prefix: str,
    prune: bool = False,
    dry_run: bool = False,
    after_each: Callable[[GraphReport], None] = lambda _: None,
) -> PublishReport:
    """Replace every local named graph on the server (PUT), prune stale ones if asked,
    then check each graph's triple count on the server."""
    started = time.perf_counter()
    local = local_graphs(store)
    before = graph_counts(endpoint, graph_prefix)
    graphs = [
        GraphReport(g, len(t), before.get(g, 0), action="put") for g, t in sorted(local.items())
    ]
    for g in sorted(set(before) - set(local)):
        graphs.append(GraphReport(g, None, before[g], action="delete" if prune else "keep"))
    report = PublishReport(graphs, dry_run=dry_run)
    if dry_run:
        report.seconds = time.perf_counter() - started
        return report
    for g in graphs:
        try:
            if g.action == "put":
                body = ox.serialize(local[g.graph], format=ox.RdfFormat.N_TRIPLES) or b""
                endpoint.request(
                    "PUT",
                    endpoint.graph_url(g.graph),
                    body,
                    {"Content-Type": "application/n-triples"},
                )
            elif g.action == "delete":
                endpoint.request("DELETE", endpoint.graph_url(g.graph))
            else:
                continue
        except RemoteError as exc:
            report.seconds = time.perf_counter() - started
            raise PublishError(f"publish stopped at {g.graph}: {exc}", report) from exc
        g.done = True
        after_each(g)
    after = graph_counts(endpoint, graph_prefix)
    wrong = []
    for g in graphs:
        g.after = after.get(g.graph, 0)
        expected = g.local if g.action == "put" else (0 if g.action == "delete" else g.before)
        if g.after != expected:
            wrong.append(f"{g.graph}: {g.after} triples on the server, expected {expected}")
    report.seconds = time.perf_counter() - started
    if wrong:
        raise PublishError("the server does not hold what was sent:\n" + "\n".join(wrong), report)
    return report


def server_summary(endpoint: Endpoint, graph_prefix: str) -> str:
    """A one-line description of what the server holds, for messages."""
    counts = graph_counts(endpoint, graph_prefix)
    return json.dumps({"graphs": len(counts), "triples": sum(counts.values())})
