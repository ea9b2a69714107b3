"""Execute: the batch's tasks on Dask, results handed back as each finishes.

The client is started only when there is work: a local cluster of ``workers`` processes, or the
running cluster at ``scheduler``, whose workers must run this very code.

A lost worker costs only the tasks it was running: the scheduler runs them again elsewhere, and a
group-round's peers are a task's result (not scattered data, which dies with its worker), so that the
scheduler can make them again. A task that killed its worker ``ALLOWED_FAILURES + 1`` times fails its
cluster (or roll-up) alone. No task is given Dask ``retries``: they apply to exceptions only (not to
a lost worker), and a task never raises for a cluster's problem (tasks.py), so a retry could only run
a bug into the same error again. A lost scheduler ends the batch with one line (SchedulerLost); each
finished task is already in the manifest, so the next run resumes.
"""

from __future__ import annotations

import logging
import os
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager

from cluster_reports import render

from .progress import ProgressBar
from .rollups import Rollup
from .scan import Source, package_digest
from .staleness import Group, Stale
from .tasks import (
    Settings,
    Task,
    TaskResult,
    peer_summaries,
    render_task,
    rollup_task,
    summarise_chunk,
    worker_package,
)

SUMMARY_CHUNK = 50  # clusters per summary task: loading one takes ~10 ms, a task's overhead ~1 ms
# Workers of the local cluster die of a task (out of memory, a crash in a native library) more than of
# anything else: a task is tried on three workers, then its cluster fails (Dask's default restarts a
# fourth worker for it). A running cluster (--scheduler) keeps its own setting.
ALLOWED_FAILURES = 2
# A running cluster (--scheduler) whose workers all died is not restarted by anything: after this many
# seconds without a worker the batch stops rather than wait for ever ($CLUSTER_REPORTS_NO_WORKERS).
NO_WORKERS_DEFAULT = 120


class BatchError(RuntimeError):
    """The batch cannot run at all (no workers, workers on other code)."""


class SchedulerLost(BatchError):
    """The client lost its Dask scheduler mid-run (the scheduler died, or the connection to it)."""


def no_workers_limit() -> float:
    raw = os.environ.get("CLUSTER_REPORTS_NO_WORKERS", "")
    try:
        return float(raw) if float(raw) > 0 else NO_WORKERS_DEFAULT
    except ValueError:
        return NO_WORKERS_DEFAULT


def _quiet_dask_logs() -> dict[str, int]:
    """Quiet Dask's logging in this process for the batch (the former levels): what it logs of a lost
    worker or scheduler (reconnection attempts, their tracebacks) would bury the batch's own line. A
    task that kills its workers is reported as its cluster's error."""
    names = ["distributed", "tornado"]
    names += [n for n in logging.Logger.manager.loggerDict if n.startswith(("distributed.", "tornado."))]
    levels = {name: logging.getLogger(name).level for name in names}
    for name in names:
        logging.getLogger(name).setLevel(logging.CRITICAL)
    return levels


def _died(exc: BaseException) -> str:
    """Why a task failed that killed every worker it was tried on."""
    return f"its Dask worker died {exc.allowed_failures + 1} times while running it (out of memory?)"


