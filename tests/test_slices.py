"""The site's resources are cut into slices of about the same weight for the workers,
each resource in one slice, the light ones in runs in their order (parallel._slices)."""

from __future__ import annotations

import random

from wpsgraph.site.graph import Resource
from wpsgraph.site.parallel import _slices


def test_every_resource_once_slices_alike_runs_in_order() -> None:
    rng = random.Random(7)
    resources = [Resource(f"r{i}") for i in range(5000)]
    weight = {id(r): rng.choice((1, 2, 2, 3, 8)) for r in resources}
    heavy = resources[::997]  # a resolution's page lists thousands of links
    for r in heavy:
        weight[id(r)] = 3000
    count = 16
    slices = _slices(resources, weight, count)
    assert len(slices) == count
    taken = [r for s in slices for r in s]
    assert sorted(id(r) for r in taken) == sorted(id(r) for r in resources)
    # the heavy ones dealt out in turn, one per slice here
    assert all(sum(r in s for r in heavy) <= 1 for s in slices)
    # the light ones in their order, slice after slice
    light = [r for s in slices for r in s if r not in heavy]
    assert light == [r for r in resources if r not in heavy]
    weights = [sum(weight[id(r)] for r in s) for s in slices]
    goal = sum(weight.values()) / count
    assert max(weights) <= goal + 3000 and min(weights) >= goal - 3000 - 8, weights


def test_few_resources_leave_slices_empty_not_missing() -> None:
    resources = [Resource(f"r{i}") for i in range(3)]
    slices = _slices(resources, {id(r): 1 for r in resources}, 16)
    assert [r for s in slices for r in s] == resources
