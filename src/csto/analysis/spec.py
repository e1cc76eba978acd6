"""The uncertainty spec of a sweep (YAML, format 1): a base crisis, distributions, levers.

format: 1
base: crises/unrest.yaml         # a crisis file (relative to the spec), or a shipped case id
situation:                       # distributions over the base crisis's situation fields
  intensity: {choice: {low: 0.5, medium: 0.35, high: 0.15}}
  government_at_risk: {bernoulli: 0.7}
parameters:                      # distributions over the model's global parameters
  stabilisation_max_intensity: {choice: {low: 0.25, medium: 0.5, high: 0.25}}
provider_committed: {bernoulli: 0.3}   # are the power-projection provider's forces tied up?
levers:                          # named sets of reforms, each swept with the same random numbers
  baseline: []
  majority: [majority-vote]

Choice, Bernoulli     the two kinds of distribution (categorical, yes/no)
Variable              one uncertain input, coded as the rules code it, with its probabilities
SweepSpec             the validated spec; .variables() in a fixed order
load_spec(path, cases) read and validate (SpecError names file, field, value, what is allowed)
scenarios(spec, base, regime, u)   a CrisisBatch from uniform numbers u (n, D) by inverse CDF
"""

from __future__ import annotations

from collections.abc import Collection
from dataclasses import dataclass
from pathlib import Path
from typing import Annotated, Any, Literal

import numpy as np
from pydantic import Discriminator, Field, Tag

from csto.domain.crisis import Crisis, Intensity, Involvement, Kind, Measure
from csto.domain.errors import DataError, Problem
from csto.domain.loader import validate
from csto.domain.models import Frozen, RelationLevel
from csto.domain.yamlfiles import load_yaml
from csto.law import REFORMS, CrisisBatch, Regime
from csto.law.batch import INTENSITIES, INVOLVEMENTS, KINDS
from csto.law.regime import CATEGORICAL, PARAM_KINDS


class SpecError(DataError):
    """An uncertainty spec is wrong."""


class Choice(Frozen):
    choice: dict[str, Annotated[float, Field(gt=0, allow_inf_nan=False)]] = Field(min_length=1)


class Bernoulli(Frozen):
    bernoulli: float = Field(ge=0, le=1, allow_inf_nan=False)


def _which(value: Any) -> str | None:
    if isinstance(value, dict):
        return "choice" if "choice" in value else "bernoulli" if "bernoulli" in value else None
    return (
        "choice"
        if isinstance(value, Choice)
        else "bernoulli"
        if isinstance(value, Bernoulli)
        else None
    )


Distribution = Annotated[
    Annotated[Choice, Tag("choice")] | Annotated[Bernoulli, Tag("bernoulli")],
    Discriminator(
        _which,
        custom_error_type="distribution",
        custom_error_message="allowed: {choice: {value: weight, ...}} or {bernoulli: p}",
    ),
]

# Situation fields a sweep may vary, and how each value is coded for the rules.
SITUATION_CODES: dict[str, dict[str, int]] = {
    "kind": {k.value: KINDS.index(k) for k in Kind},
    "foreign_involvement": {f.value: INVOLVEMENTS.index(f) for f in Involvement},
    "intensity": {i.value: INTENSITIES.index(i) for i in Intensity},
}
SITUATION_FLAGS = ("government_at_risk", "un_mandate")
BATCH_COLUMN = {
    "kind": "kind",
    "foreign_involvement": "foreign",
    "intensity": "intensity",
    "government_at_risk": "government_at_risk",
    "un_mandate": "un_mandate",
}


def _param_codes(name: str) -> dict[str, int]:
    kind = PARAM_KINDS[name]
    if kind is Measure:
        return {m.label: int(m) for m in Measure}
    if kind is Intensity:
        return {i.value: i.rank for i in Intensity}
    return {r.value: r.rank for r in RelationLevel}


@dataclass(frozen=True)
class Variable:
    name: str  # "situation.intensity", "parameters.ties_cap", "provider_committed"
    labels: tuple[str, ...]  # the values as written in the spec
    codes: np.ndarray  # the values as the rules code them
    probabilities: np.ndarray

    def decode(self, u: np.ndarray) -> np.ndarray:
        """Inverse CDF: uniform numbers in [0, 1) to codes."""
        cdf = np.cumsum(self.probabilities)
        cdf[-1] = 1.0
        return np.asarray(
            self.codes[np.searchsorted(cdf, u, side="right").clip(0, len(self.codes) - 1)]
        )

    def label_of(self, codes: np.ndarray) -> np.ndarray:
        lookup = {int(c): label for c, label in zip(self.codes, self.labels, strict=True)}
        return np.array([lookup[int(c)] for c in codes], dtype=object)


def _variable(name: str, dist: Distribution, codes: dict[str, int] | None) -> Variable:
    if isinstance(dist, Bernoulli):
        p = dist.bernoulli
        return Variable(
            name, ("false", "true"), np.array([0, 1], dtype=np.int8), np.array([1 - p, p])
        )
    assert codes is not None
    weights = np.array(list(dist.choice.values()), dtype=float)
    return Variable(
        name,
        tuple(dist.choice),
        np.array([codes[label] for label in dist.choice], dtype=np.int8),
        weights / weights.sum(),
    )


