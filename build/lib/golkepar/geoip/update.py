"""`golkepar geoip update`: keep the GeoIP/ASN databases and crawler ranges in IP_PATH_BASE fresh.

Each file is downloaded beside its target, unpacked under a size cap, checked (checksum, MaxMind
metadata or range syntax) and only then renamed over the old one: a failure leaves the old file
as it was. A lock file keeps two updates from running on the same folder at once.
"""

from __future__ import annotations

import contextlib
import dataclasses
import datetime as dt
import logging
import os
import re
from collections.abc import Iterator, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Literal

import httpx
from filelock import FileLock, Timeout

from golkepar._files import atomic_path, remove_stale_temp_files, temp_path_for
from golkepar._http import make_client
from golkepar.config import Settings
from golkepar.errors import AuthError, GeoipError, GolkeparError, HTTPError, LockedError
from golkepar.geoip.archive import gunzip, untar_member
from golkepar.geoip.crawler_ranges import MAX_RANGES_BYTES, validate_crawler_ranges
from golkepar.geoip.download import DownloadPolicy, Fetched, download_file, download_text
from golkepar.geoip.lookup import describe_database
from golkepar.geoip.sources import (
    GEOIP_CONF_PATHS,
    SOURCES,
    Plan,
    RemoteFile,
    crawler_range_files,
    plan_update,
    public_url,
)
from golkepar.geoip.state import FileState, load_state, save_state

logger = logging.getLogger(__name__)

LOCK_FILE = ".geoip.lock"
CHECKSUM_MAX_BYTES = 4096
# A database built before this, or more than CLOCK_SKEW after this machine's clock, has broken
# metadata.
EARLIEST_BUILD = dt.datetime(2000, 1, 1, tzinfo=dt.UTC)
CLOCK_SKEW = dt.timedelta(days=2)
_SHA256 = re.compile(r"^[0-9a-f]{64}$")
_FOLDER_HINT = "check that IP_PATH_BASE is a folder you can write to, with free space"

Action = Literal["updated", "unchanged", "fresh", "removed", "failed"]


@dataclass(frozen=True)
class Outcome:
    """What happened to one file; `error` is set when `action` is "failed"."""

    name: str
    action: Action
    detail: str = ""
    error: GolkeparError | None = None


@dataclass(frozen=True)
class UpdateReport:
    """The outcome of every file of one update, and the attribution its source asks for."""

    source: str
    folder: Path
    outcomes: tuple[Outcome, ...]
    attribution: str | None

    @property
    def failures(self) -> tuple[Outcome, ...]:
        return tuple(o for o in self.outcomes if o.action == "failed")


@dataclass
class _Run:
    folder: Path
    state: dict[str, FileState]
    policy: DownloadPolicy
    force: bool
    max_age: dt.timedelta
    now: dt.datetime
    secrets: tuple[str, ...]


@contextlib.contextmanager
def geoip_lock(folder: Path, timeout_s: float = 0.0) -> Iterator[None]:
    """Hold IP_PATH_BASE's lock; `LockedError` when another update holds it past `timeout_s`."""
    lock = FileLock(folder / LOCK_FILE, timeout=timeout_s)
    try:
        folder.mkdir(parents=True, exist_ok=True)
        lock.acquire()
    except Timeout:
        raise LockedError(
            f"another `golkepar geoip update` is already updating {str(folder)!r}: "
            "wait for it to finish, then run this again"
        ) from None
    except OSError as e:
        raise GeoipError(f"cannot use IP_PATH_BASE {str(folder)!r} ({e}): {_FOLDER_HINT}") from e
    try:
        yield
    finally:
        lock.release()


def update_geoip(
    settings: Settings,
    *,
    force: bool = False,
    crawler_ranges: bool = True,
    policy: DownloadPolicy | None = None,
    lock_timeout_s: float = 0.0,
    now: dt.datetime | None = None,
    conf_paths: Sequence[Path] = GEOIP_CONF_PATHS,
) -> UpdateReport:
    """Bring every database of the chosen source, and the crawler ranges, up to date.

    Files checked less than GEOIP_MAX_AGE_DAYS ago are left alone unless `force`. A file that
    fails is reported in the result; the others are still updated.
    """
    now = now or dt.datetime.now(dt.UTC)
    plan = plan_update(settings, now.date(), conf_paths)
    folder = settings.ip_path_base
    with geoip_lock(folder, lock_timeout_s):
        stale = remove_stale_temp_files(folder)
        if stale:
            logger.info("removed %d temporary files left by an interrupted update", stale)
        policy = policy or DownloadPolicy()
        run = _Run(
            folder=folder,
            state=load_state(folder),
            policy=policy,
            force=force,
            max_age=dt.timedelta(days=settings.geoip_max_age_days),
            now=now,
            secrets=plan.secrets,
        )
        outcomes: list[Outcome] = []
        with make_client(auth=plan.auth, timeout_s=policy.retry.timeout_s) as source_client:
            outcomes += _refresh_all(source_client, plan.files, run)
        if not any(o.action == "failed" for o in outcomes):
            outcomes += _retire_unwanted(plan, run)
        if crawler_ranges:
            with make_client(timeout_s=policy.retry.timeout_s) as public_client:
                outcomes += _refresh_all(public_client, crawler_range_files(settings), run)
    return UpdateReport(plan.source, folder, tuple(outcomes), plan.attribution)


