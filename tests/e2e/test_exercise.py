"""A whole Kazakhstan exercise played in the browser, against the real server (csto.api on uvicorn,
a SQLite store, the server's own loop on the wall clock): the director creates it from the home
page, three people take Kazakhstan, Armenia and the Secretariat in separate browser contexts, and
the engine plays the other four members. Every step is asserted on what the pages show, live,
without reloading them; the suite writes the screenshots in docs/screenshots/, runs axe-core on
each page it shows there, and checks that no page fetched anything from outside the server."""

from __future__ import annotations

import re
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest
from playwright.sync_api import Page, expect

from csto.api import create_app
from csto.engine import assess
from csto.store import Store

from ..worlds import WORLD, case
from .conftest import Client
from .harness import LiveServer

TICK = 0.2  # seconds between rounds of the server's loop


@pytest.fixture
def server(live_server: Callable[..., LiveServer], tmp_path: Path) -> LiveServer:
    store = Store(f"sqlite:///{tmp_path / 'e2e.db'}").ready()
    return live_server(lambda: create_app(WORLD, store, tick=TICK))


def picture(shot: Callable[..., Path], page: Page, name: str) -> None:
    """A screenshot of the page itself: a passing notice (they fade after a few seconds) is
    cleared first, so the picture shows what stays."""
    page.evaluate("document.getElementById('flash').replaceChildren()")
    shot(page, name)


def motion_card(page: Page, motion: str = "M1") -> Any:
    return page.locator(f"#motion-{motion}")


