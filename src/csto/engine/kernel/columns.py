"""The rules kernel in columns: what a crisis's structure decides is worked out once per structure,
and every row is then decided by a short run of branch-free arithmetic that the compiler turns
into vector instructions (docs/decisions/0012-columnar-kernel.md).

    decide(batch, regime, russia=False) -> (outcomes, Russia's course or None) | None

None where this form does not apply (the Council decides by majority, a parameter arrives in a
form it does not read, the data has more than 8 dependence values, or the batch's structures are
too many: a sample of 4,096 rows with more than a quarter distinct, or more than one a 16 rows in
all); the caller then uses the row kernel (rows.py). Both are held to the traced path by
tests/test_kernel.py.

Why it is exact. Under consensus the Council's outcome is min(cap, max(floor, X)) where X is the
lowest position among the voting members other than the appellant. Every position is a min/max of
parameters chosen by conditions, so the lowest of them is the min, over each cap, of that cap's
value if it applies to any voting member (min distributes over min); the raises and the provider's
lead enter the same way. Which caps can apply to which members depends only on the crisis's
structure (date, appellant, territory, opponents, kind, UN mandate, host consent, the ties
threshold); that part is one *record* per structure. What varies row by row (involvement,
intensity, the government at risk, casualties, the provider's commitment, every other parameter)
is compared and combined per row.

How it is fast (each step measured in docs/benchmarks.md):
- a record is two 64-bit words (46 flags; the law's levels and the dependence ranks); where the
  batch's structures are few (a sweep: most columns are broadcast) every structure of the space
  gets one, and a row finds its record by a mixed-radix key (a column the batch holds constant is
  left out of the key's loop);
- rows go a chunk at a time; the per-row loop has no branches and no calls, so the compiler turns
  it into vector instructions (512-bit where the CPU has them: vectors.py);
- a dependence threshold is compared as its rank among the regime's few dependence values;
- families of caps no structure of the batch reaches (the law's parameter caps, the caps of a
  conflict, the provider as appellant) are left out of the loop: numba compiles a loop without them
  (an argument None rather than True), the same arithmetic on such rows.
"""

from __future__ import annotations

from typing import Any

import numba
import numpy as np

from csto.domain.models import DecisionRule
from csto.engine.kernel.layout import (
    A_BILATERAL,
    A_NOTHING,
    A_UNILATERAL,
    DEPLOYMENT,
    F_CHARTER5,
    F_CLAIMED,
    F_CST1,
    F_CST6_UN,
    F_EVIDENCED,
    HIGH,
    HOSTILE,
    K_ARMED,
    K_TERROR,
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
    P,
    Tables,
    tables,
)
from csto.engine.kernel.shared import conflict, course, ladder, situation
from csto.law import CrisisBatch, Regime
from csto.law.batch import KINDS

CHUNK = 2048  # rows per pass: the chunk's columns stay in cache between the passes
DENSE_LIMIT = 1 << 16  # structure spaces up to this size get a record for every key
ROWS_PER_RECORD = 8  # ... where the batch has this many rows per structure of the space
FLOATS = (P_DEPENDENCE_THRESHOLD, P_VIOLENCE_CASUALTIES)  # the two numeric parameters

# The record's flags, bit by bit (rec_w). Conditions fixed by the structure.
(
    B_THREAT0,  # Art. 2 threat, the involvement not claimed / claimed (framed)
    B_THREAT1,
    B_NO_APPEAL,  # the law's caps that take a parameter
    B_DISPUTE,
    B_OUTSIDE,
    B_NONINT0,  # non-interference: only where the unrest is not framed as foreign
    B_POLITICS,  # not neutral politics
    B_COLLECTIVE,  # collective defence, before "serious"
    B_ARMED,
    B_SHOW,  # showcase, before "low cost" and "a force exists"
    B_INCUMBENT,  # incumbent support, before "the government is at risk"
    B_PROV_CAPS,  # the provider's own caps apply (it has power projection, politics on)
    B_DROPPED,
    B_BILATERAL_COVER,
    B_COMMITTED,  # the provider's forces tied up elsewhere (the regime's value)
    B_INTERNAL,
    B_STAB,
    B_NOT_ATTACK,
    B_ENT_N,  # some voter is drawn into a conflict it did not start / the provider is
    B_ENT_PROV,
    B_PARTY_N,
    B_PARTY_PROV,
    B_TIED_N,
    B_TIED_PROV,
    B_PREC_N,
    B_PREC_PROV,
    B_NONREC_N,
    B_NONREC_PROV,
    B_NO_CONSENT,
    B_HAS_REQUEST,
    B_ATTACKED0,  # attacked, the involvement not evidenced / evidenced
    B_ATTACKED1,
    B_TM_INTERNAL,  # unrest on a member's territory (overthrow, with at risk and violence)
    B_STAKE,  # terrorism on a member's territory, or a member defending itself
    B_WAR_ON_MEMBER,  # an armed attack on a member's territory (a stake when intense)
    B_N,  # someone other than the appellant votes
    B_N_OTHERS,  # someone other than the appellant and the provider votes
    B_PROV_IN_N,  # the provider votes (and is not the appellant)
    B_PROV_IS_SM,  # the provider is the appellant
    B_FOLLOW,  # dependent members follow the provider
    B_AT_WAR,  # Russia's course
    B_TERR_PROV,
    B_PROV_PRESENT,
    B_INSTRUMENT,
    B_WEIGHTY,
    B_MEDIATION,
) = range(46)
# The record's small numbers (rec_s), a byte each: the law's level before the parameter caps (at
# S_L0) and the levels some provision allows (at S_A0), for the involvement not claimed; the same
# for it claimed, 8 bits higher.
S_L0, S_A0 = 0, 16
# and, 4 bits each, the rank among the regime's dependence values (at most 8) of the lowest dependence
# of the voters other than the appellant and the provider (15: none), and one more than the rank of
# the highest (0: none)
S_LO, S_HI = 32, 36


