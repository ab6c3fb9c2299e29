"""Reading log files as lines: every line exactly once, whatever its bytes."""

from __future__ import annotations

import gzip
from pathlib import Path

import pytest
from hypothesis import assume, given, settings
from hypothesis import strategies as st

from golkepar.errors import UnplacedFileError
from golkepar.ingest.source import FoundFile, describe_source, find_log_files, read_line_batches


def _decoded(raw: bytes) -> str:
    try:
        text = raw.decode("utf-8")
    except UnicodeDecodeError:
        text = raw.decode("latin-1")
    return text.removesuffix("\r")


def _read_all(path: Path, batch_bytes: int) -> list[tuple[int, str]]:
    numbered: list[tuple[int, str]] = []
    for batch in read_line_batches(path, batch_bytes=batch_bytes):
        lines = batch.lines.get_column("raw").to_list()
        numbered.extend(enumerate(lines, start=batch.first_line))
    return numbered


@pytest.mark.parametrize(
    "body",
    [
        b"a\nb\n",
        b"\nleading blank\n",
        b"middle\n\nblank\n",
        b"trailing blank\n\n",
        b"no final newline",
        b"windows\r\nline\r\nendings\r\n",
        b"caf\xe9 latin-1\nutf-8 caf\xc3\xa9\n",
        b"ok\ncaf\xe9\n\xc3\xa9 valid\n\xff\xfe\xfd three\n\n\xe9\nend \xef\xbf\xbd\n",
        "a real \ufffd stays\n".encode(),
        b"unit\x1fseparator\x1f inside\n",
        b"nul \x00 byte\n",
        b"",
    ],
)
@pytest.mark.parametrize("batch_bytes", [4, 1 << 20])
def test_every_line_once_in_order(tmp_path: Path, body: bytes, batch_bytes: int) -> None:
    path = tmp_path / "x.log"
    path.write_bytes(body)
    expected = [_decoded(raw) for raw in body.split(b"\n")]
    if body.endswith(b"\n") or not body:
        expected = expected[:-1]
    assert _read_all(path, batch_bytes) == list(enumerate(expected, start=1))


@settings(max_examples=60, deadline=None)
@given(
    lines=st.lists(st.binary(max_size=60).map(lambda b: b.replace(b"\n", b"")), max_size=40),
    batch_bytes=st.integers(min_value=1, max_value=300),
    compress=st.booleans(),
)
def test_any_bytes_any_batch_size(
    tmp_path_factory: pytest.TempPathFactory, lines: list[bytes], batch_bytes: int, compress: bool
) -> None:
    body = b"".join(line + b"\n" for line in lines)
    assume(compress or not body.startswith(b"\x1f\x8b"))  # plain text that looks like gzip
    path = tmp_path_factory.mktemp("logs") / "x.log"
    path.write_bytes(gzip.compress(body) if compress else body)
    assert _read_all(path, batch_bytes) == list(
        enumerate((_decoded(line) for line in lines), start=1)
    )


# Pieces of lines: ASCII, valid UTF-8 (2 to 4 bytes), U+FFFD itself, and bytes that are not
# UTF-8 (a Latin-1 letter, a cut sequence, a stray continuation byte).
_PIECES = st.sampled_from(
    [
        b"GET /",
        b" ",
        b"",
        b"caf\xc3\xa9",
        b"\xf0\x9f\x98\x80",
        "\ufffd".encode(),
        b"\xe9",
        b"\xc3",
        b"\x80",
    ]
)


@settings(max_examples=80, deadline=None)
@given(lines=st.lists(st.lists(_PIECES, max_size=8).map(b"".join), min_size=1, max_size=60))
def test_lines_that_are_not_utf8_among_many_that_are(
    tmp_path_factory: pytest.TempPathFactory, lines: list[bytes]
) -> None:
    body = b"".join(line + b"\n" for line in lines)
    path = tmp_path_factory.mktemp("logs") / "x.log"
    path.write_bytes(body)
    assert _read_all(path, 1 << 20) == list(enumerate((_decoded(line) for line in lines), start=1))


