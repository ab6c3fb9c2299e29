"""The warehouse built from crafted traffic: classes, visits, security events, data tests."""

from __future__ import annotations

import shutil
from collections.abc import Iterator
from datetime import date
from pathlib import Path
from typing import Any

import duckdb
import pyarrow as pa
import pyarrow.parquet as pq
import pytest

import traffic
from golkepar.warehouse.build import PUBLIC_RELATIONS, BuildResult
from golkepar.warehouse.checks import DataTest, data_tests, run_data_test
from golkepar.warehouse.models import all_models
from golkepar.warehouse.patterns import SECURITY_KINDS
from lake_factory import ErrorLine, Reject, visitor_key, write_lake, write_search_bot_ranges
from warehouse_helpers import build, documented_columns, scalar

VISITOR_CLASSES = ("attacker", "admin", "bot", "human", "unknown")
# For each data test, changes to a good warehouse that it must catch: it cannot pass vacuously.
BREAKAGES: dict[str, list[str]] = {
    "keys_are_unique_and_set": [
        f"INSERT INTO {table} SELECT * FROM {table} LIMIT 1"
        for table in (
            "hits",
            "rejects",
            "visitors",
            "visits",
            "daily_traffic",
            "security_events",
            "error_events",
            "bots",
            "traffic_by_hour",
            "not_found",
        )
    ]
    + [
        "UPDATE visits SET visit_id = NULL WHERE rowid = 0",
        "UPDATE hits SET source_line = NULL WHERE rowid = 0",
    ],
    "required_columns_are_set": [
        "UPDATE hits SET visit_id = NULL WHERE rowid = 0",
        "UPDATE visitors SET class_reason = NULL WHERE rowid = 0",
        "UPDATE visits SET started_at = NULL WHERE rowid = 0",
        "UPDATE daily_traffic SET visitors = NULL WHERE rowid = 0",
        "UPDATE security_events SET detail = NULL WHERE rowid = 0",
        "UPDATE error_events SET message = NULL WHERE rowid = 0",
        "UPDATE visits SET channel = NULL WHERE rowid = 0",
        "UPDATE traffic_by_hour SET weekday = NULL WHERE rowid = 0",
        "UPDATE not_found SET origin = NULL WHERE rowid = 0",
    ],
    "channels_are_known": [
        "UPDATE visits SET channel = 'email' WHERE rowid = 0",
        "UPDATE visits SET channel = 'direct', search_engine = 'Google' WHERE rowid = 0",
        "UPDATE visits SET channel = 'search', search_engine = NULL WHERE rowid = 0",
    ],
    "not_found_origins_are_known": [
        "UPDATE not_found SET origin = 'typo' WHERE rowid = 0",
        "UPDATE not_found SET origin = 'no_referer', referer_host = 'x.example' WHERE rowid = 0",
        "UPDATE not_found SET origin = 'external_link', referer_host = NULL WHERE rowid = 0",
    ],
    "hourly_traffic_adds_up": [
        "UPDATE traffic_by_hour SET hits = hits + 1 WHERE rowid = 0",
        "UPDATE traffic_by_hour SET visits_started = visits_started + 1 WHERE rowid = 0",
    ],
    "visitor_classes_are_known": [
        f"UPDATE {table} SET visitor_class = 'robot' WHERE rowid = 0"
        for table in ("hits", "visits", "visitors")
    ],
    "security_kinds_are_known": ["UPDATE security_events SET kind = 'mischief' WHERE rowid = 0"],
    "bot_categories_are_known": [
        "UPDATE bots SET bot_category = 'robot' WHERE rowid = 0",
        "UPDATE visitors SET bot_category = NULL WHERE visitor_class = 'bot'",
        "UPDATE visitors SET bot_category = 'search' WHERE visitor_class = 'human'",
    ],
    "hits_belong_to_visits": [
        "DELETE FROM visits WHERE visit_id = (SELECT visit_id FROM hits LIMIT 1)"
    ],
    "visits_belong_to_visitors": [
        "DELETE FROM visitors WHERE visitor_key = (SELECT visitor_key FROM visits LIMIT 1)"
    ],
    "security_events_belong_to_visitors": [
        "DELETE FROM visitors WHERE visitor_key = (SELECT visitor_key FROM security_events LIMIT 1)"
    ],
}


