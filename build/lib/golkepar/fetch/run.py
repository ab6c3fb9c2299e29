"""A whole fetch run: lock each site's folder, download in parallel, remember what was learnt."""

from __future__ import annotations

import logging
import threading
from concurrent.futures import ThreadPoolExecutor, as_completed
from contextlib import ExitStack
from dataclasses import dataclass, field
from datetime import date, datetime
from pathlib import Path

import filelock
import httpx

from golkepar._files import remove_stale_temp_files
from golkepar._http import RetryableError, RetryPolicy, make_client
from golkepar.config import Settings
from golkepar.errors import AuthError, ConfigError, FetchError, HTTPError, LockedError
from golkepar.fetch.download import MIB, FileLimits, LiveRefresh, download_archive, refresh_live
from golkepar.fetch.naming import (
    LOCK_FILE_NAME,
    STATE_FILE_NAME,
    LogKind,
    local_path,
    site_folder,
)
from golkepar.fetch.plan import (
    DateRange,
    PlannedFile,
    SitePlan,
    configured_sites,
    plan_site,
)
from golkepar.fetch.result import FetchResult, FileResult, Outcome, Progress
from golkepar.fetch.state import FetchState, LiveCopy, load_state, save_state

log = logging.getLogger(__name__)

DEFAULT_JOBS = 4
# More would only be refused by the server, or wait on each other.
MAX_JOBS = 64
MAX_ATTEMPTS = 100
# A server silent for an hour is not coming back.
MAX_TIMEOUT_S = 3600.0


@dataclass(frozen=True)
class FetchOptions:
    """How a run downloads: parallel jobs, patience, and whether to re-ask remembered 404s."""

    jobs: int = DEFAULT_JOBS
    retry: RetryPolicy = field(default_factory=RetryPolicy)
    retry_missing: bool = False

    def check(self) -> None:
        """Refuse numbers no run can use (NaN and infinity included), naming the flag."""
        if not 1 <= self.jobs <= MAX_JOBS:
            raise ConfigError(f"--jobs {self.jobs} is out of range: give 1 to {MAX_JOBS}")
        if not 1 <= self.retry.attempts <= MAX_ATTEMPTS:
            raise ConfigError(
                f"--attempts {self.retry.attempts} is out of range: give 1 to {MAX_ATTEMPTS}"
            )
        if not 0 < self.retry.timeout_s <= MAX_TIMEOUT_S:  # False for NaN too
            raise ConfigError(
                f"--timeout {self.retry.timeout_s:g} is out of range: give more than 0 and at "
                f"most {MAX_TIMEOUT_S:g} seconds"
            )


@dataclass
class _Site:
    """One site while the run works on it (touched by the main thread only)."""

    log_path_base: Path
    plan: SitePlan
    state: FetchState
    results: list[FileResult] = field(default_factory=list)


def credentials(settings: Settings) -> tuple[str, str]:
    """The logs user and password, or a ConfigError naming what to set."""
    if not settings.ovh_stats_user or not settings.ovh_stats_password:
        raise ConfigError(
            "OVH_STATS_USER and OVH_STATS_PASSWORD must both be set: "
            "the logs user created in the OVH control panel (Statistics and logs)"
        )
    return settings.ovh_stats_user, settings.ovh_stats_password


def fetch_logs(
    settings: Settings,
    dates: DateRange,
    options: FetchOptions | None = None,
    progress: Progress | None = None,
) -> FetchResult:
    """Download every configured site's logs for `dates` into LOG_PATH_BASE.

    Complete files are skipped, archives are verified before they appear, and a day's live
    copy is removed once its archive is here. Raises AuthError at the first 401/403.
    """
    options = options or FetchOptions()
    options.check()
    user, password = credentials(settings)
    sites = configured_sites(settings)
    limits = FileLimits(
        max_bytes=settings.fetch_max_file_mb * MIB,
        deadline_s=settings.fetch_file_deadline_seconds,
    )
    with ExitStack() as stack:
        prepared = [_prepare(stack, settings, site, dates, options, len(sites)) for site in sites]
        if progress is not None:
            progress.planned(sum(len(s.plan.archives) + len(s.plan.live) for s in prepared))
        client = make_client(auth=(user, password), timeout_s=options.retry.timeout_s)
        stack.enter_context(client)
        try:
            archives = [p for s in prepared for p in s.plan.archives]
            _run(client, prepared, archives, user, options, limits, dates, progress)
            # Live logs last: an archive that just arrived makes its day's live copy moot.
            live = [
                p
                for s in prepared
                for p in s.plan.live
                if not local_path(s.log_path_base, p.site, p.day, LogKind.ACCESS).is_file()
            ]
            if progress is not None:
                progress.planned(len(archives) + len(live))
            _run(client, prepared, live, user, options, limits, dates, progress)
        finally:
            for site in prepared:
                _save(site)
    return FetchResult(sites, tuple(f for site in prepared for f in site.results))


