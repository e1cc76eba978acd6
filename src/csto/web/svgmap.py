"""The situation map as SVG, drawn on the server: member states, the crisis territory, and each
contingent's origin, route and position at a moment of exercise time.

    Role                  member, territory (of the crisis) or opposing (a state party to it)
    SituationMap          the states, the movements and the frame, projected once;
                          .svg(at) the picture at a time, .positions(at) the same as rows
    render_map(h, m, at)  one picture: SituationMap(...).svg(at)
    roles_for(org, c)     the roles of a crisis: members on its date, its territory, its opponents

The SVG is plain markup (ElementTree escapes every text), styled by its own <style> so it looks the
same inline in a page, alone in a file or printed. What a test or a script can find in it:
    path#country-KAZ.country.territory[data-iso3=KAZ]   one per state drawn, with <title>
    path#route-RUS-in.route                             a contingent's whole route (geodesic)
    g#position-RUS-in.position[data-status=moving]      its marker at `at`, with data-lon/-lat/-share
A country on the map is drawn from Natural Earth (csto.web.atlas); a place given as an ISO code is
the inner point (pole of inaccessibility) of the part of that country the map shows.
"""

from __future__ import annotations

import xml.etree.ElementTree as ET
from collections.abc import Mapping, Sequence
from datetime import UTC, datetime
from enum import StrEnum
from functools import cached_property

import numpy as np
from shapely.geometry import Polygon
from shapely.geometry import box as shapely_box
from shapely.geometry.base import BaseGeometry
from shapely.ops import polylabel

from csto.domain import Organization
from csto.domain.crisis import Crisis
from csto.web.atlas import Atlas, Country
from csto.web.frame import REGION, Box, Frame
from csto.web.labels import Candidate, place_labels
from csto.web.movements import Leg, Movement, Place, Point, Position, Status, active
from csto.web.svgstyle import STYLE, legend, legend_box
from csto.web.timefmt import iso_minute


class Role(StrEnum):
    MEMBER = "member"
    TERRITORY = "territory"
    OPPOSING = "opposing"


ROLE_TEXT = {
    Role.MEMBER: "member state",
    Role.TERRITORY: "crisis territory",
    Role.OPPOSING: "opposing state",
}
LABEL_MIN_AREA = 1800.0  # px²: smaller countries that play no part keep their name to the tooltip
STACK = 18.0  # px between markers that stand at the same place


def _path(shape: BaseGeometry) -> str:
    """SVG path data for a (multi)polygon in pixels, to a tenth of a pixel."""
    parts = []
    for poly in getattr(shape, "geoms", [shape]):
        if not isinstance(poly, Polygon) or poly.is_empty:
            continue
        for ring in (poly.exterior, *poly.interiors):
            xy = np.asarray(ring.coords)[:-1]
            if len(xy) >= 3:
                head, *tail = (f"{x:.1f},{y:.1f}" for x, y in xy)
                parts.append("M" + head + "L" + " ".join(tail) + "Z")
    return "".join(parts)


def _line(points: np.ndarray) -> str:
    head, *tail = (f"{x:.1f},{y:.1f}" for x, y in points)
    return "M" + head + "L" + " ".join(tail)


def _largest(shape: BaseGeometry) -> Polygon | None:
    polys = [p for p in getattr(shape, "geoms", [shape]) if isinstance(p, Polygon)]
    return max(polys, key=lambda p: p.area) if polys else None


