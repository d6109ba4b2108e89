"""``wpsgraph serve``: a preview of the built site on loopback."""

from __future__ import annotations

import contextlib
import functools
import http.server
import sys
import time
from pathlib import Path
from typing import Any, ClassVar

import click

from wpsgraph.cli.common import fail, main


@main.command("serve")
@click.option(
    "--dir",
    "directory",
    type=click.Path(file_okay=False, path_type=Path),
    default=Path("dist/site"),
    show_default=True,
)
@click.option("--port", default=8000, show_default=True)
def serve_cmd(directory: Path, port: int) -> None:
    """Preview the built site on http://127.0.0.1:PORT/ (loopback only)."""
    if not (directory / "index.html").is_file():
        fail(f"error: {directory}/index.html not found; run 'wpsgraph build' first")
    handler = functools.partial(_Handler, directory=str(directory))
    with http.server.ThreadingHTTPServer(("127.0.0.1", port), handler) as server:
        click.echo(f"serving {directory} on http://127.0.0.1:{server.server_port}/ (Ctrl-C stops)")
        with contextlib.suppress(KeyboardInterrupt):
            server.serve_forever()


class _Handler(http.server.SimpleHTTPRequestHandler):
    """Static files with the linked-data media types; ``id/x`` serves ``id/x.html``."""

    extensions_map: ClassVar[dict[str, str]] = {
        **http.server.SimpleHTTPRequestHandler.extensions_map,
        ".ttl": "text/turtle",
        ".trig": "application/trig",
        ".nt": "application/n-triples",
        ".nq": "application/n-quads",
        ".jsonld": "application/ld+json",
        ".rq": "application/sparql-query",
        ".wasm": "application/wasm",
        ".js": "text/javascript",
    }

    def translate_path(self, path: str) -> str:
        local = super().translate_path(path)
        p = Path(local)
        if not p.exists() and p.with_name(p.name + ".html").is_file():
            return local + ".html"
        return local

    def log_message(self, format: str, *args: Any) -> None:
        sys.stderr.write(f"{time.strftime('%H:%M:%S')} {format % args}\n")
