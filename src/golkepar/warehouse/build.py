"""Build the DuckDB warehouse from the lake: load, run the SQL models in order, swap the file in.

The database is built in a temporary file beside `DUCKDB_FILE`, checkpointed, closed and renamed
over it, so a reader never sees a half-built database and a failed build leaves the old one.
"""

from __future__ import annotations

import contextlib
import logging
import os
import shutil
import time
from collections.abc import Iterator, Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import duckdb
import filelock

from golkepar import __version__
from golkepar._files import (
    NotAFileError,
    SharedLockBusy,
    fsync_dir,
    remove_stale_temp_files_of,
    replaceable_file,
    shared_lock,
    temp_path_for,
)
from golkepar.config import Settings
from golkepar.errors import BuildError, LockedError, one_line
from golkepar.lake.contract import LOCK_NAME as LAKE_LOCK_NAME
from golkepar.warehouse import bot_catalogue, incremental, patterns, referers
from golkepar.warehouse.checks import run_data_tests
from golkepar.warehouse.incremental import BuildPlan
from golkepar.warehouse.lake import DATASETS, LAKE_COLUMNS, LakeFiles, read_manifest
from golkepar.warehouse.models import Model, all_models, incremental_phases, macros
from golkepar.warehouse.previous import read_previous
from golkepar.warehouse.searchbots import SearchBotRanges, load_search_bot_ranges

log = logging.getLogger(__name__)

# Build's memory when BUILD_MEMORY_LIMIT is unset: a share of the machine's memory, capped, so
# that a long history spills to disk instead of crowding out Superset and the report. DuckDB's
# cap leaves out the process around it (200 to 450 MiB): 1536 MiB keeps a full build of 50M
# hits under 2 GiB of resident memory (1.95 GiB measured; 2.06 GiB with a 1664 MiB cap, in
# about the same CPU time; 10M hits peak at 1.7 GiB).
DEFAULT_MEMORY_SHARE = 0.25
DEFAULT_MEMORY_CAP_BYTES = 1536 * 2**20

# The build checkpoints once, at the end: DuckDB's automatic checkpoints (past 16 MiB of
# write-ahead log) rewrote the file mid-build, 1.5 s at a time in a 12 s incremental build.
NO_AUTOMATIC_CHECKPOINT = "1TB"

# What an incremental build's data tests read of the changed days only: the biggest tables
# (all hits), and the per-day figures that must add up to them.
CHANGED_DAYS_CHECKED = ("hits", "daily_traffic", "traffic_by_hour")

# The tables whose row counts the summary gives.
MAIN_TABLES = ("hits", "visits", "visitors", "security_events", "error_events", "rejects")

# The tables and views a reader finds in the warehouse.
PUBLIC_RELATIONS: tuple[str, ...] = tuple(m.name for m in all_models() if m.is_public)


@dataclass(frozen=True)
class BuildResult:
    """What a build wrote, for the CLI to report."""

    duckdb_file: Path
    lake_files: int
    hits: int
    visits: int
    visitors: int
    security_events: int
    error_events: int
    rejects: int
    search_bot_ranges: tuple[str, ...]
    seconds: float
    # Crawlers the build this one replaced verified search bots with, and this one could not.
    lost_search_bot_ranges: tuple[str, ...] = ()
    # `full`, `incremental` or `up to date`, and why (docs/warehouse.md, "Incremental builds").
    mode: str = incremental.FULL
    reason: str = ""
    # Hits an incremental build recomputed (every hit of the addresses the changes touch).
    recomputed_hits: int = 0


def build_warehouse(settings: Settings, full: bool = False) -> BuildResult:
    """Build `settings.duckdb_file` from the lake in `settings.parquet_path_base`: only what
    changed since the previous build, or everything with `full`."""
    started = time.monotonic()
    try:
        target = replaceable_file(settings.duckdb_file, "DUCKDB_FILE")
    except NotAFileError as e:
        raise BuildError(str(e)) from e
    # Shared with other builds, never with an ingest writing the lake (say `--force`).
    with _lake_read_lock(settings.parquet_path_base):
        return _build_locked(settings, target, started, full)


@contextlib.contextmanager
def _lake_read_lock(lake: Path) -> Iterator[None]:
    try:
        with shared_lock(lake / LAKE_LOCK_NAME):
            yield
    except SharedLockBusy:
        raise LockedError(
            f"a `golkepar ingest` is writing the lake {str(lake)!r}: build when it is done"
        ) from None


