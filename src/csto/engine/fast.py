"""Outcomes for many crises at once, evaluating each distinct crisis only once.

A sweep draws millions of scenarios from a handful of discrete inputs, so most of them repeat. We
pack each crisis's inputs into one integer key (mixed radix over the observed range of each column),
find the distinct keys, run the rules (`csto.engine.evaluate`, the same code `csto assess` runs) on
one representative of each, and spread the outcomes back. The rules are not rewritten: this is
memoisation over arrays.

    outcomes(batch, regime)   (n,) int8 ladder values, equal to evaluate(batch, regime).outcome
    decisions(batch, regime)  the outcomes and (n,) int8 codes of Russia's own course
                              (csto.politics.russia.ACTS), equal to evaluate(..., russia=True)
"""

from __future__ import annotations

import numpy as np

from csto.engine.assess import evaluate
from csto.law import CrisisBatch, Regime

LOOKUP_LIMIT = 1 << 22  # key spaces up to this size use a dense lookup table
KEY_LIMIT = 1 << 62


def _keys(batch: CrisisBatch) -> tuple[np.ndarray, int] | None:
    key = np.zeros(len(batch), dtype=np.int64)
    space = 1
    for values in batch.columns().values():
        v = values.astype(np.int64, copy=False)
        low, high = int(v.min()), int(v.max())
        radix = high - low + 1
        if radix == 1:
            continue
        if space * radix >= KEY_LIMIT:
            return None
        key *= radix
        key += v - low
        space *= radix
    return key, space


def outcomes(batch: CrisisBatch, regime: Regime) -> np.ndarray:
    return decisions(batch, regime, russia=False)[0]


def decisions(
    batch: CrisisBatch, regime: Regime, russia: bool = True
) -> tuple[np.ndarray, np.ndarray | None]:
    n = len(batch)
    if n == 0:
        return np.zeros(0, dtype=np.int8), (np.zeros(0, dtype=np.int8) if russia else None)
    packed = _keys(batch)
    if packed is None:
        ev = evaluate(batch, regime, russia=russia)
        return ev.outcome, (ev.russia.acts if ev.russia is not None else None)
    key, space = packed
    if space <= LOOKUP_LIMIT:
        first = np.full(space, -1, dtype=np.int64)
        first[key[::-1]] = np.arange(n - 1, -1, -1)  # repeated writes keep the last: the first row
        distinct = np.flatnonzero(first >= 0)
        lookup = np.empty(space, dtype=np.int64)
        lookup[distinct] = np.arange(len(distinct))
        representatives, inverse = first[distinct], lookup[key]
    else:
        _, representatives, inverse = np.unique(key, return_index=True, return_inverse=True)
    ev = evaluate(batch.take(representatives), regime, russia=russia)
    acts = ev.russia.acts[inverse] if ev.russia is not None else None
    return np.asarray(ev.outcome[inverse], dtype=np.int8), acts
