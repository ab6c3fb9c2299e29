"""The cast of a sample site: its humans, its admin, the bots, and the attackers.

Each non-human role is plain data (name, network, User-Agent, behaviour); `cast` turns them
into actors with addresses drawn from `SAMPLE_NETWORKS`.
"""

from __future__ import annotations

import random
from collections.abc import Callable
from typing import NamedTuple

from golkepar.sample import truth
from golkepar.sample import vocabulary as v
from golkepar.sample.acquisition import OWNER_CASES
from golkepar.sample.classification import classification_cast
from golkepar.sample.networks import random_ip, sample_network
from golkepar.sample.traffic import (
    HOUR,
    Actor,
    Behaviour,
    admin,
    bruteforce,
    burst_bot,
    human,
    impostor,
    malformed,
    monitor,
    periodic,
    probe,
    search_bot,
)


class Role(NamedTuple):
    """A non-human actor: its name, network, User-Agent, behaviour and what it attacks."""

    name: str
    cidr: str
    user_agent: str | None
    behaviour: Behaviour
    attack_kinds: tuple[str, ...] = ()
    extra: tuple[tuple[str, int], ...] = ()
    bot: tuple[str, str] | None = None  # (bot_name, bot_category) for the `bots` table


# Where humans connect from: homes and phones, several of them over IPv6.
HUMAN_NETWORKS: tuple[str, ...] = (
    "90.12.0.0/16", "2a01:e0a::/32", "82.64.0.0/16", "79.192.0.0/16", "2003:e0::/32",
    "109.208.0.0/16", "37.164.0.0/16", "86.128.0.0/16", "77.160.0.0/16", "2a01:cb00::/32",
    "73.15.0.0/16", "189.6.0.0/16", "49.36.0.0/16",
)  # fmt: skip
ADMIN_NETWORK = "82.64.0.0/16"

BOTS: tuple[Role, ...] = (
    Role("googlebot", "66.249.64.0/19", v.GOOGLEBOT, search_bot, extra=(("gap", 1_200),),
         bot=("Googlebot", "search")),
    Role("googlebot-smartphone", "2001:4860:4801::/48", v.GOOGLEBOT_SMARTPHONE, search_bot,
         extra=(("gap", 2_400),), bot=("Googlebot", "search")),
    Role("bingbot", "157.55.39.0/24", v.BINGBOT, search_bot, extra=(("gap", 3_600),),
         bot=("Bingbot", "search")),
    Role("ahrefsbot", "54.36.148.0/24", v.AHREFSBOT, burst_bot, extra=(("gap", 20),),
         bot=("AhrefsBot", "seo")),
    Role("semrushbot", "185.191.171.0/24", v.SEMRUSHBOT, burst_bot, extra=(("gap", 30),),
         bot=("SemrushBot", "seo")),
    Role("gptbot", "20.171.206.0/23", v.GPTBOT, burst_bot, extra=(("gap", 6),),
         bot=("GPTBot", "ai")),
    Role("claudebot", "3.80.0.0/16", v.CLAUDEBOT, burst_bot, extra=(("gap", 10),),
         bot=("ClaudeBot", "ai")),
    Role("ccbot", "3.80.0.0/16", v.CCBOT, burst_bot, extra=(("gap", 60),),
         bot=("CCBot", "ai")),
    Role("uptime-curl", "51.68.0.0/16", v.CURL, monitor, bot=("curl", "library")),
    Role("feed-reader", "167.99.0.0/16", v.PYTHON_REQUESTS, periodic,
         extra=(("path", 2), ("period", 2 * HOUR)), bot=("python-requests", "library")),
    Role("link-preview", "3.80.0.0/16", v.GO_HTTP, periodic, extra=(("period", 6 * HOUR),),
         bot=("Go-http-client", "library")),
    Role("wget-mirror", "88.198.0.0/16", v.WGET, periodic,
         extra=(("path", 1), ("period", 12 * HOUR)), bot=("Wget", "library")),
)  # fmt: skip

