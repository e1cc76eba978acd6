"""The distributions a sweep spec may put on an input, each with its inverse CDF.

    Choice, Bernoulli               categorical and yes/no inputs
    Uniform, Normal, Triangular, Beta
                                    continuous inputs: a situation's casualties and sites, the date,
                                    and the model's parameters (drawn on the parameter's own scale:
                                    ladder rungs, intensities or relation levels, by rank, and rounded
                                    to the nearest rung)
    Distribution                    the union the spec's fields hold, told apart by their one key
    quantile(dist, u, low, high)    uniform numbers in [0, 1) to values by inverse CDF, clipped to
                                    [low, high]; bounds written as words are ranks on the scale

Every draw is a function of one uniform number per input, so the same numbers serve the Monte
Carlo batches and the Sobol design.
"""

from __future__ import annotations

from datetime import date
from typing import Annotated, Any

import numpy as np
from pydantic import Discriminator, Field, Tag

from csto.domain.models import Frozen

Bound = float | date | str  # a number, an ISO date (the date input) or a word of the scale


class Choice(Frozen):
    choice: dict[str, Annotated[float, Field(gt=0, allow_inf_nan=False)]] = Field(min_length=1)


class Bernoulli(Frozen):
    bernoulli: float = Field(ge=0, le=1, allow_inf_nan=False)


class UniformBounds(Frozen):
    low: Bound
    high: Bound


class Uniform(Frozen):
    uniform: UniformBounds


class NormalShape(Frozen):
    mean: float = Field(allow_inf_nan=False)
    sd: float = Field(gt=0, allow_inf_nan=False)
    low: Bound | None = None
    high: Bound | None = None


class Normal(Frozen):
    normal: NormalShape


class TriangularShape(Frozen):
    low: Bound
    mode: Bound
    high: Bound


class Triangular(Frozen):
    triangular: TriangularShape


class BetaShape(Frozen):
    a: float = Field(gt=0, allow_inf_nan=False)
    b: float = Field(gt=0, allow_inf_nan=False)
    low: Bound = 0.0
    high: Bound = 1.0


class Beta(Frozen):
    beta: BetaShape


KINDS = ("choice", "bernoulli", "uniform", "normal", "triangular", "beta")
CONTINUOUS = (Uniform, Normal, Triangular, Beta)


def _which(value: Any) -> str | None:
    if isinstance(value, dict):
        found = [k for k in KINDS if k in value]
        return found[0] if len(found) == 1 else None
    models: tuple[type[Frozen], ...] = (Choice, Bernoulli, Uniform, Normal, Triangular, Beta)
    return next((n for n, m in zip(KINDS, models, strict=True) if isinstance(value, m)), None)


Distribution = Annotated[
    Annotated[Choice, Tag("choice")]
    | Annotated[Bernoulli, Tag("bernoulli")]
    | Annotated[Uniform, Tag("uniform")]
    | Annotated[Normal, Tag("normal")]
    | Annotated[Triangular, Tag("triangular")]
    | Annotated[Beta, Tag("beta")],
    Discriminator(
        _which,
        custom_error_type="distribution",
        custom_error_message=(
            "allowed: {choice: {value: weight, ...}}, {bernoulli: p}, {uniform: {low, high}}, "
            "{normal: {mean, sd, low?, high?}}, {triangular: {low, mode, high}} or "
            "{beta: {a, b, low?, high?}}"
        ),
    ),
]
Continuous = Uniform | Normal | Triangular | Beta


def bounds(dist: Continuous) -> dict[str, Any]:
    """The distribution's numbers and bounds as written (for checks and conversions)."""
    shape = dist.model_dump()[next(iter(dist.model_dump()))]
    return {k: v for k, v in shape.items() if v is not None}


def quantile(
    dist: Continuous, u: np.ndarray, numbers: dict[str, float], low: float, high: float
) -> np.ndarray:
    """Inverse CDF at u, with the distribution's bounds already turned into `numbers`, clipped to
    [low, high] (the input's own range)."""
    from scipy import special  # the `analysis` extra; only continuous inputs need it

    if isinstance(dist, Uniform):
        x = numbers["low"] + u * (numbers["high"] - numbers["low"])
    elif isinstance(dist, Triangular):
        a, c, b = numbers["low"], numbers["mode"], numbers["high"]
        if b == a:
            x = np.full(u.shape, a)
        else:
            split = (c - a) / (b - a)
            x = np.where(
                u < split,
                a + np.sqrt(u * (b - a) * (c - a)),
                b - np.sqrt((1 - u) * (b - a) * (b - c)),
            )
    elif isinstance(dist, Normal):
        lo = numbers.get("low", -np.inf)
        hi = numbers.get("high", np.inf)
        mean, sd = dist.normal.mean, dist.normal.sd
        # truncated to [lo, hi]: u is spread over the CDF between the bounds
        c_lo, c_hi = special.ndtr((lo - mean) / sd), special.ndtr((hi - mean) / sd)
        x = mean + sd * special.ndtri(np.clip(c_lo + u * (c_hi - c_lo), 1e-16, 1 - 1e-16))
    else:
        assert isinstance(dist, Beta)
        y = special.betaincinv(dist.beta.a, dist.beta.b, u)
        x = numbers["low"] + y * (numbers["high"] - numbers["low"])
    return np.asarray(np.clip(x, low, high), dtype=np.float64)
