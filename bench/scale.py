"""Scale run: build N days of a busy site, add one day, build incrementally, compare with full.

    python bench/scale.py [--days 30] [--hits-per-day 330000] [--dir bench/work/scale] [--keep]
    make bench-scale

Writes a synthetic lake (bench/synthetic_lake.py) of N days, then times, each as the real
`golkepar build` in a child process: (a) a full build of the N days, (b) one more day added to
the lake (written by this script as ingest writes a day: Parquet, then the manifest), (c) the
incremental build after it, (d) a `--full` build of the same N+1 days into another file. The
tables of (c) and (d) must be the same (each public table compared as a multiset, `build_info`
aside). Prints wall time, CPU time and peak memory of each step and the ratio incremental /
full; saves them as JSON in bench/results/. Note the load average: on a busy machine CPU time
and the ratio say more than wall time.
"""

from __future__ import annotations

import argparse
import json
import os
import platform
import resource
import shutil
import subprocess
import sys
import time
from dataclasses import asdict, dataclass
from datetime import UTC, datetime
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
SRC = ROOT / "src"
# Measure this checkout's code, whatever golkepar the interpreter may have installed.
sys.path.insert(0, str(SRC))

import duckdb  # noqa: E402 (after the path above, like the modules below)

from golkepar.lake.manifest import Manifest  # noqa: E402
from run import GNU_TIME, golkepar_env, measure  # noqa: E402
from synthetic_lake import DayFile, Traffic, write_day, write_lake  # noqa: E402

FULL_FLAG = "--full"
# Tables that differ between any two builds by design (when and how each build ran).
NOT_COMPARED = ("build_info",)
# What the harness's own queries may hold in memory; the comparison spills beyond.
HARNESS_MEMORY = "1GB"


@dataclass(frozen=True)
class Step:
    """One timed step of the run."""

    step: str
    status: str  # ok, failed
    wall_s: float | None = None
    cpu_s: float | None = None
    peak_rss_mib: float | None = None
    duckdb_mib: float | None = None
    note: str = ""


@dataclass(frozen=True)
class TableCheck:
    """One public table of the incremental build against the full one."""

    table: str
    incremental_rows: int | None
    full_rows: int | None
    only_incremental: int | None
    only_full: int | None
    note: str = ""

    @property
    def identical(self) -> bool:
        return not self.note and self.only_incremental == 0 == self.only_full


def has_full_flag(env: dict[str, str]) -> bool:
    """Whether this checkout's `golkepar build` takes `--full`."""
    help_text = subprocess.run(
        [sys.executable, "-m", "golkepar", "build", "--help"],
        capture_output=True, text=True, env=env, check=True,
    ).stdout  # fmt: skip
    return FULL_FLAG in help_text


def run_build(
    step: str, lake: Path, database: Path, flags: list[str], env: dict[str, str], work: Path
) -> Step:
    """`golkepar build` on `lake` into `database`, as a child process."""
    argv = [sys.executable, "-m", "golkepar", "-vv", "build", "--lake", str(lake)]
    argv += ["--duckdb-file", str(database), *flags]
    run, _, stderr = measure(step, argv, 0, env, work)
    # Each step's debug log (its model and phase timings) stays beside the databases.
    (work / f"{step.split(')')[0].strip('(')}-build.log").write_text(stderr)
    return Step(
        step=step,
        status=run.status,
        wall_s=run.wall_s,
        cpu_s=run.cpu_s,
        peak_rss_mib=run.peak_rss_mb,
        duckdb_mib=round(database.stat().st_size / 2**20, 1) if database.is_file() else None,
        note=" ".join(flags) if run.status == "ok" else run.note,
    )


def add_day(lake: Path, traffic: Traffic, day: int) -> tuple[Step, DayFile]:
    """Write one more day into the lake, in this process."""
    before = resource.getrusage(resource.RUSAGE_SELF)
    started = time.perf_counter()
    written = write_day(lake, traffic, day)
    wall = time.perf_counter() - started
    after = resource.getrusage(resource.RUSAGE_SELF)
    cpu = after.ru_utime + after.ru_stime - before.ru_utime - before.ru_stime
    step = Step(
        step=f"(b) add day {day + 1} to the lake",
        status="ok",
        wall_s=round(wall, 3),
        cpu_s=round(cpu, 3),
        note=f"{written.hits:,} hits, {written.date}; written by the harness, not timed as ingest",
    )
    return step, written


