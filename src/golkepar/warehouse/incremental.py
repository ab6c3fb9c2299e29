"""Incremental builds: what changed since the previous build, and which rows that touches.

Each build records the lake files it read (the `lake_files` table) and a fingerprint of all else
its tables depend on (`build_info`). The next build compares. When only lake files changed, it
starts from a copy of the previous database and recomputes the part the changed files can
change: each changed visitor from their first change (or from the start of the visit it may
join), their earlier figures carried over from their previous rows; every hit of an address
when that is not enough (a new address, login bursts, hits only taken out, search-bot claims
when the crawler ranges changed). A class changed by today's hits is carried to the earlier
rows. The marts that add up many visitors (daily traffic, bots...) are computed again from the
merged tables. Anything else (new patterns or settings, a new golkepar, the site answering a
new host name, most of the lake replaced) is a full build, and the summary says why.
docs/warehouse.md explains.
"""

from __future__ import annotations

import hashlib
import json
import logging
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import duckdb

from golkepar.warehouse.lake import DATASETS, LakeFiles
from golkepar.warehouse.previous import BuiltFrom, LakeFile
from golkepar.warehouse.searchbots import SearchBotRanges

log = logging.getLogger(__name__)

# Above this share of the lake's hit files new or replaced, recomputing their addresses would
# cost about as much as a full build: build in full.
FULL_BUILD_CHANGED_SHARE = 0.5

# Past this share of the days changed, the per-day marts are computed whole.
FEW_DAYS_SHARE = 0.5

FULL = "full"
INCREMENTAL = "incremental"
UP_TO_DATE = "up to date"


@dataclass(frozen=True)
class BuildPlan:
    """How this build runs: `full`, `incremental` (from a copy of the previous database) or
    `up to date` (nothing changed: the previous database stays), and why."""

    mode: str
    reason: str
    # What an incremental build reads anew.
    added: tuple[LakeFile, ...] = ()
    changed_sources: frozenset[str] = frozenset()
    search_bot_ranges_changed: bool = False
    previous_site_hosts: frozenset[tuple[str, str]] = field(default_factory=frozenset)


def lake_files_of(lake: LakeFiles) -> frozenset[LakeFile]:
    """The files the lake lists now, with their size and time, by absolute path: the same lake
    named `data/lake` or `/srv/site/data/lake` is the same files."""
    files = set()
    for dataset in DATASETS:
        for path in lake.of(dataset):
            stat = path.stat()
            files.add(
                LakeFile(
                    dataset,
                    str(path.resolve()),
                    lake.source_of.get(path, ""),
                    stat.st_size,
                    stat.st_mtime_ns,
                )
            )
    return frozenset(files)


def fingerprint(parts: Mapping[str, Any]) -> str:
    """A digest of everything besides the lake that the tables depend on."""
    text = json.dumps(parts, sort_keys=True, default=str)
    return hashlib.sha256(text.encode()).hexdigest()


def search_bot_ranges_digest(ranges: Iterable[SearchBotRanges]) -> str:
    return fingerprint(
        {r.bot: [r.claim_pattern, *sorted(str(n) for n in r.networks)] for r in ranges}
    )


