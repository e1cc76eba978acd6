"""The crisis lifecycle as SimPy processes, in hours from the appeal.

appeal -> Council session -> decision (and the notifications it sets off: the UN Security Council
informed of Art. 4 measures, the members informed by the Secretary General) -> what was decided:
    statement       the statement is issued
    consultations   a round of consultations opens and closes
    assistance      consultations, then the first assistance is dispatched
    mission         a mission assembles, travels, reports from the spot, returns
    deployment      contingents get ready, the provider's aircraft fly them in (a limited number,
                    each a process that takes the next load waiting), the force guards its sites,
                    hands them over and is flown home
The Crisis Response Center's exchange of situation reports runs while anyone is on the spot.

    Lifecycle(crisis, assessment, plan, org, ops, seed).run() -> RunLog
    Lifecycle(...).run_deployment() -> RunLog     the deployment alone, from the force's generation
    Airlift                  the aircraft of one stage: loads wait in order of request, an idle
                             aircraft takes the next; two timeouts per sortie and no resource
                             requests (the same output as one process per sortie holding a
                             simpy.Resource, with about 40% of the events)

Every duration is drawn from data/operations.yaml with the run's own numpy Generator, in the order
the simulation reaches it, so a run is a pure function of (crisis, parameters, seed).
"""

from __future__ import annotations

import functools
import math
from collections import deque
from collections.abc import Callable, Generator
from typing import Any

import numpy as np
import simpy

from csto.domain import Organization
from csto.domain.crisis import Crisis, Measure
from csto.domain.operations import Operations
from csto.engine import Assessment
from csto.forces import Contingent, ForcePlan
from csto.sim.crc import Theatre, body_name, hub_name, sitrep_process
from csto.sim.draws import Draws
from csto.sim.log import RunLog

Process = Generator[simpy.Event, Any, None]
Load = tuple[Contingent, int, int, bool]  # contingent, personnel, vehicles, inbound


def loads(c: Contingent, ops: Operations) -> tuple[tuple[int, int], ...]:
    """Split a contingent into n sortie loads of personnel and vehicles, as evenly as whole
    numbers allow: the cumulative load after sortie i is i/n of the whole, rounded half to even."""
    equivalent = float(ops.airlift.vehicle_equivalent.value)
    capacity = float(ops.airlift.load_per_sortie.value)
    return _split(c.personnel, c.vehicles, equivalent, capacity)


@functools.lru_cache(maxsize=4096)
def _split(
    personnel: int, vehicles: int, equivalent: float, capacity: float
) -> tuple[tuple[int, int], ...]:
    """The loads, kept: every run splits the same contingents the same way, in and out."""
    n = max(1, math.ceil((personnel + vehicles * equivalent) / capacity))
    people = _cumulative(personnel, n)
    cars = _cumulative(vehicles, n)
    return tuple((people[i + 1] - people[i], cars[i + 1] - cars[i]) for i in range(n))


def _cumulative(total: int, n: int) -> list[int]:
    """round(linspace(0, total, n + 1)) in plain Python: the same floating-point steps as numpy's."""
    step = total / n
    return [round(i * step) for i in range(n)] + [total]


class Airlift:
    """`capacity` aircraft; `add(loads)` queues loads and wakes idle aircraft, first idle first."""

    def __init__(
        self, env: simpy.Environment, capacity: int, fly: Callable[[Load], Process]
    ) -> None:
        self.env = env
        self.fly = fly
        self.waiting: deque[Load] = deque()
        self.idle: deque[simpy.Event] = deque()
        for _ in range(capacity):
            env.process(self._aircraft())

    def add(self, loads: list[Load]) -> None:
        self.waiting.extend(loads)
        for _ in range(min(len(loads), len(self.idle))):
            self.idle.popleft().succeed()

    def _aircraft(self) -> Process:
        while True:
            while not self.waiting:
                wake = self.env.event()
                self.idle.append(wake)
                yield wake
            yield from self.fly(self.waiting.popleft())


