"""Humans whose visits answer a site owner's questions, with the answers the warehouse must give.

Where visits come from (every channel, search engines, campaign tags), broken links of each
origin, a visit across local midnight and visits in the repeated hour of the autumn DST change.
Each behaviour records what `visits` and `not_found` must say in the actor's truth.
"""

from __future__ import annotations

import random
from collections.abc import Iterator
from datetime import datetime
from zoneinfo import ZoneInfo

from golkepar.sample import truth
from golkepar.sample import vocabulary as v
from golkepar.sample.traffic import HOUR, Actor, Day, Hit, _page_load, get, url

PARIS = ZoneInfo("Europe/Paris")

MASTODON_REFERER = "https://mastodon.social/@golkepar/113456"
FORUM_REFERER = "https://forum.example.net/t/hebergement-mutualise/42"
CAMPAIGN = "automne-2026"


def _visit(
    actor: Actor, rng: random.Random, day: Day, t: int, path: str, referer: str | None
) -> Iterator[Hit]:
    """One visit of one page and its assets, recorded with how it arrived."""
    campaign = CAMPAIGN if "utm_campaign=" in path else None
    actor.entries.append(truth.entry_of(referer, day.site, campaign))
    actor.visits += 1
    yield from _page_load(actor, rng, day, t, path, referer)


def campaign_reader(actor: Actor, rng: random.Random, day: Day) -> Iterator[Hit]:
    """A newsletter reader (campaign tags, no referer), then a click on a social post's tags."""
    t = day.start + 9 * HOUR + rng.randint(0, HOUR)
    if day.index == 0:
        tags = f"utm_source=newsletter&utm_medium=email&utm_campaign={CAMPAIGN}"
        yield from _visit(actor, rng, day, t, f"/?{tags}", None)
    elif day.index == 1:
        tags = f"utm_source=facebook&utm_medium=social&utm_campaign={CAMPAIGN}"
        yield from _visit(actor, rng, day, t, f"/blog/?{tags}", v.SOCIAL_REFERERS[0])


def link_follower(actor: Actor, rng: random.Random, day: Day) -> Iterator[Hit]:
    """Arrives from a Mastodon post, comes back hours later from a tab left open (an internal
    link), and on the next day from a search on Ecosia."""
    t = day.start + 8 * HOUR + rng.randint(0, HOUR)
    if day.index == 0:
        yield from _visit(actor, rng, day, t, v.PAGES[3], MASTODON_REFERER)
        yield from _visit(actor, rng, day, t + 3 * HOUR, v.PAGES[4], url(day, v.PAGES[3]))
    elif day.index == 1:
        ecosia = next(r for r in v.SEARCH_ENGINE_OF if "ecosia" in r)
        yield from _visit(actor, rng, day, t, v.PAGES[5], ecosia)


def broken_link_reader(actor: Actor, rng: random.Random, day: Day) -> Iterator[Hit]:
    """Meets a broken link on the site (internal), one from a forum (external) and mistypes an
    address (no referer); each 404 page loads the theme's assets like any page."""
    t = day.start + 14 * HOUR + rng.randint(0, HOUR)
    if day.index == 0:
        yield from _visit(actor, rng, day, t, "/blog/", v.SEARCH_REFERERS[1])
        missing, referer, origin = "/blog/article-supprime/", url(day, "/blog/"), "internal_link"
    elif day.index == 1:
        missing, referer, origin = "/ancienne-page-produit/", FORUM_REFERER, "external_link"
        actor.entries.append(truth.entry_of(referer, day.site))
        actor.visits += 1
    elif day.index == 2:
        missing, referer, origin = "/contatc/", None, "no_referer"
        actor.entries.append(truth.entry_of(referer, day.site))
        actor.visits += 1
    else:
        return
    t += 60
    yield actor.hit(t, day, get(missing), 404, 5_210, referer)
    actor.broken_links.append(truth.BrokenLink(missing, origin))
    yield from _page_load(actor, rng, day, t + 30, "/", url(day, missing))


def night_owl(actor: Actor, rng: random.Random, day: Day) -> Iterator[Hit]:
    """Reads from 23:50 to past midnight: one visit whose hits are in two days' logs."""
    if day.index == 0:
        yield from _visit(actor, rng, day, day.end - 10 * 60, v.PAGES[1], None)
    elif day.index == 1:
        # Fifteen minutes after the last page of yesterday's log: the same visit.
        previous = url(day, v.PAGES[1])
        yield from _page_load(actor, rng, day, day.start + 5 * 60, v.PAGES[2], previous)


def early_bird(actor: Actor, rng: random.Random, day: Day) -> Iterator[Hit]:
    """Up at 02:10 on the night clocks go back, and again at 02:50 after the change: two visits
    in local hour 2 at two UTC offsets. On other days, one morning visit."""
    first, second = _repeated_hour(day)
    if first is None or second is None:
        if day.index == 0:
            yield from _visit(actor, rng, day, day.start + 7 * HOUR, v.PAGES[0], None)
        return
    yield from _visit(actor, rng, day, first, v.PAGES[0], None)
    yield from _visit(actor, rng, day, second, v.PAGES[6], None)


def _repeated_hour(day: Day) -> tuple[int | None, int | None]:
    """02:10 at summer time and 02:50 at winter time, when the day's clocks go back."""
    first = second = None
    for t in range(day.start, day.end, 10 * 60):
        local = datetime.fromtimestamp(t, PARIS)
        offset = local.utcoffset()
        if local.hour == 2 and local.minute == 10 and offset is not None and offset.seconds == 7200:
            first = t
        if local.hour == 2 and local.minute == 50 and offset is not None and offset.seconds == 3600:
            second = t
    return first, second


# (name, User-Agent, behaviour): humans, so real browsers that load assets.
OWNER_CASES = (
    ("campaign-reader", v.BROWSERS[0], campaign_reader),
    ("link-follower", v.BROWSERS[1], link_follower),
    ("broken-link-reader", v.BROWSERS[3], broken_link_reader),
    ("night-owl", v.BROWSERS[4], night_owl),
    ("early-bird", v.BROWSERS[5], early_bird),
)
