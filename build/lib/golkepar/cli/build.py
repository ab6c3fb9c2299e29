"""`golkepar build`, `blocklist` and `superset-bundle`."""

from __future__ import annotations

from enum import StrEnum
from pathlib import Path
from typing import TYPE_CHECKING, Annotated

import typer

from golkepar.cli._app import app, clear_errors, err, out, settings_with

if TYPE_CHECKING:
    from golkepar.warehouse.build import BuildResult


@app.command()
def build(
    duckdb_file: Annotated[
        Path | None, typer.Option("--duckdb-file", help="The database to write [DUCKDB_FILE].")
    ] = None,
    lake: Annotated[
        Path | None, typer.Option("--lake", help="The lake folder to read [PARQUET_PATH_BASE].")
    ] = None,
    session_idle_minutes: Annotated[
        int | None,
        typer.Option(
            "--session-idle-minutes",
            help="Idle minutes that end a visit [SESSION_IDLE_MINUTES, 30].",
        ),
    ] = None,
    full: Annotated[
        bool,
        typer.Option(
            "--full", help="Recompute everything, not only what the lake's new files change."
        ),
    ] = False,
) -> None:
    """Build the DuckDB analytics database (DUCKDB_FILE) from the lake.

    Hits, visits, visitors and their classes, daily traffic, security and error events; see
    docs/warehouse.md. Only what new or replaced lake files change is recomputed (`--full`
    recomputes everything); the file is replaced atomically: readers never see a half-built one.

    Example: golkepar build --session-idle-minutes 20
    """
    from golkepar.warehouse.build import build_warehouse

    with clear_errors():
        settings = settings_with(
            duckdb_file=duckdb_file,
            parquet_path_base=lake,
            session_idle_minutes=session_idle_minutes,
        )
        result = build_warehouse(settings, full=full)
    print_build_result(result)


def print_build_result(result: BuildResult) -> None:
    if result.mode == "up to date":
        how = f"{result.duckdb_file} is up to date ({result.reason})"
    elif result.mode == "incremental":
        how = (
            f"updated {result.duckdb_file} ({result.reason}: {result.recomputed_hits:,} hits "
            f"recomputed) in {result.seconds:.1f} s"
        )
    else:
        how = (
            f"built {result.duckdb_file} from {result.lake_files} lake files in "
            f"{result.seconds:.1f} s (full build: {result.reason})"
        )
    out.print(
        f"{how}: {result.hits:,} hits, {result.visits:,} visits, "
        f"{result.visitors:,} visitors, {result.security_events:,} security events, "
        f"{result.error_events:,} error events, {result.rejects:,} rejected lines",
        markup=False,
        soft_wrap=True,
    )
    if result.lost_search_bot_ranges:
        err.print(
            "warning: the previous build verified search bots with the "
            f"{', '.join(result.lost_search_bot_ranges)} ranges, which are not in IP_PATH_BASE "
            "now: those bots are no longer verified and visitor classes change (an address "
            "faking Googlebot is no longer an attacker); point IP_PATH_BASE where `golkepar "
            "geoip update` stores them, as for the previous build, and build again",
            markup=False,
            soft_wrap=True,
        )
    elif not result.search_bot_ranges:
        from golkepar.geoip.crawler_ranges import CRAWLER_FILE_NAMES

        err.print(
            f"note: no crawler ranges in IP_PATH_BASE ({', '.join(CRAWLER_FILE_NAMES)}): "
            "search bots were not verified; run `golkepar geoip update` to get them",
            markup=False,
            soft_wrap=True,
        )


class BlocklistFormat(StrEnum):
    htaccess = "htaccess"
    csv = "csv"


@app.command()
def blocklist(
    since: Annotated[
        str | None,
        typer.Option(help="Only events from then on: 2026-11-01, or a duration ago: 24h, 7d."),
    ] = None,
    output_format: Annotated[
        BlocklistFormat, typer.Option("--format", help="htaccess rules or CSV.")
    ] = BlocklistFormat.htaccess,
    site: Annotated[str | None, typer.Option(help="Only this site's events.")] = None,
    duckdb_file: Annotated[
        Path | None, typer.Option("--duckdb-file", help="The database to read [DUCKDB_FILE].")
    ] = None,
) -> None:
    """Print the IPs that attacked the site, as .htaccess rules or CSV.

    Reads the security events of the database `golkepar build` wrote. Shared hosting has no
    fail2ban: the htaccess form (`Require not ip ...`) is what you can deploy there.

    Example: golkepar blocklist --since 7d > blocklist.htaccess
    """
    from golkepar.warehouse.blocklist import (
        offending_addresses,
        parse_since,
        render_csv,
        render_htaccess,
    )

    with clear_errors():
        settings = settings_with(duckdb_file=duckdb_file)
        start = parse_since(since) if since else None
        addresses = offending_addresses(settings.duckdb_file, since=start, site=site)
    if output_format is BlocklistFormat.csv:
        typer.echo(render_csv(addresses), nl=False)
    else:
        typer.echo(render_htaccess(addresses, since=start), nl=False)


@app.command("superset-bundle")
def superset_bundle(
    output: Annotated[Path, typer.Option("--output", "-o", help="The ZIP file to write.")] = Path(
        "golkepar-superset.zip"
    ),
    database_name: Annotated[
        str, typer.Option("--database-name", help="The database's name in Superset.")
    ] = "golkepar",
    duckdb_file: Annotated[
        Path | None, typer.Option("--duckdb-file", help="The database to point at [DUCKDB_FILE].")
    ] = None,
    days: Annotated[
        int, typer.Option("--days", min=1, help="Days the dashboard shows at first.")
    ] = 28,
    until_latest: Annotated[
        bool,
        typer.Option(
            "--until-latest",
            help="End the default range on the warehouse's last day, not today (for a "
            "warehouse no longer updated, like the demo's).",
        ),
    ] = False,
) -> None:
    """Write an Apache Superset dashboard bundle pointing at DUCKDB_FILE.

    The ZIP holds the database connection (read-only), a dataset per warehouse table, the
    charts and a dashboard. Import it with `superset import-dashboards -p FILE -u admin` or
    Superset's Dashboards > Import. Example:

        golkepar superset-bundle --output site.zip --database-name example.com
    """
    from golkepar.superset import default_time_range, latest_day, write_bundle

    with clear_errors():
        settings = settings_with(duckdb_file=duckdb_file)
        until = latest_day(settings.duckdb_file) if until_latest else None
        result = write_bundle(
            settings.duckdb_file,
            output,
            database_name=database_name,
            time_range=default_time_range(days, until),
        )
    out.print(
        f"wrote {result.path}: {result.datasets} datasets, {result.charts} charts, one dashboard",
        markup=False,
    )
    # Unwrapped, so the URI can be copied into Superset as it is.
    out.print(f"database: {result.sqlalchemy_uri}", markup=False, soft_wrap=True)
    if not settings.duckdb_file.exists():
        err.print(
            f"note: {settings.duckdb_file} does not exist yet: run `golkepar build` before "
            "opening the dashboard",
            markup=False,
        )
