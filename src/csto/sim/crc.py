"""The Crisis Response Center: a round-the-clock exchange of situation reports.

While forces or a mission are on the spot, the force command (or the mission's head) and each
contributing defence ministry report at least every `sitrep_interval_hours`. Where the Center does
not exist yet on the crisis date, the Joint Staff (or, before it, the Secretariat of the treaty)
runs the same exchange.

    body_name(org, date, ids, fallback)   the first of some bodies that exists on a date
    hub_name(org, date)          who runs the exchange on that date
    Theatre                      what is on the spot now, updated by the lifecycle processes
    sitrep_process(env, ...)     the SimPy process that files the reports
"""

from __future__ import annotations

from collections.abc import Generator
from dataclasses import dataclass, field
from datetime import date
from typing import Any

import simpy

from csto.domain import Organization
from csto.sim.log import RunLog, Sitrep


def body_name(org: Organization, on: date, preferred: tuple[str, ...], fallback: str) -> str:
    """The first of the preferred bodies that exists on that date, by name."""
    bodies = {b.body.id: b.body.name for b in org.bodies_on(on)}
    return next((bodies[i] for i in preferred if i in bodies), fallback)


def hub_name(org: Organization, on: date) -> str:
    return body_name(org, on, ("CRC", "JS", "SEC"), "Consultations of the treaty's parties")


@dataclass
class Theatre:
    """Who is on the spot, by author, and what phase the operation is in. The exchange stops when
    `active` falls: when the last contingent (or the mission) has left."""

    phase: str = "deploying"
    personnel: dict[str, int] = field(default_factory=dict)  # author -> personnel in theatre
    sites: int = 0
    active: bool = True


def sitrep_process(
    env: simpy.Environment, log: RunLog, theatre: Theatre, hub: str, interval: float
) -> Generator[simpy.Event, Any, None]:
    while theatre.active:
        total = sum(theatre.personnel.values())
        log.sitreps.append(
            Sitrep(
                env.now,
                "force command" if "mission" not in theatre.personnel else "mission",
                hub,
                theatre.phase,
                total,
                theatre.sites,
                f"{theatre.phase}: {total} personnel in theatre, {theatre.sites} sites held",
            )
        )
        for author, personnel in sorted(theatre.personnel.items()):
            if author == "mission":
                continue
            log.sitreps.append(
                Sitrep(
                    env.now,
                    f"defence ministry {author}",
                    hub,
                    theatre.phase,
                    personnel,
                    theatre.sites,
                    f"{author} contingent: {personnel} personnel in theatre",
                )
            )
        yield env.timeout(interval)
