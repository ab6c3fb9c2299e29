"""One reader for every `.mmdb` in IP_PATH_BASE, whatever its source or record layout.

Databases are recognised by their metadata (`database_type`), or, when that says nothing
useful, by the shape of a sample record. Two record layouts are understood: MaxMind's nested one
(`country.iso_code`, `city.names.en`, `subdivisions`, `location`), used by GeoLite2 and DB-IP, and
ip-location-db's flat one (`country_code`, `state1`, `city`, `latitude`).
"""

from __future__ import annotations

import datetime as dt
import ipaddress
import logging
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any, Literal

import maxminddb

from golkepar.errors import GeoipError

logger = logging.getLogger(__name__)

Kind = Literal["city", "country", "asn"]
Layout = Literal["nested", "flat"]

# Addresses almost every database covers: used to learn the layout of an unnamed database.
_PROBE_ADDRESSES = ("8.8.8.8", "1.1.1.1", "81.2.69.142", "2001:4860:4860::8888", "2a00:1450::1")
# The order in which databases answer: a city record also carries the country.
_KIND_ORDER: dict[Kind, int] = {"city": 0, "country": 1, "asn": 2}


@dataclass(frozen=True)
class GeoFacts:
    """What the databases say about one address; every field is None when unknown."""

    country_code: str | None = None
    region: str | None = None
    city: str | None = None
    latitude: float | None = None
    longitude: float | None = None
    asn: int | None = None
    as_org: str | None = None


NO_FACTS = GeoFacts()


@dataclass(frozen=True)
class DatabaseInfo:
    """A validated database: what it holds and when it was built."""

    path: Path
    kind: Kind
    layout: Layout
    database_type: str
    ip_version: int
    built_at: dt.datetime
    node_count: int


def _kind_from_type(database_type: str) -> Kind | None:
    lowered = database_type.lower()
    for kind in ("asn", "city", "country"):
        if kind in lowered:
            return kind
    return None


def _shape_of(record: Mapping[str, Any]) -> tuple[Kind, Layout] | None:
    """Kind and layout of a record, from its keys."""
    if "autonomous_system_number" in record:
        return "asn", "flat"
    if isinstance(record.get("city"), dict) or "subdivisions" in record or "location" in record:
        return "city", "nested"
    if isinstance(record.get("country"), dict):
        return "country", "nested"
    if "city" in record or "latitude" in record or "state1" in record:
        return "city", "flat"
    if "country_code" in record:
        return "country", "flat"
    return None


def _sample_shape(reader: maxminddb.Reader) -> tuple[Kind, Layout] | None:
    for address in _PROBE_ADDRESSES:
        try:
            record = reader.get(address)
        except ValueError:  # an IPv6 probe in an IPv4-only database
            continue
        if isinstance(record, dict) and (shape := _shape_of(record)):
            return shape
    return None


def _open(path: Path) -> maxminddb.Reader:
    try:
        return maxminddb.open_database(str(path))
    except (OSError, ValueError, maxminddb.InvalidDatabaseError) as e:
        raise GeoipError(
            f"{path} is not a valid MaxMind DB file ({e}): delete it or run "
            "`golkepar geoip update --force`"
        ) from e


# A database of up to this many search-tree nodes has every record decoded by `check_records`;
# a bigger one (GeoLite2-City has millions) has a spread of addresses looked up instead.
FULL_CHECK_MAX_NODES = 200_000
SAMPLED_ADDRESSES = 4096


def _spread_addresses(ip_version: int) -> list[str]:
    """Addresses spread evenly over the IPv4 space (and the IPv6 one), to sample a database."""
    step4 = (1 << 32) // SAMPLED_ADDRESSES
    addresses = [str(ipaddress.IPv4Address(n * step4 + 1)) for n in range(SAMPLED_ADDRESSES)]
    if ip_version == 6:
        step6 = (1 << 128) // SAMPLED_ADDRESSES
        addresses += [str(ipaddress.IPv6Address(n * step6 + 1)) for n in range(SAMPLED_ADDRESSES)]
    return addresses


def check_records(path: Path) -> None:
    """Decode the records of `path` (all of a small database, a spread of a big one): a data
    section damaged after the metadata and search tree is found here, not at the first lookup
    that meets it. Raises GeoipError naming the file.
    """
    reader = _open(path)
    try:
        meta = reader.metadata()
        if meta.node_count <= FULL_CHECK_MAX_NODES:
            for _ in reader:
                pass
        else:
            for address in _spread_addresses(meta.ip_version):
                reader.get(address)
    except Exception as e:  # the C reader raises several types on damaged data
        raise GeoipError(f"{path} has a corrupt data section ({e}): delete it") from e
    finally:
        reader.close()


