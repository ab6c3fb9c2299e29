"""Readers as Superset holds them (SQLAlchemy + duckdb-engine, read-only) across rebuilds."""

from __future__ import annotations

import threading
from pathlib import Path

import pytest
import sqlalchemy
import sqlalchemy.exc
from sqlalchemy.pool import NullPool

from conftest import run_golkepar
from golkepar.warehouse.build import PUBLIC_RELATIONS
from lake_factory import write_lake, write_search_bot_ranges
from traffic import crafted_hits

REBUILDS = 3


def engine_for(database: Path) -> sqlalchemy.Engine:
    # What Superset does: duckdb-engine, read-only; a fresh connection for each query batch.
    return sqlalchemy.create_engine(
        f"duckdb:///{database}", connect_args={"read_only": True}, poolclass=NullPool
    )


def query_every_table(engine: sqlalchemy.Engine) -> dict[str, int]:
    with engine.connect() as con:
        return {
            name: int(con.execute(sqlalchemy.text(f"SELECT count(*) FROM {name}")).scalar_one())
            for name in PUBLIC_RELATIONS
        }


def test_readers_see_a_whole_database_while_build_rebuilds_it(tmp_path: Path) -> None:
    hits = crafted_hits()
    write_lake(tmp_path / "lake", hits)
    write_search_bot_ranges(tmp_path / "geo")
    env = {"PARQUET_PATH_BASE": "lake", "DUCKDB_FILE": "golkepar.duckdb", "IP_PATH_BASE": "geo"}
    first = run_golkepar("build", cwd=tmp_path, env=env)
    assert first.returncode == 0, first.stderr
    engine = engine_for(tmp_path / "golkepar.duckdb")
    expected = query_every_table(engine)
    assert expected["hits"] == len(hits)

    # A connection opened before the rebuilds keeps reading the database it opened.
    held = engine.connect()
    seen: list[dict[str, int]] = []
    failures: list[BaseException] = []
    stop = threading.Event()

    def read_until_stopped() -> None:
        # A short pause between batches leaves the two cores' share to the build.
        while not stop.wait(0.05):
            try:
                seen.append(query_every_table(engine))
            except BaseException as e:
                failures.append(e)
                return

    reader = threading.Thread(target=read_until_stopped)
    reader.start()
    try:
        for _ in range(REBUILDS):
            rebuilt = run_golkepar("build", cwd=tmp_path, env=env)
            assert rebuilt.returncode == 0, rebuilt.stderr
    finally:
        stop.set()
        reader.join(timeout=60)
    assert failures == []
    assert len(seen) >= REBUILDS
    assert all(counts == expected for counts in seen)
    assert (
        held.execute(sqlalchemy.text("SELECT count(*) FROM visits")).scalar_one()
        == expected["visits"]
    )
    held.close()
    # The rebuilt file is the one new readers get, also through the URI form Superset stores.
    assert query_every_table(engine) == expected
    by_uri = sqlalchemy.create_engine(
        f"duckdb:///{tmp_path / 'golkepar.duckdb'}?access_mode=read_only", poolclass=NullPool
    )
    assert query_every_table(by_uri) == expected
    with pytest.raises(sqlalchemy.exc.DBAPIError, match="read-only"), by_uri.connect() as con:
        con.execute(sqlalchemy.text("CREATE TABLE notes (line VARCHAR)"))
