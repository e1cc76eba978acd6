"""The situation map: Natural Earth decoded right, the states and the territory drawn with their ISO
codes, routes as geodesics, and each contingent where the exercise clock says it is."""

from __future__ import annotations

import itertools
import xml.etree.ElementTree as ET
from datetime import UTC, datetime, timedelta

import numpy as np
import pytest
import shapely
from pydantic import ValidationError
from pyproj import Geod
from shapely.geometry import Point as ShapelyPoint

from csto.domain import NotFound
from csto.sim import EventRecord, simulate
from csto.web import (
    REGION,
    Atlas,
    Box,
    Frame,
    Movement,
    Point,
    Role,
    SituationMap,
    Status,
    movements_from_events,
    movements_from_run,
    render_map,
    roles_for,
)
from csto.web.atlas import COUNTRIES_50M, NUMERIC_TO_ISO3, decode_topology, numeric_snapshot

from .worlds import WORLD, case

SVG = "{http://www.w3.org/2000/svg}"
MEMBERS = ["ARM", "BLR", "KAZ", "KGZ", "RUS", "TJK"]
T0 = datetime(2022, 1, 6, 6, 0, tzinfo=UTC)
GEOD = Geod(ellps="WGS84")


@pytest.fixture(scope="module")
def atlas() -> Atlas:
    return Atlas.load()


def kazakhstan() -> dict[str, Role]:
    return dict.fromkeys(MEMBERS, Role.MEMBER) | {"KAZ": Role.TERRITORY}


def flight(**changes: object) -> Movement:
    fields: dict[str, object] = {
        "contingent": "RUS",
        "personnel": 1760,
        "origin": "RUS",
        "destination": "KAZ",
        "departs": T0,
        "arrives": T0 + timedelta(hours=10),
    }
    return Movement.model_validate(fields | changes)


def parse(svg: str) -> ET.Element:
    return ET.fromstring(svg)


def by_id(root: ET.Element, ident: str) -> ET.Element:
    found = [el for el in root.iter() if el.get("id") == ident]
    assert len(found) == 1, ident
    return found[0]


def title(el: ET.Element) -> str:
    t = el.find(f"{SVG}title")
    assert t is not None
    assert t.text
    return t.text


# --- the atlas ---------------------------------------------------------------------------------


def test_numeric_codes_match_pycountry() -> None:
    assert sorted(NUMERIC_TO_ISO3.items()) == numeric_snapshot()


def test_topojson_quantized_arcs_and_reversed_arcs_decode() -> None:
    # Two unit squares sharing an edge (arc 1), the second walking it backwards (~1 == -2);
    # quantized: positions are deltas, scaled by 0.5 and moved by (10, 20).
    topology = {
        "type": "Topology",
        "transform": {"scale": [0.5, 0.5], "translate": [10, 20]},
        "arcs": [
            [[2, 0], [-2, 0], [0, 2], [2, 0]],  # (11,20) (10,20) (10,21) (11,21)
            [[2, 2], [0, -2]],  # (11,21) -> (11,20): the shared edge
            [[2, 2], [2, 0], [0, -2], [-2, 0]],  # (11,21) (12,21) (12,20) (11,20)
        ],
        "objects": {
            "shapes": {
                "type": "GeometryCollection",
                "geometries": [
                    {"type": "Polygon", "arcs": [[0, 1]], "id": "1", "properties": {"name": "W"}},
                    {"type": "Polygon", "arcs": [[-2, 2]], "id": "2", "properties": {"name": "E"}},
                ],
            }
        },
    }
    (i1, p1, west), (i2, _, east) = decode_topology(topology, "shapes")
    assert (i1, p1, i2) == ("1", {"name": "W"}, "2")
    assert list(west.exterior.coords) == [(11, 20), (10, 20), (10, 21), (11, 21), (11, 20)]
    assert list(east.exterior.coords) == [(11, 20), (11, 21), (12, 21), (12, 20), (11, 20)]
    assert west.area == east.area == 1.0
    assert west.intersection(east).length == 1.0  # they share exactly the edge


def km2(shape: object) -> float:
    return abs(GEOD.geometry_area_perimeter(shape)[0]) / 1e6


