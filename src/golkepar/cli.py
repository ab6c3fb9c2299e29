"""The `golkepar` command line: the only place that prints, draws progress, or exits.

Each command loads the settings, calls one library function, and turns a `GolkeparError`
into one clear line on stderr and a non-zero exit code.
"""

from __future__ import annotations

import logging
from collections.abc import Iterator
from contextlib import contextmanager
from enum import StrEnum
from pathlib import Path
from typing import Annotated, Any

import typer
from rich.console import Console

from golkepar import __version__
from golkepar.config import DEFAULT_ENV_FILE, Settings, load_settings
from golkepar.errors import GolkeparError

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


@app.command()
def fetch() -> None:
    """Download a site's access and error logs from the OVH logs server into LOG_PATH_BASE."""
    not_available("fetch")


# --- ingest ------------------------------------------------------------------------------


@app.command()
def ingest() -> None:
    """Parse logs into the enriched, partitioned Parquet lake in PARQUET_PATH_BASE."""
    not_available("ingest")


# --- build -------------------------------------------------------------------------------


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
) -> None:
    """Build the DuckDB analytics database (DUCKDB_FILE) from the lake.

    Hits, visits, visitors and their classes, daily traffic, security and error events; see
    docs/warehouse.md. The file is replaced atomically: readers never see a half-built one.

    Example: golkepar build --session-idle-minutes 20
    """
    from golkepar.warehouse.build import build_warehouse

    with clear_errors():
        settings = settings_with(
            duckdb_file=duckdb_file,
            parquet_path_base=lake,
            session_idle_minutes=session_idle_minutes,
        )
        result = build_warehouse(settings)
    out.print(
        f"built {result.duckdb_file} from {result.lake_files} lake files in "
        f"{result.seconds:.1f} s: {result.hits:,} hits, {result.visits:,} visits, "
        f"{result.visitors:,} visitors, {result.security_events:,} security events, "
        f"{result.error_events:,} error events, {result.rejects:,} rejected lines",
        markup=False,
        soft_wrap=True,
    )
    if not result.search_bot_ranges:
        err.print(
            "note: no crawler ranges in IP_PATH_BASE (googlebot.json, bingbot.json): "
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
