"""Download one file with the shared retry policy, a size cap and a SHA-256 on the way.

Temporary failures (5xx, 408, a 429 that says when to come back, timeouts, dropped connections)
are retried with backoff; a refusal (401, 403, 404) or a daily quota is reported at once.
"""

from __future__ import annotations

import contextlib
import dataclasses
import hashlib
import io
import time
import urllib.parse
from collections.abc import Callable, Mapping
from contextlib import AbstractContextManager
from dataclasses import dataclass, field
from pathlib import Path
from typing import IO

import httpx

from golkepar._http import (
    BACKOFF_BASE_S,
    DEFAULT_ATTEMPTS,
    DEFAULT_TIMEOUT_S,
    RETRY_STATUSES,
    RetryableError,
    parse_retry_after,
    with_retries,
)
from golkepar.errors import AuthError, GeoipError, HTTPError
from golkepar.geoip.sources import Vendor, public_url

# Big enough for any GeoIP database published today (GeoLite2-City is ~60 MB, the largest
# ip-location-db file a few hundred), small enough that a runaway download cannot fill a disk.
MAX_DATABASE_BYTES = 2 * 1024**3
# A Retry-After longer than this is a quota, not a hiccup: report it instead of waiting.
MAX_RETRY_AFTER_S = 300.0
CHUNK_BYTES = 1 << 20


@dataclass(frozen=True)
class DownloadPolicy:
    """How hard to try and how much to accept; tests shrink the delays and the cap."""

    attempts: int = DEFAULT_ATTEMPTS
    base_delay_s: float = BACKOFF_BASE_S
    max_retry_after_s: float = MAX_RETRY_AFTER_S
    max_bytes: int = MAX_DATABASE_BYTES
    timeout_s: float = DEFAULT_TIMEOUT_S
    sleep: Callable[[float], None] = field(default=time.sleep, repr=False)


@dataclass(frozen=True)
class Fetched:
    """What a download gave: nothing new (304), or a file of `size` bytes with its SHA-256."""

    not_modified: bool
    size: int = 0
    sha256: str | None = None
    etag: str | None = None
    last_modified: str | None = None


class _Busy(RetryableError):
    """A status worth asking again; remembers the status for the final message."""

    def __init__(self, status: int, retry_after_s: float | None) -> None:
        super().__init__(f"HTTP {status}", retry_after_s)
        self.status = status


def _refusal(response: httpx.Response, shown: str, vendor: Vendor, policy: DownloadPolicy) -> None:
    """Raise the right error for a non-success status, or `_Busy` when it is worth retrying."""
    status = response.status_code
    if status in (401, 403):
        hint = (vendor.forbidden_hint if status == 403 else None) or vendor.auth_hint
        raise AuthError(f"{vendor.label} refused access to {shown} (HTTP {status}): {hint}", status)
    if status == 404:
        raise HTTPError(f"{shown} does not exist (HTTP 404): check the base URL and file name", 404)
    retry_after = parse_retry_after(response.headers.get("Retry-After"))
    if status == 429 and (
        not vendor.retry_rate_limit or retry_after is None or retry_after > policy.max_retry_after_s
    ):
        raise HTTPError(
            f"{vendor.label} is limiting downloads (HTTP 429): {vendor.limit_hint}", 429
        )
    if status in RETRY_STATUSES or status >= 500:
        raise _Busy(
            status, None if retry_after is None else min(retry_after, policy.max_retry_after_s)
        )
    raise HTTPError(f"{shown} answered HTTP {status}: check the base URL", status)


def _host(url: str) -> str:
    return urllib.parse.urlsplit(url).hostname or url


def _stream(
    client: httpx.Client,
    url: str,
    sink: Callable[[], AbstractContextManager[IO[bytes]]],
    vendor: Vendor,
    policy: DownloadPolicy,
    headers: Mapping[str, str],
) -> Fetched:
    shown = public_url(url)

    def attempt_once() -> Fetched:
        with client.stream("GET", url, headers=dict(headers)) as response:
            if response.status_code == 304:
                return Fetched(not_modified=True)
            if response.status_code != 200:
                _refusal(response, shown, vendor, policy)
            declared = response.headers.get("Content-Length", "")
            if declared.isdigit() and int(declared) > policy.max_bytes:
                raise GeoipError(
                    f"{shown} is {int(declared):,} bytes, over the {policy.max_bytes:,} byte cap: "
                    "refusing it"
                )
            digest = hashlib.sha256()
            size = 0
            with sink() as out:
                for chunk in response.iter_bytes(CHUNK_BYTES):
                    size += len(chunk)
                    if size > policy.max_bytes:
                        raise GeoipError(
                            f"{shown} is over the {policy.max_bytes:,} byte cap: refusing it"
                        )
                    digest.update(chunk)
                    out.write(chunk)
            return Fetched(
                not_modified=False,
                size=size,
                sha256=digest.hexdigest(),
                etag=response.headers.get("ETag"),
                last_modified=response.headers.get("Last-Modified"),
            )

    attempts = policy.attempts
    try:
        return with_retries(attempt_once, attempts, policy.base_delay_s, policy.sleep)
    except _Busy as e:
        if e.status == 429:
            raise HTTPError(
                f"{vendor.label} is limiting downloads (HTTP 429 {attempts} times): "
                f"{vendor.limit_hint}",
                429,
            ) from None
        raise HTTPError(
            f"{vendor.label} is failing (HTTP {e.status} {attempts} times from {shown}): "
            "the source is down, retry later",
            e.status,
        ) from None
    except httpx.TimeoutException:
        raise HTTPError(f"{shown} timed out {attempts} times: the source is slow or down") from None
    except httpx.RemoteProtocolError as e:
        raise HTTPError(
            f"the download of {shown} was cut short {attempts} times ({e}): retry later"
        ) from None
    except httpx.NetworkError as e:
        raise HTTPError(
            f"cannot reach {_host(url)} ({e}): check the network or the base URL"
        ) from None
    except httpx.HTTPError as e:
        raise HTTPError(f"downloading {shown} failed ({type(e).__name__}: {e})") from None


def download_file(
    client: httpx.Client,
    url: str,
    target: Path,
    vendor: Vendor,
    policy: DownloadPolicy,
    headers: Mapping[str, str] | None = None,
) -> Fetched:
    """Stream `url` into `target` (truncated on each attempt); a 304 leaves it as it was."""
    return _stream(client, url, lambda: open(target, "wb"), vendor, policy, headers or {})


def download_text(
    client: httpx.Client, url: str, vendor: Vendor, policy: DownloadPolicy, max_bytes: int
) -> str:
    """A small text answer (a `.sha256` companion file), decoded as UTF-8."""
    bodies: list[io.BytesIO] = []

    def fresh_body() -> AbstractContextManager[IO[bytes]]:
        bodies.append(io.BytesIO())
        return contextlib.nullcontext(bodies[-1])

    small = dataclasses.replace(policy, max_bytes=max_bytes)
    _stream(client, url, fresh_body, vendor, small, {})
    return bodies[-1].getvalue().decode("utf-8", errors="replace") if bodies else ""
