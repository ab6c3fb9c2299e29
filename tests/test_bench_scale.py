"""The scale run's synthetic lake (bench/synthetic_lake.py): a lake `golkepar build` reads whole.

Not timed: bench/scale.py measures. This checks that the lake it times is a valid one, with the
traffic it claims (crawlers every day, attackers, visits across midnight, visitors seen on two
days), and that a day added to it is built.
"""

from __future__ import annotations

import importlib.util
import json
import sys
from collections.abc import Iterator
from pathlib import Path
from types import ModuleType

import duckdb
import pytest

from conftest import run_golkepar

ROOT = Path(__file__).resolve().parents[1]
DAYS = 3
HITS_PER_DAY = 2_000


@pytest.fixture(scope="module")
def synthetic_lake() -> Iterator[ModuleType]:
    spec = importlib.util.spec_from_file_location(
        "synthetic_lake", ROOT / "bench" / "synthetic_lake.py"
    )
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    sys.modules[spec.name] = module  # dataclasses look their module up by name
    spec.loader.exec_module(module)
    yield module
    del sys.modules[spec.name]


def build(lake: Path, database: Path) -> None:
    result = run_golkepar(
        "build", "--lake", str(lake), "--duckdb-file", str(database),
        cwd=lake.parent, env={"IP_PATH_BASE": str(lake.parent / "geoip")},
    )  # fmt: skip
    assert result.returncode == 0, result.stderr


def query(database: Path, sql: str) -> list[tuple[object, ...]]:
    with duckdb.connect(str(database), read_only=True) as con:
        con.execute("SET TimeZone = 'UTC'")
        return con.execute(sql).fetchall()


def test_the_lake_is_built_whole_with_the_traffic_it_claims(
    tmp_path: Path, synthetic_lake: ModuleType
) -> None:
    lake, database = tmp_path / "lake", tmp_path / "golkepar.duckdb"
    traffic = synthetic_lake.Traffic(HITS_PER_DAY)
    days = synthetic_lake.write_lake(lake, traffic, DAYS)

    sources = json.loads((lake / "_manifest.json").read_text())["sources"]
    assert sorted(sources) == sorted(day.source_key for day in days)
    assert days[0].source_key == "example.com/access/2026/11/example.com-02-11-2026.log.gz"
    for day in days:
        entry = sources[day.source_key]
        assert entry["log_date"] == day.date.isoformat()
        assert entry["lines"] == entry["hits"] == day.hits > 0
        (output,) = entry["outputs"]["hits"]
        assert output.startswith(f"hits/site=example.com/date={day.date.isoformat()}/")
        assert [lake / output] == day.files
        assert duckdb.sql(f"select count(*) from '{lake / output}'").fetchall() == [(day.hits,)]
    assert not list(lake.rglob("*.part"))

    build(lake, database)
    total = sum(day.hits for day in days)
    assert query(database, "select count(*), count(distinct source_file) from hits") == [
        (total, DAYS)
    ]
    # Every crawler's hits on every day; attackers; visits across midnight (3 a day begin at
    # 23:50, the last day's run on into a day not in the lake yet); people seen on two days.
    crawlers = query(
        database,
        "select bot_name, count(distinct local_date) from hits "
        "where visitor_class = 'bot' and bot_name in ('Googlebot', 'bingbot') group by all",
    )
    assert sorted(crawlers) == [("Googlebot", DAYS), ("bingbot", DAYS)]
    assert query(database, "select count(*) > 0 from visitors where visitor_class = 'attacker'")
    assert query(
        database,
        "select count(*) from (select visit_id from hits group by visit_id "
        "having count(distinct local_date) > 1)",
    ) >= [(synthetic_lake.NIGHT_OWLS * (DAYS - 1),)]
    (seen_on,) = query(
        database,
        "select count(*) filter (where n = 1), count(*) filter (where n = 2) from ("
        "select count(distinct local_date) as n from hits where visitor_class = 'human' "
        "group by visitor_key)",
    )
    assert seen_on[0] > seen_on[1] > 0


def test_a_day_added_to_the_lake_is_built(tmp_path: Path, synthetic_lake: ModuleType) -> None:
    lake, database = tmp_path / "lake", tmp_path / "golkepar.duckdb"
    traffic = synthetic_lake.Traffic(HITS_PER_DAY)
    before = sum(day.hits for day in synthetic_lake.write_lake(lake, traffic, DAYS))
    build(lake, database)

    added = synthetic_lake.write_day(lake, traffic, DAYS)
    sources = json.loads((lake / "_manifest.json").read_text())["sources"]
    assert len(sources) == DAYS + 1
    assert sources[added.source_key]["hits"] == added.hits > 0
    assert added.date.isoformat() == "2026-11-05"
    build(lake, database)
    assert query(database, "select count(*) from hits") == [(before + added.hits,)]
    assert query(
        database, f"select count(*) from hits where local_date = '{added.date.isoformat()}'"
    ) == [(added.hits,)]
    # Yesterday's late visits run on into the new day: each is one visit over both days.
    assert query(
        database,
        "select count(*) from (select visit_id from hits group by visit_id "
        f"having min(local_date) = '2026-11-04' and max(local_date) = '{added.date}')",
    ) >= [(synthetic_lake.NIGHT_OWLS,)]


def test_a_day_written_again_is_a_new_generation_of_the_same_hits(
    tmp_path: Path, synthetic_lake: ModuleType
) -> None:
    traffic = synthetic_lake.Traffic(HITS_PER_DAY)
    (first,) = synthetic_lake.write_lake(tmp_path / "a", traffic, 1)
    again = synthetic_lake.write_day(tmp_path / "a", traffic, 0)
    (elsewhere,) = synthetic_lake.write_lake(tmp_path / "b", traffic, 1)
    assert [path.name.rsplit("-", 1)[1] for path in again.files] == ["2.parquet"]
    assert not any(path.exists() for path in first.files)

    def rows(files: list[Path]) -> list[tuple[object, ...]]:
        listed = ", ".join(f"'{path}'" for path in files)
        return duckdb.sql(f"from read_parquet([{listed}]) order by source_line").fetchall()

    assert len(rows(again.files)) == first.hits
    assert rows(again.files) == rows(elsewhere.files)
