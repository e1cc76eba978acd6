"""Many crises at once, as a pandas DataFrame: for notebooks and scripts.

    assess_frame(world, crises, reforms=())
        one row per crisis: id, title, date, appellant, asked, legal_ceiling, outcome, and one column
        per state in the data holding its position (None where it is not a member on that date)

The rules run once over the whole batch (no trace); `assess` explains any single row.
"""

from __future__ import annotations

from collections.abc import Sequence

import pandas as pd  # the `analysis` extra: only notebooks and sweeps need it

from csto.domain.crisis import Crisis, Measure
from csto.engine.assess import evaluate
from csto.law import CrisisBatch
from csto.world import World

LADDER = pd.CategoricalDtype([m.label for m in Measure], ordered=True)


def assess_frame(
    world: World, crises: Sequence[Crisis], reforms: Sequence[str] = ()
) -> pd.DataFrame:
    regime = world.regime_for(reforms)
    batch = CrisisBatch.from_crises(list(crises), regime)
    ev = evaluate(batch, regime)
    labels = [m.label for m in Measure]
    frame = pd.DataFrame(
        {
            "id": [c.id for c in crises],
            "title": [c.title for c in crises],
            "date": pd.to_datetime([c.date for c in crises]),
            "appellant": [c.appeal.by if c.appeal else None for c in crises],
            "asked": pd.Categorical(
                [c.appeal.ask.label if c.appeal else None for c in crises], dtype=LADDER
            ),
            "legal_ceiling": pd.Categorical.from_codes(ev.law.ceiling, dtype=LADDER),
            "outcome": pd.Categorical.from_codes(ev.outcome, dtype=LADDER),
        }
    )
    for m, code in enumerate(regime.members):
        present = ev.positions.present[:, m]
        frame[code] = pd.Categorical(
            [
                labels[v] if p else None
                for v, p in zip(ev.positions.ceiling[:, m], present, strict=True)
            ],
            dtype=LADDER,
        )
    return frame
