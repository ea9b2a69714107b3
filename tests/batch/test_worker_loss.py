"""A batch that survives its workers: real Dask worker processes killed (SIGKILL) mid-render, and a
real scheduler killed mid-run.

- Workers of the batch's own local cluster: one killed, then every worker at once (no copy of a
  group's peers is left anywhere: the scheduler must make them again); the batch completes.
- A task that killed every worker it was tried on (Dask's KilledWorker) fails its cluster alone; a
  task's own OSError is not taken for a lost scheduler (both stood in for on an in-process cluster).
- A running cluster (`dask scheduler` + two `dask worker`, the batch given `--scheduler`): a worker
  killed, then the scheduler; the batch ends with one line and a non-zero exit, and the next run
  renders what was left, nothing that was done.

Each kill waits for the manifest to show documents of the run, so it lands mid-render."""

from __future__ import annotations

import contextlib
import io
import os
import re
import signal
import sqlite3
import subprocess
import threading
import time
from collections import Counter
from pathlib import Path
from types import SimpleNamespace

import sample_facts
from checks import html_text
from rich.console import Console
from test_batch import (
    CLUSTERS,
    VENV_BIN,
    _copy_params,
    _free_port,
    inproc_scheduler,  # noqa: F401 - a fixture of these tests
    rendered_in,
    rows,
    run_batch,
)

from cluster_reports.batch import execute, manifest, scan
from cluster_reports.batch import run as batch
from cluster_reports.batch.execute import Executor
from cluster_reports.batch.run import BatchOptions


def _rendered(out: Path) -> int:
    """Documents the manifest shows rendered so far (read while the batch writes it)."""
    try:
        db = sqlite3.connect(f"file:{out / manifest.FILENAME}?mode=ro", uri=True, timeout=1)
        try:
            return db.execute("SELECT count(*) FROM documents WHERE status = 'rendered'").fetchone()[0]
        finally:
            db.close()
    except sqlite3.Error:
        return 0


def _wait_for(condition, seconds: float, what: str) -> None:
    deadline = time.monotonic() + seconds
    while not condition():
        assert time.monotonic() < deadline, f"timed out waiting for {what}"
        time.sleep(0.02)


def _assert_complete(out: Path, params: Path) -> None:
    """Every cluster's profile written whole, with its cluster's name, and recorded as rendered."""
    names = {rel: data["name"]["en"] for rel, data in sample_facts.clusters().items()}
    recorded = {r.subject: r for r in rows(out).values() if r.kind == "profile"}
    assert sorted(recorded) == sorted(s.rel for s in scan.scan(params).sources)
    assert {r.status for r in recorded.values()} == {manifest.RENDERED}
    for rel, row in recorded.items():
        path = out / row.path
        assert path.read_text(encoding="utf-8").rstrip().endswith("</html>"), path
        assert names[rel] in html_text(path)[0], path
    assert [p for p in out.rglob("*") if p.name.endswith((".part", ".tmp"))] == []


def test_a_batch_on_a_local_cluster_survives_killed_workers(tmp_path):
    params, out = _copy_params(tmp_path), tmp_path / "out"
    executor = Executor(2, None, Console(file=io.StringIO()))
    kills: list[tuple[int, int]] = []  # (workers killed, documents rendered at the time)
    failures: list[BaseException] = []

    def worker_pids() -> list[int]:
        """The worker processes alive now, as their nannies (in this process) know them."""
        nannies = list(executor._local.workers.values()) if executor._local is not None else []
        return [n.process.pid for n in nannies if n.process is not None and n.process.pid]

    def kill(pids) -> None:
        kills.append((len(pids), _rendered(out)))
        for pid in pids:
            with contextlib.suppress(ProcessLookupError):
                os.kill(pid, signal.SIGKILL)

    def killer() -> None:
        try:
            _wait_for(lambda: _rendered(out) > 0, 120, "the first documents")
            kill(worker_pids()[:1])  # one worker...
            seen = _rendered(out)
            _wait_for(lambda: _rendered(out) > seen, 60, "documents after the first kill")
            kill(worker_pids())  # ...then every worker process there is: no copy of any peers is left
        except BaseException as exc:  # noqa: BLE001 - reported by the test's thread
            failures.append(exc)

    thread = threading.Thread(target=killer, daemon=True)
    stdout, stderr = io.StringIO(), io.StringIO()
    options = BatchOptions(params_dir=params, out=out, kinds=["profile"], langs=["en"], formats=["html"])
    thread.start()
    try:
        code = batch.run(options, Console(file=stdout, width=300), Console(file=stderr, width=300), executor)
    finally:
        thread.join(timeout=60)
        log = list(executor._local.scheduler.transition_log) if executor._local is not None else []
        executor.close()
    assert not failures, failures
    assert kills[0][0] == 1 and kills[1][0] >= 1
    # The peers of a group were lost with every copy of them, and made again from their task.
    made = Counter(key for key, _, finish, *_ in log if finish == "memory" and str(key).startswith("peers-"))
    assert max(made.values()) > 1, made
    assert all(0 < done < CLUSTERS for _, done in kills), kills  # both kills landed mid-render
    assert code == 0, stderr.getvalue()
    assert stderr.getvalue() == ""
    assert f"clusters: {CLUSTERS} rendered" in stdout.getvalue()
    _assert_complete(out, params)


