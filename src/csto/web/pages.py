"""What the exercise's pages show, built from a seat's view: the layout with its navigation, the
roll call and the consensus as it forms, the inbox, the Crisis Response Center's reports, the
contingents, the map and the after-action report's timeline.

    Page             one page's data: the view, who looks (and whether read-only), the names
    Page.layout(title, current, here, panels)   the shared layout: the seat, the clock, the
                                   navigation, the live stream and the panels a change refreshes
    roll_call(page, motion)        RollRow per voter: answered or not, by the engine or a person
    consensus_so_far(page, motion) Consensus: what the votes cast so far add up to
    assessment_of(page)            the engine's assessment, where the seat may see it
    inbox(page)                    InboxItem: released injects and messages to or from the seat
    feed(page, source, since, until)       released situation reports and ministries' reports
    contingents(page)              ContingentRow: each contingent ordered and where it stands
    movements(world, page, sims, assessments)   the contingents' planned legs
    situation(world, atlas, page, legs)   the map of the crisis
    timeline_svg(report)           the after-action report's timeline as an SVG chart

Nothing here serves HTTP or writes anything: csto.api.pages renders these with the templates in
templates/pages/ and answers the forms through csto.exercise.
"""

from __future__ import annotations

import html
from collections.abc import Mapping
from dataclasses import dataclass, field
from datetime import datetime, timedelta
from typing import Any

from csto.domain.crisis import Crisis
from csto.exercise.deployment import simulate_deployment
from csto.exercise.queries import SeatView
from csto.exercise.report import AfterActionReport
from csto.exercise.scenario import ConditionEvent
from csto.exercise.seats import DIRECTOR, SECRETARIAT, SeatKind
from csto.exercise.state import Motion
from csto.web.atlas import Atlas
from csto.web.movements import Movement, movements_from_events
from csto.web.svgmap import SituationMap, roles_for
from csto.web.templating import Clock, Layout, NavItem, SeatBadge
from csto.web.timefmt import iso_minute
from csto.world import World

ROLE_TEXT = {
    SeatKind.MEMBER: "member state",
    SeatKind.SECRETARIAT: "Secretariat and Crisis Response Center",
    SeatKind.DIRECTOR: "director (white cell)",
    SeatKind.OBSERVER: "observer (read-only)",
}
SEAT_NAMES = {SECRETARIAT: "Secretariat", DIRECTOR: "White cell"}
CONDITIONS = [  # what the console offers a conditional inject to wait for
    (e.value, e.value.replace("_", " "))
    for e in ConditionEvent
    if e is not ConditionEvent.INJECT_RELEASED
]


