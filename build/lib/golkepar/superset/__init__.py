"""Apache Superset support: a dashboard bundle (database, datasets, charts) for the warehouse."""

from __future__ import annotations

from golkepar.superset.bundle import (
    BundleResult,
    default_time_range,
    latest_day,
    sqlalchemy_uri,
    write_bundle,
)

__all__ = ["BundleResult", "default_time_range", "latest_day", "sqlalchemy_uri", "write_bundle"]
