"""Every key the importer accepts is documented in data/README.md."""

from __future__ import annotations

from conftest import REPO

from wpsgraph import contract
from wpsgraph.schema import Either, ListOf, Record


def _keys(spec: object, seen: set[int]) -> set[str]:
    if id(spec) in seen:
        return set()
    seen.add(id(spec))
    out: set[str] = set()
    if isinstance(spec, Record):
        for key, (sub, _required) in spec.fields.items():
            out.add(key)
            out |= _keys(sub, seen)
    elif isinstance(spec, ListOf):
        out |= _keys(spec.item, seen)
    elif isinstance(spec, Either):
        out |= _keys(spec.text, seen) | _keys(spec.mapping, seen)
    elif hasattr(spec, "target"):
        out |= _keys(spec.target, seen)
    return out


def test_every_key_is_documented() -> None:
    readme = (REPO / "data" / "README.md").read_text(encoding="utf-8")
    specs = [v for v in vars(contract).values() if isinstance(v, Record)]
    keys = set().union(*(_keys(s, set()) for s in specs))
    assert len(keys) > 60
    missing = sorted(k for k in keys if f"`{k}`" not in readme)
    assert missing == [], f"keys not documented in data/README.md: {missing}"
