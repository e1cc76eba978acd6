"""Assessing a crisis as the CLI and the API do: under reforms, with the baseline beside it.

assess_with_baseline(world, given, reforms)   the Assessment, and under reforms the baseline
                                               outcome in `baseline_outcome`
"""

from __future__ import annotations

from collections.abc import Sequence

from csto.engine import Assessment, assess
from csto.service.inputs import CrisisInput
from csto.world import World


def assess_with_baseline(
    world: World, given: CrisisInput, reforms: Sequence[str] = ()
) -> Assessment:
    result = assess(world, given.crisis, reforms, file_hash=given.file_hash)
    if not reforms:
        return result
    baseline = assess(world, given.crisis, (), file_hash=given.file_hash)
    return result.model_copy(update={"baseline_outcome": baseline.outcome})
