"""`golkepar report`: the HTML page a site owner opens, or a summary in the terminal."""

from __future__ import annotations

import datetime as dt
from pathlib import Path
from typing import TYPE_CHECKING, Annotated

import typer

from golkepar.cli._app import app, clear_errors, out, settings_with
from golkepar.errors import ConfigError

if TYPE_CHECKING:
    from golkepar.report.write import ReportResult


def _day(option: str, text: str | None) -> dt.date | None:
    if text is None:
        return None
    try:
        return dt.date.fromisoformat(text.strip())
    except ValueError:
        raise ConfigError(f"{option} {text!r} is not a date: give it as 2026-11-01") from None


@app.command()
def report(
    output: Annotated[
        Path | None,
        typer.Option(
            "--output", "-o", help="The HTML file to write [report.html beside DUCKDB_FILE]."
        ),
    ] = None,
    since: Annotated[
        str | None, typer.Option(help="First local day of the period (2026-11-01).")
    ] = None,
    until: Annotated[
        str | None, typer.Option(help="Last local day of the period [the last day held].")
    ] = None,
    site: Annotated[str | None, typer.Option(help="Only this site [all sites].")] = None,
    monthly: Annotated[
        bool, typer.Option("--monthly", help="Also write one page per month and their index.")
    ] = False,
    terminal: Annotated[
        bool, typer.Option("--terminal", help="Print the summary here instead of writing HTML.")
    ] = False,
    duckdb_file: Annotated[
        Path | None, typer.Option("--duckdb-file", help="The database to read [DUCKDB_FILE].")
    ] = None,
) -> None:
    """Write the report: one HTML page that opens anywhere, with no network.

    By default it covers the 28 days that end with the last day the database holds, compared
    with the 28 days before. The page loads nothing: charts, map and styles are inside it.

    Example: golkepar report --since 2026-11-01 --until 2026-11-30 --output november.html
    """
    from golkepar.report.model import load_report
    from golkepar.report.terminal import terminal_report
    from golkepar.report.write import write_report

    with clear_errors():
        settings = settings_with(duckdb_file=duckdb_file)
        first, last = _day("--since", since), _day("--until", until)
        if terminal:
            data = load_report(settings.duckdb_file, since=first, until=last, site=site)
            out.print(terminal_report(data))
            return
        result = write_report(
            settings.duckdb_file, output, since=first, until=last, site=site, monthly=monthly
        )
    print_report_result(result)


def print_report_result(result: ReportResult) -> None:
    out.print(
        f"report: {result.path} ({result.data.period.label()}, {result.bytes / 1e6:.1f} MB, "
        f"written in {result.seconds:.1f} s)",
        markup=False,
        soft_wrap=True,
    )
    if result.index is not None:
        out.print(
            f"months: {result.index} ({len(result.month_pages)} monthly pages)",
            markup=False,
            soft_wrap=True,
        )