def _build_locked(settings: Settings, target: Path, started: float, full: bool) -> BuildResult:
    lake = read_manifest(settings.parquet_path_base)
    ranges = load_search_bot_ranges(settings.ip_path_base)
    lock = filelock.FileLock(target.with_name(f"{target.name}.lock"))
    try:
        target.parent.mkdir(parents=True, exist_ok=True)
        lock.acquire(timeout=0)
    except filelock.Timeout:
        raise LockedError(
            f"another `golkepar build` is writing {str(target)!r}: wait for it to finish"
        ) from None
    except OSError as e:
        raise BuildError(
            f"cannot write beside {str(target)!r} ({e.strerror or e}): "
            "set DUCKDB_FILE to a file in a folder you can write"
        ) from e
    try:
        previous = read_previous(target, MAIN_TABLES)
        _remove_stale_builds(target)
        parameters = _parameters(settings, lake, ranges)
        parameters.update(
            build_fingerprint=_fingerprint(parameters),
            search_bot_ranges_digest=incremental.search_bot_ranges_digest(ranges),
        )
        plan = incremental.plan_build(
            target,
            previous.built_from,
            lake,
            parameters["build_fingerprint"],
            parameters["search_bot_ranges_digest"],
            full,
        )
        if plan.mode == incremental.UP_TO_DATE and not previous.counts:
            plan = BuildPlan(incremental.FULL, "the previous warehouse lacks a main table")
        log.info("%s build: %s", plan.mode, plan.reason)
        try:
            if plan.mode == incremental.UP_TO_DATE:
                counts = {**previous.counts, "recomputed_hits": 0}
            else:
                try:
                    counts = _build_file(target, lake, ranges, settings, plan, parameters)
                except _FullBuildNeeded as e:
                    plan = BuildPlan(incremental.FULL, str(e))
                    log.info("full build: %s", plan.reason)
                    counts = _build_file(target, lake, ranges, settings, plan, parameters)
        except duckdb.Error as e:
            raise BuildError(f"building {str(target)!r} failed: {one_line(e)}") from e
        except OSError as e:
            raise BuildError(f"cannot write {str(target)!r}: {e.strerror or e}") from e
    finally:
        lock.release()
    result = BuildResult(
        duckdb_file=settings.duckdb_file,
        lake_files=lake.count,
        search_bot_ranges=tuple(r.bot for r in ranges),
        seconds=time.monotonic() - started,
        lost_search_bot_ranges=tuple(
            bot for bot in previous.search_bot_ranges if bot not in {r.bot for r in ranges}
        ),
        mode=plan.mode,
        reason=plan.reason,
        **counts,
    )
    log.info("built %s in %.1f s", target, result.seconds)
    return result


class _FullBuildNeeded(Exception):
    """An incremental build found a change only a full build gives right."""


@contextlib.contextmanager
def _timed(step: str) -> Iterator[None]:
    """Log how long a step of the build took (`golkepar -vv build`)."""
    started = time.monotonic()
    yield
    log.debug("%s in %.2f s", step, time.monotonic() - started)


def _build_file(
    target: Path,
    lake: LakeFiles,
    ranges: tuple[SearchBotRanges, ...],
    settings: Settings,
    plan: BuildPlan,
    parameters: Mapping[str, Any],
) -> dict[str, int]:
    """Build into a temporary file (a copy of the previous database when incremental), then
    rename it over `target`."""
    temp = temp_path_for(target)
    try:
        if plan.mode == incremental.INCREMENTAL:
            with _timed("copy of the previous database"):
                shutil.copyfile(target, temp)
        else:
            # DuckDB refuses an existing empty file: it wants to create the database itself.
            temp.unlink()
        counts = _build_into(temp, lake, ranges, settings, plan, parameters)
        os.replace(temp, target)
        fsync_dir(target.parent)
        return counts
    finally:
        _remove_database_files(temp)


