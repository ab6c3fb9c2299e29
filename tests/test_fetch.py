from __future__ import annotations

import base64
import gzip
import json
import os
import re
import signal
import subprocess
import sys
import time
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import date, timedelta
from pathlib import Path

import duckdb
import filelock
import pytest
from pytest_httpserver import HTTPServer
from typer.testing import CliRunner

from conftest import SRC, run_golkepar
from golkepar._http import RetryPolicy
from golkepar.cli import app
from golkepar.config import Settings
from golkepar.errors import AuthError, ConfigError, FetchError, LockedError
from golkepar.fetch import (
    DateRange,
    FetchOptions,
    FetchResult,
    FileResult,
    LogKind,
    fetch_logs,
    plan_fetch,
)
from golkepar.fetch.naming import (
    check_site,
    cluster_name,
    local_path,
    remote_path,
    site_base_url,
)
from golkepar.fetch.plan import MISSING_RECHECK_DAYS, server_today
from ovh_logs_server import FakeLogsServer, access_lines, error_lines, gz

SITE = "example.com"
TODAY = date(2026, 3, 10)
# Tests wait milliseconds, not seconds, between attempts.
# The default patience, with backoffs too short to slow the suite.
QUICK = RetryPolicy(base_delay_s=0.01)
FAST = FetchOptions(jobs=4, retry=RetryPolicy(attempts=3, timeout_s=5.0, base_delay_s=0.01))


@dataclass
class Ovh:
    """The fake logs server, reachable on loopback."""

    http: HTTPServer
    fake: FakeLogsServer

    def url(self) -> str:
        return self.http.url_for("/{site}/")

    def put_day(self, site: str, day: date, hits: int = 20, errors: int = 3) -> None:
        """Publish the daily archives of `day`, as OVH does the morning after."""
        self.fake.files[archive_url_path(site, day, LogKind.ACCESS)] = gz(
            access_lines(site, day, hits)
        )
        if errors:
            self.fake.files[archive_url_path(site, day, LogKind.ERROR)] = gz(
                error_lines(day, errors)
            )

    def publish(self, days: int, today: date | None = None, hits: int = 20) -> date:
        """Archives of the `days` days before `today` (the server's, by default) and a live
        log of 7 lines; returns that today."""
        today = today or server_today()
        for n in range(1, days + 1):
            self.put_day(SITE, today - timedelta(days=n), hits=hits)
        self.put_live(SITE, today, access_lines(SITE, today, 7))
        return today

    def put_live(self, site: str, day: date, text: str) -> None:
        self.fake.files[archive_url_path(site, day, LogKind.LIVE)] = text.encode()


def archive_url_path(site: str, day: date, kind: LogKind) -> str:
    return f"/{site}/{remote_path(site, day, kind)}"


@pytest.fixture(scope="module")
def loopback() -> Iterator[tuple[HTTPServer, list[FakeLogsServer]]]:
    """One threaded server for the module (stopping one takes half a second); each test
    puts its own fake behind it."""
    http = HTTPServer(threaded=True)
    http.start()
    current = [FakeLogsServer()]
    http.expect_request(re.compile(".*")).respond_with_handler(lambda r: current[0].handle(r))
    yield http, current
    http.clear()
    http.stop()


@pytest.fixture
def ovh(loopback: tuple[HTTPServer, list[FakeLogsServer]]) -> Ovh:
    http, current = loopback
    current[0] = FakeLogsServer()
    return Ovh(http, current[0])


def settings_for(ovh: Ovh, root: Path, sites: str = SITE, password: str | None = None) -> Settings:
    return Settings(
        log_path_base=root,
        ovh_stats_account_name=sites,
        ovh_stats_user=ovh.fake.user,
        ovh_stats_password=password or ovh.fake.password,
        ovh_logs_url=ovh.url(),
    )


def tree(root: Path) -> dict[str, bytes]:
    """Every file under `root` with its content, by relative path."""
    return {
        str(p.relative_to(root)): p.read_bytes() for p in sorted(root.rglob("*")) if p.is_file()
    }


def partial_files(root: Path) -> list[Path]:
    return [p for p in root.rglob("*") if p.name.endswith(".part")]


def counts(result: FetchResult, site: str | None = None) -> tuple[int, int, int, int]:
    s = result.summary(site)
    return s.downloaded, s.skipped, s.missing, s.failed


def days_before(today: date, n: int) -> DateRange:
    return DateRange.choose(days=n, today=today)


# --- naming and dates (pure) ---------------------------------------------------------------


@pytest.mark.parametrize(
    ("kind", "remote", "local"),
    [
        (
            LogKind.ACCESS,
            "logs/logs-03-2026/example.com-07-03-2026.log.gz",
            "example.com/access/2026/03/example.com-07-03-2026.log.gz",
        ),
        (
            LogKind.ERROR,
            "logs/logs-03-2026/error/example.com-07-03-2026.log.gz",
            "example.com/error/2026/03/example.com-07-03-2026.log.gz",
        ),
        (
            LogKind.LIVE,
            "osl/example.com-07-03-2026.log",
            "example.com/live/example.com-07-03-2026.log",
        ),
    ],
)
def test_remote_and_local_names(kind: LogKind, remote: str, local: str) -> None:
    day = date(2026, 3, 7)
    assert remote_path(SITE, day, kind) == remote
    assert local_path(Path("/logs"), SITE, day, kind) == Path("/logs") / local