def touched_history(lake: Path, added: DayFile) -> tuple[int, int]:
    """Hits of the earlier days from an address (site, IP) the new day holds, and all of them.

    The incremental build recomputes the whole history of those addresses: its cost follows
    this share, which the traffic decides (crawlers that come every day from the same few
    addresses bring theirs back every day).
    """
    new = {str(path) for path in added.files}
    earlier = [str(path) for path in Manifest.load(lake).files("hits") if str(path) not in new]
    with duckdb.connect(config={"memory_limit": HARNESS_MEMORY}) as con:
        row = con.execute(
            "WITH new_addresses AS (SELECT DISTINCT site, ip FROM read_parquet(?)) "
            "SELECT count(*) FILTER (WHERE new_addresses.ip IS NOT NULL), count(*) "
            "FROM read_parquet(?) AS history "
            "LEFT JOIN new_addresses ON history.site = new_addresses.site "
            "AND history.ip = new_addresses.ip",
            [sorted(new), earlier],
        ).fetchone()
    return (int(row[0]), int(row[1])) if row else (0, 0)


def compare(incremental: Path, full: Path, spill: Path, exact: bool = False) -> list[TableCheck]:
    """Each public table of `incremental` against the same table of `full`, as multisets of
    rows: of whole rows when `exact`, else of each row's hash (a differing row then passes
    unseen only by a 64-bit collision).
    """
    spill.mkdir(parents=True, exist_ok=True)
    checks = []
    with duckdb.connect(str(incremental), read_only=True) as con:
        con.execute(f"SET memory_limit = '{HARNESS_MEMORY}'")
        con.execute("SET temp_directory = ?", [str(spill)])
        con.execute("SET enable_progress_bar = false")
        con.execute("ATTACH ? AS full_build (READ_ONLY)", [str(full)])
        tables = _public_tables(con, "incremental") | _public_tables(con, "full_build")
        for table in sorted(tables - set(NOT_COMPARED)):
            checks.append(_compare_table(con, table, exact))
    return checks


def _public_tables(con: duckdb.DuckDBPyConnection, catalog: str) -> set[str]:
    rows = con.execute(
        "SELECT table_name FROM information_schema.tables "
        "WHERE table_catalog = ? AND table_schema = 'main'",
        [catalog],
    ).fetchall()
    return {row[0] for row in rows}


def _columns(con: duckdb.DuckDBPyConnection, catalog: str, table: str) -> list[tuple[str, str]]:
    return [
        (row[0], row[1])
        for row in con.execute(
            "SELECT column_name, data_type FROM information_schema.columns "
            "WHERE table_catalog = ? AND table_schema = 'main' AND table_name = ? "
            "ORDER BY ordinal_position",
            [catalog, table],
        ).fetchall()
    ]


def _compare_table(con: duckdb.DuckDBPyConnection, table: str, exact: bool) -> TableCheck:
    mine = _columns(con, "incremental", table)
    theirs = _columns(con, "full_build", table)
    if not mine or not theirs:
        side = "incremental" if not theirs else "full"
        return TableCheck(table, None, None, None, None, f"only in the {side} build")
    if mine != theirs:
        return TableCheck(table, None, None, None, None, "columns differ")
    # Names are the database's own, quoted as identifiers.
    quoted = '"' + table.replace('"', '""') + '"'
    a, b = f"incremental.main.{quoted}", f"full_build.main.{quoted}"

    def count(sql: str) -> int:
        row = con.execute(sql).fetchone()
        return int(row[0]) if row else 0

    # A row, or its 64-bit hash: whole rows of 10M hits spill gigabytes and take minutes.
    row = "*" if exact else "hash(row_of_table)"
    rows_of = {side: f"SELECT {row} FROM {side} AS row_of_table" for side in (a, b)}
    return TableCheck(
        table=table,
        incremental_rows=count(f"SELECT count(*) FROM {a}"),
        full_rows=count(f"SELECT count(*) FROM {b}"),
        only_incremental=count(f"SELECT count(*) FROM ({rows_of[a]} EXCEPT ALL {rows_of[b]})"),
        only_full=count(f"SELECT count(*) FROM ({rows_of[b]} EXCEPT ALL {rows_of[a]})"),
    )


