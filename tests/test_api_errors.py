"""Bad input over the API: a clear 4xx naming the field and what is allowed, never a traceback,
in the same shape (ErrorReport) as `--json` errors on the command line."""

from __future__ import annotations

import json
from pathlib import Path

import jsonschema

from .exercises import server

ROOT = Path(__file__).resolve().parent.parent
ERROR_SCHEMA = json.loads((ROOT / "docs" / "schemas" / "error.schema.json").read_text())


def _is_error(r, status: int, *words: str) -> dict:  # type: ignore[no-untyped-def,type-arg]
    assert r.status_code == status, r.text
    body = r.json()
    jsonschema.validate(body, ERROR_SCHEMA, cls=jsonschema.Draft202012Validator)
    assert "Traceback" not in r.text
    for word in words:
        assert word in r.text, (word, r.text)
    return body  # type: ignore[no-any-return]


def test_an_unknown_seat_token_is_refused_naming_the_token(tmp_path: Path) -> None:
    s = server(tmp_path)
    exercise, links = s.create()
    with s.client() as c:
        _is_error(
            c.post("/api/join", json={"token": "not-a-token"}), 401, "token", "unknown join token"
        )
        _is_error(c.get("/join/not-a-token"), 401, "token")
        _is_error(c.get(f"/api/exercises/{exercise}/view"), 401, "session")
    kaz = s.join(exercise, links["KAZ"])
    with s.client() as c:  # a link opens its seat once
        _is_error(
            c.post("/api/join", json={"token": links["KAZ"].rsplit("/", 1)[1]}), 401, "used already"
        )
    kaz.get("view")


def test_a_revoked_link_and_its_sessions_stop_working(tmp_path: Path) -> None:
    s = server(tmp_path)
    exercise, links = s.create()
    kaz, director = s.join(exercise, links["KAZ"]), s.join(exercise, links["DIRECTOR"])
    new = director.post("seats/KAZ/reissue")["url"]
    _is_error(kaz.client.get(kaz.url("view")), 401, "revoked")
    assert kaz.client.get(kaz.url("view")).status_code == 401
    again = s.join(exercise, new)
    assert again.view()["seat"] == "KAZ"
    _is_error(kaz.client.post(kaz.url("seats/RUS/reissue")), 401)
    _is_error(again.client.post(again.url("seats/RUS/reissue")), 403, "director")


def test_a_malformed_scenario_names_its_fields(tmp_path: Path) -> None:
    s = server(tmp_path)
    bad = "format: 1\nid: x\ntitle: t\ncrisis: kazakhstan-2022\nrate: -3\nmel:\n  - {id: a, at: soon, title: t}\n  - {id: b, at: '0:10', audience: [NOBODY], title: t}\n"
    with s.client() as c:
        body = _is_error(c.post("/api/exercises", json={"text": bad}), 422, "rate", "mel[0].at")
        assert {p["path"] for p in body["problems"]} >= {"rate", "mel[0].at"}
        body = _is_error(
            c.post(
                "/api/scenarios/check",
                json={"text": bad.replace("rate: -3", "rate: 2").replace("at: soon", "at: '0:05'")},
            ),
            422,
            "mel[1].audience",
            "NOBODY",
        )
        _is_error(c.post("/api/exercises", json={"text": "crisis: [unclosed"}), 422, "scenario")
        _is_error(
            c.post(
                "/api/exercises",
                json={"text": "format: 1\nid: x\ntitle: t\ncrisis: /etc/passwd.yaml\n"},
            ),
            422,
            "crisis",
        )
        _is_error(
            c.post("/api/exercises", json={"scenario": "no-such"}),
            422,
            "scenario",
            "kazakhstan-2022",
        )
        _is_error(c.post("/api/exercises", json={}), 422, "exactly one")
        _is_error(
            c.post("/api/exercises", json={"scenario": "kazakhstan-2022", "extra": 1}), 422, "extra"
        )