@pytest.fixture(scope="module")
def built(tmp_path_factory: pytest.TempPathFactory) -> BuildResult:
    tmp = tmp_path_factory.mktemp("warehouse")
    lake = tmp / "lake"
    write_lake(
        lake,
        traffic.crafted_hits() + traffic.late_evening_hits(),
        errors=[
            ErrorLine(traffic.T0),
            ErrorLine(
                traffic.T0, level="crit", module=None, message="Apache 2.2 line", php_level=None
            ),
        ],
        rejects=[Reject(), Reject(reason="invalid timestamp", raw_line="bad line")],
    )
    # A file a killed ingest left behind: no manifest entry lists it, so it must be ignored.
    stray = lake / "hits" / "site=example.com" / "date=2026-11-27" / "deadbeef0000-9.parquet"
    pq.write_table(pq.read_table(next(lake.glob("hits/*/date=2026-11-27/*.parquet"))), stray)
    write_search_bot_ranges(tmp / "geoip")
    return build(lake, tmp)


@pytest.fixture
def db(built: BuildResult) -> Iterator[duckdb.DuckDBPyConnection]:
    con = duckdb.connect(str(built.duckdb_file), read_only=True)
    con.execute("SET TimeZone = 'UTC'")
    yield con
    con.close()


def visitor(con: duckdb.DuckDBPyConnection, who: traffic.Expected) -> dict[str, Any]:
    cursor = con.execute(
        "SELECT * FROM visitors WHERE visitor_key = ?", [visitor_key(who.ip, who.user_agent)]
    )
    names = [d[0] for d in cursor.description]
    rows = cursor.fetchall()
    assert len(rows) == 1, f"{who} is not one visitor"
    return dict(zip(names, rows[0], strict=True))


# --- data tests on every table ---------------------------------------------------------------


@pytest.mark.parametrize("test", data_tests(), ids=lambda t: t.name)
def test_the_build_data_tests_pass(db: duckdb.DuckDBPyConnection, test: DataTest) -> None:
    assert run_data_test(db, test, {"security_kinds": list(SECURITY_KINDS)}) is None


def test_every_data_test_has_breakages_it_catches() -> None:
    assert set(BREAKAGES) == {test.name for test in data_tests()}


@pytest.mark.parametrize(
    ("test", "breakage"),
    [(test, breakage) for test in data_tests() for breakage in BREAKAGES.get(test.name, [])],
    ids=lambda value: value.name if isinstance(value, DataTest) else value[:60],
)
def test_each_data_test_catches_a_broken_warehouse(
    built: BuildResult, tmp_path: Path, test: DataTest, breakage: str
) -> None:
    broken = tmp_path / "broken.duckdb"
    shutil.copyfile(built.duckdb_file, broken)
    with duckdb.connect(str(broken)) as con:
        con.execute(breakage)
        failure = run_data_test(con, test, {"security_kinds": list(SECURITY_KINDS)})
    assert failure is not None
    assert failure.offending_rows >= 1
    assert test.name in str(failure)


@pytest.mark.parametrize("table", ["hits", "visitors", "visits"])
def test_visitor_class_has_accepted_values(db: duckdb.DuckDBPyConnection, table: str) -> None:
    values = {r[0] for r in db.execute(f"SELECT DISTINCT visitor_class FROM {table}").fetchall()}
    assert values == set(VISITOR_CLASSES)


def test_security_kinds_have_accepted_values_and_all_occur(db: duckdb.DuckDBPyConnection) -> None:
    kinds = {r[0] for r in db.execute("SELECT DISTINCT kind FROM security_events").fetchall()}
    assert kinds == set(SECURITY_KINDS)


def test_hits_add_up_across_tables(db: duckdb.DuckDBPyConnection, built: BuildResult) -> None:
    hits = scalar(db, "SELECT count(*) FROM hits")
    assert hits == len(traffic.crafted_hits()) + len(traffic.late_evening_hits()) == built.hits
    assert scalar(db, "SELECT sum(hits) FROM visitors") == hits
    assert scalar(db, "SELECT sum(hits) FROM visits") == hits
    assert scalar(db, "SELECT sum(hits) FROM daily_traffic") == hits
    assert scalar(db, "SELECT sum(visits) FROM visitors") == scalar(
        db, "SELECT count(*) FROM visits"
    )
    assert scalar(db, "SELECT sum(pageviews) FROM visits") == scalar(
        db, "SELECT count(*) FROM hits WHERE is_page"
    )
    orphans = "SELECT count(*) FROM hits h ANTI JOIN visits v ON h.visit_id = v.visit_id"
    assert scalar(db, orphans) == 0


def test_every_documented_column_exists(db: duckdb.DuckDBPyConnection) -> None:
    documented = documented_columns()
    marts = {model.name for model in all_models() if model.layer == "marts"}
    assert set(documented) == marts
    for table in documented:
        actual = [r[0] for r in db.execute(f"DESCRIBE {table}").fetchall()]
        assert actual == documented[table], table


