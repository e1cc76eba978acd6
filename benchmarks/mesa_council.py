"""The crisis decision as a Mesa model, written the way a Mesa modeller would: the benchmark's rival.

One model for all scenarios, its agents made once and reused: a Council agent works out the legal
ceiling and the Art. 2 floor, each member state is an agent that works out the highest measure it
accepts, and the model takes the Council's decision (consensus, or majority under that reform).
Everything it decides is computed in `decide`, inside the benchmark's timed region; it reads the
same compiled regime (dated tables, parameters) as csto's engine, turned into Python lists once
(as a modeller would load them), and scenarios as Python tuples (csto's kernel gets arrays).
The benchmark checks that it reaches the engine's outcome on every scenario it runs.
Benchmarks only: csto itself never runs this.
"""

from __future__ import annotations

from typing import Any

import mesa
import numpy as np

from csto.domain.crisis import Measure
from csto.domain.models import DecisionRule, RelationLevel
from csto.engine.kernel import layout as k
from csto.law import CrisisBatch, Regime
from csto.law.regime import FROZEN_CODE

FIELDS = (
    "epoch",
    "appellant",
    "asks",
    "kind",
    "territory",
    "foreign",
    "intensity",
    "government_at_risk",
    "un_mandate",
    "casualties",
    "host_consent",
)
# scenario tuple: the fields above (0-10), opponents (11), parameters (12), provider committed (13)
OPP, PAR, COM = 11, 12, 13


def scenarios_of(batch: CrisisBatch) -> list[tuple[Any, ...]]:
    """Each row as a tuple: the fields above, the opponents, the parameters, provider commitment."""
    n = len(batch)
    names = list(k.PARAMS)
    params = [
        np.asarray(batch.overrides[p]).tolist() if p in batch.overrides else None for p in names
    ]
    committed = (
        np.asarray(batch.overrides["provider_committed"]).tolist()
        if "provider_committed" in batch.overrides
        else [None] * n
    )
    columns = [np.asarray(getattr(batch, f)).tolist() for f in FIELDS]
    opponents = batch.opponents.tolist()
    return [
        (
            *(c[i] for c in columns),
            opponents[i],
            [p[i] if p else None for p in params],
            committed[i],
        )
        for i in range(n)
    ]


