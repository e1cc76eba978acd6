"""The rules compiled row by row (numba): every crisis decided in one pass, no (n, M) temporaries.

The traced path (`csto.engine.evaluate`: csto.law.rules and csto.politics.positions) is the
definition of the rules; this kernel is a second, faster reading of the same rules, held to it in
three ways (docs/decisions/0009-rules-kernel.md):
- everything dated or tunable comes from the same compiled Regime: article versions, flags and
  maximum measures per epoch (read through the same ArticleTable methods), membership, relations,
  traits, the global parameters and the reforms; only the rule logic is written out here;
- KERNEL_RULES names the rules the kernel implements, in the tables' order (the law's ALLOWANCES
  and CAPS, the politics' RAISES, PROVIDER_CAPS, CAPS and FOLLOW, Russia's course RULES);
  `supported()` is false as soon as the tables name anything else, and the fast path then falls
  back to the traced path (a test fails loudly too);
- tests/test_kernel.py compares the kernel with the traced path on 100,000 random crises under every
  combination of reforms and random per-crisis parameters: zero mismatches.

    KERNEL_RULES                   the rule names, as in ALLOWANCES, CAPS and FACTORS
    supported()                    the tables name exactly KERNEL_RULES
    Tables, tables(regime)         the regime's per-epoch columns, as the kernel reads them
    decide(batch, regime, russia=False, willing=False)
        (n,) int8 outcomes; with `russia` (n,) int8 codes of Russia's own course
        (csto.politics.russia.ACTS); with `willing` a (n,) int64 bit mask of the voting members
        other than the appellant who accept a deployment (what force generation needs)
"""

from __future__ import annotations

from dataclasses import dataclass

import numba
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
from csto.domain.models import DecisionRule, RelationLevel
from csto.law import CrisisBatch, Regime
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


