"""`run_pipeline`: every stage in order on real files, and what stops a run or does not."""

from __future__ import annotations

import datetime as dt
from dataclasses import replace
from pathlib import Path

import duckdb
from pytest_httpserver import HTTPServer

from conftest import run_golkepar, write_log
from geoip_helpers import settings_for
from golkepar.config import Settings
from golkepar.demo import demo_settings, write_sample_geoip
from golkepar.errors import SomeFilesFailedError
from golkepar.pipeline import RunProgress, run_pipeline
from golkepar.sample import write_site_logs


def _sample_site(folder: Path) -> Settings:
    settings = demo_settings(folder)
    write_site_logs(settings.log_path_base, start_date=dt.date(2026, 10, 24), days=1, humans=3)
    write_sample_geoip(settings.ip_path_base)
    return settings


def test_a_run_without_a_site_skips_fetch_and_builds(tmp_path: Path) -> None:
    settings = replace(_sample_site(tmp_path), ovh_stats_account_name=None)
    started: list[str] = []

    result = run_pipeline(settings, skip_geoip=True, progress=RunProgress(on_stage=started.append))

    assert result.failure is None and result.exit_code == 0
    assert result.stages == ("ingest", "build", "report") == tuple(started)
    assert result.notes == ("OVH_STATS_ACCOUNT_NAME is not set: fetch skipped",)
    assert result.ingest is not None and result.build is not None
    assert result.build.hits == result.ingest.hits > 0
    assert result.build.error_events == result.ingest.error_entries > 0
    # What cron leaves behind: the page beside the database.
    assert result.report is not None
    assert result.report.path == settings.duckdb_file.parent / "report.html"
    assert result.report.path.read_text().startswith("<!doctype html>")


def test_a_failed_geoip_refresh_is_a_warning_and_the_databases_there_are_used(
    httpserver: HTTPServer, tmp_path: Path
) -> None:
    # The loopback GeoIP site knows no file: every download is a 404.
    sample = _sample_site(tmp_path)
    settings = replace(
        settings_for(httpserver, sample.ip_path_base, geoip_source="dbip"),
        log_path_base=sample.log_path_base,
        parquet_path_base=sample.parquet_path_base,
        duckdb_file=sample.duckdb_file,
    )

    result = run_pipeline(settings, skip_fetch=True)

    assert result.failure is None
    assert result.stages == ("geoip update", "ingest", "build", "report")
    assert result.geoip is not None and result.geoip.failures
    assert result.warnings == (
        f"GeoIP databases not refreshed; going on with those in {settings.ip_path_base}",
    )
    assert result.ingest is not None and result.ingest.geoip_databases
    assert result.build is not None


def test_a_file_that_fails_to_ingest_does_not_stop_the_build(tmp_path: Path) -> None:
    settings = _sample_site(tmp_path)
    write_log(settings.log_path_base / "access" / "notes.log", ["not a log line at all"])

    result = run_pipeline(settings, skip_geoip=True, skip_fetch=True)

    assert result.stages == ("ingest", "build", "report")
    assert result.failure is None
    (failure,) = result.file_failures
    assert isinstance(failure, SomeFilesFailedError)
    assert result.exit_code == SomeFilesFailedError.exit_code
    assert str(failure) == "1 log file(s) could not be ingested; the others are in the lake"
    assert result.ingest is not None and result.ingest.count("ingested") > 0
    assert result.build is not None
    assert result.build.hits == result.ingest.hits > 0


def test_run_prints_each_stage_then_the_files_that_failed(tmp_path: Path) -> None:
    settings = _sample_site(tmp_path)
    write_log(settings.log_path_base / "access" / "notes.log", ["not a log line at all"])
    env = {
        "LOG_PATH_BASE": str(settings.log_path_base),
        "IP_PATH_BASE": str(settings.ip_path_base),
        "PARQUET_PATH_BASE": str(settings.parquet_path_base),
        "DUCKDB_FILE": str(settings.duckdb_file),
        "OVH_STATS_ACCOUNT_NAME": "example.com",
    }

    done = run_golkepar("run", "--skip-geoip", "--skip-fetch", cwd=tmp_path, env=env)

    assert done.returncode == SomeFilesFailedError.exit_code
    lines = done.stderr.splitlines()
    assert [line for line in lines if line.startswith("==")] == [
        "== ingest",
        "== build",
        "== report",
    ]
    assert "cannot recognise the log format of 'access/notes.log'" in done.stderr
    assert lines[-1] == "error: 1 log file(s) could not be ingested; the others are in the lake"
    assert "files: " in done.stdout and "Traceback" not in done.stderr
    assert settings.duckdb_file.exists()

    (settings.log_path_base / "access" / "notes.log").unlink()
    again = run_golkepar("run", "--skip-geoip", "--skip-fetch", cwd=tmp_path, env=env)

    assert again.returncode == 0, again.stderr
    assert [line for line in again.stderr.splitlines() if line.startswith("==")] == [
        "== ingest",
        "== build",
        "== report",
    ]
    with duckdb.connect(str(settings.duckdb_file), read_only=True) as db:
        assert db.sql("select count(*) from hits").fetchall()[0][0] > 0
