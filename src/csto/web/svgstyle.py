"""How the situation map looks: its stylesheet and its legend.

    STYLE                    the CSS inside every map (so a map alone in a file looks the same)
    legend(root, frame, ..)  the key (roles, route, contingent), the time, a scale bar, the source

Colours: pale sea, warm grey land, amber members, a hatched vermilion crisis territory, lilac for a
state opposing it; routes and markers in dark navy with white halos so they read over any fill,
on a laptop, a projector or paper. Text is DejaVu Sans (Debian's fonts-dejavu-core) or the system's
sans-serif.
"""

from __future__ import annotations

import xml.etree.ElementTree as ET
from collections.abc import Mapping
from datetime import datetime
from enum import StrEnum

from csto.web.frame import Frame
from csto.web.timefmt import iso_minute

STYLE = """
.csto-map { font-family: "DejaVu Sans", "Segoe UI", system-ui, sans-serif; background: #d4e6f1; }
.csto-map .sea { fill: #d4e6f1; }
.csto-map .graticule path { fill: none; stroke: #a9c7da; stroke-width: 0.6; }
.csto-map .country { fill: #eeebe4; stroke: #a59f94; stroke-width: 0.7; stroke-linejoin: round; }
.csto-map .country.member { fill: #f5cf8e; stroke: #7a5a22; stroke-width: 1.1; }
.csto-map .country.territory { stroke: #7a2810; stroke-width: 1.8; }
.csto-map .country.opposing { fill: #cdb8dd; stroke: #4e3666; stroke-width: 1.1; }
.csto-map .hatch-ground { fill: #f0a47c; }
.csto-map .hatch-line { stroke: #c4552a; stroke-width: 3; }
.csto-map .label { font-size: 12px; fill: #5f5a52; font-style: italic; text-anchor: middle;
  paint-order: stroke; stroke: #f7f5f0; stroke-width: 3px; stroke-linejoin: round; }
.csto-map .label.strong { font-size: 15px; font-weight: bold; font-style: normal; fill: #1d1a16; }
.csto-map .route { fill: none; stroke: #16365c; stroke-width: 1.6; stroke-dasharray: 6 4; }
.csto-map .route.homebound { stroke: #5b5b5b; }
.csto-map .flown { fill: none; stroke: #16365c; stroke-width: 3.2; }
.csto-map .flown.homebound { stroke: #5b5b5b; }
.csto-map .arrowhead { fill: #16365c; }
.csto-map .origin { fill: #ffffff; stroke: #16365c; stroke-width: 2; }
.csto-map .position circle { fill: #16365c; stroke: #ffffff; stroke-width: 2; }
.csto-map .position.waiting circle { fill: #ffffff; stroke: #16365c; stroke-width: 2.5; }
.csto-map .position.home circle { fill: #ffffff; stroke: #5b5b5b; stroke-width: 2.5; }
.csto-map .position.home text { fill: #45413b; font-weight: normal; }
.csto-map .position text { font-size: 13px; font-weight: bold; fill: #16365c;
  paint-order: stroke; stroke: #ffffff; stroke-width: 3.5px; stroke-linejoin: round; }
.csto-map .legend rect.panel { fill: #ffffff; fill-opacity: 0.92; stroke: #8c8c8c; }
.csto-map .legend text { font-size: 12px; fill: #1d1a16; }
.csto-map .legend .time { font-size: 15px; font-weight: bold; }
.csto-map .legend .source { font-size: 10px; fill: #45413b; }
.csto-map .scale path { fill: none; stroke: #1d1a16; stroke-width: 2; }
@media print { .csto-map, .csto-map .sea { background: #ffffff; fill: #ffffff; } }
"""


def _swatch(g: ET.Element, y: float, cls: str, text: str, fill: str | None = None) -> None:
    attrs = {"class": cls, "x": "14", "y": f"{y - 10:.0f}", "width": "22", "height": "13"}
    if fill:
        attrs["style"] = f"fill: {fill}"
    ET.SubElement(g, "rect", attrs)
    ET.SubElement(g, "text", {"x": "44", "y": f"{y:.0f}"}).text = text


LEGEND_WIDTH = 262


def _rows(roles: Mapping[str, StrEnum]) -> list[tuple[str, str, str]]:
    shown = {r.value for r in roles.values()}
    rows = [
        ("country member", "member state", "member"),
        ("country territory", "crisis territory", "territory"),
        ("country opposing", "opposing state", "opposing"),
    ]
    return [r for r in rows if r[2] in shown]


def _height(rows: list[tuple[str, str, str]]) -> int:
    return 66 + 20 * (len(rows) + 2)


def legend_box(frame: Frame, roles: Mapping[str, StrEnum]) -> tuple[float, float, float, float]:
    """Where the key stands, in pixels (x0, y0, x1, y1): the labels keep out of it."""
    height = _height(_rows(roles))
    top = frame.height - height - 10
    return (10.0, float(top), 10.0 + LEGEND_WIDTH, float(frame.height - 10))


def legend(
    root: ET.Element,
    frame: Frame,
    at: datetime,
    source: str,
    via: str,
    roles: Mapping[str, StrEnum],
    hatch_id: str,
) -> None:
    """The key in the bottom-left corner and a 500 km scale bar in the bottom-right."""
    rows = _rows(roles)
    height = _height(rows)
    g = ET.SubElement(
        root,
        "g",
        {"class": "legend", "transform": f"translate(10,{frame.height - height - 10})"},
    )
    ET.SubElement(
        g, "rect", {"class": "panel", "width": str(LEGEND_WIDTH), "height": str(height), "rx": "4"}
    )
    ET.SubElement(g, "text", {"class": "time", "x": "14", "y": "22"}).text = iso_minute(at)
    y = 46.0
    for cls, text, role in rows:
        fill = f"url(#{hatch_id})" if role == "territory" else None
        _swatch(g, y, cls, text, fill)
        y += 20
    ET.SubElement(g, "path", {"class": "route", "d": f"M14,{y - 4:.0f}L36,{y - 4:.0f}"})
    ET.SubElement(g, "text", {"x": "44", "y": f"{y:.0f}"}).text = "route (flown part solid)"
    y += 20
    mark = ET.SubElement(
        g, "g", {"class": "position moving", "transform": f"translate(25,{y - 4:.0f})"}
    )
    ET.SubElement(mark, "circle", {"r": "6"})
    ET.SubElement(g, "text", {"x": "44", "y": f"{y:.0f}"}).text = "contingent, personnel"
    y += 22
    ET.SubElement(
        g, "text", {"class": "source", "x": "14", "y": f"{y:.0f}"}
    ).text = f"Boundaries: {source}"
    ET.SubElement(
        g, "text", {"class": "source", "x": "14", "y": f"{y + 13:.0f}"}
    ).text = f"{'via ' + via + '; ' if via else ''}Albers equal-area conic"
    km = 500
    length = km * 1000 * frame.scale
    x1, y1 = frame.width - 20, frame.height - 20
    bar = ET.SubElement(root, "g", {"class": "scale legend"})
    ET.SubElement(
        bar,
        "path",
        {"d": f"M{x1 - length:.1f},{y1 - 6}L{x1 - length:.1f},{y1}L{x1},{y1}L{x1},{y1 - 6}"},
    )
    ET.SubElement(
        bar, "text", {"x": f"{x1 - length / 2:.1f}", "y": f"{y1 - 8}", "text-anchor": "middle"}
    ).text = f"{km} km"
