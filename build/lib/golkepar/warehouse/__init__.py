"""The build stage: turn the Parquet lake into the DuckDB warehouse, and what reads it back."""
