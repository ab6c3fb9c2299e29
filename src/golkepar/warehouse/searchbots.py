"""Verified search bots: does an IP that claims to be Googlebot or Bingbot lie in their ranges?

The geoip stage stores each vendor's published crawler ranges in IP_PATH_BASE, in the vendor's
own JSON format. Only the few addresses whose User-Agent claims a search bot are checked, here in
Python (DuckDB's `inet` extension cannot be installed offline).
"""

from __future__ import annotations

import ipaddress
import json
from dataclasses import dataclass
from pathlib import Path

from golkepar.errors import BuildError
from golkepar.warehouse.patterns import SEARCH_BOT_CLAIMS

Network = ipaddress.IPv4Network | ipaddress.IPv6Network


@dataclass(frozen=True)
class SearchBotRanges:
    """A search engine's crawler, and the networks it publishes for it."""

    bot: str
    claim_pattern: str
    networks: tuple[Network, ...]

    def contains(self, ip: str | None) -> bool:
        """True when `ip` is a valid address inside one of the networks."""
        if ip is None:
            return False
        try:
            address = ipaddress.ip_address(ip)
        except ValueError:
            return False
        return any(address in network for network in self.networks)


def read_ranges_file(path: Path) -> tuple[Network, ...]:
    """The networks in a vendor's file (`{"prefixes": [{"ipv4Prefix": ...}, ...]}`)."""
    try:
        prefixes = json.loads(path.read_text(encoding="utf-8"))["prefixes"]
        return tuple(
            ipaddress.ip_network(prefix.get("ipv4Prefix") or prefix["ipv6Prefix"], strict=False)
            for prefix in prefixes
        )
    except (OSError, UnicodeDecodeError, ValueError, KeyError, TypeError, AttributeError) as e:
        raise BuildError(
            f"cannot read the crawler ranges {str(path)!r} ({e!r}): "
            "run `golkepar geoip update` again, or delete the file"
        ) from e


def load_search_bot_ranges(ip_path_base: Path) -> tuple[SearchBotRanges, ...]:
    """The vendors whose ranges file is present in `ip_path_base` (none is fine)."""
    return tuple(
        SearchBotRanges(bot, pattern, read_ranges_file(ip_path_base / file_name))
        for bot, pattern, file_name in SEARCH_BOT_CLAIMS
        if (ip_path_base / file_name).is_file()
    )
