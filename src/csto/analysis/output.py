"""Sweep rows as Parquet, written batch by batch as they arrive: memory stays flat at any size.

    ParquetRows(path, variables)   a pyarrow ParquetWriter with the sweep's schema; `.write(batch)`
                                   appends one batch's rows as a row group, `.close()` returns the
                                   row count (a sweep that completed no batch leaves no file)

Columns: lever and outcome (dictionary-encoded words), sample (its index in the lever's draw),
one per uncertain input: categorical inputs as the words of the spec (dictionary-encoded), the
casualties and sites as integers, parameters drawn continuously as the rung's word, the date as
a date.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

import numpy as np
import pyarrow as pa
import pyarrow.parquet as pq

from csto.analysis.montecarlo import BatchResult
from csto.analysis.spec import Variable, param_words
from csto.domain.crisis import Measure
from csto.domain.errors import UsageError, check_output_path

WORDS = pa.dictionary(pa.int32(), pa.string())
EPOCH_ORDINAL = 719163  # date(1970, 1, 1).toordinal(): Arrow's date32 counts days from it


class _Column:
    """How one input's codes or values become an Arrow column."""

    def __init__(self, var: Variable) -> None:
        self.var = var
        words = param_words(var.name) if not var.categorical else None
        if var.categorical:
            codes, labels = var.codes, list(var.labels)
        elif words is not None:
            codes, labels = np.array(list(words.values())), list(words)
        else:
            codes, labels = None, []
        self.dictionary = pa.array(labels, type=pa.string()) if codes is not None else None
        if codes is not None:
            self.position = np.zeros(int(np.max(codes)) + 1, dtype=np.int32)
            self.position[codes] = np.arange(len(codes), dtype=np.int32)
        self.type = (
            WORDS
            if codes is not None
            else pa.date32()
            if var.name == "date"
            else pa.int64()
            if var.integer
            else pa.float64()
        )

    def array(self, values: np.ndarray) -> pa.Array:
        if self.dictionary is not None:
            indices = pa.array(self.position[values.astype(np.int64)])
            return pa.DictionaryArray.from_arrays(indices, self.dictionary)
        if self.var.name == "date":
            return pa.array((values - EPOCH_ORDINAL).astype(np.int32), type=pa.date32())
        return pa.array(values, type=self.type)


class ParquetRows:
    def __init__(self, path: Path, variables: list[Variable], batch_size: int) -> None:
        check_output_path(path, (".parquet",), "output")
        self.path = path
        self.batch_size = batch_size
        self.columns = [_Column(v) for v in variables]
        fields = [pa.field("lever", WORDS), pa.field("sample", pa.int64())]
        fields += [pa.field(c.var.name, c.type) for c in self.columns]
        fields.append(pa.field("outcome", WORDS))
        self.schema = pa.schema(fields)
        self.ladder = pa.array([m.label for m in Measure])
        self.writer: Any = None
        self.rows = 0

    def write(self, batch: BatchResult) -> None:
        assert batch.inputs is not None
        assert batch.outcome is not None
        n = len(batch.outcome)
        arrays = [
            pa.DictionaryArray.from_arrays(
                pa.array(np.zeros(n, dtype=np.int32)), pa.array([batch.lever])
            ),
            pa.array(batch.index * self.batch_size + np.arange(n, dtype=np.int64)),
            *(c.array(batch.inputs[c.var.name]) for c in self.columns),
            pa.DictionaryArray.from_arrays(pa.array(batch.outcome.astype(np.int32)), self.ladder),
        ]
        if self.writer is None:
            self.writer = pq.ParquetWriter(self.path, self.schema)
        self.writer.write_table(pa.Table.from_arrays(arrays, schema=self.schema))
        self.rows += n

    def close(self) -> int:
        if self.writer is None:
            raise UsageError(
                f"{self.path}: no batch of the sweep completed, so there is nothing to write"
            )
        self.writer.close()
        return self.rows
