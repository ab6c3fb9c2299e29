"""`_manifest.json`: the lake's table of contents, and the rules that keep it exact.

Ingest records each source file it reads here; build reads the files listed here and nothing
else. A source's new outputs are recorded before the old ones are deleted, so whatever moment
a run is killed at, the manifest lists a complete set of files.
"""

from __future__ import annotations

import json
from collections.abc import Mapping
from dataclasses import dataclass, field, replace
from pathlib import Path

from golkepar._files import atomic_write_text
from golkepar.errors import GolkeparError
from golkepar.lake.contract import MANIFEST_NAME, MANIFEST_VERSION


@dataclass(frozen=True)
class SourceEntry:
    """What the manifest remembers of one source file (docs/lake.md)."""

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
    # Rows written to `hits` (access logs) or `errors` (error logs).
    hits: int
    rejects: int
    outputs: Mapping[str, tuple[str, ...]] = field(default_factory=dict)
    ingested_at: str = ""

    @property
    def output_paths(self) -> list[str]:
        return [path for paths in self.outputs.values() for path in paths]

    def is_archive_of(self, live: SourceEntry) -> bool:
        """True when this is the daily archive of the day `live` is a live copy of."""
        return (
            live.live
            and not self.live
            and self.kind == live.kind
            and self.site == live.site
            and live.log_date is not None
            and self.log_date == live.log_date
        )


class Manifest:
    """Every source file of the lake and the outputs it owns; saved after every change."""

    def __init__(self, lake: Path, sources: dict[str, SourceEntry]) -> None:
        self.lake = lake
        self._sources = sources

    @property
    def path(self) -> Path:
        return self.lake / MANIFEST_NAME

    @classmethod
    def load(cls, lake: Path, error: type[GolkeparError] = GolkeparError) -> Manifest:
        """The manifest of `lake` (empty when there is none).

        Raises `error`, the calling stage's error class, when it cannot be read.
        """
        path = lake / MANIFEST_NAME
        if not path.exists():
            return cls(lake, {})
        try:
            raw = json.loads(path.read_text("utf-8"))
            if raw.get("version") != MANIFEST_VERSION:
                raise ValueError(f"version {raw.get('version')!r}, expected {MANIFEST_VERSION}")
            sources = {
                key: SourceEntry(
                    **{
                        **entry,
                        "outputs": {name: tuple(paths) for name, paths in entry["outputs"].items()},
                    }
                )
                for key, entry in raw["sources"].items()
            }
        except (OSError, ValueError, KeyError, TypeError, AttributeError) as e:
            raise error(
                f"cannot read the lake manifest {str(path)!r} ({e}): restore it, or delete the "
                "lake folder and run `golkepar ingest` again"
            ) from e
        return cls(lake, sources)

    def save(self) -> None:
        """Rewrite the manifest atomically, one source a line.

        It is saved after every file: written by hand around json's C encoder (indenting
        would use the pure-Python one), a year of daily logs saves in milliseconds.
        """
        sources = ",\n".join(
            f"  {json.dumps(key)}: {json.dumps(vars(entry))}"
            for key, entry in sorted(self._sources.items())
        )
        document = f'{{\n "version": {MANIFEST_VERSION},\n "sources": {{\n{sources}\n }}\n}}\n'
        atomic_write_text(self.path, document)

    @property
    def sources(self) -> Mapping[str, SourceEntry]:
        return self._sources

    def get(self, key: str) -> SourceEntry | None:
        return self._sources.get(key)

    def listed_outputs(self) -> set[str]:
        return {path for entry in self._sources.values() for path in entry.output_paths}

    def files(self, dataset: str) -> list[Path]:
        """The Parquet files of a dataset that the lake holds now."""
        return sorted(
            {
                self.lake / path
                for entry in self._sources.values()
                if not entry.superseded
                for path in entry.outputs.get(dataset, ())
            }
        )

    # The rules of the lake: each returns the files that no entry lists any more, which the
    # caller deletes only after this method has saved the manifest.

    def unchanged(self, key: str, size: int, mtime_ns: int) -> bool:
        """The source's size and modification time are the ones recorded."""
        previous = self._sources.get(key)
        return previous is not None and (previous.size, previous.mtime_ns) == (size, mtime_ns)

    def same_content(self, key: str, size: int, mtime_ns: int, sha256: str) -> bool:
        """The source was touched, not changed: its new size and time are recorded, and True."""
        previous = self._sources.get(key)
        if previous is None or previous.sha256 != sha256:
            return False
        self._sources[key] = replace(previous, size=size, mtime_ns=mtime_ns)
        self.save()
        return True

    def has_archive_of(self, live: SourceEntry) -> bool:
        """The daily archive of this live copy's day is in the lake."""
        return any(other.is_archive_of(live) for other in self._sources.values())

    def supersede(self, key: str, entry: SourceEntry) -> list[str]:
        """Record a source whose lines are in another's: a live copy whose daily archive is in
        the lake, or a copy of a log the lake holds. It keeps no rows of its own.
        """
        previous = self._sources.get(key)
        if previous is not None and previous.superseded:
            return []
        self._sources[key] = replace(entry, superseded=True, outputs={})
        self.save()
        return previous.output_paths if previous else []

    def copy_in_lake(self, key: str, entry: SourceEntry) -> str | None:
        """The key of another source in the lake that holds the same log as `entry`, if any.

        The same log is the same bytes (SHA-256; empty logs aside, they are all alike), or the
        same site, day, kind and liveness: a day's log kept twice, once gzipped and once not,
        or a backup copy elsewhere. Counting both would double every number of that day.
        """
        for other_key, other in self._sources.items():
            if other_key == key:
                continue
            # A superseded source's lines are in the lake too: in its archive, or its original.
            if entry.sha256 == other.sha256 != "" and (other.lines or other.superseded):
                return other_key
            if other.superseded:
                continue
            same_day = (other.site, other.log_date, other.kind, other.live)
            if entry.log_date is not None and same_day == (
                entry.site,
                entry.log_date,
                entry.kind,
                entry.live,
            ):
                return other_key
        return None

    def record(self, key: str, entry: SourceEntry) -> list[str]:
        """Record a source's new generation; the live copies its archive replaces are superseded.

        Returns the outputs no entry lists any more: the previous generation's and those live
        copies'.
        """
        previous = self._sources.get(key)
        stale = previous.output_paths if previous else []
        self._sources[key] = entry
        for other_key, other in list(self._sources.items()):
            if entry.is_archive_of(other):
                stale.extend(other.output_paths)
                self._sources[other_key] = replace(other, outputs={}, superseded=True)
        self.save()
        return stale
