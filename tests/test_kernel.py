"""The rules kernel against the traced path: one set of rules, read two ways (decision 0006)."""

from __future__ import annotations

import numpy as np
import pytest

from csto.domain.crisis import Measure
from csto.engine import evaluate, fast, kernel
from csto.engine.kernel import columns
from csto.engine.kernel import layout as kernel_tables
from csto.law import Tracer

from .strategies import random_batch
from .worlds import WORLD

REFORMS = [
    (),
    ("majority-vote",),
    ("no-request-needed",),
    ("majority-vote", "no-request-needed"),
    ("neutral-politics",),
]


def test_the_kernel_implements_exactly_the_rule_tables() -> None:
    assert kernel.supported(), (
        "ALLOWANCES, CAPS or FACTORS changed: update csto/engine/kernel.py (KERNEL_RULES and the "
        "rule it reads), then run this module"
    )


@pytest.mark.parametrize("reforms", REFORMS)
def test_the_kernel_decides_like_the_traced_path(reforms: tuple[str, ...]) -> None:
    regime = WORLD.regime_for(reforms)
    n = 100_000 if not reforms else 20_000  # 180,000 random crises in all
    seed = len(reforms) * 7 + len("".join(reforms))
    batch = random_batch(regime, n, seed=seed, focused=seed % 2 == 0)
    traced = evaluate(batch, regime, Tracer(regime), russia=True)
    out, acts, willing = kernel.decide(batch, regime, russia=True, willing=True)
    mismatches = np.flatnonzero(out != traced.outcome)
    assert len(mismatches) == 0, f"{len(mismatches)} of {n} differ, first rows {mismatches[:5]}"
    assert traced.russia is not None
    np.testing.assert_array_equal(acts, traced.russia.acts)
    reached = np.bincount(out, minlength=len(Measure))
    assert (reached >= n // 1000).all(), reached  # the sample reaches every rung of the ladder
    pos = traced.positions
    accepts = pos.present & ~pos.abstain & ~pos.appellant & (pos.ceiling >= Measure.DEPLOYMENT)
    bits = (accepts.astype(np.int64) << np.arange(accepts.shape[1], dtype=np.int64)).sum(axis=1)
    assert willing is not None
    np.testing.assert_array_equal(willing, bits)


CONSENSUS = [r for r in REFORMS if "majority-vote" not in r]


@pytest.mark.parametrize("reforms", CONSENSUS)
def test_the_columnar_kernel_decides_like_the_traced_path(reforms: tuple[str, ...]) -> None:
    """Random crises, each its own structure: a record for each, then the rows (140,000 in all)."""
    regime = WORLD.regime_for(reforms)
    n = 100_000 if not reforms else 20_000
    seed = 101 + len("".join(reforms))
    batch = random_batch(regime, n, seed=seed, focused=seed % 2 == 1)
    traced = evaluate(batch, regime, russia=True)
    found = columns.decide(batch, regime, russia=True, always=True)
    assert found is not None
    out, acts = found
    mismatches = np.flatnonzero(out != traced.outcome)
    assert len(mismatches) == 0, f"{len(mismatches)} of {n} differ, first rows {mismatches[:5]}"
    assert traced.russia is not None
    differ = np.flatnonzero(acts != traced.russia.acts)
    assert len(differ) == 0, f"Russia's course: {len(differ)} of {n} differ, first {differ[:5]}"
    reached = np.bincount(out, minlength=len(Measure))
    assert (reached >= n // 1000).all(), reached
    assert len(np.unique(acts)) == 3  # every course of Russia's reached


def test_the_columnar_kernel_on_a_sweep_of_few_structures(monkeypatch: pytest.MonkeyPatch) -> None:
    """A sweep's batch (broadcast columns, a dense table of structures), and the same batch through
    the distinct-structure table: both as the traced path decides."""
    from pathlib import Path

    from csto.analysis.spec import scenarios
    from csto.service.sweeping import load_sweep

    regime = WORLD.regime
    spec, base = load_sweep(WORLD, Path(__file__).parent.parent / "examples/wide-sweep.yaml")
    variables = spec.variables()
    u = np.random.default_rng(3).random((60_000, len(variables)))
    batch = scenarios(variables, base, regime, u)
    traced = evaluate(batch, regime, russia=True)
    assert traced.russia is not None
    # the lean loop (no structure reaches the law's parameter caps or a conflict's), the full one
    assert columns._reached(np.zeros(1, dtype=np.int64), columns.CONFLICT) is None
    for limit, full in ((columns.DENSE_LIMIT, False), (0, False), (columns.DENSE_LIMIT, True)):
        monkeypatch.setattr(columns, "DENSE_LIMIT", limit)
        if full:
            monkeypatch.setattr(columns, "_reached", lambda rec_w, flags: True)
        found = columns.decide(batch, regime, russia=True)
        assert found is not None
        np.testing.assert_array_equal(found[0], traced.outcome)
        np.testing.assert_array_equal(found[1], traced.russia.acts)
    assert len(np.unique(traced.outcome)) >= 3


def test_the_columnar_kernel_agrees_with_the_row_kernel_on_regimes_the_data_lacks() -> None:
    """Random members present, frozen and abstaining (the provider too), without power, with random
    traits and dependence: what the records and the provider's lead must get right."""
    import dataclasses

    regime = WORLD.regime
    t = kernel.tables(regime)
    rng = np.random.default_rng(21)
    prov = t.provider
    for variant in range(6):
        present = rng.random(t.present.shape) < 0.8
        abstains = present & (rng.random(t.present.shape) < 0.3)
        present[:, prov] = variant != 5  # the provider absent in one variant
        abstains[:, prov] = variant in (0, 1, 2)  # present and standing aside in three
        alt = dataclasses.replace(
            t,
            present=present,
            abstains=abstains,
            power=rng.random(t.power.shape) < (0.3 if variant == 3 else 0.9),
            committed=rng.random(t.committed.shape) < 0.5,
            precedent=rng.random(t.precedent.shape) < 0.5,
            annex_refusal=rng.random(t.annex_refusal.shape) < 0.5,
            backing=rng.integers(-1, 2, t.backing.shape).astype(np.int8),
            dependence=rng.choice([0.0, 1.0, 1.5, 2.0, 3.0], t.dependence.shape),
        )
        batch = random_batch(regime, 20_000, seed=300 + variant, focused=variant % 2 == 0)
        found = columns.decide(batch, regime, russia=True, kernel_tables=alt, always=True)
        assert found is not None
        out, acts, _ = kernel.decide(batch, regime, russia=True, kernel_tables=alt)
        differ = np.flatnonzero(found[0] != out)
        assert len(differ) == 0, f"variant {variant}: {len(differ)} differ, first {differ[:5]}"
        np.testing.assert_array_equal(found[1], acts)


@pytest.mark.parametrize("n", [1, 2, 2047, 2048, 2049, 6000])
def test_the_columnar_kernel_on_small_batches_and_chunk_edges(
    n: int, monkeypatch: pytest.MonkeyPatch
) -> None:
    """One appellant, territory and opponents for the batch (broadcast, as a sweep makes them) and
    everything else varying, the ties threshold too: the dense table and the distinct-structure
    table, over chunk boundaries."""
    import dataclasses

    regime = WORLD.regime
    batch = random_batch(regime, n, seed=n)
    ties = np.random.default_rng(n).integers(0, 6, n).astype(np.int8)
    batch = dataclasses.replace(
        batch,
        appellant=np.broadcast_to(batch.appellant[:1], (n,)),
        territory=np.broadcast_to(batch.appellant[:1], (n,)),
        opponents=np.broadcast_to(
            np.full((1, batch.opponents.shape[1]), -1, np.int16), batch.opponents.shape
        ),
        overrides={**batch.overrides, "ties_threshold": ties},
    )
    traced = evaluate(batch, regime, russia=True)
    assert traced.russia is not None
    for per_record in (columns.ROWS_PER_RECORD, 0):  # 0: the dense table even for a small batch
        monkeypatch.setattr(columns, "ROWS_PER_RECORD", per_record)
        found = columns.decide(batch, regime, russia=True, always=True)
        assert found is not None
        np.testing.assert_array_equal(found[0], traced.outcome)
        np.testing.assert_array_equal(found[1], traced.russia.acts)


def test_the_columnar_kernel_leaves_what_it_does_not_read_to_the_row_kernel() -> None:
    majority = WORLD.regime_for(("majority-vote",))
    batch = random_batch(majority, 2_000, seed=4)
    assert columns.decide(batch, majority) is None  # a vote count needs every member's position
    regime = WORLD.regime
    distinct = random_batch(regime, 2_000, seed=4)
    assert columns.decide(distinct, regime) is None  # every crisis its own structure
    for r, b in ((majority, batch), (regime, distinct)):
        np.testing.assert_array_equal(fast.outcomes(b, r), evaluate(b, r).outcome)


def test_wide_vectors_leave_a_setting_alone_and_a_cpu_without_them(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    from numba.core import config

    from csto.engine.kernel import vectors

    class Features(dict):  # type: ignore[type-arg]
        def flatten(self) -> str:
            return ",".join(("+" if on else "-") + name for name, on in self.items())

    monkeypatch.setattr(config, "CPU_FEATURES", config.CPU_FEATURES)  # restored afterwards
    monkeypatch.setenv(vectors.SETTING, "+sse2")
    vectors.wide_vectors(Features(avx2=True, avx512f=True))
    assert vectors.os.environ[vectors.SETTING] == "+sse2"  # the user's value stands
    monkeypatch.delenv(vectors.SETTING)
    vectors.wide_vectors(Features(avx2=True, avx512f=False))
    assert vectors.SETTING not in vectors.os.environ  # no AVX-512: nothing to change
    vectors.wide_vectors(Features(avx2=True, avx512f=True))
    assert vectors.os.environ[vectors.SETTING] == "+avx2,+avx512f,-prefer-256-bit"
    assert config.CPU_FEATURES == "+avx2,+avx512f,-prefer-256-bit"  # numba is loaded already


def test_without_overrides_and_in_small_batches_too() -> None:
    regime = WORLD.regime
    batch = random_batch(regime, 3_000, seed=11, overrides=False)
    expected = evaluate(batch, regime).outcome
    np.testing.assert_array_equal(kernel.decide(batch, regime)[0], expected)
    focused = random_batch(regime, 3_000, seed=12, focused=True)
    np.testing.assert_array_equal(
        kernel.decide(focused, regime)[0], evaluate(focused, regime).outcome
    )
    for i in range(0, 50):  # a batch of one decides as the whole batch does
        one = batch.take(np.array([i]))
        assert kernel.decide(one, regime)[0][0] == evaluate(one, regime).outcome[0]


def test_memoisation_switches_itself_off_when_rows_are_distinct() -> None:
    regime = WORLD.regime
    distinct = random_batch(regime, 50_000, seed=5)
    assert fast.distinct_share(distinct) > 0.5
    repeated = distinct.take(np.arange(50_000) % 40)
    assert fast.distinct_share(repeated) <= fast.MEMO_SHARE
    for batch in (distinct, repeated):
        expected = evaluate(batch, regime).outcome
        for memo in (None, True, False):
            np.testing.assert_array_equal(fast.outcomes(batch, regime, memo=memo), expected)


def test_a_kernel_behind_the_tables_falls_back_to_the_traced_path(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    regime = WORLD.regime
    batch = random_batch(regime, 5_000, seed=2)
    monkeypatch.setattr(kernel_tables, "KERNEL_RULES", ((), (), ()))
    assert not kernel.supported()
    called = []
    monkeypatch.setattr(kernel, "decide", lambda *a, **k: called.append(1))
    np.testing.assert_array_equal(fast.outcomes(batch, regime), evaluate(batch, regime).outcome)
    out, acts, _ = fast.decided(batch, regime)
    traced = evaluate(batch, regime, russia=True)
    np.testing.assert_array_equal(out, traced.outcome)
    assert traced.russia is not None
    np.testing.assert_array_equal(acts, traced.russia.acts)
    assert not called