def test_seed_views_and_public_relations(db: duckdb.DuckDBPyConnection) -> None:
    names = {
        r[0] for r in db.execute("SELECT table_name FROM information_schema.tables").fetchall()
    }
    assert set(PUBLIC_RELATIONS) == names
    assert scalar(db, "SELECT count(*) FROM logs") == scalar(db, "SELECT count(*) FROM hits")
    navigators = {r[0] for r in db.execute("SELECT ip FROM ips_real_navigator").fetchall()}
    assert {traffic.NAT_IP, traffic.BOB.ip} <= navigators
    assert traffic.HOARDER.ip not in navigators
    admins = {r[0] for r in db.execute("SELECT ip FROM ip_marked_as_admin").fetchall()}
    assert admins == {traffic.ADMIN.ip, traffic.REMOTE_USER.ip}
    bots = {
        r[0] for r in db.execute("SELECT ip FROM ips_user_agent_identified_like_bot").fetchall()
    }
    assert {traffic.GOOGLE.ip, traffic.GPT.ip} <= bots
    bad = {r[0] for r in db.execute("SELECT ip FROM ip_that_got_bad_status").fetchall()}
    assert bad == set()  # no 403/405... in the crafted traffic
    assert scalar(db, "SELECT count(*) FROM seed_visits WHERE is_asset") == 0


# --- classification and sessions -------------------------------------------------------------


@pytest.mark.parametrize("who", traffic.EVERYONE, ids=lambda w: f"{w.ip}-{w.visitor_class}")
def test_each_visitor_gets_its_known_class_and_visits(
    db: duckdb.DuckDBPyConnection, who: traffic.Expected
) -> None:
    row = visitor(db, who)
    assert (row["visitor_class"], row["visits"]) == (who.visitor_class, who.visits), row
    assert row["verified_bot"] is who.verified_bot
    kinds = db.execute(
        "SELECT DISTINCT kind FROM security_events WHERE visitor_key = ?", [row["visitor_key"]]
    ).fetchall()
    assert {k[0] for k in kinds} == who.kinds


def test_no_security_event_on_ordinary_browsing(db: duckdb.DuckDBPyConnection) -> None:
    humans = [w for w in traffic.EVERYONE if w.visitor_class in ("human", "unknown", "admin")]
    keys = [visitor_key(w.ip, w.user_agent) for w in humans]
    events = db.execute(
        "SELECT kind, path, detail FROM security_events WHERE list_contains(?, visitor_key)", [keys]
    ).fetchall()
    assert events == []


def test_nat_browsers_are_separate_visitors_with_separate_visits(
    db: duckdb.DuckDBPyConnection,
) -> None:
    behind_nat = db.execute(
        "SELECT count(*), count(DISTINCT visitor_key) FROM visits WHERE visitor_key IN (?, ?)",
        [
            visitor_key(traffic.NAT_IP, traffic.ALICE.user_agent),
            visitor_key(traffic.NAT_IP, traffic.CAROL.user_agent),
        ],
    ).fetchall()
    assert behind_nat == [(3, 2)]


def test_visit_boundaries_follow_the_idle_gap(db: duckdb.DuckDBPyConnection) -> None:
    bob = visitor_key(traffic.BOB.ip, traffic.BOB.user_agent)
    visits = db.execute(
        "SELECT hits, pageviews, duration_s, entry_path, exit_path, is_bounce FROM visits "
        "WHERE visitor_key = ? ORDER BY started_at",
        [bob],
    ).fetchall()
    # The exactly-30-minute gap keeps the first visit going; the 31-minute gap does not.
    assert visits == [(5, 2, 30 * 60 + 2, "/", "/a", False), (1, 1, 0, "/b", "/b", True)]


def test_a_visit_remembers_its_referer(db: duckdb.DuckDBPyConnection) -> None:
    alice = visitor_key(traffic.ALICE.ip, traffic.ALICE.user_agent)
    first = db.execute(
        "SELECT entry_referer, entry_path FROM visits WHERE visitor_key = ? ORDER BY started_at",
        [alice],
    ).fetchall()
    assert first == [("https://www.google.com/", "/"), (None, "/contact")]