@pytest.mark.parametrize(
    ("site", "cluster", "logs_url", "sites", "base"),
    [
        (
            "example.com",
            "cluster021",
            None,
            1,
            "https://logs.cluster021.hosting.ovh.net/example.com/",
        ),
        ("example.com", "21", None, 1, "https://logs.cluster021.hosting.ovh.net/example.com/"),
        (
            "mylogin.cluster115.hosting.ovh.net",
            None,
            None,
            1,
            "https://logs.cluster115.hosting.ovh.net/mylogin.cluster115.hosting.ovh.net/",
        ),
        (
            "example.com",
            "cluster021",
            "https://logs.ovh.net/example.com",
            1,
            "https://logs.ovh.net/example.com/",
        ),
        ("b.fr", None, "http://127.0.0.1:8080/{site}/", 2, "http://127.0.0.1:8080/b.fr/"),
    ],
)
def test_site_base_url(
    site: str, cluster: str | None, logs_url: str | None, sites: int, base: str
) -> None:
    assert site_base_url(site, cluster, logs_url, sites) == base


@pytest.mark.parametrize(
    ("site", "cluster", "logs_url", "sites", "message"),
    [
        ("example.com", None, None, 1, "set OVH_STATS_CLUSTER"),
        ("example.com", "paris", None, 1, "OVH_STATS_CLUSTER='paris' is not a cluster"),
        ("a.fr", None, "https://logs.ovh.net/a.fr/", 2, r"write \{site\} where the site goes"),
        ("a.fr", None, "ftp://logs.ovh.net/{site}/", 1, "is not an http"),
        ("a.fr", None, "https://u:hunter2@logs.ovh.net/{site}/", 1, "must not hold a user"),
    ],
)
def test_site_base_url_errors(
    site: str, cluster: str | None, logs_url: str | None, sites: int, message: str
) -> None:
    with pytest.raises(ConfigError, match=message) as caught:
        site_base_url(site, cluster, logs_url, sites)
    assert "hunter2" not in str(caught.value)


@pytest.mark.parametrize("site", ["../etc", "a/b", ".hidden", "a..b", "", "ex ample.com"])
def test_site_names_that_would_escape_the_folder_are_refused(site: str) -> None:
    with pytest.raises(ConfigError, match="not a site name"):
        check_site(site)


def test_cluster_from_site_name() -> None:
    assert cluster_name(None, "login.cluster007.hosting.ovh.net") == "cluster007"
    assert cluster_name(None, "example.com") is None


def test_date_range_defaults_to_the_past_year_and_today() -> None:
    dates = DateRange.choose(today=TODAY)
    archives = dates.archive_days()
    assert len(archives) == 365
    assert archives[0] == TODAY - timedelta(days=1)
    assert archives[-1] == TODAY - timedelta(days=365)
    assert DateRange.choose(days=0, today=TODAY).archive_days() == []


def test_days_count_archives_up_to_until() -> None:
    until = TODAY - timedelta(days=20)
    archives = DateRange.choose(days=3, until=until, today=TODAY).archive_days()
    assert archives == [until, until - timedelta(days=1), until - timedelta(days=2)]
    since = DateRange.choose(since=until, until=until, today=TODAY)
    assert since.archive_days() == [until]


@pytest.mark.parametrize(
    ("kwargs", "message"),
    [
        ({"since": date(2026, 3, 1), "days": 3}, "not both"),
        ({"until": date(2026, 3, 11)}, "is after today"),
        ({"since": date(2026, 3, 9), "until": date(2026, 3, 8)}, "swap them"),
        ({"days": -1}, "negative"),
    ],
)
def test_date_range_errors(kwargs: dict[str, object], message: str) -> None:
    with pytest.raises(ConfigError, match=message):
        DateRange.choose(today=TODAY, **kwargs)  # type: ignore[arg-type]


def test_server_today_is_a_real_date() -> None:
    assert abs((server_today() - date.today()).days) <= 1


# --- downloading -----------------------------------------------------------------------------


def test_first_run_fetches_archives_and_live_log_exactly(ovh: Ovh, tmp_path: Path) -> None:
    ovh.publish(3, TODAY)
    root = tmp_path / "logs"

    result = fetch_logs(settings_for(ovh, root), days_before(TODAY, 3), FAST)

    assert counts(result) == (7, 0, 0, 0)
    files = tree(root)
    for n in range(1, 4):
        day = TODAY - timedelta(days=n)
        for kind in (LogKind.ACCESS, LogKind.ERROR):
            stored = files[str(local_path(root, SITE, day, kind).relative_to(root))]
            assert stored == ovh.fake.files[archive_url_path(SITE, day, kind)]
    live = local_path(root, SITE, TODAY, LogKind.LIVE)
    assert live.read_text() == access_lines(SITE, TODAY, 7)
    assert result.summary().bytes == sum(len(v) for v in ovh.fake.files.values())
    assert partial_files(root) == []
    user_agents = {headers.get("User-Agent", "") for _, headers in ovh.fake.requests}
    assert len(user_agents) == 1
    assert user_agents.pop().startswith("golkepar/")


