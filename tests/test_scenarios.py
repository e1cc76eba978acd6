"""Decision scenarios from tests/scenarios/decisions.yaml: facts in, expected decision out."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
import yaml

from csto.domain.crisis import parse_crisis
from csto.engine import assess

CASES = yaml.safe_load((Path(__file__).parent / "scenarios" / "decisions.yaml").read_text())


@pytest.mark.parametrize("case", CASES, ids=[c["name"] for c in CASES])
def test_scenario(case: dict[str, Any]) -> None:
    raw = {"format": 1, "id": "scenario", "title": case["name"], **case["crisis"]}
    raw["date"] = str(raw["date"])
    result = assess(parse_crisis(raw, "decisions.yaml"), case.get("reforms", ()))
    expect = case["expect"]
    if "outcome" in expect:
        assert result.outcome.label == expect["outcome"]
    if "legal_ceiling" in expect:
        assert result.legal_ceiling.label == expect["legal_ceiling"]
    if "blocked_by" in expect:
        assert {m.label: list(codes) for m, codes in result.blocked_by.items()} == expect[
            "blocked_by"
        ]
    law = {s.rule for s in result.legal_steps}
    assert set(expect.get("law_rules", ())) <= law
    assert not set(expect.get("not_law_rules", ())) & law
    positions = {p.code: {s.rule for s in p.reasons} for p in result.positions}
    for code, rules in expect.get("member_rules", {}).items():
        assert set(rules) <= positions[code], (code, positions[code])