class Council(mesa.Agent):
    """The law: the highest measure the provisions in force allow, and the floor Art. 2 owes."""

    def step(self) -> None:
        m: CouncilModel = self.model  # type: ignore[assignment]
        t, p = m.t, m.p
        e, app, asks, kind, terr = m.s[0], m.s[1], m.s[2], m.s[3], m.s[4]
        foreign, un, opponents = m.s[5], m.s[8], m.s[OPP]
        flags, meas = t["flags"][e], t["measures"][e]
        member_on = t["member_on"][e]
        has_appeal = app >= 0
        territory_member = member_on[terr]
        internal = kind == k.K_INTERNAL
        framed = foreign >= k.F_CLAIMED
        attack = kind in k.K_ATTACK
        terror_or_threat = kind in (k.K_TERROR, k.K_CROSS)
        if m.request_needed:
            subject, has_request = app, has_appeal
        else:
            stand_in = not has_appeal and territory_member and attack
            subject = app if has_appeal else (terr if stand_in else -1)
            has_request = has_appeal or stand_in
        subject_member = subject >= 0 and member_on[subject]
        own = subject >= 0 and subject == terr
        opp_member = any(o >= 0 and member_on[o] for o in opponents)
        state_opp = any(o >= 0 and not member_on[o] for o in opponents)
        unframed = internal and not framed
        on_own = subject_member and own and has_request
        live2 = flags[k.F_LIVE2]
        threat = on_own and live2 and (not unframed or flags[k.F_COVERS])
        c = int(Measure.STATEMENT)
        allowed = {int(Measure.NONE), int(Measure.STATEMENT)}
        if subject_member and has_request and live2:
            c = max(c, int(Measure.CONSULTATIONS))
            allowed.add(int(Measure.CONSULTATIONS))
        if threat:
            c = max(c, meas[k.M_CST2])
            allowed.add(meas[k.M_CST2])
        case = attack or (framed and (internal or kind == k.K_TERROR))
        if on_own and flags[k.F_LIVE4] and case and (flags[k.F_AGGR_ANY] or state_opp):
            c = max(c, meas[k.M_CST4])
            allowed.add(meas[k.M_CST4])
        fits = (not unframed and not attack) or kind == k.K_BORDER
        abroad = (
            subject_member and has_appeal and not territory_member and un and flags[k.F_PK_UNSC]
        )
        pk_asked = has_appeal or not flags[k.F_PK_REQ]
        if ((on_own and pk_asked and fits) or abroad) and flags[k.F_PK]:
            c = max(c, meas[k.M_PK])
            allowed.add(meas[k.M_PK])
        crdf_asked = has_appeal or not flags[k.F_CRDF_REQ]
        if (
            on_own
            and crdf_asked
            and flags[k.F_CRDF]
            and (attack or terror_or_threat)
            and t["area"][e][terr]
        ):
            c = max(c, meas[k.M_CRDF])
            allowed.add(meas[k.M_CRDF])
        crrf_fits = attack or terror_or_threat or (internal and framed)
        if on_own and flags[k.F_CRRF] and crrf_fits and t["crrf_party"][subject]:
            c = max(c, meas[k.M_CRRF])
            allowed.add(meas[k.M_CRRF])
        if on_own and (has_appeal or not flags[k.F_MON_REQ]) and flags[k.F_MON]:
            c = max(c, meas[k.M_MON])
            allowed.add(meas[k.M_MON])
        if not live2:
            c = int(Measure.NONE)
        if not has_request:
            c = min(c, p[k.P_NO_APPEAL_CAP])
        if has_appeal and not subject_member:
            c = int(Measure.NONE)
        if opp_member and flags[k.F_CST1]:
            c = min(c, p[k.P_MEMBERS_DISPUTE_CAP])
        if not territory_member and not (un and flags[k.F_CST6_UN]):
            c = min(c, p[k.P_OUTSIDE_TERRITORY_CAP])
        if unframed and flags[k.F_CHARTER5]:
            c = min(c, p[k.P_NON_INTERFERENCE_CAP])
        c = max(level for level in allowed if level <= c)
        m.ceiling = c
        m.floor = min(p[k.P_ART2_FLOOR], c) if threat else int(Measure.NONE)
        m.cap = min(c, asks)
        # what the members' factors look at, once per scenario
        sm = m.mou[subject] if subject >= 0 else -1
        sm0 = max(sm, 0)
        m.appellant_member = sm
        requested = has_request and subject_member
        backing = m.backing[e][sm0]
        m.requested, m.backed, m.dropped = requested, backing > 0, backing < 0
        serious = kind == k.K_ARMED or m.s[6] >= p[k.P_BORDER_CLASH_MIN_INTENSITY]
        m.collective = requested and own and attack and state_opp and serious
        stab = kind in k.K_STAB
        m.show = (
            requested
            and own
            and stab
            and s_intensity(m) <= p[k.P_SHOWCASE_MAX_INTENSITY]
            and m.backed
            and c >= int(Measure.DEPLOYMENT)
            and not state_opp
        )
        m.incumbent = requested and m.backed and internal and m.s[7] and own
        m.bilateral_cover = requested and m.bilateral[e][subject][kind] and not attack
        m.intense = m.s[6] > p[k.P_COMMITTED_CAPACITY_MAX_INTENSITY] and not attack
        m.not_at_risk = internal and not m.s[7]
        used = [o if o >= 0 else -1 for s, o in enumerate(opponents) if m.slot_used[s]]
        rel, init = m.relation[e], m.initiated[e]
        m.starters = {
            j
            for u in used
            for j in range(len(rel))
            if rel[j][u] <= k.HOSTILE and init[j][u] and m.present[e][j]
        }
        m.entangled = requested and (
            any(rel[sm0][u] == m.war and not own for u in used) or bool(m.starters)
        )
        m.provider_tied = m.power[e][m.prov] and any(
            o >= 0 and not member_on[o] and m.partnered[e][o]
            for s, o in enumerate(opponents)
            if m.slot_used[s]
        )
        m.parties = {m.mou[o] for o in opponents if o >= 0 and m.mou[o] >= 0}
        m.used = used
        m.fearful = internal and foreign < k.F_EVIDENCED and not m.show
        m.too_costly = stab and m.s[6] > p[k.P_STABILISATION_MAX_INTENSITY]
        m.no_consent = requested and not territory_member and m.s[10] != 1
        contested = rel[m.prov][terr] <= k.HOSTILE
        m.unrecognised = (
            requested and sm0 == m.prov and not territory_member and contested and m.s[10] != 1
        )
        evidenced = foreign >= k.F_EVIDENCED
        m.attacked = territory_member and (attack or (state_opp and evidenced))
        violent = m.s[6] >= k.MEDIUM or m.s[9] >= p[k.P_VIOLENCE_CASUALTIES]
        overthrow = territory_member and internal and m.s[7] and violent
        terror = territory_member and kind == k.K_TERROR
        defending = any(
            rel[j][u] == m.war and not init[j][u] and m.present[e][j]
            for u in used
            for j in range(len(rel))
        )
        war_on_member = territory_member and kind == k.K_ARMED and m.s[6] >= k.HIGH
        m.quiet = not has_request and not (terror or overthrow or defending or war_on_member)


