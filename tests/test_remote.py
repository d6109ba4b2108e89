"""Publish to and query a real SPARQL server: `oxigraph serve` on a loopback port.

Each test that needs the server starts its own on a free port with a temporary data
folder, so a test that stops it cannot disturb the others.
"""

from __future__ import annotations

import http.server
import shutil
import socket
import subprocess
import sys
import threading
import time
import urllib.request
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import pyoxigraph as ox
import pytest
import yaml
from click.testing import CliRunner, Result
from conftest import REPO, require

from wpsgraph.build import Project, build_graph
from wpsgraph.cli import main
from wpsgraph.query import load_query, run_query
from wpsgraph.remote import (
    Endpoint,
    PublishError,
    RemoteError,
    graph_counts,
    publish,
    run_query_remote,
)

QUERIES = REPO / "queries"
MANIFEST = yaml.safe_load((REPO / "tests" / "fixtures" / "expected" / "manifest.yaml").read_text())
BASE = "https://w3id.org/wpsgraph"
PREFIX = BASE + "/graph/"
PLAN_GRAPH = PREFIX + "plan/fx-nap-2020"
LINKS_GRAPH = PREFIX + "links/fx-nap-2020"


def _oxigraph() -> str | None:
    beside = Path(sys.executable).parent / "oxigraph"
    return str(beside) if beside.is_file() else shutil.which("oxigraph")


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


@dataclass
class Server:
    binary: str
    location: Path
    port: int
    process: subprocess.Popen[bytes] | None = None

    @property
    def query_url(self) -> str:
        return f"http://127.0.0.1:{self.port}/query"

    def endpoint(self, **kw: object) -> Endpoint:
        return Endpoint.parse(self.query_url, retries=1, backoff=0.05, timeout=10, **kw)

    def start(self) -> None:
        self.process = subprocess.Popen(
            [
                self.binary,
                "serve",
                "--location",
                str(self.location),
                "--bind",
                f"127.0.0.1:{self.port}",
            ],
            stdout=subprocess.DEVNULL,
            stderr=subprocess.DEVNULL,
        )
        deadline = time.monotonic() + 20
        while time.monotonic() < deadline:
            try:
                urllib.request.urlopen(f"{self.query_url}?query=ASK%7B%7D", timeout=1).read()
                return
            except OSError:
                time.sleep(0.1)
        raise RuntimeError("oxigraph serve did not start")

    def stop(self) -> None:
        if self.process is not None:
            self.process.terminate()
            self.process.wait(timeout=20)
            self.process = None


@pytest.fixture
def server(tmp_path: Path) -> Iterator[Server]:
    binary = _oxigraph()
    require(binary is not None, "the Oxigraph server (pip install oxigraph)")
    assert binary is not None
    srv = Server(binary, tmp_path / "oxigraph-data", _free_port())
    srv.start()
    try:
        yield srv
    finally:
        srv.stop()


def _fixture_store(data: Path) -> ox.Store:
    return build_graph(Project(REPO, data_dir=data)).store


def test_publish_then_every_library_query_matches_the_embedded_store(
    server: Server, fixture_store: ox.Store
) -> None:
    ep = server.endpoint()
    report = publish(fixture_store, ep, graph_prefix=PREFIX)
    assert all(g.done and g.after == g.local for g in report.graphs)
    assert {g.graph for g in report.graphs} == {
        PLAN_GRAPH,
        LINKS_GRAPH,
        PREFIX + "reference",
        PREFIX + "ontology",
    }
    counts = graph_counts(ep, PREFIX)
    assert sum(counts.values()) == len(fixture_store)
    for case in MANIFEST:
        query = load_query(case["query"], QUERIES)
        params = case.get("params", {})
        local = run_query(fixture_store, query, params)
        remote = run_query_remote(ep, query, params, id_base=BASE + "/id/", graph_prefix=PREFIX)
        assert remote.variables == local.variables, case
        assert remote.to_csv() == local.to_csv(), case


