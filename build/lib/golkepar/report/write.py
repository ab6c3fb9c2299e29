"""Write the report files: one page, or (monthly) one page per month and an index."""

from __future__ import annotations

import datetime as dt
import time
from dataclasses import dataclass
from pathlib import Path

from golkepar._files import atomic_write_text
from golkepar.report.html import MonthLink, render_index, render_report
from golkepar.report.model import ReportData, load_report
from golkepar.report.period import month_periods


@dataclass(frozen=True)
class ReportResult:
    """What `write_report` wrote, and the figures of its main page."""

    path: Path
    data: ReportData
    bytes: int
    seconds: float
    month_pages: tuple[Path, ...] = ()
    index: Path | None = None


def default_output(duckdb_file: Path) -> Path:
    """`report.html` beside the database."""
    return duckdb_file.parent / "report.html"


def write_report(
    duckdb_file: Path,
    output: Path | None = None,
    *,
    since: dt.date | None = None,
    until: dt.date | None = None,
    site: str | None = None,
    monthly: bool = False,
) -> ReportResult:
    """Write the report of a period (by default the last 28 days held) as one HTML file.

    With `monthly`, also write `<stem>-YYYY-MM.html` for every month the warehouse holds and
    `<stem>-months.html`, their index, beside it.
    """
    started = time.perf_counter()
    output = output or default_output(duckdb_file)
    data = load_report(duckdb_file, since=since, until=until, site=site)
    index = output.with_name(f"{output.stem}-months.html") if monthly else None
    page = render_report(data, index_link=index.name if index else None)
    output.parent.mkdir(parents=True, exist_ok=True)
    atomic_write_text(output, page)
    month_pages: list[Path] = []
    if index is not None:
        months = []
        for period in month_periods(data.first_day, data.last_day):
            month_data = load_report(duckdb_file, site=site, period=period)
            name = f"{output.stem}-{period.since:%Y-%m}.html"
            atomic_write_text(
                output.with_name(name), render_report(month_data, index_link=index.name)
            )
            month_pages.append(output.with_name(name))
            months.append(MonthLink(period, name, month_data))
        atomic_write_text(index, render_index(months, data.sites, data.built_at))
    return ReportResult(
        path=output,
        data=data,
        bytes=len(page.encode("utf-8")),
        seconds=time.perf_counter() - started,
        month_pages=tuple(month_pages),
        index=index,
    )
