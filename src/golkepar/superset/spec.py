"""The datasets and the dashboard golkepar ships for Superset, read from the YAML package data."""

from __future__ import annotations

from dataclasses import dataclass, field
from functools import cache
from importlib import resources
from typing import Any

import yaml

from golkepar.errors import SupersetError
from golkepar.superset.labels import CALCULATED

# Chart kinds golkepar knows how to describe to Superset (see `golkepar.superset.charts`).
CHART_KINDS = (
    "big_number",
    "timeseries_line",
    "timeseries_bar",
    "bar",
    "pie",
    "table",
    "heatmap",
)
# Superset lays a dashboard row out on a grid twelve columns wide.
GRID_COLUMNS = 12
# Rows a chart may fetch: tables page through all of them, so this is only a safety cap.
DEFAULT_ROW_LIMIT = 10_000


@dataclass(frozen=True)
class Metric:
    """A saved metric of a dataset: a name charts use, a label, an SQL aggregate."""

    name: str
    label: str
    expression: str
    d3format: str | None = None


@dataclass(frozen=True)
class Calculated:
    """A calculated column: the warehouse's codes in words (see golkepar.superset.labels)."""

    name: str
    label: str
    expression: str
    column_type: str = "VARCHAR"
    time_format: str | None = None  # how a chart's axis shows a date of this column


@dataclass(frozen=True)
class Dataset:
    """A warehouse table as a Superset dataset, or a query on the warehouse (`sql`)."""

    table: str  # the warehouse table, or the name of the query's dataset
    description: str
    time_column: str | None  # None: the dashboard's time range does not apply
    columns: dict[str, str]  # name -> DuckDB type, in table order
    metrics: tuple[Metric, ...]
    labels: dict[str, str] = field(default_factory=dict)  # column -> header in words
    calculated: tuple[Calculated, ...] = ()
    sql: str | None = None  # a virtual dataset's query (Superset runs it as a subquery)

    @property
    def column_names(self) -> set[str]:
        """Every column a chart may use: the table's and the calculated ones."""
        return set(self.columns) | {c.name for c in self.calculated}


@dataclass(frozen=True)
class Filter:
    """A simple chart filter: `column operator value` (value is None for IS NULL, IS TRUE...)."""

    column: str
    operator: str
    value: str | int | None


@dataclass(frozen=True)
class Chart:
    """One chart of the dashboard."""

    key: str
    title: str
    description: str
    dataset: str
    kind: str
    metrics: tuple[str, ...]
    groupby: tuple[str, ...]
    filters: tuple[Filter, ...]
    row_limit: int
    width: int
    totals: bool = False


@dataclass(frozen=True)
class Dashboard:
    """The dashboard: a title and rows of charts, top to bottom."""

    title: str
    rows: tuple[tuple[Chart, ...], ...]

    @property
    def charts(self) -> tuple[Chart, ...]:
        return tuple(chart for row in self.rows for chart in row)


def _asset_text(*parts: str) -> str:
    return resources.files("golkepar.superset").joinpath("assets", *parts).read_text("utf-8")


def _load(name: str) -> Any:
    return yaml.safe_load(_asset_text(name))


@cache
def datasets() -> dict[str, Dataset]:
    """The datasets, by table name, in file order."""
    found: dict[str, Dataset] = {}
    for table, raw in _load("datasets.yaml").items():
        metrics = tuple(
            Metric(name, m["label"], m["expression"], m.get("d3format"))
            for name, m in raw["metrics"].items()
        )
        calculated = []
        for name, (label, expression) in raw.get("calculated", {}).items():
            if expression not in CALCULATED:
                raise SupersetError(f"datasets.yaml: {table}.{name}: no expression {expression!r}")
            column = CALCULATED[expression]
            calculated.append(
                Calculated(name, label, column.build(), column.column_type, column.time_format)
            )
        query = raw.get("sql")
        found[table] = Dataset(
            table,
            raw["description"],
            raw["time_column"],
            dict(raw["columns"]),
            metrics,
            dict(raw.get("labels", {})),
            tuple(calculated),
            _asset_text("sql", query) if query else None,
        )
    return found


def _chart(raw: dict[str, Any]) -> Chart:
    return Chart(
        key=raw["key"],
        title=raw["title"],
        description=raw.get("description", ""),
        dataset=raw["dataset"],
        kind=raw["kind"],
        metrics=tuple(raw["metrics"]),
        groupby=tuple(raw.get("groupby", ())),
        filters=tuple(Filter(*f) for f in raw.get("filters", ())),
        row_limit=int(raw.get("row_limit", DEFAULT_ROW_LIMIT)),
        width=int(raw["width"]),
        totals=bool(raw.get("totals", False)),
    )


@cache
def dashboard() -> Dashboard:
    """The dashboard, checked against the datasets so a bad edit fails here, not in Superset."""
    raw = _load("dashboard.yaml")
    board = Dashboard(raw["title"], tuple(tuple(_chart(c) for c in row) for row in raw["rows"]))
    _check(board, datasets())
    return board


def _check(board: Dashboard, known: dict[str, Dataset]) -> None:
    keys = [chart.key for chart in board.charts]
    if len(set(keys)) != len(keys):
        raise SupersetError(f"dashboard.yaml: chart keys repeat: {keys!r}")
    for row in board.rows:
        if sum(chart.width for chart in row) > GRID_COLUMNS:
            raise SupersetError(f"dashboard.yaml: row {[c.key for c in row]!r} is over 12 wide")
    for chart in board.charts:
        if chart.kind not in CHART_KINDS:
            raise SupersetError(f"dashboard.yaml: {chart.key}: unknown kind {chart.kind!r}")
        dataset = known.get(chart.dataset)
        if dataset is None:
            raise SupersetError(f"dashboard.yaml: {chart.key}: no dataset {chart.dataset!r}")
        metric_names = {m.name for m in dataset.metrics}
        for metric in chart.metrics:
            if metric not in metric_names:
                raise SupersetError(f"dashboard.yaml: {chart.key}: no metric {metric!r}")
        for column in (*chart.groupby, *(f.column for f in chart.filters)):
            if column not in dataset.column_names:
                raise SupersetError(f"dashboard.yaml: {chart.key}: no column {column!r}")
        if chart.kind == "bar" and len(chart.groupby) not in (1, 2):
            raise SupersetError(f"dashboard.yaml: {chart.key}: a bar chart has 1 or 2 groupby")
        if chart.kind == "heatmap" and (len(chart.groupby), len(chart.metrics)) != (2, 1):
            raise SupersetError(
                f"dashboard.yaml: {chart.key}: a heat map has 2 groupby (x, y) and 1 metric"
            )
        if chart.kind.startswith("timeseries") and dataset.time_column is None:
            raise SupersetError(f"dashboard.yaml: {chart.key}: {dataset.table} has no time")
        if chart.kind.startswith("timeseries") and len(chart.groupby) > 1:
            raise SupersetError(f"dashboard.yaml: {chart.key}: a time series has one groupby")
