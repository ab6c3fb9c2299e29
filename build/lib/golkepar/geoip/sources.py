"""Where the files in IP_PATH_BASE come from: MaxMind, DB-IP or ip-location-db, plus the crawler
IP ranges that search engines publish.

A `Plan` lists the files one `golkepar geoip update` keeps, with their URLs and how to check them;
it is built from the settings alone, so it can be tested without a network.
"""

from __future__ import annotations

import datetime as dt
import re
import urllib.parse
from collections.abc import Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Literal

from golkepar._http import Server
from golkepar.config import Settings
from golkepar.errors import ConfigError
from golkepar.geoip.crawler_ranges import CRAWLERS

Compression = Literal["tar.gz", "gz", "none"]

SOURCES = ("maxmind", "dbip", "ip-location-db")
CRAWLER_RANGES = "crawler-ranges"

MAXMIND_BASE_URL = "https://download.maxmind.com"
DBIP_BASE_URL = "https://download.db-ip.com"
IP_LOCATION_DB_BASE_URL = "https://github.com/sapics/ip-location-db/releases/download/latest"
# Where MaxMind's own `geoipupdate` looks for its configuration.
GEOIP_CONF_PATHS = (Path("/etc/GeoIP.conf"), Path("/usr/local/etc/GeoIP.conf"))

# Attribution the licences ask for, shown after each update.
ATTRIBUTIONS = {
    "maxmind": "GeoLite2 data created by MaxMind, available from https://www.maxmind.com "
    "(GeoLite2 End User License Agreement)",
    "dbip": "IP Geolocation by DB-IP (https://db-ip.com), licensed under CC BY 4.0",
    "ip-location-db": "ip-location-db (https://github.com/sapics/ip-location-db); the DB-IP "
    "files: IP Geolocation by DB-IP (https://db-ip.com), CC BY 4.0; the GeoLite2 files: "
    "GeoLite2 End User License Agreement",
}

# Names that end up in URLs: letters, digits and a few separators, nothing to escape.
_SAFE_NAME = re.compile(r"^[A-Za-z0-9][A-Za-z0-9._-]*$")
# Query parameters whose values are secrets in common download URLs.
_SECRET_PARAM = re.compile(r"key|token|secret|pass|licen[cs]e|sig", re.IGNORECASE)


MAXMIND = Server(
    "MaxMind",
    auth_hint="check MAXMIND_ACCOUNT_ID and MAXMIND_LICENSE_KEY (or your GeoIP.conf)",
    forbidden_hint="this account may not download this edition: check MAXMIND_EDITIONS "
    "(GeoIP2 editions need a subscription) and the licence key",
    limit_hint="the daily download limit is reached (GeoLite allows about 30 downloads a day): "
    "retry tomorrow",
    retry_rate_limit=False,
)


@dataclass(frozen=True)
class RemoteFile:
    """One file kept in IP_PATH_BASE, and how to get and check it."""

    name: str
    source: str
    # Tried in order while the previous one answers 404 (DB-IP: this month, then the last).
    urls: tuple[str, ...]
    vendor: Server
    compression: Compression = "none"
    # For a tar.gz: the base name of the member to take out.
    member: str | None = None
    checksum_url: str | None = None
    # A piece of the database's `database_type` metadata, compared case-insensitively.
    expected_type: str | None = None
    ip_version: int | None = None

    @property
    def is_database(self) -> bool:
        return self.name.endswith(".mmdb")


@dataclass(frozen=True)
class Plan:
    """The files to keep, the credentials to send, and the secrets never to show."""

    source: str
    files: tuple[RemoteFile, ...]
    attribution: str | None
    auth: tuple[str, str] | None = field(default=None, repr=False)
    secrets: tuple[str, ...] = field(default=(), repr=False)


@dataclass(frozen=True)
class MaxMindAccount:
    """MaxMind credentials and editions, from the settings or a `GeoIP.conf`."""

    account_id: str | None
    license_key: str | None = field(repr=False)
    editions: tuple[str, ...]


