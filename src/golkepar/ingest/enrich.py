"""Enrichment of parsed hits: GeoIP/ASN, visitor key, browser and bot facts, asset or page.

Each distinct IP, User-Agent and (IP, User-Agent) pair of a batch is worked out once in Python
(tens of thousands at most, cached across batches), then joined back onto the batch's rows.
"""

from __future__ import annotations

import hashlib
import ipaddress
import os
import secrets
from collections.abc import Callable
from pathlib import Path
from typing import Any

import polars as pl
import ua_parser.regex
from ua_parser import Parser, load_builtins

from golkepar._files import atomic_write_text
from golkepar.errors import IngestError
from golkepar.geoip.lookup import NO_FACTS, GeoLookup
from golkepar.ingest.bots import BotDetector
from golkepar.lake.contract import ASSET_EXTENSIONS
from golkepar.lake.schemas import HIT_SCHEMA

SALT_FILE_NAME = "_salt"
VISITOR_KEY_BYTES = 16
# A salt shorter than this cannot keep keys from being reversed by hashing every IPv4 address.
SALT_MIN_BYTES = 16
# Enrichment tables start over past this many rows or bytes, so memory stays flat.
CACHE_MAX_ENTRIES = 200_000
CACHE_MAX_BYTES = 64 * 1024 * 1024

# Paths that are neither assets nor pages: files for robots, not people.
NON_PAGE_PATHS = r"(?i)^/(robots\.txt|favicon\.ico|sitemap[^/]*\.xml|ads\.txt|humans\.txt)$"
_ASSET_PATTERN = r"(?i)\.(?:" + "|".join(ASSET_EXTENSIONS) + r")$"

_TABLET_HINTS = ("ipad", "tablet", "kindle", "silk/", "playbook")
_MOBILE_HINTS = ("mobile", "iphone", "ipod", "android", "windows phone", "opera mini")

UA_COLUMNS = ("browser", "browser_version", "os", "device", "is_bot", "bot_name")
UA_SCHEMA: dict[str, Any] = {name: HIT_SCHEMA[name] for name in UA_COLUMNS}
GEO_COLUMNS = ("country_code", "region", "city", "latitude", "longitude", "asn", "as_org")
GEO_SCHEMA: dict[str, Any] = {name: HIT_SCHEMA[name] for name in GEO_COLUMNS}
# Left joins that keep every hit, and match a null User-Agent or IP like any other value.
# Row order is not kept (it costs a third of the join): rows carry their source_line.
_JOIN: dict[str, Any] = {"how": "left", "nulls_equal": True, "coalesce": True}
# The column that tells a key the table knows from one it does not, after a left join.
_KNOWN = "_known"


def load_or_create_salt(lake: Path, may_create: bool = True) -> bytes:
    """The lake's secret key for visitor keys, created (readable by the owner only) on first use.

    `may_create` is False when the lake already holds rows keyed with a salt: a new one would
    then give the same visitor two keys, so a missing salt is an error, like a damaged one.
    """
    salt_file = lake / SALT_FILE_NAME
    if not salt_file.exists():
        if not may_create:
            raise IngestError(
                f"{str(salt_file)!r} is missing but the lake already holds data keyed with it: "
                "restore it from a backup, or run `golkepar ingest --force` to key every "
                "visitor again with a new one"
            )
        lake.mkdir(parents=True, exist_ok=True)
        atomic_write_text(salt_file, secrets.token_hex(32) + "\n")
        os.chmod(salt_file, 0o600)
    try:
        salt = bytes.fromhex(salt_file.read_text(encoding="ascii").strip())
    except (ValueError, UnicodeDecodeError):
        salt = b""
    if len(salt) < SALT_MIN_BYTES:
        raise IngestError(
            f"{str(salt_file)!r} is damaged: restore it from a backup (a new one would change "
            "every visitor_key, so golkepar will not make one over it)"
        )
    return salt


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


