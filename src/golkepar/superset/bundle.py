"""Write a Superset import bundle: the ZIP that Superset's own dashboard export produces.

It holds `metadata.yaml`, one database (the DuckDB file, read-only, without file access), a
dataset per warehouse table, the charts and one dashboard. UUIDs derive from the database name
and each asset's key, so a bundle written again imports over the previous one instead of
beside it.
"""

from __future__ import annotations

import logging
import re
import uuid
import zipfile
from dataclasses import dataclass
from datetime import UTC, date, datetime, timedelta
from pathlib import Path
from typing import Any

import duckdb
import yaml

from golkepar._files import atomic_path
from golkepar.errors import SupersetError
from golkepar.superset import charts, labels, spec
from golkepar.visitor_classes import VISITOR_CLASSES

log = logging.getLogger(__name__)

# The version of Superset's import/export format (`metadata.yaml`), unchanged since Superset 1.0.
EXPORT_VERSION = "1.0.0"
# Namespace of golkepar's asset UUIDs (uuid5 of "<database name>/<kind>/<key>").
UUID_NAMESPACE = uuid.UUID("6f1c1b8e-1a1d-5f0e-9c4e-2b7d3a5e8c10")
# DuckDB's default schema, where `golkepar build` creates its tables.
SCHEMA = "main"
# The dashboard's filter: every dataset has `site`; `daily_traffic` lists the sites cheaply.
SITE_COLUMN = "site"
SITE_FILTER_DATASET = "daily_traffic"
# The dashboard opens on the last 28 days, today included (Superset's own date expressions).
DEFAULT_DAYS = 28
DATABASE_NAME_PATTERN = re.compile(r"[A-Za-z0-9][A-Za-z0-9 _.-]{0,249}")


@dataclass(frozen=True)
class BundleResult:
    """What `write_bundle` wrote."""

    path: Path
    sqlalchemy_uri: str
    datasets: int
    charts: int


def asset_uuid(database_name: str, kind: str, key: str) -> str:
    """A stable UUID for one asset of one database's bundle."""
    return str(uuid.uuid5(UUID_NAMESPACE, f"{database_name}/{kind}/{key}"))


# DuckDB settings the Superset connection is opened with; duckdb-engine hands every URI query
# parameter that is a DuckDB setting to `duckdb.connect(config=...)`.
# - read_only: DuckDB lets many processes read a file or one write it, so Superset must never
#   hold it open for writing (and nothing typed in SQL Lab can change the warehouse).
# - enable_external_access=false: no file or network access beyond the database file itself.
#   Without it SQL Lab reads any file Superset can (`read_text('/etc/...')`, its SECRET_KEY,
#   the lake's `_salt`), writes files with `COPY ... TO` (a Parquet file dropped into the lake
#   is loaded by the next build), ATTACHes other databases, INSTALLs and LOADs extensions.
# - lock_configuration=true: no `SET` can turn the line above back off.
CONNECTION_SETTINGS = (
    ("access_mode", "read_only"),
    ("enable_external_access", "false"),
    ("lock_configuration", "true"),
)


def sqlalchemy_uri(duckdb_file: Path) -> str:
    """The duckdb-engine URI of `duckdb_file`: absolute, read-only, without file-system access."""
    path = duckdb_file.expanduser().resolve()
    if "?" in str(path) or "#" in str(path):
        # SQLAlchemy URIs do not unquote the database part: these cannot be written at all.
        raise SupersetError(
            f"DUCKDB_FILE {str(path)!r} contains '?' or '#', which a SQLAlchemy URI cannot "
            "carry: use a path without them"
        )
    query = "&".join(f"{name}={value}" for name, value in CONNECTION_SETTINGS)
    return f"duckdb:///{path.as_posix()}?{query}"


def default_time_range(days: int = DEFAULT_DAYS, until: date | None = None) -> str:
    """The time range filter's default: the `days` days ending with `until` (default today).

    Without `until` the range moves with the calendar; with it (a warehouse no longer updated,
    like the demo's) it is fixed on those days.
    """
    if until is None:
        return f'DATEADD(DATETIME("today"), -{days - 1}, day) : DATEADD(DATETIME("today"), 1, day)'
    return f"{until - timedelta(days=days - 1)} : {until + timedelta(days=1)}"


