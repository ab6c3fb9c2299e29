"""Any value, in any setting or option, gives a result or one clear line: never a traceback.

Property-based: hypothesis throws hostile text (huge numbers, NaN, bad URLs, NUL bytes, broken
LogFormat strings, impossible dates...) at every setting of `Settings` and at the options of the
commands, run in-process as the user runs them.
"""

from __future__ import annotations

from dataclasses import fields
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from typer.testing import CliRunner, Result

from conftest import write_log
from golkepar.cli import app
from golkepar.config import Settings, load_settings
from golkepar.errors import ConfigError

SETTING_NAMES = sorted(f.name.upper() for f in fields(Settings))

# Values that broke stages before they were checked where they come in.
KNOWN_HOSTILE = [
    *("nan", "inf", "-inf", "-1", "0", "1e308", "99999999999", "9" * 5000, "-0"),
    *("http://[::1", "http://a:99999/", "http://a b/", "http://:80/", "ftp://x/", "http://x:0/"),
    *("http://exa mple.com/{site}/", "https://user:pw@host/", "http://..a/"),
    *("%h %h %h", "%h %{Foo", "%", "%{", '"%r', "%>", "%!200s"),
    *("Mars/Olympus", "../../etc/passwd", "/", "/dev/null", "\x00", " ", "", ",,,", "-"),
    *("0001-01-01", "9999-12-31", "2026-02-30", "99999999999d", "fe80::1%1", ":x: [b]"),
]
hostile_text = st.one_of(
    st.sampled_from(KNOWN_HOSTILE),
    st.text(max_size=40),
    st.integers().map(str),
    st.floats().map(str),
)

CHECKS = settings(
    max_examples=30, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)


def _assert_clean(result: Result) -> None:
    """Exit 0, or our one `error:` line, or click's usage error: never an uncaught exception."""
    if result.exception is not None and not isinstance(result.exception, SystemExit):
        raise AssertionError(f"uncaught {result.exception!r}") from result.exception
    output = result.stdout + result.stderr
    assert "Traceback" not in output
    if result.exit_code not in (0, 2):
        errors = [line for line in result.stderr.splitlines() if line.startswith("error:")]
        assert errors, result.stderr
        assert all(line.strip() for line in errors)


@settings(max_examples=300, deadline=None)
@given(name=st.sampled_from(SETTING_NAMES), value=hostile_text)
def test_any_setting_loads_or_is_one_clear_line(name: str, value: str) -> None:
    try:
        load_settings(env_file=None, environ={name: value})
    except ConfigError as e:
        assert "\n" not in str(e)
        assert name in str(e)


@pytest.fixture(scope="module")
def home(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A folder with a tiny log, where commands run without network."""
    folder = tmp_path_factory.mktemp("edge")
    write_log(
        folder
        / "logs"
        / "example.com"
        / "access"
        / "2026"
        / "11"
        / "example.com-27-11-2026.log.gz",
        [
            '81.2.69.142 www.example.com - [27/Nov/2026:10:14:29 +0100] "GET / HTTP/1.1" 200 5 "-" "x"'
        ],
    )
    return folder


def _run(home: Path, args: list[str], environ: dict[str, str]) -> Result:
    base = {
        "LOG_PATH_BASE": str(home / "logs"),
        "PARQUET_PATH_BASE": str(home / "lake"),
        "IP_PATH_BASE": str(home / "geoip"),
        "DUCKDB_FILE": str(home / "golkepar.duckdb"),
        # Nothing leaves the machine: a closed loopback port, and no credentials.
        "OVH_LOGS_URL": "http://127.0.0.1:9/{site}/",
        "GEOIP_BASE_URL": "http://127.0.0.1:9/",
        "OVH_STATS_ACCOUNT_NAME": "example.com",
    }
    # An environment variable cannot hold a NUL byte (load_settings' own test covers .env).
    clean = {name: value.replace("\x00", "") for name, value in environ.items()}
    return CliRunner().invoke(
        app, ["--env-file", str(home / "none.env"), *args], env={**base, **clean}
    )


@CHECKS
@given(name=st.sampled_from(SETTING_NAMES), value=hostile_text)
def test_any_setting_given_to_ingest_is_used_or_refused_cleanly(
    home: Path, name: str, value: str
) -> None:
    if name in ("PARQUET_PATH_BASE", "LOG_PATH_BASE", "IP_PATH_BASE"):
        value = value.replace("/", "_") or "x"  # stay inside the test's folder
    _assert_clean(_run(home, ["ingest", "--lake", str(home / "lake-settings")], {name: value}))


@CHECKS
@given(
    option=st.sampled_from(["--since", "--until", "--days", "--jobs", "--timeout", "--attempts"]),
    value=hostile_text,
    site=st.one_of(st.none(), hostile_text),
)
def test_any_fetch_option_plans_or_is_refused_cleanly(
    home: Path, option: str, value: str, site: str | None
) -> None:
    args = ["fetch", "--dry-run", "--log-path-base", str(home / "fetched"), option, value]
    _assert_clean(_run(home, [*args, *(["--site", site] if site is not None else [])], {}))


@CHECKS
@given(log_format=hostile_text, site=hostile_text)
def test_any_ingest_option_is_used_or_refused_cleanly(
    home: Path, log_format: str, site: str
) -> None:
    lake = str(home / "lake-options")
    args = ["ingest", "--lake", lake, "--log-format", log_format, "--site", site]
    _assert_clean(_run(home, args, {}))


@settings(max_examples=8, deadline=None)
@given(minutes=hostile_text, since=hostile_text, site=hostile_text)
def test_any_build_and_blocklist_option_is_used_or_refused_cleanly(
    home: Path, minutes: str, since: str, site: str
) -> None:
    _assert_clean(_run(home, ["ingest"], {}))
    _assert_clean(_run(home, ["build", "--session-idle-minutes", minutes], {}))
    _assert_clean(_run(home, ["blocklist", "--since", since, "--site", site], {}))
    _assert_clean(_run(home, ["geoip", "lookup", since, site], {}))