def test_the_decoding_agrees_with_the_topojson_package(atlas: Atlas) -> None:
    """The topojson package decodes the same file to the same countries. Its shapes are read
    flat, so they are compared by area on the ellipsoid, which is right for Russia's ring that
    crosses the antimeridian too (ours is cut there, so it is also right on the plane)."""
    import json

    from shapely.geometry import shape
    from topojson.utils import serialize_as_geojson

    topology = json.loads(COUNTRIES_50M.read_text())
    theirs = serialize_as_geojson(topology, objectname="countries", order="CW_CCW")["features"]
    assert len(theirs) == len(atlas.countries) == 241
    for feature, country in zip(theirs, atlas.countries, strict=True):
        assert feature["properties"]["name"] == country.name
        theirs_shape = shape(feature["geometry"])
        if theirs_shape.bounds[1] < -89.9:
            continue  # a shape round the pole (Antarctica) has no flat form to compare
        assert km2(country.shape) == pytest.approx(km2(theirs_shape), rel=1e-3), country.name


def test_the_shapes_are_right_on_the_plane(atlas: Atlas) -> None:
    assert all(c.shape.is_valid for c in atlas.countries)
    # the areas the statistics give (Natural Earth's 1:50m lines are a little short of them)
    assert km2(atlas.country("RUS").shape) == pytest.approx(17.1e6, rel=0.02)  # with Crimea
    assert km2(atlas.country("KAZ").shape) == pytest.approx(2.7249e6, rel=0.01)
    assert km2(atlas.country("ARM").shape) == pytest.approx(29_743, rel=0.03)
    fiji = atlas.country("FJI").shape
    assert km2(fiji) == pytest.approx(18_274, rel=0.05)
    assert fiji.bounds[0] == -180
    assert fiji.bounds[2] == 180
    # planar area agrees with the ellipsoid's to the shape of the country: no wrapped rings
    russia = atlas.country("RUS").shape
    assert russia.area < 3400  # square degrees; a ring wrapped the wrong way adds thousands


def test_the_members_are_where_the_atlas_puts_them(atlas: Atlas) -> None:
    kaz = atlas.country("KAZ")
    assert kaz.name == "Kazakhstan"
    assert kaz.shape.contains(ShapelyPoint(76.9, 43.25))  # Almaty
    assert atlas.country("ARM").shape.contains(ShapelyPoint(44.51, 40.18))  # Yerevan
    assert atlas.country("BLR").shape.contains(ShapelyPoint(27.56, 53.90))  # Minsk
    assert not kaz.shape.contains(ShapelyPoint(69.24, 41.3))  # Tashkent
    assert atlas.country("RUS").shape.contains(ShapelyPoint(175.0, 66.5))  # Chukotka, by 180°
    with pytest.raises(NotFound, match="'XXX'"):
        atlas.country("XXX")


# --- the frame ---------------------------------------------------------------------------------


def test_the_frame_shows_the_region_and_inverts() -> None:
    frame = Frame(REGION, width=1000)
    assert 400 < frame.height < 600  # wider than tall, as the region is
    pts = np.array([[REGION.west, REGION.south], [REGION.east, REGION.north], [71.4, 51.1]])
    px = frame.to_px(pts)
    assert ((px >= -0.5) & (px <= [1000.5, frame.height + 0.5])).all()
    assert np.allclose(frame.to_lonlat(px), pts, atol=1e-6)
    # north is up and east is right
    astana, almaty = frame.point(71.4, 51.1), frame.point(76.9, 43.25)
    assert almaty[1] > astana[1]
    assert almaty[0] > astana[0]


def test_a_box_must_be_a_box() -> None:
    with pytest.raises(ValueError, match="west < east"):
        Box(50, 30, 40, 60)


# --- what the map draws -------------------------------------------------------------------------