class _KnownValues:
    """A growing table of facts keyed by one or more columns, worked out once per key.

    Each batch's keys are answered by one left join on the table; only the keys it does not
    know go through Python. The table starts over before it would pass `max_rows` rows or
    `max_bytes` (hostile logs send endless distinct User-Agents of kilobytes each), so memory
    stays bounded.
    """

    def __init__(
        self,
        keys: list[str],
        schema: dict[str, Any],
        work_out: Callable[[pl.DataFrame], dict[str, list[Any]]],
        max_rows: int = CACHE_MAX_ENTRIES,
        max_bytes: int = CACHE_MAX_BYTES,
    ) -> None:
        self.keys = keys
        self.schema = {**schema, _KNOWN: pl.Boolean}
        self.work_out = work_out
        self.max_rows = max_rows
        self.max_bytes = max_bytes
        self.table = pl.DataFrame(schema=self.schema)

    def for_batch(self, hits: pl.DataFrame) -> pl.DataFrame:
        """One row of facts for each distinct key of `hits`."""
        wanted = hits.select(self.keys).unique()
        full = self.table.height + wanted.height > self.max_rows
        if full or self.table.estimated_size() > self.max_bytes:
            self.table = pl.DataFrame(schema=self.schema)
        found = wanted.join(self.table, on=self.keys, **_JOIN)
        unknown = found.get_column(_KNOWN).is_null()
        if unknown.any():
            new = found.filter(unknown).select(self.keys)
            facts = pl.DataFrame(
                {**new.to_dict(), **self.work_out(new), _KNOWN: [True] * new.height},
                schema=self.schema,
            )
            self.table = pl.concat([self.table, facts], rechunk=False)
            if self.table.n_chunks() > 64:
                self.table = self.table.rechunk()
            found = pl.concat([found.filter(~unknown), facts])
        return found.drop(_KNOWN)


class _FactsByKey:
    """Facts worked out once per key (an IP, a User-Agent), in a dictionary that starts over
    past `max_entries` keys or `max_bytes` of keys."""

    def __init__(
        self,
        work_out: Callable[[list[str | None]], list[tuple[Any, ...]]],
        max_entries: int = CACHE_MAX_ENTRIES,
        max_bytes: int = CACHE_MAX_BYTES,
    ) -> None:
        self.work_out = work_out
        self.max_entries = max_entries
        self.max_bytes = max_bytes
        self._facts: dict[str | None, tuple[Any, ...]] = {}
        self._bytes = 0

    def facts(self, keys: list[str | None]) -> list[tuple[Any, ...]]:
        """The facts of each of `keys`, in order."""
        distinct = list(dict.fromkeys(keys))
        if len(self._facts) + len(distinct) > self.max_entries or self._bytes > self.max_bytes:
            self._facts, self._bytes = {}, 0
        unknown = [key for key in distinct if key not in self._facts]
        if unknown:
            self._facts.update(zip(unknown, self.work_out(unknown), strict=True))
            self._bytes += sum(len(key) for key in unknown if key is not None)
        return [self._facts[key] for key in keys]