def test_second_run_asks_only_for_the_live_log(ovh: Ovh, tmp_path: Path) -> None:
    ovh.publish(3, TODAY)
    settings = settings_for(ovh, tmp_path)
    fetch_logs(settings, days_before(TODAY, 3), FAST)
    before = tree(tmp_path)
    ovh.fake.requests.clear()

    result = fetch_logs(settings, days_before(TODAY, 3), FAST)

    assert counts(result) == (0, 7, 0, 0)
    assert ovh.fake.paths_asked() == [archive_url_path(SITE, TODAY, LogKind.LIVE)]
    assert tree(tmp_path) == before


def test_wrong_password_stops_at_once_and_names_the_variables(ovh: Ovh, tmp_path: Path) -> None:
    for n in range(1, 11):
        ovh.put_day(SITE, TODAY - timedelta(days=n))
    settings = settings_for(ovh, tmp_path, password="wrong-Pa55")

    with pytest.raises(AuthError) as caught:
        fetch_logs(settings, days_before(TODAY, 10), FetchOptions(jobs=1, retry=QUICK))

    message = str(caught.value)
    assert "OVH_STATS_USER" in message and "OVH_STATS_PASSWORD" in message
    assert "wrong-Pa55" not in message
    assert caught.value.status_code == 401
    # Stopped at the first refusal: no retries, no run through the other days.
    assert len(ovh.fake.requests) == 1
    assert [p for p in tmp_path.rglob("*.gz")] == []
    assert partial_files(tmp_path) == []


def test_404_days_are_remembered_only_when_old(ovh: Ovh, tmp_path: Path) -> None:
    old = TODAY - timedelta(days=MISSING_RECHECK_DAYS + 2)
    recent = TODAY - timedelta(days=1)
    for n in range(2, 8):
        day = TODAY - timedelta(days=n)
        if day != old:
            ovh.put_day(SITE, day)
    settings = settings_for(ovh, tmp_path)
    dates = days_before(TODAY, 7)

    first = fetch_logs(settings, dates, FAST)

    # 5 of the 7 days have both logs; `old` and `recent` have none; no live log today.
    assert counts(first) == (10, 0, 5, 0)
    state = json.loads((tmp_path / SITE / ".fetch-state.json").read_text())
    assert state["missing"] == {"access": [old.isoformat()], "error": [old.isoformat()]}

    ovh.fake.requests.clear()
    ovh.put_day(SITE, recent)  # the archive arrives later in the morning
    second = fetch_logs(settings, dates, FAST)
    asked = ovh.fake.paths_asked()
    assert archive_url_path(SITE, recent, LogKind.ACCESS) in asked
    assert archive_url_path(SITE, old, LogKind.ACCESS) not in asked
    assert counts(second) == (2, 10, 3, 0)
    assert local_path(tmp_path, SITE, recent, LogKind.ERROR).is_file()

    ovh.fake.requests.clear()
    ovh.put_day(SITE, old)
    third = fetch_logs(settings, dates, FetchOptions(retry_missing=True, retry=QUICK))
    assert archive_url_path(SITE, old, LogKind.ACCESS) in ovh.fake.paths_asked()
    assert counts(third) == (2, 12, 1, 0)
    state = json.loads((tmp_path / SITE / ".fetch-state.json").read_text())
    assert state["missing"] == {"access": [], "error": []}


def test_a_busy_server_is_given_the_time_it_asks_for(ovh: Ovh, tmp_path: Path) -> None:
    day = TODAY - timedelta(days=1)
    ovh.put_day(SITE, day, errors=0)
    access = archive_url_path(SITE, day, LogKind.ACCESS)
    ovh.fake.busy_503[access] = 1
    ovh.fake.retry_after = "1"

    started = time.monotonic()
    result = fetch_logs(settings_for(ovh, tmp_path), days_before(TODAY, 1), FAST)

    assert time.monotonic() - started >= 1.0  # Retry-After, not the 10 ms backoff
    assert counts(result) == (1, 0, 2, 0)
    assert ovh.fake.paths_asked().count(access) == 2


@pytest.mark.parametrize("times", [1, 2], ids=["once", "every-time"])
def test_a_slow_answer_times_out_and_is_asked_again(ovh: Ovh, tmp_path: Path, times: int) -> None:
    day = TODAY - timedelta(days=1)
    ovh.put_day(SITE, day, errors=0)
    access = archive_url_path(SITE, day, LogKind.ACCESS)
    ovh.fake.slow[access] = times
    ovh.fake.slow_s = 1.5
    options = FetchOptions(retry=RetryPolicy(attempts=2, timeout_s=0.3, base_delay_s=0.01))

    started = time.monotonic()
    result = fetch_logs(settings_for(ovh, tmp_path), days_before(TODAY, 1), options)

    assert time.monotonic() - started < 1.5  # never waited for a slow answer
    assert ovh.fake.paths_asked().count(access) == 2
    stored = local_path(tmp_path, SITE, day, LogKind.ACCESS)
    if times == 1:
        assert counts(result) == (1, 0, 2, 0)
        assert stored.read_bytes() == ovh.fake.files[access]
    else:
        assert counts(result) == (0, 0, 2, 1)
        assert "timed out" in result.failures[0].detail
        assert not stored.exists()
        assert partial_files(tmp_path) == []


