"""A resource's own RDF files as text, made in one pass over its grouped terms.

Every resource of the site has a Turtle, a JSON-LD and an N-Triples file (at 1M triples,
90,000 of each). Handing them to pyoxigraph's serialisers means a Python triple object
per triple (parsed back from the N-Triples: 33 µs for a resource's 11 triples at 10×)
and a call per format. :func:`resource_texts` writes the three texts as plain strings
instead (95 → 58 µs per resource, all three files, in back-to-back runs), byte for byte
what pyoxigraph's serialisers write for the same triples in the same order (by
property, then by value; the tests compare both for every resource of the corpus and
for hostile literals). A resource with a term it does not know how to write as pyoxigraph
does (a blank node, a decimal or double written bare in Turtle, a name that is not a
plain prefixed name) gets ``None`` and its files are written by the serialisers.
"""

from __future__ import annotations

import json
import re

import pyoxigraph as ox

from wpsgraph.site.graph import Resource
from wpsgraph.vocab import PREFIXES

NamedNode, Literal = ox.NamedNode, ox.Literal
RDF_TYPE = PREFIXES["rdf"] + "type"
XSD = PREFIXES["xsd"]
XSD_STRING = XSD + "string"
RDF_LANG_STRING = PREFIXES["rdf"] + "langString"
# literals Turtle writes without quotes (only these: any other datatype is written as
# "lexical"^^datatype, and a decimal or double, which Turtle may write bare by rules of
# its own, sends the resource to the serialisers)
_BARE = {
    XSD + "integer": re.compile(r"[+-]?[0-9]+\Z"),
    XSD + "boolean": re.compile(r"true\Z|false\Z"),
}
_UNSURE = frozenset({XSD + "decimal", XSD + "double"})
_LOCAL = re.compile(r"[A-Za-z_][A-Za-z0-9_-]*\Z")  # a prefixed name's local part, plainly
_dumps = json.JSONEncoder(ensure_ascii=False).encode  # escapes as pyoxigraph's JSON-LD


class _Unsure(Exception):
    """A term this module does not write as pyoxigraph would: the serialisers write it."""


def resource_texts(r: Resource) -> tuple[bytes, bytes | None, bytes | None]:
    """The resource's N-Triples, Turtle and JSON-LD (the last two None when a term is
    one the serialisers must write, see the module's docstring)."""
    s = r.iri
    head = f"<{s}> "
    nt: list[str] = []
    ttl: list[str] = []
    js: list[str] = []
    try:
        unsure = _name(s)[0] != "<"  # a subject written as a prefixed name: not ours
    except _Unsure:
        unsure = True
    for p, objs in r.ordered():
        t_objs, j_objs = [], []
        for o in objs:
            text = str(o)
            nt.append(f"{head}<{p}> {text} .\n")
            if unsure:
                continue
            both = _TERMS.get(text)
            if both is None:
                try:
                    both = _term(o, text)
                except _Unsure:
                    unsure = True
                    continue
            t_objs.append(both[0])
            j_objs.append(both[1])
        if not unsure:
            try:
                verb = "a" if p == RDF_TYPE else _name(p)
            except _Unsure:
                unsure = True
                continue
            ttl.append(f"{verb} {' , '.join(t_objs)}")
            js.append(f'"{p}":[{",".join(j_objs)}]')
    nt_bytes = "".join(nt).encode("utf-8")
    if unsure:
        return nt_bytes, None, None
    turtle = _header(used_prefixes(nt, len(head))) + head + " ;\n\t".join(ttl) + " .\n"
    jsonld = f'[{{"@id":"{s}",' + ",".join(js) + "}]"
    return nt_bytes, turtle.encode("utf-8"), jsonld.encode("utf-8")