@dataclass(frozen=True)
class Page:
    """One page for one seat. `viewer` is who is logged in; `view.seat` whose view is shown (the
    same, except when the director looks as another seat, read-only)."""

    view: SeatView
    viewer: str
    names: Mapping[str, str]
    csrf: str = ""

    @property
    def id(self) -> str:
        return self.view.exercise_id

    @property
    def seat(self) -> str:
        return self.view.seat

    @property
    def state(self) -> Any:
        return self.view.state

    @property
    def as_other(self) -> bool:
        return self.viewer != self.view.seat

    @property
    def read_only(self) -> bool:
        return self.as_other or self.view.kind is SeatKind.OBSERVER or self.ended

    @property
    def ended(self) -> bool:
        return bool(self.state.status == "ended")

    @property
    def kind(self) -> SeatKind:
        return self.view.kind

    @property
    def staff(self) -> bool:
        """The Secretariat or the director: motions, force requests, situation reports."""
        return self.kind in (SeatKind.SECRETARIAT, SeatKind.DIRECTOR) and not self.read_only

    @property
    def member(self) -> bool:
        return self.kind is SeatKind.MEMBER and not self.read_only

    @property
    def territory(self) -> str | None:
        found = self.state.crisis.get("situation", {}).get("territory")
        return str(found) if found else None

    def name(self, code: str | None) -> str:
        if code is None:
            return ""
        return self.names.get(code) or SEAT_NAMES.get(code) or code

    def names_of(self, codes: Any) -> str:
        return ", ".join(self.name(c) for c in codes)

    def audiences(self) -> list[tuple[str, str]]:
        """Who an inject or a report may go to: everyone, the members, or one seat."""
        seats = [s for s in self.state.seats if s != DIRECTOR]
        return [("all", "Every seat"), ("members", "The member states")] + [
            (s, self.name(s)) for s in seats
        ]

    def clock(self, wall: datetime | None = None) -> Clock:
        """The header's clock: at the view's time, or at wall-clock time `wall` (a live stream
        ticking between views), by the exercise's own clock."""
        state = self.state
        if state.status == "ended":
            status = "ended"
        elif state.started_at is None:
            status = "not started"
        else:
            status = "paused" if self.view.paused else "running"
        now = self.view.exercise_time
        if wall is not None and state.clock is not None:
            now = state.clock.now(wall)
        if state.status == "ended" and state.ended_at is not None:
            now = state.ended_at  # the clock stops with the exercise
        return Clock(now, status, self.view.rate)

    def href(self, page: str = "") -> str:
        base = f"/exercises/{self.id}"
        path = f"{base}/{page}" if page else base
        return f"{path}?as={self.seat}" if self.as_other else path

    def layout(
        self,
        title: str,
        current: str,
        here: str,
        panels: tuple[str, ...] = (),
        notices: tuple[str, ...] = (),
    ) -> Layout:
        """`here`: the page's own URL, fetched again on each change to swap `panels` (ids)."""
        items = [("", "My seat" if not self.as_other else f"As {self.name(self.seat)}")]
        items += [("chamber", "Council chamber"), ("crc", "Crisis Response Center")]
        items += [("map", "Map")]
        if self.viewer == DIRECTOR:
            items = [("director", "Director's console"), *items, ("report", "After-action report")]
            if not self.as_other:
                items.remove(("", "My seat"))
        nav = tuple(
            NavItem(
                label,
                f"/exercises/{self.id}/{key}" if key in ("director", "report") else self.href(key),
                current=key == current,
            )
            for key, label in items
        )
        badge = SeatBadge(
            self.name(self.seat)
            if not self.as_other
            else f"{self.name(self.seat)} (viewed by the director)",
            ROLE_TEXT[self.kind] if not self.as_other else "read-only view",
            self.seat if self.kind is SeatKind.MEMBER else None,
        )
        notes = list(notices)
        if self.as_other:
            notes.append(
                f"You are looking as {self.name(self.seat)}: read-only, as that seat sees it."
            )
        if self.ended:
            notes.append("The exercise has ended: nothing more can be sent.")
        extra = {
            "exercise": self.id,
            "seat": self.seat,
            "viewer": self.viewer,
            "page": current or "seat",
        }
        return Layout(
            title=title,
            exercise=self.state.title,
            seat=badge,
            clock=self.clock(),
            nav=nav,
            notices=tuple(notes),
            extra=extra,
            live=self.href("live") + ("&" if self.as_other else "?") + f"after={self.view.seq}",
            csrf=self.csrf or None,
            refresh=here,
            panels=tuple(f"#{p}" for p in panels),
        )


# --- the Council ---------------------------------------------------------------------------------


@dataclass(frozen=True)
class RollRow:
    seat: str
    name: str
    answered: bool
    vote: str | None
    statement: str
    by_engine: bool  # the engine plays this seat (nobody holds it) or played this vote
    at: datetime | None


@dataclass(frozen=True)
class Consensus:
    status: str  # "forming", "blocked", "complete", "adopted", "rejected"
    text: str
    support: int
    object: int
    abstain: int
    awaiting: tuple[str, ...]


def roll_call(page: Page, motion: Motion) -> list[RollRow]:
    rows = []
    for seat in motion.voters:
        vote = motion.votes.get(seat)
        rows.append(
            RollRow(
                seat=seat,
                name=page.name(seat),
                answered=vote is not None,
                vote=vote.vote if vote else None,
                statement=vote.statement if vote else "",
                by_engine=vote.engine if vote else not page.state.taken(seat),
                at=vote.at if vote else None,
            )
        )
    return rows


def _names(page: Page, seats: tuple[str, ...] | list[str]) -> str:
    return ", ".join(page.name(s) for s in seats)


