"""The batch engine: every cluster of a params folder rendered on Dask, with roll-ups, an index page
and a run manifest.

Phase 1 (in the client, no parsing): find the params files, hash their raw bytes (file, sidecars,
CSVs, programme library) with the package and templates, read the manifest in bulk and decide which
documents are stale. An unchanged cluster is neither loaded nor validated: its summary (for peers and
roll-ups) comes from the manifest. Only clusters whose inputs changed are loaded, in chunked Dask
tasks, to learn their summaries (a profile ranks a cluster among the summaries of its group and
selection round, so peers must be known before any profile is rendered).

Phase 2 (on Dask): one task per cluster with stale documents; it loads its params, renders them
with the engine and returns a small result. Results are recorded as they arrive, one manifest
transaction each. Then the roll-ups whose members' summaries changed, then the index page.
"""

from __future__ import annotations

import hashlib
import json
import logging
import os
import re
import time
from collections.abc import Iterable
from dataclasses import dataclass, field, replace
from functools import cache
from pathlib import Path

from rich.markup import escape

from cluster_reports import __version__, render, resources
from cluster_reports.batch import engines
from cluster_reports.batch.engines import DocResult, Job
from cluster_reports.compose import templating
from cluster_reports.documents import registry
from cluster_reports.domain.summary import ClusterSummary, summarise
from cluster_reports.inputs import params_io, programmes
from cluster_reports.inputs.schema import PARTS

from .manifest import (
    FAILED,
    RENDERED,
    UNAVAILABLE,
    ClusterRow,
    DocumentRow,
    Manifest,
    ManifestError,
    rollup_subject,
)

PACKAGE = Path(__file__).resolve().parents[1]  # the cluster_reports package
SUMMARY_CHUNK = 50  # clusters per summary task: loading one takes ~10 ms, a task's overhead ~1 ms
_FIRMS_CSV = re.compile(rb"^firms_csv:\s*['\"]?([^'\"#\r\n]+?)['\"]?\s*(?:#.*)?$", re.MULTILINE)


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


# Phase 1: inputs and their hashes ----------------------------------------------------------------


@dataclass(frozen=True)
class Source:
    """A cluster's params file as found on disk, before any parsing."""

    path: Path  # absolute
    rel: str  # relative to the params folder: the manifest's key
    input_hash: str  # raw bytes of the file, its sidecars, CSVs and library, and the package


@dataclass
class Scan:
    sources: list[Source] = field(default_factory=list)
    problems: list[tuple[str, str]] = field(default_factory=list)  # (rel path, message): stray files


def _digest_files(paths: Iterable[Path], root: Path) -> str:
    digest = hashlib.sha256()
    for path in paths:
        data = path.read_bytes()
        digest.update(f"{path.relative_to(root)}\0{len(data)}\0".encode())
        digest.update(data)
    return digest.hexdigest()


@cache
def package_digest() -> str:
    """Version and source of the package: what a worker runs must be what the batch runs."""
    files = sorted(p for p in PACKAGE.rglob("*") if p.suffix in (".py", ".csv", ".md") and p.is_file())
    return hashlib.sha256(f"{__version__}\0{_digest_files(files, PACKAGE)}".encode()).hexdigest()


def tree_digest(folder: Path) -> str:
    files = sorted(p for p in folder.rglob("*") if p.is_file() and not p.name.startswith("."))
    return _digest_files(files, folder)


def kind_template_digests(templates: Path) -> dict[str, str]:
    """Per document kind, the template library without the other kinds' folders: a new roll-up's
    templates do not make every profile stale. Shared parts (labels, frame, HTML, Word styles) count
    for all kinds."""
    kinds = {*registry.KINDS, *registry.ROLLUPS}
    parts = {
        entry.name: tree_digest(entry) if entry.is_dir() else _digest_files([entry], templates)
        for entry in sorted(templates.iterdir())
        if not entry.name.startswith(".")
    }
    return {
        kind: _key(
            *(f"{name}:{digest}" for name, digest in parts.items() if name == kind or name not in kinds)
        )
        for kind in kinds
    }


