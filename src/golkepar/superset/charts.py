"""What Superset stores for a chart: its form data (`params`) and its saved query context.

The query context is what Superset's own front end would save for the chart; Superset uses it
to run the chart without a browser (the chart data API, reports, cache warm-up).
"""

from __future__ import annotations

import json
from typing import Any

from golkepar.superset.spec import Chart, Dataset

VIZ_TYPES = {
    "big_number": "big_number_total",
    "timeseries_line": "echarts_timeseries_line",
    "timeseries_bar": "echarts_timeseries_bar",
    "bar": "echarts_timeseries_bar",
    "pie": "pie",
    "table": "table",
    "heatmap": "heatmap_v2",
}
# Time series are drawn per day; "P1D" is Superset's name for that grain.
TIME_GRAIN = "P1D"
# Superset's time range meaning "everything": the dashboard's time range filter replaces it.
NO_TIME_FILTER = "No filter"
# Rows a table shows at a time; it pages through the rest and says how many there are.
TABLE_PAGE_LENGTH = 10
# A heat map's cells go from light to dark blue, the colour of humans, whose hits it counts.
HEATMAP_COLOURS = "schemeBlues"
# Days on a time axis, when a column does not say how to show its dates.
DAY_FORMAT = "%d %b"


def _adhoc_filters(chart: Chart, dataset: Dataset) -> list[dict[str, Any]]:
    # Every chart gets the time filter Superset's explore view adds: the dashboard's time
    # range filter sets its range, on the dataset's time column (the site's own day).
    filters: list[dict[str, Any]] = []
    if dataset.time_column is not None:
        filters.append(
            {
                "clause": "WHERE",
                "expressionType": "SIMPLE",
                "subject": dataset.time_column,
                "operator": "TEMPORAL_RANGE",
                "comparator": NO_TIME_FILTER,
            }
        )
    for f in chart.filters:
        filters.append(
            {
                "clause": "WHERE",
                "expressionType": "SIMPLE",
                "subject": f.column,
                "operator": f.operator,
                "comparator": f.value,
            }
        )
    return filters


def _y_format(chart: Chart, dataset: Dataset) -> str:
    """The axis format of the chart's one metric when it has one (bytes), else plain numbers."""
    formats = {m.d3format for m in dataset.metrics if m.name in chart.metrics}
    (single,) = formats if len(formats) == 1 else (None,)
    return single or "SMART_NUMBER"


def _time_format(chart: Chart, dataset: Dataset) -> str:
    """How the chart's axes show dates: its calculated column's format (weekdays), else days."""
    formats = [c.time_format for c in dataset.calculated if c.name in chart.groupby]
    return next((f for f in formats if f), DAY_FORMAT)


def form_data(chart: Chart, dataset: Dataset, datasource: str) -> dict[str, Any]:
    """The chart's `params`, as Superset's explore view would save them."""
    params: dict[str, Any] = {
        "datasource": datasource,
        "viz_type": VIZ_TYPES[chart.kind],
        "adhoc_filters": _adhoc_filters(chart, dataset),
        "time_range": NO_TIME_FILTER,
        "row_limit": chart.row_limit,
    }
    if chart.kind == "big_number":
        params |= {
            "metric": chart.metrics[0],
            "y_axis_format": "SMART_NUMBER",
            "subheader": "in the time range",
            "subtitle": "in the time range",
        }
    elif chart.kind.startswith("timeseries"):
        params |= {
            "x_axis": dataset.time_column,
            "time_grain_sqla": TIME_GRAIN,
            "metrics": list(chart.metrics),
            "groupby": list(chart.groupby),
            "order_desc": True,
            "show_legend": True,
            "legendType": "scroll",
            "legendOrientation": "top",
            "rich_tooltip": True,
            "x_axis_time_format": DAY_FORMAT,
            "y_axis_format": _y_format(chart, dataset),
            "truncateYAxis": False,
            # Stack bars split by a column (classes, kinds); side by side for separate metrics.
            "stack": "Stack" if chart.kind == "timeseries_bar" and chart.groupby else None,
        }
    elif chart.kind == "bar":
        params |= {
            "x_axis": chart.groupby[0],
            "metrics": list(chart.metrics),
            "groupby": list(chart.groupby[1:]),
            # A series column gives one bar per series: stacked, each keeps its full length.
            "stack": "Stack" if len(chart.groupby) > 1 else None,
            "orientation": "horizontal",
            "x_axis_sort": chart.metrics[0],
            # Horizontal bars are drawn bottom up: ascending puts the longest on top.
            "x_axis_sort_asc": True,
            "order_desc": True,
            "show_legend": False,
            "show_value": True,
            "y_axis_format": "SMART_NUMBER",
            "truncateYAxis": False,
        }
    elif chart.kind == "pie":
        params |= {
            "groupby": list(chart.groupby),
            "metric": chart.metrics[0],
            "sort_by_metric": True,
            "show_labels": True,
            "label_type": "key_percent",
            "show_legend": True,
        }
    elif chart.kind == "heatmap":
        x_axis, y_axis = chart.groupby
        params |= {
            "x_axis": x_axis,
            # The heat map's y axis is one column, not a list.
            "groupby": y_axis,
            "metric": chart.metrics[0],
            # Axes in their own order, x left to right; a y axis is drawn bottom up, so
            # descending puts its first value (Monday) on top.
            "sort_x_axis": "alpha_asc",
            "sort_y_axis": "alpha_desc",
            "normalize_across": "heatmap",
            "normalized": False,
            "legend_type": "continuous",
            "linear_color_scheme": HEATMAP_COLOURS,
            # The scale starts at 0: an empty cell is the lightest, not the quietest hour.
            "value_bounds": [0, None],
            "border_color": {"r": 255, "g": 255, "b": 255, "a": 1},
            "border_width": 1,
            # As many hour labels as fit (-1 is "Auto"), and every weekday (1 step apart).
            "xscale_interval": -1,
            "yscale_interval": 1,
            # Room for the longest weekday: "auto" cuts its first letter.
            "left_margin": 20,
            "bottom_margin": "auto",
            "y_axis_format": "SMART_NUMBER",
            # Applies to a date axis (either one): weekdays show as their names.
            "x_axis_time_format": _time_format(chart, dataset),
            "show_legend": True,
            "show_percentage": False,
            "show_values": False,
        }
    else:  # table
        params |= {
            "query_mode": "aggregate",
            "groupby": list(chart.groupby),
            "metrics": list(chart.metrics),
            "all_columns": [],
            "percent_metrics": [],
            "timeseries_limit_metric": chart.metrics[0],
            "order_desc": True,
            # Every row (up to row_limit, which Superset flags when reached), a page at a time,
            # with the number of rows in the search box: nothing silently cut.
            "server_pagination": False,
            "page_length": TABLE_PAGE_LENGTH,
            "show_totals": chart.totals,
            "include_search": True,
            "table_timestamp_format": "%Y-%m-%d %H:%M",
            # Cells are text: paths, referers and User-Agents come from whoever sent the request,
            # and Superset would otherwise draw what looks like HTML in them (its sanitiser
            # strips scripts, not images, links or layout).
            "allow_render_html": False,
        }
    return params


