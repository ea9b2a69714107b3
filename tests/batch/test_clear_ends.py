"""Clear ends: a full disk, a read-only output folder and a permission refused end a batch or a render
with one line naming the problem and what to do, exit 2, and leave a consistent state (no partial
file; the manifest records only what was finished); the same command completes once the cause is gone.

A full disk is a small tmpfs, a read-only folder a read-only bind mount: both need root (as the tests
run); without it the read-only folder is chmod 0555 (the refusal is then a permission), and the full
disk is skipped. A permission refused to root is root without CAP_DAC_OVERRIDE (setpriv)."""

from __future__ import annotations

import io
import os
import shutil
import signal
import sqlite3
import subprocess
import sys
import time
from contextlib import contextmanager
from pathlib import Path

import pytest
from rich.console import Console
from test_batch import _copy_params
from typer.testing import CliRunner

import cluster_reports
from cluster_reports import storage
from cluster_reports.batch import lock, manifest
from cluster_reports.batch import run as batch
from cluster_reports.batch.run import BatchOptions
from cluster_reports.cli import app

SRC = Path(cluster_reports.__file__).resolve().parents[1]
ONE = ["jawa-tengah/kebumen-roof-tile.yaml"]
DOC = Path("jawa-tengah/kebumen-roof-tile/profile.en.html")
ROOT = os.geteuid() == 0


@pytest.fixture(scope="module")
def inproc_scheduler():
    """A Dask cluster whose worker is a thread of this process: no worker processes to start."""
    from distributed import LocalCluster

    with LocalCluster(n_workers=1, threads_per_worker=1, processes=False, dashboard_address=None) as cluster:
        yield cluster.scheduler_address


@pytest.fixture(scope="module")
def params(tmp_path_factory) -> Path:
    return _copy_params(tmp_path_factory.mktemp("params"), only=ONE)


def _mount(*args: str) -> bool:
    return subprocess.run(["mount", *args], capture_output=True).returncode == 0


def _unmount(folder: Path) -> None:
    if subprocess.run(["umount", str(folder)], capture_output=True).returncode != 0:
        subprocess.run(["umount", "-l", str(folder)], capture_output=True)


@pytest.fixture
def small_disk(tmp_path):
    """A 1 MiB tmpfs, unmounted after the test."""
    disk = tmp_path / "disk"
    disk.mkdir()
    if not _mount("-t", "tmpfs", "-o", "size=1m", "tmpfs", str(disk)):
        pytest.skip("a tmpfs cannot be mounted here (needs root): no disk to fill")
    try:
        yield disk
    finally:
        _unmount(disk)


def _fill(disk: Path, leave_kib: int) -> Path:
    """Fill ``disk`` but for ``leave_kib`` KiB; the filler file, to remove to free the space."""
    filler = disk / "filler"
    fs = os.statvfs(disk)
    size = max(0, fs.f_bavail * fs.f_frsize - leave_kib * 1024)
    with open(filler, "wb") as f:
        f.write(b"\0" * size)
    return filler


@contextmanager
def read_only(folder: Path):
    """``folder`` made read-only: a read-only bind mount as root, else chmod 0555. What a write there
    meets: the ``storage`` kind."""
    if ROOT:
        if not (_mount("--bind", str(folder), str(folder))
                and _mount("-o", "remount,bind,ro", str(folder))):
            _unmount(folder)
            pytest.skip("root here may not mount: no read-only folder (chmod does not stop root)")
        try:
            yield storage.READ_ONLY
        finally:
            _unmount(folder)
    else:
        mode = folder.stat().st_mode
        folder.chmod(0o555)
        try:
            yield storage.DENIED
        finally:
            folder.chmod(mode)


def _one_line(stderr: str) -> str:
    lines = [line for line in stderr.splitlines() if line.strip()]
    assert len(lines) == 1, stderr
    assert "Traceback" not in stderr
    return lines[0]


def _text(path: Path) -> str:
    try:
        return path.read_text()
    except OSError:
        return ""


def _partial(folder: Path) -> list[Path]:
    return [p for p in folder.rglob("*") if p.name.endswith(".part")]


def _recorded(out: Path) -> dict[str, str]:
    db = sqlite3.connect(f"file:{out / manifest.FILENAME}?mode=ro", uri=True)
    try:
        if not db.execute("SELECT 1 FROM sqlite_master WHERE name = 'documents'").fetchone():
            return {}  # the disk was full before the tables could be made
        return dict(db.execute("SELECT path, status FROM documents WHERE path IS NOT NULL"))
    finally:
        db.close()


