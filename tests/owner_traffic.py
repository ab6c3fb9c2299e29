"""Crafted traffic with known answers to a site owner's questions: where visits come from,
which links are broken, when the site is busy, how a period compares with the one before."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta, timezone

from lake_factory import CHROME, FIREFOX, PARIS_WINTER, SITE, Hit

PARIS_SUMMER = timezone(timedelta(hours=2))
# A Tuesday in winter time, the day most cases happen on.
DAY = datetime(2026, 11, 10, 10, 0, tzinfo=PARIS_WINTER)
# Another host of the site, that only the SITE_HOSTS setting tells.
OTHER_SITE_HOST = "blog.example.org"


def page_visit(
    ip: str, when: datetime, path: str = "/", site: str = SITE, **kw: object
) -> list[Hit]:
    """A browser loading one page and its stylesheet: a human's one-page visit of 1 second."""
    return [
        Hit(when, ip=ip, user_agent=CHROME, path=path, site=site, **kw),  # type: ignore[arg-type]
        Hit(when + timedelta(seconds=1), ip=ip, user_agent=CHROME, path="/style.css", site=site),
    ]


@dataclass(frozen=True)
class Arrival:
    """A one-visit human arriving with `referer`, and what `visits` must say about it."""

    ip: str
    referer: str | None
    referer_host: str | None
    channel: str
    search_engine: str | None = None
    query: str | None = None
    utm: tuple[str | None, str | None, str | None] = (None, None, None)


def _arrivals() -> tuple[Arrival, ...]:
    search = [
        ("https://www.google.fr/", "www.google.fr", "Google"),
        ("https://www.google.co.uk/search?q=golkepar", "www.google.co.uk", "Google"),
        (
            "android-app://com.google.android.googlequicksearchbox/",
            "com.google.android.googlequicksearchbox",
            "Google",
        ),
        ("https://www.bing.com/search?q=x", "www.bing.com", "Bing"),
        ("https://duckduckgo.com/", "duckduckgo.com", "DuckDuckGo"),
        ("https://www.qwant.com/?q=x", "www.qwant.com", "Qwant"),
        ("https://www.ecosia.org/search?q=x", "www.ecosia.org", "Ecosia"),
        ("https://fr.search.yahoo.com/search?p=x", "fr.search.yahoo.com", "Yahoo"),
        ("https://yandex.ru/search/?text=x", "yandex.ru", "Yandex"),
        ("https://www.baidu.com/link?url=x", "www.baidu.com", "Baidu"),
        ("https://search.brave.com/search?q=x", "search.brave.com", "Brave"),
        ("https://www.startpage.com/", "www.startpage.com", "Startpage"),
        ("https://search.seznam.cz/?q=x", "search.seznam.cz", "Seznam"),
    ]
    social = [
        ("https://l.facebook.com/l.php?u=x", "l.facebook.com"),
        ("https://www.instagram.com/", "www.instagram.com"),
        ("https://t.co/AbCd", "t.co"),
        ("https://x.com/someone/status/1", "x.com"),
        ("https://www.linkedin.com/feed/", "www.linkedin.com"),
        ("https://lnkd.in/e-x", "lnkd.in"),
        ("https://out.reddit.com/t3_x", "out.reddit.com"),
        ("https://www.pinterest.fr/pin/1/", "www.pinterest.fr"),
        ("https://www.youtube.com/", "www.youtube.com"),
        ("https://www.tiktok.com/", "www.tiktok.com"),
    ]
    arrivals = [
        Arrival("10.8.0.1", None, None, "direct"),
        Arrival("10.8.0.2", "https://www.example.com/blog/", "www.example.com", "internal"),
        Arrival("10.8.0.3", "https://example.com/", "example.com", "internal"),
        Arrival("10.8.0.4", f"https://{OTHER_SITE_HOST}/post", OTHER_SITE_HOST, "internal"),
        Arrival("10.8.0.5", "https://mastodon.social/@someone/1", "mastodon.social", "referral"),
        Arrival("10.8.0.6", "https://mail.google.com/mail/u/0/", "mail.google.com", "referral"),
        Arrival("10.8.0.7", "not a url", None, "direct"),
        # Campaign tags never change the channel; values are percent-decoded, `+` is a space.
        Arrival(
            "10.8.0.8",
            "https://www.google.com/",
            "www.google.com",
            "search",
            "Google",
            query="utm_source=news+letter&utm_medium=e%2Dmail&utm_campaign=%C3%A9t%C3%A9",
            utm=("news letter", "e-mail", "été"),
        ),
        Arrival(
            "10.8.0.9",
            None,
            None,
            "direct",
            query="page=2&utm_source=flyer",
            utm=("flyer", None, None),
        ),
    ]
    arrivals += [
        Arrival(f"10.8.1.{i}", referer, host, "search", engine)
        for i, (referer, host, engine) in enumerate(search, start=1)
    ]
    arrivals += [
        Arrival(f"10.8.2.{i}", referer, host, "social")
        for i, (referer, host) in enumerate(social, start=1)
    ]
    return tuple(arrivals)