def _library_digest(folder: Path | None, cache: dict) -> str:
    """Hashed once per scan (every cluster with a plan shares the library)."""
    if folder not in cache:
        cache[folder] = tree_digest(folder) if folder is not None else "none"
    return cache[folder]


def scan(params_dir: Path, programmes_dir: Path | None = None) -> Scan:
    """Cluster files below the params folder (as params_io.discover finds them), hashed from raw bytes."""
    result = Scan()
    # The package by its version, as the brief of the manifest says: code edited without a new
    # version re-renders only with --force (hashing the source would re-render on every dev edit).
    package = __version__
    root = params_dir.resolve()
    libraries: dict = {}
    for folder, dirs, names in os.walk(root):
        dirs[:] = sorted(d for d in dirs if d != programmes.FOLDER and not d.startswith("."))
        here = Path(folder)
        clusters = sorted(
            n for n in names if Path(n).suffix in params_io.PARAMS_SUFFIXES and n.count(".") == 1
        )
        stems = {Path(n).stem for n in clusters}
        for name in sorted(names):  # sidecars with an unknown part or no cluster file beside them
            if Path(name).suffix in params_io.PARAMS_SUFFIXES and name.count(".") == 2:
                stem, part = name.split(".")[:2]
                if part not in PARTS:
                    result.problems.append(
                        (
                            str((here / name).relative_to(root)),
                            f"unknown kind of params file {part!r}: a cluster's files are "
                            f"<id>.yaml and <id>.<{'|'.join(PARTS)}>.yaml",
                        )
                    )
                elif stem not in stems:
                    result.problems.append(
                        (
                            str((here / name).relative_to(root)),
                            f"no cluster params file {stem}.yaml beside it",
                        )
                    )
        for name in clusters:
            path = here / name
            result.sources.append(
                Source(path, str(path.relative_to(root)),
                       _input_hash(path, names, package, libraries, programmes_dir))
            )
    return result


def _input_hash(path: Path, names: list[str], package: str, libraries: dict,
                programmes_dir: Path | None) -> str:
    """Everything a cluster's documents are made from, by raw bytes: no parsing, no validation."""
    prefix = path.stem + "."
    files = [path, *sorted(path.with_name(n) for n in names if n.startswith(prefix) and n != path.name)]
    for side in [f for f in files if ".monitoring." in f.name]:
        match = _FIRMS_CSV.search(side.read_bytes())  # a CSV named otherwise than <id>.*
        if match:
            csv = side.parent / match.group(1).decode(errors="replace").strip()
            if csv.is_file() and csv not in files:
                files.append(csv)
    has_plan = any(f.name.startswith(prefix + "plan.") for f in files)
    library = _library_digest(programmes.folder_for(path, programmes_dir), libraries) if has_plan else "-"
    digest = hashlib.sha256(f"{package}\0{library}\0".encode())
    digest.update(_digest_files(files, path.parent).encode())
    return digest.hexdigest()


def _key(*parts: str) -> str:
    return hashlib.sha256("\0".join(parts).encode()).hexdigest()


def peer_digest(members: list[dict]) -> str:
    """What of a group-round's clusters shows in a profile's selection table (not their firms etc.)."""
    fields = ("id", "name_en", "name_id", "growth", "action")
    return _key(json.dumps(sorted([m[f] for f in fields] for m in members)))


# Worker side -------------------------------------------------------------------------------------


@dataclass(frozen=True)
class Task:
    source: str
    path: Path
    jobs: tuple[Job, ...]
    out: Path
    templates: Path
    params_root: Path
    engine: str
    templates_digest: str
    programmes: Path | None = None
    notebooks: Path | None = None


@dataclass(frozen=True)
class TaskResult:
    source: str
    cluster_id: str | None
    docs: list[DocResult]
    error: str | None  # the cluster could not be loaded (invalid params) or rendered at all
    duration: float


