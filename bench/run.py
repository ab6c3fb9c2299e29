"""Benchmark golkepar's ingest side by side with GoAccess, on one generated OVH log.

Usage: python bench/run.py [--lines 1000000] [--seed 0] [--results bench/results]
                           [--log-dir DIR] [--no-build]

Every tool reads the same gzip file. For each run: wall time, lines per second, CPU time and
peak resident memory of the process tree, printed as a table and saved as JSON.
"""

from __future__ import annotations

import argparse
import dataclasses
import importlib
import json
import os
import platform
import resource
import shutil
import subprocess
import sys
import tempfile
import time
from dataclasses import asdict, dataclass
from datetime import UTC, datetime
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
SRC = ROOT / "src"
# Measure this checkout's code, whatever golkepar the interpreter may have installed.
sys.path.insert(0, str(SRC))

from golkepar.sample import (  # noqa: E402 (needs the path above)
    SAMPLE_NETWORKS,
    BenchLog,
    write_bench_log,
)

# OVH's line is `%h %V %u %t "%r" %>s %b "%{Referer}i" "%{User-Agent}i"`; GoAccess 1.7 spells it:
GOACCESS_FORMAT = '%h %v %^ [%d:%t %^] "%r" %s %b "%R" "%u"'
GOACCESS_INSTALL = "install it with `apt-get install -y goaccess` (Debian/Ubuntu) to compare"
SITE = "example.com"
GNU_TIME = "/usr/bin/time" if Path("/usr/bin/time").is_file() else None
# `golkepar` answers with this exit code for a stage this checkout does not have yet.
EXIT_NOT_AVAILABLE = 64
EXIT_USAGE = 2


@dataclass(frozen=True)
class Run:
    """One tool's pass over the log."""

    tool: str
    status: str  # ok, failed, skipped, not available
    wall_s: float | None = None
    cpu_s: float | None = None
    peak_rss_mb: float | None = None
    lines_seen: int | None = None
    lines_per_s: float | None = None
    exit_code: int | None = None
    note: str = ""


def measure(
    tool: str, argv: list[str], lines: int, env: dict[str, str] | None = None, cwd: Path = ROOT
) -> tuple[Run, str, str]:
    """Run `argv`, timing it and reading its own resource usage (not the harness's)."""
    with (
        tempfile.TemporaryFile() as out,
        tempfile.TemporaryFile() as err,
        tempfile.NamedTemporaryFile(mode="r") as rss,
    ):
        # A child forked from this Python process starts with its memory counted as its own
        # peak; GNU time forks the command from a tiny process instead, so its %M is exact.
        wrapper = [GNU_TIME, "-f", "%M", "-o", rss.name] if GNU_TIME else []
        start = time.perf_counter()
        child = subprocess.Popen([*wrapper, *argv], stdout=out, stderr=err, env=env, cwd=cwd)
        # wait4 gives this child's usage, including the children it waited for (a pipeline).
        _, status, usage = os.wait4(child.pid, 0)
        wall = time.perf_counter() - start
        child.returncode = os.waitstatus_to_exitcode(status)
        out.seek(0)
        err.seek(0)
        stdout = out.read().decode(errors="replace")
        stderr = err.read().decode(errors="replace")
        reported = rss.read().split()
    # Linux counts in kibibytes; without GNU time, wait4's figure is an upper bound.
    peak_kib = int(reported[-1]) if reported and reported[-1].isdigit() else usage.ru_maxrss
    run = Run(
        tool=tool,
        status="ok" if child.returncode == 0 else "failed",
        wall_s=round(wall, 3),
        cpu_s=round(usage.ru_utime + usage.ru_stime, 3),
        peak_rss_mb=round(peak_kib / 1024, 1),
        lines_per_s=round(lines / wall) if wall > 0 else None,
        exit_code=child.returncode,
        note="" if child.returncode == 0 else _last_line(stderr) or f"exit {child.returncode}",
    )
    return run, stdout, stderr


def _last_line(text: str) -> str:
    lines = [line for line in text.strip().splitlines() if line.strip()]
    return lines[-1][:200] if lines else ""


def run_floor(log: BenchLog) -> Run:
    """`zcat | wc -l`: decompressing and counting lines, the least any tool must do."""
    argv = ["sh", "-c", 'zcat -- "$1" | wc -l', "sh", str(log.path)]
    run, stdout, _ = measure("zcat | wc -l", argv, log.lines)
    seen = int(stdout.strip()) if stdout.strip().isdigit() else None
    return dataclasses.replace(run, lines_seen=seen)


