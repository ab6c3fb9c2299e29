from __future__ import annotations

import re
import uuid
import zipfile
from datetime import UTC, date, datetime
from pathlib import Path
from typing import Any

import duckdb
import pytest
import sqlalchemy
import yaml

from conftest import run_golkepar
from golkepar.errors import SupersetError
from golkepar.superset import default_time_range, labels, spec, sqlalchemy_uri, write_bundle
from golkepar.superset.spec import Chart, Dashboard, Filter

WAREHOUSE_TABLES = {
    "hits",
    "visits",
    "visitors",
    "daily_traffic",
    "security_events",
    "error_events",
    "traffic_by_hour",
    "bots",
    "not_found",
    "build_info",
}
# Datasets that are queries on the warehouse (Superset's virtual datasets), not tables.
QUERY_DATASETS = {"traffic_by_hour_grid", "bots_by_day"}
WAREHOUSE_DOC = Path(__file__).resolve().parents[1] / "docs" / "warehouse.md"
WHEN = datetime(2026, 11, 28, 10, 0, tzinfo=UTC)
LOCKED = "access_mode=read_only&enable_external_access=false&lock_configuration=true"


def read_bundle(path: Path) -> dict[str, Any]:
    """The bundle's documents by path below its single root folder; fails on invalid YAML."""
    with zipfile.ZipFile(path) as bundle:
        names = bundle.namelist()
        roots = {name.split("/", 1)[0] for name in names}
        assert len(roots) == 1, f"a Superset bundle has one root folder, not {roots}"
        return {name.split("/", 1)[1]: yaml.safe_load(bundle.read(name)) for name in names}


@pytest.fixture
def bundle(tmp_path: Path) -> dict[str, Any]:
    write_bundle(tmp_path / "golkepar.duckdb", tmp_path / "bundle.zip", generated_at=WHEN)
    return read_bundle(tmp_path / "bundle.zip")


def of_kind(documents: dict[str, Any], folder: str) -> list[dict[str, Any]]:
    return [doc for name, doc in documents.items() if name.startswith(f"{folder}/")]


def test_bundle_has_the_files_of_a_superset_dashboard_export(bundle: dict[str, Any]) -> None:
    assert bundle["metadata.yaml"] == {
        "version": "1.0.0",
        "type": "Dashboard",
        "timestamp": "2026-11-28T10:00:00+00:00",
    }
    assert set(bundle) >= {"databases/golkepar.yaml", "dashboards/traffic.yaml"}
    assert {f"datasets/golkepar/{table}.yaml" for table in WAREHOUSE_TABLES} <= set(bundle)
    datasets = of_kind(bundle, "datasets")
    assert {d["table_name"] for d in datasets} == WAREHOUSE_TABLES | QUERY_DATASETS
    assert {d["table_name"] for d in datasets if d["sql"]} == QUERY_DATASETS
    assert len(of_kind(bundle, "charts")) == len(spec.dashboard().charts) >= 10
    for name, document in bundle.items():
        assert name.endswith(".yaml") and isinstance(document, dict), name
        if name != "metadata.yaml":
            assert document["version"] == "1.0.0", name


def test_uuids_link_charts_to_datasets_to_the_database(bundle: dict[str, Any]) -> None:
    (database,) = of_kind(bundle, "databases")
    datasets = of_kind(bundle, "datasets")
    charts = of_kind(bundle, "charts")
    (dashboard,) = of_kind(bundle, "dashboards")
    every_uuid = [d["uuid"] for d in (database, *datasets, *charts, dashboard)]
    assert len(set(every_uuid)) == len(every_uuid)
    for value in every_uuid:
        uuid.UUID(value)
    assert {d["database_uuid"] for d in datasets} == {database["uuid"]}
    dataset_uuids = {d["uuid"]: d["table_name"] for d in datasets}
    for chart in charts:
        assert chart["dataset_uuid"] in dataset_uuids, chart["slice_name"]
    nodes = [n for n in dashboard["position"].values() if isinstance(n, dict)]
    placed = [n for n in nodes if n["type"] == "CHART"]
    assert sorted(n["meta"]["uuid"] for n in placed) == sorted(c["uuid"] for c in charts)
    chart_ids = [n["meta"]["chartId"] for n in placed]
    assert len(set(chart_ids)) == len(chart_ids)


