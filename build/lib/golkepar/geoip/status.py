"""`golkepar geoip status` and `lookup`: what IP_PATH_BASE holds, and what it says about addresses.

Both only read: they take no lock, since `update` replaces files by renaming them.
"""

from __future__ import annotations

import datetime as dt
import ipaddress
import json
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path

from golkepar.errors import ConfigError, GeoipError
from golkepar.geoip.crawler_ranges import (
    CRAWLER_FILE_NAMES,
    CRAWLERS,
    Network,
    read_crawler_ranges,
    validate_crawler_ranges,
)
from golkepar.geoip.lookup import GeoFacts, GeoLookup, check_records, describe_database
from golkepar.geoip.state import load_state


@dataclass(frozen=True)
class FileStatus:
    """One file of IP_PATH_BASE: what it holds, when it was built, and where it came from."""

    name: str
    kind: str
    layout: str | None = None
    database_type: str | None = None
    ip_version: int | None = None
    built_at: dt.datetime | None = None
    prefixes: int | None = None
    source: str | None = None
    checked_at: str | None = None
    problem: str | None = None

    def age_days(self, now: dt.datetime) -> int | None:
        return None if self.built_at is None else (now - self.built_at).days


@dataclass(frozen=True)
class GeoipStatus:
    """Every file, plus warnings a user should act on (nothing to look up with, two sources)."""

    folder: Path
    files: tuple[FileStatus, ...]
    warnings: tuple[str, ...]


def _published_at(path: Path) -> dt.datetime | None:
    try:
        created = json.loads(path.read_bytes()).get("creationTime")
        published = dt.datetime.fromisoformat(created) if isinstance(created, str) else None
    except (OSError, ValueError, AttributeError):
        return None
    # Google writes its time without an offset; it is UTC.
    if published is not None and published.tzinfo is None:
        published = published.replace(tzinfo=dt.UTC)
    return published


def _describe(path: Path, source: str | None, checked_at: str | None) -> FileStatus:
    if path.suffix == ".json":
        try:
            prefixes = validate_crawler_ranges(path)
        except GeoipError as e:
            return FileStatus(path.name, "crawler ranges", source=source, problem=str(e))
        return FileStatus(
            path.name,
            "crawler ranges",
            built_at=_published_at(path),
            prefixes=prefixes,
            source=source,
            checked_at=checked_at,
        )
    try:
        info = describe_database(path)
        check_records(path)
    except GeoipError as e:
        return FileStatus(path.name, "unreadable", source=source, problem=str(e))
    return FileStatus(
        path.name,
        info.kind,
        layout=info.layout,
        database_type=info.database_type,
        ip_version=info.ip_version,
        built_at=info.built_at,
        source=source,
        checked_at=checked_at,
    )


def folder_status(folder: Path) -> GeoipStatus:
    """Describe every `.mmdb` and crawler range file in `folder`."""
    state = load_state(folder)
    paths = sorted(folder.glob("*.mmdb")) if folder.is_dir() else []
    paths += [folder / name for name in CRAWLER_FILE_NAMES if (folder / name).is_file()]
    files = []
    for path in paths:
        entry = state.get(path.name)
        files.append(
            _describe(path, entry.source if entry else None, entry.checked_at if entry else None)
        )
    return GeoipStatus(folder, tuple(files), _warnings(files))


def _warnings(files: Sequence[FileStatus]) -> tuple[str, ...]:
    warnings = []
    locations = [f for f in files if f.kind in ("city", "country") and f.problem is None]
    if not locations:
        warnings.append("no location database: run `golkepar geoip update`")
    if not any(f.kind == "asn" and f.problem is None for f in files):
        warnings.append("no ASN database: run `golkepar geoip update`")
    cities = [f for f in locations if f.kind == "city"]
    if len({f.source for f in cities}) > 1:
        # GeoLookup asks city databases in name order; the first that knows an address wins.
        names = ", ".join(f.name for f in cities)
        warnings.append(
            f"city databases from different sources ({names}): {cities[0].name} answers first; "
            "delete the ones you do not want"
        )
    warnings += [f"{f.name}: {f.problem}" for f in files if f.problem]
    return tuple(warnings)


@dataclass(frozen=True)
class AddressFacts:
    """What enrichment gives for one address, plus the crawler whose published range holds it."""

    ip: str
    facts: GeoFacts
    crawler: str | None


def _crawler_networks(folder: Path) -> dict[str, tuple[Network, ...]]:
    """Each crawler's published networks; a missing or damaged file (status says so) is left out."""
    networks: dict[str, tuple[Network, ...]] = {}
    for crawler in CRAWLERS:
        try:
            networks[crawler.name] = read_crawler_ranges(folder / crawler.file_name)
        except GeoipError:
            continue
    return networks


def lookup_addresses(folder: Path, ips: Sequence[str]) -> tuple[AddressFacts, ...]:
    """Look each address up in every database of `folder`, as ingest would."""
    for ip in ips:
        try:
            ipaddress.ip_address(ip)
        except ValueError:
            raise ConfigError(f"{ip!r} is not an IP address: give addresses like 8.8.8.8") from None
    crawlers = _crawler_networks(folder)
    with GeoLookup.from_folder(folder) as geo:
        if not geo.databases:
            raise GeoipError(
                f"no GeoIP database in {str(folder)!r}: run `golkepar geoip update` first"
            )
        results = []
        for ip in ips:
            address = ipaddress.ip_address(ip)
            crawler = next(
                (
                    name
                    for name, nets in crawlers.items()
                    if any(address.version == n.version and address in n for n in nets)
                ),
                None,
            )
            results.append(AddressFacts(ip, geo.lookup(ip), crawler))
    return tuple(results)
