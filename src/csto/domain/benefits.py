"""What membership gives: military-technical cooperation and training on preferential terms.

    Benefit               one agreement's benefit: what members get, from when, its protocols,
                          and the recorded losses of states that left or were suspended
    Protocol, Loss        a dated change to the agreement; a state's recorded loss of the benefit
    entitled(b, ...)      the states that get the benefit on a date: every member (a member that
                          froze its participation stays a party) once the agreement applies
    outside(b, ...)       former members on the date (participation ended or membership
                          suspended), who do not get it, with the recorded loss where there is one

Entitlement follows membership status (data/cooperation.yaml says why), so what a state loses by
leaving is every benefit it is entitled to on the day before it leaves.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from datetime import date

from pydantic import Field

from csto.domain.models import ISO3, Fact, Frozen, Source, Status

Day = date  # for a field named `date`


class Protocol(Frozen):
    label: str = Field(min_length=1)
    date: Day | None = None
    uncertain: bool = False
    note: str | None = None
    source: Source
    sources: tuple[Source, ...] = ()


class Loss(Frozen):
    state: ISO3
    start: date | None = Field(default=None, alias="from")
    end: date | None = Field(default=None, alias="to")
    uncertain: bool = False
    note: str | None = None
    source: Source
    sources: tuple[Source, ...] = ()


class Benefit(Fact):
    id: str = Field(pattern=r"^[a-z][a-z0-9-]*$")
    name: str = Field(min_length=1)
    instrument: str = Field(min_length=1, description="the agreement, by title and date")
    start: date = Field(alias="from", description="the day the benefit applies from")
    signed: date | None = None
    parties: tuple[ISO3, ...] = ()
    who_gets_what: str = Field(min_length=1)
    protocols: tuple[Protocol, ...] = ()
    losses: tuple[Loss, ...] = ()
    sources: tuple[Source, ...] = ()


OUTSIDE = (Status.PARTICIPATION_ENDED, Status.MEMBERSHIP_SUSPENDED)


def entitled(
    benefit: Benefit, states: Iterable[str], status: Callable[[str, date], Status], on: date
) -> list[str]:
    """The states among `states` that get the benefit on `on`: every member, once it applies."""
    if on < benefit.start:
        return []
    return [code for code in states if status(code, on).is_member]


def outside(
    benefit: Benefit, states: Iterable[str], status: Callable[[str, date], Status], on: date
) -> list[tuple[str, Loss | None]]:
    """Former members (participation ended or membership suspended) on `on`, who do not get the
    benefit, each with the recorded loss that covers the date (None where the data has none)."""
    if on < benefit.start:
        return []
    out: list[tuple[str, Loss | None]] = []
    for code in states:
        if status(code, on) not in OUTSIDE:
            continue
        record = next(
            (
                loss
                for loss in benefit.losses
                if loss.state == code
                and (loss.start is None or loss.start <= on)
                and (loss.end is None or on < loss.end)
            ),
            None,
        )
        out.append((code, record))
    return out
