"""The crisis lifecycle: history's timings and sizes, event order, determinism, lesser outcomes."""

from __future__ import annotations

from datetime import date, datetime, timedelta
from typing import Any

import pytest

from csto.domain import RelationLevel
from csto.domain.crisis import Crisis, Measure, parse_crisis
from csto.domain.models import Relation
from csto.sim import Run
from csto.sim import simulate as sim_run
from csto.world import World

from .worlds import WORLD, case, case_ids


def simulate(
    crisis: Crisis, seed: int = 0, reforms: tuple[str, ...] = (), world: World = WORLD
) -> Run:
    return sim_run(world, crisis, seed, reforms)


HOURS_PER_DAY = 24


def days_after_appeal(run: dict[str, Any], milestone: str) -> float:
    appeal = datetime.fromisoformat(run["milestones"]["appeal"])
    return (datetime.fromisoformat(run["milestones"][milestone]) - appeal) / timedelta(days=1)


@pytest.fixture(scope="module")
def kazakhstan() -> dict[str, Any]:
    return simulate(case("kazakhstan-2022"), seed=0).dump()


def test_json_contract(kazakhstan: dict[str, Any]) -> None:
    assert set(kazakhstan) >= {"run_id", "outcome", "milestones", "forces", "sitreps"}
    assert set(kazakhstan["milestones"]) == {
        "appeal",
        "decision",
        "first_arrival",
        "deployment_complete",
        "handover",
        "withdrawal_complete",
    }
    assert set(kazakhstan["forces"]) >= {"personnel", "vehicles", "contingents"}


@pytest.mark.parametrize("seed", [0, 1, 2, 3, 7, 42, 1234])
def test_kazakhstan_against_the_record(seed: int) -> None:
    run = simulate(case("kazakhstan-2022"), seed=seed).dump()
    assert run["outcome"] == "deployment"
    assert days_after_appeal(run, "decision") <= 1
    assert 3 <= days_after_appeal(run, "deployment_complete") <= 5
    assert 12 <= days_after_appeal(run, "withdrawal_complete") <= 16
    forces = run["forces"]
    assert 2000 <= forces["personnel"] <= 2600
    assert 200 <= forces["vehicles"] <= 300
    assert sorted(forces["contingents"]) == ["ARM", "BLR", "KGZ", "RUS", "TJK"]
    assert forces["sorties"] >= 100  # Russian transport aviation flew more than 100 sorties


def test_a_sitrep_every_day_of_the_mission(kazakhstan: dict[str, Any]) -> None:
    first = datetime.fromisoformat(kazakhstan["milestones"]["first_arrival"])
    # the mission lasts until the last troops leave the theatre
    leaving = [
        e for e in kazakhstan["events"] if e["kind"] == "departure" and not e["details"]["inbound"]
    ]
    last = datetime.fromisoformat(leaving[-1]["time"])
    times = sorted(
        {
            datetime.fromisoformat(s["time"])
            for s in kazakhstan["sitreps"]
            if s["author"] == "force command"
        }
    )
    assert times[0] == first
    assert times[-1] <= last
    gaps = [b - a for a, b in zip([first, *times], [*times, last], strict=True)]
    assert max(gaps) <= timedelta(hours=HOURS_PER_DAY)
    assert all(s["personnel"] > 0 for s in kazakhstan["sitreps"])
    authors = {s["author"] for s in kazakhstan["sitreps"]}
    assert authors == {"force command"} | {
        f"defence ministry {c}" for c in ("ARM", "BLR", "KGZ", "RUS", "TJK")
    }
    assert {s["hub"] for s in kazakhstan["sitreps"]} == {"Crisis Response Center"}


def test_contingent_done_at_its_last_landing(kazakhstan: dict[str, Any]) -> None:
    for code in kazakhstan["forces"]["contingents"]:
        own = [e for e in kazakhstan["events"] if e["actor"] == code]
        arrivals = [e["time"] for e in own if e["kind"] == "arrival"]
        homes = [e["time"] for e in own if e["kind"] == "returned"]
        assert next(e["time"] for e in own if e["kind"] == "contingent_arrived") == max(arrivals)
        assert next(e["time"] for e in own if e["kind"] == "contingent_home") == max(homes)


