"""`golkepar blocklist`: the attackers' addresses as .htaccess rules or CSV."""

from __future__ import annotations

import csv
import io
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest
from hypothesis import given
from hypothesis import strategies as st

import traffic
from conftest import run_golkepar
from golkepar.config import Settings
from golkepar.errors import BuildError, ConfigError
from golkepar.warehouse.blocklist import (
    OffendingAddress,
    offending_addresses,
    parse_since,
    render_csv,
    render_htaccess,
)
from golkepar.warehouse.build import build_warehouse
from lake_factory import Hit, write_lake, write_search_bot_ranges

ATTACKERS = {w.ip for w in traffic.EVERYONE if w.visitor_class == "attacker"}


@pytest.fixture(scope="module")
def warehouse(tmp_path_factory: pytest.TempPathFactory) -> Path:
    tmp = tmp_path_factory.mktemp("blocklist")
    junk = Hit(traffic.at(100), ip="-", user_agent="sqlmap/1.0", path="/")
    write_lake(tmp / "lake", [*traffic.crafted_hits(), junk])
    write_search_bot_ranges(tmp / "geoip")
    settings = Settings(
        parquet_path_base=tmp / "lake", duckdb_file=tmp / "w.duckdb", ip_path_base=tmp / "geoip"
    )
    build_warehouse(settings)
    return settings.duckdb_file


def test_every_attacker_and_nobody_else(warehouse: Path) -> None:
    addresses = offending_addresses(warehouse)
    assert {a.ip for a in addresses} == ATTACKERS | {"-"}
    counts = [a.events for a in addresses]
    assert counts == sorted(counts, reverse=True)
    brute = next(a for a in addresses if a.ip == traffic.BRUTE_A.ip)
    assert (brute.events, brute.kinds, brute.sites) == (
        6,
        ("wp_login_bruteforce",),
        ("example.com",),
    )


def test_since_and_site_narrow_the_list(warehouse: Path) -> None:
    later = traffic.at(85).astimezone(UTC)
    assert {a.ip for a in offending_addresses(warehouse, since=later)} == {
        traffic.INJECTOR.ip,
        traffic.PANEL_PROBER.ip,
        "-",
    }
    assert offending_addresses(warehouse, site="other.example") == ()


def test_htaccess_blocks_each_valid_address_with_its_reasons(warehouse: Path) -> None:
    text = render_htaccess(offending_addresses(warehouse))
    lines = text.splitlines()
    assert lines[2:4] == ["<RequireAll>", "    Require all granted"]
    assert lines[-1] == "</RequireAll>"
    blocked = {line.split()[-1] for line in lines if line.strip().startswith("Require not ip")}
    assert blocked == ATTACKERS  # "-" is no address: Apache would fail on it
    assert "# 6 events: wp_login_bruteforce; last 2026-11-27 09:12 UTC" in text
    assert "1 event: xmlrpc_abuse" in text


def test_htaccess_with_nothing_to_block_is_only_comments() -> None:
    text = render_htaccess((), since=datetime(2026, 11, 1, tzinfo=UTC))
    assert all(line.startswith("#") for line in text.splitlines())
    assert "since 2026-11-01T00:00:00+00:00" in text


def test_csv_has_one_row_per_address() -> None:
    seen = datetime(2026, 11, 27, 8, 0, tzinfo=UTC)
    rows = list(
        csv.DictReader(
            io.StringIO(
                render_csv(
                    (
                        OffendingAddress(
                            "2001:db8::1",
                            3,
                            ("sql_injection", "xss_attempt"),
                            ("a.fr",),
                            seen,
                            seen,
                        ),
                    )
                )
            )
        )
    )
    assert rows == [
        {
            "ip": "2001:db8::1",
            "events": "3",
            "kinds": "sql_injection xss_attempt",
            "sites": "a.fr",
            "first_seen": "2026-11-27T08:00:00+00:00",
            "last_seen": "2026-11-27T08:00:00+00:00",
        }
    ]


