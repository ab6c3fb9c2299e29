"""Write a sample site's logs in the layout `golkepar fetch` produces.

`<log_root>/<site>/access/YYYY/MM/<site>-DD-MM-YYYY.log.gz`, the same under `error/`, and
optionally today's growing file `<log_root>/<site>/live/<site>-DD-MM-YYYY.log`.
"""

from __future__ import annotations

import contextlib
import gzip
import heapq
import random
from collections.abc import Callable
from datetime import date, datetime, timedelta
from io import BufferedIOBase
from pathlib import Path
from zoneinfo import ZoneInfo

from golkepar._files import atomic_path
from golkepar.errors import ConfigError
from golkepar.sample import truth
from golkepar.sample.cast import cast
from golkepar.sample.traffic import Actor, Day, Hit

# OVH's servers write their logs in Paris time.
PARIS = ZoneInfo("Europe/Paris")
MONTHS = ("Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec")
WEEKDAYS = ("Mon", "Tue", "Wed", "Thu", "Fri", "Sat", "Sun")
# The live file holds the morning of the day after the archives.
LIVE_HOURS = 12
# After which valid line of the first day's access log each reject line goes.
REJECT_POSITIONS = (7, 40, 150, 400, 900)
GZIP_LEVEL = 6


def apache_time(instant: int) -> str:
    """`27/Nov/2026:10:14:29 +0100`: Paris local time with the offset in force then."""
    local = datetime.fromtimestamp(instant, PARIS)
    offset = local.utcoffset()
    minutes = int(offset.total_seconds()) // 60 if offset is not None else 0
    sign = "+" if minutes >= 0 else "-"
    return (
        f"{local.day:02d}/{MONTHS[local.month - 1]}/{local.year}:"
        f"{local.hour:02d}:{local.minute:02d}:{local.second:02d} "
        f"{sign}{abs(minutes) // 60:02d}{abs(minutes) % 60:02d}"
    )


def _escape(value: str | None) -> str:
    """A header as Apache logs it: `-` when absent, quotes and backslashes escaped."""
    if value is None:
        return "-"
    return value.replace("\\", "\\\\").replace('"', '\\"')


def access_line(hit: Hit) -> str:
    """One line of OVH's format: `%h %V %u %t "%r" %>s %b "%{Referer}i" "%{User-Agent}i"`."""
    size = "-" if hit.size is None else str(hit.size)
    return (
        f'{hit.ip} {hit.vhost} - [{apache_time(hit.instant)}] "{hit.request}" {hit.status} '
        f'{size} "{_escape(hit.referer)}" "{_escape(hit.user_agent)}"\n'
    )


def error_line(
    instant: int, micros: int, module: str, pid: int, client: str | None, message: str
) -> str:
    """An Apache 2.4 error-log line, in local time with no offset as Apache writes it."""
    local = datetime.fromtimestamp(instant, PARIS)
    stamp = (
        f"{WEEKDAYS[local.weekday()]} {MONTHS[local.month - 1]} {local.day:02d} "
        f"{local.hour:02d}:{local.minute:02d}:{local.second:02d}.{micros:06d} {local.year}"
    )
    who = f" [client {client}]" if client else ""
    return f"[{stamp}] [{module}] [pid {pid}]{who} {message}\n"