def plan_build(
    target: Path,
    built_from: BuiltFrom | None,
    lake: LakeFiles,
    build_fingerprint: str,
    ranges_digest: str,
    full: bool,
) -> BuildPlan:
    """Compare the lake and the build's inputs with what built the database in `target`
    (`built_from`, read from it by `previous.read_previous`)."""
    if full:
        return BuildPlan(FULL, "a full build was asked for")
    if not target.is_file():
        return BuildPlan(FULL, "there is no previous warehouse")
    if target.with_name(f"{target.name}.wal").exists():
        return BuildPlan(
            FULL, "the previous warehouse has a write-ahead log left by another program"
        )
    if built_from is None:
        return BuildPlan(FULL, "the previous warehouse does not record what it was built from")
    if built_from.fingerprint != build_fingerprint:
        return BuildPlan(
            FULL, "golkepar, its models or patterns, or the build settings changed since"
        )
    current = lake_files_of(lake)
    added = current - built_from.files
    removed = built_from.files - current
    ranges_changed = built_from.ranges_digest != ranges_digest
    if not added and not removed and not ranges_changed:
        return BuildPlan(UP_TO_DATE, "no lake file and no crawler range changed")
    changed = {f.source_file for f in added | removed}
    hit_files = sum(1 for f in current if f.dataset == "hits")
    changed_hit_files = sum(1 for f in added if f.dataset == "hits")
    if hit_files and changed_hit_files > FULL_BUILD_CHANGED_SHARE * hit_files:
        return BuildPlan(FULL, f"{changed_hit_files} of the lake's {hit_files} hit files are new")
    what = f"{len(added)} new and {len(removed)} replaced lake files"
    if ranges_changed:
        what += ", new crawler ranges"
    return BuildPlan(
        INCREMENTAL,
        what,
        added=tuple(sorted(added, key=lambda f: (f.dataset, f.path))),
        changed_sources=frozenset(changed),
        search_bot_ranges_changed=ranges_changed,
        previous_site_hosts=built_from.site_hosts,
    )


# A returning visitor's figures before the part an incremental build recomputes (their rows
# from `recomputed_from`, the start of their last visit, on). Empty in a full build.
VISITOR_HISTORY_TABLE = """
CREATE TEMP TABLE visitor_history (
    site VARCHAR, visitor_key VARCHAR, recomputed_from TIMESTAMPTZ, visits_before BIGINT,
    first_seen TIMESTAMPTZ, hits BIGINT, pageviews BIGINT, asset_hits BIGINT, bytes BIGINT,
    fast_minutes BIGINT, authenticated_hits BIGINT, admin_area_hits BIGINT, login_hits BIGINT,
    robots_hits BIGINT, security_events BIGINT, security_kinds VARCHAR[]
)
"""

# The hits an incremental build reads from the lake: every hit of the addresses it recomputes
# whole, and the returning visitors' hits from their last visit on. One scan of the lake (a
# union of the two read it twice).
SCOPED_HITS = """
SELECT lake_every_hit.* FROM lake_every_hit
LEFT JOIN build_returning_visitors AS returner
    ON lake_every_hit.site = returner.site
    AND lake_every_hit.visitor_key = returner.visitor_key
WHERE lake_every_hit.ts >= returner.recomputed_from
    OR (lake_every_hit.site, lake_every_hit.ip) IN (SELECT site, ip FROM build_whole_addresses)
"""