def s_intensity(m: CouncilModel) -> int:
    return int(m.s[6])


class Member(mesa.Agent):
    def __init__(self, model: CouncilModel, index: int) -> None:
        super().__init__(model)
        self.index = index
        self.ceiling = 0
        self.present = self.abstains = self.appellant = False
        self.party = self.tied = False
        self.own = 0.0

    def step(self) -> None:
        """Its position before the dependent members follow the provider."""
        m: CouncilModel = self.model  # type: ignore[assignment]
        i, e, p = self.index, m.s[0], m.p
        self.present = m.present[e][i]
        if not self.present:
            return
        self.appellant = i == m.appellant_member
        self.abstains = m.frozen[e][i] and m.abstention[e] and not self.appellant
        if self.appellant:
            return
        self.party = i in m.parties
        self.tied = not self.party and (
            any(m.relation[e][i][u] >= p[k.P_TIES_THRESHOLD] for u in m.used)
            or (i == m.prov and m.provider_tied)
        )
        c = p[k.P_MEMBER_PRIOR]
        if m.neutral:
            self.ceiling = int(c)
            return
        if m.collective:
            c = max(c, p[k.P_COLLECTIVE_DEFENCE_SUPPORT])
        if m.show:
            c = max(c, p[k.P_SHOWCASE_SUPPORT])
        provider = i == m.prov and m.power[e][i]
        if provider and m.incumbent:
            c = max(c, p[k.P_INCUMBENT_SUPPORT])
        if provider:
            if m.requested and m.dropped:
                c = min(c, p[k.P_DROPPED_INCUMBENT_CAP])
            if m.bilateral_cover:
                c = min(c, p[k.P_BILATERAL_PREFERENCE_CAP])
            committed = m.s[COM] if m.s[COM] is not None else m.committed[e][i]
            if committed and m.intense:
                c = min(c, p[k.P_COMMITTED_CAPACITY_CAP])
            if m.not_at_risk:
                c = min(c, p[k.P_REGIME_SURVIVAL_CAP])
        own = float(Measure.DEPLOYMENT)  # every member's caps: they also bound a follower
        if self.party:
            own = min(own, p[k.P_PARTY_CAP])
        if self.tied:
            own = min(own, p[k.P_TIES_CAP])
        if m.entangled and i not in m.starters:
            own = min(own, p[k.P_ENTANGLEMENT_CAP])
        if m.fearful and m.precedent[e][i]:
            own = min(own, p[k.P_PRECEDENT_CAP])
        if m.too_costly:
            own = min(own, p[k.P_COST_CAP])
        if m.no_consent:
            own = min(own, p[k.P_NO_HOST_CONSENT_CAP])
        if m.unrecognised and m.annex_refusal[e][i]:
            own = min(own, p[k.P_NON_RECOGNITION_CAP])
        if m.quiet and not (m.attacked and not self.tied):
            own = min(own, p[k.P_SILENCE_CAP])
        self.own = own
        self.ceiling = int(min(c, own))

    def follow(self, lead: int) -> None:
        """A member dependent on the provider takes its position, but not against its own interests."""
        m: CouncilModel = self.model  # type: ignore[assignment]
        e, p, i = m.s[0], m.p, self.index
        if not self.present or self.appellant or i == m.prov:
            return
        if m.dependence[e][i] >= p[k.P_DEPENDENCE_THRESHOLD] and self.ceiling != lead:
            self.ceiling = int(min(lead, self.own))  # down freely, up within its own caps

    def settle(self) -> None:
        """The appellant asks; Art. 2 lifts the others to what is owed."""
        m: CouncilModel = self.model  # type: ignore[assignment]
        if not self.present:
            return
        if self.appellant:
            self.ceiling = m.s[2]
        else:
            self.ceiling = max(self.ceiling, m.floor)


