"""Calibrated timings and sizes of operations (data/operations.yaml), typed and validated.

Value, Range, ByIntensity   one documented number: fixed, drawn from a triangular range, or by intensity
Operations                   timings, airlift, sizes, readiness and pledges
load_operations(dir)         validate once (DataError on anything wrong); csto.world.World holds it
"""

from __future__ import annotations

from pathlib import Path

import numpy as np
from pydantic import Field, model_validator

from csto.domain.crisis import Intensity
from csto.domain.loader import DATA_DIR, validate
from csto.domain.models import ISO3, Frozen, Source
from csto.domain.yamlfiles import load_yaml


class Documented(Frozen):
    doc: str | None = None
    source: Source
    uncertain: bool = False
    note: str | None = None


class Value(Documented):
    value: float


class Bounds(Frozen):
    low: float
    mode: float
    high: float

    @model_validator(mode="after")
    def _ordered(self) -> Bounds:
        if not self.low <= self.mode <= self.high:
            raise ValueError("allowed: low <= mode <= high")
        return self


class Range(Documented):
    range: Bounds

    def draw(self, rng: np.random.Generator) -> float:
        b = self.range
        return b.mode if b.low == b.high else float(rng.triangular(b.low, b.mode, b.high))


class ByIntensity(Documented):
    by_intensity: dict[Intensity, float] = Field(min_length=3)


class Timings(Frozen):
    appeal_hour: Value
    council_hours: Range
    consultations_days: Range
    assistance_dispatch_days: Range
    mission_assembly_hours: Range
    mission_travel_hours: Range
    mission_on_site_days: Range
    own_means_travel_hours: Range
    sortie_round_trip_hours: Range
    operations_days: ByIntensity
    handover_days: Value
    sitrep_interval_hours: Value


class Airlift(Frozen):
    provider: ISO3
    aircraft_deploy: Value
    aircraft_withdraw: Value
    load_per_sortie: Value
    vehicle_equivalent: Value


class Sizes(Frozen):
    default_sites: Value
    personnel_per_site: ByIntensity
    command_share: Value
    mission_team: Value
    personnel_per_vehicle: Value


class Operations(Frozen):
    timings: Timings
    airlift: Airlift
    sizes: Sizes
    readiness_hours: dict[str, Range]
    pledges: dict[str, dict[ISO3, Value]]

    @model_validator(mode="after")
    def _default_readiness(self) -> Operations:
        if "default" not in self.readiness_hours:
            raise ValueError("readiness_hours: allowed: a mapping that includes the key 'default'")
        return self

    def readiness(self, code: str) -> Range:
        return self.readiness_hours.get(code, self.readiness_hours["default"])


def load_operations(data_dir: Path = DATA_DIR) -> Operations:
    file = data_dir / "operations.yaml"
    return validate(Operations, load_yaml(file), file)
