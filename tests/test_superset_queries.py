"""The bundle's charts run as Superset runs them, on a real warehouse built from the demo's logs.

Each chart's saved query (its columns, metrics, filters and order, from the bundle's YAML) is
turned into the SQL Superset sends: calculated columns and metrics by their expressions, a query
dataset as a subquery, the dashboard's time range on the dataset's day and the Site filter.
`make superset-check` runs the same charts in a real Superset; these tests check their numbers.
"""

from __future__ import annotations

import json
import zipfile
from datetime import date, timedelta
from pathlib import Path
from typing import Any

import duckdb
import pytest
import yaml

from golkepar.demo import DEMO_SITE, demo_settings, write_demo_inputs
from golkepar.ingest.pipeline import ingest_logs
from golkepar.superset import labels, latest_day, write_bundle
from golkepar.warehouse.bot_catalogue import BOT_CATEGORIES
from golkepar.warehouse.build import build_warehouse

Rows = list[tuple[Any, ...]]


@pytest.fixture(scope="module")
def warehouse(tmp_path_factory: pytest.TempPathFactory) -> Path:
    settings = demo_settings(tmp_path_factory.mktemp("superset-queries"))
    write_demo_inputs(settings)
    ingest_logs(settings)
    return build_warehouse(settings).duckdb_file


@pytest.fixture(scope="module")
def bundle(warehouse: Path) -> dict[str, Any]:
    path = warehouse.parent / "bundle.zip"
    write_bundle(warehouse, path)
    with zipfile.ZipFile(path) as archive:
        return {
            name.split("/", 1)[1]: yaml.safe_load(archive.read(name)) for name in archive.namelist()
        }


@pytest.fixture(scope="module")
def db(warehouse: Path) -> duckdb.DuckDBPyConnection:
    return duckdb.connect(str(warehouse), read_only=True)


def chart_named(bundle: dict[str, Any], key: str) -> tuple[dict[str, Any], dict[str, Any]]:
    """The chart with this key (its dashboard.yaml key) and its dataset, as the bundle holds them."""
    chart = bundle[f"charts/{key}.yaml"]
    (dataset,) = [
        d
        for n, d in bundle.items()
        if n.startswith("datasets/") and d["uuid"] == chart["dataset_uuid"]
    ]
    return chart, dataset


def chart_sql(
    chart: dict[str, Any],
    dataset: dict[str, Any],
    days: tuple[date, date] | None = None,
    sites: list[str] | None = None,
) -> tuple[str, list[Any]]:
    """The SQL Superset runs for the chart's saved query; `days` is the time range [from, to)."""
    columns = {c["column_name"]: c["expression"] for c in dataset["columns"]}
    metrics = {m["metric_name"]: m["expression"] for m in dataset["metrics"]}

    def column(name: str) -> str:
        return f"({columns[name]})" if columns[name] else f'"{name}"'

    (query,) = json.loads(chart["query_context"])["queries"]
    selected = [c if isinstance(c, str) else c["sqlExpression"] for c in query["columns"]]
    where: list[str] = []
    values: list[Any] = []
    for f in query["filters"]:
        subject, op, value = column(f["col"]), f["op"], f["val"]
        if op == "TEMPORAL_RANGE":
            if days is not None:
                where.append(f"{subject} >= ? AND {subject} < ?")
                values += list(days)
        elif op in ("==", "!=", ">="):
            where.append(f"{subject} {'=' if op == '==' else op} ?")
            values.append(value)
        elif op in ("IS NOT NULL", "IS TRUE"):
            where.append(f"{subject} {op}")
        else:
            raise AssertionError(f"{chart['slice_name']}: no SQL here for the operator {op!r}")
    if sites is not None and "site" in columns:  # the Site filter's scope: datasets with sites
        where.append(f"site IN ({', '.join('?' for _ in sites)})")
        values += sites
    source = f"({dataset['sql']}) AS virtual_table" if dataset["sql"] else dataset["table_name"]
    select = [f'{column(n)} AS "{n}"' for n in selected]
    select += [f'{metrics[m]} AS "{m}"' for m in query["metrics"]]
    sql = f"SELECT {', '.join(select)} FROM {source}"
    if where:
        sql += " WHERE " + " AND ".join(where)
    if selected:
        sql += " GROUP BY " + ", ".join(column(n) for n in selected)
    if query["orderby"]:
        order = [
            f'"{name}" {"ASC" if ascending else "DESC"}' for name, ascending in query["orderby"]
        ]
        sql += " ORDER BY " + ", ".join(order)
    return sql + f" LIMIT {int(query['row_limit'])}", values


