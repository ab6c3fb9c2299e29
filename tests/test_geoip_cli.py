"""The real `golkepar geoip update|status|lookup` commands, run in a subprocess."""

from __future__ import annotations

import json
import subprocess
import threading
from pathlib import Path

import pytest
from pytest_httpserver import HTTPServer
from werkzeug import Request, Response

from conftest import run_golkepar
from geoip_helpers import (
    ACCOUNT_ID,
    LICENSE_KEY,
    base_url,
    gz,
    mmdb,
    serve_crawler_ranges,
)
from golkepar.errors import AuthError, ConfigError, LockedError
from golkepar.geoip.update import geoip_lock


def _env(httpserver: HTTPServer, folder: Path, **extra: str) -> dict[str, str]:
    base = base_url(httpserver)
    return {
        "IP_PATH_BASE": str(folder),
        "DBIP_BASE_URL": base,
        "MAXMIND_BASE_URL": base,
        "GOOGLEBOT_RANGES_URL": f"{base}/google/googlebot.json",
        "BINGBOT_RANGES_URL": f"{base}/bing/bingbot.json",
        "COLUMNS": "200",
        **extra,
    }


def _serve_dbip(httpserver: HTTPServer, built: Path) -> None:
    for kind, database_type in (("city", "DBIP-City-Lite"), ("asn", "DBIP-ASN-Lite")):
        httpserver.expect_request(f"/free/dbip-{kind}-lite-{_month()}.mmdb.gz").respond_with_data(
            gz(mmdb(built, kind, database_type))  # type: ignore[arg-type]
        )


def _month() -> str:
    import datetime as dt

    return f"{dt.datetime.now(dt.UTC):%Y-%m}"


@pytest.fixture
def updated(httpserver: HTTPServer, tmp_path: Path) -> tuple[Path, dict[str, str]]:
    """A folder after a successful `golkepar geoip update` from DB-IP."""
    folder = tmp_path / "geoip"
    _serve_dbip(httpserver, tmp_path / "built")
    serve_crawler_ranges(httpserver)
    env = _env(httpserver, folder, GEOIP_SOURCE="dbip")
    result = run_golkepar("geoip", "update", cwd=tmp_path, env=env)
    assert result.returncode == 0, result.stderr
    assert "updated   dbip-city-lite.mmdb" in result.stdout
    assert "updated   googlebot.json  2 prefixes" in result.stdout
    assert "IP Geolocation by DB-IP (https://db-ip.com)" in result.stdout
    return folder, env


def test_update_then_status_then_lookup(
    updated: tuple[Path, dict[str, str]], tmp_path: Path
) -> None:
    env = updated[1]
    status = run_golkepar("geoip", "status", cwd=tmp_path, env=env)
    assert status.returncode == 0, status.stderr
    city = next(line for line in status.stdout.splitlines() if line.startswith("dbip-city-lite"))
    assert "city, nested layout, DBIP-City-Lite, IPv6" in city
    assert "from dbip" in city and "built " in city
    assert "crawler ranges, 2 prefixes" in status.stdout
    assert status.stderr == ""
    as_json = json.loads(run_golkepar("geoip", "status", "--json", cwd=tmp_path, env=env).stdout)
    by_name = {f["name"]: f for f in as_json["files"]}
    assert by_name["dbip-asn-lite.mmdb"]["kind"] == "asn"
    assert by_name["googlebot.json"]["built_at"] == "2026-11-27T15:46:03+00:00"
    assert as_json["warnings"] == []

    lookup = run_golkepar("geoip", "lookup", "66.249.64.5", "2a01:cb00::1", cwd=tmp_path, env=env)
    assert lookup.returncode == 0, lookup.stderr
    assert "city     Mountain View" in lookup.stdout
    assert "asn      AS15169 GOOGLE" in lookup.stdout
    assert "crawler  Googlebot (published range)" in lookup.stdout
    assert "city     Paris" in lookup.stdout

    as_json = run_golkepar("geoip", "lookup", "--json", "81.2.69.142", cwd=tmp_path, env=env)
    [row] = json.loads(as_json.stdout)
    assert (row["country_code"], row["asn"], row["crawler"]) == ("GB", 20712, None)


def test_second_update_inside_max_age_downloads_nothing(
    updated: tuple[Path, dict[str, str]], tmp_path: Path, httpserver: HTTPServer
) -> None:
    asked = len(httpserver.log)
    again = run_golkepar("geoip", "update", cwd=tmp_path, env=updated[1])
    assert again.returncode == 0
    assert "fresh     dbip-city-lite.mmdb  checked today" in again.stdout
    assert len(httpserver.log) == asked