@numba.njit(cache=True, nogil=True, boundscheck=False)
def _record(  # type: ignore[no-untyped-def]
    e,
    app,
    terr,
    opps,
    slot_used,
    k_,
    un,
    hc,
    threshold,
    regime_tables,
    prov,
    prov_u,
    request_needed,
    neutral,
    scratch,
):
    """(flags, small numbers, lowest and highest dependence of the other voters) of one structure;
    `scratch` is (3, M) bool room for the members' marks; `regime_tables` as `_regime_tables`."""
    (
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
    ) = regime_tables
    n_members = present.shape[1]
    (
        has_appeal,
        territory_member,
        internal,
        attack,
        terror_or_threat,
        stabilisation,
        subject,
        has_request,
        subject_member,
        own_territory,
        opp_member,
        state_opponent,
    ) = situation(e, app, terr, opps, 0, k_, request_needed, member_on)
    w = np.int64(0)
    small = np.int64(0)
    for framed in range(2):
        ceiling, allowed, threat = ladder(
            e,
            framed == 1,
            k_,
            internal,
            attack,
            terror_or_threat,
            has_appeal,
            has_request,
            subject,
            subject_member,
            own_territory,
            territory_member,
            state_opponent,
            terr,
            un,
            flags,
            measures,
            area,
            crrf_party,
        )
        small |= ceiling << (S_L0 + 8 * framed)
        small |= allowed << (S_A0 + 8 * framed)
        if threat:
            w |= np.int64(1) << (B_THREAT0 + framed)
    if not has_request:
        w |= np.int64(1) << B_NO_APPEAL
    if opp_member & flags[e, F_CST1]:
        w |= np.int64(1) << B_DISPUTE
    if (not territory_member) & (not (un & flags[e, F_CST6_UN])):
        w |= np.int64(1) << B_OUTSIDE
    if internal & flags[e, F_CHARTER5]:
        w |= np.int64(1) << B_NONINT0

    # politics: what each factor looks at that the structure fixes
    sm = mou[subject] if subject >= 0 else np.int64(-1)
    sm0 = sm if sm >= 0 else 0
    requested = has_request & subject_member
    backed = backing[e, sm0] > 0
    dropped = backing[e, sm0] < 0
    prov_power = power[e, prov]
    party_m, tied_m, starter = scratch[0], scratch[1], scratch[2]
    entangled, defending = conflict(
        e,
        opps,
        0,
        slot_used,
        sm0,
        own_territory,
        prov,
        prov_power,
        threshold,
        relation,
        initiated,
        present,
        member_on,
        partnered,
        mou,
        party_m,
        tied_m,
        starter,
    )
    entangled &= requested
    contested = relation[e, prov, terr] <= HOSTILE
    unrecognised = requested & (sm0 == prov) & (not territory_member) & contested & (hc != 1)
    politics = not neutral
    bits = (
        (B_POLITICS, politics),
        (B_COLLECTIVE, politics & requested & own_territory & attack & state_opponent),
        (B_ARMED, k_ == K_ARMED),
        (
            B_SHOW,
            politics & requested & own_territory & stabilisation & backed & (not state_opponent),
        ),
        (B_INCUMBENT, requested & backed & internal & own_territory),
        (B_PROV_CAPS, politics & prov_power),
        (B_DROPPED, requested & dropped),
        (B_BILATERAL_COVER, requested & bilateral[e, subject, k_] & (not attack)),
        (B_COMMITTED, committed[e, prov]),
        (B_INTERNAL, internal),
        (B_STAB, stabilisation),
        (B_NOT_ATTACK, not attack),
        (B_NO_CONSENT, politics & requested & (not territory_member) & (hc != 1)),
        (B_HAS_REQUEST, has_request),
        (B_ATTACKED0, territory_member & attack),
        (B_ATTACKED1, territory_member & (attack | state_opponent)),
        (B_TM_INTERNAL, territory_member & internal),
        (B_STAKE, (territory_member & (k_ == K_TERROR)) | defending),
        (B_WAR_ON_MEMBER, territory_member & (k_ == K_ARMED)),
    )
    for b, on in bits:
        if on:
            w |= np.int64(1) << b
    # who votes, and which of the member caps reach a voter
    voters_other = False
    others = False
    dmin = np.inf
    dmax = -np.inf
    ent_n = party_n = tied_n = prec_n = nonrec_n = False
    for m in range(n_members):
        if not present[e, m] or m == sm or abstains[e, m]:
            continue
        voters_other = True
        if politics:
            ent_n |= entangled and not starter[m]
            party_n |= party_m[m]
            tied_n |= tied_m[m]
            prec_n |= precedent[e, m]
            nonrec_n |= unrecognised & annex_refusal[e, m]
        if m != prov:
            others = True
            dmin = min(dmin, dependence[e, m])
            dmax = max(dmax, dependence[e, m])
    prov_present = present[e, prov]
    member_bits = (
        (B_ENT_N, ent_n),
        (B_ENT_PROV, politics & entangled & (not starter[prov])),
        (B_PARTY_N, party_n),
        (B_PARTY_PROV, politics & party_m[prov]),
        (B_TIED_N, tied_n),
        (B_TIED_PROV, politics & tied_m[prov]),
        (B_PREC_N, prec_n),
        (B_PREC_PROV, politics & precedent[e, prov]),
        (B_NONREC_N, nonrec_n),
        (B_NONREC_PROV, politics & unrecognised & annex_refusal[e, prov]),
        (B_N, voters_other),
        (B_N_OTHERS, others),
        (B_PROV_IN_N, prov_present & (prov != sm) & (not abstains[e, prov])),
        (B_PROV_IS_SM, prov == sm),
        (B_FOLLOW, politics & prov_power & prov_present),
    )
    for b, on in member_bits:
        if on:
            w |= np.int64(1) << b

    # the provider's own course: what the structure fixes
    at_war, close, fighting = course(
        e, opps, 0, terr, k_, prov, prov_u, threshold, relation, present
    )
    concerned = subject if (subject >= 0) & (subject != prov_u) else np.int64(terr)
    cm = mou[concerned]
    turned = (cm >= 0) and backing[e, cm if cm >= 0 else 0] < 0
    course_bits = (
        (B_AT_WAR, at_war),
        (B_TERR_PROV, terr == prov_u),
        (B_PROV_PRESENT, prov_present),
        (B_INSTRUMENT, bilateral[e, concerned, k_] & (not turned)),
        (B_WEIGHTY, has_request | state_opponent),
        (B_MEDIATION, close & (territory_member | subject_member | fighting)),
    )
    for b, on in course_bits:
        if on:
            w |= np.int64(1) << b
    return w, small, dmin, dmax


