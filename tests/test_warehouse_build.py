"""The build as a process: empty lakes, failures that keep the old file, locks, the CLI."""

from __future__ import annotations

import json
import os
from dataclasses import replace
from datetime import timedelta
from pathlib import Path

import duckdb
import filelock
import pyarrow as pa
import pyarrow.parquet as pq
import pytest

from conftest import run_golkepar
from golkepar.config import Settings
from golkepar.errors import BuildError, LockedError
from golkepar.warehouse.build import PUBLIC_RELATIONS, build_warehouse, default_memory_limit
from lake_factory import (
    GOOGLEBOT,
    Hit,
    visitor_key,
    write_empty_lake,
    write_lake,
    write_search_bot_ranges,
)
from traffic import FAKE_GOOGLE, T0, crafted_hits
from warehouse_helpers import documented_columns


def settings_for(tmp: Path) -> Settings:
    return Settings(
        parquet_path_base=tmp / "lake",
        duckdb_file=tmp / "out" / "golkepar.duckdb",
        ip_path_base=tmp / "geoip",
    )


def tables(database: Path) -> dict[str, int]:
    with duckdb.connect(str(database), read_only=True) as con:
        return {
            name: con.execute(f"SELECT count(*) FROM {name}").fetchall()[0][0]
            for name in PUBLIC_RELATIONS
        }


def test_an_empty_lake_builds_empty_tables_with_every_column(tmp_path: Path) -> None:
    settings = settings_for(tmp_path)
    write_empty_lake(settings.parquet_path_base)
    result = build_warehouse(settings)
    assert (result.hits, result.visits, result.lake_files) == (0, 0, 0)
    counts = tables(settings.duckdb_file)
    assert set(counts) == set(PUBLIC_RELATIONS)
    assert counts["build_info"] == 1
    # Only what the build stores about itself: its patterns and its bot list.
    lists = ("security_patterns", "known_bots", "bot_categories")
    assert sum(counts.values()) == 1 + sum(counts[table] for table in lists)
    documented = documented_columns()
    with duckdb.connect(str(settings.duckdb_file), read_only=True) as con:
        for table in ("hits", "visits", "visitors", "daily_traffic", "security_events"):
            assert [r[0] for r in con.execute(f"DESCRIBE {table}").fetchall()] == documented[table]


def test_a_missing_lake_says_to_ingest_first(tmp_path: Path) -> None:
    with pytest.raises(BuildError, match=r"no lake manifest at .*golkepar ingest"):
        build_warehouse(settings_for(tmp_path))


def test_a_corrupt_manifest_is_a_build_error(tmp_path: Path) -> None:
    settings = settings_for(tmp_path)
    settings.parquet_path_base.mkdir()
    (settings.parquet_path_base / "_manifest.json").write_text("{not json")
    with pytest.raises(BuildError, match="cannot read the lake manifest"):
        build_warehouse(settings)


def test_a_listed_file_that_is_missing_is_named(tmp_path: Path) -> None:
    settings = settings_for(tmp_path)
    manifest = write_lake(settings.parquet_path_base, [Hit(T0)])
    missing = next(iter(manifest["sources"].values()))["outputs"]["hits"][0]
    (settings.parquet_path_base / missing).unlink()
    with pytest.raises(BuildError, match=r"lists .*parquet.*missing"):
        build_warehouse(settings)


def test_a_failed_build_leaves_the_previous_database_intact(tmp_path: Path) -> None:
    settings = settings_for(tmp_path)
    manifest = write_lake(settings.parquet_path_base, crafted_hits())
    build_warehouse(settings)
    before = settings.duckdb_file.read_bytes()
    listed = next(iter(manifest["sources"].values()))["outputs"]["hits"][0]
    (settings.parquet_path_base / listed).write_bytes(b"PAR1 this is not parquet PAR1")
    with pytest.raises(BuildError, match="failed") as failure:
        build_warehouse(settings)
    assert "\n" not in str(failure.value)
    assert settings.duckdb_file.read_bytes() == before
    leftovers = [p.name for p in settings.duckdb_file.parent.iterdir()]
    assert sorted(leftovers) == ["golkepar.duckdb", "golkepar.duckdb.lock"]


