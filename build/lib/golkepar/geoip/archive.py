"""Take a database out of a downloaded `.gz` or `.tar.gz`, never writing more than a size cap.

A hostile or broken archive (a "zip bomb", a truncated file) fails with a `GeoipError` instead of
filling the disk.
"""

from __future__ import annotations

import gzip
import tarfile
import zlib
from pathlib import Path
from typing import Protocol

from golkepar._files import CHUNK_BYTES
from golkepar.errors import GeoipError

# A MaxMind archive holds a handful of files (the database, a licence, a readme).
MAX_TAR_MEMBERS = 100


class _Readable(Protocol):
    def read(self, size: int, /) -> bytes: ...


def _copy_capped(source: _Readable, target: Path, max_bytes: int, what: str) -> int:
    written = 0
    with open(target, "wb") as out:
        while chunk := source.read(CHUNK_BYTES):
            written += len(chunk)
            if written > max_bytes:
                raise GeoipError(
                    f"{what} is bigger than the {max_bytes:,} byte cap once unpacked: refusing it"
                )
            out.write(chunk)
    return written


def gunzip(archive: Path, target: Path, max_bytes: int) -> int:
    """Decompress a `.gz` file into `target`; return the bytes written."""
    try:
        with gzip.open(archive, "rb") as source:
            return _copy_capped(source, target, max_bytes, "the gzip file")
    except (EOFError, zlib.error, gzip.BadGzipFile) as e:
        raise GeoipError(f"the gzip file is corrupt or cut short ({e or type(e).__name__})") from e


def untar_member(archive: Path, target: Path, member: str, max_bytes: int) -> int:
    """Copy the tar.gz member whose base name is `member` into `target`; return its size.

    Only the member's content is read: its path inside the archive is never used on disk. The
    rest of the archive is read too (without keeping it), so that damage anywhere in it shows
    as a corrupt archive rather than as a missing file.
    """
    seen: list[str] = []
    size: int | None = None
    try:
        with tarfile.open(archive, "r:gz") as tar:
            for info in tar:
                if len(seen) >= MAX_TAR_MEMBERS:
                    break
                seen.append(info.name)
                if size is None and Path(info.name).name == member:
                    size = _copy_member(tar, info, target, max_bytes)
            if tar.fileobj is not None:
                _drain(tar.fileobj, max_bytes)
    except (tarfile.TarError, EOFError, zlib.error, gzip.BadGzipFile) as e:
        raise GeoipError(
            f"the tar.gz archive is corrupt or cut short ({e or type(e).__name__})"
        ) from e
    if size is None:
        listed = ", ".join(repr(name) for name in seen[:5]) or "nothing"
        raise GeoipError(f"the archive holds no {member!r} (it holds {listed})")
    return size


def _copy_member(tar: tarfile.TarFile, info: tarfile.TarInfo, target: Path, max_bytes: int) -> int:
    if not info.isfile():
        raise GeoipError(f"{info.name!r} in the archive is not a regular file")
    if info.size > max_bytes:
        raise GeoipError(
            f"{info.name!r} is {info.size:,} bytes, over the {max_bytes:,} byte cap: refusing it"
        )
    source = tar.extractfile(info)
    if source is None:
        raise GeoipError(f"{info.name!r} in the archive cannot be read")
    with source:
        return _copy_capped(source, target, max_bytes, repr(info.name))


def _drain(source: _Readable, max_bytes: int) -> None:
    """Read `source` to its end (checking the gzip CRC), but no further than `max_bytes`."""
    read = 0
    while chunk := source.read(CHUNK_BYTES):
        read += len(chunk)
        if read > max_bytes:
            raise GeoipError(f"the archive is bigger than the {max_bytes:,} byte cap: refusing it")