def _orderby(chart: Chart, params: dict[str, Any]) -> list[list[Any]]:
    """The query's order: a heat map's by its axes, as it sorts them; others' by the metric."""
    if chart.kind == "big_number":
        return []
    if chart.kind == "heatmap":
        return [
            [params["x_axis"], params["sort_x_axis"].endswith("asc")],
            [params["groupby"], params["sort_y_axis"].endswith("asc")],
        ]
    return [[chart.metrics[0], False]]


def _query(chart: Chart, dataset: Dataset, params: dict[str, Any]) -> dict[str, Any]:
    columns: list[Any] = list(chart.groupby)
    if chart.kind.startswith("timeseries") or chart.kind == "bar":
        axis = params["x_axis"]
        base_axis = {
            "timeGrain": TIME_GRAIN,
            "columnType": "BASE_AXIS",
            "sqlExpression": axis,
            "label": axis,
            "expressionType": "SQL",
        }
        columns = [base_axis, *params["groupby"]]
    elif chart.kind == "heatmap":
        # The x column is the base axis; it is not a time, so no grain applies to it.
        axis = params["x_axis"]
        base_axis = {
            "columnType": "BASE_AXIS",
            "sqlExpression": axis,
            "label": axis,
            "expressionType": "SQL",
            "isColumnReference": True,
        }
        columns = [base_axis, params["groupby"]]
    metrics = list(chart.metrics)
    query: dict[str, Any] = {
        "filters": [
            {"col": f["subject"], "op": f["operator"], "val": f["comparator"]}
            for f in params["adhoc_filters"]
        ],
        "extras": {"having": "", "where": ""},
        "applied_time_extras": {},
        "columns": columns,
        "metrics": metrics,
        "orderby": _orderby(chart, params),
        "annotation_layers": [],
        "row_limit": chart.row_limit,
        "series_limit": 0,
        "order_desc": True,
        "url_params": {},
        "custom_params": {},
        "custom_form_data": {},
    }
    if chart.kind == "heatmap":
        # Ranks cells for the normalised colouring Superset's heat map offers (off here).
        query["post_processing"] = [{"operation": "rank", "options": {"metric": metrics[0]}}]
    if chart.kind.startswith("timeseries") or chart.kind == "bar":
        query["extras"]["time_grain_sqla"] = TIME_GRAIN
        query["series_columns"] = list(params["groupby"])
        # One row per day (or bar) and one column per metric and group, as the chart draws it.
        query["post_processing"] = [
            {
                "operation": "pivot",
                "options": {
                    "index": [params["x_axis"]],
                    "columns": list(params["groupby"]),
                    "aggregates": {m: {"operator": "mean"} for m in metrics},
                    "drop_missing_columns": False,
                },
            },
            {"operation": "flatten"},
        ]
    return query


def query_context(chart: Chart, dataset: Dataset, params: dict[str, Any]) -> str:
    """The chart's saved query context for its form data `params`, as JSON text."""
    datasource_id = int(params["datasource"].split("__")[0])
    context = {
        "datasource": {"id": datasource_id, "type": "table"},
        "force": False,
        "queries": [_query(chart, dataset, params)],
        "form_data": params | {"force": False, "result_format": "json", "result_type": "full"},
        "result_format": "json",
        "result_type": "full",
    }
    return json.dumps(context)
