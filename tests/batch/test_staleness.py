"""Staleness: which cluster documents a batch renders, from the scan, the summaries and the manifest's
rows. Plain data in, a plan out: no Dask, nothing rendered (a "previous run" is rows and empty files)."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest
import sample_facts
from conftest import ROOT

from cluster_reports.batch import scan, staleness
from cluster_reports.batch.engines import Job
from cluster_reports.batch.manifest import FAILED, RENDERED, UNAVAILABLE, ClusterRow, DocumentRow
from cluster_reports.domain.summary import summarise
from cluster_reports.inputs import params_io

PARAMS = ROOT / "params"
KEBUMEN = "jawa-tengah/kebumen-roof-tile.yaml"
TEGAL = "jawa-tengah/tegal-metalwork.yaml"
CLUSTERS = sample_facts.count()  # every cluster params file of the sample


@pytest.fixture(scope="module")
def summaries() -> dict[str, dict]:
    """The sample's summaries by file, as the batch keeps them (loaded once for the module)."""
    root = PARAMS / "clusters"
    return {
        s.rel: summarise(params_io.load_file(s.path)).to_dict() for s in scan.scan(root).sources
    }


@pytest.fixture
def batch(tmp_path, summaries) -> Batch:
    shutil.copytree(PARAMS, tmp_path / "params")
    return Batch(tmp_path / "params" / "clusters", tmp_path / "out", ROOT / "templates", summaries)


class Batch:
    """The inputs of a batch's staleness check, and a stand-in for its rendering."""

    def __init__(self, params: Path, out: Path, templates: Path, summaries: dict[str, dict]):
        self.params, self.out, self.templates = params, out, templates
        self.summaries = {rel: dict(data) for rel, data in summaries.items()}
        self.documents: dict[tuple[str, str, str, str], DocumentRow] = {}

    def plan(self, kinds=("profile",), langs=("en",), formats=("html", "docx"), engine="direct", force=False):
        sources = {s.rel: s for s in scan.scan(self.params).sources}
        digests = scan.digests(self.templates, engine, ROOT / "notebooks")
        return staleness.stale_clusters(
            self.summaries, sources, self.documents, digests, kinds=list(kinds), langs=list(langs),
            formats=list(formats), out=self.out, force=force,
        )

    def render(self, plan: staleness.Plan) -> None:
        """Record every stale document as written (an empty file under its key), as a run would."""
        for stale in plan.stale:
            for job in stale.jobs:
                for fmt in job.formats:
                    doc = (stale.source.rel, job.kind, job.lang, fmt)
                    path = f"{Path(stale.source.rel).with_suffix('')}/{job.kind}.{job.lang}.{fmt}"
                    (self.out / path).parent.mkdir(parents=True, exist_ok=True)
                    (self.out / path).write_bytes(b"")
                    self.documents[doc] = DocumentRow(*doc, plan.keys[doc], path, RENDERED, 0.1, None, 1)


def _stale(plan: staleness.Plan) -> dict[str, tuple[Job, ...]]:
    return {s.source.rel: s.jobs for s in plan.stale}


def test_a_first_run_renders_every_document_asked_for_and_keys_each(batch):
    plan = batch.plan(kinds=("profile", "strategy"), langs=("id", "en"))
    assert len(plan.stale) == CLUSTERS
    assert _stale(plan)[KEBUMEN] == (
        Job("profile", "id", ("html", "docx")),
        Job("profile", "en", ("html", "docx")),
        Job("strategy", "id", ("html", "docx")),
        Job("strategy", "en", ("html", "docx")),
    )
    assert len(plan.keys) == CLUSTERS * 2 * 2 * 2 and len(set(plan.keys.values())) == len(plan.keys)
    assert (plan.up_to_date, plan.unavailable, plan.clusters_up_to_date) == (0, 0, 0)


def test_nothing_is_stale_once_every_document_is_recorded_under_its_key(batch):
    batch.render(batch.plan())
    plan = batch.plan()
    assert plan.stale == []
    assert (plan.up_to_date, plan.clusters_up_to_date) == (CLUSTERS * 2, CLUSTERS)  # html and docx


def test_a_sidecar_edit_makes_only_that_cluster_stale(batch):
    kinds = ("profile", "strategy")
    batch.render(batch.plan(kinds=kinds))
    sidecar = batch.params / "jawa-tengah" / "kebumen-roof-tile.strategy.yaml"
    sidecar.write_text(sidecar.read_text() + "\n# reviewed\n")
    plan = batch.plan(kinds=kinds)
    assert _stale(plan) == {
        KEBUMEN: (Job("profile", "en", ("html", "docx")), Job("strategy", "en", ("html", "docx")))
    }
    assert plan.clusters_up_to_date == CLUSTERS - 1


def test_a_template_of_one_kind_leaves_the_other_kinds_fresh(batch, tmp_path):
    batch.templates = tmp_path / "templates"
    shutil.copytree(ROOT / "templates", batch.templates)
    kinds = ("profile", "strategy")
    batch.render(batch.plan(kinds=kinds))
    source = batch.templates / "strategy" / "en.md.j2"
    source.write_text(source.read_text() + "\n")
    plan = batch.plan(kinds=kinds)
    assert len(plan.stale) == CLUSTERS  # those without a strategy too: whether one is available is re-checked
    assert {job.kind for s in plan.stale for job in s.jobs} == {"strategy"}
    assert plan.up_to_date == CLUSTERS * 2  # every profile


