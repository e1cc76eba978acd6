"""The exercise's pages as the server renders them, for every kind of seat, without a browser: what
each shows and to whom, the structure the live refresh relies on (panels, preserved forms, unique
ids, labelled fields), the forms' answers (a notice, a refusal naming the field, a redirect without
JavaScript) and the error pages. tests/e2e/test_exercise.py plays the same pages in Chromium."""

from __future__ import annotations

import re
from datetime import datetime
from html.parser import HTMLParser
from pathlib import Path
from typing import Any

import pytest

from .exercises import SeatClient, Server, server

VOID = {"area", "base", "br", "col", "embed", "hr", "img", "input", "link", "meta", "source", "wbr"}
PAGES = ("", "/chamber", "/crc", "/map")


class Tree(HTMLParser):
    """Each start tag with its attributes and the ids of the elements around it."""

    def __init__(self) -> None:
        super().__init__()
        self.stack: list[tuple[str, str | None]] = []
        self.found: list[tuple[str, dict[str, str | None], tuple[str, ...]]] = []
        self.label_text: dict[str, str] = {}
        self._label: str | None = None

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        found = dict(attrs)
        around = tuple(i for _, i in self.stack if i)
        self.found.append((tag, found, around))
        if tag == "label":
            self._label = found.get("for")
        if tag not in VOID:
            self.stack.append((tag, found.get("id")))

    def handle_endtag(self, tag: str) -> None:
        if tag == "label":
            self._label = None
        while self.stack:
            if self.stack.pop()[0] == tag:
                break

    def handle_data(self, data: str) -> None:
        if self._label:
            self.label_text[self._label] = self.label_text.get(self._label, "") + data

    def all(self, tag: str) -> list[dict[str, str | None]]:
        return [a for t, a, _ in self.found if t == tag]


def tree(html: str) -> Tree:
    parsed = Tree()
    parsed.feed(html)
    return parsed


def check_structure(html: str) -> Tree:
    """What the live pages rely on, checked on one page."""
    t = tree(html)
    ids = [a["id"] for _, a, _ in t.found if a.get("id")]
    assert len(ids) == len(set(ids)), sorted({i for i in ids if ids.count(i) > 1})
    refresher = next((a for a in t.all("div") if a.get("id") == "refresher"), None)
    panels = set()
    if refresher is not None:
        panels = {p.lstrip("#") for p in (refresher["hx-select-oob"] or "").split(",")}
        assert panels <= set(ids), f"panels the page lacks: {panels - set(ids)}"
    for tag, attrs, around in t.found:
        if attrs.get("hx-preserve"):
            # htmx moves a preserved element into the fetched copy, and only the panels of that
            # copy come back: a preserved element outside them would vanish from the page
            assert panels & set(around), f"{tag}#{attrs.get('id')} is preserved outside the panels"
        if tag in ("input", "textarea", "select") and attrs.get("type") != "hidden":
            assert attrs.get("id") in t.label_text, f"{tag}#{attrs.get('id')} has no label"
    return t


def played(tmp_path: Path) -> tuple[Server, str, dict[str, SeatClient]]:
    """An exercise to the point where a motion is open: the appeal, a bilateral message, the motion,
    the engine's four votes."""
    s = server(tmp_path)
    exercise, links = s.create()
    seats = {
        seat: s.join(exercise, links[seat]) for seat in ("KAZ", "ARM", "SEC", "DIRECTOR", "OBS1")
    }
    seats["DIRECTOR"].post("clock", {"action": "resume"})
    seats["ARM"].post(
        "messages", {"to": ["KAZ"], "subject": "Bilateral", "text": "Only for Astana."}
    )
    seats["KAZ"].post("appeal", {"invokes": "art4", "asks": "deployment", "statement": "Help us."})
    seats["SEC"].post("motions", {"measure": "deployment", "text": "Send the forces."})
    return s, exercise, seats


