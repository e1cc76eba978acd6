"""The Council in play: the outcome comes from the engine's own procedure, seats nobody holds vote
as the engine models them (labelled), abstention only where the charter in force allows it, and
the assessment beside a motion is recomputed and marked when an inject changes the facts."""

from __future__ import annotations

from pathlib import Path

import pytest
import yaml

from csto.domain.crisis import Measure
from csto.domain.errors import DataError
from csto.engine import assess
from csto.exercise import Exercises, scenario_argument, scenario_text
from csto.exercise import commands as c
from csto.exercise.queries import view
from csto.store import Store

from .exercises import Wall
from .worlds import WORLD, case, case_ids

APPEALED = [k for k in case_ids() if case(k).appeal is not None]


def _service(tmp_path: Path) -> Exercises:
    return Exercises(WORLD, Store(f"sqlite:///{tmp_path / 'x.db'}").ready(), wall=Wall())


def _scenario(case_id: str) -> str:
    return yaml.safe_dump(
        {"format": 1, "id": "council", "title": "t", "crisis": case_id, "seats": {"observers": 0}}
    )


@pytest.mark.parametrize("case_id", APPEALED)
def test_engine_played_seats_reach_the_engines_own_decision(tmp_path: Path, case_id: str) -> None:
    ex = _service(tmp_path)
    exercise = ex.create(scenario_text(WORLD, _scenario(case_id))).exercise_id
    ex.submit(exercise, "DIRECTOR", c.ClockCommand(action="resume"))
    ex.submit(
        exercise,
        "DIRECTOR",
        c.ClockCommand(
            action="jump", to=view(ex, exercise, "DIRECTOR").exercise_time.replace(hour=23)
        ),
    )
    state = view(ex, exercise, "DIRECTOR").state
    assert state.appeal is not None
    assert state.appeal.engine
    expected = assess(WORLD, case(case_id)).outcome
    for level in list(Measure)[1:]:
        motion = ex.submit(exercise, "DIRECTOR", c.OpenMotion(measure=level)).id
        assert motion is not None
        ex.submit(exercise, "DIRECTOR", c.CloseMotion(), target=motion)
        m = view(ex, exercise, "DIRECTOR").state.motions[motion]
        assert m.status == "closed"
        assert all(v.engine for v in m.votes.values())
        assert (m.outcome == "adopted") == (level <= expected), (
            case_id,
            level,
            m.outcome,
            expected,
        )


def test_abstention_only_where_the_rule_allows_it(tmp_path: Path) -> None:
    ex = _service(tmp_path)
    created = ex.create(scenario_argument(WORLD, "southern-shield"))
    exercise = created.exercise_id
    ex.join(created.tokens["ARM"])
    ex.join(created.tokens["KAZ"])
    appeal_motion = ex.submit(exercise, "SEC", c.OpenMotion(measure=Measure.DEPLOYMENT)).id
    m = view(ex, exercise, "DIRECTOR").state.motions[appeal_motion or ""]
    assert m.rule == "consensus_with_abstention"
    assert m.abstention_allowed
    ex.submit(
        exercise,
        "ARM",
        c.CastVote(vote="abstain", statement="Armenia stands aside."),
        target=appeal_motion,
    )
    stationing = ex.submit(
        exercise, "SEC", c.OpenMotion(question="stationing", subject="CHN", host="TJK")
    ).id
    m = view(ex, exercise, "DIRECTOR").state.motions[stationing or ""]
    assert m.rule == "consensus"
    assert not m.abstention_allowed
    with pytest.raises(DataError, match="no member may stand aside") as caught:
        ex.submit(exercise, "ARM", c.CastVote(vote="abstain"), target=stationing)
    assert caught.value.problems[0].path == "vote"
    ex.submit(
        exercise, "ARM", c.CastVote(vote="object", statement="No foreign bases."), target=stationing
    )
    ex.submit(exercise, "KAZ", c.CastVote(vote="support"), target=stationing)
    m = view(ex, exercise, "DIRECTOR").state.motions[stationing or ""]
    assert m.outcome == "rejected"
    assert m.blocked_by == ("ARM",)


def test_a_fact_change_recomputes_the_assessment_and_marks_open_motions(tmp_path: Path) -> None:
    ex = _service(tmp_path)
    created = ex.create(scenario_argument(WORLD, "kazakhstan-2022"))
    exercise = created.exercise_id
    ex.join(created.tokens["KAZ"])
    ex.submit(exercise, "KAZ", c.FileAppeal(invokes="art4", asks=Measure.DEPLOYMENT))
    assert view(ex, exercise, "KAZ").state.assessment.outcome == "deployment"  # type: ignore[union-attr]
    motion = ex.submit(exercise, "SEC", c.OpenMotion(measure=Measure.DEPLOYMENT)).id or ""
    ex.submit(exercise, "DIRECTOR", c.ReleaseInject(), target="escalation")  # intensity: high
    state = view(ex, exercise, "KAZ").state
    assert state.assessment is not None
    assert state.assessment.changed
    high = case("kazakhstan-2022").model_copy(deep=True)
    facts = high.facts() | {"situation": {**high.facts()["situation"], "intensity": "high"}}
    from csto.domain.crisis import parse_crisis

    assert state.assessment.outcome == assess(WORLD, parse_crisis(facts, "x")).outcome.label
    assert state.motions[motion].assessment_changed
    ex.submit(exercise, "KAZ", c.CastVote(vote="support"), target=motion)
    closed = view(ex, exercise, "KAZ").state.motions[motion]
    assert closed.outcome == "rejected"  # the engine-played seats now stop short of a deployment


QUESTIONS = [
    q
    for q in WORLD.questions.ids()
    if WORLD.questions.get(q).decided_by.value == "collective_security_council"
    and WORLD.questions.get(q).action.value == "grant"
    and WORLD.questions.get(q).date.year >= 2003
]


@pytest.mark.parametrize("question_id", QUESTIONS)
def test_engine_played_seats_on_a_question_reach_the_engines_decision(
    tmp_path: Path, question_id: str
) -> None:
    from csto.domain.question import Question
    from csto.engine.decide import decide

    q = WORLD.questions.get(question_id)
    crisis = {
        "format": 1,
        "id": "quiet",
        "title": "a quiet day",
        "date": q.date.isoformat(),
        "situation": {
            "kind": "internal_unrest",
            "territory": "RUS",
            "opponents": ["non_state"],
            "foreign_involvement": "none",
            "intensity": "low",
        },
    }
    text = yaml.safe_dump(
        {"format": 1, "id": "q", "title": "t", "crisis": crisis, "seats": {"observers": 0}}
    )
    ex = _service(tmp_path)
    exercise = ex.create(scenario_text(WORLD, text)).exercise_id
    motion = (
        ex.submit(
            exercise, "SEC", c.OpenMotion(question=q.kind, subject=q.state, nominee=q.nominee)
        ).id
        or ""
    )
    ex.submit(exercise, "DIRECTOR", c.CloseMotion(), target=motion)
    m = view(ex, exercise, "DIRECTOR").state.motions[motion]
    assert m.question is not None
    assert all(v.engine for v in m.votes.values())
    expected = decide(WORLD, Question.model_validate(m.question))
    assert m.outcome == expected.outcome, (question_id, m.blocked_by, expected.blocked_by)
    assert set(m.blocked_by) == set(expected.blocked_by)