def _refresh_all(client: httpx.Client, files: Sequence[RemoteFile], run: _Run) -> list[Outcome]:
    outcomes: list[Outcome] = []
    refused: GolkeparError | None = None
    for remote in files:
        if refused is not None:
            # A wrong key or a spent quota fails every file alike: spare the server.
            target = run.folder / remote.name
            outcomes.append(_failed(remote.name, target, refused, run.secrets, "not tried: "))
            continue
        outcome = _refresh(client, remote, run)
        outcomes.append(outcome)
        if isinstance(outcome.error, AuthError) or (
            isinstance(outcome.error, HTTPError) and outcome.error.status_code == 429
        ):
            refused = outcome.error
        save_state(run.folder, run.state)
    return outcomes


def _refresh(client: httpx.Client, remote: RemoteFile, run: _Run) -> Outcome:
    target = run.folder / remote.name
    entry = run.state.get(remote.name)
    if entry is not None and entry.source != remote.source:
        entry = None
    try:
        age = _age(target, entry, run.now)
        if not run.force and age is not None and age < run.max_age:
            return Outcome(remote.name, "fresh", f"checked {_days(age)} ago")
        return _download_and_install(client, remote, target, entry, run)
    except GolkeparError as e:
        return _failed(remote.name, target, e, run.secrets)
    except OSError as e:  # a full disk, a read-only folder
        error = GeoipError(f"cannot write in {str(run.folder)!r} ({e}): {_FOLDER_HINT}")
        return _failed(remote.name, target, error, run.secrets)


def _failed(
    name: str, target: Path, error: GolkeparError, secrets: Sequence[str], prefix: str = ""
) -> Outcome:
    """A failed outcome whose message (and error) holds no secret and says what was kept."""
    reason = str(error)
    for secret in secrets:
        reason = reason.replace(secret, "***")
    error.args = (reason,)
    detail = prefix + reason
    if target.is_file():
        detail += " (the previous file is kept)"
    logger.info("%s: %s", name, detail)
    return Outcome(name, "failed", detail, error)


def _age(target: Path, entry: FileState | None, now: dt.datetime) -> dt.timedelta | None:
    """Time since the file was last confirmed current (its mtime when there is no record)."""
    if not target.is_file():
        return None
    checked = entry.checked() if entry else None
    if checked is None:
        checked = dt.datetime.fromtimestamp(target.stat().st_mtime, tz=dt.UTC)
    return now - checked


def _days(age: dt.timedelta) -> str:
    days = age.days
    return "today" if days == 0 else "1 day" if days == 1 else f"{days} days"


def _download_and_install(
    client: httpx.Client, remote: RemoteFile, target: Path, entry: FileState | None, run: _Run
) -> Outcome:
    published_sha256 = None
    if remote.checksum_url:
        published_sha256 = _published_checksum(client, remote, remote.checksum_url, run.policy)
        if entry and entry.sha256 == published_sha256 and _usable(target, remote):
            run.state[remote.name] = dataclasses.replace(entry, checked_at=run.now.isoformat())
            return Outcome(remote.name, "unchanged", "same checksum as the local copy")
    download = temp_path_for(target)
    try:
        fetched, url = _fetch_first(client, remote, target, entry, download, run.policy)
        if fetched.not_modified and entry is not None:
            run.state[remote.name] = dataclasses.replace(entry, checked_at=run.now.isoformat())
            return Outcome(remote.name, "unchanged", "not modified since the last download")
        shown = public_url(url)
        if published_sha256 and fetched.sha256 != published_sha256:
            raise GeoipError(
                f"{shown}: the download's SHA-256 {fetched.sha256} differs from the published "
                f"{published_sha256}: the file is corrupt, retry later"
            )
        try:
            with atomic_path(target) as temp:
                _unpack(remote, download, temp, run.policy.max_bytes)
                detail = _validate(temp, remote)
        except GeoipError as e:
            raise GeoipError(f"{shown}: {e}") from e
    finally:
        download.unlink(missing_ok=True)
    run.state[remote.name] = FileState(
        source=remote.source,
        url=shown,
        sha256=fetched.sha256,
        etag=fetched.etag,
        last_modified=fetched.last_modified,
        downloaded_at=run.now.isoformat(),
        checked_at=run.now.isoformat(),
    )
    logger.info("%s: updated from %s (%s)", remote.name, shown, detail)
    return Outcome(remote.name, "updated", detail)


