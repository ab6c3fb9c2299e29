"""One file from the OVH logs server to disk: verified, atomic, retried when that may help.

A daily archive is kept exactly as gzip bytes and checked (magic bytes, CRC, length) before it is
renamed into place. The live log grows during the day: only its new bytes are asked for.
"""

from __future__ import annotations

import gzip
import logging
import os
import re
import shutil
import time
import zlib
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import TypeVar

import httpx

from golkepar._files import CHUNK_BYTES, GZIP_MAGIC, atomic_path, temp_path_for
from golkepar._http import RetryableError, RetryPolicy, Server, receive_raw_body, status_error
from golkepar.config import Settings
from golkepar.errors import HTTPError
from golkepar.fetch.state import LiveCopy

log = logging.getLogger(__name__)
T = TypeVar("T")

# Ask for the file as stored: a server that still gzips the .gz on the wire is handled anyway.
IDENTITY = {"Accept-Encoding": "identity"}
_CONTENT_RANGE = re.compile(r"^bytes\s+(?:(\d+)-(\d+)|\*)/(\d+|\*)$")
AUTH_HINT = (
    "check OVH_STATS_USER and OVH_STATS_PASSWORD (the logs user of the OVH control panel) "
    "and that OVH_STATS_ACCOUNT_NAME is a site this user may read"
)


MIB = 1024 * 1024
# A log line starts `<client> <vhost or identd> <user> [<time>] "`: OVH, combined, common.
_LOG_LINE_START = re.compile(rb"^\S+ \S+ \S+ \[[^\]\n]{1,64}\] \"")


@dataclass(frozen=True)
class FileLimits:
    """What one file may take: bytes once decoded, and time from its first request.

    Both are final when passed (asking again would bring the same): the file fails alone, and
    nothing is kept of it.
    """

    max_bytes: int = Settings.fetch_max_file_mb * MIB
    deadline_s: float = Settings.fetch_file_deadline_seconds

    def start(self, url: str) -> _Budget:
        return _Budget(self, url, time.monotonic() + self.deadline_s)


@dataclass
class _Budget:
    """One file's allowance, as it downloads: the deadline runs across attempts."""

    limits: FileLimits
    url: str
    deadline: float
    used: int = 0

    def restart(self, used: int = 0) -> None:
        """A new attempt, whose file starts with `used` bytes already there."""
        self.used = used
        self.check_time()

    def check_time(self) -> None:
        if time.monotonic() > self.deadline:
            raise HTTPError(
                f"{self.url} was not done after {self.limits.deadline_s:g} seconds "
                "(FETCH_FILE_DEADLINE_SECONDS): the server sends too slowly; nothing kept"
            )

    def spend(self, count: int) -> None:
        """Count `count` more decoded bytes; raise when past the size cap or the deadline."""
        self.used += count
        if self.used > self.limits.max_bytes:
            raise HTTPError(
                f"{self.url} is larger than {self.limits.max_bytes // MIB} MiB once unpacked "
                "(FETCH_MAX_FILE_MB): no daily log is that big; nothing kept"
            )
        self.check_time()

    def writer(self, write: Callable[[bytes], object]) -> Callable[[bytes], None]:
        def counted(chunk: bytes) -> None:
            self.spend(len(chunk))
            write(chunk)

        return counted


def check_looks_like_log(path: Path, url: str) -> None:
    """Refuse a live log whose first line is no access-log line (a login or error page sent
    with 200): kept, the next fetch would append the real log to it with a Range request.
    """
    with open(path, "rb") as stored:
        head = stored.read(4096)
    first = head.lstrip(b"\r\n").split(b"\n", 1)[0]
    if first and not _LOG_LINE_START.match(first):
        raise HTTPError(
            f"{url} answered something that is not a log (it starts {first[:60]!r}): "
            "check OVH_LOGS_URL and the credentials; nothing kept"
        )


@dataclass(frozen=True)
class LiveRefresh:
    """What refreshing the live log did: bytes received, and the copy now on disk (if any)."""

    changed: bool
    found: bool
    bytes: int
    copy: LiveCopy | None
    detail: str


def ovh_logs_server(user: str) -> Server:
    """The OVH logs server, as status errors name it."""
    return Server("the OVH logs server", auth_hint=f"{AUTH_HINT} (user {user!r})")


def check_status(response: httpx.Response, url: str, user: str, policy: RetryPolicy) -> None:
    """Raise for a status that is not a success: at once for auth, retryably for a busy server."""
    if response.status_code >= 400:
        raise status_error(response, url, ovh_logs_server(user), policy)


def verify_gzip(path: Path, budget: _Budget | None = None) -> None:
    """Read the whole gzip through, so its CRC and length are checked; raise retryably if bad.

    Its unpacked bytes count against `budget`: a small archive may unpack without end.
    """
    with open(path, "rb") as stored:
        if stored.read(2) != GZIP_MAGIC:
            raise RetryableError("not a gzip file (bad magic bytes)")
    if budget is not None:
        budget.restart()
    try:
        with gzip.open(path, "rb") as archive:
            while chunk := archive.read(CHUNK_BYTES):
                if budget is not None:
                    budget.spend(len(chunk))
    except (OSError, EOFError, zlib.error) as e:
        raise RetryableError(f"gzip check failed: {e}") from e