def test_dashboard_rows_fit_the_grid_and_every_node_is_reachable(bundle: dict[str, Any]) -> None:
    position = bundle["dashboards/traffic.yaml"]["position"]
    reached, stack = set(), ["ROOT_ID"]
    while stack:
        node = position[stack.pop()]
        reached.add(node["id"])
        stack.extend(node.get("children", []))
    nodes = {key for key, node in position.items() if isinstance(node, dict)}
    assert nodes - reached == {"HEADER_ID"}
    for row_id in position["GRID_ID"]["children"]:
        widths = [position[child]["meta"]["width"] for child in position[row_id]["children"]]
        assert sum(widths) <= 12, row_id


def native_filter(bundle: dict[str, Any], name: str) -> dict[str, Any]:
    metadata = bundle["dashboards/traffic.yaml"]["metadata"]
    (found,) = [f for f in metadata["native_filter_configuration"] if f["name"] == name]
    return found


def test_the_site_filter_reaches_every_chart(bundle: dict[str, Any]) -> None:
    site_filter = native_filter(bundle, "Site")
    (target,) = site_filter["targets"]
    datasets = of_kind(bundle, "datasets")
    assert target["datasetUuid"] in {d["uuid"] for d in datasets}
    # Every chart but those on a table without sites (build_info).
    chart_ids = chart_ids_by_dataset(bundle)
    without_site = [
        number
        for dataset in datasets
        if "site" not in {c["column_name"] for c in dataset["columns"]}
        for number in chart_ids[dataset["uuid"]]
    ]
    assert site_filter["scope"] == {"rootPath": ["ROOT_ID"], "excluded": without_site}
    assert without_site


def chart_ids_by_dataset(bundle: dict[str, Any]) -> dict[str, list[int]]:
    """Dataset UUID -> the layout ids of its charts."""
    charts = {c["uuid"]: c["dataset_uuid"] for c in of_kind(bundle, "charts")}
    found: dict[str, list[int]] = {}
    for node in bundle["dashboards/traffic.yaml"]["position"].values():
        if isinstance(node, dict) and node["type"] == "CHART":
            found.setdefault(charts[node["meta"]["uuid"]], []).append(node["meta"]["chartId"])
    return found


def test_every_chart_follows_the_time_range_of_the_last_28_days(bundle: dict[str, Any]) -> None:
    time_filter = native_filter(bundle, "Time range")
    assert time_filter["filterType"] == "filter_time"
    assert time_filter["scope"]["rootPath"] == ["ROOT_ID"]
    default = time_filter["defaultDataMask"]
    expected = 'DATEADD(DATETIME("today"), -27, day) : DATEADD(DATETIME("today"), 1, day)'
    assert default["extraFormData"] == {"time_range": expected}
    assert default["filterState"] == {"value": expected}
    datasets = {d["uuid"]: d for d in of_kind(bundle, "datasets")}
    for chart in of_kind(bundle, "charts"):
        dataset = datasets[chart["dataset_uuid"]]
        temporal = [
            f["subject"]
            for f in chart["params"]["adhoc_filters"]
            if f["operator"] == "TEMPORAL_RANGE"
        ]
        time_column = dataset["main_dttm_col"]
        assert temporal == ([time_column] if time_column else []), chart["slice_name"]
    # A table without time (build_info) is out of the filter's scope, and only it.
    chart_ids = chart_ids_by_dataset(bundle)
    timeless = [
        n for uuid, d in datasets.items() if not d["main_dttm_col"] for n in chart_ids[uuid]
    ]
    assert time_filter["scope"]["excluded"] == timeless
    # Days are the site's own, wherever the table has them.
    for dataset in datasets.values():
        columns = {c["column_name"] for c in dataset["columns"]}
        if "local_date" in columns:
            assert dataset["main_dttm_col"] == "local_date", dataset["table_name"]