@pytest.fixture
def game(tmp_path: Path) -> tuple[Server, str, dict[str, SeatClient]]:
    return played(tmp_path)


def get(client: SeatClient, path: str, status: int = 200, **headers: str) -> str:
    r = client.client.get(path, headers={"accept": "text/html", **headers})
    assert r.status_code == status, (path, r.status_code, r.text[:500])
    return r.text


def test_every_page_of_every_seat_is_well_formed_for_the_live_refresh(game: Any) -> None:
    _, exercise, seats = game
    base = f"/exercises/{exercise}"
    for seat in ("KAZ", "ARM", "SEC", "OBS1"):
        for path in PAGES:
            check_structure(get(seats[seat], base + path))
    for path in ("/director", "/report", "/chamber", "/crc", "/map", "?as=KAZ", "/chamber?as=RUS"):
        check_structure(get(seats["DIRECTOR"], base + path))


def test_the_checks_catch_what_they_look_for() -> None:
    with pytest.raises(AssertionError, match=r"\['a'\]"):
        check_structure('<p id="a"></p><p id="a"></p>')
    with pytest.raises(AssertionError, match="preserved outside"):
        check_structure(
            '<div id="refresher" hx-select-oob="#clock,#p-x"></div><div id="clock"></div>'
            '<div id="p-x"></div><form id="f" hx-preserve="true"></form>'
        )
    with pytest.raises(AssertionError, match="no label"):
        check_structure('<input id="q" name="q">')
    check_structure(
        '<div id="refresher" hx-select-oob="#p-x"></div><div id="p-x">'
        '<form id="f" hx-preserve="true"><label for="q">Q</label><input id="q"></form></div>'
    )


def test_a_seat_page_shows_its_own_state_and_only_what_it_was_sent(game: Any) -> None:
    _, exercise, seats = game
    kaz = get(seats["KAZ"], f"/exercises/{exercise}")
    assert 'data-seat="KAZ"' in kaz
    assert "Kazakhstan appealed" in kaz
    assert "Only for Astana." in kaz  # the bilateral message was for KAZ
    assert 'id="form-vote-M1"' in kaz  # KAZ has not voted yet
    assert "No objection so far; 2 of 6 still to answer (Armenia, Kazakhstan)." in kaz
    sec = get(seats["SEC"], f"/exercises/{exercise}")
    assert "Only for Astana." not in sec
    assert 'id="form-vote-M1"' not in sec  # the Secretariat does not vote...
    assert 'id="form-close-M1"' in sec  # ...it may close the vote
    obs = get(seats["OBS1"], f"/exercises/{exercise}")
    assert "Only for Astana." not in obs
    assert "/do/" not in obs  # an observer has no form that acts
    chamber = get(seats["ARM"], f"/exercises/{exercise}/chamber")
    assert "The engine’s legal assessment" in chamber
    assert re.search(r'class="ceiling">deployment<', chamber)
    assert "CST Art. 4, version of 2012-12-19" in chamber


def test_the_director_views_as_a_seat_read_only_and_a_member_cannot(game: Any) -> None:
    _, exercise, seats = game
    as_kaz = get(seats["DIRECTOR"], f"/exercises/{exercise}?as=KAZ")
    assert "Only for Astana." in as_kaz
    assert "read-only, as that seat sees it" in as_kaz
    assert "/do/" not in as_kaz
    as_sec = get(seats["DIRECTOR"], f"/exercises/{exercise}?as=SEC")
    assert "Only for Astana." not in as_sec  # the projection of that seat, not the director's
    refused = get(seats["KAZ"], f"/exercises/{exercise}?as=ARM", status=403)
    assert "only the director may" in refused
    unknown = get(seats["DIRECTOR"], f"/exercises/{exercise}?as=UZB", status=422)
    assert "allowed: a seat of this exercise" in unknown
    get(seats["KAZ"], f"/exercises/{exercise}/director", status=403)
    get(seats["KAZ"], f"/exercises/{exercise}/report", status=403)


