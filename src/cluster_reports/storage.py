"""Write failures that end a run: a full disk, a read-only file system, a permission refused.

No document after the first can be written either, so a render or batch stops at once with one line
saying what happened and what to do, instead of failing every document after it (or ending in an
SQLite traceback). Atomic writes and the manifest's transactions keep the state consistent: what
was finished is kept and recorded, the rest is done by the same command once the cause is gone.
"""

from __future__ import annotations

import errno
import os
import sqlite3
from pathlib import Path

FULL, READ_ONLY, DENIED = "full", "read-only", "denied"

_ERRNOS = {
    errno.ENOSPC: FULL,
    errno.EDQUOT: FULL,
    errno.EROFS: READ_ONLY,
    errno.EACCES: DENIED,
    errno.EPERM: DENIED,
}


def kind(exc: BaseException, db: Path | None = None) -> str | None:
    """FULL, READ_ONLY or DENIED when ``exc`` is one of these write failures; None otherwise (a bug,
    a corrupt manifest: those are not hidden here). ``db``: the SQLite file an sqlite3 error is of."""
    if isinstance(exc, OSError):
        return _ERRNOS.get(exc.errno)
    if not isinstance(exc, sqlite3.DatabaseError):
        return None
    name = getattr(exc, "sqlite_errorname", "")
    if name.startswith("SQLITE_FULL"):
        return FULL
    if name.startswith("SQLITE_PERM") or name.startswith("SQLITE_AUTH"):
        return DENIED
    # Read-only, cannot open, I/O error: SQLite does not say why; the file and its folder do.
    if name.startswith(("SQLITE_READONLY", "SQLITE_CANTOPEN", "SQLITE_IOERR")) and db is not None:
        return _probe(db) or (READ_ONLY if name.startswith("SQLITE_READONLY") else None)
    return None


def stop_on(exc: BaseException, out: Path) -> None:
    """Raise ``exc`` again when it ends the run, so that a per-document catch-all does not record it as
    that document's failure: a full or read-only disk anywhere, a permission refused in ``out`` (one
    refused elsewhere, on an input, is that document's problem)."""
    if ends_run(exc, out):
        raise exc


def ends_run(exc: BaseException, out: Path) -> bool:
    """Whether ``exc`` ends the run (see ``stop_on``)."""
    found = kind(exc)
    return found in (FULL, READ_ONLY) or (found == DENIED and _inside(written(exc.filename), out))


def _inside(path: Path | None, out: Path | None) -> bool:
    if path is None or out is None:
        return False
    return path.is_relative_to(out) or path.resolve().is_relative_to(out.resolve())


def _probe(path: Path) -> str | None:
    """Why nothing can be written at ``path`` (a file, maybe not there yet), if the disk says so."""
    folder = path.parent
    try:
        fs = os.statvfs(folder)
    except OSError:
        return None
    if fs.f_flag & os.ST_RDONLY:
        return READ_ONLY
    if fs.f_bavail == 0 or (fs.f_files and fs.f_favail == 0):
        return FULL
    if not os.access(folder, os.W_OK) or (path.exists() and not os.access(path, os.W_OK)):
        return DENIED
    return None


def written(filename: str | os.PathLike | None) -> Path | None:
    """The file a failed write was for: an atomic write's temporary ``.<name>.<random>.part`` is
    named by the document it was to become."""
    if filename is None:
        return None
    path = Path(os.fsdecode(filename))
    name = path.name
    if name.startswith(".") and name.endswith(".part") and name.count(".") >= 3:
        return path.with_name(name[1:].rsplit(".", 2)[0])
    return path


def ending(exc: BaseException, out: Path | None, db: Path | None = None) -> str | None:
    """The line a run ends with when ``exc`` is a full disk, a read-only or forbidden folder (None for
    any other error): the problem, the file, what to do."""
    found = kind(exc, db)
    if found is None:
        return None
    path = written(exc.filename) if isinstance(exc, OSError) else db
    where = out if out is not None and (path is None or _inside(path, out)) else None
    at = f" while writing {path}" if path is not None else ""
    again = "run the same command; finished documents are kept"
    if found == FULL:
        disk = f"{where}'s disk" if where is not None else "the disk"
        return f"no space left on {disk}{at}: free space and {again}"
    if found == READ_ONLY:
        folder = where or (path.parent if path is not None else "the output folder")
        return (f"{folder} is on a read-only file system{at}: mount it writable or choose another "
                f"--out, then {again}")
    if where is None and path is not None:  # an input, a template: not the output folder
        return f"permission denied on {path}: give this user access to it and {again}"
    return (f"permission denied{at}: give this user write access to {where or 'the output folder'} "
            f"(or choose another --out) and {again}")
