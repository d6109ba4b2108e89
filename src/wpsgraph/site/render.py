"""Templates to files: one jinja2 environment (autoescape on), relative links per page."""

from __future__ import annotations

import contextlib
import os
import posixpath
import shutil
from functools import lru_cache
from importlib import metadata
from pathlib import Path
from typing import Any

import jinja2
import pyoxigraph as ox
from markupsafe import Markup

from wpsgraph.site import direct
from wpsgraph.site.graph import Graph
from wpsgraph.site.snippets import WPS_TEXT, Snippets, esc
from wpsgraph.site.views import short_label
from wpsgraph.vocab import WPS


@lru_cache(maxsize=65536)  # the same few targets recur on every page of a folder
def relative(target: str, here: str) -> str:
    """The link from a page in folder ``here`` to ``target`` (both relative to the site
    root, normalised): what ``posixpath.relpath`` gives, without its cost per link.

    >>> relative("id/plan/x.ttl", "id/plan"), relative("index.html", "id/plan")
    ('x.ttl', '../../index.html')
    """
    t = target.split("/")
    h = here.split("/") if here else []
    i = 0
    while i < len(h) and i < len(t) - 1 and h[i] == t[i]:
        i += 1
    return "/".join([".."] * (len(h) - i) + t[i:])


_CREATE = (
    os.O_WRONLY | os.O_CREAT | os.O_TRUNC | getattr(os, "O_CLOEXEC", 0) | getattr(os, "O_BINARY", 0)
)


def write_bytes(path: str, data: bytes) -> None:
    """``data`` into the file ``path`` (made, or emptied first), as ``open(path, "wb")``
    would, in three system calls and no file object: a large site writes hundreds of
    thousands of small files."""
    fd = os.open(path, _CREATE, 0o666)
    try:
        view = memoryview(data)
        while view:
            view = view[os.write(fd, view) :]
    finally:
        os.close(fd)


class Folders:
    """The folders of a site being written, each made once: a large site writes hundreds
    of thousands of files into a few thousand folders."""

    def __init__(self) -> None:
        self._made: set[str] = set()

    def ready(self, file: str) -> str:
        """``file`` (a path as a string), once its folder exists."""
        folder = file.rsplit("/", 1)[0]
        if folder not in self._made:
            self._make(folder)
        return file

    def _make(self, folder: str) -> None:
        """``folder`` made, and its parents not made yet: one ``mkdir`` each, not
        ``makedirs``' walk up from every new folder. Another process (a site worker) may
        make any of them at the same time."""
        try:
            os.mkdir(folder)
        except FileExistsError:
            pass
        except FileNotFoundError:
            parent = folder.rsplit("/", 1)[0]
            if parent == folder or parent in self._made:
                raise
            self._make(parent)
            with contextlib.suppress(FileExistsError):
                os.mkdir(folder)
        self._made.add(folder)


def compiled_templates(cache: Path, code: str) -> Path:
    """The folder of ``cache`` for templates compiled by this site code (``code``, see
    :func:`wpsgraph.site.reuse.site_code_digest`: the options they are compiled with are
    in it) and this jinja2; those compiled by other code are removed."""
    folder = cache / "templates"
    key = f"{code[:24]}-jinja2-{metadata.version('jinja2')}"
    if folder.is_dir():
        for old in folder.iterdir():
            if old.name != key:
                shutil.rmtree(old, ignore_errors=True)
    (folder / key).mkdir(parents=True, exist_ok=True)
    return folder / key


