"""Incremental builds give the full build's tables, table by table, after every kind of change.

Real logs (the sample site, plus crafted lines) go through the real ingest into a real lake;
each test builds the warehouse, changes the lake, builds again (incrementally) and compares every
table with a full build of the same lake, as multisets.
"""

from __future__ import annotations

import datetime as dt
import gzip
import json
import shutil
from dataclasses import replace
from pathlib import Path

import duckdb
import pytest

from golkepar.config import Settings
from golkepar.demo import demo_settings, write_sample_geoip
from golkepar.ingest.pipeline import ingest_logs
from golkepar.sample import write_site_logs
from golkepar.warehouse.build import BuildResult, build_warehouse
from golkepar.warehouse.models import incremental_phases

SITE = "example.com"
START = dt.date(2026, 10, 24)
BROWSER = "Mozilla/5.0 (X11; Linux x86_64; rv:128.0) Gecko/20100101 Firefox/128.0"
# Relations that say how a build ran rather than what the lake holds.
ABOUT_THE_BUILD = {"build_info"}


def ovh_line(ip: str, when: str, request: str, status: int = 200, agent: str = BROWSER) -> str:
    """An access-log line in OVH's format; `when` is `DD/Mon/YYYY:HH:MM:SS +0100`."""
    return f'{ip} {SITE} - [{when}] "{request}" {status} 512 "-" "{agent}"'


def add_log(settings: Settings, name: str, lines: list[str]) -> Path:
    """A log file of crafted lines under LOG_PATH_BASE (a name with no date: a file of its own)."""
    path = settings.log_path_base / SITE / "extra" / f"{name}.log.gz"
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_bytes(gzip.compress(("\n".join(lines) + "\n").encode()))
    return path


def reader_lines(ip: str, day: str, hour: int, minute: int) -> list[str]:
    """A person reading a page: the page, then its stylesheet and picture."""
    when = f"{day}:{hour:02}:{minute:02}:00 +0100"
    return [
        ovh_line(ip, when, "GET /blog/post HTTP/1.1"),
        ovh_line(ip, when, "GET /style.css HTTP/1.1"),
        ovh_line(ip, when, "GET /photo.jpg HTTP/1.1"),
    ]


@pytest.fixture
def site(tmp_path: Path) -> Settings:
    """Two days of the sample site and a reader on each, ingested and built in
    full."""
    settings = demo_settings(tmp_path)
    write_sample_geoip(settings.ip_path_base)
    sample = tmp_path / "sample"
    write_site_logs(sample, site=SITE, start_date=START, days=4, humans=6, live=True)
    for day in (START, START + dt.timedelta(days=1)):
        arrive(sample, settings, day)
    morning = reader_lines("198.51.100.7", "24/Oct/2026", 8, 0)
    add_log(settings, "evening", morning + reader_lines("198.51.100.7", "25/Oct/2026", 23, 50))
    ingest_logs(settings)
    assert build(settings).mode == "full"
    return settings


def arrive(sample: Path, settings: Settings, day: dt.date) -> None:
    """The sample site's access and error logs of `day` reach LOG_PATH_BASE."""
    for path in sample.rglob(f"*-{day:%d-%m-%Y}.log*"):
        if "live" in path.parts:
            continue
        target = settings.log_path_base / path.relative_to(sample)
        target.parent.mkdir(parents=True, exist_ok=True)
        shutil.copy2(path, target)


def build(settings: Settings) -> BuildResult:
    return build_warehouse(settings)


def assert_same_as_full(settings: Settings) -> dict[str, int]:
    """Build `settings.duckdb_file` in full elsewhere and compare every table; return the row
    counts of the incremental database."""
    full = replace(settings, duckdb_file=settings.duckdb_file.with_name("full.duckdb"))
    assert build_warehouse(full, full=True).mode == "full"
    counts: dict[str, int] = {}
    with duckdb.connect() as con:
        con.execute("ATTACH ? AS incremental (READ_ONLY)", [str(settings.duckdb_file)])
        con.execute("ATTACH ? AS rebuilt (READ_ONLY)", [str(full.duckdb_file)])
        relations = [
            row[0]
            for row in con.execute(
                "SELECT table_name FROM duckdb_tables() WHERE database_name = 'incremental' "
                "UNION ALL SELECT view_name FROM duckdb_views() "
                "WHERE database_name = 'incremental' AND NOT internal"
            ).fetchall()
        ]
        assert len(relations) > 20
        for name in sorted(set(relations) - ABOUT_THE_BUILD):
            for one, other in (("incremental", "rebuilt"), ("rebuilt", "incremental")):
                extra = con.execute(
                    f"SELECT * FROM {one}.{name} EXCEPT ALL SELECT * FROM {other}.{name} LIMIT 3"
                ).fetchall()
                assert extra == [], f"{name}: rows only in the {one} build, e.g. {extra}"
            counts[name] = con.execute(f"SELECT count(*) FROM incremental.{name}").fetchall()[0][0]
    return counts


