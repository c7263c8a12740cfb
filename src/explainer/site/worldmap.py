"""A small world map for inline SVG, from the country outlines that pygal-maps-world ships.

The package's `worldmap.svg` (one `<g class="cn country">` per ISO 3166-1 country, drawn in the
Robinson projection) is about 1 MB. This module reads it once, keeps only the path end points,
simplifies every outline (Douglas-Peucker), drops slivers, leaves out Antarctica and rescales the
map to integer coordinates in a 1000-unit-wide box, so a whole map fits in a few dozen kilobytes.
Countries too small to see get a marker point. Nothing is fetched at build time.
"""

from __future__ import annotations

import math
import re
import xml.etree.ElementTree as ET
from dataclasses import dataclass
from functools import cache
from importlib import resources
from pathlib import Path

SVG_NS = "{http://www.w3.org/2000/svg}"
WIDTH = 1000
TOLERANCE = 1.2  # Douglas-Peucker tolerance, in output units (1/1000 of the map's width)
MIN_RING_AREA = 1.5  # rings smaller than this (output units squared) are dropped ...
SMALL_COUNTRY = 40.0  # ... and a country with less area than this gets a marker
LEFT_OUT = {"aq"}  # Antarctica: no data, and it would take a fifth of the map's height

Matrix = tuple[float, float, float, float, float, float]
IDENTITY: Matrix = (1, 0, 0, 1, 0, 0)


@dataclass(frozen=True)
class Shape:
    code: str  # ISO 3166-1 alpha-2, upper case
    d: str  # SVG path data, integer coordinates ("" when the country is only a marker)
    cx: int  # a point inside or near the country (marker position)
    cy: int
    small: bool  # too small to see at map scale: draw a marker too


@dataclass(frozen=True)
class WorldMap:
    width: int
    height: int
    shapes: dict[str, Shape]
    base: str  # every country's outline as one path, for the background

    @property
    def viewbox(self) -> str:
        return f"0 0 {self.width} {self.height}"

    def shape(self, code: str | None) -> Shape | None:
        return self.shapes.get((code or "").upper())

    def __contains__(self, code: str) -> bool:
        return (code or "").upper() in self.shapes


def source_svg() -> Path:
    """The outline file of the maintained pygal-maps-world(-neo) package."""
    return Path(str(resources.files("pygal_maps_world") / "worldmap.svg"))


@cache
def load_world_map() -> WorldMap:
    rings = _country_rings(source_svg())
    # Frame the map on the countries big enough to draw (markers of remote islands would
    # otherwise leave wide empty margins); anything outside is clamped to the edge.
    points = [
        p
        for country in rings.values()
        if not country["markers"]
        for ring in country["rings"]
        for p in ring
    ]
    min_x = min(p[0] for p in points)
    max_x = max(p[0] for p in points)
    min_y = min(p[1] for p in points)
    max_y = max(p[1] for p in points)
    scale = (WIDTH - 2) / (max_x - min_x)
    height = math.ceil((max_y - min_y) * scale) + 2

    def project(point: tuple[float, float]) -> tuple[int, int]:
        x = round((point[0] - min_x) * scale) + 1
        y = round((point[1] - min_y) * scale) + 1
        return min(max(x, 1), WIDTH - 1), min(max(y, 1), height - 1)

    shapes = {}
    for code, country in sorted(rings.items()):
        projected = []
        for ring in country["rings"]:
            simple = _dedupe([project(p) for p in _simplify(ring, TOLERANCE / scale)])
            if len(simple) >= 3:
                projected.append(simple)
        projected.sort(key=lambda r: -abs(_area(r)))
        area = sum(abs(_area(r)) for r in projected)
        kept = [r for i, r in enumerate(projected) if i == 0 or abs(_area(r)) >= MIN_RING_AREA]
        if country["markers"]:
            cx, cy = project(country["markers"][0])
        elif kept:
            cx, cy = _centre(kept[0])
        else:
            continue
        shapes[code.upper()] = Shape(
            code=code.upper(),
            d=_path_data(kept),
            cx=cx,
            cy=cy,
            small=area < SMALL_COUNTRY,
        )
    base = "".join(shape.d for shape in shapes.values())
    return WorldMap(width=WIDTH, height=height, shapes=shapes, base=base)


# --- reading the source SVG -------------------------------------------------------------------


def _country_rings(path: Path) -> dict[str, dict]:
    root = ET.parse(path).getroot()
    countries: dict[str, dict] = {}

    def walk(element, matrix: Matrix, code: str | None) -> None:
        matrix = _multiply(matrix, _transform(element.get("transform", "")))
        classes = element.get("class", "").split()
        if "country" in classes:
            code = next(c for c in classes if len(c) == 2)
        tag = element.tag.replace(SVG_NS, "")
        if code and code not in LEFT_OUT:
            entry = countries.setdefault(code, {"rings": [], "markers": []})
            if tag == "path":
                for ring in _parse_path(element.get("d", "")):
                    entry["rings"].append([_apply(matrix, p) for p in ring])
            elif tag == "circle":
                centre = (float(element.get("cx", 0)), float(element.get("cy", 0)))
                entry["markers"].append(_apply(matrix, centre))
        for child in element:
            walk(child, matrix, code)

    walk(root, IDENTITY, None)
    return {code: entry for code, entry in countries.items() if entry["rings"] or entry["markers"]}


_NUMBER = r"[-+]?(?:\d+\.?\d*|\.\d+)(?:[eE][-+]?\d+)?"
_TOKEN = re.compile(rf"[MmLlHhVvCcSsQqTtAaZz]|{_NUMBER}")
_ARITY = {"m": 2, "l": 2, "h": 1, "v": 1, "c": 6, "s": 4, "q": 4, "t": 2, "a": 7, "z": 0}


