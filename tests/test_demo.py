"""The demo: the whole pipeline on generated logs, checked against the generator's ground truth."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import duckdb
import pytest

from conftest import run_golkepar
from golkepar.demo import DEMO_START, DemoResult, run_demo
from golkepar.sample import truth


@pytest.fixture(scope="module")
def demo(tmp_path_factory: pytest.TempPathFactory) -> DemoResult:
    return run_demo(tmp_path_factory.mktemp("demo"))


def test_every_line_of_the_sample_is_accounted_for(demo: DemoResult) -> None:
    sample, ingested = demo.sample, demo.ingest
    assert ingested.lines == sum(sample.lines_per_file.values())
    assert ingested.lines == ingested.rows + ingested.rejects
    assert ingested.rows == ingested.hits + ingested.error_entries
    with duckdb.connect(str(demo.build.duckdb_file), read_only=True) as db:
        rejects = set(db.sql("select source_file, source_line, reason from rejects").fetchall())
        hits = db.sql("select count(*) from hits").fetchall()[0]
    assert rejects == {(r.source_file, r.line_number, r.reason) for r in sample.rejects}
    assert hits == (sum(a.hits for a in sample.actors),)


def test_visitor_classes_match_the_ground_truth(demo: DemoResult) -> None:
    with duckdb.connect(str(demo.build.duckdb_file), read_only=True) as db:
        found = {
            (ip, agent): visitor_class
            for ip, agent, visitor_class in db.sql(
                "select ip, user_agent, visitor_class from visitors"
            ).fetchall()
        }
    wrong = {
        actor.name: (actor.intended_class, found.get((actor.ip, actor.user_agent)))
        for actor in demo.sample.actors
        if found.get((actor.ip, actor.user_agent)) != actor.intended_class
    }
    assert wrong == {}


def test_human_visits_match_the_ground_truth(demo: DemoResult) -> None:
    with duckdb.connect(str(demo.build.duckdb_file), read_only=True) as db:
        visits = dict(
            db.sql(
                "select v.ip || ' ' || coalesce(v.user_agent, ''), v.visits from visitors v"
            ).fetchall()
        )
    for actor in demo.sample.actors:
        if actor.visits is not None:
            assert visits[f"{actor.ip} {actor.user_agent or ''}"] == actor.visits, actor.name


def test_the_warehouse_gives_every_hit_its_request_line(demo: DemoResult) -> None:
    with duckdb.connect(str(demo.build.duckdb_file), read_only=True) as db:
        missing = db.sql("select count(*) from hits where request is null").fetchall()[0]
        with_query = db.sql(
            "select request from hits where method = 'GET' and query is not null limit 1"
        ).fetchall()[0][0]
        unsplit = {
            row[0] for row in db.sql("select request from hits where method is null").fetchall()
        }
    assert missing == (0,)
    assert with_query.startswith("GET /") and "?" in with_query
    assert with_query.endswith((" HTTP/1.1", " HTTP/2.0", " HTTP/1.0"))
    assert unsplit and all(r == "-" or r.startswith("\\x") for r in unsplit)


def test_geography_comes_from_the_generated_database(demo: DemoResult) -> None:
    with duckdb.connect(str(demo.build.duckdb_file), read_only=True) as db:
        unknown = db.sql("select count(*) from hits where country_code is null").fetchall()[0]
        countries = {row[0] for row in db.sql("select distinct country_code from hits").fetchall()}
    assert unknown == (0,)
    assert {"FR", "US", "DE", "CN"} <= countries


def test_demo_command_prints_where_results_are(tmp_path: Path) -> None:
    done = run_golkepar("demo", "--dir", str(tmp_path / "d"), cwd=tmp_path)
    assert done.returncode == 0, done.stderr
    assert f"database: {tmp_path / 'd' / 'golkepar.duckdb'}" in done.stdout
    assert "lines read" in done.stdout
    rerun = run_golkepar("demo", "--dir", str(tmp_path / "d"), cwd=tmp_path)
    assert rerun.returncode == 0, rerun.stderr
    assert "0 ingested" in rerun.stdout


# Security kinds each header attack of the sample must raise (truth's names -> the warehouse's).
HEADER_ATTACK_KINDS = {
    truth.SHELLSHOCK: {"shellshock"},
    truth.LOG4SHELL: {"log4shell"},
    truth.REFERER_SQLI: {"sql_injection"},
}


def test_bots_are_named_and_sorted_as_the_ground_truth_says(demo: DemoResult) -> None:
    with duckdb.connect(str(demo.build.duckdb_file), read_only=True) as db:
        found = {
            (ip, agent): (name, category)
            for ip, agent, name, category in db.sql(
                "select ip, user_agent, coalesce(bot_name, 'unnamed'), bot_category "
                "from visitors where visitor_class = 'bot'"
            ).fetchall()
        }
        bots = dict(db.sql("select bot_name, bot_category from bots").fetchall())
    expected = {
        actor.name: (actor.bot_name, actor.bot_category)
        for actor in demo.sample.actors
        if actor.intended_class == truth.BOT
    }
    assert all(name is not None for name, _ in expected.values()), "every bot has a truth"
    wrong = {
        actor.name: (expected[actor.name], found.get((actor.ip, actor.user_agent)))
        for actor in demo.sample.actors
        if actor.name in expected
        and found.get((actor.ip, actor.user_agent)) != expected[actor.name]
    }
    assert wrong == {}
    assert {name: bots[name] for name, _ in expected.values()} == dict(expected.values())
    assert set(bots.values()) == {
        "search", "ai", "seo", "social", "monitor", "feed", "library", "headless", "other"
    }  # fmt: skip


def test_header_attacks_and_lookalikes_match_the_ground_truth(demo: DemoResult) -> None:
    with duckdb.connect(str(demo.build.duckdb_file), read_only=True) as db:
        kinds: dict[tuple[str, str | None], set[str]] = {}
        for ip, agent, kind in db.sql(
            "select v.ip, v.user_agent, e.kind from security_events e "
            "join visitors v using (site, visitor_key)"
        ).fetchall():
            kinds.setdefault((ip, agent), set()).add(kind)
    for actor in demo.sample.actors:
        header_kinds = [
            HEADER_ATTACK_KINDS[k] for k in actor.attack_kinds if k in HEADER_ATTACK_KINDS
        ]
        if header_kinds:
            assert kinds.get((actor.ip, actor.user_agent)) == set.union(*header_kinds), actor.name
        if actor.intended_class in (truth.HUMAN, truth.ADMIN, truth.BOT):
            assert (actor.ip, actor.user_agent) not in kinds, actor.name
    assert demo.sample.actor("lookalike-reader").visits


# --- the owner's questions: channels, campaigns, returning visitors, broken links, DST -------


def visits_by_visitor(
    db: duckdb.DuckDBPyConnection,
) -> dict[tuple[str, str], list[tuple[Any, ...]]]:
    rows = db.sql(
        "select visitors.ip, visitors.user_agent, visits.channel, visits.search_engine, "
        "visits.utm_campaign, visits.is_returning from visits "
        "join visitors using (site, visitor_key) order by visits.started_at"
    ).fetchall()
    found: dict[tuple[str, str], list[tuple[Any, ...]]] = {}
    for ip, agent, *visit in rows:
        found.setdefault((ip, agent), []).append(tuple(visit))
    return found


def test_every_human_visit_arrives_as_the_ground_truth_says(demo: DemoResult) -> None:
    with duckdb.connect(str(demo.build.duckdb_file), read_only=True) as db:
        found = visits_by_visitor(db)
    humans = [actor for actor in demo.sample.actors if actor.entries]
    wrong = {
        actor.name: found.get((actor.ip, actor.user_agent or ""))
        for actor in humans
        if found.get((actor.ip, actor.user_agent or ""))
        != [
            (entry.channel, entry.search_engine, entry.utm_campaign, index > 0)
            for index, entry in enumerate(actor.entries)
        ]
    }
    assert wrong == {}
    # The sample has every channel, campaigns and returning visitors.
    entries = [entry for actor in humans for entry in actor.entries]
    assert {e.channel for e in entries} == {"direct", "internal", "search", "social", "referral"}
    assert {e.utm_campaign for e in entries} == {None, "automne-2026"}
    assert any(len(actor.entries) > 1 for actor in humans)


def test_broken_links_have_the_ground_truth_origin(demo: DemoResult) -> None:
    expected = {
        (link.path, link.origin) for actor in demo.sample.actors for link in actor.broken_links
    }
    attackers = {
        (actor.ip, actor.user_agent or "")
        for actor in demo.sample.actors
        if actor.intended_class == "attacker"
    }
    with duckdb.connect(str(demo.build.duckdb_file), read_only=True) as db:
        origins = set(db.sql("select path, origin from not_found").fetchall())
        attack_noise = set(
            db.sql(
                "select hits.ip, coalesce(hits.user_agent, '') from hits join not_found "
                "on hits.site = not_found.site and hits.path = not_found.path "
                "and hits.referer is not distinct from not_found.referer "
                "where not_found.origin = 'attack' and hits.status in (404, 410)"
            ).fetchall()
        )
    assert {origin for _, origin in expected} == {"internal_link", "external_link", "no_referer"}
    assert expected <= origins
    assert attack_noise and attack_noise <= attackers


def test_a_visit_across_local_midnight_and_the_repeated_dst_hour(demo: DemoResult) -> None:
    owl = demo.sample.actor("night-owl")
    bird = demo.sample.actor("early-bird")
    with duckdb.connect(str(demo.build.duckdb_file), read_only=True) as db:
        owl_days = db.execute(
            "select visits.local_date, count(distinct hits.local_date) from visits "
            "join hits using (visit_id) where hits.ip = ? group by all",
            [owl.ip],
        ).fetchall()
        bird_hour = db.execute(
            "select count(distinct utc_offset_min), count(distinct visit_id) from hits "
            "where ip = ? and local_date = date '2026-10-25' "
            "and hour(ts::timestamp + to_minutes(utc_offset_min)) = 2",
            [bird.ip],
        ).fetchall()
        human_hour = db.sql(
            "select visits_started from traffic_by_hour where local_date = date '2026-10-25' "
            "and local_hour = 2 and visitor_class = 'human'"
        ).fetchall()
    assert owl_days == [(DEMO_START, 2)]  # one visit, of the first day, over two dates
    assert bird_hour == [(2, 2)]  # two offsets, two visits, one local hour
    assert human_hour == [(2,)]
