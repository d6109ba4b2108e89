"""The results of a query: the rows of a SELECT (kept as the embedded store wrote them, or
as a SPARQL server's JSON bindings) or the boolean of an ASK, and what they are given as:
terms, plain values, CSV or TSV, SPARQL 1.1 JSON, a JSON array of records, a table for
the terminal. The queries themselves, their parameters and how they run are in
:mod:`wpsgraph.query`."""

from __future__ import annotations

import csv
import io
import json
from collections.abc import Mapping, Sequence

import pyoxigraph as ox

from wpsgraph.errors import QueryError
from wpsgraph.vocab import xsd

FORMATS = ("table", "csv", "tsv", "json", "sparql-json")
XSD_STRING = xsd.string.value

Term = ox.NamedNode | ox.BlankNode | ox.Literal
Binding = Mapping[str, Mapping[str, str]]  # a SPARQL 1.1 JSON results binding


class QueryResult:
    """The rows of a SELECT, or the boolean of an ASK.

    A SELECT run on the embedded store is kept as the store wrote its solutions, in the
    SPARQL 1.1 TSV format (``tsv``): terms in N-Triples syntax, one solution per line,
    every one of them exact, and the most compact of the store's formats. Nothing more is
    done until something is asked for:

    - :attr:`count` counts the lines (a newline inside a literal is written ``\\n``);
    - :attr:`raw`, the SPARQL 1.1 JSON document, is written from the TSV by the store's
      own parser and writer, with no Python object per cell (the site's downloads);
    - :attr:`bindings` (SPARQL 1.1 JSON bindings) are read from that document;
    - :attr:`rows` are made from the bindings, as terms.

    A result read from a server gives its JSON bindings, and ``raw`` is then None."""

    def __init__(
        self,
        variables: list[str],
        bindings: Sequence[Binding] = (),
        boolean: bool | None = None,
        raw: bytes | None = None,
        tsv: bytes | None = None,
    ) -> None:
        self.variables = variables
        self.boolean = boolean
        self.tsv = tsv
        self._bindings: Sequence[Binding] | None = None if tsv is not None else bindings
        self._raw = raw
        self._rows: list[dict[str, Term | None]] | None = None

    @property
    def count(self) -> int:
        if self._bindings is None and self.tsv is not None:
            return self.tsv.count(b"\n") - 1  # the line of variables first
        return len(self.bindings)

    @property
    def raw(self) -> bytes | None:
        """The SPARQL 1.1 JSON document the store wrote (None for a server's result)."""
        if self._raw is None and self.tsv is not None:
            solutions = ox.parse_query_results(self.tsv, format=ox.QueryResultsFormat.TSV)
            self._raw = solutions.serialize(format=ox.QueryResultsFormat.JSON)
        return self._raw

    @property
    def bindings(self) -> Sequence[Binding]:
        """The solutions as SPARQL 1.1 JSON bindings, read on first use."""
        if self._bindings is None:
            raw = self.raw
            self._bindings = json.loads(raw)["results"]["bindings"] if raw else []
        return self._bindings

    @property
    def rows(self) -> list[dict[str, Term | None]]:
        """Terms by variable (None where unbound), made on first use."""
        if self._rows is None:
            self._rows = self.head(len(self.bindings))
        return self._rows

    def head(self, n: int) -> list[dict[str, Term | None]]:
        """The first ``n`` rows as terms."""
        if self._rows is not None:
            return self._rows[:n]
        unbound = dict.fromkeys(self.variables)
        return [unbound | {v: term_of(t) for v, t in b.items()} for b in self.bindings[:n]]

    def values(self) -> list[list[str]]:
        """Rows as plain strings (IRIs and literal values), empty for unbound."""
        return [[b[v]["value"] if v in b else "" for v in self.variables] for b in self.bindings]

    def to_csv(self, delimiter: str = ",") -> str:
        buf = io.StringIO()
        writer = csv.writer(buf, delimiter=delimiter, lineterminator="\n")
        if self.boolean is not None:
            writer.writerow(["boolean"])
            writer.writerow(["true" if self.boolean else "false"])
        else:
            writer.writerow(self.variables)
            if delimiter == "\t":  # TSV cannot hold tabs or newlines inside a cell
                writer.writerows(
                    [[c.replace("\t", " ").replace("\n", " ") for c in r] for r in self.values()]
                )
            else:
                writer.writerows(self.values())
        return buf.getvalue()

    def to_json(self) -> str:
        """SPARQL 1.1 Query Results JSON."""
        if self.raw is not None:
            return self.raw.decode("utf-8")
        if self.boolean is not None:
            return json.dumps({"head": {}, "boolean": self.boolean})
        return json.dumps(
            {"head": {"vars": self.variables}, "results": {"bindings": list(self.bindings)}},
            ensure_ascii=False,  # no indent: json's C encoder only writes compact JSON
        )

    def to_table(self, width: int = 60) -> str:
        """A plain-text table for the terminal; long cells are shortened with '…'."""
        if self.boolean is not None:
            return "true" if self.boolean else "false"
        rows = [[_cut(c, width) for c in r] for r in self.values()]
        widths = [len(v) for v in self.variables]
        for r in rows:
            widths = [max(w, len(c)) for w, c in zip(widths, r, strict=True)]
        line = "  ".join(v.ljust(w) for v, w in zip(self.variables, widths, strict=True))
        out = [line.rstrip(), "  ".join("-" * w for w in widths)]
        out += [
            "  ".join(c.ljust(w) for c, w in zip(r, widths, strict=True)).rstrip() for r in rows
        ]
        out.append(f"({len(rows)} row{'s' if len(rows) != 1 else ''})")
        return "\n".join(out)

    def render(self, fmt: str) -> str:
        if fmt == "table":
            return self.to_table()
        if fmt == "csv":
            return self.to_csv()
        if fmt == "tsv":
            return self.to_csv("\t")
        if fmt == "json":
            return self.to_records()
        if fmt == "sparql-json":
            return self.to_json()
        raise QueryError(f"unknown format '{fmt}'; use {', '.join(FORMATS)}")

    def to_records(self) -> str:
        """A JSON array of row objects (plain values), for scripts and spreadsheets."""
        if self.boolean is not None:
            return json.dumps(self.boolean)
        rows = [dict(zip(self.variables, r, strict=True)) for r in self.values()]
        return json.dumps(rows, ensure_ascii=False, indent=1)


def _cut(text: str, width: int) -> str:
    text = " ".join(text.split())
    return text if len(text) <= width else text[: width - 1] + "…"


def term_of(b: Mapping[str, str]) -> Term:
    """The term of one value of a SPARQL 1.1 JSON results binding."""
    kind = b["type"]
    if kind == "uri":
        return ox.NamedNode(b["value"])
    if kind == "bnode":
        return ox.BlankNode(b["value"])
    if "xml:lang" in b:
        return ox.Literal(b["value"], language=b["xml:lang"])
    if "datatype" in b and b["datatype"] != XSD_STRING:
        return ox.Literal(b["value"], datatype=ox.NamedNode(b["datatype"]))
    return ox.Literal(b["value"])


__all__: Sequence[str] = ["FORMATS", "QueryResult", "term_of"]