def public_url(url: str) -> str:
    """`url` fit to print or store: no user:password, secret-looking query values masked."""
    parts = urllib.parse.urlsplit(url)
    netloc = parts.netloc.rpartition("@")[2]
    query = urllib.parse.urlencode(
        [
            (k, "***" if _SECRET_PARAM.search(k) else v)
            for k, v in urllib.parse.parse_qsl(parts.query, keep_blank_values=True)
        ],
        safe="*.",
    )
    return urllib.parse.urlunsplit((parts.scheme, netloc, parts.path, query, parts.fragment))


def split_credentials(url: str) -> tuple[str, tuple[str, str] | None]:
    """Take `user:password@` out of a URL, to send as basic auth instead of inside the URL."""
    parts = urllib.parse.urlsplit(url)
    if parts.username is None:
        return url, None
    netloc = parts.netloc.rpartition("@")[2]
    clean = urllib.parse.urlunsplit(parts._replace(netloc=netloc))
    user = urllib.parse.unquote(parts.username)
    return clean, (user, urllib.parse.unquote(parts.password or ""))


def read_geoip_conf(path: Path) -> dict[str, str]:
    """The entries of a MaxMind `GeoIP.conf` (`AccountID 42`, `LicenseKey ...`), keys lowered."""
    try:
        text = path.read_text(encoding="utf-8")
    except (OSError, UnicodeDecodeError) as e:
        raise ConfigError(f"cannot read GeoIP.conf {str(path)!r} ({e}): fix GEOIP_CONF_FILE") from e
    entries: dict[str, str] = {}
    for line in text.splitlines():
        line = line.split("#", 1)[0].strip()
        if line:
            key, _, value = line.partition(" ")
            entries[key.lower()] = value.strip()
    return entries


def maxmind_account(settings: Settings, conf_paths: Sequence[Path]) -> MaxMindAccount:
    """Account id, licence key and editions: settings first, then a GeoIP.conf for what is unset.

    The conf's `EditionIDs` count only while MAXMIND_EDITIONS is left at its default.
    """
    account = MaxMindAccount(
        settings.maxmind_account_id, settings.maxmind_license_key, settings.maxmind_editions
    )
    if settings.geoip_conf_file:
        conf_file = Path(settings.geoip_conf_file).expanduser()
        if not conf_file.is_file():
            raise ConfigError(f"GEOIP_CONF_FILE={str(conf_file)!r} does not exist: fix the path")
        candidates = [conf_file]
    else:
        candidates = [p for p in conf_paths if p.is_file()]
    if not candidates or (account.account_id and account.license_key):
        return account
    conf = read_geoip_conf(candidates[0])
    editions = account.editions
    if editions == Settings().maxmind_editions and conf.get("editionids"):
        editions = tuple(conf["editionids"].split())
    return MaxMindAccount(
        account.account_id or conf.get("accountid") or conf.get("userid"),
        account.license_key or conf.get("licensekey"),
        editions,
    )


def choose_source(settings: Settings, account: MaxMindAccount) -> str:
    """GEOIP_SOURCE when set, else MaxMind when a licence key is configured, else DB-IP."""
    if settings.geoip_source is None:
        return "maxmind" if account.license_key else "dbip"
    source = settings.geoip_source.strip().lower()
    if source not in SOURCES:
        raise ConfigError(
            f"GEOIP_SOURCE={settings.geoip_source!r} is not a known source: "
            f"use one of {', '.join(SOURCES)}"
        )
    return source


def dbip_months(today: dt.date) -> tuple[str, str]:
    """This month and the one before as `YYYY-MM`: DB-IP publishes a month's file some days in."""
    previous = today.replace(day=1) - dt.timedelta(days=1)
    return f"{today:%Y-%m}", f"{previous:%Y-%m}"


def _checked_names(names: Sequence[str], variable: str) -> tuple[str, ...]:
    for name in names:
        if not _SAFE_NAME.match(name):
            raise ConfigError(
                f"{variable} holds {name!r}: use names like GeoLite2-City (letters, digits, - . _)"
            )
    if not names:
        raise ConfigError(f"{variable} is empty: name at least one database")
    return tuple(names)


