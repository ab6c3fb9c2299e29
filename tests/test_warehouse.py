"""The warehouse built from crafted traffic: classes, visits, security events, data tests."""

from __future__ import annotations

import re
from collections.abc import Iterator
from datetime import date
from pathlib import Path
from typing import Any

import duckdb
import pyarrow as pa
import pyarrow.parquet as pq
import pytest

import traffic
from golkepar.config import Settings
from golkepar.warehouse.build import PUBLIC_RELATIONS, BuildResult, build_warehouse
from golkepar.warehouse.patterns import SECURITY_KINDS
from lake_factory import ErrorLine, Reject, visitor_key, write_lake, write_search_bot_ranges

DOCS = Path(__file__).resolve().parents[1] / "docs" / "warehouse.md"
VISITOR_CLASSES = ("attacker", "admin", "bot", "human", "unknown")
# (table, key columns)
KEYS = {
    "hits": ("source_file", "source_line"),
    "rejects": ("source_file", "source_line"),
    "visitors": ("site", "visitor_key"),
    "visits": ("visit_id",),
    "daily_traffic": ("site", "local_date"),
    "security_events": ("source_file", "source_line", "kind"),
    "error_events": ("source_file", "source_line"),
}
# Columns that are never null, on top of the keys.
NOT_NULL = {
    "hits": ("site", "ts", "local_date", "status", "visitor_class", "visit_id", "is_page"),
    "visitors": ("visitor_class", "class_reason", "first_seen", "last_seen", "hits", "visits"),
    "visits": (
        "visitor_key",
        "site",
        "started_at",
        "ended_at",
        "duration_s",
        "hits",
        "visitor_class",
        "is_bounce",
        "local_date",
    ),
    "daily_traffic": ("hits", "pageviews", "visitors", "visits", "bytes", "bot_hits"),
    "security_events": ("ts", "site", "ip", "visitor_key", "detail"),
    "error_events": ("ts", "site", "message"),
}


def build(lake: Path, tmp: Path, **settings: Any) -> BuildResult:
    return build_warehouse(
        Settings(
            parquet_path_base=lake,
            duckdb_file=tmp / "golkepar.duckdb",
            ip_path_base=tmp / "geoip",
            **settings,
        )
    )


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


def scalar(con: duckdb.DuckDBPyConnection, sql: str, *params: Any) -> Any:
    return con.execute(sql, list(params)).fetchall()[0][0]


def visitor(con: duckdb.DuckDBPyConnection, who: traffic.Expected) -> dict[str, Any]:
    cursor = con.execute(
        "SELECT * FROM visitors WHERE visitor_key = ?", [visitor_key(who.ip, who.user_agent)]
    )
    names = [d[0] for d in cursor.description]
    rows = cursor.fetchall()
    assert len(rows) == 1, f"{who} is not one visitor"
    return dict(zip(names, rows[0], strict=True))


# --- data tests on every table ---------------------------------------------------------------


@pytest.mark.parametrize(("table", "key"), KEYS.items())
def test_keys_are_unique_and_present(
    db: duckdb.DuckDBPyConnection, table: str, key: tuple[str, ...]
) -> None:
    columns = ", ".join(key)
    assert scalar(db, f"SELECT count(*) FROM {table}") > 0
    duplicates = scalar(
        db, f"SELECT count(*) FROM (SELECT {columns} FROM {table} GROUP BY ALL HAVING count(*) > 1)"
    )
    assert duplicates == 0
    nulls = " OR ".join(f"{c} IS NULL" for c in key)
    assert scalar(db, f"SELECT count(*) FROM {table} WHERE {nulls}") == 0


@pytest.mark.parametrize(("table", "columns"), NOT_NULL.items())
def test_no_nulls_where_none_are_allowed(
    db: duckdb.DuckDBPyConnection, table: str, columns: tuple[str, ...]
) -> None:
    for column in columns:
        assert scalar(db, f"SELECT count(*) FROM {table} WHERE {column} IS NULL") == 0, column


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
    for table in [*KEYS, "security_patterns", "build_info"]:
        actual = [r[0] for r in db.execute(f"DESCRIBE {table}").fetchall()]
        assert actual == documented[table], table


def documented_columns() -> dict[str, list[str]]:
    """The column tables of docs/warehouse.md, by table name."""
    tables: dict[str, list[str]] = {}
    current = None
    for line in DOCS.read_text().splitlines():
        heading = re.match(r"### `(\w+)`", line)
        if heading:
            current = heading.group(1)
            tables[current] = []
        elif line.startswith("## "):
            current = None
        elif current and re.match(r"\| \w+ \|", line) and not line.startswith("| column"):
            tables[current].append(line.split("|")[1].strip())
    return tables


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
