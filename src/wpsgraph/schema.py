"""The column contract of every curated file, checked before any triple is made.

Each spec checks one value and yields located :class:`Issue` objects; a file is accepted
only when its whole tree yields none.

>>> spec = Record({"id": (Str(pattern=SLUG), True), "n": (Int(), False)}, name="thing")
>>> doc = yamlsrc.loads("id: Bad Id\\nnn: 3\\n", "t.yaml")
>>> for issue in spec.check(doc, Ctx("t.yaml", 1, "thing")): print(issue)
t.yaml:2: thing: unknown key 'nn' (did you mean 'n'?)
t.yaml:1: thing: id: must match ^[a-z0-9]+(-[a-z0-9]+)*$, not 'Bad Id'
"""

from __future__ import annotations

import datetime as dt
import difflib
import re
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from typing import Any

from wpsgraph import yamlsrc
from wpsgraph.errors import Issue
from wpsgraph.yamlsrc import LocDict, LocList

SLUG = r"^[a-z0-9]+(-[a-z0-9]+)*$"
YEAR_RANGE = (1900, 2100)


def suggest(word: str, choices: Iterable[str]) -> str:
    """A ``(did you mean …?)`` suffix when a close match exists, else ``""``.

    >>> suggest("be-foreign-afairs", ["be-foreign-affairs", "be-justice"])
    " (did you mean 'be-foreign-affairs'?)"
    """
    match = difflib.get_close_matches(word, list(choices), n=1, cutoff=0.6)
    return f" (did you mean '{match[0]}'?)" if match else ""


@dataclass(frozen=True)
class Ctx:
    """Where a value is: file, line, and the human name of the node it belongs to."""

    file: str
    line: int
    node: str
    key: str = ""  # the key path inside the node, e.g. "period.start"

    def at(self, line: int, key: str | None = None) -> Ctx:
        if key is None:
            return Ctx(self.file, line, self.node, self.key)
        return Ctx(self.file, line, self.node, f"{self.key}.{key}" if self.key else key)

    def issue(self, message: str) -> Issue:
        prefix = f"{self.key}: " if self.key else ""
        return Issue(self.file, self.line, self.node, prefix + message)


class Spec:
    """A check of one value."""

    label = "a value"

    def check(self, value: Any, ctx: Ctx) -> Iterator[Issue]:
        raise NotImplementedError


class Str(Spec):
    label = "a string"

    def __init__(
        self,
        *,
        pattern: str | None = None,
        choices: Iterable[str] | None = None,
        nonempty: bool = True,
    ) -> None:
        self.pattern = re.compile(pattern) if pattern else None
        self.choices = tuple(choices) if choices else None
        self.nonempty = nonempty

    def check(self, value: Any, ctx: Ctx) -> Iterator[Issue]:
        if not isinstance(value, str):
            yield ctx.issue(f"expected {self.label}, got {_describe(value)}")
            return
        if self.nonempty and not value.strip():
            yield ctx.issue("must not be empty")
        elif self.choices is not None and value not in self.choices:
            options = ", ".join(self.choices)
            yield ctx.issue(f"'{value}' is not one of {options}{suggest(value, self.choices)}")
        elif self.pattern is not None and not self.pattern.match(value):
            yield ctx.issue(f"must match {self.pattern.pattern}, not {value!r}")


class Int(Spec):
    label = "an integer"

    def __init__(self, *, minimum: int | None = None, maximum: int | None = None) -> None:
        self.minimum, self.maximum = minimum, maximum

    def check(self, value: Any, ctx: Ctx) -> Iterator[Issue]:
        if isinstance(value, bool) or not isinstance(value, int):
            yield ctx.issue(f"expected {self.label}, got {_describe(value)}")
        elif self.minimum is not None and value < self.minimum:
            yield ctx.issue(f"must be at least {self.minimum}, not {value}")
        elif self.maximum is not None and value > self.maximum:
            yield ctx.issue(f"must be at most {self.maximum}, not {value}")


class Bool(Spec):
    label = "true or false"

    def check(self, value: Any, ctx: Ctx) -> Iterator[Issue]:
        if not isinstance(value, bool):
            yield ctx.issue(f"expected {self.label}, got {_describe(value)}")