def query(settings: Settings, sql: str, *params: object) -> list[tuple[object, ...]]:
    with duckdb.connect(str(settings.duckdb_file), read_only=True) as con:
        return con.execute(sql, list(params)).fetchall()


def human_hits(settings: Settings) -> int:
    sql = "SELECT sum(hits - bot_hits - attacker_hits)::integer FROM daily_traffic"
    return int(str(query(settings, sql)[0][0]))


def test_a_new_day_and_a_visit_across_midnight(site: Settings, tmp_path: Path) -> None:
    arrive(tmp_path / "sample", site, START + dt.timedelta(days=2))
    # The evening's reader comes back ten minutes after midnight: the same visit; and someone
    # else behind the same address, with another browser, comes in the morning.
    add_log(
        site,
        "after-midnight",
        [
            *reader_lines("198.51.100.7", "26/Oct/2026", 0, 0),
            ovh_line(
                "198.51.100.7", "26/Oct/2026:09:00:00 +0100", "GET / HTTP/1.1", agent="curl/8"
            ),
        ],
    )
    ingest_logs(site)

    result = build(site)

    assert result.mode == "incremental" and "new" in result.reason
    assert 0 < result.recomputed_hits < result.hits
    counts = assert_same_as_full(site)
    assert counts["hits"] == result.hits
    visits = query(
        site,
        "SELECT hits FROM visits WHERE visitor_key IN "
        "(SELECT visitor_key FROM visitors WHERE ip = '198.51.100.7') ORDER BY started_at",
    )
    assert visits == [(3,), (6,), (1,)]


@pytest.mark.parametrize(
    ("when", "visits"),
    [
        # Exactly the idle gap after the evening's last hit (23:50): still the same visit.
        ("26/Oct/2026:00:20:00 +0100", [(3,), (4,)]),
        # A second more: a visit of its own; the evening's visit is not read again.
        ("26/Oct/2026:00:20:01 +0100", [(3,), (3,), (1,)]),
    ],
)
def test_a_visitor_back_after_the_idle_gap_begins_a_visit(
    site: Settings, when: str, visits: list[tuple[int]]
) -> None:
    add_log(site, "back", [ovh_line("198.51.100.7", when, "GET /blog/next HTTP/1.1")])
    ingest_logs(site)

    result = build(site)

    assert result.mode == "incremental"
    assert_same_as_full(site)
    assert result.recomputed_hits == (4 if len(visits) == 2 else 1)
    rows = query(
        site,
        "SELECT hits FROM visits WHERE visitor_key IN "
        "(SELECT visitor_key FROM visitors WHERE ip = '198.51.100.7') ORDER BY started_at",
    )
    assert rows == visits


def test_a_late_log_of_an_earlier_day_fits_between_visits(site: Settings) -> None:
    # A log of the 24th's noon arrives after the 25th's: four hours after the reader's morning
    # visit, a visit of its own, between the morning's and the evening's.
    add_log(site, "noon", reader_lines("198.51.100.7", "24/Oct/2026", 12, 0))
    ingest_logs(site)

    assert build(site).mode == "incremental"

    assert_same_as_full(site)
    visits = query(
        site,
        "SELECT hour(started_at), is_returning FROM visits WHERE visitor_key IN "
        "(SELECT visitor_key FROM visitors WHERE ip = '198.51.100.7') ORDER BY started_at",
    )
    assert visits == [(7, False), (11, True), (22, True)]


def test_a_visitor_found_attacking_today_is_an_attacker_on_every_past_day(
    site: Settings,
) -> None:
    humans_before = human_hits(site)
    assert query(site, "SELECT visitor_class FROM visitors WHERE ip = '198.51.100.7'") == [
        ("human",)
    ]
    attack = "GET /blog/post?id=1%27%20OR%20%271%27=%271 HTTP/1.1"
    add_log(site, "attack", [ovh_line("198.51.100.7", "26/Oct/2026:09:00:00 +0100", attack)])
    ingest_logs(site)

    assert build(site).mode == "incremental"

    assert_same_as_full(site)
    assert query(site, "SELECT visitor_class FROM visitors WHERE ip = '198.51.100.7'") == [
        ("attacker",)
    ]
    assert query(site, "SELECT DISTINCT visitor_class FROM hits WHERE ip = '198.51.100.7'") == [
        ("attacker",)
    ]
    # The reader's six hits of the 24th and 25th left the human figures of those days.
    assert human_hits(site) == humans_before - 6