def test_republish_replaces_and_never_duplicates(server: Server, fixture_copy: Path) -> None:
    ep = server.endpoint()
    first = publish(_fixture_store(fixture_copy), ep, graph_prefix=PREFIX)
    again = publish(_fixture_store(fixture_copy), ep, graph_prefix=PREFIX)
    assert [g.after for g in again.graphs] == [g.after for g in first.graphs]
    # Change the plan: drop action 2.b; the server's plan graph shrinks accordingly.
    plan = fixture_copy / "plans" / "fx-nap-2020.yaml"
    text = plan.read_text()
    plan.write_text(text[: text.index('      - number: "2.b"')])
    changed = _fixture_store(fixture_copy)
    publish(changed, ep, graph_prefix=PREFIX)
    local = sum(1 for q in changed if q.graph_name == ox.NamedNode(PLAN_GRAPH))
    assert graph_counts(ep, PREFIX)[PLAN_GRAPH] == local
    rows = run_query_remote(
        ep,
        load_query("actions-without-indicator", QUERIES),
        {},
        id_base=BASE + "/id/",
        graph_prefix=PREFIX,
    )
    assert [r[1] for r in rows.values()] == ["1.b"]


def test_prune_removes_a_plan_that_left_the_data(server: Server, fixture_copy: Path) -> None:
    ep = server.endpoint()
    second = fixture_copy / "plans" / "fx-nap-2021.yaml"
    second.write_text(
        (fixture_copy / "plans" / "fx-nap-2020.yaml")
        .read_text()
        .replace("id: fx-nap-2020", "id: fx-nap-2021")
    )
    publish(_fixture_store(fixture_copy), ep, graph_prefix=PREFIX)
    assert PREFIX + "plan/fx-nap-2021" in graph_counts(ep, PREFIX)
    second.unlink()
    store = _fixture_store(fixture_copy)
    kept = publish(store, ep, graph_prefix=PREFIX)
    stale = [g for g in kept.graphs if g.action == "keep"]
    assert [g.graph for g in stale] == [PREFIX + "links/fx-nap-2021", PREFIX + "plan/fx-nap-2021"]
    assert PREFIX + "plan/fx-nap-2021" in graph_counts(ep, PREFIX)
    dry = publish(store, ep, graph_prefix=PREFIX, prune=True, dry_run=True)
    assert [g.action for g in dry.graphs if g.graph.endswith("2021")] == ["delete", "delete"]
    assert PREFIX + "plan/fx-nap-2021" in graph_counts(ep, PREFIX)  # dry run changed nothing
    publish(store, ep, graph_prefix=PREFIX, prune=True)
    assert PREFIX + "plan/fx-nap-2021" not in graph_counts(ep, PREFIX)


def _cli(*args: str) -> Result:
    """``wpsgraph --root <repo> <args>``, as a user runs it."""
    return CliRunner().invoke(main, ["--root", str(REPO), *args])


def test_cli_publish_and_query_endpoint(server: Server, fixture_copy: Path) -> None:
    res = _cli(
        "publish",
        "--endpoint",
        server.query_url,
        "--data",
        str(fixture_copy),
        "--password",
        "s3cret-value",
    )
    assert res.exit_code == 0, res.output
    assert PLAN_GRAPH in res.stdout and "s3cret-value" not in res.output
    res = _cli(
        "query",
        "actions-of-actor",
        "-p",
        "actor=fx-justice",
        "-f",
        "csv",
        "--endpoint",
        server.query_url,
    )
    assert res.exit_code == 0, res.output
    assert res.stdout.splitlines()[1].startswith(
        "https://w3id.org/wpsgraph/id/actor/fx-justice,fx-nap-2020,2.a,"
    )
    res = _cli("query", "actions-of-actor", "-p", 'actor=x" } #', "--endpoint", server.query_url)
    assert res.exit_code == 1 and "not an identifier" in res.stderr


def test_server_stopped_in_the_middle_of_a_publish(server: Server, fixture_copy: Path) -> None:
    ep = server.endpoint()
    old = _fixture_store(fixture_copy)
    publish(old, ep, graph_prefix=PREFIX)
    old_counts = graph_counts(ep, PREFIX)
    plan = fixture_copy / "plans" / "fx-nap-2020.yaml"
    text = plan.read_text()
    plan.write_text(text[: text.index('      - number: "2.b"')])
    new = _fixture_store(fixture_copy)

    def stop_after_first(g: object) -> None:
        server.stop()

    with pytest.raises(PublishError) as caught:
        publish(new, ep, graph_prefix=PREFIX, after_each=stop_after_first)
    message = str(caught.value)
    assert "not reachable" in message
    assert f"replaced: {LINKS_GRAPH}" in message
    assert PLAN_GRAPH in message.split("not replaced")[1]
    done = [g.graph for g in caught.value.report.graphs if g.done]
    assert done == [LINKS_GRAPH]
    # Restarted, the server holds each graph whole: the links graph is the new one, every
    # other graph (the plan's among them) still the old one.
    server.start()
    new_links = sum(1 for q in new if q.graph_name == ox.NamedNode(LINKS_GRAPH))
    assert new_links != old_counts[LINKS_GRAPH]
    assert graph_counts(ep, PREFIX) == old_counts | {LINKS_GRAPH: new_links}


