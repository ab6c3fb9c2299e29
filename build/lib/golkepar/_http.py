"""The one HTTP setup every download stage shares: identity, timeouts, retry policy, statuses.

As pygeoipupdate keeps one `_is_retryable_error`, golkepar keeps one `RetryPolicy` (what is
tried again, how often, how long to wait) and one `status_error` (what a status means), used
by `fetch` and `geoip update` alike.
"""

from __future__ import annotations

import random
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import TypeVar

import httpx

from golkepar import __version__
from golkepar.errors import AuthError, GolkeparError, HTTPError

USER_AGENT = f"golkepar/{__version__} (+https://github.com/golkepar/golkepar)"
# Statuses worth asking again: the server is busy or broken for now, not refusing us. Any other
# 5xx is too; every other status (401, 403, 404, 410...) will not change by asking again.
RETRY_STATUSES = frozenset({408, 425, 429, 500, 502, 503, 504})
DEFAULT_TIMEOUT_S = 30.0
DEFAULT_ATTEMPTS = 4
BACKOFF_BASE_S = 1.0
BACKOFF_MAX_S = 60.0

T = TypeVar("T")


class RetryableError(Exception):
    """Raised inside a retried call to say "this attempt failed, but another may succeed".

    `retry_after_s` carries a server's Retry-After, when it sent one.
    """

    def __init__(self, message: str, retry_after_s: float | None = None) -> None:
        super().__init__(message)
        self.retry_after_s = retry_after_s


class RetryableStatus(RetryableError):
    """A status worth asking again; remembers it for the message once attempts are used up."""

    def __init__(self, status: int, retry_after_s: float | None) -> None:
        super().__init__(f"HTTP {status}", retry_after_s)
        self.status = status


def is_transient(exc: BaseException) -> bool:
    """True for failures that may succeed when tried again."""
    return isinstance(
        exc,
        httpx.TimeoutException | httpx.NetworkError | httpx.RemoteProtocolError | RetryableError,
    )


def backoff_delay(attempt: int, base_s: float = BACKOFF_BASE_S) -> float:
    """Exponential backoff with full jitter for the given 1-based attempt number."""
    return random.uniform(0, min(BACKOFF_MAX_S, base_s * 2 ** (attempt - 1)))


@dataclass(frozen=True)
class RetryPolicy:
    """How hard to try one request.

    Only transient failures are tried again (`is_transient`). A Retry-After longer than
    `max_retry_after_s` is a quota, not a hiccup: `status_error` makes it final.
    """

    attempts: int = DEFAULT_ATTEMPTS
    base_delay_s: float = BACKOFF_BASE_S
    timeout_s: float = DEFAULT_TIMEOUT_S
    max_retry_after_s: float = BACKOFF_MAX_S
    sleep: Callable[[float], None] = field(default=time.sleep, repr=False, compare=False)

    def call(
        self, attempt_once: Callable[[], T], on_retry: Callable[[Exception], None] | None = None
    ) -> T:
        """Call `attempt_once` until it succeeds, retrying only transient failures.

        The last transient failure is re-raised when the attempts are used up; anything else
        (a 401, a corrupt file) is raised at once. `on_retry` hears of each failure retried.
        """
        for attempt in range(1, self.attempts + 1):
            try:
                return attempt_once()
            except Exception as exc:
                if not is_transient(exc) or attempt == self.attempts:
                    raise
                if on_retry is not None:
                    on_retry(exc)
                wait = getattr(exc, "retry_after_s", None)
                self.sleep(wait if wait is not None else backoff_delay(attempt, self.base_delay_s))
        raise AssertionError("unreachable")  # pragma: no cover


@dataclass(frozen=True)
class Server:
    """Who answers a download, and what to tell the user when it refuses."""

    label: str
    auth_hint: str = "check the URL and its credentials"
    # For a 403 that means something else than wrong credentials (an edition not subscribed).
    forbidden_hint: str | None = None
    limit_hint: str = "retry later"
    # False where every request counts against a daily quota: a 429 there is not worth retrying.
    retry_rate_limit: bool = True


def parse_retry_after(value: str | None) -> float | None:
    """Seconds to wait from a Retry-After header given in seconds (dates are ignored)."""
    if not value:
        return None
    try:
        return max(0.0, float(value))
    except ValueError:
        return None


def status_error(
    response: httpx.Response, shown: str, server: Server, policy: RetryPolicy
) -> GolkeparError | RetryableStatus:
    """The error a non-success status stands for: `RetryableStatus` when asking again may help.

    401 and 403 are an `AuthError` (asking again would be refused again); a 429 from a server
    with daily quotas, or asking to wait longer than the policy allows, is final.
    """
    status = response.status_code
    if status in (401, 403):
        hint = (server.forbidden_hint if status == 403 else None) or server.auth_hint
        return AuthError(
            f"{server.label} refused access to {shown} (HTTP {status}): {hint}", status
        )
    if status == 404:
        return HTTPError(
            f"{shown} does not exist (HTTP 404): check the base URL and file name", 404
        )
    retry_after = parse_retry_after(response.headers.get("Retry-After"))
    too_long = retry_after is not None and retry_after > policy.max_retry_after_s
    if status == 429 and (not server.retry_rate_limit or too_long):
        return HTTPError(
            f"{server.label} is limiting downloads (HTTP 429): {server.limit_hint}", 429
        )
    if status in RETRY_STATUSES or status >= 500:
        return RetryableStatus(
            status, None if retry_after is None else min(retry_after, policy.max_retry_after_s)
        )
    return HTTPError(f"{shown} answered HTTP {status}: check the base URL", status)


def make_client(
    auth: tuple[str, str] | None = None,
    timeout_s: float = DEFAULT_TIMEOUT_S,
    follow_redirects: bool = True,
) -> httpx.Client:
    """An httpx client that names golkepar, times out, and follows redirects."""
    return httpx.Client(
        auth=auth,
        timeout=httpx.Timeout(timeout_s),
        follow_redirects=follow_redirects,
        headers={"User-Agent": USER_AGENT},
    )


def receive_raw_body(response: httpx.Response, write: Callable[[bytes], object]) -> int:
    """Pass the body of a streamed response to `write` exactly as sent (no decoding).

    Returns the byte count; a body shorter than its Content-Length (a dropped connection)
    raises `RetryableError`, so nothing short is ever taken for whole.
    """
    received = 0
    for chunk in response.iter_raw():
        write(chunk)
        received += len(chunk)
    announced = response.headers.get("Content-Length")
    if announced is not None and announced.isdigit() and received != int(announced):
        raise RetryableError(f"body has {received} bytes of the {announced} announced")
    return received
