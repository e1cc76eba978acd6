"""The decision engine: history replayed, the JSON contract, reforms, explanations."""

from __future__ import annotations

import json
import shutil
from datetime import date
from pathlib import Path
from typing import Any

import numpy as np
import pandas as pd
import pytest
import yaml
from typer.testing import CliRunner

from csto.cli import app
from csto.domain import Organization, RelationLevel
from csto.domain.crisis import Crisis, Measure, parse_crisis
from csto.domain.models import Relation
from csto.engine import Assessment
from csto.engine import assess as engine_assess
from csto.engine.frame import assess_frame
from csto.politics import consensus, majority
from csto.politics.questions import QuestionKind, procedure
from csto.world import World

from .strategies import unrest
from .worlds import WORLD, case, case_ids

runner = CliRunner()


def assess(crisis: Crisis, reforms: tuple[str, ...] = (), world: World = WORLD) -> Assessment:
    return engine_assess(world, crisis, reforms)


def crisis(**changes: Any) -> Crisis:
    return parse_crisis(unrest(government_at_risk=True, **changes), "test.yaml")


@pytest.mark.parametrize("case_id", case_ids())
def test_replay_matches_the_record(case_id: str) -> None:
    found = case(case_id)
    assert found.record is not None
    assert assess(found).outcome in found.record.accepted


def test_replay_check_exits_zero_and_one(tmp_path: Path) -> None:
    result = runner.invoke(app, ["replay", "--check"])
    assert result.exit_code == 0, result.output
    n = len(case_ids())
    assert f"{n} of {n} cases match their record" in result.stdout
    data = json.loads(runner.invoke(app, ["replay", "--json"]).stdout)
    assert data["matched"] == data["total"] == n
    assert data["accuracy"]["acceptable"] == n
    # A case whose record disagrees with the model: --check exits 1 and names it.
    raw = yaml.safe_load(WORLD.cases.path("kazakhstan-2022").read_text())
    raw["record"] = {"outcome": "none", "acceptable": []}
    (tmp_path / "kazakhstan-2022.yaml").write_text(yaml.safe_dump(raw))
    shutil.copy(WORLD.cases.path("armenia-2021"), tmp_path / "armenia-2021.yaml")
    wrong = runner.invoke(
        app, ["replay", "--check", "--cases", str(tmp_path)], env={"COLUMNS": "200"}
    )
    assert wrong.exit_code == 1, wrong.output
    assert "1 of 2 cases match" in wrong.stdout
    assert "NO" in wrong.stdout
    quiet = runner.invoke(app, ["replay", "--cases", str(tmp_path)])
    assert quiet.exit_code == 0  # without --check a miss is reported, not an error


def test_assess_json_contract(org: Organization) -> None:
    result = runner.invoke(app, ["assess", "kazakhstan-2022", "--json"])
    assert result.exit_code == 0, result.output
    data = json.loads(result.stdout)
    assert set(data) >= {"outcome", "legal", "positions", "blocked_by", "citations", "receipt"}
    assert data["outcome"] == "deployment"
    assert set(data["legal"]) >= {"ceiling", "citations"}
    members = {s.code for s in org.members(date(2022, 1, 5))}
    assert set(data["positions"]) == members
    for pos in data["positions"].values():
        assert set(pos) >= {"ceiling", "reasons"}
        assert pos["reasons"]
    for cite in data["citations"]:
        assert set(cite) >= {"instrument", "article", "version"}
        found = org.article(cite["instrument"], cite["article"], date(2022, 1, 5))
        assert cite["version"] == found.version.valid_from.isoformat()
    art4 = [c for c in data["citations"] if (c["instrument"], c["article"]) == ("CST", "4")]
    assert art4 == [{**art4[0], "version": "2012-12-19", "label": "2010"}]
    receipt = data["receipt"]
    assert set(receipt) == {"engine_version", "data_hash", "crisis_hash", "file_hash", "reforms"}
    assert receipt["data_hash"] == org.data_hash


def test_the_version_in_force_is_cited() -> None:
    old = assess(case("kyrgyzstan-2010")).dump()
    art2 = [c for c in old["citations"] if (c["instrument"], c["article"]) == ("CST", "2")]
    assert art2[0]["label"] == "1992"
    assert art2[0]["version"] == "1994-04-20"


