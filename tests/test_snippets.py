"""The page snippets built in Python (site/snippets.py): their exact markup, and every
value from the data escaped. The pages that use them are checked in test_site.py."""

from __future__ import annotations

from dataclasses import dataclass

from markupsafe import Markup, escape

from wpsgraph.site.snippets import Snippets
from wpsgraph.site.views import Source

HOSTILE = '<script>alert("x")</script> & ../'


class _Links(Snippets):
    """Relative links from ``id/plan`` and IRIs as labelled links, as render.Links makes."""

    here = ""  # links made for pages of another folder: every link through url()

    def url(self, target: str) -> str:
        return "../../" + target

    def iri(self, x: object) -> Markup:
        return Markup(f'<a href="{escape(str(x))}">{escape(str(x))}</a>')


@dataclass
class _Warning:
    focus: str
    message: str
    node: str
    file: str
    line: int


L = _Links()


def test_a_pages_own_files_are_linked_by_name_from_its_folder() -> None:
    class Here(_Links):
        here = "id/plan"

        def url(self, target: str) -> str:
            raise AssertionError("not needed for a page's own files")

    assert Here().alternates("id/plan/x").count('href="x.') == 3
    assert Here().downloads("id/plan/a&b").count('href="a&amp;b.') == 3


def test_alternates_and_downloads_point_at_the_three_files() -> None:
    assert L.alternates("id/plan/x") == (
        '<link rel="alternate" type="text/turtle" href="../../id/plan/x.ttl">\n'
        '<link rel="alternate" type="application/ld+json" href="../../id/plan/x.jsonld">\n'
        '<link rel="alternate" type="application/n-triples" href="../../id/plan/x.nt">'
    )
    assert L.downloads("id/plan/x") == (
        '<p class="formats">This resource as '
        '<a rel="alternate" type="text/turtle" href="../../id/plan/x.ttl">Turtle</a> · '
        '<a rel="alternate" type="application/ld+json" href="../../id/plan/x.jsonld">JSON-LD</a>'
        ' · <a rel="alternate" type="application/n-triples" href="../../id/plan/x.nt">'
        "N-Triples</a></p>"
    )
    assert "<script>" not in L.alternates(HOSTILE) and "&lt;script&gt;" in L.downloads(HOSTILE)


def test_evidence_quotes_each_word_escaped() -> None:
    assert L.evidence(["sexual violence", "victim"]) == "<q>sexual violence</q>, <q>victim</q>"
    assert L.evidence([]) == ""
    assert L.evidence([HOSTILE]) == f"<q>{escape(HOSTILE)}</q>"


def test_warnings_name_node_file_and_line() -> None:
    w = _Warning("https://x/a", HOSTILE, "objectives[0]", "data/plans/p.yaml", 12)
    box = L.warnings_box([w, w])
    assert box.startswith('<section class="box warn"') and "Validation warnings (2)" in box
    assert box.count("<li>") == 2 and "<script>" not in box
    assert "(objectives[0]; <code>data/plans/p.yaml:12</code>)" in box
    assert 'href="https://x/a"' not in box  # the box is on the node's own page
    assert L.warning_list([w], True).startswith('<ul class="warnings">\n<li><a href="https://x/a"')
    assert L.warnings_box([]) == "" and L.warning_list([], True) == ""


def test_source_box_gives_document_place_and_curation_line() -> None:
    src = Source(document="https://x/doc", place=[("page", "7"), ("section", HOSTILE)])
    src.file, src.line = "data/plans/p.yaml", "40"
    box = L.source_box(src)
    assert '<p><a href="https://x/doc">https://x/doc</a>, page 7, section &lt;script' in box
    assert "Curated in <code>data/plans/p.yaml:40</code>.</p>\n</section>\n" in box
    assert L.source_box(Source(file="f.yaml")) == (
        '<section class="source" aria-labelledby="source-h">\n<h2 id="source-h">Source</h2>\n'
        "<p>.\nCurated in <code>f.yaml</code>.</p>\n</section>\n"
    )
    assert L.source_box(Source()) == ""


def test_references_list_with_and_without_evidence() -> None:
    refs = [
        {"ref": "r1", "instrument": "https://x/1820", "evidence": HOSTILE},
        {"ref": "r2", "instrument": "https://x/cedaw", "evidence": ""},
    ]
    out = L.references_list(refs)
    assert out == (
        '<ul class="refs"><li><a href="https://x/1820">https://x/1820</a> — '
        f"<q>{escape(HOSTILE)}</q></li>"
        '<li><a href="https://x/cedaw">https://x/cedaw</a></li></ul>\n'
    )
    assert L.references_list([]) == ""
