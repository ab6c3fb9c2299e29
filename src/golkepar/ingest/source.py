"""Finding log files and reading them as batches of lines, plain or gzip, in bounded memory.

Every line of a file comes out exactly once, numbered from 1, whatever its bytes: invalid UTF-8
is decoded as Latin-1 (one byte, one character), so no line is ever dropped or merged.
"""

from __future__ import annotations

import datetime as dt
import gzip
import hashlib
import re
import zlib
from collections.abc import Iterator, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import BinaryIO, Literal

import polars as pl
from isal import igzip

from golkepar._files import CHUNK_BYTES, GZIP_MAGIC
from golkepar.errors import IngestError, UnplacedFileError

# Uncompressed bytes handed to the parser at once: bounds memory whatever the file size. With
# four stages in flight (read, parse, enrich, write), 8 MiB keeps a 50M-line log under 1 GiB
# (16 MiB: 1.3 GiB, as freed memory is not all given back); smaller costs more per line.
BATCH_BYTES = 8 * 1024 * 1024
# Lines handed to the parser at once, whatever their length: a gzip of nothing but newlines
# (8 MiB of them, 8 million lines a batch) must not make frames of millions of rows.
MAX_BATCH_LINES = 256 * 1024
# No log line is this long: past it a line is cut (the rest of it is dropped).
MAX_LINE_BYTES = 1024 * 1024
# A byte that never separates fields, so the CSV reader returns each line as one column.
_LINE_SEPARATOR = "\x1f"
# OVH daily file names: <site>-DD-MM-YYYY.log or .log.gz
_OVH_FILE_NAME = re.compile(
    r"^(?P<site>.+)-(?P<day>\d{2})-(?P<month>\d{2})-(?P<year>\d{4})\.log(?:\.gz)?$"
)

# What golkepar itself writes under LOG_PATH_BASE (see fetch.naming.local_path):
#   <site>/access/YYYY/MM/<name>, <site>/error/YYYY/MM/<name>, <site>/live/<name>.
# Only these positions, relative to LOG_PATH_BASE (or to the folder given), say what a file is:
# never a folder above it, nor a word inside a site's name.
_ERROR_FOLDER = "error"
_LIVE_FOLDER = "live"
_YEAR_FOLDER = re.compile(r"^\d{4}$")
_MONTH_FOLDER = re.compile(r"^\d{2}$")
# Apache's own names for error logs, as documented in docs/lake.md: error.log, error_log,
# <vhost>-error.log, with a rotation number and .gz.
_ERROR_LOG_NAME = re.compile(r"(?i)^(?:.*[._-])?error[._]log(?:\.\d+)?(?:\.gz)?$")
# A file found in a folder is a log when its name has the word `log` (x.log, x.log.gz,
# access_log, error.log.1): a README.txt beside the logs is skipped, not read.
_LOG_NAME = re.compile(r"(?i)(?:^|[._-])log(?:$|[._-])")

LogKind = Literal["access", "error"]


@dataclass(frozen=True)
class FoundFile:
    """A file to ingest, and the folder it was found in (what its path says is read below it).

    `named` is true for a file given by name: it is read whatever its name.
    """

    path: Path
    root: Path
    named: bool = False


@dataclass(frozen=True)
class LogSource:
    """One log file, and what its path says about it."""

    path: Path
    key: str  # its manifest key: relative to the log folder when under it
    site: str
    kind: LogKind
    log_date: dt.date | None  # from an OVH file name
    live: bool  # today's growing log (under <site>/live/)


@dataclass(frozen=True)
class LineBatch:
    """Consecutive lines of a file: one column `raw`, the first line numbered `first_line`."""

    first_line: int
    lines: pl.DataFrame


def _parse_ovh_name(name: str, key: str) -> tuple[str, dt.date] | None:
    """Site and day of an OVH file name; a name with an impossible date cannot be placed."""
    match = _OVH_FILE_NAME.match(name)
    if not match:
        return None
    try:
        day = dt.date(int(match["year"]), int(match["month"]), int(match["day"]))
    except ValueError:
        raise UnplacedFileError(
            f"{key!r} is named for {match['day']}-{match['month']}-{match['year']}, which is not "
            "a date: rename it <site>-DD-MM-YYYY.log(.gz) with its real date"
        ) from None
    return match["site"], day


def _inside(path: Path, folder: Path) -> tuple[str, ...] | None:
    """The parts of `path` below `folder`, or None when it is not below it."""
    try:
        return path.relative_to(folder).parts
    except ValueError:
        return None


