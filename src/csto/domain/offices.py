"""The rotating offices: the chair of the Collective Security Council and the Secretary General's
rotation, as dated, sourced data and the queries on them.

    Chair                 one chairmanship: the state, from and to (both inclusive), the session
    Rotation              the Council's rotation of the Secretary General: the order of states, the
                          first turn, the term, when it was decided
    Turn                  one state's turn: the state, its first and last day
    chair_on(chairs, d)   the chair on d (on a handover day, the incoming chair), or None
    Rotation.turns()      the turns in order, from the first (cycling through the order)
    Rotation.turn_on(d)   the turn running on d (None before the first turn)
    Rotation.next_turn(d) the first turn that starts after d
    Rotation.appointment_turn(d, lead_days)   the turn an appointment decided on d is for

An appointment decided less than `lead_days` before the next turn begins is for that turn; any
other appointment fills the rest of the turn running (the Council meets in regular session once a
year, so a turn's holder is named at the session before it begins).
"""

from __future__ import annotations

from collections.abc import Iterator, Sequence
from dataclasses import dataclass
from datetime import date, timedelta

from pydantic import Field

from csto.domain.models import ISO3, Fact, Source


class Chair(Fact):
    state: ISO3
    start: date
    end: date
    session: str = Field(min_length=1, description="the sessions at which the chair passed")
    sources: tuple[Source, ...] = ()


class Rotation(Fact):
    decided: date = Field(description="the Council decision that introduced the rotation")
    agreed_in_principle: date | None = None
    first: date = Field(alias="from", description="the first day of the first turn")
    term_years: int = Field(ge=1, le=10)
    order: tuple[ISO3, ...] = Field(min_length=1)
    order_basis: str = Field(min_length=1)
    sources: tuple[Source, ...] = ()

    def turns(self) -> Iterator[Turn]:
        k = 0
        while True:
            start = _add_years(self.first, k * self.term_years)
            end = _add_years(self.first, (k + 1) * self.term_years) - timedelta(days=1)
            yield Turn(self.order[k % len(self.order)], start, end)
            k += 1

    def turn_on(self, on: date) -> Turn | None:
        for turn in self.turns():
            if turn.start > on:
                return None
            if on <= turn.end:
                return turn
        return None  # pragma: no cover - turns() never ends

    def next_turn(self, on: date) -> Turn:
        return next(t for t in self.turns() if t.start > on)

    def appointment_turn(self, on: date, lead_days: int) -> Turn | None:
        """The turn an appointment decided on `on` is for; None before the rotation was decided."""
        if on < self.decided:
            return None
        coming = self.next_turn(on)
        running = self.turn_on(on)
        if running is None or (coming.start - on).days <= lead_days:
            return coming
        return running


@dataclass(frozen=True)
class Turn:
    state: str
    start: date
    end: date

    def left(self, on: date) -> float:
        """The share of the turn still to run on `on`."""
        total = (self.end - self.start).days + 1
        return max(0.0, min(1.0, ((self.end - on).days + 1) / total))


def _add_years(d: date, years: int) -> date:
    try:
        return d.replace(year=d.year + years)
    except ValueError:  # 29 February
        return d.replace(year=d.year + years, day=28)


def chair_on(chairs: Sequence[Chair], on: date) -> Chair | None:
    """The chair on `on`; where one chairmanship ends on the day the next begins, the next."""
    found = None
    for chair in chairs:
        if chair.start <= on <= chair.end:
            found = chair
    return found
