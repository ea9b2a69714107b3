"""Record: the run in the manifest (one transaction per finished task, so a killed batch loses at most
the tasks that were running), the tally of documents and clusters, and the failures, each also printed
as it comes."""

from __future__ import annotations

import os
from dataclasses import dataclass
from pathlib import Path

from rich.markup import escape

from cluster_reports import render
from cluster_reports.review.outcome import CONFLICT

from .manifest import FAILED, RENDERED, UNAVAILABLE, ClusterRow, DocumentRow, Manifest
from .rollups import Rollup
from .scan import Source
from .staleness import DocKey
from .tasks import StoppedRollup, TaskResult


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

    def fresh(self, documents: int, unavailable: int = 0, clusters: int = 0) -> None:
        """What needed no rendering: up-to-date and "not available" documents, up-to-date clusters."""
        self.up_to_date += documents
        self.unavailable += unavailable
        self.clusters_up_to_date += clusters

    def line(self, seconds: float) -> str:
        return (
            f"clusters: {self.clusters_rendered} rendered, {self.clusters_up_to_date} up to date, "
            f"{self.clusters_failed} failed; "
            f"documents: {self.rendered} rendered, {self.up_to_date} up to date, {self.failed} failed, "
            f"{self.unavailable} not available; "
            f"roll-ups: {self.rollups_rendered} rendered; {seconds:.1f} s"
        )


def sweep_partial_files(out: Path) -> int:
    """Temporary files of atomic writes (``.<name>.<random>.part``) left by a killed batch."""
    removed = 0
    for folder, _dirs, names in os.walk(out):
        for name in names:
            if name.startswith(".") and name.endswith(".part"):
                Path(folder, name).unlink(missing_ok=True)
                removed += 1
    return removed


class Recorder:
    """A run's writer of the manifest; ``kinds`` are the cluster kinds asked for."""

    def __init__(self, manifest: Manifest, out: Path, kinds: list[str], langs: list[str],
                 formats: list[str], err_console):
        self.manifest = manifest
        self.out = out
        self.kinds, self.langs, self.formats = kinds, langs, formats
        self.err = err_console
        self.run_id: int = manifest.run_id
        self.tally = Tally()

    @classmethod
    def start(cls, out: Path, options: dict, kinds: list[str], langs: list[str], formats: list[str],
              console, err_console) -> Recorder:
        """Open the manifest (removing what a killed run left half-written) and start a run."""
        manifest = Manifest(out)
        if manifest.last_run_unfinished():
            removed = sweep_partial_files(out)
            if removed:
                console.print(f"previous batch was interrupted: removed {removed} partial file(s)")
        manifest.start_run(options)
        return cls(manifest, out, kinds, langs, formats, err_console)

    def finish(self, seconds: float) -> None:
        self.manifest.finish_run({**self.tally.__dict__, "seconds": round(seconds, 3)})

    # Clusters ---------------------------------------------------------------------------------

    def fail_cluster(
        self,
        source: str,
        input_hash: str,
        error: str,
        duration: float | None,
        cluster_id: str | None = None,
        province: str | None = None,
    ) -> None:
        """Every document asked for fails with the cluster's error; the next run tries it again."""
        self.tally.clusters_failed += 1
        self.err.print(f"[red]error[/red] {escape(source)}: {escape(error)}")
        docs = [
            DocumentRow(source, kind, lang, fmt, None, None, FAILED, None, error, self.run_id)
            for kind in self.kinds
            for lang in self.langs
            for fmt in self.formats
        ]
        self.tally.failed += len(docs)
        self.manifest.record_cluster(
            ClusterRow(source, input_hash, cluster_id, province, None, FAILED, error, duration, self.run_id),
            docs,
        )

    def invalid(self, problems: list[tuple[str, str]]) -> None:
        """Files that are no cluster (stray sidecars) or clash with another (duplicate ids)."""
        for rel, message in problems:
            self.fail_cluster(rel, "", message, None)

    def summaries(self, results: list[tuple[str, dict | None, str | None]],
                  sources: dict[str, Source]) -> dict[str, dict]:
        """Loaded clusters' summaries, cached for the next run (their documents are recorded later);
        the invalid ones fail."""
        known: dict[str, dict] = {}
        cached = []
        for rel, data, error in results:
            source = sources[rel]
            if error is not None:
                self.fail_cluster(rel, source.input_hash, error, None)
                continue
            known[rel] = data
            cached.append(ClusterRow(rel, source.input_hash, data["id"], data["province_slug"], data, "ok",
                                     None, None, self.run_id))
        self.manifest.record_summaries(cached)
        return known

    def cluster(self, result: TaskResult, source: Source, summaries: dict[str, dict],
                keys: dict[DocKey, str]) -> None:
        """A rendered cluster's documents; one that could not be loaded leaves ``summaries``."""
        if result.stopped is not None:
            raise result.stopped  # a full or read-only disk: unrecorded, the next run renders it
        summary = summaries.get(result.source)
        if result.error is not None:
            summaries.pop(result.source, None)
            self.fail_cluster(
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
            key = keys[(result.source, d.kind, d.lang, d.fmt)] if d.status != FAILED else None
            # A written document's warnings stay in its row (its error column), for whoever reads
            # the manifest after the run; the index shows errors of documents not written only.
            error = d.error or ("\n".join(d.warnings) or None)
            docs.append(
                DocumentRow(result.source, d.kind, d.lang, d.fmt, key, path, d.status, d.duration, error,
                            self.run_id)
            )
            if d.status == FAILED:
                self.tally.failed += 1
            elif d.status == UNAVAILABLE:
                self.tally.unavailable += 1
            else:
                self.tally.rendered += 1
        for warning in dict.fromkeys(w for d in result.docs for w in d.warnings):  # once, not per format
            self.err.print(f"[yellow]warning[/yellow] {escape(result.source)}: {escape(warning)}")
        errors = list(dict.fromkeys(d.error for d in result.docs if d.status == FAILED))
        if errors:
            self.tally.clusters_failed += 1
            for error in errors:
                if error.startswith(CONFLICT):  # a reviewer's edits met new data: not a params error
                    self.err.print(f"[red]conflict[/red]{escape(error.removeprefix('conflict'))}")
                else:
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

    # Roll-ups ---------------------------------------------------------------------------------

    def rollup(self, rollup: Rollup, outcome: render.Outcome, duration: float,
               keys: dict[DocKey, str]) -> None:
        """A roll-up's documents: each one asked for and not written is a failure."""
        if isinstance(outcome, StoppedRollup):
            raise outcome.exc  # a full or read-only disk: unrecorded, the next run renders it
        kind, subject = rollup.kind, rollup.subject
        written = {p.name: p for p in outcome.written}
        docs = []
        for lang in self.langs:
            for fmt in self.formats:
                path = render.rollup_path(self.out, kind, rollup.province, lang, fmt)
                if outcome.error is None and path.name in written:
                    docs.append(
                        DocumentRow(subject, kind, lang, fmt, keys[(subject, kind, lang, fmt)],
                                    str(path.relative_to(self.out)), RENDERED, duration, None, self.run_id)
                    )
                    self.tally.rendered += 1
                else:
                    error = outcome.error or f"{path.name} was not written"
                    docs.append(DocumentRow(subject, kind, lang, fmt, None, None, FAILED, duration, error,
                                            self.run_id))
                    self.tally.failed += 1
        if outcome.error:
            where = rollup.province or "national"
            self.err.print(f"[red]error[/red] {escape(kind)} {escape(where)}: {escape(outcome.error)}")
        else:
            self.tally.rollups_rendered += 1
        self.manifest.record_documents(docs)
