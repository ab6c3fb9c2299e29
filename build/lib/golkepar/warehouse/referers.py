"""Where visits come from: the search engines and social networks, by the hosts of their links.

This is the one list the warehouse classifies referers with (`visits.channel`,
`visits.search_engine`); the build hands it to SQL as the table `referer_sources`. A host
pattern is a host name with two wildcards: a leading `*.` for any subdomain (or none) and a
trailing `.*` for any country or generic suffix (`google.*`: google.com, google.fr,
google.co.uk, google.com.br). Adding a source is adding a row.
"""

from __future__ import annotations

import re

SEARCH = "search"
SOCIAL = "social"

# Search engine name -> host patterns. Only the hosts that serve results pages: a link from
# mail.google.com or docs.google.com is a referral, not a search.
SEARCH_ENGINES: dict[str, tuple[str, ...]] = {
    "Google": (
        "google.*",
        "www.google.*",
        "images.google.*",
        "news.google.*",
        "scholar.google.*",
        # The Google app on Android sends this as its referer.
        "com.google.android.googlequicksearchbox",
    ),
    "Bing": ("*.bing.com",),
    "DuckDuckGo": ("*.duckduckgo.com", "duck.com"),
    "Qwant": ("*.qwant.com",),
    "Ecosia": ("*.ecosia.org",),
    "Yahoo": ("*.search.yahoo.com", "search.yahoo.co.jp"),
    "Yandex": ("yandex.*", "www.yandex.*", "ya.ru"),
    "Baidu": ("www.baidu.com", "m.baidu.com"),
    "Brave": ("search.brave.com",),
    "Startpage": ("*.startpage.com",),
    "Seznam": ("seznam.cz", "www.seznam.cz", "search.seznam.cz"),
    "Naver": ("search.naver.com", "m.search.naver.com"),
    "Ask": ("*.ask.com",),
    "AOL": ("search.aol.com",),
    "Kagi": ("kagi.com",),
    "Mojeek": ("*.mojeek.com",),
    "Lilo": ("search.lilo.org",),
    "Sogou": ("*.sogou.com",),
}

# Social network name -> host patterns (link shorteners and link-tracking hosts included).
# Mastodon has no one host: its instances stay referrals.
SOCIAL_NETWORKS: dict[str, tuple[str, ...]] = {
    "Facebook": ("*.facebook.com", "fb.me", "fb.com", "*.messenger.com"),
    "Instagram": ("*.instagram.com",),
    "X": ("t.co", "*.twitter.com", "x.com", "*.x.com"),
    "LinkedIn": ("*.linkedin.com", "lnkd.in"),
    "Reddit": ("*.reddit.com", "redd.it"),
    "Pinterest": ("*.pinterest.*", "pin.it"),
    "YouTube": ("*.youtube.com", "youtu.be"),
    "TikTok": ("*.tiktok.com",),
    "Threads": ("*.threads.net", "*.threads.com"),
    "Bluesky": ("bsky.app",),
    "Tumblr": ("*.tumblr.com",),
    "VK": ("*.vk.com",),
    "Telegram": ("t.me", "web.telegram.org"),
    "WhatsApp": ("*.whatsapp.com",),
    "Snapchat": ("*.snapchat.com",),
    "Quora": ("*.quora.com",),
    "Discord": ("discord.com", "discord.gg"),
}

# A country or generic suffix: com, fr, co.uk, com.br.
_ANY_SUFFIX = r"(?:\.[a-z]{2,3}){1,2}"
_ANY_SUBDOMAIN = r"(?:[a-z0-9-]+\.)*"


def host_regex(patterns: tuple[str, ...]) -> str:
    """One anchored RE2 expression matching a lower-case host against any of `patterns`."""
    alternatives = []
    for pattern in patterns:
        prefix = _ANY_SUBDOMAIN if pattern.startswith("*.") else ""
        core = pattern.removeprefix("*.")
        suffix = _ANY_SUFFIX if core.endswith(".*") else ""
        core = core.removesuffix(".*")
        alternatives.append(prefix + re.escape(core) + suffix)
    return "^(?:" + "|".join(alternatives) + ")$"


def referer_sources() -> list[tuple[str, str, str]]:
    """(channel, source name, host regex) for every search engine and social network."""
    return [
        *((SEARCH, name, host_regex(hosts)) for name, hosts in SEARCH_ENGINES.items()),
        *((SOCIAL, name, host_regex(hosts)) for name, hosts in SOCIAL_NETWORKS.items()),
    ]