class Enricher:
    """Adds enrichment columns to parsed hits, remembering what it already worked out."""

    def __init__(self, geo: GeoLookup, salt: bytes, anonymize_ips: bool) -> None:
        self.geo = geo
        self.salt = salt
        self.anonymize_ips = anonymize_ips
        self._bots = BotDetector()
        # The Rust-backed resolver without ua-parser's own cache: each User-Agent is parsed
        # once anyway (`_FactsByKey`), and the cache costs 40% of a parse.
        self._user_agent_parser = Parser(ua_parser.regex.Resolver(load_builtins()))
        self._addresses = _FactsByKey(self._address_facts)
        self._user_agents = _FactsByKey(self._user_agent_facts)
        # Every fact of a visitor (IP and User-Agent) in one table: one join a batch answers
        # them all (three tables took six joins, each hashing its whole table).
        self._visitors = _KnownValues(
            ["ip", "user_agent"],
            {
                "ip": pl.String,
                "user_agent": pl.String,
                "visitor_key": pl.String,
                "_stored_ip": pl.String,
                **GEO_SCHEMA,
                **UA_SCHEMA,
            },
            self._visitor_facts,
        )

    def user_agent_facts(self, user_agent: str | None, maybe_bot: bool = True) -> tuple[Any, ...]:
        """browser, browser_version, os, device, is_bot, bot_name for one User-Agent.

        `maybe_bot=False` (from `BotDetector.maybe_bots`) spares the crawler check.
        """
        if user_agent is None:
            return (None, None, None, "other", False, None)
        parsed = self._user_agent_parser.parse(user_agent)
        os_family = parsed.os.family if parsed.os else None
        is_bot, bot_name = self._bots.detect(user_agent) if maybe_bot else (False, None)
        return (
            parsed.user_agent.family if parsed.user_agent else None,
            parsed.user_agent.major if parsed.user_agent else None,
            os_family,
            _device_type(user_agent, os_family or "", is_bot),
            is_bot,
            bot_name,
        )

    def _address_facts(self, ips: list[str | None]) -> list[tuple[Any, ...]]:
        """The stored IP (anonymised when asked), then GEO_COLUMNS, for each address."""
        facts = []
        for ip in ips:
            found = self.geo.lookup(ip) if ip is not None else NO_FACTS
            stored = anonymize_ip(ip) if self.anonymize_ips else ip
            facts.append((stored, *(getattr(found, name) for name in GEO_COLUMNS)))
        return facts

    def _user_agent_facts(self, user_agents: list[str | None]) -> list[tuple[Any, ...]]:
        """UA_COLUMNS for each User-Agent; the crawler list is asked only of possible bots."""
        maybe_bots = self._bots.maybe_bots(pl.Series(user_agents, dtype=pl.String))
        return [
            self.user_agent_facts(ua, maybe_bot)
            for ua, maybe_bot in zip(user_agents, maybe_bots, strict=True)
        ]

    def _visitor_facts(self, new: pl.DataFrame) -> dict[str, list[Any]]:
        ips: list[str | None] = new.get_column("ip").to_list()
        user_agents: list[str | None] = new.get_column("user_agent").to_list()
        address_facts = self._addresses.facts(ips)
        agent_facts = self._user_agents.facts(user_agents)
        columns: dict[str, list[Any]] = {
            "visitor_key": [
                visitor_key(self.salt, ip, ua) for ip, ua in zip(ips, user_agents, strict=True)
            ]
        }
        for index, name in enumerate(("_stored_ip", *GEO_COLUMNS)):
            columns[name] = [facts[index] for facts in address_facts]
        for index, name in enumerate(UA_COLUMNS):
            columns[name] = [facts[index] for facts in agent_facts]
        return columns

    def enrich(self, hits: pl.DataFrame) -> pl.DataFrame:
        """The hits with every enrichment column added (and `ip` anonymised when asked)."""
        visitors = self._visitors.for_batch(hits)
        path = pl.col("path").fill_null("")
        # Eager join: measured three times faster here than the same join in a lazy query.
        return (
            hits.join(visitors, on=["ip", "user_agent"], **_JOIN)
            .lazy()
            .with_columns(
                path.str.contains(_ASSET_PATTERN).alias("_static"),
                path.str.contains(NON_PAGE_PATHS).alias("_for_robots"),
            )
            .with_columns(
                pl.col("_stored_ip").alias("ip"),
                (pl.col("_static") & ~pl.col("_for_robots")).alias("is_asset"),
                (
                    (pl.col("method") == "GET")
                    & (pl.col("status").is_between(200, 299) | (pl.col("status") == 304))
                    & ~pl.col("_static")
                    & ~pl.col("_for_robots")
                )
                .fill_null(False)
                .alias("is_page"),
            )
            .drop("_stored_ip", "_static", "_for_robots")
            .collect()
        )
