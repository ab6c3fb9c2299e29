"""A build that lost the crawler ranges the previous build used says so."""

from __future__ import annotations

from pathlib import Path

import traffic
from conftest import run_golkepar
from lake_factory import write_lake, write_search_bot_ranges

WARNING = "warning: the previous build verified search bots with the Googlebot, Bingbot ranges"


def test_a_build_without_the_previous_crawler_ranges_warns(tmp_path: Path) -> None:
    write_lake(tmp_path / "lake", traffic.crafted_hits())
    write_search_bot_ranges(tmp_path / "geoip")
    (tmp_path / "elsewhere").mkdir()
    env = {
        "PARQUET_PATH_BASE": str(tmp_path / "lake"),
        "DUCKDB_FILE": str(tmp_path / "golkepar.duckdb"),
    }

    def build(ip_path_base: Path) -> str:
        result = run_golkepar("build", cwd=tmp_path, env=env | {"IP_PATH_BASE": str(ip_path_base)})
        assert result.returncode == 0, result.stderr
        return result.stderr

    assert "warning" not in build(tmp_path / "geoip")  # the first build has them
    lost = build(tmp_path / "elsewhere")  # IP_PATH_BASE unset or moved: none of them
    assert WARNING in lost
    assert "note: no crawler ranges" not in lost  # the warning says it, once
    # The warehouse now records that it had none: the next build without them only notes it.
    again = build(tmp_path / "elsewhere")
    assert "warning" not in again and "note: no crawler ranges" in again
    assert "warning" not in build(tmp_path / "geoip")
