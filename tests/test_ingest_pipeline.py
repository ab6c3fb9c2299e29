"""The ingest stage end to end: real gzip files in, a real Parquet lake out."""

from __future__ import annotations

import gzip
import json
import os
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest

from conftest import SRC, lake_rows, run_golkepar, write_log
from golkepar.config import Settings
from golkepar.errors import (
    GeoipError,
    IngestError,
    LockedError,
    LogFormatError,
    SomeFilesFailedError,
)
from golkepar.geoip.writer import NetworkRecord, write_mmdb
from golkepar.ingest.pipeline import ingest_logs
from golkepar.lake.manifest import Manifest

BROWSER = "Mozilla/5.0 (Windows NT 10.0; Win64; x64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/120.0.0.0 Safari/537.36"
SITE = "example.com"


def ovh(
    path: str = "/",
    when: str = "27/Nov/2026:10:14:29 +0100",
    ip: str = "81.2.69.142",
    agent: str = BROWSER,
    status: int = 200,
) -> str:
    return f'{ip} www.{SITE} - [{when}] "GET {path} HTTP/1.1" {status} 512 "-" "{agent}"'


def archive_path(logs: Path, day: int, month: int = 11) -> Path:
    return (
        logs
        / SITE
        / "access"
        / "2026"
        / f"{month:02d}"
        / f"{SITE}-{day:02d}-{month:02d}-2026.log.gz"
    )


def live_path(logs: Path, day: int, month: int = 11) -> Path:
    return logs / SITE / "live" / f"{SITE}-{day:02d}-{month:02d}-2026.log"


@pytest.fixture
def settings(tmp_path: Path) -> Settings:
    return Settings(
        ip_path_base=tmp_path / "geoip",
        log_path_base=tmp_path / "logs",
        parquet_path_base=tmp_path / "lake",
        duckdb_file=tmp_path / "golkepar.duckdb",
    )


def day_lines(day: int, count: int, month: str = "Nov") -> list[str]:
    return [
        ovh(f"/page-{i}", f"{day:02d}/{month}/2026:{i % 24:02d}:{i % 60:02d}:00 +0100")
        for i in range(count)
    ]


def test_every_line_is_a_hit_or_a_reject(settings: Settings) -> None:
    write_log(archive_path(settings.log_path_base, 27), [*day_lines(27, 5), "garbage", ""])
    summary = ingest_logs(settings)
    assert (summary.lines, summary.hits, summary.rejects) == (7, 5, 2)
    assert summary.reject_reasons == [("does not match the log format", 1), ("empty line", 1)]
    assert summary.files[0].format == "ovh"
    hits = lake_rows(settings.parquet_path_base, "hits")
    assert [h["source_line"] for h in hits] == [1, 2, 3, 4, 5]
    assert {h["site"] for h in hits} == {SITE}
    assert {h["vhost"] for h in hits} == {f"www.{SITE}"}
    rejects = lake_rows(settings.parquet_path_base, "rejects")
    assert [(r["source_line"], r["reason"]) for r in rejects] == [
        (6, "does not match the log format"),
        (7, "empty line"),
    ]
    assert rejects[0]["source_file"] == f"{SITE}/access/2026/11/{SITE}-27-11-2026.log.gz"
    entry = Manifest.load(settings.parquet_path_base).sources[rejects[0]["source_file"]]  # type: ignore[index]
    assert (entry.lines, entry.hits, entry.rejects) == (7, 5, 2)


def test_lake_is_partitioned_by_site_and_local_date(settings: Settings) -> None:
    lines = [ovh(when="27/Nov/2026:23:59:59 +0100"), ovh(when="28/Nov/2026:00:00:01 +0100")]
    write_log(archive_path(settings.log_path_base, 27), lines)
    ingest_logs(settings)
    folders = sorted(
        str(p.parent.relative_to(settings.parquet_path_base))
        for p in (settings.parquet_path_base / "hits").rglob("*.parquet")
    )
    assert folders == [f"hits/site={SITE}/date=2026-11-27", f"hits/site={SITE}/date=2026-11-28"]


