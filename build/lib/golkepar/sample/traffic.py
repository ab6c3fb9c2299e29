"""Who visits a sample site and what each of them requests, one day at a time.

Every actor is an IP and a User-Agent with a behaviour: a generator that yields its hits
for one day, in time order. The writer merges the actors' streams, so no day is ever built
whole in memory.
"""

from __future__ import annotations

import random
import zlib
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field

from golkepar.sample import truth
from golkepar.sample import vocabulary as v

# Humans pause longer than this between visits, more than a 30-minute idle rule needs.
VISIT_GAP_MIN_S = 45 * 60
# A monitoring probe every five minutes, night and day: it fills the repeated DST hour.
MONITOR_PERIOD_S = 5 * 60
HOUR = 3600
# What scripts fetch over and over: the home page, the blog, the RSS feed.
PERIODIC_PATHS = ("/", "/blog/", "/feed/")


@dataclass(frozen=True)
class Hit:
    """One access-log line to write; `error` is an error-log line the hit caused."""

    instant: int
    ip: str
    vhost: str
    request: str  # as Apache logs it: already escaped
    status: int
    size: int | None
    referer: str | None
    user_agent: str | None
    error: tuple[str, str] | None = None  # ("proxy_fcgi:error", "AH01071: ...")


@dataclass(frozen=True)
class Day:
    """The window of one log file: local midnight to midnight (or to now, for a live file)."""

    index: int
    start: int
    end: int
    site: str


Behaviour = Callable[["Actor", random.Random, Day], Iterator[Hit]]


@dataclass
class Actor:
    """A visitor while logs are generated; `truth()` freezes what it did."""

    name: str
    ip: str
    user_agent: str | None
    intended_class: str
    behaviour: Behaviour
    attack_kinds: tuple[str, ...] = ()
    active_day: int = 0  # attackers strike on one day only
    first_referer: str | None = None  # used once, for the Latin-1 referer
    visits: int = 0
    hits: int = 0
    cached: bool = False
    extra: dict[str, int] = field(default_factory=dict)
    bot: tuple[str, str] | None = None  # (bot_name, bot_category) the warehouse must find
    entries: list[truth.VisitEntry] = field(default_factory=list)
    broken_links: list[truth.BrokenLink] = field(default_factory=list)

    def hit(
        self,
        t: int,
        day: Day,
        request: str,
        status: int,
        size: int | None,
        referer: str | None = None,
        vhost: str | None = None,
        error: tuple[str, str] | None = None,
    ) -> Hit:
        """A hit by this actor, on the www host unless told otherwise."""
        self.hits += 1
        host = vhost if vhost is not None else f"www.{day.site}"
        return Hit(t, self.ip, host, request, status, size, referer, self.user_agent, error)

    def truth(self) -> truth.ActorTruth:
        """What the pipeline must conclude about this actor."""
        counts_visits = self.intended_class in (truth.HUMAN, truth.ADMIN)
        return truth.ActorTruth(
            name=self.name,
            ip=self.ip,
            user_agent=self.user_agent,
            intended_class=self.intended_class,
            attack_kinds=self.attack_kinds,
            visits=self.visits if counts_visits else None,
            hits=self.hits,
            bot_name=self.bot[0] if self.bot else None,
            bot_category=self.bot[1] if self.bot else None,
            entries=tuple(self.entries),
            broken_links=tuple(self.broken_links),
        )


def size_of(path: str, low: int, high: int) -> int:
    """A response size that is stable for a path, as a real file's would be."""
    return low + zlib.crc32(path.encode()) % (high - low)


def url(day: Day, path: str) -> str:
    return f"https://www.{day.site}{path}"


def get(path: str) -> str:
    return f"GET {path} HTTP/1.1"


def post(path: str) -> str:
    return f"POST {path} HTTP/1.1"


# --- humans ------------------------------------------------------------------------------


def _page_load(
    actor: Actor, rng: random.Random, day: Day, t: int, path: str, referer: str | None
) -> Iterator[Hit]:
    """A browser loading a page, then its assets (from cache after the first time)."""
    error = None
    status = 200
    if path == "/blog/cache-et-performances/":
        error = ("proxy_fcgi:error", _php_error(rng.choice(v.PHP_WARNINGS), url(day, path)))
    elif path == "/produits/formation-wordpress/" and rng.random() < 0.3:
        status = 500
        error = ("proxy_fcgi:error", _php_error(v.PHP_FATAL, referer))
    size = size_of(path, 8_000, 60_000) if status == 200 else 612
    yield actor.hit(t, day, get(path), status, size, referer, error=error)
    page_url = url(day, path)
    t += rng.randint(0, 1)
    for asset in v.PAGE_ASSETS:
        if not actor.cached:
            yield actor.hit(t, day, get(asset), 200, size_of(asset, 3_000, 90_000), page_url)
        elif rng.random() < 0.15:
            # A revalidation: 304, and Apache logs no body size.
            yield actor.hit(t, day, get(asset), 304, None, page_url)
        t += rng.randint(0, 1)
    slug = path.split("?")[0].strip("/").split("/")[-1] or "accueil"
    image = f"{v.IMAGE_FOLDER}{slug}.webp"
    yield actor.hit(t, day, get(image), 200, size_of(image, 20_000, 400_000), page_url)
    if not actor.cached:
        yield actor.hit(t + 1, day, get(v.FAVICON), 200, 1_150, None)
    actor.cached = True


