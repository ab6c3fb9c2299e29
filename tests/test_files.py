"""Files golkepar writes: only its own are ever replaced or deleted."""

from __future__ import annotations

import os
import stat
from pathlib import Path

import duckdb
import pytest

from golkepar._files import remove_stale_temp_files_of, shared_lock, temp_path_for
from golkepar.config import Settings
from golkepar.errors import BuildError
from golkepar.warehouse.build import build_warehouse
from lake_factory import write_empty_lake


def _build(tmp_path: Path, duckdb_file: Path) -> None:
    lake = tmp_path / "lake"
    if not lake.exists():
        write_empty_lake(lake)
    build_warehouse(
        Settings(parquet_path_base=lake, duckdb_file=duckdb_file, ip_path_base=tmp_path / "geoip")
    )


def test_stale_temp_files_are_matched_exactly_whatever_the_name(tmp_path: Path) -> None:
    folder = tmp_path / "out"
    folder.mkdir()
    target = folder / "db[x]*?.duckdb"
    neighbours = [folder / ".dbx.duckdb.abc", folder / ".bashrc", folder / ".db[x]*?.duckdb.keep"]
    for path in neighbours:
        path.write_text("not golkepar's")
    (folder / ".config").mkdir()
    (folder / ".config" / "settings").write_text("not golkepar's")
    stale = temp_path_for(target)
    (folder / f"{stale.name}.tmp").mkdir()
    (folder / f"{stale.name}.wal").write_text("wal")
    assert remove_stale_temp_files_of(target) == 3
    assert sorted(p.name for p in folder.iterdir()) == sorted(
        [".config", *(p.name for p in neighbours)]
    )
    _build(tmp_path, target)
    assert (folder / ".config" / "settings").exists()
    assert all(path.exists() for path in neighbours)
    with duckdb.connect(str(target), read_only=True) as con:
        assert con.execute("select count(*) from hits").fetchall() == [(0,)]


def test_duckdb_file_must_be_a_regular_file(tmp_path: Path) -> None:
    # A named pipe stands for /dev/null: a special file a regression must not replace.
    pipe = tmp_path / "null"
    os.mkfifo(pipe)
    with pytest.raises(BuildError, match="null' is a device or other special file"):
        _build(tmp_path, pipe)
    assert stat.S_ISFIFO(os.stat(pipe).st_mode)
    with pytest.raises(BuildError, match="DUCKDB_FILE='/' is a folder"):
        _build(tmp_path, Path("/"))


def test_a_symlinked_duckdb_file_is_resolved_not_replaced(tmp_path: Path) -> None:
    real = tmp_path / "elsewhere" / "warehouse.duckdb"
    real.parent.mkdir()
    link = tmp_path / "golkepar.duckdb"
    link.symlink_to(real)
    _build(tmp_path, link)
    _build(tmp_path, link)  # and again, over the database the first build wrote
    assert link.is_symlink()
    assert os.readlink(link) == str(real)
    with duckdb.connect(str(real), read_only=True) as con:
        assert con.execute("select count(*) from hits").fetchall() == [(0,)]


def test_a_build_never_reads_a_lake_an_ingest_is_writing(tmp_path: Path) -> None:
    import filelock

    from golkepar.errors import LockedError
    from golkepar.ingest.pipeline import ingest_logs
    from golkepar.lake.contract import LOCK_NAME

    lake = tmp_path / "lake"
    write_empty_lake(lake)
    settings = Settings(
        parquet_path_base=lake,
        duckdb_file=tmp_path / "golkepar.duckdb",
        ip_path_base=tmp_path / "geoip",
        log_path_base=tmp_path / "logs",
    )
    (tmp_path / "logs").mkdir()
    # As `golkepar ingest --force` holds it:
    with (
        filelock.FileLock(str(lake / LOCK_NAME)),
        pytest.raises(LockedError, match="a `golkepar ingest` is writing the lake"),
    ):
        build_warehouse(settings)
    with shared_lock(lake / LOCK_NAME):  # as a build holds it
        with pytest.raises(LockedError, match="or a `golkepar build` is reading it"):
            ingest_logs(settings)
        with shared_lock(lake / LOCK_NAME):  # builds read together
            pass
    build_warehouse(settings)


@pytest.mark.parametrize(
    "content",
    ["[]", "null", '"x"', '{"version": 1, "sources": []}', '{"version": 1, "sources": {"a": 3}}'],
)
def test_a_manifest_of_the_wrong_shape_is_one_clear_line(tmp_path: Path, content: str) -> None:
    from golkepar.errors import GolkeparError
    from golkepar.ingest.pipeline import ingest_logs

    (tmp_path / "lake").mkdir()
    (tmp_path / "logs").mkdir()
    (tmp_path / "lake" / "_manifest.json").write_text(content)
    settings = Settings(
        parquet_path_base=tmp_path / "lake",
        log_path_base=tmp_path / "logs",
        ip_path_base=tmp_path / "geoip",
        duckdb_file=tmp_path / "golkepar.duckdb",
    )
    for stage in (ingest_logs, build_warehouse):
        with pytest.raises(GolkeparError, match="cannot read the lake manifest") as raised:
            stage(settings)
        assert "\n" not in str(raised.value)


def test_a_lake_that_cannot_be_written_is_one_clear_line(tmp_path: Path) -> None:
    from conftest import run_golkepar, write_log

    blocker = tmp_path / "not-a-folder"
    blocker.write_text("a file where the lake's folder should be")
    write_log(tmp_path / "logs" / "x.com-27-11-2026.log", ["line"])
    env = {"LOG_PATH_BASE": str(tmp_path / "logs"), "PARQUET_PATH_BASE": str(blocker / "lake")}
    done = run_golkepar("ingest", cwd=tmp_path, env=env)
    assert done.returncode != 0
    assert "Traceback" not in done.stderr
    assert done.stderr.startswith("error: ") and len(done.stderr.strip().splitlines()) == 1
    assert "not-a-folder" in done.stderr