def _build_into(
    database: Path,
    lake: LakeFiles,
    ranges: tuple[SearchBotRanges, ...],
    settings: Settings,
    plan: BuildPlan,
    parameters: Mapping[str, Any],
) -> dict[str, int]:
    """Write every model into the database file and return the main tables' row counts;
    `parameters` are the models' (`_parameters`, with the build's fingerprint)."""
    con = _connect(database, settings)
    try:
        # Dates and days are computed in UTC; extensions are never fetched (no network).
        con.execute("SET TimeZone = 'UTC'")
        con.execute("SET autoinstall_known_extensions = false")
        con.execute("SET autoload_known_extensions = false")
        parameters = {**parameters, "build_mode": plan.mode, "build_reason": plan.reason}
        recomputed = 0
        if plan.mode == incremental.INCREMENTAL:
            recomputed = _update_models(con, lake, ranges, parameters, plan)
        else:
            _create_models(con, lake, ranges, parameters)
        _create_macros(con, "macros")
        with _timed("data tests"):
            if plan.mode == incremental.INCREMENTAL:
                name = _database_name(con)
                if incremental.few_days_changed(con, name):
                    # Rows of other days did not change, and passed the tests of the build that
                    # made them: test the changed days of the biggest tables only.
                    incremental.shadow_changed_days(con, name, CHANGED_DAYS_CHECKED)
            failures = run_data_tests(con, parameters)
            incremental.drop_shadows(con, CHANGED_DAYS_CHECKED)
        if failures and plan.mode == incremental.INCREMENTAL:
            # The lake breaks an assumption of the incremental build (one address per visitor,
            # say): a full build gives it right, or names the failure itself.
            raise _FullBuildNeeded(f"the incremental result failed data tests ({failures[0]})")
        if failures:
            raise BuildError(
                f"the new warehouse fails {len(failures)} data tests, the previous one is kept: "
                + "; ".join(str(f) for f in failures)
            )
        counts = _main_counts(con)
        with _timed("checkpoint"):
            con.execute("CHECKPOINT")
        return {**counts, "recomputed_hits": recomputed}
    finally:
        con.close()


def _create_models(
    con: duckdb.DuckDBPyConnection,
    lake: LakeFiles,
    ranges: tuple[SearchBotRanges, ...],
    parameters: Mapping[str, Any],
) -> None:
    """A full build: every model from the whole lake."""
    _load_lake(con, lake)
    con.execute(incremental.VISITOR_HISTORY_TABLE)
    _create_macros(con, "functions")
    # Staging reads only the lake; the registered tables read staging; the rest may read
    # them all (a test checks each layer reads only what it may).
    models = all_models()
    _create_staging(con, lake, ranges, parameters)
    for model in models:
        if model.layer != "staging":
            _run_model(con, model, parameters)


def _update_models(
    con: duckdb.DuckDBPyConnection,
    lake: LakeFiles,
    ranges: tuple[SearchBotRanges, ...],
    parameters: Mapping[str, Any],
    plan: BuildPlan,
) -> int:
    """An incremental build, in a copy of the previous database: recompute the changed part,
    merge it in, then the marts that add it all up. Returns the rows recomputed."""
    database = _database_name(con)
    _create_macros(con, "functions")
    with _timed("what to recompute"):
        incremental.create_scope(con, database, plan, ranges, parameters)
    _load_lake(
        con,
        lake,
        hits_query=incremental.SCOPED_HITS,
        sources=plan.changed_sources,
    )
    _create_staging(con, lake, ranges, parameters)
    phases = incremental_phases()
    for model in phases.before:
        _run_model(con, model, parameters)
    site_hosts = con.execute("SELECT site, host FROM site_hosts").fetchall()
    if frozenset((str(site), str(host)) for site, host in site_hosts) != plan.previous_site_hosts:
        # A new host name turns old referers into internal links: every visit may change.
        raise _FullBuildNeeded("the sites' host names changed")
    for model in phases.scoped:
        _run_model(con, model, parameters, temporary=True)
    with _timed("merge"):
        merged = incremental.merge_scoped(
            con, database, [(m.name, m.scope, m.recomputed_from) for m in phases.scoped if m.scope]
        )
    per_day = [model for model in phases.after if model.scope == "day"]
    if not incremental.few_days_changed(con, database):
        per_day = []  # computed whole below, with the other marts
    day_inputs = sorted(set().union(*(model.reads for model in per_day)))
    with _timed("per-day marts"):
        incremental.shadow_changed_days(con, database, day_inputs)
        for model in per_day:
            _run_model(con, model, parameters, temporary=True)
        incremental.drop_shadows(con, day_inputs)
        for model in per_day:
            incremental.merge_changed_days(con, database, model.name)
    for model in phases.after:
        if model not in per_day:
            _run_model(con, model, parameters)
    return merged.get("hits", 0)