def human(actor: Actor, rng: random.Random, day: Day) -> Iterator[Hit]:
    """Visits of a few pages each, arriving from search, social, or directly."""
    t = day.start + rng.randint(7 * HOUR, 12 * HOUR)
    # Everyone visits on the first day, so each human has at least one visit.
    visits_today = rng.choice((1, 1, 2, 3)) if day.index == 0 else rng.choice((0, 1, 1, 2))
    for _ in range(visits_today):
        if t >= day.end - HOUR:
            break
        referer = actor.first_referer or rng.choice(
            (*v.SEARCH_REFERERS, *v.SEARCH_REFERERS, *v.SOCIAL_REFERERS, None, None)
        )
        actor.first_referer = None
        actor.entries.append(truth.entry_of(referer, day.site))
        path = rng.choice(v.PAGES)
        if rng.random() < 0.15:
            # Typed without "www.": the bare host redirects.
            yield actor.hit(t, day, get(path), 301, 239, referer, vhost=day.site)
            t += 1
        for page in range(rng.randint(1, 5)):
            if page:
                referer, path = url(day, path), rng.choice(v.PAGES)
            yield from _page_load(actor, rng, day, t, path, referer)
            t += rng.randint(20, 400)
        actor.visits += 1
        t += rng.randint(VISIT_GAP_MIN_S, 5 * HOUR)


def admin(actor: Actor, rng: random.Random, day: Day) -> Iterator[Hit]:
    """The site's owner: logs in, edits in /wp-admin/, then checks the result."""
    t = day.start + rng.randint(8 * HOUR, 11 * HOUR)
    if t >= day.end - HOUR:
        return
    login = "/wp-login.php"
    yield actor.hit(t, day, get(login), 200, 4_870, None)
    t += rng.randint(5, 15)
    yield actor.hit(t, day, post(login), 302, None, url(day, login))
    t += 1
    yield actor.hit(t, day, get("/wp-admin/"), 200, 61_204, url(day, login))
    for asset in v.ADMIN_ASSETS:
        yield actor.hit(t, day, get(asset), 200, size_of(asset, 20_000, 200_000), url(day, "/"))
    for _ in range(rng.randint(2, 6)):
        t += rng.randint(20, 240)
        page = rng.choice(v.ADMIN_PAGES)
        yield actor.hit(t, day, get(page), 200, size_of(page, 30_000, 120_000), url(day, "/"))
        # WordPress's heartbeat while an editor page is open.
        yield actor.hit(t + 15, day, post("/wp-admin/admin-ajax.php"), 200, 47, url(day, page))
    t += rng.randint(20, 120)
    yield actor.hit(t, day, post("/wp-admin/post.php"), 302, None, url(day, v.ADMIN_PAGES[2]))
    t += rng.randint(5, 60)
    yield from _page_load(actor, rng, day, t, rng.choice(v.PAGES[2:9]), url(day, "/wp-admin/"))
    actor.visits += 1


# --- bots --------------------------------------------------------------------------------


def _crawl(
    actor: Actor, rng: random.Random, day: Day, t: int, mean_gap_s: float, until: int
) -> Iterator[Hit]:
    """robots.txt first, then pages, images and sitemaps at random intervals."""
    yield actor.hit(t, day, get("/robots.txt"), 200, 67)
    while True:
        t += max(1, int(rng.expovariate(1 / mean_gap_s)))
        if t >= until:
            return
        roll = rng.random()
        if roll < 0.1:
            path, size = rng.choice(v.SITEMAPS), 3_412
        elif roll < 0.2:
            path = f"{v.IMAGE_FOLDER}{rng.choice(v.PAGES[2:9]).strip('/').split('/')[-1]}.webp"
            size = size_of(path, 20_000, 400_000)
        elif roll < 0.25:
            # An old address that no longer exists.
            path, size = "/2019/03/ancien-article/", None
        else:
            path = rng.choice(v.PAGES)
            size = size_of(path, 8_000, 60_000)
        yield actor.hit(t, day, get(path), 200 if size else 404, size or 1_024)


def search_bot(actor: Actor, rng: random.Random, day: Day) -> Iterator[Hit]:
    """A search engine crawling all day long."""
    start = day.start + rng.randint(0, HOUR)
    yield from _crawl(actor, rng, day, start, actor.extra.get("gap", 1_800), day.end)


def burst_bot(actor: Actor, rng: random.Random, day: Day) -> Iterator[Hit]:
    """SEO and AI crawlers: one fast sweep a day."""
    start = day.start + rng.randint(0, 20 * HOUR)
    until = min(day.end, start + rng.randint(5 * 60, 15 * 60))
    if start < day.end:
        yield from _crawl(actor, rng, day, start, actor.extra.get("gap", 15), until)