def latest_day(duckdb_file: Path) -> date:
    """The last day (`local_date`) the warehouse has traffic for."""
    try:
        with duckdb.connect(str(duckdb_file), read_only=True) as con:
            row = con.execute("SELECT max(local_date) FROM daily_traffic").fetchone()
    except duckdb.Error as e:
        raise SupersetError(
            f"cannot read the last day of {str(duckdb_file)!r} ({str(e).splitlines()[0]}): "
            "run `golkepar build` first"
        ) from e
    if row is None or row[0] is None:
        raise SupersetError(f"{str(duckdb_file)!r} has no traffic: nothing to end the range on")
    day: date = row[0]
    return day


def _database(name: str, uri: str) -> dict[str, Any]:
    return {
        "database_name": name,
        "sqlalchemy_uri": uri,
        "cache_timeout": None,
        "expose_in_sqllab": True,
        "allow_run_async": False,
        "allow_ctas": False,
        "allow_cvas": False,
        "allow_dml": False,
        "allow_file_upload": False,
        "extra": {"allows_virtual_table_explore": True},
        "uuid": asset_uuid(name, "database", name),
        "version": EXPORT_VERSION,
    }


def _column(
    name: str, column_type: str, label: str | None, expression: str | None
) -> dict[str, Any]:
    return {
        "column_name": name,
        "verbose_name": label,
        "is_dttm": column_type.startswith(("TIMESTAMP", "DATE")),
        "is_active": True,
        "type": column_type,
        "advanced_data_type": None,
        "groupby": True,
        "filterable": True,
        "expression": expression,
        "description": None,
        "python_date_format": None,
        "extra": {},
    }


def _dataset(database_name: str, dataset: spec.Dataset) -> dict[str, Any]:
    columns = [
        _column(name, column_type, dataset.labels.get(name), None)
        for name, column_type in dataset.columns.items()
    ]
    columns += [_column(c.name, c.column_type, c.label, c.expression) for c in dataset.calculated]
    metrics: list[dict[str, Any]] = [
        {
            "metric_name": metric.name,
            "verbose_name": metric.label,
            "metric_type": None,
            "expression": metric.expression,
            "description": None,
            "d3format": metric.d3format,
            "extra": {},
            "warning_text": None,
        }
        for metric in dataset.metrics
    ]
    return {
        "table_name": dataset.table,
        "main_dttm_col": dataset.time_column,
        "description": dataset.description,
        "default_endpoint": None,
        "offset": 0,
        "cache_timeout": None,
        "schema": SCHEMA,
        "sql": dataset.sql,
        "params": None,
        "template_params": None,
        "filter_select_enabled": True,
        "fetch_values_predicate": None,
        "extra": None,
        "normalize_columns": False,
        "uuid": asset_uuid(database_name, "dataset", dataset.table),
        "metrics": metrics,
        "columns": columns,
        "version": EXPORT_VERSION,
        "database_uuid": asset_uuid(database_name, "database", database_name),
    }


def _chart(database_name: str, chart: spec.Chart, datasource_id: int) -> dict[str, Any]:
    dataset = spec.datasets()[chart.dataset]
    params = charts.form_data(chart, dataset, f"{datasource_id}__table")
    return {
        "slice_name": chart.title,
        "description": chart.description or None,
        "certified_by": None,
        "certification_details": None,
        "viz_type": charts.VIZ_TYPES[chart.kind],
        "params": params,
        # Superset stores the query context as JSON text, not as a nested document.
        "query_context": charts.query_context(chart, dataset, params),
        "cache_timeout": None,
        "uuid": asset_uuid(database_name, "chart", chart.key),
        "version": EXPORT_VERSION,
        "dataset_uuid": asset_uuid(database_name, "dataset", chart.dataset),
    }


# Heights in Superset's grid units (8 px): a table shows a page of rows, a number stays small.
CHART_HEIGHTS = {"big_number": 26, "table": 62}
GRID_WIDTH = 12


def intro_markdown() -> str:
    """The dashboard's first row: what the numbers cover and what the colours mean."""
    # Words, not coloured marks: Superset strips styles from Markdown.
    swatches = ", ".join(f"{c.label} {c.colour_name}" for c in VISITOR_CLASSES)
    return (
        "Every number and chart covers the days of the **Time range** filter (at first the "
        "last 28 days), counted in the site's own time zone, and the sites chosen in **Site**. "
        f"Visitors are classified from their behaviour; every chart colours them the same: "
        f"{swatches}. Tables page through all their rows; times marked UTC are UTC."
    )


