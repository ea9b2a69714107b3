"""Atomic file writes: a document appears complete or not at all."""

from __future__ import annotations

import os
import tempfile
from collections.abc import Callable
from pathlib import Path


def write_temporary(path: Path, produce: Callable[[Path], None]) -> Path:
    """Call ``produce(tmp)`` to write a hidden temporary file beside ``path`` (``.<name>.*.part``,
    which no reader of the folder takes for a document) and return it; on any error it is removed.

    Beside ``path``, so that moving it into place is one atomic rename (or link)."""
    path.parent.mkdir(parents=True, exist_ok=True)
    fd, tmp_name = tempfile.mkstemp(prefix=f".{path.name}.", suffix=".part", dir=path.parent)
    os.close(fd)
    tmp = Path(tmp_name)
    try:
        produce(tmp)
        # mkstemp creates 0600; a document gets the permissions of any newly created file.
        umask = os.umask(0)
        os.umask(umask)
        os.chmod(tmp, 0o666 & ~umask)
    except BaseException as exc:
        tmp.unlink(missing_ok=True)
        _name(exc, path)
        raise
    return tmp


def write_atomic(path: Path, produce: Callable[[Path], None]) -> None:
    """Call ``produce(tmp)`` to write a temporary file beside ``path``, then move it into place:
    on any error ``path`` is left as it was."""
    tmp = write_temporary(path, produce)
    try:
        os.replace(tmp, path)
    except BaseException as exc:
        tmp.unlink(missing_ok=True)
        _name(exc, path)
        raise


def _name(exc: BaseException, path: Path) -> None:
    if isinstance(exc, OSError) and exc.filename is None:
        exc.filename = str(path)  # a failed write() names no file: a full disk's message should


def write_bytes_atomic(path: Path, data: bytes) -> None:
    write_atomic(path, lambda tmp: tmp.write_bytes(data))


def write_text_atomic(path: Path, text: str) -> None:
    write_bytes_atomic(path, text.encode("utf-8"))
