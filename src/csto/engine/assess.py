"""Assess crises: law, positions and the Council's procedure, with citations and a receipt.

    evaluate(batch, regime, tracer=None)  the rules over arrays: outcome, legal ceiling, positions
    assess(world, crisis, reforms=())     one crisis, fully explained: an Assessment (engine/report.py)

The engine reads a crisis's facts, never its record.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass

import numpy as np

from csto import RULES_VERSION, __version__
from csto.domain.crisis import Crisis, Measure, crisis_hash
from csto.domain.models import DecisionRule
from csto.engine.explain import explain
from csto.engine.grounds import ground
from csto.engine.report import (
    Assessment,
    CrisisRef,
    LegalReport,
    MemberPosition,
    ProcedureReport,
    Receipt,
    RussiaReport,
    Stance,
)
from csto.law import (
    Citation,
    CrisisBatch,
    LegalResult,
    Regime,
    Tracer,
    legal,
)
from csto.law.duties import crisis_duties
from csto.politics import Positions, blockers, decide, positions, voting_members
from csto.politics.questions import QuestionKind
from csto.politics.questions import procedure as council_procedure
from csto.politics.russia import ACTS, RussiaCourse, course
from csto.world import World

ENGINE_VERSION = f"csto {__version__} (rules {RULES_VERSION})"


@dataclass(frozen=True)
class Evaluation:
    outcome: np.ndarray  # (n,) int8
    cap: np.ndarray  # (n,) int8: the legal ceiling, capped by what was asked
    law: LegalResult
    positions: Positions
    russia: RussiaCourse | None  # with `russia=True`: what the provider does outside


def evaluate(
    batch: CrisisBatch, regime: Regime, tracer: Tracer | None = None, russia: bool = False
) -> Evaluation:
    if tracer:
        tracer.epoch = batch.epoch
    law = legal(batch, regime, tracer)
    pos = positions(batch, regime, law, tracer, neutral=regime.neutral_politics)
    cap = np.minimum(law.ceiling, batch.asks).astype(np.int8)
    outcome = decide(regime, cap, pos)
    own = course(batch, regime, law, pos, outcome, tracer) if russia or tracer else None
    return Evaluation(outcome=outcome, cap=cap, law=law, positions=pos, russia=own)


def assess(
    world: World,
    crisis: Crisis,
    reforms: Sequence[str] = (),
    file_hash: str | None = None,
) -> Assessment:
    """One crisis, fully explained, under the World's regime with `reforms` applied."""
    org = world.org
    regime = world.regime_for(reforms)
    batch = CrisisBatch.from_crises([crisis], regime)
    tracer = Tracer(regime)
    ev = evaluate(batch, regime, tracer)
    pos = ev.positions
    outcome = int(ev.outcome[0])
    cap = int(ev.cap[0])
    epoch = int(batch.epoch[0])
    voting = voting_members(pos)[0]
    members: dict[str, MemberPosition] = {}
    for m, code in enumerate(regime.members):
        if not pos.present[0, m]:
            continue
        ceiling = int(pos.ceiling[0, m])
        if pos.appellant[0, m]:
            stance = Stance.APPELLANT
        elif pos.abstain[0, m]:
            stance = Stance.ABSTAINS
        elif regime.decision_rule is DecisionRule.MAJORITY:
            stance = Stance.DISSENTS if ceiling < outcome else Stance.SUPPORTS
        elif ceiling < cap:
            stance = Stance.BLOCKS
        else:
            stance = Stance.SUPPORTS
        reasons = [ground(s, code, crisis, org) for s in tracer.member_steps(0, m)]
        members[code] = MemberPosition(
            ceiling=Measure(ceiling), stance=stance, reasons=tuple(reasons)
        )
    blocked = {
        Measure(level).label: tuple(regime.members[i] for i in idx)
        for level, idx in blockers(outcome, cap, pos.ceiling[0], voting).items()
        if len(idx)
    }
    rule, rule_citations = council_procedure(QuestionKind.CRISIS_APPEAL, regime, epoch)
    law_steps = tuple(tracer.steps(0, "law"))
    decisive = [s for s in law_steps if s.effect in ("allows", "cap", "floor")]
    procedure_citation = rule_citations[0] if rule_citations else regime.cite("CST", "3", epoch)
    russia_steps = tuple(tracer.steps(0, "russia"))
    assert ev.russia is not None
    own_course = RussiaReport(
        acts=ACTS[int(ev.russia.acts[0])],
        reasons=russia_steps,
        citations=_unique(c for s in russia_steps for c in s.citations),
    )
    every_step = [*law_steps, *(s for p in members.values() for s in p.reasons), *russia_steps]
    answer = Assessment(
        crisis=CrisisRef.of(crisis),
        outcome=Measure(outcome),
        asked=crisis.appeal.ask if crisis.appeal else None,
        legal=LegalReport(
            ceiling=Measure(int(ev.law.ceiling[0])),
            floor=Measure(int(ev.law.floor[0])),
            citations=_unique(c for s in decisive for c in s.citations),
            steps=law_steps,
        ),
        positions=members,
        blocked_by=blocked,
        procedure=ProcedureReport(rule=rule, citation=procedure_citation),
        russia=own_course,
        citations=_unique(
            [c for s in every_step for c in s.citations]
            + ([procedure_citation] if procedure_citation else [])
        ),
        receipt=Receipt(
            engine_version=ENGINE_VERSION,
            data_hash=org.data_hash,
            crisis_hash=crisis_hash(crisis),
            file_hash=file_hash,
            reforms=regime.reforms,
        ),
        duties=crisis_duties(regime, epoch, Measure(outcome), law_steps),
    )
    appellant = crisis.appeal.by if crisis.appeal else None
    return answer.model_copy(update={"explanation": explain(answer, org, appellant)})


def _unique(citations: Iterable[Citation]) -> tuple[Citation, ...]:
    seen: dict[tuple[str, str, str], Citation] = {}
    for c in citations:
        seen.setdefault((c.instrument, c.article, c.label), c)
    return tuple(seen.values())
