"""Recording: task results into manifest rows, the tally and the messages printed; a run's start and
end. A real manifest in a temporary folder, results made by hand: no Dask."""

from __future__ import annotations

import io
import json
from pathlib import Path

import pytest
from rich.console import Console

from cluster_reports import render
from cluster_reports.batch import staleness
from cluster_reports.batch.engines import DocResult
from cluster_reports.batch.manifest import FAILED, RENDERED, UNAVAILABLE, Manifest
from cluster_reports.batch.record import Recorder
from cluster_reports.batch.rollups import Rollup
from cluster_reports.batch.scan import Digests, Source
from cluster_reports.batch.tasks import TaskResult

REL = "jawa-tengah/tegal-metalwork.yaml"
SUMMARY = {"id": "tegal-metalwork", "province_slug": "jawa-tengah", "group": "g", "selection_round": "r",
           "name_en": "Tegal", "name_id": "Tegal", "growth": 3, "action": 3}
DIGESTS = Digests("t", "direct", {"profile": "p", "strategy": "s"})


class Run:
    def __init__(self, out: Path, kinds=("profile", "strategy"), langs=("en",), formats=("html", "docx")):
        self.out, self.stdout, self.stderr = out, io.StringIO(), io.StringIO()
        self.recorder = Recorder.start(out, {"kinds": list(kinds)}, list(kinds), list(langs), list(formats),
                                       Console(file=self.stdout), Console(file=self.stderr, width=300))
        self.source = Source(out.parent / "params" / REL, REL, "hash-1")
        self.sources = {REL: self.source}
        self.summaries = {REL: dict(SUMMARY)}

    def plan(self) -> staleness.Plan:
        r = self.recorder
        return staleness.stale_clusters(self.summaries, self.sources, r.manifest.documents(), DIGESTS,
                                        kinds=r.kinds, langs=r.langs, formats=r.formats, out=self.out)

    def record(self, docs: list[DocResult], plan: staleness.Plan) -> None:
        result = TaskResult(REL, "tegal-metalwork", docs, None, 1.5)
        self.recorder.cluster(result, self.source, self.summaries, plan.keys)

    def written(self, kind: str, lang: str, fmt: str) -> DocResult:
        path = self.out / "jawa-tengah" / "tegal-metalwork" / f"{kind}.{lang}.{fmt}"
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_bytes(b"")
        return DocResult(kind, lang, fmt, path, RENDERED, 0.2)


@pytest.fixture
def run(tmp_path) -> Run:
    return Run(tmp_path / "out")


def test_rendered_documents_are_recorded_with_their_keys_and_relative_paths(run):
    plan = run.plan()
    docs = [
        run.written("profile", "en", "html"),
        run.written("profile", "en", "docx"),
        DocResult("strategy", "en", "html", None, UNAVAILABLE, 0.0, "no strategy data"),
        DocResult("strategy", "en", "docx", None, UNAVAILABLE, 0.0, "no strategy data"),
    ]
    run.record(docs, plan)
    rows = run.recorder.manifest.documents()
    html = rows[(REL, "profile", "en", "html")]
    assert (html.key, html.path, html.status) == (
        plan.keys[(REL, "profile", "en", "html")], "jawa-tengah/tegal-metalwork/profile.en.html", RENDERED
    )
    strategy = rows[(REL, "strategy", "en", "docx")]
    assert (strategy.status, strategy.path, strategy.error) == (UNAVAILABLE, None, "no strategy data")
    assert strategy.key == plan.keys[(REL, "strategy", "en", "docx")]  # "not available" is fresh next time
    cluster = run.recorder.manifest.clusters()[REL]
    assert (cluster.status, cluster.summary, cluster.error) == ("ok", SUMMARY, None)
    assert cluster.input_hash == "hash-1"
    t = run.recorder.tally
    assert (t.rendered, t.unavailable, t.failed, t.clusters_rendered, t.clusters_failed) == (2, 2, 0, 1, 0)
    assert run.stderr.getvalue() == ""
    assert run.plan().stale == []


def test_a_failed_document_has_no_key_and_is_retried_by_the_next_run(run):
    plan = run.plan()
    docs = [
        run.written("profile", "en", "html"),
        DocResult("profile", "en", "docx", None, FAILED, 0.1, "docx: disk full"),
        run.written("strategy", "en", "html"),
        run.written("strategy", "en", "docx"),
    ]
    run.record(docs, plan)
    row = run.recorder.manifest.documents()[(REL, "profile", "en", "docx")]
    assert (row.key, row.status, row.error) == (None, FAILED, "docx: disk full")
    assert f"error {REL}: docx: disk full" in run.stderr.getvalue()
    cluster = run.recorder.manifest.clusters()[REL]
    assert (cluster.status, cluster.summary, cluster.error) == ("ok", SUMMARY, "docx: disk full")
    assert REL in run.summaries  # still a member of its roll-ups
    t = run.recorder.tally
    assert (t.rendered, t.failed, t.clusters_rendered, t.clusters_failed) == (3, 1, 0, 1)
    again = run.plan()
    assert [(s.source.rel, [(j.kind, j.formats) for j in s.jobs]) for s in again.stale] == [
        (REL, [("profile", ("docx",))])
    ]


