"""Bots by name and category: the list the warehouse's `bots` table is sorted by.

A bot is recognised by a word its User-Agent contains, case-insensitively (`GPTBot`,
`UptimeRobot`, `HeadlessChrome`...). When a User-Agent holds several, the leftmost wins: a
product names itself first (`LinkedInBot/1.0 (compatible; Mozilla/5.0; Apache-HttpClient)` is
LinkedIn's link preview, not a Java library). Words are literal text, not regular expressions,
so the word matched tells the bot without a second search.

This list names and sorts bots; it is not the only way to be one. The lake's crawler flag
(crawlerdetect's list, category `other` when it is not named here) and the behaviour rules of
the visitor classes find bots this list does not know.
"""

from __future__ import annotations

import re
from dataclasses import dataclass


@dataclass(frozen=True)
class BotCategory:
    """What kind of client a bot is, why a site owner tells it apart, and its name in words: one
    of them (a crawler's row in the report) and many (a dashboard's group of bots)."""

    name: str
    meaning: str
    label: str
    plural: str


SEARCH = BotCategory(
    "search", "search engines' crawlers: they bring visitors", "Search engine", "Search engines"
)
AI = BotCategory(
    "ai",
    "AI companies' crawlers and assistants fetching pages for a user",
    "AI crawler",
    "AI crawlers and assistants",
)
SEO = BotCategory(
    "seo",
    "SEO and backlink tools: they crawl for their customers, not for you",
    "SEO tool",
    "SEO tools",
)
SOCIAL = BotCategory(
    "social",
    "link previews of social networks and chat apps, when shared",
    "Link preview",
    "Link previews",
)
MONITOR = BotCategory(
    "monitor", "uptime and performance checks, often your own", "Uptime monitor", "Uptime monitors"
)
FEED = BotCategory(
    "feed",
    "feed readers fetching the RSS or Atom feed for their subscribers",
    "Feed reader",
    "Feed readers",
)
LIBRARY = BotCategory(
    "library",
    "HTTP libraries and command-line tools: scripts of any kind",
    "Script or HTTP library",
    "Scripts and HTTP libraries",
)
HEADLESS = BotCategory(
    "headless",
    "browsers driven by a program (HeadlessChrome, PhantomJS)",
    "Headless browser",
    "Headless browsers",
)
OTHER = BotCategory(
    "other",
    "any other bot: a crawler not named here, or one found by behaviour",
    "Other bot",
    "Other bots",
)

BOT_CATEGORIES: tuple[BotCategory, ...] = (
    SEARCH,
    AI,
    SEO,
    SOCIAL,
    MONITOR,
    FEED,
    LIBRARY,
    HEADLESS,
    OTHER,
)


@dataclass(frozen=True)
class KnownBot:
    """A bot's name, its category, and the words of its User-Agents (its name when none given)."""

    name: str
    category: BotCategory
    words: tuple[str, ...] = ()

    @property
    def user_agent_words(self) -> tuple[str, ...]:
        return self.words or (self.name,)


def _bots(category: BotCategory, *names: str, **words: tuple[str, ...]) -> tuple[KnownBot, ...]:
    """Bots of one category: each name is its own word; `words` gives other spellings."""
    return tuple(KnownBot(name, category) for name in names) + tuple(
        KnownBot(name, category, spellings) for name, spellings in words.items()
    )


