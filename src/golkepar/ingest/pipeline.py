"""`golkepar ingest`: every log file found becomes lake rows exactly once.

Unchanged files are skipped, changed files replace their previous rows, and the daily archive of
a date supersedes the live copy of that date. See docs/lake.md for what is written.
"""

from __future__ import annotations

import datetime as dt
import logging
from collections import Counter
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field, replace
from pathlib import Path
from typing import Literal

import filelock
import polars as pl

from golkepar.config import Settings
from golkepar.errors import (
    GolkeparError,
    IngestError,
    LockedError,
    SomeFilesFailedError,
    UnplacedFileError,
)
from golkepar.geoip.lookup import GeoLookup
from golkepar.ingest.enrich import SALT_FILE_NAME, Enricher, load_or_create_salt
from golkepar.ingest.errorlog import parse_error_lines, share_of_error_lines
from golkepar.ingest.lake import (
    OutputWriter,
    delete_outputs,
    outputs_intact,
    source_id_for,
    sweep_unlisted_files,
)
from golkepar.ingest.logformat import (
    CompiledFormat,
    compile_format,
    detect_preset,
    share_matching,
)
from golkepar.ingest.overlap import WriteBehind, read_ahead
from golkepar.ingest.parse import parse_access_lines
from golkepar.ingest.source import (
    FoundFile,
    LineBatch,
    LogSource,
    content_hash,
    describe_source,
    find_log_files,
    read_line_batches,
    sample_lines,
)
from golkepar.lake.contract import LOCK_NAME
from golkepar.lake.manifest import Manifest, SourceEntry

logger = logging.getLogger(__name__)

# Parses the blank lines of a file that has nothing else (each is an "empty line" reject).
_ANY_FORMAT = compile_format("combined")

# `skipped`: a file golkepar cannot place (no site, an impossible date, not a log name).
Status = Literal["ingested", "unchanged", "superseded", "skipped", "failed"]


@dataclass(frozen=True)
class FileOutcome:
    """What happened to one log file."""

    key: str
    site: str
    kind: str
    status: Status
    format: str | None = None
    lines: int = 0
    # Lines read well: rows written to `hits` (an access log) or `errors` (an error log).
    rows: int = 0
    rejects: int = 0
    message: str | None = None
    # (reason, lines) of this file's rejects, most frequent first.
    reject_reasons: tuple[tuple[str, int], ...] = ()

    @property
    def hits(self) -> int:
        return self.rows if self.kind == "access" else 0

    @property
    def error_entries(self) -> int:
        return self.rows if self.kind == "error" else 0


@dataclass(frozen=True)
class IngestSummary:
    """The whole run: one outcome per file found, plus what the user should know."""

    lake: Path
    files: tuple[FileOutcome, ...]
    geoip_databases: tuple[str, ...]
    warnings: tuple[str, ...]
    # True when the access-log format came from LOG_FORMAT or --log-format, not detection.
    format_configured: bool = False

    def _sum(self, name: str) -> int:
        return sum(getattr(f, name) for f in self.files if f.status == "ingested")

    @property
    def lines(self) -> int:
        return self._sum("lines")

    @property
    def rows(self) -> int:
        """Lines read well: `lines` is `rows + rejects`."""
        return self._sum("rows")

    @property
    def hits(self) -> int:
        """Rows written to `hits`, from access logs."""
        return self._sum("hits")

    @property
    def error_entries(self) -> int:
        """Rows written to `errors`, from error logs."""
        return self._sum("error_entries")

    @property
    def rejects(self) -> int:
        return self._sum("rejects")

    @property
    def reject_reasons(self) -> list[tuple[str, int]]:
        """Rejected lines of this run by reason, most frequent first."""
        reasons: Counter[str] = Counter()
        for outcome in self.files:
            reasons.update(dict(outcome.reject_reasons))
        return list(_by_frequency(reasons))

    def count(self, status: Status) -> int:
        return sum(1 for f in self.files if f.status == status)

    def failure(self) -> IngestError | None:
        """None when no file failed; else the error to exit with, telling "some files failed"
        (the others are in the lake) apart from "nothing could be done".
        """
        failed = self.count("failed")
        if not failed:
            return None
        if any(self.count(s) for s in ("ingested", "unchanged", "superseded")):
            return SomeFilesFailedError(
                f"{failed} log file(s) could not be ingested; the others are in the lake"
            )
        return IngestError(f"none of the {failed} log file(s) could be ingested")


def _by_frequency(counts: Counter[str]) -> tuple[tuple[str, int], ...]:
    """Most frequent first, then by name: the same order on every run."""
    return tuple(sorted(counts.items(), key=lambda item: (-item[1], item[0])))


