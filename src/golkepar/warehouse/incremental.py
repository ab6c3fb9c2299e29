"""Incremental builds: what changed since the previous build, and which rows that touches.

Each build records the lake files it read (the `lake_files` table) and a fingerprint of all else
its tables depend on (`build_info`). The next build compares. When only lake files changed, it
starts from a copy of the previous database and recomputes the rows of every address (site, IP)
that a new file holds or a replaced one held: all of their hits, visits, events and their
visitors' classes, from their whole history, so a visit left open yesterday, an attacker found
today and a live log replaced by its archive come out as a full build would give them. The marts
that add up many visitors (daily traffic, bots...) are computed again from the merged tables.
Anything else (new patterns or settings, a new golkepar, the site answering a new host name, most
of the lake replaced) is a full build, and the summary says why. docs/warehouse.md explains.
"""

from __future__ import annotations

import hashlib
import json
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import duckdb

from golkepar.warehouse.lake import DATASETS, LakeFiles
from golkepar.warehouse.searchbots import SearchBotRanges

# Above this share of the lake's hit files new or replaced, recomputing their addresses would
# cost about as much as a full build: build in full.
FULL_BUILD_CHANGED_SHARE = 0.5

FULL = "full"
INCREMENTAL = "incremental"
UP_TO_DATE = "up to date"


@dataclass(frozen=True)
class LakeFile:
    """A lake file a build read, as the `lake_files` table records it."""

    dataset: str
    path: str
    source_file: str
    # A file rewritten in place (by hand, by another tool) is a changed file.
    bytes: int
    modified_ns: int


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
    """The files the lake lists now, with their size and time."""
    files = set()
    for dataset in DATASETS:
        for path in lake.of(dataset):
            stat = path.stat()
            files.add(
                LakeFile(
                    dataset, str(path), lake.source_of.get(path, ""), stat.st_size, stat.st_mtime_ns
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
    lake: LakeFiles,
    build_fingerprint: str,
    ranges_digest: str,
    full: bool,
) -> BuildPlan:
    """Compare the lake and the build's inputs with what built the database in `target`."""
    if full:
        return BuildPlan(FULL, "a full build was asked for")
    if not target.is_file():
        return BuildPlan(FULL, "there is no previous warehouse")
    if target.with_name(f"{target.name}.wal").exists():
        return BuildPlan(
            FULL, "the previous warehouse has a write-ahead log left by another program"
        )
    previous = _previous_state(target)
    if previous is None:
        return BuildPlan(FULL, "the previous warehouse does not record what it was built from")
    previous_fingerprint, previous_ranges, previous_files, site_hosts = previous
    if previous_fingerprint != build_fingerprint:
        return BuildPlan(
            FULL, "golkepar, its models or patterns, or the build settings changed since"
        )
    current = lake_files_of(lake)
    added = current - previous_files
    removed = previous_files - current
    ranges_changed = previous_ranges != ranges_digest
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
        previous_site_hosts=site_hosts,
    )


def _previous_state(
    target: Path,
) -> tuple[str, str, frozenset[LakeFile], frozenset[tuple[str, str]]] | None:
    """The previous build's fingerprint, crawler ranges digest, lake files and site hosts."""
    try:
        # Closed before the new file is renamed in: DuckDB shares an open file's instance.
        with duckdb.connect(str(target), read_only=True) as con:
            info = con.execute(
                "SELECT build_fingerprint, search_bot_ranges_digest FROM build_info"
            ).fetchone()
            files = con.execute(
                "SELECT dataset, path, source_file, bytes, modified_ns FROM lake_files"
            ).fetchall()
            hosts = con.execute("SELECT site, host FROM site_hosts").fetchall()
    except duckdb.Error:
        return None  # an older warehouse, or not a warehouse: built in full
    if info is None:
        return None
    return (
        str(info[0]),
        str(info[1]),
        frozenset(LakeFile(*row) for row in files),
        frozenset((str(site), str(host)) for site, host in hosts),
    )


