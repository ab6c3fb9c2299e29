"""Everything a report shows, read from the warehouse in one read-only connection.

Each panel's figures come from one `.sql` file in `queries/`, run with bound parameters
(`$since`, `$until`, `$site`...). Nothing here formats or prints: see `html` and `terminal`.
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Mapping
from dataclasses import dataclass
from functools import cache
from importlib import resources
from pathlib import Path
from typing import Any

import duckdb

from golkepar.errors import ReportError
from golkepar.report.period import Period, choose_period

Row = dict[str, Any]

# Rows kept in each "top" table: enough to act on, few enough to read.
TOP_ROWS = 15
# Longer error-log messages are cut: one line of a log can be megabytes.
MESSAGE_CHARS = 300
# The classes a reader can switch most panels between (admins, the owner's own visits, are
# left out), bound into the queries as `$classes`.
SWITCHABLE_CLASSES = ("human", "bot", "attacker")


@dataclass(frozen=True)
class Figure:
    """A headline figure of the period and of the period before it."""

    key: str
    label: str
    unit: str  # count, percent, seconds, bytes
    value: float | None
    previous: float | None
    # Whether a rise is good news (True), bad news (False) or neither (None).
    rise_is_good: bool | None


@dataclass(frozen=True)
class ReportData:
    sites: tuple[str, ...]
    site_filter: str | None
    period: Period
    previous: Period
    first_day: dt.date
    last_day: dt.date
    built_at: dt.datetime | None
    utc_offsets_min: tuple[int, ...]
    incomplete_days: tuple[dt.date, ...]
    headline: tuple[Figure, ...]
    daily: tuple[Row, ...]
    top_pages: tuple[Row, ...]
    entry_exit_pages: tuple[Row, ...]
    channels: tuple[Row, ...]
    referrers: tuple[Row, ...]
    search_engines: tuple[Row, ...]
    campaigns: tuple[Row, ...]
    returning: tuple[Row, ...]
    not_found: tuple[Row, ...]
    countries: tuple[Row, ...]
    technology: tuple[Row, ...]
    hour_weekday: tuple[Row, ...]
    crawlers: tuple[Row, ...]
    security_daily: tuple[Row, ...]
    attackers: tuple[Row, ...]
    error_log_daily: tuple[Row, ...]
    error_messages: tuple[Row, ...]


# (key, label, unit, rise_is_good) of each headline figure, in the order shown.
_HEADLINE = (
    ("visitors", "Human visitors", "count", True),
    ("visits", "Visits", "count", True),
    ("pageviews", "Page views", "count", True),
    ("bounce_rate", "Bounce rate", "percent", False),
    ("average_duration_s", "Average visit", "seconds", True),
    ("bytes", "Bandwidth", "bytes", None),
    ("bot_share", "Hits from bots", "percent", None),
    ("attacker_share", "Hits from attackers", "percent", False),
)


@cache
def _sql(name: str) -> str:
    return resources.files("golkepar.report").joinpath("queries", f"{name}.sql").read_text()


def _query(con: duckdb.DuckDBPyConnection, name: str, **values: Any) -> list[Row]:
    """Run `queries/<name>.sql` with the parameters it names, bound (never spliced)."""
    sql = _sql(name)
    used = set(re.findall(r"\$([a-z_]+)", sql))
    relation = con.execute(sql, {key: values[key] for key in used})
    columns = [d[0] for d in relation.description or ()]
    return [dict(zip(columns, row, strict=True)) for row in relation.fetchall()]


def _open(duckdb_file: Path) -> duckdb.DuckDBPyConnection:
    if not duckdb_file.is_file():
        raise ReportError(f"no database at {duckdb_file}: run `golkepar build` first")
    try:
        con = duckdb.connect(str(duckdb_file), read_only=True)
    except duckdb.Error as e:
        raise ReportError(f"cannot open {duckdb_file}: {e}") from e
    # Instants become local times with the logs' own offsets, never the machine's zone.
    con.execute("set TimeZone = 'UTC'")
    return con


def _headline(
    con: duckdb.DuckDBPyConnection,
    period: Period,
    previous: Period,
    site: str | None,
    first_day: dt.date,
) -> tuple[Figure, ...]:
    summary = _query(con, "headline", since=period.since, until=period.until, site=site)
    now = next(row for row in summary if row["period"] == "current")
    before = next(row for row in summary if row["period"] == "previous")
    # Before the first day held there is no data, which is not the same as no traffic.
    held_before = previous.until >= first_day
    return tuple(
        Figure(
            key, label, unit, _number(now[key]), _number(before[key]) if held_before else None, good
        )
        for key, label, unit, good in _HEADLINE
    )


def _number(value: Any) -> float | None:
    return None if value is None else float(value)


def load_report(
    duckdb_file: Path,
    *,
    since: dt.date | None = None,
    until: dt.date | None = None,
    site: str | None = None,
    period: Period | None = None,
) -> ReportData:
    """Read the figures of a period (by default the last 28 days held) from the warehouse."""
    con = _open(duckdb_file)
    try:
        return _load(con, since=since, until=until, site=site, period=period)
    except (duckdb.CatalogException, duckdb.BinderException) as e:
        first_line = str(e).splitlines()[0]
        raise ReportError(
            f"{duckdb_file} was built by another version of golkepar ({first_line}): rebuild "
            "it with `golkepar build`"
        ) from e
    finally:
        con.close()


def _load(
    con: duckdb.DuckDBPyConnection,
    *,
    since: dt.date | None,
    until: dt.date | None,
    site: str | None,
    period: Period | None,
) -> ReportData:
    bounds = _query(con, "bounds", site=site)[0]
    if bounds["last_day"] is None:
        where = f" for site {site!r}" if site else ""
        raise ReportError(f"the database holds no traffic{where} yet: nothing to report")
    first_day, last_day = bounds["first_day"], bounds["last_day"]
    if period is None:
        period = choose_period(first_day, last_day, since, until)
    previous = period.previous()
    values: Mapping[str, Any] = {
        "since": period.since,
        "until": period.until,
        "site": site,
        "top": TOP_ROWS,
        "classes": list(SWITCHABLE_CLASSES),
        "message_chars": MESSAGE_CHARS,
        "last_day": last_day,
    }
    built = con.execute("select max(built_at) from build_info").fetchone()

    def rows(name: str) -> tuple[Row, ...]:
        return tuple(_query(con, name, **values))

    sites = tuple(r["site"] for r in rows("sites"))
    return ReportData(
        sites=sites or ((site,) if site else ()),
        site_filter=site,
        period=period,
        previous=previous,
        first_day=first_day,
        last_day=last_day,
        built_at=built[0] if built else None,
        utc_offsets_min=tuple(r["utc_offset_min"] for r in rows("time_zones")),
        incomplete_days=tuple(
            sorted({r["local_date"] for r in rows("incomplete_days")} & _days(period))
        ),
        headline=_headline(con, period, previous, site, first_day),
        daily=rows("daily"),
        top_pages=rows("top_pages"),
        entry_exit_pages=rows("entry_exit_pages"),
        channels=rows("channels"),
        referrers=rows("referrers"),
        search_engines=rows("search_engines"),
        campaigns=rows("campaigns"),
        returning=rows("returning"),
        not_found=rows("not_found"),
        countries=rows("countries"),
        technology=rows("technology"),
        hour_weekday=rows("hour_weekday"),
        crawlers=rows("crawlers"),
        security_daily=rows("security_daily"),
        attackers=rows("attackers"),
        error_log_daily=rows("error_log_daily"),
        error_messages=rows("error_messages"),
    )


def _days(period: Period) -> set[dt.date]:
    return {period.since + dt.timedelta(days=n) for n in range(period.days)}