_LOADED_PACKAGE = package_digest()  # what this process imported: computed once, at import
_seen_templates: list[str] = []


def worker_package() -> str:
    """The package digest of the code this (worker) process runs."""
    return _LOADED_PACKAGE


def _check_worker(templates_digest: str) -> None:
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


def render_task(task: Task, peers: list[ClusterSummary]) -> TaskResult:
    start = time.perf_counter()
    cluster_id = None
    try:
        _check_worker(task.templates_digest)
        loaded = params_io.load_file(task.path, task.programmes)
        cluster_id = loaded.params.id
        if task.engine == "papermill":
            docs = engines.render_papermill(
                loaded, list(task.jobs), task.out, task.params_root, task.templates, task.notebooks,
                task.programmes,
            )
        else:
            docs = engines.render_direct(loaded, list(task.jobs), task.out, peers, task.templates)
    except Exception as exc:  # noqa: BLE001 - the batch goes on
        return TaskResult(task.source, cluster_id, [], _problems_text(exc), time.perf_counter() - start)
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
) -> tuple[render.Outcome, float]:
    start = time.perf_counter()
    try:
        _check_worker(templates_digest)
    except RuntimeError as exc:
        return render.Outcome(f"{kind}:{key or 'national'}", None, error=str(exc)), 0.0
    outcome = render.render_rollup(
        kind, sorted(members, key=lambda s: s.id), key, langs, formats, out, templates
    )
    return outcome, time.perf_counter() - start


class BatchError(RuntimeError):
    """The batch cannot run at all (no workers, workers on other code)."""


# The client ---------------------------------------------------------------------------------------


@dataclass
class Tally:
    rendered: int = 0  # documents written in this run
    up_to_date: int = 0
    failed: int = 0
    unavailable: int = 0
    clusters_failed: int = 0
    clusters_rendered: int = 0
    clusters_up_to_date: int = 0
    rollups_rendered: int = 0


