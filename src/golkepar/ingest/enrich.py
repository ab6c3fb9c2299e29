"""Enrichment of parsed hits: GeoIP/ASN, visitor key, browser and bot facts, asset or page.

Each distinct IP, User-Agent and (IP, User-Agent) pair of a batch is worked out once in Python
(tens of thousands at most, cached across batches), then joined back onto the batch's rows.
"""

from __future__ import annotations

import hashlib
import ipaddress
import os
import secrets
from pathlib import Path
from typing import Any

import polars as pl
from crawlerdetect import CrawlerDetect
from ua_parser import parse as parse_user_agent

from golkepar._files import atomic_write_text
from golkepar.geoip.lookup import NO_FACTS, GeoFacts, GeoLookup

SALT_FILE_NAME = "_salt"
VISITOR_KEY_BYTES = 16
# Caches are dropped when they reach this many entries, so a year of logs keeps memory flat.
CACHE_MAX_ENTRIES = 200_000

# Static files: a hit on one of these is an asset, never a page view.
ASSET_EXTENSIONS = (
    *("css", "js", "mjs", "map", "png", "jpg", "jpeg", "gif", "webp", "avif", "svg", "ico"),
    *("bmp", "tif", "tiff", "woff", "woff2", "ttf", "otf", "eot", "mp4", "webm", "ogg", "mp3"),
    *("wav", "m4a", "mov", "avi", "pdf", "zip", "gz", "txt", "xml", "json"),
)
# Paths that are neither assets nor pages: files for robots, not people.
NON_PAGE_PATHS = r"(?i)^/(robots\.txt|favicon\.ico|sitemap[^/]*\.xml|ads\.txt|humans\.txt)$"
_ASSET_PATTERN = r"(?i)\.(?:" + "|".join(ASSET_EXTENSIONS) + r")$"

_TABLET_HINTS = ("ipad", "tablet", "kindle", "silk/", "playbook")
_MOBILE_HINTS = ("mobile", "iphone", "ipod", "android", "windows phone", "opera mini")

UA_COLUMNS = ("browser", "browser_version", "os", "device", "is_bot", "bot_name")
GEO_COLUMNS = ("country_code", "region", "city", "latitude", "longitude", "asn", "as_org")


def load_or_create_salt(lake: Path) -> bytes:
    """The lake's secret key for visitor keys, created (readable by the owner only) on first use."""
    salt_file = lake / SALT_FILE_NAME
    if not salt_file.exists():
        lake.mkdir(parents=True, exist_ok=True)
        atomic_write_text(salt_file, secrets.token_hex(32) + "\n")
        os.chmod(salt_file, 0o600)
    return bytes.fromhex(salt_file.read_text().strip())


def visitor_key(salt: bytes, ip: str | None, user_agent: str | None) -> str:
    """Keyed BLAKE2b of IP and User-Agent: stable for a lake, not reversible without the salt."""
    message = f"{ip or ''}\x00{user_agent or ''}".encode("utf-8", "surrogatepass")
    return hashlib.blake2b(message, key=salt[:64], digest_size=VISITOR_KEY_BYTES).hexdigest()


def anonymize_ip(ip: str | None) -> str | None:
    """IPv4 to its /24 (last octet zero), IPv6 to its /48; anything else unchanged."""
    if ip is None:
        return None
    try:
        address = ipaddress.ip_address(ip)
    except ValueError:
        return ip
    prefix = 24 if address.version == 4 else 48
    return str(ipaddress.ip_network(f"{address}/{prefix}", strict=False).network_address)


def _device_type(user_agent: str, os_family: str, is_bot: bool) -> str:
    if is_bot:
        return "bot"
    lowered = user_agent.lower()
    if any(hint in lowered for hint in _TABLET_HINTS) or (
        "android" in lowered and "mobile" not in lowered
    ):
        return "tablet"
    if any(hint in lowered for hint in _MOBILE_HINTS):
        return "mobile"
    if os_family in ("Windows", "Mac OS X", "Linux", "Ubuntu", "Chrome OS", "Fedora", "FreeBSD"):
        return "desktop"
    return "other"


