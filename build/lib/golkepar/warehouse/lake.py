"""What the build reads from the lake: the files `_manifest.json` lists, and their columns.

The columns are the lake's contract (`golkepar.lake.contract`, docs/lake.md) in DuckDB types;
the build loads every file into a table of exactly these columns and types, so a file written
before a column existed, or an empty lake, still builds.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from pathlib import Path

from golkepar.errors import BuildError
from golkepar.lake import contract
from golkepar.lake.manifest import Manifest

# The datasets the build loads, each as a table.
DATASETS = contract.DATASET_NAMES
# Dataset -> column name -> DuckDB type, in file order.
LAKE_COLUMNS: dict[str, dict[str, str]] = {
    name: {column: kind.duckdb for column, kind in dataset.columns.items()}
    for name, dataset in contract.DATASETS.items()
}


@dataclass(frozen=True)
class LakeFiles:
    """The Parquet files of each dataset that the manifest lists, as absolute paths."""

    hits: tuple[Path, ...] = ()
    errors: tuple[Path, ...] = ()
    rejects: tuple[Path, ...] = ()
    # The source file (its manifest key, the rows' `source_file`) each file holds lines of.
    source_of: Mapping[Path, str] = field(default_factory=dict)

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
    path = lake / contract.MANIFEST_NAME
    if not path.is_file():
        raise BuildError(
            f"no lake manifest at {str(path)!r}: run `golkepar ingest` first, "
            "or set PARQUET_PATH_BASE to the lake folder"
        )
    manifest = Manifest.load(lake, BuildError)
    outputs = {dataset: tuple(manifest.files(dataset)) for dataset in DATASETS}
    for files in outputs.values():
        for file in files:
            if not file.is_file():
                raise BuildError(
                    f"the lake manifest lists {str(file)!r}, which is missing: "
                    "run `golkepar ingest` again"
                )
    sources = {
        lake / path: key
        for key, entry in manifest.sources.items()
        if not entry.superseded
        for path in entry.output_paths
    }
    return LakeFiles(**outputs, source_of=sources)
