"""One server clock: exercise time = anchor + rate x wall time, through pause, resume, speed-up and
jumps; injects released from their rows by the loop, late when they fell due during a pause; a
restart (a new process over the same store) loses none and resumes at the right exercise time."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest

from csto.domain.errors import Conflict, DataError
from csto.exercise import Exercises, scenario_argument
from csto.exercise import commands as c
from csto.exercise.queries import replay, view
from csto.store import Store
from csto.store import exercises as repo

from .exercises import Wall
from .worlds import WORLD

START = datetime(2022, 1, 5, 8, 0, tzinfo=UTC)  # the Kazakhstan scenario's start; rate 60


def _service(tmp_path: Path, wall: Wall) -> Exercises:
    return Exercises(WORLD, Store(f"sqlite:///{tmp_path / 'x.db'}").ready(), wall=wall)


def _new(ex: Exercises) -> str:
    return ex.create(scenario_argument(WORLD, "kazakhstan-2022")).exercise_id


def _now(ex: Exercises, exercise: str) -> datetime:
    return view(ex, exercise, "DIRECTOR").exercise_time


def test_exercise_time_follows_the_wall_through_pause_speed_and_jump(tmp_path: Path) -> None:
    wall = Wall()
    ex = _service(tmp_path, wall)
    exercise = _new(ex)
    assert _now(ex, exercise) == START  # created paused
    wall.advance(minutes=5)
    assert _now(ex, exercise) == START
    ex.submit(exercise, "DIRECTOR", c.ClockCommand(action="resume"))
    wall.advance(seconds=90)
    assert _now(ex, exercise) == START + timedelta(minutes=90)
    ex.submit(exercise, "DIRECTOR", c.ClockCommand(action="pause"))
    wall.advance(hours=3)  # a long lunch: no drift
    assert _now(ex, exercise) == START + timedelta(minutes=90)
    ex.submit(exercise, "DIRECTOR", c.ClockCommand(action="resume"))
    ex.submit(exercise, "DIRECTOR", c.ClockCommand(action="speed", rate=120))
    wall.advance(seconds=30)
    assert _now(ex, exercise) == START + timedelta(minutes=150)
    ahead = START + timedelta(days=1)
    ex.submit(exercise, "DIRECTOR", c.ClockCommand(action="jump", to=ahead))
    assert _now(ex, exercise) == ahead
    with pytest.raises(DataError, match="after now"):
        ex.submit(exercise, "DIRECTOR", c.ClockCommand(action="jump", to=START))
    with pytest.raises(Conflict, match="running"):
        ex.submit(exercise, "DIRECTOR", c.ClockCommand(action="resume"))


def test_injects_due_in_a_pause_are_released_on_resume_marked_late(tmp_path: Path) -> None:
    wall = Wall()
    ex = _service(tmp_path, wall)
    exercise = _new(ex)
    ex.submit(exercise, "DIRECTOR", c.ClockCommand(action="resume"))
    assert set(view(ex, exercise, "DIRECTOR").state.injects) == {"riots"}
    assert not view(ex, exercise, "DIRECTOR").state.injects["riots"].late
    ex.submit(exercise, "DIRECTOR", c.ClockCommand(action="pause"))
    ex.submit(exercise, "DIRECTOR", c.ClockCommand(action="jump", to=START + timedelta(hours=4)))
    assert ex.tick(exercise) == 0  # paused: the loop releases nothing
    assert "almaty-airport" not in view(ex, exercise, "DIRECTOR").state.injects
    ex.submit(exercise, "DIRECTOR", c.ClockCommand(action="resume"))
    released = view(ex, exercise, "DIRECTOR").state.injects["almaty-airport"]
    assert released.late
    assert released.at == START + timedelta(hours=4)
    with ex.store.reading() as session:
        rows = {r.inject_id: r.status for r in repo.inject_rows(session, exercise)}
    assert rows["almaty-airport"] == "released"
    assert rows["escalation"] == "pending"


def test_a_restart_loses_no_inject_and_keeps_the_exercise_time(tmp_path: Path) -> None:
    wall = Wall()
    ex = _service(tmp_path, wall)
    exercise = _new(ex)
    ex.submit(exercise, "DIRECTOR", c.ClockCommand(action="resume"))
    wall.advance(minutes=2)
    ex.store.close()
    del ex  # the server dies; the wall clock goes on without it
    wall.advance(minutes=2)
    again = _service(tmp_path, wall)  # a new process: nothing but the store
    assert _now(again, exercise) == START + timedelta(hours=4)
    assert again.tick_all() > 0  # what fell due while it was down is released now
    state = view(again, exercise, "DIRECTOR").state
    assert set(state.injects) >= {"riots", "almaty-airport"}
    assert state.injects["almaty-airport"].late  # two wall minutes after it fell due
    assert replay(again.store, exercise).ok


def test_a_retried_command_does_nothing_twice(tmp_path: Path) -> None:
    wall = Wall()
    ex = _service(tmp_path, wall)
    exercise = _new(ex)
    ex.join(_token(ex, exercise, "KAZ", tmp_path))
    message = c.SendMessage(to=("all",), text="once")
    first = ex.submit(exercise, "KAZ", message, key="retry-1")
    second = ex.submit(exercise, "KAZ", message, key="retry-1")
    assert first == second
    assert sum(m.text == "once" for m in view(ex, exercise, "DIRECTOR").state.messages) == 1
    with pytest.raises(DataError, match="Idempotency-Key"):
        ex.submit(exercise, "KAZ", c.SendMessage(to=("all",), text="other"), key="retry-1")
    ex.submit(exercise, "KAZ", message, key="retry-2")
    assert sum(m.text == "once" for m in view(ex, exercise, "DIRECTOR").state.messages) == 2


def _token(ex: Exercises, exercise: str, seat: str, tmp_path: Path) -> str:
    """A fresh link for a seat (the director reissues it), as the test has no creation output."""
    return ex.reissue(exercise, seat, "DIRECTOR")