class SituationMap:
    """The states and movements of one exercise, projected once, drawn at any time."""

    def __init__(
        self,
        atlas: Atlas,
        highlight: Mapping[str, Role],
        movements: Sequence[Movement] = (),
        *,
        box: Box | None = None,
        width: int = 1000,
        ids: str = "",
    ) -> None:
        for code in highlight:
            atlas.country(code)  # NotFound names the code and the codes the atlas knows
        self.atlas = atlas
        self.highlight = {code: Role(role) for code, role in highlight.items()}
        self.movements = tuple(movements)
        self.ids = ids
        self.frame = Frame(box or self._fit(), width)

    # --- geometry, computed once ---------------------------------------------------------------

    def _fit(self) -> Box:
        """REGION, stretched to the crisis territory and to every place a contingent moves."""
        fit = REGION
        for code, role in self.highlight.items():
            if role is Role.TERRITORY:
                west, south, east, north = self.atlas.country(code).largest.bounds
                fit = fit.union(Box.around([(west, south), (east, north)], margin=2.0))
        for m in self.movements:
            for place in (m.origin, m.destination):
                lon, lat = self._rough(place)
                if not fit.contains(lon, lat):
                    fit = fit.union(Box.around([(lon, lat)], margin=3.0))
        return fit

    def _rough(self, place: Place) -> tuple[float, float]:
        if isinstance(place, Point):
            return place.lon, place.lat
        country = self.atlas.country(place)
        region = shapely_box(REGION.west, REGION.south, REGION.east, REGION.north)
        inside = _largest(country.shape.intersection(region)) or country.largest
        point = inside.representative_point()
        return point.x, point.y

    @cached_property
    def drawn(self) -> list[tuple[Country, BaseGeometry]]:
        """Every country the picture shows, in pixels."""
        out = []
        for country in self.atlas.within(self.frame.clip_box):
            shape = self.frame.project(country.shape)
            if not shape.is_empty:
                out.append((country, shape))
        return out

    @cached_property
    def anchors(self) -> dict[str, tuple[float, float]]:
        """ISO code -> inner point in pixels of the country's largest visible part."""
        out = {}
        for country, shape in self.drawn:
            largest = _largest(shape)
            if country.iso3 and largest is not None and largest.area > 0:
                p = polylabel(largest, tolerance=1.0)
                out[country.iso3] = (p.x, p.y)
        return out

    def _place(self, place: Place) -> tuple[float, float]:
        """A place in degrees."""
        if isinstance(place, Point):
            return place.lon, place.lat
        if place in self.anchors:
            x, y = self.anchors[place]
            lon, lat = self.frame.to_lonlat(np.array([[x, y]]))[0]
            return float(lon), float(lat)
        return self._rough(place)

    @cached_property
    def legs(self) -> list[Leg]:
        return [Leg(m, self._place(m.origin), self._place(m.destination)) for m in self.movements]

    def positions(self, at: datetime) -> list[tuple[Leg, Position]]:
        """Each contingent's current leg and where it is, in the order they set off."""
        now = active(self.legs, at)
        return sorted(((g, g.position_at(at)) for g in now), key=lambda p: p[0].movement.departs)

    # --- drawing -------------------------------------------------------------------------------

    def _id(self, name: str) -> str:
        return f"{self.ids}{name}"

    def svg(self, at: datetime, title: str | None = None) -> str:
        if at.tzinfo is None:
            raise ValueError("at: a time with its time zone, such as 2022-01-07T12:00:00+00:00")
        f = self.frame
        heading = title or f"Situation map at {iso_minute(at)}"
        root = ET.Element(
            "svg",
            {
                "xmlns": "http://www.w3.org/2000/svg",
                "viewBox": f"0 0 {f.width} {f.height}",
                "class": "csto-map",
                "role": "img",
                "aria-labelledby": f"{self._id('map-title')} {self._id('map-desc')}",
                "data-at": at.astimezone(UTC).isoformat(),
            },
        )
        ET.SubElement(root, "title", id=self._id("map-title")).text = heading
        positions = self.positions(at)
        ET.SubElement(root, "desc", id=self._id("map-desc")).text = self._describe(positions)
        ET.SubElement(root, "style").text = STYLE
        self._defs(root)
        ET.SubElement(
            root, "rect", {"class": "sea", "width": str(f.width), "height": str(f.height)}
        )
        self._graticule(root)
        self._countries(root)
        self._labels(root)
        self._movements(root, positions)
        legend(root, f, at, self.atlas.source, self.atlas.via, self.highlight, self._id("hatch"))
        return ET.tostring(root, encoding="unicode")

    def _describe(self, positions: list[tuple[Leg, Position]]) -> str:
        states = "; ".join(
            f"{self.atlas.country(c).name} ({c}): {ROLE_TEXT[r]}"
            for c, r in sorted(self.highlight.items())
        )
        moves = "; ".join(
            f"{g.movement.contingent} ({g.movement.personnel:,} personnel) {p.status.value}"
            for g, p in positions
        )
        return f"{states}." + (f" Contingents: {moves}." if moves else "")

    def _defs(self, root: ET.Element) -> None:
        defs = ET.SubElement(root, "defs")
        hatch = ET.SubElement(
            defs,
            "pattern",
            {
                "id": self._id("hatch"),
                "width": "8",
                "height": "8",
                "patternUnits": "userSpaceOnUse",
                "patternTransform": "rotate(45)",
            },
        )
        ET.SubElement(hatch, "rect", {"class": "hatch-ground", "width": "8", "height": "8"})
        ET.SubElement(
            hatch, "line", {"class": "hatch-line", "x1": "0", "y1": "0", "x2": "0", "y2": "8"}
        )
        arrow = ET.SubElement(
            defs,
            "marker",
            {
                "id": self._id("arrow"),
                "viewBox": "0 0 10 10",
                "refX": "9",
                "refY": "5",
                "markerWidth": "7",
                "markerHeight": "7",
                "orient": "auto-start-reverse",
            },
        )
        ET.SubElement(arrow, "path", {"class": "arrowhead", "d": "M0,0L10,5L0,10Z"})

    def _graticule(self, root: ET.Element) -> None:
        g = ET.SubElement(root, "g", {"class": "graticule", "aria-hidden": "true"})
        west, south, east, north = self.frame.clip_box.bounds
        lines = []
        for lon in range(int(west // 10 * 10), int(east) + 1, 10):
            lats = np.linspace(max(south, -80), min(north, 80), 60)
            lines.append(np.column_stack([np.full(60, lon), lats]))
        for lat in range(int(south // 10 * 10), int(north) + 1, 10):
            lons = np.linspace(west, east, 120)
            lines.append(np.column_stack([lons, np.full(120, lat)]))
        ET.SubElement(g, "path", {"d": "".join(_line(self.frame.to_px(ln)) for ln in lines)})

    def _countries(self, root: ET.Element) -> None:
        g = ET.SubElement(root, "g", {"class": "countries"})
        for country, shape in self.drawn:
            role = self.highlight.get(country.iso3 or "")
            attrs = {"class": f"country {role.value if role else 'other'}", "d": _path(shape)}
            if country.iso3:
                attrs |= {"id": self._id(f"country-{country.iso3}"), "data-iso3": country.iso3}
            if role:
                attrs["data-role"] = role.value
            if role is Role.TERRITORY:
                attrs["style"] = f"fill: url(#{self._id('hatch')})"
            el = ET.SubElement(g, "path", attrs)
            code = f" ({country.iso3})" if country.iso3 else ""
            what = f": {ROLE_TEXT[role]}" if role else ""
            ET.SubElement(el, "title").text = f"{country.name}{code}{what}"

    def _labels(self, root: ET.Element) -> None:
        """Names at the anchors, the played states first (csto.web.labels keeps them apart)."""
        g = ET.SubElement(root, "g", {"class": "labels", "aria-hidden": "true"})
        order = {Role.TERRITORY: 0, Role.OPPOSING: 1, Role.MEMBER: 2}
        ranked = []
        for country, shape in self.drawn:
            code, largest = country.iso3 or "", _largest(shape)
            if not code or code not in self.anchors or largest is None:
                continue
            role = self.highlight.get(code)
            if role is None and largest.area < LABEL_MIN_AREA:
                continue
            x, y = self.anchors[code]
            rank = (order[role] if role else 3, -largest.area)
            ranked.append((rank, Candidate(code, country.name, x, y, role is not None)))
        keep_out = [legend_box(self.frame, self.highlight)]
        for label in place_labels((c for _, c in sorted(ranked, key=lambda r: r[0])), keep_out):
            kind = "label strong" if label.played else "label"
            attrs = {"class": kind, "x": f"{label.x:.1f}", "y": f"{label.y:.1f}"}
            ET.SubElement(
                g, "text", attrs | {"id": self._id(f"label-{label.code}")}
            ).text = label.name

    def _movements(self, root: ET.Element, positions: list[tuple[Leg, Position]]) -> None:
        routes = ET.SubElement(root, "g", {"class": "routes"})
        marks = ET.SubElement(root, "g", {"class": "positions"})
        seen: dict[tuple[int, int], int] = {}
        for leg, pos in positions:
            name = f"{leg.movement.contingent}-{'in' if leg.movement.inbound else 'home'}"
            if pos.status is not Status.HOME:  # once home, only the marker stays
                self._route(routes, leg, pos, name)
            x, y = self.frame.point(pos.lon, pos.lat)
            spot = (round(x / 6), round(y / 6))
            y += STACK * seen.get(spot, 0)  # markers at one place stand in a column
            seen[spot] = seen.get(spot, 0) + 1
            self._marker(marks, leg, pos, name, x, y)

    def _route(self, g: ET.Element, leg: Leg, pos: Position, name: str) -> None:
        m = leg.movement
        line = self.frame.to_px(np.asarray(leg.route()))
        direction = "inbound" if m.inbound else "homebound"
        attrs = {
            "id": self._id(f"route-{name}"),
            "class": f"route {direction}",
            "d": _line(line),
            "marker-end": f"url(#{self._id('arrow')})",
        }
        route = ET.SubElement(g, "path", attrs)
        ET.SubElement(route, "title").text = (
            f"{m.contingent}: {leg.length_km:,.0f} km, leaves {iso_minute(m.departs)}, "
            f"all landed {iso_minute(m.arrives)}"
        )
        if pos.status is Status.MOVING:  # the route's points are evenly spaced: cut at the share
            passed = line[: int(pos.share * (len(line) - 1)) + 1]
            done = np.vstack([passed, self.frame.to_px(np.array([[pos.lon, pos.lat]]))])
            ET.SubElement(g, "path", {"class": f"flown {direction}", "d": _line(done)})
        x0, y0 = line[0]
        square = {"class": "origin", "x": f"{x0 - 4:.1f}", "y": f"{y0 - 4:.1f}"}
        ET.SubElement(g, "rect", square | {"width": "8", "height": "8"})

    def _marker(
        self, g: ET.Element, leg: Leg, pos: Position, name: str, x: float, y: float
    ) -> None:
        m = leg.movement
        attrs = {
            "id": self._id(f"position-{name}"),
            "class": f"position {pos.status.value}",
            "data-contingent": m.contingent,
            "data-status": pos.status.value,
            "data-lon": f"{pos.lon:.4f}",
            "data-lat": f"{pos.lat:.4f}",
            "data-share": f"{pos.share:.4f}",
            "transform": f"translate({x:.1f},{y:.1f})",
        }
        mark = ET.SubElement(g, "g", attrs)
        ET.SubElement(mark, "title").text = (
            f"{m.contingent}, {m.personnel:,} personnel: {pos.status.value} "
            f"({pos.share:.0%} of {leg.length_km:,.0f} km)"
        )
        ET.SubElement(mark, "circle", {"r": "6"})
        ET.SubElement(mark, "text", {"x": "10", "y": "4"}).text = f"{m.contingent} {m.personnel:,}"


def roles_for(org: Organization, crisis: Crisis) -> dict[str, Role]:
    """The states to colour for a crisis: the members on its date, its territory, and the states
    opposing it (a member can be the territory; an opposing state can be a member)."""
    roles = {s.code: Role.MEMBER for s in org.members(crisis.date)}
    roles |= dict.fromkeys(crisis.situation.opposing_states, Role.OPPOSING)
    roles[crisis.situation.territory] = Role.TERRITORY
    return roles


def render_map(
    highlight: Mapping[str, Role],
    movements: Sequence[Movement],
    at: datetime,
    *,
    atlas: Atlas | None = None,
    box: Box | None = None,
    width: int = 1000,
    title: str | None = None,
) -> str:
    """The map at one time, as an SVG document. Pass the server's Atlas: loading one takes most of a second."""
    chart = SituationMap(atlas or Atlas.load(), highlight, movements, box=box, width=width)
    return chart.svg(at, title)