def run(db: duckdb.DuckDBPyConnection, bundle: dict[str, Any], key: str, **range_: Any) -> Rows:
    chart, dataset = chart_named(bundle, key)
    sql, values = chart_sql(chart, dataset, **range_)
    return db.execute(sql, values).fetchall()


def last_days(warehouse: Path, count: int) -> tuple[date, date]:
    last = latest_day(warehouse)
    return last - timedelta(days=count - 1), last + timedelta(days=1)


def test_every_chart_runs_on_the_warehouse_in_the_default_range(
    bundle: dict[str, Any], db: duckdb.DuckDBPyConnection, warehouse: Path
) -> None:
    keys = [n.removeprefix("charts/").removesuffix(".yaml") for n in bundle if "charts/" in n]
    empty = [
        key
        for key in keys
        if not run(db, bundle, key, days=last_days(warehouse, 28), sites=[DEMO_SITE])
    ]
    assert empty == []


BOTS = "bots_by_category"
HEAT_MAP = "human_hits_by_hour"


def test_bots_by_category_in_words_with_their_meaning(
    bundle: dict[str, Any], db: duckdb.DuckDBPyConnection
) -> None:
    rows = run(db, bundle, BOTS)
    meanings = {c.meaning[:1].upper() + c.meaning[1:] for c in BOT_CATEGORIES}
    assert {name for name, _, _, _ in rows} <= set(labels.BOT_CATEGORY_NAMES.values())
    assert {meaning for _, meaning, _, _ in rows} <= meanings
    # The demo has bots of every category; most hits first.
    assert len(rows) == len(BOT_CATEGORIES)
    hits = [row[2] for row in rows]
    assert hits == sorted(hits, reverse=True) and hits[-1] > 0


def test_bots_by_category_add_up_to_the_bots_table(
    bundle: dict[str, Any], db: duckdb.DuckDBPyConnection
) -> None:
    charted = {name: (hits, names) for name, _, hits, names in run(db, bundle, BOTS)}
    in_bots = db.execute(
        "select bot_category, sum(hits), count(distinct bot_name) from bots group by all"
    ).fetchall()
    assert charted == {
        labels.BOT_CATEGORY_NAMES[category]: (hits, names) for category, hits, names in in_bots
    }
    (bot_hits,) = db.execute("select count(*) from hits where visitor_class = 'bot'").fetchone()
    assert sum(hits for hits, _ in charted.values()) == bot_hits


def test_bots_by_category_follow_the_time_range_and_the_site(
    bundle: dict[str, Any], db: duckdb.DuckDBPyConnection, warehouse: Path
) -> None:
    last_day = last_days(warehouse, 1)
    charted = sum(row[2] for row in run(db, bundle, BOTS, days=last_day, sites=[DEMO_SITE]))
    (that_day,) = db.execute(
        "select count(*) from hits where visitor_class = 'bot' and local_date = ?", [last_day[0]]
    ).fetchone()
    (every_day,) = db.execute("select sum(hits) from bots").fetchone()
    assert 0 < charted == that_day < every_day
    assert run(db, bundle, BOTS, sites=["other.example"]) == []


def test_the_heat_map_has_every_hour_of_each_weekday_in_the_range(
    bundle: dict[str, Any], db: duckdb.DuckDBPyConnection
) -> None:
    rows = run(db, bundle, HEAT_MAP)
    weekdays = {day for _, day, _ in rows}
    assert {(hour, day) for hour, day, _ in rows} == {
        (hour, day) for hour in range(24) for day in weekdays
    }
    assert len(rows) == 24 * len(weekdays)
    # Each weekday of the warehouse's days, as a date of one week, shown by its name.
    in_warehouse = {
        day.strftime("%A")
        for (day,) in db.execute("select distinct local_date from hits").fetchall()
    }
    assert {day.strftime(labels.WEEKDAY_FORMAT) for day in weekdays} == in_warehouse
    assert all(0 <= (day - labels.REFERENCE_MONDAY).days < 7 for day in weekdays)


