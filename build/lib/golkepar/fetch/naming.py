"""Where each log lives: on the OVH logs server, and in LOG_PATH_BASE.

Pure functions of the site and the date, so the plan of a run can be shown (`--dry-run`) and
tested without a network.
"""

from __future__ import annotations

import re
from datetime import date
from enum import StrEnum
from pathlib import Path
from urllib.parse import quote, urlsplit, urlunsplit

from golkepar.errors import ConfigError

# A site name becomes a folder name and a URL segment: a host name, nothing that climbs out.
_SITE_NAME = re.compile(r"^[A-Za-z0-9](?:[A-Za-z0-9.-]*[A-Za-z0-9])?$")
_CLUSTER_IN_SITE = re.compile(r"\.(cluster\d+)\.hosting\.ovh\.net$", re.IGNORECASE)
_CLUSTER_NAME = re.compile(r"^(?:cluster)?(\d+)$", re.IGNORECASE)
SITE_PLACEHOLDER = "{site}"
STATE_FILE_NAME = ".fetch-state.json"
LOCK_FILE_NAME = ".fetch.lock"


class LogKind(StrEnum):
    """The three files OVH keeps for a site and a day."""

    ACCESS = "access"
    ERROR = "error"
    LIVE = "live"


def check_site(site: str) -> str:
    """Return `site` when it is a plain host name; it names a folder, so nothing else will do."""
    if not _SITE_NAME.match(site) or ".." in site:
        raise ConfigError(
            f"OVH_STATS_ACCOUNT_NAME has {site!r}, which is not a site name: "
            "give the domain as in the OVH control panel, such as example.com"
        )
    return site


def cluster_name(cluster: str | None, site: str) -> str | None:
    """`cluster021` from OVH_STATS_CLUSTER, else from a `<login>.clusterNNN...` site name."""
    if cluster:
        match = _CLUSTER_NAME.match(cluster.strip())
        if match is None:
            raise ConfigError(
                f"OVH_STATS_CLUSTER={cluster!r} is not a cluster: use cluster021 or 21"
            )
        return f"cluster{int(match.group(1)):03d}"
    found = _CLUSTER_IN_SITE.search(site)
    return found.group(1).lower() if found else None


def redact_url(url: str) -> str:
    """The URL without any user or password, fit for messages."""
    parts = urlsplit(url)
    if parts.username is None and parts.password is None:
        return url
    host = parts.hostname or ""
    netloc = f"{host}:{parts.port}" if parts.port else host
    return urlunsplit(parts._replace(netloc=netloc))


def site_base_url(site: str, cluster: str | None, logs_url: str | None, site_count: int = 1) -> str:
    """The site's folder on the logs server, always ending in `/`.

    OVH_LOGS_URL wins; with several sites it must say where the site goes with `{site}`.
    """
    if logs_url:
        parts = urlsplit(logs_url)
        if parts.scheme not in ("http", "https") or not parts.hostname:
            raise ConfigError(
                f"OVH_LOGS_URL={redact_url(logs_url)!r} is not an http(s) URL: "
                "use e.g. https://logs.ovh.net/{site}/"
            )
        if parts.username is not None or parts.password is not None:
            raise ConfigError(
                f"OVH_LOGS_URL={redact_url(logs_url)!r} must not hold a user or password: "
                "set OVH_STATS_USER and OVH_STATS_PASSWORD instead"
            )
        if SITE_PLACEHOLDER in logs_url:
            base = logs_url.replace(SITE_PLACEHOLDER, quote(site, safe=""))
        elif site_count > 1:
            raise ConfigError(
                f"OVH_LOGS_URL={logs_url!r} names one folder but {site_count} sites are "
                "configured: write {site} where the site goes, e.g. https://logs.ovh.net/{site}/"
            )
        else:
            base = logs_url
        return base if base.endswith("/") else base + "/"
    found = cluster_name(cluster, site)
    if found is None:
        raise ConfigError(
            f"no logs server for {site!r}: set OVH_STATS_CLUSTER (e.g. cluster021) or OVH_LOGS_URL"
        )
    return f"https://logs.{found}.hosting.ovh.net/{quote(site, safe='')}/"


def file_name(site: str, day: date, kind: LogKind) -> str:
    """OVH's name for a day's log: `<site>-DD-MM-YYYY.log.gz`, or `.log` for the live log."""
    suffix = ".log" if kind is LogKind.LIVE else ".log.gz"
    return f"{site}-{day:%d-%m-%Y}{suffix}"


def remote_path(site: str, day: date, kind: LogKind) -> str:
    """The log's path below the site's base URL."""
    name = file_name(site, day, kind)
    if kind is LogKind.ACCESS:
        return f"logs/logs-{day:%m-%Y}/{name}"
    if kind is LogKind.ERROR:
        return f"logs/logs-{day:%m-%Y}/error/{name}"
    return f"osl/{name}"


def site_folder(log_path_base: Path, site: str) -> Path:
    """Everything fetched for one site lives here."""
    return log_path_base / site


def local_path(log_path_base: Path, site: str, day: date, kind: LogKind) -> Path:
    """Where ingest reads the log: `<site>/{access,error}/YYYY/MM/<name>`, `<site>/live/<name>`."""
    name = file_name(site, day, kind)
    folder = site_folder(log_path_base, site) / kind.value
    if kind is LogKind.LIVE:
        return folder / name
    return folder / f"{day:%Y}" / f"{day:%m}" / name