class Pages:
    """Renders templates to files, with relative links from each page."""

    def __init__(
        self,
        graph: Graph,
        templates: Path,
        out: Path,
        globals_: dict[str, Any],
        compiled: Path | None = None,
    ):
        self.graph = graph
        self.out = out
        self.env = jinja2.Environment(
            loader=jinja2.FileSystemLoader(str(templates)),
            autoescape=True,
            undefined=jinja2.StrictUndefined,
            trim_blocks=True,
            lstrip_blocks=True,
            auto_reload=False,  # templates do not change during a build
            # a template's compiled code is kept under its source's checksum
            bytecode_cache=jinja2.FileSystemBytecodeCache(str(compiled)) if compiled else None,
        )
        self.env.globals.update(globals_)
        # the frequent pages written without jinja2, while their templates are unchanged
        self.direct = direct.mirrors(templates)
        self.written: list[str] = []
        # the site header by the links it holds, and the pages it links to
        self.headers: dict[tuple[str, ...] | tuple[int, str], Markup] = {}
        self.header_targets: tuple[str, ...] | None = None
        # the first folders of the header's targets, () when one is deeper than that
        self._header_tops: frozenset[str] | tuple[()] | None = None
        self._has: dict[str, bool] = {}
        self._folders: dict[str, Links] = {}
        self.folders = Folders()  # shared with everything else writing into ``out``

    def has(self, template: str) -> bool:
        """Whether there is such a template (asked once per template: it is asked for
        every resource's page)."""
        found = self._has.get(template)
        if found is None:
            try:
                self.env.get_template(template)
                found = True
            except jinja2.TemplateNotFound:
                found = False
            self._has[template] = found
        return found

    def write(self, path: str, template: str, *, script: str = "", **ctx: Any) -> None:
        """Render ``template`` to ``path``; ``script`` is JSON already made safe for a
        ``<script>`` element (see :func:`wpsgraph.site.files.script_json`)."""
        self.write_with(path, template, script, ctx)

    def write_with(self, path: str, template: str, script: str, ctx: dict[str, Any]) -> None:
        """:meth:`write` with the variables in a dict of the caller's, which the page's
        own (``path``, ``script``) are added to: a resource page passes its
        :class:`wpsgraph.site.page.ResourcePage`'s ``vars`` as they are, not copied twice
        as keywords."""
        here = posixpath.dirname(path)
        links = self._links_from(here)
        fast = self.direct.get(template)
        if fast is not None:
            ctx["path"], ctx["script"] = path, script
            html = fast(links, ctx)
        else:
            html = self._render(links, path, template, script, ctx)
        write_bytes(self.folders.ready(f"{self.out}/{path}"), html.encode("utf-8"))
        self.written.append(path)

    def _render(
        self, links: Links, path: str, template: str, script: str, ctx: dict[str, Any]
    ) -> str:
        return self.env.get_template(template).render(
            url=links.url,
            link=links.link,
            term=links.term,
            iri=links.iri,
            href=links.href,
            header=links.header,
            alternates=links.alternates,
            downloads=links.downloads,
            evidence=links.evidence,
            warning_list=links.warning_list,
            warnings_box=links.warnings_box,
            source_box=links.source_box,
            references_list=links.references_list,
            property_rows=links.property_rows,
            inverse_rows=links.inverse_rows,
            link_rows=links.link_rows,
            crumb_items=links.crumb_items,
            action_list=links.action_list,
            objective_sections=links.objective_sections,
            linked_items=links.linked_items,
            path=path,
            script=Markup(script),
            **ctx,
        )

    def _links_from(self, here: str) -> Links:
        """The link helpers of pages in folder ``here``: one set per folder, reused by
        every page in it (a folder of a plan holds thousands of pages)."""
        links = self._folders.get(here)
        if links is None:
            if len(self._folders) >= 64:  # pages come folder by folder: keep a few
                self._folders.clear()
            links = self._folders[here] = Links(self, here)
        return links

    def header_key(self, here: str) -> tuple[str, ...] | tuple[int, str]:
        """What the header's links are from folder ``here``: their relative links, or,
        when no target is more than one folder deep (as none is), the folder's depth and
        whether it is in a target's folder, which decide them (a link page's folder is
        new to the worker nearly every time)."""
        targets = self.header_targets or ()
        if self._header_tops is None:
            shallow = all(t.count("/") <= 1 for t in targets)
            tops = frozenset(t.split("/")[0] for t in targets if "/" in t)
            self._header_tops = tops if shallow else ()
        if self._header_tops != ():
            parts = here.split("/") if here else []
            return (len(parts), parts[0] if parts and parts[0] in self._header_tops else "")
        return tuple(relative(t, here) for t in targets)

    @property
    def count(self) -> int:
        return len(self.written)