ARRIVALS = _arrivals()
CHANNELS = ("direct", "internal", "search", "social", "referral")


def arrival_hits() -> list[Hit]:
    hits: list[Hit] = []
    for index, arrival in enumerate(ARRIVALS):
        when = DAY + timedelta(minutes=index)
        hits += page_visit(arrival.ip, when, referer=arrival.referer, query=arrival.query)
    return hits


# A visitor who comes back two hours later: the second visit is returning, the first is not.
RETURNING_IP = "10.8.3.1"
# A visit from 23:50 to 00:10 local time: one visit, of the first day.
NIGHT_OWL_IP = "10.8.3.2"
NIGHT = datetime(2026, 11, 10, 23, 50, tzinfo=PARIS_WINTER)


def returning_and_midnight_hits() -> list[Hit]:
    return [
        *page_visit(RETURNING_IP, DAY + timedelta(hours=1)),
        *page_visit(RETURNING_IP, DAY + timedelta(hours=3), path="/again"),
        *page_visit(NIGHT_OWL_IP, NIGHT),
        *page_visit(NIGHT_OWL_IP, NIGHT + timedelta(minutes=20), path="/after-midnight"),
    ]


@dataclass(frozen=True)
class MissingPage:
    """A (path, referer) answered 404 or 410, and the row `not_found` must have for it."""

    path: str
    referer: str | None
    origin: str
    hits: int
    visitors: int


NOT_FOUND = (
    MissingPage("/old-post", "https://www.example.com/blog/", "internal_link", 2, 2),
    MissingPage("/moved-page", "https://other.example.net/links", "external_link", 1, 1),
    MissingPage("/typo", None, "no_referer", 1, 1),
    MissingPage("/.env", None, "attack", 1, 1),
    # An attacker's hit with a referer is noise too.
    MissingPage("/backup-2019", "https://www.example.com/", "attack", 1, 1),
    # A person and an attacker asking for the same page: it is the person's broken link.
    MissingPage("/gone", None, "no_referer", 2, 2),
)
PROBER_IP = "203.0.113.201"


def not_found_hits() -> list[Hit]:
    when = DAY + timedelta(hours=5)
    reader_a, reader_b = "10.8.4.1", "10.8.4.2"
    return [
        *page_visit(reader_a, when, path="/old-post", status=404, referer=NOT_FOUND[0].referer),
        *page_visit(reader_b, when, path="/old-post", status=404, referer=NOT_FOUND[0].referer),
        *page_visit(
            reader_a,
            when + timedelta(minutes=1),
            path="/moved-page",
            status=404,
            referer=NOT_FOUND[1].referer,
        ),
        *page_visit(reader_a, when + timedelta(minutes=2), path="/typo", status=410),
        *page_visit(reader_b, when + timedelta(minutes=2), path="/gone", status=404),
        Hit(when, ip=PROBER_IP, user_agent=FIREFOX, path="/.env", status=404),
        Hit(
            when + timedelta(seconds=5),
            ip=PROBER_IP,
            user_agent=FIREFOX,
            path="/backup-2019",
            status=404,
            referer="https://www.example.com/",
        ),
        Hit(
            when + timedelta(seconds=9), ip=PROBER_IP, user_agent=FIREFOX, path="/gone", status=404
        ),
    ]


# Autumn DST change in Paris, Sunday 25 October 2026: 02:00-03:00 happens at +02:00, then again
# at +01:00. Spring change, Sunday 29 March 2026: 02:00-03:00 does not happen.
DST_IP = "10.8.5.1"
AUTUMN_FIRST_TWO_THIRTY = datetime(2026, 10, 25, 2, 30, tzinfo=PARIS_SUMMER)
AUTUMN_SECOND_TWO_THIRTY = datetime(2026, 10, 25, 2, 30, tzinfo=PARIS_WINTER)
SPRING_BEFORE = datetime(2026, 3, 29, 1, 30, tzinfo=PARIS_WINTER)
SPRING_AFTER = datetime(2026, 3, 29, 3, 30, tzinfo=PARIS_SUMMER)


def dst_hits() -> list[Hit]:
    return [
        *page_visit(DST_IP, AUTUMN_FIRST_TWO_THIRTY),
        *page_visit(DST_IP, AUTUMN_SECOND_TWO_THIRTY, path="/an-hour-later"),
        *page_visit(DST_IP, SPRING_BEFORE),
        *page_visit(DST_IP, SPRING_AFTER, path="/after-the-change"),
    ]


def owner_hits() -> list[Hit]:
    """Every case above, in one lake."""
    return arrival_hits() + returning_and_midnight_hits() + not_found_hits() + dst_hits()
