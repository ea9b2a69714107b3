"""The batch: every cluster of a params folder rendered on Dask, with roll-ups, an index page and a
run manifest. ``main`` holds the output folder's lock (``lock``) for the whole run, so that a second
batch or a render is turned away before it touches anything; ``run`` is the batch's life, phase by
phase:

- scan (in the client, no parsing): find the params files and hash their raw bytes (file, sidecars,
  CSVs, programme library) with the package and templates. An unchanged cluster is neither loaded nor
  validated: its summary (for peers and roll-ups) comes from the manifest. Only clusters whose inputs
  changed are loaded, in chunked Dask tasks, to learn their summaries (a profile ranks a cluster among
  the summaries of its group and selection round, so peers must be known before any profile is rendered);
- staleness: which documents are stale, from the manifest read in bulk;
- execute: one Dask task per cluster with stale documents; it loads its params, renders them with the
  engine and returns a small result;
- record: each result as it arrives, one manifest transaction each;
- roll-ups: those whose members' summaries changed;
- the index page, from the manifest.
"""

from __future__ import annotations

import contextlib
import sqlite3
import time
from dataclasses import dataclass, field
from pathlib import Path

from rich.markup import escape

from cluster_reports import render, resources, storage
from cluster_reports.batch import engines
from cluster_reports.documents import registry

from . import index_page, lock, rollups, scan, staleness
from .execute import BatchError, Executor
from .manifest import FILENAME as MANIFEST
from .manifest import ManifestError
from .record import Recorder, sweep_partial_files
from .tasks import Settings


@dataclass(frozen=True)
class BatchOptions:
    params_dir: Path
    out: Path
    kinds: list[str]
    langs: list[str]
    formats: list[str]
    workers: int = 2
    scheduler: str | None = None
    engine: str = "direct"
    force: bool = False
    templates: Path = field(default_factory=resources.templates)
    programmes: Path | None = None  # a library for every cluster; None: each finds its own
    notebooks: Path = field(default_factory=resources.notebooks)


def run(o: BatchOptions, console, err_console, executor: Executor) -> int:
    started = time.perf_counter()
    out, params_dir, templates = o.out.resolve(), o.params_dir.resolve(), o.templates.resolve()
    kinds = [k for k in o.kinds if k in registry.KINDS]  # a cluster's documents; the others are roll-ups
    asked = {"params_dir": str(params_dir), "kinds": o.kinds, "langs": o.langs, "formats": o.formats,
             "engine": o.engine, "force": o.force}
    recorder = Recorder.start(out, asked, kinds, o.langs, o.formats, console, err_console)
    digests = scan.digests(templates, o.engine, o.notebooks)
    settings = Settings(out, templates, params_dir, o.engine, digests.templates, o.programmes, o.notebooks)

    # Scan; the summaries of unchanged clusters from the manifest, of the others loaded on Dask.
    found = scan.scan(params_dir, o.programmes)
    sources = {s.rel: s for s in found.sources}
    rows, documents = recorder.manifest.clusters(), recorder.manifest.documents()
    recorder.invalid(found.problems)
    summaries, dirty = staleness.cached_summaries(sources, rows)
    for results in executor.summarise(dirty, settings):
        summaries.update(recorder.summaries(results, sources))
    summaries, duplicates = staleness.without_duplicate_ids(summaries)
    recorder.invalid(duplicates)

    # Decide what is stale, execute it, record each cluster as it finishes.
    plan = staleness.stale_clusters(summaries, sources, documents, digests, kinds=kinds, langs=o.langs,
                                    formats=o.formats, out=out, force=o.force)
    recorder.tally.fresh(plan.up_to_date, plan.unavailable, plan.clusters_up_to_date)
    for result in executor.render(plan.stale, plan.groups, settings, recorder.run_id):
        recorder.cluster(result, sources[result.source], summaries, plan.keys)
    gone = staleness.vanished(rows, sources, found.problems)
    if gone:
        recorder.manifest.forget(gone)

    # Roll-ups whose members (or templates) changed.
    rollup_kinds = [k for k in o.kinds if k in registry.ROLLUPS]
    if rollup_kinds:
        documents = recorder.manifest.documents()
        members = rollups.members(summaries, documents, kinds, o.langs, o.formats)
        library = scan.tree_digest(settings.rollup_programmes or resources.shipped_programmes())
        due = rollups.stale_rollups(rollups.selection(rollup_kinds, members), documents, digests,
                                    langs=o.langs, formats=o.formats, out=out, force=o.force,
                                    library=library)
        recorder.tally.fresh(due.up_to_date)
        for rollup, outcome, duration in executor.rollups(due.stale, o.langs, o.formats, settings):
            recorder.rollup(rollup, outcome, duration, due.keys)

    # The index page, from the manifest: what earlier runs rendered as well as this run's work.
    index = index_page.write(out, recorder.manifest, recorder.run_id, o.kinds, o.langs, o.formats,
                             [*sources, *dict(found.problems)], templates, notebooks=o.engine == "papermill")
    elapsed = time.perf_counter() - started
    recorder.finish(elapsed)
    recorder.manifest.close()
    console.print(recorder.tally.line(elapsed))
    console.print(f"index: {escape(str(index))}")
    return 1 if (recorder.tally.failed or recorder.tally.clusters_failed) else 0


def check_options(options: BatchOptions) -> list[str]:
    problems = render.check_choices(options.kinds, options.langs, options.formats)
    if options.engine not in engines.NAMES:
        problems.append(
            f"--engine: unknown engine {options.engine!r} (choose from {', '.join(engines.NAMES)})"
        )
    if not options.params_dir.is_dir():
        problems.append(f"{options.params_dir}: no such folder of params files")
    if options.out.exists() and not options.out.is_dir():
        problems.append(f"--out {options.out}: exists and is not a folder")
    if not options.kinds:
        problems.append("--doc: name at least one document")
    return problems


def main(options: BatchOptions, console, err_console) -> int:
    problems = check_options(options)
    if problems:
        for message in problems:
            err_console.print(f"[red]error[/red] {escape(message)}")
        return 2
    try:
        with lock.hold(options.out.resolve(), "batch", console):
            return _run_locked(options, console, err_console)
    except (lock.LockHeld, OSError) as exc:  # the lock could not be taken: nothing was touched
        line = storage.ending(exc, options.out.resolve()) or str(exc)
        err_console.print(f"[red]error[/red] {escape(line)}")
        return 2
    except KeyboardInterrupt:
        err_console.print(f"[red]interrupted[/red]: {escape(INTERRUPTED)}")
        return 130


INTERRUPTED = "finished documents are kept and recorded; run the same command to do the rest"


def _run_locked(options: BatchOptions, console, err_console) -> int:
    """The batch, its output folder locked: its workers end before the lock is let go."""
    executor = Executor(options.workers, options.scheduler, console)
    try:
        return run(options, console, err_console, executor)
    except (OSError, sqlite3.DatabaseError) as exc:
        line = storage.ending(exc, options.out.resolve(), options.out.resolve() / MANIFEST)
        if line is None and not isinstance(exc, OSError):
            raise  # a bug, not the disk: its traceback is wanted
        executor.close()  # no worker writes any more: what they left half-written can go
        with contextlib.suppress(OSError):  # a folder refused to us: the next run's sweep does it
            sweep_partial_files(options.out.resolve())
        err_console.print(f"[red]error[/red] {escape(line or str(exc))}")
        return 2
    except (BatchError, ManifestError) as exc:
        err_console.print(f"[red]error[/red] {escape(str(exc))}")
        return 2
    finally:
        executor.close()