def create_scope(
    con: duckdb.DuckDBPyConnection,
    database: str,
    plan: BuildPlan,
    ranges: tuple[SearchBotRanges, ...],
    parameters: Mapping[str, Any],
) -> None:
    """The temporary tables that say what this build recomputes, from the previous tables in
    `database`:

    - `build_changed_sources`: source files with new or replaced lake files;
    - `build_changed_visitors`: each visitor with hits added or taken out, and the instant of
      the earliest of them;
    - `build_whole_addresses` (site, IP): addresses recomputed from their first hit: new ones,
      those with a login POST among the changed hits or a past login burst (bursts are counted
      per address), those with a visitor whose hits were only taken out, and, when the crawler
      ranges changed, every address that claimed or claims a search bot;
    - `build_scope_visitors`: the previous build's visitors of those addresses;
    - `build_returning_visitors`: the other changed visitors, each recomputed from their
      earliest change when it begins a visit of its own, else from the start of the visit it
      falls in or follows (`recomputed_from`), their past in `visitor_history`.
    """
    con.execute("CREATE TEMP TABLE build_changed_sources (source_file VARCHAR)")
    if plan.changed_sources:
        con.executemany(
            "INSERT INTO build_changed_sources VALUES (?)",
            [(source,) for source in sorted(plan.changed_sources)],
        )
    con.execute(
        "CREATE TEMP TABLE build_added_hits (site VARCHAR, ip VARCHAR, visitor_key VARCHAR, "
        "ts TIMESTAMPTZ, method VARCHAR, path VARCHAR)"
    )
    added_hits = [f.path for f in plan.added if f.dataset == "hits"]
    if added_hits:
        con.register(
            "build_added_hit_files",
            con.read_parquet(added_hits, hive_partitioning=False, union_by_name=True).select(
                "site", "ip", "visitor_key", "ts", "method", "path"
            ),
        )
        con.execute("INSERT INTO build_added_hits SELECT * FROM build_added_hit_files")
    con.execute(
        _CHANGED_VISITORS.format(database=database),
        {"wp_login_path": parameters["wp_login_path"]},
    )
    claims = "|".join(f"(?:{r.claim_pattern})" for r in ranges) or "$^"
    con.execute(
        _WHOLE_ADDRESSES.format(database=database),
        {"ranges_changed": plan.search_bot_ranges_changed, "claims": claims},
    )
    con.execute(
        "CREATE TEMP TABLE build_scope_visitors AS "
        f"SELECT site, visitor_key FROM {database}.main.visitors "
        "WHERE (site, ip) IN (SELECT site, ip FROM build_whole_addresses)"
    )
    con.execute(
        _RETURNING_VISITORS.format(database=database),
        {"session_idle_minutes": parameters["session_idle_minutes"]},
    )
    con.execute(VISITOR_HISTORY_TABLE)
    con.execute(
        _VISITOR_HISTORY.format(database=database),
        {
            name: parameters[name]
            for name in ("bot_pages_per_minute", "admin_area", "admin_area_public", "wp_login_path")
        },
    )
    log.info(
        "recomputing %d addresses whole and %d returning visitors from their first change",
        _count(con, "build_whole_addresses"),
        _count(con, "build_returning_visitors"),
    )


_CHANGED_VISITORS = """
CREATE TEMP TABLE build_changed_visitors AS
WITH changed_hits AS (
    SELECT site, ip, visitor_key, ts, method, path, true AS added FROM build_added_hits
    UNION ALL
    SELECT site, ip, visitor_key, ts, method, path, false AS added
    FROM {database}.main.hits
    WHERE source_file IN (SELECT source_file FROM build_changed_sources)
)
SELECT
    site,
    ip,
    visitor_key,
    min(ts) AS first_change,
    bool_or(added) AS hits_added,
    bool_or(method = 'POST' AND regexp_matches(path, $wp_login_path)) AS login_posts
FROM changed_hits
GROUP BY site, ip, visitor_key
"""

_WHOLE_ADDRESSES = """
CREATE TEMP TABLE build_whole_addresses AS
WITH known AS (
    SELECT DISTINCT site, ip
    FROM {database}.main.visitors
    WHERE (site, ip) IN (SELECT site, ip FROM build_changed_visitors)
),
login_bursts AS (
    SELECT DISTINCT site, ip
    FROM {database}.main.security_events
    WHERE kind = 'wp_login_bruteforce'
)
SELECT site, ip
FROM build_changed_visitors
WHERE
    (site, ip) NOT IN (SELECT site, ip FROM known)
    OR login_posts
    OR NOT hits_added
    OR (site, ip) IN (SELECT site, ip FROM login_bursts)
UNION
SELECT site, ip FROM {database}.main.visitors
WHERE $ranges_changed AND (verified_bot IS NOT NULL OR regexp_matches(user_agent, $claims))
"""