class Date(Spec):
    """``YYYY``, ``YYYY-MM`` or ``YYYY-MM-DD`` (YAML may hand us a date object)."""

    label = "a date (YYYY, YYYY-MM or YYYY-MM-DD)"
    _re = re.compile(r"^\d{4}(-(0[1-9]|1[0-2])(-(0[1-9]|[12]\d|3[01]))?)?$")

    def check(self, value: Any, ctx: Ctx) -> Iterator[Issue]:
        if isinstance(value, dt.date):
            return
        if isinstance(value, int) and not isinstance(value, bool):
            value = str(value)
        if not isinstance(value, str) or not self._re.match(value):
            yield ctx.issue(f"expected {self.label}, got {value!r}")


class ListOf(Spec):
    def __init__(self, item: Spec, *, nonempty: bool = False, unique: bool = False) -> None:
        self.item, self.nonempty, self.unique = item, nonempty, unique
        self.label = f"a list of {item.label}"

    def check(self, value: Any, ctx: Ctx) -> Iterator[Issue]:
        if not isinstance(value, LocList):
            yield ctx.issue(f"expected {self.label}, got {_describe(value)}")
            return
        if self.nonempty and not value:
            yield ctx.issue("must not be an empty list")
        seen: dict[Any, int] = {}
        for i, item in enumerate(value):
            line = value.line_of(i)
            yield from self.item.check(item, ctx.at(line))
            if self.unique and isinstance(item, str | int):
                if item in seen:
                    yield ctx.at(line).issue(f"{item!r} is listed twice (also line {seen[item]})")
                seen.setdefault(item, line)


class Record(Spec):
    """A mapping with known keys; ``fields`` maps each key to ``(spec, required)``."""

    def __init__(
        self,
        fields: dict[str, tuple[Spec, bool]],
        *,
        name: str,
        node_name: Any = None,
    ) -> None:
        self.fields = fields
        self.name = name
        self.label = f"a {name} mapping"
        # node_name(value) -> the human name used in messages, e.g. "action 4.b"
        self.node_name = node_name

    def check(self, value: Any, ctx: Ctx) -> Iterator[Issue]:
        if not isinstance(value, LocDict):
            yield ctx.issue(f"expected {self.label}, got {_describe(value)}")
            return
        if self.node_name is not None:
            ctx = Ctx(ctx.file, value.line, self.node_name(value))
        for key in value:
            if key not in self.fields:
                yield ctx.at(value.line_of(key)).issue(
                    f"unknown key '{key}'{suggest(key, self.fields)}"
                )
        for key, (spec, required) in self.fields.items():
            if key in value:
                yield from spec.check(value[key], ctx.at(value.line_of(key), key))
            elif required:
                yield ctx.at(value.line).issue(f"missing required key '{key}'")


class Either(Spec):
    """A value that is a string or a mapping, each with its own spec."""

    def __init__(self, text: Spec, mapping: Spec) -> None:
        self.text, self.mapping = text, mapping
        self.label = f"{text.label} or {mapping.label}"

    def check(self, value: Any, ctx: Ctx) -> Iterator[Issue]:
        spec = self.mapping if isinstance(value, LocDict) else self.text
        yield from spec.check(value, ctx)


class Lazy(Spec):
    """A spec defined later, for recursive structures (objectives within objectives)."""

    def __init__(self) -> None:
        self.target: Spec | None = None

    def check(self, value: Any, ctx: Ctx) -> Iterator[Issue]:
        assert self.target is not None
        yield from self.target.check(value, ctx)


def _describe(value: Any) -> str:
    if value is None:
        return "nothing (an empty value)"
    if isinstance(value, LocDict):
        return "a mapping"
    if isinstance(value, LocList):
        return "a list"
    if isinstance(value, bool):
        return f"the boolean {value}"
    return f"{type(value).__name__} {value!r}"


__all__ = [
    "SLUG",
    "Bool",
    "Ctx",
    "Date",
    "Either",
    "Int",
    "Lazy",
    "ListOf",
    "Record",
    "Spec",
    "Str",
    "suggest",
    "yamlsrc",
]