def describe_source(
    found: FoundFile, log_root: Path | None, site_flag: str | None, fallback_site: str | None
) -> LogSource:
    """What a path says about a log: its site and date (OVH names), access or error, live or not.

    Kind and liveness come from golkepar's own layout, relative to `log_root` when the file is
    under it, else to the folder it was found in, and from Apache's error-log names. The site
    is `site_flag` when given, else the one in an OVH file name, else `fallback_site`. A file
    that cannot be placed raises `UnplacedFileError`: it is skipped, not failed.
    """
    path = found.path
    # The folder, not the file, is resolved: a link is placed where it is, read where it points.
    folder = path.parent.resolve()
    resolved = folder / path.name
    root = log_root.resolve() if log_root else None
    below_root = _inside(resolved, root) if root else None
    key = "/".join(below_root) if below_root else str(resolved)
    if not found.named:
        if not _LOG_NAME.search(path.name):
            raise UnplacedFileError(
                f"{key!r} is not named like a log (*.log, *.log.gz, *_log): skipped; "
                "give it by name to ingest it anyway"
            )
        target = path.resolve()
        if _inside(target, found.root.resolve()) is None:
            raise UnplacedFileError(
                f"{key!r} is a link to {str(target)!r}, outside {str(found.root)!r}: skipped; "
                "golkepar reads only the files under the folder it is given"
            )
    parts = below_root or _inside(resolved, found.root.resolve()) or (path.name,)
    named = _parse_ovh_name(path.name, key)
    site = site_flag or (named[0] if named else None) or fallback_site
    if site is None:
        raise UnplacedFileError(
            f"cannot tell which site {key!r} belongs to: name it <site>-DD-MM-YYYY.log(.gz), "
            "or set OVH_STATS_ACCOUNT_NAME or --site"
        )
    in_error_folder = (
        len(parts) >= 4
        and parts[-4] == _ERROR_FOLDER
        and bool(_YEAR_FOLDER.match(parts[-3]))
        and bool(_MONTH_FOLDER.match(parts[-2]))
    )
    kind: LogKind = "error" if in_error_folder or _ERROR_LOG_NAME.match(path.name) else "access"
    live = len(parts) >= 2 and parts[-2] == _LIVE_FOLDER and named is not None and kind == "access"
    return LogSource(
        path=path,
        key=key,
        site=site,
        kind=kind,
        log_date=named[1] if named else None,
        live=live,
    )


# Files that live beside logs but are not logs: fetch state, locks, downloads in progress.
_NOT_LOGS = (".part", ".json", ".lock")


def _is_candidate(path: Path, folder: Path) -> bool:
    """A file under `folder`, not hidden (nor in a hidden folder), and not one of _NOT_LOGS."""
    hidden = any(part.startswith(".") for part in path.relative_to(folder).parts)
    return not hidden and not path.name.endswith(_NOT_LOGS) and path.is_file()


def find_log_files(paths: Sequence[Path]) -> list[FoundFile]:
    """The files named, and the files under the folders named, in a stable order."""
    found: list[FoundFile] = []
    for path in paths:
        if path.is_dir():
            found.extend(
                FoundFile(p, path) for p in sorted(path.rglob("*")) if _is_candidate(p, path)
            )
        elif path.is_file():
            found.append(FoundFile(path, path.parent, named=True))
        else:
            raise IngestError(f"{str(path)!r} does not exist: give a log file or a folder of logs")
    return found


def content_hash(path: Path) -> str:
    """SHA-256 of the file as stored (compressed bytes for a .gz)."""
    digest = hashlib.sha256()
    with open(path, "rb") as stream:
        while chunk := stream.read(CHUNK_BYTES):
            digest.update(chunk)
    return digest.hexdigest()


def _open_decompressed(path: Path) -> BinaryIO:
    with open(path, "rb") as probe:
        magic = probe.read(2)
    if magic == GZIP_MAGIC:
        # ISA-L's gzip reader: the same format and CRC checks, twice as fast as zlib's.
        return igzip.open(path, "rb")  # type: ignore[no-any-return,no-untyped-call]
    return open(path, "rb")


def _decode_line(raw: bytes) -> str:
    """UTF-8 where valid, else Latin-1 (every byte maps to one character: nothing is lost)."""
    try:
        return raw.decode("utf-8")
    except UnicodeDecodeError:
        return raw.decode("latin-1")


def _decode_replaced_again(chunk: bytes, lines: pl.Series, has_return: bool) -> pl.Series:
    """`lines` with each line that holds U+FFFD decoded again from its own bytes in `chunk`.

    The lines before a replaced one were read exactly (valid UTF-8 has as many bytes decoded
    as raw), so its bytes start where their lengths add up to, plus what the replaced lines
    before it gained or lost; only those few lines are looked for in `chunk`.
    """
    replaced = lines.str.contains("\ufffd", literal=True).arg_true()
    if not len(replaced):
        return lines
    if has_return:  # the reader may have dropped a `\r`: lengths no longer add up
        raw_lines = chunk.split(b"\n")
        fixed = [_decode_line(raw_lines[i]) for i in replaced]
    else:
        read_bytes = lines.str.len_bytes().cast(pl.Int64)
        starts = (read_bytes + 1).cum_sum() - (read_bytes + 1)
        fixed, drift = [], 0
        for start, length in zip(
            starts.gather(replaced).to_list(),
            read_bytes.gather(replaced).to_list(),
            strict=True,
        ):
            begin = start + drift
            end = chunk.find(b"\n", begin)
            fixed.append(_decode_line(chunk[begin:end]))
            drift += (end - begin) - length
    return lines.scatter(replaced, pl.Series(fixed, dtype=pl.String))