def describe_database(path: Path) -> DatabaseInfo:
    """Open `path`, check it is a usable GeoIP/ASN database, and say what it holds."""
    reader = _open(path)
    try:
        meta = reader.metadata()
        shape = _sample_shape(reader)
    except (maxminddb.InvalidDatabaseError, ValueError, OSError) as e:
        raise GeoipError(f"{path} is a corrupt MaxMind DB file ({e}): delete it") from e
    finally:
        reader.close()
    kind = _kind_from_type(meta.database_type) or (shape[0] if shape else None)
    if kind is None:
        raise GeoipError(
            f"{path}: database type {meta.database_type!r} holds neither locations nor ASNs"
        )
    layout: Layout = (
        shape[1] if shape else ("flat" if "ip-location" in meta.database_type else "nested")
    )
    return DatabaseInfo(
        path=path,
        kind=kind,
        layout=layout,
        database_type=meta.database_type,
        ip_version=meta.ip_version,
        built_at=dt.datetime.fromtimestamp(meta.build_epoch, tz=dt.UTC),
        node_count=meta.node_count,
    )


def _english(names: Any) -> str | None:
    if isinstance(names, dict):
        value = names.get("en") or next(iter(names.values()), None)
        return value if isinstance(value, str) else None
    return None


def _as_float(value: Any) -> float | None:
    try:
        return float(value) if value is not None and value != "" else None
    except (TypeError, ValueError):
        return None


def _as_int(value: Any) -> int | None:
    try:
        return int(value) if value is not None and value != "" else None
    except (TypeError, ValueError):
        return None


def _as_text(value: Any) -> str | None:
    return value if isinstance(value, str) and value else None


def _mapping(value: Any) -> Mapping[str, Any]:
    """`value` when it is a mapping, else an empty one: a record of the wrong shape (a
    database built by hand) gives no facts rather than an error."""
    return value if isinstance(value, Mapping) else {}


def _first(value: Any) -> Mapping[str, Any]:
    return _mapping(value[0]) if isinstance(value, list) and value else {}


def _location_facts(record: Mapping[str, Any]) -> dict[str, Any]:
    """country_code, region, city, latitude, longitude from a record of either layout."""
    country = record.get("country")
    if isinstance(country, Mapping):  # MaxMind's nested layout (GeoLite2, DB-IP)
        location = _mapping(record.get("location"))
        return {
            "country_code": _as_text(country.get("iso_code")),
            "region": _english(_first(record.get("subdivisions")).get("names")),
            "city": _english(_mapping(record.get("city")).get("names")),
            "latitude": _as_float(location.get("latitude")),
            "longitude": _as_float(location.get("longitude")),
        }
    return {  # ip-location-db's flat layout
        "country_code": _as_text(record.get("country_code")),
        "region": _as_text(record.get("state1")),
        "city": _as_text(record.get("city")),
        "latitude": _as_float(record.get("latitude")),
        "longitude": _as_float(record.get("longitude")),
    }


def _asn_facts(record: Mapping[str, Any]) -> dict[str, Any]:
    return {
        # AS 0 is reserved: a record that says 0 names no AS.
        "asn": _as_int(record.get("autonomous_system_number")) or None,
        "as_org": _as_text(record.get("autonomous_system_organization")),
    }


class GeoLookup:
    """Answers "where is this address, and whose network is it?" from every database given."""

    def __init__(self, databases: Sequence[DatabaseInfo]) -> None:
        self.databases = tuple(sorted(databases, key=lambda d: (_KIND_ORDER[d.kind], d.path.name)))
        self._readers = [(info, _open(info.path)) for info in self.databases]

    @classmethod
    def from_folder(cls, folder: Path) -> GeoLookup:
        """Every `*.mmdb` in `folder` (not recursive); an absent folder gives an empty lookup."""
        paths = sorted(folder.glob("*.mmdb")) if folder.is_dir() else []
        return cls([describe_database(p) for p in paths if p.is_file()])

    def __enter__(self) -> GeoLookup:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    def close(self) -> None:
        for _, reader in self._readers:
            reader.close()
        self._readers = []

    @property
    def has_locations(self) -> bool:
        return any(d.kind in ("city", "country") for d in self.databases)

    @property
    def has_asns(self) -> bool:
        return any(d.kind == "asn" for d in self.databases)

    def lookup(self, ip: str) -> GeoFacts:
        """Facts for one address; an unparsable address (a host name) gives empty facts."""
        try:
            address = ipaddress.ip_address(ip)
        except ValueError:
            return NO_FACTS
        if address.version == 6 and address.scope_id is not None:
            return NO_FACTS  # `fe80::1%eth0`: a link-local address, in no database
        version = address.version
        found: dict[str, Any] = {}
        for info, reader in self._readers:
            if version == 6 and info.ip_version == 4:
                continue
            want_location = info.kind != "asn" and found.get("country_code") is None
            want_asn = info.kind == "asn" and found.get("asn") is None
            if not (want_location or want_asn):
                continue
            try:
                record = reader.get(ip)
            except (ValueError, maxminddb.InvalidDatabaseError) as e:
                raise GeoipError(f"{info.path} is corrupt ({e}): delete it") from e
            if not isinstance(record, dict):
                continue
            facts = _location_facts(record) if want_location else _asn_facts(record)
            # All of a kind's facts come from one record: a city from one database and the
            # country of another, or one's AS number with another's AS name, would be wrong.
            if facts["country_code" if want_location else "asn"] is None:
                continue
            found.update({key: value for key, value in facts.items() if value is not None})
        return GeoFacts(**found) if found else NO_FACTS

    def lookup_many(self, ips: Iterable[str]) -> dict[str, GeoFacts]:
        return {ip: self.lookup(ip) for ip in ips}