def print_table(steps: list[Step], ratio: dict[str, float | None]) -> None:
    header = ("step", "status", "wall s", "CPU s", "peak RSS MiB", "DuckDB MiB", "note")
    rows = [
        (
            s.step,
            s.status,
            _number(s.wall_s, "{:.1f}"),
            _number(s.cpu_s, "{:.1f}"),
            _number(s.peak_rss_mib, "{:,.0f}"),
            _number(s.duckdb_mib, "{:,.0f}"),
            s.note,
        )
        for s in steps
    ]
    rows.append(
        (
            "incremental / full: (c) / (d)",
            "",
            _number(ratio["wall"], "{:.3f}"),
            _number(ratio["cpu"], "{:.3f}"),
            _number(ratio["peak_rss"], "{:.2f}"),
            "",
            "",
        )
    )
    widths = [max(len(row[i]) for row in [header, *rows]) for i in range(len(header))]
    for row in [header, tuple("-" * w for w in widths), *rows]:
        print("  ".join(cell.ljust(width) for cell, width in zip(row, widths, strict=True)))


def _number(value: float | None, pattern: str) -> str:
    return "" if value is None else pattern.format(value)


def _ratio(part: float | None, whole: float | None) -> float | None:
    return round(part / whole, 4) if part is not None and whole else None