def test_forms_answer_with_a_notice_a_refusal_naming_the_field_or_a_redirect(game: Any) -> None:
    _, exercise, seats = game
    kaz = seats["KAZ"].client
    url = f"/exercises/{exercise}/do/vote?target=M1"
    bad = kaz.post(url, data={"vote": "perhaps"}, headers={"HX-Request": "true"})
    assert bad.status_code == 422
    assert "<strong>vote</strong>: got &#39;perhaps&#39;" in bad.text
    assert "allowed: &#39;support&#39;, &#39;object&#39; or &#39;abstain&#39;" in bad.text
    no_csrf = seats["KAZ"].client.post(
        url, data={"vote": "support"}, headers={"HX-Request": "true", "X-CSRF-Token": "wrong"}
    )
    assert no_csrf.status_code == 403
    kaz.put(f"/api/exercises/{exercise}/drafts/vote-M1", json={"text": "half typed"})
    assert seats["KAZ"].get("drafts")["vote-M1"] == "half typed"
    ok = kaz.post(
        url,
        data={"vote": "support", "statement": "We asked.", "draft": "vote-M1"},
        headers={"HX-Request": "true"},
    )
    assert ok.status_code == 200
    assert "Your vote on M1 is cast." in ok.text
    assert seats["KAZ"].get("drafts")["vote-M1"] == ""  # the draft went with the vote
    plain = seats["ARM"].client.post(
        url,
        data={"vote": "support", "back": f"/exercises/{exercise}/chamber"},
        follow_redirects=False,
    )
    assert plain.status_code == 303
    assert plain.headers["location"] == f"/exercises/{exercise}/chamber"
    again = kaz.post(url, data={"vote": "object"}, headers={"HX-Request": "true"})  # closed now
    assert again.status_code == 409
    assert "a vote can no longer be cast" in again.text
    elsewhere = seats["ARM"].client.post(
        f"/exercises/{exercise}/do/message",
        data={"text": "hello", "back": "https://example.org/"},
        follow_redirects=False,
    )
    assert elsewhere.headers["location"] == f"/exercises/{exercise}"  # never off the exercise
    page = get(seats["KAZ"], f"/exercises/{exercise}")
    assert 'id="form-vote-M1"' not in page
    assert "No more votes can be cast." in page


def test_drafts_are_saved_from_a_form_and_come_back_in_the_page(game: Any) -> None:
    _, exercise, seats = game
    arm = seats["ARM"].client
    r = arm.post(f"/exercises/{exercise}/drafts/vote-M1", data={"text": "Armenia, within limits"})
    assert r.status_code == 200
    page = get(seats["ARM"], f"/exercises/{exercise}")
    assert re.search(r'<textarea[^>]*id="f-vote-M1"[^>]*>Armenia, within limits</textarea>', page)
    arm.post(f"/exercises/{exercise}/drafts/message-subject", data={"text": "Sites to guard"})
    page = get(seats["ARM"], f"/exercises/{exercise}")
    assert re.search(r'<input id="f-message-subject"[^>]*value="Sites to guard"', page)
    long = arm.post(f"/exercises/{exercise}/drafts/vote-M1", data={"text": "x" * 9000})
    assert long.status_code == 422


def test_error_pages_name_the_problem_for_a_browser_and_json_for_a_client(tmp_path: Path) -> None:
    s = server(tmp_path)
    exercise, _ = s.create()
    with s.client() as anonymous:
        page = anonymous.get(f"/exercises/{exercise}", headers={"accept": "text/html"})
        assert page.status_code == 401
        assert "Open the join link you were given" in page.text
        assert page.headers["content-type"].startswith("text/html")
        plain = anonymous.get(f"/exercises/{exercise}", headers={"accept": "application/json"})
        assert plain.status_code == 401
        assert plain.json()["error"] == "access_denied"
        used = anonymous.get("/join/not-a-token", headers={"accept": "text/html"})
        assert used.status_code == 401
        assert "ask the director for a new one" in used.text
        bad = anonymous.post(
            "/exercises", data={"scenario": "atlantis"}, headers={"accept": "text/html"}
        )
        assert bad.status_code == 422
        assert "atlantis" in bad.text
        assert "kazakhstan-2022" in bad.text


