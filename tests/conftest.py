"""Fixtures shared by the test modules; test data is built in code, never checked in."""

from __future__ import annotations

import os
import subprocess
import sys
from collections.abc import Mapping
from pathlib import Path

from hypothesis import settings

# No per-example deadline: the suite runs on shared machines, where a slow example is load,
# not a bug (a deadline made property tests fail at random). Performance lives in bench/.
settings.register_profile("golkepar", deadline=None)
settings.load_profile("golkepar")

SRC = Path(__file__).resolve().parents[1] / "src"


def run_golkepar(
    *args: str, cwd: Path, env: Mapping[str, str] | None = None, timeout: float = 120
) -> subprocess.CompletedProcess[str]:
    """Run the real `golkepar` command in a subprocess, as a user would."""
    child_env = {
        k: v for k, v in os.environ.items() if not k.startswith(("OVH_", "MAXMIND_", "GEOIP_"))
    }
    child_env["PYTHONPATH"] = str(SRC)
    child_env.update(env or {})
    return subprocess.run(
        [sys.executable, "-m", "golkepar", *args],
        cwd=cwd,
        env=child_env,
        capture_output=True,
        text=True,
        timeout=timeout,
        check=False,
    )


def write_log(path: Path, lines: list[str] | list[bytes], compress: bool = True) -> Path:
    """A real log file: gzip (by content, whatever the name) or plain, newline-terminated."""
    import gzip

    path.parent.mkdir(parents=True, exist_ok=True)
    body = b"".join((line if isinstance(line, bytes) else line.encode()) + b"\n" for line in lines)
    path.write_bytes(gzip.compress(body) if compress else body)
    return path


def lake_rows(lake: Path, dataset: str, columns: str = "*") -> list[dict[str, object]]:
    """Rows of a lake dataset, read the way the warehouse reads it: the files the manifest lists."""
    import duckdb

    from golkepar.lake.manifest import Manifest

    files = [str(p) for p in Manifest.load(lake).files(dataset)]
    if not files:
        return []
    connection = duckdb.connect()
    relation = connection.sql(
        f"select {columns} from read_parquet($files, hive_partitioning = false) "
        "order by source_file, source_line",
        params={"files": files},
    )
    names = [d[0] for d in relation.description]
    return [dict(zip(names, row, strict=True)) for row in relation.fetchall()]