def _position(database_name: str, board: spec.Dashboard) -> dict[str, Any]:
    """Superset's layout tree: ROOT > GRID > ROW > CHART, charts numbered from 1."""
    position: dict[str, Any] = {
        "DASHBOARD_VERSION_KEY": "v2",
        "ROOT_ID": {"type": "ROOT", "id": "ROOT_ID", "children": ["GRID_ID"]},
        "GRID_ID": {"type": "GRID", "id": "GRID_ID", "children": [], "parents": ["ROOT_ID"]},
        "HEADER_ID": {"type": "HEADER", "id": "HEADER_ID", "meta": {"text": board.title}},
    }
    # How to read the dashboard, above the charts: Superset 6.1 no longer shows chart
    # descriptions on the dashboard itself (only to screen readers and in each chart's menu).
    position["GRID_ID"]["children"].append("ROW-intro")
    position["ROW-intro"] = {
        "type": "ROW",
        "id": "ROW-intro",
        "children": ["MARKDOWN-intro"],
        "parents": ["ROOT_ID", "GRID_ID"],
        "meta": {"background": "BACKGROUND_TRANSPARENT"},
    }
    position["MARKDOWN-intro"] = {
        "type": "MARKDOWN",
        "id": "MARKDOWN-intro",
        "children": [],
        "parents": ["ROOT_ID", "GRID_ID", "ROW-intro"],
        "meta": {"width": GRID_WIDTH, "height": 12, "code": intro_markdown()},
    }
    chart_id = 0
    for row_number, row in enumerate(board.rows, start=1):
        row_id = f"ROW-{row_number}"
        position["GRID_ID"]["children"].append(row_id)
        position[row_id] = {
            "type": "ROW",
            "id": row_id,
            "children": [],
            "parents": ["ROOT_ID", "GRID_ID"],
            "meta": {"background": "BACKGROUND_TRANSPARENT"},
        }
        for chart in row:
            chart_id += 1
            node_id = f"CHART-{chart.key}"
            position[row_id]["children"].append(node_id)
            position[node_id] = {
                "type": "CHART",
                "id": node_id,
                "children": [],
                "parents": ["ROOT_ID", "GRID_ID", row_id],
                "meta": {
                    "width": chart.width,
                    "height": CHART_HEIGHTS.get(chart.kind, 50),
                    "chartId": chart_id,
                    "sliceName": chart.title,
                    "uuid": asset_uuid(database_name, "chart", chart.key),
                },
            }
    return position


def _out_of_scope(board: spec.Dashboard, applies: Any) -> list[int]:
    """Layout chart ids (from 1) of the charts a filter cannot apply to."""
    known = spec.datasets()
    return [
        number
        for number, chart in enumerate(board.charts, start=1)
        if not applies(known[chart.dataset])
    ]


def _site_filter(database_name: str, excluded: list[int]) -> dict[str, Any]:
    """The dashboard's Site filter: on a column every dataset has, so it narrows every chart."""
    return {
        "id": "NATIVE_FILTER-site",
        "name": "Site",
        "filterType": "filter_select",
        "type": "NATIVE_FILTER",
        "description": "Show one site, or a few, when the warehouse holds several.",
        "targets": [
            {
                "datasetUuid": asset_uuid(database_name, "dataset", SITE_FILTER_DATASET),
                "column": {"name": SITE_COLUMN},
            }
        ],
        "controlValues": {
            "enableEmptyFilter": False,
            "defaultToFirstItem": False,
            "multiSelect": True,
            "searchAllOptions": False,
            "inverseSelection": False,
        },
        "defaultDataMask": {"extraFormData": {}, "filterState": {}, "ownState": {}},
        "cascadeParentIds": [],
        "scope": {"rootPath": ["ROOT_ID"], "excluded": excluded},
        "tabsInScope": [],
    }


def _time_filter(time_range: str, excluded: list[int]) -> dict[str, Any]:
    """The dashboard's time range: every chart's time filter, on its dataset's time column."""
    return {
        "id": "NATIVE_FILTER-time-range",
        "name": "Time range",
        "filterType": "filter_time",
        "type": "NATIVE_FILTER",
        "description": "Days (in the site's time zone) every chart and number covers.",
        "targets": [{}],
        "controlValues": {"enableEmptyFilter": True},
        "defaultDataMask": {
            "extraFormData": {"time_range": time_range},
            "filterState": {"value": time_range},
            "ownState": {},
        },
        "cascadeParentIds": [],
        "scope": {"rootPath": ["ROOT_ID"], "excluded": excluded},
        "tabsInScope": [],
    }