def test_the_home_page_creates_an_exercise_and_shows_each_link_once(tmp_path: Path) -> None:
    s = server(tmp_path)
    with s.client() as director:
        home = director.get("/")
        assert "Unrest in Kazakhstan, January 2022" in home.text
        check_structure(home.text)
        created = director.post("/exercises", data={"scenario": "kazakhstan-2022"})
        assert created.status_code == 201
        links = re.findall(r'class="join-link" href="(http://testserver/join/[^"]+)"', created.text)
        assert len(links) == 9
        again = director.get("/")
        assert "kazakhstan-2022" in again.text
        assert not any(link in again.text for link in links)  # shown once


def test_the_map_shows_the_contingents_and_players_cannot_look_ahead(tmp_path: Path) -> None:
    _, exercise, seats = played(tmp_path)
    for seat in ("KAZ", "ARM"):
        seats[seat].post("motions/M1/votes", {"vote": "support"})
    request = seats["SEC"].post("force-requests", {"motion": "M1"})["id"]
    for offer_id, offer in seats["SEC"].view()["state"]["requests"][request]["offers"].items():
        if offer["personnel"]:
            seats["SEC"].post(f"offers/{offer_id}/accept", {})
    seats["SEC"].post(f"force-requests/{request}/close", {})
    page = get(seats["DIRECTOR"], f"/exercises/{exercise}/map?at=2022-01-06+20:00")
    assert 'id="country-KAZ"' in page
    assert 'data-contingent="RUS"' in page
    ahead = get(seats["KAZ"], f"/exercises/{exercise}/map?at=2022-02-01+00:00")
    assert "The map shows the situation up to now" in ahead  # the present, not the plan
    assert "2022-02-01" not in ahead.split("<main", 1)[1].split("</form>", 1)[1]
    assert 'data-contingent="RUS"' in get(seats["KAZ"], f"/exercises/{exercise}/map")
    garbled = get(seats["KAZ"], f"/exercises/{exercise}/map?at=yesterday", status=422)
    assert "YYYY-MM-DD HH:MM" in garbled


def test_the_console_edits_a_future_inject_and_writes_a_conditional_one(game: Any) -> None:
    _, exercise, seats = game
    director = seats["DIRECTOR"].client
    hx = {"HX-Request": "true"}
    edit = director.post(
        f"/exercises/{exercise}/do/edit-inject?target=first-landing",
        data={"title": "First aircraft over Almaty", "to": ["KAZ", "SEC"], "release": "keep"},
        headers=hx,
    )
    assert edit.status_code == 200, edit.text
    assert "Inject first-landing changed." in edit.text
    mel = {e["id"]: e for e in seats["DIRECTOR"].view()["mel"]}
    assert mel["first-landing"]["title"] == "First aircraft over Almaty"
    assert mel["first-landing"]["audience"] == ["KAZ", "SEC"]
    assert mel["first-landing"]["when"]["event"] == "first_arrival"  # "keep": the condition stays
    added = director.post(
        f"/exercises/{exercise}/do/inject",
        data={
            "title": "A journalist asks Armenia",
            "to": "ARM",
            "release": "on",
            "when_event": "motion_closed",
            "when_measure": "deployment",
            "delay": "0:20",
        },
        headers=hx,
    )
    assert added.status_code == 200, added.text
    mel = {e["id"]: e for e in seats["DIRECTOR"].view()["mel"]}
    assert mel["added-1"]["when"]["event"] == "motion_closed"
    assert mel["added-1"]["when"]["measure"] == "deployment"
    assert mel["added-1"]["status"] == "pending"
    page = get(seats["DIRECTOR"], f"/exercises/{exercise}/director")
    assert "when motion closed (deployment) + 0:20" in page
    assert "First aircraft over Almaty" in page
    wrong = director.post(
        f"/exercises/{exercise}/do/inject",
        data={"title": "x", "release": "someday"},
        headers=hx,
    )
    assert wrong.status_code == 422
    assert "<strong>release</strong>: got &#39;someday&#39;" in wrong.text
    late = director.post(
        f"/exercises/{exercise}/do/edit-inject?target=riots", data={"title": "x"}, headers=hx
    )
    assert late.status_code == 409  # released at the start: it can no longer change


