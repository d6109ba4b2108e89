"""The ``wpsgraph`` command: a thin layer over the library API.

Exit status: 0 on success, 1 when the data or a query is wrong (every problem is printed
as ``file:line: node: message``), 2 on a usage error.

The group and what every command shares are in :mod:`~wpsgraph.cli.common`; the commands
are in one module per responsibility: :mod:`~wpsgraph.cli.graph` (build, validate,
export, evaluate), :mod:`~wpsgraph.cli.sparql` (query, queries, publish),
:mod:`~wpsgraph.cli.serve` and :mod:`~wpsgraph.cli.watch`. Importing them registers them
on the group.
"""

from wpsgraph.cli import graph, serve, sparql, watch
from wpsgraph.cli.common import main

__all__ = ["graph", "main", "serve", "sparql", "watch"]
