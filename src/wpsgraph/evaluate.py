"""Evaluate the linker against a hand-labelled gold set (``tests/gold/links.yaml``).

The gold set lists, for sampled actions, the themes each is about and the instruments its
own wording names. Precision and recall are computed per basis (explicit instruments,
thematic themes) and per theme, over the gold actions only.
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass, field
from pathlib import Path

import yaml

from wpsgraph.build import BuildResult
from wpsgraph.linker import link_plan


@dataclass
class Score:
    tp: int = 0
    fp: int = 0
    fn: int = 0
    misses: list[str] = field(default_factory=list)
    extras: list[str] = field(default_factory=list)

    @property
    def precision(self) -> float:
        return self.tp / (self.tp + self.fp) if self.tp + self.fp else 1.0

    @property
    def recall(self) -> float:
        return self.tp / (self.tp + self.fn) if self.tp + self.fn else 1.0

    def add(self, gold: set[str], found: set[str], where: str) -> None:
        self.tp += len(gold & found)
        self.fp += len(found - gold)
        self.fn += len(gold - found)
        self.misses += [f"{where}: {x}" for x in sorted(gold - found)]
        self.extras += [f"{where}: {x}" for x in sorted(found - gold)]


@dataclass
class Evaluation:
    explicit: Score
    thematic: Score
    per_theme: dict[str, Score]
    actions: int

    def text(self) -> str:
        lines = [f"gold actions: {self.actions}"]
        for name, s in (("explicit", self.explicit), ("thematic", self.thematic)):
            lines.append(
                f"{name:9} precision {s.precision:.3f}  recall {s.recall:.3f}  "
                f"(tp {s.tp}, fp {s.fp}, fn {s.fn})"
            )
        lines.append("per theme:  precision  recall   tp  fp  fn")
        for theme, s in sorted(self.per_theme.items(), key=lambda kv: kv[1].recall):
            lines.append(
                f"  {theme:26} {s.precision:6.3f} {s.recall:7.3f} {s.tp:4} {s.fp:3} {s.fn:3}"
            )
        return "\n".join(lines)


SPLITS = ("all", "dev", "test")


def evaluate(result: BuildResult, gold_file: Path, split: str = "all") -> Evaluation:
    """Score the linker on the gold set; ``dev`` (even positions) is for tuning the rules,
    ``test`` (odd positions) is held out to report figures that tuning has not seen."""
    gold = yaml.safe_load(gold_file.read_text(encoding="utf-8"))
    if split == "dev":
        gold = gold[0::2]
    elif split == "test":
        gold = gold[1::2]
    found_themes: dict[tuple[str, str], set[str]] = defaultdict(set)
    found_explicit: dict[tuple[str, str], set[str]] = defaultdict(set)
    for plan in result.plans:
        assert plan.data is not None
        for link in link_plan(plan, result.reference, result.themes, result.ids):
            key = (plan.plan_id, link.action.value)
            if link.kind == "theme":
                found_themes[key].add(link.target)
            elif link.basis == "explicit":
                found_explicit[key].add(link.target)
    explicit, thematic = Score(), Score()
    per_theme: dict[str, Score] = defaultdict(Score)
    for item in gold:
        iri = result.ids.action(item["plan"], str(item["action"])).value
        key = (item["plan"], iri)
        where = f"{item['plan']} {item['action']}"
        explicit.add(set(item.get("explicit") or []), found_explicit[key], where)
        gold_t, found_t = set(item.get("themes") or []), found_themes[key]
        thematic.add(gold_t, found_t, where)
        for theme in gold_t | found_t:
            per_theme[theme].add(gold_t & {theme}, found_t & {theme}, where)
    return Evaluation(explicit, thematic, dict(per_theme), len(gold))
