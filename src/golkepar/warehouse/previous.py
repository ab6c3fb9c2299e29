"""What the warehouse in place says of the build that made it, read in one opening of its file.

A build needs three things from the database it replaces: the crawlers whose ranges verified
search bots (to warn when one is lost), what it was built from (to plan an incremental build),
and, when nothing changed, its row counts (the summary). Each is read on its own terms: a
warehouse older than the incremental state still names its crawlers.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from pathlib import Path

import duckdb


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
class BuiltFrom:
    """What the previous build read: its fingerprint, crawler ranges, lake files, site hosts."""

    fingerprint: str
    ranges_digest: str
    files: frozenset[LakeFile]
    site_hosts: frozenset[tuple[str, str]]


@dataclass(frozen=True)
class PreviousWarehouse:
    """The previous build, as far as its database says (nothing, when there is none)."""

    search_bot_ranges: tuple[str, ...] = ()
    # None: an older warehouse, or not a warehouse (the build is then a full one).
    built_from: BuiltFrom | None = None
    counts: Mapping[str, int] = field(default_factory=dict)


def read_previous(target: Path, counted: Iterable[str]) -> PreviousWarehouse:
    """Read the database in `target` once: its crawler names, what built it, and the row
    counts of the `counted` tables (empty when one is missing)."""
    if not target.is_file():
        return PreviousWarehouse()
    try:
        # Closed before the new file is renamed in: DuckDB shares an open file's instance.
        with duckdb.connect(str(target), read_only=True) as con:
            return PreviousWarehouse(
                search_bot_ranges=_search_bot_ranges(con),
                built_from=_built_from(con),
                counts=_counts(con, counted),
            )
    except duckdb.Error:
        return PreviousWarehouse()  # not a DuckDB database: built in full


def _search_bot_ranges(con: duckdb.DuckDBPyConnection) -> tuple[str, ...]:
    try:
        row = con.execute("SELECT search_bot_ranges FROM build_info").fetchone()
    except duckdb.Error:
        return ()  # a warehouse from before build_info
    if row is None or not row[0]:
        return ()
    return tuple(name.strip() for name in str(row[0]).split(",") if name.strip())


def _built_from(con: duckdb.DuckDBPyConnection) -> BuiltFrom | None:
    try:
        info = con.execute(
            "SELECT build_fingerprint, search_bot_ranges_digest FROM build_info"
        ).fetchone()
        files = con.execute(
            "SELECT dataset, path, source_file, bytes, modified_ns FROM lake_files"
        ).fetchall()
        hosts = con.execute("SELECT site, host FROM site_hosts").fetchall()
    except duckdb.Error:
        return None  # a warehouse from before incremental builds
    if info is None:
        return None
    return BuiltFrom(
        fingerprint=str(info[0]),
        ranges_digest=str(info[1]),
        files=frozenset(LakeFile(*row) for row in files),
        site_hosts=frozenset((str(site), str(host)) for site, host in hosts),
    )


def _counts(con: duckdb.DuckDBPyConnection, tables: Iterable[str]) -> dict[str, int]:
    try:
        # Names from the build's own list, never from the file.
        return {
            table: int(con.execute(f"SELECT count(*) FROM {table}").fetchall()[0][0])
            for table in tables
        }
    except duckdb.Error:
        return {}