class CouncilModel(mesa.Model):
    """All scenarios through one model: `decide(scenario)` returns the Council's decision."""

    def __init__(self, regime: Regime, slot_used: list[bool]) -> None:
        super().__init__(seed=0)
        t = k.tables(regime)
        self.t = {
            "flags": t.flags.tolist(),
            "measures": t.measures.tolist(),
            "member_on": t.member_on.tolist(),
            "area": t.area.tolist(),
            "crrf_party": t.crrf_party.tolist(),
        }
        self.mou = regime.member_of_universe.tolist()
        self.relation = regime.relation.tolist()
        self.present = np.asarray(regime.is_member(regime.status)).tolist()
        self.frozen = (regime.status == FROZEN_CODE).tolist()
        self.abstention = regime.abstention.tolist()
        self.power = regime.power.tolist()
        self.committed = regime.committed.tolist()
        self.precedent = regime.precedent_high.tolist()
        self.annex_refusal = regime.annex_refusal.tolist()
        self.backing = regime.backing.tolist()
        self.dependence = regime.dependence.astype(float).tolist()
        self.bilateral = regime.bilateral.tolist()
        self.partnered = regime.partnered.tolist()
        self.initiated = regime.initiated.tolist()
        self.prov = int(regime.provider)
        self.neutral = regime.neutral_politics
        self.base = [float(regime.params[n]) for n in k.PARAMS]
        self.request_needed = regime.request_needed
        self.majority = regime.decision_rule is DecisionRule.MAJORITY
        self.war = RelationLevel.WAR.rank
        self.slot_used = slot_used
        self.council = Council(self)
        self.members = [Member(self, i) for i in range(len(regime.members))]

    def decide(self, scenario: tuple[Any, ...]) -> int:
        self.s = scenario
        self.p = [b if v is None else v for b, v in zip(self.base, scenario[PAR], strict=True)]
        self.council.step()
        for member in self.members:
            member.step()
        e = scenario[0]
        provider = self.members[self.prov]
        if not self.neutral and self.power[e][self.prov] and provider.present:
            lead = scenario[2] if provider.appellant else provider.ceiling
            for member in self.members:
                member.follow(lead)
        for member in self.members:
            member.settle()
        voting = [a.ceiling for a in self.members if a.present and not a.abstains]
        if self.majority:
            out = 0
            for level in range(1, 6):
                if 2 * sum(c >= level for c in voting) > len(voting) and level <= self.cap:
                    out = level
            return out
        return min([self.cap, *voting])