def _env() -> dict[str, str]:
    """This environment, with PYTHONPATH absolute: the processes start in another folder and must
    import the code under test."""
    paths = os.environ.get("PYTHONPATH", "").split(os.pathsep)
    return {**os.environ, "PYTHONPATH": os.pathsep.join(str(Path(p).resolve()) for p in paths if p)}


def _start(args: list[str], cwd: Path) -> subprocess.Popen:
    return subprocess.Popen(
        [str(VENV_BIN / "dask"), *args, "--no-dashboard"],
        cwd=cwd,
        env=_env(),
        start_new_session=True,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )


def _stop(procs: list[subprocess.Popen]) -> None:
    for proc in procs:
        if proc.poll() is None:
            os.killpg(proc.pid, signal.SIGKILL)
        proc.wait()


def test_a_lost_scheduler_ends_the_batch_in_one_line_and_the_next_run_resumes(tmp_path):
    params, out = _copy_params(tmp_path), tmp_path / "out"
    port = _free_port()
    address = f"tcp://127.0.0.1:{port}"
    scheduler = _start(["scheduler", "--host", "127.0.0.1", "--port", str(port)], tmp_path)
    workers = [_start(["worker", address, "--nworkers", "1", "--nthreads", "1"], tmp_path) for _ in range(2)]
    cmd = [str(VENV_BIN / "cluster-reports"), "batch", str(params), "--out", str(out), "--doc", "profile",
           "--lang", "en", "--format", "html", "--scheduler", address]
    try:
        from distributed import Client

        with Client(address, timeout="60s") as client:
            client.wait_for_workers(2, timeout=120)
            pids = list(client.run(os.getpid).values())
        proc = subprocess.Popen(cmd, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True, env=_env(),
                                start_new_session=True)
        try:
            _wait_for(lambda: _rendered(out) > 0 or proc.poll() is not None, 120, "the first documents")
            assert proc.poll() is None, proc.communicate()
            os.kill(pids[0], signal.SIGKILL)  # a worker: its nanny starts another, the batch goes on
            seen = _rendered(out)
            _wait_for(lambda: _rendered(out) > seen or proc.poll() is not None, 60, "a document after")
            assert proc.poll() is None, proc.communicate()
            os.killpg(scheduler.pid, signal.SIGKILL)  # then the scheduler, mid-render
            _, stderr = proc.communicate(timeout=60)
        finally:
            if proc.poll() is None:
                os.killpg(proc.pid, signal.SIGKILL)
                proc.wait()
    finally:
        _stop([scheduler, *workers])

    assert proc.returncode != 0
    assert "Traceback" not in stderr, stderr
    lines = [line for line in stderr.splitlines() if line.strip()]
    assert len(lines) == 1, stderr
    found = re.fullmatch(
        rf"error batch stopped: lost the Dask scheduler at {re.escape(address)}: (\d+) document\(s\) done, "
        r"(\d+) left; run the same command to resume",
        lines[0],
    )
    assert found, lines[0]
    first = {r.subject for r in rows(out).values() if r.status == manifest.RENDERED}
    assert int(found[1]) == len(first) and int(found[2]) == CLUSTERS - len(first) > 0

    code, stdout, stderr = run_batch(params, out, workers=2)  # the same batch, on a local cluster
    assert code == 0, stderr
    assert rendered_in(out, 2) == {s.rel for s in scan.scan(params).sources} - first
    assert f"clusters: {CLUSTERS - len(first)} rendered, {len(first)} up to date" in stdout
    _assert_complete(out, params)


