"""Crises as columns of numbers: the one scenario object the rules evaluate, one crisis or millions.

    CrisisBatch                columns (n,) or (n, K) of codes; `epoch` is the date's epoch
    CrisisBatch.from_crises    encode validated Crisis objects against a Regime
    CrisisBatch.from_arrays    wrap columns made elsewhere (the Monte Carlo sampler)

Codes: kinds, involvement and intensity by their order in csto.domain.crisis; states by their index in
the regime's universe (-1: none); opponents in up to K = 4 slots, padded with -1, plus a non-state flag.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import date
from typing import Any

import numpy as np

from csto.domain.crisis import Crisis, Intensity, Invokes, Involvement, Kind, Measure
from csto.domain.errors import DateOutOfRange
from csto.law.regime import Regime

OPPONENT_SLOTS = 4
KINDS = tuple(Kind)
INVOKES = tuple(Invokes)
INVOLVEMENTS = tuple(Involvement)
INTENSITIES = tuple(Intensity)


def code_of(values: Sequence[object], value: object) -> int:
    return list(values).index(value)


@dataclass(frozen=True)
class CrisisBatch:
    ordinal: np.ndarray  # (n,) int64 proleptic ordinal of the date
    epoch: np.ndarray  # (n,) int epoch index in the regime
    appellant: np.ndarray  # (n,) int universe index, -1 without appeal
    invokes: np.ndarray  # (n,) int8 code, -1 without appeal
    asks: np.ndarray  # (n,) int8 ladder value; DEPLOYMENT (no cap) without appeal
    kind: np.ndarray  # (n,) int8
    territory: np.ndarray  # (n,) int universe index
    opponents: np.ndarray  # (n, K) int universe index, -1 padding
    foreign: np.ndarray  # (n,) int8 involvement code
    intensity: np.ndarray  # (n,) int8
    government_at_risk: np.ndarray  # (n,) bool
    un_mandate: np.ndarray  # (n,) bool
    casualties: np.ndarray  # (n,) int32, -1 where the file does not say
    host_consent: np.ndarray  # (n,) int8: 1 the host state consents, 0 it does not, -1 not stated
    # Per-crisis values that replace the regime's: model parameters (coded as the regime codes them)
    # and "provider_committed" (bool: the power-projection provider's forces are tied up elsewhere).
    overrides: dict[str, np.ndarray] = field(default_factory=dict)

    def __len__(self) -> int:
        return int(self.ordinal.shape[0])

    @property
    def has_appeal(self) -> np.ndarray:
        return self.appellant >= 0

    def columns(self) -> dict[str, np.ndarray]:
        """The per-crisis inputs the rules read (the epoch stands for the date), overrides included."""
        cols = {
            "epoch": self.epoch,
            "appellant": self.appellant,
            "invokes": self.invokes,
            "asks": self.asks,
            "kind": self.kind,
            "territory": self.territory,
            "foreign": self.foreign,
            "intensity": self.intensity,
            "government_at_risk": self.government_at_risk,
            "un_mandate": self.un_mandate,
            "casualties": self.casualties,
            "host_consent": self.host_consent,
        }
        for k in range(self.opponents.shape[1]):
            cols[f"opponent{k}"] = self.opponents[:, k]
        for name, values in sorted(self.overrides.items()):
            cols[f"override:{name}"] = values
        return cols

    def take(self, rows: np.ndarray) -> CrisisBatch:
        """The crises at `rows`, as a new batch."""
        return CrisisBatch(
            ordinal=self.ordinal[rows],
            epoch=self.epoch[rows],
            appellant=self.appellant[rows],
            invokes=self.invokes[rows],
            asks=self.asks[rows],
            kind=self.kind[rows],
            territory=self.territory[rows],
            opponents=self.opponents[rows],
            foreign=self.foreign[rows],
            intensity=self.intensity[rows],
            government_at_risk=self.government_at_risk[rows],
            un_mandate=self.un_mandate[rows],
            casualties=self.casualties[rows],
            host_consent=self.host_consent[rows],
            overrides={k: v[rows] for k, v in self.overrides.items()},
        )

    def param(self, regime: Regime, name: str) -> Any:
        """A model parameter: this batch's per-crisis values (n,) if it overrides it, else the regime's."""
        return self.overrides.get(name, regime.params[name])

    @classmethod
    def from_arrays(
        cls, regime: Regime, overrides: dict[str, np.ndarray] | None = None, **columns: np.ndarray
    ) -> CrisisBatch:
        ordinal = np.asarray(columns.pop("ordinal"), dtype=np.int64)
        epoch = regime.epoch_of(ordinal)
        if len(epoch) and int(epoch.min()) < 0:
            first = date.fromordinal(int(ordinal[int(np.argmin(epoch))]))
            raise DateOutOfRange(first, date.fromordinal(int(regime.epoch_starts[0])))
        return cls(ordinal=ordinal, epoch=epoch, overrides=overrides or {}, **columns)

    @classmethod
    def from_crises(cls, crises: Sequence[Crisis], regime: Regime) -> CrisisBatch:
        n = len(crises)
        ui = regime.universe_index
        opponents = np.full((n, OPPONENT_SLOTS), -1, dtype=np.int16)
        for i, c in enumerate(crises):
            for k, code in enumerate(c.situation.opposing_states):
                opponents[i, k] = ui[code]
        return cls.from_arrays(
            regime,
            ordinal=np.array([c.date.toordinal() for c in crises], dtype=np.int64),
            appellant=np.array(
                [ui[c.appeal.by] if c.appeal else -1 for c in crises], dtype=np.int16
            ),
            invokes=np.array(
                [code_of(INVOKES, c.appeal.invokes) if c.appeal else -1 for c in crises],
                dtype=np.int8,
            ),
            asks=np.array(
                [c.appeal.ask if c.appeal else Measure.DEPLOYMENT for c in crises], dtype=np.int8
            ),
            kind=np.array([code_of(KINDS, c.situation.kind) for c in crises], dtype=np.int8),
            territory=np.array([ui[c.situation.territory] for c in crises], dtype=np.int16),
            opponents=opponents,
            foreign=np.array(
                [code_of(INVOLVEMENTS, c.situation.foreign_involvement) for c in crises],
                dtype=np.int8,
            ),
            intensity=np.array(
                [code_of(INTENSITIES, c.situation.intensity) for c in crises], dtype=np.int8
            ),
            government_at_risk=np.array(
                [c.situation.government_at_risk for c in crises], dtype=bool
            ),
            un_mandate=np.array([c.situation.un_mandate for c in crises], dtype=bool),
            casualties=np.array(
                [-1 if c.situation.casualties is None else c.situation.casualties for c in crises],
                dtype=np.int32,
            ),
            host_consent=np.array(
                [
                    -1 if c.situation.host_consent is None else int(c.situation.host_consent)
                    for c in crises
                ],
                dtype=np.int8,
            ),
        )
