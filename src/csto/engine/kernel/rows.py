"""The rules kernel itself: one numba function that decides a row as the traced rules do.

    decide(batch, regime, russia=False, willing=False, kernel_tables=None)
        (n,) int8 outcomes; with `russia` (n,) int8 codes of Russia's own course; with `willing` a
        (n,) int64 bit mask of the voting members other than the appellant who accept a deployment

Row by row: the law (allowances, exceptions, the measure a cap falls to, the Art. 2 floor), each
member's position (prior, raises, the provider's caps, every member's caps, followers of the
provider, the appellant, the floor, abstention), the Council's procedure, Russia's own course.
"""

from __future__ import annotations

import numba
import numpy as np

from csto.domain.models import DecisionRule
from csto.engine.kernel.layout import (
    A_BILATERAL,
    A_NOTHING,
    A_UNILATERAL,
    CONSULTATIONS,
    DEPLOYMENT,
    F_AGGR_ANY,
    F_CHARTER5,
    F_CLAIMED,
    F_COVERS,
    F_CRDF,
    F_CRDF_REQ,
    F_CRRF,
    F_CST1,
    F_CST6_UN,
    F_EVIDENCED,
    F_LIVE2,
    F_LIVE4,
    F_MON,
    F_MON_REQ,
    F_PK,
    F_PK_REQ,
    F_PK_UNSC,
    HIGH,
    HOSTILE,
    K_ARMED,
    K_ATTACK,
    K_BORDER,
    K_CROSS,
    K_INTERNAL,
    K_STAB,
    K_TERROR,
    K_WAR_ABROAD,
    M_CRDF,
    M_CRRF,
    M_CST2,
    M_CST4,
    M_MON,
    M_PK,
    MEDIUM,
    NONE,
    P_ART2_FLOOR,
    P_BILATERAL_PREFERENCE_CAP,
    P_BORDER_CLASH_MIN_INTENSITY,
    P_COLLECTIVE_DEFENCE_SUPPORT,
    P_COMMITTED_CAPACITY_CAP,
    P_COMMITTED_CAPACITY_MAX_INTENSITY,
    P_COST_CAP,
    P_DEPENDENCE_THRESHOLD,
    P_DROPPED_INCUMBENT_CAP,
    P_ENTANGLEMENT_CAP,
    P_INCUMBENT_SUPPORT,
    P_MEMBER_PRIOR,
    P_MEMBERS_DISPUTE_CAP,
    P_NO_APPEAL_CAP,
    P_NO_HOST_CONSENT_CAP,
    P_NON_INTERFERENCE_CAP,
    P_NON_RECOGNITION_CAP,
    P_OUTSIDE_TERRITORY_CAP,
    P_OWN_FORCES_MIN_INTENSITY,
    P_PARTY_CAP,
    P_PRECEDENT_CAP,
    P_REGIME_SURVIVAL_CAP,
    P_SHOWCASE_MAX_INTENSITY,
    P_SHOWCASE_SUPPORT,
    P_SILENCE_CAP,
    P_STABILISATION_MAX_INTENSITY,
    P_TIES_CAP,
    P_TIES_THRESHOLD,
    P_VIOLENCE_CASUALTIES,
    STATEMENT,
    WAR,
    P,
    Tables,
    tables,
)
from csto.law import CrisisBatch, Regime


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
