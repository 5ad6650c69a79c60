"""When the disk under the store says no: full, read-only, or not ours to write.

- :func:`guard` turns those failures (``OSError`` from our own files, chromadb's "database or disk is
  full" / "readonly database") into one :class:`DepecheError` line saying what to do;
- :func:`readable_copy` lets a read-only (or full) store still answer: Chroma's embedded store must
  write when it opens, so it is opened from a temporary copy of its files, removed at exit.
"""
from __future__ import annotations

import atexit
import contextlib
import errno
import os
import shutil
import tempfile
from pathlib import Path
from typing import Iterator

from depeche.errors import DepecheError

_FULL = (errno.ENOSPC, errno.EDQUOT, errno.EFBIG)
_READ_ONLY = (errno.EROFS, errno.EACCES, errno.EPERM)


def kind(exc: BaseException) -> str | None:
    """'full', 'read-only' or None (not a storage failure)."""
    if isinstance(exc, OSError) and not isinstance(exc, (ConnectionError, TimeoutError)):
        if exc.errno in _FULL:
            return "full"
        if exc.errno in _READ_ONLY:
            return "read-only"
        return None
    text = str(exc).lower()
    if "disk is full" in text or "no space left" in text:
        return "full"
    if "readonly database" in text or "read-only file system" in text or "read only" in text:
        return "read-only"
    return None


def message(exc: BaseException, store: Path) -> str | None:
    what = kind(exc)
    where = getattr(exc, "filename", None) or store
    if what == "full":
        return (f"No space left on the disk holding {where}; free some space (or use --store on another "
                "disk) and run the command again. The index in use was left as it was.")
    if what == "read-only":
        return (f"Cannot write to {where} (read-only or not permitted); `depeche index` needs a writable "
                "--store. Asking questions works from a read-only store.")
    return None


@contextlib.contextmanager
def guard(store: Path) -> Iterator[None]:
    """Re-raise disk-full / read-only failures as one DepecheError line."""
    try:
        yield
    except DepecheError:
        raise
    except Exception as exc:  # noqa: BLE001 - chromadb raises its own types; anything else is re-raised
        msg = message(exc, store)
        if msg is None:
            raise
        raise DepecheError(msg) from None


def writable(path: Path) -> bool:
    """Whether Chroma can open ``path`` for writing (the folder and its sqlite file)."""
    db = path / "chroma.sqlite3"
    return os.access(path, os.W_OK) and (not db.exists() or os.access(db, os.W_OK))


def readable_copy(path: Path) -> Path:
    """A temporary copy of the Chroma folder ``path`` (removed at exit), to open a store we cannot write."""
    tmp = Path(tempfile.mkdtemp(prefix="depeche-readonly-"))
    atexit.register(shutil.rmtree, tmp, True)
    try:
        shutil.copytree(path, tmp / "chroma")
    except OSError as exc:
        shutil.rmtree(tmp, ignore_errors=True)
        raise DepecheError(f"The store {path.parent} cannot be written and copying its Chroma files to "
                           f"{tempfile.gettempdir()} failed ({exc.strerror or exc}); free some space there "
                           "or make the store writable.") from None
    return tmp / "chroma"
