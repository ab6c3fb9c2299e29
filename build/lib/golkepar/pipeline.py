"""`run`: every stage in order (geoip update, fetch, ingest, build, report), as cron runs it.

A failed GeoIP refresh is a warning: the databases already in IP_PATH_BASE are used. Files that
could not be fetched or ingested do not stop the run: the warehouse is built with what the lake
holds (a stale database every day after one odd file would be worse), and the run exits with
their error's code. Any other failure stops the run; the result says which error stopped it,
with what ran before it.
"""

from __future__ import annotations

import logging
from collections.abc import Callable
from dataclasses import dataclass, replace
from typing import Literal

from golkepar.config import Settings
from golkepar.errors import FetchError, GolkeparError
from golkepar.fetch import DateRange, FetchResult, Progress, fetch_logs
from golkepar.geoip.update import UpdateReport, update_geoip
from golkepar.ingest.pipeline import FileOutcome, IngestSummary, ingest_logs
from golkepar.report.write import ReportResult, write_report
from golkepar.warehouse.build import BuildResult, build_warehouse

logger = logging.getLogger(__name__)

Stage = Literal["geoip update", "fetch", "ingest", "build", "report"]


@dataclass(frozen=True)
class RunResult:
    """What each stage of a run did (None: skipped, or not reached), and what stopped it."""

    settings: Settings
    # The stages that were started, in order.
    stages: tuple[Stage, ...] = ()
    geoip: UpdateReport | None = None
    fetch: FetchResult | None = None
    ingest: IngestSummary | None = None
    build: BuildResult | None = None
    report: ReportResult | None = None
    # Things the user should know that did not stop the run (a failed GeoIP refresh...).
    warnings: tuple[str, ...] = ()
    notes: tuple[str, ...] = ()
    # The error that stopped the run; the CLI exits with its code.
    failure: GolkeparError | None = None
    # Files that could not be fetched or ingested: the run went on with the others.
    file_failures: tuple[GolkeparError, ...] = ()

    @property
    def exit_code(self) -> int:
        if self.failure:
            return self.failure.exit_code
        return self.file_failures[0].exit_code if self.file_failures else 0


@dataclass(frozen=True)
class RunProgress:
    """Where a run reports progress (the CLI draws it); every hook is optional."""

    on_stage: Callable[[Stage], None] | None = None
    fetch: Progress | None = None
    on_file: Callable[[FileOutcome], None] | None = None
    on_lines: Callable[[str, int], None] | None = None


def run_pipeline(
    settings: Settings,
    *,
    skip_geoip: bool = False,
    skip_fetch: bool = False,
    progress: RunProgress | None = None,
) -> RunResult:
    """Run geoip update, fetch, ingest, build and report with each stage's own defaults.

    Each stage skips what is up to date, so running this daily does only the new work.
    """
    progress = progress or RunProgress()
    result = RunResult(settings)

    def starting(stage: Stage) -> RunResult:
        logger.info("run: %s", stage)
        if progress.on_stage:
            progress.on_stage(stage)
        return replace(result, stages=(*result.stages, stage))

    if not skip_geoip:
        result = _refresh_geoip(starting("geoip update"))
    if not skip_fetch and not settings.sites:
        result = replace(result, notes=("OVH_STATS_ACCOUNT_NAME is not set: fetch skipped",))
    elif not skip_fetch:
        result = starting("fetch")
        try:
            fetched = fetch_logs(settings, DateRange.choose(), progress=progress.fetch)
        except GolkeparError as e:
            return replace(result, failure=e)
        result = replace(result, fetch=fetched)
        if fetched.failures:
            missed = FetchError(
                f"{len(fetched.failures)} file(s) could not be fetched: run again to retry them"
            )
            result = replace(result, file_failures=(*result.file_failures, missed))
    result = starting("ingest")
    try:
        ingested = ingest_logs(settings, on_file=progress.on_file, on_lines=progress.on_lines)
    except GolkeparError as e:
        return replace(result, failure=e)
    result = replace(result, ingest=ingested)
    not_ingested = ingested.failure()
    if not_ingested is not None:
        result = replace(result, file_failures=(*result.file_failures, not_ingested))
    result = starting("build")
    try:
        built = build_warehouse(settings)
    except GolkeparError as e:
        return replace(result, failure=e)
    result = replace(result, build=built)
    if not built.hits:
        return replace(result, notes=(*result.notes, "no traffic in the database yet: no report"))
    result = starting("report")
    try:
        reported = write_report(settings.duckdb_file)
    except GolkeparError as e:
        return replace(result, failure=e)
    return replace(result, report=reported)


def _refresh_geoip(result: RunResult) -> RunResult:
    """Update the GeoIP databases; a failure is a warning, never the end of the run."""
    kept = f"going on with those in {result.settings.ip_path_base}"
    try:
        report = update_geoip(result.settings)
    except GolkeparError as e:
        return replace(result, warnings=(f"GeoIP databases not refreshed ({e}); {kept}",))
    result = replace(result, geoip=report)
    if report.failures:
        return replace(result, warnings=(f"GeoIP databases not refreshed; {kept}",))
    return result
