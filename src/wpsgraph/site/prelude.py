"""What the site needs first, made while the pipeline is still at work: the site graph and
the query library's results.

The graph is grouped from the quads in the order they are loaded into the store
(:func:`wpsgraph.build.load_order`), not from a scan of the store: so it can be made in
the main thread while another loads the store, which takes no interpreter lock (at 1M
triples the two take about 3 s each, and now overlap). The library runs in a thread of
its own as soon as the store is loaded, while the graph is still being made or the
pipeline validates and writes its dumps.
"""

from __future__ import annotations

import gc
import time
from collections.abc import Iterable
from concurrent.futures import Future, ThreadPoolExecutor
from pathlib import Path
from types import TracebackType

import pyoxigraph as ox

from wpsgraph.query import Query, list_queries
from wpsgraph.site import library
from wpsgraph.site.graph import Graph, collector_paused


class Prelude:
    """The site graph (made by :meth:`while_loading`) and the library's runs (started by
    :meth:`loaded`), for :func:`wpsgraph.site.build_site`. Use it as a context manager:
    leaving it waits for the library and lets the cycle collector see the graph again."""

    def __init__(self, queries: Path, id_base: str) -> None:
        self.queries: list[Query] = list_queries(queries) if queries.is_dir() else []
        self.id_base = id_base
        self.seconds = 0.0  # spent making the graph
        self._graph: Future[Graph] = Future()
        self._runs: Future[dict[str, library.QueryRun]] | None = None
        self._pool = ThreadPoolExecutor(1, thread_name_prefix="library")

    @classmethod
    def of(cls, graph: Graph, queries: Path) -> Prelude:
        """A prelude whose graph is already made (a session's, see
        :mod:`wpsgraph.session`); the library starts with :meth:`loaded`."""
        made = cls(queries, graph.id_base)
        gc.freeze()  # as after a grouping: unfrozen on leaving
        made._graph.set_result(graph)
        return made

    def while_loading(self, quads: Iterable[ox.Quad]) -> None:
        started = time.perf_counter()
        try:
            with collector_paused():
                graph = Graph(quads, self.id_base)
                # its millions of containers live as long as the site build: frozen, the
                # cycle collector no longer walks them all whenever it runs (a second
                # each time at 1M triples, the first time right after the scan), nor
                # do the forked workers' collectors
                gc.freeze()
        except BaseException as exc:
            self._graph.set_exception(exc)
            raise
        finally:
            self.seconds += time.perf_counter() - started
        self._graph.set_result(graph)

    def loaded(self, store: ox.Store) -> None:
        self._runs = self._pool.submit(
            library.run_library, store, self.queries, self._graph.result, self.id_base
        )

    @property
    def graph(self) -> Graph:
        return self._graph.result()

    def runs(self) -> dict[str, library.QueryRun]:
        """The library's runs, once they are done."""
        assert self._runs is not None, "the library starts once the store is loaded"
        return self._runs.result()

    def __enter__(self) -> Prelude:
        return self

    def __exit__(
        self,
        kind: type[BaseException] | None,
        exc: BaseException | None,
        tb: TracebackType | None,
    ) -> None:
        if not self._graph.done():  # the library may be waiting for it
            self._graph.set_exception(RuntimeError("the build stopped before the site graph"))
        self._pool.shutdown()
        gc.unfreeze()
