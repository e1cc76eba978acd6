"""What both kernels read off a crisis's structure, written once (numba, inlined into each).

    situation(...)   who asks, about whose territory, against whom: the subject and the request
    ladder(...)      the law: the highest measure some provision allows, and which levels they allow
    conflict(...)    the members party to the conflict, tied to an opponent, having started it;
                     whether the subject is drawn in and whether a member defends itself
    course(...)      Russia's war, closeness to an opponent, and members fighting one

The columnar kernel (columns.py) calls them once a structure. The row kernel (rows.py) keeps its own
copy of the same steps, inline: calling these from its per-row loop made it 20% slower (measured on
the wide spec, 155 ms against 185 to 210 ms per 1,000,000 rows), and the property tests hold both
copies to the traced path. `opps` is a 2-D array of opponents and `row` the row of it to read.
"""

from __future__ import annotations

import numba
import numpy as np

from csto.engine.kernel.layout import (
    CONSULTATIONS,
    F_AGGR_ANY,
    F_COVERS,
    F_CRDF,
    F_CRDF_REQ,
    F_CRRF,
    F_LIVE2,
    F_LIVE4,
    F_MON,
    F_MON_REQ,
    F_PK,
    F_PK_REQ,
    F_PK_UNSC,
    HOSTILE,
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
    NONE,
    STATEMENT,
    WAR,
)


@numba.njit(cache=True, nogil=True, boundscheck=False, inline="always")
def situation(e, app, terr, opps, row, k_, request_needed, member_on):  # type: ignore[no-untyped-def]
    """(has_appeal, territory_member, internal, attack, terror_or_threat, stabilisation, subject,
    has_request, subject_member, own_territory, opp_member, state_opponent)."""
    has_appeal = app >= 0
    territory_member = member_on[e, terr]
    internal = k_ == K_INTERNAL
    attack = (k_ == K_ATTACK[0]) | (k_ == K_ATTACK[1])
    terror_or_threat = (k_ == K_TERROR) | (k_ == K_CROSS)
    stabilisation = (k_ == K_STAB[0]) | (k_ == K_STAB[1]) | (k_ == K_STAB[2])
    if request_needed:
        subject = np.int64(app)
        has_request = has_appeal
    else:  # a member's own territory attacked stands in for its appeal
        stand_in = (not has_appeal) & territory_member & attack
        subject = np.int64(app if has_appeal else (terr if stand_in else -1))
        has_request = has_appeal | stand_in
    subject_member = member_on[e, subject]  # subject -1 reads the last slot: False
    own_territory = (subject >= 0) & (subject == terr)
    opp_member = False
    state_opponent = False
    for s in range(opps.shape[1]):
        o = opps[row, s]
        if o >= 0:
            om = member_on[e, o]
            opp_member |= om
            state_opponent |= not om
    return (
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
    )


@numba.njit(cache=True, nogil=True, boundscheck=False, inline="always")
def ladder(  # type: ignore[no-untyped-def]
    e,
    framed,
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
):
    """(ceiling, allowed, threat): the law's allowances, the level before the caps that take a
    parameter (the treaty not in force and an appellant who is not a member bring it to NONE), a
    bit mask of the levels some provision allows, and whether Art. 2's threat holds."""
    on_own = subject_member & own_territory & has_request
    live2 = flags[e, F_LIVE2]
    unframed_internal = internal & (not framed)
    threat = on_own & live2 & ((not unframed_internal) | flags[e, F_COVERS])
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
    abroad = subject_member & has_appeal & (not territory_member) & un & flags[e, F_PK_UNSC]
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
    if has_appeal & (not subject_member):
        ceiling = min(ceiling, NONE)
    return np.int64(ceiling), np.int64(allowed), threat


@numba.njit(cache=True, nogil=True, boundscheck=False, inline="always")
def conflict(  # type: ignore[no-untyped-def]
    e,
    opps,
    row,
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
):
    """Marks each member party to the conflict (an opponent), tied to an opponent (and not party),
    or having started a conflict with one (`party_m`, `tied_m`, `starter`, overwritten); returns
    (entangled, defending): the subject at war with an opponent away from its own territory or a
    conflict some member started, and a member at war with an opponent it did not attack."""
    n_members = present.shape[1]
    neutral_slot = relation.shape[2] - 1
    entangled = False
    defending = False
    for m in range(n_members):
        party_m[m] = False
        tied_m[m] = False
        starter[m] = False
    for s in range(opps.shape[1]):
        o = opps[row, s]
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
    for m in range(n_members):
        tied_m[m] = tied_m[m] and not party_m[m]
    return entangled, defending


@numba.njit(cache=True, nogil=True, boundscheck=False, inline="always")
def course(e, opps, row, terr, k_, prov, prov_u, threshold, relation, present):  # type: ignore[no-untyped-def]
    """(at_war, close, fighting): Russia at war with an opponent in the war's theatre, close to an
    opponent, and some member at war with an opponent."""
    war_abroad = k_ == K_WAR_ABROAD
    at_war = False
    close = False
    fighting = False
    for s in range(opps.shape[1]):
        o = opps[row, s]
        rank = relation[e, prov, o] if o >= 0 else -1
        fights = (rank == WAR) | (war_abroad & (rank >= 0) & (rank <= HOSTILE))
        if fights and ((terr == prov_u) or (terr == o)):  # noqa: SIM109 -- the war's theatre (numba)
            at_war = True
        if rank >= threshold:
            close = True
        if o >= 0:
            for m in range(present.shape[1]):
                if present[e, m] and relation[e, m, o] == WAR:
                    fighting = True
    return at_war, close, fighting