class SweepSpec(Frozen):
    format: Literal[1]
    base: str = Field(min_length=1)
    title: str | None = None
    situation: dict[str, Distribution] = Field(default_factory=dict)
    parameters: dict[str, Distribution] = Field(default_factory=dict)
    provider_committed: Bernoulli | None = None
    levers: dict[str, tuple[str, ...]] = Field(
        default_factory=lambda: {"baseline": tuple[str, ...]()}
    )

    def variables_count(self) -> int:
        return len(self.situation) + len(self.parameters) + (self.provider_committed is not None)

    def variables(self) -> list[Variable]:
        out = [
            _variable(f"situation.{f}", d, SITUATION_CODES.get(f))
            for f, d in sorted(self.situation.items())
        ]
        out += [
            _variable(f"parameters.{n}", d, _param_codes(n))
            for n, d in sorted(self.parameters.items())
        ]
        if self.provider_committed is not None:
            out.append(_variable("provider_committed", self.provider_committed, None))
        return out


def _check_choice(where: str, dist: Distribution, codes: dict[str, int]) -> Problem | None:
    if not isinstance(dist, Choice):
        return Problem(where, dist.model_dump(), "allowed: {choice: {value: weight, ...}}")
    bad = [v for v in dist.choice if v not in codes]
    return Problem(where, bad, f"allowed values: {', '.join(codes)}") if bad else None


def check_spec(spec: SweepSpec, file: Path | str) -> SweepSpec:
    """Checks across fields, each naming its key path: known fields, values, parameters and reforms."""
    problems: list[Problem | None] = []
    for field, dist in spec.situation.items():
        where = f"situation.{field}"
        if field in SITUATION_CODES:
            problems.append(_check_choice(where, dist, SITUATION_CODES[field]))
        elif field in SITUATION_FLAGS:
            if not isinstance(dist, Bernoulli):
                problems.append(
                    Problem(where, dist.model_dump(), "allowed: {bernoulli: p} for a yes/no field")
                )
        else:
            problems.append(
                Problem(
                    where,
                    field,
                    f"allowed fields: {', '.join([*SITUATION_CODES, *SITUATION_FLAGS])}",
                )
            )
    for name, dist in spec.parameters.items():
        if name not in CATEGORICAL:
            problems.append(
                Problem(
                    f"parameters.{name}", name, f"allowed: one of {', '.join(sorted(CATEGORICAL))}"
                )
            )
        else:
            problems.append(_check_choice(f"parameters.{name}", dist, _param_codes(name)))
    if not spec.levers:
        problems.append(Problem("levers", {}, "allowed: at least one lever, e.g. {baseline: []}"))
    for lever, reforms in spec.levers.items():
        unknown = [r for r in reforms if r not in REFORMS]
        if unknown:
            problems.append(
                Problem(f"levers.{lever}", unknown, f"allowed reforms: {', '.join(REFORMS)}")
            )
    if not spec.variables_count():
        problems.append(
            Problem(
                "",
                None,
                "allowed: at least one uncertain input under situation, parameters or provider_committed",
            )
        )
    found = [p for p in problems if p is not None]
    if found:
        raise SpecError(file, found)
    return spec


def load_spec(path: Path, cases: Collection[str]) -> SweepSpec:
    """Read, validate and check a spec; a base given as a file path is taken relative to the spec,
    any other base must be one of `cases` (the World's case catalogue)."""
    spec = check_spec(
        validate(SweepSpec, load_yaml(path, error=SpecError), path, error=SpecError), path
    )
    base = Path(spec.base)
    if base.suffix in (".yaml", ".yml") and not base.is_absolute():
        spec = spec.model_copy(update={"base": str((path.parent / base).resolve())})
    if Path(spec.base).suffix in (".yaml", ".yml"):
        if not Path(spec.base).is_file():
            raise SpecError(path, [Problem("base", spec.base, "allowed: an existing crisis file")])
    elif spec.base not in cases:
        allowed = f"allowed: a crisis file (.yaml) or a shipped case ({', '.join(sorted(cases))})"
        raise SpecError(path, [Problem("base", spec.base, allowed)])
    return spec


def scenarios(
    variables: list[Variable], base: Crisis, regime: Regime, u: np.ndarray
) -> CrisisBatch:
    """n scenarios: the base crisis with each uncertain input drawn from u[:, j] by inverse CDF."""
    n = u.shape[0]
    one = CrisisBatch.from_crises([base], regime)
    columns: dict[str, Any] = {
        name: np.repeat(getattr(one, name), n, axis=0)
        for name in (
            "ordinal",
            "appellant",
            "invokes",
            "asks",
            "kind",
            "territory",
            "opponents",
            "foreign",
            "intensity",
            "government_at_risk",
            "un_mandate",
            "casualties",
            "host_consent",
        )
    }
    overrides: dict[str, np.ndarray] = {}
    for j, var in enumerate(variables):
        values = var.decode(u[:, j])
        section, _, field = var.name.partition(".")
        if section == "situation":
            column = BATCH_COLUMN[field]
            columns[column] = values.astype(columns[column].dtype)
        elif section == "parameters":
            overrides[field] = values
        else:
            overrides["provider_committed"] = values.astype(bool)
    return CrisisBatch.from_arrays(regime, overrides=overrides, **columns)
