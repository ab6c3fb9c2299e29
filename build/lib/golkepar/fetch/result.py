"""What a fetch run did, file by file, and the counts the summary prints."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from enum import StrEnum
from typing import Protocol

from golkepar.fetch.naming import LogKind


class Outcome(StrEnum):
    """What became of one file."""

    DOWNLOADED = "downloaded"
    SKIPPED = "skipped"
    MISSING = "missing"
    FAILED = "failed"


@dataclass(frozen=True)
class FileResult:
    """One file of the run and what became of it."""

    site: str
    day: date
    kind: LogKind
    outcome: Outcome
    bytes: int = 0
    detail: str = ""


@dataclass(frozen=True)
class SiteSummary:
    """Counts for one site: files per outcome and bytes received."""

    site: str
    downloaded: int = 0
    skipped: int = 0
    missing: int = 0
    failed: int = 0
    bytes: int = 0


@dataclass(frozen=True)
class FetchResult:
    """Every file the run looked at, with per-site counts."""

    sites: tuple[str, ...]
    files: tuple[FileResult, ...]

    def summary(self, site: str | None = None) -> SiteSummary:
        """Counts for one site, or for the whole run when `site` is None."""
        chosen = [f for f in self.files if site is None or f.site == site]
        counts = {o: sum(1 for f in chosen if f.outcome is o) for o in Outcome}
        return SiteSummary(
            site or "total",
            downloaded=counts[Outcome.DOWNLOADED],
            skipped=counts[Outcome.SKIPPED],
            missing=counts[Outcome.MISSING],
            failed=counts[Outcome.FAILED],
            bytes=sum(f.bytes for f in chosen),
        )

    @property
    def failures(self) -> tuple[FileResult, ...]:
        return tuple(f for f in self.files if f.outcome is Outcome.FAILED)


class Progress(Protocol):
    """How the run reports progress (the CLI draws it; the library never prints)."""

    def planned(self, files: int) -> None:
        """The number of files the run will ask for (may be called again with a new count)."""

    def finished(self, result: FileResult) -> None:
        """One of those files is done."""