def test_nothing_listening() -> None:
    ep = Endpoint.parse(f"http://127.0.0.1:{_free_port()}/query", retries=2, backoff=0.01)
    started = time.monotonic()
    with pytest.raises(RemoteError, match="not reachable"):
        graph_counts(ep, PREFIX)
    assert time.monotonic() - started < 10
    res = _cli(
        "publish",
        "--endpoint",
        ep.query,
        "--retries",
        "0",
        "--data",
        str(REPO / "tests" / "fixtures" / "data"),
    )
    assert res.exit_code == 1 and "not reachable" in res.stderr


def test_malformed_endpoint_urls() -> None:
    for url in ("localhost:7878/query", "ftp://h/query", "http:///query", "http://h:port/query"):
        with pytest.raises(RemoteError):
            Endpoint.parse(url)
    with pytest.raises(RemoteError, match="--graph-store"):
        Endpoint.parse("http://h:3030/ds/sparql")


class _Refuse(http.server.BaseHTTPRequestHandler):
    """A real HTTP server that refuses every request, or answers too late."""

    delay = 0.0

    def _answer(self) -> None:
        if self.delay:
            time.sleep(self.delay)
        self.send_response(401)
        self.send_header("WWW-Authenticate", 'Basic realm="wps"')
        self.send_header("Content-Length", "0")
        self.end_headers()

    do_GET = do_POST = do_PUT = _answer

    def log_message(self, *args: object) -> None:
        pass


@pytest.fixture
def refusing() -> Iterator[http.server.ThreadingHTTPServer]:
    srv = http.server.ThreadingHTTPServer(("127.0.0.1", 0), _Refuse)
    thread = threading.Thread(target=srv.serve_forever, daemon=True)
    thread.start()
    yield srv
    srv.shutdown()
    srv.server_close()


def test_authentication_refused_is_reported_without_the_password(
    refusing: http.server.ThreadingHTTPServer,
) -> None:
    url = f"http://127.0.0.1:{refusing.server_port}/query"
    res = _cli(
        "publish",
        "--endpoint",
        url,
        "--user",
        "analyst",
        "--password",
        "hunter2-secret",
        "--data",
        str(REPO / "tests" / "fixtures" / "data"),
    )
    assert res.exit_code == 1
    assert "authentication refused" in res.stderr
    assert "hunter2-secret" not in res.output


def test_timeout(refusing: http.server.ThreadingHTTPServer) -> None:
    _Refuse.delay = 3.0
    try:
        ep = Endpoint.parse(
            f"http://127.0.0.1:{refusing.server_port}/query", timeout=0.5, retries=0
        )
        with pytest.raises(RemoteError, match="timed out"):
            ep.request("PUT", ep.graph_url(PLAN_GRAPH), b"")
    finally:
        _Refuse.delay = 0.0


class _Flaky(http.server.BaseHTTPRequestHandler):
    """Answers 503 to the first request, then 204: a transient failure."""

    calls = 0

    def do_PUT(self) -> None:
        type(self).calls += 1
        self.rfile.read(int(self.headers.get("Content-Length", 0)))
        self.send_response(503 if type(self).calls == 1 else 204)
        self.send_header("Content-Length", "0")
        self.end_headers()

    def log_message(self, *args: object) -> None:
        pass


def test_a_transient_failure_is_retried_with_backoff() -> None:
    srv = http.server.ThreadingHTTPServer(("127.0.0.1", 0), _Flaky)
    threading.Thread(target=srv.serve_forever, daemon=True).start()
    try:
        url = f"http://127.0.0.1:{srv.server_port}/query"
        ep = Endpoint.parse(url, retries=2, backoff=0.01)
        assert ep.request("PUT", ep.graph_url(PLAN_GRAPH), b"<a> <b> <c> .") == b""
        assert _Flaky.calls == 2
        _Flaky.calls = 0
        with pytest.raises(RemoteError, match="HTTP 503"):
            Endpoint.parse(url, retries=0).request("PUT", ep.graph_url(PLAN_GRAPH), b"")
    finally:
        srv.shutdown()
        srv.server_close()