def _published_checksum(
    client: httpx.Client, remote: RemoteFile, url: str, policy: DownloadPolicy
) -> str:
    text = download_text(client, url, remote.vendor, policy, CHECKSUM_MAX_BYTES)
    words = text.split()
    digest = words[0].lower() if words else ""
    if not _SHA256.match(digest):
        raise GeoipError(
            f"{public_url(url)} did not give a SHA-256 checksum (it gave {text[:80]!r}): "
            "the source is broken, retry later"
        )
    return digest


def _fetch_first(
    client: httpx.Client,
    remote: RemoteFile,
    target: Path,
    entry: FileState | None,
    download: Path,
    policy: DownloadPolicy,
) -> tuple[Fetched, str]:
    """Download the first of `remote.urls` that exists (DB-IP: this month, else the last)."""
    if remote.compression == "none" and not remote.is_database:
        policy = dataclasses.replace(policy, max_bytes=min(policy.max_bytes, MAX_RANGES_BYTES))
    for url in remote.urls:
        headers: dict[str, str] = {}
        if entry is not None and entry.url == public_url(url) and target.is_file():
            if entry.etag:
                headers["If-None-Match"] = entry.etag
            if entry.last_modified:
                headers["If-Modified-Since"] = entry.last_modified
        try:
            return download_file(client, url, download, remote.vendor, policy, headers), url
        except HTTPError as e:
            if e.status_code != 404 or len(remote.urls) == 1:
                raise
            logger.info("%s is not published (HTTP 404)", public_url(url))
    tried = ", ".join(public_url(u) for u in remote.urls)
    raise HTTPError(f"none of {tried} exists (HTTP 404): check the base URL", 404)


def _unpack(remote: RemoteFile, download: Path, temp: Path, max_bytes: int) -> None:
    if remote.compression == "tar.gz":
        untar_member(download, temp, remote.member or remote.name, max_bytes)
    elif remote.compression == "gz":
        gunzip(download, temp, max_bytes)
    else:
        os.replace(download, temp)


def _validate(path: Path, remote: RemoteFile) -> str:
    """Refuse a file that is not what `remote` promises; describe it in a few words."""
    if not remote.is_database:
        return f"{validate_crawler_ranges(path)} prefixes"
    try:
        info = describe_database(path)
    except GeoipError as e:
        logger.debug("validation of %s failed: %s", remote.name, e)
        raise GeoipError("the download is not a usable MaxMind DB file: refusing it") from e
    if remote.expected_type and remote.expected_type.lower() not in info.database_type.lower():
        raise GeoipError(
            f"the download is a {info.database_type!r} database, not {remote.expected_type!r}: "
            "refusing it"
        )
    if remote.ip_version and info.ip_version != remote.ip_version:
        raise GeoipError(
            f"the download is an IPv{info.ip_version} database, expected IPv{remote.ip_version}"
        )
    if not EARLIEST_BUILD <= info.built_at <= dt.datetime.now(dt.UTC) + CLOCK_SKEW:
        raise GeoipError(f"the download claims an impossible build date {info.built_at:%Y-%m-%d}")
    return f"{info.database_type}, {info.layout} layout, built {info.built_at:%Y-%m-%d}"


def _usable(target: Path, remote: RemoteFile) -> bool:
    if not target.is_file():
        return False
    try:
        _validate(target, remote)
    except GeoipError:
        return False
    return True


def _retire_unwanted(plan: Plan, run: _Run) -> list[Outcome]:
    """Once the configured databases are all in place, remove those golkepar downloaded before
    that the configuration no longer asks for (another source, a dropped edition).

    Otherwise two City databases of different sources would both answer. Files golkepar did not
    download are never touched.
    """
    wanted = {remote.name for remote in plan.files}
    outcomes = []
    for name, entry in sorted(run.state.items()):
        if entry.source in SOURCES and name not in wanted:
            (run.folder / name).unlink(missing_ok=True)
            del run.state[name]
            why = (
                f"{entry.source} replaced by {plan.source}"
                if entry.source != plan.source
                else "no longer configured"
            )
            outcomes.append(Outcome(name, "removed", why))
    if outcomes:
        save_state(run.folder, run.state)
    return outcomes