class Links(Snippets):
    """How pages in one folder link to terms and files: each helper is a plain Python
    call in the templates (a jinja2 macro costs several times more per call), and the
    markup of an IRI is made once per folder, not once per mention."""

    def __init__(self, pages: Pages, here: str) -> None:
        self.pages = pages
        self.graph = pages.graph
        self.here = here
        self._iris: dict[str, Markup] = {}
        self._crumbs: dict[tuple[tuple[str, str], ...], Markup] = {}
        self._header: Markup | None = None

    def url(self, target: str) -> str:
        return relative(target, self.here)

    def header(self) -> Markup:
        """The site header (``_header.html``), rendered once per set of links it holds:
        its only variable is ``url``, so folders from which its targets have the same
        relative links share it (every action has a folder of its own, for its links'
        pages, and jinja2 would render it again for nearly every link page)."""
        if self._header is not None:  # this folder's pages share it
            return self._header
        pages = self.pages
        if pages.header_targets is not None:
            html = pages.headers.get(pages.header_key(self.here))
            if html is not None:
                self._header = html
                return html
        targets: list[str] = []

        def url(target: str) -> str:
            targets.append(target)
            return self.url(target)

        html = Markup(pages.env.get_template("_header.html").render(url=url))
        pages.header_targets = tuple(targets)
        pages.headers[pages.header_key(self.here)] = html
        self._header = html
        return html

    def label(self, iri: str) -> str:
        return self.graph.label(iri)

    def crumb_items(self, crumbs: list[tuple[str, str]]) -> Markup:
        """The breadcrumb's links, ``(label, page)`` each: the pages of a folder mostly
        share theirs, so each distinct trail is made once per folder."""
        key = tuple(crumbs)
        html = self._crumbs.get(key)
        if html is None:
            html = self._crumbs[key] = Markup(
                "".join(
                    f'<li><a href="{esc(self.url(t))}">{esc(name)}</a></li>' for name, t in crumbs
                )
            )
        return html

    def linked_items(self, rows: list[Any]) -> Markup:
        """The actions linked to a resolution, instrument or theme (one plan's, on one
        basis: :class:`wpsgraph.site.links.LinkRow`), each with its wording and evidence:
        thousands per page on a resolution's page."""
        res, out = self.graph.res, []
        for x in rows:
            action = res[x.action]
            via = "; via " + ", ".join(esc(self.label(t)) for t in x.via) if x.via else ""
            out.append(
                f'<li><a href="{esc(self.href(x.action))}">'
                f"{esc(short_label(self.graph, action))}</a> — {esc(action.one(WPS_TEXT))}"
                f' <span class="evidence">[{self.evidence(x.evidence)}{via}]</span></li>'
            )
        return Markup("".join(out))

    def href(self, x: Any) -> str:
        """Where an IRI (a string or a NamedNode) links to from this folder."""
        iri = x if isinstance(x, str) else x.value
        target = self.graph.path(iri)
        if target is not None:
            return relative(target + ".html", self.here)
        if iri.startswith(WPS):
            return relative("ontology.html", self.here) + "#" + iri[len(WPS) :]
        return iri

    def link(self, term: Any) -> dict[str, str]:
        """A term as {label, href, kind, lang} for the templates."""
        if isinstance(term, ox.Literal):
            return {"label": term.value, "href": "", "kind": "literal", "lang": term.language or ""}
        if isinstance(term, ox.BlankNode):  # e.g. an owl:unionOf class expression
            return {
                "label": "(a class expression; see the Turtle)",
                "href": "",
                "kind": "literal",
                "lang": "",
            }
        iri = term.value if hasattr(term, "value") else str(term)
        return {"label": self.graph.label(iri), "href": self.href(iri), "kind": "iri", "lang": ""}

    def term(self, t: Any) -> Markup:
        """A term as HTML: a link for an IRI, a span for a literal (escaped)."""
        if isinstance(t, (ox.NamedNode, str)):
            return self.iri(t)
        if type(t) is ox.Literal:
            return Markup(self.term_text(t))
        # anything else (a blank node): its label, which has no language
        return Markup(f'<span class="literal">{esc(self.link(t)["label"])}</span>')

    def term_text(self, t: Any) -> str:
        """:meth:`term` as a plain string, for pages built by Python (no Markup object
        per literal: a large site shows millions)."""
        if type(t) is not ox.Literal:
            return self.term(t)
        lang = t.language
        if lang:
            return f'<span class="literal" lang="{esc(lang)}">{esc(t.value)}</span>'
        return f'<span class="literal">{esc(t.value)}</span>'

    def iri(self, x: Any) -> Markup:
        """An IRI (a string or a term) as a link labelled with its label."""
        if not isinstance(x, str):
            if not isinstance(x, ox.NamedNode):
                return self.term(x)
            x = x.value
        html = self._iris.get(x)
        if html is None:
            label = esc(self.graph.label(x))
            html = self._iris[x] = Markup(f'<a href="{esc(self.href(x))}">{label}</a>')
        return html
