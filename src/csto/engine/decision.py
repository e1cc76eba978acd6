"""The decision on a question as a typed answer: the one contract of `csto decide --json`.

QuestionRef       which question: id, title, date, what it asks and of whom
QuestionLegal     the legal conditions and the provisions cited
QuestionProcedureReport   the body, its rule, the provisions behind it
MemberStance      one member's yes or no with its reasons
DecisionReceipt   versions and hashes that make the answer reproducible
Decision          the whole answer: outcome adopted or rejected, who blocked, the duties
"""

from __future__ import annotations

from datetime import date
from typing import Literal

from pydantic import Field

from csto.domain.contract import Contract
from csto.domain.models import DecisionRule
from csto.domain.question import Action, Body, Question, QuestionKind
from csto.law import Citation
from csto.law.conditions import Condition
from csto.law.duties import Duty
from csto.politics.stances import Reason, Stance

Outcome = Literal["adopted", "rejected"]


class QuestionRef(Contract):
    id: str
    title: str
    date: date
    action: Action
    state: str
    host: str | None
    nominee: str | None
    applicant: str | None
    by: str | None

    @classmethod
    def of(cls, q: Question) -> QuestionRef:
        return cls(
            id=q.id,
            title=q.title,
            date=q.date,
            action=q.action,
            state=q.state,
            host=q.host,
            nominee=q.nominee,
            applicant=q.applicant.name if q.applicant else None,
            by=q.by,
        )


class QuestionLegal(Contract):
    conditions: tuple[Condition, ...]
    citations: tuple[Citation, ...] = Field(description="every provision the conditions cite")


class QuestionProcedureReport(Contract):
    rule: DecisionRule = Field(description="none: no decision is taken (see note)")
    body: Body
    body_name: str
    citations: tuple[Citation, ...] = Field(description="the provisions governing the question")
    basis: str = Field(description="the source of the body's rule on the date")
    note: str


class MemberStance(Contract):
    stance: Stance
    reasons: tuple[Reason, ...]


class DecisionReceipt(Contract):
    engine_version: str
    data_hash: str = Field(description="sha256 of the data files the World was built from")
    question_hash: str = Field(description="sha256 of the question's facts (record excluded)")
    file_hash: str | None = Field(description="sha256 of the question file's bytes, if a file")
    reforms: tuple[str, ...]


class Decision(Contract):
    question: QuestionRef
    outcome: Outcome
    kind: QuestionKind
    procedure: QuestionProcedureReport
    legal: QuestionLegal
    positions: dict[str, MemberStance] = Field(description="by ISO 3166-1 alpha-3 code")
    blocked_by: tuple[str, ...] = Field(description="voting members whose objection stops it")
    barred_by: tuple[str, ...] = Field(description="binding legal conditions that are not met")
    duties: tuple[Duty, ...] = Field(description="the obligations the decision sets off")
    receipt: DecisionReceipt
    baseline_outcome: Outcome | None = Field(
        default=None, description="under reforms: the outcome without them"
    )