NOW = datetime(2026, 11, 28, 12, 0, tzinfo=UTC)


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("7d", NOW - timedelta(days=7)),
        ("24h", NOW - timedelta(hours=24)),
        ("2w", NOW - timedelta(weeks=2)),
        ("2026-11-01", datetime(2026, 11, 1, tzinfo=UTC)),
        ("2026-11-01T08:00:00+01:00", datetime(2026, 11, 1, 7, 0, tzinfo=UTC)),
        ("2026-11-01T08:00:00", datetime(2026, 11, 1, 8, 0, tzinfo=UTC)),
    ],
)
def test_parse_since(text: str, expected: datetime) -> None:
    assert parse_since(text, now=NOW) == expected


@pytest.mark.parametrize("text", ["yesterday", "7", "-3d", "2026-13-01"])
def test_parse_since_rejects_what_it_cannot_read(text: str) -> None:
    with pytest.raises(ConfigError, match=repr(text)):
        parse_since(text, now=NOW)


def test_a_missing_warehouse_says_to_build_first(tmp_path: Path) -> None:
    with pytest.raises(BuildError, match="run `golkepar build` first"):
        offending_addresses(tmp_path / "none.duckdb")


def test_cli_prints_htaccess_and_csv(warehouse: Path, tmp_path: Path) -> None:
    env = {"DUCKDB_FILE": str(warehouse)}
    rules = run_golkepar("blocklist", cwd=tmp_path, env=env)
    assert rules.returncode == 0, rules.stderr
    assert f"Require not ip {traffic.SQLMAP.ip}" in rules.stdout
    table = run_golkepar(
        "blocklist", "--format", "csv", "--since", "2026-11-27", cwd=tmp_path, env=env
    )
    assert table.returncode == 0, table.stderr
    assert {r["ip"] for r in csv.DictReader(io.StringIO(table.stdout))} == ATTACKERS | {"-"}


def test_cli_rejects_a_bad_since_and_a_bad_format(warehouse: Path, tmp_path: Path) -> None:
    env = {"DUCKDB_FILE": str(warehouse)}
    bad_since = run_golkepar("blocklist", "--since", "last tuesday", cwd=tmp_path, env=env)
    assert bad_since.returncode == ConfigError.exit_code
    assert "--since 'last tuesday' is not a date" in bad_since.stderr
    bad_format = run_golkepar("blocklist", "--format", "nginx", cwd=tmp_path, env=env)
    assert bad_format.returncode == 2
    assert "nginx" in bad_format.stderr


@given(amount=st.integers(min_value=0, max_value=10_000), unit=st.sampled_from("hdw"))
def test_any_duration_is_that_long_before_now(amount: int, unit: str) -> None:
    units = {"h": timedelta(hours=1), "d": timedelta(days=1), "w": timedelta(weeks=1)}
    assert parse_since(f"{amount}{unit}", now=NOW) == NOW - amount * units[unit]
    assert parse_since(f" {amount} {unit.upper()} ", now=NOW) == NOW - amount * units[unit]


def test_only_addresses_apache_accepts_and_csv_safe_for_spreadsheets() -> None:
    seen = datetime(2026, 11, 27, 8, 0, tzinfo=UTC)
    addresses = tuple(
        OffendingAddress(ip, 1, ("sql_injection",), ("=HYPERLINK(1)", "a.fr"), seen, seen)
        for ip in ("fe80::1%1", "fe80::1%eth0", "2001:db8::1", "@SUM(1)", "-")
    )
    rules = render_htaccess(addresses)
    assert [line.split()[-1] for line in rules.splitlines() if "Require not ip" in line] == [
        "2001:db8::1"
    ]
    rows = list(csv.DictReader(io.StringIO(render_csv(addresses))))
    assert [r["ip"] for r in rows] == ["fe80::1%1", "fe80::1%eth0", "2001:db8::1", "'@SUM(1)", "-"]
    assert {r["sites"] for r in rows} == {"'=HYPERLINK(1) a.fr"}


@pytest.mark.parametrize("text", ["99999999999d", "999999999999999999999w"])
def test_a_duration_past_year_one_is_a_clear_error(text: str) -> None:
    with pytest.raises(ConfigError, match="reaches back before year 1"):
        parse_since(text, now=NOW)
