"""Dispatch: each command to the handler that checks it against the seat and the state.

    play(turn, due, command, target=None) -> Outcome   target: the motion, request, offer,
                                                       sitrep or inject a command is about
    Outcome                                            what the command made: its kind and id

Handlers live beside what they handle: csto.exercise.consult (appeal, messages), council
(motions, votes), forcegen (requests, offers), feed (sitreps, reports), direction (the clock,
injects, the end).
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from csto.domain.contract import Contract
from csto.exercise import commands as c
from csto.exercise.consult import file_appeal, send_message
from csto.exercise.council import cast_vote, close_motion, open_motion
from csto.exercise.direction import add_inject, edit_inject, end_exercise, release_now, set_clock
from csto.exercise.due import Due
from csto.exercise.feed import edit_sitrep, file_report, release_sitrep
from csto.exercise.forcegen import accept_offer, close_request, issue_request, make_offer
from csto.exercise.turn import Turn


class Outcome(Contract):
    """A command's answer: what it made (if anything) and the log's position after it."""

    command: str
    id: str | None = None
    seq: int = 0
    events: int = 0
    state_hash: str = ""
    exercise_time: str = ""


Handler = Callable[[Turn, Due, Any, str | None], str | None]


def _need(target: str | None) -> str:
    if not target:
        raise ValueError(
            "this command is about a motion, request, offer, sitrep or inject: name it"
        )
    return target


HANDLERS: dict[type[c.Command], Handler] = {
    c.FileAppeal: lambda t, d, x, _: file_appeal(t, x),
    c.SendMessage: lambda t, d, x, _: send_message(t, x),
    c.OpenMotion: lambda t, d, x, _: open_motion(t, x),
    c.CastVote: lambda t, d, x, target: cast_vote(t, _need(target), x),
    c.CloseMotion: lambda t, d, x, target: close_motion(t, _need(target)),
    c.IssueForceRequest: lambda t, d, x, _: issue_request(t, x),
    c.MakeOffer: lambda t, d, x, target: make_offer(t, _need(target), x),
    c.AcceptOffer: lambda t, d, x, target: accept_offer(t, _need(target), x),
    c.CloseRequest: lambda t, d, x, target: close_request(t, _need(target)),
    c.EditSitrep: lambda t, d, x, target: edit_sitrep(t, _need(target), x),
    c.ReleaseSitrep: lambda t, d, x, target: release_sitrep(t, _need(target), x),
    c.FileReport: lambda t, d, x, _: file_report(t, x),
    c.ClockCommand: lambda t, d, x, _: set_clock(t, d, x),
    c.AddInject: lambda t, d, x, _: add_inject(t, d, x),
    c.EditInject: lambda t, d, x, target: edit_inject(t, d, _need(target), x),
    c.ReleaseInject: lambda t, d, x, target: release_now(t, d, _need(target)),
    c.EndExercise: lambda t, d, x, _: end_exercise(t),
}


def command_name(command: c.Command) -> str:
    name = type(command).__name__
    return "".join("_" + ch.lower() if ch.isupper() else ch for ch in name).lstrip("_")


def play(turn: Turn, due: Due, command: c.Command, target: str | None = None) -> Outcome:
    made = HANDLERS[type(command)](turn, due, command, target)
    last = turn.emitted[-1] if turn.emitted else None
    return Outcome(
        command=command_name(command),
        id=made if isinstance(made, str) else target,
        seq=turn.state.seq,
        events=len(turn.emitted),
        state_hash=last.state_hash if last else turn.state.digest(),
        exercise_time=turn.now.isoformat(),
    )
