"""`golkepar report`, `run` (every stage in order) and `demo`."""

from __future__ import annotations

import sys
from pathlib import Path
from typing import Annotated

import typer

from golkepar.cli._app import app, clear_errors, err, not_available, out, settings_with
from golkepar.cli.build import build
from golkepar.cli.fetch import fetch
from golkepar.cli.geoip import geoip_update
from golkepar.cli.ingest import ingest, print_ingest_summary


@app.command()
def report() -> None:
    """Write the HTML dashboard and print a terminal summary."""
    not_available("report")


@app.command()
def run(
    skip_geoip: Annotated[
        bool, typer.Option("--skip-geoip", help="Do not refresh the GeoIP databases.")
    ] = False,
    skip_fetch: Annotated[
        bool, typer.Option("--skip-fetch", help="Work on the logs already in LOG_PATH_BASE.")
    ] = False,
) -> None:
    """Run every stage in order: geoip update, fetch, ingest, build.

    A failed GeoIP refresh is a warning (the databases already there are used); any other
    failure stops the run with that stage's exit code. Each stage skips what is up to date,
    so this is what a daily cron job runs.

    Example: golkepar run --skip-geoip
    """
    with clear_errors():
        settings = settings_with()
    if not skip_geoip:
        err.print("== geoip update", markup=False)
        try:
            geoip_update()
        except typer.Exit as stopped:
            if stopped.exit_code:
                err.print(
                    "warning: GeoIP databases not refreshed; going on with those in "
                    f"{settings.ip_path_base}",
                    markup=False,
                )
    if skip_fetch or not settings.sites:
        if not skip_fetch:
            err.print("note: OVH_STATS_ACCOUNT_NAME is not set: fetch skipped", markup=False)
    else:
        err.print("== fetch", markup=False)
        fetch()
    err.print("== ingest", markup=False)
    ingest()
    err.print("== build", markup=False)
    build()


@app.command()
def demo(
    folder: Annotated[
        Path, typer.Option("--dir", help="Folder to write the demo into.", show_default=True)
    ] = Path("demo"),
) -> None:
    """Run the whole pipeline offline on generated sample data: no network, no configuration.

    Writes a few days of a realistic site's logs (humans, bots, scanners), a GeoIP database
    built on the fly, the Parquet lake and the DuckDB database, all under --dir.

    Example: golkepar demo --dir /tmp/golkepar-demo
    """
    from golkepar.demo import run_demo

    with clear_errors(), err.status("generating sample logs, ingesting, building..."):
        result = run_demo(folder)
    print_ingest_summary(result.ingest)
    built = result.build
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
