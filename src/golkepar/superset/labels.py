"""Words and colours the dashboard shows instead of the warehouse's codes, in one place.

Superset shows a column's values as they are: the datasets get calculated columns that turn
codes into words (`CASE` expressions built here from these tables), and the dashboard gets one
fixed colour per visitor class (`label_colors`), the colours golkepar's report uses.
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import date
from typing import NamedTuple

from golkepar.countries import country_names
from golkepar.security_kinds import KIND_LABELS, SECURITY_KINDS
from golkepar.visitor_classes import VISITOR_CLASSES
from golkepar.warehouse.bot_catalogue import BOT_CATEGORIES

# Every `security_events.kind`, in the report's words.
ATTACK_KINDS = KIND_LABELS

# `visits.channel`, in words.
CHANNELS = {
    "direct": "Direct (no referer)",
    "internal": "Internal",
    "search": "Search engines",
    "social": "Social networks",
    "referral": "Other sites",
}

# `not_found.origin`, in words.
NOT_FOUND_ORIGINS = {
    "internal_link": "Link on your own pages",
    "external_link": "Link from another site",
    "no_referer": "Typed, bookmarked or unknown",
    "attack": "Attack noise",
}

# `bot_category`, in words: plural, as a chart's bar or row holds every bot of its category.
# What each category means is the warehouse's bot catalogue's (`bot_category_meaning_sql`).
BOT_CATEGORY_NAMES = {category.name: category.plural for category in BOT_CATEGORIES}

# A weekday axis shows a date of the week that starts on Monday 1 January 2024, formatted as its
# day's name (`%A`): Superset sorts dates in time, Monday first, where it would sort the names
# alphabetically (Friday first).
REFERENCE_MONDAY = date(2024, 1, 1)
WEEKDAY_FORMAT = "%A"

# HTTP statuses in the groups a site owner acts on: 404s and 5xx apart from the rest.
STATUS_GROUPS = (
    ("2xx success", "status BETWEEN 200 AND 299", "#16a34a"),
    ("3xx redirect", "status BETWEEN 300 AND 399", "#94a3b8"),
    ("404 not found", "status = 404", "#f59e0b"),
    ("4xx other client error", "status BETWEEN 400 AND 499", "#b45309"),
    ("5xx server error", "status >= 500", "#be123c"),
)


def label_colours() -> dict[str, str]:
    """Series label -> colour: the visitor classes' names and the status groups.

    Superset 6.1 ignores a label colour whose label is also a metric's label in the dataset:
    metric labels say "Human hits", never "Humans" (a test keeps it so).
    """
    colours = {visitor_class.label: visitor_class.colour for visitor_class in VISITOR_CLASSES}
    for name, _, colour in STATUS_GROUPS:
        colours[name] = colour
    return colours


def _quote(text: str) -> str:
    """An SQL string literal of one of the constants above (never of data)."""
    return "'" + text.replace("'", "''") + "'"


def _case(column: str, names: dict[str, str], otherwise: str) -> str:
    whens = " ".join(f"WHEN {_quote(code)} THEN {_quote(name)}" for code, name in names.items())
    return f"CASE {column} {whens} ELSE {otherwise} END"


def visitor_class_sql() -> str:
    """`visitor_class` in words: `Humans`, `Bots`..."""
    return _case("visitor_class", {c.name: c.label for c in VISITOR_CLASSES}, "visitor_class")


def attack_kind_sql() -> str:
    """`kind` in words; a kind added later shows as its code until it gets words here."""
    return _case("kind", ATTACK_KINDS, "kind")


def status_group_sql() -> str:
    """`status` in the groups of STATUS_GROUPS, checked in order."""
    whens = " ".join(f"WHEN {test} THEN {_quote(name)}" for name, test, _ in STATUS_GROUPS)
    return f"CASE {whens} ELSE 'other' END"


def country_sql() -> str:
    """`France (FR)`; `Unknown` when GeoIP found no country."""
    names = {code: f"{name} ({code})" for code, name in sorted(country_names().items())}
    return _case("country_code", names, "COALESCE(country_code, 'Unknown')")


def channel_sql() -> str:
    return _case("channel", CHANNELS, "channel")


def not_found_origin_sql() -> str:
    return _case("origin", NOT_FOUND_ORIGINS, "origin")


def bot_category_sql() -> str:
    """`bot_category` in words; a category added later shows as its code until it gets words."""
    return _case("bot_category", BOT_CATEGORY_NAMES, "bot_category")


def bot_category_meaning_sql() -> str:
    """What `bot_category` means, from the warehouse's bot catalogue, capitalised."""
    meanings = {c.name: c.meaning[:1].upper() + c.meaning[1:] for c in BOT_CATEGORIES}
    return _case("bot_category", meanings, "NULL")


def weekday_sql() -> str:
    """`weekday` (1 = Monday) as the date of that day in the week of REFERENCE_MONDAY."""
    return f"DATE {_quote(REFERENCE_MONDAY.isoformat())} + CAST(weekday - 1 AS INTEGER)"


class CalculatedColumn(NamedTuple):
    """How to build a calculated column, the type of its values, and how to show a date."""

    build: Callable[[], str]
    column_type: str = "VARCHAR"
    time_format: str | None = None  # strftime format of a date on a chart's axis


# The calculated columns datasets.yaml may name.
CALCULATED = {
    "channel": CalculatedColumn(channel_sql),
    "not_found_origin": CalculatedColumn(not_found_origin_sql),
    "visitor_class": CalculatedColumn(visitor_class_sql),
    "attack_kind": CalculatedColumn(attack_kind_sql),
    "status_group": CalculatedColumn(status_group_sql),
    "country": CalculatedColumn(country_sql),
    "bot_category": CalculatedColumn(bot_category_sql),
    "bot_category_meaning": CalculatedColumn(bot_category_meaning_sql),
    "weekday": CalculatedColumn(weekday_sql, "DATE", WEEKDAY_FORMAT),
}


def check_attack_kinds() -> list[str]:
    """Kinds the warehouse knows that have no words here (a test keeps this empty)."""
    return [kind for kind in SECURITY_KINDS if kind not in ATTACK_KINDS]