def _lines_frame(chunk: bytes, line_count: int) -> pl.DataFrame:
    """One row per line of `chunk` (which ends with a newline), column `raw`.

    Fast path: the CSV reader splits the lines (each one a single field), replacing bytes that
    are not UTF-8 with U+FFFD; those few lines are then decoded again from their bytes.
    """
    if _LINE_SEPARATOR.encode() not in chunk:
        frame = pl.read_csv(
            chunk,
            has_header=False,
            separator=_LINE_SEPARATOR,
            quote_char=None,
            new_columns=["raw"],
            schema={"raw": pl.String},
            encoding="utf8-lossy",
        )
        # The reader drops a blank last line: then the counts differ and the slow path runs.
        if frame.height == line_count:
            lines = frame.get_column("raw").fill_null("")  # blank lines read as null
            has_return = b"\r" in chunk
            if not chunk.isascii():
                lines = _decode_replaced_again(chunk, lines, has_return)
            if has_return:
                lines = lines.str.strip_suffix("\r")
            return pl.DataFrame({"raw": lines})
    # Rare: a blank last line, or the byte used as the reader's field separator.
    return pl.DataFrame(
        {"raw": [_decode_line(raw).removesuffix("\r") for raw in chunk[:-1].split(b"\n")]},
        schema={"raw": pl.String},
    )


def _cut_long_lines(lines: pl.DataFrame, max_line_bytes: int) -> pl.DataFrame:
    raw = lines.get_column("raw")
    if (raw.str.len_bytes().max() or 0) <= max_line_bytes:  # type: ignore[operator]
        return lines
    return lines.select(pl.col("raw").str.slice(0, max_line_bytes))


def _by_line_count(chunk: bytes, max_lines: int) -> Iterator[tuple[bytes, int]]:
    """`chunk` (whole lines) in pieces of at most `max_lines` lines, with their line counts.

    Halved at a newline until small enough: real logs (hundreds of bytes a line) pass whole,
    and a chunk of millions of empty lines does not become one frame of millions of rows.
    """
    count = chunk.count(b"\n")
    if count <= max_lines:
        if count:
            yield chunk, count
        return
    middle = chunk.rfind(b"\n", 0, len(chunk) // 2) + 1 or chunk.find(b"\n") + 1
    yield from _by_line_count(chunk[:middle], max_lines)
    yield from _by_line_count(chunk[middle:], max_lines)


def read_line_batches(
    path: Path,
    batch_bytes: int = BATCH_BYTES,
    max_line_bytes: int = MAX_LINE_BYTES,
    max_batch_lines: int = MAX_BATCH_LINES,
) -> Iterator[LineBatch]:
    """Every line of `path` (gzip found by its magic bytes), in batches of about `batch_bytes`.

    A line longer than `max_line_bytes` is cut there: a file of one endless line must not
    take all the memory. It stays one line, so the numbering of the others is unchanged.
    """
    next_line = 1
    pending = b""
    cutting = False  # dropping the rest of a line that was cut
    try:
        with _open_decompressed(path) as stream:
            while block := stream.read(batch_bytes):
                if cutting:
                    end = block.find(b"\n")
                    if end < 0:
                        continue
                    block, cutting = block[end:], False
                cut = block.rfind(b"\n")
                # One copy of the block (a memoryview is not one): it is megabytes.
                chunk = pending + memoryview(block)[: cut + 1] if cut >= 0 else b""
                pending = block[cut + 1 :] if cut >= 0 else pending + block
                if len(pending) > max_line_bytes:
                    pending, cutting = pending[:max_line_bytes], True
                for piece, count in _by_line_count(chunk, max_batch_lines):
                    lines = _cut_long_lines(_lines_frame(piece, count), max_line_bytes)
                    yield LineBatch(next_line, lines)
                    next_line += count
            if pending:  # a last line without its newline
                yield LineBatch(next_line, _lines_frame(pending + b"\n", 1))
    except (gzip.BadGzipFile, EOFError, zlib.error) as e:
        raise IngestError(
            f"{str(path)!r} is not a valid gzip file ({e}): download it again (golkepar fetch)"
        ) from e
    except OSError as e:
        raise IngestError(f"cannot read {str(path)!r}: {e}") from e


def sample_lines(path: Path, count: int = 50) -> list[str]:
    """The first `count` non-empty lines of a file, for format detection.

    Blank lines are passed over however many there are (in bounded memory): a file with none
    but blank lines has no sample.
    """
    sample: list[str] = []
    for batch in read_line_batches(path, batch_bytes=256 * 1024):
        raw = batch.lines.get_column("raw")
        sample.extend(raw.filter(raw != "").head(count - len(sample)).to_list())
        if len(sample) >= count:
            break
    return sample
