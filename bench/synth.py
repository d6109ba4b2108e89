"""A synthetic corpus at any scale, in the format of data/plans/, deterministic from a seed.

Each synthetic plan is built from one of the real plans (in turn): the same structure
(objectives nested as in the original, actions, indicators, shared indicators, actors,
references, statements, notes and defects), with a new identifier, a country, and its
wording varied word by word from the corpus' own vocabulary, so that texts keep realistic
lengths and the linker's rules still find realistic matches. The real plans and the
reference data are copied; the source texts are hard-linked where possible (nothing edits
them).

    python bench/synth.py --scale 10 --out bench/corpora/x10      # 50 plans
"""

from __future__ import annotations

import argparse
import copy
import os
import random
import re
import shutil
import sys
from pathlib import Path
from typing import Any

import yaml

ROOT = Path(__file__).resolve().parent.parent
TEXT_KEYS = ("text", "title")
_WORD = re.compile(r"[A-Za-z]{5,}")


def _vocabulary(plans: list[dict[str, Any]]) -> list[str]:
    words: set[str] = set()

    def walk(node: Any) -> None:
        if isinstance(node, dict):
            for key, value in node.items():
                if key in TEXT_KEYS and isinstance(value, str):
                    words.update(w.lower() for w in _WORD.findall(value))
                walk(value)
        elif isinstance(node, list):
            for item in node:
                walk(item)

    for plan in plans:
        walk(plan)
    return sorted(words)


def _vary(text: str, rng: random.Random, vocab: list[str]) -> str:
    """Replace about one word in five (of five letters or more) by another corpus word."""
    return _WORD.sub(lambda m: rng.choice(vocab) if rng.random() < 0.2 else m.group(0), text)


def _rewrite(node: Any, rng: random.Random, vocab: list[str]) -> Any:
    if isinstance(node, dict):
        out = {}
        for key, value in node.items():
            if key in TEXT_KEYS and isinstance(value, str):
                out[key] = _vary(value, rng, vocab)
            elif key == "indicators" and isinstance(value, list):
                out[key] = [
                    _vary(i, rng, vocab) if isinstance(i, str) else _rewrite(i, rng, vocab)
                    for i in value
                ]
            else:
                out[key] = _rewrite(value, rng, vocab)
        return out
    if isinstance(node, list):
        return [_rewrite(item, rng, vocab) for item in node]
    return node


def _link_or_copy(src: Path, dst: Path) -> None:
    if src.is_dir():
        dst.mkdir(parents=True, exist_ok=True)
        for child in src.iterdir():
            _link_or_copy(child, dst / child.name)
        return
    try:
        os.link(src, dst)
    except OSError:
        shutil.copy2(src, dst)


def synthesise(scale: float, out: Path, seed: int = 1325, data: Path = ROOT / "data") -> int:
    """Write ``round(5 * scale)`` plans (the real ones first, unchanged) into ``out/data``;
    return the number of plan files."""
    target = out / "data"
    if target.exists():
        shutil.rmtree(target)
    (target / "plans").mkdir(parents=True)
    # copies, not links: the benchmark edits a plan file of the corpus, and a curator may
    # edit data/ while a benchmark runs; neither must reach the other
    shutil.copytree(data / "reference", target / "reference", dirs_exist_ok=True)
    _link_or_copy(data / "sources", target / "sources")
    real_files = sorted((data / "plans").glob("*.yaml"))
    real = [yaml.load(p.read_text(encoding="utf-8"), Loader=yaml.CSafeLoader) for p in real_files]
    for path in real_files:
        shutil.copy2(path, target / "plans" / path.name)
    # every scalar a string: under YAML 1.1 rules Norway's code NO would read as false
    countries = [
        c["code"]
        for c in yaml.load(
            (data / "reference" / "countries.yaml").read_text(encoding="utf-8"),
            Loader=yaml.BaseLoader,
        )
    ]
    vocab = _vocabulary(real)
    rng = random.Random(seed)
    total = max(len(real), round(len(real) * scale))
    for i in range(len(real), total):
        template = real[i % len(real)]
        plan = _rewrite(copy.deepcopy(template), rng, vocab)
        plan["id"] = f"synth-{i:05d}-{template['id']}"
        plan["title"] = f"{template['title']} (synthetic {i})"
        plan.pop("short_title", None)
        if plan["type"] == "NationalActionPlan":
            plan["country"] = countries[i % len(countries)]
        start = 2000 + i % 20
        length = int(plan["period"]["end"]) - int(plan["period"]["start"])
        plan["period"] = {"start": start, "end": start + length}
        path = target / "plans" / f"{plan['id']}.yaml"
        path.write_text(
            yaml.dump(plan, Dumper=yaml.CSafeDumper, allow_unicode=True, sort_keys=False),
            encoding="utf-8",
        )
    return total


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--scale", type=float, required=True, help="corpus size, × the real one")
    parser.add_argument("--out", type=Path, required=True)
    parser.add_argument("--seed", type=int, default=1325)
    args = parser.parse_args(argv)
    n = synthesise(args.scale, args.out, args.seed)
    print(f"{n} plan files in {args.out / 'data'}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