def test_the_console_reissues_a_seats_link_and_the_old_session_stops(game: Any) -> None:
    _, exercise, seats = game
    r = seats["DIRECTOR"].client.post(
        f"/exercises/{exercise}/do/reissue?target=ARM", headers={"HX-Request": "true"}
    )
    assert r.status_code == 200, r.text
    link = re.search(r'href="(http://testserver/join/[^"]+)"', r.text)
    assert link is not None
    assert "New link for ARM (shown once)" in r.text
    get(seats["ARM"], f"/exercises/{exercise}", status=401)
    with seats["ARM"].client as fresh:
        fresh.cookies.clear()
        landed = fresh.get(link.group(1).replace("http://testserver", ""))
        assert landed.status_code == 200
        assert 'data-seat="ARM"' in landed.text


def test_the_crc_board_filters_reports_by_source_and_time(game: Any) -> None:
    _, exercise, seats = game
    seats["KAZ"].post("reports", {"text": "Ministry of Defence: airports held."})
    seats["ARM"].post("reports", {"text": "Armenia: a company at readiness.", "to": ["KAZ"]})
    board = f"/exercises/{exercise}/crc"
    everything = get(seats["KAZ"], board)
    assert "airports held" in everything
    assert "a company at readiness" in everything  # sent to KAZ as well
    only_arm = get(seats["KAZ"], board + "?source=ARM")
    assert "a company at readiness" in only_arm
    assert "airports held" not in only_arm
    later = get(seats["KAZ"], board + "?since=2022-02-01+00:00")
    assert "No report matches." in later
    earlier = get(seats["KAZ"], board + "?until=2022-01-05+09:00&since=2022-01-05+07:00")
    assert "airports held" in earlier
    refused = get(seats["KAZ"], board + "?source=XYZ", status=422)
    assert "<strong>source</strong>: got &#39;XYZ&#39;" in refused or "XYZ" in refused
    assert "a company at readiness" not in get(seats["SEC"], board + "?source=KAZ")


def first_frames(client: SeatClient, url: str, until: str, **headers: str) -> str:
    """The stream's text up to the first event named `until`."""
    text = ""
    with client.client.stream("GET", url, headers=headers) as stream:
        assert stream.headers["content-type"].startswith("text/event-stream")
        for chunk in stream.iter_text():
            text += chunk
            if f"event: {until}" in text and text.endswith("\n\n"):
                return text
    return text


def test_the_live_stream_tells_a_page_what_it_missed_since_it_was_drawn(game: Any) -> None:
    _, exercise, seats = game
    kaz = seats["KAZ"]
    head = kaz.view()["seq"]
    live = f"/exercises/{exercise}/live"
    missed = first_frames(kaz, f"{live}?after={head - 3}", "clock")
    assert f"event: changed\nid: {head}\ndata: {head}" in missed  # logged after the page: refetch
    assert 'class="clock-now"' in missed
    current = first_frames(kaz, f"{live}?after={head}", "clock")
    assert "event: changed" not in current  # the page is up to date: only the clock
    resumed = first_frames(kaz, f"{live}?after={head}", "clock", **{"Last-Event-ID": "2"})
    assert "event: changed" in resumed  # a reconnect resumes where its last change was
    refused = kaz.client.get(f"{live}?as=ARM", headers={"accept": "text/event-stream"})
    assert refused.status_code == 403