def test_a_bad_vote_value_names_the_field_and_the_values_allowed(tmp_path: Path) -> None:
    s = server(tmp_path)
    exercise, links = s.create()
    kaz, sec = s.join(exercise, links["KAZ"]), s.join(exercise, links["SEC"])
    motion = sec.post("motions", {"measure": "deployment"})["id"]
    body = _is_error(
        kaz.client.post(kaz.url(f"motions/{motion}/votes"), json={"vote": "maybe"}),
        422,
        "vote",
        "support",
    )
    assert body["problems"][0]["path"] == "vote"
    _is_error(kaz.client.post(kaz.url(f"motions/{motion}/votes"), json={"vote": 1}), 422, "vote")
    _is_error(kaz.client.post(kaz.url("motions/M99/votes"), json={"vote": "support"}), 404, "M99")
    _is_error(
        sec.client.post(sec.url("motions"), json={"measure": "invasion"}),
        422,
        "measure",
        "deployment",
    )
    _is_error(
        sec.client.post(sec.url("motions"), json={"measure": "mission", "question": "admission"}),
        422,
        "exactly one",
    )
    _is_error(
        kaz.client.post(kaz.url("messages"), json={"to": ["ZZZ"], "text": "x"}), 422, "to", "ZZZ"
    )


def test_an_oversized_body_is_refused_before_it_is_read(tmp_path: Path) -> None:
    s = server(tmp_path)
    exercise, links = s.create()
    kaz = s.join(exercise, links["KAZ"])
    huge = json.dumps({"to": "all", "text": "x" * 200_000})
    _is_error(
        kaz.client.post(
            kaz.url("messages"), content=huge, headers={"content-type": "application/json"}
        ),
        413,
        "body",
        "at most",
    )
    with s.client() as c:
        _is_error(c.post("/api/exercises", json={"text": "x" * 2_000_000}), 413, "body")
    _is_error(
        kaz.client.post(kaz.url("messages"), json={"to": "all", "text": "x" * 5000}), 422, "text"
    )


def test_a_write_without_the_csrf_token_is_refused(tmp_path: Path) -> None:
    s = server(tmp_path)
    exercise, links = s.create()
    kaz = s.join(exercise, links["KAZ"])
    token = kaz.client.headers.pop("X-CSRF-Token")
    _is_error(kaz.client.post(kaz.url("messages"), json={"to": "all", "text": "x"}), 403, "CSRF")
    _is_error(
        kaz.client.post(
            kaz.url("messages"), json={"to": "all", "text": "x"}, headers={"X-CSRF-Token": "forged"}
        ),
        403,
        "CSRF",
    )
    form = kaz.client.post(kaz.url("messages"), data={"to": "all", "text": "x"})
    _is_error(form, 403, "CSRF")  # a form post without its csrf_token field
    form = kaz.client.post(
        kaz.url("messages"), data={"csrf_token": token, "to": "all", "text": "x"}
    )
    assert form.status_code == 422  # past the CSRF check; commands take JSON
    assert kaz.client.cookies.get(f"csto_csrf_{exercise}") == token
    kaz.client.headers["X-CSRF-Token"] = token
    kaz.post("messages", {"to": "all", "text": "x"})


def test_the_director_cannot_hold_a_playing_seat(tmp_path: Path) -> None:
    s = server(tmp_path)
    exercise, links = s.create()
    director = s.join(exercise, links["DIRECTOR"])
    r = director.client.post("/api/join", json={"token": links["KAZ"].rsplit("/", 1)[1]})
    _is_error(r, 403, "the director cannot hold a playing seat")
    kaz = s.join(exercise, links["KAZ"])  # the link was not used up by the refusal
    r = kaz.client.post("/api/join", json={"token": links["OBS1"].rsplit("/", 1)[1]})
    assert r.status_code == 200  # a player may take an observer's seat in its browser instead
    r = s.join(exercise, links["SEC"]).client.post(
        "/api/join", json={"token": links["DIRECTOR"].rsplit("/", 1)[1]}
    )
    _is_error(r, 401, "used already")
