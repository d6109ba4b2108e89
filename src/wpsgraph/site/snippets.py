"""The small pieces of HTML that many pages repeat, as Python helpers of the templates.

They were jinja2 macros: a template that imports macros "with context" (which these need,
for the page's relative links) runs the macro file again for every page it renders, and
each macro call goes through jinja2's runtime. Here each is one string built by Python,
every value from the data escaped. The templates call them like the other link helpers
(``alternates(base_path)``, ``source_box(source)`` …); ``tests/test_snippets.py`` holds
their expected markup.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Sequence
from typing import Any

from markupsafe import Markup, escape

from wpsgraph.vocab import dcterms, wps

DCT_IDENTIFIER, WPS_TEXT, WPS_DEFECT = dcterms.identifier, wps.text, wps.sourceDefect


def replaced(text: str) -> str:
    """What ``markupsafe.escape`` makes of a plain string, as a plain string."""
    return (
        text.replace("&", "&amp;")
        .replace("<", "&lt;")
        .replace(">", "&gt;")
        .replace('"', "&#34;")
        .replace("'", "&#39;")
    )


# esc(text): a plain string escaped as markupsafe.escape does, without a Markup object per
# value (a large site escapes millions): markupsafe's own function for it (C, a third of
# the cost of replaced()) where this markupsafe has it
esc: Callable[[str], str]
try:
    from markupsafe import _escape_inner as esc
except ImportError:  # pragma: no cover - another markupsafe
    esc = replaced


FORMATS = (
    ("text/turtle", ".ttl", "Turtle"),
    ("application/ld+json", ".jsonld", "JSON-LD"),
    ("application/n-triples", ".nt", "N-Triples"),
)


class Snippets:
    """Mixed into :class:`wpsgraph.site.render.Links`, whose ``url``, ``iri``, ``term``,
    ``href`` and ``label`` they use."""

    here: str  # the folder of the pages these links are made for

    def url(self, target: str) -> str:
        raise NotImplementedError

    def iri(self, x: Any) -> Markup:
        raise NotImplementedError

    def term(self, t: Any) -> Markup:
        raise NotImplementedError

    def term_text(self, t: Any) -> str:
        raise NotImplementedError

    def href(self, x: Any) -> str:
        raise NotImplementedError

    def label(self, iri: str) -> str:
        raise NotImplementedError

    def _own(self, p: str) -> str:
        """The link to the files of page ``p`` without their extension: their name, when
        the page is in the folder these links are made from (nearly always)."""
        folder, _, name = p.rpartition("/")
        return esc(name if folder == self.here else self.url(p))

    def alternates(self, p: str) -> Markup:
        """``<link rel="alternate">`` to the resource's three RDF files (in ``<head>``)."""
        own = self._own(p)
        return Markup(
            "\n".join(
                f'<link rel="alternate" type="{media}" href="{own}{ext}">'
                for media, ext, _ in FORMATS
            )
        )

    def downloads(self, p: str) -> Markup:
        """The line offering the resource's three RDF files."""
        own = self._own(p)
        links = " · ".join(
            f'<a rel="alternate" type="{media}" href="{own}{ext}">{name}</a>'
            for media, ext, name in FORMATS
        )
        return Markup(f'<p class="formats">This resource as {links}</p>')

    @staticmethod
    def evidence(words: Iterable[str]) -> Markup:
        """A link's matched words, each quoted."""
        return Markup(", ".join(f"<q>{esc(w)}</q>" for w in words))

    def warning_list(self, ws: Sequence[Any], show_node: bool) -> Markup:
        """Validation warnings (:class:`wpsgraph.validate.ValidationResult`), each with
        its node, file and line; with ``show_node``, the node they are about first."""
        if not ws:
            return Markup("")
        items = []
        for w in ws:
            node = f"{self.iri(w.focus)}: " if show_node else ""
            items.append(
                f'<li>{node}{escape(w.message)} <span class="where">({escape(w.node)}; '
                f"<code>{escape(w.file)}:{escape(w.line)}</code>)</span></li>\n"
            )
        return Markup('<ul class="warnings">\n' + "".join(items) + "</ul>\n")

    def warnings_box(self, ws: Sequence[Any]) -> Markup:
        """A resource's own validation warnings, in a box (nothing when there are none)."""
        if not ws:
            return Markup("")
        return Markup(
            '<section class="box warn" aria-labelledby="warnings-h">\n'
            f'<h2 id="warnings-h">Validation warnings ({len(ws)})</h2>\n'
            f"{self.warning_list(ws, False)}\n</section>\n"
        )

    def source_box(self, src: Any) -> Markup:
        """Where a node was found (:class:`wpsgraph.site.views.Source`) and curated."""
        if not (src.document or src.file):
            return Markup("")
        where = str(self.iri(src.document)) if src.document else ""
        if src.place:
            where += ", " + ", ".join(f"{escape(n)} {escape(v)}" for n, v in src.place)
        curated = ""
        if src.file:
            line = f":{escape(src.line)}" if src.line else ""
            curated = f"Curated in <code>{escape(src.file)}{line}</code>."
        return Markup(
            '<section class="source" aria-labelledby="source-h">\n'
            '<h2 id="source-h">Source</h2>\n'
            f"<p>{where}.\n{curated}</p>\n</section>\n"
        )

    def references_list(self, refs: Sequence[dict[str, str]]) -> Markup:
        """References to instruments (``{instrument, evidence}``), with their words."""
        if not refs:
            return Markup("")
        items = "".join(
            f"<li>{self.iri(x['instrument'])}"
            + (f" — <q>{escape(x['evidence'])}</q>" if x.get("evidence") else "")
            + "</li>"
            for x in refs
        )
        return Markup(f'<ul class="refs">{items}</ul>\n')

    def property_rows(self, groups: Sequence[tuple[str, Sequence[Any]]]) -> Markup:
        """The rows of a resource's property table: each property, then its values."""
        term = self.term_text
        return Markup(
            "".join(
                f'<tr><th scope="row">{self.iri(prop)}</th>\n<td>'
                + "".join([f"<div>{term(v)}</div>" for v in values])
                + "</td></tr>\n"
                for prop, values in groups
            )
        )

    def inverse_rows(self, inverse: Sequence[tuple[str, Sequence[str]]]) -> Markup:
        """The rows of the table of links to a resource: each property, then its subjects."""
        iri = self.iri
        return Markup(
            "".join(
                f'<tr><th scope="row">is {iri(prop)} of</th>\n<td>'
                + "".join([f"<div>{iri(s)}</div>" for s in subjects])
                + "</td></tr>\n"
                for prop, subjects in inverse
            )
        )

    def link_rows(self, rows: Sequence[Any]) -> Markup:
        """The rows of an action's table of links (:class:`wpsgraph.site.links.LinkRow`),
        each with the anchor its link's own page points to."""
        iri, out = self.iri, []
        for x in rows:
            basis = esc(x.basis)
            via = f" (via {', '.join(str(iri(t)) for t in x.via)})" if x.via else ""
            out.append(
                f'<tr id="{esc(x.anchor)}" class="basis-{basis}"><td><span class="basis '
                f'{basis}">{basis}</span></td><td>{iri(x.target)} <span class="kind">'
                f"{esc(x.kind)}</span></td><td>{self.evidence(x.evidence)}</td><td>"
                f'{esc(x.rule)}{via} <a class="more" href="{esc(self.href(x.iri))}" '
                f"aria-label=\"the link's own page: {basis} link to "
                f'{esc(self.label(x.target))}">link</a></td></tr>\n'
            )
        return Markup("".join(out))

    def action_list(self, actions: Sequence[dict[str, Any]]) -> Markup:
        """A plan's or an objective's actions (:func:`wpsgraph.site.views.tree`), each
        with its wording, indicators, responsible actors and the defects of its source."""
        if not actions:
            return Markup("")
        href, iri, out = self.href, self.iri, ['<ol class="actions">\n']
        for a in actions:
            r = a["r"]
            number = esc(r.one(DCT_IDENTIFIER) or "·")
            out.append(
                f'<li><a class="num" href="{esc(href(r.iri))}">{number}</a>\n'
                f'<span class="wording">{esc(r.one(WPS_TEXT))}</span>\n'
            )
            if a["indicators"]:
                out.append('<ul class="indicators">')
                out += [
                    f'<li><span class="label">Indicator</span> <a href="{esc(href(i.iri))}">'
                    f"{esc(i.one(WPS_TEXT))}</a></li>"
                    for i in a["indicators"]
                ]
                out.append("</ul>")
            else:
                out.append('<p class="warn">No indicator in the source.</p>')
            if a["actors"]:
                actors = ", ".join(str(iri(x)) for x in a["actors"])
                out.append(f'<p class="actors"><span class="label">Responsible</span> {actors}</p>')
            out += [
                f'<p class="warn"><span class="label">Defect</span> {esc(d.value)}</p>'
                for d in r.all(WPS_DEFECT)
            ]
            out.append("</li>\n")
        out.append("</ol>\n")
        return Markup("".join(out))

    def objective_sections(self, objectives: Sequence[dict[str, Any]], depth: int) -> Markup:
        """Objectives (:func:`wpsgraph.site.views.tree`) as nested sections, headed from
        ``<h3>`` at depth 1 down to ``<h6>``, each with its actions."""
        out = []
        for o in objectives:
            r, h = o["r"], min(depth + 2, 6)
            text = r.one(WPS_TEXT)
            out.append(
                f'<section class="objective depth-{depth}">\n'
                f'<h{h}><a href="{esc(self.href(r.iri))}">{esc(self.label(r.iri))}</a>'
                f"</h{h}>\n"
                + (f'<p class="wording">{esc(text)}</p>' if text else "")
                + f"{self.action_list(o['actions'])}\n"
                f"{self.objective_sections(o['objectives'], depth + 1)}\n</section>\n"
            )
        return Markup("".join(out))
