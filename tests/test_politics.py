"""The politics the seeds call decisive: Moscow's stance and instruments, fear of precedent,
dependence, host consent, silence without a request, and Russia's own course beside the Council's."""

from __future__ import annotations

import json
import re
from datetime import date
from pathlib import Path
from typing import Any

import pytest
from typer.testing import CliRunner

from csto.cli import app
from csto.domain.crisis import Crisis, Measure, RussiaAct, parse_crisis
from csto.domain.models import Relation, RelationLevel
from csto.engine import assess
from csto.engine.replay import replay
from csto.world import World

from .worlds import WORLD, case, case_ids

runner = CliRunner()
ROOT = Path(__file__).resolve().parent.parent


def crisis(day: str, situation: dict[str, Any], appeal: dict[str, Any] | None = None) -> Crisis:
    raw = {"format": 1, "id": "probe", "title": "probe", "date": day, "appeal": appeal}
    raw["situation"] = {"opponents": ["non_state"], "intensity": "low", **situation}
    return parse_crisis(raw, "probe.yaml")


def outcome(c: Crisis, world: World = WORLD) -> Measure:
    return assess(world, c).outcome


# --- the case base, scored honestly -------------------------------------------------------------
def test_the_case_base_replays_with_the_accuracy_it_claims() -> None:
    report = replay(WORLD)
    acc = report.accuracy
    assert acc.scored >= 25
    assert acc.acceptable == acc.scored  # every record or an acceptable alternative
    assert acc.primary_rate is not None
    assert acc.primary_rate >= 0.9
    result = runner.invoke(app, ["replay", "--check"], env={"COLUMNS": "200"})
    assert result.exit_code == 0, result.output
    assert f"primary record: {acc.primary} of {acc.scored}" in result.stdout
    data = json.loads(runner.invoke(app, ["replay", "--json"]).stdout)
    assert data["accuracy"]["primary"] == acc.primary
    assert data["accuracy"]["acceptable_rate"] == 1.0


NEUTRAL_CHANGES = 4  # the politics must decide at least this many episodes on the record


def test_the_politics_decide_cases_on_the_record() -> None:
    normal = {r.case: r.model for r in replay(WORLD).cases}
    neutral = {r.case: r.model for r in replay(WORLD, reforms=("neutral-politics",)).cases}
    changed = sorted(c for c in normal if normal[c] != neutral[c])
    assert len(changed) >= NEUTRAL_CHANGES, changed
    assert "kazakhstan-2022" in changed  # the law alone would not have sent forces
    cli = runner.invoke(app, ["replay", "--neutral-politics", "--json"])
    assert json.loads(cli.stdout)["reforms"] == ["neutral-politics"]


# --- the three examples of the issue -------------------------------------------------------------
def test_an_incumbent_moscow_has_dropped_gets_no_deployment() -> None:
    # Kyrgyzstan's president in early 2010, whom Moscow had turned against (leaders.yaml).
    c = crisis(
        "2010-03-01",
        {
            "kind": "internal_unrest",
            "territory": "KGZ",
            "foreign_involvement": "claimed",
            "government_at_risk": True,
        },
        {"by": "KGZ", "invokes": "art4"},
    )
    result = assess(WORLD, c)
    assert result.outcome < Measure.MISSION
    rus = {s.rule for s in result.positions["RUS"].reasons}
    assert "dropped_incumbent" in rus
    step = next(s for s in result.positions["RUS"].reasons if s.rule == "dropped_incumbent")
    assert any("Bakiyev" in r for r in step.records)
    assert step.sources
    # The same appeal from a leader Moscow backs is rescued.
    backed = crisis(
        "2022-01-05",
        {
            "kind": "internal_unrest",
            "territory": "KAZ",
            "foreign_involvement": "claimed",
            "government_at_risk": True,
        },
        {"by": "KAZ", "invokes": "art4"},
    )
    assert outcome(backed) is Measure.DEPLOYMENT


def test_a_member_russia_handles_through_a_union_gets_no_deployment() -> None:
    c = crisis(
        "2020-08-15",
        {
            "kind": "internal_unrest",
            "territory": "BLR",
            "foreign_involvement": "claimed",
            "government_at_risk": True,
        },
        {"by": "BLR", "invokes": "art4"},
    )
    result = assess(WORLD, c)
    assert result.outcome < Measure.DEPLOYMENT
    assert result.russia.acts is RussiaAct.BILATERAL
    assert "bilateral_preference" in {s.rule for s in result.positions["RUS"].reasons}