def run_batch(params: Path, out: Path, **options) -> tuple[int, str, str]:
    """A batch of the cluster's English HTML profile, its messages unwrapped (as the command's)."""
    stdout, stderr = io.StringIO(), io.StringIO()
    code = batch.main(
        BatchOptions(params_dir=params, out=out, kinds=["profile"], langs=["en"], formats=["html"],
                     **options),
        Console(file=stdout, width=200, soft_wrap=True),
        Console(file=stderr, width=200, soft_wrap=True),
    )
    return code, stdout.getvalue(), stderr.getvalue()


# 0 KiB: not even the lock can be written; 40: the manifest cannot; 150: the document cannot.
@pytest.mark.parametrize("leave_kib", [0, 40, 150])
def test_a_full_disk_ends_a_batch_with_one_line_and_the_next_run_completes(small_disk, params, leave_kib,
                                                                            inproc_scheduler):
    out = small_disk / "out"
    filler = _fill(small_disk, leave_kib)
    code, _stdout, stderr = run_batch(params, out, scheduler=inproc_scheduler)
    assert code == 2
    line = _one_line(stderr)
    print(f"{leave_kib} KiB free: {line}")
    assert f"no space left on {out}'s disk while writing {out}/" in line, line
    assert "free space and run the same command; finished documents are kept" in line
    assert _partial(small_disk) == []
    assert not (out / lock.FILENAME).exists()
    if (out / manifest.FILENAME).exists():  # what it records as rendered is on disk, whole
        assert all((out / path).exists() for path, status in _recorded(out).items() if status == "rendered")

    filler.unlink()
    code, stdout, stderr = run_batch(params, out, scheduler=inproc_scheduler)
    assert code == 0, stderr
    assert "clusters: 1 rendered" in stdout
    assert _recorded(out) == {str(DOC): "rendered"} and (out / DOC).exists()
    assert _partial(small_disk) == []


def test_a_disk_full_mid_batch_keeps_what_was_finished_and_the_next_run_does_the_rest(small_disk, tmp_path,
                                                                                        inproc_scheduler):
    params = _copy_params(tmp_path, only=[*ONE, "jawa-tengah/tegal-metalwork.yaml"])
    out = small_disk / "out"
    filler = _fill(small_disk, 300)  # room for the lock, the manifest and one profile, not two
    code, _, stderr = run_batch(params, out, scheduler=inproc_scheduler)
    assert code == 2 and "no space left on" in _one_line(stderr)
    first = _recorded(out)
    print(f"before the disk was full: {first}")
    assert list(first.values()) == ["rendered"] and all((out / path).exists() for path in first)
    assert _partial(small_disk) == []

    filler.unlink()
    mtimes = {path: (out / path).stat().st_mtime_ns for path in first}
    code, stdout, stderr = run_batch(params, out, scheduler=inproc_scheduler)
    assert code == 0, stderr
    assert "clusters: 1 rendered, 1 up to date" in stdout  # the finished one is not done again
    assert {path: (out / path).stat().st_mtime_ns for path in first} == mtimes
    assert list(_recorded(out).values()) == ["rendered", "rendered"]


def test_a_full_disk_ends_a_render_with_one_line_and_the_next_one_completes(small_disk, params):
    out = small_disk / "out"
    filler = _fill(small_disk, 150)
    command = ["render", str(params / ONE[0]), "--params-root", str(params), "--out", str(out), "--doc",
               "profile", "--lang", "en", "--format", "html,docx"]
    result = CliRunner().invoke(app, command, catch_exceptions=False)
    assert result.exit_code == 2, result.output
    line = _one_line(result.stderr)
    assert f"no space left on {out}'s disk while writing {out / DOC.parent}/profile.en." in line, line
    assert _partial(small_disk) == [] and not (out / lock.FILENAME).exists()

    filler.unlink()
    result = CliRunner().invoke(app, command, catch_exceptions=False)
    assert result.exit_code == 0, result.output
    assert (out / DOC).exists() and (out / DOC).with_suffix(".docx").exists()


