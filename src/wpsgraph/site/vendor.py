"""The browser components of the SPARQL page, copied from ``node_modules`` (npm)."""

from __future__ import annotations

import json
import shutil
from pathlib import Path

from wpsgraph.errors import WpsgraphError

# package → the files the page needs (nothing else is published).
FILES = {
    "oxigraph": ("web.js", "web_bg.wasm"),
    "@zazuko/yasqe": ("build/yasqe.min.js", "build/yasqe.min.css"),
    "@zazuko/yasr": ("build/yasr.min.js", "build/yasr.min.css"),
}


class MissingNodeModules(WpsgraphError):
    """The npm packages of the SPARQL page are not installed."""


def copy_vendor(node_modules: Path, dest: Path) -> dict[str, str]:
    """Copy the needed files into ``dest/<name>/``; return {package: version}."""
    versions = {}
    for package, files in FILES.items():
        root = node_modules / package
        missing = [f for f in files if not (root / f).is_file()]
        if missing:
            raise MissingNodeModules(
                f"{root}: missing {', '.join(missing)}; the SPARQL page needs the npm "
                "packages of package.json: run 'npm ci' in the project folder "
                "('make site' does it)"
            )
        target = dest / package.split("/")[-1]
        target.mkdir(parents=True, exist_ok=True)
        for f in files:
            shutil.copy2(root / f, target / Path(f).name)
        meta = json.loads((root / "package.json").read_text(encoding="utf-8"))
        versions[package] = meta.get("version", "")
        for licence in ("LICENSE", "LICENSE.md", "LICENSE-MIT", "LICENSE-APACHE"):
            if (root / licence).is_file():
                shutil.copy2(root / licence, target / licence)
    return versions
