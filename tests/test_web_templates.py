"""The shared layout and its macros, rendered without a browser: one layout, labelled fields, times
with their zone, static files with content hashes, and vendored files exactly as recorded."""

from __future__ import annotations

import hashlib
import re
from datetime import UTC, datetime, timedelta, timezone
from html.parser import HTMLParser

import pytest
from jinja2 import UndefinedError

from csto.web import (
    STATIC_DIR,
    Clock,
    Layout,
    NavItem,
    SeatBadge,
    environment,
    iso_minute,
    iso_second,
    machine,
    sse_message,
)

AT = datetime(2022, 1, 7, 12, 0, 5, tzinfo=UTC)


class Tags(HTMLParser):
    """Every start tag with its attributes, in order."""

    def __init__(self) -> None:
        super().__init__()
        self.tags: list[tuple[str, dict[str, str | None]]] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self.tags.append((tag, dict(attrs)))

    def all(self, tag: str) -> list[dict[str, str | None]]:
        return [a for t, a in self.tags if t == tag]


def tags(html: str) -> Tags:
    parser = Tags()
    parser.feed(html)
    return parser


def page(body: str, **context: object) -> str:
    env = environment()
    template = env.from_string(
        '{% extends "base.html" %}{% block main %}' + body + "{% endblock %}"
    )
    layout = Layout(
        title="Seat",
        exercise="Kazakhstan, January 2022",
        seat=SeatBadge("Kazakhstan", "playing seat", "KAZ"),
        clock=Clock(AT, "running", rate=4, stream="/events/clock"),
        nav=(NavItem("Seat", "/seat", current=True), NavItem("Map", "/map")),
    )
    return template.render(layout=layout, **context)


def test_times_show_their_zone() -> None:
    assert iso_minute(AT) == "2022-01-07 12:00 UTC"
    assert iso_second(AT) == "2022-01-07 12:00:05 UTC"
    almaty = AT.astimezone(timezone(timedelta(hours=6)))
    assert iso_minute(almaty) == "2022-01-07 18:00 +06:00"
    assert iso_minute(AT.astimezone(timezone(timedelta(hours=-3, minutes=-30)))) == (
        "2022-01-07 08:30 -03:30"
    )
    assert machine(almaty) == "2022-01-07T18:00:05+06:00"
    with pytest.raises(ValueError, match="time zone"):
        iso_minute(datetime(2022, 1, 7, 12, 0))


def test_the_layout_has_clock_seat_navigation_and_main() -> None:
    html = page("<p>inside</p>")
    t = tags(html)
    assert "<title>Seat · Kazakhstan, January 2022 · csto</title>" in html
    (clock,) = [a for a in t.all("div") if a.get("id") == "clock"]
    assert clock["role"] == "timer"
    assert clock["sse-connect"] == "/events/clock"
    assert (
        '<time class="clock-now" datetime="2022-01-07T12:00:05+00:00">2022-01-07 12:00 UTC' in html
    )
    assert "running, ×4" in html
    assert '<span class="seat-name">Kazakhstan</span>' in html
    current = [a for a in t.all("a") if a.get("aria-current") == "page"]
    assert [a["href"] for a in current] == ["/seat"]
    assert t.all("a")[0] == {"class": "skip", "href": "#main"}
    assert [a.get("id") for a in t.all("main")] == ["main"]
    assert t.all("html") == [{"lang": "en"}]
    assert html.index("<main") < html.index("<p>inside</p>") < html.index("</main>")


def test_every_script_and_stylesheet_is_local_with_a_content_hash() -> None:
    t = tags(page(""))
    urls = [a["src"] for a in t.all("script")] + [
        a["href"] for a in t.all("link") if a.get("rel") == "stylesheet"
    ]
    assert len(urls) == 4  # htmx, its SSE extension, csto.js, csto.css
    for url in urls:
        assert url is not None
        path, _, version = url.partition("?v=")
        assert path.startswith("/static/")
        data = (STATIC_DIR / path.removeprefix("/static/")).read_bytes()
        assert version == hashlib.sha256(data).hexdigest()[:10]
    with pytest.raises(ValueError, match="no static file"):
        environment().from_string("{{ asset('missing.js') }}").render()


