"""What the rules kernel reads: the rule names it implements, the parameter slots, and the regime's
per-epoch columns as plain arrays.

    KERNEL_RULES, supported()      the rules the kernel implements; true while the tables name exactly
                                   those (csto.law.rules, csto.politics.positions, csto.politics.russia)
    PARAMS, P, P_*                 the global parameters by slot, in csto.law.regime.PARAM_KINDS's order
    F_*, M_*                       the columns of Tables.flags and Tables.measures
    Tables, tables(regime)         the compiled regime, column by column
    K_*, A_*, ...                  the codes the kernel compares with (kinds, involvement, Russia's acts)
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from csto.domain.crisis import (
    ATTACKS,
    STABILISATION,
    Intensity,
    Involvement,
    Kind,
    Measure,
    RussiaAct,
)
from csto.domain.models import RelationLevel
from csto.law import Regime
from csto.law.batch import INVOLVEMENTS, KINDS
from csto.law.regime import FROZEN_CODE, PARAM_KINDS
from csto.law.rules import ALLOWANCES, CAPS
from csto.politics import russia as course
from csto.politics.positions import CAPS as POLITICAL_CAPS
from csto.politics.positions import FOLLOW, PROVIDER_CAPS, RAISES

KERNEL_RULES = (
    (
        "political_means",
        "art2_consultations",
        "art2_measures",
        "art4_collective_defence",
        "pk_basis",
        "crdf-ca_basis",
        "crrf_basis",
        "monitoring_basis",
    ),
    (
        "treaty_not_in_force",
        "no_request",
        "appellant_not_member",
        "dispute_between_members",
        "outside_members_territory",
        "non_interference",
    ),
    ("collective_defence", "showcase", "incumbent_support"),
    ("dropped_incumbent", "bilateral_preference", "committed_capacity", "regime_not_at_risk"),
    (
        "party",
        "ties",
        "entanglement",
        "precedent",
        "cost",
        "no_host_consent",
        "non_recognition",
        "silence",
    ),
    ("follow_provider",),
    ("at_war", "own_soil", "inside", "instrument", "mediation"),
)
PARAMS = tuple(PARAM_KINDS)  # the parameter slots, in the regime's order
P = {name: i for i, name in enumerate(PARAMS)}
P_NO_APPEAL_CAP = P["no_appeal_cap"]
P_MEMBERS_DISPUTE_CAP = P["members_dispute_cap"]
P_OUTSIDE_TERRITORY_CAP = P["outside_territory_cap"]
P_NON_INTERFERENCE_CAP = P["non_interference_cap"]
P_ART2_FLOOR = P["art2_floor"]
P_PARTY_CAP = P["party_cap"]
P_TIES_THRESHOLD = P["ties_threshold"]
P_TIES_CAP = P["ties_cap"]
P_PRECEDENT_CAP = P["precedent_cap"]
P_STABILISATION_MAX_INTENSITY = P["stabilisation_max_intensity"]
P_COST_CAP = P["cost_cap"]
P_COMMITTED_CAPACITY_MAX_INTENSITY = P["committed_capacity_max_intensity"]
P_COMMITTED_CAPACITY_CAP = P["committed_capacity_cap"]
P_REGIME_SURVIVAL_CAP = P["regime_survival_cap"]
P_ENTANGLEMENT_CAP = P["entanglement_cap"]
P_MEMBER_PRIOR = P["member_prior"]
P_COLLECTIVE_DEFENCE_SUPPORT = P["collective_defence_support"]
P_SHOWCASE_SUPPORT = P["showcase_support"]
P_SHOWCASE_MAX_INTENSITY = P["showcase_max_intensity"]
P_INCUMBENT_SUPPORT = P["incumbent_support"]
P_DROPPED_INCUMBENT_CAP = P["dropped_incumbent_cap"]
P_BILATERAL_PREFERENCE_CAP = P["bilateral_preference_cap"]
P_DEPENDENCE_THRESHOLD = P["dependence_threshold"]
P_NO_HOST_CONSENT_CAP = P["no_host_consent_cap"]
P_NON_RECOGNITION_CAP = P["non_recognition_cap"]
P_SILENCE_CAP = P["silence_cap"]
P_VIOLENCE_CASUALTIES = P["violence_casualties"]
P_OWN_FORCES_MIN_INTENSITY = P["own_forces_min_intensity"]
P_BORDER_CLASH_MIN_INTENSITY = P["border_clash_min_intensity"]

# Per-epoch flags, one column each in Tables.flags.
F_LIVE2, F_LIVE4, F_COVERS, F_AGGR_ANY, F_CST1, F_CST6_UN, F_CHARTER5 = range(7)
F_PK, F_PK_REQ, F_PK_UNSC, F_CRDF, F_CRDF_REQ, F_CRRF, F_MON, F_MON_REQ = range(7, 15)
# Per-epoch maximum measures, one column each in Tables.measures.
M_CST2, M_CST4, M_PK, M_CRDF, M_CRRF, M_MON = range(6)


def supported() -> bool:
    names = (
        tuple(r.name for r in ALLOWANCES),
        tuple(r.name for r in CAPS),
        tuple(f.name for f in RAISES),
        tuple(f.name for f in PROVIDER_CAPS),
        tuple(f.name for f in POLITICAL_CAPS),
        (FOLLOW.name,),
        tuple(r.name for r in course.RULES),
    )
    return names == KERNEL_RULES


@dataclass(frozen=True)
class Tables:
    """The regime as the kernel reads it: per epoch (E), member (M) and universe state (U + 1)."""

    flags: np.ndarray  # (E, 15) bool, columns F_*
    measures: np.ndarray  # (E, 6) int8, columns M_*: NONE where not in force
    area: np.ndarray  # (E, U + 1) bool: CRDF-CA's area
    crrf_party: np.ndarray  # (U + 1,) bool; the last slot (u = -1) is False
    member_on: np.ndarray  # (E, U + 1) bool: a member (or frozen) on the date; u = -1 False
    member_index: np.ndarray  # (U + 1,) int64: m for data state m, else -1
    present: np.ndarray  # (E, M) bool
    abstains: np.ndarray  # (E, M) bool: frozen where the Council's rule lets them stand aside
    power: np.ndarray  # (E, M) bool
    committed: np.ndarray  # (E, M) bool
    precedent: np.ndarray  # (E, M) bool
    annex_refusal: np.ndarray  # (E, M) bool
    backing: np.ndarray  # (E, M) int8
    dependence: np.ndarray  # (E, M) float64
    bilateral: np.ndarray  # (E, U + 1, K) bool
    partnered: np.ndarray  # (E, U + 1) bool: the provider has a security instrument with u
    initiated: np.ndarray  # (E, M, U + 1) bool
    relation: np.ndarray  # (E, M, U + 1) int8
    provider: int  # data index of the provider
    provider_universe: int
    params: np.ndarray  # (len(PARAMS),) float64: the regime's values


def tables(regime: Regime) -> Tables:
    a = regime.article
    cols = [
        a("CST", "2").in_force(),
        a("CST", "4").in_force(),
        a("CST", "2").flag("covers_stability"),
        a("CST", "4").flag("aggressor", "any"),
        a("CST", "1").flag("members_disputes_peaceful"),
        a("CST", "6").flag("outside_territory", "un_mandate"),
        a("CHARTER", "5").flag("non_interference"),
        a("PK", "3").in_force(),
        a("PK", "3").flag("requires_request"),
        a("PK", "3").flag("outside_territory", "unsc_decision"),
        a("CRDF-CA", "3").in_force(),
        a("CRDF-CA", "3").flag("requires_request"),
        a("CRRF", "*").in_force(),
        a("MONITORING", "*").in_force(),
        a("MONITORING", "*").flag("requires_request"),
    ]
    measures = [
        a(i, n).measure()
        for i, n in (
            ("CST", "2"),
            ("CST", "4"),
            ("PK", "3"),
            ("CRDF-CA", "3"),
            ("CRRF", "*"),
            ("MONITORING", "*"),
        )
    ]
    mou = regime.member_of_universe.astype(np.int64)
    present = np.asarray(regime.is_member(regime.status))  # (E, M)
    in_data = mou >= 0
    member_on = np.zeros((len(regime.epoch_starts), len(mou)), dtype=np.bool_)
    member_on[:, in_data] = present[:, mou[in_data]]
    member_on[:, -1] = False
    frozen = regime.status == FROZEN_CODE
    provider = int(regime.provider)
    return Tables(
        flags=np.ascontiguousarray(np.column_stack(cols).astype(np.bool_)),
        measures=np.ascontiguousarray(np.column_stack(measures).astype(np.int8)),
        area=a("CRDF-CA", "3").area("area", regime.universe_index),
        crrf_party=regime.parties["CRRF"].astype(np.bool_),
        member_on=member_on,
        member_index=mou,
        present=present,
        abstains=frozen & regime.abstention[:, None],
        power=regime.power,
        committed=regime.committed,
        precedent=regime.precedent_high,
        annex_refusal=regime.annex_refusal,
        backing=regime.backing.astype(np.int8),
        dependence=regime.dependence.astype(np.float64),
        bilateral=regime.bilateral,
        partnered=regime.partnered,
        initiated=regime.initiated,
        relation=regime.relation,
        provider=provider,
        provider_universe=regime.universe_index[regime.members[provider]],
        params=np.array([float(regime.params[n]) for n in PARAMS], dtype=np.float64),
    )


K_ATTACK = tuple(KINDS.index(k) for k in ATTACKS)
K_STAB = tuple(KINDS.index(k) for k in STABILISATION)
K_INTERNAL = KINDS.index(Kind.INTERNAL_UNREST)
K_TERROR = KINDS.index(Kind.TERRORISM)
K_CROSS = KINDS.index(Kind.CROSS_BORDER_THREAT)
K_BORDER = KINDS.index(Kind.BORDER_CLASH)
K_WAR_ABROAD = KINDS.index(Kind.WAR_ABROAD)
K_ARMED = KINDS.index(Kind.ARMED_ATTACK)
F_CLAIMED = INVOLVEMENTS.index(Involvement.CLAIMED)
F_EVIDENCED = INVOLVEMENTS.index(Involvement.EVIDENCED)
WAR = RelationLevel.WAR.rank
HOSTILE = RelationLevel.HOSTILE.rank
MEDIUM = Intensity.MEDIUM.rank
HIGH = Intensity.HIGH.rank
NONE, STATEMENT, CONSULTATIONS, DEPLOYMENT = (
    int(Measure.NONE),
    int(Measure.STATEMENT),
    int(Measure.CONSULTATIONS),
    int(Measure.DEPLOYMENT),
)
A_NOTHING = course.ACTS.index(RussiaAct.NOTHING)
A_BILATERAL = course.ACTS.index(RussiaAct.BILATERAL)
A_UNILATERAL = course.ACTS.index(RussiaAct.UNILATERAL)
