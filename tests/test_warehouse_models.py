"""The SQL models as files: their shape, what each layer may read, the order they run in."""

from __future__ import annotations

import re

import duckdb
import pytest

from golkepar.errors import BuildError
from golkepar.warehouse.lake import DATASETS, LAKE_COLUMNS
from golkepar.warehouse.models import (
    LAKE_VIEWS,
    LAYERS,
    REGISTERED_TABLES,
    Model,
    all_models,
    build_order,
    cte_names,
    references,
    table_aliases,
)

MODELS = all_models()
# What each layer may read, besides models of its own layer.
MAY_READ: dict[str, set[str]] = {
    "staging": set(LAKE_VIEWS),
    "intermediate": {"staging", "marts", *REGISTERED_TABLES},
    "marts": {"staging", "intermediate", *REGISTERED_TABLES},
    "compat": {"marts"},
}


def by_id(model: Model) -> str:
    return f"{model.layer}/{model.name}"


@pytest.mark.parametrize("model", MODELS, ids=by_id)
def test_every_model_ends_with_its_final_cte(model: Model) -> None:
    body = re.sub(r"--[^\n]*", "", model.sql).strip()
    assert re.search(r"\bfinal as \(", body), model.name
    assert body.endswith("select * from final"), model.name


@pytest.mark.parametrize("model", MODELS, ids=by_id)
def test_no_cte_takes_the_name_of_a_relation(model: Model) -> None:
    # A CTE named like a model would hide it: `with hits as (select * from hits)` reads itself.
    relations = {m.name for m in MODELS} | set(LAKE_VIEWS) | set(REGISTERED_TABLES)
    assert cte_names(model.sql) & relations == set()


@pytest.mark.parametrize("model", MODELS, ids=by_id)
def test_no_one_letter_aliases(model: Model) -> None:
    assert [alias for alias in table_aliases(model.sql) if len(alias) == 1] == []


@pytest.mark.parametrize("model", MODELS, ids=by_id)
def test_each_layer_reads_only_what_it_may(model: Model) -> None:
    layer_of = {m.name: m.layer for m in MODELS}
    allowed = MAY_READ[model.layer] | {model.layer}
    for read in model.reads:
        assert layer_of.get(read, read) in allowed, f"{model.name} reads {read}"


def test_every_model_runs_after_what_it_reads() -> None:
    done: set[str] = set(LAKE_VIEWS) | set(REGISTERED_TABLES)
    for model in MODELS:
        assert model.reads <= done, model.name
        done.add(model.name)
    assert {m.layer for m in MODELS} == set(LAYERS)


def test_references_leave_out_ctes_and_see_subqueries() -> None:
    sql = (
        "with pages as (select * from hits where is_page) "
        "select * from pages anti join (select 1 as x from security_events) as attacks on true "
        "where ip in (select ip from visitors)"
    )
    assert references(sql) == {"hits", "visitors", "security_events"}


def test_a_model_reading_an_unknown_relation_is_refused() -> None:
    models = {
        "visits": Model("marts", "visits", "with final as (select * from hitz) select * from final")
    }
    with pytest.raises(BuildError, match=r"'visits' reads unknown relations \['hitz'\]"):
        build_order(models)


def test_models_reading_each_other_in_a_cycle_are_refused() -> None:
    models = {
        "a_model": Model("marts", "a_model", "select * from b_model"),
        "b_model": Model("marts", "b_model", "select * from a_model"),
    }
    with pytest.raises(BuildError, match="cycle"):
        build_order(models)


@pytest.mark.parametrize("dataset", DATASETS)
def test_staging_gives_the_lake_contract_types_even_from_an_empty_lake(dataset: str) -> None:
    # The lake view of an empty dataset has untyped nulls: the types come from staging alone.
    staging = next(m for m in MODELS if m.layer == "staging" and m.reads == {f"lake_{dataset}"})
    columns = LAKE_COLUMNS[dataset]
    with duckdb.connect() as con:
        con.execute(
            f"CREATE VIEW lake_{dataset} AS SELECT "
            + ", ".join(f'NULL AS "{name}"' for name in columns)
            + " WHERE false"
        )
        con.execute(
            "CREATE TABLE contract ("
            + ", ".join(f'"{name}" {kind}' for name, kind in columns.items())
            + ")"
        )
        contract = dict(
            con.execute("SELECT column_name, column_type FROM (DESCRIBE contract)").fetchall()
        )
        staged = dict(
            con.execute(
                f"SELECT column_name, column_type FROM (DESCRIBE ({staging.sql}))"
            ).fetchall()
        )
    assert staged == contract
