"""Contingents on the move: where each one is at a moment of exercise time.

    Point                  a named place in degrees (an airfield, a city)
    Movement               one contingent's leg: from its origin to its destination, leaving at
                           `departs` (its first aircraft) and there at `arrives` (its last landing)
    Leg                    a movement resolved to points: its route, and position_at(time)
    Position               where a leg is at a time: waiting at the origin, moving (with the share
                           of the route flown), arrived in the theatre, or home again
    movements_from_events(events, territory)   the legs in any timed simulation events
    movements_from_run(r)  the legs of a simulated run's deployment and withdrawal

A place is an ISO 3166-1 alpha-3 code or a Point. A code stands for the country's anchor on the map
(csto.web.svgmap picks the inner point of the part of the country the map shows). Routes follow the
geodesic on the WGS84 ellipsoid (pyproj.Geod), as an aircraft would; a position between departure
and arrival is the point at the same share of the route's length as of the leg's time.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from datetime import datetime
from enum import StrEnum
from typing import Any, Protocol, Self

from pydantic import AwareDatetime, Field, model_validator
from pyproj import Geod

from csto.domain.contract import Contract
from csto.domain.models import ISO3
from csto.sim.report import Run

GEOD = Geod(ellps="WGS84")


class Point(Contract):
    name: str = Field(min_length=1, max_length=80)
    lon: float = Field(ge=-180, le=180)
    lat: float = Field(ge=-90, le=90)


Place = ISO3 | Point


class Movement(Contract):
    contingent: str = Field(min_length=1, max_length=40, description="who moves, e.g. RUS")
    personnel: int = Field(ge=0)
    origin: Place
    destination: Place
    departs: AwareDatetime
    arrives: AwareDatetime
    inbound: bool = Field(default=True, description="to the theatre (False: flown home)")

    @model_validator(mode="after")
    def _in_order(self) -> Self:
        if self.arrives < self.departs:
            raise ValueError("arrives: must not be before departs")
        return self


class Status(StrEnum):
    WAITING = "waiting"  # still at its origin
    MOVING = "moving"
    ARRIVED = "arrived"  # in the theatre
    HOME = "home"  # flown home again


@dataclass(frozen=True)
class Position:
    status: Status
    lon: float
    lat: float
    share: float  # of the route flown, 0 to 1


@dataclass(frozen=True)
class Leg:
    movement: Movement
    start: tuple[float, float]  # lon, lat
    end: tuple[float, float]

    @property
    def length_km(self) -> float:
        _, _, metres = GEOD.inv(*self.start, *self.end)
        return float(metres) / 1000

    def route(self, points: int = 48) -> list[tuple[float, float]]:
        """The geodesic from start to end, both included."""
        between = GEOD.npts(*self.start, *self.end, points)
        return [self.start, *[(float(x), float(y)) for x, y in between], self.end]

    def position_at(self, at: datetime) -> Position:
        if at.tzinfo is None:
            raise ValueError("at: a time with its time zone, such as 2022-01-07T12:00:00+00:00")
        m = self.movement
        if at < m.departs:
            return Position(Status.WAITING, *self.start, share=0.0)
        if at >= m.arrives:
            return Position(Status.ARRIVED if m.inbound else Status.HOME, *self.end, share=1.0)
        share = (at - m.departs) / (m.arrives - m.departs)
        azimuth, _, metres = GEOD.inv(*self.start, *self.end)
        lon, lat, _ = GEOD.fwd(*self.start, azimuth, metres * share)
        return Position(Status.MOVING, float(lon), float(lat), share=share)


class TimedEvent(Protocol):
    """What a movement is read from: a simulated run's EventRecord, or an exercise's log entry
    of a released simulation event, with its time on the exercise clock."""

    @property
    def time(self) -> datetime: ...
    @property
    def kind(self) -> str: ...
    @property
    def actor(self) -> str: ...
    @property
    def details(self) -> Mapping[str, Any]: ...


def movements_from_events(events: Iterable[TimedEvent], territory: str) -> list[Movement]:
    """Each contingent's flight in (its first departure to its last landing) and home again, from
    the simulation's events: `departure` (details.inbound), `contingent_arrived`, `contingent_home`.
    A leg whose last landing is not among the events yet is left out."""
    events = list(events)
    legs: list[Movement] = []
    for inbound, done in ((True, "contingent_arrived"), (False, "contingent_home")):
        first: dict[str, datetime] = {}
        for e in events:
            if e.kind == "departure" and bool(e.details.get("inbound")) is inbound:
                first.setdefault(e.actor, e.time)
            elif e.kind == done and e.actor in first:
                home = e.actor
                legs.append(
                    Movement(
                        contingent=e.actor,
                        personnel=int(e.details.get("personnel", 0)),
                        origin=home if inbound else territory,
                        destination=territory if inbound else home,
                        departs=first[e.actor],
                        arrives=e.time,
                        inbound=inbound,
                    )
                )
    return sorted(legs, key=lambda m: (m.departs, m.contingent))


def movements_from_run(run: Run) -> list[Movement]:
    """The legs of a simulated run's deployment and withdrawal."""
    return movements_from_events(run.events, run.crisis.situation.territory)


def active(legs: Sequence[Leg], at: datetime) -> list[Leg]:
    """The legs to draw at a time: each contingent's latest leg that has begun, else its first."""
    latest: dict[str, Leg] = {}
    for leg in sorted(legs, key=lambda g: g.movement.departs):
        name = leg.movement.contingent
        if name not in latest or leg.movement.departs <= at:
            latest[name] = leg
    return list(latest.values())