T = truth
ATTACKERS: tuple[Role, ...] = (
    # A scanner hiding behind an ordinary browser User-Agent.
    Role("env-prober", "167.99.0.0/16", v.OLD_CHROME, probe, (T.SENSITIVE_FILE, T.ADMIN_PROBE)),
    Role("wp-bruteforce", "218.92.0.0/16", v.OLD_FIREFOX, bruteforce, (T.WP_LOGIN_BRUTEFORCE,)),
    Role("xmlrpc-abuser", "95.24.0.0/16", v.OLD_CHROME, bruteforce, (T.XMLRPC,),
         (("xmlrpc", 1),)),
    Role("sqlmap", "88.198.0.0/16", v.SQLMAP, probe, (T.SQLI, T.SCANNER_UA)),
    Role("nikto", "61.135.0.0/16", v.NIKTO, probe,
         (T.PATH_TRAVERSAL, T.XSS, T.ADMIN_PROBE, T.SCANNER_UA), (("long_url", 1),)),
    Role("nuclei", "167.99.0.0/16", v.NUCLEI, probe, (T.SENSITIVE_FILE, T.SCANNER_UA)),
    Role("wpscan", "189.6.0.0/16", v.WPSCAN, probe, (T.USER_ENUMERATION, T.SCANNER_UA)),
    Role("zgrab", "167.99.0.0/16", v.ZGRAB, probe, (T.SCANNER_UA,)),
    Role("masscan", "3.80.0.0/16", v.MASSCAN, probe, (T.SCANNER_UA,)),
    Role("pma-prober", "49.36.0.0/16", None, probe, (T.ADMIN_PROBE,)),
    Role("fake-googlebot", "73.15.0.0/16", v.GOOGLEBOT, impostor, (T.FAKE_CRAWLER,)),
    Role("tls-prober", "88.198.0.0/16", None, malformed, (T.MALFORMED_REQUEST,)),
    Role("ua-injector", "95.24.0.0/16", v.QUOTING_UA, probe, (T.XSS,)),
)  # fmt: skip


def owner_cases(ip: Callable[[str], str]) -> list[Actor]:
    """Humans whose visits answer the owner's questions (channels, broken links, DST)."""
    return [
        Actor(name, ip(HUMAN_NETWORKS[i % len(HUMAN_NETWORKS)]), ua, truth.HUMAN, behaviour)
        for i, (name, ua, behaviour) in enumerate(OWNER_CASES, start=5)
    ]


def cast(rng: random.Random, humans: int, days: int) -> list[Actor]:
    """The actors of a sample site: humans, an admin, bots, and attackers spread over the days."""
    actors: list[Actor] = []

    def ip(cidr: str) -> str:
        return random_ip(sample_network(cidr), rng)

    for i in range(humans):
        # Humans 0 and 1: two browsers behind one home router (NAT), same IP.
        address = actors[0].ip if i == 1 else ip(HUMAN_NETWORKS[i % len(HUMAN_NETWORKS)])
        ua = v.BROWSERS[2] if i == 1 else v.BROWSERS[i % len(v.BROWSERS)]
        actor = Actor(f"human-{i:02d}", address, ua, truth.HUMAN, human)
        if i == 3:
            actor.first_referer = v.LATIN1_REFERER
        actors.append(actor)
    actors.append(Actor("admin", ip(ADMIN_NETWORK), v.BROWSERS[7], truth.ADMIN, admin))
    # Their addresses come from a generator of their own: the other actors' stay as they were.
    owner_rng = random.Random("owner-cases")
    actors += owner_cases(lambda cidr: random_ip(sample_network(cidr), owner_rng))
    for role in BOTS:
        actors.append(
            Actor(
                role.name,
                ip(role.cidr),
                role.user_agent,
                truth.BOT,
                role.behaviour,
                extra=dict(role.extra),
                bot=role.bot,
            )
        )
    for i, role in enumerate(ATTACKERS):
        actors.append(
            Actor(
                role.name,
                ip(role.cidr),
                role.user_agent,
                truth.ATTACKER,
                role.behaviour,
                role.attack_kinds,
                active_day=i % days,
                extra=dict(role.extra),
            )
        )
    actors += classification_cast(ip, days)
    return actors
