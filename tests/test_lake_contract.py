"""The lake ingest writes is the lake build reads, and the lake docs describe."""

from __future__ import annotations

import re
from pathlib import Path

import duckdb
import pytest

from golkepar.demo import run_demo
from golkepar.ingest.lake import Manifest
from golkepar.warehouse.lake import DATASETS, LAKE_COLUMNS

DOCS = Path(__file__).resolve().parents[1] / "docs" / "lake.md"


@pytest.fixture(scope="module")
def lake(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return run_demo(tmp_path_factory.mktemp("contract")).settings.parquet_path_base


@pytest.mark.parametrize("dataset", DATASETS)
def test_ingest_writes_the_columns_and_types_build_reads(lake: Path, dataset: str) -> None:
    files = [str(p) for p in Manifest.load(lake).files(dataset)]
    assert files, f"the demo wrote no {dataset}"
    with duckdb.connect() as db:
        written = db.sql(
            "describe select * from read_parquet($files, hive_partitioning = false)",
            params={"files": files},
        ).fetchall()
    # DuckDB describes TIMESTAMPTZ by its long name.
    expected = {
        name: kind.replace("TIMESTAMPTZ", "TIMESTAMP WITH TIME ZONE")
        for name, kind in LAKE_COLUMNS[dataset].items()
    }
    assert {name: kind for name, kind, *_ in written} == expected


@pytest.mark.parametrize("dataset", DATASETS)
def test_the_docs_list_every_column(dataset: str) -> None:
    section = DOCS.read_text().split(f"## `{dataset}`", 1)[1].split("\n## ", 1)[0]
    documented = re.findall(r"^\| (\w+) \| [A-Z]", section, flags=re.M)
    assert documented == list(LAKE_COLUMNS[dataset])
