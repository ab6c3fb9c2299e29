"""Configuration: defaults < `.env` file < environment < command-line flags.

Variable names are the seed project's (`IP_PATH_BASE`, `LOG_PATH_BASE`...), so an existing
`.env` keeps working. Relative paths are resolved against the current directory.
"""

from __future__ import annotations

import math
import os
import types
import typing
from collections.abc import Callable, Mapping
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


def _to_path(name: str, value: str) -> Path:
    if not value:
        raise ConfigError(f"{name.upper()} is empty: give a folder or file path")
    return Path(value).expanduser()


def _to_int(name: str, value: str) -> int:
    try:
        return int(value)
    except ValueError:
        raise ConfigError(f"{name.upper()}={value!r} is not a whole number") from None


def _to_float(name: str, value: str) -> float:
    try:
        number = float(value)
    except ValueError:
        number = math.nan
    if not math.isfinite(number):
        raise ConfigError(f"{name.upper()}={value!r} is not a number")
    return number


def _to_bool(name: str, value: str) -> bool:
    if value.lower() in _TRUE:
        return True
    if value.lower() in _FALSE:
        return False
    raise ConfigError(f"{name.upper()}={value!r} is not a yes/no value (use true or false)")


def _to_names(name: str, value: str) -> tuple[str, ...]:
    return tuple(part.strip() for part in value.split(",") if part.strip())


def _to_text(name: str, value: str) -> str | None:
    return value or None


# How a raw string becomes each type a setting may have; a field of any other type is refused
# when this module loads, so a new setting cannot silently stay a string.
_CONVERTERS: dict[object, Callable[[str, str], Any]] = {
    Path: _to_path,
    int: _to_int,
    float: _to_float,
    bool: _to_bool,
    tuple[str, ...]: _to_names,
    str: _to_text,
}


@dataclass(frozen=True)
class SettingType:
    """How one setting is read: its type, its converter, and whether it may be unset (None)."""

    kind: object
    convert: Callable[[str, str], Any]
    optional: bool

    @classmethod
    def of(cls, name: str, hint: object) -> SettingType:
        """The reader of a field annotated `hint`; `TypeError` for a type no converter takes."""
        optional = False
        if isinstance(hint, types.UnionType) or typing.get_origin(hint) is typing.Union:
            members = [m for m in typing.get_args(hint) if m is not type(None)]
            optional = len(members) < len(typing.get_args(hint))
            if len(members) != 1:
                raise TypeError(f"setting {name}: {hint} has no single type to convert to")
            hint = members[0]
        if hint not in _CONVERTERS:
            raise TypeError(f"setting {name}: no converter for {hint}")
        return cls(hint, _CONVERTERS[hint], optional)

    def read(self, name: str, raw: Any) -> Any:
        """A raw string (or an already typed flag value) as this type.

        An empty value of an optional setting (`GEOIP_BASE_URL=`) means unset.
        """
        if raw is None:
            return None
        if not isinstance(raw, str):
            return Path(raw) if self.kind is Path else raw
        value = raw.strip()
        if not value and self.optional:
            return None
        return self.convert(name, value)


_SETTING_TYPES = {
    name: SettingType.of(name, hint) for name, hint in typing.get_type_hints(Settings).items()
}


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
                values[f.name] = _SETTING_TYPES[f.name].read(f.name, layer[f.name.upper()])
        if overrides and overrides.get(f.name) is not None:
            values[f.name] = _SETTING_TYPES[f.name].read(f.name, overrides[f.name])
    settings = Settings(**{k: v for k, v in values.items() if v is not None})
    if settings.geoip_max_age_days < 0:
        raise ConfigError("GEOIP_MAX_AGE_DAYS must be 0 or more")
    if settings.session_idle_minutes <= 0:
        raise ConfigError("SESSION_IDLE_MINUTES must be more than 0")
    return settings