def consensus_so_far(page: Page, motion: Motion) -> Consensus:
    counts = {"support": 0, "object": 0, "abstain": 0}
    for v in motion.votes.values():
        counts[v.vote] += 1
    awaiting = tuple(s for s in motion.voters if s not in motion.votes)
    objecting = [s for s, v in motion.votes.items() if v.vote == "object"]
    majority = motion.rule == "majority"
    if motion.status == "closed":
        status = motion.outcome or "rejected"
        text = f"{'Adopted' if status == 'adopted' else 'Not adopted'}"
        if motion.closed_at is not None:
            text += f" at {iso_minute(motion.closed_at)}"
        if motion.blocked_by:
            text += f"; blocked by {_names(page, motion.blocked_by)}"
        return Consensus(
            status, text + ".", counts["support"], counts["object"], counts["abstain"], awaiting
        )
    if objecting and not majority:
        text = f"Consensus fails as things stand: {_names(page, objecting)} object"
        text += "s." if len(objecting) == 1 else "."
        return Consensus(
            "blocked", text, counts["support"], counts["object"], counts["abstain"], awaiting
        )
    if awaiting:
        text = (
            f"No objection so far; {len(awaiting)} of {len(motion.voters)} still to answer "
            f"({_names(page, awaiting)})."
            if not majority
            else f"{counts['support']} for, {counts['object']} against so far; "
            f"{len(awaiting)} still to answer."
        )
        return Consensus(
            "forming", text, counts["support"], counts["object"], counts["abstain"], awaiting
        )
    return Consensus(
        "complete",
        "Every voter has answered; the motion closes.",
        counts["support"],
        counts["object"],
        counts["abstain"],
        awaiting,
    )


def assessment_of(page: Page) -> dict[str, Any] | None:
    """The engine's legal assessment, where the exercise lets this seat see it."""
    note = page.state.assessment
    if note is None:
        return None
    if page.kind in (SeatKind.MEMBER, SeatKind.OBSERVER) and not page.state.settings.get(
        "players_see_assessment", False
    ):
        return None
    found: dict[str, Any] = note.assessment
    return found


# --- inbox and feed ------------------------------------------------------------------------------


@dataclass(frozen=True)
class InboxItem:
    at: datetime
    kind: str  # "inject", "message", "report"
    sender: str
    to: str
    title: str
    text: str
    ref: str


def inbox(page: Page) -> list[InboxItem]:
    s = page.state
    items = [
        InboxItem(r.at, "inject", "White cell", _audience(page, r.audience), r.title, r.body, r.id)
        for r in s.injects.values()
    ]
    items += [
        InboxItem(
            m.at,
            "message",
            page.name(m.sender),
            _audience(page, m.to),
            m.subject or "(no subject)",
            m.text,
            m.id,
        )
        for m in s.messages
    ]
    return sorted(items, key=lambda i: i.at, reverse=True)


def _audience(page: Page, to: tuple[str, ...] | None) -> str:
    return "every seat" if to is None else _names(page, to)


@dataclass(frozen=True)
class FeedItem:
    at: datetime
    source: str  # "CRC" or the ministry's state code
    source_name: str
    title: str
    text: str
    audience: str
    ref: str


def feed(
    page: Page,
    source: str | None = None,
    since: datetime | None = None,
    until: datetime | None = None,
) -> list[FeedItem]:
    s = page.state
    items = [
        FeedItem(
            x.released_at or x.drafted_at,
            "CRC",
            "Crisis Response Center",
            f"Situation report, day {x.day}",
            x.text,
            _audience(page, x.audience),
            x.id,
        )
        for x in s.sitreps.values()
        if x.status == "released"
    ]
    items += [
        FeedItem(
            r.at,
            r.by,
            f"{page.name(r.by)} ministry",
            "Ministry report",
            r.text,
            _audience(page, r.audience),
            r.id,
        )
        for r in s.reports
    ]
    items = [
        i
        for i in items
        if (source is None or i.source == source)
        and (since is None or i.at >= since)
        and (until is None or i.at <= until)
    ]
    return sorted(items, key=lambda i: i.at, reverse=True)


def feed_sources(page: Page) -> list[tuple[str, str]]:
    found = {"CRC": "Crisis Response Center"}
    for r in page.state.reports:
        found[r.by] = f"{page.name(r.by)} ministry"
    return sorted(found.items())


# --- forces --------------------------------------------------------------------------------------


@dataclass(frozen=True)
class ContingentRow:
    state: str
    name: str
    personnel: int
    vehicles: int
    in_theatre: int
    status: str


def contingents(page: Page) -> list[ContingentRow]:
    d = page.state.deployment
    if d is None:
        return []
    rows = []
    for code, c in sorted(d.contingents.items()):
        there = int(d.in_theatre.get(code, 0))
        if d.phase in ("withdrawn", "complete") and not there:
            status = "home"
        elif there >= c["personnel"]:
            status = "in theatre"
        elif there:
            status = "arriving"
        else:
            status = "preparing or on the move"
        rows.append(
            ContingentRow(
                code, page.name(code), c["personnel"], c.get("vehicles", 0), there, status
            )
        )
    return rows


# --- the map -------------------------------------------------------------------------------------


@dataclass(frozen=True)
class _Timed:
    time: datetime
    kind: str
    actor: str
    details: Mapping[str, Any] = field(default_factory=dict)