@pytest.mark.parametrize(
    ("fault", "reason"),
    [
        ("fail_500", "HTTP 500"),
        ("truncate", "peer closed connection"),
        ("bad_crc", "gzip check failed"),
    ],
)
@pytest.mark.parametrize("times", [1, 100], ids=["once", "every-time"])
def test_a_failing_cut_or_corrupt_archive_is_asked_again_and_never_kept(
    ovh: Ovh, tmp_path: Path, fault: str, reason: str, times: int
) -> None:
    day = TODAY - timedelta(days=1)
    ovh.put_day(SITE, day, hits=2000, errors=0)
    access = archive_url_path(SITE, day, LogKind.ACCESS)
    getattr(ovh.fake, fault)[access] = times

    result = fetch_logs(settings_for(ovh, tmp_path), days_before(TODAY, 1), FAST)

    stored = local_path(tmp_path, SITE, day, LogKind.ACCESS)
    assert partial_files(tmp_path) == []
    if times == 1:
        assert counts(result) == (1, 0, 2, 0)
        assert ovh.fake.paths_asked().count(access) == 2
        assert stored.read_bytes() == ovh.fake.files[access]
        assert gzip.decompress(stored.read_bytes()).decode() == access_lines(SITE, day, 2000)
    else:
        assert counts(result) == (0, 0, 2, 1)
        assert ovh.fake.paths_asked().count(access) == FAST.retry.attempts
        assert reason in result.failures[0].detail
        assert not stored.exists()


@pytest.mark.parametrize("gzip_encoding", [False, True])
def test_an_html_page_instead_of_a_gzip_is_refused(
    ovh: Ovh, tmp_path: Path, gzip_encoding: bool
) -> None:
    day = TODAY - timedelta(days=1)
    access = archive_url_path(SITE, day, LogKind.ACCESS)
    ovh.fake.files[access] = b"<html>maintenance</html>"
    ovh.fake.gzip_encoding = gzip_encoding

    result = fetch_logs(settings_for(ovh, tmp_path), days_before(TODAY, 1), FAST)

    assert counts(result) == (0, 0, 2, 1)
    assert "not a gzip" in result.failures[0].detail
    assert not local_path(tmp_path, SITE, day, LogKind.ACCESS).exists()


@pytest.mark.parametrize("double", [False, True], ids=["mislabelled", "gzipped-again"])
def test_content_encoding_gzip_still_stores_the_gzip(
    ovh: Ovh, tmp_path: Path, double: bool
) -> None:
    day = TODAY - timedelta(days=1)
    ovh.put_day(SITE, day)
    ovh.fake.gzip_encoding = True
    ovh.fake.double_gzip = double

    result = fetch_logs(settings_for(ovh, tmp_path), days_before(TODAY, 1), FAST)

    assert counts(result) == (2, 0, 1, 0)
    for kind in (LogKind.ACCESS, LogKind.ERROR):
        stored = local_path(tmp_path, SITE, day, kind).read_bytes()
        assert stored == ovh.fake.files[archive_url_path(SITE, day, kind)]
        assert stored[:2] == b"\x1f\x8b"
    assert all(h.get("Accept-Encoding") == "identity" for _, h in ovh.fake.requests)


# --- the live log ----------------------------------------------------------------------------


def live_requests(ovh: Ovh, day: date = TODAY) -> list[dict[str, str]]:
    path = archive_url_path(SITE, day, LogKind.LIVE)
    return [headers for asked, headers in ovh.fake.requests if asked == path]


@pytest.mark.parametrize("etags", [True, False], ids=["etag", "no-etag"])
def test_live_log_growing_between_runs_gets_only_new_bytes(
    ovh: Ovh, tmp_path: Path, etags: bool
) -> None:
    ovh.fake.etags = etags
    settings = settings_for(ovh, tmp_path)
    dates = days_before(TODAY, 0)
    morning = access_lines(SITE, TODAY, 40)
    ovh.put_live(SITE, TODAY, morning)
    live = local_path(tmp_path, SITE, TODAY, LogKind.LIVE)

    first = fetch_logs(settings, dates, FAST)
    assert counts(first) == (1, 0, 0, 0)
    assert "Range" not in live_requests(ovh)[0]
    assert live.read_text() == morning

    evening = morning + access_lines(SITE, TODAY, 25, start=40)
    ovh.put_live(SITE, TODAY, evening)
    ovh.fake.requests.clear()
    second = fetch_logs(settings, dates, FAST)
    (asked,) = live_requests(ovh)
    assert asked["Range"] == f"bytes={len(morning)}-"
    assert counts(second) == (1, 0, 0, 0)
    assert second.summary().bytes == len(evening) - len(morning)
    assert live.read_text() == evening

    ovh.fake.requests.clear()
    third = fetch_logs(settings, dates, FAST)
    (asked,) = live_requests(ovh)
    assert asked["Range"] == f"bytes={len(evening)}-"
    assert ("If-None-Match" in asked) is etags  # 304 with an ETag, 416 without
    assert counts(third) == (0, 1, 0, 0)
    assert third.files[0].detail.startswith("nothing new")
    assert live.read_text() == evening
    state = json.loads((tmp_path / SITE / ".fetch-state.json").read_text())
    assert state["live"][TODAY.isoformat()]["size"] == len(evening)
    assert (state["live"][TODAY.isoformat()]["etag"] is not None) is etags


