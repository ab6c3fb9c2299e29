"""Threads that overlap one file's stages: reading ahead of the parser, writing behind it.

Decompression (ISA-L), Polars and Parquet encoding release the GIL, so a batch being read, one
being parsed and one being written keep both cores busy; the queues between them stay short so
memory does not grow with the file.
"""

from __future__ import annotations

import queue
import threading
from collections.abc import Iterator
from typing import TypeVar

import polars as pl

from golkepar.ingest.lake import OutputWriter

# Batches waiting between two stages: one keeps both cores busy; each more costs memory.
QUEUED_BATCHES = 1

T = TypeVar("T")


def read_ahead(items: Iterator[T], depth: int = QUEUED_BATCHES) -> Iterator[T]:
    """Run `items` in a thread (gzip and decoding overlap with parsing); errors are re-raised."""
    buffer: queue.Queue[tuple[bool, object]] = queue.Queue(maxsize=depth)
    stop = threading.Event()

    def produce() -> None:
        try:
            for item in items:
                if stop.is_set():
                    return
                buffer.put((True, item))
            buffer.put((False, None))
        except BaseException as e:  # handed to the consumer, which re-raises it
            buffer.put((False, e))

    worker = threading.Thread(target=produce, name="golkepar-reader", daemon=True)
    worker.start()
    try:
        while True:
            has_item, value = buffer.get()
            if not has_item:
                if isinstance(value, BaseException):
                    raise value
                return
            yield value  # type: ignore[misc]
    finally:
        stop.set()
        while worker.is_alive():  # unblock a producer waiting on a full queue
            try:
                buffer.get_nowait()
            except queue.Empty:
                worker.join(timeout=0.05)


class WriteBehind:
    """Writes Parquet in a thread of its own, so encoding a batch overlaps parsing the next.

    A write error is raised by the next `write` or by `finish`.
    """

    def __init__(self, writer: OutputWriter, depth: int = QUEUED_BATCHES) -> None:
        self._writer = writer
        self._pending: queue.Queue[tuple[str, pl.DataFrame] | None] = queue.Queue(maxsize=depth)
        self._failure: BaseException | None = None
        self._thread = threading.Thread(target=self._work, name="golkepar-writer", daemon=True)
        self._thread.start()

    def _work(self) -> None:
        while (item := self._pending.get()) is not None:
            if self._failure is None:
                try:
                    self._writer.write(*item)
                except BaseException as e:  # handed to the parsing thread, which re-raises it
                    self._failure = e

    def write(self, dataset: str, rows: pl.DataFrame) -> None:
        if self._failure is not None:
            raise self._failure
        self._pending.put((dataset, rows))

    def finish(self) -> None:
        self._pending.put(None)
        self._thread.join()
        if self._failure is not None:
            raise self._failure
