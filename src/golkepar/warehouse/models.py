"""The warehouse's SQL models: one `.sql` file each, found by folder, run in the order they read.

A model's folder says how its result is kept: `staging/` views and `intermediate/` tables are
temporary (not saved in the file), `marts/` are the warehouse's tables and `compat/` the seed
project's names as views. The build order comes from the relations each model's SQL reads, as
DuckDB's own parser sees them, so adding a model is adding a file.
"""

from __future__ import annotations

import graphlib
import json
import re
from collections.abc import Iterator
from dataclasses import dataclass
from functools import cache
from importlib import resources
from importlib.resources.abc import Traversable
from typing import Any

import duckdb

from golkepar.errors import BuildError

# Folder -> how its models are kept, in the order the layers may read each other.
LAYERS: dict[str, str] = {
    "staging": "temp view",
    "intermediate": "temp table",
    "marts": "table",
    "compat": "view",
}
PUBLIC_MATERIALIZATIONS = ("table", "view")

# Relations Python creates before the models run: the lake's files, and tables made from data
# kept in Python (the crawler ranges, the security patterns, the bot list).
LAKE_VIEWS = ("lake_hits", "lake_errors", "lake_rejects", "lake_site_vhosts")
REGISTERED_TABLES = (
    "search_bot_claims",
    "security_pattern_source",
    "referer_sources",
    "known_bot_source",
    "bot_category_source",
    "lake_file_source",
    "visitor_history",
)
# Macros kept in the warehouse: `functions/` (scalar, created before the models, which may use
# them) and `macros/` (table macros over the marts, created after them).
MACRO_FOLDERS = ("functions", "macros")

_PARAMETER = re.compile(r"\$([a-z_][a-z0-9_]*)")
# A mart computed when read rather than stored, like dbt's `config(materialized='view')`.
_MATERIALIZED = re.compile(r"-- materialized: (view)\n")
# A mart an incremental build updates in part (docs/warehouse.md, "Incremental builds"): the rows
# of the visitors whose hits changed (`from <column>`: of a returning visitor, only the rows
# from their last visit on), of the source files that changed, or of the days whose hits or
# visits changed. Other marts are computed again from the merged tables.
SCOPES = ("visitor", "source", "day")
_INCREMENTAL = re.compile(
    rf"^-- incremental: per ({'|'.join(SCOPES)})(?: from (\w+))?$", re.MULTILINE
)


def parameters_of(sql: str) -> frozenset[str]:
    """The `$names` a query binds."""
    return frozenset(_PARAMETER.findall(sql))


@dataclass(frozen=True)
class Model:
    """One SQL file, `sql/<layer>/<name>.sql`, and what it reads."""

    layer: str
    name: str
    sql: str

    @property
    def materialized(self) -> str:
        """The layer's way, unless the file's first line says `-- materialized: view`."""
        declared = _MATERIALIZED.match(self.sql)
        return declared.group(1) if declared else LAYERS[self.layer]

    @property
    def is_public(self) -> bool:
        return self.materialized in PUBLIC_MATERIALIZATIONS

    @property
    def scope(self) -> str | None:
        """What an incremental build recomputes this mart by: `visitor`, `source` or None."""
        declared = _INCREMENTAL.search(self.sql)
        return declared.group(1) if declared else None

    @property
    def recomputed_from(self) -> str | None:
        """The time column from which a returning visitor's rows are recomputed, if any."""
        declared = _INCREMENTAL.search(self.sql)
        return declared.group(2) if declared else None

    @property
    def parameters(self) -> frozenset[str]:
        """The `$names` the model binds."""
        return parameters_of(self.sql)

    @property
    def reads(self) -> frozenset[str]:
        """The tables and views the model reads (its own CTEs left out)."""
        return references(self.sql)


def sql_folder() -> Traversable:
    return resources.files("golkepar.warehouse").joinpath("sql")


@cache
def all_models() -> tuple[Model, ...]:
    """Every model shipped in the package, in build order."""
    found = {
        file.name.removesuffix(".sql"): Model(
            layer, file.name.removesuffix(".sql"), file.read_text(encoding="utf-8")
        )
        for layer in LAYERS
        for file in sorted(sql_folder().joinpath(layer).iterdir(), key=lambda f: f.name)
        if file.name.endswith(".sql")
    }
    return tuple(found[name] for name in build_order(found))


@dataclass(frozen=True)
class IncrementalPhases:
    """The models in the three steps of an incremental build, each in build order.

    `before`: marts that read none of the recomputed part (say the site's hosts); `scoped`: the
    models computed on the changed visitors' hits and the changed sources' lines only (the
    intermediate models and the marts recomputed per visitor or per source), merged into the
    previous tables next; `after`: the marts computed again from the merged tables, for the
    changed days only when they say `per day` (daily traffic), else whole (bots...).
    """

    before: tuple[Model, ...]
    scoped: tuple[Model, ...]
    after: tuple[Model, ...]


