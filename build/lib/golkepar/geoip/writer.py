"""Write small `.mmdb` files from plain records, in either record layout.

Used by `golkepar demo` (a GeoIP database built on the fly) and by tests (real files, not mocks).
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import mmdb_writer
import netaddr

from golkepar._files import atomic_path
from golkepar.geoip.lookup import Kind, Layout


@dataclass(frozen=True)
class NetworkRecord:
    """What a database says about one network."""

    cidr: str
    country_code: str | None = None
    region: str | None = None
    city: str | None = None
    latitude: float | None = None
    longitude: float | None = None
    asn: int | None = None
    as_org: str | None = None


def _nested(record: NetworkRecord, kind: Kind) -> dict[str, Any]:
    if kind == "asn":
        return {
            "autonomous_system_number": mmdb_writer.MmdbU32(record.asn or 0),
            "autonomous_system_organization": record.as_org or "",
        }
    content: dict[str, Any] = {"country": {"iso_code": record.country_code or ""}}
    if kind == "city":
        if record.city:
            content["city"] = {"names": {"en": record.city}}
        if record.region:
            content["subdivisions"] = [{"names": {"en": record.region}}]
        if record.latitude is not None and record.longitude is not None:
            content["location"] = {
                "latitude": mmdb_writer.MmdbF64(record.latitude),
                "longitude": mmdb_writer.MmdbF64(record.longitude),
            }
    return content


def _flat(record: NetworkRecord, kind: Kind) -> dict[str, Any]:
    if kind == "asn":
        return {
            "autonomous_system_number": mmdb_writer.MmdbU32(record.asn or 0),
            "autonomous_system_organization": record.as_org or "",
        }
    content: dict[str, Any] = {"country_code": record.country_code or ""}
    if kind == "city":
        content.update({"state1": record.region or "", "city": record.city or ""})
        if record.latitude is not None and record.longitude is not None:
            content["latitude"] = mmdb_writer.MmdbF32(record.latitude)
            content["longitude"] = mmdb_writer.MmdbF32(record.longitude)
    return content


def write_mmdb(
    path: Path,
    records: Iterable[NetworkRecord],
    kind: Kind,
    layout: Layout = "nested",
    database_type: str | None = None,
    ip_version: int = 6,
) -> Path:
    """Write the records that have data for `kind` to `path` (atomically) and return it.

    `ip_version=6` writes a combined database that also answers IPv4 addresses.
    """
    writer = mmdb_writer.MMDBWriter(
        ip_version=ip_version,
        database_type=database_type or f"golkepar-sample-{kind}",
        languages=["en"],
        description="golkepar sample database",
        ipv4_compatible=ip_version == 6,
    )
    build = _flat if layout == "flat" else _nested
    for record in records:
        network = netaddr.IPNetwork(record.cidr)
        if network.version == 6 and ip_version == 4:
            continue
        if kind == "asn" and record.asn is None:
            continue
        if kind != "asn" and record.country_code is None:
            continue
        writer.insert_network(netaddr.IPSet([network]), build(record, kind))
    with atomic_path(path) as temp:
        writer.to_db_file(str(temp))
    return path
