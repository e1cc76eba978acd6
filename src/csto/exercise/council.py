"""The Collective Security Council in play: motions, votes, and the outcome by the engine's own
procedure.

    open_motion(turn, cmd)      the chair, the Secretariat or the director puts a measure on the
                                ladder (a crisis appeal) or another question; the procedure and
                                whether abstention is allowed come from csto.politics.questions;
                                seats nobody holds are voted at once by the engine
    cast_vote(turn, id, cmd)    a member answers support / object / abstain, with a statement; a
                                vote on a closed motion is refused (409); the motion closes itself
                                once every member has answered
    close_motion(turn, id)      seats still silent get the engine's modelled position (labelled),
                                then the outcome is decided
    revote_engine_seats(turn, why)  after a change of facts, engine-played seats answer again
    decide(world, crisis, motion)   the outcome: votes become the positions arrays the engine's
                                consensus (or, under a reform, majority) procedure reads, capped by
                                the legal ceiling as in csto.engine.evaluate

How a vote becomes a position: support -> the motion's level, object -> one below it, abstain ->
standing aside. The outcome is the procedure's answer at the motion's level: adopted when it
reaches that level, rejected otherwise; blockers are read with csto.politics.blockers.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Literal

import numpy as np

from csto.domain.crisis import Crisis, Measure
from csto.domain.errors import Conflict, DataError, NotFound, Problem
from csto.domain.models import DecisionRule
from csto.domain.question import QuestionKind
from csto.engine import Assessment, Stance
from csto.exercise.commands import CastVote, OpenMotion
from csto.exercise.events import EventKind
from csto.exercise.questions import decide_votes, engine_decision, modelled_answer, question_of
from csto.exercise.seats import DIRECTOR, SECRETARIAT, SeatKind
from csto.exercise.state import Motion
from csto.exercise.turn import Turn
from csto.politics import Positions, blockers, consensus, majority
from csto.politics.questions import procedure
from csto.politics.stances import Stance as QuestionStance
from csto.world import World

VoteValue = Literal["support", "object", "abstain"]


def _epoch(world: World, crisis: Crisis) -> int:
    return int(world.regime.epoch_of(np.array([crisis.date.toordinal()]))[0])


def _procedure(
    world: World, crisis: Crisis, kind: QuestionKind
) -> tuple[DecisionRule, list[dict[str, object]]]:
    rule, citations = procedure(kind, world.regime, _epoch(world, crisis))
    return rule, [c.model_dump(mode="json") for c in citations]


def open_motion(turn: Turn, cmd: OpenMotion) -> str:
    turn.open()
    state = turn.state
    if turn.seat not in (SECRETARIAT, DIRECTOR) and turn.seat != state.chair:
        turn.require((SeatKind.SECRETARIAT, SeatKind.DIRECTOR), "open a Council motion")
    if (cmd.measure is None) == (cmd.question is None):
        raise DataError(
            "request",
            [
                Problem(
                    "measure",
                    cmd.measure,
                    "allowed: exactly one of 'measure' (a ladder value) or 'question'",
                )
            ],
        )
    if cmd.question is QuestionKind.CRISIS_APPEAL:
        raise DataError(
            "request",
            [
                Problem(
                    "question",
                    cmd.question.value,
                    "allowed: a question other than crisis_appeal; for the appeal give a 'measure'",
                )
            ],
        )
    if cmd.measure is Measure.NONE:
        raise DataError(
            "request", [Problem("measure", "none", "allowed: statement up to deployment")]
        )
    kind = (cmd.question or QuestionKind.CRISIS_APPEAL).value
    measure = cmd.measure.label if cmd.measure is not None else None
    for other in state.motions.values():
        if (
            other.status == "open"
            and other.kind == kind
            and other.measure == measure
            and other.subject == cmd.subject
        ):
            raise Conflict(
                "motion",
                f"motion {other.id} on the same question is open until "
                f"{other.deadline.isoformat()}: close it before putting the question again",
            )
    motion_id = state.peek_id("M")
    question: dict[str, object] | None = None
    if cmd.question is None:
        rule, citations = _procedure(turn.world, turn.crisis(), QuestionKind.CRISIS_APPEAL)
        voters = state.members()
    else:
        question = question_of(state, cmd, motion_id, turn.now)
        decision = engine_decision(turn.world, question)
        rule = decision.procedure.rule
        if rule is DecisionRule.NONE:
            raise Conflict(
                "question", f"the Council takes no decision on it: {decision.procedure.note}"
            )
        citations = [c.model_dump(mode="json") for c in decision.procedure.citations]
        voters = tuple(
            s
            for s in state.members()
            if s in decision.positions
            and decision.positions[s].stance is not QuestionStance.CONCERNED
        )
    hours = cmd.hours or float(state.settings["motion_hours"])
    turn.emit(
        EventKind.MOTION_OPENED,
        {
            "id": motion_id,
            "kind": kind,
            "question": question,
            "measure": measure,
            "subject": cmd.subject,
            "text": cmd.text,
            "opened_by": turn.seat,
            "deadline": turn.now + timedelta(hours=hours),
            "rule": rule.value,
            "abstention_allowed": rule is not DecisionRule.CONSENSUS,
            "voters": voters,
            "citations": citations,
        },
    )
    for seat in voters:
        if not state.taken(seat):
            engine_vote(turn, state.motions[motion_id], seat, "the seat is not taken")
    return motion_id


def _motion(turn: Turn, motion_id: str) -> Motion:
    motion = turn.state.motions.get(motion_id)
    if motion is None:
        raise NotFound("motion", motion_id, tuple(turn.state.motions))
    return motion


def cast_vote(turn: Turn, motion_id: str, cmd: CastVote) -> None:
    turn.open()
    state = turn.own_state(cmd.state, "vote")
    motion = _motion(turn, motion_id)
    if motion.status == "closed":
        raise Conflict(
            "motion",
            f"motion {motion_id} closed at {motion.closed_at:%Y-%m-%d %H:%M} UTC ({motion.outcome}); "
            "a vote can no longer be cast on it",
        )
    if state not in motion.voters:
        raise Conflict("motion", f"{state} does not vote on motion {motion_id}")
    if cmd.vote == "abstain" and not motion.abstention_allowed:
        raise DataError(
            "request",
            [
                Problem(
                    "vote",
                    "abstain",
                    f"allowed here: support, object (the rule is {motion.rule}: no member may stand aside)",
                )
            ],
        )
    turn.emit(
        EventKind.VOTE,
        {"motion": motion_id, "state": state, "vote": cmd.vote, "statement": cmd.statement},
    )
    if all(v in motion.votes for v in motion.voters):  # the engine voted for the seats not taken
        decide_and_close(turn, motion)


def close_motion(turn: Turn, motion_id: str, by_deadline: bool = False) -> None:
    turn.open()
    motion = _motion(turn, motion_id)
    if not by_deadline and turn.seat not in (SECRETARIAT, DIRECTOR, motion.opened_by):
        turn.require((SeatKind.SECRETARIAT, SeatKind.DIRECTOR), "close a motion")
    if motion.status == "closed":
        raise Conflict("motion", f"motion {motion_id} is already closed ({motion.outcome})")
    decide_and_close(turn, motion, at_deadline=by_deadline)


def decide_and_close(turn: Turn, motion: Motion, at_deadline: bool = False) -> None:
    for seat in motion.voters:
        if seat not in motion.votes:
            engine_vote(
                turn,
                motion,
                seat,
                "no vote by the close",
                at=motion.deadline if at_deadline else None,
            )
    if motion.question is not None:
        outcome, blocked = decide_votes(
            engine_decision(turn.world, motion.question), motion.votes, turn.world.regime
        )
        result = Result(outcome=outcome, blocked_by=blocked, legal_ceiling=None)
    else:
        result = decide(turn.world, turn.crisis(), motion, turn.assessment())
    turn.emit(
        EventKind.MOTION_CLOSED,
        {
            "motion": motion.id,
            "measure": motion.measure,
            "outcome": result.outcome,
            "decided": motion.measure if result.outcome == "adopted" else None,
            "blocked_by": result.blocked_by,
            "citations": motion.citations,
            "legal_ceiling": result.legal_ceiling,
        },
        at=motion.deadline if at_deadline else None,
    )


def engine_vote(
    turn: Turn, motion: Motion, seat: str, why: str, at: datetime | None = None
) -> None:
    vote, reasons = modelled_vote(turn, motion, seat)
    turn.emit(
        EventKind.VOTE,
        {
            "motion": motion.id,
            "state": seat,
            "vote": vote,
            "statement": f"[engine, {why}] " + "; ".join(reasons),
        },
        engine=True,
        at=at,
    )


def revote_engine_seats(turn: Turn, why: str) -> None:
    """After the facts changed: seats nobody holds answer open motions again as the engine now
    models them, where their answer changes."""
    for motion in turn.state.motions.values():
        if motion.status != "open":
            continue
        for seat, vote in list(motion.votes.items()):
            held = turn.state.taken(seat)
            if vote.engine and not held and modelled_vote(turn, motion, seat)[0] != vote.vote:
                engine_vote(turn, motion, seat, why)


def modelled_vote(turn: Turn, motion: Motion, seat: str) -> tuple[VoteValue, list[str]]:
    """What the engine's model says this member answers, with its reasons."""
    if motion.question is not None:
        decision = engine_decision(turn.world, motion.question)
        return modelled_answer(decision, seat, motion.abstention_allowed)
    position = turn.assessment().positions.get(seat)
    if position is None:
        return "abstain" if motion.abstention_allowed else "object", [
            "not a member in the engine's view"
        ]
    reasons = [s.reason for s in position.reasons]
    if position.stance is Stance.ABSTAINS and motion.abstention_allowed:
        return "abstain", reasons
    assert motion.measure is not None
    level = Measure.parse(motion.measure)
    if position.ceiling >= level:
        return "support", reasons
    return "object", [f"it accepts at most {position.ceiling.label}", *reasons]


