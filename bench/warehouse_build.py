"""Time `golkepar build` on a large synthetic lake (default 5 million hits over 30 days).

    python bench/warehouse_build.py [--hits 5000000] [--dir bench/work/warehouse]

The lake is the busy site of bench/synthetic_lake.py (one source and one Parquet file per day,
humans, returning visitors, crawlers every day, attackers), written once and kept. The build
runs as the real command in a child process; its wall time and peak memory are printed, with its
CPU time and the load average: on a busy machine the wall time says more about the neighbours
than about the build. bench/scale.py times the incremental build on the same kind of lake.
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
# Measure this checkout's code, whatever golkepar the interpreter may have installed.
sys.path.insert(0, str(ROOT / "src"))

from synthetic_lake import Traffic, write_lake  # noqa: E402 (needs the path above)

DAYS = 30


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--hits", type=int, default=5_000_000)
    parser.add_argument("--dir", type=Path, default=ROOT / "bench" / "work" / "warehouse")
    args = parser.parse_args()
    traffic = Traffic(hits_per_day=max(1, args.hits // DAYS))
    lake = args.dir / f"lake-{DAYS}x{traffic.hits_per_day}"
    if not (lake / "_manifest.json").exists():
        started = time.monotonic()
        hits = sum(day.hits for day in write_lake(lake, traffic, DAYS))
        print(f"wrote a {hits:,}-hit lake in {time.monotonic() - started:.1f} s: {lake}")
    env = {**os.environ, "PYTHONPATH": str(ROOT / "src")}
    command = [
        sys.executable,
        "-m",
        "golkepar",
        "build",
        "--lake",
        str(lake),
        "--duckdb-file",
        str(args.dir / "golkepar.duckdb"),
    ]
    started = time.monotonic()
    subprocess.run(command, check=True, env=env)
    seconds = time.monotonic() - started
    child = resource.getrusage(resource.RUSAGE_CHILDREN)
    peak_mib = child.ru_maxrss / 1024
    cpu_s = child.ru_utime + child.ru_stime
    load = os.getloadavg()[0]
    size_mib = (args.dir / "golkepar.duckdb").stat().st_size / 2**20
    print(
        f"golkepar build: {args.hits:,} hits in {seconds:.1f} s wall "
        f"({args.hits / seconds:,.0f} hits/s), {cpu_s:.1f} s CPU, peak RSS {peak_mib:,.0f} MiB, "
        f"database {size_mib:,.0f} MiB; {os.cpu_count()} cores, load average {load:.1f}"
    )


if __name__ == "__main__":
    main()
