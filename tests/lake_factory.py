"""Write a lake exactly as docs/lake.md describes it, from crafted hits with a known answer.

The ingest stage writes real lakes; the build's tests need lakes whose every hit was chosen by
hand, so they are written here with pyarrow: partitioned Parquet files, all columns with their
documented types, and a `_manifest.json` that lists them.
"""

from __future__ import annotations

import hashlib
import json
from collections import defaultdict
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from datetime import UTC, date, datetime, timedelta, timezone
from pathlib import Path
from typing import Any

import pyarrow as pa
import pyarrow.parquet as pq

from golkepar.lake.contract import ASSET_EXTENSIONS, MANIFEST_NAME, MANIFEST_VERSION
from golkepar.lake.schemas import arrow_schema

SITE = "example.com"
PARIS_WINTER = timezone(timedelta(hours=1))
CHROME = (
    "Mozilla/5.0 (Windows NT 10.0; Win64; x64) AppleWebKit/537.36 (KHTML, like Gecko) "
    "Chrome/131.0.0.0 Safari/537.36"
)
FIREFOX = "Mozilla/5.0 (X11; Linux x86_64; rv:133.0) Gecko/20100101 Firefox/133.0"
SAFARI_IPHONE = (
    "Mozilla/5.0 (iPhone; CPU iPhone OS 18_1 like Mac OS X) AppleWebKit/605.1.15 "
    "(KHTML, like Gecko) Version/18.1 Mobile/15E148 Safari/604.1"
)
GOOGLEBOT = "Mozilla/5.0 (compatible; Googlebot/2.1; +http://www.google.com/bot.html)"
BINGBOT = "Mozilla/5.0 (compatible; bingbot/2.0; +http://www.bing.com/bingbot.htm)"

HITS_SCHEMA = arrow_schema("hits")
ERRORS_SCHEMA = arrow_schema("errors")
REJECTS_SCHEMA = arrow_schema("rejects")


def visitor_key(ip: str, user_agent: str | None) -> str:
    """A stand-in for ingest's keyed hash: 32 hex digits, one per (IP, User-Agent)."""
    return hashlib.blake2b(
        f"{ip}\x00{user_agent or ''}".encode(), key=b"test-salt", digest_size=16
    ).hexdigest()


def _browser(user_agent: str | None) -> tuple[str | None, str | None, str]:
    """(browser, os, device) for the few User-Agents the tests use."""
    if not user_agent or not user_agent.startswith("Mozilla/5.0 ("):
        return ("Other" if user_agent else None), "Other", "other"
    if "compatible;" in user_agent:
        return "Other", "Other", "bot"
    if "iPhone" in user_agent:
        return "Mobile Safari", "iOS", "mobile"
    if "Firefox/" in user_agent:
        return "Firefox", "Linux", "desktop"
    return "Chrome", "Windows", "desktop"


