"""The uncertainty spec of a sweep (YAML, format 1): a base crisis, distributions, levers.

format: 1
base: crises/unrest.yaml         # a crisis file (relative to the spec), or a shipped case id
situation:                       # distributions over the base crisis's situation fields
  intensity: {choice: {low: 0.5, medium: 0.35, high: 0.15}}
  government_at_risk: {bernoulli: 0.7}
parameters:                      # distributions over the model's global parameters
  stabilisation_max_intensity: {choice: {low: 0.25, medium: 0.5, high: 0.25}}
provider_committed: {bernoulli: 0.3}   # are the power-projection provider's forces tied up?
date: {uniform: {low: 2010-01-01, high: 2024-12-31}}   # optional: the crisis date
levers:                          # named sets of reforms, each swept with the same random numbers
  baseline: []
  majority: [majority-vote]

Continuous inputs (csto.analysis.distributions: uniform, normal, triangular, beta) go on
situation.casualties and situation.sites, on the date, and on any parameter, drawn on the
parameter's own scale by rank (e.g. {triangular: {low: statement, mode: assistance, high: mission}})
and rounded to the nearest rung.

Variable              one uncertain input: categorical (codes, probabilities) or continuous
SweepSpec             the validated spec; .variables() in a fixed order
load_spec(path, cases) read and validate (SpecError names file, field, value, what is allowed)
scenarios(spec, base, regime, u)   a CrisisBatch from uniform numbers u (n, D) by inverse CDF
"""

from __future__ import annotations

import dataclasses
from collections.abc import Collection
from dataclasses import dataclass
from datetime import date
from pathlib import Path
from typing import Any, Literal

import numpy as np
from pydantic import Field

from csto.analysis.distributions import (
    CONTINUOUS,
    Bernoulli,
    Choice,
    Continuous,
    Distribution,
    bounds,
    quantile,
)
from csto.domain.crisis import HORIZON, Crisis, Intensity, Involvement, Kind, Measure
from csto.domain.errors import DataError, Problem
from csto.domain.loader import validate
from csto.domain.models import Frozen, RelationLevel
from csto.domain.yamlfiles import load_yaml
from csto.law import REFORMS, CrisisBatch, Regime
from csto.law.batch import INTENSITIES, INVOLVEMENTS, KINDS
from csto.law.regime import CATEGORICAL, PARAM_KINDS


class SpecError(DataError):
    """An uncertainty spec is wrong."""