def test_a_kazakhstan_exercise_in_the_browser(
    server: LiveServer,
    new_client: Callable[..., Client],
    axe: Callable[..., list[dict[str, Any]]],
    shot: Callable[..., Path],
) -> None:
    asked: list[str] = []  # what the pages asked to confirm (irreversible steps), each accepted

    def confirming(client: Client) -> Client:
        def answer(dialog: Any) -> None:
            asked.append(dialog.message)
            dialog.accept()

        client.context.on("dialog", answer)
        return client

    # --- the director creates the exercise from the home page ----------------------------------
    director = confirming(new_client())
    console = director.page()
    console.goto(server("/"))
    expect(console.get_by_role("heading", name="Crisis exercises")).to_be_visible()
    expect(console.get_by_label(re.compile("Unrest in Kazakhstan"))).to_be_checked()  # the demo
    console.get_by_role("button", name="Create the exercise").click()
    expect(console.get_by_role("heading", name="Exercise created")).to_be_visible()
    links = {
        row.get_attribute("data-seat"): row.locator("a.join-link").get_attribute("href")
        for row in console.locator("table.links tbody tr").all()
    }
    assert set(links) == {"ARM", "BLR", "KAZ", "KGZ", "RUS", "TJK", "SEC", "DIRECTOR", "OBS1"}
    console.goto(links["DIRECTOR"])
    expect(console).to_have_url(re.compile(r"/exercises/[0-9a-f]{32}/director$"))
    exercise = console.url.split("/")[-2]
    expect(console.locator(".clock-state")).to_have_text("not started, ×60")

    # --- three people take their seats, each in a browser of their own --------------------------
    people = {seat: confirming(new_client()) for seat in ("KAZ", "ARM", "SEC")}
    pages = {seat: client.page() for seat, client in people.items()}
    for seat, page in pages.items():
        page.goto(links[seat])
        expect(page).to_have_url(server(f"/exercises/{exercise}"))
    kaz, arm, sec = pages["KAZ"], pages["ARM"], pages["SEC"]
    expect(kaz.locator("#seat")).to_contain_text("Kazakhstan")
    expect(kaz.locator("#seat")).to_contain_text("member state")
    expect(sec.locator("#seat")).to_contain_text("Secretariat and Crisis Response Center")
    seats = console.locator("#p-seats")
    for seat, taken in (("KAZ", "yes"), ("ARM", "yes"), ("SEC", "yes"), ("RUS", "no")):
        expect(seats.locator(f'tr[data-seat="{seat}"]')).to_have_attribute("data-taken", taken)
    expect(seats.locator('tr[data-seat="RUS"]')).to_contain_text("the engine plays it")

    # --- the director starts the clock: the first inject reaches every seat, live --------------
    console.get_by_role("button", name="Start").click()
    for page in (console, kaz, arm, sec):
        expect(page.locator(".clock-state")).to_have_text("running, ×60")
    expect(kaz.locator("#p-inbox")).to_contain_text("Riots in Almaty and other cities")
    expect(arm.locator("#p-inbox")).to_contain_text("Riots in Almaty and other cities")

    # --- consultations: to every seat, and between two ------------------------------------------
    kaz.get_by_label("Subject", exact=True).fill("Request for help")
    kaz.get_by_label(re.compile(r"^Message")).fill("We face terrorists trained abroad.")
    kaz.get_by_role("button", name="Send the message").click()
    expect(kaz.locator("#flash")).to_contain_text("Message sent.")
    expect(arm.locator("#p-inbox")).to_contain_text("We face terrorists trained abroad.")
    arm.locator("#form-message").get_by_label("Kazakhstan").check()
    arm.get_by_label("Subject", exact=True).fill("Bilateral")
    arm.get_by_label(re.compile(r"^Message")).fill("Which sites need guarding?")
    arm.get_by_role("button", name="Send the message").click()
    expect(kaz.locator("#p-inbox")).to_contain_text("Which sites need guarding?")
    expect(console.locator("#p-channels")).to_contain_text("Which sites need guarding?")
    expect(sec.locator("#p-inbox")).not_to_contain_text("Which sites need guarding?")

    # --- Kazakhstan appeals ---------------------------------------------------------------------
    kaz.get_by_label("Under which provision").select_option("art4")
    kaz.get_by_label("What you ask for").select_option("deployment")
    kaz.get_by_label("Your statement", exact=True).fill(
        "Kazakhstan asks for the collective peacekeeping forces."
    )
    kaz.get_by_role("button", name="File the appeal").click()
    for page in (kaz, arm, sec):
        expect(page.locator("#p-situation .appeal-status")).to_contain_text("Kazakhstan appealed")
    expect(kaz.get_by_role("button", name="File the appeal")).to_have_count(0)
    assert asked[-1] == "File the appeal to the organization? It cannot be withdrawn."

    # --- the Secretariat puts the motion; the engine answers for the four empty seats -----------
    chamber = sec
    chamber.locator("nav.site").get_by_role("link", name="Council chamber").click()
    expect(chamber.get_by_role("heading", name="Council chamber", level=1)).to_be_visible()
    expect(chamber.locator("#p-assessment .ceiling")).to_have_text("deployment")
    chamber.get_by_label("Measure").select_option("deployment")
    chamber.get_by_label("Text of the motion").fill("Send the collective peacekeeping forces.")
    chamber.get_by_role("button", name="Open the motion").click()
    roll = chamber.locator("#roll-M1")
    for seat in ("BLR", "KGZ", "RUS", "TJK"):
        row = roll.locator(f'tr[data-seat="{seat}"]')
        expect(row).to_have_attribute("data-answered", "yes")
        expect(row).to_contain_text("the engine")
    for seat in ("ARM", "KAZ"):
        expect(roll.locator(f'tr[data-seat="{seat}"]')).to_contain_text("not yet answered")
    forming = "No objection so far; 2 of 6 still to answer (Armenia, Kazakhstan)."
    for page in (chamber, kaz, arm, console):
        expect(motion_card(page).locator(".consensus")).to_contain_text(forming)

    # --- Armenia starts a statement, loses the page, and finds the draft again -----------------
    statement = "Armenia supports, within the mandate of the peacekeeping forces."
    arm.locator("#f-vote-M1").fill(statement)
    arm.close()
    arm = people["ARM"].page()
    arm.goto(server(f"/exercises/{exercise}"))
    expect(arm.locator("#f-vote-M1")).to_have_value(statement)

    # --- Kazakhstan's connection drops while it writes a report; the draft outlives the page ---
    report_text = "Ministry of Defence: the airports are held."
    people["KAZ"].context.set_offline(True)
    kaz.get_by_label(re.compile("^Your ministry")).fill(report_text)
    expect(kaz.locator("#f-report")).to_have_attribute("data-saved", "browser")
    kaz.close()
    people["KAZ"].context.set_offline(False)
    kaz = people["KAZ"].page()
    kaz.goto(server(f"/exercises/{exercise}"))
    expect(kaz.locator("#f-report")).to_have_value(report_text)  # kept by the browser...
    drafts = f"/api/exercises/{exercise}/drafts"
    expect(kaz.locator("#f-report")).to_have_attribute("data-saved", "server")  # ...and sent on
    assert kaz.request.get(server(drafts)).json()["report"] == report_text

    # --- two votes; the motion closes itself, and every open page shows the consensus ----------
    arm.locator("#form-vote-M1").get_by_label("Support").check()
    arm.get_by_role("button", name="Cast the vote").click()
    expect(arm.locator("#flash")).to_contain_text("Your vote on M1 is cast.")
    expect(chamber.locator('#roll-M1 tr[data-seat="ARM"]')).to_contain_text(statement)
    expect(chamber.locator('#roll-M1 tr[data-seat="ARM"]')).to_contain_text("a person")
    expect(motion_card(kaz).locator(".consensus")).to_contain_text("1 of 6 still to answer")
    # Kazakhstan votes from the keyboard alone, and sees where the focus is at each step
    kaz.locator("#f-answer-M1-support").focus()
    kaz.keyboard.press("Space")
    expect(kaz.locator("#f-answer-M1-support")).to_be_checked()
    kaz.keyboard.press("Tab")
    expect(kaz.locator("#f-vote-M1")).to_be_focused()
    kaz.keyboard.type("We asked for it.")
    kaz.keyboard.press("Tab")
    button = kaz.locator("#form-vote-M1").get_by_role("button", name="Cast the vote")
    expect(button).to_be_focused()
    ring = button.evaluate(
        "b => getComputedStyle(b).outlineStyle + ' ' + getComputedStyle(b).outlineWidth"
    )
    assert ring == "solid 3px", ring  # the visible focus of csto.css
    kaz.keyboard.press("Enter")
    for page in (chamber, kaz, arm, console):
        card = motion_card(page)
        expect(card).to_have_attribute("data-status", "closed")
        expect(card.locator(".consensus")).to_contain_text("Adopted")
    expect(motion_card(kaz).locator(".closed-notice")).to_contain_text("No more votes can be cast.")
    expect(kaz.locator("#form-vote-M1")).to_have_count(0)
    axe(chamber)
    picture(shot, chamber, "council-chamber")

    # --- the force request: offered on by Armenia, accepted by the Secretariat -----------------
    chamber.locator("nav.site").get_by_role("link", name="My seat").click()
    sec.get_by_role("button", name="Issue the force request").click()
    request = sec.locator("#request-R1")
    expect(request.locator('tr[data-state="RUS"]')).to_be_visible()  # the engine's offers
    expect(arm.locator("#request-R1")).to_be_visible()
    arm.get_by_label("Personnel you offer").fill("100")
    arm.locator("#f-offer-R1").fill("guard duties only")
    arm.get_by_role("button", name="Make the offer").click()
    expect(arm.locator("#request-R1")).to_contain_text("Your offer is in.")
    armenian = request.locator('tr[data-state="ARM"]')
    expect(armenian).to_contain_text("guard duties only")
    offers = [
        row.get_attribute("data-offer")
        for row in request.locator("tbody tr").all()
        if row.get_by_role("button").count()
    ]
    assert offers, "no offer to accept"
    for offer in offers:
        sec.get_by_role("button", name=f"Accept {offer}", exact=True).click()
        expect(request.locator(f'tr[data-offer="{offer}"]')).to_contain_text("accepted")
    sec.get_by_role("button", name="Close the request and deploy").click()
    expect(arm.locator("#request-R1")).to_have_attribute("data-status", "closed")
    assert re.fullmatch(r"Close request R1 and deploy \d+ of \d+ personnel.*", asked[-1]), asked
    expect(arm.locator("#request-R1 .closed-notice")).to_contain_text("Request R1 is closed")
    accepted = int(armenian.locator("td.number").nth(2).inner_text())
    assert accepted == 100

    # --- a day on: the Center edits and releases its first situation report -------------------
    console.get_by_label("Jump to (UTC)").fill("2022-01-06 10:00")
    console.get_by_role("button", name="Jump").click()
    expect(console.locator(".clock-now")).to_contain_text("2022-01-06 10:")
    sec.locator("nav.site").get_by_role("link", name="Crisis Response Center").click()
    draft = sec.locator("article.sitrep").first
    expect(draft).to_be_visible()
    sitrep = (draft.get_attribute("id") or "").removeprefix("sitrep-")
    text = sec.locator(f"#f-sitrep-{sitrep}")
    text.fill(text.input_value() + "\nCRC: airlift under way.")
    sec.get_by_role("button", name="Save the edit").first.click()
    expect(sec.locator("#flash")).to_contain_text(f"Situation report {sitrep} saved.")
    expect(draft.locator("h3")).to_contain_text("edited by Secretariat")  # the board has caught up
    sec.get_by_role("button", name=f"Release {sitrep}", exact=True).click()
    expect(sec.locator("#flash")).to_contain_text(f"Situation report {sitrep} released.")
    for page in (kaz, arm):
        expect(page.locator("#p-feed")).to_contain_text("CRC: airlift under way.")
    expect(sec.locator("#p-feed")).to_contain_text("CRC: airlift under way.")
    expect(sec.locator("#p-contingents")).to_contain_text("Armenia")
    axe(kaz)
    picture(shot, kaz, "seat-page")

    # --- the director pauses, every page sees it; and resumes ----------------------------------
    console.get_by_role("button", name="Pause").click()
    for page in (console, kaz, arm, sec):
        expect(page.locator(".clock-state")).to_have_text("paused, ×60")
    kaz.wait_for_timeout(1200)  # a refresh begun before the pause may still land
    frozen = kaz.locator(".clock-now").inner_text()
    kaz.wait_for_timeout(2500)  # two of the stream's clock frames, and the clock stands still
    assert kaz.locator(".clock-now").inner_text() == frozen
    expect(kaz.locator(".clock-state")).to_have_text("paused, ×60")
    console.get_by_role("button", name="Resume").click()
    for page in (console, kaz, sec):
        expect(page.locator(".clock-state")).to_have_text("running, ×60")

    # --- the map: the contingents on their routes ----------------------------------------------
    situation = director.page()
    situation.goto(server(f"/exercises/{exercise}/map?at=2022-01-06+20:00"))
    expect(situation.locator("#country-KAZ")).to_have_attribute("data-role", "territory")
    expect(situation.locator("#country-ARM")).to_have_attribute("data-role", "member")
    expect(situation.locator('table.positions tr[data-contingent="RUS"]')).to_be_visible()
    expect(situation.locator("[id^=route-RUS]").first).to_be_attached()
    axe(situation)
    picture(shot, situation, "exercise-map")

    # --- the console, then the end and the after-action report ---------------------------------
    expect(console.locator('#p-mel tr[data-inject="riots"]')).to_have_attribute(
        "data-status", "released"
    )
    axe(console)
    picture(shot, console, "director-console")
    console.get_by_label("Jump to (UTC)").fill("2022-01-21 08:00")
    console.get_by_role("button", name="Jump").click()
    expect(console.locator(".clock-now")).to_contain_text("2022-01-21")
    console.get_by_role("button", name="End the exercise").click()
    expect(kaz.locator(".clock-state")).to_have_text("ended, ×60")
    report = director.page()
    report.goto(server(f"/exercises/{exercise}/report"))
    expect(report.locator("#p-report")).to_contain_text("Final: the exercise ended")
    row = report.locator('table.decisions tr[data-motion="M1"]')
    expect(row.locator(".decided")).to_contain_text("adopted")
    model = assess(WORLD, case("kazakhstan-2022")).outcome.label
    expect(row.locator(".model")).to_contain_text(model)
    expect(row.locator(".record")).to_contain_text("deployment")
    forces = report.locator('table.forces[data-request="R1"]')
    expect(forces.locator('tr[data-state="ARM"]')).to_contain_text("100")
    expect(report.locator("svg.timeline circle").first).to_be_attached()
    with report.expect_download() as download:
        report.get_by_role("link", name="Download as JSON").click()
    assert '"decisions"' in Path(download.value.path()).read_text()
    axe(report)
    picture(shot, report, "after-action-report")
    report.emulate_media(media="print")  # on paper: the report without the page's controls
    expect(report.locator("nav.site")).to_be_hidden()
    expect(report.get_by_role("button", name="Print")).to_be_hidden()
    expect(report.locator("table.decisions")).to_be_visible()
    assert report.pdf()[:5] == b"%PDF-"

    # --- nothing came from outside the server ---------------------------------------------------
    for client in (director, *people.values()):
        client.log.assert_nothing_from_outside()
        assert any(p.endswith("/live") for p in client.log.paths())  # every page was live
