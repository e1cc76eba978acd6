"""Hypothesis properties of the membership timeline."""

from __future__ import annotations

import dataclasses
from datetime import date, timedelta

from hypothesis import given, settings
from hypothesis import strategies as st

from csto.domain import Organization, Status
from csto.domain.models import TRANSITIONS, State, StateEvent

from .worlds import WORLD

SIGNED = date(1992, 5, 15)


@settings(max_examples=300, deadline=None)
@given(on=st.dates(min_value=SIGNED, max_value=date(2040, 12, 31)))
def test_every_state_has_exactly_one_status_on_every_date(on: date) -> None:
    org = WORLD.org
    members = {s.code for s in org.members(on)}
    former = {s.code for s in org.former(on)}
    assert not members & former
    for state in org.states:
        status = org.status(state.code, on)
        # The status is the one the state's own events lead to, replayed here independently.
        replayed = Status.NON_MEMBER
        for event in state.events:
            if event.date <= on:
                replayed = TRANSITIONS[event.kind][1] or replayed
        assert status is replayed
        # The partitions agree with the single status: in exactly one of members / former / neither.
        assert (state.code in members) == status.is_member
        assert (state.code in former) == (
            status in (Status.PARTICIPATION_ENDED, Status.MEMBERSHIP_SUSPENDED)
        )
        assert (state.code not in members | former) == (status is Status.NON_MEMBER)


@st.composite
def valid_histories(draw: st.DrawFn) -> list[StateEvent]:
    """A random history that follows the allowed transitions."""
    status = Status.NON_MEMBER
    day = draw(st.dates(min_value=SIGNED, max_value=date(2000, 1, 1)))
    events = []
    for _ in range(draw(st.integers(1, 8))):
        kinds = [k for k, (allowed, _) in TRANSITIONS.items() if status in allowed]
        kind = draw(st.sampled_from(sorted(kinds)))
        events.append(StateEvent(date=day, kind=kind, source="https://en.odkb-csto.org/25years/"))
        status = TRANSITIONS[kind][1] or status
        day += timedelta(days=draw(st.integers(1, 900)))
    return events


@settings(max_examples=100, deadline=None)
@given(history=valid_histories(), probe=st.integers(0, 9000))
def test_status_replays_the_events(
    org: Organization, history: list[StateEvent], probe: int
) -> None:
    state = State(code="SRB", name="Serbia", events=tuple(history))
    changed = dataclasses.replace(org, states=(*org.states, state), data_hash="test")
    on = SIGNED + timedelta(days=probe)
    expected = Status.NON_MEMBER
    for event in history:
        if event.date <= on:
            expected = TRANSITIONS[event.kind][1] or expected
    assert changed.status("SRB", on) is expected
    assert ("SRB" in {s.code for s in changed.members(on)}) == expected.is_member
    assert (
        org.status("SRB", on) is Status.NON_MEMBER
    )  # the organization it was copied from is untouched
