"""The exercise in the browser: the shared page layout, its templates and static files, and the
situation map. The server (csto.api) renders these; nothing here serves HTTP or holds state.

    templating   Layout, SeatBadge, Clock, NavItem, environment(), STATIC_DIR, TEMPLATES_DIR
    timefmt      iso_minute, iso_second, iso_date, machine: ISO 8601 with the zone shown
    streams      sse_message(): an HTML fragment as one server-sent event
    atlas        Atlas: Natural Earth's countries, shipped in data/world-atlas/
    frame        Box, REGION, Frame: what the map shows, Albers equal-area (pyproj)
    movements    Movement, Point, Leg, Position, Status, movements_from_events/_run
    svgmap       Role, SituationMap, render_map, roles_for: the map as SVG at an exercise time
    svgstyle     the map's own stylesheet and legend
    labels       where the map writes the states' names, apart from each other

Static files: static/csto.css (ours), static/vendor/ (htmx and its SSE extension, with their
licences and versions in static/vendor/README.md). No JavaScript build step.
"""

from csto.web.atlas import Atlas, Country
from csto.web.frame import REGION, Box, Frame
from csto.web.movements import (
    Leg,
    Movement,
    Point,
    Position,
    Status,
    movements_from_events,
    movements_from_run,
)
from csto.web.streams import sse_message
from csto.web.svgmap import Role, SituationMap, render_map, roles_for
from csto.web.templating import (
    STATIC_DIR,
    TEMPLATES_DIR,
    Clock,
    Layout,
    NavItem,
    SeatBadge,
    environment,
)
from csto.web.timefmt import iso_date, iso_minute, iso_second, machine

__all__ = [
    "REGION",
    "STATIC_DIR",
    "TEMPLATES_DIR",
    "Atlas",
    "Box",
    "Clock",
    "Country",
    "Frame",
    "Layout",
    "Leg",
    "Movement",
    "NavItem",
    "Point",
    "Position",
    "Role",
    "SeatBadge",
    "SituationMap",
    "Status",
    "environment",
    "iso_date",
    "iso_minute",
    "iso_second",
    "machine",
    "movements_from_events",
    "movements_from_run",
    "render_map",
    "roles_for",
    "sse_message",
]
