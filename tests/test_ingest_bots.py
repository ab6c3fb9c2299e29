"""The vectorised first pass never hides a crawler that crawlerdetect itself would find."""

from __future__ import annotations

import random
import string

import polars as pl
import pytest
from crawlerdetect import CrawlerDetect
from hypothesis import given, settings
from hypothesis import strategies as st

from golkepar.ingest.bots import BotDetector
from golkepar.sample import vocabulary

KNOWN = [
    "Mozilla/5.0 (compatible; Googlebot/2.1; +http://www.google.com/bot.html)",
    "Mozilla/5.0 (compatible; bingbot/2.0; +http://www.bing.com/bingbot.htm)",
    "Mozilla/5.0 AppleWebKit/537.36 (KHTML, like Gecko; compatible; GPTBot/1.2; +https://openai.com/gptbot)",
    "Mozilla/5.0 (compatible; YandexBot/3.0; +http://yandex.com/bots)",
    "Mozilla/5.0 (compatible; YandexSearch/1.0)",
    "curl/8.4.0",
    "python-requests/2.31.0",
    "Go-http-client/1.1",
    "Wget/1.21.4",
    "Java/17.0.2",
    "  Java/1.8 ",
    "sqlmap/1.8 (https://sqlmap.org)",
    "Mozilla/5.0 (Windows NT 10.0; Win64; x64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/120.0 Safari/537.36",
    "Mozilla/5.0 (iPhone; CPU iPhone OS 17_0 like Mac OS X) AppleWebKit/605.1.15 Version/17.0 Mobile/15E148 Safari/604.1",
    "Mozilla/5.0 (X11; Linux x86_64; rv:121.0) Gecko/20100101 Firefox/121.0",
    "",
    "   ",
    "-",
    "Mozilla/5.0 (Linux; Android 14) AppleWebKit/537.36 Chrome/120 Mobile Safari/537.36 \u00e9\u00e8",
]


def _vocabulary_user_agents() -> list[str]:
    found: list[str] = []
    for value in vars(vocabulary).values():
        items = value if isinstance(value, list | tuple) else [value]
        found.extend(item for item in items if isinstance(item, str))
    return found


def _random_browsers(count: int) -> list[str]:
    rng = random.Random(7)
    return [
        f"Mozilla/5.0 (Windows NT 10.0; Win64; x64) Chrome/{rng.randint(1, 200)}.0 Safari/537.36 "
        + "".join(rng.choices(string.ascii_letters + " /;()", k=12))
        for _ in range(count)
    ]


def _exactly_like_crawlerdetect(user_agents: list[str]) -> None:
    detector, reference = BotDetector(), CrawlerDetect()
    maybe = detector.maybe_bots(pl.Series(user_agents, dtype=pl.String))
    for user_agent, maybe_bot in zip(user_agents, maybe, strict=True):
        expected = reference.isCrawler(user_agent), reference.getMatches()
        got = detector.detect(user_agent) if maybe_bot else (False, None)
        assert got == (expected[0], expected[1] if expected[0] else None), user_agent


@pytest.mark.parametrize(
    "user_agents",
    [KNOWN, _vocabulary_user_agents(), _random_browsers(2000)],
    ids=["known", "sample-vocabulary", "random-browsers"],
)
def test_same_answers_as_crawlerdetect(user_agents: list[str]) -> None:
    _exactly_like_crawlerdetect(user_agents)


@settings(max_examples=200, deadline=None)
@given(st.lists(st.text(max_size=80), min_size=1, max_size=20))
def test_same_answers_on_any_text(user_agents: list[str]) -> None:
    _exactly_like_crawlerdetect(user_agents)


def test_browsers_skip_the_slow_check() -> None:
    browsers = _random_browsers(500)
    assert sum(BotDetector().maybe_bots(pl.Series(browsers))) == 0
