"""What the warehouse tests share: building a lake into a database, reading it, its docs."""

from __future__ import annotations

import re
from pathlib import Path
from typing import Any

import duckdb

from golkepar.config import Settings
from golkepar.warehouse.build import BuildResult, build_warehouse

DOCS = Path(__file__).resolve().parents[1] / "docs" / "warehouse.md"


def build(lake: Path, tmp: Path, **settings: Any) -> BuildResult:
    """Build `tmp/golkepar.duckdb` from `lake`, with crawler ranges read from `tmp/geoip`."""
    return build_warehouse(
        Settings(
            parquet_path_base=lake,
            duckdb_file=tmp / "golkepar.duckdb",
            ip_path_base=tmp / "geoip",
            **settings,
        )
    )


def scalar(con: duckdb.DuckDBPyConnection, sql: str, *params: Any) -> Any:
    return con.execute(sql, list(params)).fetchall()[0][0]


def documented_columns() -> dict[str, list[str]]:
    """The column tables of docs/warehouse.md, by table name."""
    tables: dict[str, list[str]] = {}
    current = None
    for line in DOCS.read_text().splitlines():
        heading = re.match(r"### `(\w+)`", line)
        if heading:
            current = heading.group(1)
            tables[current] = []
        elif line.startswith("#"):  # any other heading ends the table's section
            current = None
        elif current and re.match(r"\| \w+ \|", line) and not line.startswith("| column"):
            tables[current].append(line.split("|")[1].strip())
    return tables