def test_a_read_only_output_folder_ends_batch_and_render_with_one_line(tmp_path, params, inproc_scheduler):
    out = tmp_path / "out"
    code, _, stderr = run_batch(params, out, scheduler=inproc_scheduler)
    assert code == 0, stderr
    before = {p: p.stat().st_mtime_ns for p in out.rglob("*")}
    words = {storage.READ_ONLY: "is on a read-only file system", storage.DENIED: "permission denied"}
    with read_only(out) as kind:
        code, _, stderr = run_batch(params, out, scheduler=inproc_scheduler, force=True)
        assert code == 2
        line = _one_line(stderr)
        assert words[kind] in line and f"{out / lock.FILENAME}" in line, line
        assert "not a usable manifest" not in line

        result = CliRunner().invoke(app, ["render", str(params / ONE[0]), "--params-root", str(params),
                                          "--out", str(out), "--doc", "profile", "--lang", "en",
                                          "--format", "html"], catch_exceptions=False)
        assert result.exit_code == 2, result.output
        assert words[kind] in _one_line(result.stderr)

        # The manifest in a read-only folder is said to be there, not to be damaged.
        with pytest.raises(sqlite3.Error) as caught:
            manifest.Manifest(out).record_documents([])
        assert storage.kind(caught.value, out / manifest.FILENAME) == kind
    assert {p: p.stat().st_mtime_ns for p in out.rglob("*")} == before
    code, stdout, stderr = run_batch(params, out, scheduler=inproc_scheduler, force=True)
    assert code == 0, stderr


def test_a_damaged_manifest_is_still_called_damaged(tmp_path, params):
    out = tmp_path / "out"
    out.mkdir()
    (out / manifest.FILENAME).write_bytes(b"not a database at all" * 100)
    code, _, stderr = run_batch(params, out)
    assert code == 2
    assert "not a usable manifest" in _one_line(stderr) and "remove it" in stderr
    assert not (out / lock.FILENAME).exists()


def test_a_permission_refused_mid_render_ends_it_with_one_line(tmp_path, params):
    """The output folder is writable, the cluster's folder in it is not: the document's write is refused."""
    prefix = []
    if ROOT:
        setpriv = shutil.which("setpriv")
        if setpriv is None:
            pytest.skip("root bypasses permissions, and setpriv (to drop CAP_DAC_OVERRIDE) is missing")
        prefix = [setpriv, "--bounding-set", "-dac_override,-dac_read_search", "--"]
    out = tmp_path / "out"
    (out / DOC.parent).mkdir(parents=True)
    (out / DOC.parent).chmod(0o555)
    try:
        result = subprocess.run(
            [*prefix, sys.executable, "-m", "cluster_reports.cli", "render", str(params / ONE[0]),
             "--params-root", str(params), "--out", str(out), "--doc", "profile", "--lang", "en",
             "--format", "html"],
            env={**os.environ, "PYTHONPATH": str(SRC)}, capture_output=True, text=True, timeout=60,
        )
    finally:
        (out / DOC.parent).chmod(0o755)
    if ROOT and "setpriv" in result.stderr and "Traceback" not in result.stderr:
        pytest.skip(f"setpriv cannot drop capabilities here: {result.stderr.strip()}")
    assert result.returncode == 2, result.stdout + result.stderr
    line = _one_line(result.stderr)
    assert f"permission denied while writing {out / DOC}: give this user write access to {out}" in line, line
    assert _partial(out) == [] and not (out / lock.FILENAME).exists()


def test_ctrl_c_ends_a_render_with_one_line_and_leaves_nothing_half_written(tmp_path, params):
    out = tmp_path / "out"
    proc = subprocess.Popen(
        [sys.executable, "-m", "cluster_reports.cli", "render", str(params / ONE[0]), "--params-root",
         str(params), "--out", str(out), "--doc", "profile", "--lang", "en", "--format", "html,docx"],
        env={**os.environ, "PYTHONPATH": str(SRC)}, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True,
    )
    try:
        deadline = time.monotonic() + 30
        while f'"pid": {proc.pid},' not in _text(out / lock.FILENAME):  # taken before composing
            assert proc.poll() is None and time.monotonic() < deadline, proc.communicate()
            time.sleep(0.01)
        proc.send_signal(signal.SIGINT)
        stdout, stderr = proc.communicate(timeout=30)
    finally:
        if proc.poll() is None:
            proc.kill()
            proc.wait()
    assert proc.returncode == 130, stdout + stderr
    assert _one_line(stderr) == ("interrupted: finished documents are kept; run the same command to do "
                                 "the rest")
    assert _partial(out) == [] and not (out / lock.FILENAME).exists()
