"""The `golkepar` command line: the only place that prints, draws progress, or exits.

Each command loads the settings, calls one library function, and turns a `GolkeparError`
into one clear line on stderr and a non-zero exit code.
"""

from __future__ import annotations

import dataclasses
import datetime as dt
import json
import logging
import sys
from collections import Counter
from collections.abc import Iterator
from contextlib import contextmanager
from datetime import datetime
from enum import StrEnum
from pathlib import Path
from typing import TYPE_CHECKING, Annotated, Any

import typer
from rich import filesize
from rich.console import Console
from rich.progress import Progress

from golkepar import __version__
from golkepar._http import DEFAULT_ATTEMPTS, DEFAULT_TIMEOUT_S
from golkepar.config import DEFAULT_ENV_FILE, Settings, load_settings
from golkepar.errors import FetchError, GolkeparError, IngestError
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
        err.print(f"error: {e}", markup=False, soft_wrap=True)
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
def geoip_update(
    source: Annotated[
        str | None,
        typer.Option(
            "--source",
            help="maxmind, dbip or ip-location-db [default: GEOIP_SOURCE, else maxmind when a "
            "licence key is configured, else dbip]",
        ),
    ] = None,
    force: Annotated[
        bool, typer.Option("--force", help="Check every file, even one checked recently.")
    ] = False,
    max_age_days: Annotated[
        int | None,
        typer.Option("--max-age-days", help="Skip files checked fewer days ago [default: 7]."),
    ] = None,
    base_url: Annotated[
        str | None, typer.Option("--base-url", help="Download from this mirror instead.")
    ] = None,
    crawler_ranges: Annotated[
        bool,
        typer.Option(
            "--crawler-ranges/--no-crawler-ranges",
            help="Also keep Googlebot's and Bingbot's published IP ranges.",
        ),
    ] = True,
    wait: Annotated[
        float,
        typer.Option("--wait", help="Seconds to wait for another running update to finish."),
    ] = 0.0,
) -> None:
    """Download or refresh the GeoIP and ASN databases in IP_PATH_BASE.

    Each file is checked, then renamed over the old one; a failure keeps the old file.
    Example: golkepar geoip update --source dbip
    """
    from golkepar.geoip.update import update_geoip

    with clear_errors():
        settings = settings_with(
            geoip_source=source, geoip_max_age_days=max_age_days, geoip_base_url=base_url
        )
        report = update_geoip(
            settings, force=force, crawler_ranges=crawler_ranges, lock_timeout_s=wait
        )
    for outcome in report.outcomes:
        if outcome.action == "failed":
            err.print(f"error: {outcome.name}: {outcome.detail}", markup=False, soft_wrap=True)
        else:
            line = f"{outcome.action:<9} {outcome.name}  {outcome.detail}".rstrip()
            out.print(line, markup=False, soft_wrap=True)
    if report.attribution:
        out.print(f"source: {report.source}: {report.attribution}", markup=False, soft_wrap=True)
    failures = report.failures
    if failures:
        first = failures[0].error
        raise typer.Exit(first.exit_code if first else 1)


def _age(built_at: dt.datetime | None, now: dt.datetime) -> str:
    if built_at is None:
        return ""
    days = (now - built_at).days
    return f"built {built_at:%Y-%m-%d} ({days} day{'' if days == 1 else 's'} old)"


@geoip_app.command("status")
def geoip_status(
    as_json: Annotated[bool, typer.Option("--json", help="Print JSON instead of text.")] = False,
) -> None:
    """Show each GeoIP database in IP_PATH_BASE with its type, build date and age.

    Also shows its record layout, IP version and the source it came from, and the crawler
    ranges. Example: golkepar geoip status
    """
    from golkepar.geoip.status import folder_status

    with clear_errors():
        status = folder_status(settings_with().ip_path_base)
    if as_json:
        files = [
            {**dataclasses.asdict(f), "built_at": f.built_at.isoformat() if f.built_at else None}
            for f in status.files
        ]
        body = {"folder": str(status.folder), "files": files, "warnings": list(status.warnings)}
        out.print_json(json.dumps(body))
        return
    now = dt.datetime.now(dt.UTC)
    out.print(f"IP_PATH_BASE {status.folder}", markup=False, soft_wrap=True)
    for f in status.files:
        if f.problem:
            continue
        if f.prefixes is not None:
            what = f"{f.kind}, {f.prefixes} prefixes"
        else:
            what = f"{f.kind}, {f.layout} layout, {f.database_type}, IPv{f.ip_version}"
        source = f"from {f.source}" if f.source else "not downloaded by golkepar"
        line = f"{f.name:<24} {what}  {_age(f.built_at, now)}  {source}"
        out.print(line, markup=False, soft_wrap=True)
    for warning in status.warnings:
        err.print(f"warning: {warning}", markup=False, soft_wrap=True)