def _create_staging(
    con: duckdb.DuckDBPyConnection,
    lake: LakeFiles,
    ranges: tuple[SearchBotRanges, ...],
    parameters: Mapping[str, Any],
) -> None:
    """The staging views over the lake, then the tables Python registers (some read them)."""
    for model in all_models():
        if model.layer == "staging":
            _run_model(con, model, parameters)
    _register_search_bot_claims(con, ranges)
    _register_security_patterns(con)
    _register_bot_catalogue(con)
    _register_referer_sources(con)
    _register_lake_files(con, lake)


def _main_counts(con: duckdb.DuckDBPyConnection) -> dict[str, int]:
    return {name: _count(con, name) for name in MAIN_TABLES}


def _register_lake_files(con: duckdb.DuckDBPyConnection, lake: LakeFiles) -> None:
    """`lake_file_source`: the files this build reads, for the `lake_files` table."""
    con.execute(
        "CREATE TEMP TABLE lake_file_source (dataset VARCHAR, path VARCHAR, "
        "source_file VARCHAR, bytes BIGINT, modified_ns BIGINT)"
    )
    rows = sorted(
        (f.dataset, f.path, f.source_file, f.bytes, f.modified_ns)
        for f in incremental.lake_files_of(lake)
    )
    if rows:
        con.executemany("INSERT INTO lake_file_source VALUES (?, ?, ?, ?, ?)", rows)


def _fingerprint(parameters: Mapping[str, Any]) -> str:
    """What the tables depend on besides the lake and the crawler ranges: the models, their
    parameters and the data Python registers for them."""
    return incremental.fingerprint(
        {
            "golkepar": __version__,
            "duckdb": duckdb.__version__,
            "models": [(m.name, m.sql) for m in all_models()],
            "macros": [macros(folder) for folder in ("functions", "macros")],
            "parameters": {
                name: value
                for name, value in parameters.items()
                if name not in ("lake_files", "search_bot_ranges")
            },
            "security_patterns": _security_pattern_rows(),
            "known_bots": bot_catalogue.known_bot_rows(),
            "bot_categories": _bot_category_rows(),
            "referer_sources": list(referers.referer_sources()),
        }
    )


def _database_name(con: duckdb.DuckDBPyConnection) -> str:
    """The file database's name, quoted: temporary tables of the same names hide its own."""
    name = str(con.execute("SELECT current_database()").fetchall()[0][0])
    return '"' + name.replace('"', '""') + '"'


def default_memory_limit() -> str:
    """A quarter of the machine's memory, at most 1536 MiB, in DuckDB's notation."""
    total = os.sysconf("SC_PAGE_SIZE") * os.sysconf("SC_PHYS_PAGES")
    return f"{min(int(total * DEFAULT_MEMORY_SHARE), DEFAULT_MEMORY_CAP_BYTES) // 2**20}MiB"


def _connect(database: Path, settings: Settings) -> duckdb.DuckDBPyConnection:
    """Open the new database with build's memory cap and spill folder."""
    limit = settings.build_memory_limit or default_memory_limit()
    spill = settings.build_temp_directory or database.with_name(f"{database.name}.tmp")
    try:
        return duckdb.connect(
            str(database),
            config={
                "memory_limit": limit,
                "temp_directory": str(spill),
                "checkpoint_threshold": NO_AUTOMATIC_CHECKPOINT,
            },
        )
    except duckdb.Error as e:
        raise BuildError(
            f"BUILD_MEMORY_LIMIT={limit!r} / BUILD_TEMP_DIRECTORY={str(spill)!r} refused: "
            f"{one_line(e)} (a size such as 2GB or 512MiB, and a folder build may write)"
        ) from e


