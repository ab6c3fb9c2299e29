"""The warehouse's data tests: `sql/tests/<name>.sql` files that return the rows breaking a rule.

Every build runs them on the new database before it replaces the old one, and the test suite
runs the same files, so keys, nulls, accepted values and relationships are checked on real data,
not only on crafted traffic. A test that returns no row passes.
"""

from __future__ import annotations

import logging
import time
from dataclasses import dataclass
from typing import Any

import duckdb

from golkepar.warehouse.models import parameters_of, sql_folder

log = logging.getLogger(__name__)

# How many offending rows a failure quotes.
QUOTED_ROWS = 3


@dataclass(frozen=True)
class DataTest:
    name: str
    sql: str


@dataclass(frozen=True)
class DataTestFailure:
    """A data test that found rows breaking its rule."""

    test: str
    offending_rows: int
    examples: tuple[tuple[Any, ...], ...]

    def __str__(self) -> str:
        quoted = "; ".join(repr(row) for row in self.examples)
        return f"data test {self.test!r} found {self.offending_rows} offending rows, e.g. {quoted}"


def data_tests() -> tuple[DataTest, ...]:
    """Every data test shipped in the package, by name."""
    files = sorted(sql_folder().joinpath("tests").iterdir(), key=lambda f: f.name)
    return tuple(
        DataTest(file.name.removesuffix(".sql"), file.read_text(encoding="utf-8"))
        for file in files
        if file.name.endswith(".sql")
    )


def run_data_test(
    con: duckdb.DuckDBPyConnection, test: DataTest, parameters: dict[str, Any]
) -> DataTestFailure | None:
    """Run one data test; None when it found nothing."""
    relation = f"({test.sql})"
    names = {name: parameters[name] for name in parameters_of(test.sql)}
    started = time.monotonic()
    count = con.execute(f"SELECT count(*) FROM {relation}", names).fetchall()[0][0]
    log.debug("data test %s in %.2f s", test.name, time.monotonic() - started)
    if not count:
        return None
    examples = con.execute(f"SELECT * FROM {relation} LIMIT {QUOTED_ROWS}", names).fetchall()
    return DataTestFailure(test.name, int(count), tuple(examples))


def run_data_tests(
    con: duckdb.DuckDBPyConnection, parameters: dict[str, Any]
) -> tuple[DataTestFailure, ...]:
    """Every data test's failure, in name order; empty when the warehouse passes them all."""
    failures = (run_data_test(con, test, parameters) for test in data_tests())
    return tuple(failure for failure in failures if failure is not None)
