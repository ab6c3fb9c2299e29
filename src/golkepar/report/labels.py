"""Plain words for the codes the warehouse stores: attack kinds, countries, origins, levels."""

from __future__ import annotations

# Re-exported: pages call `labels.country_name` beside the other words.
from golkepar.countries import country_name as country_name
from golkepar.security_kinds import KIND_LABELS, KIND_MEANINGS
from golkepar.warehouse import bot_catalogue

# Every `security_events.kind`, as a site owner would say it, and the short form for charts.
ATTACK_KINDS = KIND_MEANINGS
ATTACK_KINDS_SHORT = KIND_LABELS

NOT_FOUND_ORIGINS = {
    "internal_link": "Links on your own pages",
    "external_link": "Links from other sites",
    "no_referer": "Typed, bookmarked or unknown origin",
    "attack": "Attack noise (probes for files that never existed)",
}

CHANNELS = {
    "direct": "Direct (typed, bookmarks, apps)",
    "internal": "From your own pages",
    "search": "Search engines",
    "social": "Social networks",
    "referral": "Links on other sites",
}

# `bot_category` (the warehouse's `bot_categories`), as a site owner would say it.
BOT_CATEGORIES = {category.name: category.label for category in bot_catalogue.BOT_CATEGORIES}

DEVICES = {"desktop": "Desktop", "mobile": "Mobile", "tablet": "Tablet", "bot": "Bot"}


def bot_category(category: str | None) -> str:
    return BOT_CATEGORIES.get(category or "other", category or "Other bot")


def attack_kind(kind: str) -> str:
    return ATTACK_KINDS.get(kind, kind.replace("_", " ").capitalize())


def attack_kind_short(kind: str) -> str:
    return ATTACK_KINDS_SHORT.get(kind, kind.replace("_", " ").capitalize())


def channel_name(channel: str) -> str:
    return CHANNELS.get(channel, channel.capitalize())


def device_name(device: str) -> str:
    return DEVICES.get(device, device.capitalize() if device else "Other")
