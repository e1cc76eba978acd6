"""The procedural obligations a decision sets off, read from the article versions in force.

Each article version may list the duties it imposes (data/instruments/*.yaml, `duties:`), with what
sets each off (DutyTrigger). A duty applies only while its article's version is in force on the
date of the decision, and cites that version:

    Duty                          one obligation as a decision lists it: who owes what to whom, why
    crisis_duties(regime, epoch, outcome, steps)
                                  for a crisis: duties of the articles the decided measure rests on
                                  (a legal step allowing at least that measure), and those of any
                                  decision of the Council
    question_duties(regime, epoch, kind, adopted, council)
                                  for a question: duties of its kind (those binding how it is taken
                                  apply whatever the outcome), and those of any decision of the Council

Duties with the same id from several articles are listed once, citing every article.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from datetime import date

from pydantic import Field

from csto.domain.contract import Contract
from csto.domain.crisis import Measure
from csto.domain.models import DutyRule, DutyTrigger
from csto.law.regime import Citation, Regime
from csto.law.tracer import Step


class Duty(Contract):
    id: str
    kind: str = Field(description="notification, consultation, consent or obligation")
    when: str = Field(description="decided: follows the decision; asked: binds how it is taken")
    owed_by: str
    owed_to: str
    text: str
    basis: tuple[Citation, ...] = Field(description="the article versions that impose it")
    also: tuple[str, ...] = Field(description="bases outside the organization's instruments")
    uncertain: bool = False


def _rules_in_force(regime: Regime, epoch: int) -> Iterable[tuple[DutyRule, Citation]]:
    for inst in regime.org.instruments:
        for art in inst.articles:
            if not any(v.duties for v in art.versions):
                continue
            cite = regime.cite(inst.id, art.number, epoch)
            if cite is None:
                continue
            on = date.fromordinal(int(regime.epoch_starts[epoch]))
            version = regime.org.article(inst.id, art.number, on).version
            for rule in version.duties:
                yield rule, cite


def _merge(found: Iterable[tuple[DutyRule, Citation]]) -> tuple[Duty, ...]:
    """One Duty per id; duties of the decision's own kind before those of any decision."""
    duties: dict[str, Duty] = {}
    ordered = sorted(found, key=lambda rc: DutyTrigger.COUNCIL_DECISION in rc[0].triggers)
    for rule, cite in ordered:
        known = duties.get(rule.id)
        if known is None:
            duties[rule.id] = Duty(
                id=rule.id,
                kind=rule.kind,
                when=rule.when,
                owed_by=rule.owed_by,
                owed_to=rule.owed_to,
                text=rule.text,
                basis=(cite,),
                also=rule.also,
                uncertain=rule.uncertain,
            )
        else:
            duties[rule.id] = known.model_copy(
                update={
                    "basis": (*known.basis, cite),
                    "also": tuple(dict.fromkeys((*known.also, *rule.also))),
                    "uncertain": known.uncertain or rule.uncertain,
                }
            )
    return tuple(duties.values())


def crisis_duties(
    regime: Regime, epoch: int, outcome: Measure, steps: Sequence[Step]
) -> tuple[Duty, ...]:
    """Duties of the decided measure: `steps` are the legal steps of the assessment."""
    if outcome is Measure.NONE:
        return ()
    allows: dict[tuple[str, str], int] = {}
    for step in steps:
        if step.effect == "allows":
            for c in step.citations:
                key = (c.instrument, c.article)
                allows[key] = max(allows.get(key, 0), int(step.value))

    def applies(rule: DutyRule, cite: Citation) -> bool:
        if DutyTrigger.COUNCIL_DECISION in rule.triggers:
            return True
        if DutyTrigger.CRISIS_MEASURES not in rule.triggers:
            return False
        least = Measure.parse(rule.min_measure) if rule.min_measure else Measure.STATEMENT
        rests_on = allows.get((cite.instrument, cite.article), -1) >= outcome
        return outcome >= least and rests_on

    return _merge((r, c) for r, c in _rules_in_force(regime, epoch) if applies(r, c))


def question_duties(
    regime: Regime, epoch: int, kind: str, adopted: bool, council: bool
) -> tuple[Duty, ...]:
    """Duties of a question of `kind` decided (or not) by the Council (`council`) or another body."""

    def applies(rule: DutyRule) -> bool:
        if DutyTrigger.COUNCIL_DECISION in rule.triggers:
            return adopted and council
        if kind not in {t.value for t in rule.triggers}:
            return False
        return adopted or rule.when == "asked"

    return _merge((r, c) for r, c in _rules_in_force(regime, epoch) if applies(r))