def test_peacekeepers_on_a_non_members_territory_without_its_consent_are_refused() -> None:
    c = crisis(
        "2023-06-01",
        {
            "kind": "internal_unrest",
            "territory": "UKR",
            "foreign_involvement": "evidenced",
            "un_mandate": True,
            "host_consent": False,
        },
        {"by": "RUS", "invokes": "assistance", "asks": "deployment"},
    )
    result = assess(WORLD, c)
    assert result.outcome < Measure.DEPLOYMENT
    assert "no_host_consent" in {s.rule for s in result.positions["KAZ"].reasons}
    consenting = crisis(
        "2023-06-01",
        {
            "kind": "internal_unrest",
            "territory": "SRB",
            "foreign_involvement": "evidenced",
            "un_mandate": True,
            "host_consent": True,
        },
        {"by": "RUS", "invokes": "assistance", "asks": "deployment"},
    )
    assert "no_host_consent" not in {
        s.rule for s in assess(WORLD, consenting).positions["KAZ"].reasons
    }


def test_armenia_attacked_on_its_own_soil_gets_the_same_answer_in_2020_and_2022() -> None:
    def attack(day: str) -> Crisis:
        return crisis(
            day,
            {
                "kind": "armed_attack",
                "territory": "ARM",
                "opponents": ["AZE"],
                "foreign_involvement": "evidenced",
                "intensity": "high",
            },
            {"by": "ARM", "invokes": "art4"},
        )

    october, september = assess(WORLD, attack("2020-10-15")), assess(WORLD, attack("2022-09-13"))
    assert october.outcome == september.outcome == Measure.MISSION
    # The answer does not hang on whether the relation is coded war or hostile on that day.
    source = "https://example.org/coding"
    for level in (RelationLevel.WAR, RelationLevel.HOSTILE):
        recoded = WORLD.what_if(
            relations=[
                Relation(a="ARM", b="AZE", valid_from=date(2020, 10, 1), level=level, source=source)
            ]
        )
        assert outcome(attack("2020-10-15"), recoded) is Measure.MISSION
    # Fighting the same war outside its own territory, Armenia's allies keep out of it.
    abroad = crisis(
        "2020-10-15",
        {
            "kind": "war_abroad",
            "territory": "AZE",
            "opponents": ["AZE"],
            "foreign_involvement": "evidenced",
            "intensity": "high",
        },
        {"by": "ARM", "invokes": "art4"},
    )
    assert "entanglement" in {s.rule for s in assess(WORLD, abroad).positions["KAZ"].reasons}


def test_a_war_the_appellant_started_keeps_the_others_out() -> None:
    c = crisis(
        "2024-08-10",
        {
            "kind": "armed_attack",
            "territory": "RUS",
            "opponents": ["UKR"],
            "foreign_involvement": "evidenced",
            "intensity": "high",
        },
        {"by": "RUS", "invokes": "art4"},
    )
    result = assess(WORLD, c)
    assert result.outcome <= Measure.CONSULTATIONS
    step = next(s for s in result.positions["KAZ"].reasons if s.rule == "entanglement")
    assert any("started by RUS" in r for r in step.records)


def test_fear_of_precedent_is_not_switched_off_by_a_claimed_foreign_hand() -> None:
    def unrest(foreign: str, intensity: str = "medium") -> Crisis:
        return crisis(
            "2023-01-05",
            {
                "kind": "internal_unrest",
                "territory": "KGZ",
                "foreign_involvement": foreign,
                "government_at_risk": True,
                "intensity": intensity,
            },
            {"by": "KGZ", "invokes": "art4"},
        )

    def rules(c: Crisis) -> set[str]:
        return {s.rule for s in assess(WORLD, c).positions["KAZ"].reasons}

    assert "precedent" in rules(unrest("claimed"))
    assert "precedent" not in rules(unrest("evidenced"))
    # A brief low-cost operation for a leader the provider backs sets little precedent.
    low = rules(unrest("claimed", "low"))
    assert "showcase" in low
    assert "precedent" not in low