def test_a_second_build_at_once_is_refused(tmp_path: Path) -> None:
    settings = settings_for(tmp_path)
    write_empty_lake(settings.parquet_path_base)
    settings.duckdb_file.parent.mkdir(parents=True)
    with (
        filelock.FileLock(f"{settings.duckdb_file}.lock"),
        pytest.raises(LockedError, match="another `golkepar build`"),
    ):
        build_warehouse(settings)


def test_temporary_files_of_a_killed_build_are_removed(tmp_path: Path) -> None:
    settings = settings_for(tmp_path)
    write_empty_lake(settings.parquet_path_base)
    settings.duckdb_file.parent.mkdir(parents=True)
    stale = settings.duckdb_file.parent / ".golkepar.duckdb.abc123.part"
    stale.write_bytes(b"half a database")
    spill = settings.duckdb_file.parent / ".golkepar.duckdb.abc123.part.tmp"
    spill.mkdir()
    (spill / "duckdb_temp_storage-0.tmp").write_bytes(b"spilled rows")
    build_warehouse(settings)
    assert not stale.exists()
    assert not spill.exists()


def test_without_crawler_ranges_no_bot_is_verified_or_fake(tmp_path: Path) -> None:
    settings = settings_for(tmp_path)
    write_lake(settings.parquet_path_base, crafted_hits())
    result = build_warehouse(settings)
    assert result.search_bot_ranges == ()
    with duckdb.connect(str(settings.duckdb_file), read_only=True) as con:
        assert (
            con.execute("SELECT count(*) FROM visitors WHERE verified_bot IS NOT NULL").fetchall()[
                0
            ][0]
            == 0
        )
        assert (
            con.execute(
                "SELECT count(*) FROM security_events WHERE kind = 'fake_search_bot'"
            ).fetchall()[0][0]
            == 0
        )
        fake = con.execute(
            "SELECT visitor_class FROM visitors WHERE visitor_key = ?",
            [visitor_key(FAKE_GOOGLE.ip, GOOGLEBOT)],
        ).fetchall()
        assert fake == [("bot",)]  # unverifiable: its User-Agent is all we know


def test_unreadable_crawler_ranges_are_named(tmp_path: Path) -> None:
    settings = settings_for(tmp_path)
    write_empty_lake(settings.parquet_path_base)
    settings.ip_path_base.mkdir()
    (settings.ip_path_base / "googlebot.json").write_text(json.dumps({"prefixes": [{"x": 1}]}))
    with pytest.raises(BuildError, match=r"googlebot\.json.*geoip update"):
        build_warehouse(settings)


def test_files_written_before_a_column_existed_still_build(tmp_path: Path) -> None:
    settings = settings_for(tmp_path)
    manifest = write_lake(settings.parquet_path_base, [Hit(T0)])
    listed = next(iter(manifest["sources"].values()))["outputs"]["hits"][0]
    path = settings.parquet_path_base / listed
    pq.write_table(pq.read_table(path).drop_columns(["bytes_in", "extra"]), path)
    assert build_warehouse(settings).hits == 1


# --- the command line ------------------------------------------------------------------------


def test_cli_build_writes_the_database_and_says_so(tmp_path: Path) -> None:
    write_lake(tmp_path / "lake", crafted_hits())
    result = run_golkepar(
        "build",
        "--session-idle-minutes",
        "45",
        cwd=tmp_path,
        env={"PARQUET_PATH_BASE": "lake", "DUCKDB_FILE": "db/site.duckdb", "IP_PATH_BASE": "geo"},
    )
    assert result.returncode == 0, result.stderr
    assert "built db/site.duckdb" in result.stdout
    assert f"{len(crafted_hits())} hits" in result.stdout
    assert "search bots were not verified" in result.stderr
    with duckdb.connect(str(tmp_path / "db" / "site.duckdb"), read_only=True) as con:
        assert con.execute("SELECT session_idle_minutes FROM build_info").fetchall() == [(45,)]


