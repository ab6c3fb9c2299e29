"""A loopback stand-in for the OVH logs server, with the faults seen in the wild on demand."""

from __future__ import annotations

import base64
import gzip
import hashlib
import re
import threading
import time
from collections import Counter
from collections.abc import Iterator
from dataclasses import dataclass, field
from datetime import date, datetime, timedelta, timezone
from datetime import time as clock

from werkzeug import Request, Response

_RANGE = re.compile(r"^bytes=(\d+)-$")


def access_lines(site: str, day: date, count: int, start: int = 0) -> str:
    """`count` access-log lines of `day` in OVH's format, numbered from `start`."""
    paris = timezone(timedelta(hours=1))
    lines = []
    for n in range(start, start + count):
        at = datetime.combine(day, clock(0, 0), paris) + timedelta(seconds=37 * n)
        lines.append(
            f"203.0.113.{n % 250 + 1} {site} - [{at:%d/%b/%Y:%H:%M:%S %z}] "
            f'"GET /page-{n}.html HTTP/1.1" 200 {1000 + n} "-" "Mozilla/5.0 (X11; Linux) n{n}"\n'
        )
    return "".join(lines)


def error_lines(day: date, count: int) -> str:
    return "".join(
        f"[{day:%a %b %d} 10:{n % 60:02d}:00.000000 {day:%Y}] [php7:error] [pid {100 + n}] "
        f"[client 198.51.100.{n + 1}:4242] PHP Fatal error: oops {n}\n"
        for n in range(count)
    )


def gz(text: str) -> bytes:
    """gzip bytes that are the same on every run (no timestamp)."""
    return gzip.compress(text.encode(), mtime=0)


def with_bad_crc(archive: bytes) -> bytes:
    """The same gzip with its CRC32 trailer changed: the right length, the wrong content."""
    crc = bytes(b ^ 0xFF for b in archive[-8:-4])
    return archive[:-8] + crc + archive[-4:]


@dataclass
class FakeLogsServer:
    """Serves `files` (paths below `/<site>/`) behind basic auth; faults are counted per path."""

    user: str = "logs-user"
    password: str = "s3cret-Pass"
    files: dict[str, bytes] = field(default_factory=dict)
    fail_500: Counter[str] = field(default_factory=Counter)
    busy_503: Counter[str] = field(default_factory=Counter)
    retry_after: str = "1"
    slow: Counter[str] = field(default_factory=Counter)
    slow_s: float = 1.0
    truncate: Counter[str] = field(default_factory=Counter)
    bad_crc: Counter[str] = field(default_factory=Counter)
    gzip_encoding: bool = False
    # Compress the live log on the wire (Content-Encoding: gzip), whatever the client asks.
    encode_live: bool = False
    double_gzip: bool = False
    ranges: bool = True
    etags: bool = True
    # Seconds between 1 KiB chunks of a body: keeps a download mid-way for a while.
    drip_s: float = 0.0
    requests: list[tuple[str, dict[str, str]]] = field(default_factory=list)
    # Most bodies being sent at once (counted while dripping).
    max_in_flight: int = 0
    _in_flight: int = 0
    _lock: threading.Lock = field(default_factory=threading.Lock)

    def paths_asked(self) -> list[str]:
        return [path for path, _ in self.requests]

    def _authorised(self, request: Request) -> bool:
        token = base64.b64encode(f"{self.user}:{self.password}".encode()).decode()
        return request.headers.get("Authorization") == f"Basic {token}"

    def _take(self, counter: Counter[str], path: str) -> bool:
        with self._lock:
            if counter[path] > 0:
                counter[path] -= 1
                return True
            return False

    def handle(self, request: Request) -> Response:
        with self._lock:
            self.requests.append((request.path, dict(request.headers)))
        return self._answer(request)

    def _answer(self, request: Request) -> Response:
        if not self._authorised(request):
            return Response("denied", 401, {"WWW-Authenticate": 'Basic realm="logs"'})
        path = request.path
        if self._take(self.fail_500, path):
            return Response("broken", 500)
        if self._take(self.busy_503, path):
            return Response("busy", 503, {"Retry-After": self.retry_after})
        if self._take(self.slow, path):
            time.sleep(self.slow_s)
        if path not in self.files:
            return Response("not found", 404)
        body = self.files[path]
        headers: dict[str, str] = {}
        etag = f'"{hashlib.sha1(body).hexdigest()[:16]}"'
        if self.etags:
            headers["ETag"] = etag
            if request.headers.get("If-None-Match") == etag:
                return Response(status=304, headers=headers)
        status = 200
        asked = _RANGE.match(request.headers.get("Range", ""))
        if self.ranges and asked:
            first = int(asked.group(1))
            if first >= len(body):
                headers["Content-Range"] = f"bytes */{len(body)}"
                return Response(status=416, headers=headers)
            headers["Content-Range"] = f"bytes {first}-{len(body) - 1}/{len(body)}"
            body, status = body[first:], 206
        if path.endswith(".gz"):
            if self._take(self.bad_crc, path):
                body = with_bad_crc(body)
            if self.gzip_encoding:
                headers["Content-Encoding"] = "gzip"
                if self.double_gzip:
                    body = gzip.compress(body, mtime=0)
        elif self.encode_live:
            headers["Content-Encoding"] = "gzip"
            body = gzip.compress(body, mtime=0)
        headers["Content-Length"] = str(len(body))
        if self._take(self.truncate, path):
            # Announce the whole body, send half, hang up: a dropped connection.
            headers["Connection"] = "close"
            cut = Response(body[: len(body) // 2], status, headers)
            cut.headers["Content-Length"] = str(len(body))
            return cut
        if self.drip_s:
            return Response(self._drip(body), status, headers, direct_passthrough=True)
        return Response(body, status, headers)

    def _drip(self, body: bytes) -> Iterator[bytes]:
        """Send the body slowly, counting how many bodies are on their way at once."""
        with self._lock:
            self._in_flight += 1
            self.max_in_flight = max(self.max_in_flight, self._in_flight)
        try:
            for start in range(0, len(body), 1024):
                time.sleep(self.drip_s)
                yield body[start : start + 1024]
        finally:
            with self._lock:
                self._in_flight -= 1