def test_records_are_never_read(tmp_path: Path) -> None:
    for case_id in case_ids():
        original = case(case_id)
        changed = original.model_copy(
            update={
                "record": original.record.model_copy(
                    update={"outcome": Measure.NONE, "acceptable": ()}
                )
            }  # type: ignore[union-attr]
        )
        stripped = original.model_copy(update={"record": None})
        a, b, c = (assess(x).dump() for x in (original, changed, stripped))
        assert a == b == c


def test_stances_name_appellant_and_blockers() -> None:
    attack = crisis(
        date="2022-09-13",
        appeal={"by": "ARM", "invokes": "art4"},
        kind="armed_attack",
        territory="ARM",
        opponents=["AZE"],
        foreign_involvement="evidenced",
        intensity="high",
    )
    stances = {code: p.stance for code, p in assess(attack).positions.items()}
    assert stances["ARM"] == "appellant"
    assert stances["RUS"] == "blocks"
    assert stances["KGZ"] == "supports"


def test_no_appeal_means_statements_at_most() -> None:
    unrest = assess(crisis(appeal=None))
    assert unrest.outcome is Measure.NONE  # a member's internal affair: members keep silent
    assert any(s.rule == "no_request" for s in unrest.legal.steps)
    assert all("silence" in {s.rule for s in p.reasons} for p in unrest.positions.values())
    attack = assess(
        crisis(appeal=None, kind="armed_attack", opponents=["AFG"], foreign_involvement="evidenced")
    )
    assert attack.outcome is Measure.STATEMENT  # an attack on a member's soil gets a word
    assert attack.legal.ceiling is Measure.STATEMENT


def test_non_member_appellant_gets_nothing() -> None:
    result = assess(crisis(appeal={"by": "UZB", "invokes": "art4"}, territory="UZB"))
    assert result.outcome is Measure.NONE


def test_frozen_member_abstains() -> None:
    result = assess(crisis(date="2024-06-01"))
    stances = {code: p.stance for code, p in result.positions.items()}
    assert stances["ARM"] == "abstains"
    assert result.procedure.rule == "consensus_with_abstention"


def test_armenia_appealing_while_frozen_still_counts_as_appellant() -> None:
    result = assess(
        crisis(
            date="2024-06-01",
            appeal={"by": "ARM", "invokes": "art2"},
            kind="border_clash",
            territory="ARM",
            opponents=["AZE"],
            foreign_involvement="evidenced",
        )
    )
    assert {code: p.stance for code, p in result.positions.items()}["ARM"] == "appellant"
    assert result.outcome is Measure.CONSULTATIONS


def test_majority_vote_reform_overrides_a_lone_blocker(org: Organization) -> None:
    # Give Tajikistan close ties with Iran, then let Iran attack Kyrgyzstan: Tajikistan alone blocks.
    tie = Relation(
        a="TJK",
        b="IRN",
        valid_from=date(2000, 1, 1),
        level=RelationLevel.PARTNER,
        source="https://example.org/tie",
    )
    tied = WORLD.what_if(relations=[tie])
    attack = crisis(
        date="2021-06-01",
        appeal={"by": "KGZ", "invokes": "art4"},
        kind="armed_attack",
        territory="KGZ",
        opponents=["IRN"],
        foreign_involvement="evidenced",
        intensity="medium",
    )
    consensus = assess(attack, world=tied)
    assert consensus.outcome is Measure.MISSION
    assert consensus.blocked_by == {"deployment": ("TJK",)}
    assert assess(attack, ("majority-vote",), world=tied).outcome is Measure.DEPLOYMENT
    assert assess(attack).outcome is Measure.DEPLOYMENT  # the baseline World is untouched


def test_no_request_reform_defends_a_member_that_did_not_ask() -> None:
    attack = crisis(
        appeal=None,
        kind="armed_attack",
        territory="TJK",
        opponents=["AFG"],
        foreign_involvement="evidenced",
        intensity="medium",
    )
    assert assess(attack).outcome is Measure.STATEMENT
    reformed = assess(attack, ("no-request-needed",))
    assert reformed.outcome is Measure.DEPLOYMENT
    assert reformed.receipt.reforms == ("no-request-needed",)


