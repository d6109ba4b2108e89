"""The dataset as a whole: VoID and DCAT (``void.ttl``, ``.well-known/void``,
``dcat.ttl``), the schema.org ``Dataset`` block of the home page, the sitemap and robots.txt.
"""

from __future__ import annotations

import datetime as dt
import json
import os
import shutil
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path
from xml.sax.saxutils import escape as xml_escape

import pyoxigraph as ox

from wpsgraph.site.files import Dump, script_json
from wpsgraph.site.graph import Graph, Resource
from wpsgraph.vocab import PREFIXES, WPS, dcterms, foaf, rdf, wps

DCAT = PREFIXES["dcat"]
VOID = PREFIXES["void"]
XSD = PREFIXES["xsd"]
LICENCE = "https://creativecommons.org/licenses/by/4.0/"
TITLE = "wpsgraph: Women, Peace and Security action plans as linked data"
DESCRIPTION = (
    "National and organisational action plans on Women, Peace and Security, curated from "
    "their published text into an RDF graph: objectives, actions, indicators, responsible "
    "actors and the UN Security Council resolutions and conventions they cite, each "
    "statement pointing back to its source."
)
KEYWORDS = (
    "Women, Peace and Security",
    "UNSCR 1325",
    "national action plan",
    "gender",
    "linked data",
)
ISSUED = "2026-11-23"  # the first public build of the dataset


def _n(iri: str) -> ox.NamedNode:
    return ox.NamedNode(iri)


def build_date() -> str:
    """Today, or ``SOURCE_DATE_EPOCH`` for a reproducible build."""
    epoch = os.environ.get("SOURCE_DATE_EPOCH")
    day = dt.datetime.fromtimestamp(int(epoch), dt.UTC).date() if epoch else dt.date.today()
    return day.isoformat()


@dataclass(frozen=True)
class Coverage:
    start: str
    end: str
    countries: list[str]


def coverage(graph: Graph, plans: Sequence[Resource]) -> Coverage:
    starts = [p.one(wps.startYear) for p in plans if p.one(wps.startYear)]
    ends = [p.one(wps.endYear) for p in plans if p.one(wps.endYear)]
    countries = sorted({c for p in plans for c in p.refs(wps.country)})
    return Coverage(min(starts, default=""), max(ends, default=""), countries)


def dataset_description(
    graph: Graph, plans: Sequence[Resource], dumps: Sequence[Dump], site_url: str, triples: int
) -> list[ox.Triple]:
    """VoID and DCAT about the dataset, as triples (written to void.ttl and dcat.ttl)."""
    ds = _n(site_url + "void.ttl#dataset")
    t: list[ox.Triple] = []

    def add(s: ox.NamedNode | ox.BlankNode, p: str, o: ox.NamedNode | ox.BlankNode | ox.Literal):
        t.append(ox.Triple(s, _n(p), o))

    def lit(value: str, datatype: str = "", lang: str = "") -> ox.Literal:
        if lang:
            return ox.Literal(value, language=lang)
        return ox.Literal(value, datatype=_n(XSD + datatype)) if datatype else ox.Literal(value)

    add(ds, rdf.type.value, _n(VOID + "Dataset"))
    add(ds, rdf.type.value, _n(DCAT + "Dataset"))
    add(ds, dcterms.title.value, lit(TITLE, lang="en"))
    add(ds, dcterms.description.value, lit(DESCRIPTION, lang="en"))
    for k in KEYWORDS:
        add(ds, DCAT + "keyword", lit(k, lang="en"))
    add(ds, dcterms.issued.value, lit(ISSUED, "date"))
    add(ds, dcterms.modified.value, lit(build_date(), "date"))
    add(ds, dcterms.license.value, _n(LICENCE))
    publisher = ox.BlankNode("publisher")
    add(ds, dcterms.publisher.value, publisher)
    add(publisher, rdf.type.value, foaf.Organization)
    add(publisher, foaf.name.value, lit("The wpsgraph project"))
    add(ds, DCAT + "landingPage", _n(site_url + "index.html"))
    cov = coverage(graph, plans)
    if cov.start and cov.end:
        period = ox.BlankNode("period")
        add(ds, dcterms.temporal.value, period)
        add(period, rdf.type.value, _n(PREFIXES["dcterms"] + "PeriodOfTime"))
        add(period, DCAT + "startDate", lit(cov.start, "gYear"))
        add(period, DCAT + "endDate", lit(cov.end, "gYear"))
    for c in cov.countries:
        add(ds, dcterms.spatial.value, _n(c))
    # VoID: size, the namespace of the identifiers, vocabularies, dumps, a root resource
    add(ds, VOID + "triples", lit(str(triples), "integer"))
    add(ds, VOID + "entities", lit(str(len(graph.local())), "integer"))
    add(ds, VOID + "uriSpace", lit(graph.id_base))
    add(ds, VOID + "vocabulary", _n(WPS))
    if plans:
        add(ds, VOID + "exampleResource", _n(plans[0].iri))
    for p in plans:
        add(ds, VOID + "rootResource", _n(p.iri))
    for i, d in enumerate(dumps):
        url = _n(site_url + "dumps/" + d.name)
        if not d.name.endswith(".gz"):
            add(ds, VOID + "dataDump", url)
        dist = ox.BlankNode(f"dist{i}")
        add(ds, DCAT + "distribution", dist)
        add(dist, rdf.type.value, _n(DCAT + "Distribution"))
        add(dist, dcterms.title.value, lit(f"{d.name} ({d.what})", lang="en"))
        add(dist, DCAT + "downloadURL", url)
        add(dist, DCAT + "accessURL", url)
        add(dist, DCAT + "mediaType", _n(_iana(d.media_type)))
        add(dist, DCAT + "byteSize", lit(str(d.size), "nonNegativeInteger"))
        add(dist, dcterms.license.value, _n(LICENCE))
        if d.name.endswith(".gz"):
            add(dist, DCAT + "compressFormat", _n(_iana("application/gzip")))
    return t