def machine() -> dict[str, object]:
    return {
        "cpus": os.cpu_count(),
        "memory_gib": round(os.sysconf("SC_PAGE_SIZE") * os.sysconf("SC_PHYS_PAGES") / 2**30, 1),
        "platform": platform.platform(),
        "python": platform.python_version(),
        "duckdb": duckdb.__version__,
        "peak_rss_from": "GNU time" if GNU_TIME else "wait4 (upper bound: includes the harness)",
    }


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0] if __doc__ else None)
    parser.add_argument("--days", type=int, default=30, help="days in the lake before (b)")
    parser.add_argument("--hits-per-day", type=int, default=330_000)
    parser.add_argument("--dir", type=Path, default=ROOT / "bench" / "work" / "scale")
    parser.add_argument("--results", type=Path, default=ROOT / "bench" / "results")
    parser.add_argument("--keep", action="store_true", help="keep the lake and the databases")
    parser.add_argument(
        "--exact-compare", action="store_true", help="compare whole rows, not their hashes"
    )
    args = parser.parse_args(argv)
    if args.days < 1 or args.hits_per_day < 1:
        parser.error("--days and --hits-per-day: give at least 1")

    work: Path = args.dir.resolve()
    lake, geoip = work / "lake", work / "geoip"
    incremental, full = work / "incremental.duckdb", work / "full.duckdb"
    shutil.rmtree(work, ignore_errors=True)
    geoip.mkdir(parents=True)
    env = golkepar_env(work)
    traffic = Traffic(args.hits_per_day)
    load_before = os.getloadavg()

    started = time.perf_counter()
    hits = sum(day.hits for day in write_lake(lake, traffic, args.days))
    generated_s = time.perf_counter() - started
    print(
        f"lake: {args.days} days x {args.hits_per_day:,} hits = {hits:,} hits, "
        f"{_folder_bytes(lake) / 2**20:,.0f} MiB, written in {generated_s:.1f} s; "
        f"{os.cpu_count()} cores, load average {load_before[0]:.1f}",
        flush=True,
    )

    full_flag = has_full_flag(env)
    flags = [FULL_FLAG] if full_flag else []
    if not full_flag:
        print(
            f"note: this checkout's `golkepar build` has no {FULL_FLAG}: every build below is a "
            "plain one, so (c) is a full rebuild too and the ratio is about 1",
            flush=True,
        )
    days = args.days
    steps = [run_build(f"(a) full build, {days} days", lake, incremental, flags, env, work)]
    _progress(steps[-1])
    added, added_day = add_day(lake, traffic, days)
    steps.append(added)
    _progress(steps[-1])
    touched, history = touched_history(lake, added_day)
    print(
        f"the new day's addresses hold {touched:,} of the {history:,} earlier hits "
        f"({touched / max(history, 1):.1%}): what (c) reads again",
        flush=True,
    )
    steps.append(
        run_build(f"(c) incremental build, {days + 1} days", lake, incremental, [], env, work)
    )
    _progress(steps[-1])
    steps.append(run_build(f"(d) full build, {days + 1} days", lake, full, flags, env, work))
    _progress(steps[-1])
    ratio = {
        "wall": _ratio(steps[2].wall_s, steps[3].wall_s),
        "cpu": _ratio(steps[2].cpu_s, steps[3].cpu_s),
        "peak_rss": _ratio(steps[2].peak_rss_mib, steps[3].peak_rss_mib),
    }

    checks: list[TableCheck] = []
    compare_s = None
    if all(step.status == "ok" for step in steps):
        started = time.perf_counter()
        checks = compare(incremental, full, work / "compare-spill", args.exact_compare)
        compare_s = round(time.perf_counter() - started, 1)
    load_after = os.getloadavg()
    print()
    print_table(steps, ratio)
    identical = bool(checks) and all(check.identical for check in checks)
    for check in checks:
        if not check.identical:
            print(
                f"differs: {check.table}: {check.incremental_rows} rows incremental, "
                f"{check.full_rows} full, {check.only_incremental} only in incremental, "
                f"{check.only_full} only in full {check.note}".rstrip()
            )
    if checks:
        verdict = "identical" if identical else "NOT identical"
        how = "whole rows" if args.exact_compare else "row hashes"
        print(
            f"(c) and (d): {len(checks)} tables and views compared as multisets of {how} "
            f"({', '.join(NOT_COMPARED)} aside): {verdict}; compared in {compare_s} s"
        )
    print(
        f"load average {load_before[0]:.1f} before, {load_after[0]:.1f} after; "
        f"harness peak RSS {resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024:,.0f} MiB"
    )

    stamp = datetime.now(UTC).strftime("%Y%m%dT%H%M%SZ")
    args.results.mkdir(parents=True, exist_ok=True)
    result_file = args.results / f"{stamp}-scale.json"
    result = {
        "when": stamp,
        "machine": machine(),
        "load_average_before": [round(x, 2) for x in load_before],
        "load_average_after": [round(x, 2) for x in load_after],
        "lake": {
            "days": args.days,
            "hits_per_day": args.hits_per_day,
            "hits": hits,
            "added_day_hits": added_day.hits,
            "earlier_hits_of_the_new_day_addresses": touched,
            "generated_s": round(generated_s, 1),
        },
        "full_flag": full_flag,
        "steps": [asdict(step) for step in steps],
        "ratio_incremental_to_full": ratio,
        "identical": identical,
        "compared": "whole rows" if args.exact_compare else "row hashes",
        "tables": [{**asdict(c), "identical": c.identical} for c in checks],
        "compare_s": compare_s,
        "harness_peak_rss_mib": round(resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024),
    }
    result_file.write_text(json.dumps(result, indent=2) + "\n")
    print(f"results: {result_file}")
    if not args.keep:
        shutil.rmtree(work, ignore_errors=True)
    return 0 if identical else 1


def _progress(step: Step) -> None:
    """A line as each step ends, so a long run killed half-way still tells what it measured."""
    rss = f", peak RSS {step.peak_rss_mib:,.0f} MiB" if step.peak_rss_mib is not None else ""
    print(
        f"{step.step}: {step.status}, {_number(step.wall_s, '{:.1f}')} s wall, "
        f"{_number(step.cpu_s, '{:.1f}')} s CPU{rss}",
        flush=True,
    )


def _folder_bytes(folder: Path) -> int:
    return sum(path.stat().st_size for path in folder.rglob("*") if path.is_file())


if __name__ == "__main__":
    sys.exit(main())
