"""Sweep results as Parquet: one row per scenario and lever, inputs and outcome as labels.

write_parquet(result, path)   columns: lever, sample, one per uncertain input, outcome
"""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pyarrow as pa
import pyarrow.parquet as pq

from csto.analysis.montecarlo import SweepResult
from csto.domain.crisis import Measure
from csto.domain.errors import UsageError, check_output_path


def _labels(
    codes: np.ndarray, all_codes: np.ndarray, labels: tuple[str, ...]
) -> pa.DictionaryArray:
    position = np.zeros(int(all_codes.max()) + 1, dtype=np.int32)
    position[all_codes] = np.arange(len(all_codes))
    return pa.DictionaryArray.from_arrays(pa.array(position[codes]), pa.array(list(labels)))


def write_parquet(result: SweepResult, path: Path) -> int:
    check_output_path(path, (".parquet",), "output")
    tables = []
    ladder = pa.array([m.label for m in Measure])
    for name, lever in result.levers.items():
        if not lever.rows:
            continue
        inputs = np.concatenate([r.inputs for r in lever.rows if r.inputs is not None])
        outcome = np.concatenate([r.outcome for r in lever.rows if r.outcome is not None])
        sample = np.concatenate(
            [
                r.index * result.batch_size + np.arange(len(r.outcome))
                for r in lever.rows
                if r.outcome is not None
            ]
        )
        columns = {
            "lever": pa.DictionaryArray.from_arrays(
                pa.array(np.zeros(len(outcome), dtype=np.int32)), pa.array([name])
            ),
            "sample": pa.array(sample),
        }
        for j, var in enumerate(result.variables):
            columns[var.name] = _labels(inputs[:, j], var.codes, var.labels)
        columns["outcome"] = pa.DictionaryArray.from_arrays(
            pa.array(outcome.astype(np.int32)), ladder
        )
        tables.append(pa.table(columns))
    if not tables:
        raise UsageError(f"{path}: no batch of the sweep completed, so there is nothing to write")
    table = pa.concat_tables(tables, promote_options="permissive")
    pq.write_table(table, path)
    return int(table.num_rows)
