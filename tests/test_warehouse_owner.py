"""The owner's questions on crafted traffic with known answers: channels, campaigns, returning
visitors, broken links, busy hours across DST changes, periods compared."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import date, datetime, timedelta
from pathlib import Path
from typing import Any

import duckdb
import pytest

import owner_traffic as owner
from golkepar.warehouse.referers import SEARCH_ENGINES, SOCIAL_NETWORKS, host_regex
from lake_factory import CHROME, GOOGLEBOT, SITE, Hit, visitor_key, write_lake
from warehouse_helpers import build


@pytest.fixture(scope="module")
def db(tmp_path_factory: pytest.TempPathFactory) -> Iterator[duckdb.DuckDBPyConnection]:
    tmp = tmp_path_factory.mktemp("owner")
    write_lake(tmp / "lake", owner.owner_hits())
    built = build(tmp / "lake", tmp, site_hosts=(owner.OTHER_SITE_HOST,))
    con = duckdb.connect(str(built.duckdb_file), read_only=True)
    con.execute("SET TimeZone = 'UTC'")
    yield con
    con.close()


def rows(con: duckdb.DuckDBPyConnection, sql: str, *params: Any) -> list[tuple[Any, ...]]:
    return con.execute(sql, list(params)).fetchall()


def visits_of(con: duckdb.DuckDBPyConnection, ip: str) -> list[dict[str, Any]]:
    cursor = con.execute(
        "SELECT * FROM visits WHERE visitor_key = ? ORDER BY started_at",
        [visitor_key(ip, CHROME)],
    )
    names = [d[0] for d in cursor.description]
    return [dict(zip(names, row, strict=True)) for row in cursor.fetchall()]


# --- where visits come from -------------------------------------------------------------------


@pytest.mark.parametrize("arrival", owner.ARRIVALS, ids=lambda a: f"{a.channel}-{a.referer}")
def test_each_arrival_gets_its_channel_engine_and_campaign(
    db: duckdb.DuckDBPyConnection, arrival: owner.Arrival
) -> None:
    [visit] = visits_of(db, arrival.ip)
    assert (
        visit["referer_host"],
        visit["channel"],
        visit["search_engine"],
        (visit["utm_source"], visit["utm_medium"], visit["utm_campaign"]),
    ) == (arrival.referer_host, arrival.channel, arrival.search_engine, arrival.utm)


def test_every_channel_occurs(db: duckdb.DuckDBPyConnection) -> None:
    assert {r[0] for r in rows(db, "SELECT DISTINCT channel FROM visits")} == set(owner.CHANNELS)


def test_without_site_hosts_another_host_of_the_site_is_a_referral(tmp_path: Path) -> None:
    other = next(a for a in owner.ARRIVALS if a.referer_host == owner.OTHER_SITE_HOST)
    write_lake(tmp_path / "lake", owner.page_visit(other.ip, owner.DAY, referer=other.referer))
    built = build(tmp_path / "lake", tmp_path)
    with duckdb.connect(str(built.duckdb_file), read_only=True) as con:
        assert rows(con, "SELECT channel FROM visits") == [("referral",)]


@pytest.mark.parametrize(
    ("host", "engine"),
    [
        ("google.com", "Google"),
        ("www.google.com.br", "Google"),
        ("news.google.de", "Google"),
        ("cn.bing.com", "Bing"),
        ("ya.ru", "Yandex"),
        ("mail.google.com", None),
        ("google.evil-example.com", None),
        ("notgoogle.com", None),
        ("bing.com.evil.example", None),
    ],
)
def test_search_engine_hosts(host: str, engine: str | None) -> None:
    with duckdb.connect() as con:
        matched = [
            name
            for name, hosts in SEARCH_ENGINES.items()
            if con.execute("SELECT regexp_matches(?, ?)", [host, host_regex(hosts)]).fetchall()[0][
                0
            ]
        ]
    assert matched == ([engine] if engine else [])


def test_no_host_is_both_a_search_engine_and_a_social_network() -> None:
    searched = {h for hosts in SEARCH_ENGINES.values() for h in hosts}
    social = {h for hosts in SOCIAL_NETWORKS.values() for h in hosts}
    assert searched & social == set()


def test_a_returning_visitor_is_known_on_its_second_visit(db: duckdb.DuckDBPyConnection) -> None:
    visits = visits_of(db, owner.RETURNING_IP)
    assert [v["is_returning"] for v in visits] == [False, True]
    assert all(not v["is_returning"] for a in owner.ARRIVALS for v in visits_of(db, a.ip))


def test_a_visit_across_local_midnight_is_one_visit_of_its_first_day(
    db: duckdb.DuckDBPyConnection,
) -> None:
    [visit] = visits_of(db, owner.NIGHT_OWL_IP)
    assert (visit["local_date"], visit["hits"], visit["duration_s"]) == (
        date(2026, 11, 10),
        4,
        20 * 60 + 1,
    )
    key = visitor_key(owner.NIGHT_OWL_IP, CHROME)
    days = rows(
        db,
        "SELECT local_date, count(*) FROM hits WHERE visitor_key = ? GROUP BY 1 ORDER BY 1",
        key,
    )
    assert days == [(date(2026, 11, 10), 2), (date(2026, 11, 11), 2)]


# --- broken links -----------------------------------------------------------------------------


@pytest.mark.parametrize("missing", owner.NOT_FOUND, ids=lambda m: m.path)
def test_each_broken_link_has_its_origin(
    db: duckdb.DuckDBPyConnection, missing: owner.MissingPage
) -> None:
    found = rows(
        db,
        "SELECT origin, hits, visitors FROM not_found WHERE path = ? "
        "AND referer IS NOT DISTINCT FROM ?",
        missing.path,
        missing.referer,
    )
    assert found == [(missing.origin, missing.hits, missing.visitors)]


def test_not_found_holds_only_the_404_and_410_rows(db: duckdb.DuckDBPyConnection) -> None:
    assert rows(db, "SELECT count(*), sum(hits) FROM not_found") == [
        (len(owner.NOT_FOUND), sum(m.hits for m in owner.NOT_FOUND))
    ]
    [(referer_host,)] = rows(db, "SELECT referer_host FROM not_found WHERE path = '/moved-page'")
    assert referer_host == "other.example.net"


# --- busy hours -------------------------------------------------------------------------------


def hours(con: duckdb.DuckDBPyConnection, day: date) -> list[tuple[Any, ...]]:
    return rows(
        con,
        "SELECT local_hour, weekday, hits, pageviews, visits_started FROM traffic_by_hour "
        "WHERE local_date = ? AND visitor_class = 'human' ORDER BY local_hour",
        day,
    )


def test_the_repeated_autumn_hour_holds_both_of_its_halves(db: duckdb.DuckDBPyConnection) -> None:
    # 02:30 at +02:00 and 02:30 at +01:00, an hour apart: two visits in local hour 2, a Sunday.
    assert hours(db, date(2026, 10, 25)) == [(2, 7, 4, 2, 2)]


def test_the_spring_day_has_no_two_oclock(db: duckdb.DuckDBPyConnection) -> None:
    assert hours(db, date(2026, 3, 29)) == [(1, 7, 2, 1, 1), (3, 7, 2, 1, 1)]


def test_a_visit_counts_in_the_hour_it_started(db: duckdb.DuckDBPyConnection) -> None:
    night = hours(db, date(2026, 11, 10))
    eleven_pm = next(h for h in night if h[0] == 23)
    assert eleven_pm[4] == 1
    assert hours(db, date(2026, 11, 11)) == [(0, 3, 2, 1, 0)]


def test_hours_add_up_to_hits_and_visits(db: duckdb.DuckDBPyConnection) -> None:
    assert rows(db, "SELECT sum(hits), sum(visits_started) FROM traffic_by_hour") == rows(
        db, "SELECT (SELECT count(*) FROM hits), (SELECT count(*) FROM visits)"
    )


# --- periods ----------------------------------------------------------------------------------

MONDAY = datetime(2026, 11, 9, 10, 0, tzinfo=owner.DAY.tzinfo)
TUESDAY = owner.DAY


def period_hits() -> list[Hit]:
    return [
        # Monday: one human, one page (a bounce of 1 second).
        *owner.page_visit("10.9.0.1", MONDAY),
        # Tuesday: the same human reads two pages in 61 s; another bounces; a crawler, a prober,
        # and a hit on another site.
        *owner.page_visit("10.9.0.1", TUESDAY),
        *owner.page_visit("10.9.0.1", TUESDAY + timedelta(minutes=1), path="/b"),
        *owner.page_visit("10.9.0.2", TUESDAY + timedelta(minutes=5)),
        Hit(TUESDAY, ip="66.249.70.1", user_agent=GOOGLEBOT, is_bot=True, bot_name="Googlebot"),
        Hit(TUESDAY, ip=owner.PROBER_IP, path="/.env", status=404),
        *owner.page_visit("10.9.0.3", TUESDAY, site="other.example"),
    ]


@pytest.fixture(scope="module")
def periods(tmp_path_factory: pytest.TempPathFactory) -> Iterator[duckdb.DuckDBPyConnection]:
    tmp = tmp_path_factory.mktemp("periods")
    write_lake(tmp / "lake", period_hits())
    built = build(tmp / "lake", tmp)
    con = duckdb.connect(str(built.duckdb_file), read_only=True)
    yield con
    con.close()


SUMMARY = (
    "SELECT period, period_start, period_end, human_visitors, human_visits, human_pageviews, "
    "bounce_rate, avg_visit_duration_s, bytes, hits, bot_hit_share, attacker_hit_share "
    "FROM period_summary(?, ?, ?)"
)


def test_a_period_is_compared_with_the_one_before(periods: duckdb.DuckDBPyConnection) -> None:
    tuesday, monday = date(2026, 11, 10), date(2026, 11, 9)
    assert rows(periods, SUMMARY, SITE, tuesday, tuesday) == [
        ("current", tuesday, tuesday, 2, 2, 3, 0.5, 31.0, 8 * 1234, 8, 1 / 8, 1 / 8),
        ("previous", monday, monday, 1, 1, 1, 1.0, 1.0, 2 * 1234, 2, 0.0, 0.0),
    ]


def test_a_period_without_traffic_has_zeros_and_no_rates(
    periods: duckdb.DuckDBPyConnection,
) -> None:
    start, end = date(2026, 12, 1), date(2026, 12, 31)
    assert rows(periods, SUMMARY, SITE, start, end) == [
        ("current", start, end, 0, 0, 0, None, None, 0, 0, None, None),
        (
            "previous",
            date(2026, 10, 31),
            date(2026, 11, 30),
            2,
            3,
            4,
            2 / 3,
            21.0,
            10 * 1234,
            10,
            0.1,
            0.1,
        ),
    ]


def test_every_site_at_once(periods: duckdb.DuckDBPyConnection) -> None:
    tuesday = date(2026, 11, 10)
    [current, _] = rows(periods, SUMMARY, None, tuesday, tuesday)
    assert (current[3], current[9]) == (3, 10)


def test_monthly_traffic_counts_a_visitor_once_a_month(periods: duckdb.DuckDBPyConnection) -> None:
    assert rows(
        periods,
        "SELECT month, hits, visitors, human_visits FROM monthly_traffic WHERE site = ?",
        SITE,
    ) == [(date(2026, 11, 1), 10, 2, 3)]
    daily_visitors = rows(periods, "SELECT sum(visitors) FROM daily_traffic WHERE site = ?", SITE)
    assert daily_visitors == [(3,)]
