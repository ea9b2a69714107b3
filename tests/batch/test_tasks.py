"""What runs on a worker, called directly (as a warm worker would): summaries of changed clusters, a
render task that cannot load its cluster, the worker's cached templates. No Dask here."""

from __future__ import annotations

import shutil

from conftest import ROOT

from cluster_reports.batch import tasks
from cluster_reports.batch.engines import Job
from cluster_reports.documents import i18n

CLUSTERS = ROOT / "params" / "clusters"


def test_summaries_of_changed_clusters_or_why_each_is_invalid(tmp_path):
    tegal = CLUSTERS / "jawa-tengah" / "tegal-metalwork.yaml"
    broken = tmp_path / "clusters" / "jawa-tengah" / "broken.yaml"
    broken.parent.mkdir(parents=True)
    broken.write_text(tegal.read_text() + "\nharvest_month: 5\n")
    items = [("a.yaml", tegal), ("b.yaml", broken), ("c.yaml", tmp_path / "none.yaml")]
    results = tasks.summarise_chunk(items)
    assert [rel for rel, _, _ in results] == ["a.yaml", "b.yaml", "c.yaml"]
    (_, summary, error), (_, no_summary, problems), (_, _, missing) = results
    assert error is None and summary["id"] == "tegal-metalwork" and summary["province_slug"] == "jawa-tengah"
    assert no_summary is None and "harvest_month" in problems
    assert missing and "none.yaml" in missing


def test_a_render_task_reports_a_cluster_it_cannot_load(tmp_path):
    settings = tasks.Settings(tmp_path / "out", ROOT / "templates", CLUSTERS, "direct", "digest")
    task = tasks.Task("x/gone.yaml", tmp_path / "gone.yaml", (Job("profile", "en", ("html",)),), settings)
    result = tasks.render_task(task, [])
    assert (result.source, result.cluster_id, result.docs) == ("x/gone.yaml", None, [])
    assert "gone.yaml" in result.error
    assert not (tmp_path / "out").exists()


def test_a_worker_reads_its_labels_again_only_when_the_template_library_changed(tmp_path):
    templates = tmp_path / "templates"
    shutil.copytree(ROOT / "templates", templates)
    catalogue = templates / "labels" / "en.yaml"
    tasks.check_worker("library 1")
    assert i18n.labels(templates, "en")("document.profile") == "Cluster Profiling Report"
    catalogue.write_text(catalogue.read_text().replace("profile: Cluster Profiling Report",
                                                       "profile: Cluster Profile"))
    tasks.check_worker("library 1")  # the same library: what the worker compiled is kept
    assert i18n.labels(templates, "en")("document.profile") == "Cluster Profiling Report"
    tasks.check_worker("library 2")
    assert i18n.labels(templates, "en")("document.profile") == "Cluster Profile"
