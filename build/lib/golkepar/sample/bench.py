"""One large OVH access log, written fast, for benchmarks.

Lines are assembled from pre-rendered pieces (a client's `ip vhost - [`, a request tail, a
quoted User-Agent), so most of the time goes into gzip; memory stays flat however many lines.
"""

from __future__ import annotations

import random
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path

from golkepar._files import atomic_path
from golkepar.errors import ConfigError
from golkepar.sample import vocabulary as v
from golkepar.sample.cast import HUMAN_NETWORKS
from golkepar.sample.networks import SAMPLE_NETWORKS, random_ip
from golkepar.sample.site import PARIS, apache_time, gzip_writer
from golkepar.sample.traffic import size_of

DISTINCT_IPS = 20_000
DISTINCT_USER_AGENTS = 2_000
# The log spans one week, so it crosses many days (and a DST change when started near one).
SPAN_S = 7 * 24 * 3600
BENCH_START = datetime(2026, 10, 22, tzinfo=PARIS)
CHUNK_LINES = 8_192
# One line in this many is one ingest must reject.
REJECT_EVERY = 50_000
BENCH_SITE = "example.com"


@dataclass(frozen=True)
class BenchLog:
    """What `write_bench_log` wrote."""

    path: Path
    lines: int
    rejects: int
    uncompressed_bytes: int


def _user_agents(rng: random.Random) -> tuple[list[str], list[str], list[str]]:
    """Browsers (many versions and platforms), bots, and attackers' tools."""
    platforms = (
        "Windows NT 10.0; Win64; x64",
        "Macintosh; Intel Mac OS X 10_15_7",
        "X11; Linux x86_64",
        "X11; Ubuntu; Linux x86_64",
    )
    browsers: set[str] = set(v.BROWSERS)
    while len(browsers) < DISTINCT_USER_AGENTS - 60:
        major, build, patch = rng.randint(100, 131), rng.randint(4_000, 6_800), rng.randint(0, 200)
        pick = rng.random()
        if pick < 0.45:
            browsers.add(
                f"Mozilla/5.0 ({rng.choice(platforms)}) AppleWebKit/537.36 (KHTML, like Gecko) "
                f"Chrome/{major}.0.{build}.{patch} Safari/537.36"
            )
        elif pick < 0.65:
            android = rng.choice(("10; K", "13; SM-A536B", "14; Pixel 8", "12; M2101K6G"))
            browsers.add(
                f"Mozilla/5.0 (Linux; Android {android}) AppleWebKit/537.36 (KHTML, like Gecko) "
                f"Chrome/{major}.0.{build}.{patch} Mobile Safari/537.36"
            )
        elif pick < 0.85:
            ios = f"{rng.randint(15, 18)}_{rng.randint(0, 7)}"
            browsers.add(
                f"Mozilla/5.0 (iPhone; CPU iPhone OS {ios} like Mac OS X) AppleWebKit/605.1.15 "
                f"(KHTML, like Gecko) Version/{ios.split('_')[0]}.0 Mobile/15E148 Safari/604.1"
            )
        else:
            firefox = rng.randint(100, 133)
            browsers.add(
                f"Mozilla/5.0 ({rng.choice(platforms)}; rv:{firefox}.0) Gecko/20100101 "
                f"Firefox/{firefox}.{rng.randint(0, 3)}"
            )
    bots = [
        v.GOOGLEBOT,
        v.GOOGLEBOT_SMARTPHONE,
        v.BINGBOT,
        v.AHREFSBOT,
        v.SEMRUSHBOT,
        v.GPTBOT,
        v.CLAUDEBOT,
        v.CCBOT,
        v.CURL,
        v.PYTHON_REQUESTS,
        v.GO_HTTP,
        v.WGET,
    ]
    tools = [v.SQLMAP, v.NIKTO, v.NUCLEI, v.ZGRAB, v.WPSCAN, v.MASSCAN, v.OLD_CHROME, v.QUOTING_UA]
    return sorted(browsers), bots, tools


def _escape(value: str) -> str:
    return value.replace("\\", "\\\\").replace('"', '\\"')


