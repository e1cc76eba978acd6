"""Where the map writes the states' names, so that no two names cover each other.

    Candidate            a name to write: at an anchor (pixels), played (a state with a role) or not
    Label                a name placed: its position and whether it is a played state's
    place_labels(cands)  played states first (in the order given), each tried above its anchor,
                         below it, then right and left of it; another state's name only at its
                         anchor, and left out rather than overlap

The width of a name is estimated from its length (DejaVu Sans is about 0.66 em a letter in bold):
a label never needs to be exact, only apart from the others.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass

LIFT = 12.0  # px from a played state's anchor up to its name: origin markers stand at the anchor
PLAYED_SIZE = 15.0
OTHER_SIZE = 12.0

Box = tuple[float, float, float, float]


@dataclass(frozen=True)
class Candidate:
    code: str
    name: str
    x: float
    y: float
    played: bool


@dataclass(frozen=True)
class Label:
    code: str
    name: str
    x: float
    y: float
    played: bool


def _overlap(a: Box, b: Box) -> bool:
    return a[0] < b[2] and b[0] < a[2] and a[1] < b[3] and b[1] < a[3]


def _box(x: float, y: float, half: float, size: float) -> Box:
    return (x - half, y - size, x + half, y + 3)


def place_labels(candidates: Iterable[Candidate], reserved: Iterable[Box] = ()) -> list[Label]:
    """`reserved`: boxes (x0, y0, x1, y1 in pixels) no label may cover where it has a choice,
    such as the legend's; a state that plays a part is named even so."""
    placed: list[Box] = list(reserved)
    labels = []
    for c in candidates:
        size = PLAYED_SIZE if c.played else OTHER_SIZE
        half = 0.33 * size * len(c.name)
        tries = (
            [(0.0, -LIFT), (0.0, LIFT + size + 6), (half + 10, 4.0), (-half - 10, 4.0)]
            if c.played
            else [(0.0, 0.0)]
        )
        free = [
            (dx, dy)
            for dx, dy in tries
            if not any(_overlap(_box(c.x + dx, c.y + dy, half, size), p) for p in placed)
        ]
        if not free and not c.played:
            continue
        dx, dy = free[0] if free else tries[0]  # a played state is always named
        placed.append(_box(c.x + dx, c.y + dy, half, size))
        labels.append(Label(c.code, c.name, c.x + dx, c.y + dy, c.played))
    return labels
