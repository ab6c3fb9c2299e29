"""Files golkepar writes: only its own are ever replaced or deleted."""

from __future__ import annotations

import os
import stat
from pathlib import Path

import duckdb
import pytest

from golkepar._files import remove_stale_temp_files_of, temp_path_for
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
