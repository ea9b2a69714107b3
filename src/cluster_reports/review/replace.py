"""Replacing a reviewer's .docx so that no save of theirs is lost to a race.

A render reads the file, merges for a second or so, then replaces it; a reviewer may save in that
time, atomically (a new file renamed over the path) or in place (truncated and written over, maybe
slowly). ``settle`` waits for an in-place save in progress and records the file as it is before it
is read (``Snapshot``: size, mtime, inode, sha256). The readers (``copies.find``,
``reviewed.open_reviewed``) read it after that; ``place`` finds it unchanged (same inode and mtime,
same bytes) only if what they read was those bytes. ``place`` puts the new version at the path
only while the file there is still the one read:

1. the new version is written to a temporary file beside it (the slow part, done first);
2. the path's size, mtime and inode are compared with what was read: changed -> ``Changed``;
3. the file is moved (``os.rename``: the very inode present, whatever it is) into ``history/``, or
   aside under a hidden name when no history is kept, and verified there: a zip holding
   word/document.xml whose size, mtime and sha256 are what was read. A file that changed is moved
   back (without overwriting anything) -> ``Changed``; one that is the file read but is no Word
   document -> ``Unsafe``;
4. the new file is linked to the path (``os.link`` fails if a reviewer saved a new file there after
   step 3: theirs stays) -> ``Changed``;
5. the moved file is looked at again: a save through a handle opened before step 3 would be
   writing into it. It then gets the path back, ours goes -> ``Changed``. Otherwise a file moved
   aside (no history) is removed.

No step removes or overwrites a file that was not verified to be the one read, except ours.

The window that remains: a writer that opened the file before step 3 and writes into it only after
step 5's look writes into the moved file: in ``history/`` when history is kept (not lost, but not
in the document), gone when it is not (a file found to hold no reviewer work, removed after step
5). A save that truncates as it opens (in place) or renames (atomic) has changed the path or the
file by step 3 if it began before it, so only a writer that opens without truncating before step 3
and writes its first byte after step 5 (microseconds later) falls there. Between steps 3 and 4 the
path is absent for as long: a reader opening it then finds no file; a process killed then leaves
the file read in history/, or under a hidden name (``.<name>.<pid>.<time>.replaced``) that the next
render puts back (``recover``). A file changed and changed back to the very same bytes meanwhile
(A, B, A) reads as unchanged. Where the file system has no hard links, step 4 is a check that the
path is free followed by a rename (a writer landing between the two is overwritten).
"""

from __future__ import annotations

import datetime as dt
import errno
import hashlib
import io
import os
import re
import stat
import time
import zipfile
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

from cluster_reports.atomic import write_temporary
from cluster_reports.review.outcome import HISTORY

RECENT = 5.0  # seconds: a file unreadable as a zip and modified this recently may be mid-save
QUIET = 1.0  # seconds its size and mtime must stand still before it is read
WAIT = 10.0  # seconds waited at most for it
POLL = 0.1
BODY = "word/document.xml"
_NO_LINKS = {errno.EPERM, errno.ENOTSUP, errno.EOPNOTSUPP, errno.EMLINK, errno.ENOSYS}


@dataclass(frozen=True)
class Snapshot:
    """A file as it was before it was read."""

    size: int
    mtime_ns: int
    inode: int
    device: int
    sha256: str | None  # None: not a regular file (nothing was read)
    word: bool  # a zip holding word/document.xml

    def same_stat(self, st: os.stat_result) -> bool:
        return (st.st_size, st.st_mtime_ns, st.st_ino, st.st_dev) == (
            self.size, self.mtime_ns, self.inode, self.device)


class Changed(Exception):
    """The file changed since it was read (``reason``: "changed", or "saved": a new file appeared
    at the path while it was being replaced). ``history``: the file read, left in history/."""

    def __init__(self, reason: str, history: Path | None = None):
        super().__init__(reason)
        self.reason = reason
        self.history = history


class Unsafe(Exception):
    """The file read cannot be kept safely as a history copy: it is not replaced (``reason``:
    "unreadable", "unverified")."""

    def __init__(self, reason: str, detail: str = ""):
        super().__init__(f"{reason}: {detail}" if detail else reason)
        self.reason = reason
        self.detail = detail


def snapshot(path: Path) -> Snapshot | None:
    """``path`` as it is now: None when there is no file. Links, devices and FIFOs are not read
    (``copies`` refuses them)."""
    try:
        fd = os.open(path, os.O_RDONLY | getattr(os, "O_NOFOLLOW", 0) | getattr(os, "O_NONBLOCK", 0))
    except FileNotFoundError:
        return None
    except OSError:  # a link (O_NOFOLLOW), or not ours to read
        st = os.lstat(path)
        return Snapshot(st.st_size, st.st_mtime_ns, st.st_ino, st.st_dev, None, False)
    with os.fdopen(fd, "rb") as handle:
        st = os.fstat(handle.fileno())
        if not stat.S_ISREG(st.st_mode):
            return Snapshot(st.st_size, st.st_mtime_ns, st.st_ino, st.st_dev, None, False)
        data = handle.read()
    # The stat taken before reading: a write during the read makes the file differ from it later.
    return Snapshot(st.st_size, st.st_mtime_ns, st.st_ino, st.st_dev,
                    hashlib.sha256(data).hexdigest(), _is_word(io.BytesIO(data)))