def test_rerun_skips_unchanged_files_and_gives_the_same_lake(settings: Settings) -> None:
    write_log(archive_path(settings.log_path_base, 26), day_lines(26, 20))
    write_log(archive_path(settings.log_path_base, 27), day_lines(27, 30))
    ingest_logs(settings)
    before = lake_rows(settings.parquet_path_base, "hits")
    again = ingest_logs(settings)
    assert again.count("unchanged") == 2
    assert again.hits == 0
    assert lake_rows(settings.parquet_path_base, "hits") == before
    os.utime(archive_path(settings.log_path_base, 26))  # touched, same content
    assert ingest_logs(settings).count("unchanged") == 2


def test_force_reads_unchanged_files_again_with_new_geoip(settings: Settings) -> None:
    write_log(archive_path(settings.log_path_base, 27), day_lines(27, 3))
    ingest_logs(settings)
    assert {h["country_code"] for h in lake_rows(settings.parquet_path_base, "hits")} == {None}
    london = NetworkRecord("81.2.69.0/24", "GB", "England", "London", 51.5, -0.12, 20712, "AAISP")
    write_mmdb(settings.ip_path_base / "city.mmdb", [london], "city")
    assert ingest_logs(settings).count("unchanged") == 1
    seen: list[tuple[str, int]] = []
    again = ingest_logs(settings, force=True, on_lines=lambda key, n: seen.append((key, n)))
    assert again.count("ingested") == 1
    assert seen == [(again.files[0].key, 3)]
    hits = lake_rows(settings.parquet_path_base, "hits")
    assert [h["country_code"] for h in hits] == ["GB"] * 3
    assert len(list((settings.parquet_path_base / "hits").rglob("*.parquet"))) == 1


def test_a_grown_file_replaces_its_previous_rows(settings: Settings) -> None:
    live = live_path(settings.log_path_base, 28)
    write_log(live, day_lines(28, 10), compress=False)
    ingest_logs(settings)
    write_log(live, day_lines(28, 25), compress=False)
    summary = ingest_logs(settings)
    assert summary.count("ingested") == 1
    hits = lake_rows(settings.parquet_path_base, "hits")
    assert len(hits) == 25
    assert len({(h["source_file"], h["source_line"]) for h in hits}) == 25
    assert len(list((settings.parquet_path_base / "hits").rglob("*.parquet"))) == 1


def test_the_daily_archive_supersedes_the_live_copy(settings: Settings) -> None:
    write_log(live_path(settings.log_path_base, 27), day_lines(27, 10), compress=False)
    ingest_logs(settings)
    assert len(lake_rows(settings.parquet_path_base, "hits")) == 10
    write_log(archive_path(settings.log_path_base, 27), day_lines(27, 40))
    summary = ingest_logs(settings)
    assert {f.status for f in summary.files} == {"ingested", "superseded"}
    hits = lake_rows(settings.parquet_path_base, "hits")
    assert len(hits) == 40
    assert {h["source_file"] for h in hits} == {f"{SITE}/access/2026/11/{SITE}-27-11-2026.log.gz"}
    # The live copy deleted afterwards (as fetch does): the archive's rows stay, nothing returns.
    live_path(settings.log_path_base, 27).unlink()
    ingest_logs(settings)
    assert len(lake_rows(settings.parquet_path_base, "hits")) == 40


def test_a_corrupt_archive_does_not_supersede_the_live_copy(settings: Settings) -> None:
    write_log(live_path(settings.log_path_base, 27), day_lines(27, 10), compress=False)
    ingest_logs(settings)
    archive_path(settings.log_path_base, 27).parent.mkdir(parents=True, exist_ok=True)
    archive_path(settings.log_path_base, 27).write_bytes(gzip.compress(b"x" * 1000)[:20])
    summary = ingest_logs(settings)
    assert sorted(f.status for f in summary.files) == ["failed", "unchanged"]
    assert len(lake_rows(settings.parquet_path_base, "hits")) == 10


