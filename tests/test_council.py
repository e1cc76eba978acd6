"""The Council's other business: decisions on questions, the replay of their record, the chair and
the Secretary General's rotation, membership benefits, and the duties a decision sets off."""

from __future__ import annotations

import json
from datetime import date
from typing import Any

import jsonschema
import pytest
from typer.testing import CliRunner

from csto.cli import app
from csto.domain.models import Relation, RelationLevel
from csto.domain.question import Question, parse_question
from csto.engine import assess
from csto.engine.decide import decide
from csto.engine.decision import Decision
from csto.engine.replay import replay
from csto.service import schemas
from csto.sim import simulate
from csto.world import World

from .worlds import WORLD, case

runner = CliRunner()
SOURCE = "https://example.org/what-if"


def question(kind: str, day: str, state: str, **keys: Any) -> Question:
    raw = {"format": 1, "id": "q", "title": "Q", "kind": kind, "date": day, "state": state}
    return parse_question({**raw, **keys}, "q.yaml")


def shipped(question_id: str, world: World = WORLD, **kw: Any) -> Decision:
    return decide(world, world.questions.get(question_id), **kw)


def cli_json(*args: str) -> dict[str, Any]:
    result = runner.invoke(app, [*args, "--json"])
    assert result.exit_code == 0, result.output
    data: dict[str, Any] = json.loads(result.stdout)
    return data


# --- the record ------------------------------------------------------------------------------
def test_replay_check_passes_on_every_shipped_question_and_prints_the_accuracy() -> None:
    result = runner.invoke(app, ["replay", "--check"], env={"COLUMNS": "160"})
    assert result.exit_code == 0, result.output
    total = len(WORLD.questions.ids())
    assert f"questions, primary record: {total} of {total} (100%)" in result.output
    data = cli_json("replay")
    section = data["questions"]
    assert section["accuracy"]["scored"] == total
    assert section["accuracy"]["primary"] == total
    assert section["accuracy"]["blockers_matched"] == section["accuracy"]["blockers_scored"] >= 4
    assert data["cases"]  # the crisis section keeps its shape beside it
    assert set(data["accuracy"]) >= {"scored", "primary", "acceptable"}


def test_replay_check_fails_when_a_question_misses_its_record(tmp_path: Any) -> None:
    text = WORLD.questions.path("pakistan-pa-observer-2016").read_text()
    (tmp_path / "pakistan-pa-observer-2016.yaml").write_text(
        text.replace("outcome: rejected", "outcome: adopted").replace("  blocked_by: [ARM]\n", "")
    )
    result = runner.invoke(app, ["replay", "--check", "--questions", str(tmp_path)])
    assert result.exit_code == 1
    assert replay(WORLD.with_questions(tmp_path)).questions is not None


# --- decide: the shape, the blockers, the explanation ----------------------------------------
def test_decide_json_has_the_published_shape() -> None:
    data = cli_json("decide", "pakistan-pa-observer-2016")
    assert set(data) >= {
        "outcome",
        "kind",
        "procedure",
        "legal",
        "positions",
        "blocked_by",
        "receipt",
    }
    assert set(data["legal"]) == {"conditions", "citations"}
    for member in data["positions"].values():
        assert set(member) == {"stance", "reasons"}
    assert data["outcome"] == "rejected"
    assert data["kind"] == "observer"
    jsonschema.validate(data, schemas.schema("decision"))


@pytest.mark.parametrize(
    ("question_id", "blockers"),
    [
        ("pakistan-pa-observer-2016", {"ARM"}),
        ("sg-khachaturov-2016", {"BLR", "KAZ"}),
        ("sg-zas-2018", {"ARM"}),
        ("sg-armenia-retain-2018", {"BLR", "KAZ", "KGZ", "RUS", "TJK"}),
    ],
)
def test_blocked_by_names_the_objecting_members(question_id: str, blockers: set[str]) -> None:
    decision = shipped(question_id)
    assert decision.outcome == "rejected"
    assert set(decision.blocked_by) == blockers
    objecting = {code for code, p in decision.positions.items() if p.stance == "objects"}
    assert objecting == blockers