def test_cli_build_without_a_lake_fails_with_its_exit_code(tmp_path: Path) -> None:
    result = run_golkepar("build", "--lake", "nowhere", cwd=tmp_path)
    assert result.returncode == BuildError.exit_code
    assert "no lake manifest at 'nowhere/_manifest.json'" in result.stderr
    assert "golkepar ingest" in result.stderr


def test_cli_build_rejects_a_bad_idle_time(tmp_path: Path) -> None:
    result = run_golkepar("build", "--session-idle-minutes", "0", cwd=tmp_path)
    assert result.returncode == 2
    assert "SESSION_IDLE_MINUTES=0 is out of range: give 1 to 1440" in result.stderr


def test_hits_at_the_same_instant_after_a_gap_share_the_new_visit(tmp_path: Path) -> None:
    settings = settings_for(tmp_path)
    later = T0 + timedelta(hours=3)
    # The page and its stylesheet logged in the same second, in an order the build must not need.
    write_lake(
        settings.parquet_path_base,
        [
            Hit(T0),
            Hit(later, path="/style.css"),
            Hit(later, path="/next"),
            Hit(later, path="/x.js"),
        ],
    )
    build_warehouse(settings)
    with duckdb.connect(str(settings.duckdb_file), read_only=True) as con:
        visits = con.execute("SELECT hits FROM visits ORDER BY started_at").fetchall()
        assert visits == [(1,), (3,)]


def test_one_browser_on_two_sites_is_a_visitor_of_each(tmp_path: Path) -> None:
    settings = settings_for(tmp_path)
    write_lake(
        settings.parquet_path_base,
        [
            Hit(T0),
            Hit(T0, site="other.example"),
            Hit(T0 + timedelta(minutes=1), site="other.example"),
        ],
    )
    build_warehouse(settings)
    with duckdb.connect(str(settings.duckdb_file), read_only=True) as con:
        visitors = con.execute("SELECT site, hits, visits FROM visitors ORDER BY site").fetchall()
        assert visitors == [("example.com", 1, 1), ("other.example", 2, 1)]
        assert con.execute("SELECT count(DISTINCT visit_id) FROM visits").fetchall() == [(2,)]


def test_a_verified_crawler_following_an_attack_link_is_no_attacker(tmp_path: Path) -> None:
    settings = settings_for(tmp_path)
    crawl = dict(ip="66.249.64.9", user_agent=GOOGLEBOT, is_bot=True, bot_name="Googlebot")
    impostor = dict(crawl, ip="203.0.113.99")
    attack = dict(path="/item", query="id=1+UNION+SELECT+password+FROM+users")
    write_lake(
        settings.parquet_path_base,
        [Hit(T0, **crawl, **attack), Hit(T0, **impostor, **attack)],  # type: ignore[arg-type]
    )
    write_search_bot_ranges(settings.ip_path_base)
    build_warehouse(settings)
    with duckdb.connect(str(settings.duckdb_file), read_only=True) as con:
        classes = con.execute(
            "SELECT ip, visitor_class, verified_bot, class_reason FROM visitors ORDER BY ip"
        ).fetchall()
        kinds = con.execute("SELECT DISTINCT kind FROM security_events ORDER BY 1").fetchall()
    assert classes == [
        ("203.0.113.99", "attacker", False, "security events: fake_search_bot, sql_injection"),
        ("66.249.64.9", "bot", True, "search bot User-Agent (Googlebot)"),
    ]
    assert kinds == [("fake_search_bot",), ("sql_injection",)]


def test_an_unwritable_database_path_is_a_build_error(tmp_path: Path) -> None:
    settings = settings_for(tmp_path)
    write_empty_lake(settings.parquet_path_base)
    (tmp_path / "a-file").write_text("not a folder")
    unwritable = Settings(
        parquet_path_base=settings.parquet_path_base,
        duckdb_file=tmp_path / "a-file" / "golkepar.duckdb",
    )
    with pytest.raises(BuildError, match=r"cannot write beside .*a-file/golkepar.duckdb"):
        build_warehouse(unwritable)