TWO = ["jawa-tengah/tegal-metalwork.yaml", "jawa-barat/sukabumi-metalwork.yaml"]


def test_a_task_that_kills_its_workers_fails_its_cluster_alone(tmp_path, monkeypatch,
                                                                 inproc_scheduler):  # noqa: F811
    from distributed import KilledWorker

    real = execute.render_task

    def poison(task, peers):
        if task.source == TWO[0]:  # what the scheduler says after the third worker died running it
            raise KilledWorker(f"render-{task.source}", SimpleNamespace(address="tcp://w"), 2)
        return real(task, peers)

    monkeypatch.setattr(execute, "render_task", poison)
    params, out = _copy_params(tmp_path, only=TWO), tmp_path / "out"
    code, stdout, stderr = run_batch(params, out, scheduler=inproc_scheduler)
    assert code == 1
    assert f"error {TWO[0]}: its Dask worker died 3 times while running it (out of memory?)" in stderr
    assert "clusters: 1 rendered, 0 up to date, 1 failed" in stdout
    assert {r.subject: r.status for r in rows(out).values()} == {TWO[0]: "failed", TWO[1]: "rendered"}


def test_a_tasks_own_os_error_is_not_taken_for_a_lost_scheduler(tmp_path, monkeypatch,
                                                                 inproc_scheduler):  # noqa: F811
    def full(*args, **kwargs):
        raise OSError(28, "No space left on device")

    monkeypatch.setattr(execute, "rollup_task", full)
    params, out = _copy_params(tmp_path, only=TWO[:1]), tmp_path / "out"
    kinds = ("profile", "province-summary")
    code, _, stderr = run_batch(params, out, kinds=kinds, scheduler=inproc_scheduler)
    assert code == 2
    # One line naming the disk (storage.py's clear end), not a lost scheduler.
    assert "no space left on" in stderr and "lost the Dask scheduler" not in stderr


def test_a_running_cluster_left_without_workers_ends_the_batch_in_one_line(tmp_path):
    """Nothing restarts the workers of a running cluster once they and their nannies are gone: the
    batch stops after $CLUSTER_REPORTS_NO_WORKERS seconds without one, instead of waiting for ever."""
    params, out = _copy_params(tmp_path), tmp_path / "out"
    port = _free_port()
    address = f"tcp://127.0.0.1:{port}"
    scheduler = _start(["scheduler", "--host", "127.0.0.1", "--port", str(port)], tmp_path)
    worker = _start(["worker", address, "--nworkers", "1", "--nthreads", "1"], tmp_path)
    cmd = [str(VENV_BIN / "cluster-reports"), "batch", str(params), "--out", str(out), "--doc", "profile",
           "--lang", "en", "--format", "html", "--scheduler", address]
    try:
        from distributed import Client

        with Client(address, timeout="60s") as client:
            client.wait_for_workers(1, timeout=120)
        proc = subprocess.Popen(cmd, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True,
                                env={**_env(), "CLUSTER_REPORTS_NO_WORKERS": "4"}, start_new_session=True)
        try:
            _wait_for(lambda: _rendered(out) > 0 or proc.poll() is not None, 120, "the first documents")
            assert proc.poll() is None, proc.communicate()
            os.killpg(worker.pid, signal.SIGKILL)  # the worker and its nanny: nothing comes back
            _, stderr = proc.communicate(timeout=90)
        finally:
            if proc.poll() is None:
                os.killpg(proc.pid, signal.SIGKILL)
                proc.wait()
    finally:
        _stop([scheduler, worker])
    assert proc.returncode != 0
    assert "Traceback" not in stderr, stderr
    lines = [line for line in stderr.splitlines() if line.strip()]
    assert len(lines) == 1, stderr
    assert re.fullmatch(
        rf"error batch stopped: the Dask scheduler at {re.escape(address)} has had no workers for 4 s: "
        r"\d+ document\(s\) done, \d+ left; start workers and run the same command to resume",
        lines[0],
    ), lines[0]