def test_dependent_members_follow_the_provider_and_keep_their_own_ties() -> None:
    c = crisis(
        "2022-09-13",
        {
            "kind": "armed_attack",
            "territory": "ARM",
            "opponents": ["AZE"],
            "foreign_involvement": "evidenced",
            "intensity": "high",
        },
        {"by": "ARM", "invokes": "art4"},
    )
    result = assess(WORLD, c)
    tjk = {s.rule for s in result.positions["TJK"].reasons}
    assert "follow_provider" in tjk
    assert result.positions["TJK"].ceiling == result.positions["RUS"].ceiling
    step = next(s for s in result.positions["TJK"].reasons if s.rule == "follow_provider")
    assert step.records
    assert step.sources


def test_an_armed_attack_by_a_state_still_engages_collective_defence() -> None:
    c = crisis(
        "2019-06-01",
        {
            "kind": "armed_attack",
            "territory": "BLR",
            "opponents": ["POL"],
            "foreign_involvement": "evidenced",
            "intensity": "high",
        },
        {"by": "BLR", "invokes": "art4"},
    )
    assert outcome(c) is Measure.DEPLOYMENT


def test_russias_own_course_beside_the_councils() -> None:
    data = json.loads(runner.invoke(app, ["assess", "georgia-2008", "--json"]).stdout)
    assert set(data["russia"]) == {"acts", "reasons", "citations"}
    assert data["russia"]["acts"] == "unilateral"
    assert {(c["instrument"], c["article"]) for c in data["russia"]["citations"]} == {("CST", "8")}
    assert assess(WORLD, case("kazakhstan-2022")).russia.acts is RussiaAct.NOTHING
    assert assess(WORLD, case("armenia-2022")).russia.acts is RussiaAct.BILATERAL
    table = runner.invoke(app, ["assess", "georgia-2008"], env={"COLUMNS": "200"})
    assert "Russia outside the organization" in table.stdout
    tree = runner.invoke(app, ["assess", "georgia-2008", "--explain"], env={"COLUMNS": "200"})
    assert "Russia outside the organization" in tree.stdout


def test_every_political_reason_names_its_dated_data_and_sources() -> None:
    grounded = {
        "ties",
        "precedent",
        "follow_provider",
        "dropped_incumbent",
        "showcase",
        "incumbent_support",
        "bilateral_preference",
    }
    seen = set()
    for case_id in case_ids():
        for p in assess(WORLD, case(case_id)).positions.values():
            for step in p.reasons:
                if step.rule in grounded:
                    seen.add(step.rule)
                    assert step.records, (case_id, step.rule)
                    assert step.sources, (case_id, step.rule)
    assert {"ties", "precedent", "follow_provider", "showcase"} <= seen


# --- no value keyed to a case ---------------------------------------------------------------
def test_no_case_id_or_title_appears_in_code_or_non_case_data() -> None:
    ids = {c: case(c).title for c in case_ids()}
    ids |= {q: WORLD.questions.get(q).title for q in WORLD.questions.ids()}
    words = re.compile("|".join(re.escape(x) for pair in ids.items() for x in pair))
    checked = list((ROOT / "src" / "csto").rglob("*.py"))
    data = ROOT / "src" / "csto" / "data"
    catalogues = {"cases", "questions", "scenarios"}
    checked += [p for p in data.rglob("*.yaml") if not catalogues & set(p.relative_to(data).parts)]
    offenders = [
        f"{p.relative_to(ROOT)}: {m.group(0)}"
        for p in checked
        for m in words.finditer(p.read_text(encoding="utf-8"))
    ]
    assert offenders == []


def test_every_cited_source_is_in_the_register() -> None:
    org = WORLD.org
    cited: set[str] = set()
    data = ROOT / "src" / "csto" / "data"
    for path in data.rglob("*.yaml"):
        if path.name == "sources.yaml":
            continue
        text = path.read_text(encoding="utf-8")
        cited |= set(re.findall(r"\b\d{3}_[0-9a-f]{16}\.txt\b", text))
        cited |= {u.rstrip('",)') for u in re.findall(r"https?://[^\s\"',)\]]+", text)}
    missing = sorted(s for s in cited if org.source(s) is None)
    assert missing == []


@pytest.mark.parametrize("case_id", ["kazakhstan-2022", "armenia-2022", "kyrgyzstan-2010"])
def test_the_intensity_coding_is_explained(case_id: str) -> None:
    assert case(case_id).coding
