"""Read YAML with the line of every value, rejecting what PyYAML would silently accept.

PyYAML keeps the last of two equal keys; a curator who repeats a key loses data without
noticing, so this loader walks the composed node tree itself and reports duplicates.

>>> doc = loads("a: 1\\nb:\\n  - x\\n  - y\\n", "f.yaml")
>>> doc["b"], doc.line_of("b"), doc["b"].line_of(1)
(['x', 'y'], 2, 4)
>>> loads("code: NO\\nok: true\\n", "f.yaml")
{'code': 'NO', 'ok': True}
"""

from __future__ import annotations

import os
import re
from pathlib import Path
from typing import Any

import yaml

from wpsgraph.errors import DataError, Issue

try:  # libyaml is much faster; fall back to the pure-Python loader where it is missing.
    _Base: type = yaml.CSafeLoader
except AttributeError:  # pragma: no cover
    _Base = yaml.SafeLoader


class _Loader(_Base):  # type: ignore[misc,valid-type]
    """YAML 1.2 booleans: only ``true``/``false``, so Norway's code ``NO`` stays a string."""


_Loader.yaml_implicit_resolvers = {
    first: [(tag, rx) for tag, rx in resolvers if tag != "tag:yaml.org,2002:bool"]
    for first, resolvers in _Base.yaml_implicit_resolvers.items()
}
_Loader.add_implicit_resolver(
    "tag:yaml.org,2002:bool", re.compile(r"^(?:true|True|TRUE|false|False|FALSE)$"), list("tTfF")
)


class LocDict(dict[str, Any]):
    """A mapping that remembers the line of itself and of each of its values."""

    line: int = 0
    key_lines: dict[str, int]

    def line_of(self, key: str) -> int:
        return self.key_lines.get(key, self.line)


class LocList(list[Any]):
    """A list that remembers the line of itself and of each item."""

    line: int = 0
    item_lines: list[int]

    def line_of(self, index: int) -> int:
        return self.item_lines[index] if index < len(self.item_lines) else self.line


def _convert(
    node: yaml.Node, file: str, issues: list[Issue], scalars: yaml.constructor.SafeConstructor
) -> Any:
    """The value of ``node`` with the lines of its parts, its scalars made by ``scalars``
    (one constructor per file: a constructor keeps every node it made a value of, with
    its marks, until it is dropped; one for the whole process kept every scalar of every
    file read, about 0.85 MB a plan, so that the import's workers grew and slowed with
    each plan they took)."""
    if isinstance(node, yaml.MappingNode):
        out = LocDict()
        out.line = node.start_mark.line + 1
        out.key_lines = {}
        for key_node, value_node in node.value:
            key = _convert(key_node, file, issues, scalars)
            line = key_node.start_mark.line + 1
            if not isinstance(key, str):
                issues.append(Issue(file, line, "", f"key {key!r} is not a string"))
                key = str(key)
            if key in out:
                issues.append(
                    Issue(
                        file,
                        line,
                        "",
                        f"duplicate key '{key}' (first at line {out.key_lines[key]})",
                    )
                )
                continue
            out[key] = _convert(value_node, file, issues, scalars)
            out.key_lines[key] = line
        return out
    if isinstance(node, yaml.SequenceNode):
        seq = LocList()
        seq.line = node.start_mark.line + 1
        seq.item_lines = []
        for item in node.value:
            seq.append(_convert(item, file, issues, scalars))
            seq.item_lines.append(item.start_mark.line + 1)
        return seq
    return scalars.construct_object(node, deep=True)


def loads(text: str, file: str) -> Any:
    """Parse YAML text; raise :class:`DataError` with ``file:line`` on any problem."""
    issues: list[Issue] = []
    try:
        node = yaml.compose(text, Loader=_Loader)
    except yaml.MarkedYAMLError as exc:
        mark = exc.problem_mark or exc.context_mark
        line = mark.line + 1 if mark else 0
        raise DataError([Issue(file, line, "", f"not valid YAML: {exc.problem}")]) from exc
    except yaml.YAMLError as exc:
        raise DataError([Issue(file, 0, "", f"not valid YAML: {exc}")]) from exc
    if node is None:
        raise DataError([Issue(file, 1, "", "the file is empty")])
    try:
        value = _convert(node, file, issues, yaml.constructor.SafeConstructor())
    except yaml.constructor.ConstructorError as exc:
        mark = exc.problem_mark
        raise DataError(
            [Issue(file, mark.line + 1 if mark else 0, "", f"bad value: {exc.problem}")]
        ) from exc
    if issues:
        raise DataError(issues)
    return value


def load(path: Path, display: str) -> Any:
    """Read and parse one file; ``display`` is the name used in messages."""
    try:
        text = path.read_text(encoding="utf-8")
    except UnicodeDecodeError as exc:
        raise DataError([Issue(display, 0, "", f"not UTF-8 text: {exc.reason}")]) from exc
    except OSError as exc:  # gone or changed since the folder was listed
        raise DataError([Issue(display, 0, "", f"cannot be read: {exc.strerror}")]) from exc
    return loads(text, display)


def display_path(path: Path, data: Path) -> str:
    """How messages name a file: relative to the working directory when it is below it,
    else relative to the folder holding ``data/``."""
    try:
        path = path.resolve()
    except (OSError, RuntimeError):  # a link to itself (RuntimeError before Python 3.13)
        path = Path(os.path.abspath(path))
    for base in (Path.cwd(), data.resolve().parent):
        try:
            return str(path.relative_to(base))
        except ValueError:
            continue
    return str(path)
