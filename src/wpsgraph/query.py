"""Queries: the library in ``queries/*.rq``, its headers, bound parameters and output.

A query file starts with a header of ``#`` comment lines::

    # title: Actions of an actor
    # description: Every action for which an actor is responsible, with its plan.
    # param: actor | iri | id/actor/{} | Actor id, e.g. be-defence
    # columns: plan, number, action, text

Each ``param`` line gives the variable name (``?actor`` in the query), its kind
(``iri``, ``string``, ``integer``, ``year``), for ``iri`` a template below the data base
(``{}`` is replaced by the value) and a help text. A value is checked and turned into one
RDF term, and bound by a ``VALUES`` block first inside the outer ``WHERE`` (the term
serialised by pyoxigraph: the raw value is never pasted into the query text). That block
binds the variable before the patterns are evaluated, so the store starts from the bound
value; pyoxigraph's ``substitutions`` (the fallback for a query without ``WHERE``) join it
only at the end, several times slower on a large graph. A query lists its parameters among
its columns. What a query gives back, and in which formats, is :mod:`wpsgraph.results`.

>>> q = parse_query("x", "# title: T\\n# description: Long:\\n#   two lines.\\n"
...                  "# param: n | integer | | how many\\nSELECT ?n {}")
>>> q.title, q.description, [p.name for p in q.params]
('T', 'Long: two lines.', ['n'])
>>> q.params[0].term("12", "https://ex.org/").value
'12'
"""

from __future__ import annotations

import re
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path

import pyoxigraph as ox

from wpsgraph.errors import QueryError
from wpsgraph.results import QueryResult
from wpsgraph.vocab import PREFIXES, xsd

PARAM_KINDS = ("iri", "string", "integer", "year")
_LOCAL = re.compile(r"^[A-Za-z0-9][A-Za-z0-9._-]*$")
_NAME = re.compile(r"^[a-z][a-z0-9-]*$")
PREFIX_BLOCK = "".join(f"PREFIX {p}: <{iri}>\n" for p, iri in PREFIXES.items())


@dataclass(frozen=True)
class Param:
    """One declared parameter of a query."""

    name: str
    kind: str
    template: str = ""
    help: str = ""

    def term(self, value: str, id_base: str) -> ox.NamedNode | ox.Literal:
        """The RDF term for a value given on the command line, or :class:`QueryError`.

        >>> Param("actor", "iri", "actor/{}").term("be-defence", "https://ex.org/id/").value
        'https://ex.org/id/actor/be-defence'
        >>> Param("actor", "iri", "actor/{}").term("../x", "https://ex.org/id/")
        Traceback (most recent call last):
        ...
        wpsgraph.errors.QueryError: parameter actor: '../x' is not an identifier ...
        """
        if self.kind == "iri":
            if not _LOCAL.match(value) or ".." in value:
                raise QueryError(
                    f"parameter {self.name}: {value!r} is not an identifier "
                    "(letters, digits, '.', '_' and '-' only)"
                )
            return ox.NamedNode(id_base + self.template.replace("{}", value))
        if self.kind in ("integer", "year"):
            if not re.fullmatch(r"-?[0-9]+", value.strip()):
                raise QueryError(f"parameter {self.name}: {value!r} is not a whole number")
            datatype = xsd.integer if self.kind == "integer" else xsd.gYear
            return ox.Literal(value.strip(), datatype=datatype)
        return ox.Literal(value)


@dataclass(frozen=True)
class Query:
    """A parsed query file."""

    name: str
    text: str
    title: str = ""
    description: str = ""
    params: tuple[Param, ...] = ()
    columns: tuple[str, ...] = ()
    path: Path | None = None

    def param(self, name: str) -> Param:
        for p in self.params:
            if p.name == name:
                return p
        known = ", ".join(p.name for p in self.params) or "none"
        raise QueryError(f"query {self.name} has no parameter '{name}' (parameters: {known})")


def parse_query(name: str, text: str, path: Path | None = None) -> Query:
    """Read the ``#`` header of a query file."""
    fields: dict[str, str] = {}
    params: list[Param] = []
    last = ""
    for raw in text.splitlines():
        line = raw.strip()
        if not line.startswith("#"):
            if line:
                break
            continue
        body = line[1:]
        if last in ("title", "description", "columns") and body.startswith("  "):
            fields[last] += " " + body.strip()  # an indented line continues the field
            continue
        key, sep, value = body.strip().partition(":")
        if not sep:
            continue
        key, value = key.strip().lower(), value.strip()
        last = key
        if key == "param":
            parts = [p.strip() for p in value.split("|")]
            if len(parts) != 4 or parts[1] not in PARAM_KINDS or not _NAME.match(parts[0]):
                raise QueryError(
                    f"{path or name}: bad param line {value!r}; "
                    f"expected 'name | {'/'.join(PARAM_KINDS)} | template | help'"
                )
            params.append(Param(parts[0].replace("-", "_"), parts[1], parts[2], parts[3]))
        elif key in ("title", "description", "columns"):
            fields[key] = (fields.get(key, "") + " " + value).strip()
    columns = tuple(c.strip() for c in fields.get("columns", "").split(",") if c.strip())
    return Query(
        name,
        text,
        fields.get("title", name),
        fields.get("description", ""),
        tuple(params),
        columns,
        path,
    )


