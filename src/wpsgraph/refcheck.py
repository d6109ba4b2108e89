"""Import, second pass: the references of a plan file, once its structure is known to be
right (the first pass is :mod:`wpsgraph.contract`). Countries, actors and instruments must
exist in the reference data, identifiers must be unique within the plan, indicator
references must name an indicator of the plan; each problem is an
:class:`~wpsgraph.errors.Issue` at the file and line of the offending key, with a
suggestion where one is close.
"""

from __future__ import annotations

from collections.abc import Hashable, Iterator
from pathlib import Path
from typing import Any

from wpsgraph.contract import STATEMENT_KEYS
from wpsgraph.errors import Issue
from wpsgraph.plantree import actions, obj_local, objectives
from wpsgraph.reference import Reference
from wpsgraph.schema import suggest
from wpsgraph.vocab import slug
from wpsgraph.yamlsrc import LocDict


class ReferenceChecker:
    """References and uniqueness, once the structure is known to be right."""

    def __init__(self, doc: LocDict, display: str, path: Path, data: Path, ref: Reference):
        self.doc, self.display, self.path, self.data, self.ref = doc, display, path, data, ref

    def at(self, node: LocDict, key: str, name: str, message: str) -> Issue:
        return Issue(self.display, node.line_of(key), name, message)

    def run(self) -> Iterator[Issue]:
        doc, name = self.doc, f"plan {self.doc['id']}"
        if doc["id"] != self.path.stem:
            yield self.at(doc, "id", name, f"id '{doc['id']}' must equal the file name")
        if doc["period"]["start"] > doc["period"]["end"]:
            yield self.at(doc, "period", name, "period: start is after end")
        if doc["type"] == "NationalActionPlan" and "country" not in doc:
            yield self.at(doc, "type", name, "a NationalActionPlan needs a 'country'")
        if "country" in doc and doc["country"] not in self.ref.countries:
            code = doc["country"]
            hint = suggest(code, self.ref.countries)
            yield self.at(doc, "country", name, f"unknown country '{code}'{hint}")
        document = self.data / "sources" / doc["source"]["document"]
        if not document.is_file() or ".." in Path(doc["source"]["document"]).parts:
            yield self.at(
                doc["source"],
                "document",
                name,
                f"no source document '{doc['source']['document']}' in data/sources/",
            )
        if not doc.get("objectives") and not doc.get("actions"):
            yield self.at(doc, "id", name, "a plan needs 'objectives' or 'actions'")
        yield from self.actor_list(doc, ("issued_by", "coordinated_by"), name)
        for key in STATEMENT_KEYS:
            if key in doc:
                yield from self.actor_list(doc[key], ("actors",), f"{name} {key}")
                if "stated" in doc[key] and key != "budget":
                    yield self.at(doc[key], "stated", name, "'stated' is only for 'budget'")
        yield from self.references(doc, name)
        yield from self.objectives()
        yield from self.actions()

    def actor_list(self, node: LocDict, keys: tuple[str, ...], name: str) -> Iterator[Issue]:
        for key in keys:
            values = node.get(key, [])
            for i, aid in enumerate(values):
                if aid not in self.ref.actors:
                    hint = suggest(aid, self.ref.actors)
                    yield Issue(
                        self.display, values.line_of(i), name, f"{key}: unknown actor '{aid}'{hint}"
                    )

    def references(self, node: LocDict, name: str) -> Iterator[Issue]:
        known = self.ref.known_instruments()
        seen: set[str] = set()
        for r in node.get("references", []):
            iid = r["instrument"]
            if iid not in self.ref.resolutions and iid not in self.ref.instruments:
                yield self.at(
                    r, "instrument", name, f"unknown instrument '{iid}'{suggest(iid, known)}"
                )
            elif iid in seen:
                yield self.at(r, "instrument", name, f"instrument '{iid}' is referenced twice")
            seen.add(iid)

    def objectives(self) -> Iterator[Issue]:
        seen: dict[tuple[str, str], int] = {}
        for obj in objectives(self.doc):
            name = f"{obj['level']} {obj.get('number', obj.get('key', '?'))}"
            if ("number" in obj) == ("key" in obj):
                yield self.at(obj, "level", name, "give exactly one of 'number' or 'key'")
                continue
            local = (obj["level"], slug(obj_local(obj)))
            duplicate = f"duplicate identifier {local[0]}/{local[1]} ("
            yield from self.identifier(obj, "level", name, local, not local[1], seen, duplicate)
            yield from self.references(obj, name)

    def identifier(
        self,
        node: LocDict,
        field: str,
        name: str,
        key: Hashable,
        empty: bool,
        seen: dict[Any, int],
        duplicate: str,
    ) -> Iterator[Issue]:
        """An identifier made from a number that is empty, or that an earlier node of the
        file has (``duplicate`` begins that message, ``seen`` holds the first lines)."""
        if empty:
            yield self.at(node, "number", name, "the number gives an empty identifier")
        elif key in seen:
            yield self.at(node, field, name, f"{duplicate}first at line {seen[key]})")
        seen.setdefault(key, node.line)

    def actions(self) -> Iterator[Issue]:
        seen: dict[str, int] = {}
        numbered: dict[str, int] = {}
        refs: list[tuple[LocDict, str, str]] = []
        for action in actions(self.doc):
            name = f"action {action['number']}"
            local = slug(action["number"])
            duplicate = f"duplicate action number (identifier '{local}' "
            yield from self.identifier(action, "number", name, local, not local, seen, duplicate)
            yield from self.actor_list(action, ("actors", "addressees"), name)
            yield from self.references(action, name)
            for i, ind in enumerate(action.get("indicators", [])):
                line = action["indicators"].line_of(i)
                if not isinstance(ind, LocDict):
                    continue
                if "ref" in ind:
                    if set(ind) - {"ref", "notes"}:
                        yield Issue(self.display, line, name, "an indicator 'ref' takes no text")
                    refs.append((ind, name, ind["ref"]))
                elif "number" not in ind or "text" not in ind:
                    yield Issue(
                        self.display,
                        line,
                        name,
                        "a numbered indicator needs 'number' and 'text' (or only 'ref')",
                    )
                else:
                    key = slug(ind["number"])
                    if key in numbered:
                        yield Issue(
                            self.display,
                            line,
                            name,
                            f"indicator {ind['number']} is defined twice (first at line "
                            f'{numbered[key]}); use {{ref: "{ind["number"]}"}} to share it',
                        )
                    numbered.setdefault(key, line)
        for ind, name, target in refs:
            if slug(target) not in numbered:
                hint = suggest(target, [str(n) for n in numbered])
                yield self.at(ind, "ref", name, f"no indicator numbered '{target}'{hint}")