@numba.njit(cache=True, nogil=True, boundscheck=False)
def _records(  # type: ignore[no-untyped-def]
    values,
    slot_used,
    regime_tables,
    prov,
    prov_u,
    base_threshold,
    has_ties,
    request_needed,
    neutral,
):
    """A record for each structure: a row of `values` (epoch, appellant, territory, kind, UN
    mandate, host consent, ties threshold, opponents...)."""
    n = values.shape[0]
    n_slots = values.shape[1] - 7
    rec_w = np.empty(n, dtype=np.int64)
    rec_s = np.empty(n, dtype=np.int64)
    rec_lo = np.empty(n, dtype=np.float64)
    rec_hi = np.empty(n, dtype=np.float64)
    opps = np.empty((1, n_slots), dtype=np.int64)
    scratch = np.zeros((3, regime_tables[6].shape[1]), dtype=np.bool_)
    for r in range(n):
        digits = values[r]
        for s in range(n_slots):
            opps[0, s] = digits[7 + s]
        threshold = np.float64(digits[6]) if has_ties else base_threshold
        w, small, lo, hi = _record(
            digits[0],
            digits[1],
            digits[2],
            opps,
            slot_used,
            digits[3],
            digits[4] != 0,
            digits[5],
            threshold,
            regime_tables,
            prov,
            prov_u,
            request_needed,
            neutral,
            scratch,
        )
        rec_w[r] = w
        rec_s[r] = small
        rec_lo[r] = lo
        rec_hi[r] = hi
    return rec_w, rec_s, rec_lo, rec_hi


@numba.njit(cache=True, nogil=True, boundscheck=False, inline="always")
def _bit(w, b):  # type: ignore[no-untyped-def]
    return (w >> b) & 1


