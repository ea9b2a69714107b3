"""A LibreOffice of the test's own, listening for UNO on a free port, and edits made through it.

    with Office() as office:
        office.edit(path, [{"op": "bold", "find": "Kebumen Sokka"}], save=path)

``Office`` starts ``soffice`` headless with a fresh profile in a temporary folder, waits until it
accepts connections, and at the end stops it by its process group and removes the profile. Edits
run in ``/usr/bin/python3`` (python3-uno is installed for the system's Python, not for the
project's virtual environment) with ``tests/review/uno_edits.py``, which documents the operations.
Every step has a timeout; a failure raises ``clients.ClientError`` with what went wrong.
"""

from __future__ import annotations

import json
import os
import shutil
import signal
import socket
import subprocess
import tempfile
import time
from pathlib import Path

from clients import ClientError, _tail, require_soffice

SYSTEM_PYTHON = "/usr/bin/python3"
DRIVER = Path(__file__).resolve().parent / "review" / "uno_edits.py"
FILTERS = {".docx": "MS Word 2007 XML", ".odt": "writer8", ".doc": "MS Word 97"}


def free_port() -> int:
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


class Office:
    """One running LibreOffice (see the module's docstring); a context manager."""

    def __init__(self, start_timeout: float = 90, edit_timeout: float = 120):
        self.start_timeout = start_timeout
        self.edit_timeout = edit_timeout
        self.port: int | None = None
        self.proc: subprocess.Popen | None = None
        self.profile: Path | None = None

    def __enter__(self) -> Office:
        self.start()
        return self

    def __exit__(self, *exc) -> None:
        self.stop()

    def start(self) -> None:
        soffice = require_soffice()
        assert os.access(SYSTEM_PYTHON, os.X_OK), f"{SYSTEM_PYTHON} is needed to drive LibreOffice"
        check = subprocess.run([SYSTEM_PYTHON, "-c", "import uno"], capture_output=True, text=True,
                               timeout=30)
        assert check.returncode == 0, (
            f"python3-uno is needed for {SYSTEM_PYTHON}: apt-get install python3-uno\n{check.stderr}")
        self.profile = Path(tempfile.mkdtemp(prefix="uno-lo-profile-"))
        self.port = free_port()
        accept = f"socket,host=127.0.0.1,port={self.port};urp;StarOffice.ComponentContext"
        cmd = [soffice, "--headless", "--invisible", "--norestore", "--nologo", "--nodefault",
               f"-env:UserInstallation={self.profile.as_uri()}", f"--accept={accept}"]
        self._log = tempfile.TemporaryFile(mode="w+")
        self.proc = subprocess.Popen(cmd, stdout=self._log, stderr=subprocess.STDOUT,
                                     start_new_session=True)
        deadline = time.monotonic() + self.start_timeout
        while True:
            if self.proc.poll() is not None:
                raise ClientError(f"LibreOffice exited ({self.proc.returncode}) before accepting "
                                  f"connections: {' '.join(cmd)}\n{self._output()}")
            try:
                with socket.create_connection(("127.0.0.1", self.port), timeout=1):
                    break
            except OSError:
                if time.monotonic() > deadline:
                    self.stop()
                    raise ClientError(f"LibreOffice did not listen on port {self.port} within "
                                      f"{self.start_timeout:g} s") from None
                time.sleep(0.3)
        try:
            self.run([])  # the UNO bridge answers, not just the socket
        except BaseException:
            self.stop()  # __exit__ does not run when __enter__ fails
            raise

    def _output(self) -> str:
        self._log.seek(0)
        return _tail(self._log.read())

    def stop(self) -> None:
        if self.proc is not None and self.proc.poll() is None:
            for sig, wait in ((signal.SIGTERM, 15), (signal.SIGKILL, 15)):
                try:
                    os.killpg(self.proc.pid, sig)
                except ProcessLookupError:
                    break
                try:
                    self.proc.wait(timeout=wait)
                    break
                except subprocess.TimeoutExpired:
                    continue
        self.proc = None
        if getattr(self, "_log", None) is not None:
            self._log.close()
            self._log = None
        if self.profile is not None:
            shutil.rmtree(self.profile, ignore_errors=True)
            self.profile = None

    def run(self, jobs: list[dict]) -> list[dict]:
        """Run the driver's jobs (see ``uno_edits.py``); their results, in order."""
        if self.proc is None or self.proc.poll() is not None:
            raise ClientError("LibreOffice is not running")
        request = json.dumps({"port": self.port, "jobs": jobs, "timeout": self.start_timeout})
        proc = subprocess.Popen([SYSTEM_PYTHON, str(DRIVER)], stdin=subprocess.PIPE,
                                stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True,
                                start_new_session=True)
        try:
            out, err = proc.communicate(request, timeout=self.edit_timeout)
        except subprocess.TimeoutExpired:
            os.killpg(proc.pid, signal.SIGKILL)
            proc.communicate()
            raise ClientError(f"editing through LibreOffice timed out after {self.edit_timeout:g} s: "
                              f"{jobs!r:.500}") from None
        if proc.returncode != 0:
            raise ClientError(f"the UNO driver failed (exit {proc.returncode}):\n{_tail(err)}")
        return json.loads(out)["jobs"]

    def edit(self, path: Path, ops: list[dict], save: Path | None = None,
             also: list[Path] = ()) -> dict:
        """Open ``path``, apply ``ops``, save as ``save`` (default: over itself) and as each of
        ``also``, in the format their suffix names; raises ClientError if an operation failed."""
        targets = [Path(save or path), *map(Path, also)]
        saves = [{"path": str(t.resolve()), "filter": FILTERS[t.suffix]} for t in targets]
        [result] = self.run([{"open": str(Path(path).resolve()), "ops": ops, "save": saves}])
        if not result["ok"]:
            raise ClientError(f"editing {path} through LibreOffice: {result['error']} "
                              f"(done: {result.get('ops')})")
        return result
