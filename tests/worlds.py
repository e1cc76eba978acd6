"""The World the tests share, loaded once from the shipped data, and shortcuts to its cases."""

from __future__ import annotations

from csto.domain import DATA_DIR
from csto.domain.crisis import Crisis
from csto.world import World

WORLD = World.load(DATA_DIR)


def case(case_id: str) -> Crisis:
    return WORLD.cases.get(case_id)


def case_ids() -> list[str]:
    return WORLD.cases.ids()
