"""Engines: how a batch task turns one cluster's params into its documents.

``direct`` composes and writes in the calling process (a warm Dask worker); ``papermill`` executes
the document kind's notebook with its parameters and keeps the executed notebook beside the
documents as the audit trail. Both end in the same code (compose + writers), so the documents'
text is the same. Either way a failure is reported per document, never raised: the batch goes on.
"""

from __future__ import annotations

import time
import warnings
from dataclasses import dataclass
from pathlib import Path

from cluster_reports import render, resources
from cluster_reports.atomic import write_atomic
from cluster_reports.batch.manifest import FAILED, RENDERED, UNAVAILABLE
from cluster_reports.compose import composer
from cluster_reports.documents import registry
from cluster_reports.domain.summary import ClusterSummary
from cluster_reports.inputs.params_io import LoadedParams

NAMES = ("direct", "papermill")


@dataclass(frozen=True)
class Job:
    """One document kind in one language, in the formats asked for."""

    kind: str
    lang: str
    formats: tuple[str, ...]


@dataclass(frozen=True)
class DocResult:
    kind: str
    lang: str
    fmt: str
    path: Path | None
    status: str
    duration: float
    error: str | None = None


def _message(exc: BaseException) -> str:
    return str(exc) or type(exc).__name__


def _unavailable(loaded: LoadedParams, job: Job) -> list[DocResult] | None:
    reason = registry.unavailable_reason(loaded, job.kind)
    if reason is None:
        return None
    return [DocResult(job.kind, job.lang, fmt, None, UNAVAILABLE, 0.0, reason) for fmt in job.formats]


def render_direct(
    loaded: LoadedParams, jobs: list[Job], out: Path, peers: list[ClusterSummary], templates: Path
) -> list[DocResult]:
    """Compose each (kind, language) once and write it in each format; a failure stays with its document."""
    results: list[DocResult] = []
    for job in jobs:
        skipped = _unavailable(loaded, job)
        if skipped:
            results += skipped
            continue
        start = time.perf_counter()
        try:
            doc = composer.compose(loaded, job.kind, job.lang, peers, templates)
        except Exception as exc:  # noqa: BLE001 - a template or data error fails this document only
            results += [
                DocResult(job.kind, job.lang, f, None, FAILED, 0.0, _message(exc)) for f in job.formats
            ]
            continue
        compose_time = (time.perf_counter() - start) / len(job.formats)
        for fmt in job.formats:
            path = render.output_path(out, loaded.params, job.kind, job.lang, fmt)
            start = time.perf_counter()
            try:
                render.write(doc, path, fmt, templates)
            except Exception as exc:  # noqa: BLE001
                results.append(DocResult(job.kind, job.lang, fmt, None, FAILED, 0.0, _message(exc)))
                continue
            results.append(
                DocResult(job.kind, job.lang, fmt, path, RENDERED, compose_time + time.perf_counter() - start)
            )
    return results


def notebook_path(out: Path, loaded: LoadedParams, kind: str) -> Path:
    """The executed notebook, beside the cluster's documents: OUT/<province>/<id>/<kind>.ipynb."""
    return render.output_path(out, loaded.params, kind, "x", "x").with_name(f"{kind}.ipynb")


def render_papermill(
    loaded: LoadedParams, jobs: list[Job], out: Path, params_root: Path, templates: Path,
    notebooks: Path | None = None, programmes: Path | None = None,
) -> list[DocResult]:
    """Execute the notebook of each kind (``<notebooks>/<kind>.ipynb``) once, for the languages and
    formats asked for, on the templates and programme library the batch hashed."""
    notebooks = notebooks or resources.notebooks()
    results: list[DocResult] = []
    by_kind: dict[str, list[Job]] = {}
    for job in jobs:
        skipped = _unavailable(loaded, job)
        if skipped:
            results += skipped
        else:
            by_kind.setdefault(job.kind, []).append(job)
    for kind, kind_jobs in by_kind.items():
        langs = list(dict.fromkeys(j.lang for j in kind_jobs))
        formats = list(dict.fromkeys(f for j in kind_jobs for f in j.formats))
        executed = notebook_path(out, loaded, kind)
        source = notebooks / f"{kind}.ipynb"
        parameters = {
            "cluster": str(loaded.path.resolve()),
            "params_root": str(params_root.resolve()),
            "languages": langs,
            "formats": formats,
            "output_dir": str(out.resolve()),
            "templates": str(templates),
            "programmes": str(programmes) if programmes else None,
        }
        start = time.perf_counter()
        error = execute_notebook(source, executed, parameters)
        duration = (time.perf_counter() - start) / sum(len(j.formats) for j in kind_jobs)
        for job in kind_jobs:
            for fmt in job.formats:
                path = render.output_path(out, loaded.params, kind, job.lang, fmt)
                if error is None and not path.is_file():
                    results.append(
                        DocResult(
                            kind,
                            job.lang,
                            fmt,
                            None,
                            FAILED,
                            duration,
                            f"{source} ran but did not write {path}",
                        )
                    )
                elif error is None:
                    results.append(DocResult(kind, job.lang, fmt, path, RENDERED, duration))
                else:
                    results.append(DocResult(kind, job.lang, fmt, None, FAILED, duration, error))
    return results


def execute_notebook(source: Path, executed: Path, parameters: dict) -> str | None:
    """Run a notebook with papermill into ``executed`` (atomically); the error, or None."""
    import papermill as pm

    failures: list[str] = []

    def execute(tmp: Path) -> None:
        try:
            with warnings.catch_warnings():
                # The temporary name ends in .part, not .ipynb: papermill warns, harmlessly.
                warnings.filterwarnings("ignore", "The specified file", UserWarning)
                pm.execute_notebook(
                    str(source),
                    str(tmp),
                    parameters=parameters,
                    cwd=str(source.parent),
                    kernel_name="python3",
                    progress_bar=False,
                    log_output=False,
                )
        except pm.PapermillExecutionError as exc:
            # Kept, not removed: the executed notebook shows the failing cell and its traceback.
            failures.append(failing_cell(exc, executed))

    try:
        write_atomic(executed, execute)
    except Exception as exc:  # noqa: BLE001 - no kernel, unreadable notebook: this kind fails
        failures.append(f"{source}: {_message(exc)}")
    return failures[0] if failures else None


def failing_cell(exc, notebook: Path, max_lines: int = 6) -> str:
    """Which cell of which notebook failed, its source (first lines) and the error."""
    lines = (exc.source or "").strip().splitlines()
    shown = "\n".join(f"    {line}" for line in lines[:max_lines])
    if len(lines) > max_lines:
        shown += "\n    ..."
    number = f"cell {exc.cell_index + 1}" if getattr(exc, "cell_index", None) is not None else "a cell"
    if getattr(exc, "exec_count", None):
        number += f" [{exc.exec_count}]"
    return f"{notebook.name}: {number} failed: {exc.ename}: {exc.evalue}\n{shown}"
