"""The lake's contract in Polars and Arrow types, for the code that makes and writes rows."""

from __future__ import annotations

import polars as pl
import pyarrow as pa

from golkepar.lake.contract import DATASETS, LakeType

PolarsSchema = dict[str, pl.DataType | type[pl.DataType]]

_POLARS_TYPES: dict[LakeType, pl.DataType | type[pl.DataType]] = {
    LakeType.STRING: pl.String,
    LakeType.INT16: pl.Int16,
    LakeType.INT64: pl.Int64,
    LakeType.FLOAT64: pl.Float64,
    LakeType.BOOLEAN: pl.Boolean,
    LakeType.DATE: pl.Date,
    LakeType.TIMESTAMP_UTC: pl.Datetime("us", "UTC"),
}
_ARROW_TYPES: dict[LakeType, pa.DataType] = {
    LakeType.STRING: pa.string(),
    LakeType.INT16: pa.int16(),
    LakeType.INT64: pa.int64(),
    LakeType.FLOAT64: pa.float64(),
    LakeType.BOOLEAN: pa.bool_(),
    LakeType.DATE: pa.date32(),
    LakeType.TIMESTAMP_UTC: pa.timestamp("us", tz="UTC"),
}


def polars_schema(dataset: str) -> PolarsSchema:
    """Column name -> Polars type, in file order."""
    return {name: _POLARS_TYPES[kind] for name, kind in DATASETS[dataset].columns.items()}


def arrow_schema(dataset: str) -> pa.Schema:
    """The Arrow schema of a dataset's Parquet files (plain strings, not string views)."""
    return pa.schema(
        [(name, _ARROW_TYPES[kind]) for name, kind in DATASETS[dataset].columns.items()]
    )


HIT_SCHEMA = polars_schema("hits")
ERROR_SCHEMA = polars_schema("errors")
REJECT_SCHEMA = polars_schema("rejects")
