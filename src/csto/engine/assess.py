"""Assess crises: law, positions and the Council's procedure, with citations and a receipt.

    evaluate(batch, regime, tracer=None)  the rules over arrays: outcome, legal ceiling, positions
    assess(crisis, reforms=(), ...)       one crisis, fully explained: an Assessment
    Assessment.as_dict()                  the JSON contract of `csto assess --json`

The engine reads a crisis's facts, never its record.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, replace
from typing import Any

import numpy as np

from csto import __version__
from csto.domain import Organization, default_organization
from csto.domain.crisis import Crisis, Measure, crisis_hash
from csto.domain.models import TraitName
from csto.law import (
    Citation,
    CrisisBatch,
    LegalResult,
    Regime,
    Step,
    Tracer,
    apply_reforms,
    compile_regime,
    legal,
)
from csto.politics import Positions, blockers, decide, positions, voting_members
from csto.politics.questions import QuestionKind
from csto.politics.questions import procedure as council_procedure

RULES_VERSION = "1"
ENGINE_VERSION = f"csto {__version__} (rules {RULES_VERSION})"


@dataclass(frozen=True)
class Evaluation:
    outcome: np.ndarray  # (n,) int8
    cap: np.ndarray  # (n,) int8: the legal ceiling, capped by what was asked
    law: LegalResult
    positions: Positions


def evaluate(batch: CrisisBatch, regime: Regime, tracer: Tracer | None = None) -> Evaluation:
    if tracer:
        tracer.epoch = batch.epoch
    law = legal(batch, regime, tracer)
    pos = positions(batch, regime, law, tracer)
    cap = np.minimum(law.ceiling, batch.asks).astype(np.int8)
    return Evaluation(outcome=decide(regime, cap, pos), cap=cap, law=law, positions=pos)


@dataclass(frozen=True)
class MemberPosition:
    code: str
    ceiling: Measure
    stance: str  # appellant | supports | blocks | abstains
    reasons: tuple[Step, ...]


@dataclass(frozen=True)
class Assessment:
    crisis: Crisis
    outcome: Measure
    legal_ceiling: Measure
    legal_floor: Measure
    asked: Measure | None
    legal_steps: tuple[Step, ...]
    positions: tuple[MemberPosition, ...]
    blocked_by: dict[Measure, tuple[str, ...]]
    procedure: str
    procedure_citation: Citation | None
    receipt: dict[str, Any]

    @property
    def citations(self) -> list[Citation]:
        seen: dict[tuple[str, str, str], Citation] = {}
        steps = [*self.legal_steps, *(s for p in self.positions for s in p.reasons)]
        for c in [c for s in steps for c in s.citations] + (
            [self.procedure_citation] if self.procedure_citation else []
        ):
            seen.setdefault((c.instrument, c.article, c.label), c)
        return list(seen.values())

    def as_dict(self) -> dict[str, Any]:
        decisive = [s for s in self.legal_steps if s.effect in ("allows", "cap", "floor")]
        return {
            "crisis": {
                "id": self.crisis.id,
                "title": self.crisis.title,
                "date": self.crisis.date.isoformat(),
            },
            "outcome": self.outcome.label,
            "asked": self.asked.label if self.asked is not None else None,
            "legal": {
                "ceiling": self.legal_ceiling.label,
                "floor": self.legal_floor.label,
                "citations": _unique([c.as_dict() for s in decisive for c in s.citations]),
                "steps": [s.as_dict() for s in self.legal_steps],
            },
            "positions": {
                p.code: {
                    "ceiling": p.ceiling.label,
                    "stance": p.stance,
                    "reasons": [s.as_dict() for s in p.reasons],
                }
                for p in self.positions
            },
            "blocked_by": {m.label: list(codes) for m, codes in self.blocked_by.items()},
            "procedure": {
                "rule": self.procedure,
                "citation": self.procedure_citation.as_dict() if self.procedure_citation else None,
            },
            "citations": [c.as_dict() for c in self.citations],
            "receipt": self.receipt,
        }


def _unique(items: list[dict[str, Any]]) -> list[dict[str, Any]]:
    out: list[dict[str, Any]] = []
    for item in items:
        if item not in out:
            out.append(item)
    return out


def assess(
    crisis: Crisis,
    reforms: Sequence[str] = (),
    org: Organization | None = None,
    file_hash: str | None = None,
) -> Assessment:
    org = org or default_organization()
    regime = apply_reforms(compile_regime(org), reforms)
    batch = CrisisBatch.from_crises([crisis], regime)
    tracer = Tracer(regime)
    ev = evaluate(batch, regime, tracer)
    pos = ev.positions
    outcome = int(ev.outcome[0])
    cap = int(ev.cap[0])
    voting = voting_members(pos)[0]
    members: list[MemberPosition] = []
    for m, code in enumerate(regime.members):
        if not pos.present[0, m]:
            continue
        ceiling = int(pos.ceiling[0, m])
        if pos.appellant[0, m]:
            stance = "appellant"
        elif pos.abstain[0, m]:
            stance = "abstains"
        elif ceiling < cap:
            stance = "blocks"
        else:
            stance = "supports"
        reasons = [_with_sources(s, code, crisis, org) for s in tracer.member_steps(0, m)]
        if not reasons:
            reasons = [_bound_by_treaty(regime, int(batch.epoch[0]))]
        members.append(MemberPosition(code, Measure(ceiling), stance, tuple(reasons)))
    blocked = {
        Measure(level): tuple(regime.members[i] for i in idx)
        for level, idx in blockers(outcome, cap, pos.ceiling[0], voting).items()
        if len(idx)
    }
    rule, rule_citations = council_procedure(
        QuestionKind.CRISIS_APPEAL, regime, int(batch.epoch[0])
    )
    law_steps = tuple(tracer.steps(0, "law"))
    receipt = {
        "engine_version": ENGINE_VERSION,
        "data_hash": org.data_hash,
        "crisis_hash": crisis_hash(crisis),
        "file_hash": file_hash,
        "reforms": list(regime.reforms),
        "trace": {
            "law": [s.as_dict() for s in law_steps],
            "positions": {p.code: [s.as_dict() for s in p.reasons] for p in members},
        },
    }
    return Assessment(
        crisis=crisis,
        outcome=Measure(outcome),
        legal_ceiling=Measure(int(ev.law.ceiling[0])),
        legal_floor=Measure(int(ev.law.floor[0])),
        asked=crisis.appeal.ask if crisis.appeal else None,
        legal_steps=law_steps,
        positions=tuple(members),
        blocked_by=blocked,
        procedure=rule,
        procedure_citation=rule_citations[0]
        if rule_citations
        else regime.cite("CST", "3", int(batch.epoch[0])),
        receipt=receipt,
    )


def _with_sources(step: Step, code: str, crisis: Crisis, org: Organization) -> Step:
    """Add the dated data records behind a political factor (a relation, a trait, a status event)."""
    on = crisis.date
    found: list[str] = []
    if step.rule == "ties":
        state = dict(step.details).get("state")
        if state:
            _, rel = org.relation(code, state, on)
            found += [rel.source] if rel else []
    elif step.rule in _TRAIT_OF_RULE:
        trait = org.trait(code, _TRAIT_OF_RULE[step.rule], on)
        found += [trait.source] if trait else []
    elif step.rule == "abstention":
        event = org.last_status_event(code, on)
        found += [event.source] if event else []
    return replace(step, sources=tuple(found)) if found else step


_TRAIT_OF_RULE = {
    "precedent": TraitName.PRECEDENT_SENSITIVITY,
    "committed_capacity": TraitName.CAPACITY,
    "regime_not_at_risk": TraitName.POWER_PROJECTION,
}


def _bound_by_treaty(regime: Regime, epoch: int) -> Step:
    cites = tuple(
        c
        for c in (regime.cite("CHARTER", "2", epoch), regime.cite("CST", "2", epoch))
        if c is not None
    )
    return Step(
        "no_limiting_factor",
        "accepts",
        Measure.DEPLOYMENT,
        "no political factor limits its position: it follows its treaty obligations as far as the law allows",
        cites,
        None,
        (),
    )