def _load_lake(
    con: duckdb.DuckDBPyConnection,
    lake: LakeFiles,
    hits_query: str | None = None,
    sources: frozenset[str] | None = None,
) -> None:
    """Expose each dataset's listed files as the temporary view `lake_<dataset>`, and the
    (site, vhost) pairs of every hit file as `lake_site_vhosts`.

    The view has every column of the lake contract, as the files hold them: a column that no
    file has yet reads as null, and an empty dataset is an empty view. The staging models cast
    them to the contract's types. Nothing is copied: each model scans only the columns it needs.
    An incremental build reads only the hits `hits_query` selects from `lake_every_hit` and, of
    the other datasets, only the files of the changed `sources`.
    """
    for dataset in DATASETS:
        columns = LAKE_COLUMNS[dataset]
        files = [str(path) for path in lake.of(dataset)]
        if sources is not None and dataset != "hits":
            files = [f for f in files if lake.source_of.get(Path(f)) in sources]
        present: set[str] = set()
        source = ""
        if files:
            relation = con.read_parquet(files, hive_partitioning=False, union_by_name=True)
            # A registered relation is a temporary view: it is never saved in the database.
            con.register(f"lake_{dataset}_files", relation)
            present = set(relation.columns)
            source = f" FROM lake_{dataset}_files"
        log.debug("%s: %d files", dataset, len(files))
        # Names come from the lake contract, never from the files.
        selected = ", ".join(
            f'"{name}"' if name in present else f'NULL AS "{name}"' for name in columns
        )
        where = "" if files else " WHERE false"
        if dataset != "hits":
            con.execute(f"CREATE TEMP VIEW lake_{dataset} AS SELECT {selected}{source}{where}")
            continue
        # A site's hosts come from all its hits, even when only some are recomputed.
        con.execute(f"CREATE TEMP VIEW lake_every_hit AS SELECT {selected}{source}{where}")
        con.execute(
            "CREATE TEMP VIEW lake_site_vhosts AS SELECT DISTINCT site, vhost FROM lake_every_hit"
        )
        if hits_query:
            # The part recomputed is small and read by several models: read the lake once.
            with _timed("reading the recomputed hits from the lake"):
                con.execute(f"CREATE TEMP TABLE lake_hits AS {hits_query}")
        else:
            con.execute("CREATE TEMP VIEW lake_hits AS SELECT * FROM lake_every_hit")


def _parameters(
    settings: Settings, lake: LakeFiles, ranges: tuple[SearchBotRanges, ...]
) -> dict[str, Any]:
    """Every value a model may bind, by parameter name."""
    values: dict[str, Any] = {kind.kind: kind.regex for kind in patterns.PATTERN_KINDS}
    values.update(
        session_idle_minutes=settings.session_idle_minutes,
        wp_login_path=patterns.WP_LOGIN_PATH,
        wp_login_burst_min_posts=patterns.WP_LOGIN_BURST_MIN_POSTS,
        wp_login_burst_gap_minutes=patterns.WP_LOGIN_BURST_GAP_MINUTES,
        xmlrpc_path=patterns.XMLRPC_PATH,
        xmlrpc_trusted_as_org=patterns.XMLRPC_TRUSTED_AS_ORG,
        protocol_probe=patterns.PROTOCOL_PROBE,
        admin_area=patterns.ADMIN_AREA,
        admin_area_public=patterns.ADMIN_AREA_PUBLIC,
        bot_min_pages_without_assets=patterns.BOT_MIN_PAGES_WITHOUT_ASSETS,
        bot_pages_per_minute=patterns.BOT_PAGES_PER_MINUTE,
        bot_fast_minutes=patterns.BOT_FAST_MINUTES,
        known_bot_words=bot_catalogue.KNOWN_BOT_REGEX,
        golkepar_version=__version__,
        lake_files=lake.count,
        search_bot_ranges=", ".join(r.bot for r in ranges),
        security_kinds=list(patterns.SECURITY_KINDS),
        site_hosts=list(settings.site_hosts),
    )
    return values


def _run_model(
    con: duckdb.DuckDBPyConnection,
    model: Model,
    parameters: Mapping[str, Any],
    temporary: bool = False,
) -> None:
    """Create (or replace) the model's view or table from its SQL, binding the parameters it
    names; `temporary` keeps a mart's table out of the file (an incremental build's part)."""
    query = model.sql
    names = model.parameters
    missing = names - parameters.keys()
    if missing:
        raise BuildError(f"model {model.name!r} uses unknown parameters {sorted(missing)}")
    if names and model.materialized.endswith("view"):
        raise BuildError(f"model {model.name!r} is a view: views cannot bind parameters")
    kind = model.materialized
    if temporary and not kind.startswith("temp"):
        kind = f"temp {kind}"
    started = time.monotonic()
    con.execute(
        f"CREATE OR REPLACE {kind.upper()} {model.name} AS {query}",
        {name: parameters[name] for name in names},
    )
    log.debug("%s %s in %.2f s", kind, model.name, time.monotonic() - started)