def _request_tails(rng: random.Random, site: str) -> tuple[list[str], list[str], list[str]]:
    """`"GET /path HTTP/1.1" 200 5123 "referer"` pieces for humans, bots and attackers."""
    www = f"https://www.{site}"
    referers = [*v.SEARCH_REFERERS, *v.SOCIAL_REFERERS, "-", "-", v.LATIN1_REFERER]
    human: list[str] = []
    for page in v.PAGES:
        for referer in referers:
            human.append(f'"GET {page} HTTP/1.1" 200 {size_of(page, 8_000, 60_000)} "{referer}"')
        for asset in (*v.PAGE_ASSETS, v.FAVICON):
            human.append(f'"GET {asset} HTTP/1.1" 200 {size_of(asset, 900, 90_000)} "{www}{page}"')
            human.append(f'"GET {asset} HTTP/1.1" 304 - "{www}{page}"')
    bot = [f'"GET {page} HTTP/1.1" 200 {size_of(page, 8_000, 60_000)} "-"' for page in v.PAGES]
    bot += ['"GET /robots.txt HTTP/1.1" 200 67 "-"', '"HEAD / HTTP/1.1" 200 - "-"']
    bot += [f'"GET {sitemap} HTTP/1.1" 200 3412 "-"' for sitemap in v.SITEMAPS]
    probes = (
        *v.SENSITIVE_FILES,
        *v.ADMIN_PROBES,
        *v.SQLI_PATHS,
        *v.TRAVERSAL_PATHS,
        *v.XSS_PATHS,
        *v.WP_ENUMERATION,
    )
    attack = [f'"GET {path} HTTP/1.1" 404 {size_of(path, 200, 9_000)} "-"' for path in probes]
    attack += ['"POST /wp-login.php HTTP/1.1" 200 4870 "-"'] * 20
    attack += ['"POST /xmlrpc.php HTTP/1.1" 200 403 "-"'] * 10
    attack += [f'"{junk}" 400 - "-"' for junk in v.TLS_JUNK_REQUESTS]
    attack += ['"-" 408 - "-"', f'"GET /index.php?q={"A" * 6_000} HTTP/1.1" 414 247 "-"']
    rng.shuffle(human)
    return human, bot, attack


def _clients(rng: random.Random, site: str) -> tuple[list[str], list[str], list[int]]:
    """Each client's line start (`ip vhost - [`), line end (`" "UA"`), and kind (0, 1, 2)."""
    browsers, bots, tools = _user_agents(rng)
    human_networks = [n for n in SAMPLE_NETWORKS if n.cidr in HUMAN_NETWORKS]
    other_networks = [n for n in SAMPLE_NETWORKS if n.cidr not in HUMAN_NETWORKS]
    seen: set[str] = set()
    starts: list[str] = []
    ends: list[str] = []
    kinds: list[int] = []
    browser_turn = 0
    while len(seen) < DISTINCT_IPS:
        roll = rng.random()
        kind = 0 if roll < 0.85 else 1 if roll < 0.95 else 2
        network = rng.choice(human_networks if kind == 0 else other_networks)
        ip = random_ip(network, rng)
        if ip in seen:
            continue
        seen.add(ip)
        if kind == 0:
            # Walk the browser list so every User-Agent is used at least once.
            ua = browsers[browser_turn % len(browsers)]
            browser_turn += 1
        else:
            ua = rng.choice(bots if kind == 1 else tools)
        vhost = f"www.{site}" if kind != 2 or rng.random() < 0.5 else site
        starts.append(f"{ip} {vhost} - [")
        ends.append(f' "{_escape(ua)}"\n')
        kinds.append(kind)
    return starts, ends, kinds


def write_bench_log(path: Path, lines: int, seed: int = 0, site: str = BENCH_SITE) -> BenchLog:
    """Write `lines` lines of one site's access log as gzip to `path`, deterministically."""
    if lines < 1:
        raise ConfigError(f"lines={lines!r}: a benchmark log needs at least one line")
    rng = random.Random(seed)
    starts, ends, kinds = _clients(rng, site)
    tails = _request_tails(rng, site)
    # A few clients do most of the traffic, as on any real site.
    weights = [1.0 / (rank + 20) for rank in range(len(starts))]
    start_s = int(BENCH_START.timestamp())
    rejects = uncompressed = written = 0
    last_second = -1
    stamp = ""
    with atomic_path(path) as temp, open(temp, "wb") as raw, gzip_writer(raw) as out:
        while written < lines:
            count = min(CHUNK_LINES, lines - written)
            chunk: list[str] = []
            for client in rng.choices(range(len(starts)), weights, k=count):
                second = start_s + written * SPAN_S // lines
                if second != last_second:
                    stamp = apache_time(second) + "] "
                    last_second = second
                pool = tails[kinds[client]]
                written += 1
                if written % REJECT_EVERY == 0:
                    chunk.append(starts[client] + "31/Feb/2026:00:00:00 +0100] \n")
                    rejects += 1
                    continue
                chunk.append(
                    starts[client] + stamp + pool[int(rng.random() * len(pool))] + ends[client]
                )
            data = "".join(chunk).encode("latin-1")
            uncompressed += len(data)
            out.write(data)
    return BenchLog(path=path, lines=lines, rejects=rejects, uncompressed_bytes=uncompressed)
