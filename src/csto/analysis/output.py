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
from csto.domain.errors import CstoError


class OutputError(CstoError):
    def __init__(self, message: str) -> None:
        super().__init__(message)


def _labels(
    codes: np.ndarray, all_codes: np.ndarray, labels: tuple[str, ...]
) -> pa.DictionaryArray:
    position = np.zeros(int(all_codes.max()) + 1, dtype=np.int32)
    position[all_codes] = np.arange(len(all_codes))
    return pa.DictionaryArray.from_arrays(pa.array(position[codes]), pa.array(list(labels)))


def write_parquet(result: SweepResult, path: Path) -> int:
    if path.suffix.lower() != ".parquet":
        raise OutputError(f"{path}: allowed: a file name ending in .parquet")
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
        raise OutputError("no completed batch to write")
    table = pa.concat_tables(tables, promote_options="permissive")
    pq.write_table(table, path)
    return int(table.num_rows)