class Executor:
    def __init__(self, workers: int, scheduler: str | None, console):
        self.workers, self.scheduler = workers, scheduler
        self.console = console
        self._client = None
        self._local = None
        self._done = self._left = 0  # documents handed back this run; of tasks not handed back yet
        self._levels: dict[str, int] = {}  # of Dask's loggers, before the batch quietened them

    def client(self):
        if self._client is None:
            from distributed import Client, LocalCluster

            self._levels = _quiet_dask_logs()
            if self.scheduler:
                self._client = Client(self.scheduler, timeout="30s")
                self._check_workers()
            else:
                self._local = LocalCluster(
                    n_workers=self.workers,
                    threads_per_worker=1,
                    processes=True,
                    dashboard_address=None,
                    silence_logs=logging.ERROR,
                    scheduler_kwargs={"allowed_failures": ALLOWED_FAILURES},
                )
                self._client = Client(self._local)
        return self._client

    def _check_workers(self) -> None:
        """Workers of a running cluster may have imported another version of the package: documents
        they render would be recorded as made by this one."""
        theirs = self._client.run(worker_package)
        if not theirs:
            raise BatchError(f"the Dask scheduler at {self.scheduler} has no workers")
        package_digest.cache_clear()
        stale = sorted(w for w, digest in theirs.items() if digest != package_digest())
        if stale:
            raise BatchError(
                f"Dask worker(s) {', '.join(stale)} run another version of cluster-reports "
                "than this batch: restart them"
            )

    def close(self) -> None:
        try:
            if self._client is not None:
                self._client.close(timeout=10)
            if self._local is not None:
                self._local.close(timeout=10)
        except (OSError, TimeoutError, RuntimeError):
            pass  # a scheduler already lost: nothing left to close cleanly, and the batch says why
        for name, level in self._levels.items():
            logging.getLogger(name).setLevel(level)

    # A lost scheduler ----------------------------------------------------------------------------

    def _where(self) -> str:
        if self.scheduler:
            return f"the Dask scheduler at {self.scheduler}"
        address = self._local.scheduler_address if self._local is not None else "?"
        return f"the local Dask cluster's scheduler at {address}"

    @contextmanager
    def _scheduler_kept(self, reading: list[int] | None = None):
        """Turn the loss of the scheduler into SchedulerLost: the futures are cancelled, or a call
        finds the connection closed or times out. ``reading`` ([read, of]): in the summary phase."""
        from distributed.client import ClosedClientError, FutureCancelledError
        from distributed.comm import CommClosedError

        try:
            yield
        except (FutureCancelledError, ClosedClientError, OSError) as exc:  # TimeoutError is an OSError
            lost = (FutureCancelledError, ClosedClientError, CommClosedError)
            if not isinstance(exc, lost) and self._client is not None and self._client.status == "running":
                raise  # a task's own error (a full disk on a worker), with the scheduler still there
            if reading is not None:
                state = f" while reading changed params ({reading[0]} of {reading[1]} read)"
            else:
                state = f": {self._done} document(s) done, {self._left} left"
            raise SchedulerLost(
                f"batch stopped: lost {self._where()}{state}; run the same command to resume"
            ) from exc

    # Submitting and collecting ------------------------------------------------------------------

    def _results(self, futures: dict, died: Callable[[object, str], object]) -> Iterator[tuple]:
        """(item, its task's result) as each finishes, ``futures`` mapping future -> item; a task
        that killed every worker it was tried on gives ``died(item, why)`` instead."""
        from distributed import KilledWorker

        for future in self._completed(futures):
            item = futures.pop(future)
            try:
                result = future.result()
            except KilledWorker as exc:
                result = died(item, _died(exc))
            future.release()
            yield item, result

    def _completed(self, futures) -> Iterator:
        """The futures as they finish (distributed.as_completed), watching a running cluster for
        workers: when none is left for ``no_workers_limit()`` seconds, SchedulerLost says so (the
        local cluster's nannies restart its workers; nothing restarts those of a running one)."""
        from distributed import as_completed

        pending = as_completed(list(futures))
        if not self.scheduler:
            yield from pending
            return
        limit, alone_since, checked = no_workers_limit(), None, time.monotonic()
        while not pending.is_empty():
            if pending.has_ready():
                yield from pending.next_batch(block=False)
                continue
            time.sleep(0.05)
            if time.monotonic() - checked < 2:
                continue
            checked = time.monotonic()
            if self._client.nthreads():
                alone_since = None
            elif alone_since is None:
                alone_since = checked
            elif checked - alone_since >= limit:
                raise SchedulerLost(
                    f"batch stopped: {self._where()} has had no workers for {limit:g} s: "
                    f"{self._done} document(s) done, {self._left} left; start workers and run the same "
                    "command to resume"
                )

    def summarise(self, sources: list[Source], settings: Settings) -> Iterator[list]:
        """The results of summarise_chunk for these clusters, a chunk at a time."""
        if not sources:
            return
        client = self.client()
        chunks = [sources[i : i + SUMMARY_CHUNK] for i in range(0, len(sources), SUMMARY_CHUNK)]
        reading = [0, len(sources)]
        with self._scheduler_kept(reading):
            futures = {
                client.submit(summarise_chunk, [(s.rel, s.path) for s in chunk], settings.programmes,
                              pure=False): chunk
                for chunk in chunks
            }
            with ProgressBar(self.console, "Reading changed params", len(sources)) as advance:
                for _, results in self._results(
                        futures, lambda chunk, why: [(s.rel, None, why) for s in chunk]):
                    yield results
                    reading[0] += len(results)
                    advance(len(results))

    def render(self, stale: list[Stale], groups: dict[Group, list[dict]], settings: Settings,
               run_id: int) -> Iterator[TaskResult]:
        """Each stale cluster rendered by render_task, with its group-round's summaries as peers."""
        if not stale:
            return
        client = self.client()
        with self._scheduler_kept():
            # A group-round's peers are made on a worker once, not once per cluster, as one object (a
            # future of each peer would give every task of the group hundreds of dependencies: millions
            # of edges for the scheduler at national scale), and by a task: the scheduler makes them
            # again if the worker holding them is lost, where scattered data would be gone. At national
            # scale (9,800 summaries, 75 group-rounds) they reach two workers in 0.8-1.7 s, against
            # 1.4-2.5 s scattered and 1.7-2.6 s scattered to every worker.
            needed = sorted({s.group for s in stale if s.group is not None})
            peers = {
                g: client.submit(peer_summaries, groups[g], pure=False, key=f"peers-{n}-{run_id}")
                for n, g in enumerate(needed)
            }
            futures = {
                client.submit(
                    render_task,
                    Task(s.source.rel, s.source.path, s.jobs, settings),
                    peers.get(s.group, []),
                    pure=False,
                    key=f"render-{s.source.rel}-{run_id}",
                ): s
                for s in stale
            }
            self._left += sum(_documents(s) for s in stale)
            with ProgressBar(self.console, "Rendering clusters", len(futures)) as advance:
                for s, result in self._results(
                        futures, lambda s, why: TaskResult(s.source.rel, None, [], why, 0.0)):
                    yield result
                    self._done, self._left = self._done + _documents(s), self._left - _documents(s)
                    advance(1)
            del peers  # released with the last render: no worker keeps them

    def rollups(self, stale: list[Rollup], langs: list[str], formats: list[str],
                settings: Settings) -> Iterator[tuple[Rollup, render.Outcome, float]]:
        """Each stale roll-up rendered by rollup_task: (roll-up, its render.Outcome, seconds)."""
        if not stale:
            return
        client = self.client()
        each = len(langs) * len(formats)
        with self._scheduler_kept():
            futures = {
                client.submit(
                    rollup_task,
                    r.kind,
                    r.members,
                    r.province,
                    langs,
                    formats,
                    settings.out,
                    settings.templates,
                    settings.templates_digest,
                    settings.params_root,
                    settings.rollup_programmes,
                    pure=False,
                ): r
                for r in stale
            }
            self._left += each * len(stale)
            with ProgressBar(self.console, "Rendering roll-ups", len(futures)) as advance:
                for rollup, (outcome, duration) in self._results(
                        futures, lambda r, why: (render.Outcome(r.subject, None, error=why), 0.0)):
                    yield rollup, outcome, duration
                    self._done, self._left = self._done + each, self._left - each
                    advance(1)


def _documents(stale: Stale) -> int:
    return sum(len(job.formats) for job in stale.jobs)