class Batch:
    def __init__(self, options: BatchOptions, console, err_console):
        self.o = options
        self.console, self.err = console, err_console
        self.out = options.out.resolve()
        self.params_dir = options.params_dir.resolve()
        self.templates = options.templates.resolve()
        self.cluster_kinds = [k for k in options.kinds if k in registry.KINDS]
        self.rollup_kinds = [k for k in options.kinds if k in registry.ROLLUPS]
        self.tally = Tally()
        self.client = None
        self._local = None

    # Dask, started only when there is work ---------------------------------------------------

    def dask(self):
        if self.client is None:
            from distributed import Client, LocalCluster

            if self.o.scheduler:
                self.client = Client(self.o.scheduler, timeout="30s")
                self._check_workers()
            else:
                self._local = LocalCluster(
                    n_workers=self.o.workers,
                    threads_per_worker=1,
                    processes=True,
                    dashboard_address=None,
                    silence_logs=logging.ERROR,
                )
                self.client = Client(self._local)
        return self.client

    def _check_workers(self) -> None:
        """Workers of a running cluster may have imported another version of the package: documents
        they render would be recorded as made by this one."""
        theirs = self.client.run(worker_package)
        if not theirs:
            raise BatchError(f"the Dask scheduler at {self.o.scheduler} has no workers")
        package_digest.cache_clear()
        stale = sorted(w for w, digest in theirs.items() if digest != package_digest())
        if stale:
            raise BatchError(
                f"Dask worker(s) {', '.join(stale)} run another version of cluster-reports "
                "than this batch: restart them"
            )

    def close(self) -> None:
        if self.client is not None:
            self.client.close()
        if self._local is not None:
            self._local.close()

    # The run ----------------------------------------------------------------------------------

    def run(self) -> int:
        started = time.perf_counter()
        self.manifest = Manifest(self.out)
        if self.manifest.last_run_unfinished():
            removed = sweep_partial_files(self.out)
            if removed:
                self.console.print(f"previous batch was interrupted: removed {removed} partial file(s)")
        self.run_id = self.manifest.start_run(
            {
                "params_dir": str(self.params_dir),
                "kinds": self.o.kinds,
                "langs": self.o.langs,
                "formats": self.o.formats,
                "engine": self.o.engine,
                "force": self.o.force,
            }
        )
        self.package = __version__
        self.templates_digest = tree_digest(self.templates)
        engine_part = self.o.engine
        if self.o.engine == "papermill":
            engine_part += tree_digest(self.o.notebooks)
        self.kind_keys = {
            kind: _key(self.package, digest) for kind, digest in kind_template_digests(self.templates).items()
        }
        self.engine_part = engine_part

        found = scan(self.params_dir, self.o.programmes)
        self.sources = {s.rel: s for s in found.sources}
        rows = self.manifest.clusters()
        doc_rows = self.manifest.documents()
        self.failures: dict[str, str] = {}
        self._record_stray(found.problems)
        summaries = self._summaries(rows)
        self._duplicates(summaries)
        tasks, peers_of = self._stale_clusters(summaries, doc_rows)
        if tasks:
            self._render(tasks, peers_of, summaries)
        vanished = [s for s in rows if s not in self.sources and s not in dict(found.problems)]
        if vanished:
            self.manifest.forget(vanished)
        if self.rollup_kinds:
            self._rollups(summaries)
        from . import index_page

        index = index_page.write(
            self.out,
            self.manifest,
            self.run_id,
            self.o.kinds,
            self.o.langs,
            self.o.formats,
            [*self.sources, *dict(found.problems)],
            self.templates,
            notebooks=self.o.engine == "papermill",
        )
        elapsed = time.perf_counter() - started
        t = self.tally
        self.manifest.finish_run({**t.__dict__, "seconds": round(elapsed, 3)})
        self.console.print(
            f"clusters: {t.clusters_rendered} rendered, {t.clusters_up_to_date} up to date, "
            f"{t.clusters_failed} failed; documents: {t.rendered} rendered, {t.up_to_date} up to date, "
            f"{t.failed} failed, {t.unavailable} not available; roll-ups: {t.rollups_rendered} rendered; "
            f"{elapsed:.1f} s"
        )
        self.console.print(f"index: {escape(str(index))}")
        return 1 if (t.failed or t.clusters_failed) else 0

    def _record_stray(self, problems: list[tuple[str, str]]) -> None:
        for rel, message in problems:
            self._fail_cluster(rel, "", message, None)

    def _fail_cluster(
        self,
        source: str,
        input_hash: str,
        error: str,
        duration: float | None,
        cluster_id: str | None = None,
        province: str | None = None,
    ) -> None:
        self.failures[source] = error
        self.tally.clusters_failed += 1
        self.err.print(f"[red]error[/red] {escape(source)}: {escape(error)}")
        docs = [
            DocumentRow(source, kind, lang, fmt, None, None, FAILED, None, error, self.run_id)
            for kind in self.cluster_kinds
            for lang in self.o.langs
            for fmt in self.o.formats
        ]
        self.tally.failed += len(docs)
        self.manifest.record_cluster(
            ClusterRow(source, input_hash, cluster_id, province, None, FAILED, error, duration, self.run_id),
            docs,
        )

    def _summaries(self, rows: dict[str, ClusterRow]) -> dict[str, dict]:
        """Every valid cluster's summary: from the manifest when its inputs are unchanged, else loaded."""
        known: dict[str, dict] = {}
        dirty: list[Source] = []
        for rel, source in self.sources.items():
            row = rows.get(rel)
            if row and row.status != FAILED and row.input_hash == source.input_hash and row.summary:
                known[rel] = row.summary
            else:
                dirty.append(source)
        if dirty:
            client = self.dask()
            chunks = [dirty[i : i + SUMMARY_CHUNK] for i in range(0, len(dirty), SUMMARY_CHUNK)]
            futures = [
                client.submit(summarise_chunk, [(s.rel, s.path) for s in chunk],
                              self.o.programmes, pure=False)
                for chunk in chunks
            ]
            from distributed import as_completed

            with self._progress("Reading changed params", len(dirty)) as advance:
                for future in as_completed(futures):
                    results = future.result()
                    future.release()
                    cached = []
                    for rel, data, error in results:
                        source = self.sources[rel]
                        if error is not None:
                            self._fail_cluster(rel, source.input_hash, error, None)
                            continue
                        known[rel] = data
                        cached.append(
                            ClusterRow(
                                rel,
                                source.input_hash,
                                data["id"],
                                data["province_slug"],
                                data,
                                "ok",
                                None,
                                None,
                                self.run_id,
                            )
                        )
                    self.manifest.record_summaries(cached)
                    advance(len(results))
        return known

    def _duplicates(self, summaries: dict[str, dict]) -> None:
        by_id: dict[str, list[str]] = {}
        for rel, data in summaries.items():
            by_id.setdefault(data["id"], []).append(rel)
        for cluster_id, rels in by_id.items():
            if len(rels) > 1:
                for rel in rels:
                    others = ", ".join(r for r in rels if r != rel)
                    summaries.pop(rel)
                    self._fail_cluster(
                        rel, "", f"id: duplicate id {cluster_id!r}, also used by {others}", None
                    )

    def _stale_clusters(self, summaries: dict[str, dict], doc_rows: dict) -> tuple[list[Task], dict]:
        groups: dict[tuple[str, str], list[dict]] = {}
        for data in summaries.values():
            groups.setdefault((data["group"], data["selection_round"]), []).append(data)
        group_digests = {g: peer_digest(members) for g, members in groups.items()}
        self.doc_keys: dict[tuple[str, str, str, str], str] = {}
        tasks: list[Task] = []
        peers_of: dict[str, tuple[str, str]] = {}
        for rel, data in summaries.items():
            source = self.sources[rel]
            group = (data["group"], data["selection_round"])
            jobs = []
            for kind in self.cluster_kinds:
                for lang in self.o.langs:
                    stale = []
                    for fmt in self.o.formats:
                        extra = group_digests[group] if kind == "profile" else ""
                        key = _key(
                            self.kind_keys[kind], self.engine_part, source.input_hash, kind, lang, fmt, extra
                        )
                        self.doc_keys[(rel, kind, lang, fmt)] = key
                        row = doc_rows.get((rel, kind, lang, fmt))
                        if self.o.force or not self._fresh(row, key):
                            stale.append(fmt)
                        elif row.status == UNAVAILABLE:
                            self.tally.unavailable += 1
                        else:
                            self.tally.up_to_date += 1
                    if stale:
                        jobs.append(Job(kind, lang, tuple(stale)))
            if not jobs:
                self.tally.clusters_up_to_date += 1
                continue
            peers_of[rel] = group
            tasks.append(
                Task(
                    rel,
                    source.path,
                    tuple(jobs),
                    self.out,
                    self.templates,
                    self.params_dir,
                    self.o.engine,
                    self.templates_digest,
                    self.o.programmes,
                    self.o.notebooks,
                )
            )
        self.groups = groups
        return tasks, peers_of

    def _fresh(self, row: DocumentRow | None, key: str) -> bool:
        if row is None or row.key != key:
            return False
        if row.status == UNAVAILABLE:
            return True
        return row.status == RENDERED and row.path is not None and (self.out / row.path).is_file()

    def _render(self, tasks: list[Task], peers_of: dict, summaries: dict[str, dict]) -> None:
        from distributed import as_completed

        client = self.dask()
        # A group-round's peers go to the workers once, not once per cluster, and as one object:
        # scattering the list itself would make a future of each peer, and every task of the group
        # would depend on hundreds of them (millions of edges for the scheduler at national scale).
        needed = {peers_of[t.source] for t in tasks} if "profile" in self.cluster_kinds else set()
        scattered = {
            g: client.scatter([[ClusterSummary.from_dict(d) for d in self.groups[g]]], hash=False)[0]
            for g in needed
        }
        futures = [
            client.submit(
                render_task,
                task,
                scattered.get(peers_of[task.source], []),
                pure=False,
                key=f"render-{task.source}-{self.run_id}",
            )
            for task in tasks
        ]
        with self._progress("Rendering clusters", len(futures)) as advance:
            for future in as_completed(futures):
                self._record(future.result(), summaries)
                future.release()
                advance(1)

    def _record(self, result: TaskResult, summaries: dict[str, dict]) -> None:
        source = self.sources[result.source]
        summary = summaries.get(result.source)
        if result.error is not None:
            summaries.pop(result.source, None)
            self._fail_cluster(
                result.source,
                source.input_hash,
                result.error,
                result.duration,
                result.cluster_id,
                summary["province_slug"] if summary else None,
            )
            return
        docs = []
        for d in result.docs:
            path = str(d.path.relative_to(self.out)) if d.path is not None else None
            key = self.doc_keys[(result.source, d.kind, d.lang, d.fmt)] if d.status != FAILED else None
            docs.append(
                DocumentRow(
                    result.source,
                    d.kind,
                    d.lang,
                    d.fmt,
                    key,
                    path,
                    d.status,
                    d.duration,
                    d.error,
                    self.run_id,
                )
            )
            if d.status == FAILED:
                self.tally.failed += 1
            elif d.status == UNAVAILABLE:
                self.tally.unavailable += 1
            else:
                self.tally.rendered += 1
        errors = list(dict.fromkeys(d.error for d in result.docs if d.status == FAILED))
        if errors:
            self.failures[result.source] = "\n".join(errors)
            self.tally.clusters_failed += 1
            for error in errors:
                self.err.print(f"[red]error[/red] {escape(result.source)}: {escape(error)}")
        else:
            self.tally.clusters_rendered += 1
        # The params are valid ("ok") even when a document failed: the summary stays cached, and the
        # failed documents (recorded without a key) are retried by the next run.
        self.manifest.record_cluster(
            ClusterRow(
                result.source,
                source.input_hash,
                result.cluster_id,
                summary and summary["province_slug"],
                summary,
                "ok",
                "\n".join(errors) or None,
                result.duration,
                self.run_id,
            ),
            docs,
        )

    # Roll-ups -----------------------------------------------------------------------------------

    def _rollups(self, summaries: dict[str, dict]) -> None:
        """Each province's roll-up and the national one, rebuilt only when their members' summaries
        (with the documents rendered for them) changed."""
        from distributed import as_completed

        doc_rows = self.manifest.documents()
        members: list[ClusterSummary] = []
        for rel, data in summaries.items():
            rendered = tuple(
                kind
                for kind in self.cluster_kinds
                if all(
                    getattr(doc_rows.get((rel, kind, lang, fmt)), "status", None) == RENDERED
                    for lang in self.o.langs
                    for fmt in self.o.formats
                )
            )
            members.append(replace(ClusterSummary.from_dict(data), documents=rendered))
        jobs: list[tuple[str, str | None, list[ClusterSummary]]] = []
        for kind in self.rollup_kinds:
            if registry.ROLLUPS[kind].per_province:
                provinces: dict[str, list[ClusterSummary]] = {}
                for m in members:
                    provinces.setdefault(m.province_slug, []).append(m)
                jobs += [(kind, slug, ms) for slug, ms in sorted(provinces.items())]
            elif members:
                jobs.append((kind, None, members))
        stale = []
        self.rollup_keys: dict[tuple[str, str, str, str], str] = {}
        for kind, key, ms in jobs:
            content = _key(
                json.dumps(sorted((m.to_dict() for m in ms), key=lambda d: d["id"]), sort_keys=True)
            )
            subject = rollup_subject(key)
            fresh = True
            for lang in self.o.langs:
                for fmt in self.o.formats:
                    doc_key = _key(self.kind_keys[kind], kind, lang, fmt, content)
                    self.rollup_keys[(subject, kind, lang, fmt)] = doc_key
                    fresh &= not self.o.force and self._fresh(
                        doc_rows.get((subject, kind, lang, fmt)), doc_key
                    )
            if fresh:
                self.tally.up_to_date += len(self.o.langs) * len(self.o.formats)
            else:
                stale.append((kind, key, ms))
        if not stale:
            return
        client = self.dask()
        futures = {
            client.submit(
                rollup_task,
                kind,
                ms,
                key,
                self.o.langs,
                self.o.formats,
                self.out,
                self.templates,
                self.templates_digest,
                pure=False,
            ): (kind, key)
            for kind, key, ms in stale
        }
        with self._progress("Rendering roll-ups", len(futures)) as advance:
            for future in as_completed(list(futures)):
                kind, key = futures.pop(future)
                self._record_rollup(kind, key, *future.result())
                future.release()
                advance(1)

    def _record_rollup(self, kind: str, key: str | None, outcome: render.Outcome, duration: float) -> None:
        subject = rollup_subject(key)
        written = {p.name: p for p in outcome.written}
        docs = []
        for lang in self.o.langs:
            for fmt in self.o.formats:
                path = render.rollup_path(self.out, kind, key, lang, fmt)
                if outcome.error is None and path.name in written:
                    docs.append(
                        DocumentRow(
                            subject,
                            kind,
                            lang,
                            fmt,
                            self.rollup_keys[(subject, kind, lang, fmt)],
                            str(path.relative_to(self.out)),
                            RENDERED,
                            duration,
                            None,
                            self.run_id,
                        )
                    )
                    self.tally.rendered += 1
                else:
                    error = outcome.error or f"{path.name} was not written"
                    docs.append(
                        DocumentRow(
                            subject, kind, lang, fmt, None, None, FAILED, duration, error, self.run_id
                        )
                    )
                    self.tally.failed += 1
        if outcome.error:
            self.failures[f"{kind}:{key or 'national'}"] = outcome.error
            self.err.print(
                f"[red]error[/red] {escape(kind)} {escape(key or 'national')}: {escape(outcome.error)}"
            )
        else:
            self.tally.rollups_rendered += 1
        self.manifest.record_documents(docs)

    # Progress -------------------------------------------------------------------------------------

    def _progress(self, what: str, total: int):
        return _ProgressBar(self.console, what, total)