def test_a_warehouse_failing_a_data_test_is_not_swapped_in(tmp_path: Path) -> None:
    settings = settings_for(tmp_path)
    manifest = write_lake(settings.parquet_path_base, crafted_hits())
    build_warehouse(settings)
    before = settings.duckdb_file.read_bytes()
    # A lake file rewritten by another tool with no status: the build runs, the checks refuse.
    listed = next(iter(manifest["sources"].values()))["outputs"]["hits"][0]
    path = settings.parquet_path_base / listed
    table = pq.read_table(path)
    status = table.schema.get_field_index("status")
    pq.write_table(table.set_column(status, "status", pa.nulls(table.num_rows, pa.int16())), path)
    with pytest.raises(
        BuildError, match=r"data test 'required_columns_are_set'.*status"
    ) as failure:
        build_warehouse(settings)
    assert "previous one is kept" in str(failure.value)
    assert "\n" not in str(failure.value)
    assert settings.duckdb_file.read_bytes() == before
    leftovers = [p.name for p in settings.duckdb_file.parent.iterdir()]
    assert sorted(leftovers) == ["golkepar.duckdb", "golkepar.duckdb.lock"]


def test_build_memory_defaults_to_a_share_of_the_machine_capped_at_1536_mib() -> None:
    mib = int(default_memory_limit().removesuffix("MiB"))
    machine = os.sysconf("SC_PAGE_SIZE") * os.sysconf("SC_PHYS_PAGES")
    assert 0 < mib <= 1536
    assert mib == min(machine // 4, 1536 * 2**20) // 2**20


def test_build_runs_within_the_memory_limit_it_is_given(tmp_path: Path) -> None:
    settings = replace(
        settings_for(tmp_path),
        build_memory_limit="64MiB",
        build_temp_directory=tmp_path / "spill",
    )
    write_lake(settings.parquet_path_base, crafted_hits())
    assert build_warehouse(settings).hits == len(crafted_hits())
    with duckdb.connect(str(settings.duckdb_file), read_only=True) as con:
        assert con.execute("SELECT memory_limit FROM build_info").fetchall() == [("64.0 MiB",)]


def test_a_memory_limit_duckdb_cannot_read_is_named(tmp_path: Path) -> None:
    settings = replace(settings_for(tmp_path), build_memory_limit="lots")
    write_empty_lake(settings.parquet_path_base)
    with pytest.raises(BuildError, match=r"BUILD_MEMORY_LIMIT='lots'.*2GB or 512MiB"):
        build_warehouse(settings)
    assert not settings.duckdb_file.exists()


def test_a_visitor_is_placed_by_the_last_hit_and_same_instant_hits_keep_log_order(
    tmp_path: Path,
) -> None:
    # GeoIP changed between two ingests: the visitor's place and network are the last hit's.
    # The last two hits share their instant: the later line is the last hit, and the visit's
    # entry and exit pages are the first and last pages in log order.
    settings = settings_for(tmp_path)
    later = T0 + timedelta(minutes=5)
    write_lake(
        settings.parquet_path_base,
        [
            Hit(T0, path="/first", country_code="DE", asn=3320, as_org="Deutsche Telekom AG"),
            Hit(later, path="/second", country_code="FR", asn=16276, as_org="OVH SAS"),
            Hit(later, path="/third", country_code="BE", asn=5432, as_org="Proximus NV"),
        ],
    )
    build_warehouse(settings)
    with duckdb.connect(str(settings.duckdb_file), read_only=True) as con:
        visitor = con.execute(
            "SELECT country_code, asn, as_org, hits, visits FROM visitors"
        ).fetchall()
        visit = con.execute("SELECT entry_path, exit_path, country_code FROM visits").fetchall()
    assert visitor == [("BE", 5432, "Proximus NV", 3, 1)]
    assert visit == [("/first", "/third", "DE")]
