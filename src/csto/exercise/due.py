"""What falls due as exercise time passes, released in the order it fell due.

The server's loop calls `advance` on each running exercise (never an in-memory timer: everything
it looks at is in the log or in the injects' rows). It takes the earliest thing due at or before
exercise time now, does it as of the moment it fell due, and repeats:

    0  the engine's appeal, where nobody holds the affected member's seat (at the data's
       appeal hour on the crisis date)
    1  injects: at their time, or once their condition was met plus their delay
    2  motions whose voting time ran out: closed, silent seats voted by the engine
    3  force requests whose time for offers ran out: closed, the accepted force ordered
    4  the deployment's simulated events (csto.exercise.deployment), each at its time
    5  a situation report drafted every `sitrep_interval_hours` of exercise time
    6  drafts released by the engine where nobody holds the Secretariat

While the clock is paused nothing is released; what fell due meanwhile (by a jump, or by a
condition met during the pause) is released on resume, marked late.

    Due(world, seed, pending, caches)     what the loop needs besides the state
    next_due(turn, due)                   the earliest item due, whenever it is (None: nothing)
    advance(turn, due, late=False)        release everything due by now; the ids of injects released
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import UTC, datetime, time, timedelta
from functools import partial

from csto.engine import Assessment
from csto.exercise.commands import ReleaseSitrep
from csto.exercise.consult import engine_appeal
from csto.exercise.council import decide_and_close
from csto.exercise.deployment import simulate_deployment
from csto.exercise.events import EventKind
from csto.exercise.feed import draft_sitrep, release_sitrep
from csto.exercise.forcegen import close_request
from csto.exercise.injects import Pending, due_at, release
from csto.exercise.seats import SECRETARIAT
from csto.exercise.turn import Turn, crisis_of
from csto.sim import Event

LIMIT = 20_000  # items released in one call at most: a jump of months stays bounded


@dataclass
class Due:
    seed: int
    pending: dict[str, Pending]
    sims: dict[str, tuple[Event, ...]] = field(default_factory=dict)
    released: list[str] = field(default_factory=list)  # inject ids released by this turn
    added: list[Pending] = field(default_factory=list)  # injects the director wrote in this turn
    edited: list[Pending] = field(default_factory=list)  # pending injects the director changed


Item = tuple[datetime, int, str, Callable[[], None]]


def _appeal_time(turn: Turn) -> datetime:
    s = turn.state
    hour = float(turn.world.ops.timings.appeal_hour.value)
    crisis = crisis_of(s)
    at = datetime.combine(crisis.date, time(0), tzinfo=UTC) + timedelta(hours=hour)
    return max(at, s.start) if s.start else at


def candidates(turn: Turn, due: Due, real_now: datetime, late: bool) -> list[Item]:
    s = turn.state
    items: list[Item] = []
    cache: dict[str, Assessment] = turn.assessments
    base = s.base_appeal
    if s.appeal is None and base and base["by"] in s.seats and not s.taken(base["by"]):
        items.append((_appeal_time(turn), 0, "appeal", partial(engine_appeal, turn)))
    for p in sorted(due.pending.values(), key=lambda p: p.position):
        if p.inject.id in s.injects:
            continue
        when = due_at(p, s, turn.world, cache)
        if when is not None:
            items.append((when, 1, p.inject.id, _releaser(turn, due, p, when, real_now, late)))
    for m in s.motions.values():
        if m.status == "open":
            items.append(
                (m.deadline, 2, m.id, partial(decide_and_close, turn, m, at_deadline=True))
            )
    for r in s.requests.values():
        if r.status == "open":
            items.append(
                (r.deadline, 3, r.id, partial(close_request, turn, r.id, by_deadline=True))
            )
    d = s.deployment
    if d is not None:
        events = simulate_deployment(turn.world, d, due.seed, due.sims, cache)
        if d.events < len(events):
            e = events[d.events]
            at = d.ordered_at + timedelta(seconds=round(e.time * 3600))
            items.append((at, 4, f"sim{d.events}", partial(_sim, turn, d.events, e)))
    if s.start is not None:
        interval = timedelta(hours=float(turn.world.ops.timings.sitrep_interval_hours.value))
        day = max((x.day for x in s.sitreps.values()), default=0) + 1
        items.append((s.start + day * interval, 5, f"day{day}", partial(draft_sitrep, turn, day)))
    if not s.taken(SECRETARIAT):
        for x in s.sitreps.values():
            if x.status == "draft":
                run = partial(release_sitrep, turn, x.id, ReleaseSitrep(), engine=True)
                items.append((x.drafted_at, 6, x.id, run))
    return items


def _releaser(
    turn: Turn, due: Due, p: Pending, when: datetime, real_now: datetime, late: bool
) -> Callable[[], None]:
    def run() -> None:
        if late:
            turn.now = real_now  # released on resume: it reaches the players now
        release(turn, p, late, when, real_now)
        due.released.append(p.inject.id)

    return run


def _sim(turn: Turn, index: int, e: Event) -> None:
    turn.emit(
        EventKind.SIM,
        {"index": index, "kind": e.kind, "actor": e.actor, "details": e.details},
        engine=True,
    )


def next_due(turn: Turn, due: Due) -> datetime | None:
    items = candidates(turn, due, turn.now, late=False)
    return min(i[0] for i in items) if items else None


def advance(turn: Turn, due: Due, late: bool = False) -> list[str]:
    """Release, in order, everything due at or before `turn.now`, each as of when it fell due."""
    state = turn.state
    if state.status != "running" or state.clock is None or (state.clock.paused and not late):
        return []
    real_now = turn.now
    for _ in range(LIMIT):
        items = [i for i in candidates(turn, due, real_now, late) if i[0] <= real_now]
        if not items:
            break
        at, _, _, run = min(items, key=lambda i: (i[0], i[1], i[2]))
        turn.now = at
        run()
        turn.now = real_now
    return due.released