@numba.njit(cache=True, nogil=True, boundscheck=False)
def _rows(  # type: ignore[no-untyped-def]
    m,
    w_,
    s_,
    rank,
    asks,
    foreign,
    intensity,
    at_risk,
    casualties,
    committed,
    has_committed,
    p8,
    violence,
    want_russia,
    law_caps,
    conflict,
    provider_appeals,
    outcome,
    acts,
):
    """Decide the m rows of a chunk, branch-free, so that the loop runs in vector lanes.

    `law_caps`, `conflict` and `provider_appeals` are None where no structure of the batch has
    the law's parameter caps (no appeal, a dispute between members, outside the members'
    territory), the caps of a conflict (entanglement, party, ties, non-recognition) or the provider
    as the appellant: numba then compiles a loop without them, which is the same arithmetic on
    such rows. `want_russia` is the same for every row too."""
    big = np.int64(127)
    for j in range(m):
        w = w_[j]
        s = s_[j]
        f = np.int64(foreign[j] >= F_CLAIMED)  # claimed or evidenced: framed as foreign
        ev = np.int64(foreign[j] >= F_EVIDENCED)
        i = np.int64(intensity[j])
        risk = np.int64(at_risk[j])
        ask = np.int64(asks[j])
        # the law: the level before the parameter caps, the caps, down to a level some provision allows
        level = (s >> (S_L0 + 8 * f)) & 255
        allowed = (s >> (S_A0 + 8 * f)) & 255
        if law_caps is not None:
            no_appeal = np.int64(p8[P_NO_APPEAL_CAP, j])
            level = min(level, no_appeal if _bit(w, B_NO_APPEAL) else big)
            dispute = np.int64(p8[P_MEMBERS_DISPUTE_CAP, j])
            level = min(level, dispute if _bit(w, B_DISPUTE) else big)
            outside = np.int64(p8[P_OUTSIDE_TERRITORY_CAP, j])
            level = min(level, outside if _bit(w, B_OUTSIDE) else big)
        nonint = _bit(w, B_NONINT0) & (1 - f)
        level = min(level, np.int64(p8[P_NON_INTERFERENCE_CAP, j]) if nonint else big)
        below = allowed & ((np.int64(2) << max(level, np.int64(0))) - 1)
        ceiling = (
            np.int64(below >= 2)
            + np.int64(below >= 4)
            + np.int64(below >= 8)
            + np.int64(below >= 16)
            + np.int64(below >= 32)
        )
        threat = _bit(w, B_THREAT0 + f)
        floor = min(np.int64(p8[P_ART2_FLOOR, j]), ceiling) if threat else np.int64(NONE)
        cap = min(ceiling, ask)

        # politics
        politics = _bit(w, B_POLITICS)
        serious = _bit(w, B_ARMED) | np.int64(i >= p8[P_BORDER_CLASH_MIN_INTENSITY, j])
        collective = _bit(w, B_COLLECTIVE) & serious
        stab = _bit(w, B_STAB)
        internal = _bit(w, B_INTERNAL)
        low_cost = stab & np.int64(i <= p8[P_SHOWCASE_MAX_INTENSITY, j])
        show = _bit(w, B_SHOW) & low_cost & np.int64(ceiling >= DEPLOYMENT)
        incumbent = _bit(w, B_INCUMBENT) & risk
        intense = _bit(w, B_NOT_ATTACK) & np.int64(i > p8[P_COMMITTED_CAPACITY_MAX_INTENSITY, j])
        not_at_risk = internal & (1 - risk)
        fearful = internal & (1 - ev) & (1 - show)
        too_costly = politics & stab & np.int64(i > p8[P_STABILISATION_MAX_INTENSITY, j])
        attacked = _bit(w, B_ATTACKED0 + ev)
        violent = np.int64(i >= MEDIUM) | np.int64(casualties[j] >= violence[j])
        overthrow = _bit(w, B_TM_INTERNAL) & risk & violent
        stake = _bit(w, B_STAKE) | overthrow | (_bit(w, B_WAR_ON_MEMBER) & np.int64(i >= HIGH))
        quiet = (1 - _bit(w, B_HAS_REQUEST)) & (1 - stake)

        lifted = np.int64(p8[P_MEMBER_PRIOR, j])
        support = np.int64(p8[P_COLLECTIVE_DEFENCE_SUPPORT, j])
        lifted = max(lifted, support if collective else -big)
        lifted = max(lifted, np.int64(p8[P_SHOWCASE_SUPPORT, j]) if show else -big)
        common = np.int64(DEPLOYMENT)
        common = min(common, np.int64(p8[P_COST_CAP, j]) if too_costly else big)
        no_host = np.int64(p8[P_NO_HOST_CONSENT_CAP, j])
        common = min(common, no_host if _bit(w, B_NO_CONSENT) else big)
        silence = np.int64(p8[P_SILENCE_CAP, j])
        common = min(common, silence if politics & quiet & (1 - attacked) else big)
        # the provider's own caps, and its support
        prov_caps = _bit(w, B_PROV_CAPS)
        tied_up = np.int64(committed[j]) if has_committed else _bit(w, B_COMMITTED)
        pc = np.int64(p8[P_DROPPED_INCUMBENT_CAP, j]) if _bit(w, B_DROPPED) else big
        bilateral_cap = np.int64(p8[P_BILATERAL_PREFERENCE_CAP, j])
        pc = min(pc, bilateral_cap if _bit(w, B_BILATERAL_COVER) else big)
        pc = min(pc, np.int64(p8[P_COMMITTED_CAPACITY_CAP, j]) if tied_up & intense else big)
        pc = min(pc, np.int64(p8[P_REGIME_SURVIVAL_CAP, j]) if not_at_risk else big)
        pc = pc if prov_caps else big
        incumbent_support = np.int64(p8[P_INCUMBENT_SUPPORT, j])
        vprov = max(lifted, incumbent_support if prov_caps & incumbent else -big)
        # the member caps: the lowest over the voters, and the provider's own
        prec = np.int64(p8[P_PRECEDENT_CAP, j]) if fearful else big
        prov_in_n = _bit(w, B_PROV_IN_N)
        own_n = min(common, pc if prov_in_n else big)
        own_n = min(own_n, prec if _bit(w, B_PREC_N) else big)
        own_p = min(common, pc)
        own_p = min(own_p, prec if _bit(w, B_PREC_PROV) else big)
        if conflict is not None:
            ent = np.int64(p8[P_ENTANGLEMENT_CAP, j])
            party = np.int64(p8[P_PARTY_CAP, j])
            ties = min(np.int64(p8[P_TIES_CAP, j]), silence if quiet & attacked else big)
            nonrec = np.int64(p8[P_NON_RECOGNITION_CAP, j])
            own_n = min(own_n, ent if _bit(w, B_ENT_N) else big)
            own_n = min(own_n, party if _bit(w, B_PARTY_N) else big)
            own_n = min(own_n, ties if _bit(w, B_TIED_N) else big)
            own_n = min(own_n, nonrec if _bit(w, B_NONREC_N) else big)
            own_p = min(own_p, ent if _bit(w, B_ENT_PROV) else big)
            own_p = min(own_p, party if _bit(w, B_PARTY_PROV) else big)
            own_p = min(own_p, ties if _bit(w, B_TIED_PROV) else big)
            own_p = min(own_p, nonrec if _bit(w, B_NONREC_PROV) else big)
        x_prov = min(vprov, own_p)
        lead = x_prov
        c_prov = max(floor, x_prov)
        if provider_appeals is not None:
            prov_is_sm = _bit(w, B_PROV_IS_SM)
            lead = ask if prov_is_sm else lead
            c_prov = ask if prov_is_sm else c_prov
        # dependent members follow the provider: some voter does / some voter does not
        # (`rank`: how many of the regime's dependence values lie below the row's threshold)
        below_threshold = np.int64(rank[j])
        follow = _bit(w, B_FOLLOW)
        others = _bit(w, B_N_OTHERS)
        independent = others & ((1 - follow) | np.int64(below_threshold > ((s >> S_LO) & 15)))
        dependent = others & follow & np.int64(below_threshold < ((s >> S_HI) & 15))
        x = own_n
        x = min(x, lifted if independent else big)
        x = min(x, vprov if prov_in_n else big)
        x = min(x, lead if dependent else big)
        out = min(cap, max(floor, x)) if _bit(w, B_N) else cap
        outcome[j] = out
        if want_russia:  # Russia's course
            strong = np.int64(i >= p8[P_OWN_FORCES_MIN_INTENSITY, j])
            own_soil = _bit(w, B_TERR_PROV) & strong
            inside = (
                np.int64(out >= DEPLOYMENT)
                & _bit(w, B_PROV_PRESENT)
                & np.int64(c_prov >= DEPLOYMENT)
            )
            weighty = _bit(w, B_WEIGHTY) | strong
            bilateral = (_bit(w, B_INSTRUMENT) & weighty) | _bit(w, B_MEDIATION)
            unilateral = _bit(w, B_AT_WAR) | own_soil
            acts[j] = (
                A_UNILATERAL
                if unilateral
                else (A_NOTHING if inside else (A_BILATERAL if bilateral else A_NOTHING))
            )