def test_hidden_files_state_and_temp_files_are_not_logs(tmp_path: Path) -> None:
    for name in ("a/x.log", "a/.fetch-state.json", "a/y.log.gz.part", ".hidden/z.log", "b.lock"):
        (tmp_path / name).parent.mkdir(parents=True, exist_ok=True)
        (tmp_path / name).write_text("x\n")
    found = find_log_files([tmp_path])
    assert [f.path.relative_to(tmp_path).as_posix() for f in found] == ["a/x.log"]


@pytest.mark.parametrize(
    ("relative", "site", "kind", "day", "live"),
    [
        (
            "example.com/access/2026/11/example.com-27-11-2026.log.gz",
            "example.com",
            "access",
            "2026-11-27",
            False,
        ),
        (
            "example.com/error/2026/11/example.com-27-11-2026.log.gz",
            "example.com",
            "error",
            "2026-11-27",
            False,
        ),
        (
            "example.com/live/example.com-28-11-2026.log",
            "example.com",
            "access",
            "2026-11-28",
            True,
        ),
        ("my-site.fr-01-02-2026.log", "my-site.fr", "access", "2026-02-01", False),
        ("access.log", None, "access", None, False),
        # Words in a site's name, or folders that are not golkepar's layout, say nothing.
        (
            "error-pages.fr/access/2026/11/error-pages.fr-27-11-2026.log.gz",
            "error-pages.fr",
            "access",
            "2026-11-27",
            False,
        ),
        (
            "live.fr/access/2026/11/live.fr-27-11-2026.log.gz",
            "live.fr",
            "access",
            "2026-11-27",
            False,
        ),
        ("error/x.com-27-11-2026.log", "x.com", "access", "2026-11-27", False),
        (
            "live/x.com/access/2026/11/x.com-27-11-2026.log.gz",
            "x.com",
            "access",
            "2026-11-27",
            False,
        ),
        ("backup/live/old/x.com-27-11-2026.log", "x.com", "access", "2026-11-27", False),
        # Apache's own error-log names.
        ("error.log", None, "error", None, False),
        ("old/www.example.com-error_log.1.gz", None, "error", None, False),
        ("terror.log", None, "access", None, False),
    ],
)
def test_what_a_path_says(
    tmp_path: Path, relative: str, site: str | None, kind: str, day: str | None, live: bool
) -> None:
    source = describe_source(
        FoundFile(tmp_path / relative, tmp_path, named=True), tmp_path, None, "fallback.example"
    )
    assert source.key == relative
    assert source.site == (site or "fallback.example")
    assert (source.kind, source.live) == (kind, live)
    assert (source.log_date.isoformat() if source.log_date else None) == day


@pytest.mark.parametrize("batch_bytes", [7, 1000, 1 << 20])
def test_endless_lines_are_cut_and_numbering_is_kept(tmp_path: Path, batch_bytes: int) -> None:
    path = tmp_path / "x.log"
    path.write_bytes(b"first\n" + b"y" * 5000 + b"\nthird\n" + b"z" * 3000)
    lines = _read_all(path, batch_bytes)
    for line_read in read_line_batches(path, batch_bytes=batch_bytes, max_line_bytes=100):
        assert all(len(line) <= 100 for line in line_read.lines.get_column("raw").to_list())
    cut = [
        (number, line)
        for batch in read_line_batches(path, batch_bytes=batch_bytes, max_line_bytes=100)
        for number, line in enumerate(
            batch.lines.get_column("raw").to_list(), start=batch.first_line
        )
    ]
    assert cut == [(1, "first"), (2, "y" * 100), (3, "third"), (4, "z" * 100)]
    assert [number for number, _ in lines] == [1, 2, 3, 4]