def test_a_fixed_default_range_ends_on_the_given_day() -> None:
    assert default_time_range(28, date(2026, 10, 28)) == "2026-10-01 : 2026-10-29"
    assert default_time_range(7, date(2026, 3, 1)) == "2026-02-23 : 2026-03-02"


def test_each_visitor_class_has_one_colour_and_attackers_are_red(bundle: dict[str, Any]) -> None:
    colours = bundle["dashboards/traffic.yaml"]["metadata"]["label_colors"]
    expected = {
        "Humans": "#2563eb",
        "Bots": "#9333ea",
        "Attackers": "#dc2626",
        "Admins": "#0d9488",
        "Unknown": "#6b7280",
    }
    assert {name: colours[name] for name in expected} == expected
    # The labels the charts show: class names from the calculated column.
    with duckdb.connect() as con:
        con.execute("create table hits (visitor_class varchar)")
        con.execute(
            "insert into hits values ('human'), ('bot'), ('attacker'), ('admin'), ('unknown')"
        )
        names = con.execute(f"select {labels.visitor_class_sql()} from hits").fetchall()
    assert {name for (name,) in names} == set(expected)
    # Superset 6.1 ignores a label colour whose label is also a metric's label.
    for dataset in spec.datasets().values():
        for metric in dataset.metrics:
            assert metric.label not in colours, (dataset.table, metric.name)


def test_codes_read_as_words() -> None:
    assert labels.check_attack_kinds() == []
    with duckdb.connect() as con:
        con.execute(
            "create table t as select * from (values "
            "('FR', 'wp_login_bruteforce', 404), (NULL, 'new_kind', 503), ('ZZ', 'sql_injection', 200)) "
            "as v(country_code, kind, status)"
        )
        rows = con.execute(
            f"select {labels.country_sql()}, {labels.attack_kind_sql()}, {labels.status_group_sql()} "
            "from t order by status"
        ).fetchall()
    assert rows == [
        ("ZZ", "SQL injection", "2xx success"),
        ("France (FR)", "Password guessing", "404 not found"),
        ("Unknown", "new_kind", "5xx server error"),
    ]


@pytest.mark.parametrize(
    ("category", "name", "meaning"),
    [
        ("search", "Search engines", "Search engines' crawlers: they bring visitors"),
        ("library", "Scripts and HTTP libraries", "HTTP libraries and command-line tools: scripts of any kind"),
        ("other", "Other bots", "Any other bot: a crawler not named here, or one found by behaviour"),
        ("new_category", "new_category", None),
    ],
)  # fmt: skip
def test_bot_categories_read_as_words_with_their_meaning(
    category: str, name: str, meaning: str | None
) -> None:
    with duckdb.connect() as con:
        row = con.execute(
            f"select {labels.bot_category_sql()}, {labels.bot_category_meaning_sql()} "
            "from (select ? as bot_category)",
            [category],
        ).fetchone()
    assert row == (name, meaning)


def test_weekdays_are_dates_of_one_week_shown_by_name() -> None:
    with duckdb.connect() as con:
        days = con.execute(
            f"select {labels.weekday_sql()} from range(1, 8) as t(weekday) order by weekday"
        ).fetchall()
    names = [day.strftime(labels.WEEKDAY_FORMAT) for (day,) in days]
    assert names == ["Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday", "Sunday"]
    # Sorted as dates, the names keep the week's order (as words they would not).
    assert sorted(days) == days and sorted(names) != names


def test_tables_page_through_every_row_and_say_how_many(bundle: dict[str, Any]) -> None:
    tables = [c for c in of_kind(bundle, "charts") if c["viz_type"] == "table"]
    assert tables
    for chart in tables:
        params = chart["params"]
        assert params["allow_render_html"] is False, chart["slice_name"]  # logged text, as text
        assert params["page_length"] == 10, chart["slice_name"]
        assert params["row_limit"] >= 10_000, chart["slice_name"]
    (networks,) = [c for c in tables if c["slice_name"].startswith("Networks")]
    assert networks["params"]["show_totals"] is True
    # The class columns add up to the hits column.
    assert networks["params"]["metrics"] == [
        "hits",
        "human_hits",
        "bot_hits",
        "attacker_hits",
        "admin_hits",
        "unknown_hits",
    ]