@numba.njit(cache=True, nogil=True, boundscheck=False)
def _chunks(  # type: ignore[no-untyped-def]
    dense,
    index,
    epoch,
    appellant,
    territory,
    kind,
    un_mandate,
    host_consent,
    ties,
    opponents,
    low,
    mult,
    rec_w,
    rec_s,
    values_below,
    asks,
    foreign,
    intensity,
    at_risk,
    casualties,
    committed,
    has_committed,
    ov_codes,
    ov_code_slots,
    dependence,
    has_dependence,
    violence,
    has_violence,
    base8,
    basef,
    want_russia,
    law_caps,
    conflict,
    provider_appeals,
    outcome,
    acts,
):
    """Every row, a chunk at a time: the structure's key and record, the parameters, the rows."""
    n = outcome.shape[0]
    n_params = base8.shape[0]
    p8 = np.empty((n_params, CHUNK), dtype=np.int8)
    fixed_violence = np.full(CHUNK, basef[1], dtype=violence.dtype)  # the regime's, every row
    for k in range(n_params):
        p8[k, :] = base8[k]
    key = np.empty(CHUNK, dtype=np.int64)
    w = np.empty(CHUNK, dtype=np.int64)
    s = np.empty(CHUNK, dtype=np.int64)
    rank = np.full(CHUNK, np.sum(values_below < basef[0]), dtype=np.int8)
    course = np.empty(CHUNK, dtype=np.int8)
    unset = np.zeros(CHUNK, dtype=np.bool_)
    for start in range(0, n, CHUNK):
        m = min(CHUNK, n - start)
        stop = start + m
        for k in range(ov_code_slots.shape[0]):
            _copy(p8[ov_code_slots[k]], ov_codes[k][start:stop], m)
        if dense:  # the key (a column the batch holds constant is None: the loop leaves it out)
            _key(
                key,
                m,
                epoch[start:stop] if epoch is not None else None,
                appellant[start:stop] if appellant is not None else None,
                territory[start:stop] if territory is not None else None,
                kind[start:stop] if kind is not None else None,
                un_mandate[start:stop] if un_mandate is not None else None,
                host_consent[start:stop] if host_consent is not None else None,
                ties[start:stop] if ties is not None else None,
                low,
                mult,
            )
            for slot in range(opponents.shape[1]):
                if mult[7 + slot] != 0:
                    for j in range(m):
                        key[j] += (np.int64(opponents[start + j, slot]) - low[7 + slot]) * mult[
                            7 + slot
                        ]
        else:
            key[:m] = index[start:stop]
        for j in range(m):
            r = np.uint64(key[j])  # unsigned: no test for a negative index
            w[j] = rec_w[r]
            s[j] = rec_s[r]
        if has_dependence:
            _rank(rank, dependence[start:stop], values_below, m)
        _rows(
            m,
            w,
            s,
            rank,
            asks[start:stop],
            foreign[start:stop],
            intensity[start:stop],
            at_risk[start:stop],
            casualties[start:stop],
            committed[start:stop] if has_committed else unset[:m],
            has_committed,
            p8,
            violence[start:stop] if has_violence else fixed_violence[:m],
            want_russia,
            law_caps,
            conflict,
            provider_appeals,
            outcome[start:stop],
            acts[start:stop] if want_russia else course[:m],
        )