def test_events_in_order(kazakhstan: dict[str, Any]) -> None:
    kinds = [
        e["kind"]
        for e in kazakhstan["events"]
        if e["kind"] not in ("arrival", "departure", "returned")
    ]
    milestones = [
        "appeal",
        "decision",
        "force_generation",
        "deployment_complete",
        "mission_complete",
        "handover_started",
        "handover",
        "withdrawal_complete",
    ]
    assert [k for k in kinds if k in milestones] == milestones
    times = [e["time"] for e in kazakhstan["events"]]
    assert times == sorted(times)
    # every contingent is ready before it arrives and home after the handover
    for code in kazakhstan["forces"]["contingents"]:
        own = [e["kind"] for e in kazakhstan["events"] if e["actor"] == code]
        assert (
            own.index("contingent_ready") < own.index("arrival") < own.index("contingent_arrived")
        )
        assert own[-1] == "contingent_home"


def test_same_seed_same_run() -> None:
    crisis = case("kazakhstan-2022")
    a, b = simulate(crisis, seed=5).dump(), simulate(crisis, seed=5).dump()
    a.pop("run_id")
    b.pop("run_id")
    assert a == b
    c = simulate(crisis, seed=6).dump()
    assert c["milestones"] != a["milestones"]


def _crisis(**situation: Any) -> Crisis:
    raw = case("kazakhstan-2022").model_dump(mode="json")
    raw["situation"] |= situation
    raw.pop("record")
    return parse_crisis(raw, "test.yaml")


@pytest.mark.parametrize("case_id", [c for c in case_ids() if c != "kazakhstan-2022"])
def test_no_deployment_no_forces(case_id: str) -> None:
    run = simulate(case(case_id)).dump()
    assert run["outcome"] != "deployment"
    for name in ("first_arrival", "deployment_complete", "handover", "withdrawal_complete"):
        assert run["milestones"][name] is None
    assert run["forces"]["personnel"] == 0
    assert run["forces"]["contingents"] == {}


def test_consultations_meet_and_stop() -> None:
    run = simulate(case("armenia-2021")).dump()
    kinds = [e["kind"] for e in run["events"]]
    assert kinds == [
        "appeal",
        "decision",
        "notification",  # the Secretary General informs the members (no Art. 4 measure)
        "consultations_opened",
        "consultations_closed",
    ]
    assert run["events"][2]["details"]["to"] == "the member states"
    assert run["sitreps"] == []


def test_a_mission_travels_reports_and_returns() -> None:
    raw = {
        "format": 1,
        "id": "border-attack",
        "title": "Attack across the border",
        "date": "2022-09-13",
        "appeal": {"by": "ARM", "invokes": "art4"},
        "situation": {
            "kind": "armed_attack",
            "territory": "ARM",
            "opponents": ["AZE"],
            "foreign_involvement": "evidenced",
            "intensity": "high",
        },
    }
    run = simulate(parse_crisis(raw, "m.yaml")).dump()
    assert run["outcome"] == "mission"
    kinds = [e["kind"] for e in run["events"]]
    assert kinds == [
        "appeal",
        "decision",
        "notification",  # Art. 4 measures: the UN Security Council is informed at once
        "notification",  # the Secretary General informs the members
        "mission_departed",
        "mission_arrived",
        "mission_report",
        "mission_left",
        "mission_returned",
    ]
    assert run["sitreps"]
    assert {s["author"] for s in run["sitreps"]} == {"mission"}


def test_force_size_follows_the_tasks_not_the_name() -> None:
    small = simulate(_crisis(sites=5)).dump()["forces"]
    large = simulate(_crisis(sites=20)).dump()["forces"]
    assert small["personnel"] < large["personnel"]
    renamed = case("kazakhstan-2022").model_copy(
        update={"id": "somewhere-else", "title": "Elsewhere"}
    )
    a = simulate(renamed, seed=3).dump()
    b = simulate(case("kazakhstan-2022"), seed=3).dump()
    assert a["milestones"] == b["milestones"]
    assert a["forces"] == b["forces"]


def test_no_contingent_from_a_party_or_the_host() -> None:
    crisis = _crisis(kind="terrorism", territory="TJK", opponents=["non_state"], sites=6)
    raw = crisis.model_dump(mode="json") | {"appeal": {"by": "TJK", "invokes": "art4"}}
    run = simulate(parse_crisis(raw, "t.yaml"), world=DEPLOYING).dump()
    assert run["outcome"] == Measure.DEPLOYMENT.label
    assert "TJK" not in run["forces"]["contingents"]
    assert "KAZ" in run["forces"]["contingents"]


def test_negative_seed_is_refused() -> None:
    with pytest.raises(ValueError, match="non-negative"):
        simulate(case("kazakhstan-2022"), seed=-1)


# These tests are about generating and moving a force once the Council has decided to send one, so
# they run in a World where the provider does not prefer its bilateral base and no member simply
# follows it: each member's own reasons decide.
DEPLOYING = WORLD.what_if(
    parameters={"bilateral_preference_cap": "deployment", "dependence_threshold": 9}
)