def test_members_and_territory_drawn_with_iso_codes(atlas: Atlas) -> None:
    root = parse(render_map(kazakhstan(), [], T0, atlas=atlas))
    assert root.tag == f"{SVG}svg"
    for code in MEMBERS:
        el = by_id(root, f"country-{code}")
        assert el.get("data-iso3") == code
        assert f"({code})" in title(el)
        assert el.get("d", "").startswith("M")
    kaz = by_id(root, "country-KAZ")
    assert kaz.get("data-role") == "territory"
    assert "crisis territory" in title(kaz)
    assert by_id(root, "country-RUS").get("data-role") == "member"
    # neighbours are drawn too, as plain land, so the map reads as a map
    assert by_id(root, "country-UZB").get("class") == "country other"
    assert by_id(root, "country-CHN").get("data-role") is None
    assert title(root) == "Situation map at 2022-01-06 06:00 UTC"
    labels = {el.text for el in root.iter(f"{SVG}text") if "label" in el.get("class", "")}
    assert {"Kazakhstan", "Russia", "Armenia", "Belarus", "Kyrgyzstan", "Tajikistan"} <= labels


def test_the_seas_show(atlas: Atlas) -> None:
    """No shape wrapped the wrong way round the world covers the picture: the Caspian, the Black
    Sea and the Baltic leave about a tenth of it to the sea."""
    chart = SituationMap(atlas, kazakhstan())
    land = shapely.union_all([shape for _, shape in chart.drawn])
    picture = chart.frame.width * chart.frame.height
    assert 0.80 < land.area / picture < 0.95
    caspian = chart.frame.point(50.5, 42.0)  # the middle of the Caspian Sea
    assert not land.contains(ShapelyPoint(*caspian))


def test_far_countries_are_left_out(atlas: Atlas) -> None:
    root = parse(render_map(kazakhstan(), [], T0, atlas=atlas))
    ids = {el.get("id") for el in root.iter()}
    assert "country-BRA" not in ids
    assert "country-USA" not in ids
    assert "country-AUS" not in ids


def test_an_unknown_state_is_refused(atlas: Atlas) -> None:
    with pytest.raises(NotFound, match="'QQQ'"):
        render_map({"QQQ": Role.MEMBER}, [], T0, atlas=atlas)


def test_a_time_without_a_zone_is_refused(atlas: Atlas) -> None:
    with pytest.raises(ValueError, match="time zone"):
        render_map(kazakhstan(), [], datetime(2022, 1, 6, 6, 0), atlas=atlas)


def test_a_movement_cannot_arrive_before_it_leaves() -> None:
    with pytest.raises(ValidationError, match="arrives"):
        flight(arrives=T0 - timedelta(hours=1))
    with pytest.raises(ValidationError, match="ISO 3166"):
        flight(origin="Moscow")


# --- movements over time ------------------------------------------------------------------------


def test_route_is_a_geodesic_path_from_origin_to_destination(atlas: Atlas) -> None:
    chart = SituationMap(atlas, kazakhstan(), [flight()])
    (leg,) = chart.legs
    root = parse(chart.svg(T0 + timedelta(hours=5)))
    route = by_id(root, "route-RUS-in")
    assert route.tag == f"{SVG}path"
    assert "route inbound" in route.get("class", "")
    assert route.get("d", "").count(",") == 50  # start, 48 points between, end
    assert "km" in title(route)
    # the anchors stand inside their countries
    assert atlas.country("RUS").shape.contains(ShapelyPoint(*leg.start))
    assert atlas.country("KAZ").shape.contains(ShapelyPoint(*leg.end))
    # every point of the route is on the geodesic: distances add up
    pts = leg.route()
    legs = [GEOD.inv(*a, *b)[2] for a, b in itertools.pairwise(pts)]
    assert sum(legs) == pytest.approx(leg.length_km * 1000, rel=1e-6)


