"""Fetch the report's vendored browser files again, exactly as they are in the repository.

    python scripts/vendor_report_assets.py        (or: make vendor-report)

The HTML report makes no request at all, so its chart library and world map are inlined from
`src/golkepar/report/vendor/`. This script gets them with `npm pack` (pinned versions, checked
against their published integrity hash) and writes:

- `echarts.min.js`, `echarts.LICENSE`, `echarts.NOTICE`: Apache ECharts, Apache-2.0;
- `world.json`, `world.LICENSE`: the countries of Natural Earth's 1:110m map, from the
  `world-atlas` package (ISC; the map data is public domain), turned from TopoJSON into GeoJSON
  whose features are named by ISO 3166-1 alpha-2 code, coordinates rounded to 0.01 degree.

Needs `npm` and this project's virtual environment (for pycountry).
"""

from __future__ import annotations

import base64
import hashlib
import json
import subprocess
import sys
import tarfile
import tempfile
from itertools import pairwise
from pathlib import Path
from typing import Any

import pycountry

ROOT = Path(__file__).resolve().parents[1]
VENDOR = ROOT / "src" / "golkepar" / "report" / "vendor"

# name@version -> the tarball's published integrity (`npm view NAME@V dist.integrity`).
PACKAGES = {
    "echarts@6.1.0": "sha512-q0yaFPggC9FUdsWH4blavRWFmxdrIodbkoKNAjJudAI6CA9gNPx"
    "HtV2RcZNEepZVlk4yvBYkOkbk6HIVpIyHZA==",
    "world-atlas@2.0.2": "sha512-IXfV0qwlKXpckz1FhwXVwKRjiIhOnWttOskm5CtxMsjgE/MXAYRH"
    "WJqgXOpM8IkcPBoXnyTU5lFHcYa5ChG0LQ==",
}
# Decimal places kept in map coordinates: 0.01 degree is about 1 km, far finer than the
# 1:110m map itself, and halves the file.
MAP_DECIMALS = 2
# Not drawn: it has no visitors and takes a sixth of the map's height.
LEFT_OFF_MAP = {"AQ"}


def npm_pack(spec: str, integrity: str, folder: Path) -> tarfile.TarFile:
    out = subprocess.run(
        ["npm", "pack", spec, "--json", "--pack-destination", str(folder)],
        check=True,
        capture_output=True,
        text=True,
    )
    info = json.loads(out.stdout)[0]
    tarball = folder / info["filename"]
    algorithm, _, expected = integrity.partition("-")
    digest = base64.b64encode(hashlib.new(algorithm, tarball.read_bytes()).digest()).decode()
    if digest != expected:
        sys.exit(f"{spec}: integrity {algorithm}-{digest} is not the pinned one {integrity}")
    return tarfile.open(tarball)


def member(archive: tarfile.TarFile, name: str) -> bytes:
    extracted = archive.extractfile(f"package/{name}")
    if extracted is None:
        sys.exit(f"{name} missing from the package")
    return extracted.read()


def decode_arcs(topology: dict[str, Any]) -> list[list[tuple[float, float]]]:
    """TopoJSON's delta-encoded, quantized arcs as absolute longitude/latitude points."""
    (sx, sy), (tx, ty) = topology["transform"]["scale"], topology["transform"]["translate"]
    arcs = []
    for arc in topology["arcs"]:
        x = y = 0
        points = []
        for dx, dy in arc:
            x, y = x + dx, y + dy
            points.append((round(x * sx + tx, MAP_DECIMALS), round(y * sy + ty, MAP_DECIMALS)))
        arcs.append(points)
    return arcs


def ring(indexes: list[int], arcs: list[list[tuple[float, float]]]) -> list[list[float]]:
    points: list[list[float]] = []
    for index in indexes:
        arc = arcs[index] if index >= 0 else arcs[~index][::-1]
        # Consecutive arcs share their joining point.
        points.extend([list(p) for p in (arc if not points else arc[1:])])
    return points


def unwrap_antimeridian(points: list[list[float]]) -> list[list[float]]:
    """A ring that crosses the 180th meridian (Fiji, Chukotka), flattened onto it.

    The map is drawn flat, from -180 to 180: a ring that jumps from 179 to -179 would be drawn
    as a line across the whole world. Its far side is moved past 180, then held at 180.
    """
    if all(abs(a[0] - b[0]) <= 180 for a, b in pairwise(points)):
        return points
    return [[min(lon + 360 if lon < 0 else lon, 180.0), lat] for lon, lat in points]


def topojson_to_geojson(topology: dict[str, Any]) -> dict[str, Any]:
    arcs = decode_arcs(topology)
    features = []
    for geometry in topology["objects"]["countries"]["geometries"]:
        country = pycountry.countries.get(numeric=geometry.get("id", ""))
        if country is None or country.alpha_2 in LEFT_OFF_MAP:
            continue  # disputed areas without an ISO code (no address is located there)
        polygons = geometry["arcs"] if geometry["type"] == "MultiPolygon" else [geometry["arcs"]]
        coordinates = [
            [unwrap_antimeridian(ring(r, arcs)) for r in polygon] for polygon in polygons
        ]
        features.append(
            {
                "type": "Feature",
                "properties": {"name": country.alpha_2},
                "geometry": {"type": "MultiPolygon", "coordinates": coordinates},
            }
        )
    return {"type": "FeatureCollection", "features": features}


def main() -> None:
    VENDOR.mkdir(parents=True, exist_ok=True)
    with tempfile.TemporaryDirectory() as tmp:
        echarts = npm_pack("echarts@6.1.0", PACKAGES["echarts@6.1.0"], Path(tmp))
        (VENDOR / "echarts.min.js").write_bytes(member(echarts, "dist/echarts.min.js"))
        (VENDOR / "echarts.LICENSE").write_bytes(member(echarts, "LICENSE"))
        (VENDOR / "echarts.NOTICE").write_bytes(member(echarts, "NOTICE"))
        atlas = npm_pack("world-atlas@2.0.2", PACKAGES["world-atlas@2.0.2"], Path(tmp))
        topology = json.loads(member(atlas, "countries-110m.json"))
        world = topojson_to_geojson(topology)
        (VENDOR / "world.json").write_text(json.dumps(world, separators=(",", ":")) + "\n")
        (VENDOR / "world.LICENSE").write_bytes(member(atlas, "LICENSE"))
    for path in sorted(VENDOR.iterdir()):
        print(f"{path.relative_to(ROOT)}  {path.stat().st_size:,} bytes")


if __name__ == "__main__":
    main()
