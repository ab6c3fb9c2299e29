"""The one HTTP client setup every download stage shares: identity, timeouts, retry policy."""

from __future__ import annotations

import random
import time
from collections.abc import Callable
from typing import TypeVar

import httpx

from golkepar import __version__

USER_AGENT = f"golkepar/{__version__} (+https://github.com/golkepar/golkepar)"
# Statuses worth asking again: the server is busy or broken for now, not refusing us.
RETRY_STATUSES = frozenset({408, 425, 429, 500, 502, 503, 504})
# Statuses that will not change by asking again.
NO_RETRY_STATUSES = frozenset({400, 401, 403, 404, 410})
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


def parse_retry_after(value: str | None) -> float | None:
    """Seconds to wait from a Retry-After header given in seconds (dates are ignored)."""
    if not value:
        return None
    try:
        return max(0.0, float(value))
    except ValueError:
        return None


def backoff_delay(attempt: int, base_s: float = BACKOFF_BASE_S) -> float:
    """Exponential backoff with full jitter for the given 1-based attempt number."""
    return random.uniform(0, min(BACKOFF_MAX_S, base_s * 2 ** (attempt - 1)))


def is_transient(exc: BaseException) -> bool:
    """True for network failures that may succeed when tried again."""
    return isinstance(
        exc,
        httpx.TimeoutException | httpx.NetworkError | httpx.RemoteProtocolError | RetryableError,
    )


def with_retries(
    attempt_once: Callable[[], T],
    attempts: int = DEFAULT_ATTEMPTS,
    base_delay_s: float = BACKOFF_BASE_S,
    sleep: Callable[[float], None] = time.sleep,
) -> T:
    """Call `attempt_once` until it succeeds, retrying only transient failures.

    The last transient failure is re-raised when `attempts` are used up; anything else
    (a 401, a corrupt file) is raised at once.
    """
    for attempt in range(1, attempts + 1):
        try:
            return attempt_once()
        except Exception as exc:
            if not is_transient(exc) or attempt == attempts:
                raise
            wait = getattr(exc, "retry_after_s", None)
            sleep(wait if wait is not None else backoff_delay(attempt, base_delay_s))
    raise AssertionError("unreachable")  # pragma: no cover


def retryable_status(response: httpx.Response) -> RetryableError:
    """The error to raise for a status in RETRY_STATUSES, carrying a bounded Retry-After."""
    wait = parse_retry_after(response.headers.get("Retry-After"))
    return RetryableError(
        f"HTTP {response.status_code}",
        retry_after_s=None if wait is None else min(wait, BACKOFF_MAX_S),
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
