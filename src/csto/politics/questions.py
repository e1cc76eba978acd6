"""The kinds of question the Council decides, the provision that governs each, and its procedure.

The crisis appeal is the question the engine answers in full; the others (admission, return,
suspension, observer and partner status, stationing of a non-member's forces, the Secretary
General) share its procedures (csto.politics.council) and its political factors, and differ in
the provision that governs them and in whether a member may stand aside:

    QuestionRule          kind, the provisions that govern it (alternatives, latest law first),
                          whether abstention may count
    QUESTIONS             the registry
    procedure(kind, regime, epoch)   the crisis appeal's procedure and citations on a date
    Governing, governing(kind, regime, epoch)   the alternative that applies on a date, with its
                          citations (the signed text, flagged, where nothing is in force yet)
    question_procedure(org, regime, kind, body, on)   the procedure of a question file: the rule,
                          the body, the citations, and where no decision is taken (accession by
                          signature before the charter; stationing after consultation only)
    decide_question(rule, positions)  yes (1) or no (0) through the one consensus procedure

Yes/no questions use the two-step ladder none < yes (0 < 1) with the same consensus function.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

import numpy as np

from csto.domain.models import DecisionRule
from csto.domain.organization import Organization
from csto.domain.question import Body, QuestionKind
from csto.law.regime import Citation, Regime
from csto.politics.council import consensus, majority, voting_members
from csto.politics.positions import Positions

Provision = tuple[str, str]


@dataclass(frozen=True)
class Governing:
    provisions: tuple[Provision, ...]  # the first names the question's own article
    council_decides: bool  # False: the step needs no decision of the Council
    doc: str = ""


@dataclass(frozen=True)
class QuestionRule:
    kind: QuestionKind
    alternatives: tuple[Governing, ...]  # the first whose own article applies on the date
    abstention_counts: bool  # may a member stand aside without blocking?
    doc: str

    @property
    def governed_by(self) -> tuple[Provision, ...]:
        return self.alternatives[0].provisions


_MEMBERSHIP = (
    Governing((("CHARTER", "19"), ("CHARTER", "12")), True),
    Governing(
        (("CST", "10"),),
        False,
        "before the charter, a state joined the treaty by signing it: no decision of the parties",
    ),
)
_STATUS = (Governing((("CHARTER", "20"), ("CHARTER", "12")), True),)

QUESTIONS: dict[QuestionKind, QuestionRule] = {
    q.kind: q
    for q in (
        QuestionRule(
            QuestionKind.CRISIS_APPEAL,
            (Governing((("CHARTER", "12"), ("CST", "4")), True),),
            True,
            "A member's appeal for collective measures: the strongest measure all members accept.",
        ),
        QuestionRule(
            QuestionKind.ADMISSION,
            _MEMBERSHIP,
            True,
            "Admission of a state sharing the purposes and principles.",
        ),
        QuestionRule(
            QuestionKind.RETURN,
            _MEMBERSHIP,
            True,
            "Return of a state whose participation ended or was suspended.",
        ),
        QuestionRule(
            QuestionKind.SUSPENSION,
            (Governing((("CHARTER", "21"), ("CHARTER", "12")), True),),
            True,
            "Suspension of a member's participation for non-compliance; the member concerned does not vote.",
        ),
        QuestionRule(QuestionKind.OBSERVER, _STATUS, True, "Observer status."),
        QuestionRule(QuestionKind.PARTNER, _STATUS, True, "Partner status, from 2021."),
        QuestionRule(
            QuestionKind.STATIONING,
            (
                Governing((("STATIONING", "*"), ("CHARTER", "7")), True),
                Governing(
                    (("CHARTER", "7"),),
                    False,
                    "before the 2011 protocol the host decided after consulting the members: "
                    "no member could object",
                ),
            ),
            False,
            "Stationing of a non-member's forces or infrastructure on a member's territory: no member may object.",
        ),
        QuestionRule(
            QuestionKind.SECRETARY_GENERAL,
            (Governing((("CHARTER", "17"), ("CHARTER", "12")), True),),
            True,
            "Appointment of the Secretary General, by consensus, in rotation from 2017.",
        ),
    )
}


def _cite(regime: Regime, keys: tuple[Provision, ...], epoch: int, signed: bool) -> list[Citation]:
    return [
        c for c in (regime.cite(i, a, epoch, signed_only=signed) for i, a in keys) if c is not None
    ]


def governing(
    kind: QuestionKind, regime: Regime, epoch: int
) -> tuple[Governing, list[Citation]] | None:
    """The alternative whose own article is in force on the date, else the first one signed (its
    citations flagged as not yet in force); None where no provision governs the question yet."""
    for signed in (False, True):
        for alternative in QUESTIONS[kind].alternatives:
            own = alternative.provisions[0]
            if regime.cite(*own, epoch, signed_only=signed) is not None:
                return alternative, _cite(regime, alternative.provisions, epoch, signed)
    return None


def procedure(
    kind: QuestionKind, regime: Regime, epoch: int
) -> tuple[DecisionRule, list[Citation]]:
    """Consensus, consensus with abstention, or (under a reform) majority, with citations."""
    question = QUESTIONS[kind]
    citations = _cite(regime, question.governed_by, epoch, False)
    if regime.decision_rule is DecisionRule.MAJORITY and kind is not QuestionKind.STATIONING:
        return DecisionRule.MAJORITY, citations
    abstention = bool(regime.abstention[epoch])
    if question.abstention_counts and abstention:
        return DecisionRule.CONSENSUS_WITH_ABSTENTION, citations
    return DecisionRule.CONSENSUS, citations


@dataclass(frozen=True)
class QuestionProcedure:
    rule: DecisionRule  # NONE: no decision is taken (see `doc`)
    body: Body
    body_name: str
    citations: tuple[Citation, ...]  # the provisions governing the question
    governed: bool  # False: no provision of the organization governs it on the date
    basis: str  # the data record behind the body's rule
    doc: str


def question_procedure(
    org: Organization, regime: Regime, kind: QuestionKind, body: Body, on: date, epoch: int
) -> QuestionProcedure:
    found = org.body(body.data_id)
    rules = [r for r in found.decides_by if r.valid_from <= on]
    rule = rules[-1].value if rules else DecisionRule.NONE
    basis = rules[-1].source if rules else found.source
    if body is not Body.COLLECTIVE_SECURITY_COUNCIL:
        # Another body decides under its own rules (not modelled article by article); the
        # charter's article on the status is still the one that defines it.
        cites = _cite(regime, QUESTIONS[kind].governed_by[:1], epoch, False)
        doc = f"the {found.name} decides under its own rules, by {rule.value}"
        return QuestionProcedure(rule, body, found.name, tuple(cites), True, basis, doc)
    applies = governing(kind, regime, epoch)
    if applies is None:
        doc = "no provision of the organization governs this question on the date"
        return QuestionProcedure(DecisionRule.NONE, body, found.name, (), False, basis, doc)
    alternative, cites = applies
    if not alternative.council_decides:
        return QuestionProcedure(
            DecisionRule.NONE, body, found.name, tuple(cites), True, basis, alternative.doc
        )
    if regime.decision_rule is DecisionRule.MAJORITY and kind is not QuestionKind.STATIONING:
        rule = DecisionRule.MAJORITY  # the reform changes the Council's rule, not the protocol's
    elif rule is DecisionRule.CONSENSUS_WITH_ABSTENTION and not QUESTIONS[kind].abstention_counts:
        rule = DecisionRule.CONSENSUS
    doc = QUESTIONS[kind].doc
    return QuestionProcedure(rule, body, found.name, tuple(cites), True, basis, doc)


def decide_question(rule: DecisionRule, pos: Positions) -> int:
    """1 (adopted) or 0 on the two-step ladder, by the Council's one consensus procedure (or the
    majority a reform puts in its place); where no decision is taken the step goes ahead."""
    if rule is DecisionRule.NONE:
        return 1
    cap = np.ones(1, dtype=np.int8)
    voting = voting_members(pos)
    if rule is DecisionRule.MAJORITY:
        return int(majority(cap, pos.ceiling, voting, levels=2)[0])
    return int(consensus(cap, pos.ceiling, voting)[0])


__all__ = [
    "QUESTIONS",
    "Governing",
    "QuestionKind",
    "QuestionProcedure",
    "QuestionRule",
    "decide_question",
    "governing",
    "procedure",
    "question_procedure",
]