def test_explain_cites_the_provision_and_version_and_each_members_reason() -> None:
    result = runner.invoke(
        app, ["decide", "sg-khachaturov-2016", "--explain"], env={"COLUMNS": "200"}
    )
    assert result.exit_code == 0, result.output
    text = result.output
    assert "CHARTER Art. 17 (2002, from 2003-09-18)" in text
    assert "CHARTER Art. 12 (2010" in text
    decision = shipped("sg-khachaturov-2016")
    for code, member in decision.positions.items():
        assert f"{code}: {member.stance.value}" in text
        for reason in member.reasons:
            assert reason.reason[:40] in " ".join(text.split())
    assert "closer to AZE (partner)" in text
    assert "parameter ties_threshold" in text


def test_decide_text_and_errors() -> None:
    result = runner.invoke(app, ["decide", "uzbekistan-suspension-2012"], env={"COLUMNS": "160"})
    assert result.exit_code == 0, result.output
    assert "Outcome: adopted" in result.output
    unknown = runner.invoke(app, ["decide", "no-such-question"])
    assert unknown.exit_code == 2
    assert "no question file or question 'no-such-question'; known:" in unknown.output
    refused = runner.invoke(app, ["decide", "/etc/passwd"])
    assert refused.exit_code == 2
    assert "allowed: a question file ending in .yaml or .yml" in refused.output


def test_decide_a_users_file_under_a_reform(tmp_path: Any) -> None:
    path = tmp_path / "sg.yaml"
    path.write_text(WORLD.questions.path("sg-khachaturov-2016").read_text())
    data = cli_json("decide", str(path), "--reform", "majority-vote")
    assert (data["baseline_outcome"], data["outcome"]) == ("rejected", "adopted")
    assert data["procedure"]["rule"] == "majority"
    assert data["receipt"]["file_hash"]
    assert data["receipt"]["reforms"] == ["majority-vote"]


# --- the law and the politics of questions ---------------------------------------------------
def test_accession_before_the_charter_needs_no_decision() -> None:
    decision = shipped("azerbaijan-accession-1993")
    assert decision.outcome == "adopted"
    assert decision.procedure.rule == "none"
    assert [c.instrument + c.article for c in decision.procedure.citations] == ["CST10"]
    assert not decision.procedure.citations[0].in_force  # signed, not yet in force
    assert decision.positions["ARM"].stance == "objects"  # hostile to AZE, but nobody votes
    assert decision.blocked_by == ()


def test_a_suspension_needs_a_ground_and_the_member_concerned_does_not_vote() -> None:
    uzbekistan = shipped("uzbekistan-suspension-2012")
    assert uzbekistan.outcome == "adopted"
    assert uzbekistan.positions["UZB"].stance == "concerned"
    belarus = shipped("belarus-expulsion-proposal-2017")
    assert belarus.barred_by == ("ground_for_suspension",)
    assert belarus.positions["ARM"].stance == "supports"  # it puts the question


def test_a_frozen_member_stands_aside() -> None:
    decision = shipped("sg-masadykov-2025")
    assert decision.outcome == "adopted"
    assert decision.positions["ARM"].stance == "abstains"


def test_the_rules_follow_the_data_not_the_question() -> None:
    """Change the dated data or a parameter and the same question is decided otherwise."""
    thaw = WORLD.what_if(
        relations=[
            Relation(
                a="ARM",
                b="PAK",
                valid_from=date(2016, 1, 1),
                level=RelationLevel.NEUTRAL,
                source=SOURCE,
            )
        ]
    )
    assert shipped("pakistan-pa-observer-2016", thaw).outcome == "adopted"
    loose = WORLD.what_if(parameters={"rotation_binds_in_turn": False})
    assert shipped("sg-khachaturov-2017", loose).outcome == "rejected"
    patient = WORLD.what_if(parameters={"rest_of_turn_min_share": 0.3})
    assert shipped("sg-armenia-retain-2018", patient).outcome == "adopted"
    early = WORLD.what_if(parameters={"appointment_lead_days": 30})
    late = shipped("sg-zas-2019", early)
    assert (late.outcome, late.blocked_by) == ("rejected", ("ARM",))


