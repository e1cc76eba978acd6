"""The kinds of question the Collective Security Council decides, and the procedure each follows.

The crisis appeal is the first question the engine answers in full; the others share the same
procedures (csto.politics.council) and differ in who may stand aside and which provision governs:

    Question            kind, the provision that governs it, whether abstention may count
    QUESTIONS           the registry
    procedure(q, regime, epoch)   the procedure and its citation on a date

Yes/no questions use the two-step ladder none < yes (0 < 1) with the same consensus function.
"""

from __future__ import annotations

from dataclasses import dataclass
from enum import StrEnum

from csto.domain.models import DecisionRule
from csto.law.regime import Citation, Regime


class QuestionKind(StrEnum):
    CRISIS_APPEAL = "crisis_appeal"
    ADMISSION = "admission"
    RETURN = "return"
    SUSPENSION = "suspension"
    OBSERVER_OR_PARTNER = "observer_or_partner"
    FOREIGN_STATIONING = "foreign_stationing"


@dataclass(frozen=True)
class Question:
    kind: QuestionKind
    governed_by: tuple[tuple[str, str], ...]
    abstention_counts: bool  # may a member stand aside without blocking?
    doc: str


QUESTIONS: dict[QuestionKind, Question] = {
    q.kind: q
    for q in (
        Question(
            QuestionKind.CRISIS_APPEAL,
            (("CHARTER", "12"), ("CST", "4")),
            True,
            "A member's appeal for collective measures: the strongest measure all members accept.",
        ),
        Question(
            QuestionKind.ADMISSION,
            (("CHARTER", "19"), ("CHARTER", "12")),
            True,
            "Admission of a state sharing the purposes and principles.",
        ),
        Question(
            QuestionKind.RETURN,
            (("CHARTER", "19"), ("CHARTER", "12")),
            True,
            "Return of a state whose participation ended or was suspended.",
        ),
        Question(
            QuestionKind.SUSPENSION,
            (("CHARTER", "21"), ("CHARTER", "12")),
            True,
            "Suspension of a member's participation for non-compliance; the member concerned does not vote.",
        ),
        Question(
            QuestionKind.OBSERVER_OR_PARTNER,
            (("CHARTER", "20"), ("CHARTER", "12")),
            True,
            "Observer status, and from 2021 partner status.",
        ),
        Question(
            QuestionKind.FOREIGN_STATIONING,
            (("STATIONING", "*"), ("CHARTER", "7")),
            False,
            "Stationing of a non-member's forces or infrastructure on a member's territory: no member may object.",
        ),
    )
}


def procedure(
    kind: QuestionKind, regime: Regime, epoch: int
) -> tuple[DecisionRule, list[Citation]]:
    """Consensus, consensus with abstention, or (under a reform) majority, with citations."""
    question = QUESTIONS[kind]
    citations = [
        c for c in (regime.cite(i, a, epoch) for i, a in question.governed_by) if c is not None
    ]
    if (
        regime.decision_rule is DecisionRule.MAJORITY
        and kind is not QuestionKind.FOREIGN_STATIONING
    ):
        return DecisionRule.MAJORITY, citations
    abstention = bool(regime.abstention[epoch])
    if question.abstention_counts and abstention:
        return DecisionRule.CONSENSUS_WITH_ABSTENTION, citations
    return DecisionRule.CONSENSUS, citations