def run_goaccess(log: BenchLog, work: Path) -> Run:
    """GoAccess 1.7 cannot open gzip itself: it reads the same decompressed stream on stdin."""
    goaccess = shutil.which("goaccess")
    if goaccess is None:
        return Run("goaccess", "skipped", note=f"goaccess not found: {GOACCESS_INSTALL}")
    report = work / "goaccess.json"
    script = (
        'zcat -- "$1" | "$2" - --no-global-config --log-format="$3" --date-format=%d/%b/%Y '
        '--time-format=%H:%M:%S -o "$4"'
    )
    argv = ["sh", "-c", script, "sh", str(log.path), goaccess, GOACCESS_FORMAT, str(report)]
    run, _, _ = measure("goaccess", argv, log.lines)
    if run.status != "ok" or not report.is_file():
        return run
    # GoAccess copies the log's raw bytes into its JSON, so it may not be valid UTF-8.
    general = json.loads(report.read_bytes().decode(errors="replace"))["general"]
    note = f"{general['failed_requests']} lines failed to parse"
    return dataclasses.replace(run, lines_seen=int(general["valid_requests"]), note=note)


def write_geoip(folder: Path) -> str:
    """City and ASN databases of the sample networks, so ingest enriches as it would for real.

    Returns a note when this checkout has no GeoIP writer (ingest then runs without them).
    """
    try:
        writer = importlib.import_module("golkepar.geoip.writer")
    except ImportError:
        return "no GeoIP writer in this checkout: ingest ran without GeoIP databases"
    for kind in ("city", "asn"):
        writer.write_mmdb(folder / f"sample-{kind}.mmdb", SAMPLE_NETWORKS, kind)
    return ""


def golkepar_env(work: Path) -> dict[str, str]:
    """The environment of a golkepar child: this checkout's code, paths inside `work`."""
    env = {k: v for k, v in os.environ.items() if not k.startswith(("OVH_", "MAXMIND_", "GEOIP_"))}
    env.update(
        PYTHONPATH=str(SRC),
        OVH_STATS_ACCOUNT_NAME=SITE,
        IP_PATH_BASE=str(work / "geoip"),
        LOG_PATH_BASE=str(work),
        PARQUET_PATH_BASE=str(work / "lake"),
        DUCKDB_FILE=str(work / "golkepar.duckdb"),
    )
    return env


def run_golkepar(stage: str, argv: list[str], log: BenchLog, work: Path) -> Run:
    """A golkepar stage, or a clear "not available" when this checkout does not have it yet."""
    command = [sys.executable, "-m", "golkepar", *argv]
    run, _, stderr = measure(f"golkepar {stage}", command, log.lines, golkepar_env(work), work)
    # A stub stage exits with its own code; an older CLI refuses the options (a usage error).
    if run.exit_code == EXIT_NOT_AVAILABLE or (run.exit_code == EXIT_USAGE and "option" in stderr):
        return Run(run.tool, "not available", note=_last_line(stderr))
    manifest = work / "lake" / "_manifest.json"
    if stage == "ingest" and run.status == "ok" and manifest.is_file():
        sources = json.loads(manifest.read_text()).get("sources", {}).values()
        hits = sum(int(source.get("hits", 0)) for source in sources)
        run = dataclasses.replace(run, lines_seen=hits)
    return run


def bench_log(folder: Path, lines: int, seed: int) -> tuple[BenchLog, float]:
    """The log of `lines` and `seed` in `folder`, written unless a previous run left it there
    (with its description beside it), and the seconds spent writing it (0 when reused)."""
    path = folder / f"{SITE}-bench-{lines}-{seed}.log.gz"
    described = path.with_name(path.name + ".json")
    if path.is_file() and described.is_file():
        fields = json.loads(described.read_text())
        return BenchLog(path=path, **fields), 0.0
    folder.mkdir(parents=True, exist_ok=True)
    start = time.perf_counter()
    log = write_bench_log(path, lines, seed, SITE)
    generated_s = time.perf_counter() - start
    fields = {
        "lines": log.lines,
        "rejects": log.rejects,
        "uncompressed_bytes": log.uncompressed_bytes,
    }
    described.write_text(json.dumps(fields) + "\n")
    return log, generated_s