def test_a_second_ingest_into_the_same_lake_stops_at_once(
    settings: Settings, tmp_path: Path
) -> None:
    import filelock

    write_log(archive_path(settings.log_path_base, 27), day_lines(27, 3))
    settings.parquet_path_base.mkdir(parents=True)
    with filelock.FileLock(str(settings.parquet_path_base / ".ingest.lock")):
        with pytest.raises(LockedError, match="another `golkepar ingest` is writing to"):
            ingest_logs(settings)
        env = {
            "LOG_PATH_BASE": str(settings.log_path_base),
            "PARQUET_PATH_BASE": str(settings.parquet_path_base),
        }
        done = run_golkepar("ingest", cwd=tmp_path, env=env)
        assert done.returncode == LockedError.exit_code
        assert "wait for it to finish" in done.stderr
    assert not (settings.parquet_path_base / "_manifest.json").exists()
    assert ingest_logs(settings).hits == 3


def test_a_file_gone_before_it_is_read_fails_alone(settings: Settings) -> None:
    write_log(archive_path(settings.log_path_base, 26), day_lines(26, 2))
    rotated = write_log(archive_path(settings.log_path_base, 27), day_lines(27, 2))
    # Found with the others, then removed (log rotation) before its turn comes.
    summary = ingest_logs(settings, on_file=lambda outcome: rotated.unlink(missing_ok=True))
    failed = [f for f in summary.files if f.status == "failed"]
    assert [f.message for f in failed] == [
        f"cannot ingest {failed[0].key!r}: No such file or directory: {rotated}"
    ]
    assert summary.hits == 2


def test_gzip_is_recognised_by_content_not_name(settings: Settings, tmp_path: Path) -> None:
    plain_named_gz = write_log(
        tmp_path / "in" / f"{SITE}-01-11-2026.log.gz", day_lines(1, 3), compress=False
    )
    gzip_named_log = write_log(
        tmp_path / "in" / f"{SITE}-02-11-2026.log", day_lines(2, 4), compress=True
    )
    summary = ingest_logs(settings, [plain_named_gz, gzip_named_log])
    assert summary.hits == 7


def test_concatenated_gzip_members_are_read_whole(settings: Settings, tmp_path: Path) -> None:
    path = tmp_path / f"{SITE}-03-11-2026.log.gz"
    path.write_bytes(
        gzip.compress(("\n".join(day_lines(3, 3)) + "\n").encode())
        + gzip.compress(("\n".join(day_lines(3, 2)) + "\n").encode())
    )
    assert ingest_logs(settings, [path]).hits == 5


def test_invalid_utf8_carriage_returns_and_missing_last_newline(
    settings: Settings, tmp_path: Path
) -> None:
    latin1 = ovh().replace('"-"', '"https://exemple.fr/caf\xe9"').encode("latin-1")
    path = tmp_path / f"{SITE}-04-11-2026.log"
    path.write_bytes(ovh().encode() + b"\r\n" + latin1 + b"\n" + ovh("/last").encode())
    summary = ingest_logs(settings, [path])
    assert (summary.lines, summary.hits) == (3, 3)
    hits = lake_rows(settings.parquet_path_base, "hits")
    assert hits[1]["referer"] == "https://exemple.fr/café"
    assert hits[0]["user_agent"] == BROWSER
    assert hits[2]["path"] == "/last"