# Parses one batch of a file's lines into (rows, rejects).
_Parse = Callable[[LineBatch], tuple[pl.DataFrame, pl.DataFrame]]
# Completes parsed rows (enrichment), while the next batch is parsed.
_Complete = Callable[[pl.DataFrame], pl.DataFrame]


@dataclass
class _Counts:
    """Lines read, rows written and rejects by reason, as one file is ingested."""

    lines: int = 0
    rows: int = 0
    reasons: Counter[str] = field(default_factory=Counter)

    @property
    def rejects(self) -> int:
        return sum(self.reasons.values())


class _FileIngester:
    """Parses, enriches and writes one file; counts lines, hits and rejects."""

    def __init__(
        self, enricher: Enricher, settings: Settings, on_lines: Callable[[str, int], None] | None
    ) -> None:
        self.enricher = enricher
        self.settings = settings
        self.on_lines = on_lines

    def format_for(
        self, source: LogSource, configured: CompiledFormat | None
    ) -> CompiledFormat | None:
        """The access-log format of `source` (None when it has no line to read), after checking
        that its lines are of the kind its place says: an error log read as an access log (or
        the reverse) would turn every line into a reject.
        """
        sample = sample_lines(source.path)
        if not sample:
            return None  # an empty log: a day without traffic
        error_share = share_of_error_lines(sample)
        if source.kind == "error":
            preset = detect_preset(sample) if error_share < 0.5 else None
            if preset is not None:
                raise IngestError(
                    f"{source.key!r} is read as an error log (its folder or name says so) but "
                    f"holds access-log lines ({preset.name}): move it to "
                    "<site>/access/YYYY/MM/ or rename it"
                )
            return None
        detected = configured or detect_preset(sample)
        if error_share >= 0.5 and (detected is None or share_matching(detected, sample) < 0.5):
            raise IngestError(
                f"{source.key!r} holds Apache error-log lines but is read as an access log: "
                "put it under <site>/error/YYYY/MM/ or name it error.log"
            )
        if detected is None:
            raise IngestError(
                f"cannot recognise the log format of {source.key!r} (first line "
                f"{sample[0][:200]!r}): set LOG_FORMAT or --log-format to its Apache LogFormat "
                "string"
            )
        return detected

    def run(
        self, source: LogSource, log_format: CompiledFormat | None, writer: OutputWriter
    ) -> _Counts:
        output = WriteBehind(writer)
        try:
            counts = self._run_batches(source, *self._parser_for(source, log_format), output)
        finally:
            output.finish()
        if counts.lines != counts.rows + counts.rejects:
            raise IngestError(
                f"{source.key}: {counts.lines} lines read but "
                f"{counts.rows + counts.rejects} accounted for"
            )
        return counts

    def _parser_for(
        self, source: LogSource, log_format: CompiledFormat | None
    ) -> tuple[str, _Parse, _Complete]:
        """The dataset a file's rows go to, how one batch of its lines is parsed, and how the
        parsed rows are completed."""
        if source.kind == "error":
            timezone = self.settings.error_log_timezone

            def parse_errors(batch: LineBatch) -> tuple[pl.DataFrame, pl.DataFrame]:
                return parse_error_lines(
                    batch.lines, batch.first_line, source.site, source.key, timezone
                )

            return "errors", parse_errors, _as_parsed
        # No format: the file has only blank lines, each a reject whatever the format.
        access_format = log_format or _ANY_FORMAT

        def parse_hits(batch: LineBatch) -> tuple[pl.DataFrame, pl.DataFrame]:
            return parse_access_lines(
                batch.lines, batch.first_line, access_format, source.site, source.key
            )

        return "hits", parse_hits, self.enricher.enrich

    def _run_batches(
        self,
        source: LogSource,
        dataset: str,
        parse: _Parse,
        complete: _Complete,
        writer: WriteBehind,
    ) -> _Counts:
        counts = _Counts()
        # Three threads besides the writer's: reading, parsing (mostly in Polars' engine),
        # and this one, completing rows (enrichment, partly in Python) as the next batch parses.
        batches = read_ahead(read_line_batches(source.path))
        for line_count, (parsed, rejected) in read_ahead(
            (b.lines.height, parse(b)) for b in batches
        ):
            counts.lines += line_count
            if self.on_lines:
                self.on_lines(source.key, counts.lines)
            rows = complete(parsed)
            writer.write(dataset, rows)
            writer.write("rejects", rejected)
            counts.rows += rows.height
            counts.reasons.update(dict(rejected.get_column("reason").value_counts().iter_rows()))
        return counts