def print_table(log: BenchLog, generated_s: float, runs: list[Run]) -> None:
    size_mb = log.path.stat().st_size / 2**20
    print(
        f"log: {log.lines:,} lines, {log.uncompressed_bytes / 2**20:,.0f} MiB "
        f"({size_mb:,.0f} MiB gzip), {log.rejects} invalid lines; "
        + (f"generated in {generated_s:.1f} s" if generated_s else f"reused {log.path}")
    )
    header = ("tool", "status", "wall s", "lines/s", "CPU s", "peak RSS MiB", "lines seen", "note")
    rows = [
        (
            run.tool,
            run.status,
            _number(run.wall_s, "{:.2f}"),
            _number(run.lines_per_s, "{:,.0f}"),
            _number(run.cpu_s, "{:.2f}"),
            _number(run.peak_rss_mb, "{:,.1f}"),
            _number(run.lines_seen, "{:,}"),
            run.note,
        )
        for run in runs
    ]
    widths = [max(len(row[i]) for row in [header, *rows]) for i in range(len(header))]
    for row in [header, tuple("-" * w for w in widths), *rows]:
        print("  ".join(cell.ljust(width) for cell, width in zip(row, widths, strict=True)))


def _number(value: float | None, pattern: str) -> str:
    return "" if value is None else pattern.format(value)


def machine() -> dict[str, object]:
    goaccess = shutil.which("goaccess")
    version = ""
    if goaccess:
        version = _last_line(
            subprocess.run(
                [goaccess, "--version"], capture_output=True, text=True, check=False
            ).stdout.splitlines()[0]
        )
    return {
        "cpus": os.cpu_count(),
        "platform": platform.platform(),
        "python": platform.python_version(),
        "goaccess": version,
        "peak_rss_from": "GNU time" if GNU_TIME else "wait4 (upper bound: includes the harness)",
    }


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0] if __doc__ else None)
    parser.add_argument("--lines", type=int, default=1_000_000, help="lines in the generated log")
    parser.add_argument("--seed", type=int, default=0, help="seed of the generated log")
    parser.add_argument("--results", type=Path, default=ROOT / "bench" / "results")
    parser.add_argument("--no-build", action="store_true", help="skip timing `golkepar build`")
    parser.add_argument(
        "--log-dir",
        type=Path,
        help="keep the generated log here and reuse it on the next run with the same --lines "
        "and --seed (50M lines take minutes to write); default: a temporary folder",
    )
    args = parser.parse_args(argv)
    if args.lines < 1:
        parser.error(f"--lines {args.lines}: give at least 1")

    with tempfile.TemporaryDirectory(prefix="golkepar-bench-") as folder:
        work = Path(folder)
        log, generated_s = bench_log(args.log_dir or work, args.lines, args.seed)
        runs = [run_floor(log), run_goaccess(log, work)]
        geoip_note = write_geoip(work / "geoip")
        ingest_argv = ["ingest", str(log.path), "--site", SITE, "--log-format", "ovh"]
        ingest_argv += ["--lake", str(work / "lake"), "--geoip-dir", str(work / "geoip")]
        ingest = run_golkepar("ingest", ingest_argv, log, work)
        if geoip_note and ingest.status == "ok":
            ingest = dataclasses.replace(ingest, note=geoip_note)
        runs.append(ingest)
        if ingest.status == "ok" and not args.no_build:
            runs.append(run_golkepar("build", ["build"], log, work))
        print_table(log, generated_s, runs)
        for run in runs:
            if run.status == "skipped":
                print(f"note: {run.tool} skipped: {run.note}")

    stamp = datetime.now(UTC).strftime("%Y%m%dT%H%M%SZ")
    args.results.mkdir(parents=True, exist_ok=True)
    result_file = args.results / f"{stamp}.json"
    result = {
        "when": stamp,
        "machine": machine(),
        "log": {
            "lines": log.lines,
            "rejects": log.rejects,
            "uncompressed_bytes": log.uncompressed_bytes,
            "seed": args.seed,
            "generated_s": round(generated_s, 3),
        },
        "runs": [asdict(run) for run in runs],
        "self_rss_mb": round(resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024, 1),
    }
    result_file.write_text(json.dumps(result, indent=2) + "\n")
    print(f"results: {result_file}")
    return 0 if all(run.status != "failed" for run in runs) else 1


if __name__ == "__main__":
    sys.exit(main())
