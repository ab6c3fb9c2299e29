"""The manifest's rules, on a real `_manifest.json`: what each returns to delete, what it saves."""

from __future__ import annotations

import dataclasses
import json
from pathlib import Path

import pytest

from golkepar.errors import BuildError, IngestError
from golkepar.lake.contract import MANIFEST_NAME
from golkepar.lake.manifest import Manifest, SourceEntry

ARCHIVE = "example.com/access/2026/11/example.com-27-11-2026.log.gz"
LIVE = "example.com/live/example.com-27-11-2026.log"


def entry(live: bool = False, generation: int = 1, **fields: object) -> SourceEntry:
    name = "live" if live else "archive"
    values: dict[str, object] = {
        "source_id": name,
        "generation": generation,
        "kind": "access",
        "site": "example.com",
        "log_date": "2026-11-27",
        "live": live,
        "superseded": False,
        "size": 100,
        "mtime_ns": 7,
        "sha256": "a" * 64,
        "format": "ovh",
        "lines": 3,
        "hits": 3,
        "rejects": 0,
        "outputs": {
            "hits": (f"hits/site=example.com/date=2026-11-27/{name}-{generation}.parquet",)
        },
    }
    values.update(fields)
    return SourceEntry(**values)  # type: ignore[arg-type]


def saved(lake: Path) -> dict[str, dict[str, object]]:
    sources: dict[str, dict[str, object]] = json.loads((lake / MANIFEST_NAME).read_text())[
        "sources"
    ]
    return sources


def test_entries_are_frozen() -> None:
    with pytest.raises(dataclasses.FrozenInstanceError):
        entry().hits = 4  # type: ignore[misc]


def test_record_returns_the_previous_generation_to_delete_and_saves_first(tmp_path: Path) -> None:
    manifest = Manifest(tmp_path, {})
    assert manifest.record(ARCHIVE, entry()) == []
    stale = manifest.record(ARCHIVE, entry(generation=2))

    assert stale == ["hits/site=example.com/date=2026-11-27/archive-1.parquet"]
    assert saved(tmp_path)[ARCHIVE]["generation"] == 2
    assert Manifest.load(tmp_path).sources == manifest.sources


def test_an_archive_supersedes_its_live_copy(tmp_path: Path) -> None:
    manifest = Manifest(tmp_path, {})
    manifest.record(LIVE, entry(live=True))

    stale = manifest.record(ARCHIVE, entry())

    assert stale == ["hits/site=example.com/date=2026-11-27/live-1.parquet"]
    live = manifest.sources[LIVE]
    assert (live.superseded, live.output_paths) == (True, [])
    assert saved(tmp_path)[LIVE]["superseded"] is True
    assert manifest.files("hits") == [
        tmp_path / "hits/site=example.com/date=2026-11-27/archive-1.parquet"
    ]


def test_a_live_copy_met_after_its_archive_is_superseded_once(tmp_path: Path) -> None:
    manifest = Manifest(tmp_path, {})
    manifest.record(ARCHIVE, entry())
    probe = entry(live=True, outputs={})
    assert manifest.has_archive_of(probe)
    assert not manifest.has_archive_of(entry(live=True, log_date="2026-11-28"))
    assert not manifest.has_archive_of(entry(live=True, kind="error"))

    assert manifest.supersede(LIVE, probe) == []
    assert manifest.supersede(LIVE, probe) == []
    assert manifest.sources[LIVE].superseded


def test_a_superseded_source_returns_the_rows_it_had(tmp_path: Path) -> None:
    manifest = Manifest(tmp_path, {LIVE: entry(live=True)})
    assert manifest.supersede(LIVE, entry(live=True, outputs={})) == [
        "hits/site=example.com/date=2026-11-27/live-1.parquet"
    ]


def test_unchanged_and_same_content(tmp_path: Path) -> None:
    manifest = Manifest(tmp_path, {ARCHIVE: entry()})
    assert manifest.unchanged(ARCHIVE, 100, 7)
    assert not manifest.unchanged(ARCHIVE, 100, 8)
    assert not manifest.unchanged("other.log", 100, 7)
    assert not manifest.same_content(ARCHIVE, 100, 8, "b" * 64)

    # Touched, not changed: the new time is recorded, so the next run skips it by size and time.
    assert manifest.same_content(ARCHIVE, 100, 8, "a" * 64)
    assert manifest.unchanged(ARCHIVE, 100, 8)
    assert saved(tmp_path)[ARCHIVE]["mtime_ns"] == 8


@pytest.mark.parametrize(
    "document",
    ["{not json", '{"version": 2, "sources": {}}', '{"version": 1, "sources": []}', "[]"],
)
@pytest.mark.parametrize("error", [IngestError, BuildError])
def test_an_unreadable_manifest_is_the_calling_stages_error(
    tmp_path: Path, document: str, error: type[Exception]
) -> None:
    (tmp_path / MANIFEST_NAME).write_text(document)
    with pytest.raises(error, match=r"cannot read the lake manifest .*golkepar ingest"):
        Manifest.load(tmp_path, error)  # type: ignore[arg-type]


def test_a_missing_manifest_is_an_empty_lake(tmp_path: Path) -> None:
    assert Manifest.load(tmp_path).sources == {}
