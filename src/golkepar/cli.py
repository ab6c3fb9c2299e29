"""The `golkepar` command line: the only place that prints, draws progress, or exits.

Each command loads the settings, calls one library function, and turns a `GolkeparError`
into one clear line on stderr and a non-zero exit code.
"""

from __future__ import annotations

import logging
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import TYPE_CHECKING, Annotated, Any

import typer
from rich.console import Console

from golkepar import __version__
from golkepar.config import DEFAULT_ENV_FILE, Settings, load_settings
from golkepar.errors import GolkeparError, IngestError

if TYPE_CHECKING:
    from golkepar.ingest.pipeline import IngestSummary

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
def ingest(
    paths: Annotated[
        list[Path] | None,
        typer.Argument(help="Log files or folders (searched recursively). Default: LOG_PATH_BASE."),
    ] = None,
    log_format: Annotated[
        str | None,
        typer.Option(
            "--log-format",
            help="Apache LogFormat string or preset (ovh, combined, common, vhost_combined). "
            "Default: LOG_FORMAT, else detected from each file.",
        ),
    ] = None,
    site: Annotated[
        str | None, typer.Option("--site", help="Site of files whose name does not say it.")
    ] = None,
    lake: Annotated[
        Path | None, typer.Option("--lake", help="Lake folder (PARQUET_PATH_BASE).")
    ] = None,
    geoip_dir: Annotated[
        Path | None, typer.Option("--geoip-dir", help="GeoIP databases folder (IP_PATH_BASE).")
    ] = None,
    anonymize_ips: Annotated[
        bool | None,
        typer.Option(
            "--anonymize-ips/--keep-ips", help="Store IPv4 /24 and IPv6 /48 only (ANONYMIZE_IPS)."
        ),
    ] = None,
) -> None:
    """Parse logs into the enriched, partitioned Parquet lake in PARQUET_PATH_BASE.

    Every line becomes a hit or a counted reject; unchanged files are skipped on the next run.

    Example: golkepar ingest data/logs/example.com --log-format ovh
    """
    from golkepar.ingest.pipeline import ingest_logs

    with clear_errors():
        settings = settings_with(
            parquet_path_base=lake, ip_path_base=geoip_dir, anonymize_ips=anonymize_ips
        )
        with err.status("ingesting...") as status:
            summary = ingest_logs(
                settings,
                paths or [],
                log_format=log_format,
                site=site,
                on_file=lambda f: status.update(f"ingesting... {f.key}: {f.status}"),
            )
    print_ingest_summary(summary)
    if summary.count("failed"):
        raise typer.Exit(IngestError.exit_code)


def print_ingest_summary(summary: IngestSummary) -> None:
    for outcome in summary.files:
        if outcome.status == "failed":
            err.print(f"error: {outcome.message}", markup=False)
    for warning in summary.warnings:
        err.print(f"warning: {warning}", markup=False)
    formats = sorted({f.format for f in summary.files if f.status == "ingested" and f.format})
    out.print(
        f"files: {summary.count('ingested')} ingested, {summary.count('unchanged')} unchanged, "
        f"{summary.count('superseded')} superseded by their daily archive, "
        f"{summary.count('failed')} failed",
        markup=False,
    )
    if formats:
        out.print(f"log formats: {', '.join(formats)}", markup=False)
    out.print(
        f"lines read {summary.lines:,} = hits {summary.hits:,} + rejects {summary.rejects:,}",
        markup=False,
    )
    if summary.rejects:
        out.print(
            "rejected lines and their reasons are in the lake's rejects/ dataset", markup=False
        )
    out.print(f"lake: {summary.lake}", markup=False)


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
