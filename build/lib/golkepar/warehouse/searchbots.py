"""Verified search bots: does an IP that claims to be Googlebot or Bingbot lie in their ranges?

The geoip stage stores each vendor's published crawler ranges in IP_PATH_BASE, in the vendor's
own JSON format. Only the few addresses whose User-Agent claims a search bot are checked, here in
Python (DuckDB's `inet` extension cannot be installed offline).
"""

from __future__ import annotations

import ipaddress
from dataclasses import dataclass
from pathlib import Path

from golkepar.errors import BuildError, GeoipError
from golkepar.geoip.crawler_ranges import Network, published_ranges
from golkepar.warehouse.patterns import SEARCH_BOT_CLAIMS


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


def load_search_bot_ranges(ip_path_base: Path) -> tuple[SearchBotRanges, ...]:
    """The crawlers whose ranges file is present in `ip_path_base` (none is fine)."""
    try:
        published = {
            crawler.name: networks for crawler, networks in published_ranges(ip_path_base).items()
        }
    except GeoipError as e:
        raise BuildError(
            f"cannot read the crawler ranges {e}: run `golkepar geoip update` again, "
            "or delete the file"
        ) from e
    return tuple(
        SearchBotRanges(bot, pattern, published[bot])
        for bot, pattern in SEARCH_BOT_CLAIMS
        if bot in published
    )
