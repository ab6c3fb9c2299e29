"""The fetch stage: download a site's logs from the OVH logs server into LOG_PATH_BASE.

`plan_fetch` says what a run would ask for (no network); `fetch_logs` does it.
"""

from __future__ import annotations

from golkepar.fetch.naming import LogKind
from golkepar.fetch.plan import DEFAULT_DAYS, DateRange, PlannedFile, SitePlan, plan_fetch
from golkepar.fetch.result import FetchResult, FileResult, Outcome, Progress, SiteSummary
from golkepar.fetch.run import DEFAULT_JOBS, FetchOptions, fetch_logs

__all__ = [
    "DEFAULT_DAYS",
    "DEFAULT_JOBS",
    "DateRange",
    "FetchOptions",
    "FetchResult",
    "FileResult",
    "LogKind",
    "Outcome",
    "PlannedFile",
    "Progress",
    "SitePlan",
    "SiteSummary",
    "fetch_logs",
    "plan_fetch",
]
