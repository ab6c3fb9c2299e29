"""The lake ingest writes is the lake the contract describes, build reads and the docs list."""

from __future__ import annotations

import re
from pathlib import Path

import duckdb
import pyarrow.parquet as pq
import pytest

from golkepar.demo import run_demo
from golkepar.errors import IngestError
from golkepar.lake.contract import ASSET_EXTENSIONS, DATASET_NAMES, DATASETS
from golkepar.lake.manifest import Manifest
from golkepar.lake.schemas import arrow_schema
from golkepar.warehouse.lake import LAKE_COLUMNS

DOCS = Path(__file__).resolve().parents[1] / "docs" / "lake.md"


@pytest.fixture(scope="module")
def lake(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return run_demo(tmp_path_factory.mktemp("contract")).settings.parquet_path_base


def _described(files: list[str]) -> dict[str, str]:
    with duckdb.connect() as db:
        written = db.sql(
            "describe select * from read_parquet($files, hive_partitioning = false)",
            params={"files": files},
        ).fetchall()
    return {name: kind for name, kind, *_ in written}


@pytest.mark.parametrize("dataset", DATASET_NAMES)
def test_ingest_writes_the_columns_and_types_of_the_contract(lake: Path, dataset: str) -> None:
    files = [str(p) for p in Manifest.load(lake, IngestError).files(dataset)]
    assert files, f"the demo wrote no {dataset}"
    expected = {name: kind.duckdb for name, kind in DATASETS[dataset].columns.items()}
    assert _described(files) == expected
    assert pq.read_schema(files[0]).names == list(expected)


@pytest.mark.parametrize("dataset", DATASET_NAMES)
def test_build_and_the_arrow_schema_read_the_contract(tmp_path: Path, dataset: str) -> None:
    assert LAKE_COLUMNS[dataset] == {
        name: kind.duckdb for name, kind in DATASETS[dataset].columns.items()
    }
    # An empty file of the Arrow schema reads back, in DuckDB, as the contract's types.
    empty = tmp_path / "empty.parquet"
    pq.write_table(arrow_schema(dataset).empty_table(), empty)
    assert _described([str(empty)]) == LAKE_COLUMNS[dataset]


def _documented(dataset: str) -> list[tuple[str, str]]:
    section = DOCS.read_text().split(f"## `{dataset}`", 1)[1].split("\n## ", 1)[0]
    return re.findall(r"^\| (\w+) \| ([A-Z][A-Z ]*[A-Z]) \|", section, flags=re.M)


@pytest.mark.parametrize("dataset", DATASET_NAMES)
def test_the_docs_list_every_column_with_its_type(dataset: str) -> None:
    expected = [(name, kind.duckdb) for name, kind in DATASETS[dataset].columns.items()]
    assert _documented(dataset) == expected


def test_the_docs_list_the_asset_extensions() -> None:
    listed = DOCS.read_text().split("Static-file extensions (`is_asset`):", 1)[1].split("(", 1)[0]
    assert listed.split() == list(ASSET_EXTENSIONS)
