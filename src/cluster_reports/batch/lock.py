"""One writer per output folder: a lock file, OUT/.cluster-reports.lock, held while a batch (or a
render) writes there.

The kernel's ``flock`` on the file is the lock: it is released when its holder ends, however it ends
(kill -9 included), so a lock whose holder is gone is known to be stale, and taken over. The file says
who holds it (pid, host, start, command) for the message of a run it turns away. Another host's lock
cannot be checked from here (flock is not honoured by every network file system): such a lock is
refused, and the message says how to remove it when that machine's run is gone.
"""

from __future__ import annotations

import errno
import fcntl
import json
import os
import shlex
import socket
import sys
import time
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path

FILENAME = ".cluster-reports.lock"


class LockHeld(RuntimeError):
    """Another run writes into the folder; ``str`` says who, and what to do."""


@dataclass(frozen=True)
class Holder:
    pid: int
    host: str
    started: float
    command: str
    kind: str = "batch"

    def describe(self) -> str:
        since = time.strftime("%Y-%m-%d %H:%M UTC", time.gmtime(self.started))
        return f"pid {self.pid} on host {self.host} since {since} ({self.command})"

    @classmethod
    def read(cls, text: str) -> Holder | None:
        try:
            data = json.loads(text)
            return cls(int(data["pid"]), str(data["host"]), float(data["started"]), str(data["command"]),
                       str(data.get("kind", "batch")))
        except (ValueError, KeyError, TypeError):
            return None  # empty (its holder is writing it) or not ours


def _command() -> str:
    """This run's command line, as the user typed it (the console script or ``-m cluster_reports.cli``)."""
    argv = list(sys.argv)
    if argv and (Path(argv[0]).name in ("cluster-reports", "cli.py", "__main__.py")):
        argv[0] = "cluster-reports"
    text = shlex.join(argv)
    return text if len(text) <= 160 else text[:157] + "..."


def _alive(pid: int) -> bool:
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:
        return True  # someone else's process
    return True


class Lock:
    """A held lock: the open file carries the flock; ``release`` removes the file and lets go."""

    def __init__(self, path: Path, fd: int):
        self.path, self.fd = path, fd
        self.made_folder = False  # the output folder was made for the lock: removed again if empty

    def release(self) -> None:
        if self.fd < 0:
            return
        try:
            # Only the file this lock is on: a run that found it stale may have made a new one.
            if os.stat(self.path).st_ino == os.fstat(self.fd).st_ino:
                self.path.unlink()
        except OSError:
            pass  # gone already, or a read-only folder by now: the flock still goes with the fd
        os.close(self.fd)
        self.fd = -1
        if self.made_folder:
            try:
                self.path.parent.rmdir()  # a run that wrote nothing (invalid input) leaves no folder
            except OSError:
                pass  # it holds what the run wrote


def acquire(out: Path, kind: str, console=None) -> Lock:
    """The lock of ``out`` (made if need be), or ``LockHeld`` saying who has it. A stale lock (its
    holder ended without removing it) is taken over, and ``console`` told so in one line."""
    made = not out.exists()
    out.mkdir(parents=True, exist_ok=True)
    path = out / FILENAME
    for _attempt in range(20):
        fd = os.open(path, os.O_RDWR | os.O_CREAT, 0o644)
        try:
            lock = _try(path, fd, out, kind, console)
        except BaseException:
            os.close(fd)
            raise
        if lock is not None:
            lock.made_folder = made
            return lock
        os.close(fd)  # the file was removed or replaced under us by its releasing holder: again
    raise LockHeld(f"{out}: could not take {FILENAME}: it keeps changing; is another run starting?")


def _try(path: Path, fd: int, out: Path, kind: str, console) -> Lock | None:
    try:
        fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
        kernel = True
    except BlockingIOError:
        _refuse(out, _holder(fd, wait=True))
    except OSError as exc:
        if exc.errno not in (errno.ENOLCK, errno.EOPNOTSUPP, errno.EINVAL):
            raise
        kernel = False  # no flock here: the pid in the file is all there is to go by
    if os.fstat(fd).st_nlink == 0 or os.stat(path).st_ino != os.fstat(fd).st_ino:
        return None
    before = _holder(fd)
    if before is not None and before.pid != os.getpid():
        here = before.host == socket.gethostname()
        if not here or (not kernel and _alive(before.pid)):
            _refuse(out, before)
        if console is not None:
            gone = "is no longer running" if not _alive(before.pid) else "no longer holds it"
            console.print(f"took over the lock of {out}: {before.kind} {before.describe()} {gone}")
    me = Holder(os.getpid(), socket.gethostname(), time.time(), _command(), kind)
    try:
        os.ftruncate(fd, 0)
        os.pwrite(fd, json.dumps(me.__dict__).encode(), 0)
        os.fsync(fd)
    except BaseException as exc:  # a full disk, Ctrl-C: leave no lock of ours behind
        path.unlink(missing_ok=True)
        if isinstance(exc, OSError):  # say which file: a failed write names none
            raise OSError(exc.errno, exc.strerror, str(path)) from exc
        raise
    return Lock(path, fd)


def _holder(fd: int, wait: bool = False) -> Holder | None:
    # A holder writes its name just after taking the lock: a moment's wait if the file is empty yet.
    for _ in range(20 if wait else 1):
        holder = Holder.read(os.pread(fd, 4096, 0).decode("utf-8", "replace"))
        if holder is not None or not wait:
            return holder
        time.sleep(0.05)
    return None


def _refuse(out: Path, holder: Holder | None) -> None:
    if holder is None:
        raise LockHeld(f"{out} is being written by another cluster-reports run (it is starting); "
                       "wait for it or stop it")
    if holder.host != socket.gethostname():
        raise LockHeld(
            f"{out} is being written by a {holder.kind} on another host: {holder.describe()}; wait for "
            f"it, or if that machine's run is gone, remove {out / FILENAME} and run again"
        )
    raise LockHeld(f"{out} is being written by another {holder.kind}: {holder.describe()}; "
                   "wait for it or stop it")


@contextmanager
def hold(out: Path, kind: str, console=None):
    """``out``'s lock for the ``with`` block, released on every way out of it."""
    lock = acquire(out, kind, console)
    try:
        yield lock
    finally:
        lock.release()