def strip_wire_gzip(path: Path, budget: _Budget | None = None) -> None:
    """Undo a Content-Encoding gzip laid over a file that is itself gzip, keeping the stored file.

    Most servers that send the header only mislabel the stored bytes; this handles the others.
    What it unpacks counts against `budget`, so a gzip of a gzip cannot fill the disk.
    """
    with open(path, "rb") as stored:
        try:
            head = zlib.decompressobj(wbits=31).decompress(stored.read(64 * 1024), 2)
        except zlib.error:
            return  # not gzip at all: verify_gzip will say so
    if head != GZIP_MAGIC:
        return
    inner = temp_path_for(path)
    if budget is not None:
        budget.restart()
    try:
        with gzip.open(path, "rb") as wire, open(inner, "wb") as out:
            write = budget.writer(out.write) if budget is not None else out.write
            while chunk := wire.read(CHUNK_BYTES):
                write(chunk)
        os.replace(inner, path)
    except (OSError, EOFError, zlib.error) as e:
        raise RetryableError(f"gzip check failed: {e}") from e
    finally:
        inner.unlink(missing_ok=True)


def _retried(attempt_once: Callable[[], T], url: str, policy: RetryPolicy) -> T:
    return policy.call(
        attempt_once, on_retry=lambda e: log.info("%s: %s", url, str(e) or type(e).__name__)
    )


def download_archive(
    client: httpx.Client,
    url: str,
    target: Path,
    user: str,
    policy: RetryPolicy,
    limits: FileLimits | None = None,
) -> int | None:
    """Download a daily `.log.gz` to `target`; return its size, or None when the server has none."""
    budget = (limits or FileLimits()).start(url)

    def attempt() -> int | None:
        budget.restart()
        with client.stream("GET", url, headers=IDENTITY) as response:
            if response.status_code == 404:
                return None
            check_status(response, url, user, policy)
            with atomic_path(target) as temp:
                with open(temp, "wb") as out:
                    receive_raw_body(response, budget.writer(out.write))
                if "gzip" in response.headers.get("Content-Encoding", "").lower():
                    strip_wire_gzip(temp, budget)
                verify_gzip(temp, budget)
            return target.stat().st_size

    return _retried(attempt, url, policy)


def _content_range(response: httpx.Response) -> tuple[int | None, int | None]:
    """(first byte, total size) from a Content-Range header; None for what it leaves out."""
    match = _CONTENT_RANGE.match(response.headers.get("Content-Range", "").strip())
    if match is None:
        return None, None
    first = int(match.group(1)) if match.group(1) else None
    total = int(match.group(3)) if match.group(3) != "*" else None
    return first, total


def refresh_live(
    client: httpx.Client,
    url: str,
    target: Path,
    known: LiveCopy | None,
    user: str,
    policy: RetryPolicy,
    limits: FileLimits | None = None,
) -> LiveRefresh:
    """Bring the local copy of today's log up to date: only new bytes when the server allows.

    The whole copy, once decoded, counts against `limits`; a copy downloaded whole must start
    like a log.
    """
    budget = (limits or FileLimits()).start(url)
    size = target.stat().st_size if target.is_file() else 0
    # An ETag only describes the copy it came with; a copy changed behind our back has none.
    etag = known.etag if known is not None and known.size == size and size > 0 else None
    current = LiveCopy(size, etag) if size > 0 else None

    def attempt(from_byte: int) -> LiveRefresh:
        headers = dict(IDENTITY)
        if from_byte > 0:
            headers["Range"] = f"bytes={from_byte}-"
            if etag:
                headers["If-None-Match"] = etag
        with client.stream("GET", url, headers=headers) as response:
            status = response.status_code
            if status == 404:
                return LiveRefresh(False, False, 0, current, "not on the server")
            if status == 304:
                return LiveRefresh(False, True, 0, current, "nothing new (same ETag)")
            if status == 416:
                _, total = _content_range(response)
                if total is not None and total < from_byte:
                    raise _Restart(f"server copy shrank to {total} bytes")
                return LiveRefresh(False, True, 0, current, "nothing new")
            check_status(response, url, user, policy)
            appending = status == 206
            if appending and _content_range(response)[0] != from_byte:
                raise _Restart(f"server sent a range not starting at byte {from_byte}")
            # Offsets count the file's own bytes: a live log compressed on the wire can only
            # be taken whole, and decoded.
            wire_encoded = response.headers.get("Content-Encoding", "identity") != "identity"
            if appending and wire_encoded:
                raise _Restart("server compresses the live log on the wire")
            if status not in (200, 206):
                raise HTTPError(f"unexpected HTTP {status} for {url}", status_code=status)
            budget.restart(from_byte if appending else 0)
            with atomic_path(target) as temp:
                if appending:
                    shutil.copyfile(target, temp)
                with open(temp, "ab" if appending else "wb") as out:
                    write = budget.writer(out.write)
                    if wire_encoded:
                        received = _receive_decoded(response, write)
                    else:
                        received = receive_raw_body(response, write)
                if not appending:
                    check_looks_like_log(temp, url)
                new_size = temp.stat().st_size
            new_copy = LiveCopy(new_size, response.headers.get("ETag"))
            detail = f"appended {received} bytes" if appending else "downloaded whole"
            return LiveRefresh(received > 0 or not appending, True, received, new_copy, detail)

    try:
        return _retried(lambda: attempt(size), url, policy)
    except _Restart as e:
        log.info("%s: %s; downloading it whole", url, e)
        return _retried(lambda: attempt(0), url, policy)


def _receive_decoded(response: httpx.Response, write: Callable[[bytes], object]) -> int:
    """Write a body as its Content-Encoding decodes; a cut body fails in the decoder."""
    received = 0
    try:
        for chunk in response.iter_bytes():
            write(chunk)
            received += len(chunk)
    except httpx.DecodingError as e:
        raise RetryableError(f"cannot decode the body: {e}") from e
    return received


class _Restart(Exception):
    """The local copy is no prefix of the server's: download the live log whole."""