@numba.njit(cache=True, nogil=True, boundscheck=False, inline="always")
def _rank(rank, thresholds, values, m):  # type: ignore[no-untyped-def]
    """How many of the (8, padded with +inf) values lie below each threshold; 15 for a threshold
    that is not a number (no dependence reaches it, as the row kernel's comparisons say)."""
    v0, v1, v2, v3 = values[0], values[1], values[2], values[3]
    v4, v5, v6, v7 = values[4], values[5], values[6], values[7]
    for j in range(m):
        t = thresholds[j]
        rank[j] = (
            np.int8(15)
            if t != t
            else (
                np.int8(t > v0)
                + np.int8(t > v1)
                + np.int8(t > v2)
                + np.int8(t > v3)
                + np.int8(t > v4)
                + np.int8(t > v5)
                + np.int8(t > v6)
                + np.int8(t > v7)
            )
        )


@numba.njit(cache=True, nogil=True, boundscheck=False, inline="always")
def _copy(to, values, m):  # type: ignore[no-untyped-def]
    for j in range(m):
        to[j] = values[j]


@numba.njit(cache=True, nogil=True, boundscheck=False)
def _key(key, m, epoch, appellant, territory, kind, un, consent, ties, low, mult):  # type: ignore[no-untyped-def]
    """The structure's key of each row of a chunk, in one pass. A column the batch holds constant
    comes as None (its multiplier is zero): numba compiles the loop without it."""
    m0, m1, m2, m3, m4, m5, m6 = mult[0], mult[1], mult[2], mult[3], mult[4], mult[5], mult[6]
    base = -(low[0] * m0 + low[1] * m1 + low[2] * m2 + low[3] * m3 + low[4] * m4 + low[5] * m5)
    base -= low[6] * m6
    for j in range(m):
        k = base
        if epoch is not None:
            k += np.int64(epoch[j]) * m0
        if appellant is not None:
            k += np.int64(appellant[j]) * m1
        if territory is not None:
            k += np.int64(territory[j]) * m2
        if kind is not None:
            k += np.int64(kind[j]) * m3
        if un is not None:
            k += np.int64(un[j]) * m4
        if consent is not None:
            k += np.int64(consent[j]) * m5
        if ties is not None:
            k += np.int64(ties[j]) * m6
        key[j] = k


def _regime_tables(t: Tables) -> tuple[np.ndarray, ...]:
    """The compiled regime's arrays the records read, in `_record`'s order."""
    return (
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
    )


def _structure(
    batch: CrisisBatch, regime: Regime, t: Tables, ties: np.ndarray | None
) -> tuple[list[np.ndarray], np.ndarray, np.ndarray]:
    """The structure's columns (epoch, appellant, territory, kind, UN mandate, host consent, ties
    threshold, opponents), each one's lowest value and its radix: 1 where the batch holds it
    constant (a broadcast column, read once), its observed range for a byte column, else the size
    of its domain."""
    universe = t.member_on.shape[1]  # the states, and -1 in the last slot
    domain = [
        (0, len(regime.epoch_starts)),
        (-1, universe),
        (-1, universe),
        (0, len(KINDS)),
        (0, 2),
        (-1, 3),
        (0, 1),  # the ties threshold: a byte column, so its observed range is taken below
    ]
    cols = [
        batch.epoch,
        batch.appellant,
        batch.territory,
        batch.kind,
        batch.un_mandate,
        batch.host_consent,
        ties if ties is not None else np.zeros(1, dtype=np.int8),
    ]
    cols += [batch.opponents[:, k] for k in range(batch.opponents.shape[1])]
    domain += [(-1, universe)] * batch.opponents.shape[1]
    low = np.zeros(len(cols), dtype=np.int64)
    radix = np.ones(len(cols), dtype=np.int64)
    assert ties is None or ties.dtype.itemsize == 1
    for c, (values, (lowest, size)) in enumerate(zip(cols, domain, strict=True)):
        if len(values) <= 1 or values.strides[0] == 0:
            low[c] = int(values[0]) if len(values) else 0
        elif values.dtype.itemsize == 1:  # a byte column: its observed range costs little to find
            lowest, highest = int(values.min()), int(values.max())
            low[c], radix[c] = lowest, highest - lowest + 1
        else:
            low[c], radix[c] = lowest, size
    return cols, low, radix


