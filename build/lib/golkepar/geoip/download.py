"""Download one file with the shared retry policy, a size cap and a SHA-256 on the way.

Temporary failures (5xx, 408, a 429 that says when to come back, timeouts, dropped connections)
are retried with backoff; a refusal (401, 403, 404) or a daily quota is reported at once.
"""

from __future__ import annotations

import contextlib
import dataclasses
import hashlib
import io
import urllib.parse
from collections.abc import Callable, Mapping
from contextlib import AbstractContextManager
from dataclasses import dataclass
from pathlib import Path
from typing import IO

import httpx

from golkepar._files import CHUNK_BYTES
from golkepar._http import RetryableStatus, RetryPolicy, Server, status_error
from golkepar.errors import GeoipError, HTTPError
from golkepar.geoip.sources import public_url

# Big enough for any GeoIP database published today (GeoLite2-City is ~60 MB, the largest
# ip-location-db file a few hundred), small enough that a runaway download cannot fill a disk.
MAX_DATABASE_BYTES = 2 * 1024**3
# A Retry-After longer than this is a quota, not a hiccup: report it instead of waiting.
MAX_RETRY_AFTER_S = 300.0


# The shared retry policy, with the patience a rarely-asked source deserves.
GEOIP_RETRY = RetryPolicy(max_retry_after_s=MAX_RETRY_AFTER_S)


@dataclass(frozen=True)
class DownloadPolicy:
    """How hard to try (the shared retry policy) and how much to accept; tests shrink both."""

    retry: RetryPolicy = GEOIP_RETRY
    max_bytes: int = MAX_DATABASE_BYTES


@dataclass(frozen=True)
class Fetched:
    """What a download gave: nothing new (304), or a file of `size` bytes with its SHA-256."""

    not_modified: bool
    size: int = 0
    sha256: str | None = None
    etag: str | None = None
    last_modified: str | None = None


def _host(url: str) -> str:
    return urllib.parse.urlsplit(url).hostname or url


def _stream(
    client: httpx.Client,
    url: str,
    sink: Callable[[], AbstractContextManager[IO[bytes]]],
    vendor: Server,
    policy: DownloadPolicy,
    headers: Mapping[str, str],
) -> Fetched:
    shown = public_url(url)

    def attempt_once() -> Fetched:
        with client.stream("GET", url, headers=dict(headers)) as response:
            if response.status_code == 304:
                return Fetched(not_modified=True)
            if response.status_code != 200:
                raise status_error(response, shown, vendor, policy.retry)
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

    attempts = policy.retry.attempts
    try:
        return policy.retry.call(attempt_once)
    except RetryableStatus as e:
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
    vendor: Server,
    policy: DownloadPolicy,
    headers: Mapping[str, str] | None = None,
) -> Fetched:
    """Stream `url` into `target` (truncated on each attempt); a 304 leaves it as it was."""
    return _stream(client, url, lambda: open(target, "wb"), vendor, policy, headers or {})


def download_text(
    client: httpx.Client, url: str, vendor: Server, policy: DownloadPolicy, max_bytes: int
) -> str:
    """A small text answer (a `.sha256` companion file), decoded as UTF-8."""
    bodies: list[io.BytesIO] = []

    def fresh_body() -> AbstractContextManager[IO[bytes]]:
        bodies.append(io.BytesIO())
        return contextlib.nullcontext(bodies[-1])

    small = dataclasses.replace(policy, max_bytes=max_bytes)
    _stream(client, url, fresh_body, vendor, small, {})
    return bodies[-1].getvalue().decode("utf-8", errors="replace") if bodies else ""
