"""Configuration: defaults < `.env` file < environment < command-line flags.

Variable names are the seed project's (`IP_PATH_BASE`, `LOG_PATH_BASE`...), so an existing
`.env` keeps working. Relative paths are resolved against the current directory.
"""

from __future__ import annotations

import os
from collections.abc import Mapping
from dataclasses import dataclass, field, fields
from pathlib import Path
from typing import Any

from dotenv import dotenv_values

from golkepar.errors import ConfigError

DEFAULT_DATA_DIR = Path("data")
DEFAULT_ENV_FILE = Path(".env")


@dataclass(frozen=True)
class Settings:
    """Everything a golkepar run needs to know; secrets are kept out of `repr`."""

    ip_path_base: Path = DEFAULT_DATA_DIR / "geoip"
    log_path_base: Path = DEFAULT_DATA_DIR / "logs"
    parquet_path_base: Path = DEFAULT_DATA_DIR / "lake"
    duckdb_file: Path = DEFAULT_DATA_DIR / "golkepar.duckdb"
    # One site, or several separated by commas (fetch loops over them).
    ovh_stats_account_name: str | None = None
    ovh_stats_cluster: str | None = None
    ovh_stats_user: str | None = None
    ovh_stats_password: str | None = field(default=None, repr=False)
    ovh_logs_url: str | None = None
    log_format: str | None = None
    geoip_source: str | None = None
    geoip_max_age_days: int = 7
    geoip_base_url: str | None = None
    maxmind_account_id: str | None = None
    maxmind_license_key: str | None = field(default=None, repr=False)
    maxmind_editions: tuple[str, ...] = ("GeoLite2-City", "GeoLite2-ASN")
    # Per-source base URLs (mirrors, proxies, tests); unset means GEOIP_BASE_URL, then the
    # vendor's own address.
    maxmind_base_url: str | None = None
    dbip_base_url: str | None = None
    ip_location_db_base_url: str | None = None
    # ip-location-db release assets to keep, without `.mmdb` (the seed's four files).
    ip_location_db_files: tuple[str, ...] = (
        "dbip-city-ipv4",
        "dbip-city-ipv6",
        "asn-ipv4",
        "asn-ipv6",
    )
    # A MaxMind `GeoIP.conf` to read the account id and licence key from when they are unset.
    geoip_conf_file: str | None = None
    googlebot_ranges_url: str = (
        "https://developers.google.com/static/search/apis/ipranges/googlebot.json"
    )
    bingbot_ranges_url: str = "https://www.bing.com/toolbox/bingbot.json"
    anonymize_ips: bool = False
    # Error logs carry local times with no offset; OVH's servers run on Paris time.
    error_log_timezone: str = "Europe/Paris"
    session_idle_minutes: int = 30
    # Other hosts of the sites (comma-separated): a link from one of them is `internal`, not a
    # referral. The hosts the logs show (vhosts, the site's name, with or without www.) are.
    site_hosts: tuple[str, ...] = ()
    # DuckDB's memory cap for `build` (`2GB`, `512MiB`); unset: a quarter of the machine's
    # memory, at most 2 GiB. Past it, build spills to BUILD_TEMP_DIRECTORY instead of growing.
    build_memory_limit: str | None = None
    # Where build spills; unset: beside the database it builds (the disk of DUCKDB_FILE).
    build_temp_directory: Path | None = None

    @property
    def sites(self) -> tuple[str, ...]:
        """The configured sites, in order, without blanks."""
        if not self.ovh_stats_account_name:
            return ()
        return tuple(s.strip() for s in self.ovh_stats_account_name.split(",") if s.strip())


_TRUE = {"1", "true", "yes", "on"}
_FALSE = {"0", "false", "no", "off", ""}


def _convert(name: str, annotation: str, raw: Any) -> Any:
    """Turn a raw string (or an already typed flag value) into the field's type."""
    if raw is None:
        return None
    if not isinstance(raw, str):
        return Path(raw) if annotation == "Path" else raw
    value = raw.strip()
    if annotation == "Path":
        if not value:
            raise ConfigError(f"{name.upper()} is empty: give a folder or file path")
        return Path(value).expanduser()
    if annotation == "int":
        try:
            return int(value)
        except ValueError:
            raise ConfigError(f"{name.upper()}={value!r} is not a whole number") from None
    if annotation == "bool":
        if value.lower() in _TRUE:
            return True
        if value.lower() in _FALSE:
            return False
        raise ConfigError(f"{name.upper()}={value!r} is not a yes/no value (use true or false)")
    if annotation.startswith("tuple"):
        return tuple(part.strip() for part in value.split(",") if part.strip())
    return value or None


def load_settings(
    env_file: Path | None = DEFAULT_ENV_FILE,
    environ: Mapping[str, str] | None = None,
    overrides: Mapping[str, Any] | None = None,
) -> Settings:
    """Build `Settings` from defaults, then `env_file`, then `environ`, then `overrides`.

    `overrides` holds command-line flags by field name; a value of None means "flag not given".
    A missing `env_file` is fine (nothing is mandatory for local files).
    """
    environ = os.environ if environ is None else environ
    layers: list[Mapping[str, Any]] = []
    if env_file is not None and env_file.is_file():
        try:
            file_values = dotenv_values(env_file)
        except (OSError, UnicodeDecodeError) as e:
            raise ConfigError(f"cannot read {env_file}: {e}") from e
        layers.append({k.upper(): v for k, v in file_values.items() if v is not None})
    layers.append(environ)
    values: dict[str, Any] = {}
    for f in fields(Settings):
        for layer in layers:
            if f.name.upper() in layer:
                values[f.name] = _convert(f.name, str(f.type), layer[f.name.upper()])
        if overrides and overrides.get(f.name) is not None:
            values[f.name] = _convert(f.name, str(f.type), overrides[f.name])
    settings = Settings(**{k: v for k, v in values.items() if v is not None})
    if settings.geoip_max_age_days < 0:
        raise ConfigError("GEOIP_MAX_AGE_DAYS must be 0 or more")
    if settings.session_idle_minutes <= 0:
        raise ConfigError("SESSION_IDLE_MINUTES must be more than 0")
    return settings