def _prepare(
    stack: ExitStack,
    settings: Settings,
    site: str,
    dates: DateRange,
    options: FetchOptions,
    site_count: int,
) -> _Site:
    """Lock the site's folder, clear what a killed run left, and plan."""
    folder = site_folder(settings.log_path_base, site)
    try:
        folder.mkdir(parents=True, exist_ok=True)
        stack.enter_context(filelock.FileLock(folder / LOCK_FILE_NAME, timeout=0))
    except filelock.Timeout:
        raise LockedError(f"another golkepar fetch is writing {folder}: let it end first") from None
    except OSError as e:
        raise FetchError(f"cannot use {folder}: {e}") from e
    removed = remove_stale_temp_files(folder)
    if removed:
        log.info("%s: removed %d partial files left by an interrupted run", site, removed)
    state = load_state(folder / STATE_FILE_NAME)
    for day in _live_copies(settings.log_path_base, site, state):
        if local_path(settings.log_path_base, site, day, LogKind.ACCESS).is_file():
            _supersede(settings.log_path_base, site, day, state)
    plan = plan_site(settings, site, dates, state, options.retry_missing, site_count)
    prepared = _Site(settings.log_path_base, plan, state)
    for p in plan.present:
        prepared.results.append(FileResult(site, p.day, p.kind, Outcome.SKIPPED, detail=p.reason))
    for p in plan.known_missing:
        prepared.results.append(FileResult(site, p.day, p.kind, Outcome.MISSING, detail=p.reason))
    return prepared


def _live_copies(log_path_base: Path, site: str, state: FetchState) -> set[date]:
    """Days with a live copy on disk or in the state."""
    days = set(state.live)
    folder = site_folder(log_path_base, site) / LogKind.LIVE.value
    for live in folder.glob(f"{site}-??-??-????.log") if folder.is_dir() else ():
        stamp = live.name[len(site) + 1 : -len(".log")]
        try:
            days.add(datetime.strptime(stamp, "%d-%m-%Y").date())
        except ValueError:
            continue
    return days


def _supersede(log_path_base: Path, site: str, day: date, state: FetchState) -> None:
    """Delete a day's live copy once its archive is here: the archive holds the whole day."""
    live = local_path(log_path_base, site, day, LogKind.LIVE)
    if live.exists():
        log.info("%s: the archive of %s is here, removing its live copy", site, day)
        live.unlink()
    state.live.pop(day, None)


def _save(site: _Site) -> None:
    try:
        save_state(site.plan.state_path, site.state)
    except OSError as e:
        log.warning("cannot save %s: %s", site.plan.state_path, e)


_Outcome = int | None | LiveRefresh | Exception


class _Cancelled(Exception):
    """A task not started because the run is stopping."""


def _task(
    client: httpx.Client,
    p: PlannedFile,
    known: LiveCopy | None,
    user: str,
    policy: RetryPolicy,
    limits: FileLimits,
    stop: threading.Event,
) -> _Outcome:
    """Download one file in a worker thread; a failure of this file alone is returned."""
    if stop.is_set():
        raise _Cancelled
    try:
        if p.kind is LogKind.LIVE:
            return refresh_live(client, p.url, p.path, known, user, policy, limits)
        return download_archive(client, p.url, p.path, user, policy, limits)
    except AuthError:
        stop.set()  # the same credentials would be refused for every other file
        raise
    except OSError as e:
        raise FetchError(f"cannot write {p.path}: {e}") from e
    except (HTTPError, httpx.HTTPError, RetryableError) as e:
        return e


def _run(
    client: httpx.Client,
    sites: list[_Site],
    planned: list[PlannedFile],
    user: str,
    options: FetchOptions,
    limits: FileLimits,
    dates: DateRange,
    progress: Progress | None,
) -> None:
    """Download `planned` with `options.jobs` at once; the first AuthError stops everything."""
    by_site = {s.plan.site: s for s in sites}
    stop = threading.Event()
    executor = ThreadPoolExecutor(max_workers=options.jobs, thread_name_prefix="fetch")
    try:
        futures = {
            executor.submit(
                _task,
                client,
                p,
                by_site[p.site].state.live.get(p.day),
                user,
                options.retry,
                limits,
                stop,
            ): p
            for p in planned
        }
        for future in as_completed(futures):
            p = futures[future]
            site = by_site[p.site]
            try:
                outcome = future.result()
            except _Cancelled:
                continue
            result = _record(site, p, outcome, dates)
            site.results.append(result)
            if progress is not None:
                progress.finished(result)
    finally:
        stop.set()
        executor.shutdown(wait=True, cancel_futures=True)


def _record(site: _Site, p: PlannedFile, outcome: _Outcome, dates: DateRange) -> FileResult:
    """Turn a task's outcome into a FileResult, and update the state from it."""
    state = site.state
    if isinstance(outcome, Exception):
        message = str(outcome) or type(outcome).__name__
        log.warning("%s: %s", p.url, message)
        return FileResult(p.site, p.day, p.kind, Outcome.FAILED, detail=message)
    if isinstance(outcome, LiveRefresh):
        if outcome.copy is None:
            state.live.pop(p.day, None)
        else:
            state.live[p.day] = outcome.copy
        _save(site)
        if not outcome.found and outcome.copy is None:
            return FileResult(p.site, p.day, p.kind, Outcome.MISSING, detail=outcome.detail)
        done = Outcome.DOWNLOADED if outcome.changed else Outcome.SKIPPED
        return FileResult(p.site, p.day, p.kind, done, outcome.bytes, outcome.detail)
    if outcome is None:
        if dates.is_recent(p.day):
            return FileResult(p.site, p.day, p.kind, Outcome.MISSING, detail="not there yet")
        state.missing[p.kind].add(p.day)
        return FileResult(p.site, p.day, p.kind, Outcome.MISSING, detail="no log that day")
    state.missing[p.kind].discard(p.day)
    if p.kind is LogKind.ACCESS:
        _supersede(site.log_path_base, p.site, p.day, state)
    return FileResult(p.site, p.day, p.kind, Outcome.DOWNLOADED, outcome, p.reason)
