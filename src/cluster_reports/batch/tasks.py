"""What runs on a Dask worker: loading changed clusters for their summaries, rendering a cluster's stale
documents, rendering a roll-up. Each returns a small result and never raises for one cluster's
problem: the batch goes on."""

from __future__ import annotations

import time
from dataclasses import dataclass
from pathlib import Path

from cluster_reports import render, storage
from cluster_reports.batch import engines
from cluster_reports.batch.engines import DocResult, Job
from cluster_reports.compose import templating
from cluster_reports.domain.summary import ClusterSummary, summarise
from cluster_reports.inputs import params_io, programmes, publication

from .scan import package_digest


@dataclass(frozen=True)
class Settings:
    """What every task of a batch shares."""

    out: Path
    templates: Path
    params_root: Path
    engine: str
    templates_digest: str
    programmes: Path | None = None
    notebooks: Path | None = None

    @property
    def rollup_programmes(self) -> Path | None:
        """The library whose national programmes the roll-ups present: the one given, else the
        nearest above the params folder (None: the shipped one)."""
        return self.programmes or programmes.find_folder(self.params_root)


@dataclass(frozen=True)
class Task:
    source: str
    path: Path
    jobs: tuple[Job, ...]
    settings: Settings


@dataclass(frozen=True)
class TaskResult:
    source: str
    cluster_id: str | None
    docs: list[DocResult]
    error: str | None  # the cluster could not be loaded (invalid params) or rendered at all
    duration: float
    stopped: OSError | None = None  # a full or read-only disk: the batch ends with it


@dataclass
class StoppedRollup(render.Outcome):
    """A roll-up that met a full or read-only disk: the batch ends with ``exc``."""

    exc: OSError | None = None


_LOADED_PACKAGE = package_digest()  # what this process imported: computed once, at import
_seen_templates: list[str] = []


def worker_package() -> str:
    """The package digest of the code this (worker) process runs."""
    return _LOADED_PACKAGE


def check_worker(templates_digest: str) -> None:
    if _seen_templates != [templates_digest]:
        # A long-lived worker keeps label catalogues and template environments: drop them when the
        # template library changed since this worker's last task.
        from cluster_reports.documents import i18n

        i18n._load_catalogue.cache_clear()
        i18n._merged.cache_clear()
        templating._environment.cache_clear()
        _seen_templates[:] = [templates_digest]


def _problems_text(exc: Exception) -> str:
    if isinstance(exc, params_io.ParamsError):
        return "\n".join(str(p) for p in dict.fromkeys(exc.problems))
    return str(exc) or type(exc).__name__


def summarise_chunk(items: list[tuple[str, Path]],
                    programmes_dir: Path | None = None) -> list[tuple[str, dict | None, str | None]]:
    """Load and validate clusters whose inputs changed; their summaries, or why they are invalid."""
    results = []
    for rel, path in items:
        try:
            results.append((rel, summarise(params_io.load_file(path, programmes_dir)).to_dict(), None))
        except Exception as exc:  # noqa: BLE001 - reported per cluster
            results.append((rel, None, _problems_text(exc)))
    return results


def peer_summaries(members: list[dict]) -> list[ClusterSummary]:
    """A group-round's summaries, the peers of each of its profiles: a task of its own, so that the
    scheduler can make them again from these plain dicts when the worker holding them is lost."""
    return [ClusterSummary.from_dict(d) for d in members]


def render_task(task: Task, peers: list[ClusterSummary]) -> TaskResult:
    start = time.perf_counter()
    cluster_id = None
    s = task.settings
    try:
        check_worker(s.templates_digest)
        loaded = params_io.load_file(task.path, s.programmes)
        cluster_id = loaded.params.id
        if s.engine == "papermill":
            docs = engines.render_papermill(
                loaded, list(task.jobs), s.out, s.params_root, s.templates, s.notebooks, s.programmes
            )
        else:
            docs = engines.render_direct(loaded, list(task.jobs), s.out, peers, s.templates)
    except Exception as exc:  # noqa: BLE001 - the batch goes on
        # A full or read-only disk ends the batch (every task would fail), in the client: returned,
        # not raised, so that the worker logs no traceback and Dask does not retry the task.
        stopped = exc if storage.ends_run(exc, s.out) else None
        return TaskResult(task.source, cluster_id, [], _problems_text(exc), time.perf_counter() - start,
                          stopped)
    return TaskResult(task.source, cluster_id, docs, None, time.perf_counter() - start)


def rollup_task(
    kind: str,
    members: list[ClusterSummary],
    key: str | None,
    langs: list[str],
    formats: list[str],
    out: Path,
    templates: Path,
    templates_digest: str,
    params_root: Path | None = None,
    programmes: Path | None = None,
) -> tuple[render.Outcome, float]:
    start = time.perf_counter()
    check_worker(templates_digest)
    try:  # the covers take the project's publication.yaml, found above the params folder
        defaults = publication.for_params(params_root) if params_root is not None else None
    except params_io.ParamsError as exc:
        failed = render.Outcome(f"{kind}:{key or 'national'}", None, error=_problems_text(exc))
        return failed, time.perf_counter() - start
    try:
        outcome = render.render_rollup(
            kind, sorted(members, key=lambda s: s.id), key, langs, formats, out, templates,
            publication=defaults.publication if defaults else None, programmes=programmes,
        )
    except OSError as exc:  # only those that end the run leave render_rollup
        outcome = StoppedRollup(f"{kind}:{key or 'national'}", None, error=str(exc), exc=exc)
    return outcome, time.perf_counter() - start