def _as_parsed(rows: pl.DataFrame) -> pl.DataFrame:
    return rows


def ingest_logs(
    settings: Settings,
    paths: Sequence[Path] = (),
    log_format: str | None = None,
    site: str | None = None,
    on_file: Callable[[FileOutcome], None] | None = None,
    on_lines: Callable[[str, int], None] | None = None,
    force: bool = False,
) -> IngestSummary:
    """Ingest the files under `paths` (default: LOG_PATH_BASE) into the lake.

    `force` reads every file again, changed or not: after a GeoIP update, say, so that old
    hits get the new locations. `on_file` hears of each file done, `on_lines` of each batch.
    """
    lake = settings.parquet_path_base
    format_text = log_format or settings.log_format
    configured = compile_format(format_text) if format_text else None
    if not paths:
        if not settings.log_path_base.exists():
            raise IngestError(
                f"no logs in {str(settings.log_path_base)!r} (LOG_PATH_BASE): run `golkepar fetch` "
                "or give log files or folders to ingest"
            )
        paths = [settings.log_path_base]
    fallback_site = settings.sites[0] if len(settings.sites) == 1 else None
    sources, skipped = _place_files(
        find_log_files(paths), settings.log_path_base, site, fallback_site
    )
    lake.mkdir(parents=True, exist_ok=True)
    lock = filelock.FileLock(str(lake / LOCK_NAME))
    try:
        lock.acquire(timeout=0)
    except filelock.Timeout:
        raise LockedError(
            f"another `golkepar ingest` is writing to {str(lake)!r}, or a `golkepar build` is "
            "reading it; wait for it to finish"
        ) from None
    try:
        manifest = Manifest.load(lake, IngestError)
        # Only a missing salt asks whether a new one may be made (`--force` on one file is fine).
        salt_missing = not (lake / SALT_FILE_NAME).exists()
        salt = load_or_create_salt(
            lake, may_create=salt_missing and _may_create_salt(manifest, sources, force)
        )
        with GeoLookup.from_folder(settings.ip_path_base) as geo:
            enricher = Enricher(geo, salt, settings.anonymize_ips)
            warnings = []
            if not geo.has_locations:
                warnings.append(
                    f"no GeoIP database in {str(settings.ip_path_base)!r}: country and city stay "
                    "empty (run `golkepar geoip update`)"
                )
            if not geo.has_asns:
                warnings.append("no ASN database: asn and as_org stay empty")
            ingester = _FileIngester(enricher, settings, on_lines)
            outcomes = _ingest_sources(sources, configured, ingester, manifest, on_file, force)
            return IngestSummary(
                lake=lake,
                files=(*skipped, *outcomes),
                geoip_databases=tuple(d.path.name for d in geo.databases),
                warnings=tuple(warnings),
                format_configured=configured is not None,
            )
    finally:
        lock.release()


def _place_files(
    files: Sequence[FoundFile], log_root: Path, site: str | None, fallback_site: str | None
) -> tuple[list[LogSource], list[FileOutcome]]:
    """Each file as a source, or as a skipped outcome when golkepar cannot place it.

    A file found twice (named, and under a folder named) is one source.
    """
    sources: dict[str, LogSource] = {}
    skipped: list[FileOutcome] = []
    for found in files:
        try:
            source = describe_source(found, log_root, site, fallback_site)
        except UnplacedFileError as e:
            skipped.append(FileOutcome(str(found.path), site or "", "", "skipped", message=str(e)))
            continue
        sources.setdefault(source.key, source)
    return list(sources.values()), skipped


def _may_create_salt(manifest: Manifest, sources: Sequence[LogSource], force: bool) -> bool:
    """Whether a missing salt may be made anew: only when no row in the lake is keyed with the
    old one, or when `--force` reads again every source that has rows (so all are keyed anew).
    """
    keyed = {key for key, entry in manifest.sources.items() if entry.output_paths}
    if not keyed:
        return True
    if not force:
        return False
    gone = keyed - {source.key for source in sources}
    if gone:
        raise IngestError(
            f"{str(manifest.lake / SALT_FILE_NAME)!r} is missing, and {len(gone)} logs in the lake "
            f"(such as {min(gone)!r}) are not there to be read again with a new one: restore "
            "the salt from a backup"
        )
    return True


