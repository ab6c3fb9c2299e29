"""The Parquet lake on disk: its manifest, and writing one source file's outputs exactly once.

Outputs of a source file are written under new names (`<source_id>-<generation>.parquet`) and
only then recorded in the manifest; the files of the previous generation are deleted after.
Whatever moment a run is killed at, the manifest lists either the old outputs or the new ones,
and files it does not list are swept away by the next run.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import json
import logging
import os
import re
from dataclasses import dataclass, field
from pathlib import Path

import polars as pl
import pyarrow as pa
import pyarrow.parquet as pq

from golkepar._files import atomic_write_text, remove_stale_temp_files, temp_path_for
from golkepar.errors import IngestError

logger = logging.getLogger(__name__)

MANIFEST_NAME = "_manifest.json"
MANIFEST_VERSION = 1
DATASETS = ("hits", "errors", "rejects")
PARQUET_COMPRESSION = "zstd"
# Level 1 writes 20% faster than the default and the files are barely larger.
PARQUET_COMPRESSION_LEVEL = 1

HIT_SCHEMA: dict[str, pl.DataType | type[pl.DataType]] = {
    "site": pl.String,
    "vhost": pl.String,
    "ts": pl.Datetime("us", "UTC"),
    "utc_offset_min": pl.Int16,
    "local_date": pl.Date,
    "ip": pl.String,
    "visitor_key": pl.String,
    "remote_user": pl.String,
    "request": pl.String,
    "method": pl.String,
    "path": pl.String,
    "query": pl.String,
    "protocol": pl.String,
    "status": pl.Int16,
    "bytes": pl.Int64,
    "bytes_in": pl.Int64,
    "response_time_us": pl.Int64,
    "referer": pl.String,
    "user_agent": pl.String,
    "extra": pl.String,
    "is_asset": pl.Boolean,
    "is_page": pl.Boolean,
    "browser": pl.String,
    "browser_version": pl.String,
    "os": pl.String,
    "device": pl.String,
    "is_bot": pl.Boolean,
    "bot_name": pl.String,
    "country_code": pl.String,
    "region": pl.String,
    "city": pl.String,
    "latitude": pl.Float64,
    "longitude": pl.Float64,
    "asn": pl.Int64,
    "as_org": pl.String,
    "source_file": pl.String,
    "source_line": pl.Int64,
}
ERROR_SCHEMA: dict[str, pl.DataType | type[pl.DataType]] = {
    "site": pl.String,
    "ts": pl.Datetime("us", "UTC"),
    "local_date": pl.Date,
    "level": pl.String,
    "module": pl.String,
    "pid": pl.Int64,
    "client_ip": pl.String,
    "message": pl.String,
    "php_level": pl.String,
    "source_file": pl.String,
    "source_line": pl.Int64,
}
REJECT_SCHEMA: dict[str, pl.DataType | type[pl.DataType]] = {
    "site": pl.String,
    "log_kind": pl.String,
    "source_file": pl.String,
    "source_line": pl.Int64,
    "reason": pl.String,
    "raw_line": pl.String,
}
SCHEMAS = {"hits": HIT_SCHEMA, "errors": ERROR_SCHEMA, "rejects": REJECT_SCHEMA}
_SAFE_SITE = re.compile(r"[^A-Za-z0-9._-]")


@dataclass
class SourceEntry:
    """What the manifest remembers of one source file."""

    source_id: str
    generation: int
    kind: str
    site: str
    log_date: str | None
    live: bool
    superseded: bool
    size: int
    mtime_ns: int
    sha256: str
    format: str | None
    lines: int
    hits: int
    rejects: int
    outputs: dict[str, list[str]] = field(default_factory=dict)
    ingested_at: str = ""

    @property
    def output_paths(self) -> list[str]:
        return [path for paths in self.outputs.values() for path in paths]


def source_id_for(key: str) -> str:
    """A short stable name for a source file's outputs."""
    return hashlib.sha256(key.encode("utf-8", "surrogatepass")).hexdigest()[:16]


def partition_folder(site: str) -> str:
    """`site=<site>` with anything unusual in the name percent-encoded."""
    return "site=" + _SAFE_SITE.sub(lambda m: f"%{ord(m.group()):02X}", site)


