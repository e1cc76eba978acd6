"""Replay the historical record: assess every shipped case, decide every shipped question, and
compare with what history did.

    ReplayRow       case id, date, record (with the acceptable set), model outcome, matches
    ReplayReport    the rows, primary-record and acceptable-set accuracy, and a confusion table;
                    `questions` holds the second section
    QuestionRow     question id, date, kind, record, model, match; the members recorded as
                    blocking against those the model names
    QuestionReplay  the rows, primary-record accuracy, and how often the recorded blockers match
    replay(world, ids=None, reforms=(), question_ids=None)   question_ids=() leaves questions out

The engine sees only each case's and question's facts; the record is read here, after the decision,
to score it.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from datetime import date

from pydantic import Field

from csto.domain.contract import Contract
from csto.domain.crisis import LADDER, Measure, MeasureField, RussiaAct
from csto.engine.assess import assess
from csto.engine.decide import decide
from csto.world import World


class ReplayRow(Contract):
    case: str
    date: date
    record: MeasureField | None
    acceptable: tuple[MeasureField, ...]
    model: MeasureField
    primary: bool | None = Field(description="the model gives the recorded outcome itself")
    match: bool | None = Field(
        description="the model gives the record or an acceptable alternative"
    )
    blocked_by: dict[str, tuple[str, ...]]
    russia_record: RussiaAct | None = Field(description="what Russia did outside the organization")
    russia_model: RussiaAct


class Accuracy(Contract):
    scored: int = Field(description="cases with a record")
    primary: int
    acceptable: int
    primary_rate: float | None
    acceptable_rate: float | None
    russia_scored: int = Field(default=0, description="cases whose record says what Russia did")
    russia_matched: int = 0
    russia_rate: float | None = None


class QuestionRow(Contract):
    question: str
    date: date
    kind: str
    record: str | None = Field(description="adopted or rejected; null where no record")
    model: str
    match: bool | None = Field(description="the model gives the recorded outcome")
    blocked_by: tuple[str, ...] = Field(description="the members the model names as blocking")
    recorded_blocked_by: tuple[str, ...] = Field(description="the members the record names")
    blockers_match: bool | None = Field(
        description="the model names exactly the recorded blockers; null where none is recorded"
    )


class QuestionAccuracy(Contract):
    scored: int = Field(description="questions with a record")
    primary: int
    primary_rate: float | None
    blockers_scored: int = Field(description="questions whose record names the blockers")
    blockers_matched: int


class QuestionReplay(Contract):
    questions: tuple[QuestionRow, ...]
    matched: int
    total: int
    accuracy: QuestionAccuracy


class ReplayReport(Contract):
    cases: tuple[ReplayRow, ...]
    matched: int
    total: int
    accuracy: Accuracy
    confusion: dict[str, dict[str, int]] = Field(
        description="recorded outcome -> model outcome -> number of cases"
    )
    reforms: tuple[str, ...] = ()
    questions: QuestionReplay | None = Field(
        default=None, description="the Council's other questions, replayed the same way"
    )


def replay(
    world: World,
    ids: Iterable[str] | None = None,
    reforms: Sequence[str] = (),
    question_ids: Iterable[str] | None = None,
) -> ReplayReport:
    rows = []
    for case_id in ids if ids is not None else world.cases.ids():
        crisis = world.cases.get(case_id)
        result = assess(world, crisis, reforms)
        record = crisis.record
        rows.append(
            ReplayRow(
                case=crisis.id,
                date=crisis.date,
                record=record.outcome if record else None,
                acceptable=record.acceptable if record else (),
                model=result.outcome,
                primary=None if record is None else result.outcome == record.outcome,
                match=None if record is None else result.outcome in record.accepted,
                blocked_by=result.blocked_by,
                russia_record=record.russia if record else None,
                russia_model=result.russia.acts,
            )
        )
    found = report(rows, tuple(reforms))
    wanted = list(world.questions.ids() if question_ids is None else question_ids)
    if not wanted:
        return found
    return found.model_copy(update={"questions": replay_questions(world, wanted, reforms)})


def replay_questions(
    world: World, ids: Iterable[str], reforms: Sequence[str] = ()
) -> QuestionReplay:
    rows = []
    for question_id in ids:
        question = world.questions.get(question_id)
        result = decide(world, question, reforms)
        record = question.record
        recorded = record.blocked_by if record else ()
        rows.append(
            QuestionRow(
                question=question.id,
                date=question.date,
                kind=question.kind.value,
                record=record.outcome if record else None,
                model=result.outcome,
                match=None if record is None else result.outcome == record.outcome,
                blocked_by=result.blocked_by,
                recorded_blocked_by=recorded,
                blockers_match=set(result.blocked_by) == set(recorded) if recorded else None,
            )
        )
    scored = [r for r in rows if r.record is not None]
    primary = sum(bool(r.match) for r in scored)
    with_blockers = [r for r in rows if r.blockers_match is not None]
    return QuestionReplay(
        questions=tuple(rows),
        matched=sum(r.match is not False for r in rows),
        total=len(rows),
        accuracy=QuestionAccuracy(
            scored=len(scored),
            primary=primary,
            primary_rate=primary / len(scored) if scored else None,
            blockers_scored=len(with_blockers),
            blockers_matched=sum(bool(r.blockers_match) for r in with_blockers),
        ),
    )


def report(rows: Sequence[ReplayRow], reforms: tuple[str, ...] = ()) -> ReplayReport:
    scored = [r for r in rows if r.record is not None]
    primary = sum(bool(r.primary) for r in scored)
    acceptable = sum(bool(r.match) for r in scored)
    russia = [r for r in rows if r.russia_record is not None]
    russia_matched = sum(r.russia_record == r.russia_model for r in russia)
    confusion: dict[str, dict[str, int]] = {}
    for r in scored:
        assert r.record is not None
        line = confusion.setdefault(r.record.label, dict.fromkeys(LADDER, 0))
        line[Measure(r.model).label] += 1
    return ReplayReport(
        cases=tuple(rows),
        matched=sum(r.match is not False for r in rows),
        total=len(rows),
        accuracy=Accuracy(
            scored=len(scored),
            primary=primary,
            acceptable=acceptable,
            primary_rate=primary / len(scored) if scored else None,
            acceptable_rate=acceptable / len(scored) if scored else None,
            russia_scored=len(russia),
            russia_matched=russia_matched,
            russia_rate=russia_matched / len(russia) if russia else None,
        ),
        confusion=confusion,
        reforms=reforms,
    )