def _ingest_sources(
    sources: list[LogSource],
    configured: CompiledFormat | None,
    ingester: _FileIngester,
    manifest: Manifest,
    on_file: Callable[[FileOutcome], None] | None,
    force: bool,
) -> list[FileOutcome]:
    swept = sweep_unlisted_files(manifest)
    if swept:
        logger.info("removed %d files left by an interrupted run", swept)
    outcomes: list[FileOutcome] = []
    # Archives first: a live copy whose archive is there is then known to be superseded.
    for source in sorted(sources, key=lambda s: (s.live, s.key)):
        try:
            outcome = _ingest_one(source, configured, ingester, manifest, force)
        except LockedError:
            raise
        except GolkeparError as e:
            outcome = FileOutcome(source.key, source.site, source.kind, "failed", message=str(e))
        except OSError as e:  # gone or unreadable since it was found, or the lake's disk is full
            message = f"cannot ingest {source.key!r}: {e.strerror or e}: {e.filename or ''}"
            outcome = FileOutcome(source.key, source.site, source.kind, "failed", message=message)
        outcomes.append(outcome)
        if on_file:
            on_file(outcome)
    return outcomes


def _copy_message(source: LogSource, copied: str, manifest: Manifest) -> str:
    holder = manifest.get(copied)
    what = (
        f"the {source.kind} log of {source.site} for {source.log_date}"
        if source.log_date is not None
        and holder is not None
        and (holder.site, holder.log_date) == (source.site, source.log_date.isoformat())
        else "the same log"
    )
    return (
        f"{source.key!r} is another copy of {what}, already in the lake as {copied!r}: skipped "
        "(each log is counted once; remove one of the copies)"
    )


def _ingest_one(
    source: LogSource,
    configured: CompiledFormat | None,
    ingester: _FileIngester,
    manifest: Manifest,
    force: bool,
) -> FileOutcome:
    """Skip, supersede or (re-)ingest one file; the manifest's rules keep the lake in step."""
    stat = source.path.stat()
    previous = manifest.get(source.key)
    base = FileOutcome(source.key, source.site, source.kind, "unchanged")
    probe = SourceEntry(
        source_id=source_id_for(source.key),
        generation=previous.generation if previous else 0,
        kind=source.kind,
        site=source.site,
        log_date=source.log_date.isoformat() if source.log_date else None,
        live=source.live,
        superseded=False,
        size=stat.st_size,
        mtime_ns=stat.st_mtime_ns,
        sha256="",
        format=None,
        lines=0,
        hits=0,
        rejects=0,
    )
    # Only an archive that is in the lake supersedes: a corrupt one must not cost the live rows.
    if manifest.has_archive_of(probe):
        delete_outputs(manifest.lake, manifest.supersede(source.key, probe))
        return replace(base, status="superseded")
    # A lake file deleted or cut short since: the log is read again, whatever its stat says.
    damaged = previous is not None and not outputs_intact(manifest.lake, previous.output_paths)
    if damaged:
        logger.warning("%s: its lake files are missing or damaged: reading it again", source.key)
    unchanged = (
        not force and not damaged and manifest.unchanged(source.key, stat.st_size, stat.st_mtime_ns)
    )
    digest = previous.sha256 if unchanged and previous else content_hash(source.path)
    copied = manifest.copy_in_lake(source.key, replace(probe, sha256=digest))
    if copied is not None:
        delete_outputs(manifest.lake, manifest.supersede(source.key, replace(probe, sha256=digest)))
        return replace(base, status="skipped", message=_copy_message(source, copied, manifest))
    if unchanged:
        return replace(base, format=previous.format if previous else None)
    if (
        not force
        and not damaged
        and manifest.same_content(source.key, stat.st_size, stat.st_mtime_ns, digest)
    ):
        return replace(base, format=previous.format if previous else None)

    log_format = ingester.format_for(source, configured)
    writer = OutputWriter(manifest.lake, source.key, probe.source_id, probe.generation + 1)
    try:
        counts = ingester.run(source, log_format, writer)
        outputs = writer.commit()
    except BaseException:
        writer.abort()
        raise
    entry = replace(
        probe,
        generation=probe.generation + 1,
        sha256=digest,
        format="apache_error"
        if source.kind == "error"
        else log_format.name
        if log_format
        else None,
        lines=counts.lines,
        hits=counts.rows,
        rejects=counts.rejects,
        outputs=outputs,
        ingested_at=dt.datetime.now(dt.UTC).isoformat(timespec="seconds"),
    )
    delete_outputs(manifest.lake, manifest.record(source.key, entry))
    return replace(
        base,
        status="ingested",
        format=entry.format,
        lines=entry.lines,
        rows=entry.hits,
        rejects=entry.rejects,
        reject_reasons=_by_frequency(counts.reasons),
    )