@pytest.mark.parametrize(
    ("server", "first_lines", "then_lines"),
    [
        ({"ranges": False}, range(10), range(30)),
        ({"encode_live": True}, range(10), range(30)),
        ({"etags": False}, range(30), range(500, 503)),
    ],
    ids=["range-ignored", "gzip-on-the-wire", "server-copy-shrank"],
)
def test_live_log_is_taken_whole_when_new_bytes_cannot_be_appended(
    ovh: Ovh, tmp_path: Path, server: dict[str, bool], first_lines: range, then_lines: range
) -> None:
    for name, value in server.items():
        setattr(ovh.fake, name, value)
    settings = settings_for(ovh, tmp_path)
    ovh.put_live(SITE, TODAY, access_lines(SITE, TODAY, len(first_lines), first_lines.start))
    fetch_logs(settings, days_before(TODAY, 0), FAST)
    later = access_lines(SITE, TODAY, len(then_lines), then_lines.start)
    ovh.put_live(SITE, TODAY, later)

    result = fetch_logs(settings, days_before(TODAY, 0), FAST)

    assert counts(result) == (1, 0, 0, 0)
    assert result.summary().bytes == len(later)
    assert local_path(tmp_path, SITE, TODAY, LogKind.LIVE).read_text() == later


def test_a_cut_live_download_keeps_the_previous_copy(ovh: Ovh, tmp_path: Path) -> None:
    settings = settings_for(ovh, tmp_path)
    morning = access_lines(SITE, TODAY, 30)
    ovh.put_live(SITE, TODAY, morning)
    fetch_logs(settings, days_before(TODAY, 0), FAST)
    ovh.put_live(SITE, TODAY, morning + access_lines(SITE, TODAY, 300, start=30))
    ovh.fake.truncate[archive_url_path(SITE, TODAY, LogKind.LIVE)] = 100

    result = fetch_logs(settings, days_before(TODAY, 0), FAST)

    assert counts(result) == (0, 0, 0, 1)
    assert local_path(tmp_path, SITE, TODAY, LogKind.LIVE).read_text() == morning
    assert partial_files(tmp_path) == []


def test_the_daily_archive_supersedes_the_live_copy(ovh: Ovh, tmp_path: Path) -> None:
    settings = settings_for(ovh, tmp_path)
    yesterday, today = TODAY - timedelta(days=1), TODAY
    ovh.put_live(SITE, yesterday, access_lines(SITE, yesterday, 10))
    fetch_logs(settings, days_before(yesterday, 1), FAST)
    live = local_path(tmp_path, SITE, yesterday, LogKind.LIVE)
    assert live.is_file()

    # Just after midnight: no archive yet, yesterday's live copy is refreshed, not dropped.
    ovh.put_live(SITE, yesterday, access_lines(SITE, yesterday, 12))
    early = fetch_logs(settings, days_before(today, 1), FAST)
    assert live.read_text() == access_lines(SITE, yesterday, 12)
    assert counts(early) == (1, 0, 3, 0)  # live appended; both archives and today's live: 404

    ovh.put_day(SITE, yesterday, hits=12)
    later = fetch_logs(settings, days_before(today, 1), FAST)
    assert counts(later) == (2, 0, 1, 0)
    assert not live.exists()
    assert local_path(tmp_path, SITE, yesterday, LogKind.ACCESS).is_file()
    state = json.loads((tmp_path / SITE / ".fetch-state.json").read_text())
    assert state["live"] == {}
    assert archive_url_path(SITE, yesterday, LogKind.LIVE) not in ovh.fake.paths_asked()[-3:]


class RecordingProgress:
    def __init__(self) -> None:
        self.totals: list[int] = []
        self.finished_files: list[FileResult] = []

    def planned(self, files: int) -> None:
        self.totals.append(files)

    def finished(self, result: FileResult) -> None:
        self.finished_files.append(result)


def test_progress_reports_every_file_asked_for(ovh: Ovh, tmp_path: Path) -> None:
    ovh.publish(3, TODAY)
    settings = settings_for(ovh, tmp_path)
    fetch_logs(settings, days_before(TODAY, 2), FAST)
    progress = RecordingProgress()

    result = fetch_logs(settings, days_before(TODAY, 3), FAST, progress)

    # Two days are here already: the third day's two archives and the live log are asked for.
    assert progress.totals[-1] == len(progress.finished_files) == 3
    assert counts(result) == (2, 5, 0, 0)


def test_an_unreadable_state_file_only_costs_requests(ovh: Ovh, tmp_path: Path) -> None:
    old = TODAY - timedelta(days=10)
    settings = settings_for(ovh, tmp_path)
    dates = DateRange.choose(since=old, until=old, today=TODAY)
    fetch_logs(settings, dates, FAST)
    state_file = tmp_path / SITE / ".fetch-state.json"
    assert json.loads(state_file.read_text())["missing"]["access"] == [old.isoformat()]

    state_file.write_text('{"version": 1, "missing": []}')
    ovh.fake.requests.clear()
    result = fetch_logs(settings, dates, FAST)

    assert len(ovh.fake.requests) == 2  # asked again, and remembered again
    assert counts(result) == (0, 0, 2, 0)
    assert json.loads(state_file.read_text())["missing"]["error"] == [old.isoformat()]


# --- several sites, parallel downloads, locks --------------------------------------------------