def decide(
    batch: CrisisBatch,
    regime: Regime,
    russia: bool = False,
    kernel_tables: Tables | None = None,
    always: bool = False,
) -> tuple[np.ndarray, np.ndarray | None] | None:
    """Outcomes (and Russia's course) of every crisis, or None where the row kernel should decide:
    the Council decides by majority, a parameter comes in a form this kernel does not read, or
    nearly every crisis has a structure of its own (`always` decides those here too: the tests)."""
    if regime.decision_rule is DecisionRule.MAJORITY:
        return None
    n = len(batch)
    overridden = [name for name in batch.overrides if name in P]
    coded = [name for name in overridden if np.asarray(batch.overrides[name]).dtype == np.int8]
    numbers = [name for name in overridden if name not in coded]
    if any(P[name] in FLOATS for name in coded) or any(P[name] not in FLOATS for name in numbers):
        return None  # a parameter in a form this kernel does not read
    t = kernel_tables or tables(regime)
    # the other voters' lowest and highest dependence go in as ranks among the regime's values
    distinct = np.unique(t.dependence).astype(np.float64)
    if len(distinct) > 8 or not np.isfinite(distinct).all():
        return None  # more dependence values than the rank test holds: the row kernel
    ties = batch.overrides.get("ties_threshold") if "ties_threshold" in coded else None
    cols, low, radix = _structure(batch, regime, t, ties)
    space = float(np.prod(radix.astype(np.float64)))
    mult = np.zeros(len(cols), dtype=np.int64)
    dense = space <= DENSE_LIMIT and space * ROWS_PER_RECORD <= n  # a record costs 8 rows
    if dense:  # a record for every structure in the space; the key is computed row by row
        key = np.arange(int(space), dtype=np.int64)
        values = np.empty((len(key), len(cols)), dtype=np.int64)
        for c in range(len(cols) - 1, -1, -1):
            mult[c] = int(np.prod(radix[c + 1 :])) if radix[c] > 1 else 0
            values[:, c] = key % radix[c] + low[c]
            key //= radix[c]
        index = np.zeros(1, dtype=np.int64)
    else:  # a record for each distinct structure in the batch
        if not always and _distinct(cols, radix, low, min(n, SAMPLE)) > min(n, SAMPLE) // 4:
            return None  # a sample says: nearly every crisis its own structure
        if not always and n > SAMPLE and space >= 2.0**62:
            return None  # no packed key: finding the structures would cost more than the row kernel
        values, index = _distinct_rows(cols, radix, low, n)
        if len(values) > n // 16 and not always:
            return None  # nearly every crisis its own structure
    opp = batch.opponents
    if n and opp.strides[0] == 0:  # the same opponents in every row
        slot_used = opp[0] >= 0
    else:
        slot_used = (opp >= 0).any(axis=0) if n else np.zeros(len(cols) - 7, np.bool_)
    rec_w, rec_s, rec_lo, rec_hi = _records(
        np.ascontiguousarray(values),
        np.ascontiguousarray(slot_used),
        _regime_tables(t),
        t.provider,
        t.provider_universe,
        float(t.params[P_TIES_THRESHOLD]),
        ties is not None,
        regime.request_needed,
        regime.neutral_politics,
    )
    values_below = np.full(8, np.inf)
    values_below[: len(distinct)] = distinct
    lowest = np.where(np.isfinite(rec_lo), np.searchsorted(distinct, rec_lo), 15)
    highest = np.where(np.isfinite(rec_hi), np.searchsorted(distinct, rec_hi) + 1, 0)
    rec_s |= (lowest.astype(np.int64) << S_LO) | (highest.astype(np.int64) << S_HI)
    base8 = np.array([0 if k in FLOATS else int(v) for k, v in enumerate(t.params)], dtype=np.int8)
    basef = np.array([t.params[k] for k in FLOATS], dtype=np.float64)
    # the families of caps no structure of the batch reaches: a loop without them, and their
    # parameters not copied
    law_caps = _reached(rec_w, LAW_CAPS)
    conflict = _reached(rec_w, CONFLICT)
    unread = {P_TIES_THRESHOLD}  # read by the records
    unread |= set(LAW_CAP_PARAMS if law_caps is None else ())
    unread |= set(CONFLICT_PARAMS if conflict is None else ())
    copied = [name for name in coded if P[name] not in unread]
    none8, nonef = np.zeros(1, dtype=np.int8), np.zeros(1, dtype=np.float64)
    ov_codes = (*(_rows_of(batch.overrides[name], np.int8) for name in copied), none8)
    numeric = {}  # contiguous int64 or float64: one compiled loop each
    for name in numbers:
        given = np.asarray(batch.overrides[name])
        numeric[name] = _rows_of(given, np.int64 if given.dtype.kind in "iu" else np.float64)
    has_committed = "provider_committed" in batch.overrides
    committed = (
        _rows_of(batch.overrides["provider_committed"], np.bool_)
        if has_committed
        else np.zeros(1, dtype=np.bool_)
    )
    outcome = np.empty(n, dtype=np.int8)
    acts = np.zeros(n if russia else 1, dtype=np.int8)
    dtypes = (np.int64, np.int16, np.int16, np.int8, np.bool_, np.int8, np.int8)
    structure = [  # read only to make the dense key; None where it is constant
        _rows_of(c, d) if dense and radix[k] > 1 else None
        for k, (c, d) in enumerate(zip(cols[:7], dtypes, strict=True))
    ]
    opponents = (
        np.ascontiguousarray(batch.opponents, dtype=np.int16)
        if dense and (radix[7:] > 1).any()
        else np.zeros((1, len(cols) - 7), dtype=np.int16)
    )
    epoch, appellant, territory, kind, un_mandate, host_consent, ties_codes = structure
    _chunks(
        dense,
        index,
        epoch,
        appellant,
        territory,
        kind,
        un_mandate,
        host_consent,
        ties_codes,
        opponents,
        low,
        mult,
        rec_w,
        rec_s,
        values_below,
        _rows_of(batch.asks, np.int8),
        _rows_of(batch.foreign, np.int8),
        _rows_of(batch.intensity, np.int8),
        _rows_of(batch.government_at_risk, np.bool_),
        _rows_of(batch.casualties, np.int32),
        committed,
        has_committed,
        ov_codes,
        np.array([P[name] for name in copied], dtype=np.int64),
        numeric.get("dependence_threshold", nonef),
        "dependence_threshold" in numeric,
        numeric.get("violence_casualties", nonef),
        "violence_casualties" in numeric,
        base8,
        basef,
        russia,
        law_caps,
        conflict,
        _reached(rec_w, (B_PROV_IS_SM,)),
        outcome,
        acts,
    )
    return outcome, (acts if russia else None)


