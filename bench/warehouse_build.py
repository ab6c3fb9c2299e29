"""Time `golkepar build` on a large synthetic lake (default 5 million hits over 30 days).

    python bench/warehouse_build.py [--hits 5000000] [--dir bench/work/warehouse]

The lake is written with DuckDB in the layout of docs/lake.md (one Parquet file per day, a
manifest listing them): 40,000 visitors, a fifth of the hits from crawlers, a few hundred
attacking addresses. The build runs as the real command in a child process; its wall time and
peak memory are printed, with its CPU time and the load average: on a busy machine the wall time
says more about the neighbours than about the build.
"""

from __future__ import annotations

import argparse
import json
import os
import resource
import subprocess
import sys
import time
from pathlib import Path

import duckdb

ROOT = Path(__file__).resolve().parents[1]
DAYS = 30

# One row per hit, from a row number `n`; $hits and $days are bound.
SYNTHETIC_HITS = """
-- Visits of 15 hits, 20 seconds apart, each by one of 40,000 visitors at a random time.
with numbered as (
    select
        n,
        hash(n) as h,
        (hash(n // 15) % 40000)::integer as visitor,
        (hash(n // 15 * 3) % ($days * 86400))::bigint * 1000000 + (n % 15) * 20000000 as offset_us
    from range($hits) as r(n)
),
shaped as (
    select
        *,
        visitor % 100 < 20 as crawler,
        visitor % 1000 < 8 as attacker,
        h % 100 as dice
    from numbered
)
select
    'example.com' as site,
    'example.com' as vhost,
    timestamptz '2026-10-01 00:00:00+00' + to_microseconds(offset_us) as ts,
    60::smallint as utc_offset_min,
    (timestamp '2026-10-01 01:00:00' + to_microseconds(offset_us))::date as local_date,
    concat('10.', visitor // 65536, '.', (visitor // 256) % 256, '.', visitor % 256) as ip,
    md5(concat(visitor, '/ua')) as visitor_key,
    null::varchar as remote_user,
    null::varchar as request,
    case when attacker and dice < 10 then 'POST' else 'GET' end as method,
    case
        when attacker and dice < 10 then '/wp-login.php'
        when attacker and dice < 40 then '/.env'
        when not crawler and dice < 45 then concat('/wp-content/themes/site/', h % 200, '.css')
        else concat('/page/', h % 5000)
    end as path,
    case
        when attacker and dice >= 40 and dice < 60
            then concat('id=', h % 100, '%27+union+select+1,2')
        when dice > 90 then concat('s=', h % 1000, '+and+more')
    end as query,
    'HTTP/1.1' as protocol,
    (case when dice between 80 and 84 then 404 when dice between 85 and 94 then 304 else 200 end)
        ::smallint as status,
    (h % 50000)::bigint as bytes,
    null::bigint as bytes_in,
    null::bigint as response_time_us,
    case when dice < 30 then 'https://www.google.com/' end as referer,
    case
        when crawler then 'Mozilla/5.0 (compatible; Googlebot/2.1; +http://www.google.com/bot.html)'
        else concat('Mozilla/5.0 (Windows NT 10.0) Chrome/', 100 + visitor % 30, '.0 Safari/537.36')
    end as user_agent,
    null::varchar as extra,
    not crawler and not attacker and dice < 45 as is_asset,
    not (not crawler and not attacker and dice < 45) and dice < 80 and not (attacker and dice < 60)
        as is_page,
    case when crawler then 'Googlebot' else 'Chrome' end as browser,
    null::varchar as browser_version,
    'Windows' as os,
    case when crawler then 'bot' else 'desktop' end as device,
    crawler as is_bot,
    case when crawler then 'Googlebot' end as bot_name,
    'FR' as country_code,
    null::varchar as region,
    null::varchar as city,
    null::double as latitude,
    null::double as longitude,
    16276::bigint as asn,
    'OVH SAS' as as_org,
    'access/example.com.log.gz' as source_file,
    (n + 1)::bigint as source_line
from shaped
"""


def make_lake(lake: Path, hits: int) -> None:
    """Write `hits` synthetic hits as one Parquet file per local day, and the manifest."""
    lake.mkdir(parents=True, exist_ok=True)
    con = duckdb.connect()
    con.execute("SET TimeZone = 'UTC'")
    con.execute("CREATE TABLE synthetic AS " + SYNTHETIC_HITS, {"hits": hits, "days": DAYS})
    days = [
        row[0]
        for row in con.execute("SELECT DISTINCT local_date FROM synthetic ORDER BY 1").fetchall()
    ]
    outputs = []
    for day in days:
        relative = f"hits/site=example.com/date={day.isoformat()}/0123456789ab-1.parquet"
        (lake / relative).parent.mkdir(parents=True, exist_ok=True)
        con.table("synthetic").filter(
            duckdb.ColumnExpression("local_date") == duckdb.ConstantExpression(day)
        ).write_parquet(str(lake / relative), compression="zstd")
        outputs.append(relative)
    manifest = {
        "version": 1,
        "sources": {
            "access/example.com.log.gz": {
                "source_id": "0123456789ab",
                "generation": 1,
                "kind": "access",
                "site": "example.com",
                "log_date": None,
                "live": False,
                "superseded": False,
                "size": 0,
                "mtime_ns": 0,
                "sha256": "",
                "format": "ovh",
                "lines": hits,
                "hits": hits,
                "rejects": 0,
                "outputs": {"hits": outputs, "errors": [], "rejects": []},
                "ingested_at": "2026-11-28T10:00:00+00:00",
            }
        },
    }
    (lake / "_manifest.json").write_text(json.dumps(manifest, indent=1))
    con.close()


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--hits", type=int, default=5_000_000)
    parser.add_argument("--dir", type=Path, default=ROOT / "bench" / "work" / "warehouse")
    args = parser.parse_args()
    lake = args.dir / f"lake-{args.hits}"
    if not (lake / "_manifest.json").exists():
        started = time.monotonic()
        make_lake(lake, args.hits)
        print(f"wrote a {args.hits:,}-hit lake in {time.monotonic() - started:.1f} s: {lake}")
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