def test_another_engine_renders_everything_again(batch):
    batch.render(batch.plan())
    assert len(batch.plan(engine="papermill").stale) == CLUSTERS


def test_a_deleted_output_file_is_rendered_again_in_that_format_only(batch):
    batch.render(batch.plan())
    (batch.out / batch.documents[(TEGAL, "profile", "en", "html")].path).unlink()
    plan = batch.plan()
    assert _stale(plan) == {TEGAL: (Job("profile", "en", ("html",)),)}
    assert plan.up_to_date == CLUSTERS * 2 - 1


def test_a_failed_document_is_retried_and_one_not_available_stays_fresh_without_a_file(batch):
    plan = batch.plan(kinds=("strategy",))
    batch.render(plan)
    failed, unavailable = (KEBUMEN, "strategy", "en", "docx"), (TEGAL, "strategy", "en", "html")
    batch.documents[failed] = DocumentRow(*failed, None, None, FAILED, 0.1, "boom", 1)  # as recorded
    batch.documents[unavailable] = DocumentRow(
        *unavailable, plan.keys[unavailable], None, UNAVAILABLE, 0.0, "no strategy data", 1
    )
    again = batch.plan(kinds=("strategy",))
    assert _stale(again) == {KEBUMEN: (Job("strategy", "en", ("docx",)),)}
    assert (again.up_to_date, again.unavailable) == (CLUSTERS * 2 - 2, 1)


def test_a_change_a_selection_table_shows_makes_that_groups_profiles_stale(batch):
    kinds = ("profile", "strategy")
    batch.render(batch.plan(kinds=kinds))
    tegal = batch.summaries[TEGAL]
    group = staleness.group_of(tegal)
    peers = {rel for rel, data in batch.summaries.items() if staleness.group_of(data) == group}
    assert peers == sample_facts.peers(TEGAL) and 1 < len(peers) < CLUSTERS

    tegal["firms"] += 1  # not in the table: nothing of its peers
    assert batch.plan(kinds=kinds).stale == []
    tegal["name_en"] = "Tegal metal cluster"
    plan = batch.plan(kinds=kinds)
    assert set(_stale(plan)) == peers
    assert {job.kind for s in plan.stale for job in s.jobs} == {"profile"}  # a strategy has no peers
    assert {s.group for s in plan.stale} == {group}
    assert len(plan.groups[group]) == len(peers)


def test_peers_go_only_with_profiles(batch):
    assert {s.group for s in batch.plan(kinds=("strategy",)).stale} == {None}
    assert None not in {s.group for s in batch.plan(kinds=("profile",)).stale}


def test_force_renders_everything(batch):
    batch.render(batch.plan())
    plan = batch.plan(force=True)
    assert len(plan.stale) == CLUSTERS and plan.up_to_date == 0


def test_an_unchanged_valid_cluster_takes_its_summary_from_the_manifest(batch):
    sources = {s.rel: s for s in scan.scan(batch.params).sources}
    kebumen, tegal = sources[KEBUMEN], sources[TEGAL]
    garut = sources["jawa-barat/garut-vetiver-oil.yaml"]
    rows = {
        KEBUMEN: ClusterRow(KEBUMEN, kebumen.input_hash, "k", "p", {"id": "k"}, "ok", None, 1.0, 1),
        TEGAL: ClusterRow(TEGAL, "an older hash", "t", "p", {"id": "t"}, "ok", None, 1.0, 1),
        garut.rel: ClusterRow(garut.rel, garut.input_hash, None, None, None, FAILED, "invalid", None, 1),
    }
    known, dirty = staleness.cached_summaries(sources, rows)
    assert known == {KEBUMEN: {"id": "k"}}
    assert tegal in dirty and garut in dirty and len(dirty) == CLUSTERS - 1  # a failed one is tried again


def test_two_files_of_one_id_both_fail_and_name_each_other():
    summaries = {"a/x.yaml": {"id": "x"}, "b/y.yaml": {"id": "y"}, "c/x.yaml": {"id": "x"}}
    kept, problems = staleness.without_duplicate_ids(summaries)
    assert kept == {"b/y.yaml": {"id": "y"}}
    assert problems == [
        ("a/x.yaml", "id: duplicate id 'x', also used by c/x.yaml"),
        ("c/x.yaml", "id: duplicate id 'x', also used by a/x.yaml"),
    ]


def test_a_cluster_whose_file_is_gone_is_forgotten_a_stray_file_is_not(batch):
    sources = {s.rel: s for s in scan.scan(batch.params).sources}
    row = ClusterRow("x", "h", None, None, None, FAILED, "e", None, 1)
    rows = {KEBUMEN: row, "gone/old.yaml": row, "jawa-barat/nobody.plan.yaml": row}
    problems = [("jawa-barat/nobody.plan.yaml", "no cluster params file nobody.yaml beside it")]
    assert staleness.vanished(rows, sources, problems) == ["gone/old.yaml"]