def test_the_heat_map_counts_human_hits_and_zeros_where_none_came(
    bundle: dict[str, Any], db: duckdb.DuckDBPyConnection
) -> None:
    cells = {(hour, day.isoweekday()): hits for hour, day, hits in run(db, bundle, HEAT_MAP)}
    counted = dict(
        ((hour, weekday), hits)
        for hour, weekday, hits in db.execute(
            "select local_hour, weekday, sum(hits) from traffic_by_hour "
            "where visitor_class = 'human' group by all"
        ).fetchall()
    )
    assert {cell: hits for cell, hits in cells.items() if hits} == counted
    assert 0 in cells.values()  # the demo's nights: no human, an empty cell, not a missing one
    (human_hits,) = db.execute("select sum(human_hits) from daily_traffic").fetchone()
    assert sum(cells.values()) == human_hits


def test_the_heat_map_follows_the_time_range_and_the_site(
    bundle: dict[str, Any], db: duckdb.DuckDBPyConnection, warehouse: Path
) -> None:
    last_day = last_days(warehouse, 1)
    rows = run(db, bundle, HEAT_MAP, days=last_day, sites=[DEMO_SITE])
    assert {day.isoweekday() for _, day, _ in rows} == {last_day[0].isoweekday()}
    (that_day,) = db.execute(
        "select count(*) from hits where visitor_class = 'human' and local_date = ?", [last_day[0]]
    ).fetchone()
    assert sum(hits for _, _, hits in rows) == that_day > 0
    assert run(db, bundle, HEAT_MAP, sites=["other.example"]) == []


def test_the_heat_map_reads_monday_first_and_hours_in_order(bundle: dict[str, Any]) -> None:
    chart, _ = chart_named(bundle, HEAT_MAP)
    params = chart["params"]
    assert (params["x_axis"], params["groupby"]) == ("local_hour", "weekday_name")
    # Superset sorts an axis's dates as dates; its y axis is drawn bottom up: descending dates
    # put Monday on top.
    assert (params["sort_x_axis"], params["sort_y_axis"]) == ("alpha_asc", "alpha_desc")
    week = [labels.REFERENCE_MONDAY + timedelta(days=n) for n in range(7)]
    bottom_up = sorted(week, reverse=True)
    top_down = [day.strftime(params["x_axis_time_format"]) for day in reversed(bottom_up)]
    assert top_down == [
        "Monday",
        "Tuesday",
        "Wednesday",
        "Thursday",
        "Friday",
        "Saturday",
        "Sunday",
    ]
    # Humans' blue, from light to dark, starting at 0.
    assert params["linear_color_scheme"] == "schemeBlues"
    assert params["value_bounds"] == [0, None]


def test_query_datasets_have_the_columns_they_declare(
    bundle: dict[str, Any], db: duckdb.DuckDBPyConnection
) -> None:
    queries = [d for n, d in bundle.items() if n.startswith("datasets/") and d["sql"]]
    assert {d["table_name"] for d in queries} == {"traffic_by_hour_grid", "bots_by_day"}
    for dataset in queries:
        relation = db.sql(dataset["sql"])
        found = dict(zip(relation.columns, map(str, relation.types), strict=True))
        declared = {c["column_name"]: c["type"] for c in dataset["columns"] if not c["expression"]}
        assert found == declared, dataset["table_name"]
        # Every calculated column and metric runs on the query's rows.
        for c in dataset["columns"]:
            if c["expression"]:
                db.sql(f"select {c['expression']} from ({dataset['sql']})").fetchall()
        for m in dataset["metrics"]:
            db.sql(f"select {m['expression']} from ({dataset['sql']})").fetchall()