def test_several_sites_each_get_their_folder(ovh: Ovh, tmp_path: Path) -> None:
    sites = ("a.example.com", "b.example.org")
    for site in sites:
        for n in range(1, 3):
            ovh.put_day(site, TODAY - timedelta(days=n), hits=5 + len(site))

    result = fetch_logs(settings_for(ovh, tmp_path, ",".join(sites)), days_before(TODAY, 2), FAST)

    for site in sites:
        assert counts(result, site) == (4, 0, 1, 0)
        for n in range(1, 3):
            day = TODAY - timedelta(days=n)
            stored = local_path(tmp_path, site, day, LogKind.ACCESS).read_bytes()
            assert stored == ovh.fake.files[archive_url_path(site, day, LogKind.ACCESS)]
        assert (tmp_path / site / ".fetch-state.json").is_file()
    assert counts(result) == (8, 0, 2, 0)


@pytest.mark.parametrize("jobs", [1, 3])
def test_downloads_run_in_parallel_up_to_jobs(ovh: Ovh, tmp_path: Path, jobs: int) -> None:
    for n in range(1, 7):
        ovh.put_day(SITE, TODAY - timedelta(days=n), hits=40)
    ovh.fake.drip_s = 0.05
    options = FetchOptions(jobs=jobs, retry=QUICK)

    result = fetch_logs(settings_for(ovh, tmp_path), days_before(TODAY, 6), options)

    assert counts(result) == (12, 0, 1, 0)
    assert ovh.fake.max_in_flight == jobs


def test_a_second_run_on_the_same_folder_is_refused(ovh: Ovh, tmp_path: Path) -> None:
    (tmp_path / SITE).mkdir()
    with (
        filelock.FileLock(tmp_path / SITE / ".fetch.lock", timeout=0),
        pytest.raises(LockedError, match="another golkepar fetch"),
    ):
        fetch_logs(settings_for(ovh, tmp_path), days_before(TODAY, 1), FAST)
    assert ovh.fake.requests == []


def test_missing_credentials_are_named(tmp_path: Path) -> None:
    settings = Settings(log_path_base=tmp_path, ovh_stats_account_name=SITE)
    with pytest.raises(ConfigError, match="OVH_STATS_USER and OVH_STATS_PASSWORD"):
        fetch_logs(settings, days_before(TODAY, 1))
    with pytest.raises(ConfigError, match="OVH_STATS_ACCOUNT_NAME is not set"):
        plan_fetch(Settings(log_path_base=tmp_path), days_before(TODAY, 1))


# --- the command -----------------------------------------------------------------------------


def cli_env(ovh: Ovh, root: Path, password: str | None = None) -> dict[str, str]:
    return {
        "LOG_PATH_BASE": str(root),
        "OVH_STATS_ACCOUNT_NAME": SITE,
        "OVH_STATS_USER": ovh.fake.user,
        "OVH_STATS_PASSWORD": password or ovh.fake.password,
        "OVH_LOGS_URL": ovh.url(),
    }


def test_cli_fetches_and_prints_a_summary(ovh: Ovh, tmp_path: Path) -> None:
    today = ovh.publish(2)
    root = tmp_path / "logs"

    first = run_golkepar("fetch", "--days", "2", cwd=tmp_path, env=cli_env(ovh, root))
    second = run_golkepar("fetch", "--days", "2", cwd=tmp_path, env=cli_env(ovh, root))

    assert first.returncode == 0, first.stderr
    assert f"{SITE}: 5 downloaded, 0 skipped, 0 missing, 0 failed" in first.stdout
    assert second.returncode == 0, second.stderr
    assert f"{SITE}: 0 downloaded, 5 skipped, 0 missing, 0 failed, 0 bytes" in second.stdout
    assert local_path(root, SITE, today - timedelta(days=2), LogKind.ERROR).is_file()
    assert local_path(root, SITE, today, LogKind.LIVE).read_text() == access_lines(SITE, today, 7)


def secrets_of(ovh: Ovh, password: str) -> list[str]:
    token = base64.b64encode(f"{ovh.fake.user}:{password}".encode()).decode()
    return [password, token]


def assert_no_secret(texts: list[str], secrets: list[str]) -> None:
    for text in texts:
        for secret in secrets:
            assert secret not in text


def test_cli_wrong_password_exits_with_a_hint_and_no_secret(ovh: Ovh, tmp_path: Path) -> None:
    ovh.publish(2)
    wrong = "Wr0ng-and-private"
    env = cli_env(ovh, tmp_path / "logs", password=wrong)

    result = run_golkepar("-vv", "fetch", "--days", "2", cwd=tmp_path, env=env)

    assert result.returncode == AuthError.exit_code
    assert "OVH_STATS_USER and OVH_STATS_PASSWORD" in result.stderr
    assert "HTTP 401" in result.stderr
    files = [p.read_text(errors="replace") for p in tmp_path.rglob("*") if p.is_file()]
    assert_no_secret([result.stdout, result.stderr, *files], secrets_of(ovh, wrong))


