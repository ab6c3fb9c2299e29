"""Configuration: defaults < `.env` file < environment < command-line flags.

Variable names are the seed project's (`IP_PATH_BASE`, `LOG_PATH_BASE`...), so an existing
`.env` keeps working. Relative paths are resolved against the current directory.
"""

from __future__ import annotations

import ipaddress
import math
import os
import re
import types
import typing
import zoneinfo
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field, fields
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

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
    # fetch: the most one log file may unpack to. OVH's daily access log of a busy shared-
    # hosting site is tens of MB unpacked; past 1 GiB a server sends something else, or
    # without end.
    fetch_max_file_mb: int = 1024
    # fetch: the longest one file may take, retries included. At a slow 1 MB/s, 30 minutes
    # bring 1.8 GB: a file still not done then is being dripped.
    fetch_file_deadline_seconds: int = 1800
    # Other hosts of the sites (comma-separated): a link from one of them is `internal`, not a
    # referral. The hosts the logs show (vhosts, the site's name, with or without www.) are.
    site_hosts: tuple[str, ...] = ()
    # DuckDB's memory cap for `build` (`2GB`, `512MiB`); unset: a quarter of the machine's
    # memory, at most 1536 MiB. Past it, build spills to BUILD_TEMP_DIRECTORY instead of growing.
    build_memory_limit: str | None = None
    # Where build spills; unset: beside the database it builds (the disk of DUCKDB_FILE).
    build_temp_directory: Path | None = None

    @property
    def sites(self) -> tuple[str, ...]:
        """The configured sites, in order, without blanks."""
        if not self.ovh_stats_account_name:
            return ()
        return tuple(s.strip() for s in self.ovh_stats_account_name.split(",") if s.strip())


# Bounds of the whole-number settings: (lowest, highest). A value outside is a mistake, never
# a wish: a session idle for a year, a database a century old, a file of a petabyte.
_INT_BOUNDS: dict[str, tuple[int, int]] = {
    "geoip_max_age_days": (0, 3650),
    "session_idle_minutes": (1, 24 * 60),
    "fetch_max_file_mb": (1, 1024 * 1024),
    "fetch_file_deadline_seconds": (1, 7 * 24 * 3600),
}
# What Linux file systems take: a name of 255 bytes, a path of 4096.
_NAME_MAX = 255
_PATH_MAX = 4096
# Settings that are http(s) URLs (OVH_LOGS_URL may hold `{site}`).
_URL_FIELDS = (
    "ovh_logs_url",
    "geoip_base_url",
    "maxmind_base_url",
    "dbip_base_url",
    "ip_location_db_base_url",
    "googlebot_ranges_url",
    "bingbot_ranges_url",
)
# Settings whose items become file names in IP_PATH_BASE: a plain name, nothing that climbs out.
_FILE_NAME_ITEMS = ("maxmind_editions", "ip_location_db_files")
_HOST = re.compile(r"^[a-z0-9_](?:[a-z0-9_.-]*[a-z0-9_])?$")
_PLAIN_NAME = re.compile(r"^[A-Za-z0-9][A-Za-z0-9._-]{0,127}$")


_TRUE = {"1", "true", "yes", "on"}
_FALSE = {"0", "false", "no", "off", ""}


def _to_path(name: str, value: str) -> Path:
    if not value:
        raise ConfigError(f"{name.upper()} is empty: give a folder or file path")
    try:
        return Path(value).expanduser()
    except RuntimeError:  # `~user` of a user this machine does not have
        raise ConfigError(
            f"{name.upper()}={value!r}: no home folder for {value.split('/')[0]!r}; "
            "give the path in full"
        ) from None


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
    check_settings(settings)
    return settings


def check_settings(settings: Settings) -> None:
    """Refuse, with a ConfigError naming the variable, any value a stage could not use.

    Every value is checked here, once, where it comes in: a stage never meets a number out of
    range, a URL without a host, a time zone that does not exist, or a NUL byte in a path.
    """
    for f in fields(Settings):
        name, value = f.name.upper(), getattr(settings, f.name)
        items = value if isinstance(value, tuple) else (value,)
        if any("\x00" in str(item) for item in items if item is not None):
            raise ConfigError(f"{name} holds a NUL byte: remove it")
    for f in fields(Settings):
        value = getattr(settings, f.name)
        if isinstance(value, Path) and (
            len(str(value)) > _PATH_MAX or any(len(part) > _NAME_MAX for part in value.parts)
        ):
            raise ConfigError(
                f"{f.name.upper()} is too long a path ({len(str(value))} characters): "
                f"at most {_NAME_MAX} a name, {_PATH_MAX} in all"
            )
    for field_name, (lowest, highest) in _INT_BOUNDS.items():
        number = getattr(settings, field_name)
        if not lowest <= number <= highest:
            raise ConfigError(
                f"{field_name.upper()}={number} is out of range: give {lowest} to {highest}"
            )
    for field_name in _URL_FIELDS:
        url = getattr(settings, field_name)
        if url is not None:
            _check_url(field_name.upper(), url)
    for field_name in _FILE_NAME_ITEMS:
        for item in getattr(settings, field_name):
            if not _PLAIN_NAME.match(item):
                raise ConfigError(
                    f"{field_name.upper()} has {item!r}, which is not a plain file name: "
                    "give names such as GeoLite2-City, separated by commas"
                )
    try:
        zoneinfo.ZoneInfo(settings.error_log_timezone)
    except (zoneinfo.ZoneInfoNotFoundError, ValueError):
        raise ConfigError(
            f"ERROR_LOG_TIMEZONE={settings.error_log_timezone!r} is not a time zone: "
            "give a name such as Europe/Paris"
        ) from None


def _is_ip_address(text: str) -> bool:
    try:
        ipaddress.ip_address(text)
    except ValueError:
        return False
    return True


def _check_url(name: str, url: str) -> None:
    """An http(s) URL with a host and a valid port (`{site}` stands for a site name)."""
    shown = url if len(url) <= 200 else url[:200] + "..."
    try:
        parts = urlsplit(url.replace("{site}", "example.com"))
        port = parts.port
        host = (parts.hostname or "").encode("idna").decode("ascii")
    except (ValueError, UnicodeError) as e:
        raise ConfigError(f"{name}={shown!r} is not a valid URL ({e})") from None
    if parts.scheme not in ("http", "https") or not host:
        raise ConfigError(f"{name}={shown!r} is not an http(s) URL with a host")
    if not _HOST.match(host) and not _is_ip_address(host):
        raise ConfigError(f"{name}={shown!r} has no valid host name ({host!r})")
    if port == 0:
        raise ConfigError(f"{name}={shown!r} has port 0: give a port from 1 to 65535")