def _truncated(good: str) -> str:
    return good[: len(good) * 3 // 5] + "\n"  # cut short by a full disk


def _nuls(good: str) -> str:
    return "\x00" * 24 + "\n"  # a block of NULs left by a crash


def _impossible_date(good: str) -> str:
    opening = good.index("[")
    day_month = good[opening : good.index("/", good.index("/", opening) + 1)]
    return good.replace(day_month, "[31/Feb", 1)


def _non_numeric_status(good: str) -> str:
    closing = good.index('" ', good.index("] ") + 3)
    status_end = good.index(" ", closing + 2)
    return good[: closing + 2] + "OK" + good[status_end:]


def _garbage(good: str) -> str:
    return "Connection reset by peer\n"


# Lines ingest must reject, each made from the valid line before it, with the reason.
REJECT_MAKERS: tuple[tuple[Callable[[str], str], str], ...] = (
    (_truncated, truth.NO_MATCH),
    (_nuls, truth.NO_MATCH),
    (_impossible_date, truth.INVALID_TIMESTAMP),
    (_non_numeric_status, truth.NON_NUMERIC_STATUS),
    (_garbage, truth.NO_MATCH),
)


def gzip_writer(raw: BufferedIOBase) -> gzip.GzipFile:
    # No file name and a zero mtime in the header: the same seed gives the same bytes.
    return gzip.GzipFile(filename="", mode="wb", fileobj=raw, compresslevel=GZIP_LEVEL, mtime=0)


def _day_window(day: date, index: int, site: str, live: bool) -> Day:
    start = int(datetime(day.year, day.month, day.day, tzinfo=PARIS).timestamp())
    following = day + timedelta(days=1)
    end = int(datetime(following.year, following.month, following.day, tzinfo=PARIS).timestamp())
    return Day(index, start, start + LIVE_HOURS * 3600 if live else end, site)


def _file_name(site: str, day: date) -> str:
    return f"{site}-{day:%d-%m-%Y}.log"


def write_site_logs(
    log_root: Path,
    site: str = "example.com",
    start_date: date = date(2026, 10, 24),
    days: int = 3,
    seed: int = 0,
    humans: int = 12,
    live: bool = False,
) -> truth.SampleLogs:
    """Write `days` days of a site's access and error logs from `start_date`, and the truth.

    With `live`, also writes the next day's morning as the plain-text live file.
    """
    if days < 1:
        raise ConfigError(f"days={days!r}: sample logs need at least one day")
    actors = cast(random.Random(f"{seed}/{site}/cast"), humans, days)
    files: list[Path] = []
    lines: dict[str, int] = {}
    rejects: list[truth.RejectTruth] = []
    site_root = log_root / site
    for index in range(days + (1 if live else 0)):
        day = start_date + timedelta(days=index)
        is_live = index == days
        window = _day_window(day, index, site, is_live)
        if is_live:
            access = site_root / "live" / _file_name(site, day)
            error = None
        else:
            month = f"{day:%Y}/{day:%m}"
            access = site_root / "access" / month / (_file_name(site, day) + ".gz")
            error = site_root / "error" / month / (_file_name(site, day) + ".gz")
        counts = _write_day(actors, window, seed, access, error, log_root, rejects)
        for path, count in zip((access, error), counts, strict=False):
            if path is not None:
                files.append(path)
                lines[path.relative_to(log_root).as_posix()] = count
    return truth.SampleLogs(
        site=site,
        log_root=log_root,
        files=tuple(files),
        lines_per_file=lines,
        actors=tuple(actor.truth() for actor in actors),
        rejects=tuple(rejects),
    )


def _write_day(
    actors: list[Actor],
    day: Day,
    seed: int,
    access: Path,
    error: Path | None,
    log_root: Path,
    rejects: list[truth.RejectTruth],
) -> tuple[int, int]:
    """Write one day's access file (and error file); return their line counts."""
    # Each actor draws from its own seeded stream, so merging them lazily stays deterministic.
    streams = [
        actor.behaviour(actor, random.Random(f"{seed}/{actor.name}/{day.index}"), day)
        for actor in actors
    ]
    rng = random.Random(f"{seed}/{day.site}/{day.index}/writer")
    pid = rng.randint(1_000, 60_000)
    source = access.relative_to(log_root).as_posix()
    pending_rejects = [] if day.index else list(REJECT_POSITIONS)
    access_count = error_count = 0
    with contextlib.ExitStack() as stack:
        raw = stack.enter_context(open(stack.enter_context(atomic_path(access)), "wb"))
        # Archives are gzip; the live file is plain text, as OVH serves them.
        access_out: BufferedIOBase = stack.enter_context(gzip_writer(raw)) if error else raw
        error_out: BufferedIOBase | None = None
        if error is not None:
            raw_error = stack.enter_context(open(stack.enter_context(atomic_path(error)), "wb"))
            error_out = stack.enter_context(gzip_writer(raw_error))
            notice = "AH00489: Apache/2.4.62 (Unix) configured -- resuming normal operations"
            start_line = error_line(day.start, 0, "mpm_event:notice", pid, None, notice)
            error_out.write(start_line.encode())
            error_count += 1
        previous: Hit | None = None
        for valid, hit in enumerate(heapq.merge(*streams, key=lambda h: h.instant), start=1):
            access_out.write(access_line(hit).encode("latin-1"))
            access_count += 1
            previous = hit
            if pending_rejects and valid == pending_rejects[0]:
                pending_rejects.pop(0)
                access_count += _write_reject(access_out, hit, source, access_count, rejects)
            if hit.error is not None and error_out is not None:
                module, message = hit.error
                client = f"{hit.ip}:{rng.randint(32_768, 60_999)}"
                line = error_line(
                    hit.instant, rng.randrange(1_000_000), module, pid, client, message
                )
                error_out.write(line.encode("latin-1"))
                error_count += 1
        while pending_rejects and previous is not None:
            pending_rejects.pop(0)
            access_count += _write_reject(access_out, previous, source, access_count, rejects)
    return access_count, error_count


def _write_reject(
    out: BufferedIOBase, previous: Hit, source: str, written: int, rejects: list[truth.RejectTruth]
) -> int:
    """Write the next kind of reject line after `previous`; return the lines written (1)."""
    make, reason = REJECT_MAKERS[len(rejects) % len(REJECT_MAKERS)]
    out.write(make(access_line(previous)).encode("latin-1"))
    rejects.append(truth.RejectTruth(source, written + 1, reason))
    return 1