# `Google-Extended` and `Applebot-Extended` are robots.txt tokens, not User-Agents: Google and
# Apple crawl with Googlebot and Applebot whatever the use, so they never show in a log.
KNOWN_BOTS: tuple[KnownBot, ...] = (
    *_bots(
        SEARCH,
        "DuckDuckBot", "YandexBot", "Baiduspider", "Applebot", "SeznamBot", "PetalBot",
        "MojeekBot", "Exabot", "Qwantbot", "coccocbot",
        Googlebot=("Googlebot", "Googlebot-Image", "Googlebot-Video", "Googlebot-News",
                   "Storebot-Google", "Google-InspectionTool", "AdsBot-Google",
                   "Mediapartners-Google", "APIs-Google"),
        Bingbot=("bingbot", "msnbot", "adidxbot", "BingPreview"),
        Yahoo=("Yahoo! Slurp",),
        Naver=("Yeti/",),
    ),
    *_bots(
        AI,
        "GPTBot", "ChatGPT-User", "OAI-SearchBot", "ClaudeBot", "Claude-User",
        "Claude-SearchBot", "Claude-Web", "anthropic-ai", "PerplexityBot", "Perplexity-User",
        "CCBot", "Bytespider", "Amazonbot", "meta-externalagent", "meta-externalfetcher",
        "FacebookBot", "cohere-ai", "Diffbot", "YouBot", "AI2Bot", "ImagesiftBot", "Timpibot",
        "DuckAssistBot", "MistralAI-User", "Google-CloudVertexBot",
        "Kangaroo Bot", "omgili", Sogou=("Sogou web spider", "Sogou inst spider"),
    ),
    *_bots(
        SEO,
        "AhrefsBot", "AhrefsSiteAudit", "SemrushBot", "SiteAuditBot", "MJ12bot", "DotBot",
        "BLEXBot", "serpstatbot", "DataForSeoBot", "barkrowler", "rogerbot", "SEOkicks",
        "MegaIndex", "linkdexbot", "SERankingBacklinksBot", "SeekportBot",
        ScreamingFrog=("Screaming Frog SEO Spider",),
        Sistrix=("SISTRIX Crawler",),
    ),
    *_bots(
        SOCIAL,
        "facebookexternalhit", "Facebot", "Twitterbot", "TelegramBot",
        "Discordbot", "LinkedInBot", "Pinterestbot", "redditbot", "SkypeUriPreview",
        "Iframely", "vkShare", "Embedly",
        WhatsApp=("WhatsApp/",),
        Slackbot=("Slackbot", "Slack-ImgProxy"),
        Mastodon=("Mastodon/",),
        Bluesky=("Bluesky Cardyb",),
    ),
    *_bots(
        MONITOR,
        "UptimeRobot", "Pingdom", "StatusCake", "Site24x7", "Uptime-Kuma", "Freshping",
        "HetrixTools", "NodePing", "Checkly", "updown.io", "Zabbix", "Uptime.com",
        "DatadogSynthetics", "Better Uptime", "BetterStack", "montastic", "Oh Dear",
        Nagios=("check_http", "nagios-plugins"),
    ),
    *_bots(
        FEED,
        "Feedly", "Inoreader", "NewsBlur", "Feedbin", "FreshRSS", "Tiny Tiny RSS", "Miniflux",
        "NetNewsWire", "FeedFetcher-Google", "Feedspot", "theoldreader", "Bloglovin",
        "FeedBurner", "Feeder.co", "NextCloud-News", "Fever",
    ),
    *_bots(
        LIBRARY,
        "curl", "Wget", "python-requests", "Python-urllib", "python-httpx", "aiohttp",
        "Go-http-client", "okhttp", "Apache-HttpClient", "libwww-perl", "node-fetch", "axios",
        "undici", "Scrapy", "HTTPie", "PostmanRuntime", "GuzzleHttp", "Faraday", "reqwest",
        "Dart/", "Java/", "WordPress/",
    ),
    *_bots(
        HEADLESS,
        "HeadlessChrome", "PhantomJS", "SlimerJS", "HtmlUnit", "Lightpanda", "Puppeteer",
        "Playwright", "Selenium",
    ),
)  # fmt: skip


def _bot_by_word() -> dict[str, KnownBot]:
    by_word: dict[str, KnownBot] = {}
    for bot in KNOWN_BOTS:
        for word in bot.user_agent_words:
            if word.lower() in by_word:
                raise ValueError(f"{word!r} names two bots: keep one")
            by_word[word.lower()] = bot
    return by_word


# Every word, lower-cased, with the bot it names.
BOT_BY_WORD: dict[str, KnownBot] = _bot_by_word()


def _known_bot_regex() -> str:
    # Longer words first: where two words start at the same place (`Slackbot` and
    # `Slack-ImgProxy`, `Googlebot` and `Googlebot-Image`), the longer one is the match.
    words = sorted(BOT_BY_WORD, key=lambda word: (-len(word), word))
    return "(?i)(?:" + "|".join(re.escape(word) for word in words) + ")"


# One case-insensitive RE2 expression matching any word; the text it matches, lower-cased, is
# a key of BOT_BY_WORD.
KNOWN_BOT_REGEX: str = _known_bot_regex()


def known_bot(user_agent: str | None) -> KnownBot | None:
    """The bot a User-Agent names, by the leftmost word of the list; None when none."""
    if user_agent is None:
        return None
    match = re.search(KNOWN_BOT_REGEX, user_agent)
    return BOT_BY_WORD[match.group(0).lower()] if match else None


def known_bot_rows() -> list[tuple[str, str, str]]:
    """(word, bot_name, bot_category) rows, for the table the build registers."""
    return [
        (word, bot.name, bot.category.name) for bot in KNOWN_BOTS for word in bot.user_agent_words
    ]
