"""The countries of the world from Natural Earth, as shapes in longitude and latitude.

    Country                 one country: ISO 3166-1 alpha-3 code (None for the few features that
                            have none), Natural Earth's short name, its shape (shapely, degrees)
    Atlas                   every country, by code; Atlas.load() reads the shipped TopoJSON once
    decode_topology(t, o)   the geometries of one TopoJSON object as shapely shapes, with their
                            ids and properties
    NUMERIC_TO_ISO3         ISO numeric code -> alpha-3, from data/iso3166-numeric.txt

The boundaries are world-atlas 2.0.2's countries-50m.json (Natural Earth 4.1.0, Admin 0, 1:50m),
shipped unchanged in data/world-atlas/ with its licence: nothing is fetched at run time.

TopoJSON (https://github.com/topojson/topojson-specification) stores each shared border once as an
arc; a ring lists arc indexes, and index ~i is arc i walked backwards. A quantized topology stores an
arc as a first position and then deltas, in integers scaled by the topology's transform. Decoding is
a cumulative sum per arc and a join of arcs per ring (docs/decisions/0007-web-pages.md says why this
is done here and not by a package). Shapes that cross the antimeridian are cut there by the
antimeridian package, so that every shape is right on the plane of longitude and latitude.
"""

from __future__ import annotations

import json
from collections.abc import Iterator, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import antimeridian
import numpy as np
import shapely
from pyproj import Geod
from shapely.geometry import MultiPolygon, Polygon
from shapely.geometry.base import BaseGeometry

from csto.domain import NotFound

DATA = Path(__file__).resolve().parent / "data"
COUNTRIES_50M = DATA / "world-atlas" / "countries-50m.json"
NUMERIC_SNAPSHOT = DATA / "iso3166-numeric.txt"
GEOD = Geod(ellps="WGS84")
NUMERIC_HEADER = (
    "# ISO 3166-1 numeric code and alpha-3 code of current states, one pair a line: a snapshot of\n"
    "# pycountry's database (regenerate with: python -m csto.web.atlas; tests/test_web_map.py checks it).\n"
)


def _read_numeric() -> dict[str, str]:
    pairs = {}
    for line in NUMERIC_SNAPSHOT.read_text(encoding="utf-8").splitlines():
        if line.strip() and not line.startswith("#"):
            numeric, alpha3 = line.split()
            pairs[numeric] = alpha3
    return pairs


NUMERIC_TO_ISO3 = _read_numeric()


def numeric_snapshot() -> list[tuple[str, str]]:
    """(numeric, alpha-3) of every current state as pycountry has them now."""
    import pycountry  # only to regenerate or check the snapshot

    return sorted((c.numeric, c.alpha_3) for c in pycountry.countries)


# --- TopoJSON ---------------------------------------------------------------------------------


def _arcs(topology: dict[str, Any]) -> list[np.ndarray]:
    """Every arc as an (n, 2) array of longitude, latitude."""
    transform = topology.get("transform")
    arcs = [np.asarray(arc, dtype=float)[:, :2] for arc in topology["arcs"]]
    if transform is None:
        return arcs
    scale = np.asarray(transform["scale"], dtype=float)
    translate = np.asarray(transform["translate"], dtype=float)
    return [np.cumsum(arc, axis=0) * scale + translate for arc in arcs]


def _ring(indexes: Sequence[int], arcs: list[np.ndarray]) -> np.ndarray:
    """Join a ring's arcs; each arc after the first starts where the one before it ended."""
    parts = []
    for k, index in enumerate(indexes):
        arc = arcs[index] if index >= 0 else arcs[~index][::-1]
        parts.append(arc if k == 0 else arc[1:])
    return np.concatenate(parts)


def _crossings(ring: np.ndarray) -> int:
    """How often the ring crosses the antimeridian: edges that jump by more than half the world."""
    return int((np.abs(np.diff(ring[:, 0])) > 180).sum())


def _ccw_on_the_sphere(ring: np.ndarray) -> np.ndarray:
    area, _ = GEOD.polygon_area_perimeter(ring[:, 0], ring[:, 1])
    return ring if area > 0 else ring[::-1]