def test_a_file_ingested_again_replaces_its_hits(site: Settings) -> None:
    # The file now holds another reader: the first one's hits must go with the old version.
    log = add_log(site, "evening", reader_lines("198.51.100.8", "25/Oct/2026", 23, 55))
    ingest_logs(site, paths=[log], force=True)

    result = build(site)

    assert result.mode == "incremental" and "2 replaced" in result.reason
    assert_same_as_full(site)
    assert query(site, "SELECT count(*) FROM hits WHERE ip = '198.51.100.7'") == [(0,)]
    assert query(site, "SELECT count(*) FROM visitors WHERE ip = '198.51.100.8'") == [(1,)]


def test_a_live_log_superseded_by_its_archive(site: Settings, tmp_path: Path) -> None:
    live = tmp_path / "sample" / SITE / "live"
    shutil.copytree(live, site.log_path_base / SITE / "live")
    ingest_logs(site)
    assert build(site).mode == "incremental"
    assert_same_as_full(site)
    # The day's archive arrives, holding the live copy's lines and the rest of the day: the live
    # copy's rows go, the archive's come.
    later = tmp_path / "later"
    write_site_logs(later, site=SITE, start_date=START, days=5, humans=6)
    arrive(later, site, START + dt.timedelta(days=4))
    ingest_logs(site)

    result = build(site)

    assert result.mode == "incremental" and "replaced" in result.reason
    assert_same_as_full(site)
    sources = {row[0] for row in query(site, "SELECT DISTINCT source_file FROM hits")}
    assert not any("/live/" in source for source in sources)


def test_new_crawler_ranges_recheck_the_search_bots(site: Settings) -> None:
    before = query(site, "SELECT count(*) FROM visitors WHERE verified_bot")[0][0]
    assert before > 0
    # Google moves its crawlers: the sample's Googlebot addresses are outside the new ranges.
    ranges = site.ip_path_base / "googlebot.json"
    document = json.loads(ranges.read_text())
    document["prefixes"] = [{"ipv4Prefix": "192.0.2.0/24"}]
    ranges.write_text(json.dumps(document))

    result = build(site)

    assert result.mode == "incremental" and "crawler ranges" in result.reason
    assert_same_as_full(site)
    assert query(site, "SELECT count(*) FROM visitors WHERE verified_bot")[0][0] < before


def test_nothing_new_leaves_the_database_as_it_is(site: Settings) -> None:
    before = site.duckdb_file.read_bytes()

    result = build(site)

    assert result.mode == "up to date"
    assert site.duckdb_file.read_bytes() == before
    assert result.hits == query(site, "SELECT count(*) FROM hits")[0][0] > 0


def test_the_same_lake_named_another_way_is_up_to_date(
    site: Settings, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.chdir(site.parquet_path_base.parent)

    result = build_warehouse(replace(site, parquet_path_base=Path(site.parquet_path_base.name)))

    assert result.mode == "up to date"


def test_an_older_warehouse_builds_in_full_and_still_names_its_crawlers(
    site: Settings, tmp_path: Path
) -> None:
    # A warehouse from before incremental builds: no `lake_files`, crawlers in `build_info`.
    with duckdb.connect(str(site.duckdb_file)) as con:
        con.execute("DROP TABLE lake_files")
        con.execute("UPDATE build_info SET search_bot_ranges = search_bot_ranges || ', Applebot'")

    result = build(site)

    assert result.mode == "full" and "does not record" in result.reason
    assert result.lost_search_bot_ranges == ("Applebot",)
    assert build(site).mode == "up to date"


def test_a_warehouse_missing_a_main_table_is_built_again(site: Settings) -> None:
    with duckdb.connect(str(site.duckdb_file)) as con:
        con.execute("DROP TABLE rejects")

    result = build(site)

    assert result.mode == "full" and "lacks a main table" in result.reason
    assert result.rejects == query(site, "SELECT count(*) FROM rejects")[0][0]


def test_a_new_setting_builds_in_full(site: Settings) -> None:
    result = build_warehouse(replace(site, session_idle_minutes=10))

    assert result.mode == "full" and "settings" in result.reason


def test_a_new_host_name_builds_in_full(site: Settings) -> None:
    add_log(
        site,
        "other-host",
        [f'203.0.113.50 blog.{SITE} - [26/Oct/2026:10:00:00 +0100] "GET / HTTP/1.1" 200 5 "-" "x"'],
    )
    ingest_logs(site)

    result = build(site)

    assert result.mode == "full" and "host names" in result.reason
    assert_same_as_full(site)


def test_a_recomputed_model_never_reads_a_mart_computed_after_the_merge() -> None:
    phases = incremental_phases()
    after = {model.name for model in phases.after}
    assert {"daily_traffic", "bots", "not_found"} <= after
    assert {"hits", "visits", "visitors", "security_events"} <= {m.name for m in phases.scoped}
    for model in phases.scoped + phases.before:
        assert not model.reads & after, model.name
