"""Decision scenarios from tests/scenarios/decisions.yaml: facts in, expected decision out.

The runner is strict, so a misspelt key or rule name fails instead of silently checking nothing.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
import yaml

from csto.domain.crisis import parse_crisis
from csto.engine import Assessment, assess
from csto.law.rules import ALLOWANCES, CAPS
from csto.politics.positions import FACTORS, FOLLOW, PRIOR

from .worlds import WORLD

CASES = yaml.safe_load((Path(__file__).parent / "scenarios" / "decisions.yaml").read_text())
CASE_KEYS = {"name", "crisis", "reforms", "expect", "note"}
EXPECT_KEYS = {
    "outcome",
    "legal_ceiling",
    "blocked_by",
    "law_rules",
    "not_law_rules",
    "member_rules",
}
# Every rule or factor a step can name: the rule tables, the factors, and the steps the engine adds.
KNOWN_RULES = (
    {r.name for r in (*ALLOWANCES, *CAPS)}
    | {f.name for f in (*FACTORS, FOLLOW, PRIOR)}
    | {"art2_obligation", "appellant", "abstention"}
)


def check_case(case: dict[str, Any]) -> None:
    """A scenario's own shape: known keys, known rule names. Raises ValueError naming the fault."""
    unknown = set(case) - CASE_KEYS
    if unknown:
        raise ValueError(
            f"{case.get('name')}: unknown keys {sorted(unknown)}; allowed {sorted(CASE_KEYS)}"
        )
    expect = case.get("expect")
    if not isinstance(expect, dict) or not expect:
        raise ValueError(f"{case.get('name')}: `expect` must name at least one expectation")
    unknown = set(expect) - EXPECT_KEYS
    if unknown:
        raise ValueError(
            f"{case['name']}: unknown expect keys {sorted(unknown)}; allowed {sorted(EXPECT_KEYS)}"
        )
    named = [*expect.get("law_rules", ()), *expect.get("not_law_rules", ())]
    named += [r for rules in expect.get("member_rules", {}).values() for r in rules]
    bad = sorted(set(named) - KNOWN_RULES)
    if bad:
        raise ValueError(f"{case['name']}: unknown rule names {bad}")


def check_result(result: Assessment, expect: dict[str, Any]) -> None:
    if "outcome" in expect:
        assert result.outcome.label == expect["outcome"]
    if "legal_ceiling" in expect:
        assert result.legal.ceiling.label == expect["legal_ceiling"]
    if "blocked_by" in expect:
        assert {m: list(codes) for m, codes in result.blocked_by.items()} == expect["blocked_by"]
    law = {s.rule for s in result.legal.steps}
    assert set(expect.get("law_rules", ())) <= law
    assert not set(expect.get("not_law_rules", ())) & law
    positions = {code: {s.rule for s in p.reasons} for code, p in result.positions.items()}
    for code, rules in expect.get("member_rules", {}).items():
        assert set(rules) <= positions[code], (code, positions[code])


def run(case: dict[str, Any]) -> None:
    check_case(case)
    raw = {"format": 1, "id": "scenario", "title": case["name"], **case["crisis"]}
    raw["date"] = str(raw["date"])
    result = assess(WORLD, parse_crisis(raw, "decisions.yaml"), case.get("reforms", ()))
    check_result(result, case["expect"])


@pytest.mark.parametrize("case", CASES, ids=[c["name"] for c in CASES])
def test_scenario(case: dict[str, Any]) -> None:
    run(case)


def test_the_runner_refuses_what_it_cannot_check() -> None:
    good = CASES[0]
    with pytest.raises(ValueError, match="unknown expect keys"):
        run({**good, "expect": {"outcom": "mission"}})
    with pytest.raises(ValueError, match="unknown keys"):
        run({**good, "expected": good["expect"]})
    with pytest.raises(ValueError, match="unknown rule names"):
        run({**good, "expect": {"law_rules": ["art4_colective_defence"]}})
    with pytest.raises(AssertionError):  # and a wrong expectation fails
        run({**good, "expect": {"outcome": "none"}})
