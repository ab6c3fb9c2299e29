"""The crawler IP ranges search engines publish (`googlebot.json`, `bingbot.json`): names, reader.

The files are kept in IP_PATH_BASE exactly as published; the warehouse reads them to tell a real
Googlebot from a fake one without DNS look-ups, and `geoip lookup` to say who crawls from an
address. A file is accepted only when every prefix parses as a network of the version it claims.
"""

from __future__ import annotations

import ipaddress
import json
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from golkepar.errors import GeoipError

# The published files are a few kilobytes; anything far bigger is not what we asked for.
MAX_RANGES_BYTES = 4 * 1024**2
_KEYS = {"ipv4Prefix": 4, "ipv6Prefix": 6}

Network = ipaddress.IPv4Network | ipaddress.IPv6Network


@dataclass(frozen=True)
class Crawler:
    """A search engine's crawler, and where its published ranges come from and are kept."""

    name: str
    vendor: str
    file_name: str
    # The `Settings` field holding the URL the ranges are downloaded from.
    url_setting: str


CRAWLERS: tuple[Crawler, ...] = (
    Crawler("Googlebot", "Google", "googlebot.json", "googlebot_ranges_url"),
    Crawler("Bingbot", "Bing", "bingbot.json", "bingbot_ranges_url"),
)
CRAWLER_FILE_NAMES: tuple[str, ...] = tuple(c.file_name for c in CRAWLERS)


def read_crawler_ranges(path: Path) -> tuple[Network, ...]:
    """The networks of a vendor's ranges file; `GeoipError` when it is not one."""
    try:
        document: Any = json.loads(path.read_bytes())
    except (OSError, ValueError) as e:
        raise GeoipError(f"the crawler ranges are not JSON ({e})") from e
    prefixes = document.get("prefixes") if isinstance(document, dict) else None
    if not isinstance(prefixes, list) or not prefixes:
        raise GeoipError("the crawler ranges have no 'prefixes' list")
    networks = []
    for entry in prefixes:
        keys = [k for k in _KEYS if isinstance(entry, dict) and k in entry]
        if len(keys) != 1:
            raise GeoipError(f"crawler range {entry!r} has no single ipv4Prefix or ipv6Prefix")
        value = entry[keys[0]]
        if not isinstance(value, str):  # ip_network() would take 42 for 0.0.0.42
            raise GeoipError(f"crawler range {value!r} is not a network written as text")
        try:
            network = ipaddress.ip_network(value, strict=False)
        except ValueError as e:
            raise GeoipError(f"crawler range {value!r} is not a network ({e})") from e
        if network.version != _KEYS[keys[0]]:
            raise GeoipError(f"crawler range {value!r} is not an IPv{_KEYS[keys[0]]} network")
        networks.append(network)
    return tuple(networks)


def validate_crawler_ranges(path: Path) -> int:
    """The number of prefixes in a vendor's ranges file; `GeoipError` when it is not one."""
    return len(read_crawler_ranges(path))


def published_ranges(folder: Path) -> dict[Crawler, tuple[Network, ...]]:
    """The networks of each crawler whose ranges file is in `folder` (none is fine).

    A file that is there but unreadable raises `GeoipError` naming it.
    """
    found = {}
    for crawler in CRAWLERS:
        path = folder / crawler.file_name
        if not path.is_file():
            continue
        try:
            found[crawler] = read_crawler_ranges(path)
        except GeoipError as e:
            raise GeoipError(f"{str(path)!r}: {e}") from e
    return found