def test_neutral_politics_leaves_the_law_alone() -> None:
    decision = shipped("pakistan-pa-observer-2016", reforms=("neutral-politics",))
    assert decision.outcome == "adopted"
    assert shipped("belarus-expulsion-proposal-2017", reforms=("neutral-politics",)).barred_by


def test_would_armenia_block_turkey_as_a_partner() -> None:
    now = decide(WORLD, question("partner", "2022-06-01", "TUR"))
    assert (now.outcome, now.blocked_by) == ("rejected", ("ARM",))
    assert "tense" in now.positions["ARM"].reasons[0].reason
    before = decide(WORLD, question("partner", "2019-06-01", "TUR"))
    assert before.barred_by == ("partner_status_exists",)


def test_stationing_needs_every_members_consent_from_the_2011_protocol() -> None:
    base = decide(WORLD, question("stationing", "2018-06-01", "USA", host="KAZ"))
    assert (base.outcome, base.blocked_by) == ("rejected", ("RUS",))
    assert base.procedure.rule == "consensus"
    rules = {(r.rule, r.parameter) for r in base.positions["RUS"].reasons}
    assert rules == {("hostile", "objection_threshold"), ("rival_base", "base_tolerance")}
    # A neutral power is still a rival to the provider: only its own factor applies then.
    neutral = decide(WORLD, question("stationing", "2013-06-01", "USA", host="KAZ"))
    assert [r.rule for r in neutral.positions["RUS"].reasons] == ["rival_base"]
    assert neutral.blocked_by == ("RUS",)
    assert base.positions["KAZ"].stance == "supports"
    consent = next(d for d in base.duties if d.id == "every_member_consents_to_stationing")
    assert consent.kind == "consent"
    assert consent.basis[0].instrument == "STATIONING"
    # Before the protocol the host decided after consulting the others: nobody could block.
    manas = decide(WORLD, question("stationing", "2005-06-01", "USA", host="KGZ"))
    assert (manas.outcome, manas.procedure.rule) == ("adopted", "none")
    assert [d.id for d in manas.duties] == ["consult_before_stationing"]
    # The provider accepts a partner's base; a member's forces and a non-member host are not
    # questions for this rule at all.
    friendly = WORLD.what_if(
        relations=[
            Relation(
                a="RUS",
                b="USA",
                valid_from=date(2018, 1, 1),
                level=RelationLevel.PARTNER,
                source=SOURCE,
            )
        ]
    )
    assert decide(friendly, question("stationing", "2018-06-01", "USA", host="KAZ")).outcome == (
        "adopted"
    )
    member = decide(WORLD, question("stationing", "2018-06-01", "RUS", host="KGZ"))
    assert member.barred_by == ("forces_of_a_non_member",)
    outsider = decide(WORLD, question("stationing", "2018-06-01", "USA", host="GEO"))
    assert "host_is_a_member" in outsider.barred_by


def test_the_majority_reform_leaves_the_stationing_veto() -> None:
    base = decide(
        WORLD, question("stationing", "2018-06-01", "USA", host="KAZ"), ("majority-vote",)
    )
    assert (base.outcome, base.procedure.rule) == ("rejected", "consensus")


# --- the organization on a date ----------------------------------------------------------------
def test_org_shows_the_chair_the_secretary_general_and_the_next_by_rotation() -> None:
    data = cli_json("org", "--at", "2016-06-01")
    assert data["chair"]["state"] == "ARM"
    assert data["chair"]["source"].startswith("http")
    assert data["secretary_general"]["name"] == "Nikolai Bordyuzha"
    nxt = data["next_secretary_general"]
    assert (nxt["state"], nxt["due"]) == ("ARM", "2017-01-01")
    jsonschema.validate(data, schemas.schema("organization"))
    before = cli_json("org", "--at", "2010-06-01")
    assert before["next_secretary_general"] is None  # no rotation yet
    later = cli_json("org", "--at", "2021-03-01")
    assert (later["next_secretary_general"]["state"], later["next_secretary_general"]["due"]) == (
        "KAZ",
        "2023-01-01",
    )


