"""Question files, format 1: the public contract for putting one of the Council's other questions.

    QuestionKind          every kind of question the Council decides; a file gives one of FILE_KINDS
                          (the crisis appeal has its own format, domain/crisis.py)
    Action                grant (the default) or withdraw a status or a post
    Body                  the body a question goes to (default: the one the charter gives it)
    Applicant             an applicant that is not itself a state (a parliament, an organization)
    QuestionRecord        what history did; never read by the engine
    Question              the whole file
    parse_question(raw, file), load_question(path)   validate (QuestionFileError on anything wrong)
    question_hash(q)      content hash of the facts (the record and the coding excluded)

The checks across keys (a host only for stationing, a nominee only for the Secretary General, the
bodies a kind may go to) name the key, the value and what is allowed, like every other error.
Keys added to the issue's first draft, all optional: `action`, `by`, `applicant` and `coding`,
`record.blocked_by`, `record.delayed_days`.
"""

from __future__ import annotations

import hashlib
import json
from datetime import date
from enum import StrEnum
from pathlib import Path
from typing import Annotated, Any, Literal

from pydantic import AfterValidator, BeforeValidator, Field, WithJsonSchema

from csto.domain.errors import Problem, QuestionFileError
from csto.domain.loader import validate
from csto.domain.models import ISO3, Frozen, Source
from csto.domain.yamlfiles import describe, load_yaml

HORIZON = (date(1900, 1, 1), date(2100, 12, 31))


class QuestionKind(StrEnum):
    """The questions the Council decides. The crisis appeal comes first: it is the question the
    engine answers in full (engine/assess.py); a question file gives one of the others."""

    CRISIS_APPEAL = "crisis_appeal"
    ADMISSION = "admission"
    RETURN = "return"
    SUSPENSION = "suspension"
    OBSERVER = "observer"
    PARTNER = "partner"
    STATIONING = "stationing"
    SECRETARY_GENERAL = "secretary_general"


FILE_KINDS = tuple(k for k in QuestionKind if k is not QuestionKind.CRISIS_APPEAL)
STATUS_KINDS = (QuestionKind.OBSERVER, QuestionKind.PARTNER)


def _file_kind(value: object) -> object:
    if isinstance(value, str) and value in {k.value for k in FILE_KINDS}:
        return value
    raise ValueError(f"allowed: one of {', '.join(k.value for k in FILE_KINDS)}")


FileKind = Annotated[
    QuestionKind,
    BeforeValidator(_file_kind),
    WithJsonSchema({"type": "string", "enum": [k.value for k in FILE_KINDS]}),
]


class Action(StrEnum):
    GRANT = "grant"  # admit, grant the status, appoint, allow the stationing
    WITHDRAW = "withdraw"  # take a status away, release the Secretary General


class Body(StrEnum):
    """The bodies that decide questions, with the id each has in data/bodies.yaml."""

    COLLECTIVE_SECURITY_COUNCIL = "collective_security_council"
    PARLIAMENTARY_ASSEMBLY = "parliamentary_assembly"

    @property
    def data_id(self) -> str:
        return _BODY_IDS[self]


_BODY_IDS = {Body.COLLECTIVE_SECURITY_COUNCIL: "CSC", Body.PARLIAMENTARY_ASSEMBLY: "PA"}

# The bodies each kind may go to; the first is the default. The Parliamentary Assembly grants
# observer status to parliaments (and, from 2021, partner status) under its own rules.
BODIES: dict[QuestionKind, tuple[Body, ...]] = {
    kind: (Body.COLLECTIVE_SECURITY_COUNCIL, Body.PARLIAMENTARY_ASSEMBLY)
    if kind in STATUS_KINDS
    else (Body.COLLECTIVE_SECURITY_COUNCIL,)
    for kind in FILE_KINDS
}
WITHDRAWABLE = (QuestionKind.OBSERVER, QuestionKind.PARTNER, QuestionKind.SECRETARY_GENERAL)


def _in_horizon(value: date) -> date:
    low, high = HORIZON
    if not low <= value <= high:
        raise ValueError(f"allowed: a date from {low.isoformat()} to {high.isoformat()}")
    return value


class Applicant(Frozen):
    """An applicant that is not a state: a parliament or an organization, and the states behind it."""

    name: str = Field(min_length=1, max_length=300)
    states: tuple[ISO3, ...] = Field(
        min_length=1,
        max_length=60,
        description="the states behind it; relations are read with each",
    )


class QuestionRecord(Frozen):
    outcome: Literal["adopted", "rejected"]
    blocked_by: tuple[ISO3, ...] = Field(default=(), description="the members recorded as blocking")
    delayed_days: int | None = Field(
        default=None, ge=0, le=36_500, description="days from when the question was first put"
    )
    sources: tuple[Source, ...] = ()
    note: str | None = Field(default=None, max_length=4000)


