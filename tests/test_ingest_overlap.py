"""The threads between ingest's stages: order kept, errors handed on, nothing left hanging."""

from __future__ import annotations

import threading
from collections.abc import Iterator
from pathlib import Path

import polars as pl
import pytest

from golkepar.ingest.lake import OutputWriter
from golkepar.ingest.overlap import WriteBehind, read_ahead


def test_items_arrive_in_order() -> None:
    assert list(read_ahead(iter(range(100)))) == list(range(100))


def test_an_error_in_the_reader_reaches_the_consumer() -> None:
    def failing() -> Iterator[int]:
        yield 1
        raise OSError("disk gone")

    with pytest.raises(OSError, match="disk gone"):
        list(read_ahead(failing()))


def test_a_consumer_that_stops_early_does_not_leave_the_reader_blocked() -> None:
    before = threading.active_count()
    for item in read_ahead(iter(range(10_000)), depth=1):
        if item == 3:
            break
    assert threading.active_count() == before


def test_a_write_error_is_raised_when_finishing(tmp_path: Path) -> None:
    behind = WriteBehind(OutputWriter(tmp_path, "x", 1))
    behind.write("hits", pl.DataFrame({"not_a_lake_column": [1]}))
    with pytest.raises(pl.exceptions.ColumnNotFoundError):
        behind.finish()