@numba.njit(cache=True, nogil=True, boundscheck=False)
def _kernel(  # type: ignore[no-untyped-def]
    epoch,
    appellant,
    asks,
    kind,
    territory,
    opponents,
    slot_used,
    foreign,
    intensity,
    at_risk,
    un_mandate,
    casualties,
    host_consent,
    ov_codes,
    ov_code_slots,
    ov_values,
    ov_slots,
    committed_override,
    has_committed_override,
    flags,
    measures,
    area,
    crrf_party,
    member_on,
    mou,
    present,
    abstains,
    power,
    committed,
    precedent,
    annex_refusal,
    backing,
    dependence,
    bilateral,
    partnered,
    initiated,
    relation,
    prov,
    prov_u,
    base_params,
    request_needed,
    majority_rule,
    neutral,
    want_russia,
    outcome,
    acts,
    willing,
):
    n = epoch.shape[0]
    n_members = present.shape[1]
    n_slots = opponents.shape[1]
    neutral_slot = relation.shape[2] - 1
    p = base_params.copy()
    c = np.zeros(n_members, dtype=np.int64)
    party_m = np.zeros(n_members, dtype=np.bool_)
    own_m = np.zeros(n_members, dtype=np.float64)
    starter = np.zeros(n_members, dtype=np.bool_)
    tied_m = np.zeros(n_members, dtype=np.bool_)
    for i in range(n):
        for k in range(ov_code_slots.shape[0]):
            p[ov_code_slots[k]] = ov_codes[k, i]
        for k in range(ov_slots.shape[0]):
            p[ov_slots[k]] = ov_values[k, i]
        e = epoch[i]
        k_ = kind[i]
        terr = territory[i]
        app = appellant[i]
        has_appeal = app >= 0
        territory_member = member_on[e, terr]
        internal = k_ == K_INTERNAL
        framed = foreign[i] >= F_CLAIMED
        attack = (k_ == K_ATTACK[0]) | (k_ == K_ATTACK[1])
        terror_or_threat = (k_ == K_TERROR) | (k_ == K_CROSS)
        stabilisation = (k_ == K_STAB[0]) | (k_ == K_STAB[1]) | (k_ == K_STAB[2])
        if request_needed:
            subject = np.int64(app)
            has_request = has_appeal
        else:
            stand_in = (not has_appeal) & territory_member & attack
            subject = np.int64(app if has_appeal else (terr if stand_in else -1))
            has_request = has_appeal | stand_in
        subject_member = member_on[e, subject]  # subject -1 reads the last slot: False
        own_territory = (subject >= 0) & (subject == terr)
        opp_member = False
        state_opponent = False
        for s in range(n_slots):
            o = opponents[i, s]
            if o >= 0:
                om = member_on[e, o]
                opp_member |= om
                state_opponent |= not om
        unframed_internal = internal & (not framed)
        on_own = subject_member & own_territory & has_request
        live2 = flags[e, F_LIVE2]
        threat = on_own & live2 & ((not unframed_internal) | flags[e, F_COVERS])

        # the law: allowances, then exceptions; a cap falls to a measure some provision allows
        ceiling = STATEMENT
        allowed = (1 << NONE) | (1 << STATEMENT)
        if subject_member & has_request & live2:
            ceiling = max(ceiling, CONSULTATIONS)
            allowed |= 1 << CONSULTATIONS
        if threat:
            ceiling = max(ceiling, measures[e, M_CST2])
            allowed |= 1 << measures[e, M_CST2]
        case = attack | (framed & (internal | (k_ == K_TERROR)))
        if on_own & flags[e, F_LIVE4] & case & (flags[e, F_AGGR_ANY] | state_opponent):
            ceiling = max(ceiling, measures[e, M_CST4])
            allowed |= 1 << measures[e, M_CST4]
        fits = ((not unframed_internal) & (not attack)) | (k_ == K_BORDER)
        pk_requested = has_appeal | (not flags[e, F_PK_REQ])
        abroad = (
            subject_member
            & has_appeal
            & (not territory_member)
            & un_mandate[i]
            & flags[e, F_PK_UNSC]
        )
        if ((on_own & pk_requested & fits) | abroad) & flags[e, F_PK]:
            ceiling = max(ceiling, measures[e, M_PK])
            allowed |= 1 << measures[e, M_PK]
        crdf_requested = has_appeal | (not flags[e, F_CRDF_REQ])
        if on_own & crdf_requested & flags[e, F_CRDF] & (attack | terror_or_threat) & area[e, terr]:
            ceiling = max(ceiling, measures[e, M_CRDF])
            allowed |= 1 << measures[e, M_CRDF]
        crrf_fits = attack | terror_or_threat | (internal & framed)
        if on_own & flags[e, F_CRRF] & crrf_fits & crrf_party[subject]:
            ceiling = max(ceiling, measures[e, M_CRRF])
            allowed |= 1 << measures[e, M_CRRF]
        if on_own & (has_appeal | (not flags[e, F_MON_REQ])) & flags[e, F_MON]:
            ceiling = max(ceiling, measures[e, M_MON])
            allowed |= 1 << measures[e, M_MON]
        if not live2:
            ceiling = min(ceiling, NONE)
        if not has_request:
            ceiling = min(ceiling, p[P_NO_APPEAL_CAP])
        if has_appeal & (not subject_member):
            ceiling = min(ceiling, NONE)
        if opp_member & flags[e, F_CST1]:
            ceiling = min(ceiling, p[P_MEMBERS_DISPUTE_CAP])
        if (not territory_member) & (not (un_mandate[i] & flags[e, F_CST6_UN])):
            ceiling = min(ceiling, p[P_OUTSIDE_TERRITORY_CAP])
        if unframed_internal & flags[e, F_CHARTER5]:
            ceiling = min(ceiling, p[P_NON_INTERFERENCE_CAP])
        capped = np.int64(ceiling)
        ceiling = 0
        for level in range(capped + 1):
            if (allowed >> level) & 1:
                ceiling = level
        floor = min(p[P_ART2_FLOOR], ceiling) if threat else NONE
        cap = min(ceiling, asks[i])

        # politics: what each factor looks at, once per crisis
        sm = mou[subject] if subject >= 0 else np.int64(-1)  # the appellant's member index
        sm0 = sm if sm >= 0 else 0  # as the traced path reads tables at it (masked by `requested`)
        requested = has_request & subject_member
        backed = backing[e, sm0] > 0
        dropped = backing[e, sm0] < 0
        prov_power = power[e, prov]
        serious = (k_ == K_ARMED) | (intensity[i] >= p[P_BORDER_CLASH_MIN_INTENSITY])
        collective = requested & own_territory & attack & state_opponent & serious
        low_cost = stabilisation & (intensity[i] <= p[P_SHOWCASE_MAX_INTENSITY])
        force_exists = ceiling >= DEPLOYMENT
        show = requested & own_territory & low_cost & backed & force_exists & (not state_opponent)
        incumbent = requested & backed & internal & at_risk[i] & own_territory
        bilateral_cover = requested & bilateral[e, subject, k_] & (not attack)
        intense = (intensity[i] > p[P_COMMITTED_CAPACITY_MAX_INTENSITY]) & (not attack)
        not_at_risk = internal & (not at_risk[i])
        entangled = False
        defending = False
        threshold = p[P_TIES_THRESHOLD]
        for m in range(n_members):
            party_m[m] = False
            tied_m[m] = False
            starter[m] = False
        for s in range(n_slots):
            o = opponents[i, s]
            if o >= 0 and mou[o] >= 0:
                party_m[mou[o]] = True
            if slot_used[s]:
                u = o if o >= 0 else neutral_slot
                if relation[e, sm0, u] == WAR and not own_territory:
                    entangled = True
                for m in range(n_members):
                    r = relation[e, m, u]
                    if r >= threshold:
                        tied_m[m] = True
                    if r == WAR and (not initiated[e, m, u]) and present[e, m]:
                        defending = True
                    if r <= HOSTILE and initiated[e, m, u] and present[e, m]:
                        entangled = True  # a conflict some member started
                        starter[m] = True
                # the provider counts as close a non-member it has its own security instrument with
                if o >= 0 and (not member_on[e, o]) and partnered[e, o] and prov_power:
                    tied_m[prov] = True
        entangled &= requested
        for m in range(n_members):
            tied_m[m] = tied_m[m] and not party_m[m]
        fearful = internal & (foreign[i] < F_EVIDENCED) & (not show)
        too_costly = stabilisation & (intensity[i] > p[P_STABILISATION_MAX_INTENSITY])
        no_consent = requested & (not territory_member) & (host_consent[i] != 1)
        contested = relation[e, prov, terr] <= HOSTILE
        unrecognised = (
            requested & (sm0 == prov) & (not territory_member) & contested & (host_consent[i] != 1)
        )
        evidenced = foreign[i] >= F_EVIDENCED
        attacked = territory_member & (attack | (state_opponent & evidenced))
        violent = (intensity[i] >= MEDIUM) | (casualties[i] >= p[P_VIOLENCE_CASUALTIES])
        overthrow = territory_member & internal & at_risk[i] & violent
        terror = territory_member & (k_ == K_TERROR)
        war_on_member = territory_member & (k_ == K_ARMED) & (intensity[i] >= HIGH)
        stake = terror | overthrow | defending | war_on_member
        quiet = (not has_request) & (not stake)

        # each member's position: prior, raises, the provider's caps, every member's caps. What
        # applies to every member alike is combined once per crisis; the loop adds each member's own.
        lifted = p[P_MEMBER_PRIOR]
        common = np.float64(DEPLOYMENT)
        if not neutral:
            if collective:
                lifted = max(lifted, p[P_COLLECTIVE_DEFENCE_SUPPORT])
            if show:
                lifted = max(lifted, p[P_SHOWCASE_SUPPORT])
            if too_costly:
                common = min(common, p[P_COST_CAP])
            if no_consent:
                common = min(common, p[P_NO_HOST_CONSENT_CAP])
            if quiet and not attacked:
                common = min(common, p[P_SILENCE_CAP])
        for m in range(n_members):
            if not present[e, m] or m == sm:
                continue
            if neutral:
                c[m] = np.int64(lifted)
                continue
            v = lifted
            own = common
            if (m == prov) & prov_power:
                if incumbent:
                    v = max(v, p[P_INCUMBENT_SUPPORT])
                if requested & dropped:
                    own = min(own, p[P_DROPPED_INCUMBENT_CAP])
                if bilateral_cover:
                    own = min(own, p[P_BILATERAL_PREFERENCE_CAP])
                tied_up = committed_override[i] if has_committed_override else committed[e, m]
                if tied_up & intense:
                    own = min(own, p[P_COMMITTED_CAPACITY_CAP])
                if not_at_risk:
                    own = min(own, p[P_REGIME_SURVIVAL_CAP])
            if entangled and not starter[m]:  # the member that started it is not "drawn in"
                own = min(own, p[P_ENTANGLEMENT_CAP])
            if party_m[m]:
                own = min(own, p[P_PARTY_CAP])
            if tied_m[m]:
                own = min(own, p[P_TIES_CAP])
                if quiet and attacked:
                    own = min(own, p[P_SILENCE_CAP])
            if fearful & precedent[e, m]:
                own = min(own, p[P_PRECEDENT_CAP])
            if unrecognised & annex_refusal[e, m]:
                own = min(own, p[P_NON_RECOGNITION_CAP])
            own_m[m] = own
            c[m] = np.int64(min(v, own))
        # dependent members follow the provider's final position (still not against themselves)
        if not neutral and prov_power and present[e, prov]:
            lead = np.int64(asks[i]) if prov == sm else c[prov]
            for m in range(n_members):
                if not present[e, m] or m == sm or m == prov:  # noqa: SIM109 -- numba
                    continue
                if dependence[e, m] >= p[P_DEPENDENCE_THRESHOLD] and c[m] != lead:
                    c[m] = np.int64(min(lead, own_m[m]))  # down freely, up within its own caps
        # the appellant asks; the Art. 2 obligation lifts the others; the Council decides
        voters = 0
        lowest = 127
        mask = np.int64(0)
        for m in range(n_members):
            if not present[e, m]:
                continue
            if m == sm:
                c[m] = asks[i]
            elif c[m] < floor:
                c[m] = floor
            if abstains[e, m] and m != sm:
                continue
            voters += 1
            lowest = min(lowest, c[m])
            if m != sm and c[m] >= DEPLOYMENT:
                mask |= np.int64(1) << m
        if majority_rule:
            out = 0
            for level in range(1, 6):
                support = 0
                for m in range(n_members):
                    if present[e, m] and (m == sm or not abstains[e, m]) and c[m] >= level:
                        support += 1
                if (2 * support > voters) & (level <= cap):
                    out = level
        else:
            out = min(cap, lowest)
        outcome[i] = out
        willing[i] = mask

        if want_russia:  # the provider's own course: the first of its rules that applies
            war_abroad = k_ == K_WAR_ABROAD
            at_war = False
            close = False
            fighting = False
            for s in range(n_slots):
                o = opponents[i, s]
                rank = relation[e, prov, o] if o >= 0 else -1
                fights = (rank == WAR) | (war_abroad & (rank >= 0) & (rank <= HOSTILE))
                if fights and ((terr == prov_u) or (terr == o)):  # noqa: SIM109 -- the war's theatre (numba)
                    at_war = True
                if rank >= threshold:
                    close = True
                if o >= 0:
                    for m in range(n_members):
                        if present[e, m] and relation[e, m, o] == WAR:
                            fighting = True
            own_soil = (terr == prov_u) & (intensity[i] >= p[P_OWN_FORCES_MIN_INTENSITY])
            inside = (out >= DEPLOYMENT) & present[e, prov] & (c[prov] >= DEPLOYMENT)
            concerned = subject if (subject >= 0) & (subject != prov_u) else np.int64(terr)
            cm = mou[concerned]
            turned = (cm >= 0) and backing[e, cm if cm >= 0 else 0] < 0
            weighty = has_request | state_opponent | (intensity[i] >= p[P_OWN_FORCES_MIN_INTENSITY])
            instrument = bilateral[e, concerned, k_] & (not turned) & weighty
            mediation = close & (territory_member | subject_member | fighting)
            if at_war or own_soil:
                acts[i] = A_UNILATERAL
            elif inside:
                acts[i] = A_NOTHING
            elif instrument or mediation:
                acts[i] = A_BILATERAL
            else:
                acts[i] = A_NOTHING