# Situation fields a sweep may vary, and how each value is coded for the rules.
SITUATION_CODES: dict[str, dict[str, int]] = {
    "kind": {k.value: KINDS.index(k) for k in Kind},
    "foreign_involvement": {f.value: INVOLVEMENTS.index(f) for f in Involvement},
    "intensity": {i.value: INTENSITIES.index(i) for i in Intensity},
}
SITUATION_FLAGS = ("government_at_risk", "un_mandate")
# Numeric situation fields (continuous distributions only), with the range a crisis file allows.
SITUATION_NUMBERS: dict[str, tuple[float, float]] = {
    "casualties": (0, 10_000_000),
    "sites": (1, 1000),
}
BATCH_COLUMN = {
    "kind": "kind",
    "foreign_involvement": "foreign",
    "intensity": "intensity",
    "government_at_risk": "government_at_risk",
    "un_mandate": "un_mandate",
    "casualties": "casualties",
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
    name: str  # "situation.intensity", "parameters.ties_cap", "provider_committed", "date"
    labels: tuple[str, ...]  # categorical: the values as written in the spec; continuous: ()
    codes: np.ndarray  # categorical: the values as the rules code them
    probabilities: np.ndarray
    dist: Continuous | None = None  # continuous: the distribution, drawn by inverse CDF
    numbers: dict[str, float] = dataclasses.field(
        default_factory=dict
    )  # its bounds as numbers (ranks, days)
    low: float = 0.0  # the input's own range: draws are clipped to it
    high: float = 0.0
    integer: bool = True  # continuous draws rounded to whole numbers (ranks, days, people, sites)

    @property
    def categorical(self) -> bool:
        return self.dist is None

    def decode(self, u: np.ndarray) -> np.ndarray:
        """Inverse CDF: uniform numbers in [0, 1) to codes (categorical) or values (continuous)."""
        if self.dist is not None:
            x = quantile(self.dist, u, self.numbers, self.low, self.high)
            return np.rint(x).astype(np.int64) if self.integer else x
        cdf = np.cumsum(self.probabilities)
        # one comparison per category boundary: several times faster than searchsorted here
        index = np.zeros(u.shape, dtype=np.int8)
        for edge in cdf[:-1]:
            index += u >= edge
        return np.asarray(self.codes[index])

    def label_of(self, codes: np.ndarray) -> np.ndarray:
        lookup = {int(c): label for c, label in zip(self.codes, self.labels, strict=True)}
        return np.array([lookup[int(c)] for c in codes], dtype=object)


def param_words(name: str) -> dict[str, int] | None:
    """For an input on a parameter, the words of its scale by rank; None for other inputs."""
    section, _, key = name.partition(".")
    return _param_codes(key) if section == "parameters" and key in CATEGORICAL else None


def _scale(name: str) -> tuple[dict[str, int], float, float]:
    """The words a continuous input's bounds may use, and the input's own range."""
    section, _, key = name.partition(".")
    if section == "parameters":
        if key not in CATEGORICAL:  # a number: drawn as it is, only rounded where it counts
            return {}, -1e15, 1e15
        codes = _param_codes(key)
        return codes, float(min(codes.values())), float(max(codes.values()))
    if name == "date":
        return {}, float(HORIZON[0].toordinal()), float(HORIZON[1].toordinal())
    low, high = SITUATION_NUMBERS[key]
    return {}, float(low), float(high)


def _number(value: Any, scale: dict[str, int]) -> float:
    if isinstance(value, date):
        return float(value.toordinal())
    if isinstance(value, str):
        if value in scale:
            return float(scale[value])
        return float(date.fromisoformat(value).toordinal())
    return float(value)


def _variable(name: str, dist: Distribution, codes: dict[str, int] | None) -> Variable:
    if isinstance(dist, CONTINUOUS):
        scale, low, high = _scale(name)
        numbers = {
            k: _number(v, scale) for k, v in bounds(dist).items() if k in ("low", "mode", "high")
        }
        return Variable(
            name,
            (),
            np.zeros(0, dtype=np.int8),
            np.zeros(0),
            dist=dist,
            numbers=numbers,
            low=low,
            high=high,
            integer=not (name.startswith("parameters.") and PARAM_KINDS[name[11:]] is float),
        )
    if isinstance(dist, Bernoulli):
        p = dist.bernoulli
        return Variable(
            name, ("false", "true"), np.array([0, 1], dtype=np.int8), np.array([1 - p, p])
        )
    assert codes is not None
    assert isinstance(dist, Choice)
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
    date: Distribution | None = None
    levers: dict[str, tuple[str, ...]] = Field(
        default_factory=lambda: {"baseline": tuple[str, ...]()}
    )

    def variables_count(self) -> int:
        return (
            len(self.situation)
            + len(self.parameters)
            + (self.provider_committed is not None)
            + (self.date is not None)
        )

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
        if self.date is not None:
            out.append(_variable("date", self.date, None))
        return out


def _check_choice(where: str, dist: Distribution, codes: dict[str, int]) -> Problem | None:
    if not isinstance(dist, Choice):
        return Problem(where, dist.model_dump(), "allowed: {choice: {value: weight, ...}}")
    bad = [v for v in dist.choice if v not in codes]
    return Problem(where, bad, f"allowed values: {', '.join(codes)}") if bad else None


def _check_continuous(where: str, dist: Continuous, words: dict[str, int]) -> Problem | None:
    """Bounds in the input's own terms (numbers, dates, or the scale's words), in order."""
    written = bounds(dist)
    numbers: dict[str, float] = {}
    for key in ("low", "mode", "high"):
        if key not in written:
            continue
        value = written[key]
        try:
            numbers[key] = _number(value, words)
        except (TypeError, ValueError):
            allowed = (
                f"allowed: a number or one of {', '.join(words)}"
                if words
                else "allowed: a number (an ISO date for the date)"
            )
            return Problem(f"{where}.{key}", value, allowed)
    order = [numbers[k] for k in ("low", "mode", "high") if k in numbers]
    if order != sorted(order):
        return Problem(where, written, "allowed: low <= mode <= high")
    same = "low" in numbers and "high" in numbers and numbers["low"] == numbers["high"]
    if same and not isinstance(dist, CONTINUOUS[2]):  # a triangle may collapse to a point
        return Problem(where, written, "allowed: low < high")
    return None


def check_spec(spec: SweepSpec, file: Path | str) -> SweepSpec:
    """Checks across fields, each naming its key path: known fields, values, parameters and reforms."""
    problems: list[Problem | None] = []
    for field, dist in spec.situation.items():
        where = f"situation.{field}"
        if field in SITUATION_NUMBERS:
            if isinstance(dist, CONTINUOUS):
                problems.append(_check_continuous(where, dist, {}))
            else:
                problems.append(
                    Problem(
                        where,
                        dist.model_dump(),
                        "allowed: {uniform: ...}, {normal: ...}, {triangular: ...} or {beta: ...}",
                    )
                )
        elif field in SITUATION_CODES:
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
                    "allowed fields: "
                    + ", ".join([*SITUATION_CODES, *SITUATION_FLAGS, *SITUATION_NUMBERS]),
                )
            )
    for name, dist in spec.parameters.items():
        if name not in PARAM_KINDS:
            problems.append(
                Problem(f"parameters.{name}", name, f"allowed: one of {', '.join(PARAM_KINDS)}")
            )
        elif name not in CATEGORICAL:
            if not isinstance(dist, CONTINUOUS):
                problems.append(
                    Problem(
                        f"parameters.{name}",
                        dist.model_dump(),
                        "allowed for a number: {uniform: ...}, {normal: ...}, {triangular: ...} "
                        "or {beta: ...}",
                    )
                )
            else:
                problems.append(_check_continuous(f"parameters.{name}", dist, {}))
        elif isinstance(dist, CONTINUOUS):
            problems.append(_check_continuous(f"parameters.{name}", dist, _param_codes(name)))
        else:
            problems.append(_check_choice(f"parameters.{name}", dist, _param_codes(name)))
    if spec.date is not None:
        if isinstance(spec.date, CONTINUOUS):
            problems.append(_check_continuous("date", spec.date, {}))
        else:
            problems.append(
                Problem("date", spec.date.model_dump(), "allowed: {uniform: {low, high}} of dates")
            )
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
                "allowed: at least one uncertain input under situation, parameters, "
                "provider_committed or date",
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
        name: np.broadcast_to(getattr(one, name)[:1], (n, *getattr(one, name).shape[1:]))
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
        section, _, key = var.name.partition(".")
        if section == "situation" and key not in BATCH_COLUMN:
            continue  # the sites: the force and the lifecycle read them, not the rules
        values = var.decode(u[:, j])
        if section == "situation":
            column = BATCH_COLUMN[key]
            columns[column] = values.astype(columns[column].dtype)
        elif section == "parameters":
            overrides[key] = values.astype(np.int8) if key in CATEGORICAL else values
        elif section == "date":
            columns["ordinal"] = values.astype(np.int64)
        else:
            overrides["provider_committed"] = values.astype(bool)
    return CrisisBatch.from_arrays(regime, overrides=overrides, **columns)
