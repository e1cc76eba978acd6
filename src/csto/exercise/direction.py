"""The white cell's commands: the clock, injects during play, the end of the exercise.

    set_clock(turn, due, cmd)     pause, resume (what fell due meanwhile is released at once,
                                  marked late), speed (a new rate from now), jump (ahead only)
    add_inject(turn, due, cmd)    an inject written during play: a new row, released now, later
                                  or on a condition
    edit_inject(turn, due, id, cmd)   a pending inject changed: its text, audience, time or condition
    release_now(turn, due, id)    a pending inject of the master events list, released now
    end_exercise(turn)            no more commands; the after-action report is final

Exercise time = anchor_at + rate x (wall - anchor_wall): each clock command re-anchors at the
present moment, so the time never jumps back and never drifts around a pause.
"""

from __future__ import annotations

from datetime import datetime, timedelta

from csto.domain.errors import Conflict, DataError, NotFound, Problem
from csto.exercise.commands import AddInject, ClockCommand, EditInject
from csto.exercise.consult import check_audience
from csto.exercise.due import Due, advance
from csto.exercise.events import EventKind
from csto.exercise.injects import Pending, condition_met_at, release
from csto.exercise.scenario import Condition, Inject, apply_facts, parse_offset
from csto.exercise.seats import DIRECTOR, SeatKind
from csto.exercise.state import Clock
from csto.exercise.turn import Turn

DIRECTING = (SeatKind.DIRECTOR,)
MAX_JUMP = timedelta(days=90)  # a jump releases everything on the way: keep it bounded


def _emit_clock(turn: Turn, action: str, clock: Clock) -> None:
    turn.emit(EventKind.CLOCK, {"action": action, **clock.model_dump(mode="json")})


def set_clock(turn: Turn, due: Due, cmd: ClockCommand) -> None:
    turn.open()
    turn.require(DIRECTING, "set the clock")
    clock = turn.state.clock
    assert clock is not None
    now, wall = turn.now, turn.wall
    if cmd.action == "pause":
        if clock.paused:
            raise Conflict("action", "the clock is already paused")
        _emit_clock(
            turn, "pause", Clock(anchor_at=now, anchor_wall=wall, rate=clock.rate, paused=True)
        )
    elif cmd.action == "resume":
        if not clock.paused:
            raise Conflict("action", "the clock is running; there is nothing to resume")
        first = turn.state.started_at is None  # the first run of the clock starts play: not late
        resumed = Clock(anchor_at=now, anchor_wall=wall, rate=clock.rate, paused=False)
        _emit_clock(turn, "start" if first else "resume", resumed)
        advance(turn, due, late=not first)
    elif cmd.action == "speed":
        if cmd.rate is None:
            raise DataError(
                "request",
                [
                    Problem(
                        "rate",
                        None,
                        "allowed: exercise seconds per wall second, above 0, at most 3600",
                    )
                ],
            )
        _emit_clock(
            turn,
            "speed",
            Clock(anchor_at=now, anchor_wall=wall, rate=cmd.rate, paused=clock.paused),
        )
    else:
        if cmd.to is None or not now < cmd.to <= now + MAX_JUMP:
            allowed = f"allowed: an exercise time after now ({now.isoformat()}), at most {MAX_JUMP.days} days ahead"
            raise DataError(
                "request", [Problem("to", cmd.to.isoformat() if cmd.to else None, allowed)]
            )
        _emit_clock(
            turn,
            "jump",
            Clock(anchor_at=cmd.to, anchor_wall=wall, rate=clock.rate, paused=clock.paused),
        )
        turn.now = cmd.to
        advance(turn, due)


def _offset(at: str | None, when: Condition | None) -> int:
    if at is not None and when is not None:
        raise DataError(
            "request", [Problem("at", at, "allowed: a time (at) or a condition (when), not both")]
        )
    try:
        return parse_offset(at) if at is not None else 0
    except ValueError as exc:
        raise DataError("request", [Problem("at", at, str(exc))]) from None


def _check_condition(turn: Turn, when: Condition | None) -> None:
    if when is None:
        return
    if when.event is None and when.engine is None:
        raise DataError(
            "request",
            [Problem("when.event", None, "allowed: an event to wait for, or an engine finding")],
        )
    if when.within is not None:
        raise DataError(
            "request", [Problem("when.within", when.within, "allowed: only in objectives")]
        )


