"""The lake's contract: its datasets, their columns in neutral types, and its file names.

Written once here; the Polars and Arrow schemas (`golkepar.lake.schemas`), the DuckDB columns
the warehouse loads, the lake factory of the tests and the check of docs/lake.md derive from it.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from enum import StrEnum

MANIFEST_NAME = "_manifest.json"
MANIFEST_VERSION = 1
# Ingest holds it exclusively while it writes the lake, build shared while it reads it.
LOCK_NAME = ".ingest.lock"

# Static files: a hit on one of these is an asset, never a page view (`hits.is_asset`).
ASSET_EXTENSIONS = (
    *("css", "js", "mjs", "map", "png", "jpg", "jpeg", "gif", "webp", "avif", "svg", "ico"),
    *("bmp", "tif", "tiff", "woff", "woff2", "ttf", "otf", "eot", "mp4", "webm", "ogg", "mp3"),
    *("wav", "m4a", "mov", "avi", "pdf", "zip", "gz", "txt", "xml", "json"),
)


class LakeType(StrEnum):
    """A column's type, said once for every engine that reads or writes the lake."""

    STRING = "string"
    INT16 = "int16"
    INT64 = "int64"
    FLOAT64 = "float64"
    BOOLEAN = "boolean"
    DATE = "date"
    # Microseconds since the epoch, in UTC.
    TIMESTAMP_UTC = "timestamp_utc"

    @property
    def duckdb(self) -> str:
        """The DuckDB type, as `describe` names it and docs/lake.md lists it."""
        return _DUCKDB_TYPES[self]


_DUCKDB_TYPES = {
    LakeType.STRING: "VARCHAR",
    LakeType.INT16: "SMALLINT",
    LakeType.INT64: "BIGINT",
    LakeType.FLOAT64: "DOUBLE",
    LakeType.BOOLEAN: "BOOLEAN",
    LakeType.DATE: "DATE",
    LakeType.TIMESTAMP_UTC: "TIMESTAMP WITH TIME ZONE",
}

_S, _I16, _I64, _F64 = LakeType.STRING, LakeType.INT16, LakeType.INT64, LakeType.FLOAT64
_BOOL, _DATE, _TS = LakeType.BOOLEAN, LakeType.DATE, LakeType.TIMESTAMP_UTC


@dataclass(frozen=True)
class Dataset:
    """One folder of the lake: its columns in file order, and the columns its folders split on."""

    name: str
    columns: Mapping[str, LakeType]
    # `site=<site>/date=<local_date>/` folders, or `site=<site>/` only.
    partition_columns: tuple[str, ...]


HITS = Dataset(
    "hits",
    {
        "site": _S, "vhost": _S, "ts": _TS, "utc_offset_min": _I16, "local_date": _DATE,
        "ip": _S, "visitor_key": _S, "remote_user": _S, "request": _S, "method": _S,
        "path": _S, "query": _S, "protocol": _S, "status": _I16, "bytes": _I64,
        "bytes_in": _I64, "response_time_us": _I64, "referer": _S, "user_agent": _S,
        "extra": _S, "is_asset": _BOOL, "is_page": _BOOL, "browser": _S,
        "browser_version": _S, "os": _S, "device": _S, "is_bot": _BOOL, "bot_name": _S,
        "country_code": _S, "region": _S, "city": _S, "latitude": _F64, "longitude": _F64,
        "asn": _I64, "as_org": _S, "source_file": _S, "source_line": _I64,
    },
    ("site", "local_date"),
)  # fmt: skip
ERRORS = Dataset(
    "errors",
    {
        "site": _S, "ts": _TS, "local_date": _DATE, "level": _S, "module": _S, "pid": _I64,
        "client_ip": _S, "message": _S, "php_level": _S, "source_file": _S,
        "source_line": _I64,
    },
    ("site", "local_date"),
)  # fmt: skip
REJECTS = Dataset(
    "rejects",
    {
        "site": _S, "log_kind": _S, "source_file": _S, "source_line": _I64, "reason": _S,
        "raw_line": _S,
    },
    ("site",),
)  # fmt: skip

DATASETS: dict[str, Dataset] = {d.name: d for d in (HITS, ERRORS, REJECTS)}
DATASET_NAMES: tuple[str, ...] = tuple(DATASETS)
