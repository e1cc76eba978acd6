"""The browser harness proved on a real page: csto.web's layout and the situation map of a simulated
Kazakhstan deployment, driven in Debian's chromium. What the page shows, that it works from the
keyboard, updates in place (htmx) and live (server-sent events), passes axe-core, prints without
its navigation, and fetches nothing from outside the server; and that the checks catch failures."""

from __future__ import annotations

import re
from collections.abc import Callable
from typing import Any

import pytest
from playwright.sync_api import Page, expect

from csto.sim import Run, simulate
from csto.web import Atlas

from ..worlds import WORLD, case
from .app import situation_app
from .harness import AccessibilityError, LiveServer, RequestLog

AT = "2022-01-07T12:00"  # a day into the airlift: some contingents flying, some waiting


@pytest.fixture(scope="module")
def atlas() -> Atlas:
    return Atlas.load()


@pytest.fixture(scope="module")
def run() -> Run:
    return simulate(WORLD, case("kazakhstan-2022"), seed=1)


@pytest.fixture
def server(live_server: Callable[..., LiveServer], atlas: Atlas, run: Run) -> LiveServer:
    return live_server(lambda: situation_app(WORLD, atlas, run))


def still(page: Page) -> None:
    """Hold the clock stream back, so a screenshot shows the page as rendered."""
    page.route("**/clock/stream", lambda route: route.abort())


def test_the_page_shows_the_layout_and_the_map(
    server: LiveServer,
    page: Page,
    request_log: RequestLog,
    run: Run,
    axe: Callable[..., list[dict[str, Any]]],
    shot: Callable[..., Any],
) -> None:
    still(page)
    page.goto(server(f"/situation?at={AT}"))
    expect(page).to_have_title("Situation map · Kazakhstan, January 2022 · csto")
    # the one layout: header with the exercise, its clock and the seat; navigation; main
    header = page.locator("header.site")
    expect(header.locator(".exercise")).to_have_text("Kazakhstan, January 2022")
    expect(header.locator(".clock-now")).to_have_text(re.compile(r"^2022-01-06 \d\d:\d\d UTC$"))
    expect(header.locator(".clock-state")).to_have_text("running, ×3600")
    expect(header.locator("#seat")).to_have_text(re.compile(r"White cell\s+director"))
    expect(page.locator("nav.site [aria-current=page]")).to_have_text("Situation")
    expect(page.get_by_role("heading", level=1)).to_have_text("Situation map")
    expect(page.get_by_role("heading", level=2)).to_have_text(
        "The situation at 2022-01-07 12:00 UTC"
    )
    # the map: the members, the territory, the contingents where the clock puts them
    svg = page.locator("figure.map svg.csto-map")
    expect(svg).to_be_visible()
    expect(svg.locator("#country-KAZ")).to_have_attribute("data-role", "territory")
    for code in ("ARM", "BLR", "KGZ", "RUS", "TJK"):
        expect(svg.locator(f"#country-{code}")).to_have_attribute("data-role", "member")
    expect(svg.locator("#country-UZB")).to_have_class("country other")
    markers = svg.locator("g.position[data-contingent]")
    expect(markers).to_have_count(len(run.forces.contingents))
    rows = page.locator("#contingents tbody tr")
    expect(rows).to_have_count(len(run.forces.contingents))
    for code in run.forces.contingents:
        status = svg.locator(f"#position-{code}-in").get_attribute("data-status")
        expect(
            rows.filter(has=page.locator(f"th:text-is('{code}')")).locator(".status")
        ).to_have_text(str(status))
    statuses = {
        svg.locator(f"#position-{c}-in").get_attribute("data-status")
        for c in run.forces.contingents
    }
    assert "moving" in statuses  # the time was chosen mid-airlift
    # the vendored htmx, from this server
    assert page.evaluate("htmx.version") == "2.0.11"
    assert page.evaluate("typeof htmx.createEventSource") == "function"  # the SSE extension
    scripts = request_log.paths("script")
    assert scripts == [
        "/static/vendor/htmx/htmx.min.js",
        "/static/vendor/htmx-ext-sse/sse.min.js",
        "/static/csto.js",
    ]
    assert request_log.paths("stylesheet") == ["/static/csto.css"]
    # no critical violation (the fixture's rule), and on our own layout none serious either
    others = axe(page)
    assert [v["id"] for v in others if v["impact"] == "serious"] == []
    request_log.assert_nothing_from_outside()
    shot(page, "harness-situation")
    shot(page.locator("figure.map svg"), "map")


