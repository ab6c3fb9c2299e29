"""Time `golkepar report` on the large warehouse that bench/warehouse_build.py builds.

    python bench/warehouse_build.py            # once: the 5,000,000-hit lake and its database
    python bench/report.py [--dir bench/work/warehouse]

The report runs as the real command in a child process, on the whole default period (the 28
days that end with the last day held); its wall time, CPU time, peak memory and the page's
size are printed, with the load average.
"""

from __future__ import annotations

import argparse
import os
import resource
import subprocess
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--dir", type=Path, default=ROOT / "bench" / "work" / "warehouse")
    args = parser.parse_args()
    database = args.dir / "golkepar.duckdb"
    if not database.is_file():
        sys.exit(f"no database at {database}: run `python bench/warehouse_build.py` first")
    page = args.dir / "report.html"
    env = {**os.environ, "PYTHONPATH": str(ROOT / "src")}
    command = [
        sys.executable, "-m", "golkepar", "report",
        "--duckdb-file", str(database), "--output", str(page),
    ]  # fmt: skip
    started = time.monotonic()
    subprocess.run(command, check=True, env=env)
    seconds = time.monotonic() - started
    child = resource.getrusage(resource.RUSAGE_CHILDREN)
    hits = subprocess.run(
        [sys.executable, "-c", "import duckdb, sys; print(duckdb.connect(sys.argv[1], "
         "read_only=True).sql('select count(*) from hits').fetchall()[0][0])", str(database)],
        check=True, capture_output=True, text=True, env=env,
    ).stdout.strip()  # fmt: skip
    print(
        f"golkepar report: {int(hits):,} hits in the database, page written in {seconds:.1f} s "
        f"wall, {child.ru_utime + child.ru_stime:.1f} s CPU, peak RSS "
        f"{child.ru_maxrss / 1024:,.0f} MiB, page {page.stat().st_size / 1e6:.2f} MB; "
        f"{os.cpu_count()} cores, load average {os.getloadavg()[0]:.1f}"
    )


if __name__ == "__main__":
    main()