@geoip_app.command("lookup")
def geoip_lookup(
    ips: Annotated[list[str], typer.Argument(help="IP addresses to look up.", show_default=False)],
    as_json: Annotated[bool, typer.Option("--json", help="Print JSON instead of text.")] = False,
) -> None:
    """Show what enrichment gives for IP addresses, from the databases in IP_PATH_BASE.

    Also says when an address lies in Googlebot's or Bingbot's published ranges.
    Example: golkepar geoip lookup 66.249.66.1 2a01:cb00::1
    """
    from golkepar.geoip.status import lookup_addresses

    with clear_errors():
        answers = lookup_addresses(settings_with().ip_path_base, ips)
    if as_json:
        rows = [{"ip": a.ip, **dataclasses.asdict(a.facts), "crawler": a.crawler} for a in answers]
        out.print_json(json.dumps(rows))
        return
    for answer in answers:
        facts = answer.facts
        out.print(answer.ip, markup=False)
        location = None
        if facts.latitude is not None and facts.longitude is not None:
            location = f"{facts.latitude:.4f}, {facts.longitude:.4f}"
        asn = f"AS{facts.asn} {facts.as_org or ''}".rstrip() if facts.asn is not None else None
        for label, value in (
            ("country", facts.country_code),
            ("region", facts.region),
            ("city", facts.city),
            ("location", location),
            ("asn", asn),
            ("crawler", f"{answer.crawler} (published range)" if answer.crawler else None),
        ):
            out.print(f"  {label:<9}{value if value is not None else '-'}", markup=False)


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
    force: Annotated[
        bool,
        typer.Option(
            "--force",
            help="Read every file again, changed or not (after a GeoIP update, for instance).",
        ),
    ] = False,
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
                on_lines=lambda key, n: status.update(f"ingesting... {key}: {n:,} lines"),
                force=force,
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
    formats = Counter(
        f.format for f in summary.files if f.status == "ingested" and f.kind == "access"
    )
    out.print(
        f"files: {summary.count('ingested')} ingested, {summary.count('unchanged')} unchanged, "
        f"{summary.count('superseded')} superseded by their daily archive, "
        f"{summary.count('failed')} failed",
        markup=False,
    )
    if formats:
        how = "as configured" if summary.format_configured else "detected"
        described = ", ".join(
            f"{name} ({count} file{'s' if count > 1 else ''})" for name, count in formats.items()
        )
        out.print(f"access log format, {how}: {described}", markup=False, soft_wrap=True)
    error_entries = summary.error_entries
    out.print(
        f"lines read {summary.lines:,} = hits {summary.hits - error_entries:,}"
        + (f" + error-log entries {error_entries:,}" if error_entries else "")
        + f" + rejects {summary.rejects:,}",
        markup=False,
    )
    if summary.rejects:
        out.print(
            "rejected lines and their reasons are in the lake's rejects/ dataset", markup=False
        )
    out.print(f"lake: {summary.lake}", markup=False)


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
) -> None:
    """Write an Apache Superset dashboard bundle pointing at DUCKDB_FILE.

    The ZIP holds the database connection (read-only), a dataset per warehouse table, the
    charts and a dashboard. Import it with `superset import-dashboards -p FILE -u admin` or
    Superset's Dashboards > Import. Example:

        golkepar superset-bundle --output site.zip --database-name example.com
    """
    from golkepar.superset import write_bundle

    with clear_errors():
        settings = settings_with(duckdb_file=duckdb_file)
        result = write_bundle(settings.duckdb_file, output, database_name=database_name)
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


# --- report ------------------------------------------------------------------------------


@app.command()
def report() -> None:
    """Write the HTML dashboard and print a terminal summary."""
    not_available("report")


# --- whole pipeline ----------------------------------------------------------------------


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
            geoip_update(
                source=None,
                force=False,
                max_age_days=None,
                base_url=None,
                crawler_ranges=True,
                wait=0.0,
            )
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
        fetch(
            site=None,
            since=None,
            until=None,
            days=None,
            jobs=DEFAULT_JOBS,
            timeout=DEFAULT_TIMEOUT_S,
            attempts=DEFAULT_ATTEMPTS,
            retry_missing=False,
            dry_run=False,
            log_path_base=None,
        )
    err.print("== ingest", markup=False)
    ingest(
        paths=None,
        log_format=None,
        site=None,
        lake=None,
        geoip_dir=None,
        anonymize_ips=None,
        force=False,
    )
    err.print("== build", markup=False)
    build(duckdb_file=None, lake=None, session_idle_minutes=None)


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


def main(argv: list[str] | None = None) -> None:
    """Entry point of the `golkepar` script."""
    app(args=argv, prog_name="golkepar")
