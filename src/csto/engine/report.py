"""The assessment as a typed answer: the one contract of `csto assess --json`, the store and the API.

CrisisRef       which crisis: id, title, date
LegalReport     the legal ceiling and floor, the decisive citations, every legal step
MemberPosition  one member: the highest measure it accepts, its stance, its reasons
ProcedureReport the Council's rule and the provision behind it
Receipt         what makes the answer reproducible: versions and hashes (the trace is not repeated)
Assessment      the whole answer; `duties` are the obligations the decision sets off (law/duties.py)
"""

from __future__ import annotations

from datetime import date
from enum import StrEnum

from pydantic import Field

from csto.domain.contract import Contract
from csto.domain.crisis import Crisis, MeasureField, RussiaAct
from csto.domain.models import DecisionRule
from csto.law import Citation, Step
from csto.law.duties import Duty


class Stance(StrEnum):
    APPELLANT = "appellant"
    SUPPORTS = "supports"
    BLOCKS = "blocks"  # under consensus: its ceiling holds the outcome below the cap
    DISSENTS = "dissents"  # under a majority vote: outvoted, below the outcome
    ABSTAINS = "abstains"


class CrisisRef(Contract):
    id: str
    title: str
    date: date

    @classmethod
    def of(cls, crisis: Crisis) -> CrisisRef:
        return cls(id=crisis.id, title=crisis.title, date=crisis.date)


class LegalReport(Contract):
    ceiling: MeasureField = Field(description="the highest measure the provisions in force allow")
    floor: MeasureField = Field(description="what is owed in any case (CST Art. 2)")
    citations: tuple[Citation, ...] = Field(description="the provisions that set the ceiling")
    steps: tuple[Step, ...]


class MemberPosition(Contract):
    ceiling: MeasureField = Field(description="the highest measure this member accepts")
    stance: Stance
    reasons: tuple[Step, ...]


class ProcedureReport(Contract):
    rule: DecisionRule
    citation: Citation | None


class RussiaReport(Contract):
    """What the power-projection provider does outside the organization, and why."""

    acts: RussiaAct = Field(description="nothing | bilateral | unilateral")
    reasons: tuple[Step, ...]
    citations: tuple[Citation, ...]


class Receipt(Contract):
    engine_version: str
    data_hash: str = Field(description="sha256 of the data files the World was built from")
    crisis_hash: str = Field(description="sha256 of the crisis facts (the record excluded)")
    file_hash: str | None = Field(description="sha256 of the crisis file's bytes, if from a file")
    reforms: tuple[str, ...]


class Line(Contract):
    text: str
    cites: tuple[str, ...] = Field(default=(), description="provisions, with the version in force")
    records: tuple[str, ...] = Field(default=(), description="the dated data it rests on")
    sources: tuple[str, ...] = Field(default=(), description="full citations of their sources")


class MemberGroup(Contract):
    members: tuple[str, ...]
    ceiling: MeasureField
    stance: Stance
    status: str | None = Field(default=None, description="a member status other than plain member")
    lines: tuple[Line, ...]


class Explanation(Contract):
    summary: str
    law: tuple[Line, ...]
    asked: str
    members: tuple[MemberGroup, ...]
    procedure: Line
    blocked: tuple[str, ...]
    russia: Line


class Assessment(Contract):
    crisis: CrisisRef
    outcome: MeasureField = Field(description="the measure the Council agrees on")
    asked: MeasureField | None = Field(description="what the appeal asked for; null: no appeal")
    legal: LegalReport
    positions: dict[str, MemberPosition] = Field(description="by ISO 3166-1 alpha-3 code")
    blocked_by: dict[str, tuple[str, ...]] = Field(
        description="for each measure above the outcome and within what was asked, who stands below it"
    )
    procedure: ProcedureReport
    russia: RussiaReport = Field(description="the second answer: Russia's own course")
    citations: tuple[Citation, ...] = Field(description="every provision cited anywhere above")
    receipt: Receipt
    explanation: Explanation | None = Field(
        default=None, description="the same decision as an argument to quote (engine/explain.py)"
    )
    baseline_outcome: MeasureField | None = Field(
        default=None, description="under reforms: the outcome without them"
    )
    duties: tuple[Duty, ...] = Field(
        default=(), description="the procedural obligations the decision sets off, with their basis"
    )