class Manifest:
    """The lake's table of contents: every source file and the outputs it owns."""

    def __init__(self, lake: Path, sources: dict[str, SourceEntry]) -> None:
        self.lake = lake
        self.sources = sources

    @classmethod
    def load(cls, lake: Path) -> Manifest:
        path = lake / MANIFEST_NAME
        if not path.exists():
            return cls(lake, {})
        try:
            raw = json.loads(path.read_text("utf-8"))
            if raw.get("version") != MANIFEST_VERSION:
                raise ValueError(f"version {raw.get('version')!r}, expected {MANIFEST_VERSION}")
            sources = {key: SourceEntry(**entry) for key, entry in raw["sources"].items()}
        except (ValueError, KeyError, TypeError) as e:
            raise IngestError(
                f"the lake manifest {path} is unreadable ({e}): restore it, or delete the lake "
                "folder and ingest again"
            ) from e
        return cls(lake, sources)

    def save(self) -> None:
        """Rewrite the manifest atomically, one source a line.

        It is saved after every file: written by hand around json's C encoder (indenting
        would use the pure-Python one), a year of daily logs saves in milliseconds.
        """
        sources = ",\n".join(
            f"  {json.dumps(key)}: {json.dumps(vars(entry))}"
            for key, entry in sorted(self.sources.items())
        )
        document = f'{{\n "version": {MANIFEST_VERSION},\n "sources": {{\n{sources}\n }}\n}}\n'
        atomic_write_text(self.lake / MANIFEST_NAME, document)

    def listed_outputs(self) -> set[str]:
        return {path for entry in self.sources.values() for path in entry.output_paths}

    def files(self, dataset: str) -> list[Path]:
        """The Parquet files of a dataset that the lake holds now."""
        return sorted(
            self.lake / path
            for entry in self.sources.values()
            for path in entry.outputs.get(dataset, [])
        )


def sweep_unlisted_files(manifest: Manifest) -> int:
    """Delete outputs no manifest entry lists, and temp files: leftovers of a killed run."""
    removed = remove_stale_temp_files(manifest.lake)
    listed = manifest.listed_outputs()
    for dataset in DATASETS:
        folder = manifest.lake / dataset
        if not folder.is_dir():
            continue
        for parquet in folder.rglob("*.parquet"):
            if str(parquet.relative_to(manifest.lake)) not in listed:
                parquet.unlink()
                removed += 1
        for empty in sorted(folder.rglob("*"), key=lambda p: len(p.parts), reverse=True):
            if empty.is_dir() and not any(empty.iterdir()):
                empty.rmdir()
    return removed


# Min/max statistics only where readers filter (dates, numbers, the site): those of long
# strings (paths, User-Agents) doubled the cost of writing and no query prunes on them.
_STATISTICS_COLUMNS = {
    dataset: [name for name, kind in schema.items() if kind != pl.String or name == "site"]
    for dataset, schema in SCHEMAS.items()
}
# Arrow string views: Polars hands its strings over without a copy.
_ARROW_COMPAT = pl.CompatLevel.newest()


def _arrow_schema(dataset: str) -> pa.Schema:
    return pl.DataFrame(schema=SCHEMAS[dataset]).to_arrow(compat_level=_ARROW_COMPAT).schema


class OutputWriter:
    """Streams one source file's rows into Parquet files, one per dataset and partition.

    Nothing is visible under a final name until `commit()`; `abort()` removes everything.
    """

    def __init__(self, lake: Path, source_id: str, generation: int) -> None:
        self.lake = lake
        self.stem = f"{source_id}-{generation}"
        self._writers: dict[str, tuple[pq.ParquetWriter, Path, Path]] = {}

    def _relative_path(self, dataset: str, site: str, day: dt.date | None) -> str:
        parts = [dataset, partition_folder(site)]
        if day is not None:
            parts.append(f"date={day.isoformat()}")
        return "/".join([*parts, f"{self.stem}.parquet"])

    def write(self, dataset: str, rows: pl.DataFrame) -> None:
        """Append rows (with a `site` column, and `local_date` unless rejects)."""
        if rows.is_empty():
            return
        shaped = rows.select([pl.col(name).cast(dtype) for name, dtype in SCHEMAS[dataset].items()])
        if dataset == "rejects":
            groups = {
                (site, None): part
                for (site,), part in shaped.partition_by(["site"], as_dict=True).items()
            }
        else:
            groups = {
                (site, day): part
                for (site, day), part in shaped.partition_by(
                    ["site", "local_date"], as_dict=True
                ).items()
            }
        for (site, day), part in groups.items():
            relative = self._relative_path(dataset, str(site), day)
            if relative not in self._writers:
                final = self.lake / relative
                temp = temp_path_for(final)
                writer = pq.ParquetWriter(
                    temp,
                    _arrow_schema(dataset),
                    compression=PARQUET_COMPRESSION,
                    compression_level=PARQUET_COMPRESSION_LEVEL,
                    write_statistics=_STATISTICS_COLUMNS[dataset],
                )
                self._writers[relative] = (writer, temp, final)
            self._writers[relative][0].write_table(part.to_arrow(compat_level=_ARROW_COMPAT))

    def commit(self) -> dict[str, list[str]]:
        """Close every file and rename it into place; returns the outputs by dataset."""
        outputs: dict[str, list[str]] = {dataset: [] for dataset in DATASETS}
        for relative, (writer, temp, final) in sorted(self._writers.items()):
            writer.close()
            with open(temp, "rb+") as written:
                os.fsync(written.fileno())
            temp.replace(final)
            outputs[relative.split("/", 1)[0]].append(relative)
        self._writers.clear()
        return outputs

    def abort(self) -> None:
        for writer, temp, _ in self._writers.values():
            try:
                writer.close()
            finally:
                temp.unlink(missing_ok=True)
        self._writers.clear()


def delete_outputs(lake: Path, outputs: list[str]) -> None:
    for relative in outputs:
        (lake / relative).unlink(missing_ok=True)
