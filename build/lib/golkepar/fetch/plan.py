"""What a fetch run will ask the server for, worked out from local files alone (no network)."""

from __future__ import annotations

import logging
from dataclasses import dataclass
from datetime import date, datetime, timedelta
from pathlib import Path
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from golkepar.config import Settings
from golkepar.errors import ConfigError
from golkepar.fetch.naming import (
    STATE_FILE_NAME,
    LogKind,
    check_site,
    local_path,
    remote_path,
    site_base_url,
    site_folder,
)
from golkepar.fetch.state import FetchState, load_state

log = logging.getLogger(__name__)

# The OVH logs server names files by its own (Paris) calendar day.
OVH_TIMEZONE = "Europe/Paris"
DEFAULT_DAYS = 365
# The most days one run plans: OVH keeps about a year of logs, so ten years is never a wish
# (`--since 0001-01-01` would plan two thousand years of requests).
MAX_DAYS = 3660
# An archive appears some hours after its day ends: a 404 this recent means "not yet", not
# "no log that day", and is asked again on the next run.
MISSING_RECHECK_DAYS = 3


def server_today() -> date:
    """Today's date on the OVH logs server."""
    try:
        return datetime.now(ZoneInfo(OVH_TIMEZONE)).date()
    except ZoneInfoNotFoundError:
        log.warning("no time zone data for %s: using this machine's date", OVH_TIMEZONE)
        return datetime.now().astimezone().date()


@dataclass(frozen=True)
class DateRange:
    """The days to fetch, both ends included, and the server's today."""

    since: date
    until: date
    today: date

    @classmethod
    def choose(
        cls,
        since: date | None = None,
        until: date | None = None,
        days: int | None = None,
        today: date | None = None,
    ) -> DateRange:
        """`days` daily archives ending with `until` (or yesterday, when `until` is today),
        and today's live log when `until` is today; by default `DEFAULT_DAYS` archives."""
        today = today or server_today()
        if days is not None and since is not None:
            raise ConfigError("give --since or --days, not both")
        if days is not None and days < 0:
            raise ConfigError(f"--days {days} is negative: give 0 or more days")
        if days is not None and days > MAX_DAYS:
            raise ConfigError(f"--days {days} is too many: give at most {MAX_DAYS}")
        until = until or today
        if until > today:
            raise ConfigError(f"--until {until} is after today ({today}): nothing to fetch then")
        if since is None:
            last_archive = min(until, today - timedelta(days=1))
            count = DEFAULT_DAYS if days is None else days
            try:
                return cls(last_archive - timedelta(days=count - 1), until, today)
            except OverflowError:
                raise ConfigError(
                    f"--until {until} leaves no room for {count} days before it: "
                    "give a later --until, or fewer --days"
                ) from None
        if since > until:
            raise ConfigError(f"--since {since} is after --until {until}: swap them")
        if (until - since).days >= MAX_DAYS:
            raise ConfigError(
                f"--since {since} is more than {MAX_DAYS} days before --until {until}: "
                "OVH keeps about a year of logs; give a later date"
            )
        return cls(since, until, today)

    def archive_days(self) -> list[date]:
        """Days whose archive may exist (all but today), newest first."""
        last = min(self.until, self.today - timedelta(days=1))
        count = (last - self.since).days + 1
        return [last - timedelta(days=n) for n in range(max(0, count))]

    def is_recent(self, day: date) -> bool:
        return (self.today - day).days <= MISSING_RECHECK_DAYS


@dataclass(frozen=True)
class PlannedFile:
    """One file to ask the server for."""

    site: str
    day: date
    kind: LogKind
    url: str
    path: Path
    reason: str


@dataclass(frozen=True)
class SitePlan:
    """One site's part of a run."""

    site: str
    base_url: str
    folder: Path
    archives: tuple[PlannedFile, ...]
    live: tuple[PlannedFile, ...]
    present: tuple[PlannedFile, ...]
    known_missing: tuple[PlannedFile, ...]

    @property
    def state_path(self) -> Path:
        return self.folder / STATE_FILE_NAME


def configured_sites(settings: Settings) -> tuple[str, ...]:
    """The sites to fetch, checked; at least one."""
    if not settings.sites:
        raise ConfigError(
            "OVH_STATS_ACCOUNT_NAME is not set: give the site to fetch (several: comma-separated)"
        )
    return tuple(check_site(site) for site in settings.sites)


def plan_site(
    settings: Settings,
    site: str,
    dates: DateRange,
    state: FetchState,
    retry_missing: bool = False,
    site_count: int = 1,
) -> SitePlan:
    """Which archives and live logs of `site` to ask for, given what is already on disk."""
    base = site_base_url(site, settings.ovh_stats_cluster, settings.ovh_logs_url, site_count)
    root = settings.log_path_base
    archives: list[PlannedFile] = []
    present: list[PlannedFile] = []
    known_missing: list[PlannedFile] = []
    for day in dates.archive_days():
        for kind in (LogKind.ACCESS, LogKind.ERROR):
            path = local_path(root, site, day, kind)
            url = base + remote_path(site, day, kind)
            remembered = day in state.missing[kind]
            if path.is_file():
                present.append(PlannedFile(site, day, kind, url, path, "already here"))
            elif remembered and not retry_missing:
                known_missing.append(PlannedFile(site, day, kind, url, path, "no log that day"))
            else:
                reason = "asked again (was missing)" if remembered else "new"
                archives.append(PlannedFile(site, day, kind, url, path, reason))
    live: list[PlannedFile] = []
    for day in live_days(settings.log_path_base, site, dates):
        url = base + remote_path(site, day, LogKind.LIVE)
        path = local_path(root, site, day, LogKind.LIVE)
        reason = "refresh" if path.is_file() else "new"
        live.append(PlannedFile(site, day, LogKind.LIVE, url, path, reason))
    return SitePlan(
        site,
        base,
        site_folder(root, site),
        tuple(archives),
        tuple(live),
        tuple(present),
        tuple(known_missing),
    )


def live_days(log_path_base: Path, site: str, dates: DateRange) -> list[date]:
    """Today, when in range, and recent days whose live copy has no archive yet."""
    days: list[date] = []
    if dates.since <= dates.today <= dates.until:
        days.append(dates.today)
    for day in dates.archive_days():
        if not dates.is_recent(day):
            break
        live = local_path(log_path_base, site, day, LogKind.LIVE)
        archive = local_path(log_path_base, site, day, LogKind.ACCESS)
        if live.is_file() and not archive.is_file():
            days.append(day)
    return days


def plan_fetch(
    settings: Settings, dates: DateRange, retry_missing: bool = False
) -> tuple[SitePlan, ...]:
    """The plan of every configured site, from local files only (what `--dry-run` shows)."""
    sites = configured_sites(settings)
    plans = []
    for site in sites:
        state = load_state(site_folder(settings.log_path_base, site) / STATE_FILE_NAME)
        plans.append(plan_site(settings, site, dates, state, retry_missing, len(sites)))
    return tuple(plans)