def settle(path: Path, *, clock: Callable[[], float] = time.monotonic) -> Snapshot | None:
    """The file at ``path`` (see ``snapshot``), after waiting for a save in progress: a file
    unreadable as a zip and modified in the last ``RECENT`` seconds is being written in place, so
    its size and mtime are polled until they stand still for ``QUIET`` seconds (at most ``WAIT``).
    A file still unreadable then is returned as such: it is not to be replaced."""
    recover(path)
    shot = snapshot(path)
    if shot is None or shot.word or shot.sha256 is None or time.time() - shot.mtime_ns / 1e9 > RECENT:
        return shot
    deadline = clock() + WAIT
    last, still_since = signature(path), clock()
    while clock() - still_since < QUIET and clock() < deadline:
        time.sleep(POLL)
        now = signature(path)
        if now != last:
            last, still_since = now, clock()
    return snapshot(path)


def recover(path: Path) -> list[Path]:
    """Files a killed process left moved aside (step 3 done, step 5 not): put back at ``path`` when
    there is no file there, else kept in ``history/``. Returns where they went."""
    pattern = re.compile(rf"^\.{re.escape(path.name)}\.(\d+)\.\d+\.(replaced|ours)$")
    moved = []
    try:
        names = sorted(os.listdir(path.parent), reverse=True)  # the newest first
    except FileNotFoundError:
        return moved
    for name in names:
        match = pattern.match(name)
        if not match or _alive(int(match.group(1))):
            continue
        left = path.parent / name
        if match.group(2) == "ours":  # our new version, not yet in place: made again
            left.unlink(missing_ok=True)
            continue
        try:
            _put(left, path)
            moved.append(path)
        except FileExistsError:
            target = _spare(path)
            _put(left, target)
            moved.append(target)
    return moved


def _alive(pid: int) -> bool:
    if pid == os.getpid():
        return True  # this process's own, in another thread
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:
        return True
    return True


def signature(path: Path) -> tuple[int, int, int] | None:
    try:
        st = os.lstat(path)
    except FileNotFoundError:
        return None
    return st.st_size, st.st_mtime_ns, st.st_ino


def _is_word(source) -> bool:
    try:
        with zipfile.ZipFile(source) as archive:
            return BODY in archive.namelist()
    except (OSError, zipfile.BadZipFile, ValueError):
        return False


def place(path: Path, produce: Callable[[Path], None], read: Snapshot | None,
          history: Path | None = None) -> Path | None:
    """Write the new version with ``produce(tmp)`` and put it at ``path``, provided the file there
    is still ``read`` (None: there was none). The file read goes to ``history`` (a path in
    history/), or is removed when None. Returns the history copy made. Raises ``Changed`` or
    ``Unsafe`` with the path left as it was (see the module's docstring)."""
    if read is not None and not read.word:
        raise Unsafe("unreadable")
    tmp = write_temporary(path, produce)
    try:
        if read is None:
            try:
                _put(tmp, path)
            except FileExistsError:
                raise Changed("saved") from None
            return None
        if not _unchanged(path, read):
            raise Changed("changed")
        aside = history or path.with_name(f".{path.name}.{os.getpid()}.{time.time_ns()}.replaced")
        aside.parent.mkdir(parents=True, exist_ok=True)
        try:
            _move(path, aside)
        except FileNotFoundError:  # removed or being renamed over since step 2
            raise Changed("changed") from None
        try:
            return _replace_moved(path, tmp, aside, read, history)
        except (Changed, Unsafe):
            raise
        except BaseException:  # an error or Ctrl-C with the file moved: it goes back if it can
            if os.path.lexists(aside) and not os.path.lexists(path):
                _move_back(aside, path)
            raise
    finally:
        tmp.unlink(missing_ok=True)


def _replace_moved(path: Path, tmp: Path, aside: Path, read: Snapshot, history: Path | None) -> Path | None:
    """Steps 3 (its verification) to 5, the file read moved to ``aside``."""
    problem = _verify(aside, read)
    if problem:
        _move_back(aside, path)
        if problem == "changed":
            raise Changed("changed")
        raise Unsafe("unverified", problem)
    ours = os.lstat(tmp).st_ino
    try:
        _put(tmp, path)
    except FileExistsError:
        if history is None:
            aside.unlink(missing_ok=True)  # verified to be the file read, holding no reviewer work
        raise Changed("saved", history) from None
    if not _still(aside, read):
        _give_back(aside, path, ours)
        raise Changed("changed")
    if history is None:
        aside.unlink(missing_ok=True)
    return history


# The steps are functions of their own so that a test can save a reviewer's file at each moment.

def _unchanged(path: Path, read: Snapshot) -> bool:
    try:
        return read.same_stat(os.lstat(path))
    except FileNotFoundError:
        return False


def _move(path: Path, target: Path) -> None:
    os.rename(path, target)


