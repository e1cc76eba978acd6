"""The one layout every page shares, and the Jinja environment that renders it.

    Layout        what base.html needs: title, exercise, seat, clock, navigation, notices, and
                  for a live page its stream, its CSRF token and the panels a change refreshes
    SeatBadge     who is looking: the state (or cell) and the seat's role
    Clock         the exercise clock as the header shows it, and its live stream, if any
    NavItem       one link of the navigation; `current` marks the page shown (aria-current)
    environment(static_url="/static", extra=())   a Jinja environment over csto/web/templates
                  (and any `extra` folders), with
                  autoescaping, undefined names as errors, the time filters (iso_minute,
                  iso_second, iso_date, machine, input_minute) and asset(path): a static URL
                  with a content hash, so a new release is never served from a stale cache
    STATIC_DIR, TEMPLATES_DIR   where the files are (mount STATIC_DIR at static_url)

A page template extends "base.html" and fills {% block main %}; it receives `layout` and whatever
else it shows. Macros: "macros/forms.html" (fields with labels, hints and errors; radio groups in a
fieldset; a CSRF field; submit) and "macros/time.html" (a time, a date, the clock face).
"""

from __future__ import annotations

import hashlib
from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import UTC, datetime
from pathlib import Path

from jinja2 import Environment, FileSystemLoader, StrictUndefined, select_autoescape

from csto import __version__
from csto.web.timefmt import iso_date, iso_minute, iso_second, machine

HERE = Path(__file__).resolve().parent
STATIC_DIR = HERE / "static"
TEMPLATES_DIR = HERE / "templates"


@dataclass(frozen=True)
class NavItem:
    label: str
    href: str
    current: bool = False


@dataclass(frozen=True)
class SeatBadge:
    name: str  # "Kazakhstan", "White cell", "Crisis Response Center"
    role: str  # "playing seat", "director", "observer (read-only)"
    iso3: str | None = None


@dataclass(frozen=True)
class Clock:
    now: datetime
    state: str  # "running", "paused", "not started", "ended"
    rate: float = 1.0  # exercise seconds per wall-clock second
    stream: str | None = None  # an SSE URL whose "clock" events replace the clock face


@dataclass(frozen=True)
class Layout:
    title: str
    exercise: str | None = None
    seat: SeatBadge | None = None
    clock: Clock | None = None
    nav: tuple[NavItem, ...] = ()
    notices: tuple[str, ...] = ()
    home: str = "/"
    lang: str = "en"
    extra: dict[str, str] = field(default_factory=dict)  # data-* attributes for <body>
    live: str | None = None  # an SSE URL the page listens to (htmx's sse extension, on <body>)
    csrf: str | None = None  # sent by htmx with every request, in the X-CSRF-Token header
    refresh: str | None = None  # the page's own URL: fetched again on each `changed` event
    panels: tuple[str, ...] = ()  # the ids of the parts swapped from that fetch


def input_minute(t: datetime) -> str:
    """A time in UTC as a form field holds it: 2022-01-07 12:00 (the field's label says UTC)."""
    return t.astimezone(UTC).strftime("%Y-%m-%d %H:%M")


def _hashes(root: Path) -> dict[str, str]:
    return {
        p.relative_to(root).as_posix(): hashlib.sha256(p.read_bytes()).hexdigest()[:10]
        for p in root.rglob("*")
        if p.is_file()
    }


def environment(static_url: str = "/static", extra: Sequence[Path] = ()) -> Environment:
    """`extra`: more template folders, searched after csto's own (a test's pages, for one)."""
    env = Environment(
        loader=FileSystemLoader([TEMPLATES_DIR, *extra]),
        autoescape=select_autoescape(("html", "svg", "xml"), default_for_string=True),
        undefined=StrictUndefined,
        trim_blocks=True,
        lstrip_blocks=True,
    )
    hashes = _hashes(STATIC_DIR)
    prefix = static_url.rstrip("/")

    def asset(path: str) -> str:
        if path not in hashes:
            raise ValueError(f"no static file {path!r} in {STATIC_DIR}")
        return f"{prefix}/{path}?v={hashes[path]}"

    env.filters |= {
        "iso_minute": iso_minute,
        "iso_second": iso_second,
        "iso_date": iso_date,
        "machine": machine,
        "input_minute": input_minute,
    }
    env.globals |= {"asset": asset, "csto_version": __version__}
    return env