def _passed(turn: Turn, when: Condition | None) -> bool:
    """The condition was met, and its delay has run, before now: the inject is due at once (not
    backdated to when it would have fallen due, which the players would read as old news)."""
    if when is None:
        return False
    met = condition_met_at(when, turn.state, turn.world, turn.assessments)
    return met is not None and met + timedelta(seconds=when.delay) <= turn.now


def add_inject(turn: Turn, due: Due, cmd: AddInject) -> str:
    turn.open()
    turn.require(DIRECTING, "add an inject")
    offset = _offset(cmd.at, cmd.when)
    _check_condition(turn, cmd.when)
    check_audience(turn, cmd.audience, "audience")
    inject_id = f"added-{turn.state.added_injects + 1}"
    inject = Inject(
        id=inject_id,
        title=cmd.title,
        body=cmd.body,
        audience=cmd.audience,
        facts=cmd.facts,
        when=cmd.when,
    )
    if cmd.facts is not None:
        apply_facts(turn.crisis(), cmd.facts.changed())  # refused now if it cannot apply
    at_once = (cmd.when is None and offset == 0) or _passed(turn, cmd.when)
    due_time: datetime | None = turn.now + timedelta(seconds=offset)
    if at_once:
        due_time = turn.now
    elif cmd.when is not None:
        due_time = None  # on its condition
    pending = Pending(inject, 100_000 + turn.state.added_injects, due_time)
    turn.emit(
        EventKind.INJECT_ADDED,
        {"inject": inject.model_dump(mode="json"), "due": pending.due},
        audience=(DIRECTOR,),
    )
    due.pending[inject_id] = pending
    due.added.append(pending)
    if at_once:
        release(turn, pending, False, turn.now, turn.now)
        due.released.append(inject_id)
    return inject_id


def _pending(turn: Turn, due: Due, inject_id: str, what: str, done: str) -> Pending:
    """The pending inject `inject_id`, for the director to `what` (edit, release) it."""
    turn.open()
    turn.require(DIRECTING, f"{what} an inject")
    pending = due.pending.get(inject_id)
    if pending is None:
        raise NotFound("inject", inject_id, tuple(due.pending))
    if inject_id in turn.state.injects:
        raise Conflict(
            "inject", f"inject {inject_id} was released already; it can no longer be {done}"
        )
    return pending


def edit_inject(turn: Turn, due: Due, inject_id: str, cmd: EditInject) -> str:
    pending = _pending(turn, due, inject_id, "edit", "changed")
    offset = _offset(cmd.at, cmd.when)
    _check_condition(turn, cmd.when)
    if cmd.audience is not None:
        check_audience(turn, cmd.audience, "audience")
    old = pending.inject
    changes: dict[str, object] = {
        k: v
        for k, v in (("title", cmd.title), ("body", cmd.body), ("audience", cmd.audience))
        if v is not None
    }
    due_at: datetime | None = pending.due
    if cmd.at is not None:
        changes |= {"at": None, "when": None}
        due_at = turn.now + timedelta(seconds=offset)
    elif cmd.when is not None:
        changes |= {"at": None, "when": cmd.when}
        due_at = turn.now if _passed(turn, cmd.when) else None
    if not changes:
        raise DataError(
            "request",
            [
                Problem(
                    "(top level)", {}, "allowed: at least one of title, body, audience, at, when"
                )
            ],
        )
    inject = old.model_copy(update=changes)
    edited = Pending(inject, pending.position, due_at)
    turn.emit(
        EventKind.INJECT_EDITED,
        {"inject": inject.model_dump(mode="json"), "due": due_at, "changed": sorted(changes)},
        audience=(DIRECTOR,),
    )
    due.pending[inject_id] = edited
    due.edited.append(edited)
    if due_at is not None and due_at <= turn.now:
        release(turn, edited, False, turn.now, turn.now)
        due.released.append(inject_id)
    return inject_id


def release_now(turn: Turn, due: Due, inject_id: str) -> None:
    pending = _pending(turn, due, inject_id, "release", "released again")
    when: datetime = turn.now
    release(turn, pending, False, when, when)
    due.released.append(inject_id)


def end_exercise(turn: Turn) -> None:
    turn.open()
    turn.require(DIRECTING, "end the exercise")
    turn.emit(EventKind.EXERCISE_ENDED, {})