@pytest.mark.parametrize("kind_folder", ["live", "Error", "error"])
def test_folders_above_the_log_root_say_nothing(tmp_path: Path, kind_folder: str) -> None:
    root = tmp_path / kind_folder / "logs"
    archive = root / "x.com" / "access" / "2026" / "11" / "x.com-27-11-2026.log.gz"
    for log_root in (root, None):  # under LOG_PATH_BASE, or in a folder given on the command line
        source = describe_source(FoundFile(archive, root), log_root, None, None)
        assert (source.kind, source.live) == ("access", False)
    live = root / "x.com" / "live" / "x.com-28-11-2026.log"
    assert describe_source(FoundFile(live, root / "x.com"), root, None, None).live
    # A folder given below LOG_PATH_BASE still reads the layout from LOG_PATH_BASE.
    error = root / "x.com" / "error" / "2026" / "11" / "x.com-27-11-2026.log.gz"
    assert describe_source(FoundFile(error, error.parent), root, None, None).kind == "error"


@pytest.mark.parametrize(
    ("relative", "message"),
    [
        ("README.txt", "not named like a log"),
        ("x.com-31-02-2026.log.gz", "named for 31-02-2026, which is not a date"),
        ("x.com-00-13-2026.log", "named for 00-13-2026, which is not a date"),
    ],
)
def test_files_that_cannot_be_placed(tmp_path: Path, relative: str, message: str) -> None:
    with pytest.raises(UnplacedFileError, match=message):
        describe_source(FoundFile(tmp_path / relative, tmp_path), tmp_path, None, "x.com")


def test_a_file_without_a_site_cannot_be_placed(tmp_path: Path) -> None:
    with pytest.raises(UnplacedFileError, match=r"cannot tell which site 'access\.log'"):
        describe_source(FoundFile(tmp_path / "access.log", tmp_path), tmp_path, None, None)


def test_a_link_out_of_the_folder_is_not_followed(tmp_path: Path) -> None:
    secret = tmp_path / "secret.log"
    secret.write_text("root:x:0:0\n")
    root = tmp_path / "logs"
    root.mkdir()
    (root / "x.com-27-11-2026.log").symlink_to(secret)
    (root / "inside.com-27-11-2026.log").symlink_to(root / "x.com-27-11-2026.log")
    (found,) = [f for f in find_log_files([root]) if f.path.name.startswith("x.com")]
    with pytest.raises(UnplacedFileError, match=r"is a link to .*secret\.log.*, outside"):
        describe_source(found, root, None, None)


@pytest.mark.parametrize("body", [b"\n" * 100_000, b"x\n" * 30_000 + b"\n" * 70_001 + b"last"])
def test_batches_are_bounded_in_lines_whatever_the_content(tmp_path: Path, body: bytes) -> None:
    path = tmp_path / "bomb.log.gz"
    path.write_bytes(gzip.compress(body))
    batches = list(read_line_batches(path, max_batch_lines=1000))
    assert max(batch.lines.height for batch in batches) <= 1000
    numbers = [batch.first_line for batch in batches]
    heights = [batch.lines.height for batch in batches]
    assert numbers == [1 + sum(heights[:i]) for i in range(len(batches))]
    assert sum(heights) == body.count(b"\n") + (not body.endswith(b"\n"))


@settings(max_examples=40, deadline=None)
@given(
    lines=st.lists(st.binary(max_size=8).map(lambda b: b.replace(b"\n", b"")), max_size=60),
    max_lines=st.integers(min_value=1, max_value=7),
    batch_bytes=st.integers(min_value=1, max_value=80),
)
def test_any_line_cap_keeps_every_line_once(
    tmp_path_factory: pytest.TempPathFactory, lines: list[bytes], max_lines: int, batch_bytes: int
) -> None:
    path = tmp_path_factory.mktemp("logs") / "x.log.gz"
    path.write_bytes(gzip.compress(b"".join(line + b"\n" for line in lines)))
    numbered = [
        (number, line)
        for batch in read_line_batches(path, batch_bytes=batch_bytes, max_batch_lines=max_lines)
        for number, line in enumerate(batch.lines.get_column("raw").to_list(), batch.first_line)
    ]
    assert numbered == list(enumerate((_decoded(line) for line in lines), start=1))