def test_a_cluster_that_cannot_be_loaded_fails_every_document_asked_for(run):
    result = TaskResult(REL, None, [], "harvest_month: extra field", 0.3)
    run.recorder.cluster(result, run.source, run.summaries, run.plan().keys)
    rows = run.recorder.manifest.documents()
    assert len(rows) == 4 and {(r.status, r.key, r.error) for r in rows.values()} == {
        (FAILED, None, "harvest_month: extra field")
    }
    cluster = run.recorder.manifest.clusters()[REL]
    assert (cluster.status, cluster.summary, cluster.province_slug) == (FAILED, None, "jawa-tengah")
    assert run.summaries == {}  # no roll-up counts it
    assert staleness.cached_summaries(run.sources, run.recorder.manifest.clusters()) == ({}, [run.source])
    t = run.recorder.tally
    assert (t.failed, t.clusters_failed) == (4, 1)


def test_loaded_summaries_are_cached_and_invalid_files_fail(run):
    bad = Source(run.source.path.with_name("broken.yaml"), "jawa-tengah/broken.yaml", "hash-2")
    sources = {**run.sources, bad.rel: bad}
    known = run.recorder.summaries([(REL, SUMMARY, None), (bad.rel, None, "name: missing")], sources)
    assert known == {REL: SUMMARY}
    clusters = run.recorder.manifest.clusters()
    assert (clusters[REL].status, clusters[REL].summary) == ("ok", SUMMARY)
    assert (clusters[bad.rel].status, clusters[bad.rel].error) == (FAILED, "name: missing")
    assert staleness.cached_summaries(sources, clusters) == ({REL: SUMMARY}, [bad])
    assert "jawa-tengah/broken.yaml: name: missing" in run.stderr.getvalue()


def test_stray_files_fail_by_name(run):
    run.recorder.invalid([("jawa-barat/nobody.plan.yaml", "no cluster params file nobody.yaml beside it")])
    row = run.recorder.manifest.clusters()["jawa-barat/nobody.plan.yaml"]
    assert (row.status, row.input_hash) == (FAILED, "")
    assert "nobody.plan.yaml: no cluster params file nobody.yaml beside it" in run.stderr.getvalue()
    assert run.recorder.tally.clusters_failed == 1 and run.recorder.tally.failed == 4


def _rollup_keys(rollup: Rollup, langs, formats) -> dict:
    return {(rollup.subject, rollup.kind, la, f): f"key-{la}-{f}" for la in langs for f in formats}


def test_a_roll_up_document_not_written_is_a_failure(tmp_path):
    run = Run(tmp_path / "out", kinds=("profile",))
    rollup = Rollup("province-summary", "jawa-tengah", [])
    html = render.rollup_path(run.out, rollup.kind, "jawa-tengah", "en", "html")
    outcome = render.Outcome("province-summary:jawa-tengah", None, written=[html])
    run.recorder.rollup(rollup, outcome, 2.0, _rollup_keys(rollup, ["en"], ["html", "docx"]))
    rows = run.recorder.manifest.documents()
    written = rows[("province:jawa-tengah", "province-summary", "en", "html")]
    assert (written.status, written.key, written.path) == (
        RENDERED, "key-en-html", "jawa-tengah/province-summary.en.html"
    )
    missing = rows[("province:jawa-tengah", "province-summary", "en", "docx")]
    assert (missing.status, missing.key, missing.error) == (
        FAILED, None, "province-summary.en.docx was not written"
    )
    t = run.recorder.tally
    assert (t.rendered, t.failed, t.rollups_rendered) == (1, 1, 1)


def test_a_roll_up_that_failed_fails_all_its_documents_and_says_so(tmp_path):
    run = Run(tmp_path / "out", kinds=("profile",))
    rollup = Rollup("national-summary", None, [])
    outcome = render.Outcome("national-summary:national", None, error="KeyError: 'province'")
    run.recorder.rollup(rollup, outcome, 0.5, _rollup_keys(rollup, ["en"], ["html", "docx"]))
    rows = run.recorder.manifest.documents()
    assert {(r.subject, r.status, r.error) for r in rows.values()} == {
        ("national", FAILED, "KeyError: 'province'")
    }
    assert "error national-summary national: KeyError: 'province'" in run.stderr.getvalue()
    assert (run.recorder.tally.failed, run.recorder.tally.rollups_rendered) == (2, 0)


def test_a_run_after_an_interrupted_one_sweeps_partial_files_and_the_tally_is_kept(tmp_path):
    out = tmp_path / "out"
    killed = Manifest(out)
    killed.start_run({})  # never finished
    killed.close()
    partial = out / "jawa-tengah" / "x" / ".profile.en.docx.abc123.part"
    partial.parent.mkdir(parents=True)
    partial.write_bytes(b"half")
    run = Run(out)
    assert not partial.exists()
    assert "previous batch was interrupted: removed 1 partial file(s)" in run.stdout.getvalue()
    run.recorder.tally.fresh(3, unavailable=1, clusters=2)
    run.recorder.finish(1.23456)
    summary = run.recorder.manifest.db.execute("SELECT summary FROM runs WHERE id = 2").fetchone()[0]
    assert json.loads(summary) == {
        "rendered": 0, "up_to_date": 3, "failed": 0, "unavailable": 1, "clusters_failed": 0,
        "clusters_rendered": 0, "clusters_up_to_date": 2, "rollups_rendered": 0, "seconds": 1.235,
    }
    assert run.recorder.tally.line(1.23456) == (
        "clusters: 0 rendered, 2 up to date, 0 failed; documents: 0 rendered, 3 up to date, 0 failed, "
        "1 not available; roll-ups: 0 rendered; 1.2 s"
    )

    partial.write_bytes(b"half")  # the last run finished: nothing of it is half-written
    Run(out)
    assert partial.exists()
