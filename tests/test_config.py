from __future__ import annotations

import re
from pathlib import Path

import pytest

from golkepar.config import Settings, load_settings
from golkepar.errors import ConfigError


def test_defaults_need_no_configuration(tmp_path: Path) -> None:
    settings = load_settings(env_file=tmp_path / "missing.env", environ={})
    assert settings == Settings()
    assert settings.parquet_path_base == Path("data/lake")


def test_seed_env_file_keeps_working(tmp_path: Path) -> None:
    env = tmp_path / ".env"
    env.write_text(
        "IP_PATH_BASE=/srv/ip\n"
        "LOG_PATH_BASE=/srv/logs\n"
        "PARQUET_PATH_BASE=/srv/parquet\n"
        "DUCKDB_FILE=/srv/db.duckdb\n"
        "OVH_STATS_ACCOUNT_NAME=example.com\n"
        "OVH_STATS_CLUSTER=cluster021\n"
        "OVH_STATS_USER=logs\n"
        "OVH_STATS_PASSWORD='s3cret'\n"
        "LOG_FORMAT='%h %l %u %t \\\"%m %U%q %H\\\" %>s %b'\n"
    )
    settings = load_settings(env_file=env, environ={})
    assert settings.ip_path_base == Path("/srv/ip")
    assert settings.duckdb_file == Path("/srv/db.duckdb")
    assert settings.sites == ("example.com",)
    assert settings.ovh_stats_password == "s3cret"
    assert settings.log_format == '%h %l %u %t \\"%m %U%q %H\\" %>s %b'


def test_precedence_defaults_file_environment_flags(tmp_path: Path) -> None:
    env = tmp_path / ".env"
    env.write_text("LOG_PATH_BASE=from-file\nPARQUET_PATH_BASE=from-file\nDUCKDB_FILE=from-file\n")
    settings = load_settings(
        env_file=env,
        environ={"PARQUET_PATH_BASE": "from-env", "DUCKDB_FILE": "from-env"},
        overrides={"duckdb_file": "from-flag", "log_path_base": None},
    )
    assert settings.log_path_base == Path("from-file")
    assert settings.parquet_path_base == Path("from-env")
    assert settings.duckdb_file == Path("from-flag")
    assert settings.ip_path_base == Path("data/geoip")


def test_secrets_stay_out_of_repr() -> None:
    settings = load_settings(
        env_file=None, environ={"OVH_STATS_PASSWORD": "hunter2", "MAXMIND_LICENSE_KEY": "k3y"}
    )
    assert "hunter2" not in repr(settings)
    assert "k3y" not in repr(settings)


@pytest.mark.parametrize(
    ("environ", "message"),
    [
        ({"GEOIP_MAX_AGE_DAYS": "seven"}, "GEOIP_MAX_AGE_DAYS='seven' is not a whole number"),
        ({"ANONYMIZE_IPS": "maybe"}, "ANONYMIZE_IPS='maybe' is not a yes/no value"),
        ({"SESSION_IDLE_MINUTES": "0"}, "SESSION_IDLE_MINUTES=0 is out of range: give 1 to 1440"),
        ({"DUCKDB_FILE": "  "}, "DUCKDB_FILE is empty"),
    ],
)
def test_bad_values_are_named(environ: dict[str, str], message: str) -> None:
    with pytest.raises(ConfigError, match=message.replace("(", r"\(")):
        load_settings(env_file=None, environ=environ)


@pytest.mark.parametrize(
    ("raw", "sites"),
    [("example.com", ("example.com",)), (" a.fr , b.fr,", ("a.fr", "b.fr")), ("", ())],
)
def test_sites_list(raw: str, sites: tuple[str, ...]) -> None:
    assert load_settings(env_file=None, environ={"OVH_STATS_ACCOUNT_NAME": raw}).sites == sites


@pytest.mark.parametrize(
    ("name", "value", "message"),
    [
        ("OVH_LOGS_URL", "http://logs.example:99999/{site}/", "is not a valid URL"),
        ("OVH_LOGS_URL", "http://exa mple.com/{site}/", "has no valid host name"),
        ("OVH_LOGS_URL", "http://[::1/", "is not a valid URL"),
        ("GEOIP_BASE_URL", "ftp://mirror.example/", "is not an http(s) URL with a host"),
        ("GEOIP_BASE_URL", "http://mirror.example:0/", "has port 0"),
        ("ERROR_LOG_TIMEZONE", "Mars/Olympus", "is not a time zone"),
        ("MAXMIND_EDITIONS", "GeoLite2-City,../../etc/passwd", "is not a plain file name"),
        ("SESSION_IDLE_MINUTES", "99999999999", "is out of range: give 1 to 1440"),
        ("GEOIP_MAX_AGE_DAYS", "-1", "is out of range: give 0 to 3650"),
        ("FETCH_MAX_FILE_MB", "0", "is out of range"),
        ("DUCKDB_FILE", "x" * 300, "is too long a path"),
        ("OVH_STATS_ACCOUNT_NAME", "a\x00b", "holds a NUL byte"),
    ],
)
def test_values_are_checked_where_they_come_in(name: str, value: str, message: str) -> None:
    with pytest.raises(ConfigError, match=re.escape(message)) as raised:
        load_settings(env_file=None, environ={name: value})
    assert name in str(raised.value)
    assert "\n" not in str(raised.value)
