"""One writer per output folder: a second batch (or a render) on a folder a batch writes is turned away
naming the holder, and touches nothing; a lock whose holder died is taken over; another host's lock is
refused with how to remove it."""

from __future__ import annotations

import json
import os
import signal
import socket
import sqlite3
import subprocess
import sys
import time
from pathlib import Path

import pytest
from test_batch import _copy_params, run_batch
from typer.testing import CliRunner

import cluster_reports
from cluster_reports.batch import lock, manifest
from cluster_reports.cli import app

SRC = Path(cluster_reports.__file__).resolve().parents[1]  # the code under test, for subprocesses
ENV = {**os.environ, "PYTHONPATH": str(SRC)}
TWO = ["jawa-tengah/kebumen-roof-tile.yaml", "jawa-tengah/tegal-metalwork.yaml"]
ONE = ["jawa-tengah/kebumen-roof-tile.yaml"]


@pytest.fixture(scope="module")
def inproc_scheduler():
    """A Dask cluster whose worker is a thread of this process: no worker processes to start."""
    from distributed import LocalCluster

    with LocalCluster(n_workers=1, threads_per_worker=1, processes=False, dashboard_address=None,
                      protocol="tcp", host="127.0.0.1") as cluster:  # tcp: a batch subprocess reaches it
        yield cluster.scheduler_address


def _holder(out: Path) -> dict | None:
    try:
        return json.loads((out / lock.FILENAME).read_text())
    except (OSError, ValueError):
        return None


def _runs(out: Path) -> list[tuple]:
    db = sqlite3.connect(f"file:{out / manifest.FILENAME}?mode=ro", uri=True)
    try:
        return db.execute("SELECT id, finished FROM runs").fetchall()
    finally:
        db.close()


def test_a_second_batch_or_a_render_is_refused_and_the_first_completes(tmp_path, inproc_scheduler):
    params = _copy_params(tmp_path, only=TWO)
    out = tmp_path / "out"
    first = subprocess.Popen(
        [sys.executable, "-m", "cluster_reports.cli", "batch", str(params), "--out", str(out), "--doc",
         "profile", "--lang", "en", "--format", "html", "--scheduler", inproc_scheduler],
        env=ENV, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True, start_new_session=True,
    )
    try:
        deadline = time.monotonic() + 30
        while (_holder(out) or {}).get("pid") != first.pid:
            assert first.poll() is None, first.communicate()
            assert time.monotonic() < deadline, "the first batch did not take the lock in time"
            time.sleep(0.02)

        code, stdout, stderr = run_batch(params, out, scheduler=inproc_scheduler)
        assert code == 2, stdout + stderr
        line = " ".join(stderr.split())
        host = socket.gethostname()
        assert f"{out} is being written by another batch: pid {first.pid} on host {host}" in line
        assert "cluster-reports batch" in line and "wait for it or stop it" in line

        # A render into the same folder races the batch the same way: it is refused too.
        render = CliRunner().invoke(app, ["render", str(params / ONE[0]), "--params-root", str(params),
                                          "--out", str(out), "--doc", "profile", "--lang", "en",
                                          "--format", "html"], catch_exceptions=False)
        assert render.exit_code == 2, render.output
        assert f"pid {first.pid}" in render.stderr and "wrote" not in render.stdout
        assert first.poll() is None, "the first batch ended before the others were tried"

        stdout, stderr = first.communicate(timeout=60)
    finally:
        if first.poll() is None:
            os.killpg(first.pid, signal.SIGKILL)
            first.wait()
    # The first batch, untouched: everything rendered, one run in the manifest, the lock let go.
    assert first.returncode == 0, stderr
    assert "clusters: 2 rendered" in stdout
    assert len(list(out.rglob("profile.en.html"))) == 2
    assert [finished is not None for _id, finished in _runs(out)] == [True]
    assert not (out / lock.FILENAME).exists()


def test_a_lock_whose_holder_was_killed_is_taken_over(tmp_path, inproc_scheduler):
    params = _copy_params(tmp_path, only=ONE)
    out = tmp_path / "out"
    holder = subprocess.Popen(
        [sys.executable, "-c", "import sys, time; from pathlib import Path;"
         " from cluster_reports.batch import lock; lock.acquire(Path(sys.argv[1]), 'batch');"
         " print('held', flush=True); time.sleep(60)", str(out)],
        env=ENV, stdout=subprocess.PIPE, text=True,
    )
    assert holder.stdout.readline().strip() == "held"
    with pytest.raises(lock.LockHeld, match=f"pid {holder.pid} "):
        lock.acquire(out, "batch")
    holder.send_signal(signal.SIGKILL)  # no chance to remove its file: the kernel lets go of the flock
    holder.wait()
    assert _holder(out)["pid"] == holder.pid

    code, stdout, stderr = run_batch(params, out, scheduler=inproc_scheduler)
    assert code == 0, stderr
    assert f"took over the lock of {out}: batch pid {holder.pid} on host" in stdout
    assert "is no longer running" in stdout
    assert (out / "jawa-tengah/kebumen-roof-tile/profile.en.html").exists()
    assert not (out / lock.FILENAME).exists()


def test_a_lock_from_another_host_is_refused_with_how_to_remove_it(tmp_path):
    params = _copy_params(tmp_path, only=ONE)
    out = tmp_path / "out"
    out.mkdir()
    record = {"pid": 4242, "host": "elsewhere.example", "started": 1.7e9,
              "command": "cluster-reports batch x", "kind": "batch"}
    (out / lock.FILENAME).write_text(json.dumps(record))
    code, stdout, stderr = run_batch(params, out)
    assert code == 2
    line = " ".join(stderr.split())
    assert "on another host: pid 4242 on host elsewhere.example" in line
    assert f"remove {out / lock.FILENAME} and run again" in line
    assert sorted(p.name for p in out.iterdir()) == [lock.FILENAME]  # no manifest, no sweep
    assert json.loads((out / lock.FILENAME).read_text()) == record  # another host's file is left alone


def test_the_lock_is_exclusive_within_a_process_and_let_go_on_every_way_out(tmp_path):
    out = tmp_path / "out"
    with lock.hold(out, "render"):
        assert _holder(out)["pid"] == os.getpid() and _holder(out)["kind"] == "render"
        with pytest.raises(lock.LockHeld, match=f"another render: pid {os.getpid()} "):
            lock.acquire(out, "batch")
    assert not out.exists()  # made for the lock and left empty: removed with it
    out.mkdir()
    with pytest.raises(ZeroDivisionError), lock.hold(out, "batch"):
        1 / 0  # noqa: B018
    assert not (out / lock.FILENAME).exists() and out.is_dir()  # a folder that was there stays
    lock.acquire(out, "batch").release()
    # An empty file (its holder died before writing its name) is free to take, silently.
    (out / lock.FILENAME).write_text("")
    held = lock.acquire(out, "batch")
    assert _holder(out)["pid"] == os.getpid()
    held.release()
