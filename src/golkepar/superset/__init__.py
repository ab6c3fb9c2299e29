"""Apache Superset support: a dashboard bundle (database, datasets, charts) for the warehouse."""

from __future__ import annotations

from golkepar.superset.bundle import BundleResult, sqlalchemy_uri, write_bundle

__all__ = ["BundleResult", "sqlalchemy_uri", "write_bundle"]
