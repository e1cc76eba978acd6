"""The appeal, the consultations between seats, and the engine's assessment beside them.

file_appeal(turn, cmd)          the affected member appeals (it alone may); the assessment is
                                recomputed on the facts with the appeal
engine_appeal(turn)             where nobody holds the affected member's seat, the engine files
                                the base crisis's appeal (labelled)
send_message(turn, cmd)         a consultation to every seat or to named seats
emit_assessment(turn, reason, changed)   the engine's assessment of the facts now; the
                                exercise's setting says whether players see it or only the
                                white cell; open motions are marked when it changed
check_audience(turn, seats, field)   seat ids a command names, checked (422 naming the field)
"""

from __future__ import annotations

from collections.abc import Iterable

from csto.domain.crisis import DEFAULT_ASK, Invokes, Measure
from csto.domain.errors import Conflict, DataError, Forbidden, Problem
from csto.exercise.commands import FileAppeal, SendMessage
from csto.exercise.council import revote_engine_seats
from csto.exercise.events import EventKind
from csto.exercise.projection import audience
from csto.exercise.seats import DIRECTOR, SeatKind
from csto.exercise.turn import Turn

SPEAKING = (SeatKind.MEMBER, SeatKind.SECRETARIAT, SeatKind.DIRECTOR)


def check_audience(turn: Turn, seats: Iterable[str], field: str) -> tuple[str, ...] | None:
    known = set(turn.state.seats)
    listed = tuple(seats)
    for seat in listed:
        if seat not in known and seat not in ("all", "members"):
            allowed = "allowed: all, members, or seat ids: " + ", ".join(turn.state.seats)
            raise DataError("request", [Problem(field, seat, allowed)])
    return audience(listed, turn.state.members())


def check_answers(turn: Turn, inject: str | None) -> None:
    if inject is not None and inject not in turn.state.injects:
        released = ", ".join(turn.state.injects) or "none yet"
        raise DataError(
            "request", [Problem("answers", inject, f"allowed: a released inject ({released})")]
        )


def emit_assessment(
    turn: Turn, reason: str, changed: bool, seats: tuple[str, ...] | None = None
) -> None:
    """To `seats` (None: every seat) where players see the assessment, else to the white cell."""
    previous = turn.state.assessment
    a = turn.assessment()
    shown = turn.state.settings.get("players_see_assessment", True)
    turn.emit(
        EventKind.ASSESSMENT,
        {
            "reason": reason,
            "changed": changed,
            "outcome": a.outcome.label,
            "legal_ceiling": a.legal.ceiling.label,
            "previous_outcome": previous.outcome if previous else None,
            "open_motions": [m.id for m in turn.state.motions.values() if m.status == "open"],
            "assessment": a.dump(),
        },
        audience=seats if shown else (DIRECTOR,),
        engine=True,
    )


def _appeal(
    turn: Turn, by: str, invokes: Invokes, asks: Measure, statement: str, engine: bool
) -> None:
    if turn.state.appeal is not None:
        raise Conflict("appeal", f"{turn.state.appeal.by} has already appealed")
    turn.emit(
        EventKind.APPEAL_FILED,
        {"by": by, "invokes": invokes.value, "asks": asks.label, "statement": statement},
        engine=engine,
        actor=by if not engine else None,
    )
    emit_assessment(turn, f"{by} appealed ({invokes.value}, asks {asks.label})", changed=True)
    revote_engine_seats(turn, "re-assessed on the appeal")


def file_appeal(turn: Turn, cmd: FileAppeal) -> None:
    turn.open()
    code = turn.own_state(cmd.state, "file an appeal")
    affected = turn.crisis().situation.territory
    if code != affected:
        raise Forbidden(code, "file the appeal", f"only the affected member, {affected}, appeals")
    asks = cmd.asks if cmd.asks is not None else DEFAULT_ASK[cmd.invokes]
    _appeal(turn, code, cmd.invokes, asks, cmd.statement, engine=False)


def engine_appeal(turn: Turn) -> None:
    base = turn.state.base_appeal or {}
    invokes = Invokes(base["invokes"])
    asks = Measure.parse(base["asks"]) if base.get("asks") else DEFAULT_ASK[invokes]
    statement = "[engine, the seat is not taken] the appeal of the base crisis"
    _appeal(turn, base["by"], invokes, asks, statement, engine=True)


def send_message(turn: Turn, cmd: SendMessage) -> str:
    turn.open()
    turn.require(SPEAKING, "send a consultation message")
    to = check_audience(turn, cmd.to, "to")
    check_answers(turn, cmd.answers)
    message_id = turn.state.peek_id("C")
    turn.emit(
        EventKind.MESSAGE,
        {
            "id": message_id,
            "sender": turn.seat,
            "to": to,
            "subject": cmd.subject,
            "text": cmd.text,
            "answers": cmd.answers,
        },
        audience=None if to is None else tuple(sorted({turn.seat, *to})),
    )
    return message_id
