"""Execute: the batch's tasks on Dask, results handed back as each finishes.

The client is started only when there is work: a local cluster of ``workers`` processes, or the
running cluster at ``scheduler``, whose workers must run this very code.
"""

from __future__ import annotations

import logging
from collections.abc import Iterator

from cluster_reports import render
from cluster_reports.domain.summary import ClusterSummary

from .progress import ProgressBar
from .rollups import Rollup
from .scan import Source, package_digest
from .staleness import Group, Stale
from .tasks import Settings, Task, TaskResult, render_task, rollup_task, summarise_chunk, worker_package

SUMMARY_CHUNK = 50  # clusters per summary task: loading one takes ~10 ms, a task's overhead ~1 ms


class BatchError(RuntimeError):
    """The batch cannot run at all (no workers, workers on other code)."""


class Executor:
    def __init__(self, workers: int, scheduler: str | None, console):
        self.workers, self.scheduler = workers, scheduler
        self.console = console
        self._client = None
        self._local = None

    def client(self):
        if self._client is None:
            from distributed import Client, LocalCluster

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
        if self._client is not None:
            self._client.close()
        if self._local is not None:
            self._local.close()

    # Submitting and collecting ------------------------------------------------------------------

    def summarise(self, sources: list[Source], settings: Settings) -> Iterator[list]:
        """The results of summarise_chunk for these clusters, a chunk at a time."""
        if not sources:
            return
        from distributed import as_completed

        client = self.client()
        chunks = [sources[i : i + SUMMARY_CHUNK] for i in range(0, len(sources), SUMMARY_CHUNK)]
        futures = [
            client.submit(summarise_chunk, [(s.rel, s.path) for s in chunk], settings.programmes, pure=False)
            for chunk in chunks
        ]
        with ProgressBar(self.console, "Reading changed params", len(sources)) as advance:
            for future in as_completed(futures):
                results = future.result()
                future.release()
                yield results
                advance(len(results))

    def render(self, stale: list[Stale], groups: dict[Group, list[dict]], settings: Settings,
               run_id: int) -> Iterator[TaskResult]:
        """Each stale cluster rendered by render_task, with its group-round's summaries as peers."""
        if not stale:
            return
        from distributed import as_completed

        client = self.client()
        # A group-round's peers go to the workers once, not once per cluster, and as one object:
        # scattering the list itself would make a future of each peer, and every task of the group
        # would depend on hundreds of them (millions of edges for the scheduler at national scale).
        needed = {s.group for s in stale if s.group is not None}
        scattered = {
            g: client.scatter([[ClusterSummary.from_dict(d) for d in groups[g]]], hash=False)[0]
            for g in needed
        }
        futures = [
            client.submit(
                render_task,
                Task(s.source.rel, s.source.path, s.jobs, settings),
                scattered.get(s.group, []),
                pure=False,
                key=f"render-{s.source.rel}-{run_id}",
            )
            for s in stale
        ]
        with ProgressBar(self.console, "Rendering clusters", len(futures)) as advance:
            for future in as_completed(futures):
                result = future.result()
                future.release()
                yield result
                advance(1)

    def rollups(self, stale: list[Rollup], langs: list[str], formats: list[str],
                settings: Settings) -> Iterator[tuple[Rollup, render.Outcome, float]]:
        """Each stale roll-up rendered by rollup_task: (roll-up, its render.Outcome, seconds)."""
        if not stale:
            return
        from distributed import as_completed

        client = self.client()
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
        with ProgressBar(self.console, "Rendering roll-ups", len(futures)) as advance:
            for future in as_completed(list(futures)):
                rollup = futures.pop(future)
                outcome, duration = future.result()
                future.release()
                yield rollup, outcome, duration
                advance(1)