def test_no_pie_and_descriptions_are_shown(bundle: dict[str, Any]) -> None:
    charts = of_kind(bundle, "charts")
    assert not [c["slice_name"] for c in charts if c["viz_type"] == "pie"]
    assert all(c["description"] for c in charts)
    expanded = bundle["dashboards/traffic.yaml"]["metadata"]["expanded_slices"]
    nodes = bundle["dashboards/traffic.yaml"]["position"].values()
    chart_ids = {
        str(n["meta"]["chartId"])
        for n in nodes
        if isinstance(n, dict) and n["type"] == "CHART" and n["meta"]["height"] > 26
    }
    assert set(expanded) == chart_ids


def test_charts_use_only_their_dataset_columns_and_metrics(bundle: dict[str, Any]) -> None:
    datasets = {d["uuid"]: d for d in of_kind(bundle, "datasets")}
    for chart in of_kind(bundle, "charts"):
        dataset = datasets[chart["dataset_uuid"]]
        columns = {c["column_name"] for c in dataset["columns"]}
        metrics = {m["metric_name"] for m in dataset["metrics"]}
        params = chart["params"]
        used_metrics = params.get("metrics") or [params["metric"]]
        assert used_metrics and set(used_metrics) <= metrics, chart["slice_name"]
        groupby = params.get("groupby", [])
        if chart["viz_type"] == "heatmap_v2":  # one y column, not a list
            assert isinstance(groupby, str), chart["slice_name"]
            groupby = [groupby]
        assert set(groupby) <= columns, chart["slice_name"]
        assert {f["subject"] for f in params["adhoc_filters"]} <= columns, chart["slice_name"]
        if params.get("orientation") == "horizontal" or chart["viz_type"] == "heatmap_v2":
            assert params["x_axis"] in columns, chart["slice_name"]  # a column's values
        elif "x_axis" in params:  # per day
            assert params["x_axis"] == dataset["main_dttm_col"], chart["slice_name"]


def test_each_chart_saves_a_query_context_superset_can_run(bundle: dict[str, Any]) -> None:
    import json

    for chart in of_kind(bundle, "charts"):
        context = json.loads(chart["query_context"])
        (query,) = context["queries"]
        dataset_id = int(chart["params"]["datasource"].split("__")[0])
        assert context["datasource"] == {"id": dataset_id, "type": "table"}
        assert context["form_data"]["viz_type"] == chart["viz_type"]
        assert query["metrics"], chart["slice_name"]
        if chart["viz_type"].startswith("echarts_timeseries"):
            assert query["columns"][0]["columnType"] == "BASE_AXIS"
        if chart["viz_type"] == "heatmap_v2":
            params = chart["params"]
            x_axis, y_axis = query["columns"]
            assert (x_axis["columnType"], x_axis["sqlExpression"]) == (
                "BASE_AXIS",
                params["x_axis"],
            )
            assert y_axis == params["groupby"]
            assert query["metrics"] == [params["metric"]]
            # Ordered by its axes, as the chart sorts them.
            assert query["orderby"] == [[params["x_axis"], True], [params["groupby"], False]]