def movements(
    world: World, page: Page, sims: dict[str, Any], assessments: dict[str, Any]
) -> list[Movement]:
    """Each contingent's planned legs: the deployment's simulation from its order, so a contingent
    in the air is drawn on its route before it lands."""
    d = page.state.deployment
    territory = page.territory
    if d is None or territory is None:
        return []
    seed = int(page.state.settings.get("seed", 0))
    events = simulate_deployment(world, d, seed, sims, assessments)
    timed = [
        _Timed(d.ordered_at + timedelta(seconds=round(e.time * 3600)), e.kind, e.actor, e.details)
        for e in events
    ]
    return movements_from_events(timed, territory)


def situation(world: World, atlas: Atlas, page: Page, legs: list[Movement]) -> SituationMap:
    """The map of the crisis as this seat knows its facts, with the contingents' legs."""
    crisis = Crisis.model_validate(page.state.crisis)
    return SituationMap(atlas, roles_for(world.org, crisis), legs)


# --- the after-action report's timeline ----------------------------------------------------------

LANES = (
    ("Injects", ("inject_released",)),
    ("Consultation", ("appeal_filed", "message", "report_filed")),
    ("Council", ("motion_opened", "vote", "motion_closed")),
    (
        "Forces",
        (
            "force_requested",
            "offer",
            "offer_accepted",
            "request_closed",
            "deployment_ordered",
            "sim",
        ),
    ),
    ("Crisis Response Center", ("sitrep_drafted", "sitrep_edited", "sitrep_released")),
    ("Direction", ("clock", "exercise_ended")),
)


def timeline_svg(report: AfterActionReport, width: int = 960) -> str:
    """A lane per part of the exercise, a mark per event, exercise time along the bottom."""
    entries = [e for e in report.timeline if any(e.kind.value in kinds for _, kinds in LANES)]
    if not entries:
        return ""
    start, end = min(e.at for e in entries), max(e.at for e in entries)
    span = max((end - start).total_seconds(), 3600.0)
    left, right, lane_h, top = 190, 20, 34, 10
    height = top + lane_h * len(LANES) + 52

    def x(t: datetime) -> float:
        return left + (width - left - right) * (t - start).total_seconds() / span

    out = [
        f'<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 {width} {height}" role="img" '
        f'aria-labelledby="timeline-title" class="timeline">',
        f'<title id="timeline-title">Timeline of the exercise, {html.escape(iso_minute(start))} '
        f"to {html.escape(iso_minute(end))}: {len(entries)} events by lane</title>",
    ]
    for n, (lane, kinds) in enumerate(LANES):
        y = top + n * lane_h
        out.append(
            f'<rect x="0" y="{y}" width="{width}" height="{lane_h}" fill="{"#f4f2ee" if n % 2 else "#ffffff"}"/>'
        )
        out.append(
            f'<text x="8" y="{y + lane_h / 2 + 5}" font-size="14" fill="#1d1a16">{html.escape(lane)}</text>'
        )
        for e in entries:
            if e.kind.value in kinds:
                cx = x(e.at)
                colour = (
                    "#a8431a"
                    if e.kind.value in ("motion_closed", "deployment_ordered", "appeal_filed")
                    else "#16365c"
                )
                out.append(
                    f'<circle cx="{cx:.1f}" cy="{y + lane_h / 2}" r="5" fill="{colour}" '
                    f'fill-opacity="0.8"><title>{html.escape(iso_minute(e.at))}: '
                    f"{html.escape(e.summary)}</title></circle>"
                )
    axis = top + lane_h * len(LANES)
    out.append(f'<line x1="{left}" y1="{axis}" x2="{width - right}" y2="{axis}" stroke="#1d1a16"/>')
    ticks = 4
    for k in range(ticks + 1):
        t = start + timedelta(seconds=span * k / ticks)
        tx = x(t)
        anchor = "start" if k == 0 else "end" if k == ticks else "middle"
        out.append(
            f'<line x1="{tx:.1f}" y1="{axis}" x2="{tx:.1f}" y2="{axis + 5}" stroke="#1d1a16"/>'
        )
        day, clock = iso_minute(t).split(" ", 1)  # two lines: the date, then the time and zone
        out.append(
            f'<text x="{tx:.1f}" y="{axis + 20}" font-size="13" text-anchor="{anchor}" '
            f'fill="#1d1a16"><tspan x="{tx:.1f}">{html.escape(day)}</tspan>'
            f'<tspan x="{tx:.1f}" dy="15">{html.escape(clock)}</tspan></text>'
        )
    out.append("</svg>")
    return "\n".join(out)
