"""Each member's position: the highest measure it accepts, with its reasons, over arrays of crises.

A member starts from the strongest measure and each factor that applies caps it; the appellant
accepts exactly what it asked for; the Art. 2 obligation lifts every position to at least
consultations where it applies. Factors read dated data (relations, traits) and global parameters
from data/politics.yaml; none names a case.

    Positions                 ceiling (n, M), abstain (n, M), present (n, M)
    positions(batch, regime, law, tracer=None)

Factors: party to the crisis; ties with a state on the other side; fear of precedents in internal
affairs; cost of a stabilising deployment at high intensity; the power-projection provider's
committed capacity; the provider's interest in the government's survival. A member whose
participation is frozen stands aside where the charter allows constructive abstention.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from csto.domain.crisis import Invokes, Measure
from csto.law.batch import INVOKES, CrisisBatch
from csto.law.regime import Regime
from csto.law.rules import LegalResult
from csto.law.tracer import Tracer


@dataclass(frozen=True)
class Positions:
    ceiling: np.ndarray  # (n, M) int8
    abstain: np.ndarray  # (n, M) bool
    present: np.ndarray  # (n, M) bool
    appellant: np.ndarray  # (n, M) bool


def positions(
    batch: CrisisBatch, regime: Regime, law: LegalResult, tracer: Tracer | None = None
) -> Positions:
    f = law.facts
    e = batch.epoch
    p = regime.params
    n, n_members = f.present.shape
    member_axis = np.arange(n_members)
    ceiling = np.full((n, n_members), int(Measure.DEPLOYMENT), dtype=np.int8)
    subject_m = regime.member_of_universe[f.subject]  # (n,) data index or -1
    appellant = (subject_m[:, None] == member_axis[None, :]) & f.present

    def cap(
        rule: str, applies: np.ndarray, value: int, why: str, param: str, **details: np.ndarray
    ) -> None:
        nonlocal ceiling
        applies = applies & f.present & ~appellant
        ceiling = np.where(applies, np.minimum(ceiling, value), ceiling)
        if tracer:
            tracer.note(rule, "politics", applies, value, "cap", (), why, details, parameter=param)

    # Party: the member is itself on the other side.
    opp_m = regime.member_of_universe[batch.opponents]  # (n, K)
    party = ((opp_m[:, :, None] == member_axis[None, None, :]) & (opp_m[:, :, None] >= 0)).any(
        axis=1
    )
    cap("party", party, p["party_cap"], "it is itself on the other side of the crisis", "party_cap")

    # Ties: relations with a state on the other side at least as close as the threshold.
    rel = regime.relation[e[:, None], member_axis[None, :], :]  # (n, M, U + 1)
    opp_idx = np.where(
        batch.opponents >= 0, batch.opponents, rel.shape[2] - 1
    )  # -1 -> neutral slot
    ranks = np.take_along_axis(
        rel, np.broadcast_to(opp_idx[:, None, :], (n, n_members, opp_idx.shape[1])), axis=2
    )
    tied = ranks >= p["ties_threshold"]  # (n, M, K)
    strongest = np.argmax(np.where(tied, ranks, -1), axis=2)  # (n, M) slot of the closest tie
    tie_state = np.take_along_axis(
        np.broadcast_to(batch.opponents[:, None, :], (n, n_members, opp_idx.shape[1])),
        strongest[:, :, None],
        axis=2,
    )[:, :, 0]
    cap(
        "ties",
        tied.any(axis=2) & ~party,
        p["ties_cap"],
        "it keeps close ties with {state}, on the other side, and will not back measures against it",
        "ties_cap",
        state=tie_state,
    )

    # Precedent: internal disorder presented as domestic, a member sensitive to precedents.
    cap(
        "precedent",
        f.unframed_internal[:, None] & regime.precedent_high[e],
        p["precedent_cap"],
        "it fears a precedent for intervening in a member's internal affairs",
        "precedent_cap",
    )

    # Cost: a stabilising deployment where the violence is too intense for a peacekeeping force.
    too_costly = f.stabilisation & (batch.intensity > p["stabilisation_max_intensity"])
    cap(
        "cost",
        np.broadcast_to(too_costly[:, None], (n, n_members)),
        p["cost_cap"],
        "the violence is too intense for a low-cost stabilising operation",
        "cost_cap",
    )

    # The power-projection provider: committed capacity, and the government's survival.
    power = regime.power[e]
    cap(
        "committed_capacity",
        power
        & regime.committed[e]
        & (batch.intensity > p["committed_capacity_max_intensity"])[:, None],
        p["committed_capacity_cap"],
        "its forces, which carry every operation, are committed elsewhere",
        "committed_capacity_cap",
    )
    cap(
        "regime_not_at_risk",
        power & (f.internal & ~batch.government_at_risk)[:, None],
        p["regime_survival_cap"],
        "the government is not at risk, so the provider of the forces sees no need to send them",
        "regime_survival_cap",
    )

    # The appellant asks for what it asks for.
    ceiling = np.where(appellant, batch.asks[:, None], ceiling).astype(np.int8)
    if tracer:
        asks = np.broadcast_to(batch.asks[:, None], (n, n_members))
        for invoked, cites in (
            (INVOKES.index(Invokes.ART4), (("CST", "4"),)),
            (-2, (("CST", "2"),)),
        ):
            which = (
                batch.invokes == invoked
                if invoked >= 0
                else batch.invokes != INVOKES.index(Invokes.ART4)
            )
            tracer.note(
                "appellant",
                "politics",
                appellant & which[:, None],
                asks,
                "sets",
                cites,
                "it asked the organization for this",
            )

    # The Art. 2 obligation lifts every position to what is owed.
    floor = law.floor[:, None]
    lifted = f.present & ~appellant & (ceiling < floor)
    ceiling = np.where(lifted, floor, ceiling).astype(np.int8)
    if tracer:
        tracer.note(
            "art2_obligation",
            "politics",
            lifted,
            np.broadcast_to(floor, (n, n_members)),
            "floor",
            (("CST", "2"),),
            "the treaty obliges it to take part in consultations",
            parameter="art2_floor",
        )

    # Constructive abstention: a member with frozen participation stands aside, where allowed.
    allowed = regime.article("CHARTER", "12").flag("constructive_abstention")[e]
    abstain = f.frozen & allowed[:, None] & ~appellant
    if tracer:
        tracer.note(
            "abstention",
            "politics",
            abstain,
            0,
            "abstains",
            (("CHARTER", "12"),),
            "its participation is frozen: it stands aside without blocking",
        )
    return Positions(ceiling=ceiling, abstain=abstain, present=f.present, appellant=appellant)