def test_a_corrupt_gzip_fails_alone_and_overwrites_nothing(settings: Settings) -> None:
    good = write_log(archive_path(settings.log_path_base, 26), day_lines(26, 5))
    changing = write_log(archive_path(settings.log_path_base, 27), day_lines(27, 5))
    ingest_logs(settings)
    data = gzip.compress(("\n".join(day_lines(27, 500)) + "\n").encode())
    changing.write_bytes(data[: len(data) // 2])
    summary = ingest_logs(settings)
    failed = [f for f in summary.files if f.status == "failed"]
    assert len(failed) == 1
    assert "is not a valid gzip file" in (failed[0].message or "")
    assert "golkepar fetch" in (failed[0].message or "")
    assert len(lake_rows(settings.parquet_path_base, "hits")) == 10
    assert good.exists()


def test_unknown_format_is_a_clear_error(settings: Settings) -> None:
    write_log(archive_path(settings.log_path_base, 27), ["<html>not a log</html>"] * 3)
    summary = ingest_logs(settings)
    assert summary.files[0].status == "failed"
    assert "cannot recognise the log format" in (summary.files[0].message or "")
    assert "LOG_FORMAT" in (summary.files[0].message or "")
    with pytest.raises(LogFormatError, match="not supported"):
        ingest_logs(settings, log_format="%h %Z")


def test_site_comes_from_the_name_then_the_flag_then_the_configuration(
    settings: Settings, tmp_path: Path
) -> None:
    anonymous = write_log(tmp_path / "access.log", day_lines(5, 2))
    (skipped,) = ingest_logs(settings, [anonymous]).files
    assert skipped.status == "skipped"
    assert "cannot tell which site" in (skipped.message or "")
    ingest_logs(settings, [anonymous], site="flag.example")
    configured = Settings(**{**settings.__dict__, "ovh_stats_account_name": "conf.example"})
    named = write_log(tmp_path / "other.example-06-11-2026.log", day_lines(6, 2), compress=False)
    ingest_logs(configured, [named, write_log(tmp_path / "b.log", day_lines(7, 1))])
    sites = {h["site"] for h in lake_rows(settings.parquet_path_base, "hits")}
    assert sites == {"flag.example", "other.example", "conf.example"}


def test_error_logs_go_to_their_own_dataset(settings: Settings) -> None:
    error_log = (
        settings.log_path_base / SITE / "error" / "2026" / "11" / f"{SITE}-27-11-2026.log.gz"
    )
    write_log(
        error_log,
        [
            "[Fri Nov 27 10:14:29.123456 2026] [php:error] [pid 1] [client 81.2.69.142:4242] PHP Warning:  oops",
            "half a line",
        ],
    )
    summary = ingest_logs(settings)
    assert (summary.lines, summary.rows, summary.rejects) == (2, 1, 1)
    assert (summary.hits, summary.error_entries) == (0, 1)
    errors = lake_rows(settings.parquet_path_base, "errors")
    assert errors[0]["php_level"] == "Warning"
    assert lake_rows(settings.parquet_path_base, "rejects")[0]["log_kind"] == "error"


def test_enrichment_geoip_visitor_key_and_bots(settings: Settings) -> None:
    records = [
        NetworkRecord(
            "81.2.69.0/24", "GB", "England", "London", 51.5, -0.12, 20712, "Andrews & Arnold"
        )
    ]
    write_mmdb(settings.ip_path_base / "city.mmdb", records, "city", database_type="GeoLite2-City")
    write_mmdb(settings.ip_path_base / "asn.mmdb", records, "asn", database_type="GeoLite2-ASN")
    bot = "Mozilla/5.0 (compatible; GPTBot/1.2; +https://openai.com/gptbot)"
    write_log(
        archive_path(settings.log_path_base, 27),
        [
            ovh("/"),
            ovh("/style.css"),
            ovh("/", agent=bot),
            ovh("/", ip="2001:db8::1", agent="curl/8.4.0"),
        ],
    )
    summary = ingest_logs(settings)
    assert summary.warnings == ()
    page, asset, crawler, tool = lake_rows(settings.parquet_path_base, "hits")
    assert (page["country_code"], page["city"], page["asn"], page["as_org"]) == (
        "GB",
        "London",
        20712,
        "Andrews & Arnold",
    )
    assert (page["is_page"], page["is_asset"], asset["is_page"], asset["is_asset"]) == (
        True,
        False,
        False,
        True,
    )
    assert (page["browser"], page["os"], page["device"], page["is_bot"]) == (
        "Chrome",
        "Windows",
        "desktop",
        False,
    )
    assert (crawler["is_bot"], crawler["bot_name"], crawler["device"]) == (True, "GPTBot", "bot")
    assert (tool["is_bot"], tool["bot_name"], tool["country_code"]) == (True, "curl", None)
    assert page["visitor_key"] == asset["visitor_key"] != crawler["visitor_key"]
    assert len(str(page["visitor_key"])) == 32


def test_visitor_keys_are_stable_and_salted(settings: Settings, tmp_path: Path) -> None:
    write_log(archive_path(settings.log_path_base, 27), day_lines(27, 2))
    ingest_logs(settings)
    first = lake_rows(settings.parquet_path_base, "hits")[0]["visitor_key"]
    other_lake = Settings(**{**settings.__dict__, "parquet_path_base": tmp_path / "lake2"})
    ingest_logs(other_lake)
    assert lake_rows(other_lake.parquet_path_base, "hits")[0]["visitor_key"] != first
    salt = settings.parquet_path_base / "_salt"
    assert salt.stat().st_mode & 0o077 == 0
    import shutil

    shutil.rmtree(settings.parquet_path_base / "hits")
    (settings.parquet_path_base / "_manifest.json").unlink()
    ingest_logs(settings)
    assert lake_rows(settings.parquet_path_base, "hits")[0]["visitor_key"] == first


def test_anonymised_ips(settings: Settings) -> None:
    write_log(
        archive_path(settings.log_path_base, 27),
        [ovh(ip="81.2.69.142"), ovh(ip="2a01:cb00:1234:5678::9")],
    )
    ingest_logs(Settings(**{**settings.__dict__, "anonymize_ips": True}))
    assert [h["ip"] for h in lake_rows(settings.parquet_path_base, "hits")] == [
        "81.2.69.0",
        "2a01:cb00:1234::",
    ]


def test_no_geoip_database_warns_and_a_corrupt_one_is_an_error(settings: Settings) -> None:
    write_log(archive_path(settings.log_path_base, 27), day_lines(27, 2))
    summary = ingest_logs(settings)
    assert any("no GeoIP database" in w for w in summary.warnings)
    settings.ip_path_base.mkdir(parents=True, exist_ok=True)
    (settings.ip_path_base / "broken.mmdb").write_bytes(b"not a database")
    with pytest.raises(GeoipError, match=r"broken\.mmdb is not a valid MaxMind DB file"):
        ingest_logs(settings)


def test_cli_summary_and_exit_codes(settings: Settings, tmp_path: Path) -> None:
    write_log(archive_path(settings.log_path_base, 27), [*day_lines(27, 3), "junk"])
    env = {
        "LOG_PATH_BASE": str(settings.log_path_base),
        "PARQUET_PATH_BASE": str(settings.parquet_path_base),
        "IP_PATH_BASE": str(settings.ip_path_base),
    }
    done = run_golkepar("ingest", cwd=tmp_path, env=env)
    assert done.returncode == 0, done.stderr
    assert "lines read 4 = hits 3 + rejects 1" in done.stdout
    assert "access log format, detected: ovh (1 file)" in done.stdout
    assert "rejects by reason: does not match the log format: 1" in done.stdout
    bad = run_golkepar("ingest", "--log-format", "%h %Q", cwd=tmp_path, env=env)
    assert bad.returncode == IngestError.exit_code
    assert "directive '%Q' is not supported" in bad.stderr
    assert "Traceback" not in bad.stderr
    missing = run_golkepar("ingest", str(tmp_path / "nowhere"), cwd=tmp_path, env=env)
    assert missing.returncode == IngestError.exit_code
    assert "does not exist" in missing.stderr


def _big_log(path: Path, lines: int, day: int = 27) -> Path:
    body = "".join(
        f"81.2.{i % 250}.{i % 200} www.{SITE} - [{day:02d}/Nov/2026:{i // 3600 % 24:02d}:{i // 60 % 60:02d}:{i % 60:02d} +0100] "
        f'"GET /p/{i} HTTP/1.1" 200 {i} "-" "{BROWSER} {i % 50}"\n'
        for i in range(lines)
    )
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_bytes(gzip.compress(body.encode(), compresslevel=1))
    return path


def test_killed_mid_way_then_rerun_gives_the_same_lake(settings: Settings, tmp_path: Path) -> None:
    logs = settings.log_path_base
    for day in (24, 25, 26, 27):
        _big_log(archive_path(logs, day), 40_000, day)
    reference = Settings(**{**settings.__dict__, "parquet_path_base": tmp_path / "reference"})
    ingest_logs(reference)
    expected = lake_rows(reference.parquet_path_base, "hits", "source_file, source_line, path, ts")
    env = {
        **os.environ,
        "PYTHONPATH": str(SRC),
        "LOG_PATH_BASE": str(logs),
        "PARQUET_PATH_BASE": str(settings.parquet_path_base),
        "IP_PATH_BASE": str(settings.ip_path_base),
    }
    lake = settings.parquet_path_base

    def writing_parquet() -> bool:
        return any(lake.rglob("*.parquet.*.part"))

    def between_files() -> bool:
        manifest = lake / "_manifest.json"
        return manifest.exists() and len(json.loads(manifest.read_text())["sources"]) >= 2

    # Killed while a Parquet file is half written, between two files, and while writing again.
    for moment in (writing_parquet, between_files, writing_parquet):
        child = subprocess.Popen(
            [sys.executable, "-m", "golkepar", "ingest"],
            env=env,
            cwd=tmp_path,
            stdout=subprocess.DEVNULL,
            stderr=subprocess.DEVNULL,
        )
        deadline = time.monotonic() + 60
        while child.poll() is None and not moment() and time.monotonic() < deadline:
            time.sleep(0.002)
        assert child.poll() is None, "the run ended before it could be interrupted"
        child.send_signal(signal.SIGKILL)
        child.wait()
    ingest_logs(settings)
    assert (
        lake_rows(settings.parquet_path_base, "hits", "source_file, source_line, path, ts")
        == expected
    )
    leftovers = [p for p in settings.parquet_path_base.rglob("*") if p.name.endswith(".part")]
    assert leftovers == []
    listed = {str(p) for p in Manifest.load(settings.parquet_path_base).files("hits")}
    on_disk = {str(p) for p in (settings.parquet_path_base / "hits").rglob("*.parquet")}
    assert listed == on_disk
    manifest = json.loads((settings.parquet_path_base / "_manifest.json").read_text())
    assert all(e["lines"] == e["hits"] + e["rejects"] for e in manifest["sources"].values())


def test_a_lost_salt_in_a_lake_with_data_is_an_error_until_force_keys_everything_again(
    settings: Settings,
) -> None:
    write_log(archive_path(settings.log_path_base, 27), day_lines(27, 3))
    ingest_logs(settings)
    salt = settings.parquet_path_base / "_salt"
    salt.unlink()
    write_log(archive_path(settings.log_path_base, 28), day_lines(28, 3))
    with pytest.raises(IngestError, match=r"_salt' is missing .* restore it from a backup"):
        ingest_logs(settings)
    assert not salt.exists()
    assert len(lake_rows(settings.parquet_path_base, "hits")) == 3  # the lake is untouched

    summary = ingest_logs(settings, force=True)
    assert summary.count("ingested") == 2
    hits = lake_rows(settings.parquet_path_base, "hits")
    assert len(hits) == 6
    assert len({h["visitor_key"] for h in hits}) == 1  # same IP and User-Agent: one visitor


def test_force_refuses_a_new_salt_when_some_keyed_logs_are_gone(settings: Settings) -> None:
    first = write_log(archive_path(settings.log_path_base, 27), day_lines(27, 3))
    write_log(archive_path(settings.log_path_base, 28), day_lines(28, 3))
    ingest_logs(settings)
    first.unlink()
    (settings.parquet_path_base / "_salt").unlink()
    with pytest.raises(IngestError, match=r"1 logs in the lake .* not there to be read again"):
        ingest_logs(settings, force=True)


def _env(settings: Settings) -> dict[str, str]:
    return {
        "LOG_PATH_BASE": str(settings.log_path_base),
        "PARQUET_PATH_BASE": str(settings.parquet_path_base),
        "IP_PATH_BASE": str(settings.ip_path_base),
    }


def test_one_odd_file_does_not_block_the_daily_run(settings: Settings, tmp_path: Path) -> None:
    logs = settings.log_path_base
    write_log(archive_path(logs, 27), day_lines(27, 3))
    quiet_day = write_log(archive_path(logs, 26), [])  # a day without traffic: a 20-byte gzip
    assert quiet_day.stat().st_size == 20
    (logs / "README.txt").write_text("logs of example.com, fetched daily\n")
    write_log(logs / SITE / "access" / "2026" / "02" / f"{SITE}-31-02-2026.log.gz", day_lines(1, 1))
    summary = ingest_logs(settings)
    by_status = {f.key: f.status for f in summary.files}
    assert by_status == {
        f"{SITE}/access/2026/11/{SITE}-27-11-2026.log.gz": "ingested",
        f"{SITE}/access/2026/11/{SITE}-26-11-2026.log.gz": "ingested",
        str(logs / "README.txt"): "skipped",
        str(logs / SITE / "access" / "2026" / "02" / f"{SITE}-31-02-2026.log.gz"): "skipped",
    }
    assert (summary.lines, summary.hits, summary.rejects) == (3, 3, 0)
    done = run_golkepar("ingest", cwd=tmp_path, env=_env(settings))
    assert done.returncode == 0, done.stderr
    stderr = " ".join(done.stderr.split())
    assert "README.txt' is not named like a log" in stderr
    assert "named for 31-02-2026, which is not a date" in stderr
    assert "2 skipped, 0 failed" in done.stdout


def test_the_exit_code_tells_some_files_failed_from_nothing_done(
    settings: Settings, tmp_path: Path
) -> None:
    broken = archive_path(settings.log_path_base, 26)
    broken.parent.mkdir(parents=True)
    broken.write_bytes(b"\x1f\x8b not gzip at all\n")
    nothing = run_golkepar("ingest", cwd=tmp_path, env=_env(settings))
    assert nothing.returncode == IngestError.exit_code, nothing.stderr
    write_log(archive_path(settings.log_path_base, 27), day_lines(27, 3))
    some = run_golkepar("ingest", cwd=tmp_path, env=_env(settings))
    assert some.returncode == SomeFilesFailedError.exit_code != IngestError.exit_code
    assert "is not a valid gzip file" in some.stderr
    assert "1 ingested, 0 unchanged, 0 superseded by their daily archive, 1 failed" in some.stdout


def test_words_in_paths_do_not_change_how_a_file_is_read(tmp_path: Path) -> None:
    for folder in ("live", "Error"):
        logs = tmp_path / folder / "logs"
        settings = Settings(
            ip_path_base=tmp_path / "geoip",
            log_path_base=logs,
            parquet_path_base=tmp_path / folder / "lake",
        )
        site = "error-pages.fr"
        write_log(
            logs / site / "access" / "2026" / "11" / f"{site}-27-11-2026.log.gz",
            [ovh(when="27/Nov/2026:10:00:00 +0100")],
        )
        write_log(logs / site / "live" / f"{site}-28-11-2026.log", [ovh()], compress=False)
        summary = ingest_logs(settings)
        assert {(f.kind, f.status) for f in summary.files} == {("access", "ingested")}
        assert (summary.hits, summary.rejects) == (2, 0)
        entries = Manifest.load(settings.parquet_path_base).sources
        assert sorted(e.live for e in entries.values()) == [False, True]


def test_a_file_whose_lines_contradict_its_place_is_refused(settings: Settings) -> None:
    logs = settings.log_path_base
    write_log(logs / SITE / "error" / "2026" / "11" / f"{SITE}-27-11-2026.log.gz", day_lines(27, 3))
    error_line = "[Fri Nov 27 10:14:29.123456 2026] [php:error] [pid 1] PHP Warning:  oops"
    write_log(archive_path(logs, 26), [error_line] * 3)
    summary = ingest_logs(settings)
    messages = sorted(f.message or "" for f in summary.files if f.status == "failed")
    assert len(messages) == 2
    assert "26-11-2026.log.gz' holds Apache error-log lines but is read as an access" in messages[0]
    assert "27-11-2026.log.gz' is read as an error log" in messages[1]
    assert "holds access-log lines (ovh)" in messages[1]
    assert lake_rows(settings.parquet_path_base, "rejects") == []


def test_log_text_and_file_names_are_printed_literally(settings: Settings, tmp_path: Path) -> None:
    odd = write_log(tmp_path / "in" / "odd[/]-27-11-2026.log", [":x: [bold]not a log[/]"])
    done = run_golkepar("ingest", str(odd), cwd=tmp_path, env=_env(settings))
    assert done.returncode == IngestError.exit_code
    assert "Traceback" not in done.stderr
    assert "(first line ':x: [bold]not a log[/]')" in done.stderr
    assert "odd[/]-27-11-2026.log" in done.stderr


def test_the_same_log_under_two_names_counts_once(settings: Settings, tmp_path: Path) -> None:
    logs = settings.log_path_base
    archive = write_log(archive_path(logs, 24, 10), day_lines(24, 4, "Oct"))
    # Beside it, the same day unpacked by hand.
    write_log(archive.with_suffix(""), day_lines(24, 4, "Oct"), compress=False)
    summary = ingest_logs(settings)
    assert summary.hits == 4
    (skipped,) = [f for f in summary.files if f.status == "skipped"]
    # The first in key order stays (here the unpacked copy); the other is the copy.
    assert skipped.key == f"{SITE}/access/2026/10/{SITE}-24-10-2026.log.gz"
    assert "is another copy of the access log of example.com for 2026-10-24" in (
        skipped.message or ""
    )
    # A backup of the same bytes under another name, from another folder.
    backup = tmp_path / "backup" / "saved.log.gz"
    backup.parent.mkdir()
    backup.write_bytes(archive.read_bytes())
    again = ingest_logs(settings, [logs, backup], site=SITE)
    skipped_again = {f.key: f.message or "" for f in again.files if f.status == "skipped"}
    assert "is another copy of the same log, already in the lake" in skipped_again[str(backup)]
    assert len(skipped_again) == 2
    assert len(lake_rows(settings.parquet_path_base, "hits")) == 4


def test_client_addresses_are_validated_once_at_ingest(settings: Settings) -> None:
    records = [NetworkRecord("81.2.69.0/24", "GB", "England", "London", 51.5, -0.12, 1, "AA")]
    write_mmdb(settings.ip_path_base / "city.mmdb", records, "city", database_type="GeoLite2-City")
    odd = ["fe80::1%x", "fe80::1%1", "host.example", "01.2.3.4", "999.1.1.1"]
    write_log(
        archive_path(settings.log_path_base, 27),
        [ovh(ip="81.2.69.142"), ovh(ip="2001:db8::1"), *(ovh(ip=ip) for ip in odd)],
    )
    summary = ingest_logs(settings)
    assert [f.status for f in summary.files] == ["ingested"]
    assert (summary.lines, summary.hits, summary.rejects) == (7, 2, 5)
    assert summary.reject_reasons == [("client address is not an IP address", 5)]
    assert [h["ip"] for h in lake_rows(settings.parquet_path_base, "hits")] == [
        "81.2.69.142",
        "2001:db8::1",
    ]
    rejects = lake_rows(settings.parquet_path_base, "rejects")
    assert [r["source_line"] for r in rejects] == [3, 4, 5, 6, 7]
    assert rejects[0]["raw_line"] == ovh(ip="fe80::1%x")


@pytest.mark.parametrize("damage", ["deleted", "cut short"])
def test_lake_files_missing_or_damaged_are_read_again(settings: Settings, damage: str) -> None:
    write_log(archive_path(settings.log_path_base, 27), day_lines(27, 5))
    ingest_logs(settings)
    (output,) = Manifest.load(settings.parquet_path_base).files("hits")
    if damage == "deleted":
        output.unlink()
    else:
        output.write_bytes(output.read_bytes()[:100])
    summary = ingest_logs(settings)
    assert [f.status for f in summary.files] == ["ingested"]
    assert len(lake_rows(settings.parquet_path_base, "hits")) == 5
    assert [f.status for f in ingest_logs(settings).files] == ["unchanged"]
