"""Reforms: named counterfactual regimes, each applied to a copy of the baseline regime.

    Reform              name, what it changes, and the function that makes the changed copy
    REFORMS             the registry, by name
    apply_reforms(regime, names)

A reform never edits the baseline: `Regime.replace` returns a new regime.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from dataclasses import dataclass

from csto.domain.errors import NotFound
from csto.domain.models import DecisionRule
from csto.law.regime import Regime


@dataclass(frozen=True)
class Reform:
    name: str
    doc: str
    change: Callable[[Regime], Regime]


REFORMS: dict[str, Reform] = {
    r.name: r
    for r in (
        Reform(
            "majority-vote",
            "The Collective Security Council decides by simple majority of the members taking part "
            "instead of by consensus (charter Art. 12).",
            lambda r: r.replace(decision_rule=DecisionRule.MAJORITY),
        ),
        Reform(
            "no-request-needed",
            "Art. 4 acts without a request: a member attacked on its own territory is defended whether "
            "or not its government appeals (as in the 1992 text, without the 2010 request clause).",
            lambda r: r.replace(request_needed=False),
        ),
        Reform(
            "neutral-politics",
            "Every political factor is switched off: each member keeps the prior position "
            "(member_prior), so only the law, the appeal and the procedure decide. Shows what the "
            "politics decide (csto replay --neutral-politics).",
            lambda r: r.replace(neutral_politics=True),
        ),
    )
}


def apply_reforms(regime: Regime, names: Iterable[str]) -> Regime:
    for name in names:
        reform = REFORMS.get(name)
        if reform is None:
            raise NotFound("reform", name, tuple(REFORMS))
        regime = reform.change(regime)
        regime = regime.replace(reforms=(*regime.reforms, name))
    return regime
