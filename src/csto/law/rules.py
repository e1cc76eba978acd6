"""The legal rules: which provisions apply to a crisis on its date, and the highest measure they allow.

Written as default logic over arrays (one row per crisis): a general allowance from the provisions that
apply, then exceptions that cap it. Each rule reads article parameters through the regime, so the
version in force on each crisis's date decides, and each notes its finding in the tracer when one is
given.

    Facts                     derived columns shared by the legal and the political rules
    derive(batch, regime)     compute them once
    LegalResult               ceiling (n,), Art. 2 floor (n,), and the facts
    legal(batch, regime, tracer=None)

Allowances (the basis): Art. 2 consultations for any member's appeal, Art. 2 assistance for a threat
to its own security (internal disorder only where the version covers stability or the government
presents it as foreign-driven), Art. 4 / peacekeeping / CRDF-CA / CRRF deployments, monitoring missions.
Exceptions (caps): no appeal; the appellant is not a member; a dispute between members; events outside
members' territory without a UN mandate; internal affairs under non-interference.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from csto.domain.crisis import Intensity, Involvement, Kind, Measure
from csto.law.batch import INTENSITIES, INVOLVEMENTS, KINDS, CrisisBatch
from csto.law.regime import FROZEN_CODE, Regime
from csto.law.tracer import Tracer

K_ARMED = KINDS.index(Kind.ARMED_ATTACK)
K_BORDER = KINDS.index(Kind.BORDER_CLASH)
K_INTERNAL = KINDS.index(Kind.INTERNAL_UNREST)
K_TERROR = KINDS.index(Kind.TERRORISM)
K_CROSS = KINDS.index(Kind.CROSS_BORDER_THREAT)
F_CLAIMED = INVOLVEMENTS.index(Involvement.CLAIMED)
I_LOW = INTENSITIES.index(Intensity.LOW)

DEPLOY = int(Measure.DEPLOYMENT)


@dataclass(frozen=True)
class Facts:
    """Columns derived once per batch; every rule reads these rather than recomputing."""

    present: np.ndarray  # (n, M) member on the date
    frozen: np.ndarray  # (n, M) participation frozen
    subject: np.ndarray  # (n,) universe index of the member concerned (appellant), -1
    subject_member: np.ndarray  # (n,)
    has_request: np.ndarray  # (n,) an appeal, or a regime where no request is needed
    own_territory: np.ndarray  # (n,) it happens on the subject's territory
    territory_member: np.ndarray  # (n,)
    opponent_member: np.ndarray  # (n, K) the opponent in slot k is a member on the date
    state_opponent: np.ndarray  # (n,) some non-member state is on the other side
    framed: np.ndarray  # (n,) foreign involvement claimed or evidenced
    internal: np.ndarray  # (n,)
    unframed_internal: np.ndarray  # (n,) internal and presented as purely domestic
    attack: np.ndarray  # (n,) armed attack or border clash
    stabilisation: np.ndarray  # (n,) unrest, terrorism or threat across a border


def derive(batch: CrisisBatch, regime: Regime) -> Facts:
    e = batch.epoch
    status = regime.status[e]  # (n, M)
    present = regime.is_member(status)
    mou = regime.member_of_universe

    def member_on_date(universe_idx: np.ndarray) -> np.ndarray:
        m = mou[universe_idx]  # -1 index hits the last slot, which is -1 too
        ok = m >= 0
        rows = np.broadcast_to(np.arange(len(batch)).reshape((-1,) + (1,) * (m.ndim - 1)), m.shape)
        return np.asarray(ok & regime.is_member(status[rows, np.where(ok, m, 0)]))

    territory_member = member_on_date(batch.territory)
    kind = batch.kind
    internal = kind == K_INTERNAL
    framed = batch.foreign >= F_CLAIMED
    attack = (kind == K_ARMED) | (kind == K_BORDER)
    # Without an appeal, a regime that needs no request treats the member attacked on its own
    # territory as the one concerned; the baseline needs the request.
    has_appeal = batch.has_appeal
    if regime.request_needed:
        subject = batch.appellant.astype(np.int32)
        has_request = has_appeal
    else:
        stand_in = ~has_appeal & territory_member & attack
        subject = np.where(
            has_appeal, batch.appellant, np.where(stand_in, batch.territory, -1)
        ).astype(np.int32)
        has_request = has_appeal | stand_in
    subject_member = member_on_date(subject)
    opponent_member = member_on_date(batch.opponents) & (batch.opponents >= 0)
    state_opponent = np.asarray(((batch.opponents >= 0) & ~opponent_member).any(axis=1))
    return Facts(
        present=present,
        frozen=status == FROZEN_CODE,
        subject=subject,
        subject_member=subject_member,
        has_request=has_request,
        own_territory=(subject >= 0) & (subject == batch.territory),
        territory_member=territory_member,
        opponent_member=opponent_member,
        state_opponent=state_opponent,
        framed=framed,
        internal=internal,
        unframed_internal=internal & ~framed,
        attack=attack,
        stabilisation=internal | (kind == K_TERROR) | (kind == K_CROSS),
    )


@dataclass(frozen=True)
class LegalResult:
    ceiling: np.ndarray  # (n,) int8 the highest measure the law allows
    floor: np.ndarray  # (n,) int8 what is owed in any case (Art. 2), never above the ceiling
    facts: Facts


def legal(batch: CrisisBatch, regime: Regime, tracer: Tracer | None = None) -> LegalResult:
    f = derive(batch, regime)
    e = batch.epoch
    p = regime.params
    n = len(batch)
    on_own = f.subject_member & f.own_territory & f.has_request

    # --- allowances: the basis in the provisions that apply -----------------------------------
    basis = np.full(n, int(Measure.STATEMENT), dtype=np.int8)
    if tracer:
        tracer.note(
            "political_means",
            "law",
            np.ones(n, dtype=bool),
            int(Measure.STATEMENT),
            "allows",
            (("CHARTER", "3"), ("CST", "2")),
            "statements and calls for restraint need no legal basis; political means come first",
        )

    art2 = regime.article("CST", "2")
    art2_live = art2.in_force()[e]
    consult = f.subject_member & f.has_request & art2_live
    basis = np.where(consult, np.maximum(basis, int(Measure.CONSULTATIONS)), basis)
    if tracer:
        tracer.note(
            "art2_consultations",
            "law",
            consult,
            int(Measure.CONSULTATIONS),
            "allows",
            (("CST", "2"),),
            "a member's request opens consultations on a security question touching its interests",
        )
    covered = ~f.unframed_internal | art2.flag("covers_stability")[e]
    threat = on_own & art2_live & covered
    art2_max = art2.measure()[e]
    basis = np.where(threat, np.maximum(basis, art2_max), basis)
    if tracer:
        tracer.note(
            "art2_measures",
            "law",
            threat,
            art2_max,
            "allows",
            (("CST", "2"),),
            "a threat to the member's own security (as this version of Art. 2 defines it) calls for "
            "measures to remove it",
        )

    art4 = regime.article("CST", "4")
    aggressor_ok = art4.flag("aggressor", "any")[e] | f.state_opponent
    request_ok = ~(art4.flag("requires_request")[e] & regime.request_needed) | batch.has_appeal
    art4_case = f.attack | (f.framed & (f.internal | (batch.kind == K_TERROR)))
    art4_applies = (
        f.subject_member
        & f.own_territory
        & f.has_request
        & art4.in_force()[e]
        & art4_case
        & aggressor_ok
        & request_ok
    )
    basis = np.where(art4_applies, np.maximum(basis, art4.measure()[e]), basis)
    if tracer:
        tracer.note(
            "art4_collective_defence",
            "law",
            art4_applies,
            art4.measure()[e],
            "allows",
            (("CST", "4"),),
            "aggression against the member on its own territory, as this version of Art. 4 defines "
            "the aggressor, engages collective defence",
        )
        missed = f.subject_member & f.own_territory & art4.in_force()[e] & art4_case & ~aggressor_ok
        tracer.note(
            "art4_needs_state_aggressor",
            "law",
            missed,
            int(Measure.NONE),
            "excludes",
            (("CST", "4"),),
            "this version of Art. 4 covers aggression by a state or group of states only, and no "
            "non-member state is on the other side",
        )

    for key, cases, why in (
        (
            ("PK", "3"),
            ~f.unframed_internal & ~f.attack | (batch.kind == K_BORDER),
            "a peacekeeping operation on a member's territory at its official request",
        ),
        (
            ("CRDF-CA", "3"),
            f.attack | (batch.kind == K_TERROR) | (batch.kind == K_CROSS),
            "the Central Asian rapid deployment forces, on a party's territory at its request",
        ),
        (
            ("CRRF", "*"),
            f.attack | (batch.kind == K_TERROR) | (batch.kind == K_CROSS) | (f.internal & f.framed),
            "the rapid reaction force against aggression, terrorism and threats across borders",
        ),
        (
            ("MONITORING", "*"),
            np.ones(n, dtype=bool),
            "a monitoring mission sent to the crisis at the member's request",
        ),
    ):
        table = regime.article(*key)
        applies = on_own & table.in_force()[e] & cases
        if key[0] in regime.parties and regime.parties[key[0]].any():
            applies &= regime.parties[key[0]][f.subject]
        allowed = table.measure()[e]
        basis = np.where(applies, np.maximum(basis, allowed), basis)
        if tracer:
            tracer.note(f"{key[0].lower()}_basis", "law", applies, allowed, "allows", (key,), why)

    ceiling = basis.copy()

    # --- exceptions: caps ----------------------------------------------------------------------
    def cap(
        rule: str,
        applies: np.ndarray,
        value: int,
        cites: tuple[tuple[str, str], ...],
        why: str,
        param: str | None,
    ) -> None:
        nonlocal ceiling
        ceiling = np.where(applies, np.minimum(ceiling, value), ceiling)
        if tracer:
            tracer.note(rule, "law", applies, value, "cap", cites, why, parameter=param)

    cap(
        "no_request",
        ~f.has_request,
        p["no_appeal_cap"],
        (("CST", "4"), ("PK", "3"), ("CRDF-CA", "3"), ("CHARTER", "3")),
        "no member has formally asked for help, and collective measures follow a request",
        "no_appeal_cap",
    )
    cap(
        "appellant_not_member",
        batch.has_appeal & ~f.subject_member,
        int(Measure.NONE),
        (("CST", "4"), ("CST", "2")),
        "the state asking for help is not a member on that date; the treaty's obligations run between members only",
        None,
    )
    cap(
        "dispute_between_members",
        np.asarray(f.opponent_member.any(axis=1)),
        p["members_dispute_cap"],
        (("CST", "1"),),
        "members stand on both sides: their disputes are to be settled peacefully and fall outside the mandate",
        "members_dispute_cap",
    )
    cap(
        "outside_members_territory",
        ~f.territory_member & ~batch.un_mandate,
        p["outside_territory_cap"],
        (("CST", "6"), ("PK", "3")),
        "the events are outside members' recognised territory and no UN Security Council mandate covers them",
        "outside_territory_cap",
    )
    charter5 = regime.article("CHARTER", "5").in_force()[e]
    cap(
        "non_interference",
        f.unframed_internal & charter5,
        p["non_interference_cap"],
        (("CHARTER", "5"),),
        "the disorder is presented as domestic: a matter within national jurisdiction",
        "non_interference_cap",
    )

    floor = np.where(
        threat & f.subject_member, np.minimum(p["art2_floor"], ceiling), int(Measure.NONE)
    ).astype(np.int8)
    if tracer:
        tracer.note(
            "art2_obligation",
            "law",
            floor > Measure.NONE,
            floor,
            "floor",
            (("CST", "2"),),
            "the treaty obliges the members to start consultations at once when a member's security is threatened",
            parameter="art2_floor",
        )
    return LegalResult(ceiling=ceiling.astype(np.int8), floor=floor, facts=f)