def test_unknown_reform_is_a_clear_error() -> None:
    result = runner.invoke(app, ["assess", "kazakhstan-2022", "--reform", "world-government"])
    assert result.exit_code == 2
    assert "no reform 'world-government'; known: majority-vote, no-request-needed" in result.stderr


def test_explain_prints_articles_versions_and_factors() -> None:
    result = runner.invoke(app, ["assess", "armenia-2022", "--explain"], env={"COLUMNS": "250"})
    assert result.exit_code == 0, result.output
    text = " ".join(result.stdout.split())
    assert "CST Art. 4 (2010, from 2012-12-19)" in text
    assert "close ties with AZE" in text
    assert "parameter ties_cap" in text
    assert "relation BLR-AZE partner from 1999-04-21" in text  # the dated datum behind the reason
    assert "Sources" in text
    assert "Richard Weitz" in text  # evidence resolved to a full citation


def test_assess_reform_shows_the_baseline_side_by_side(tmp_path: Path) -> None:
    raw = case("kazakhstan-2022").model_dump(mode="json")
    raw["appeal"] = None
    raw["situation"] |= {"kind": "armed_attack", "opponents": ["AFG"], "intensity": "low"}
    file = tmp_path / "c.yaml"
    file.write_text(yaml.safe_dump(raw))
    data = json.loads(
        runner.invoke(app, ["assess", str(file), "--reform", "no-request-needed", "--json"]).stdout
    )
    assert (data["baseline_outcome"], data["outcome"]) == ("statement", "deployment")


def test_question_procedures_follow_the_charter(org: Organization) -> None:
    regime = WORLD.regime
    before, after = (
        int(regime.epoch_of(np.array([d.toordinal()]))[0])
        for d in (date(2009, 1, 1), date(2015, 1, 1))
    )
    assert procedure(QuestionKind.ADMISSION, regime, before)[0] == "consensus"
    assert procedure(QuestionKind.ADMISSION, regime, after)[0] == "consensus_with_abstention"
    rule, cites = procedure(QuestionKind.STATIONING, regime, after)
    assert rule == "consensus"  # no member may object: abstention does not help
    assert ("STATIONING", "*") in {(c.instrument, c.article) for c in cites}
    # A yes/no question on the two-step ladder: one objector blocks under consensus.
    votes = np.array([[1, 1, 0, 1]], dtype=np.int8)
    everyone = np.ones((1, 4), dtype=bool)
    assert consensus(np.array([1]), votes, everyone)[0] == 0
    assert majority(np.array([1]), votes, everyone, levels=2)[0] == 1


def test_before_entry_into_force_the_signed_text_is_cited_as_such() -> None:
    early = assess(
        crisis(
            date="1993-07-13",
            appeal={"by": "TJK", "invokes": "art4"},
            kind="armed_attack",
            territory="TJK",
            opponents=["AFG"],
            foreign_involvement="evidenced",
            intensity="high",
        )
    )
    step = next(s for s in early.legal.steps if s.rule == "treaty_not_in_force")
    assert step.citations
    assert all(not c.in_force for c in step.citations)


def test_the_receipt_hashes_the_crisis_file() -> None:
    result = runner.invoke(app, ["assess", "kazakhstan-2022", "--json"])
    receipt = json.loads(result.stdout)["receipt"]
    assert len(receipt["file_hash"]) == 64
    assert receipt["file_hash"] != receipt["crisis_hash"]


def test_no_request_cites_article_4_only_where_it_requires_one() -> None:
    before = assess(crisis(date="2005-03-24", appeal=None))
    after = assess(crisis(date="2020-10-05", appeal=None))
    cited = [
        {c.instrument + c.article for c in s.citations}
        for r in (before, after)
        for s in r.legal.steps
        if s.rule == "no_request"
    ]
    assert "CST4" not in cited[0]
    assert "CST4" in cited[1]


def test_assess_frame_for_notebooks() -> None:
    crises = [case(c) for c in case_ids()]
    frame = assess_frame(WORLD, crises)
    assert list(frame["id"]) == case_ids()
    assert [str(o) for o in frame["outcome"]] == [assess(c).outcome.label for c in crises]
    kaz = frame.set_index("id").loc["kazakhstan-2022"]
    assert kaz["RUS"] == "deployment"
    assert pd.isna(kaz["UZB"])  # not a member in 2022
    assert frame["outcome"].cat.ordered