def _shape(geometry: dict[str, Any], arcs: list[np.ndarray]) -> BaseGeometry:
    """One geometry as a valid shapely shape in planar degrees.

    A ring that crosses the antimeridian (Russia's Chukotka, Fiji) is a sphere's ring, not a
    plane's: read flat it would wrap the wrong way round the world. Those shapes are oriented on
    the sphere (exteriors counter-clockwise, the GeoJSON rule; world-atlas winds them the other
    way, as d3 does) and cut at ±180° by the antimeridian package. A shape that goes round a pole
    has no right flat form: Antarctica keeps only what the repair below leaves of it (its
    islands), which no map of the organization's region reaches."""
    kind = geometry.get("type")
    if kind is None:  # a null geometry: a feature with no shape
        return Polygon()
    if kind not in ("Polygon", "MultiPolygon"):
        raise ValueError(f"a country is a Polygon or MultiPolygon in TopoJSON, not {kind!r}")
    parts = [geometry["arcs"]] if kind == "Polygon" else geometry["arcs"]
    polygons = [[_ring(r, arcs) for r in rings] for rings in parts]
    reaches_pole = any(np.abs(r[:, 1]).max() > 89.9 for rings in polygons for r in rings)
    if not reaches_pole and any(_crossings(r) for rings in polygons for r in rings):
        spherical = MultiPolygon(
            [
                Polygon(_ccw_on_the_sphere(outer), [_ccw_on_the_sphere(h)[::-1] for h in holes])
                for outer, *holes in polygons
            ]
        )
        shape: BaseGeometry = antimeridian.fix_multi_polygon(spherical, fix_winding=False)
    else:
        flat = [Polygon(outer, holes) for outer, *holes in polygons]
        shape = flat[0] if kind == "Polygon" else MultiPolygon(flat)
    # Quantization can make a ring touch itself: repair it so that clipping works.
    return (
        shape
        if shape.is_valid
        else shapely.make_valid(shape, method="structure", keep_collapsed=False)
    )


def decode_topology(
    topology: dict[str, Any], name: str
) -> Iterator[tuple[str | None, dict[str, Any], BaseGeometry]]:
    """(id, properties, shape) for each geometry of the named object (a GeometryCollection)."""
    arcs = _arcs(topology)
    for geometry in topology["objects"][name]["geometries"]:
        yield geometry.get("id"), geometry.get("properties") or {}, _shape(geometry, arcs)


# --- the atlas --------------------------------------------------------------------------------


@dataclass(frozen=True)
class Country:
    iso3: str | None
    name: str
    shape: BaseGeometry  # (Multi)Polygon in degrees of longitude and latitude

    @property
    def largest(self) -> Polygon:
        """The country's largest polygon (its mainland)."""
        parts = [p for p in getattr(self.shape, "geoms", [self.shape]) if isinstance(p, Polygon)]
        return max(parts, key=lambda p: p.area) if parts else Polygon()


class Atlas:
    """The countries of the world; build it once (Atlas.load()) and pass it to every map."""

    def __init__(self, countries: Sequence[Country], source: str, via: str = "") -> None:
        self.countries = tuple(countries)
        self.source = source  # whose boundaries, for the map's credit line
        self.via = via  # the package that carried them
        self._by_iso3 = {c.iso3: c for c in self.countries if c.iso3}
        self._tree = shapely.STRtree([c.shape for c in self.countries])

    @classmethod
    def load(cls, path: Path = COUNTRIES_50M) -> Atlas:
        topology = json.loads(path.read_text(encoding="utf-8"))
        countries = [
            Country(
                NUMERIC_TO_ISO3.get(str(ident)) if ident else None, props.get("name", ""), shape
            )
            for ident, props, shape in decode_topology(topology, "countries")
        ]
        return cls(countries, source="Natural Earth 1:50m v4.1.0", via="world-atlas 2.0.2")

    def country(self, iso3: str) -> Country:
        try:
            return self._by_iso3[iso3]
        except KeyError:
            raise NotFound("country on the map", iso3, tuple(sorted(self._by_iso3))) from None

    def __contains__(self, iso3: object) -> bool:
        return iso3 in self._by_iso3

    def within(self, box: BaseGeometry) -> list[Country]:
        """The countries whose shape meets the box (degrees)."""
        hits = self._tree.query(box, predicate="intersects")
        return [self.countries[int(i)] for i in sorted(hits)]


if __name__ == "__main__":
    rows = numeric_snapshot()
    NUMERIC_SNAPSHOT.write_text(
        NUMERIC_HEADER + "\n".join(f"{n} {a}" for n, a in rows) + "\n", encoding="utf-8"
    )
