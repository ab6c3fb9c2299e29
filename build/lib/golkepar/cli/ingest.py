"""`golkepar ingest`."""

from __future__ import annotations

from collections import Counter
from pathlib import Path
from typing import TYPE_CHECKING, Annotated

import typer
from rich.text import Text

from golkepar.cli._app import app, clear_errors, err, out, settings_with

if TYPE_CHECKING:
    from golkepar.ingest.pipeline import IngestSummary


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
                # Text, not str: a spinner reads a str as markup, and file names are not.
                on_file=lambda f: status.update(Text(f"ingesting... {f.key}: {f.status}")),
                on_lines=lambda key, n: status.update(Text(f"ingesting... {key}: {n:,} lines")),
                force=force,
            )
    print_ingest_summary(summary)
    failure = summary.failure()
    if failure is not None:  # each failed file has had its line above
        raise typer.Exit(failure.exit_code)


def print_ingest_summary(summary: IngestSummary) -> None:
    for outcome in summary.files:
        if outcome.status == "failed":
            err.print(f"error: {outcome.message}", markup=False)
        elif outcome.status == "skipped":
            err.print(f"warning: {outcome.message}", markup=False)
    for warning in summary.warnings:
        err.print(f"warning: {warning}", markup=False)
    formats = Counter(
        f.format
        for f in summary.files
        if f.status == "ingested" and f.kind == "access" and f.format is not None
    )
    out.print(
        f"files: {summary.count('ingested')} ingested, {summary.count('unchanged')} unchanged, "
        f"{summary.count('superseded')} superseded by their daily archive, "
        + (f"{summary.count('skipped')} skipped, " if summary.count("skipped") else "")
        + f"{summary.count('failed')} failed",
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
        f"lines read {summary.lines:,} = hits {summary.hits:,}"
        + (f" + error-log entries {error_entries:,}" if error_entries else "")
        + f" + rejects {summary.rejects:,}",
        markup=False,
    )
    if summary.rejects:
        reasons = ", ".join(f"{reason}: {count:,}" for reason, count in summary.reject_reasons)
        out.print(f"rejects by reason: {reasons}", markup=False, soft_wrap=True)
        out.print("each rejected line is kept in the lake's rejects/ dataset", markup=False)
    out.print(f"lake: {summary.lake}", markup=False)