def _deploying(**changes: Any) -> dict[str, Any]:
    raw = {
        "format": 1,
        "id": "test",
        "title": "Test",
        "date": "2021-06-01",
        "appeal": {"by": "TJK", "invokes": "art4"},
        "situation": {
            "kind": "terrorism",
            "territory": "TJK",
            "opponents": ["non_state"],
            "foreign_involvement": "evidenced",
            "intensity": "low",
            "sites": 1,
        },
    }
    raw["situation"] |= changes.pop("situation", {})
    return raw | changes


def test_pledges_are_cut_back_to_what_the_tasks_need() -> None:
    run = simulate(parse_crisis(_deploying(), "t.yaml"), world=DEPLOYING).dump()
    forces = run["forces"]
    assert forces["required"] == 165
    assert (
        forces["required"] <= forces["personnel"] <= forces["required"] + len(forces["contingents"])
    )
    assert forces["shortfall"] == 0
    assert "RUS" not in forces["contingents"]  # the pledges cover it: Russia only flies them in
    assert forces["airlift"]


def test_a_deployment_without_an_appeal_runs_its_course() -> None:
    raw = _deploying(
        appeal=None, situation={"kind": "armed_attack", "opponents": ["AFG"], "sites": 4}
    )
    run = simulate(parse_crisis(raw, "t.yaml"), reforms=("no-request-needed",)).dump()
    assert run["outcome"] == "deployment"
    kinds = [e["kind"] for e in run["events"]]
    assert kinds[0] == "situation"
    assert "decision" in kinds
    assert run["milestones"]["withdrawal_complete"] is not None
    assert run["sitreps"]


def test_the_host_provider_flies_the_others_in() -> None:
    raw = _deploying(
        appeal={"by": "RUS", "invokes": "art4"},
        situation={"kind": "armed_attack", "territory": "RUS", "opponents": ["AFG"]},
    )
    run = simulate(parse_crisis(raw, "t.yaml")).dump()
    forces = run["forces"]
    assert run["outcome"] == "deployment"
    assert (
        forces["component"] == "RG-EE"
    )  # the grouping whose area covers Russia, not the Caucasus one
    assert "RUS" not in forces["contingents"]
    assert forces["airlift"]


def test_no_willing_contributor_no_force() -> None:
    # Russia tied to the attacker, the Council outvotes it: the Caucasus grouping has nobody to send.
    tie = Relation(
        a="RUS",
        b="IRN",
        valid_from=date(2000, 1, 1),
        level=RelationLevel.PARTNER,
        source="https://example.org/tie",
    )
    tied = DEPLOYING.what_if(relations=[tie])
    raw = _deploying(
        appeal={"by": "ARM", "invokes": "art4"},
        situation={"kind": "armed_attack", "territory": "ARM", "opponents": ["IRN"], "sites": 2},
    )
    run = simulate(parse_crisis(raw, "t.yaml"), reforms=("majority-vote",), world=tied).dump()
    assert run["outcome"] == "deployment"
    assert run["forces"]["component"] == "RG-CAU"
    assert run["forces"]["personnel"] == 0
    assert [e["kind"] for e in run["events"]][-1] == "no_force_generated"
    assert run["milestones"]["first_arrival"] is None
    assert run["sitreps"] == []


def test_actors_exist_on_the_date() -> None:
    raw = _deploying(
        date="1999-08-15",
        appeal={"by": "KGZ", "invokes": "assistance"},
        situation={"kind": "cross_border_threat", "territory": "KGZ", "intensity": "medium"},
    )
    run = simulate(parse_crisis(raw, "t.yaml")).dump()
    actors = {e["actor"] for e in run["events"]}
    assert "Permanent Council" not in actors  # created only with the charter, in 2003
    assert "Collective Security Council" in actors


def test_buffered_draws_are_numpys_triangular_draws_bit_for_bit() -> None:
    import numpy as np

    from csto.domain.operations import Range
    from csto.sim.draws import Draws

    shapes = [(3, 7, 14), (11, 13, 16), (1, 1, 1), (0.5, 0.5, 9), (2, 9, 9), (4, 8, 12)]
    for seed in range(5):
        mine, numpys = Draws(np.random.default_rng(seed)), np.random.default_rng(seed)
        for i in range(2_000):
            low, mode, high = shapes[i % len(shapes)]
            r = Range.model_validate(
                {
                    "range": {"low": low, "mode": mode, "high": high},
                    "source": "001_0b4a93ac351378c2.txt",
                }
            )
            expected = mode if low == high else float(numpys.triangular(low, mode, high))
            assert mine.range(r) == expected
