"""Site: the static linked-data website, generated from the store in one pass.

The build's quads are grouped by subject once (:class:`Graph`, made while the store
loads: ``prelude``); every page and file is made from that grouping, never by a query
per page. Every resource under the data base
``…/id/`` gets ``<path>.html``, ``.ttl``, ``.jsonld`` and ``.nt``; each kind of resource
has its template (plan, action, indicator, objective, actor, country, resolution,
instrument, theme, link) with ``resource.html`` as the fallback; class index pages list
plans, actors, countries, resolutions, instruments and themes. The dataset is described
in ``void.ttl`` (also ``.well-known/void``), ``dcat.ttl`` and a schema.org block on the
home page; ``.htaccess`` negotiates content for the generic IRIs. A JSON index feeds the search
page, and ``sparql.html`` runs queries on the site's own dump in the browser (Oxigraph,
WebAssembly) with the Yasqe editor and the Yasr results view.

All text is escaped, by jinja2's autoescape or, on the pages ``direct`` writes, by the same
rule in Python; nothing from the data is trusted as markup, and JSON inside ``<script>``
has every ``<`` escaped.

The query library runs once on the store (``library``): its results make the query
pages (``queries/<name>.html`` with CSV and JSON downloads) and the numbers of every
comparison picture (``compare``: heatmaps, timeline, per-resolution bar charts, drawn
as SVG by ``charts``, each with its CSV). That is the only querying the site does.

Modules: ``graph`` (the grouping), ``prelude`` (the grouping and the library, started
while the store loads), ``views`` (what each page shows), ``links`` (the
linker's links on action, resolution, instrument and theme pages), ``page`` (the
variables of a resource page, in one place), ``render`` (templates to files),
``direct`` (the link, action, indicator, objective and generic resource pages written
without jinja2, byte for byte as their templates render),
``files`` (RDF files, dumps, .htaccess, search index), ``dataset`` (VoID, DCAT,
schema.org, sitemap), ``library`` (the query library, run), ``compare`` and ``charts``
(the pictures), ``ontodoc`` (shapes per term, class diagram), ``vendor`` (npm
components), ``parallel`` (the resources' pages and the side jobs on forked workers),
``generate`` (:func:`build_site`).
"""

from wpsgraph.site.generate import build_site
from wpsgraph.site.graph import Graph, Resource

__all__ = ["Graph", "Resource", "build_site"]