def _register_search_bot_claims(
    con: duckdb.DuckDBPyConnection, ranges: tuple[SearchBotRanges, ...]
) -> None:
    """`search_bot_claims`: visitors whose User-Agent claims a search bot whose ranges we have."""
    con.execute(
        "CREATE TEMP TABLE search_bot_claims "
        "(site VARCHAR, visitor_key VARCHAR, ip VARCHAR, claimed_bot VARCHAR, verified BOOLEAN)"
    )
    claims: dict[tuple[str, str], tuple[str, str, str, str, bool]] = {}
    for vendor in ranges:
        rows = con.execute(
            "SELECT DISTINCT site, visitor_key, ip FROM stg_hits "
            "WHERE regexp_matches(user_agent, $claim) AND visitor_key IS NOT NULL",
            {"claim": vendor.claim_pattern},
        ).fetchall()
        for site, visitor_key, ip in rows:
            # A User-Agent naming two search bots is checked against the first one only.
            claims.setdefault(
                (site, visitor_key), (site, visitor_key, ip, vendor.bot, vendor.contains(ip))
            )
    if claims:
        con.executemany(
            "INSERT INTO search_bot_claims VALUES (?, ?, ?, ?, ?)", list(claims.values())
        )


def _register_security_patterns(con: duckdb.DuckDBPyConnection) -> None:
    """`security_pattern_source`: every pattern, for the `security_patterns` table."""
    con.execute(
        "CREATE TEMP TABLE security_pattern_source (kind VARCHAR, target VARCHAR, pattern VARCHAR)"
    )
    con.executemany(
        "INSERT INTO security_pattern_source VALUES (?, ?, ?)", _security_pattern_rows()
    )


def _security_pattern_rows() -> list[tuple[str, str, str]]:
    return [
        *((p.kind, p.target, p.regex) for p in patterns.PATTERN_KINDS),
        ("wp_login_bruteforce", patterns.PATH, patterns.WP_LOGIN_PATH),
        ("xmlrpc_abuse", patterns.PATH, patterns.XMLRPC_PATH),
        ("protocol_probe", patterns.REQUEST, patterns.PROTOCOL_PROBE),
        *(
            ("fake_search_bot", patterns.USER_AGENT, claim)
            for _, claim in patterns.SEARCH_BOT_CLAIMS
        ),
    ]


def _register_bot_catalogue(con: duckdb.DuckDBPyConnection) -> None:
    """`known_bot_source` and `bot_category_source`: the bot list, for classes and `bots`."""
    con.execute(
        "CREATE TEMP TABLE known_bot_source (word VARCHAR, bot_name VARCHAR, bot_category VARCHAR)"
    )
    con.executemany("INSERT INTO known_bot_source VALUES (?, ?, ?)", bot_catalogue.known_bot_rows())
    con.execute(
        "CREATE TEMP TABLE bot_category_source "
        "(bot_category VARCHAR, meaning VARCHAR, position INTEGER)"
    )
    con.executemany("INSERT INTO bot_category_source VALUES (?, ?, ?)", _bot_category_rows())


def _bot_category_rows() -> list[tuple[str, str, int]]:
    return [
        (category.name, category.meaning, position)
        for position, category in enumerate(bot_catalogue.BOT_CATEGORIES)
    ]


def _register_referer_sources(con: duckdb.DuckDBPyConnection) -> None:
    """`referer_sources`: the search engines and social networks of `referers.py`, in order."""
    con.execute(
        "CREATE TEMP TABLE referer_sources "
        "(rank INTEGER, channel VARCHAR, source_name VARCHAR, host_regex VARCHAR)"
    )
    con.executemany(
        "INSERT INTO referer_sources VALUES (?, ?, ?, ?)",
        [(rank, *source) for rank, source in enumerate(referers.referer_sources())],
    )


def _create_macros(con: duckdb.DuckDBPyConnection, folder: str) -> None:
    """Create the macros of `sql/<folder>/`: they are kept in the file for readers too."""
    for name, statement in macros(folder):
        con.execute(statement)
        log.debug("macro %s", name)


def _count(con: duckdb.DuckDBPyConnection, table: str) -> int:
    row = con.execute(f"SELECT count(*) FROM {table}").fetchall()[0]
    return int(row[0])


def _remove_database_files(database: Path) -> None:
    """Remove a database file and its write-ahead log, when they exist."""
    for path in (database, database.with_name(f"{database.name}.wal")):
        path.unlink(missing_ok=True)


def _remove_stale_builds(target: Path) -> None:
    """Remove the temporary databases of builds that were killed (we hold the lock)."""
    removed = remove_stale_temp_files_of(target)
    if removed:
        log.info("removed %d files left by an interrupted build of %s", removed, target)
