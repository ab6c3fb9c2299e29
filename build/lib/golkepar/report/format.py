"""Numbers as a reader wants them: 12,345 visits, 1.2 GB, 41 %, 3 min 20 s, +12 %."""

from __future__ import annotations

import datetime as dt

from golkepar.report.model import Figure

# What a table shows for a figure that has no value (no visit, no earlier data).
NO_VALUE = "\N{EN DASH}"


def count(value: float | None) -> str:
    return NO_VALUE if value is None else f"{value:,.0f}"


def size(value: float | None) -> str:
    """Bytes in decimal units, as hosting plans state their quotas."""
    if value is None:
        return NO_VALUE
    for unit in ("B", "kB", "MB", "GB", "TB"):
        if abs(value) < 1000 or unit == "TB":
            return f"{value:,.0f} {unit}" if unit == "B" else f"{value:,.1f} {unit}"
        value /= 1000
    raise AssertionError("unreachable")


def percent(value: float | None) -> str:
    if value is None:
        return NO_VALUE
    # Small shares keep a decimal (0.4 % of hits from attackers is not 0 %).
    return f"{value * 100:.1f} %" if 0 < value < 0.1 else f"{value * 100:.0f} %"


def duration(seconds: float | None) -> str:
    if seconds is None:
        return NO_VALUE
    seconds = round(seconds)
    if seconds < 60:
        return f"{seconds} s"
    minutes, seconds = divmod(seconds, 60)
    if minutes < 60:
        return f"{minutes} min {seconds:02d} s"
    hours, minutes = divmod(minutes, 60)
    return f"{hours} h {minutes:02d} min"


def figure_value(figure: Figure) -> str:
    return _by_unit(figure.unit, figure.value)


def figure_previous(figure: Figure) -> str:
    return _by_unit(figure.unit, figure.previous)


def _by_unit(unit: str, value: float | None) -> str:
    if unit == "percent":
        return percent(value)
    if unit == "seconds":
        return duration(value)
    if unit == "bytes":
        return size(value)
    return count(value)


def change(figure: Figure) -> tuple[str, str]:
    """The change against the previous period, and its tone: `good`, `bad` or `neutral`.

    Shares and rates change by points, not by a percentage of themselves.
    """
    now, before = figure.value, figure.previous
    if now is None or before is None:
        return ("no earlier data", "neutral")
    if figure.unit == "percent":
        delta = (now - before) * 100
        text = f"{delta:+.1f} pts"
        moved = abs(delta) >= 0.05
    elif before == 0:
        return ("new", "neutral") if now else ("no change", "neutral")
    else:
        delta = (now - before) / before * 100
        text = f"{delta:+.0f} %"
        moved = round(delta) != 0
    if not moved:
        return ("no change", "neutral")
    if figure.rise_is_good is None:
        return (text, "neutral")
    return (text, "good" if (delta > 0) == figure.rise_is_good else "bad")


def day(value: dt.date) -> str:
    return value.strftime("%a %-d %b %Y")


def instant(value: dt.datetime | None) -> str:
    return "unknown" if value is None else value.strftime("%-d %b %Y %H:%M UTC")


def utc_offset(minutes: int) -> str:
    sign = "+" if minutes >= 0 else "-"
    hours, rest = divmod(abs(minutes), 60)
    return f"UTC{sign}{hours:02d}:{rest:02d}"