def list_queries(directory: Path) -> list[Query]:
    """Every ``*.rq`` in the query library, by name."""
    return [load_query(p.stem, directory) for p in sorted(directory.glob("*.rq"))]


def load_query(name_or_file: str, directory: Path) -> Query:
    """A query by library name (``actions-of-actor``) or by path to a ``.rq`` file."""
    path = Path(name_or_file)
    if not (path.suffix == ".rq" and path.is_file()):
        if not _NAME.match(name_or_file):
            raise QueryError(f"no query named {name_or_file!r}")
        path = directory / f"{name_or_file}.rq"
        if not path.is_file():
            names = [p.stem for p in sorted(directory.glob("*.rq"))]
            import difflib

            close = difflib.get_close_matches(name_or_file, names, n=1)
            hint = f" (did you mean '{close[0]}'?)" if close else ""
            raise QueryError(f"no query named '{name_or_file}' in {directory}{hint}")
    return parse_query(path.stem, path.read_text(encoding="utf-8"), path)


def bind(query: Query, params: Mapping[str, str], id_base: str) -> dict[ox.Variable, object]:
    """Turn ``KEY=VALUE`` parameters into pyoxigraph substitutions; every declared
    parameter must be given, and no undeclared one."""
    subs: dict[ox.Variable, object] = {}
    for key, value in params.items():
        p = query.param(key.replace("-", "_"))
        subs[ox.Variable(p.name)] = p.term(value, id_base)
    missing = [p.name for p in query.params if ox.Variable(p.name) not in subs]
    if missing:
        helps = "; ".join(f"{p.name}: {p.help}" for p in query.params if p.name in missing)
        raise QueryError(f"query {query.name} needs --param for {', '.join(missing)} ({helps})")
    return subs


_WHERE = re.compile(r"^[^#\n]*?\bWHERE\s*\{", re.I | re.M)


def bound_text(query: Query, subs: Mapping[ox.Variable, object]) -> str | None:
    """The query with its parameters bound by a ``VALUES`` block of pyoxigraph-serialised
    terms, first inside the outer ``WHERE`` (so FILTERs and patterns see the value); the
    query as it is when there is nothing to bind; ``None`` when it has no ``WHERE`` to
    put the block in (bind with substitutions then)."""
    text = PREFIX_BLOCK + query.text
    if not subs:
        return text
    where = _WHERE.search(text)
    if where is None:
        return None
    names = " ".join(str(v) for v in subs)
    values = " ".join(str(t) for t in subs.values())
    block = f"\n  VALUES ({names}) {{ ({values}) }}\n"
    return text[: where.end()] + block + text[where.end() :]


def run_query(
    store: ox.Store,
    query: Query | str,
    params: Mapping[str, str] | None = None,
    *,
    id_base: str = "https://w3id.org/wpsgraph/id/",
    directory: Path | None = None,
) -> QueryResult:
    """Run a library query (or a :class:`Query`) over the union of all graphs."""
    if isinstance(query, str):
        if directory is None:
            raise QueryError("give the queries directory to run a query by name")
        query = load_query(query, directory)
    subs = bind(query, params or {}, id_base)
    text = bound_text(query, subs)
    try:
        if text is None:
            result = store.query(
                PREFIX_BLOCK + query.text,
                substitutions=subs,  # type: ignore[arg-type]
                use_default_graph_as_union=True,
            )
        else:
            result = store.query(text, use_default_graph_as_union=True)
    except (SyntaxError, RuntimeError) as exc:
        raise QueryError(f"{query.path or query.name}: {exc}") from exc
    if isinstance(result, ox.QueryBoolean):
        return QueryResult([], boolean=bool(result))
    if not isinstance(result, ox.QuerySolutions):
        raise QueryError(f"query {query.name} is not a SELECT or ASK query")
    variables = [v.value for v in result.variables]
    # the store writes every solution in one call that does not hold the interpreter's
    # lock; iterating them takes the lock and lets it go for every row, which costs a query
    # run in a thread (the site's library, while the main thread groups the store) a wait
    # for its turn per row. TSV: the smallest of its formats (less than half the JSON at
    # 1M triples), read further only when asked (see QueryResult)
    return QueryResult(variables, tsv=result.serialize(format=ox.QueryResultsFormat.TSV))


__all__: Sequence[str] = [
    "Param",
    "Query",
    "QueryError",
    "bind",
    "list_queries",
    "load_query",
    "parse_query",
    "run_query",
]
