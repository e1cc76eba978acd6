"""The Crisis Response Center's feed: daily situation reports, drafted from the simulation's
state, reviewed and released by the Center; and the ministries' own reports.

    draft_sitrep(turn, day)          the loop's draft for exercise day `day` (to the Center only)
    edit_sitrep(turn, id, cmd)       the Center (Secretariat seat) or the director edits a draft
    release_sitrep(turn, id, cmd, engine=False)   released to its audience (default: every seat);
                                     where nobody holds the Secretariat, the engine releases the
                                     draft as it stands, labelled
    file_report(turn, cmd)           a member's ministry reports to the Center (and seats it names)
"""

from __future__ import annotations

from csto.domain.errors import Conflict, NotFound
from csto.exercise.commands import EditSitrep, FileReport, ReleaseSitrep
from csto.exercise.consult import check_answers, check_audience
from csto.exercise.deployment import situation_text
from csto.exercise.events import EventKind
from csto.exercise.seats import SECRETARIAT, SeatKind
from csto.exercise.state import Sitrep
from csto.exercise.turn import Turn

CENTER = (SeatKind.SECRETARIAT, SeatKind.DIRECTOR)


def draft_sitrep(turn: Turn, day: int) -> None:
    turn.emit(
        EventKind.SITREP_DRAFTED,
        {
            "id": turn.state.peek_id("S"),
            "day": day,
            "text": situation_text(turn.state, turn.now, day),
        },
        audience=(SECRETARIAT,),
        engine=True,
    )


def _draft(turn: Turn, sitrep_id: str) -> Sitrep:
    found = turn.state.sitreps.get(sitrep_id)
    if found is None:
        raise NotFound("situation report", sitrep_id, tuple(turn.state.sitreps))
    if found.status == "released":
        raise Conflict(
            "sitrep", f"situation report {sitrep_id} was released and can no longer change"
        )
    return found


def edit_sitrep(turn: Turn, sitrep_id: str, cmd: EditSitrep) -> None:
    turn.open()
    turn.require(CENTER, "edit a situation report")
    _draft(turn, sitrep_id)
    turn.emit(EventKind.SITREP_EDITED, {"id": sitrep_id, "text": cmd.text}, audience=(SECRETARIAT,))


def release_sitrep(turn: Turn, sitrep_id: str, cmd: ReleaseSitrep, engine: bool = False) -> None:
    turn.open()
    if not engine:
        turn.require(CENTER, "release a situation report")
    draft = _draft(turn, sitrep_id)
    to = check_audience(turn, cmd.audience, "audience")
    turn.emit(
        EventKind.SITREP_RELEASED,
        {"id": sitrep_id, "day": draft.day, "text": cmd.text or draft.text},
        audience=None if to is None else tuple(sorted({SECRETARIAT, *to})),
        engine=engine,
    )


def file_report(turn: Turn, cmd: FileReport) -> str:
    turn.open()
    code = turn.own_state(cmd.state, "file a report")
    extra = check_audience(turn, cmd.to, "to") if cmd.to else ()
    check_answers(turn, cmd.answers)
    named = turn.state.seats if extra is None else extra  # None: every seat
    seats = tuple(sorted({code, SECRETARIAT, *named}))
    report_id = turn.state.peek_id("F")
    turn.emit(
        EventKind.REPORT_FILED,
        {"id": report_id, "by": code, "text": cmd.text, "audience": seats, "answers": cmd.answers},
        audience=seats,
    )
    return report_id
