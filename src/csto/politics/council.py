"""The Collective Security Council's decision procedures, over arrays.

    consensus(cap, ceiling, voting)   the strongest measure every voting member accepts, within `cap`
    majority(cap, ceiling, voting)    the strongest measure a simple majority of voters accepts
    blockers(...)                     who stands below each measure between the outcome and the cap
    decide(regime, cap, positions)    the procedure the regime prescribes

The same procedures serve other questions put to the Council (admission, suspension, observer status,
stationing of a non-member's forces): a yes/no question is the two-step ladder none < yes, and
"no member may object" is consensus without abstention.
"""

from __future__ import annotations

import numpy as np

from csto.domain.models import DecisionRule
from csto.law.regime import Regime
from csto.politics.positions import Positions

TOP = 127


def consensus(cap: np.ndarray, ceiling: np.ndarray, voting: np.ndarray) -> np.ndarray:
    lowest = np.where(voting, ceiling, TOP).min(axis=1)
    return np.asarray(np.minimum(cap, lowest), dtype=np.int8)


def majority(
    cap: np.ndarray, ceiling: np.ndarray, voting: np.ndarray, levels: int = 6
) -> np.ndarray:
    voters = voting.sum(axis=1)
    outcome = np.zeros(cap.shape, dtype=np.int8)
    for level in range(1, levels):
        support = (voting & (ceiling >= level)).sum(axis=1)
        outcome = np.where((2 * support > voters) & (level <= cap), level, outcome).astype(np.int8)
    return outcome


def voting_members(pos: Positions) -> np.ndarray:
    return np.asarray(pos.present & ~pos.abstain)


def decide(regime: Regime, cap: np.ndarray, pos: Positions) -> np.ndarray:
    voting = voting_members(pos)
    if regime.decision_rule is DecisionRule.MAJORITY:
        return majority(cap, pos.ceiling, voting)
    return consensus(cap, pos.ceiling, voting)


def blockers(
    outcome: int, cap: int, ceiling: np.ndarray, voting: np.ndarray
) -> dict[int, np.ndarray]:
    """For one crisis: measure -> indices of voting members whose ceiling is below it."""
    return {
        level: np.flatnonzero(voting & (ceiling < level)) for level in range(outcome + 1, cap + 1)
    }