def _iana(media_type: str) -> str:
    return "https://www.iana.org/assignments/media-types/" + media_type


def write_dataset_files(triples: Sequence[ox.Triple], out: Path) -> None:
    prefixes = {k: PREFIXES[k] for k in ("void", "dcat", "dcterms", "foaf", "xsd", "rdf")}
    for name in ("void.ttl", "dcat.ttl"):
        ox.serialize(triples, str(out / name), format=ox.RdfFormat.TURTLE, prefixes=prefixes)
    (out / ".well-known").mkdir(exist_ok=True)
    shutil.copy2(out / "void.ttl", out / ".well-known" / "void")


def schema_org(
    plans: Sequence[Resource], graph: Graph, dumps: Sequence[Dump], site_url: str
) -> str:
    """The schema.org ``Dataset`` block of the home page, safe inside ``<script>``."""
    cov = coverage(graph, plans)
    data = {
        "@context": "https://schema.org/",
        "@type": "Dataset",
        "name": TITLE,
        "description": DESCRIPTION,
        "url": site_url,
        "keywords": list(KEYWORDS),
        "license": LICENCE,
        "isAccessibleForFree": True,
        "creator": {"@type": "Organization", "name": "The wpsgraph project"},
        "datePublished": ISSUED,
        "dateModified": build_date(),
        "temporalCoverage": f"{cov.start}/{cov.end}" if cov.start else "",
        "spatialCoverage": [graph.label(c) for c in cov.countries],
        "distribution": [
            {
                "@type": "DataDownload",
                "encodingFormat": d.media_type,
                "contentUrl": site_url + "dumps/" + d.name,
            }
            for d in dumps
            if not d.name.endswith(".gz")
        ],
        "hasPart": [{"@type": "Dataset", "name": graph.label(p.iri), "url": p.iri} for p in plans],
    }
    return script_json(json.dumps(data, ensure_ascii=False, indent=1))


def sitemap(pages: Sequence[str], site_url: str) -> str:
    rows = [f"<url><loc>{xml_escape(site_url + p)}</loc></url>" for p in sorted(pages)]
    return (
        '<?xml version="1.0" encoding="UTF-8"?>\n'
        '<urlset xmlns="http://www.sitemaps.org/schemas/sitemap/0.9">\n'
        + "\n".join(rows)
        + "\n</urlset>\n"
    )


def robots(site_url: str) -> str:
    return f"User-agent: *\nAllow: /\nSitemap: {site_url}sitemap.xml\n"