def monitor(actor: Actor, rng: random.Random, day: Day) -> Iterator[Hit]:
    """An uptime check: HEAD / every five minutes; a HEAD response logs no body size."""
    t = day.start + rng.randint(0, MONITOR_PERIOD_S - 1)
    while t < day.end:
        yield actor.hit(t, day, "HEAD / HTTP/1.1", 200, None)
        t += MONITOR_PERIOD_S


def periodic(actor: Actor, rng: random.Random, day: Day) -> Iterator[Hit]:
    """A script fetching one address now and then (a feed reader, a link preview)."""
    path = PERIODIC_PATHS[actor.extra.get("path", 0)]
    t = day.start + rng.randint(0, 2 * HOUR)
    while t < day.end:
        yield actor.hit(t, day, get(path), 200, size_of(path, 8_000, 60_000))
        period = actor.extra.get("period", HOUR)
        t += rng.randint(period, 2 * period)


# --- attackers -------------------------------------------------------------------------


def _attack_start(actor: Actor, rng: random.Random, day: Day) -> int | None:
    if day.index != actor.active_day:
        return None
    start = day.start + rng.randint(HOUR, 20 * HOUR)
    return start if start < day.end - HOUR else None


def probe(actor: Actor, rng: random.Random, day: Day) -> Iterator[Hit]:
    """A scanner working through a list of addresses a few seconds apart."""
    t = _attack_start(actor, rng, day)
    if t is None:
        return
    for path in _probe_paths(actor):
        status, error = 404, None
        if path.startswith(("/.git", "/.env", "/.aws", "/server-status")):
            # OVH's default rules deny dot-files: 403, and a line in the error log.
            status = 403
            error = (
                "authz_core:error",
                f"AH01630: client denied by server configuration: "
                f"/home/site/www{path.split('?')[0]}",
            )
        elif " " in path:
            status = 400  # spaces in the target: Apache refuses the request line
        elif path == "/" or path in v.WP_ENUMERATION[:3] or path.startswith(("/?", "/contact/")):
            status = 200
        vhost = day.site if rng.random() < 0.5 else None
        yield actor.hit(
            t, day, get(path), status, size_of(path, 200, 9_000), vhost=vhost, error=error
        )
        t += rng.randint(0, 3)


# The addresses a scanner tries for each kind of attack it makes.
PROBES: dict[str, tuple[str, ...]] = {
    truth.SENSITIVE_FILE: v.SENSITIVE_FILES,
    truth.ADMIN_PROBE: v.ADMIN_PROBES,
    truth.SQLI: v.SQLI_PATHS,
    truth.PATH_TRAVERSAL: v.TRAVERSAL_PATHS,
    truth.XSS: v.XSS_PATHS,
    truth.USER_ENUMERATION: v.WP_ENUMERATION,
}


def _probe_paths(actor: Actor) -> tuple[str, ...]:
    paths = [path for kind in actor.attack_kinds for path in PROBES.get(kind, ())]
    if actor.extra.get("long_url"):
        # An overflow attempt: a target of several kilobytes.
        paths.append("/index.php?q=" + "A" * 6_000)
    return tuple(paths) or ("/",)


def bruteforce(actor: Actor, rng: random.Random, day: Day) -> Iterator[Hit]:
    """Bursts of password guesses, each answered by the login form again (200)."""
    t = _attack_start(actor, rng, day)
    if t is None:
        return
    if actor.extra.get("xmlrpc"):
        # xmlrpc.php answers GET with 405, and every POSTed guess with a small XML fault.
        target, first_status, size = "/xmlrpc.php", 405, 403
    else:
        target, first_status, size = "/wp-login.php", 200, 4_870
    yield actor.hit(t, day, get(target), first_status, 42 if first_status == 405 else size)
    for _ in range(3):
        for _ in range(rng.randint(15, 40)):
            t += rng.randint(0, 3)
            yield actor.hit(t, day, post(target), 200, size)
        t += rng.randint(20 * 60, 50 * 60)
        if t >= day.end - HOUR:
            return


def malformed(actor: Actor, rng: random.Random, day: Day) -> Iterator[Hit]:
    """TLS spoken to port 80 (400) and connections that never send a request (408)."""
    t = _attack_start(actor, rng, day)
    if t is None:
        return
    for request in v.TLS_JUNK_REQUESTS:
        yield actor.hit(t, day, request, 400, None, vhost=day.site)
        t += rng.randint(1, 30)
    yield actor.hit(t, day, "-", 408, None, vhost=day.site)


def impostor(actor: Actor, rng: random.Random, day: Day) -> Iterator[Hit]:
    """Someone borrowing Googlebot's User-Agent to crawl from a home connection."""
    t = _attack_start(actor, rng, day)
    if t is not None:
        yield from _crawl(actor, rng, day, t, 20, min(day.end, t + 10 * 60))


def _php_error(message: str, referer: str | None) -> str:
    text = f"AH01071: Got error 'PHP message: {message}'"
    return f"{text}, referer: {referer}" if referer else text
