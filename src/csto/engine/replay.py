"""Replay the historical record: assess every shipped case and compare with what history did.

ReplayRow           case id, date, record (with the acceptable set), model outcome, match
replay(ids=None)    one row per case; the engine sees only the facts
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from typing import Any

from csto.domain.crisis import Measure, case_ids, find_case
from csto.engine.assess import assess


@dataclass(frozen=True)
class ReplayRow:
    case: str
    date: str
    record: Measure | None
    acceptable: tuple[Measure, ...]
    model: Measure
    blocked_by: dict[str, list[str]]

    @property
    def match(self) -> bool | None:
        if self.record is None:
            return None
        return self.model == self.record or self.model in self.acceptable

    def as_dict(self) -> dict[str, Any]:
        return {
            "case": self.case,
            "date": self.date,
            "record": self.record.label if self.record is not None else None,
            "acceptable": [m.label for m in self.acceptable],
            "model": self.model.label,
            "match": self.match,
            "blocked_by": self.blocked_by,
        }


def replay(ids: Iterable[str] | None = None, reforms: tuple[str, ...] = ()) -> list[ReplayRow]:
    rows = []
    for case_id in ids if ids is not None else case_ids():
        crisis = find_case(case_id)
        result = assess(crisis, reforms)
        record = crisis.record
        rows.append(
            ReplayRow(
                case=crisis.id,
                date=crisis.date.isoformat(),
                record=record.outcome if record else None,
                acceptable=record.acceptable if record else (),
                model=result.outcome,
                blocked_by={m.label: list(codes) for m, codes in result.blocked_by.items()},
            )
        )
    return rows