def test_the_chamber_says_when_the_assessment_is_the_white_cells_alone(tmp_path: Path) -> None:
    s = server(tmp_path)
    text = (Path(__file__).parents[1] / "src/csto/data/scenarios/kazakhstan-2022.yaml").read_text()
    hidden = text.replace("players_see_assessment: true", "players_see_assessment: false")
    exercise, links = s.create(text=hidden)
    kaz, director = s.join(exercise, links["KAZ"]), s.join(exercise, links["DIRECTOR"])
    director.post("clock", {"action": "resume"})
    kaz.post("appeal", {"invokes": "art4", "asks": "deployment"})
    chamber = f"/exercises/{exercise}/chamber"
    assert "keeps the engine’s assessment to the white cell" in get(kaz, chamber)
    assert 'class="ceiling"' not in get(kaz, chamber)
    assert 'class="ceiling">deployment<' in get(director, chamber)


def test_two_officers_share_a_seat_through_another_link(game: Any) -> None:
    s, exercise, seats = game
    director = seats["DIRECTOR"]
    made = director.post("seats/ARM/another", {})
    second = s.join(exercise, made["url"])  # the second officer at Armenia's seat
    assert second.seat == "ARM"
    assert second.view()["seat"] == "ARM"
    assert seats["ARM"].view()["seat"] == "ARM"  # the first keeps the seat
    seen = get(second, f"/exercises/{exercise}")
    assert 'data-seat="ARM"' in seen
    second.post("motions/M1/votes", {"vote": "support", "statement": "From the second officer."})
    assert seats["ARM"].view()["state"]["motions"]["M1"]["votes"]["ARM"]["vote"] == "support"
    unused = director.post("seats/KGZ/another", {}, status=409)  # nobody used Kyrgyzstan's link
    assert "has not been used yet" in unused["message"]
    seats["KAZ"].post("seats/KAZ/another", {}, status=403)
    page = director.client.post(
        f"/exercises/{exercise}/do/another?target=KAZ", headers={"HX-Request": "true"}
    )
    assert "New link for KAZ (shown once)" in page.text
    director.post("seats/ARM/reissue", {})  # revoke and relink: both officers are out
    for officer in (seats["ARM"], second):
        officer.get("view", status=401)


def test_review_fixes_hold(game: Any) -> None:
    """What a walkthrough by a new director found, each kept fixed."""
    _, exercise, seats = game
    sec, director, kaz = seats["SEC"], seats["DIRECTOR"], seats["KAZ"]
    twice = sec.post("motions", {"measure": "deployment"}, status=409)  # M1 is still open
    assert "motion M1 on the same question is open" in twice["message"]
    missing = kaz.client.post(
        f"/exercises/{exercise}/do/vote?target=M1",
        data={"statement": "no answer ticked"},
        headers={"HX-Request": "true"},
    )
    assert missing.status_code == 422
    assert "got nothing (the field is missing)" in missing.text
    assert "no answer ticked" not in missing.text  # not the whole form echoed back
    api = kaz.post("motions/M1/votes", {"statement": "x"}, status=422)
    assert api["problems"][0]["value"] == "nothing (the field is missing)"
    director.post("end", {})
    ended_at = datetime.fromisoformat(director.view()["state"]["ended_at"])
    seats_wall = game[0].wall
    seats_wall.advance(minutes=30)  # half an hour of wall time later, thirty hours at 60x...
    page = get(kaz, f"/exercises/{exercise}")
    shown = re.search(r'class="clock-now" datetime="([^"]+)"', page)
    assert shown is not None
    assert datetime.fromisoformat(shown.group(1)) == ended_at  # ...the clock stopped at the end
    assert "ended, ×60" in page
