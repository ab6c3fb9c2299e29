"""Sample traffic: deterministic, in time order, true to its ground truth, and fast enough."""

from __future__ import annotations

import gzip
import ipaddress
import itertools
import json
import re
import shutil
import subprocess
import sys
from collections import defaultdict
from datetime import UTC, date, datetime
from pathlib import Path

import pytest
from hypothesis import given
from hypothesis import strategies as st

from golkepar.errors import ConfigError
from golkepar.sample import SAMPLE_NETWORKS, SampleLogs, network_of, write_bench_log
from golkepar.sample import truth as t
from golkepar.sample.site import access_line, apache_time, write_site_logs
from golkepar.sample.traffic import Hit

ROOT = Path(__file__).resolve().parents[1]
# The OVH access-log format, strict: what a valid hit looks like.
QUOTED = r'"((?:[^"\\]|\\.)*)"'
ACCESS_LINE = re.compile(
    rf"^(\S+) (\S+) (\S+) \[(\d\d/\w{{3}}/\d{{4}}:\d\d:\d\d:\d\d [+-]\d{{4}})\] {QUOTED} "
    rf"(\d{{3}}) (\d+|-) {QUOTED} {QUOTED}$"
)
ERROR_LINE = re.compile(
    r"^\[(\w{3} \w{3} \d\d \d\d:\d\d:\d\d\.\d{6} \d{4})\] \[(\w+):(\w+)\] \[pid \d+\]"
    r"( \[client [0-9a-f.:]+:\d+\])? AH\d{5}: .+$"
)
SESSION_IDLE_S = 30 * 60


def unescape(value: str) -> str | None:
    if value == "-":
        return None
    return re.sub(r"\\(.)", r"\1", value)


def read_lines(path: Path) -> list[str]:
    """A log's lines, gzip or plain, bytes read as Latin-1 (as ingest reads invalid UTF-8)."""
    data = gzip.decompress(path.read_bytes()) if path.suffix == ".gz" else path.read_bytes()
    # Split on newlines only: str.splitlines() would also split on Latin-1's \x85.
    return data.decode("latin-1").removesuffix("\n").split("\n")


def parse_hit(line: str) -> tuple[str, str | None, float, str, int] | None:
    """(ip, user agent, instant, request, status) of a valid line, else None."""
    match = ACCESS_LINE.match(line)
    if match is None:
        return None
    try:
        instant = datetime.strptime(match[4], "%d/%b/%Y:%H:%M:%S %z").timestamp()
    except ValueError:
        return None
    return match[1], unescape(match[9]), instant, match[5], int(match[6])


@pytest.fixture(scope="module")
def sample(tmp_path_factory: pytest.TempPathFactory) -> SampleLogs:
    # Three days around the end of summer time (25 October 2026), and a live file.
    root = tmp_path_factory.mktemp("logs")
    return write_site_logs(root, "example.com", date(2026, 10, 24), days=3, seed=7, live=True)


def access_files(sample: SampleLogs) -> list[Path]:
    return [path for path in sample.files if "/error/" not in path.as_posix()]


def test_layout_is_the_fetch_layout(sample: SampleLogs) -> None:
    names = sorted(sample.lines_per_file)
    assert names == [
        "example.com/access/2026/10/example.com-24-10-2026.log.gz",
        "example.com/access/2026/10/example.com-25-10-2026.log.gz",
        "example.com/access/2026/10/example.com-26-10-2026.log.gz",
        "example.com/error/2026/10/example.com-24-10-2026.log.gz",
        "example.com/error/2026/10/example.com-25-10-2026.log.gz",
        "example.com/error/2026/10/example.com-26-10-2026.log.gz",
        "example.com/live/example.com-27-10-2026.log",
    ]
    assert all(path.is_file() for path in sample.files)
    live = sample.log_root / "example.com/live/example.com-27-10-2026.log"
    assert not live.read_bytes().startswith(b"\x1f\x8b"), "the live file is plain text"
    assert not list(sample.log_root.rglob("*.part")), "no temporary file is left behind"


