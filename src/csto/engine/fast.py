"""Outcomes for many crises at once: the rules kernel on every row, or each distinct crisis once.

Ways to decide a batch, all equal to `evaluate(batch, regime, russia=True)`:
- the columnar kernel (csto.engine.kernel.columns): a record per crisis structure, then every row in
  vector lanes; where the Council decides by consensus and the structures are few (sweeps);
- the row kernel (csto.engine.kernel.rows): every row in one compiled pass, everywhere else;
- memoisation: pack each crisis's inputs into one integer key (mixed radix over the observed range of
  each column), decide each distinct key once, spread the outcomes back.
The columnar kernel is faster than memoisation even where scenarios repeat (docs/benchmarks.md), so
it goes first. Otherwise memoisation is used only where few scenarios repeat many times: a sample
of the batch is examined first, and unless at most MEMO_SHARE of its rows are distinct, every row
goes to the row kernel. Where the kernels do not cover the rule tables (kernel.supported() is
false: someone changed the rules and not the kernels), everything goes through the traced path,
memoised.

    outcomes(batch, regime, memo=None)   (n,) int8 ladder values; memo True/False forces the choice
    decisions(batch, regime, russia=True, memo=None)
                                         the outcomes and (n,) int8 codes of Russia's own course
                                         (csto.politics.russia.ACTS)
    decided(batch, regime)               (outcomes, Russia's course, willing-members mask)
    distinct_share(batch)                the share of distinct scenarios in a sample of the batch
"""

from __future__ import annotations

from collections.abc import Callable

import numpy as np

from csto.domain.crisis import Measure
from csto.engine import kernel
from csto.engine.assess import evaluate
from csto.engine.kernel import columns
from csto.law import CrisisBatch, Regime

LOOKUP_LIMIT = 1 << 22  # key spaces up to this size use a dense lookup table
KEY_LIMIT = 1 << 62
SAMPLE = 4096  # rows examined to decide whether memoisation pays
MEMO_SHARE = 0.5  # memoise only where at most half the sampled rows are distinct

Decide = Callable[[CrisisBatch], tuple[np.ndarray, np.ndarray | None]]


def _keys(batch: CrisisBatch) -> tuple[np.ndarray, int] | None:
    key = np.zeros(len(batch), dtype=np.int64)
    space = 1
    for values in batch.columns().values():
        if values.dtype.kind == "f":
            return None  # a continuous parameter: no mixed radix
        low, high = int(values.min()), int(values.max())
        radix = high - low + 1
        if radix == 1:
            continue
        if space * radix >= KEY_LIMIT:
            return None
        key *= radix
        key += values
        if low:
            key -= low
        space *= radix
    return key, space


def distinct_share(batch: CrisisBatch) -> float:
    """Distinct scenarios per row among the first SAMPLE rows."""
    n = min(len(batch), SAMPLE)
    if n == 0:
        return 1.0
    sample = batch.take(np.arange(n)).columns().values()
    rows = np.column_stack([c.astype(np.float64) for c in sample])
    return len(np.unique(rows, axis=0)) / n


def _memoised(
    batch: CrisisBatch, decide_rows: Decide
) -> tuple[np.ndarray, np.ndarray | None] | None:
    n = len(batch)
    packed = _keys(batch)
    if packed is None:
        return None
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
    out, acts = decide_rows(batch.take(representatives))
    return np.asarray(out[inverse], dtype=np.int8), (acts[inverse] if acts is not None else None)


def _traced(regime: Regime, russia: bool) -> Decide:
    def decide_rows(b: CrisisBatch) -> tuple[np.ndarray, np.ndarray | None]:
        ev = evaluate(b, regime, russia=russia)
        return ev.outcome, (ev.russia.acts if ev.russia is not None else None)

    return decide_rows


def _compiled(regime: Regime, russia: bool, columnar: bool = True) -> Decide:
    """The columnar kernel where it applies (unless `columnar` is false: it was asked already and
    declined), else the row kernel."""

    def decide_rows(b: CrisisBatch) -> tuple[np.ndarray, np.ndarray | None]:
        found = columns.decide(b, regime, russia=russia) if columnar else None
        if found is not None:
            return found
        out, acts, _ = kernel.decide(b, regime, russia=russia)
        return out, acts

    return decide_rows


def decisions(
    batch: CrisisBatch, regime: Regime, russia: bool = True, memo: bool | None = None
) -> tuple[np.ndarray, np.ndarray | None]:
    n = len(batch)
    if n == 0:
        return np.zeros(0, dtype=np.int8), (np.zeros(0, dtype=np.int8) if russia else None)
    if not kernel.supported():
        decide_rows = _traced(regime, russia)
        return _memoised(batch, decide_rows) or decide_rows(batch)
    decide_rows = _compiled(regime, russia)
    if memo is None:
        found = columns.decide(batch, regime, russia=russia)  # faster than memoisation, always
        if found is not None:
            return found
        decide_rows = _compiled(regime, russia, columnar=False)
        memo = n >= 4 * SAMPLE and distinct_share(batch) <= MEMO_SHARE
    if memo:
        found = _memoised(batch, decide_rows)
        if found is not None:
            return found
    return decide_rows(batch)


def outcomes(batch: CrisisBatch, regime: Regime, memo: bool | None = None) -> np.ndarray:
    return decisions(batch, regime, russia=False, memo=memo)[0]


def decided(batch: CrisisBatch, regime: Regime) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """Outcomes, Russia's course, and the mask of voting members other than the appellant who
    accept a deployment (bit m for member m)."""
    if kernel.supported():
        out, acts, willing = kernel.decide(batch, regime, russia=True, willing=True)
        assert acts is not None
        assert willing is not None
        return out, acts, willing
    ev = evaluate(batch, regime, russia=True)
    assert ev.russia is not None
    pos = ev.positions
    accepts = pos.present & ~pos.abstain & ~pos.appellant & (pos.ceiling >= Measure.DEPLOYMENT)
    bits = np.int64(1) << np.arange(accepts.shape[1], dtype=np.int64)
    return ev.outcome, ev.russia.acts, (accepts.astype(np.int64) * bits).sum(axis=1)