def test_lookup_of_a_non_address_is_a_config_error(
    updated: tuple[Path, dict[str, str]], tmp_path: Path
) -> None:
    result = run_golkepar("geoip", "lookup", "example.com", cwd=tmp_path, env=updated[1])
    assert result.returncode == ConfigError.exit_code
    assert "'example.com' is not an IP address" in result.stderr


def test_lookup_without_databases_says_to_update(tmp_path: Path) -> None:
    env = {"IP_PATH_BASE": str(tmp_path / "empty"), "COLUMNS": "200"}
    result = run_golkepar("geoip", "lookup", "8.8.8.8", cwd=tmp_path, env=env)
    assert result.returncode != 0
    assert "run `golkepar geoip update` first" in result.stderr


def test_wrong_licence_key_exits_with_one_line_per_file_and_no_secret(
    httpserver: HTTPServer, tmp_path: Path
) -> None:
    httpserver.expect_request("/geoip/databases/GeoLite2-City/download").respond_with_data(
        "Invalid license key", status=401
    )
    env = _env(
        httpserver,
        tmp_path / "geoip",
        MAXMIND_ACCOUNT_ID=ACCOUNT_ID,
        MAXMIND_LICENSE_KEY=LICENSE_KEY,
    )
    result = run_golkepar("geoip", "update", "--no-crawler-ranges", cwd=tmp_path, env=env)
    assert result.returncode == AuthError.exit_code
    errors = result.stderr.strip().splitlines()
    assert len(errors) == 2
    assert errors[0].startswith("error: GeoLite2-City.mmdb: MaxMind refused access")
    assert "MAXMIND_LICENSE_KEY" in errors[0]
    assert LICENSE_KEY not in result.stdout + result.stderr


def test_an_update_while_another_runs_exits_cleanly(tmp_path: Path) -> None:
    folder = tmp_path / "geoip"
    with geoip_lock(folder):
        result = run_golkepar(
            "geoip", "update", cwd=tmp_path, env={"IP_PATH_BASE": str(folder), "COLUMNS": "200"}
        )
    assert result.returncode == LockedError.exit_code
    assert "another `golkepar geoip update` is already updating" in result.stderr
    assert list(folder.glob("*.mmdb")) == []


def test_two_real_updates_at_once_one_runs_one_exits_cleanly(
    httpserver: HTTPServer, tmp_path: Path
) -> None:
    folder = tmp_path / "geoip"
    built = tmp_path / "built"
    body = gz(mmdb(built, "city", "DBIP-City-Lite"))
    started, release = threading.Event(), threading.Event()

    def slow(request: Request) -> Response:
        started.set()
        release.wait(30)
        return Response(body)

    httpserver.expect_request(f"/free/dbip-city-lite-{_month()}.mmdb.gz").respond_with_handler(slow)
    httpserver.expect_request(f"/free/dbip-asn-lite-{_month()}.mmdb.gz").respond_with_data(
        gz(mmdb(built, "asn", "DBIP-ASN-Lite"))
    )
    env = _env(httpserver, folder, GEOIP_SOURCE="dbip")
    results: list[subprocess.CompletedProcess[str]] = []
    first = threading.Thread(
        target=lambda: results.append(
            run_golkepar("geoip", "update", "--no-crawler-ranges", cwd=tmp_path, env=env)
        )
    )
    first.start()
    try:
        assert started.wait(30)
        second = run_golkepar("geoip", "update", "--no-crawler-ranges", cwd=tmp_path, env=env)
        assert second.returncode == LockedError.exit_code
        assert "already updating" in second.stderr
        assert list(folder.glob("*.mmdb")) == []  # the first is mid-download: nothing half-written
    finally:
        release.set()
        first.join(60)
    assert results[0].returncode == 0, results[0].stderr
    assert sorted(p.name for p in folder.iterdir()) == [
        ".geoip.lock",
        "dbip-asn-lite.mmdb",
        "dbip-city-lite.mmdb",
        "geoip-state.json",
    ]


def test_an_unknown_source_is_a_config_error(tmp_path: Path) -> None:
    result = run_golkepar(
        "geoip", "update", "--source", "geolite", cwd=tmp_path, env={"COLUMNS": "200"}
    )
    assert result.returncode == ConfigError.exit_code
    assert "'geolite' is not a known source" in result.stderr


def test_status_of_an_empty_folder_warns(tmp_path: Path) -> None:
    env = {"IP_PATH_BASE": str(tmp_path / "empty"), "COLUMNS": "200"}
    result = run_golkepar("geoip", "status", cwd=tmp_path, env=env)
    assert result.returncode == 0
    assert "warning: no location database: run `golkepar geoip update`" in result.stderr
