"""The threads between ingest's stages: order kept, errors handed on, nothing left hanging."""

from __future__ import annotations

import threading
import time
from collections.abc import Iterator
from pathlib import Path

import polars as pl
import pytest

from golkepar.errors import IngestError
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


def test_a_write_error_is_raised_when_finishing_as_a_clear_ingest_error(tmp_path: Path) -> None:
    behind = WriteBehind(OutputWriter(tmp_path, "access/x.log", "x", 1))
    behind.write("hits", pl.DataFrame({"not_a_lake_column": [1]}))
    with pytest.raises(IngestError) as failed:
        behind.finish()
    message = str(failed.value)
    assert message.startswith("cannot write the hits rows of 'access/x.log' to the lake (")
    assert "ColumnNotFoundError" in message and "\n" not in message
    assert isinstance(failed.value.__cause__, pl.exceptions.ColumnNotFoundError)


def test_a_write_error_stops_the_next_write(tmp_path: Path) -> None:
    behind = WriteBehind(OutputWriter(tmp_path, "access/x.log", "x", 1))
    behind.write("hits", pl.DataFrame({"site": ["a"]}))
    deadline = time.monotonic() + 10
    with pytest.raises(IngestError, match="cannot write the hits rows"):
        while time.monotonic() < deadline:
            behind.write("rejects", pl.DataFrame({"site": ["a"]}))
            time.sleep(0.01)
    with pytest.raises(IngestError):
        behind.finish()
