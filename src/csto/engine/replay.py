"""Replay the historical record: assess every shipped case and compare with what history did.

    ReplayRow       case id, date, record (with the acceptable set), model outcome, matches
    ReplayReport    the rows, primary-record and acceptable-set accuracy, and a confusion table
    replay(world, ids=None, reforms=())

The engine sees only each case's facts; the record is read here, after the decision, to score it.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from datetime import date

from pydantic import Field

from csto.domain.contract import Contract
from csto.domain.crisis import LADDER, Measure, MeasureField, RussiaAct
from csto.engine.assess import assess
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


class ReplayReport(Contract):
    cases: tuple[ReplayRow, ...]
    matched: int
    total: int
    accuracy: Accuracy
    confusion: dict[str, dict[str, int]] = Field(
        description="recorded outcome -> model outcome -> number of cases"
    )
    reforms: tuple[str, ...] = ()


def replay(
    world: World, ids: Iterable[str] | None = None, reforms: Sequence[str] = ()
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
    return report(rows, tuple(reforms))


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