def _verify(moved: Path, read: Snapshot) -> str:
    """"" when ``moved`` is the file read and a Word document; "changed" when it is another file;
    else what is wrong with it."""
    try:
        with open(moved, "rb") as handle:
            st = os.fstat(handle.fileno())
            digest = hashlib.sha256(handle.read()).hexdigest()
    except OSError as exc:
        return f"{moved}: {exc.strerror or exc}"
    if not read.same_stat(st) or digest != read.sha256:
        return "changed"
    if not _is_word(moved):
        return f"{moved}: not a zip holding {BODY}"
    return ""


def _put(source: Path, target: Path) -> None:
    """Give ``source``'s file the name ``target`` (and drop the name ``source``), never over a
    file there: ``FileExistsError`` if there is one."""
    try:
        os.link(source, target)
    except FileExistsError:
        raise
    except OSError as exc:
        if exc.errno not in _NO_LINKS:
            raise
        if os.path.lexists(target):  # no hard links here: check, then rename (a short window)
            raise FileExistsError(errno.EEXIST, "exists", str(target)) from None
        os.rename(source, target)
        return
    os.unlink(source)


def _move_back(moved: Path, path: Path) -> None:
    """Put a file moved aside back at ``path``; if a reviewer saved a new file there meanwhile,
    theirs stays and the moved one stays where it is (in history/), or goes into history/ when
    it was moved aside under a hidden name."""
    try:
        _put(moved, path)
    except FileExistsError:
        if moved.name.startswith("."):
            _put(moved, _spare(path))


def history_path(path: Path, now: dt.datetime | None = None) -> Path:
    """Where the file at ``path`` goes in ``history/``, named by the time."""
    stamp = (now or dt.datetime.now(dt.UTC)).strftime("%Y%m%dT%H%M%S%fZ")
    return path.parent / HISTORY / f"{path.stem}.{stamp}{path.suffix}"


def _spare(path: Path) -> Path:
    target = history_path(path)
    target.parent.mkdir(parents=True, exist_ok=True)
    return target


def _still(moved: Path, read: Snapshot) -> bool:
    """Whether the moved file is still as verified (no one is writing into it through a handle
    opened before it was moved)."""
    try:
        return read.same_stat(os.lstat(moved))
    except FileNotFoundError:
        return False


def _give_back(moved: Path, path: Path, ours: int) -> None:
    """A reviewer is writing into the moved file: it gets the path back, in place of our new
    version (removed), unless a file of theirs is at the path already (then both stay)."""
    spare = path.with_name(f".{path.name}.{os.getpid()}.{time.time_ns()}.ours")
    try:
        os.rename(path, spare)
    except FileNotFoundError:
        spare = None
    if spare is not None and os.lstat(spare).st_ino != ours:  # a reviewer's file, saved just now
        _move_back(spare, path)
        spare = None
    try:
        _put(moved, path)
    except FileExistsError:
        if moved.name.startswith("."):
            _put(moved, _spare(path))
    if spare is not None:
        spare.unlink(missing_ok=True)


_TEXT = {
    "en": {
        "changed": "'{name}' was saved again while the new version of the report was being written. "
                   "It was left as it is, so that nothing saved in it is lost. Generate the report "
                   "again when no one is saving it.",
        "unreadable": "'{name}' could not be opened as a Word document (it may still be being saved). "
                      "It was left as it is and not replaced, so that nothing saved in it is lost. If "
                      "it holds the reviewer's work, open it and save it again as a Word document "
                      "(.docx); if not, move it out of this folder. Then generate the report again.",
        "unverified": "'{name}' could not be kept safely in history/ ({detail}), so it was left as it "
                      "is and not replaced. Check that the folder can be written to, then generate "
                      "the report again.",
    },
    "id": {
        "changed": "Berkas '{name}' disimpan lagi ketika versi baru laporan ini sedang ditulis. Berkas "
                   "itu dibiarkan apa adanya agar tidak ada isi yang hilang. Buat laporan ini kembali "
                   "ketika tidak ada yang sedang menyimpannya.",
        "unreadable": "Berkas '{name}' tidak dapat dibuka sebagai dokumen Word (mungkin masih sedang "
                      "disimpan). Berkas itu dibiarkan apa adanya dan tidak diganti agar tidak ada isi "
                      "yang hilang. Jika berkas itu memuat hasil penelaahan, bukalah dan simpan "
                      "kembali sebagai dokumen Word (.docx); jika tidak, pindahkan keluar dari folder "
                      "ini. Lalu buat laporan ini kembali.",
        "unverified": "Berkas '{name}' tidak dapat disimpan dengan aman di history/ ({detail}) sehingga "
                      "dibiarkan apa adanya dan tidak diganti. Pastikan folder ini dapat ditulisi, lalu "
                      "buat laporan ini kembali.",
    },
}


def problem(reason: str, path: Path, lang: str, detail: str = "") -> str:
    """Why ``path`` was not replaced, in the document's language (a ``Changed`` or ``Unsafe``
    reason)."""
    text = _TEXT.get(lang, _TEXT["en"])
    key = "changed" if reason == "saved" else reason
    return text[key].format(name=path.name, detail=detail)
