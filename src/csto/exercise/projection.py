"""The one rule that decides what a seat is sent: every event, every view, every stream passes here.

    sees(seat, event)        the director sees every event; any other seat sees an event for every
                             seat (audience None) or one whose audience names it
    project(events, seat)    the events a seat is sent, in order
    audience(spec, members)  an audience as written (all, members, seat ids) as the log keeps it:
                             None for every seat, else a sorted tuple of seat ids

A seat's view is the fold of its projected events (csto.exercise.state), so nothing reaches a view,
an event list or a stream without passing `sees`.
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator

from csto.exercise.events import LogEvent
from csto.exercise.seats import DIRECTOR


def sees(seat: str, event: LogEvent) -> bool:
    if seat == DIRECTOR or event.audience is None:
        return True
    return seat in event.audience


def project(events: Iterable[LogEvent], seat: str) -> Iterator[LogEvent]:
    return (e for e in events if sees(seat, e))


def audience(spec: Iterable[str], members: Iterable[str]) -> tuple[str, ...] | None:
    named: set[str] = set()
    for seat in spec:
        if seat == "all":
            return None
        if seat == "members":
            named.update(members)
        else:
            named.add(seat)
    return tuple(sorted(named))
