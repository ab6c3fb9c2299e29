"""Which User-Agents are crawlers: crawlerdetect's list, with a vectorised first pass.

crawlerdetect (the Python port of the maintained CrawlerDetect list) costs about 0.2 ms a
User-Agent in Python's regex engine, so a flood of made-up User-Agents would make it the slowest
step of ingest. Its own patterns, with look-arounds dropped (which only widens them), first run
in Polars' engine over all new User-Agents at once: one they do not match cannot be a crawler,
and only the few that match are asked of crawlerdetect, whose answer is the one kept.
"""

from __future__ import annotations

import logging
import re

import polars as pl
from crawlerdetect import CrawlerDetect
from crawlerdetect.crawlerdetect import crawlers_data, exclusions_data

logger = logging.getLogger(__name__)

_LOOKAROUND = re.compile(r"\(\?<?[=!][^()]*\)")
# One expression of all 1,500 patterns overflows the regex engine's fast automaton (55 µs a
# User-Agent); in groups of this many each one fits, and all groups together take 2 µs.
_PATTERNS_PER_GROUP = 100
_WIDENED = [_LOOKAROUND.sub("", pattern) for pattern in crawlers_data]
CRAWLER_GROUPS = [
    "(?i)(?:" + "|".join(_WIDENED[i : i + _PATTERNS_PER_GROUP]) + ")"
    for i in range(0, len(_WIDENED), _PATTERNS_PER_GROUP)
]
EXCLUSIONS = "(?i)(?:" + "|".join(exclusions_data) + ")"


def _matches_a_crawler(user_agent: pl.Expr) -> pl.Expr:
    return pl.any_horizontal([user_agent.str.contains(group) for group in CRAWLER_GROUPS])


def _first_pass_works() -> bool:
    """False if this crawlerdetect's patterns are beyond Polars' engine: then ask it of all."""
    probe = pl.DataFrame({"user_agent": ["Mozilla/5.0 (compatible; Googlebot/2.1)"]})
    try:
        probe.select(_matches_a_crawler(pl.col("user_agent").str.replace_all(EXCLUSIONS, "")))
    except pl.exceptions.PolarsError as e:
        logger.warning("crawler patterns run one User-Agent at a time: %s", str(e)[:200])
        return False
    return True


class BotDetector:
    """is_bot and bot_name for User-Agents, as crawlerdetect says, asked only when needed."""

    def __init__(self) -> None:
        self._crawlers = CrawlerDetect()
        self._first_pass = _first_pass_works()

    def maybe_bots(self, user_agents: pl.Series) -> list[bool]:
        """For each User-Agent, whether crawlerdetect could call it a crawler."""
        if not self._first_pass:
            return [True] * len(user_agents)
        stripped = pl.col("user_agent").fill_null("").str.strip_chars()
        # crawlerdetect searches what is left once the exclusions (browser tokens) are removed.
        maybe = (stripped != "") & (
            _matches_a_crawler(stripped)
            | _matches_a_crawler(stripped.str.replace_all(EXCLUSIONS, ""))
        )
        frame = pl.DataFrame({"user_agent": user_agents}, schema={"user_agent": pl.String})
        return frame.select(maybe).to_series().to_list()

    def detect(self, user_agent: str) -> tuple[bool, str | None]:
        """crawlerdetect's own answer: is it a crawler, and the name it matched."""
        if not self._crawlers.isCrawler(user_agent):
            return False, None
        name = self._crawlers.getMatches()
        return True, name if isinstance(name, str) else None