_RETURNING_VISITORS = """
CREATE TEMP TABLE build_returning_visitors AS
WITH changed AS (
    SELECT site, visitor_key, first_change
    FROM build_changed_visitors
    WHERE (site, ip) NOT IN (SELECT site, ip FROM build_whole_addresses)
),
-- The last visit that began at or before the first change.
last_visits AS (
    SELECT
        changed.site,
        changed.visitor_key,
        changed.first_change,
        max(visits.started_at) AS started_at,
        arg_max(visits.ended_at, visits.started_at) AS ended_at
    FROM changed
    LEFT JOIN {database}.main.visits AS visits
        ON changed.site = visits.site
        AND changed.visitor_key = visits.visitor_key
        AND visits.started_at <= changed.first_change
    GROUP BY changed.site, changed.visitor_key, changed.first_change
)
-- A change more than the idle gap after that visit's last hit begins a visit of its own: the
-- visits before it keep their hits (the daily case: a visitor back today). Otherwise the change
-- may join that visit: recomputed from its start. A visitor new at a known address (another
-- User-Agent), or changed before their first visit, is recomputed from the beginning.
SELECT
    site,
    visitor_key,
    CASE
        WHEN started_at IS NULL THEN '-infinity'::TIMESTAMPTZ
        WHEN first_change - ended_at > to_minutes($session_idle_minutes) THEN first_change
        ELSE started_at
    END AS recomputed_from
FROM last_visits
"""

# Each returning visitor's figures before `recomputed_from`: their previous row, less what their
# rows from then on counted (recomputed now, with the change).
_VISITOR_HISTORY = """
INSERT INTO visitor_history
WITH returner AS (
    SELECT * FROM build_returning_visitors WHERE recomputed_from > '-infinity'::TIMESTAMPTZ
),
replaced_hits AS (
    SELECT
        hits.*,
        admin_evidence(
            hits.remote_user,
            hits.method,
            hits.path,
            hits.query,
            hits.status,
            hits.is_asset,
            $admin_area,
            $admin_area_public,
            $wp_login_path
        ) AS evidence
    FROM {database}.main.hits AS hits
    INNER JOIN returner
        ON hits.site = returner.site
        AND hits.visitor_key = returner.visitor_key
        AND hits.ts >= returner.recomputed_from
    WHERE hits.ts >= (SELECT min(recomputed_from) FROM returner)
),
replaced AS (
    SELECT
        site,
        visitor_key,
        count(*) AS hits,
        count(*) FILTER (WHERE is_page) AS pageviews,
        count(*) FILTER (WHERE is_asset) AS asset_hits,
        coalesce(sum(bytes), 0) AS bytes,
        count(*) FILTER (WHERE evidence.authenticated) AS authenticated_hits,
        count(*) FILTER (WHERE evidence.admin_area) AS admin_area_hits,
        count(*) FILTER (WHERE evidence.logged_in) AS login_hits,
        count(*) FILTER (WHERE path = '/robots.txt') AS robots_hits
    FROM replaced_hits
    GROUP BY site, visitor_key
),
replaced_fast_minutes AS (
    SELECT site, visitor_key, count(*) AS fast_minutes
    FROM (
        SELECT site, visitor_key, epoch(ts)::BIGINT // 60 AS minute
        FROM replaced_hits
        WHERE is_page
        GROUP BY site, visitor_key, minute
        HAVING count(*) >= $bot_pages_per_minute
    )
    GROUP BY site, visitor_key
),
earlier_visits AS (
    SELECT visits.site, visits.visitor_key, count(*) AS visits
    FROM {database}.main.visits AS visits
    INNER JOIN returner
        ON visits.site = returner.site
        AND visits.visitor_key = returner.visitor_key
        AND visits.started_at < returner.recomputed_from
    GROUP BY visits.site, visits.visitor_key
),
earlier_events AS (
    SELECT events.site, events.visitor_key, count(*) AS events, list(DISTINCT events.kind) AS kinds
    FROM {database}.main.security_events AS events
    INNER JOIN returner
        ON events.site = returner.site
        AND events.visitor_key = returner.visitor_key
        AND events.ts < returner.recomputed_from
    GROUP BY events.site, events.visitor_key
)
SELECT
    visitors.site,
    visitors.visitor_key,
    returner.recomputed_from,
    coalesce(earlier_visits.visits, 0),
    visitors.first_seen,
    visitors.hits - coalesce(replaced.hits, 0),
    visitors.pageviews - coalesce(replaced.pageviews, 0),
    visitors.asset_hits - coalesce(replaced.asset_hits, 0),
    visitors.bytes - coalesce(replaced.bytes, 0),
    visitors.fast_minutes - coalesce(replaced_fast_minutes.fast_minutes, 0),
    visitors.authenticated_hits - coalesce(replaced.authenticated_hits, 0),
    visitors.admin_area_hits - coalesce(replaced.admin_area_hits, 0),
    visitors.login_hits - coalesce(replaced.login_hits, 0),
    visitors.robots_hits - coalesce(replaced.robots_hits, 0),
    coalesce(earlier_events.events, 0),
    coalesce(earlier_events.kinds, [])
FROM {database}.main.visitors AS visitors
INNER JOIN returner
    ON visitors.site = returner.site AND visitors.visitor_key = returner.visitor_key
LEFT JOIN replaced
    ON visitors.site = replaced.site AND visitors.visitor_key = replaced.visitor_key
LEFT JOIN replaced_fast_minutes
    ON visitors.site = replaced_fast_minutes.site
    AND visitors.visitor_key = replaced_fast_minutes.visitor_key
LEFT JOIN earlier_visits
    ON visitors.site = earlier_visits.site AND visitors.visitor_key = earlier_visits.visitor_key
LEFT JOIN earlier_events
    ON visitors.site = earlier_events.site AND visitors.visitor_key = earlier_events.visitor_key
"""


