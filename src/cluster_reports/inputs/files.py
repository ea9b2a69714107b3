"""The one way an input file is opened: inside its params root, a regular file, within a size limit.

A params file names other files (a monitoring file's ``firms_csv``, a publication block's ``logo``):
a name like ``/etc/passwd``, ``../../..`` or a symlink out of the tree must not make a report, an
error message or a batch's index read what lies outside. So every input is

- **inside its params root**, after symlinks: the root of a file is the folder that holds its
  ``clusters`` tree (``params/`` for ``params/clusters/<province>/<id>.yaml``, where
  ``programmes/`` and ``publication.yaml`` also live); a file in no ``clusters`` tree (a synthetic
  set, a lone file, ``params/publication.yaml`` itself) has its own folder as root. The rule needs
  only the file's path, so validate, render and a batch's workers agree without being told;
- **a regular file**: opened non-blocking (a FIFO never blocks) and checked with fstat, so FIFOs and
  devices (``/dev/zero``) are refused by what they are;
- **read with a size limit**, larger files refused before they are read.

A refusal names the file, the field and the reason, and never any content of the refused file.
"""

from __future__ import annotations

import errno
import os
import stat
from pathlib import Path

MB = 1024 * 1024
# The largest sample params file is 40 KB (a cluster with its firm table and narrative): 2 MB is fifty
# times that, and parses in well under a second; a larger one is a mistake or an attack.
YAML_LIMIT = 2 * MB
# A firm CSV holds one row per firm and period, about 60 bytes: 20 MB is some 300,000 rows, far past
# the largest cluster (a few hundred firms over a few periods).
CSV_LIMIT = 20 * MB
# A cover logo is inlined into every HTML page: a few hundred KB is usual, 5 MB is generous.
IMAGE_LIMIT = 5 * MB
CLUSTERS = "clusters"


class Refused(Exception):
    """An input file that is not to be read; ``reason`` never quotes its content."""

    def __init__(self, reason: str):
        self.reason = reason
        super().__init__(reason)


def params_root(path: Path) -> Path:
    """The params root of a file: the folder holding the nearest ``clusters`` folder above it, else
    the file's own folder. Taken from the path as given (absolute), before symlinks."""
    absolute = Path(os.path.abspath(path))
    for folder in absolute.parents:
        if folder.name == CLUSTERS:
            return folder.parent
    return absolute.parent


def _size(n: int) -> str:
    return f"{n / MB:.0f} MB" if n >= MB else f"{n / 1024:.0f} KB" if n >= 1024 else f"{n} bytes"


def _too_big(size: int, limit: int) -> str:
    if _size(size) == _size(limit):  # just over: in bytes, or the two would read the same
        return f"is {size:,} bytes; the limit is {limit:,} bytes ({_size(limit)})"
    return f"is {_size(size)}; the limit is {_size(limit)}"


def _kind(mode: int) -> str:
    return ("a FIFO" if stat.S_ISFIFO(mode) else "a character device" if stat.S_ISCHR(mode)
            else "a block device" if stat.S_ISBLK(mode) else "a socket" if stat.S_ISSOCK(mode)
            else "a folder" if stat.S_ISDIR(mode) else "not a file")


def _usable(path: Path) -> None:
    if "\0" in str(path):  # the system cannot take it (Python would raise ValueError)
        raise Refused("holds a NUL character: it names no file")


def _real(path: Path) -> Path:
    _usable(path)
    try:
        return Path(os.path.realpath(path, strict=True))
    except OSError as exc:
        if exc.errno == errno.ELOOP:
            raise Refused("is a symlink loop") from None
        if exc.errno == errno.ENOENT:
            raise Refused("no such file" if not os.path.islink(path) else "is a broken symlink") from None
        raise Refused(f"cannot be read: {exc.strerror}") from None


def resolve_inside(root: Path, path: Path) -> Path:
    """The real path of ``path`` (relative paths taken from the working folder), or Refused when it
    leads outside ``root``, loops or does not exist."""
    _usable(path)
    real_root = Path(os.path.realpath(root))
    # Outside first, then whether it exists: nothing is said of what lies outside the root.
    if not Path(os.path.realpath(path)).is_relative_to(real_root):
        raise Refused(f"resolves outside the params folder {root}")
    real = _real(path)
    if not real.is_relative_to(real_root):  # a symlink swapped in between the two
        raise Refused(f"resolves outside the params folder {root}")
    return real


def named(base: Path, value: str) -> Path:
    """The path a params file names, relative to the folder of that file (``~`` not expanded: a
    home folder is never inside a params root)."""
    return base / value  # an absolute value stays absolute: refused unless inside the root


def check(path: Path, root: Path | None = None) -> str | None:
    """Why a file is not to be read (outside ``root``, a loop, a FIFO or device), without opening it;
    None when it may be. For walking a folder, where opening each file is not wanted."""
    try:
        real = resolve_inside(root, path) if root is not None else _real(path)
        mode = os.stat(real).st_mode
    except Refused as exc:
        return exc.reason
    except OSError as exc:
        return f"cannot be read: {exc.strerror}"
    return None if stat.S_ISREG(mode) else f"is {_kind(mode)}, not a regular file"


def read_limited(path: Path, limit: int, root: Path | None = None) -> bytes:
    """The bytes of a regular file inside ``root`` (when given), at most ``limit`` of them; Refused
    (or OSError) otherwise. Nothing of a refused file is read."""
    real = resolve_inside(root, path) if root is not None else _real(path)
    # The real path has no symlink left: O_NOFOLLOW refuses one swapped in since. O_NONBLOCK makes
    # opening a FIFO return at once (fstat then refuses it); for a regular file it changes nothing.
    flags = os.O_RDONLY | getattr(os, "O_NOFOLLOW", 0) | getattr(os, "O_NONBLOCK", 0)
    flags |= getattr(os, "O_CLOEXEC", 0)
    try:
        fd = os.open(real, flags)
    except OSError as exc:
        if exc.errno == errno.ELOOP:
            raise Refused("was replaced by a symlink while being read") from None
        raise
    info = os.fstat(fd)
    if not stat.S_ISREG(info.st_mode) or info.st_size > limit:
        os.close(fd)
        raise Refused(f"is {_kind(info.st_mode)}, not a regular file" if not stat.S_ISREG(info.st_mode)
                      else _too_big(info.st_size, limit))
    with os.fdopen(fd, "rb", buffering=0) as handle:
        chunks, total = [], 0
        while total <= limit:  # a file that grows (or a /proc file that says 0 bytes) stops at the limit
            chunk = handle.read(min(1 * MB, limit + 1 - total))
            if not chunk:
                break
            chunks.append(chunk)
            total += len(chunk)
        if total > limit:
            raise Refused(f"is larger than the limit of {_size(limit)}")
        return b"".join(chunks)
