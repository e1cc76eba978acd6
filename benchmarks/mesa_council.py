"""The crisis decision written as a Mesa model: what a modeller would otherwise build.

One Mesa model per scenario: each member state is an agent that works out the highest measure it
accepts, scalar Python in `step`, and the model takes the consensus. It reads the same compiled
regime (dated tables, parameters) as csto's engine and covers the rules the benchmark's scenarios
exercise; the benchmark checks that it reaches the engine's outcome on every scenario it runs.
Benchmarks only: csto itself never runs this.
"""

from __future__ import annotations

from typing import Any

import mesa

from csto.domain.crisis import Measure
from csto.domain.models import RelationLevel
from csto.law import Regime
from csto.law.batch import INTENSITIES, INVOLVEMENTS, KINDS

INTERNAL = KINDS.index("internal_unrest")  # type: ignore[arg-type]
TERROR = KINDS.index("terrorism")  # type: ignore[arg-type]
CROSS = KINDS.index("cross_border_threat")  # type: ignore[arg-type]
ATTACKS = (KINDS.index("armed_attack"), KINDS.index("border_clash"))  # type: ignore[arg-type]
CLAIMED = INVOLVEMENTS.index("claimed")  # type: ignore[arg-type]
LOW = INTENSITIES.index("low")  # type: ignore[arg-type]


class Member(mesa.Agent):
    def __init__(self, model: CouncilModel, index: int) -> None:
        super().__init__(model)
        self.index = index
        self.ceiling = int(Measure.DEPLOYMENT)
        self.abstains = False

    def step(self) -> None:
        m, s, r = self.model, self.model.s, self.model.regime
        e, i = s["epoch"], self.index
        if i == m.appellant_member:
            self.ceiling = s["asks"]
            return
        p = m.params
        ceiling = int(Measure.DEPLOYMENT)
        internal = s["kind"] == INTERNAL
        framed = s["foreign"] >= CLAIMED
        attack = s["kind"] in ATTACKS
        for opp in s["opponents"]:
            if opp >= 0 and r.member_of_universe[opp] == i:
                ceiling = min(ceiling, p["party_cap"])
            if opp >= 0 and r.relation[e, i, opp] >= p["ties_threshold"]:
                ceiling = min(ceiling, p["ties_cap"])
        if m.appellant_at_war:
            ceiling = min(ceiling, p["entanglement_cap"])
        if internal and not framed and r.precedent_high[e, i]:
            ceiling = min(ceiling, p["precedent_cap"])
        if (internal or s["kind"] in (TERROR, CROSS)) and s["intensity"] > p[
            "stabilisation_max_intensity"
        ]:
            ceiling = min(ceiling, p["cost_cap"])
        committed = s.get("provider_committed", r.committed[e, i])
        if (
            r.power[e, i]
            and committed
            and s["intensity"] > p["committed_capacity_max_intensity"]
            and not attack
        ):
            ceiling = min(ceiling, p["committed_capacity_cap"])
        if r.power[e, i] and internal and not s["government_at_risk"]:
            ceiling = min(ceiling, p["regime_survival_cap"])
        self.ceiling = max(ceiling, m.floor)
        self.abstains = bool(r.status[e, i] == 3 and r.abstention[e])  # participation frozen


class CouncilModel(mesa.Model):
    """One scenario: members decide their positions, the Council takes the consensus."""

    def __init__(
        self, regime: Regime, scenario: dict[str, Any], legal_ceiling: int, floor: int
    ) -> None:
        super().__init__(seed=0)
        self.regime, self.s = regime, scenario
        self.params = {**regime.params, **scenario.get("params", {})}
        self.floor = floor
        self.legal_ceiling = legal_ceiling
        e = scenario["epoch"]
        self.appellant_member = (
            int(regime.member_of_universe[scenario["appellant"]])
            if scenario["appellant"] >= 0
            else -1
        )
        self.appellant_at_war = self.appellant_member >= 0 and any(
            opp >= 0 and regime.relation[e, self.appellant_member, opp] == RelationLevel.WAR.rank
            for opp in scenario["opponents"]
        )
        for i in range(len(regime.members)):
            if regime.is_member(regime.status[e, i]):
                Member(self, i)

    def decide(self) -> int:
        self.agents.do("step")
        voting = [a.ceiling for a in self.agents if not a.abstains]
        return min([self.legal_ceiling, self.s["asks"], *voting])