def test_a_missing_value_is_an_error_not_a_blank() -> None:
    with pytest.raises(UndefinedError):
        environment().get_template("base.html").render()


def test_text_is_escaped() -> None:
    html = page("{{ x }}", x="<script>alert(1)</script>")
    assert "<script>alert(1)</script>" not in html
    assert "&lt;script&gt;" in html


FORM = """
{% import "macros/forms.html" as f %}
<form method="post" action="/x">
{{ f.csrf("tok") }}
{{ f.field("statement", "Statement", required=true, hint="What your state says") }}
{{ f.field("personnel", "Personnel", value=120, type="number", error="must be at least 1") }}
{{ f.when("at", "Exercise time", value=at) }}
{{ f.textarea("note", "Note", value="a <b> note") }}
{{ f.select("task", "Task", [("guard", "Guard sites"), ("patrol", "Patrol")], selected="patrol") }}
{{ f.choices("vote", "Your answer", [("support", "Support"), ("object", "Object")], required=true) }}
{{ f.submit("Send") }}
</form>
"""


def test_every_field_has_a_label_and_its_notes() -> None:
    html = page(FORM, at=AT)
    t = tags(html)
    labelled = {a["for"] for a in t.all("label")}
    controls = [a for tag in ("input", "textarea", "select") for a in t.all(tag)]
    visible = [a for a in controls if a.get("type") != "hidden"]
    assert len(visible) == 7
    assert all(a["id"] in labelled for a in visible)
    (statement,) = [a for a in visible if a["name"] == "statement"]
    assert statement["aria-describedby"] == "f-statement-hint"
    assert "required" in statement
    (personnel,) = [a for a in visible if a["name"] == "personnel"]
    assert personnel["aria-invalid"] == "true"
    assert personnel["value"] == "120"
    assert 'id="f-personnel-error"' in html
    (at,) = [a for a in visible if a["name"] == "at"]
    assert (at["type"], at["value"], at["inputmode"]) == ("text", "2022-01-07 12:00", "numeric")
    assert re.fullmatch(str(at["pattern"]), "2022-01-07 12:00")
    assert not re.fullmatch(str(at["pattern"]), "07/01/2022 12:00")
    assert at["aria-describedby"] == "f-at-hint"
    assert "Exercise time (UTC)" in html
    assert "YYYY-MM-DD HH:MM" in html
    assert "a &lt;b&gt; note" in html
    assert re.search(r'<option value="patrol" selected>', html)
    assert "<legend>Your answer" in html
    assert [a["value"] for a in t.all("input") if a.get("type") == "hidden"] == ["tok"]


VENDORED = {
    "vendor/htmx/htmx.min.js": ("2.0.11", 'version:"2.0.11"'),
    "vendor/htmx-ext-sse/sse.min.js": ("2.2.4", 'defineExtension("sse"'),
}


@pytest.mark.parametrize("path", sorted(VENDORED))
def test_vendored_files_are_the_recorded_ones(path: str) -> None:
    readme = (STATIC_DIR / "vendor" / "README.md").read_text()
    data = (STATIC_DIR / path).read_bytes()
    relative = path.removeprefix("vendor/")
    assert f"{hashlib.sha256(data).hexdigest()}  {relative}" in readme
    version, marker = VENDORED[path]
    assert version in readme
    assert marker in data.decode()
    assert (STATIC_DIR / path).with_name("LICENSE").exists()


def test_the_public_surface_is_pinned() -> None:
    import csto.web

    assert all(hasattr(csto.web, name) for name in csto.web.__all__)
    assert {"Layout", "environment", "render_map", "SituationMap", "Movement"} <= set(
        csto.web.__all__
    )


def test_a_fragment_becomes_one_server_sent_event() -> None:
    assert sse_message("clock", "<time>\n12:00</time>", id=7) == (
        "event: clock\nid: 7\ndata: <time>\ndata: 12:00</time>\n\n"
    )
    assert sse_message("feed", "x", retry_ms=2000).startswith("event: feed\nretry: 2000\n")
    with pytest.raises(ValueError, match="one line"):
        sse_message("a\nb", "x")