def create_scope(
    con: duckdb.DuckDBPyConnection,
    database: str,
    plan: BuildPlan,
    ranges: tuple[SearchBotRanges, ...],
) -> None:
    """Temporary tables of what this build recomputes, from the previous tables in `database`:
    `build_changed_sources` (source files with new or replaced lake files) and
    `build_scope_addresses` (site, IP): every address in a new file or a replaced one, and, when
    the crawler ranges changed, every address that claimed or claims a search bot."""
    con.execute("CREATE TEMP TABLE build_changed_sources (source_file VARCHAR)")
    if plan.changed_sources:
        con.executemany(
            "INSERT INTO build_changed_sources VALUES (?)",
            [(source,) for source in sorted(plan.changed_sources)],
        )
    con.execute("CREATE TEMP TABLE build_scope_addresses (site VARCHAR, ip VARCHAR)")
    added_hits = [f.path for f in plan.added if f.dataset == "hits"]
    if added_hits:
        con.register(
            "build_added_hits",
            con.read_parquet(added_hits, hive_partitioning=False, union_by_name=True).select(
                "site", "ip"
            ),
        )
        con.execute(
            "INSERT INTO build_scope_addresses "
            "SELECT DISTINCT site::varchar, ip::varchar FROM build_added_hits"
        )
    con.execute(
        f"INSERT INTO build_scope_addresses SELECT DISTINCT site, ip FROM {database}.main.hits "
        "WHERE source_file IN (SELECT source_file FROM build_changed_sources)"
    )
    if plan.search_bot_ranges_changed:
        # Who claimed a search bot before (verified or not), or claims one of those there are
        # ranges for now.
        claims = "|".join(f"(?:{r.claim_pattern})" for r in ranges) or "$^"
        con.execute(
            f"INSERT INTO build_scope_addresses SELECT site, ip FROM {database}.main.visitors "
            "WHERE verified_bot IS NOT NULL OR regexp_matches(user_agent, $claims)",
            {"claims": claims},
        )
    con.execute(
        "CREATE OR REPLACE TEMP TABLE build_scope_addresses AS "
        "SELECT DISTINCT site, ip FROM build_scope_addresses"
    )
    # The visitors of those addresses that the previous build knew: their rows are replaced.
    con.execute(
        "CREATE TEMP TABLE build_scope_visitors AS "
        f"SELECT site, visitor_key FROM {database}.main.visitors "
        "WHERE (site, ip) IN (SELECT site, ip FROM build_scope_addresses)"
    )


def hits_in_scope() -> str:
    """The condition on a lake hit that puts it in the part an incremental build recomputes."""
    return "(site, ip) IN (SELECT site, ip FROM build_scope_addresses)"


# Rows of a scoped mart that the recomputed ones replace, by the mart's scope.
_REPLACED_ROWS = {
    "visitor": "(site, visitor_key) IN (SELECT site, visitor_key FROM build_scope_visitors)",
    "source": "source_file IN (SELECT source_file FROM build_changed_sources)",
}


def merge_scoped(
    con: duckdb.DuckDBPyConnection, database: str, marts: Iterable[tuple[str, str]]
) -> dict[str, int]:
    """Replace the previous rows of each (mart, scope) in `database` by the temporary table of
    the same name, then drop it; returns how many rows went in, by mart."""
    inserted: dict[str, int] = {}
    for name, scope in marts:
        con.execute(f"DELETE FROM {database}.main.{name} WHERE {_REPLACED_ROWS[scope]}")
        row = con.execute(
            f"INSERT INTO {database}.main.{name} BY NAME SELECT * FROM temp.main.{name}"
        ).fetchone()
        inserted[name] = int(row[0]) if row else 0
        con.execute(f"DROP TABLE temp.main.{name}")
    return inserted
