"""A run's random durations: numpy's triangular draws, computed from buffered uniform numbers.

`numpy.random.Generator.triangular(low, mode, high)` takes one double from the bit generator and
transforms it; `Generator.random(k)` hands out the same doubles k at a time. Drawing them in blocks
and applying numpy's transform in Python gives exactly the numbers the scalar calls give, in the
same order, at a fraction of a scalar call's cost (a lifecycle makes a few hundred draws).

    Draws(rng).range(r)    one draw from a Range (its mode where low == high, as Range.draw does)
"""

from __future__ import annotations

import math

import numpy as np

from csto.domain.operations import Range

BLOCK = 256


class Draws:
    def __init__(self, rng: np.random.Generator) -> None:
        self.rng = rng
        self.buffer: list[float] = []
        self.next = 0
        # per Range, by identity, the constants of numpy's transform, computed once with the same
        # floating-point steps; the entry keeps its Range alive, so no other object takes its id
        self.shapes: dict[int, tuple[Range, tuple[float, float, float, float, float, float]]] = {}

    def uniform(self) -> float:
        if self.next == len(self.buffer):
            self.buffer = self.rng.random(BLOCK).tolist()
            self.next = 0
        u = self.buffer[self.next]
        self.next += 1
        return u

    def range(self, r: Range) -> float:
        entry = self.shapes.get(id(r))
        if entry is None:
            entry = self.shapes[id(r)] = (r, _shape(r))
        low, mode, high, ratio, left_product, right_product = entry[1]
        if low == high:
            return mode
        # numpy's random_triangular (distributions.c), step by step
        u = self.uniform()
        if u <= ratio:
            return low + math.sqrt(u * left_product)
        return high - math.sqrt((1.0 - u) * right_product)


def _shape(r: Range) -> tuple[float, float, float, float, float, float]:
    b = r.range
    if b.low == b.high:
        return b.low, b.mode, b.high, 0.0, 0.0, 0.0
    base = b.high - b.low
    left_base = b.mode - b.low
    return b.low, b.mode, b.high, left_base / base, left_base * base, (b.high - b.mode) * base
