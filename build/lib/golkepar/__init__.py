"""golkepar: OVHcloud web-hosting Apache logs to an analytics-ready DuckDB database."""

from __future__ import annotations

__version__ = "0.1.0"
