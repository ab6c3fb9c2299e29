"""Enrichment tables: every key of a batch is answered, even when the table starts over."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import polars as pl
import pytest

from golkepar.errors import IngestError
from golkepar.ingest.enrich import (
    _FactsByKey,
    _KnownValues,
    anonymize_ip,
    load_or_create_salt,
    visitor_key,
)


def _lengths(new: pl.DataFrame) -> dict[str, list[Any]]:
    return {"length": [len(ua) for ua in new["user_agent"].to_list()]}


@pytest.mark.parametrize(("max_rows", "max_bytes"), [(5, 1 << 30), (1000, 200), (1000, 1 << 30)])
def test_every_key_of_every_batch_is_answered(max_rows: int, max_bytes: int) -> None:
    known = _KnownValues(
        ["user_agent"], {"user_agent": pl.String, "length": pl.Int64}, _lengths, max_rows, max_bytes
    )
    for batch in range(6):
        agents = [f"agent-{(batch * 3 + i) % 11}" * (i + 1) for i in range(4)]
        table = known.for_batch(pl.DataFrame({"user_agent": agents}))
        answers = dict(zip(table["user_agent"].to_list(), table["length"].to_list(), strict=True))
        assert all(answers[a] == len(a) for a in agents)
        assert table.height <= max(max_rows, len(agents))


@pytest.mark.parametrize(("max_entries", "max_bytes"), [(3, 1 << 30), (1000, 40), (1000, 1 << 30)])
def test_every_key_gets_its_facts_even_when_the_dictionary_starts_over(
    max_entries: int, max_bytes: int
) -> None:
    asked: list[str | None] = []

    def lengths(keys: list[str | None]) -> list[tuple[Any, ...]]:
        asked.extend(keys)
        return [(len(key) if key is not None else -1,) for key in keys]

    facts = _FactsByKey(lengths, max_entries, max_bytes)
    for batch in range(6):
        keys = [f"key-{(batch * 3 + i) % 7}" * (i + 1) for i in range(4)] + [None, "key-0"]
        assert facts.facts(keys) == [(len(k) if k is not None else -1,) for k in keys]
    if max_entries == 1000 and max_bytes == 1 << 30:  # never full: each key worked out once
        assert len(asked) == len(set(asked))


def test_visitor_key_is_stable_keyed_and_short() -> None:
    one = visitor_key(b"a" * 32, "203.0.113.9", "Firefox")
    assert one == visitor_key(b"a" * 32, "203.0.113.9", "Firefox")
    assert one != visitor_key(b"b" * 32, "203.0.113.9", "Firefox")
    assert one != visitor_key(b"a" * 32, "203.0.113.9", "Chrome")
    # No User-Agent, whether logged as "-" (null) or "", is the same visitor for one IP.
    assert visitor_key(b"a" * 32, "203.0.113.9", None) == visitor_key(b"a" * 32, "203.0.113.9", "")
    assert len(one) == 32


@pytest.mark.parametrize(
    ("ip", "stored"),
    [
        ("203.0.113.9", "203.0.113.0"),
        ("2a01:cb00:1234:5678::9", "2a01:cb00:1234::"),
        ("not-an-ip", "not-an-ip"),
        (None, None),
    ],
)
def test_anonymised_addresses(ip: str | None, stored: str | None) -> None:
    assert anonymize_ip(ip) == stored


def test_the_salt_is_made_once_and_a_damaged_one_is_never_replaced(tmp_path: Path) -> None:
    salt = load_or_create_salt(tmp_path / "lake")
    assert len(salt) == 32
    assert load_or_create_salt(tmp_path / "lake") == salt
    (tmp_path / "lake" / "_salt").write_text("not hex at all\n")
    with pytest.raises(IngestError, match="_salt' is damaged: restore it from a backup"):
        load_or_create_salt(tmp_path / "lake")
    assert (tmp_path / "lake" / "_salt").read_text() == "not hex at all\n"