def used_prefixes(nt: list[str], skip: int) -> tuple[str, ...]:
    """The standard prefixes a resource's triples use (data IRIs stay in full): each
    whose namespace appears in a property, a value or a datatype; found in its N-Triples
    lines (``<s> <p> value .``, the subject's first ``skip`` characters left out: a
    namespace has no character N-Triples escapes, so it is in a value's text where it is
    in the value). A value's text leaves out the datatypes of a literal with a language
    (rdf:langString) and of a plain one (xsd:string), which count too."""
    parts = [line[skip:] for line in nt]
    for line in nt:
        last = line[-4]  # the value's last character, before " .\n"
        if last == '"':
            parts.append(XSD_STRING)
        elif last != ">" and line[skip:].partition("> ")[2][:1] == '"':
            parts.append(RDF_LANG_STRING)
    text = " ".join(parts)
    return tuple(p for p, ns in PREFIXES.items() if ns in text)


def _term(o: object, text: str) -> tuple[str, str]:
    """A value as Turtle (from its N-Triples ``text``) and as JSON-LD; kept for the next
    resource when short (types, themes, numbers … recur on page after page)."""
    if type(o) is NamedNode:
        iri = o.value
        both = (_name(iri), f'{{"@id":"{iri}"}}')  # an IRI has no character JSON escapes
    elif type(o) is Literal:
        value, language = o.value, o.language
        if language:  # "…"@lang, quoted as in N-Triples
            both = (text, f'{{"@language":"{language}","@value":{_dumps(value)}}}')
        else:
            dt = o.datatype.value
            if dt == XSD_STRING:
                both = (text, f'{{"@value":{_dumps(value)}}}')
            else:
                bare = _BARE.get(dt)
                if bare is not None and bare.match(value):
                    turtle = value
                elif dt in _UNSURE:
                    raise _Unsure
                else:  # "…"^^<dt> → "…"^^name
                    turtle = text[: -len(dt) - 4] + "^^" + _name(dt)
                both = (turtle, f'{{"@type":"{dt}","@value":{_dumps(value)}}}')
    else:
        raise _Unsure
    if len(text) < 200:
        if len(_TERMS) > 65536:
            _TERMS.clear()
        _TERMS[text] = both
    return both


_TERMS: dict[str, tuple[str, str]] = {}  # a short value's N-Triples -> Turtle, JSON-LD
_NAMES: dict[str, str] = {}  # an IRI as Turtle writes it: a prefixed name or <IRI>
_NAMESPACES = tuple(PREFIXES.values())
_HEADERS: dict[tuple[str, ...], str] = {}


def _name(iri: str) -> str:
    """The IRI as a prefixed name when one standard namespace holds it and the rest is a
    plain name, as ``<IRI>`` when none does; else the serialisers decide."""
    name = _NAMES.get(iri)
    if name is None:
        if not iri.startswith(_NAMESPACES):  # a data IRI, the most frequent: in full
            found = []
        else:
            found = [(p, ns) for p, ns in PREFIXES.items() if iri.startswith(ns)]
        if not found:
            name = f"<{iri}>"
        elif len(found) == 1 and _LOCAL.match(local := iri[len(found[0][1]) :]):
            name = f"{found[0][0]}:{local}"
        else:
            raise _Unsure
        if len(_NAMES) > 4096:  # data IRIs are many and each is met once or twice
            _NAMES.clear()
        _NAMES[iri] = name
    return name


def _header(names: tuple[str, ...]) -> str:
    """The ``@prefix`` lines of these prefixes, as the Turtle serialiser writes them (in
    an order of its own), taken from it once per set of prefixes."""
    header = _HEADERS.get(names)
    if header is None:
        one = ox.Triple(NamedNode("urn:x:s"), NamedNode("urn:x:p"), NamedNode("urn:x:o"))
        text = ox.serialize(
            [one], format=ox.RdfFormat.TURTLE, prefixes={n: PREFIXES[n] for n in names}
        )
        assert text is not None
        lines = text.decode("utf-8").splitlines(keepends=True)
        header = _HEADERS[names] = "".join(x for x in lines if x.startswith("@prefix "))
    return header