def test_the_time_form_works_from_the_keyboard_and_swaps_in_place(
    server: LiveServer, page: Page, request_log: RequestLog, run: Run
) -> None:
    page.goto(server(f"/situation?at={AT}"))
    page.evaluate("window.notReloaded = true")
    page.keyboard.press("Tab")  # the first stop is the skip link, and it shows itself
    skip = page.locator("a.skip")
    expect(skip).to_be_focused()
    box = skip.bounding_box()
    assert box is not None
    assert box["y"] >= 0
    assert page.evaluate("getComputedStyle(document.activeElement).outlineStyle") == "solid"
    field = page.get_by_label("Show the map at (UTC)")
    expect(field).to_have_value(AT.replace("T", " "))
    field.focus()
    field.fill("2022-01-10 12:00")  # after the last landing
    page.keyboard.press("Enter")
    section = page.locator("#situation")
    expect(section).to_have_attribute("data-at", "2022-01-10T12:00:00+00:00")
    expect(page.locator("#contingents .status")).to_have_text(
        ["arrived"] * len(run.forces.contingents)
    )
    expect(page.locator("g.position.arrived[data-contingent]")).to_have_count(
        len(run.forces.contingents)
    )
    assert page.evaluate("window.notReloaded") is True  # htmx swapped the section, no reload
    assert page.url.endswith("at=2022-01-10%2012%3A00")  # and the address can be shared
    assert "xhr" in {r.resource_type for r in request_log.requests}
    request_log.assert_nothing_from_outside()


def test_the_clock_runs_live_over_server_sent_events(
    server: LiveServer, page: Page, request_log: RequestLog
) -> None:
    page.goto(server("/situation"))
    clock = page.locator("#clock .clock-now")
    rendered = clock.get_attribute("datetime")  # one read: the face and its time go together
    assert rendered is not None
    expect(clock).not_to_have_attribute("datetime", rendered)  # the stream replaced the face
    later = clock.get_attribute("datetime")
    assert later is not None
    assert later > rendered
    assert "eventsource" in {r.resource_type for r in request_log.requests}
    assert "/clock/stream" in request_log.paths("eventsource")
    request_log.assert_nothing_from_outside()


def test_print_leaves_out_navigation_and_forms(server: LiveServer, page: Page) -> None:
    page.goto(server(f"/situation?at={AT}"))
    page.emulate_media(media="print")
    expect(page.locator("nav.site")).to_be_hidden()
    expect(page.locator("form")).to_be_hidden()
    expect(page.locator("figure.map svg")).to_be_visible()
    expect(page.locator("#contingents")).to_be_visible()


# --- the checks catch what they are for ----------------------------------------------------------


def test_a_request_to_another_origin_is_blocked_and_reported(
    server: LiveServer, page: Page, request_log: RequestLog
) -> None:
    page.goto(server("/situation"))
    page.evaluate("fetch('https://cdn.example.invalid/lib.js').catch(() => null)")
    page.wait_for_timeout(200)
    assert [r.url for r in request_log.blocked] == ["https://cdn.example.invalid/lib.js"]
    with pytest.raises(AssertionError, match=r"cdn\.example\.invalid"):
        request_log.assert_nothing_from_outside()


def test_axe_reports_a_critical_violation(
    page: Page, axe: Callable[..., list[dict[str, Any]]]
) -> None:
    page.set_content(
        "<html lang='en'><title>t</title><main><h1>x</h1><img src='data:,'>"
        "<input type='text'></main></html>"
    )
    with pytest.raises(AccessibilityError, match=r"critical image-alt.*critical label"):
        axe(page)