@dataclass
class Hit:
    """One access-log line, with the columns ingest would derive filled in from the others."""

    ts: datetime
    ip: str = "198.51.100.10"
    user_agent: str | None = CHROME
    path: str = "/"
    query: str | None = None
    method: str | None = "GET"
    status: int = 200
    bytes: int | None = 1234
    referer: str | None = None
    remote_user: str | None = None
    is_bot: bool = False
    bot_name: str | None = None
    country_code: str | None = "FR"
    asn: int | None = 16276
    as_org: str | None = "OVH SAS"
    site: str = SITE
    extra: Mapping[str, Any] = field(default_factory=dict)

    def row(self, source_file: str, source_line: int) -> dict[str, Any]:
        local = self.ts.astimezone(self.ts.tzinfo or UTC)
        offset = local.utcoffset() or timedelta(0)
        name = self.path.rsplit("/", 1)[-1]
        extension = name.rsplit(".", 1)[-1].lower() if "." in name else ""
        special = self.path == "/robots.txt" or "sitemap" in self.path
        is_asset = extension in ASSET_EXTENSIONS and not special
        is_page = (
            self.method == "GET"
            and not is_asset
            and (200 <= self.status < 300 or self.status == 304)
            and self.path not in ("/robots.txt", "/favicon.ico")
            and "sitemap" not in self.path
        )
        target = self.path + (f"?{self.query}" if self.query is not None else "")
        browser, os_family, device = _browser(self.user_agent)
        row: dict[str, Any] = {
            "site": self.site,
            "vhost": self.site,
            "ts": self.ts.astimezone(UTC),
            "utc_offset_min": int(offset.total_seconds() // 60),
            "local_date": local.date(),
            "ip": self.ip,
            "visitor_key": visitor_key(self.ip, self.user_agent),
            "remote_user": self.remote_user,
            "request": f"{self.method} {target} HTTP/1.1" if self.method else "-",
            "method": self.method,
            "path": self.path,
            "query": self.query,
            "protocol": "HTTP/1.1",
            "status": self.status,
            "bytes": self.bytes,
            "bytes_in": None,
            "response_time_us": None,
            "referer": self.referer,
            "user_agent": self.user_agent,
            "extra": None,
            "is_asset": is_asset,
            "is_page": is_page,
            "browser": "Other" if self.is_bot else browser,
            "browser_version": None,
            "os": os_family,
            "device": "bot" if self.is_bot else device,
            "is_bot": self.is_bot,
            "bot_name": self.bot_name,
            "country_code": self.country_code,
            "region": None,
            "city": None,
            "latitude": None,
            "longitude": None,
            "asn": self.asn,
            "as_org": self.as_org,
            "source_file": source_file,
            "source_line": source_line,
        }
        row.update(self.extra)
        return row


@dataclass(frozen=True)
class ErrorLine:
    ts: datetime
    level: str = "error"
    module: str | None = "php7"
    client_ip: str | None = "198.51.100.10"
    message: str = "PHP Warning:  Undefined variable $x in /home/site/www/index.php on line 3"
    php_level: str | None = "Warning"
    site: str = SITE


@dataclass(frozen=True)
class Reject:
    reason: str = "does not match the log format"
    raw_line: str = "\x16\x03\x01 garbage"
    log_kind: str = "access"
    site: str = SITE


def _write(path: Path, rows: list[dict[str, Any]], schema: pa.Schema) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    table = pa.Table.from_pylist(rows, schema=schema)
    pq.write_table(table, path, compression="zstd")


def write_lake(
    lake: Path,
    hits: Iterable[Hit] = (),
    errors: Iterable[ErrorLine] = (),
    rejects: Iterable[Reject] = (),
    source: str = "access/example.com-27-11-2026.log.gz",
    error_source: str = "error/example.com-27-11-2026.log.gz",
) -> dict[str, Any]:
    """Write the hits (one source file), errors and rejects as a lake; return the manifest."""
    lake.mkdir(parents=True, exist_ok=True)
    manifest_path = lake / MANIFEST_NAME
    manifest: dict[str, Any] = (
        json.loads(manifest_path.read_text())
        if manifest_path.exists()
        else {"version": MANIFEST_VERSION, "sources": {}}
    )
    hit_list = list(hits)
    reject_list = list(rejects)
    error_list = list(errors)
    source_id = hashlib.sha256(source.encode()).hexdigest()[:12]
    outputs: dict[str, list[str]] = {"hits": [], "errors": [], "rejects": []}

    by_partition: dict[tuple[str, date], list[dict[str, Any]]] = defaultdict(list)
    for line, hit in enumerate(hit_list, start=1):
        row = hit.row(source, line)
        by_partition[(row["site"], row["local_date"])].append(row)
    for (site, day), rows in sorted(by_partition.items()):
        relative = f"hits/site={site}/date={day.isoformat()}/{source_id}-1.parquet"
        _write(lake / relative, rows, HITS_SCHEMA)
        outputs["hits"].append(relative)
    if reject_list:
        rows = [
            {
                "site": r.site,
                "log_kind": r.log_kind,
                "source_file": source,
                "source_line": len(hit_list) + i,
                "reason": r.reason,
                "raw_line": r.raw_line,
            }
            for i, r in enumerate(reject_list, start=1)
        ]
        relative = f"rejects/site={reject_list[0].site}/{source_id}-1.parquet"
        _write(lake / relative, rows, REJECTS_SCHEMA)
        outputs["rejects"].append(relative)
    manifest["sources"][source] = _entry(source_id, "access", hit_list, len(reject_list), outputs)

    if error_list:
        error_id = hashlib.sha256(error_source.encode()).hexdigest()[:12]
        error_rows = [
            {
                "site": e.site,
                "ts": e.ts.astimezone(UTC),
                "local_date": e.ts.date(),
                "level": e.level,
                "module": e.module,
                "pid": 4242,
                "client_ip": e.client_ip,
                "message": e.message,
                "php_level": e.php_level,
                "source_file": error_source,
                "source_line": i,
            }
            for i, e in enumerate(error_list, start=1)
        ]
        relative = (
            f"errors/site={error_list[0].site}/date={error_list[0].ts.date()}/{error_id}-1.parquet"
        )
        _write(lake / relative, error_rows, ERRORS_SCHEMA)
        manifest["sources"][error_source] = _entry(
            error_id, "error", error_list, 0, {"hits": [], "errors": [relative], "rejects": []}
        )
    manifest_path.write_text(json.dumps(manifest, indent=2))
    return manifest


def _entry(
    source_id: str, kind: str, lines: list[Any], rejects: int, outputs: dict[str, list[str]]
) -> dict[str, Any]:
    return {
        "source_id": source_id,
        "generation": 1,
        "kind": kind,
        "site": SITE,
        "log_date": "2026-11-27",
        "live": False,
        "superseded": False,
        "size": 0,
        "mtime_ns": 0,
        "sha256": "0" * 64,
        "format": "ovh",
        "lines": len(lines) + rejects,
        "hits": len(lines),
        "rejects": rejects,
        "outputs": outputs,
        "ingested_at": "2026-11-28T10:00:00+00:00",
    }


def write_empty_lake(lake: Path) -> None:
    """A lake that ingest created but that holds no line yet."""
    lake.mkdir(parents=True, exist_ok=True)
    (lake / MANIFEST_NAME).write_text(json.dumps({"version": MANIFEST_VERSION, "sources": {}}))


def write_search_bot_ranges(ip_path_base: Path) -> None:
    """Google's and Bing's crawler ranges, in the vendors' own format (a few real prefixes)."""
    ip_path_base.mkdir(parents=True, exist_ok=True)
    google = {
        "creationTime": "2026-11-27T14:46:07.000000",
        "prefixes": [{"ipv4Prefix": "66.249.64.0/27"}, {"ipv6Prefix": "2001:4860:4801:10::/64"}],
    }
    bing = {"creationTime": "2026-11-27T10:00:00", "prefixes": [{"ipv4Prefix": "157.55.39.0/24"}]}
    (ip_path_base / "googlebot.json").write_text(json.dumps(google))
    (ip_path_base / "bingbot.json").write_text(json.dumps(bing))