def test_cli_failures_exit_non_zero_and_never_show_the_password(ovh: Ovh, tmp_path: Path) -> None:
    today = ovh.publish(2)
    broken = archive_url_path(SITE, today - timedelta(days=1), LogKind.ERROR)
    ovh.fake.fail_500[broken] = 100
    root = tmp_path / "logs"

    result = run_golkepar(
        "-vv", "fetch", "--days", "2", "--attempts", "2", cwd=tmp_path, env=cli_env(ovh, root)
    )

    assert result.returncode == FetchError.exit_code
    assert f"{SITE}: 4 downloaded, 0 skipped, 0 missing, 1 failed" in result.stdout
    assert f"failed: {SITE} error log of {today - timedelta(days=1)}: HTTP 500" in result.stderr
    assert "run again to retry them" in result.stderr
    files = [p.read_text(errors="replace") for p in root.rglob("*") if p.is_file()]
    assert_no_secret([result.stdout, result.stderr, *files], secrets_of(ovh, ovh.fake.password))


def test_cli_dry_run_prints_the_plan_and_fetches_nothing(ovh: Ovh, tmp_path: Path) -> None:
    today = ovh.publish(2)
    root = tmp_path / "logs"

    result = run_golkepar("fetch", "--dry-run", "--days", "2", cwd=tmp_path, env=cli_env(ovh, root))

    assert result.returncode == 0, result.stderr
    day = today - timedelta(days=2)
    url = ovh.url().replace("{site}", SITE) + remote_path(SITE, day, LogKind.ERROR)
    assert f"GET {url} -> {local_path(root, SITE, day, LogKind.ERROR)} (new)" in result.stdout
    assert "5 to fetch, 0 already here, 0 known missing" in result.stdout
    assert ovh.fake.requests == []
    assert not root.exists()


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["--until", "2999-01-01"], "is after today"),
        (["--days", "3", "--since", "2026-01-01"], "not both"),
        (["--jobs", "0"], "--jobs 0 is out of range: give 1 to 64"),
        (["--attempts", "0"], "--attempts 0 is out of range"),
        (["--timeout", "0"], "--timeout 0 is out of range: give more than 0"),
        (["--timeout", "nan"], "--timeout nan is out of range"),
        (["--timeout", "inf", "--dry-run"], "--timeout inf is out of range"),
        (["--days", "99999999999"], "--days 99999999999 is too many: give at most 3660"),
        (["--since", "0001-01-01"], "--since 0001-01-01 is more than 3660 days before"),
        (["--site", "../etc"], "'../etc', which is not a site name"),
    ],
)
def test_cli_bad_arguments_are_named(
    ovh: Ovh, tmp_path: Path, args: list[str], message: str
) -> None:
    env = cli_env(ovh, tmp_path / "logs")
    result = CliRunner().invoke(
        app, ["--env-file", str(tmp_path / ".env"), "fetch", *args], env=env
    )
    assert result.exit_code == ConfigError.exit_code
    assert message in result.stderr
    assert ovh.fake.requests == []


