"""The one retry policy and status table that fetch and geoip update share."""

from __future__ import annotations

import httpx
import pytest
from pytest_httpserver import HTTPServer

from golkepar._http import (
    RetryableStatus,
    RetryPolicy,
    Server,
    is_transient,
    make_client,
    status_error,
)
from golkepar.errors import AuthError, HTTPError

SOURCE = Server("Example", auth_hint="check EXAMPLE_KEY", forbidden_hint="not subscribed")
QUOTA = Server("Quota", limit_hint="retry tomorrow", retry_rate_limit=False)
POLICY = RetryPolicy(max_retry_after_s=60)


@pytest.mark.parametrize(
    ("status", "headers", "server", "expected", "message"),
    [
        (401, {}, SOURCE, AuthError, "Example refused access to f (HTTP 401): check EXAMPLE_KEY"),
        (403, {}, SOURCE, AuthError, "Example refused access to f (HTTP 403): not subscribed"),
        (403, {}, QUOTA, AuthError, "Quota refused access to f (HTTP 403): check the URL and"),
        (404, {}, SOURCE, HTTPError, "f does not exist (HTTP 404)"),
        (410, {}, SOURCE, HTTPError, "f answered HTTP 410: check the base URL"),
        (400, {}, SOURCE, HTTPError, "f answered HTTP 400"),
        (408, {}, SOURCE, RetryableStatus, "HTTP 408"),
        (429, {}, SOURCE, RetryableStatus, "HTTP 429"),
        (429, {"Retry-After": "7"}, SOURCE, RetryableStatus, "HTTP 429"),
        (429, {"Retry-After": "3600"}, SOURCE, HTTPError, "Example is limiting downloads"),
        (
            429,
            {"Retry-After": "1"},
            QUOTA,
            HTTPError,
            "Quota is limiting downloads (HTTP 429): retry tomorrow",
        ),
        (500, {}, SOURCE, RetryableStatus, "HTTP 500"),
        (503, {"Retry-After": "3600"}, SOURCE, RetryableStatus, "HTTP 503"),
        (599, {}, SOURCE, RetryableStatus, "HTTP 599"),
    ],
)
def test_each_status_means_one_error(
    status: int,
    headers: dict[str, str],
    server: Server,
    expected: type[Exception],
    message: str,
) -> None:
    error = status_error(httpx.Response(status, headers=headers), "f", server, POLICY)
    assert type(error) is expected
    assert str(error).startswith(message)
    assert is_transient(error) == (expected is RetryableStatus)
    if isinstance(error, RetryableStatus):
        assert error.status == status
    else:
        assert error.status_code == status  # type: ignore[union-attr]


def test_a_long_retry_after_on_a_busy_server_is_cut_to_the_policy() -> None:
    error = status_error(httpx.Response(503, headers={"Retry-After": "3600"}), "f", SOURCE, POLICY)
    assert isinstance(error, RetryableStatus) and error.retry_after_s == 60


def _get(client: httpx.Client, url: str) -> str:
    response = client.get(url)
    if response.status_code != 200:
        raise status_error(response, url, SOURCE, POLICY)
    return response.text


def test_the_policy_retries_what_is_temporary_waiting_as_told(httpserver: HTTPServer) -> None:
    busy = httpserver.url_for("/busy")
    httpserver.expect_ordered_request("/busy").respond_with_data("", 503, {"Retry-After": "2"})
    httpserver.expect_ordered_request("/busy").respond_with_data("", 502)
    httpserver.expect_ordered_request("/busy").respond_with_data("here")
    waits: list[float] = []
    retried: list[str] = []
    policy = RetryPolicy(attempts=3, base_delay_s=0.5, sleep=waits.append)

    with make_client() as client:
        body = policy.call(lambda: _get(client, busy), on_retry=lambda e: retried.append(str(e)))

    assert body == "here"
    assert retried == ["HTTP 503", "HTTP 502"]
    assert waits[0] == 2 and 0 <= waits[1] <= 1.0


def test_the_policy_gives_up_after_its_attempts_and_never_retries_a_refusal(
    httpserver: HTTPServer,
) -> None:
    httpserver.expect_request("/down").respond_with_data("", 500)
    httpserver.expect_request("/secret").respond_with_data("", 401)
    policy = RetryPolicy(attempts=3, sleep=lambda _: None)

    with make_client() as client:
        with pytest.raises(RetryableStatus, match="HTTP 500"):
            policy.call(lambda: _get(client, httpserver.url_for("/down")))
        with pytest.raises(AuthError):
            policy.call(lambda: _get(client, httpserver.url_for("/secret")))

    asked = [request.path for request, _ in httpserver.log]
    assert asked.count("/down") == 3 and asked.count("/secret") == 1