def _parse_path(d: str) -> list[list[tuple[float, float]]]:
    """The rings of an SVG path, as absolute end points (curve control points dropped)."""
    tokens = _TOKEN.findall(d)
    rings: list[list[tuple[float, float]]] = []
    ring: list[tuple[float, float]] = []
    x = y = start_x = start_y = 0.0
    command = ""
    i = 0
    while i < len(tokens):
        token = tokens[i]
        if token.isalpha():
            command = token
            i += 1
            if command in "Zz":
                if ring:
                    rings.append(ring)
                ring = []
                x, y = start_x, start_y
                continue
        elif not command:
            raise ValueError(f"path data starts with a number: {d[:40]!r}")
        lower = command.lower()
        args = [float(t) for t in tokens[i : i + _ARITY[lower]]]
        i += _ARITY[lower]
        relative = command.islower()
        x, y = _end_point(lower, args, (x, y) if relative else None, x, y)
        if lower == "m":
            if ring:
                rings.append(ring)
            ring = [(x, y)]
            start_x, start_y = x, y
            command = "l" if relative else "L"  # later pairs are implicit line-tos
        else:
            ring.append((x, y))
    if ring:
        rings.append(ring)
    return [r for r in rings if len(r) >= 3]


def _end_point(
    lower: str, args: list[float], origin: tuple[float, float] | None, x: float, y: float
) -> tuple[float, float]:
    """Where a path command ends; `origin` is the current point for a relative command."""
    dx, dy = origin or (0.0, 0.0)
    if lower == "h":
        return dx + args[0], y
    if lower == "v":
        return x, dy + args[0]
    return dx + args[-2], dy + args[-1]


def _transform(text: str) -> Matrix:
    matrix = IDENTITY
    for name, args in re.findall(r"(\w+)\s*\(([^)]*)\)", text):
        values = [float(v) for v in re.findall(_NUMBER, args)]
        if name == "translate":
            step = (1, 0, 0, 1, values[0], values[1] if len(values) > 1 else 0)
        elif name == "matrix":
            step = tuple(values)
        elif name == "scale":
            sy = values[1] if len(values) > 1 else values[0]
            step = (values[0], 0, 0, sy, 0, 0)
        else:
            raise ValueError(f"unsupported SVG transform {name!r}")
        matrix = _multiply(matrix, step)
    return matrix


def _multiply(m: Matrix, n: Matrix) -> Matrix:
    a, b, c, d, e, f = m
    a2, b2, c2, d2, e2, f2 = n
    return (
        a * a2 + c * b2,
        b * a2 + d * b2,
        a * c2 + c * d2,
        b * c2 + d * d2,
        a * e2 + c * f2 + e,
        b * e2 + d * f2 + f,
    )


def _apply(m: Matrix, point: tuple[float, float]) -> tuple[float, float]:
    a, b, c, d, e, f = m
    x, y = point
    return a * x + c * y + e, b * x + d * y + f


# --- geometry ---------------------------------------------------------------------------------


def _simplify(points: list[tuple[float, float]], tolerance: float) -> list[tuple[float, float]]:
    """Douglas-Peucker, iterative (outlines can have thousands of points)."""
    if len(points) < 3:
        return points
    keep = [False] * len(points)
    keep[0] = keep[-1] = True
    stack = [(0, len(points) - 1)]
    while stack:
        first, last = stack.pop()
        (x1, y1), (x2, y2) = points[first], points[last]
        dx, dy = x2 - x1, y2 - y1
        length = math.hypot(dx, dy)
        worst, index = 0.0, -1
        for i in range(first + 1, last):
            px, py = points[i]
            if length > 1e-6:  # a closed ring starts and ends at (almost) one point
                distance = abs(dy * px - dx * py + x2 * y1 - y2 * x1) / length
            else:
                distance = math.hypot(px - x1, py - y1)
            if distance > worst:
                worst, index = distance, i
        if index >= 0 and worst > tolerance:
            keep[index] = True
            stack.append((first, index))
            stack.append((index, last))
    return [p for p, kept in zip(points, keep, strict=True) if kept]


def _dedupe(points: list[tuple[int, int]]) -> list[tuple[int, int]]:
    out: list[tuple[int, int]] = []
    for point in points:
        if not out or out[-1] != point:
            out.append(point)
    if len(out) > 1 and out[0] == out[-1]:
        out.pop()
    return out


def _area(ring: list[tuple[int, int]]) -> float:
    return (
        sum(x1 * y2 - x2 * y1 for (x1, y1), (x2, y2) in zip(ring, ring[1:] + ring[:1], strict=True))
        / 2
    )


def _centre(ring: list[tuple[int, int]]) -> tuple[int, int]:
    xs = [p[0] for p in ring]
    ys = [p[1] for p in ring]
    return round((min(xs) + max(xs)) / 2), round((min(ys) + max(ys)) / 2)


def _path_data(rings: list[list[tuple[int, int]]]) -> str:
    """Compact path data: relative integer steps, so no rounding drift and few characters."""
    parts = []
    for ring in rings:
        x, y = ring[0]
        steps = [f"M{x} {y}"]
        for nx, ny in ring[1:]:
            steps.append(_pair(nx - x, ny - y))
            x, y = nx, ny
        parts.append(steps[0] + "l" + "".join(steps[1:]).lstrip(" ") + "z")
    return "".join(parts)


def _pair(dx: int, dy: int) -> str:
    # "-" already separates numbers, so only non-negative numbers need a space before them.
    return f"{'' if dx < 0 else ' '}{dx}{'' if dy < 0 else ' '}{dy}"
