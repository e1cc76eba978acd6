"""What part of the Earth a map shows, and how degrees become pixels.

    Box             a box in degrees (west, south, east, north); Box.around(points) and .union()
    REGION          the organization's area: Belarus to Kyrgyzstan, the Caucasus to the Urals
    Frame           a Box drawn at a width in pixels: an Albers equal-area conic projection
                    (pyproj) centred on the box, the box's projected extent scaled to the width,
                    and .to_px() / .clip_box for shapes and points

Albers is the usual projection for a region wider than tall in the middle latitudes: areas keep
their proportions (Kazakhstan does not dwarf Armenia more than it should) and the parallels are arcs,
as on the maps in an atlas. The standard parallels are at a sixth of the box from its south and
north edges, the classic rule for a conic.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from functools import cached_property

import numpy as np
import shapely
from pyproj import Transformer
from shapely.geometry import box as shapely_box
from shapely.geometry.base import BaseGeometry

MAX_LAT = 80.0  # a conic frame stops short of the pole
SIMPLIFY_PX = 0.4  # finer detail than this does not show, and would only weigh on the page


@dataclass(frozen=True)
class Box:
    west: float
    south: float
    east: float
    north: float

    def __post_init__(self) -> None:
        if not (-180 <= self.west < self.east <= 180 and -90 <= self.south < self.north <= 90):
            raise ValueError(f"a box is west < east in [-180, 180] and south < north: {self}")

    @classmethod
    def around(cls, points: Iterable[tuple[float, float]], margin: float = 0.0) -> Box:
        xs, ys = zip(*points, strict=True)
        return cls(
            max(-180.0, min(xs) - margin),
            max(-MAX_LAT, min(ys) - margin),
            min(180.0, max(xs) + margin),
            min(MAX_LAT, max(ys) + margin),
        )

    def union(self, other: Box) -> Box:
        return Box(
            min(self.west, other.west),
            min(self.south, other.south),
            max(self.east, other.east),
            max(self.north, other.north),
        )

    def contains(self, lon: float, lat: float) -> bool:
        return self.west <= lon <= self.east and self.south <= lat <= self.north

    def outline(self, step: float = 1.0) -> np.ndarray:
        """The box's edge as (n, 2) points every `step` degrees, so it bends when projected."""
        nx = max(2, int((self.east - self.west) / step) + 1)
        ny = max(2, int((self.north - self.south) / step) + 1)
        lons, lats = np.linspace(self.west, self.east, nx), np.linspace(self.south, self.north, ny)
        return np.concatenate(
            [
                np.column_stack([lons, np.full(nx, self.south)]),
                np.column_stack([np.full(ny, self.east), lats]),
                np.column_stack([lons[::-1], np.full(nx, self.north)]),
                np.column_stack([np.full(ny, self.west), lats[::-1]]),
            ]
        )


REGION = Box(west=22.0, south=35.5, east=88.0, north=58.0)


class Frame:
    """A box drawn at `width` pixels; the height follows from the projection."""

    def __init__(self, box: Box, width: int = 1000) -> None:
        self.box = box
        self.width = width
        sixth = (box.north - box.south) / 6
        centre = (box.west + box.east) / 2
        self.proj = (
            f"+proj=aea +lat_1={box.south + sixth:.3f} +lat_2={box.north - sixth:.3f} "
            f"+lat_0={(box.south + box.north) / 2:.3f} +lon_0={centre:.3f} +datum=WGS84 +units=m"
        )
        self._forward = Transformer.from_crs("EPSG:4326", self.proj, always_xy=True)
        self._inverse = Transformer.from_crs(self.proj, "EPSG:4326", always_xy=True)
        xs, ys = self._forward.transform(*box.outline().T)
        self._x0, self._y1 = float(np.min(xs)), float(np.max(ys))
        self.scale = width / (float(np.max(xs)) - self._x0)  # pixels per metre
        self.height = round((self._y1 - float(np.min(ys))) * self.scale)

    def to_px(self, lonlat: np.ndarray) -> np.ndarray:
        """(n, 2) longitude, latitude -> (n, 2) pixels, y down."""
        xs, ys = self._forward.transform(lonlat[:, 0], lonlat[:, 1])
        return np.column_stack([(xs - self._x0) * self.scale, (self._y1 - ys) * self.scale])

    def point(self, lon: float, lat: float) -> tuple[float, float]:
        x, y = self.to_px(np.array([[lon, lat]]))[0]
        return float(x), float(y)

    def to_lonlat(self, px: np.ndarray) -> np.ndarray:
        xs = px[:, 0] / self.scale + self._x0
        ys = self._y1 - px[:, 1] / self.scale
        lons, lats = self._inverse.transform(xs, ys)
        return np.column_stack([lons, lats])

    @cached_property
    def clip_box(self) -> BaseGeometry:
        """The degrees that cover the whole picture (its corners reach past the box), plus a margin,
        so that shapes can be cut in degrees before they are projected."""
        w, h = self.width, self.height
        edge = np.array(
            [(x, 0) for x in np.linspace(0, w, 21)]
            + [(w, y) for y in np.linspace(0, h, 11)]
            + [(x, h) for x in np.linspace(w, 0, 21)]
            + [(0, y) for y in np.linspace(h, 0, 11)]
        )
        seen = Box.around(map(tuple, self.to_lonlat(edge)), margin=3.0)
        return shapely_box(seen.west, seen.south, seen.east, seen.north)

    def project(self, shape: BaseGeometry) -> BaseGeometry:
        """A shape in degrees, cut to what the picture shows, in pixels, cut to the picture."""
        cut = shape.intersection(self.clip_box)
        if cut.is_empty:
            return cut
        dense = shapely.segmentize(cut, max_segment_length=1.0)  # straight cuts bend when projected
        moved = shapely.transform(dense, self.to_px)
        cut = shapely.clip_by_rect(moved, 0, 0, self.width, self.height)
        return cut.simplify(SIMPLIFY_PX, preserve_topology=True)
