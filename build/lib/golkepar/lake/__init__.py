"""The Parquet lake between ingest and build: its contract and its manifest.

Both stages import this package and nothing of each other: `contract` says which datasets and
columns the lake holds, in neutral types; `schemas` maps them to Polars and Arrow, and the
warehouse maps them to DuckDB; `manifest` is the one reader and writer of `_manifest.json`.
"""
