"""Atomic file writing: write beside the target, fsync, then rename into place.

A reader never sees a half-written file, and a failure leaves the previous file untouched.
"""

from __future__ import annotations

import contextlib
import fcntl
import os
import re
import shutil
import stat
import tempfile
from collections.abc import Iterator
from pathlib import Path

TEMP_SUFFIX = ".part"
# What tempfile.mkstemp puts between prefix and suffix (8 characters of this alphabet).
_MKSTEMP_RANDOM = r"[a-z0-9_]+"
# What every gzip file starts with: gzip is recognised by content, never by name.
GZIP_MAGIC = b"\x1f\x8b"
# Files are copied, hashed and checked by pieces of this size, so memory stays flat.
CHUNK_BYTES = 1 << 20


def fsync_dir(folder: Path) -> None:
    """Make a rename inside `folder` durable (a no-op where directories cannot be opened)."""
    try:
        fd = os.open(folder, os.O_RDONLY)
    except OSError:
        return
    try:
        os.fsync(fd)
    finally:
        os.close(fd)


def temp_path_for(target: Path) -> Path:
    """A unique temporary name in the target's folder (same file system, so rename is atomic)."""
    target.parent.mkdir(parents=True, exist_ok=True)
    fd, name = tempfile.mkstemp(prefix=f".{target.name}.", suffix=TEMP_SUFFIX, dir=target.parent)
    os.close(fd)
    return Path(name)


@contextlib.contextmanager
def atomic_path(target: Path) -> Iterator[Path]:
    """Yield a temporary path to write; on success it is fsynced and renamed over `target`."""
    temp = temp_path_for(target)
    try:
        yield temp
        with open(temp, "rb+") as written:
            os.fsync(written.fileno())
        os.replace(temp, target)
        fsync_dir(target.parent)
    finally:
        temp.unlink(missing_ok=True)


def atomic_write_bytes(target: Path, content: bytes) -> None:
    """Replace `target` with `content`, atomically."""
    with atomic_path(target) as temp:
        temp.write_bytes(content)


def atomic_write_text(target: Path, content: str) -> None:
    """Replace `target` with `content` (UTF-8), atomically."""
    atomic_write_bytes(target, content.encode("utf-8"))


def remove_stale_temp_files(folder: Path) -> int:
    """Delete temporary files left in `folder` (recursively) by a run that was killed."""
    if not folder.is_dir():
        return 0
    removed = 0
    for stale in folder.rglob(f".*{TEMP_SUFFIX}"):
        if stale.is_file():
            stale.unlink(missing_ok=True)
            removed += 1
    return removed


def replaceable_file(path: Path, setting: str) -> Path:
    """The regular file `path` names (following a symbolic link to its target), or a path where
    none exists yet: what golkepar may replace with a new version of its own file.

    Raises NotAFileError for a folder, a device or anything else that is not a regular file:
    renaming a new file over it would destroy something golkepar does not own.
    """
    resolved = path.resolve()
    try:
        mode = resolved.stat().st_mode
    except OSError:  # absent, or its folder is not one: writing it will say why
        return resolved
    if stat.S_ISREG(mode):
        return resolved
    what = "a folder" if stat.S_ISDIR(mode) else "a device or other special file"
    raise NotAFileError(
        f"{setting}={str(path)!r} is {what}, not a file golkepar can replace: "
        f"set {setting} to a file path"
    )


class NotAFileError(ValueError):
    """A path that golkepar must not write over (see `replaceable_file`)."""


def remove_stale_temp_files_of(target: Path) -> int:
    """Delete the temporary files `temp_path_for(target)` made for runs that were killed, and
    what a database engine adds beside them (`.wal`, a `.tmp` spill folder).

    Names are matched exactly against the pattern `temp_path_for` uses, never with a glob built
    from the target's name, which may hold `*`, `?` or `[`.
    """
    stale = re.compile(
        re.escape(f".{target.name}.")
        + _MKSTEMP_RANDOM
        + re.escape(TEMP_SUFFIX)
        + r"(?:\.wal|\.tmp)?"
    )
    removed = 0
    try:
        entries = list(os.scandir(target.parent))
    except OSError:
        return 0
    for entry in entries:
        if not stale.fullmatch(entry.name):
            continue
        if entry.is_dir(follow_symlinks=False):
            shutil.rmtree(entry.path, ignore_errors=True)
        else:
            Path(entry.path).unlink(missing_ok=True)
        removed += 1
    return removed


class SharedLockBusy(Exception):
    """Someone holds the lock exclusively (a writer is at work)."""


@contextlib.contextmanager
def shared_lock(path: Path) -> Iterator[None]:
    """Hold `path` locked shared (readers together, never with a writer's exclusive lock,
    which `filelock` takes with the same flock call). Raises SharedLockBusy at once when a
    writer holds it. A lock file that cannot be made (a read-only folder: no writer either)
    is no lock.
    """
    try:
        fd = os.open(path, os.O_RDONLY | os.O_CREAT, 0o644)
    except OSError:
        try:
            fd = os.open(path, os.O_RDONLY)
        except OSError:
            yield
            return
    try:
        try:
            fcntl.flock(fd, fcntl.LOCK_SH | fcntl.LOCK_NB)
        except BlockingIOError:
            raise SharedLockBusy(str(path)) from None
        yield
    finally:
        os.close(fd)  # closing releases the lock