def _base(own: str | None, shared: str | None, default: str) -> str:
    return (own or shared or default).rstrip("/")


def _maxmind_files(base: str, editions: Sequence[str]) -> tuple[RemoteFile, ...]:
    files = []
    for edition in _checked_names(editions, "MAXMIND_EDITIONS"):
        url = f"{base}/geoip/databases/{edition}/download?suffix=tar.gz"
        files.append(
            RemoteFile(
                name=f"{edition}.mmdb",
                source="maxmind",
                urls=(url,),
                vendor=MAXMIND,
                compression="tar.gz",
                member=f"{edition}.mmdb",
                checksum_url=f"{url}.sha256",
                expected_type=edition,
            )
        )
    return tuple(files)


def _dbip_files(base: str, today: dt.date) -> tuple[RemoteFile, ...]:
    vendor = Server("DB-IP")
    months = dbip_months(today)
    return tuple(
        RemoteFile(
            name=f"dbip-{kind}-lite.mmdb",
            source="dbip",
            urls=tuple(f"{base}/free/dbip-{kind}-lite-{month}.mmdb.gz" for month in months),
            vendor=vendor,
            compression="gz",
            expected_type=kind,
        )
        for kind in ("city", "asn")
    )


def _ip_location_db_files(base: str, names: Sequence[str]) -> tuple[RemoteFile, ...]:
    vendor = Server("ip-location-db")
    files = []
    for name in _checked_names(names, "IP_LOCATION_DB_FILES"):
        stem = name.removesuffix(".mmdb")
        kind = next((k for k in ("asn", "city", "country") if k in stem.lower()), None)
        version = 4 if "ipv4" in stem else 6 if "ipv6" in stem else None
        files.append(
            RemoteFile(
                name=f"{stem}.mmdb",
                source="ip-location-db",
                urls=(f"{base}/{stem}.mmdb",),
                vendor=vendor,
                expected_type=kind,
                ip_version=version,
            )
        )
    return tuple(files)


def crawler_range_files(settings: Settings) -> tuple[RemoteFile, ...]:
    """Googlebot's and Bingbot's published IP ranges, kept as the vendors publish them."""
    return tuple(
        RemoteFile(
            crawler.file_name,
            CRAWLER_RANGES,
            (getattr(settings, crawler.url_setting),),
            Server(crawler.vendor),
        )
        for crawler in CRAWLERS
    )


def plan_update(
    settings: Settings,
    today: dt.date,
    conf_paths: Sequence[Path] = GEOIP_CONF_PATHS,
) -> Plan:
    """The databases of the chosen source, its credentials and its attribution."""
    account = maxmind_account(settings, conf_paths)
    source = choose_source(settings, account)
    auth: tuple[str, str] | None = None
    if source == "maxmind":
        if not (account.account_id and account.license_key):
            raise ConfigError(
                "the maxmind source needs MAXMIND_ACCOUNT_ID and MAXMIND_LICENSE_KEY (or a "
                "GeoIP.conf): get a free GeoLite key at "
                "https://www.maxmind.com/en/geolite2/signup, or use GEOIP_SOURCE=dbip"
            )
        base, _ = split_credentials(
            _base(settings.maxmind_base_url, settings.geoip_base_url, MAXMIND_BASE_URL)
        )
        auth = (account.account_id, account.license_key)
        files = _maxmind_files(base, account.editions)
    elif source == "dbip":
        base, auth = split_credentials(
            _base(settings.dbip_base_url, settings.geoip_base_url, DBIP_BASE_URL)
        )
        files = _dbip_files(base, today)
    else:
        base, auth = split_credentials(
            _base(
                settings.ip_location_db_base_url, settings.geoip_base_url, IP_LOCATION_DB_BASE_URL
            )
        )
        files = _ip_location_db_files(base, settings.ip_location_db_files)
    secrets = tuple(s for s in (auth[1] if auth else None,) if s)
    return Plan(source, files, ATTRIBUTIONS[source], auth, secrets)
