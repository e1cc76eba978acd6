"""Decide a question of the Council: the law, each member's yes or no, the procedure, the duties.

    decide(world, question, reforms=(), file_hash=None, source=None)   a Decision
                                                          (engine/decision.py)

The same regime, relations, traits and consensus procedure as a crisis (engine/assess.py); the
engine reads the question's facts, never its record.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from datetime import date

import numpy as np

from csto.domain.errors import Problem, QuestionFileError
from csto.domain.models import DecisionRule
from csto.domain.question import Body, Question, question_hash
from csto.engine.assess import ENGINE_VERSION
from csto.engine.decision import (
    Decision,
    DecisionReceipt,
    MemberStance,
    QuestionLegal,
    QuestionProcedureReport,
    QuestionRef,
)
from csto.law import Citation, Regime
from csto.law.conditions import conditions, day_before
from csto.law.duties import question_duties
from csto.politics.council import blockers, voting_members
from csto.politics.objections import lead_days
from csto.politics.questions import decide_question, question_procedure
from csto.politics.stances import question_stances
from csto.world import World


def _epoch(regime: Regime, on: date) -> int:
    return int(regime.epoch_of(np.array([on.toordinal()]))[0])


def decide(
    world: World,
    question: Question,
    reforms: Sequence[str] = (),
    file_hash: str | None = None,
    source: str | None = None,
) -> Decision:
    """`source` names the file (or upload) in an error; by default the question's id."""
    org = world.org
    regime = world.regime_for(reforms)
    if question.date <= org.earliest:
        raise QuestionFileError(
            source or question.id,
            [
                Problem(
                    "date",
                    question.date.isoformat(),
                    f"allowed: a date after {org.earliest.isoformat()}, when the treaty was signed "
                    "(a question is decided on the organization as it stood the day before)",
                )
            ],
        )
    epoch = _epoch(regime, question.date)
    proc = question_procedure(org, regime, question.kind, question.decided_by, question.date, epoch)
    conds = conditions(org, question, proc.citations, proc.governed, lead_days(org))
    answers = question_stances(
        org, regime, question, proc.rule, _epoch(regime, day_before(question))
    )
    pos = answers.positions
    vote = decide_question(proc.rule, pos)
    barred = tuple(c.name for c in conds if c.binding and not c.met)
    adopted = vote == 1 and not barred
    voting = voting_members(pos)[0]
    stopped = (
        blockers(vote, 1, pos.ceiling[0], voting) if proc.rule is not DecisionRule.NONE else {}
    )
    blocked = tuple(regime.members[i] for i in stopped.get(1, ()))
    council = question.decided_by is Body.COLLECTIVE_SECURITY_COUNCIL
    duties = question_duties(
        regime, epoch, question.kind.value, adopted, council and proc.rule is not DecisionRule.NONE
    )
    return Decision(
        question=QuestionRef.of(question),
        outcome="adopted" if adopted else "rejected",
        kind=question.kind,
        procedure=QuestionProcedureReport(
            rule=proc.rule,
            body=proc.body,
            body_name=proc.body_name,
            citations=proc.citations,
            basis=proc.basis,
            note=proc.doc,
        ),
        legal=QuestionLegal(
            conditions=tuple(conds),
            citations=_unique(c for cond in conds for c in cond.citations),
        ),
        positions={
            code: MemberStance(stance=stance, reasons=answers.reasons[code])
            for code, stance in answers.stances.items()
        },
        blocked_by=blocked,
        barred_by=barred,
        duties=duties,
        receipt=DecisionReceipt(
            engine_version=ENGINE_VERSION,
            data_hash=org.data_hash,
            question_hash=question_hash(question),
            file_hash=file_hash,
            reforms=regime.reforms,
        ),
    )


def _unique(citations: Iterable[Citation]) -> tuple[Citation, ...]:
    seen: dict[tuple[str, str, str], Citation] = {}
    for c in citations:
        seen.setdefault((c.instrument, c.article, c.label), c)
    return tuple(seen.values())