def merge_scoped(
    con: duckdb.DuckDBPyConnection, database: str, marts: Iterable[tuple[str, str, str | None]]
) -> dict[str, int]:
    """Replace the previous rows of each (mart, scope, recomputed_from column) in `database` by
    the temporary table of the same name, then drop it; returns how many rows went in, by mart.

    A returning visitor whose class changed has it changed in their earlier rows too. The
    (site, local_date) of every row taken out, put in or changed go to `build_changed_days`:
    the days whose figures the per-day marts compute again.
    """
    con.execute(
        "CREATE TEMP TABLE build_class_changes AS "
        "SELECT recomputed.site, recomputed.visitor_key, recomputed.visitor_class "
        f"FROM temp.main.visitors AS recomputed INNER JOIN {database}.main.visitors AS previous "
        "ON recomputed.site = previous.site AND recomputed.visitor_key = previous.visitor_key "
        "WHERE recomputed.visitor_class <> previous.visitor_class"
    )
    con.execute("CREATE TEMP TABLE build_changed_days (site VARCHAR, local_date DATE)")
    inserted: dict[str, int] = {}
    for name, scope, column in marts:
        target = f"{database}.main.{name}"
        dated = "local_date" in _columns(con, database, name)
        # The rows replaced, by row id: one scan finds them, their days and what to delete.
        con.execute(
            "CREATE OR REPLACE TEMP TABLE build_replaced_rows AS "
            + _replaced_rows(target, scope, dated, column)
        )
        if dated:
            _note_changed_days(con, "SELECT site, local_date FROM build_replaced_rows")
            _note_changed_days(con, f"SELECT site, local_date FROM temp.main.{name}")
        con.execute(f"DELETE FROM {target} WHERE rowid IN (SELECT row_id FROM build_replaced_rows)")
        rows = con.execute(f"INSERT INTO {target} BY NAME SELECT * FROM temp.main.{name}")
        inserted[name] = int(rows.fetchall()[0][0])
        con.execute(f"DROP TABLE temp.main.{name}")
        if column and "visitor_class" in _columns(con, database, name):
            changed = "(site, visitor_key) IN (SELECT site, visitor_key FROM build_class_changes)"
            if dated:
                _note_changed_days(con, f"SELECT site, local_date FROM {target} WHERE {changed}")
            con.execute(
                f"UPDATE {target} SET visitor_class = changes.visitor_class "
                "FROM build_class_changes AS changes "
                f"WHERE {target}.site = changes.site AND {target}.visitor_key = changes.visitor_key"
            )
    con.execute(
        "CREATE OR REPLACE TEMP TABLE build_changed_days AS "
        "SELECT DISTINCT site, local_date FROM build_changed_days"
    )
    return inserted


