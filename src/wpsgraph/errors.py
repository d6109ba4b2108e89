"""The project's own error type and the located message every stage reports."""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True, order=True)
class Issue:
    """One problem in a curated file, located at ``file:line``.

    >>> str(Issue("data/plans/x.yaml", 12, "action 4.b", "unknown key 'txt'"))
    "data/plans/x.yaml:12: action 4.b: unknown key 'txt'"
    """

    file: str
    line: int
    node: str
    message: str

    def __str__(self) -> str:
        where = f"{self.file}:{self.line}" if self.line else self.file
        return f"{where}: {self.node}: {self.message}" if self.node else f"{where}: {self.message}"


class WpsgraphError(Exception):
    """Base class of every error the library raises on purpose."""


class QueryError(WpsgraphError):
    """A query that cannot be found, parsed, bound or run, or a result asked for in a
    format there is none of."""


class DataError(WpsgraphError):
    """Curated data was rejected; ``issues`` says where and why."""

    def __init__(self, issues: list[Issue]) -> None:
        self.issues = sorted(set(issues))
        lines = [str(i) for i in self.issues]
        super().__init__(f"{len(lines)} error(s) in the data:\n" + "\n".join(lines))
