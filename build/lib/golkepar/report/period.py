"""Which days a report covers, and the period it is compared with."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from golkepar.errors import ReportError

# A period of four whole weeks: every weekday counts four times, so weekends never tip a
# comparison.
DEFAULT_DAYS = 28
# Between the first and last day of a period, as typeset dates have it.
RANGE_DASH = " \N{EN DASH} "


@dataclass(frozen=True)
class Period:
    """Local days `since` to `until`, both included."""

    since: dt.date
    until: dt.date

    def __post_init__(self) -> None:
        if self.since > self.until:
            raise ReportError(
                f"the period starts ({self.since}) after it ends ({self.until}): "
                "give --since before --until"
            )

    @property
    def days(self) -> int:
        return (self.until - self.since).days + 1

    def previous(self) -> Period:
        """The period of the same length just before this one."""
        until = self.since - dt.timedelta(days=1)
        return Period(until - dt.timedelta(days=self.days - 1), until)

    def label(self) -> str:
        if self.since == self.until:
            return _day(self.since)
        if self.since.year == self.until.year:
            start = (
                self.since.strftime("%-d %b")
                if self.since.month != self.until.month
                else (str(self.since.day))
            )
            return f"{start}{RANGE_DASH}{_day(self.until)}"
        return f"{_day(self.since)}{RANGE_DASH}{_day(self.until)}"


def _day(day: dt.date) -> str:
    return day.strftime("%-d %b %Y")


def choose_period(
    first_day: dt.date, last_day: dt.date, since: dt.date | None, until: dt.date | None
) -> Period:
    """The period asked for; by default the 28 days that end with the last day held.

    A warehouse that holds fewer days than that starts its period on its first day, so a new
    site's report is not mostly empty days.
    """
    end = until or (last_day if since is None else max(last_day, since))
    if since is not None:
        return Period(since, end)
    start = end - dt.timedelta(days=DEFAULT_DAYS - 1)
    if until is None and first_day > start:
        start = first_day
    return Period(start, end)


def month_periods(first_day: dt.date, last_day: dt.date) -> list[Period]:
    """Every calendar month from the first day's to the last day's, whole months."""
    periods = []
    month = first_day.replace(day=1)
    while month <= last_day:
        following = (month + dt.timedelta(days=32)).replace(day=1)
        periods.append(Period(month, following - dt.timedelta(days=1)))
        month = following
    return periods