class Enricher:
    """Adds enrichment columns to parsed hits, remembering what it already worked out."""

    def __init__(self, geo: GeoLookup, salt: bytes, anonymize_ips: bool) -> None:
        self.geo = geo
        self.salt = salt
        self.anonymize_ips = anonymize_ips
        self._crawlers = CrawlerDetect()
        self._geo_cache: dict[str, GeoFacts] = {}
        self._ua_cache: dict[str, tuple[Any, ...]] = {}

    def _geo(self, ip: str | None) -> GeoFacts:
        if ip is None:
            return NO_FACTS
        facts = self._geo_cache.get(ip)
        if facts is None:
            if len(self._geo_cache) >= CACHE_MAX_ENTRIES:
                self._geo_cache.clear()
            facts = self._geo_cache[ip] = self.geo.lookup(ip)
        return facts

    def user_agent_facts(self, user_agent: str | None) -> tuple[Any, ...]:
        """browser, browser_version, os, device, is_bot, bot_name for one User-Agent."""
        if user_agent is None:
            return (None, None, None, "other", False, None)
        facts = self._ua_cache.get(user_agent)
        if facts is None:
            if len(self._ua_cache) >= CACHE_MAX_ENTRIES:
                self._ua_cache.clear()
            parsed = parse_user_agent(user_agent)
            browser = parsed.user_agent.family if parsed.user_agent else None
            version = parsed.user_agent.major if parsed.user_agent else None
            os_family = parsed.os.family if parsed.os else None
            is_bot = bool(self._crawlers.isCrawler(user_agent))
            bot_name = self._crawlers.getMatches() if is_bot else None
            facts = (
                browser,
                version,
                os_family,
                _device_type(user_agent, os_family or "", is_bot),
                is_bot,
                bot_name if isinstance(bot_name, str) else None,
            )
            self._ua_cache[user_agent] = facts
        return facts

    def _visitor_table(self, hits: pl.DataFrame) -> pl.DataFrame:
        """One row per distinct (ip, user_agent): key, stored IP, geo and User-Agent facts."""
        pairs = hits.select("ip", "user_agent").unique()
        rows = []
        for ip, user_agent in pairs.iter_rows():
            geo = self._geo(ip)
            rows.append(
                (
                    ip,
                    user_agent,
                    visitor_key(self.salt, ip, user_agent),
                    anonymize_ip(ip) if self.anonymize_ips else ip,
                    geo.country_code,
                    geo.region,
                    geo.city,
                    geo.latitude,
                    geo.longitude,
                    geo.asn,
                    geo.as_org,
                    *self.user_agent_facts(user_agent),
                )
            )
        schema = {
            "ip": pl.String,
            "user_agent": pl.String,
            "visitor_key": pl.String,
            "_stored_ip": pl.String,
            "country_code": pl.String,
            "region": pl.String,
            "city": pl.String,
            "latitude": pl.Float64,
            "longitude": pl.Float64,
            "asn": pl.Int64,
            "as_org": pl.String,
            "browser": pl.String,
            "browser_version": pl.String,
            "os": pl.String,
            "device": pl.String,
            "is_bot": pl.Boolean,
            "bot_name": pl.String,
        }
        return pl.DataFrame(rows, schema=schema, orient="row")

    def enrich(self, hits: pl.DataFrame) -> pl.DataFrame:
        """The hits with every enrichment column added (and `ip` anonymised when asked)."""
        visitors = self._visitor_table(hits)
        enriched = hits.join(
            visitors,
            on=["ip", "user_agent"],
            how="left",
            nulls_equal=True,
            coalesce=True,
            maintain_order="left",
        )
        path = pl.col("path").fill_null("")
        is_asset = path.str.contains(_ASSET_PATTERN) & ~path.str.contains(NON_PAGE_PATHS)
        is_page = (
            (pl.col("method") == "GET")
            & ((pl.col("status").is_between(200, 299)) | (pl.col("status") == 304))
            & ~path.str.contains(_ASSET_PATTERN)
            & ~path.str.contains(NON_PAGE_PATHS)
        ).fill_null(False)
        return enriched.with_columns(
            pl.col("_stored_ip").alias("ip"),
            is_asset.alias("is_asset"),
            is_page.alias("is_page"),
        )