@pytest.mark.parametrize(
    ("hours", "status", "share"),
    [(-2, Status.WAITING, 0.0), (0, Status.MOVING, 0.0), (2.5, Status.MOVING, 0.25),
     (5, Status.MOVING, 0.5), (10, Status.ARRIVED, 1.0), (30, Status.ARRIVED, 1.0)],
)  # fmt: skip
def test_positions_are_interpolated_by_time(
    atlas: Atlas, hours: float, status: Status, share: float
) -> None:
    chart = SituationMap(atlas, kazakhstan(), [flight()])
    at = T0 + timedelta(hours=hours)
    ((leg, pos),) = chart.positions(at)
    assert pos.status is status
    assert pos.share == pytest.approx(share)
    flown = GEOD.inv(*leg.start, pos.lon, pos.lat)[2] / 1000
    assert flown == pytest.approx(share * leg.length_km, abs=0.01)
    mark = by_id(parse(chart.svg(at)), "position-RUS-in")
    assert mark.get("data-status") == status.value
    assert float(mark.get("data-lon", "nan")) == pytest.approx(pos.lon, abs=1e-4)
    assert float(mark.get("data-share", "nan")) == pytest.approx(share, abs=1e-4)
    assert "1,760 personnel" in title(mark)


def test_the_marker_moves_across_the_picture(atlas: Atlas) -> None:
    chart = SituationMap(atlas, kazakhstan(), [flight()])

    def where(hours: float) -> tuple[float, float]:
        mark = by_id(parse(chart.svg(T0 + timedelta(hours=hours))), "position-RUS-in")
        x, y = mark.get("transform", "")[len("translate(") : -1].split(",")
        return float(x), float(y)

    start, middle, end = where(0), where(5), where(10)
    # flying south-east from western Russia to central Kazakhstan: right and down
    assert start[0] < middle[0] < end[0]
    assert start[1] < middle[1] < end[1]


def test_an_explicit_place_and_the_flight_home(atlas: Atlas) -> None:
    ivanovo = Point(name="Ivanovo", lon=40.97, lat=57.0)
    out = flight(origin=ivanovo, destination="KAZ")
    back = flight(
        origin="KAZ",
        destination=ivanovo,
        departs=T0 + timedelta(days=5),
        arrives=T0 + timedelta(days=5, hours=8),
        inbound=False,
    )
    chart = SituationMap(atlas, kazakhstan(), [out, back])
    ((leg, pos),) = chart.positions(T0 + timedelta(days=2))  # in theatre: the inbound leg
    assert leg.movement.inbound
    assert pos.status is Status.ARRIVED
    ((leg, pos),) = chart.positions(T0 + timedelta(days=5, hours=4))
    assert not leg.movement.inbound
    assert pos.status is Status.MOVING
    ((leg, pos),) = chart.positions(T0 + timedelta(days=9))
    assert (pos.status, pos.lon, pos.lat) == (Status.HOME, 40.97, 57.0)
    root = parse(chart.svg(T0 + timedelta(days=9)))
    ids = {el.get("id") for el in root.iter()}
    assert "position-RUS-home" in ids
    assert "route-RUS-home" not in ids


def test_markers_at_one_place_do_not_hide_each_other(atlas: Atlas) -> None:
    moves = [flight(contingent=c, origin=c) for c in ("RUS", "BLR", "ARM")]
    root = parse(SituationMap(atlas, kazakhstan(), moves).svg(T0 + timedelta(days=1)))
    spots = {by_id(root, f"position-{c}-in").get("transform") for c in ("RUS", "BLR", "ARM")}
    assert len(spots) == 3


def test_played_states_names_do_not_overlap(atlas: Atlas) -> None:
    highlight = dict.fromkeys(MEMBERS, Role.MEMBER) | {"ARM": Role.TERRITORY, "AZE": Role.OPPOSING}
    root = parse(render_map(highlight, [], T0, atlas=atlas))
    boxes = []
    for el in root.iter(f"{SVG}text"):
        if el.get("class") == "label strong":
            x, y, n = float(el.get("x", 0)), float(el.get("y", 0)), len(el.text or "")
            boxes.append((x - 5 * n, y - 15, x + 5 * n, y + 3))
    assert len(boxes) == 7
    for i, a in enumerate(boxes):
        for b in boxes[i + 1 :]:
            assert not (a[0] < b[2] and b[0] < a[2] and a[1] < b[3] and b[1] < a[3]), (a, b)


def test_the_frame_stretches_to_a_territory_outside_the_region(atlas: Atlas) -> None:
    chart = SituationMap(atlas, {"MNG": Role.TERRITORY, "RUS": Role.MEMBER}, [])
    assert chart.frame.box.east > 110  # Mongolia reaches 119°E
    assert "country-MNG" in {el.get("id") for el in parse(chart.svg(T0)).iter()}