def test_same_seed_same_bytes_other_seed_other_bytes(tmp_path: Path, sample: SampleLogs) -> None:
    again = write_site_logs(tmp_path / "a", "example.com", date(2026, 10, 24), 3, seed=7, live=True)
    for first, second in zip(sample.files, again.files, strict=True):
        assert first.read_bytes() == second.read_bytes(), first.name
    assert again.actors == sample.actors
    other = write_site_logs(tmp_path / "b", "example.com", date(2026, 10, 24), 3, seed=8, live=True)
    assert other.files[0].read_bytes() != sample.files[0].read_bytes()


def test_access_lines_are_in_time_order(sample: SampleLogs) -> None:
    for path in access_files(sample):
        instants = [hit[2] for line in read_lines(path) if (hit := parse_hit(line))]
        assert instants, path
        assert instants == sorted(instants), path


def test_each_file_holds_its_own_local_day(sample: SampleLogs) -> None:
    for path in access_files(sample):
        day = re.search(r"-(\d\d)-(\d\d)-(\d{4})\.log", path.name)
        assert day is not None
        expected = f"{day[1]}/{datetime(2026, int(day[2]), 1):%b}/{day[3]}:"
        dates = {line.split("[")[1][:12] for line in read_lines(path) if parse_hit(line)}
        assert dates == {expected}, path


def test_dst_day_repeats_two_oclock_with_both_offsets(sample: SampleLogs) -> None:
    path = sample.log_root / "example.com/access/2026/10/example.com-25-10-2026.log.gz"
    offsets = [
        line.split("] ")[0][-5:]
        for line in read_lines(path)
        if parse_hit(line) and ":02:" in line.split("[")[1][11:15]
    ]
    assert "+0200" in offsets and "+0100" in offsets
    # The first 2 o'clock is summer time, the second winter time: never back again.
    assert offsets == sorted(offsets, reverse=True)
    month = sample.log_root / "example.com/access/2026/10"
    before = read_lines(month / "example.com-24-10-2026.log.gz")
    after = read_lines(month / "example.com-26-10-2026.log.gz")
    assert all(" +0200]" in line for line in before if parse_hit(line))
    assert all(" +0100]" in line for line in after if parse_hit(line))


@pytest.mark.parametrize(
    ("utc", "logged"),
    [
        (datetime(2026, 10, 25, 0, 30), "25/Oct/2026:02:30:00 +0200"),
        (datetime(2026, 10, 25, 1, 30), "25/Oct/2026:02:30:00 +0100"),
        (datetime(2026, 3, 29, 1, 30), "29/Mar/2026:03:30:00 +0200"),
        (datetime(2026, 11, 27, 9, 14, 29), "27/Nov/2026:10:14:29 +0100"),
    ],
)
def test_apache_time_uses_paris_offset_in_force(utc: datetime, logged: str) -> None:
    instant = int(utc.replace(tzinfo=UTC).timestamp())
    assert apache_time(instant) == logged


@given(st.integers(min_value=1_735_689_600, max_value=1_830_297_600))  # 2025 to 2027
def test_apache_time_reads_back_as_the_same_instant(instant: int) -> None:
    logged = apache_time(instant)
    assert datetime.strptime(logged, "%d/%b/%Y:%H:%M:%S %z").timestamp() == instant
    assert logged[-5:] in ("+0100", "+0200")


@given(st.text(alphabet=st.characters(min_codepoint=32, max_codepoint=255), max_size=80))
def test_user_agents_survive_apache_escaping(user_agent: str) -> None:
    hit = Hit(1_800_000_000, "90.12.0.1", "www.example.com", "GET / HTTP/1.1", 200, None,
              None, user_agent)  # fmt: skip
    parsed = parse_hit(access_line(hit).rstrip("\n"))
    assert parsed is not None
    assert parsed[1] == (None if user_agent == "-" else user_agent)


