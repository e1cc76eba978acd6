"""Deciding a question as the CLI and the API do: under reforms, with the baseline beside it.

decide_with_baseline(world, given, reforms)   the Decision, and under reforms the baseline
                                               outcome in `baseline_outcome`
"""

from __future__ import annotations

from collections.abc import Sequence

from csto.engine.decide import decide
from csto.engine.decision import Decision
from csto.service.inputs import QuestionInput
from csto.world import World


def decide_with_baseline(
    world: World, given: QuestionInput, reforms: Sequence[str] = ()
) -> Decision:
    result = decide(world, given.question, reforms, given.file_hash, given.name)
    if not reforms:
        return result
    baseline = decide(world, given.question, (), given.file_hash, given.name)
    return result.model_copy(update={"baseline_outcome": baseline.outcome})