# --- from a simulated run -----------------------------------------------------------------------


def test_movements_from_a_simulated_deployment(atlas: Atlas) -> None:
    run = simulate(WORLD, case("kazakhstan-2022"), seed=3)
    moves = movements_from_run(run)
    contributors = set(run.forces.contingents)
    assert {m.contingent for m in moves if m.inbound} == contributors
    assert {m.contingent for m in moves if not m.inbound} == contributors
    for m in moves:
        assert "KAZ" in (m.origin, m.destination)
        assert m.personnel == run.forces.contingents[m.contingent]
        kind = "contingent_arrived" if m.inbound else "contingent_home"
        done = next(e for e in run.events if e.kind == kind and e.actor == m.contingent)
        assert m.arrives == done.time
    first_landing = min(m.arrives for m in moves if m.inbound)
    assert run.milestones.deployment_complete == max(m.arrives for m in moves if m.inbound)
    assert run.milestones.first_arrival is not None
    assert run.milestones.first_arrival <= first_landing
    chart = SituationMap(atlas, kazakhstan(), moves)
    done = run.milestones.deployment_complete
    assert all(p.status is Status.ARRIVED for _, p in chart.positions(done))
    home = run.milestones.withdrawal_complete
    assert home is not None
    assert all(p.status is Status.HOME for _, p in chart.positions(home))


def test_a_leg_still_in_the_air_is_left_out_until_it_lands() -> None:
    def at(hours: float) -> datetime:
        return T0 + timedelta(hours=hours)

    events = [
        EventRecord(time=at(0), kind="departure", actor="RUS", details={"inbound": True}),
        EventRecord(time=at(1), kind="departure", actor="BLR", details={"inbound": True}),
        EventRecord(time=at(2), kind="departure", actor="RUS", details={"inbound": True}),
        EventRecord(time=at(6), kind="contingent_arrived", actor="RUS", details={"personnel": 90}),
    ]
    (leg,) = movements_from_events(events, "KAZ")
    assert (leg.contingent, leg.personnel, leg.departs, leg.arrives) == ("RUS", 90, at(0), at(6))
    assert (leg.origin, leg.destination, leg.inbound) == ("RUS", "KAZ", True)


def test_the_roles_of_a_crisis_come_from_the_organization_and_the_facts() -> None:
    kaz = roles_for(WORLD.org, case("kazakhstan-2022"))
    assert kaz == kazakhstan()  # six members on 2022-01-05, Kazakhstan the territory
    arm = roles_for(WORLD.org, case("armenia-2021"))
    assert (arm["ARM"], arm["AZE"], arm["RUS"]) == (Role.TERRITORY, Role.OPPOSING, Role.MEMBER)
    assert "UZB" not in arm  # Uzbekistan left in 2012


def test_two_maps_on_one_page_keep_their_ids_apart(atlas: Atlas) -> None:
    root = parse(SituationMap(atlas, kazakhstan(), [flight()], ids="m2-").svg(T0))
    ids = {el.get("id") for el in root.iter()}
    assert {"m2-country-KAZ", "m2-route-RUS-in", "m2-position-RUS-in", "m2-hatch"} <= ids
    assert "country-KAZ" not in ids
    assert by_id(root, "m2-country-KAZ").get("style") == "fill: url(#m2-hatch)"


def test_no_label_of_a_bystander_hides_under_the_legend() -> None:
    from csto.web.labels import Candidate, place_labels

    legend = (10.0, 400.0, 272.0, 560.0)
    under = Candidate("TUR", "Turkey", 120.0, 480.0, played=False)
    clear = Candidate("IRN", "Iran", 400.0, 480.0, played=False)
    played = Candidate("ARM", "Armenia", 150.0, 450.0, played=True)
    placed = {label.code for label in place_labels([played, under, clear], [legend])}
    assert placed == {"ARM", "IRN"}  # a state that plays a part is named even there
    assert {label.code for label in place_labels([under])} == {"TUR"}  # without the legend: named
