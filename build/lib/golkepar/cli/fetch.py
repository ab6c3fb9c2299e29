"""`golkepar fetch`."""

from __future__ import annotations

from datetime import datetime
from pathlib import Path
from typing import Annotated

import typer
from rich import filesize
from rich.progress import Progress

from golkepar._http import DEFAULT_ATTEMPTS, DEFAULT_TIMEOUT_S, RetryPolicy
from golkepar.cli._app import app, clear_errors, err, out, settings_with
from golkepar.errors import FetchError
from golkepar.fetch import (
    DEFAULT_DAYS,
    DEFAULT_JOBS,
    DateRange,
    FetchOptions,
    FetchResult,
    FileResult,
    SitePlan,
    fetch_logs,
    plan_fetch,
)


class _FetchProgress:
    """A progress bar on stderr (drawn only on a terminal) fed by the fetch library."""

    def __init__(self, progress: Progress) -> None:
        self._progress = progress
        self._task = progress.add_task("fetching", total=None)
        self._bytes = 0

    def planned(self, files: int) -> None:
        self._progress.update(self._task, total=files)

    def finished(self, result: FileResult) -> None:
        self._bytes += result.bytes
        self._progress.update(
            self._task, advance=1, description=f"fetching ({filesize.decimal(self._bytes)})"
        )


def _print_plan(plans: tuple[SitePlan, ...]) -> None:
    for plan in plans:
        out.print(f"{plan.site}: {plan.base_url} -> {plan.folder}", markup=False, soft_wrap=True)
        for planned in (*plan.archives, *plan.live):
            out.print(
                f"  GET {planned.url} -> {planned.path} ({planned.reason})",
                markup=False,
                soft_wrap=True,
            )
        todo = len(plan.archives) + len(plan.live)
        out.print(
            f"  {todo} to fetch, {len(plan.present)} already here, "
            f"{len(plan.known_missing)} known missing (no log that day)",
            markup=False,
            soft_wrap=True,
        )


def print_fetch_summary(result: FetchResult) -> None:
    lines = [result.summary(site) for site in result.sites]
    if len(lines) > 1:
        lines.append(result.summary())
    for line in lines:
        out.print(
            f"{line.site}: {line.downloaded} downloaded, {line.skipped} skipped, "
            f"{line.missing} missing, {line.failed} failed, {filesize.decimal(line.bytes)}",
            markup=False,
            soft_wrap=True,
        )
    for failure in result.failures:
        err.print(
            f"failed: {failure.site} {failure.kind} log of {failure.day}: {failure.detail}",
            markup=False,
            soft_wrap=True,
        )


@app.command()
def fetch(
    site: Annotated[
        list[str] | None,
        typer.Option(
            metavar="SITE",
            help="Site to fetch (repeat for several); default OVH_STATS_ACCOUNT_NAME.",
        ),
    ] = None,
    since: Annotated[
        datetime | None,
        typer.Option(formats=["%Y-%m-%d"], metavar="DATE", help="First day (YYYY-MM-DD)."),
    ] = None,
    until: Annotated[
        datetime | None,
        typer.Option(
            formats=["%Y-%m-%d"], metavar="DATE", help="Last day (YYYY-MM-DD); default today."
        ),
    ] = None,
    days: Annotated[
        int | None,
        typer.Option(
            metavar="DAYS",
            help=f"Fetch DAYS daily archives up to --until (default {DEFAULT_DAYS}).",
        ),
    ] = None,
    jobs: Annotated[
        int, typer.Option("--jobs", "-j", metavar="N", help="Downloads at once.")
    ] = DEFAULT_JOBS,
    timeout: Annotated[
        float,
        typer.Option(metavar="SECONDS", help="Seconds to wait for the server before trying again."),
    ] = DEFAULT_TIMEOUT_S,
    attempts: Annotated[
        int, typer.Option(metavar="N", help="Tries per file on 5xx, timeouts and cut downloads.")
    ] = DEFAULT_ATTEMPTS,
    retry_missing: Annotated[
        bool,
        typer.Option("--retry-missing", help="Ask again for days remembered as having no log."),
    ] = False,
    dry_run: Annotated[
        bool, typer.Option("--dry-run", help="Print what would be fetched, download nothing.")
    ] = False,
    log_path_base: Annotated[
        Path | None,
        typer.Option(metavar="PATH", help="Where logs are stored (overrides LOG_PATH_BASE)."),
    ] = None,
) -> None:
    """Download a site's access and error logs from the OVH logs server into LOG_PATH_BASE.

    By default: the daily archives of the past 365 days, and today's live log. Files already
    here are skipped, so running it daily fetches only what is new.

    Example: golkepar fetch --days 30 --site example.com
    """
    with clear_errors():
        settings = settings_with(
            log_path_base=log_path_base,
            ovh_stats_account_name=",".join(site) if site else None,
        )
        dates = DateRange.choose(
            since=since.date() if since else None,
            until=until.date() if until else None,
            days=days,
        )
        options = FetchOptions(
            jobs=jobs,
            retry=RetryPolicy(attempts=attempts, timeout_s=timeout),
            retry_missing=retry_missing,
        )
        options.check()
        if dry_run:
            _print_plan(plan_fetch(settings, dates, retry_missing))
            return
        with Progress(console=err, transient=True, disable=not err.is_terminal) as bar:
            result = fetch_logs(settings, dates, options, _FetchProgress(bar))
        print_fetch_summary(result)
        if result.failures:
            raise FetchError(
                f"{len(result.failures)} file(s) could not be fetched: run again to retry them"
            )
