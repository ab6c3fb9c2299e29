"""Ingest: raw Apache logs in, an enriched, partitioned Parquet lake out."""