def test_database_is_the_absolute_duckdb_file_opened_read_only(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    folder = tmp_path / 'it\'s a "quoted" folder: été'
    folder.mkdir()
    monkeypatch.chdir(folder)
    write_bundle(Path("warehouse.duckdb"), tmp_path / "bundle.zip", database_name="my site")
    (database,) = of_kind(read_bundle(tmp_path / "bundle.zip"), "databases")
    expected = folder.resolve() / "warehouse.duckdb"
    assert database["database_name"] == "my site"
    assert database["sqlalchemy_uri"] == f"duckdb:///{expected}?{LOCKED}"
    url = sqlalchemy.make_url(database["sqlalchemy_uri"])
    assert (url.drivername, url.database) == ("duckdb", str(expected))
    assert dict(url.query) == {
        "access_mode": "read_only",
        "enable_external_access": "false",
        "lock_configuration": "true",
    }


def test_the_bundle_uri_reads_the_warehouse_and_cannot_write_it(tmp_path: Path) -> None:
    warehouse = tmp_path / "with space" / "golkepar.duckdb"
    warehouse.parent.mkdir()
    with duckdb.connect(str(warehouse)) as con:
        con.execute("create table daily_traffic as select 42 as hits")
    engine = sqlalchemy.create_engine(sqlalchemy_uri(warehouse))
    try:
        with engine.connect() as connection:
            hits = connection.execute(sqlalchemy.text("select hits from daily_traffic"))
            assert hits.scalar_one() == 42
            with pytest.raises(sqlalchemy.exc.DBAPIError, match="read-only"):
                connection.execute(sqlalchemy.text("create table other (x integer)"))
    finally:
        engine.dispose()


def test_same_inputs_give_the_same_bundle_and_names_keep_bundles_apart(tmp_path: Path) -> None:
    warehouse = tmp_path / "golkepar.duckdb"
    first, again, other = tmp_path / "a.zip", tmp_path / "b.zip", tmp_path / "c.zip"
    write_bundle(warehouse, first, generated_at=WHEN)
    write_bundle(warehouse, again, generated_at=WHEN)
    write_bundle(warehouse, other, database_name="second-site", generated_at=WHEN)
    assert first.read_bytes() == again.read_bytes()
    uuids = {d["uuid"] for d in read_bundle(first).values() if "uuid" in d}
    other_uuids = {d["uuid"] for d in read_bundle(other).values() if "uuid" in d}
    assert uuids and not uuids & other_uuids
    slugs = {read_bundle(p)["dashboards/traffic.yaml"]["slug"] for p in (first, other)}
    assert slugs == {"golkepar-traffic", "second-site-traffic"}


@pytest.mark.parametrize("name", ["", "bad/name", "../up", "-leading", "x" * 251])
def test_a_bad_database_name_is_refused(tmp_path: Path, name: str) -> None:
    with pytest.raises(SupersetError, match=re.escape(repr(name))):
        write_bundle(tmp_path / "w.duckdb", tmp_path / "b.zip", database_name=name)
    assert not (tmp_path / "b.zip").exists()


def test_a_path_a_uri_cannot_carry_is_refused(tmp_path: Path) -> None:
    with pytest.raises(SupersetError, match=r"contains '\?' or '#'"):
        write_bundle(tmp_path / "what?.duckdb", tmp_path / "b.zip")


def test_metric_expressions_and_column_types_are_valid_duckdb() -> None:
    with duckdb.connect() as con:
        for dataset in spec.datasets().values():
            columns = ", ".join(f'"{name}" {kind}' for name, kind in dataset.columns.items())
            con.execute(f"create table {dataset.table} ({columns})")
            assert dataset.time_column is None or dataset.time_column in dataset.columns
            for metric in dataset.metrics:
                con.execute(f"select {metric.expression} from {dataset.table}").fetchall()
            for calculated in dataset.calculated:
                con.execute(f"select {calculated.expression} from {dataset.table}").fetchall()


def test_datasets_follow_the_documented_warehouse_columns() -> None:
    if not WAREHOUSE_DOC.is_file():
        pytest.skip("docs/warehouse.md is not in this tree")
    documented: dict[str, dict[str, str]] = {}
    table = None
    for line in WAREHOUSE_DOC.read_text("utf-8").splitlines():
        heading = re.match(r"### `(\w+)`", line)
        if heading:
            table = heading.group(1)
            documented[table] = {}
        cell = re.match(r"\| (\w+) \| ([A-Z ]+) \|", line)
        if table and cell:
            documented[table][cell.group(1)] = cell.group(2).replace(
                "TIMESTAMPTZ", "TIMESTAMP WITH TIME ZONE"
            )
    for dataset in spec.datasets().values():
        if dataset.sql is not None:  # a query: tests/test_superset_queries.py runs it
            continue
        for column, kind in dataset.columns.items():
            assert documented[dataset.table].get(column) == kind, f"{dataset.table}.{column}"


def _board(**changes: Any) -> Dashboard:
    chart = Chart(
        key="k",
        title="t",
        description="",
        dataset="hits",
        kind="table",
        metrics=("hits",),
        groupby=("path",),
        filters=(Filter("visitor_class", "==", "human"),),
        row_limit=10,
        width=6,
    )
    return Dashboard("T", ((chart.__class__(**{**chart.__dict__, **changes}),),))


@pytest.mark.parametrize(
    ("changes", "message"),
    [
        ({"kind": "sankey"}, "unknown kind 'sankey'"),
        ({"dataset": "logs"}, "no dataset 'logs'"),
        ({"metrics": ("hits", "revenue")}, "no metric 'revenue'"),
        ({"groupby": ("paht",)}, "no column 'paht'"),
        ({"filters": (Filter("class", "==", "bot"),)}, "no column 'class'"),
        ({"width": 13}, "over 12 wide"),
        ({"kind": "heatmap"}, "a heat map has 2 groupby (x, y) and 1 metric"),
        (
            {"kind": "heatmap", "groupby": ("status", "path"), "metrics": ("hits", "visitors")},
            "1 metric",
        ),
    ],
)
def test_a_dashboard_definition_error_is_caught_before_superset(
    changes: dict[str, Any], message: str
) -> None:
    spec._check(_board(), spec.datasets())  # the unchanged definition is fine
    with pytest.raises(SupersetError, match=re.escape(message)):
        spec._check(_board(**changes), spec.datasets())


def test_cli_writes_the_bundle_for_duckdb_file(tmp_path: Path) -> None:
    warehouse = tmp_path / "my data" / "site.duckdb"
    result = run_golkepar(
        "superset-bundle",
        "--output",
        "out/bundle.zip",
        "--database-name",
        "example.com",
        cwd=tmp_path,
        env={"DUCKDB_FILE": str(warehouse)},
    )
    assert result.returncode == 0, result.stderr
    assert "12 datasets" in result.stdout
    assert f"duckdb:///{warehouse}?{LOCKED}" in result.stdout
    assert "does not exist yet" in result.stderr
    database = read_bundle(tmp_path / "out" / "bundle.zip")["databases/example.com.yaml"]
    assert database["sqlalchemy_uri"] == f"duckdb:///{warehouse}?{LOCKED}"


def test_cli_flag_beats_the_environment(tmp_path: Path) -> None:
    result = run_golkepar(
        "superset-bundle",
        "--duckdb-file",
        "flag.duckdb",
        cwd=tmp_path,
        env={"DUCKDB_FILE": str(tmp_path / "env.duckdb")},
    )
    assert result.returncode == 0, result.stderr
    database = read_bundle(tmp_path / "golkepar-superset.zip")["databases/golkepar.yaml"]
    flag_file = tmp_path / "flag.duckdb"
    assert database["sqlalchemy_uri"] == f"duckdb:///{flag_file}?{LOCKED}"


def test_cli_reports_a_bad_name_and_an_unwritable_output(tmp_path: Path) -> None:
    bad_name = run_golkepar("superset-bundle", "--database-name", "a/b", cwd=tmp_path)
    assert bad_name.returncode == SupersetError.exit_code
    assert "database name 'a/b' is not valid" in bad_name.stderr
    (tmp_path / "taken").mkdir()
    unwritable = run_golkepar("superset-bundle", "--output", "taken", cwd=tmp_path)
    assert unwritable.returncode == SupersetError.exit_code
    assert "cannot write the Superset bundle 'taken'" in unwritable.stderr
    assert "Traceback" not in unwritable.stderr + bad_name.stderr
    assert list(tmp_path.glob(".*.part")) == []