def test_ground_truth_matches_the_lines_written(sample: SampleLogs) -> None:
    hits_by_actor: dict[tuple[str, str | None], int] = defaultdict(int)
    rejected: set[tuple[str, int]] = set()
    for path in access_files(sample):
        name = path.relative_to(sample.log_root).as_posix()
        lines = read_lines(path)
        assert len(lines) == sample.lines_per_file[name]
        for number, line in enumerate(lines, start=1):
            hit = parse_hit(line)
            if hit is None:
                rejected.add((name, number))
            else:
                hits_by_actor[(hit[0], hit[1])] += 1
    assert rejected == {(r.source_file, r.line_number) for r in sample.rejects}
    assert {r.reason for r in sample.rejects} == {
        t.NO_MATCH,
        t.INVALID_TIMESTAMP,
        t.NON_NUMERIC_STATUS,
    }
    expected = {(a.ip, a.user_agent): a.hits for a in sample.actors if a.hits}
    assert dict(hits_by_actor) == expected
    assert sample.hits + len(sample.rejects) == sample.access_lines


def test_visits_in_truth_are_what_a_30_minute_rule_finds(sample: SampleLogs) -> None:
    instants: dict[tuple[str, str | None], list[float]] = defaultdict(list)
    for path in access_files(sample):
        for line in read_lines(path):
            if hit := parse_hit(line):
                instants[(hit[0], hit[1])].append(hit[2])
    for actor in sample.actors:
        if actor.intended_class not in (t.HUMAN, t.ADMIN):
            assert actor.visits is None
            continue
        times = sorted(instants[(actor.ip, actor.user_agent)])
        visits = 1 + sum(1 for a, b in itertools.pairwise(times) if b - a > SESSION_IDLE_S)
        assert actor.visits == visits >= 1, actor.name


def test_every_address_is_in_a_sample_network(sample: SampleLogs) -> None:
    for path in access_files(sample):
        for line in read_lines(path):
            if hit := parse_hit(line):
                assert network_of(hit[0]) is not None, hit[0]
    assert all(network_of(actor.ip) for actor in sample.actors)


def test_the_cast_covers_what_an_analyst_expects(sample: SampleLogs) -> None:
    actors = {actor.name: actor for actor in sample.actors}
    classes = {actor.intended_class for actor in sample.actors}
    assert classes == {t.HUMAN, t.BOT, t.ADMIN, t.ATTACKER}
    # Two browsers behind one NAT address.
    assert actors["human-00"].ip == actors["human-01"].ip
    assert actors["human-00"].user_agent != actors["human-01"].user_agent
    assert any(":" in a.ip for a in sample.actors if a.intended_class == t.HUMAN)
    google = ipaddress.ip_network("66.249.64.0/19")
    assert ipaddress.ip_address(actors["googlebot"].ip) in google
    assert ipaddress.ip_address(actors["fake-googlebot"].ip) not in google
    assert actors["fake-googlebot"].user_agent == actors["googlebot"].user_agent
    kinds = {kind for actor in sample.actors for kind in actor.attack_kinds}
    assert kinds >= {t.SENSITIVE_FILE, t.WP_LOGIN_BRUTEFORCE, t.XMLRPC, t.SQLI, t.XSS}
    assert all(actor.hits > 0 for actor in sample.actors), "every actor shows up"


def test_odd_but_valid_lines_are_present(sample: SampleLogs) -> None:
    raw = b"".join(
        gzip.decompress(p.read_bytes()) if p.suffix == ".gz" else p.read_bytes()
        for p in access_files(sample)
    )
    assert b'"\\x16\\x03\\x01\\x02\\x00\\x01\\x00\\x01\\xfc\\x03\\x03" 400 - ' in raw
    assert b' "-" 408 - ' in raw
    assert b'\\"><script>' in raw, "a quote escaped inside a User-Agent"
    assert b"caf\xe9" in raw, "a raw Latin-1 byte in a referer"
    with pytest.raises(UnicodeDecodeError):
        raw.decode("utf-8")
    longest = max(len(line) for line in raw.split(b"\n"))
    assert longest > 5_000
    assert b"POST /wp-login.php HTTP/1.1" in raw
    assert b"POST /xmlrpc.php HTTP/1.1" in raw
    assert b" 304 - " in raw


