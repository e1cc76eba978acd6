"""Properties of the engine over generated crises (Hypothesis)."""

from __future__ import annotations

from typing import Any

import numpy as np
from hypothesis import given, settings
from hypothesis import strategies as st

from csto.domain import Organization, Status
from csto.domain.crisis import Measure, parse_crisis
from csto.engine import assess, evaluate
from csto.law import CrisisBatch

from .strategies import crisis_dicts
from .worlds import WORLD


@settings(max_examples=300, deadline=None)
@given(raw=crisis_dicts())
def test_engine_invariants(raw: dict[str, Any]) -> None:
    org = WORLD.org
    crisis = parse_crisis(raw, "gen.yaml")
    result = assess(WORLD, crisis)
    members = {s.code for s in org.members(crisis.date)}
    assert set(result.positions) == members
    if crisis.appeal is None:
        assert result.outcome <= Measure.STATEMENT
    elif org.status(crisis.appeal.by, crisis.date) not in (
        Status.MEMBER,
        Status.PARTICIPATION_FROZEN,
    ):
        assert result.outcome is Measure.NONE
    assert result.outcome <= result.legal.ceiling
    for pos in result.positions.values():
        if pos.stance != "abstains":
            assert result.outcome <= pos.ceiling
        assert pos.reasons
    # Every step of the law cites a provision or names a parameter.
    for step in result.legal.steps:
        assert step.citations or step.parameter
    assert assess(WORLD, crisis).dump() == result.dump()


@settings(max_examples=50, deadline=None)
@given(raws=st.lists(crisis_dicts(), min_size=1, max_size=40))
def test_a_batch_gives_each_crisis_its_own_outcome(
    org: Organization, raws: list[dict[str, Any]]
) -> None:
    crises = [parse_crisis(r, "gen.yaml") for r in raws]
    regime = WORLD.regime
    together = evaluate(CrisisBatch.from_crises(crises, regime), regime).outcome
    alone = np.array([assess(WORLD, c).outcome for c in crises])
    np.testing.assert_array_equal(together, alone)