class Question(Frozen):
    format: Literal[1]
    id: str = Field(pattern=r"^[a-z0-9]+(-[a-z0-9]+)*$", max_length=120)
    title: str = Field(min_length=1, max_length=300)
    kind: FileKind
    date: Annotated[date, AfterValidator(_in_horizon)]
    state: ISO3 = Field(
        description="the applicant, the member to suspend, the state whose forces would be "
        "stationed, or the nominee's state"
    )
    host: ISO3 | None = Field(default=None, description="stationing only: the member hosting")
    nominee: str | None = Field(default=None, min_length=1, max_length=200)
    body: Body | None = Field(default=None, description="default: the body the charter gives it")
    action: Action = Action.GRANT
    by: ISO3 | None = Field(default=None, description="the member that puts the question")
    applicant: Applicant | None = None
    coding: str | None = Field(default=None, max_length=4000)
    record: QuestionRecord | None = None

    @property
    def decided_by(self) -> Body:
        return self.body or BODIES[self.kind][0]

    @property
    def subjects(self) -> tuple[str, ...]:
        """The states whose relations the members weigh: the state, or those behind the applicant."""
        return self.applicant.states if self.applicant else (self.state,)

    @property
    def favourable(self) -> bool:
        """Does the question give the state something (admission, a status, a post, a base)?"""
        return self.action is Action.GRANT and self.kind is not QuestionKind.SUSPENSION

    def facts(self) -> dict[str, Any]:
        """The question without its record and coding: everything the engine may read."""
        return self.model_dump(mode="json", exclude={"record", "coding"})


def question_hash(question: Question) -> str:
    canonical = json.dumps(question.facts(), sort_keys=True, separators=(",", ":"))
    return hashlib.sha256(canonical.encode()).hexdigest()


def _checks(q: Question) -> list[Problem]:
    """The rules across keys, each naming the key, the value and what is allowed."""
    out: list[Problem] = []
    kind = q.kind.value
    if q.kind is QuestionKind.STATIONING:
        if q.host is None:
            out.append(Problem("host", None, "this key is required for kind stationing"))
        elif q.host == q.state:
            out.append(Problem("host", q.host, "allowed: a member other than state"))
    elif q.host is not None:
        out.append(Problem("host", q.host, f"allowed only with kind stationing (kind is {kind})"))
    if q.nominee is not None and q.kind is not QuestionKind.SECRETARY_GENERAL:
        out.append(
            Problem("nominee", q.nominee, f"allowed only with kind secretary_general ({kind})")
        )
    if q.body is not None and q.body not in BODIES[q.kind]:
        allowed = ", ".join(b.value for b in BODIES[q.kind])
        out.append(Problem("body", q.body.value, f"allowed for kind {kind}: {allowed}"))
    if q.action is Action.WITHDRAW and q.kind not in WITHDRAWABLE:
        allowed = ", ".join(k.value for k in WITHDRAWABLE)
        out.append(Problem("action", q.action.value, f"withdraw is allowed only for {allowed}"))
    if q.applicant is not None:
        if q.kind not in STATUS_KINDS:
            out.append(
                Problem("applicant", q.applicant.name, "allowed only with kind observer or partner")
            )
        elif q.state not in q.applicant.states:
            out.append(
                Problem(
                    "applicant.states",
                    list(q.applicant.states),
                    f"allowed: a list that includes state ({q.state})",
                )
            )
    if q.record is not None and q.record.blocked_by and q.record.outcome != "rejected":
        out.append(
            Problem(
                "record.blocked_by",
                list(q.record.blocked_by),
                "allowed only with outcome rejected (an adopted question was blocked by nobody)",
            )
        )
    return out


def parse_question(raw: Any, file: Path | str) -> Question:
    if not isinstance(raw, dict):
        allowed = "allowed: a mapping with format, id, title, kind, date, state"
        raise QuestionFileError(file, [Problem("", _Shown(describe(raw)), allowed)])
    question = validate(Question, raw, file, error=QuestionFileError)
    problems = _checks(question)
    if problems:
        raise QuestionFileError(file, problems)
    return question


class _Shown(str):
    def __repr__(self) -> str:
        return str(self)


def load_question(path: Path) -> Question:
    return parse_question(load_yaml(path, error=QuestionFileError), path)


__all__ = [
    "BODIES",
    "FILE_KINDS",
    "Action",
    "Applicant",
    "Body",
    "Question",
    "QuestionKind",
    "QuestionRecord",
    "load_question",
    "parse_question",
    "question_hash",
]