# The families of caps a batch may not reach at all, with the parameters only they read.
LAW_CAPS = (B_NO_APPEAL, B_DISPUTE, B_OUTSIDE)
LAW_CAP_PARAMS = (P_NO_APPEAL_CAP, P_MEMBERS_DISPUTE_CAP, P_OUTSIDE_TERRITORY_CAP)
CONFLICT = (
    B_ENT_N,
    B_ENT_PROV,
    B_PARTY_N,
    B_PARTY_PROV,
    B_TIED_N,
    B_TIED_PROV,
    B_NONREC_N,
    B_NONREC_PROV,
)
CONFLICT_PARAMS = (P_ENTANGLEMENT_CAP, P_PARTY_CAP, P_TIES_CAP, P_NON_RECOGNITION_CAP)


def _reached(rec_w: np.ndarray, flags: tuple[int, ...]) -> bool | None:
    """True where some structure of the batch has one of the flags, else None (a loop without)."""
    mask = np.int64(sum(1 << b for b in flags))
    return True if len(rec_w) and bool((np.bitwise_or.reduce(rec_w) & mask) != 0) else None


SAMPLE = 4096  # rows examined first, where the structures may be nearly as many as the rows


def _packed(
    cols: list[np.ndarray], radix: np.ndarray, low: np.ndarray, n: int
) -> np.ndarray | None:
    """Each of the first n rows' structure as one int64 (mixed radix), None where it does not fit."""
    if float(np.prod(np.maximum(radix, 1).astype(np.float64))) >= 2.0**62:
        return None
    key = np.zeros(n, dtype=np.int64)
    for c, values in enumerate(cols):
        if radix[c] > 1:
            key *= radix[c]
            key += values[:n]
            key -= low[c]
    return key


def _distinct(cols: list[np.ndarray], radix: np.ndarray, low: np.ndarray, n: int) -> int:
    """How many distinct structures among the first n rows."""
    key = _packed(cols, radix, low, n)
    if key is not None:
        return len(np.unique(key))
    return len(
        np.unique(np.column_stack([np.broadcast_to(c, (len(cols[0]),))[:n] for c in cols]), axis=0)
    )


def _distinct_rows(
    cols: list[np.ndarray], radix: np.ndarray, low: np.ndarray, n: int
) -> tuple[np.ndarray, np.ndarray]:
    """The distinct structures (one row of column values each) and each row's index among them."""
    key = _packed(cols, radix, low, n)
    if key is not None:
        _, first, index = np.unique(key, return_index=True, return_inverse=True)
        stacked = np.column_stack([np.broadcast_to(c, (n,))[first] for c in cols])
        return stacked.astype(np.int64), np.ascontiguousarray(index.reshape(-1), dtype=np.int64)
    stacked = np.column_stack([np.broadcast_to(c, (n,)) for c in cols]).astype(np.int64)
    values, index = np.unique(stacked, axis=0, return_inverse=True)
    return values, np.ascontiguousarray(index.reshape(-1), dtype=np.int64)


def _rows_of(values: np.ndarray, dtype: Any) -> np.ndarray:
    """A column as one contiguous array of the kernel's dtype (a broadcast column is filled)."""
    values = np.asarray(values)
    if values.dtype == dtype and values.flags.c_contiguous:
        return values
    if values.ndim == 1 and len(values) and values.strides[0] == 0:
        return np.full(len(values), values[0], dtype=dtype)
    return np.ascontiguousarray(values, dtype=dtype)