def test_error_logs_are_apache_24_lines_with_php_messages(sample: SampleLogs) -> None:
    error_files = [p for p in sample.files if "/error/" in p.as_posix()]
    lines = [line for path in error_files for line in read_lines(path)]
    assert len(lines) == sample.error_lines
    for line in lines:
        assert ERROR_LINE.match(line), line
    assert any("PHP message: PHP Warning:  " in line for line in lines)
    assert any("[proxy_fcgi:error]" in line and "[client " in line for line in lines)


def test_sample_networks_are_plain_and_cover_the_world() -> None:
    cidrs = [ipaddress.ip_network(n.cidr) for n in SAMPLE_NETWORKS]
    for i, first in enumerate(cidrs):
        for second in cidrs[i + 1 :]:
            assert first.version != second.version or not first.overlaps(second)
    countries = {n.country_code for n in SAMPLE_NETWORKS}
    assert countries >= {"FR", "DE", "US", "GB", "NL", "CN", "RU", "BR", "IN"}
    assert {15169, 8075, 16276} <= {n.asn for n in SAMPLE_NETWORKS}
    assert any(c.version == 6 for c in cidrs)
    assert all(-90 <= n.latitude <= 90 and -180 <= n.longitude <= 180 for n in SAMPLE_NETWORKS)


def test_bench_log_is_deterministic_and_realistic(tmp_path: Path) -> None:
    first = write_bench_log(tmp_path / "a.log.gz", 50_000, seed=3)
    second = write_bench_log(tmp_path / "b.log.gz", 50_000, seed=3)
    assert first.path.read_bytes() == second.path.read_bytes()
    lines = read_lines(first.path)
    assert len(lines) == first.lines == 50_000
    hits = [hit for line in lines if (hit := parse_hit(line))]
    assert len(hits) == first.lines - first.rejects
    assert first.rejects == 1
    assert 200 < first.uncompressed_bytes / first.lines < 340
    # Most of the 20k addresses and nearly all of the 2k User-Agents show up already.
    assert len({hit[0] for hit in hits}) > 10_000
    assert len({hit[1] for hit in hits}) > 1_900
    instants = [hit[2] for hit in hits]
    assert instants == sorted(instants)
    assert all(network_of(ip) for ip in {hit[0] for hit in hits[:5_000]})


@pytest.mark.skipif(shutil.which("goaccess") is None, reason="goaccess is not installed")
def test_bench_harness_runs_goaccess_side_by_side(tmp_path: Path) -> None:
    done = subprocess.run(
        [sys.executable, str(ROOT / "bench/run.py"), "--lines", "2000", "--results", str(tmp_path)],
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
        env={"PYTHONPATH": str(ROOT / "src"), "PATH": "/usr/bin:/bin"},
    )
    assert done.returncode == 0, done.stderr
    assert "goaccess" in done.stdout and "zcat | wc -l" in done.stdout
    [result_file] = tmp_path.glob("*.json")
    result = json.loads(result_file.read_text())
    runs = {run["tool"]: run for run in result["runs"]}
    assert runs["zcat | wc -l"]["lines_seen"] == 2000
    assert runs["goaccess"]["status"] == "ok"
    # GoAccess drops lines longer than its 4 KiB buffer (the overflow probes), nothing else.
    assert 1_950 <= runs["goaccess"]["lines_seen"] <= 2000 - result["log"]["rejects"]
    assert runs["goaccess"]["peak_rss_mb"] > 0


def test_nothing_to_write_is_a_clear_error(tmp_path: Path) -> None:
    with pytest.raises(ConfigError, match=r"days=0"):
        write_site_logs(tmp_path, days=0)
    with pytest.raises(ConfigError, match=r"lines=0"):
        write_bench_log(tmp_path / "bench.log.gz", 0)
    assert not list(tmp_path.iterdir())
