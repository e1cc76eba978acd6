"""The tracer: what each rule found, kept as arrays, turned into a per-crisis explanation on demand.

Rules call `tracer.note(...)` with the mask of crises (or crisis x member cells) where they apply. The
fast path passes no tracer at all, so tracing costs nothing unless asked for. `explain(i)` reads the
notes for crisis i and resolves each citation to the article version in force on that crisis's date.

    Note      one rule's finding: rule id, layer, mask, value, citations, reason template, details
    Tracer    collects notes; `steps(i)` and `member_steps(i, m)` give crisis i's findings
    Step      one finding for one crisis, ready to print or dump
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any, Literal

import numpy as np
from pydantic import Field

from csto.domain.contract import Contract
from csto.domain.crisis import Measure, MeasureField
from csto.law.regime import Citation, Regime

# A provision a rule rests on: (instrument, article), optionally with a (n,) mask of the crises for
# which it is the right citation (e.g. CST Art. 4 only where its version requires a request).
Cite = tuple[str, str] | tuple[str, str, np.ndarray]


@dataclass(frozen=True)
class Note:
    rule: str
    layer: str  # "law" or "politics"
    applies: np.ndarray  # (n,) or (n, M) bool
    value: (
        np.ndarray | int
    )  # the cap, floor or allowance (ladder value), scalar or shaped like applies
    effect: str  # "cap", "floor", "allows", "sets", "abstains"
    cites: tuple[Cite, ...]
    reason: str  # str.format template; fields come from `details` and {state}
    details: dict[str, np.ndarray] = field(default_factory=dict)
    parameter: str | None = None
    evidence: tuple[str, ...] = ()


Effect = Literal["allows", "cap", "floor", "sets", "abstains", "accepts"]


class Step(Contract):
    """One finding for one crisis: a rule or factor, its effect on the ladder, why, and on what."""

    rule: str
    effect: Effect
    value: MeasureField
    reason: str
    citations: tuple[Citation, ...] = ()
    parameter: str | None = Field(
        default=None, description="the global parameter (data/politics.yaml) that sets the value"
    )
    evidence: tuple[str, ...] = Field(default=(), description="the parameter's evidence")
    details: dict[str, str] = Field(default_factory=dict)
    records: tuple[str, ...] = Field(
        default=(), description="the dated data behind a political factor, in words"
    )
    sources: tuple[str, ...] = Field(
        default=(), description="where those records come from (ids of the sources register)"
    )


class Ledger:
    """A running ceiling (or allowance) per cell that rules raise or cap, each noting why."""

    def __init__(self, start: np.ndarray, layer: str, tracer: Tracer | None) -> None:
        self.value = start.astype(np.int8)
        self.layer = layer
        self.tracer = tracer

    def _note(
        self, rule: str, applies: np.ndarray, value: np.ndarray | int, effect: str, **kw: Any
    ) -> None:
        if self.tracer:
            self.tracer.note(rule, self.layer, applies, value, effect, **kw)

    def allow(self, rule: str, applies: np.ndarray, value: np.ndarray | int, **kw: Any) -> None:
        np.maximum(self.value, value, out=self.value, where=applies, casting="unsafe")
        self._note(rule, applies, value, "allows", **kw)

    def cap(self, rule: str, applies: np.ndarray, value: np.ndarray | int, **kw: Any) -> None:
        np.minimum(self.value, value, out=self.value, where=applies, casting="unsafe")
        self._note(rule, applies, value, "cap", **kw)

    def set(
        self, rule: str, applies: np.ndarray, value: np.ndarray, effect: str = "sets", **kw: Any
    ) -> None:
        np.copyto(self.value, value, where=applies, casting="unsafe")
        self._note(rule, applies, value, effect, **kw)


class Tracer:
    def __init__(self, regime: Regime) -> None:
        self.regime = regime
        self.notes: list[Note] = []
        self.epoch: np.ndarray | None = None

    def note(
        self,
        rule: str,
        layer: str,
        applies: np.ndarray,
        value: np.ndarray | int,
        effect: str,
        cites: tuple[Cite, ...] = (),
        reason: str = "",
        details: dict[str, np.ndarray] | None = None,
        parameter: str | None = None,
    ) -> None:
        evidence: tuple[str, ...] = ()
        if parameter is not None:
            evidence = self.regime.org.parameter(parameter).evidence
        self.notes.append(
            Note(
                rule,
                layer,
                applies.copy(),
                value,
                effect,
                cites,
                reason,
                details or {},
                parameter,
                evidence,
            )
        )

    def _step(self, note: Note, index: tuple[int, ...]) -> Step:
        assert self.epoch is not None
        epoch = int(self.epoch[index[0]])
        value = (
            note.value
            if isinstance(note.value, int)
            else int(np.broadcast_to(note.value, note.applies.shape)[index])
        )
        fields = {k: self._show(v[index]) for k, v in note.details.items()}
        keys = [(c[0], c[1]) for c in note.cites if len(c) == 2 or bool(c[2][index[0]])]
        citations = tuple(
            c for c in (self.regime.cite(i, a, epoch) for i, a in keys) if c is not None
        )
        if not citations:  # before entry into force: cite the signed text, flagged as not in force
            signed = (self.regime.cite(i, a, epoch, signed_only=True) for i, a in keys)
            citations = tuple(c for c in signed if c is not None)
        return Step(
            rule=note.rule,
            effect=note.effect,
            value=Measure(value),
            reason=note.reason.format(**fields),
            citations=citations,
            parameter=note.parameter,
            evidence=note.evidence,
            details=fields,
        )

    def _show(self, value: Any) -> str:
        if isinstance(value, np.integer | int) and 0 <= int(value) < len(self.regime.universe):
            return self.regime.universe[int(value)]
        return str(value)

    def steps(self, i: int, layer: str) -> list[Step]:
        return [
            self._step(n, (i,))
            for n in self.notes
            if n.layer == layer and n.applies.ndim == 1 and n.applies[i]
        ]

    def member_steps(self, i: int, m: int) -> list[Step]:
        return [
            self._step(n, (i, m)) for n in self.notes if n.applies.ndim == 2 and n.applies[i, m]
        ]
