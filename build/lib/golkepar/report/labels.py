"""Plain words for the codes the warehouse stores: attack kinds, countries, origins, levels."""

from __future__ import annotations

# Re-exported: pages call `labels.country_name` beside the other words.
from golkepar.countries import country_name as country_name

# Every `security_events.kind`, as a site owner would say it.
ATTACK_KINDS = {
    "secret_file_probe": "Looked for secret or backup files (.env, .git, dumps)",
    "wp_login_bruteforce": "Tried to guess a WordPress password",
    "xmlrpc_abuse": "Abused WordPress XML-RPC",
    "sql_injection": "Tried SQL injection",
    "path_traversal": "Tried to read files outside the site (path traversal)",
    "xss_attempt": "Tried to inject scripts (cross-site scripting)",
    "scanner_user_agent": "Used a known attack scanner",
    "admin_probe": "Looked for admin panels and database tools",
    "protocol_probe": "Spoke another protocol to the web server (port scan)",
    "fake_search_bot": "Pretended to be Google or Bing",
    "shellshock": "Tried Shellshock (a bash command in a header)",
    "log4shell": "Tried Log4Shell (a JNDI lookup in a header or the address)",
}
# Short forms for charts and table cells.
ATTACK_KINDS_SHORT = {
    "secret_file_probe": "Secret files",
    "wp_login_bruteforce": "Password guessing",
    "xmlrpc_abuse": "XML-RPC abuse",
    "sql_injection": "SQL injection",
    "path_traversal": "Path traversal",
    "xss_attempt": "Script injection",
    "scanner_user_agent": "Attack scanner",
    "admin_probe": "Admin panel probing",
    "protocol_probe": "Port scan",
    "fake_search_bot": "Fake Google/Bing",
    "shellshock": "Shellshock",
    "log4shell": "Log4Shell",
}

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
BOT_CATEGORIES = {
    "search": "Search engine",
    "ai": "AI crawler",
    "seo": "SEO tool",
    "social": "Link preview",
    "monitor": "Uptime monitor",
    "feed": "Feed reader",
    "library": "Script or HTTP library",
    "headless": "Headless browser",
    "other": "Other bot",
}

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