@dataclass(frozen=True)
class Result:
    outcome: Literal["adopted", "rejected"]
    blocked_by: tuple[str, ...]
    legal_ceiling: str | None


def decide(world: World, crisis: Crisis, motion: Motion, assessment: Assessment) -> Result:
    """A measure motion's outcome by the engine's procedure over the votes cast."""
    assert motion.measure is not None
    regime = world.regime
    level = int(Measure.parse(motion.measure))
    cap = min(level, int(assessment.legal.ceiling))
    n = len(regime.members)
    present = np.zeros((1, n), dtype=bool)
    abstain = np.zeros((1, n), dtype=bool)
    ceiling = np.zeros((1, n), dtype=np.int8)
    for code, vote in motion.votes.items():
        if code not in regime.members:
            continue
        m = regime.members.index(code)
        present[0, m] = True
        abstain[0, m] = vote.vote == "abstain"
        ceiling[0, m] = level if vote.vote == "support" else level - 1
    pos = Positions(
        ceiling=ceiling, abstain=abstain, present=present, appellant=np.zeros_like(present)
    )
    voting = np.asarray(pos.present & ~pos.abstain)
    caps = np.array([cap], dtype=np.int8)
    if DecisionRule(motion.rule) is DecisionRule.MAJORITY:
        outcome = int(majority(caps, pos.ceiling, voting)[0])
    else:
        outcome = int(consensus(caps, pos.ceiling, voting)[0])
    below = blockers(outcome, level, pos.ceiling[0], voting[0]).get(level, np.array([], dtype=int))
    return Result(
        outcome="adopted" if outcome >= level else "rejected",
        blocked_by=tuple(regime.members[i] for i in below),
        legal_ceiling=assessment.legal.ceiling.label,
    )