class _ProgressBar:
    """rich's progress bar (counts, elapsed, time left); plain lines when the console is no terminal."""

    def __init__(self, console, what: str, total: int):
        from rich.progress import (
            BarColumn,
            MofNCompleteColumn,
            Progress,
            TextColumn,
            TimeElapsedColumn,
            TimeRemainingColumn,
        )

        self.progress = Progress(
            TextColumn("{task.description}"),
            BarColumn(),
            MofNCompleteColumn(),
            TimeElapsedColumn(),
            TextColumn("left"),
            TimeRemainingColumn(),
            console=console,
            transient=False,
        )
        self.task = self.progress.add_task(what, total=total)

    def __enter__(self):
        self.progress.start()
        return lambda n: self.progress.advance(self.task, n)

    def __exit__(self, *exc):
        self.progress.stop()
        return False


def sweep_partial_files(out: Path) -> int:
    """Temporary files of atomic writes (``.<name>.<random>.part``) left by a killed batch."""
    removed = 0
    for folder, _dirs, names in os.walk(out):
        for name in names:
            if name.startswith(".") and name.endswith(".part"):
                Path(folder, name).unlink(missing_ok=True)
                removed += 1
    return removed


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
    batch = Batch(options, console, err_console)
    try:
        return batch.run()
    except (BatchError, ManifestError, OSError) as exc:
        err_console.print(f"[red]error[/red] {escape(str(exc))}")
        return 2
    finally:
        batch.close()
