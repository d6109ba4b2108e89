r"""Walking a plan file's tree: its objectives at every depth, its actions, their keys.

>>> from wpsgraph.yamlsrc import loads
>>> doc = loads("objectives:\n  - number: '1'\n    actions: [{number: 1.a}]\n"
...             "    objectives: [{number: '1.1', actions: [{number: 1.1.a}]}]\n", "x.yaml")
>>> [a["number"] for a in actions(doc)], [obj_local(o) for o in objectives(doc)]
(['1.a', '1.1.a'], ['1', '1.1'])
"""

from __future__ import annotations

from collections.abc import Iterator

from wpsgraph.yamlsrc import LocDict


def objectives(node: LocDict) -> Iterator[LocDict]:
    """Every objective below ``node``, depth first, in file order."""
    for obj in node.get("objectives", []):
        yield obj
        yield from objectives(obj)


def actions(doc: LocDict) -> Iterator[LocDict]:
    """Every action of a plan: those at the top, then those of each objective."""
    yield from doc.get("actions", [])
    for obj in objectives(doc):
        yield from obj.get("actions", [])


def obj_local(obj: LocDict) -> str:
    """An objective's own key: its printed number, or its curated key."""
    return str(obj.get("number") or obj.get("key"))