def decide(
    batch: CrisisBatch,
    regime: Regime,
    russia: bool = False,
    willing: bool = False,
    kernel_tables: Tables | None = None,
) -> tuple[np.ndarray, np.ndarray | None, np.ndarray | None]:
    """Outcomes of every crisis, one pass over the rows; Russia's course and the willing members'
    mask where asked."""
    t = kernel_tables or tables(regime)
    n = len(batch)
    # per-crisis parameters: codes (int8, one byte a row) apart from numbers (float64)
    overridden = [name for name in batch.overrides if name in P]
    coded = [name for name in overridden if np.asarray(batch.overrides[name]).dtype == np.int8]
    numbers = [name for name in overridden if name not in coded]
    ov_codes = (
        np.stack([np.asarray(batch.overrides[name]) for name in coded])
        if coded
        else np.zeros((0, n), dtype=np.int8)
    )
    ov_values = (
        np.stack([np.asarray(batch.overrides[name], dtype=np.float64) for name in numbers])
        if numbers
        else np.zeros((0, n), dtype=np.float64)
    )
    ov_code_slots = np.array([P[name] for name in coded], dtype=np.int64)
    ov_slots = np.array([P[name] for name in numbers], dtype=np.int64)
    has_committed = "provider_committed" in batch.overrides
    committed_override = (
        np.asarray(batch.overrides["provider_committed"], dtype=np.bool_)
        if has_committed
        else np.zeros(1, dtype=np.bool_)
    )
    slot_used = (batch.opponents >= 0).any(axis=0)
    outcome = np.empty(n, dtype=np.int8)
    acts = np.zeros(n if russia else 1, dtype=np.int8)
    mask = np.empty(n, dtype=np.int64)
    i8, i16, flat = np.int8, np.int16, np.ascontiguousarray  # one compiled signature for all
    _kernel(
        flat(batch.epoch, dtype=np.int64),
        flat(batch.appellant, dtype=i16),
        flat(batch.asks, dtype=i8),
        flat(batch.kind, dtype=i8),
        flat(batch.territory, dtype=i16),
        flat(batch.opponents, dtype=i16),
        slot_used,
        flat(batch.foreign, dtype=i8),
        flat(batch.intensity, dtype=i8),
        flat(batch.government_at_risk, dtype=np.bool_),
        flat(batch.un_mandate, dtype=np.bool_),
        flat(batch.casualties, dtype=np.int32),
        flat(batch.host_consent, dtype=i8),
        ov_codes,
        ov_code_slots,
        ov_values,
        ov_slots,
        committed_override,
        has_committed,
        t.flags,
        t.measures,
        t.area,
        t.crrf_party,
        t.member_on,
        t.member_index,
        t.present,
        t.abstains,
        t.power,
        t.committed,
        t.precedent,
        t.annex_refusal,
        t.backing,
        t.dependence,
        t.bilateral,
        t.partnered,
        t.initiated,
        t.relation,
        t.provider,
        t.provider_universe,
        t.params,
        regime.request_needed,
        regime.decision_rule is DecisionRule.MAJORITY,
        regime.neutral_politics,
        russia,
        outcome,
        acts,
        mask,
    )
    return outcome, (acts if russia else None), (mask if willing else None)