def test_on_a_handover_day_the_incoming_chair_holds_it() -> None:
    assert WORLD.org.chair(date(2016, 10, 13)).state == "ARM"  # type: ignore[union-attr]
    assert WORLD.org.chair(date(2016, 10, 14)).state == "BLR"  # type: ignore[union-attr]


def test_rotation_turns_cycle_through_the_order() -> None:
    rotation = WORLD.org.rotation
    assert rotation is not None
    turns = [t.state for _, t in zip(range(8), rotation.turns(), strict=False)]
    assert turns == ["ARM", "BLR", "KAZ", "KGZ", "RUS", "TJK", "ARM", "BLR"]
    assert rotation.turn_on(date(2018, 11, 8)).state == "ARM"  # type: ignore[union-attr]
    assert rotation.appointment_turn(date(2018, 11, 7), 365).state == "ARM"  # type: ignore[union-attr]
    assert rotation.appointment_turn(date(2019, 11, 27), 365).state == "BLR"  # type: ignore[union-attr]
    assert rotation.appointment_turn(date(2015, 12, 20), 365) is None


def _benefit(on: str, benefit: str = "arms-domestic-prices") -> dict[str, Any]:
    data = cli_json("org", "--at", on)
    found: dict[str, Any] = next(b for b in data["benefits"] if b["id"] == benefit)
    return found


def test_what_a_state_loses_by_leaving() -> None:
    before, after = _benefit("2012-12-18"), _benefit("2012-12-19")
    assert "UZB" in before["entitled"]
    assert "UZB" not in after["entitled"]
    assert "UZB" in after["outside"]
    assert any(loss["state"] == "UZB" and loss["source"] for loss in after["losses"])
    frozen = _benefit("2024-06-01")  # a member that froze its participation stays a party
    assert "ARM" in frozen["entitled"]
    assert _benefit("2013-01-01", "military-training")["entitled"] == [
        "ARM",
        "BLR",
        "KAZ",
        "KGZ",
        "RUS",
        "TJK",
    ]


# --- duties ------------------------------------------------------------------------------------
def test_assess_lists_the_duty_to_inform_the_un_security_council() -> None:
    data = cli_json("assess", "kazakhstan-2022")
    duty = next(d for d in data["duties"] if d["id"] == "inform_un_security_council")
    assert duty["owed_to"] == "UN Security Council"
    assert ("CST", "4", "2010") in {
        (c["instrument"], c["article"], c["label"]) for c in duty["basis"]
    }
    assert "UN Charter Art. 51" in duty["also"]
    jsonschema.validate(data, schemas.schema("assessment"))


def test_no_un_notification_without_art4_measures() -> None:
    consultations = assess(WORLD, case("armenia-2021"))
    assert consultations.outcome.label == "consultations"
    ids = {d.id for d in consultations.duties}
    assert "inform_un_security_council" not in ids
    assert "secretary_general_informs_members" in ids


def test_the_simulation_records_the_notification_at_the_decision() -> None:
    run = simulate(WORLD, case("kazakhstan-2022"), seed=0)
    kinds = [e.kind for e in run.events]
    decided = kinds.index("decision")
    notified = [e for e in run.events if e.kind == "notification"]
    assert kinds[decided + 1] == "notification"
    assert notified[0].details["to"] == "UN Security Council"
    assert notified[0].time == run.events[decided].time
    assert "UN Charter Art. 51" in notified[0].details["basis"]


def test_a_decision_on_a_question_lists_its_duties() -> None:
    admitted = shipped("uzbekistan-return-2006")
    assert "new_member_takes_on_obligations" in {d.id for d in admitted.duties}
    parliaments = shipped("serbia-pa-observer-2013")
    assert parliaments.duties == ()  # the Assembly is not the Council