def test_a_killed_fetch_run_again_ends_like_an_uninterrupted_one(ovh: Ovh, tmp_path: Path) -> None:
    ovh.publish(6, hits=3000)
    reference, killed = tmp_path / "reference", tmp_path / "killed"
    done = run_golkepar("fetch", "--days", "6", cwd=tmp_path, env=cli_env(ovh, reference))
    assert done.returncode == 0, done.stderr

    ovh.fake.drip_s = 0.02  # slow enough to be caught mid-download
    env = {**os.environ, **cli_env(ovh, killed), "PYTHONPATH": str(SRC)}
    child = subprocess.Popen(
        [sys.executable, "-m", "golkepar", "fetch", "--days", "6"],
        cwd=tmp_path,
        env=env,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    try:
        deadline = time.monotonic() + 30
        while time.monotonic() < deadline and not (
            partial_files(killed) and list(killed.rglob("*.log.gz"))
        ):
            time.sleep(0.02)
        caught_mid_way = bool(partial_files(killed))
    finally:
        child.send_signal(signal.SIGKILL)
        child.wait()
    assert caught_mid_way
    assert child.returncode == -signal.SIGKILL
    assert tree(killed) != tree(reference)

    ovh.fake.drip_s = 0.0
    again = run_golkepar("fetch", "--days", "6", cwd=tmp_path, env=cli_env(ovh, killed))

    assert again.returncode == 0, again.stderr
    assert partial_files(killed) == []
    assert tree(killed) == tree(reference)


def test_fetch_then_ingest_needs_no_other_flag(ovh: Ovh, tmp_path: Path) -> None:
    today = ovh.publish(2)
    env = {**cli_env(ovh, tmp_path / "logs"), "PARQUET_PATH_BASE": str(tmp_path / "lake")}
    assert run_golkepar("fetch", "--days", "2", cwd=tmp_path, env=env).returncode == 0

    ingested = run_golkepar("ingest", cwd=tmp_path, env=env)

    assert ingested.returncode == 0, ingested.stderr
    manifest = json.loads((tmp_path / "lake" / "_manifest.json").read_text())
    sources = manifest["sources"]
    day = today - timedelta(days=1)
    access = sources[f"{SITE}/access/{day:%Y/%m}/{SITE}-{day:%d-%m-%Y}.log.gz"]
    assert (access["kind"], access["live"], access["hits"]) == ("access", False, 20)
    error = sources[f"{SITE}/error/{day:%Y/%m}/{SITE}-{day:%d-%m-%Y}.log.gz"]
    assert error["kind"] == "error"
    live = sources[f"{SITE}/live/{SITE}-{today:%d-%m-%Y}.log"]
    assert (live["live"], live["hits"]) == (True, 7)
    assert not any(".fetch" in source for source in sources)


def test_run_chains_fetch_ingest_build_and_report(ovh: Ovh, tmp_path: Path) -> None:
    ovh.publish(2)
    env = {
        **cli_env(ovh, tmp_path / "logs"),
        "PARQUET_PATH_BASE": str(tmp_path / "lake"),
        "DUCKDB_FILE": str(tmp_path / "golkepar.duckdb"),
    }
    done = run_golkepar("run", "--skip-geoip", cwd=tmp_path, env=env)
    assert done.returncode == 0, done.stderr
    assert [line for line in done.stderr.splitlines() if line.startswith("==")] == [
        "== fetch",
        "== ingest",
        "== build",
        "== report",
    ]
    manifest = json.loads((tmp_path / "lake" / "_manifest.json").read_text())
    lake_hits = sum(e["hits"] for e in manifest["sources"].values() if e["kind"] == "access")
    with duckdb.connect(str(tmp_path / "golkepar.duckdb"), read_only=True) as db:
        assert db.sql("select count(*) from hits").fetchall() == [(lake_hits,)]
    assert lake_hits == 2 * 20 + 7
    again = run_golkepar("run", "--skip-geoip", cwd=tmp_path, env=env)
    assert again.returncode == 0, again.stderr
    assert "0 ingested" in again.stdout


# --- what one file may take ------------------------------------------------------------------


def limited(ovh: Ovh, root: Path, max_mb: int = 1024, deadline_s: int = 1800) -> Settings:
    return Settings(
        **{
            **settings_for(ovh, root).__dict__,
            "fetch_max_file_mb": max_mb,
            "fetch_file_deadline_seconds": deadline_s,
        }
    )


def test_a_dripping_server_is_given_up_at_the_file_deadline(ovh: Ovh, tmp_path: Path) -> None:
    day = TODAY - timedelta(days=1)
    ovh.put_day(SITE, day, hits=2000, errors=0)  # about 40 KiB: 40 chunks of 1 KiB, 0.1 s each
    ovh.fake.drip_s = 0.1
    started = time.monotonic()

    result = fetch_logs(limited(ovh, tmp_path, deadline_s=1), days_before(TODAY, 1), FAST)

    assert time.monotonic() - started < 3.5  # not the 4 s a whole body takes, nor forever
    (failed,) = result.failures
    assert "was not done after 1 seconds (FETCH_FILE_DEADLINE_SECONDS)" in failed.detail
    assert not local_path(tmp_path, SITE, day, LogKind.ACCESS).exists()
    assert partial_files(tmp_path) == []


@pytest.mark.parametrize("case", ["live-gzip-on-the-wire", "archive", "archive-gzipped-again"])
def test_no_file_may_unpack_past_the_size_cap(ovh: Ovh, tmp_path: Path, case: str) -> None:
    day = TODAY - timedelta(days=1)
    big = access_lines(SITE, day, 16_000)  # over 2 MiB of text: a few hundred KiB gzipped
    assert len(big) > 2 * 1024 * 1024
    if case.startswith("live"):
        ovh.put_live(SITE, TODAY, big)
        ovh.fake.encode_live = True
        dates, path = days_before(TODAY, 0), local_path(tmp_path, SITE, TODAY, LogKind.LIVE)
    else:
        ovh.fake.files[archive_url_path(SITE, day, LogKind.ACCESS)] = gz(big)
        ovh.fake.gzip_encoding = ovh.fake.double_gzip = case.endswith("again")
        dates, path = days_before(TODAY, 1), local_path(tmp_path, SITE, day, LogKind.ACCESS)

    result = fetch_logs(limited(ovh, tmp_path, max_mb=1), dates, FAST)

    (failed,) = result.failures
    assert "is larger than 1 MiB once unpacked (FETCH_MAX_FILE_MB)" in failed.detail
    assert not path.exists()
    assert partial_files(tmp_path) == []
    assert sum(p.stat().st_size for p in tmp_path.rglob("*") if p.is_file()) < 1024 * 1024
    roomy = fetch_logs(limited(ovh, tmp_path, max_mb=3), dates, FAST)
    assert roomy.failures == ()
    assert path.exists()


def test_a_page_served_as_the_live_log_is_not_kept(ovh: Ovh, tmp_path: Path) -> None:
    settings = settings_for(ovh, tmp_path)
    ovh.put_live(SITE, TODAY, "<!DOCTYPE html>\n<html><body>Please log in</body></html>\n")
    live = local_path(tmp_path, SITE, TODAY, LogKind.LIVE)

    refused = fetch_logs(settings, days_before(TODAY, 0), FAST)

    (failed,) = refused.failures
    assert "answered something that is not a log (it starts b'<!DOCTYPE html>')" in failed.detail
    assert not live.exists()
    # Once the server sends the log, it is taken whole: nothing was kept to append to.
    ovh.put_live(SITE, TODAY, access_lines(SITE, TODAY, 5))
    ovh.fake.requests.clear()
    fetched = fetch_logs(settings, days_before(TODAY, 0), FAST)
    assert fetched.failures == ()
    assert "Range" not in live_requests(ovh)[0]
    assert live.read_text() == access_lines(SITE, TODAY, 5)