def test_idle_minutes_are_configurable(tmp_path: Path) -> None:
    bob = [h for h in traffic.crafted_hits() if h.ip == traffic.BOB.ip]
    write_lake(tmp_path / "lake", bob)
    build(tmp_path / "lake", tmp_path, session_idle_minutes=60)
    with duckdb.connect(str(tmp_path / "golkepar.duckdb"), read_only=True) as con:
        assert scalar(con, "SELECT count(*) FROM visits") == 1
        assert scalar(con, "SELECT session_idle_minutes FROM build_info") == 60


def test_local_date_is_the_logs_own_day(db: duckdb.DuckDBPyConnection) -> None:
    late = visitor_key(traffic.LATE.ip, traffic.LATE.user_agent)
    days = db.execute(
        "SELECT local_date, ts::date FROM hits WHERE visitor_key = ? ORDER BY ts", [late]
    ).fetchall()
    # 23:30 and 00:30 Paris time are both 27 November in UTC, but two days for the owner.
    assert days[0] == (date(2026, 11, 27), date(2026, 11, 27))
    assert days[-1] == (date(2026, 11, 28), date(2026, 11, 27))
    per_day = db.execute("SELECT local_date, visitors FROM daily_traffic ORDER BY 1").fetchall()
    assert per_day[-1] == (date(2026, 11, 28), 1)


def test_daily_traffic_counts_by_class(db: duckdb.DuckDBPyConnection) -> None:
    row = db.execute(
        "SELECT visitors, bot_hits, attacker_hits, status_4xx, status_5xx FROM daily_traffic "
        "WHERE local_date = DATE '2026-11-27'"
    ).fetchall()[0]
    humans_that_day = sum(1 for w in traffic.EVERYONE if w.visitor_class == "human")
    expected_bot_hits = scalar(db, "SELECT sum(hits) FROM visitors WHERE visitor_class = 'bot'")
    assert row[0] == humans_that_day
    assert row[1] == expected_bot_hits
    assert row[2] == scalar(db, "SELECT sum(hits) FROM visitors WHERE visitor_class = 'attacker'")
    # The secret-file prober's and the panel prober's 404s, the TLS scanner's 400s, one 408.
    assert row[3] == 7 + 3 + 2 + 1
    assert row[4] == 1  # sqlmap's injection broke the page


def test_bruteforce_events_cover_the_whole_burst(db: duckdb.DuckDBPyConnection) -> None:
    events = db.execute(
        "SELECT count(*), any_value(detail) FROM security_events WHERE kind = 'wp_login_bruteforce'"
    ).fetchall()
    assert events == [(6, "burst of 6 POSTs to wp-login.php")]


def test_request_patterns_see_through_double_encoding(db: duckdb.DuckDBPyConnection) -> None:
    detail = scalar(
        db,
        "SELECT detail FROM security_events WHERE kind = 'sql_injection' AND ip = ?",
        traffic.INJECTOR.ip,
    )
    assert detail == "/index.php?id=1' OR 1=1"


def test_errors_and_rejects_are_copied(db: duckdb.DuckDBPyConnection) -> None:
    assert db.execute(
        "SELECT level, module, php_level FROM error_events ORDER BY source_line"
    ).fetchall() == [("error", "php7", "Warning"), ("crit", None, None)]
    assert {r[0] for r in db.execute("SELECT reason FROM rejects").fetchall()} == {
        "does not match the log format",
        "invalid timestamp",
    }


def test_build_reports_what_it_wrote(built: BuildResult) -> None:
    assert built.lake_files == 4  # two days of hits, rejects, errors; not the stray file
    assert built.search_bot_ranges == ("Googlebot", "Bingbot")
    assert (built.rejects, built.error_events) == (2, 2)


def test_security_patterns_are_stored_with_the_build(db: duckdb.DuckDBPyConnection) -> None:
    stored = {r[0] for r in db.execute("SELECT DISTINCT kind FROM security_patterns").fetchall()}
    assert stored == set(SECURITY_KINDS)


def test_tables_keep_the_lake_types(db: duckdb.DuckDBPyConnection) -> None:
    types = dict(
        db.execute(
            "SELECT column_name, data_type FROM information_schema.columns "
            "WHERE table_name = 'hits'"
        ).fetchall()
    )
    assert types["ts"] == "TIMESTAMP WITH TIME ZONE"
    assert (types["local_date"], types["status"], types["bytes"]) == ("DATE", "SMALLINT", "BIGINT")


def test_arrow_schema_of_the_factory_matches_the_contract() -> None:
    from golkepar.warehouse.lake import LAKE_COLUMNS
    from lake_factory import HITS_SCHEMA

    assert HITS_SCHEMA.names == list(LAKE_COLUMNS["hits"])
    assert HITS_SCHEMA.field("ts").type == pa.timestamp("us", tz="UTC")