@cache
def incremental_phases() -> IncrementalPhases:
    """Split the non-staging models into the steps of an incremental build; a scoped model that
    reads a mart computed after the merge is a BuildError (the SQL shipped is wrong)."""
    models = [m for m in all_models() if m.layer != "staging"]
    scoped = {
        m.name for m in models if m.scope in ("visitor", "source") or m.layer == "intermediate"
    }
    downstream: set[str] = set(scoped)
    for model in models:  # in build order: what a model reads is already classified
        if model.reads & downstream:
            downstream.add(model.name)
    before = tuple(m for m in models if m.name not in downstream)
    after = tuple(m for m in models if m.name in downstream - scoped)
    for model in models:
        if model.name in scoped and model.reads & {m.name for m in after}:
            raise BuildError(
                f"model {model.name!r} is recomputed in part but reads "
                f"{sorted(model.reads & {m.name for m in after})}, computed after the merge"
            )
    return IncrementalPhases(
        before=before,
        scoped=tuple(m for m in models if m.name in scoped),
        after=after,
    )


def macros(folder: str) -> tuple[tuple[str, str], ...]:
    """(name, CREATE MACRO statement) of each file in `sql/<folder>/`, by name."""
    files = sorted(sql_folder().joinpath(folder).iterdir(), key=lambda f: f.name)
    return tuple(
        (file.name.removesuffix(".sql"), file.read_text(encoding="utf-8"))
        for file in files
        if file.name.endswith(".sql")
    )


def build_order(models: dict[str, Model]) -> tuple[str, ...]:
    """Model names so that each comes after every model it reads; a cycle or an unknown
    relation is a BuildError (the SQL shipped is wrong)."""
    known = set(models) | set(LAKE_VIEWS) | set(REGISTERED_TABLES)
    graph: dict[str, set[str]] = {}
    for name, model in models.items():
        unknown = model.reads - known
        if unknown:
            raise BuildError(f"model {name!r} reads unknown relations {sorted(unknown)}")
        graph[name] = {read for read in model.reads if read in models}
    # Layers first, then names: the same SQL always builds in the same order.
    rank = {layer: index for index, layer in enumerate(LAYERS)}
    sorter = graphlib.TopologicalSorter(graph)
    try:
        sorter.prepare()
    except graphlib.CycleError as e:
        raise BuildError(f"models read each other in a cycle: {e.args[1]}") from e
    order: list[str] = []
    while sorter.is_active():
        ready = sorted(sorter.get_ready(), key=lambda n: (rank[models[n].layer], n))
        order.extend(ready)
        sorter.done(*ready)
    return tuple(order)


def references(sql: str) -> frozenset[str]:
    """The relations a SELECT reads, by DuckDB's parser, without its CTEs' names."""
    tree = _parse(sql)
    tables: set[str] = set()
    ctes: set[str] = set()
    for node in _nodes(tree):
        if node.get("type") == "BASE_TABLE":
            tables.add(str(node["table_name"]))
        cte_map = node.get("cte_map")
        if isinstance(cte_map, dict):
            ctes.update(str(entry["key"]) for entry in cte_map.get("map", []))
    return frozenset(tables - ctes)


def cte_names(sql: str) -> frozenset[str]:
    """The names of every CTE a SELECT defines, at any depth."""
    names: set[str] = set()
    for node in _nodes(_parse(sql)):
        cte_map = node.get("cte_map")
        if isinstance(cte_map, dict):
            names.update(str(entry["key"]) for entry in cte_map.get("map", []))
    return frozenset(names)


def table_aliases(sql: str) -> frozenset[str]:
    """The aliases given to tables, CTEs and subqueries in a SELECT."""
    return frozenset(
        str(node["alias"])
        for node in _nodes(_parse(sql))
        if node.get("type") in ("BASE_TABLE", "SUBQUERY") and node.get("alias")
    )


def _parse(sql: str) -> dict[str, Any]:
    with duckdb.connect() as con:
        row = con.execute("SELECT json_serialize_sql(?)", [sql]).fetchall()[0]
    tree: dict[str, Any] = json.loads(row[0])
    if tree.get("error"):
        raise BuildError(f"cannot parse a model: {tree.get('error_message')}")
    return tree


def _nodes(tree: Any) -> Iterator[dict[str, Any]]:
    """Every JSON object in a parse tree."""
    if isinstance(tree, dict):
        yield tree
        for value in tree.values():
            yield from _nodes(value)
    elif isinstance(tree, list):
        for item in tree:
            yield from _nodes(item)