def _dashboard(database_name: str, board: spec.Dashboard, time_range: str) -> dict[str, Any]:
    slug = re.sub(r"[^a-z0-9]+", "-", database_name.lower()).strip("-")
    # Chart descriptions shown under their titles (ids are the layout's chartId, from 1).
    expanded = {
        str(number): True
        for number, chart in enumerate(board.charts, start=1)
        if chart.kind != "big_number"
    }
    return {
        "dashboard_title": f"{board.title} ({database_name})",
        "description": None,
        "css": "",
        "slug": f"{slug}-traffic",
        "certified_by": None,
        "certification_details": None,
        "published": True,
        "uuid": asset_uuid(database_name, "dashboard", "traffic"),
        "position": _position(database_name, board),
        "metadata": {
            "color_scheme": "",
            "refresh_frequency": 0,
            "expanded_slices": expanded,
            "label_colors": labels.label_colours(),
            "timed_refresh_immune_slices": [],
            "cross_filters_enabled": True,
            "default_filters": "{}",
            "chart_configuration": {},
            "native_filter_configuration": [
                _time_filter(time_range, _out_of_scope(board, lambda d: d.time_column is not None)),
                _site_filter(
                    database_name, _out_of_scope(board, lambda d: SITE_COLUMN in d.columns)
                ),
            ],
        },
        "version": EXPORT_VERSION,
    }


def bundle_documents(
    duckdb_file: Path,
    database_name: str,
    generated_at: datetime,
    time_range: str | None = None,
) -> dict[str, dict[str, Any]]:
    """Every file of the bundle (path inside the ZIP's root folder -> YAML document)."""
    if not DATABASE_NAME_PATTERN.fullmatch(database_name):
        raise SupersetError(
            f"database name {database_name!r} is not valid: use letters, digits, spaces, "
            "'.', '_' or '-', starting with a letter or digit"
        )
    board = spec.dashboard()
    known = spec.datasets()
    documents: dict[str, dict[str, Any]] = {
        "metadata.yaml": {
            "version": EXPORT_VERSION,
            "type": "Dashboard",
            "timestamp": generated_at.astimezone(UTC).isoformat(),
        },
        f"databases/{database_name}.yaml": _database(database_name, sqlalchemy_uri(duckdb_file)),
    }
    for table, dataset in known.items():
        documents[f"datasets/{database_name}/{table}.yaml"] = _dataset(database_name, dataset)
    # Superset replaces the dataset ids in a chart with those it gives on import: number them
    # in file order meanwhile, as an export from a fresh Superset would.
    dataset_ids = {table: number for number, table in enumerate(known, start=1)}
    for chart in board.charts:
        documents[f"charts/{chart.key}.yaml"] = _chart(
            database_name, chart, dataset_ids[chart.dataset]
        )
    documents["dashboards/traffic.yaml"] = _dashboard(
        database_name, board, time_range or default_time_range()
    )
    return documents


def write_bundle(
    duckdb_file: Path,
    output: Path,
    database_name: str = "golkepar",
    generated_at: datetime | None = None,
    time_range: str | None = None,
) -> BundleResult:
    """Write the bundle for `duckdb_file` to `output` (a ZIP), atomically.

    `time_range` is the dashboard's default (Superset's syntax); `default_time_range()` if None.
    """
    generated_at = generated_at or datetime.now(UTC)
    documents = bundle_documents(duckdb_file, database_name, generated_at, time_range)
    root = f"golkepar_superset_{generated_at.astimezone(UTC):%Y%m%dT%H%M%S}"
    # Every entry carries the bundle's time, so the same inputs give the same bytes.
    stamp = generated_at.astimezone(UTC).timetuple()[:6]
    try:
        with atomic_path(output) as temp, zipfile.ZipFile(temp, "w", zipfile.ZIP_DEFLATED) as zf:
            for name, document in documents.items():
                text = yaml.safe_dump(document, sort_keys=False, allow_unicode=True)
                entry = zipfile.ZipInfo(f"{root}/{name}", stamp)
                entry.compress_type = zipfile.ZIP_DEFLATED
                zf.writestr(entry, text)
    except OSError as e:
        raise SupersetError(f"cannot write the Superset bundle {str(output)!r}: {e}") from e
    database = documents[f"databases/{database_name}.yaml"]
    log.info("wrote Superset bundle %s for %s", output, database["sqlalchemy_uri"])
    return BundleResult(
        path=output,
        sqlalchemy_uri=database["sqlalchemy_uri"],
        datasets=sum(name.startswith("datasets/") for name in documents),
        charts=sum(name.startswith("charts/") for name in documents),
    )
