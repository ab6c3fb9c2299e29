"""The connection the Superset bundle writes, opened as Superset opens it, on a real warehouse.

Anyone with SQL Lab access types SQL into this connection: it must read the warehouse and
nothing else (no file, no other database, no extension, no setting turned back on).
"""

from __future__ import annotations

import zipfile
from collections.abc import Iterator
from datetime import timedelta
from pathlib import Path

import pytest
import sqlalchemy
import yaml

import traffic
from conftest import run_golkepar
from golkepar.config import Settings
from golkepar.errors import SupersetError
from golkepar.superset import sqlalchemy_uri
from golkepar.warehouse.build import BuildResult, build_warehouse
from lake_factory import write_lake, write_search_bot_ranges


@pytest.fixture(scope="module")
def built(tmp_path_factory: pytest.TempPathFactory) -> BuildResult:
    tmp = tmp_path_factory.mktemp("superset-connection")
    write_lake(tmp / "lake", traffic.crafted_hits())
    write_search_bot_ranges(tmp / "geoip")
    return build_warehouse(
        Settings(
            parquet_path_base=tmp / "lake",
            duckdb_file=tmp / "golkepar.duckdb",
            ip_path_base=tmp / "geoip",
        )
    )


@pytest.fixture
def connection(built: BuildResult) -> Iterator[sqlalchemy.Connection]:
    # The URI as the bundle writes it, through SQLAlchemy and duckdb-engine as Superset uses them.
    engine = sqlalchemy.create_engine(sqlalchemy_uri(built.duckdb_file))
    try:
        with engine.connect() as con:
            yield con
    finally:
        engine.dispose()


def refused(con: sqlalchemy.Connection, sql: str) -> str:
    """The error DuckDB gives for `sql`; fails the test if the statement runs."""
    with pytest.raises(sqlalchemy.exc.DBAPIError) as caught:
        con.execute(sqlalchemy.text(sql)).fetchall()
    # A failed statement aborts SQLAlchemy's implicit transaction; the next probe needs a new one.
    con.rollback()
    return str(caught.value.orig)


def test_a_chart_query_runs(connection: sqlalchemy.Connection, built: BuildResult) -> None:
    rows = connection.execute(
        sqlalchemy.text(
            "select local_date, visitor_class, count(*) as hits from hits "
            "where site = :site and ts >= timestamptz '2026-01-01 00:00:00+00' "
            "group by all order by all"
        ),
        {"site": "example.com"},
    ).fetchall()
    assert sum(row.hits for row in rows) == built.hits > 0
    assert {row.visitor_class for row in rows} >= {"human", "bot", "attacker"}


def test_files_outside_the_warehouse_cannot_be_read(
    connection: sqlalchemy.Connection, built: BuildResult, tmp_path: Path
) -> None:
    secret = tmp_path / "superset_config.py"
    secret.write_text("SECRET_KEY = 'do not show'\n")
    lake_file = next((built.duckdb_file.parent / "lake").rglob("*.parquet"))
    for sql in (
        f"select * from read_text('{secret}')",
        f"select * from read_csv('{secret}')",
        f"select * from read_parquet('{lake_file}')",
        f"select * from '{lake_file}'",
        f"select * from glob('{tmp_path}/*')",
    ):
        assert "disabled by configuration" in refused(connection, sql), sql


def test_no_file_can_be_written(connection: sqlalchemy.Connection, tmp_path: Path) -> None:
    for target in (tmp_path / "out.csv", tmp_path / "out.parquet"):
        sql = f"copy (select 42 as answer) to '{target}'"
        assert "disabled by configuration" in refused(connection, sql)
        assert not target.exists()
    sql = f"export database '{tmp_path / 'dump'}'"
    assert "disabled by configuration" in refused(connection, sql)
    assert list(tmp_path.iterdir()) == []


def test_no_other_database_can_be_attached(
    connection: sqlalchemy.Connection, tmp_path: Path
) -> None:
    other = tmp_path / "other.duckdb"
    assert "disabled by configuration" in refused(connection, f"attach '{other}' as other")
    assert not other.exists()
    refused(connection, "attach ':memory:' as scratch")


