"""Check the crawler IP ranges search engines publish (`googlebot.json`, `bingbot.json`).

The files are kept exactly as published; the warehouse reads them to tell a real Googlebot from a
fake one without DNS look-ups. A file is accepted only when every prefix parses as a network.
"""

from __future__ import annotations

import ipaddress
import json
from pathlib import Path
from typing import Any

from golkepar.errors import GeoipError

# The published files are a few kilobytes; anything far bigger is not what we asked for.
MAX_RANGES_BYTES = 4 * 1024**2
_KEYS = {"ipv4Prefix": 4, "ipv6Prefix": 6}


def validate_crawler_ranges(path: Path) -> int:
    """The number of prefixes in a vendor's ranges file; `GeoipError` when it is not one."""
    try:
        document: Any = json.loads(path.read_bytes())
    except (OSError, ValueError) as e:
        raise GeoipError(f"the crawler ranges are not JSON ({e})") from e
    prefixes = document.get("prefixes") if isinstance(document, dict) else None
    if not isinstance(prefixes, list) or not prefixes:
        raise GeoipError("the crawler ranges have no 'prefixes' list")
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
    return len(prefixes)
