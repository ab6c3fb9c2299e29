"""The report: its figures against the sample generator's ground truth, its period, its CLI."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import pytest

from conftest import run_golkepar
from golkepar.demo import DemoResult, run_demo
from golkepar.errors import ReportError
from golkepar.report import format as fmt
from golkepar.report.model import Figure, ReportData, load_report
from golkepar.report.period import Period, choose_period, month_periods
from golkepar.sample import truth

D = dt.date


@pytest.fixture(scope="module")
def demo(tmp_path_factory: pytest.TempPathFactory) -> DemoResult:
    return run_demo(tmp_path_factory.mktemp("demo"))


@pytest.fixture(scope="module")
def report(demo: DemoResult) -> ReportData:
    return load_report(demo.build.duckdb_file)


def _figure(data: ReportData, key: str) -> Figure:
    return next(f for f in data.headline if f.key == key)


def test_headline_matches_the_ground_truth(demo: DemoResult, report: ReportData) -> None:
    humans = [a for a in demo.sample.actors if a.intended_class == truth.HUMAN]
    assert _figure(report, "visitors").value == len(humans)
    assert _figure(report, "visits").value == sum(a.visits or 0 for a in humans)
    hits = {cls: 0 for cls in ("human", "bot", "attacker")}
    for actor in demo.sample.actors:
        if actor.intended_class in hits:
            hits[actor.intended_class] += actor.hits
    all_hits = demo.sample.hits
    assert _figure(report, "bot_share").value == pytest.approx(hits["bot"] / all_hits)
    assert _figure(report, "attacker_share").value == pytest.approx(hits["attacker"] / all_hits)
    assert sum(r["human_hits"] for r in report.daily) == hits["human"]
    assert sum(r["bot_hits"] for r in report.daily) == hits["bot"]
    assert sum(r["attacker_hits"] for r in report.daily) == hits["attacker"]


def test_crawlers_and_attackers_match_the_ground_truth(
    demo: DemoResult, report: ReportData
) -> None:
    bots = [a for a in demo.sample.actors if a.intended_class == truth.BOT]
    # The table keeps the top rows only: each one it keeps has its bots' hits, the biggest first.
    hits_by_name: dict[str, int] = {}
    for bot in bots:
        name = bot.bot_name or "unnamed"
        hits_by_name[name] = hits_by_name.get(name, 0) + bot.hits
    assert {r["bot_name"]: r["hits"] for r in report.crawlers} == dict(
        sorted(hits_by_name.items(), key=lambda item: (-item[1], item[0]))[: len(report.crawlers)]
    )
    categories = {bot.bot_name or "unnamed": bot.bot_category for bot in bots}
    assert {r["bot_name"]: r["bot_category"] for r in report.crawlers} == {
        r["bot_name"]: categories[r["bot_name"]] for r in report.crawlers
    }
    googlebot = next(r for r in report.crawlers if r["bot_name"] == "Googlebot")
    assert googlebot["verified"] is True
    attackers = {a.ip for a in demo.sample.actors if a.intended_class == truth.ATTACKER}
    listed = {r["ip"] for r in report.attackers}
    assert listed <= attackers
    brute = next(r for r in report.attackers if r["ip"] == demo.sample.actor("wp-bruteforce").ip)
    assert brute["kinds"] == ["wp_login_bruteforce"]


def test_acquisition_adds_up_to_the_visits(demo: DemoResult, report: ReportData) -> None:
    human_visits = _figure(report, "visits").value
    channels = {r["channel"]: r["visits"] for r in report.channels if r["visitor_class"] == "human"}
    assert sum(channels.values()) == human_visits
    engines = {
        r["search_engine"]: r["visits"]
        for r in report.search_engines
        if r["visitor_class"] == "human"
    }
    assert sum(engines.values()) == channels["search"]
    assert {"Google", "Bing"} <= engines.keys()
    returning = next(r for r in report.returning if r["visitor_class"] == "human")
    # Every human's first visit is new; the others return.
    assert returning["new_visits"] == _figure(report, "visitors").value
    assert returning["new_visits"] + returning["returning_visits"] == human_visits


def test_broken_links_keep_attack_noise_apart(demo: DemoResult, report: ReportData) -> None:
    origins = {r["origin"] for r in report.not_found}
    assert "attack" in origins
    attack_paths = {r["path"] for r in report.not_found if r["origin"] == "attack"}
    assert "/phpmyadmin/" in attack_paths or any("admin" in p for p in attack_paths)
    assert all(r["origin"] != "attack" for r in report.not_found if r["path"].startswith("/2019/"))


def test_the_demo_period_is_the_days_held_and_its_live_day_is_incomplete(
    demo: DemoResult, report: ReportData
) -> None:
    # Five archived days and the live morning after them.
    assert report.period == Period(D(2026, 10, 23), D(2026, 10, 28))
    assert report.incomplete_days == (D(2026, 10, 28),)
    assert len(report.daily) == 6
    # The period before it is not held: no comparison, rather than a fall from zero.
    assert _figure(report, "visits").previous is None
    # The demo week holds the end of summer time: both offsets are named.
    assert report.utc_offsets_min == (120, 60)
    assert report.sites == ("example.com",)


def test_a_chosen_period_is_compared_with_the_one_before(demo: DemoResult) -> None:
    data = load_report(demo.build.duckdb_file, since=D(2026, 10, 26), until=D(2026, 10, 27))
    assert data.previous == Period(D(2026, 10, 24), D(2026, 10, 25))
    visits = _figure(data, "visits")
    assert visits.value and visits.previous
    assert fmt.change(visits)[0].endswith("%")


@pytest.mark.parametrize(
    ("first", "last", "since", "until", "expected"),
    [
        # 28 days ending with the last day held.
        (D(2026, 1, 1), D(2026, 11, 30), None, None, Period(D(2026, 11, 3), D(2026, 11, 30))),
        # Fewer days held: from the first one.
        (D(2026, 11, 20), D(2026, 11, 30), None, None, Period(D(2026, 11, 20), D(2026, 11, 30))),
        # --since alone runs to the last day held.
        (
            D(2026, 1, 1),
            D(2026, 11, 30),
            D(2026, 11, 1),
            None,
            Period(D(2026, 11, 1), D(2026, 11, 30)),
        ),
        # --until alone: the 28 days that end then, even before the first day held.
        (
            D(2026, 11, 20),
            D(2026, 11, 30),
            None,
            D(2026, 11, 25),
            Period(D(2026, 10, 29), D(2026, 11, 25)),
        ),
        (
            D(2026, 1, 1),
            D(2026, 11, 30),
            D(2026, 3, 1),
            D(2026, 3, 31),
            Period(D(2026, 3, 1), D(2026, 3, 31)),
        ),
    ],
)
def test_choose_period(
    first: dt.date, last: dt.date, since: dt.date | None, until: dt.date | None, expected: Period
) -> None:
    assert choose_period(first, last, since, until) == expected


def test_month_periods_cover_whole_months() -> None:
    assert month_periods(D(2026, 1, 15), D(2026, 3, 2)) == [
        Period(D(2026, 1, 1), D(2026, 1, 31)),
        Period(D(2026, 2, 1), D(2026, 2, 28)),
        Period(D(2026, 3, 1), D(2026, 3, 31)),
    ]


def test_a_period_that_ends_before_it_starts_is_refused() -> None:
    with pytest.raises(ReportError, match="--since before --until"):
        Period(D(2026, 3, 2), D(2026, 3, 1))


@pytest.mark.parametrize(
    ("unit", "value", "previous", "rise_is_good", "expected"),
    [
        ("count", 110, 100, True, ("+10 %", "good")),
        ("count", 90, 100, True, ("-10 %", "bad")),
        ("percent", 0.30, 0.25, False, ("+5.0 pts", "bad")),
        ("bytes", 2e9, 1e9, None, ("+100 %", "neutral")),
        ("count", 5, 0, True, ("new", "neutral")),
        ("count", 100, 100, True, ("no change", "neutral")),
        ("count", 100, None, True, ("no earlier data", "neutral")),
    ],
)
def test_change(
    unit: str,
    value: float,
    previous: float | None,
    rise_is_good: bool | None,
    expected: tuple[str, str],
) -> None:
    assert fmt.change(Figure("x", "X", unit, value, previous, rise_is_good)) == expected


@pytest.mark.parametrize(
    ("value", "expected"),
    [(999, "999 B"), (1500, "1.5 kB"), (2_345_678, "2.3 MB"), (7.2e9, "7.2 GB")],
)
def test_size(value: float, expected: str) -> None:
    assert fmt.size(value) == expected


@pytest.mark.parametrize(
    ("seconds", "expected"), [(42, "42 s"), (415, "6 min 55 s"), (3725, "1 h 02 min")]
)
def test_duration(seconds: float, expected: str) -> None:
    assert fmt.duration(seconds) == expected


def test_cli_writes_the_page_and_prints_where(demo: DemoResult, tmp_path: Path) -> None:
    page = tmp_path / "out" / "site.html"
    done = run_golkepar(
        "report", "--duckdb-file", str(demo.build.duckdb_file), "--output", str(page),
        cwd=tmp_path,
    )  # fmt: skip
    assert done.returncode == 0, done.stderr
    assert f"report: {page}" in done.stdout
    html = page.read_text()
    assert html.startswith("<!doctype html>")
    assert "Content-Security-Policy" in html
    # The demo page stays light enough to mail or host anywhere.
    assert page.stat().st_size < 2_000_000


def test_cli_monthly_writes_a_page_per_month_and_an_index(demo: DemoResult, tmp_path: Path) -> None:
    page = tmp_path / "report.html"
    done = run_golkepar(
        "report", "--duckdb-file", str(demo.build.duckdb_file), "--output", str(page),
        "--monthly", cwd=tmp_path,
    )  # fmt: skip
    assert done.returncode == 0, done.stderr
    assert (tmp_path / "report-2026-10.html").is_file()
    index = (tmp_path / "report-months.html").read_text()
    assert 'href="report-2026-10.html"' in index
    assert "October 2026" in index


def test_cli_terminal_prints_the_headline(demo: DemoResult, tmp_path: Path) -> None:
    done = run_golkepar(
        "report", "--terminal", "--duckdb-file", str(demo.build.duckdb_file), cwd=tmp_path
    )
    assert done.returncode == 0, done.stderr
    assert "Human visitors" in done.stdout
    assert "Googlebot" in done.stdout
    assert "France" in done.stdout


@pytest.mark.parametrize(
    ("args", "code", "message"),
    [
        (["--since", "yesterday"], 2, "--since 'yesterday' is not a date: give it as 2026-11-01"),
        (
            ["--since", "2026-10-27", "--until", "2026-10-24"],
            10,
            "the period starts (2026-10-27) after it ends (2026-10-24)",
        ),
        (["--site", "nowhere.example"], 10, "holds no traffic for site 'nowhere.example'"),
    ],
)
def test_cli_bad_input_is_one_clear_line(
    demo: DemoResult, tmp_path: Path, args: list[str], code: int, message: str
) -> None:
    done = run_golkepar("report", "--duckdb-file", str(demo.build.duckdb_file), *args, cwd=tmp_path)
    assert done.returncode == code
    assert message in done.stderr
    assert "Traceback" not in done.stderr


def test_cli_without_a_database_says_to_build(tmp_path: Path) -> None:
    done = run_golkepar("report", "--duckdb-file", str(tmp_path / "none.duckdb"), cwd=tmp_path)
    assert done.returncode == 10
    assert "run `golkepar build` first" in done.stderr


def test_a_database_of_another_version_says_to_rebuild(tmp_path: Path) -> None:
    import duckdb

    old = tmp_path / "old.duckdb"
    with duckdb.connect(str(old)) as db:
        db.execute(
            "create table daily_traffic as select 'example.com' as site, "
            "date '2026-10-01' as local_date, 1 as hits"
        )
    done = run_golkepar("report", "--duckdb-file", str(old), cwd=tmp_path)
    assert done.returncode == 10
    assert "was built by another version of golkepar" in done.stderr
    assert "rebuild it with `golkepar build`" in done.stderr
    assert len(done.stderr.strip().splitlines()) == 1
