"""What a run records: events and situation reports, in simulation hours from the appeal.

Event    one thing that happened: time, kind, actor, details
Sitrep   one situation report exchanged through the Crisis Response Center
RunLog   the ordered lists, appended by the processes of one run
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any, NamedTuple

# Event and Sitrep are named tuples, not frozen dataclasses: a lifecycle makes hundreds of each, and
# a tuple is built several times faster (a frozen dataclass sets each field through object.__setattr__).


class Event(NamedTuple):
    time: float  # hours since the appeal (or since the start of events where nobody appeals)
    kind: str
    actor: str
    details: dict[str, Any] = {}  # noqa: RUF012 -- never mutated: each event passes its own


class Sitrep(NamedTuple):
    time: float
    author: str  # "force command", "mission", or "defence ministry XXX"
    hub: str  # the body that runs the exchange on that date
    phase: str
    personnel: int  # in theatre, for the author's scope
    sites: int
    text: str


@dataclass
class RunLog:
    events: list[Event] = field(default_factory=list)
    sitreps: list[Sitrep] = field(default_factory=list)

    def event(self, time: float, kind: str, actor: str, **details: Any) -> None:
        self.events.append(Event(round(time, 6), kind, actor, details))

    def first(self, kind: str) -> Event | None:
        return next((e for e in self.events if e.kind == kind), None)