class Lifecycle:
    def __init__(
        self,
        crisis: Crisis,
        assessment: Assessment,
        plan: ForcePlan | None,
        org: Organization,
        ops: Operations,
        seed: int,
    ) -> None:
        self.crisis = crisis
        self.assessment = assessment
        self.plan = plan
        self.ops = ops
        self.env = simpy.Environment()
        self.draws = Draws(np.random.default_rng(seed))
        self.log = RunLog()
        self.theatre = Theatre()
        on = crisis.date
        self.hub = hub_name(org, on)
        self.council = "Collective Security Council"
        self.consulting = body_name(org, on, ("PC", "CFM"), self.council)
        self.secretariat = body_name(org, on, ("SEC",), self.council)
        self.speaker = "Secretary General" if org.secretary_general(on) else self.council
        self._reporting = False
        self._pending: dict[
            tuple[str, bool], list[Any]
        ] = {}  # (code, inbound) -> [people, vehicles, done]

    def run(self) -> RunLog:
        self.env.process(self.main())
        self.env.run()
        return self.log

    def run_deployment(self) -> RunLog:
        """Only the deployment, from the moment its force is generated, in hours from then: an
        exercise plays the appeal and the decision itself and generates the force from offers."""
        if self.plan is None:
            raise ValueError("run_deployment needs a force plan")
        self.env.process(self.deployment(self.plan))
        self.env.run()
        return self.log

    # --- helpers ---------------------------------------------------------------------------------
    def hours(self, name: str) -> float:
        return self.draws.range(getattr(self.ops.timings, name))

    def days(self, name: str) -> float:
        return 24.0 * self.draws.range(getattr(self.ops.timings, name))

    def start_reporting(self) -> None:
        if not self._reporting:
            self._reporting = True
            interval = float(self.ops.timings.sitrep_interval_hours.value)
            self.env.process(sitrep_process(self.env, self.log, self.theatre, self.hub, interval))

    # --- the lifecycle -----------------------------------------------------------------------------
    def main(self) -> Process:
        log, a, appeal = self.log, self.assessment, self.crisis.appeal
        if appeal is None:
            log.event(
                0,
                "situation",
                self.crisis.situation.territory,
                situation=self.crisis.situation.kind.value,
            )
            if a.outcome is Measure.NONE:
                log.event(0, "no_collective_action", self.council)
                return
            if a.outcome is Measure.STATEMENT:
                yield self.env.timeout(self.hours("council_hours"))
                log.event(self.env.now, "statement", self.speaker)
                self.notify()
                return
        else:
            log.event(0, "appeal", appeal.by, invokes=appeal.invokes.value, asks=appeal.ask.label)
        yield self.env.timeout(self.hours("council_hours"))
        log.event(
            self.env.now,
            "decision",
            self.council,
            outcome=a.outcome.label,
            procedure=a.procedure.rule.value,
            blocked_by={m: list(c) for m, c in a.blocked_by.items()},
        )
        self.notify()
        if a.outcome is Measure.DEPLOYMENT and self.plan is not None:
            yield self.env.process(self.deployment(self.plan))
        elif a.outcome is Measure.MISSION:
            yield self.env.process(self.mission())
        elif a.outcome in (Measure.CONSULTATIONS, Measure.ASSISTANCE):
            yield self.env.process(self.consultations())
            if a.outcome is Measure.ASSISTANCE:
                yield self.env.timeout(self.days("assistance_dispatch_days"))
                to = appeal.by if appeal else self.crisis.situation.territory
                log.event(self.env.now, "assistance_dispatched", "member states", to=to)
        elif a.outcome is Measure.STATEMENT:
            log.event(self.env.now, "statement", self.speaker)

    def notify(self) -> None:
        """The notifications the decision sets off (assessment.duties), made at once."""
        for duty in self.assessment.duties:
            if duty.kind == "notification":
                basis = [f"{c.instrument} Art. {c.article} ({c.label})" for c in duty.basis]
                self.log.event(
                    self.env.now,
                    "notification",
                    duty.owed_by,
                    to=duty.owed_to,
                    duty=duty.id,
                    basis=[*basis, *duty.also],
                )

    def consultations(self) -> Process:
        self.log.event(self.env.now, "consultations_opened", self.consulting)
        yield self.env.timeout(self.days("consultations_days"))
        self.log.event(self.env.now, "consultations_closed", self.consulting)

    def mission(self) -> Process:
        log, env, who = self.log, self.env, self.secretariat
        team = int(self.ops.sizes.mission_team.value)
        yield env.timeout(self.hours("mission_assembly_hours"))
        log.event(env.now, "mission_departed", who)
        travel = self.hours("mission_travel_hours")
        yield env.timeout(travel)
        log.event(env.now, "mission_arrived", who, team=team)
        self.theatre.phase = "assessment"
        self.theatre.personnel["mission"] = team
        self.start_reporting()
        yield env.timeout(self.days("mission_on_site_days"))
        log.event(env.now, "mission_report", who)
        self.theatre.active = False
        self.theatre.personnel.clear()
        log.event(env.now, "mission_left", who)
        yield env.timeout(travel)
        log.event(env.now, "mission_returned", who)

    def deployment(self, plan: ForcePlan) -> Process:
        env, log = self.env, self.log
        if not plan.contingents:
            log.event(env.now, "no_force_generated", plan.component, reasons=list(plan.reasons))
            return
        log.event(
            env.now,
            "force_generation",
            plan.component,
            personnel=plan.personnel,
            vehicles=plan.vehicles,
            required=plan.required,
        )
        aircraft = self._airlift(int(self.ops.airlift.aircraft_deploy.value))
        yield env.all_of(
            [env.process(self.move(c, aircraft, inbound=True)) for c in plan.contingents]
        )
        self.theatre.phase = "operations"
        self.theatre.sites = plan.sites
        log.event(
            env.now,
            "deployment_complete",
            plan.component,
            personnel=plan.personnel,
            sites=plan.sites,
        )
        intensity = self.crisis.situation.intensity
        yield env.timeout(24.0 * self.ops.timings.operations_days.by_intensity[intensity])
        log.event(env.now, "mission_complete", plan.component)
        self.theatre.phase = "handover"
        log.event(env.now, "handover_started", plan.component, sites=plan.sites)
        yield env.timeout(24.0 * float(self.ops.timings.handover_days.value))
        self.theatre.sites = 0
        log.event(env.now, "handover", plan.component, to=self.crisis.situation.territory)
        self.theatre.phase = "withdrawal"
        aircraft = self._airlift(int(self.ops.airlift.aircraft_withdraw.value))
        yield env.all_of(
            [env.process(self.move(c, aircraft, inbound=False)) for c in plan.contingents]
        )
        log.event(env.now, "withdrawal_complete", plan.component)

    def _airlift(self, capacity: int) -> Airlift | None:
        assert self.plan is not None
        return Airlift(self.env, capacity, self.sortie) if self.plan.airlift else None

    def move(self, c: Contingent, aircraft: Airlift | None, inbound: bool) -> Process:
        """One contingent flown in (or home) in sorties, or by its own means; done at its last landing."""
        env, log = self.env, self.log
        if inbound:
            yield env.timeout(self.draws.range(self.ops.readiness(c.code)))
            log.event(env.now, "contingent_ready", c.code, personnel=c.personnel)
        done = env.event()
        self._pending[(c.code, inbound)] = [c.personnel, c.vehicles, done]
        assert self.plan is not None
        if aircraft is not None:
            aircraft.add([(c, people, vehicles, inbound) for people, vehicles in self._loads(c)])
        else:
            log.event(
                env.now,
                "departure",
                c.code,
                personnel=c.personnel,
                vehicles=c.vehicles,
                inbound=inbound,
                by="road",
            )
            if not inbound:
                self._leave(c.code, c.personnel)
            yield env.timeout(self.hours("own_means_travel_hours"))
            self._land(c, c.personnel, c.vehicles, inbound)
        yield done

    def _loads(self, c: Contingent) -> tuple[tuple[int, int], ...]:
        return loads(c, self.ops)

    def sortie(self, load: Load) -> Process:
        """An aircraft flies one load out and comes back empty: it is busy for the whole round trip."""
        env = self.env
        c, personnel, vehicles, inbound = load
        trip = self.hours("sortie_round_trip_hours")
        self.log.event(
            env.now,
            "departure",
            c.code,
            personnel=personnel,
            vehicles=vehicles,
            inbound=inbound,
            by="air",
        )
        if not inbound:
            self._leave(c.code, personnel)
        yield env.timeout(trip / 2)
        self._land(c, personnel, vehicles, inbound)
        yield env.timeout(trip / 2)

    def _land(self, c: Contingent, personnel: int, vehicles: int, inbound: bool) -> None:
        if inbound:
            self.theatre.personnel[c.code] = self.theatre.personnel.get(c.code, 0) + personnel
            self.log.event(self.env.now, "arrival", c.code, personnel=personnel, vehicles=vehicles)
            self.start_reporting()
        else:
            self.log.event(self.env.now, "returned", c.code, personnel=personnel, vehicles=vehicles)
        pending = self._pending[(c.code, inbound)]
        pending[0] -= personnel
        pending[1] -= vehicles
        if pending[0] <= 0 and pending[1] <= 0:
            kind = "contingent_arrived" if inbound else "contingent_home"
            self.log.event(self.env.now, kind, c.code, personnel=c.personnel)
            pending[2].succeed()

    def _leave(self, code: str, personnel: int) -> None:
        left = self.theatre.personnel.get(code, 0) - personnel
        if left > 0:
            self.theatre.personnel[code] = left
        else:
            self.theatre.personnel.pop(code, None)
        if not self.theatre.personnel:  # the last troops have left: the exchange of reports ends
            self.theatre.active = False