def _replaced_rows(target: str, scope: str, dated: bool, since: str | None) -> str:
    """The previous rows of a scoped mart that the recomputed ones replace, as (row_id, site,
    local_date): by source file, or the rows of the visitors recomputed whole and those of the
    returning visitors from the start of their last visit (`since`: the mart's time column; all
    their rows when it has none)."""
    day = "previous.local_date" if dated else "NULL::DATE AS local_date"
    rows = f"SELECT previous.rowid AS row_id, previous.site, {day} FROM {target} AS previous "
    if scope == "source":
        return rows + "WHERE source_file IN (SELECT source_file FROM build_changed_sources)"
    recent = f" AND previous.{since} >= returner.recomputed_from" if since else ""
    return (
        rows
        + "WHERE (site, visitor_key) IN (SELECT site, visitor_key FROM build_scope_visitors) "
        + "UNION ALL "
        + rows
        + "INNER JOIN build_returning_visitors AS returner "
        + "ON previous.site = returner.site AND previous.visitor_key = returner.visitor_key"
        + recent
    )


def _note_changed_days(con: duckdb.DuckDBPyConnection, rows: str) -> None:
    con.execute(f"INSERT INTO build_changed_days SELECT DISTINCT site, local_date FROM ({rows})")


def few_days_changed(con: duckdb.DuckDBPyConnection, database: str) -> bool:
    """Whether the changed days are few enough for the per-day marts and the data tests to read
    them alone; past half of the days (a late attacker active every day, say), reading
    everything costs less than picking the days out."""
    changed = _count(con, "build_changed_days")
    days = _count(con, f"{database}.main.daily_traffic")
    log.debug("%d of the %d days changed", changed, days)
    return changed <= FEW_DAYS_SHARE * days


def shadow_changed_days(
    con: duckdb.DuckDBPyConnection, database: str, relations: Iterable[str]
) -> None:
    """Temporary views that hide each relation of `database` behind its rows of the changed
    days: the per-day marts and the data tests then read those days only."""
    for name in relations:
        con.execute(
            f"CREATE OR REPLACE TEMP VIEW {name} AS SELECT * FROM {database}.main.{name} "
            "WHERE (site, local_date) IN (SELECT site, local_date FROM build_changed_days)"
        )


def drop_shadows(con: duckdb.DuckDBPyConnection, relations: Iterable[str]) -> None:
    for name in relations:
        con.execute(f"DROP VIEW IF EXISTS temp.main.{name}")


def merge_changed_days(con: duckdb.DuckDBPyConnection, database: str, name: str) -> None:
    """Replace the changed days' rows of a per-day mart by its temporary table, then drop it."""
    target = f"{database}.main.{name}"
    con.execute(
        f"DELETE FROM {target} "
        "WHERE (site, local_date) IN (SELECT site, local_date FROM build_changed_days)"
    )
    con.execute(f"INSERT INTO {target} BY NAME SELECT * FROM temp.main.{name}")
    con.execute(f"DROP TABLE temp.main.{name}")


def _count(con: duckdb.DuckDBPyConnection, table: str) -> int:
    return int(con.execute(f"SELECT count(*) FROM {table}").fetchall()[0][0])


def _columns(con: duckdb.DuckDBPyConnection, database: str, table: str) -> set[str]:
    rows = con.execute(
        "SELECT column_name FROM duckdb_columns() "
        "WHERE database_name = $database AND schema_name = 'main' AND table_name = $table",
        {"database": database.strip('"'), "table": table},
    ).fetchall()
    return {str(row[0]) for row in rows}