def test_no_extension_or_secret(connection: sqlalchemy.Connection) -> None:
    for sql in (
        "install httpfs",
        "load httpfs",
        "create secret s3_key (type s3, key_id 'k', secret 's')",
    ):
        assert "disabled" in refused(connection, sql), sql


def test_the_lock_cannot_be_undone(connection: sqlalchemy.Connection) -> None:
    for sql in (
        "set enable_external_access = true",
        "set lock_configuration = false",
        "reset enable_external_access",
        "set access_mode = 'read_write'",
    ):
        assert "the configuration has been locked" in refused(connection, sql), sql
    settings = dict(
        connection.execute(
            sqlalchemy.text(
                "select name, value from duckdb_settings() where name in "
                "('enable_external_access', 'lock_configuration', 'access_mode')"
            )
        ).fetchall()
    )
    assert settings == {
        "enable_external_access": "false",
        "lock_configuration": "true",
        "access_mode": "read_only",
    }


def test_the_warehouse_cannot_be_changed(
    connection: sqlalchemy.Connection, built: BuildResult
) -> None:
    for sql in (
        "create table stolen as select 1 as x",
        "drop table hits",
        "delete from hits",
        "create view v as select 1 as x",
    ):
        assert "read-only" in refused(connection, sql), sql
    count = connection.execute(sqlalchemy.text("select count(*) from hits")).scalar_one()
    assert count == built.hits


def test_a_rebuild_is_seen_once_no_connection_holds_the_old_one(tmp_path: Path) -> None:
    """DuckDB keeps one database instance per path and process while a connection holds it.

    Superset opens a connection per query (NullPool): a connection opened while another one in
    the same process is still open (a long query at the moment `golkepar build` renames the new
    file in) shares the old instance and reads the old build. The first connection opened once
    none is left reads the new one. docs/superset.md states this bound.
    """
    warehouse = tmp_path / "golkepar.duckdb"
    hits = traffic.crafted_hits()

    def build(lake: Path, rows: int) -> None:
        write_lake(lake, hits[:rows])
        build_warehouse(
            Settings(parquet_path_base=lake, duckdb_file=warehouse, ip_path_base=tmp_path / "geo")
        )

    def count(con: sqlalchemy.Connection) -> int:
        return int(con.execute(sqlalchemy.text("select count(*) from hits")).scalar_one())

    build(tmp_path / "first", 10)
    uri = sqlalchemy_uri(warehouse)
    # Two engines, as two Superset requests served by one process; NullPool as Superset uses.
    long_query, next_query = (
        sqlalchemy.create_engine(uri, poolclass=sqlalchemy.pool.NullPool) for _ in range(2)
    )
    try:
        with long_query.connect() as running:
            assert count(running) == 10
            build(tmp_path / "second", 20)
            with next_query.connect() as opened_meanwhile:
                assert count(opened_meanwhile) == 10  # the old build, from the shared instance
            assert count(running) == 10
        with next_query.connect() as opened_after:
            assert count(opened_after) == 20
    finally:
        long_query.dispose()
        next_query.dispose()


def test_the_default_range_can_end_on_the_warehouses_last_day(
    built: BuildResult, tmp_path: Path
) -> None:
    env = {"DUCKDB_FILE": str(built.duckdb_file)}
    result = run_golkepar("superset-bundle", "--until-latest", "--days", "7", cwd=tmp_path, env=env)
    assert result.returncode == 0, result.stderr
    with zipfile.ZipFile(tmp_path / "golkepar-superset.zip") as bundle:
        (name,) = [n for n in bundle.namelist() if n.endswith("dashboards/traffic.yaml")]
        metadata = yaml.safe_load(bundle.read(name))["metadata"]
    (time_filter,) = [
        f for f in metadata["native_filter_configuration"] if f["name"] == "Time range"
    ]
    last = max(hit.ts.date() for hit in traffic.crafted_hits())  # local times, one zone
    expected = f"{last - timedelta(days=6)} : {last + timedelta(days=1)}"
    assert time_filter["defaultDataMask"]["extraFormData"] == {"time_range": expected}

    missing = run_golkepar(
        "superset-bundle", "--until-latest", cwd=tmp_path, env={"DUCKDB_FILE": "none.duckdb"}
    )
    assert missing.returncode == SupersetError.exit_code
    assert "run `golkepar build` first" in missing.stderr
    assert "Traceback" not in missing.stderr
