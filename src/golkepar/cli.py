"""The `golkepar` command line: the only place that prints, draws progress, or exits.

Each command loads the settings, calls one library function, and turns a `GolkeparError`
into one clear line on stderr and a non-zero exit code.
"""

from __future__ import annotations

import logging
from collections.abc import Iterator
from contextlib import contextmanager
from datetime import datetime
from pathlib import Path
from typing import Annotated, Any

import typer
from rich import filesize
from rich.console import Console
from rich.progress import Progress

from golkepar import __version__
from golkepar._http import DEFAULT_ATTEMPTS, DEFAULT_TIMEOUT_S
from golkepar.config import DEFAULT_ENV_FILE, Settings, load_settings
from golkepar.errors import FetchError, GolkeparError
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

app = typer.Typer(
    name="golkepar",
    help="Turn OVHcloud web-hosting Apache logs into an analytics-ready DuckDB database.\n\n"
    "Stages, in order: geoip, fetch, ingest, build, report; `run` chains them and `demo` "
    "runs them offline on sample data.",
    no_args_is_help=True,
    add_completion=False,
    pretty_exceptions_enable=False,
    rich_markup_mode=None,
)
geoip_app = typer.Typer(
    help="IP geolocation and ASN databases: update, status, lookup.",
    no_args_is_help=True,
)
app.add_typer(geoip_app, name="geoip")

out = Console(highlight=False)
err = Console(stderr=True, highlight=False)

# Exit code for a stage that a later release will bring.
EXIT_NOT_AVAILABLE = 64
EXIT_INTERRUPTED = 130

EnvFileOption = Annotated[
    Path,
    typer.Option("--env-file", help="The .env file to read (missing is fine).", show_default=True),
]


class _State:
    env_file: Path = DEFAULT_ENV_FILE


def settings_with(**flags: Any) -> Settings:
    """Settings from defaults < .env < environment < the flags given on the command line."""
    return load_settings(env_file=_State.env_file, overrides=flags)


@contextmanager
def clear_errors() -> Iterator[None]:
    """Turn golkepar's own errors into one line on stderr and their exit code."""
    try:
        yield
    except GolkeparError as e:
        err.print(f"error: {e}", markup=False)
        raise typer.Exit(e.exit_code) from None
    except KeyboardInterrupt:
        err.print("interrupted", markup=False)
        raise typer.Exit(EXIT_INTERRUPTED) from None


def not_available(stage: str) -> None:
    err.print(f"{stage}: not available yet in golkepar {__version__}", markup=False)
    raise typer.Exit(EXIT_NOT_AVAILABLE)


def _version_callback(value: bool) -> None:
    if value:
        out.print(f"golkepar {__version__}")
        raise typer.Exit()


@app.callback()
def main_callback(
    env_file: EnvFileOption = DEFAULT_ENV_FILE,
    verbose: Annotated[
        int, typer.Option("--verbose", "-v", count=True, help="More detail: -v info, -vv debug.")
    ] = 0,
    version: Annotated[
        bool,
        typer.Option("--version", callback=_version_callback, is_eager=True, help="Show version."),
    ] = False,
) -> None:
    """Turn OVHcloud web-hosting Apache logs into an analytics-ready DuckDB database."""
    _State.env_file = env_file
    level = logging.WARNING if verbose == 0 else logging.INFO if verbose == 1 else logging.DEBUG
    logging.basicConfig(level=level, format="%(levelname)s %(name)s: %(message)s")


# --- geoip -------------------------------------------------------------------------------


@geoip_app.command("update")
def geoip_update() -> None:
    """Download or refresh the GeoIP and ASN databases in IP_PATH_BASE."""
    not_available("geoip update")


@geoip_app.command("status")
def geoip_status() -> None:
    """Show each GeoIP database in IP_PATH_BASE with its type, build date and age."""
    not_available("geoip status")


@geoip_app.command("lookup")
def geoip_lookup() -> None:
    """Show what enrichment gives for IP addresses."""
    not_available("geoip lookup")


# --- fetch -------------------------------------------------------------------------------


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


def _print_summary(result: FetchResult) -> None:
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
        if dry_run:
            _print_plan(plan_fetch(settings, dates, retry_missing))
            return
        options = FetchOptions(
            jobs=jobs, attempts=attempts, timeout_s=timeout, retry_missing=retry_missing
        )
        with Progress(console=err, transient=True, disable=not err.is_terminal) as bar:
            result = fetch_logs(settings, dates, options, _FetchProgress(bar))
        _print_summary(result)
        if result.failures:
            raise FetchError(
                f"{len(result.failures)} file(s) could not be fetched: run again to retry them"
            )


# --- ingest ------------------------------------------------------------------------------


@app.command()
def ingest() -> None:
    """Parse logs into the enriched, partitioned Parquet lake in PARQUET_PATH_BASE."""
    not_available("ingest")


# --- build -------------------------------------------------------------------------------


@app.command()
def build() -> None:
    """Build the DuckDB analytics database (DUCKDB_FILE) from the lake."""
    not_available("build")


@app.command()
def blocklist() -> None:
    """Print the IPs that attacked the site, as .htaccess rules or CSV."""
    not_available("blocklist")


@app.command("superset-bundle")
def superset_bundle() -> None:
    """Write an Apache Superset dashboard bundle pointing at DUCKDB_FILE."""
    not_available("superset-bundle")


# --- report ------------------------------------------------------------------------------


@app.command()
def report() -> None:
    """Write the HTML dashboard and print a terminal summary."""
    not_available("report")


# --- whole pipeline ----------------------------------------------------------------------


@app.command()
def run() -> None:
    """Run every stage in order: geoip, fetch, ingest, build, report."""
    not_available("run")


@app.command()
def demo() -> None:
    """Run the whole pipeline offline on embedded sample data."""
    not_available("demo")


def main(argv: list[str] | None = None) -> None:
    """Entry point of the `golkepar` script."""
    app(args=argv, prog_name="golkepar")
