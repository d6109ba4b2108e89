"""The site header is rendered once per set of relative links it holds: folders given the
same key by Pages.header_key must get the same links to every target of the header."""

from __future__ import annotations

import itertools
from types import SimpleNamespace

from wpsgraph.site.render import Pages, relative

FOLDERS = [
    "",
    "id",
    "id/plan",
    "id/plan/x/action/1",
    "id/plan/y/action/22/link",
    "queries",
    "queries/more",
    "static",
    "vendor/x",
    "index.html",
]


def _key(targets: tuple[str, ...], here: str) -> object:
    pages = SimpleNamespace(header_targets=targets, _header_tops=None)
    return Pages.header_key(pages, here)  # type: ignore[arg-type]


def test_same_key_same_links() -> None:
    for targets in (
        ("index.html", "plans.html", "queries/index.html", "search.html"),  # as the header's
        ("index.html", "a/b/c.html"),  # a deeper target: the links themselves are the key
    ):
        for a, b in itertools.combinations(FOLDERS, 2):
            links_a = [relative(t, a) for t in targets]
            links_b = [relative(t, b) for t in targets]
            if _key(targets, a) == _key(targets, b):
                assert links_a == links_b, (targets, a, b)


def test_folders_alike_share_a_key() -> None:
    # what the key is for: the many folders of link pages share one header
    targets = ("index.html", "queries/index.html")
    assert _key(targets, "id/plan/x/action/1") == _key(targets, "id/plan/y/action/2")
    assert _key(targets, "id/plan") != _key(targets, "id/plan/x")
    assert _key(targets, "queries") != _key(targets, "static")
