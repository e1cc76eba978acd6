"""Council motions on questions other than the crisis appeal (admission, suspension, status,
stationing, the Secretary General), through the engine's own model of them (csto.engine.decide).

    question_of(state, cmd, at)     the motion as a question file would put it (csto.domain.question),
                                    dated the day it is put
    engine_decision(world, facts)   the engine's Decision on it: the procedure, the legal
                                    conditions, each member's modelled yes or no with reasons
    modelled_answer(decision, seat) support / object / abstain, and the reasons
    decide_votes(decision, votes, regime)   the outcome of the votes cast, by the one consensus
                                    procedure (csto.politics.questions.decide_question), barred
                                    where a binding legal condition is not met, as the engine bars it
"""

from __future__ import annotations

from datetime import datetime
from typing import Any, Literal

import numpy as np

from csto.domain.errors import DataError, QuestionFileError
from csto.domain.question import Question, parse_question
from csto.engine.decide import decide
from csto.engine.decision import Decision
from csto.exercise.commands import OpenMotion
from csto.exercise.state import ExerciseState, Vote
from csto.law import Regime
from csto.politics import Positions, blockers, voting_members
from csto.politics.questions import decide_question
from csto.politics.stances import Stance
from csto.world import World

Answer = Literal["support", "object", "abstain"]
ANSWERS: dict[Stance, Answer] = {
    Stance.SUPPORTS: "support",
    Stance.OBJECTS: "object",
    Stance.ABSTAINS: "abstain",
}


def question_of(
    state: ExerciseState, cmd: OpenMotion, motion_id: str, at: datetime
) -> dict[str, Any]:
    assert cmd.question is not None
    raw = {
        "format": 1,
        "id": f"motion-{motion_id.lower()}",
        "title": cmd.text[:300] or cmd.question.value.replace("_", " "),
        "kind": cmd.question.value,
        "date": at.date().isoformat(),
        "state": cmd.subject,
        "host": cmd.host,
        "nominee": cmd.nominee,
    }
    raw = {k: v for k, v in raw.items() if v is not None}
    try:
        return parse_question(raw, "request").facts()
    except QuestionFileError as exc:  # name the command's fields, not a file's
        names = {"state": "subject"}
        raise DataError(
            "request",
            [p.__class__(names.get(p.path, p.path), p.value, p.allowed) for p in exc.problems],
        ) from None


def engine_decision(world: World, facts: dict[str, Any]) -> Decision:
    return decide(world, Question.model_validate(facts), source="request")


def modelled_answer(
    decision: Decision, seat: str, abstention_allowed: bool
) -> tuple[Answer, list[str]]:
    found = decision.positions.get(seat)
    if found is None:
        return ("abstain" if abstention_allowed else "object"), [
            "not a voting member in the engine's view"
        ]
    answer = ANSWERS.get(found.stance, "abstain")
    if answer == "abstain" and not abstention_allowed:
        answer = "object"
    return answer, [r.reason for r in found.reasons]


def decide_votes(
    decision: Decision, votes: dict[str, Vote], regime: Regime
) -> tuple[Literal["adopted", "rejected"], tuple[str, ...]]:
    n = len(regime.members)
    present = np.zeros((1, n), dtype=bool)
    abstain = np.zeros((1, n), dtype=bool)
    ceiling = np.zeros((1, n), dtype=np.int8)
    for code, vote in votes.items():
        if code in regime.members:
            m = regime.members.index(code)
            present[0, m], abstain[0, m] = True, vote.vote == "abstain"
            ceiling[0, m] = 1 if vote.vote == "support" else 0
    pos = Positions(
        ceiling=ceiling, abstain=abstain, present=present, appellant=np.zeros_like(present)
    )
    outcome = decide_question(decision.procedure.rule, pos)
    below = blockers(outcome, 1, pos.ceiling[0], voting_members(pos)[0]).get(
        1, np.array([], dtype=int)
    )
    adopted = outcome == 1 and not decision.barred_by
    return ("adopted" if adopted else "rejected"), tuple(regime.members[i] for i in below)
