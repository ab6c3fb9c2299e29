"""`golkepar run` (every stage in order) and `demo`."""

from __future__ import annotations

import sys
from pathlib import Path
from typing import TYPE_CHECKING, Annotated

import typer
from rich.status import Status
from rich.text import Text

from golkepar.cli._app import app, clear_errors, err, out, settings_with
from golkepar.cli.build import print_build_result
from golkepar.cli.fetch import print_fetch_summary
from golkepar.cli.geoip import print_geoip_report
from golkepar.cli.ingest import print_ingest_summary
from golkepar.cli.report import print_report_result

if TYPE_CHECKING:
    from golkepar.fetch import FileResult
    from golkepar.ingest.pipeline import FileOutcome
    from golkepar.pipeline import RunResult


class _RunStatus:
    """One spinner line on stderr that follows the run from stage to stage."""

    def __init__(self, status: Status) -> None:
        self._status = status
        self._stage = ""
        self._planned = 0
        self._done = 0

    def stage(self, stage: str) -> None:
        self._stage = stage
        self._status.update(f"{stage}...")

    def planned(self, files: int) -> None:
        self._planned = files

    def finished(self, result: FileResult) -> None:
        self._done += 1
        self._status.update(f"{self._stage}... {self._done}/{self._planned} files")

    # Text, not str: a spinner reads a str as markup, and file names are not.
    def file_done(self, outcome: FileOutcome) -> None:
        self._status.update(Text(f"{self._stage}... {outcome.key}: {outcome.status}"))

    def lines_read(self, key: str, lines: int) -> None:
        self._status.update(Text(f"{self._stage}... {key}: {lines:,} lines"))


@app.command()
def run(
    skip_geoip: Annotated[
        bool, typer.Option("--skip-geoip", help="Do not refresh the GeoIP databases.")
    ] = False,
    skip_fetch: Annotated[
        bool, typer.Option("--skip-fetch", help="Work on the logs already in LOG_PATH_BASE.")
    ] = False,
) -> None:
    """Run every stage in order: geoip update, fetch, ingest, build, report.

    A failed GeoIP refresh is a warning (the databases already there are used); any other
    failure stops the run with that stage's exit code. Each stage skips what is up to date,
    so this is what a daily cron job runs.

    Example: golkepar run --skip-geoip
    """
    from golkepar.pipeline import RunProgress, run_pipeline

    with clear_errors():
        settings = settings_with()
        with err.status("running...") as status:
            follow = _RunStatus(status)
            result = run_pipeline(
                settings,
                skip_geoip=skip_geoip,
                skip_fetch=skip_fetch,
                progress=RunProgress(
                    on_stage=follow.stage,
                    fetch=follow,
                    on_file=follow.file_done,
                    on_lines=follow.lines_read,
                ),
            )
    print_run_result(result)
    for failure in (*result.file_failures, *([result.failure] if result.failure else [])):
        err.print(f"error: {failure}", markup=False, soft_wrap=True)
    if result.exit_code:
        raise typer.Exit(result.exit_code)


def print_run_result(result: RunResult) -> None:
    """Each stage that ran under its own heading, with what its own command prints."""
    if "geoip update" not in result.stages:
        _print_warnings_and_notes(result)
    for stage in result.stages:
        err.print(f"== {stage}", markup=False)
        if stage == "geoip update" and result.geoip is not None:
            print_geoip_report(result.geoip)
        elif stage == "fetch" and result.fetch is not None:
            print_fetch_summary(result.fetch)
        elif stage == "ingest" and result.ingest is not None:
            print_ingest_summary(result.ingest)
        elif stage == "build" and result.build is not None:
            print_build_result(result.build)
        elif stage == "report" and result.report is not None:
            print_report_result(result.report)
        if stage == "geoip update":
            _print_warnings_and_notes(result)


def _print_warnings_and_notes(result: RunResult) -> None:
    for warning in result.warnings:
        err.print(f"warning: {warning}", markup=False, soft_wrap=True)
    for note in result.notes:
        err.print(f"note: {note}", markup=False, soft_wrap=True)


@app.command()
def demo(
    folder: Annotated[
        Path, typer.Option("--dir", help="Folder to write the demo into.", show_default=True)
    ] = Path("demo"),
) -> None:
    """Run the whole pipeline offline on generated sample data: no network, no configuration.

    Writes a few days of a realistic site's logs (humans, bots, scanners), a GeoIP database
    built on the fly, the Parquet lake, the DuckDB database and the HTML report, all under
    --dir.

    Example: golkepar demo --dir /tmp/golkepar-demo
    """
    from golkepar.demo import run_demo

    with clear_errors(), err.status("generating sample logs, ingesting, building, reporting..."):
        result = run_demo(folder)
    print_ingest_summary(result.ingest)
    built = result.build
    out.print(f"open {result.report.path}", markup=False, soft_wrap=True)
    out.print(
        f"database: {built.duckdb_file} ({built.hits:,} hits, {built.visits:,} visits, "
        f"{built.visitors:,} visitors, {built.security_events:,} security events)",
        markup=False,
        soft_wrap=True,
    )
    out.print(f"sample logs: {result.settings.log_path_base}", markup=False, soft_wrap=True)
    database = f"duckdb.connect({str(built.duckdb_file)!r}, read_only=True)"
    look = f"import duckdb; print({database}.sql('from daily_traffic'))"
    out.print(f'look: {sys.executable} -c "{look}"', markup=False, soft_wrap=True)
