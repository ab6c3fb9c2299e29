"""What the build reads from the lake: the files `_manifest.json` lists, and their columns.

The column lists are the lake's contract (docs/lake.md); the build loads every file into a table
of exactly these columns and types, so a file written before a column existed, or an empty lake,
still builds.
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from pathlib import Path

from golkepar.errors import BuildError

MANIFEST_NAME = "_manifest.json"
DATASETS = ("hits", "errors", "rejects")

# Column name -> DuckDB type, in the order of docs/lake.md.
LAKE_COLUMNS: dict[str, dict[str, str]] = {
    "hits": {
        "site": "VARCHAR",
        "vhost": "VARCHAR",
        "ts": "TIMESTAMPTZ",
        "utc_offset_min": "SMALLINT",
        "local_date": "DATE",
        "ip": "VARCHAR",
        "visitor_key": "VARCHAR",
        "remote_user": "VARCHAR",
        "request": "VARCHAR",
        "method": "VARCHAR",
        "path": "VARCHAR",
        "query": "VARCHAR",
        "protocol": "VARCHAR",
        "status": "SMALLINT",
        "bytes": "BIGINT",
        "bytes_in": "BIGINT",
        "response_time_us": "BIGINT",
        "referer": "VARCHAR",
        "user_agent": "VARCHAR",
        "extra": "VARCHAR",
        "is_asset": "BOOLEAN",
        "is_page": "BOOLEAN",
        "browser": "VARCHAR",
        "browser_version": "VARCHAR",
        "os": "VARCHAR",
        "device": "VARCHAR",
        "is_bot": "BOOLEAN",
        "bot_name": "VARCHAR",
        "country_code": "VARCHAR",
        "region": "VARCHAR",
        "city": "VARCHAR",
        "latitude": "DOUBLE",
        "longitude": "DOUBLE",
        "asn": "BIGINT",
        "as_org": "VARCHAR",
        "source_file": "VARCHAR",
        "source_line": "BIGINT",
    },
    "errors": {
        "site": "VARCHAR",
        "ts": "TIMESTAMPTZ",
        "local_date": "DATE",
        "level": "VARCHAR",
        "module": "VARCHAR",
        "pid": "BIGINT",
        "client_ip": "VARCHAR",
        "message": "VARCHAR",
        "php_level": "VARCHAR",
        "source_file": "VARCHAR",
        "source_line": "BIGINT",
    },
    "rejects": {
        "site": "VARCHAR",
        "log_kind": "VARCHAR",
        "source_file": "VARCHAR",
        "source_line": "BIGINT",
        "reason": "VARCHAR",
        "raw_line": "VARCHAR",
    },
}


@dataclass(frozen=True)
class LakeFiles:
    """The Parquet files of each dataset that the manifest lists, as absolute paths."""

    hits: tuple[Path, ...] = ()
    errors: tuple[Path, ...] = ()
    rejects: tuple[Path, ...] = ()

    def of(self, dataset: str) -> tuple[Path, ...]:
        files: tuple[Path, ...] = getattr(self, dataset)
        return files

    @property
    def count(self) -> int:
        return len(self.hits) + len(self.errors) + len(self.rejects)


def read_manifest(lake: Path) -> LakeFiles:
    """The files the lake's manifest lists; superseded sources have none.

    A missing lake is an error (nothing was ingested); a manifest with no sources is an empty
    lake, which builds empty tables.
    """
    manifest = lake / MANIFEST_NAME
    if not manifest.is_file():
        raise BuildError(
            f"no lake manifest at {str(manifest)!r}: run `golkepar ingest` first, "
            "or set PARQUET_PATH_BASE to the lake folder"
        )
    try:
        content = json.loads(manifest.read_text(encoding="utf-8"))
        sources = content["sources"]
        outputs: dict[str, list[Path]] = {dataset: [] for dataset in DATASETS}
        for entry in sources.values():
            if entry.get("superseded"):
                continue
            for dataset in DATASETS:
                outputs[dataset].extend(lake / rel for rel in entry["outputs"].get(dataset, []))
    except (OSError, UnicodeDecodeError, ValueError, KeyError, TypeError, AttributeError) as e:
        raise BuildError(
            f"cannot read the lake manifest {str(manifest)!r} ({e!r}): run `golkepar ingest` again"
        ) from e
    for files in outputs.values():
        for file in files:
            if not file.is_file():
                raise BuildError(
                    f"the lake manifest lists {str(file)!r}, which is missing: "
                    "run `golkepar ingest` again"
                )
    return LakeFiles(**{dataset: tuple(sorted(set(files))) for dataset, files in outputs.items()})
