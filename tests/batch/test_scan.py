"""The scan: which files are clusters, what a cluster's input hash follows, the digests a kind's
documents share. Raw bytes only: no params are loaded here, and no Dask."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest
from conftest import ROOT

from cluster_reports.batch import scan

PARAMS = ROOT / "params"
KEBUMEN = "jawa-tengah/kebumen-roof-tile.yaml"


@pytest.fixture
def params(tmp_path) -> Path:
    shutil.copytree(PARAMS, tmp_path / "params")
    return tmp_path / "params" / "clusters"


def _hashes(params: Path) -> dict[str, str]:
    return {s.rel: s.input_hash for s in scan.scan(params).sources}


def _changed(before: dict[str, str], after: dict[str, str]) -> set[str]:
    return {rel for rel in before if before[rel] != after[rel]}


def test_a_sidecar_edit_changes_only_its_clusters_hash(params):
    before = _hashes(params)
    strategy = params / "jawa-tengah" / "kebumen-roof-tile.strategy.yaml"
    strategy.write_text(strategy.read_text() + "\n# reviewed\n")
    assert _changed(before, _hashes(params)) == {KEBUMEN}


def test_a_firms_csv_named_otherwise_counts_for_its_cluster_and_no_other(params):
    folder = params / "jawa-tengah"
    (folder / "kebumen-roof-tile.monitoring-firms.csv").rename(folder / "firms-2004.csv")
    monitoring = folder / "kebumen-roof-tile.monitoring.yaml"
    text = monitoring.read_text()
    assert "firms_csv: kebumen-roof-tile.monitoring-firms.csv" in text
    monitoring.write_text(text.replace("firms_csv: kebumen-roof-tile.monitoring-firms.csv",
                                       "firms_csv: 'firms-2004.csv'  # the survey's own name"))
    (folder / "unrelated.csv").write_text("a,b\n")
    before = _hashes(params)
    (folder / "firms-2004.csv").write_text((folder / "firms-2004.csv").read_text() + "\n")
    (folder / "unrelated.csv").write_text("a,b\n1,2\n")
    assert _changed(before, _hashes(params)) == {KEBUMEN}


def test_hidden_folders_and_a_programme_library_below_the_clusters_are_not_scanned(params):
    before = _hashes(params)
    hidden = params / "jawa-barat" / ".backup"
    hidden.mkdir()
    shutil.copy2(params / "jawa-barat" / "garut-vetiver-oil.yaml", hidden / "garut-vetiver-oil.yaml")
    library = params / "jawa-barat" / "programmes"
    library.mkdir()
    (library / "regional.yaml").write_text("programmes: []\n")
    found = scan.scan(params)
    assert {s.rel for s in found.sources} == set(before) and found.problems == []


def test_the_package_counts_by_its_version_not_its_source(params, monkeypatch):
    before = _hashes(params)
    assert _hashes(params) == before  # the same bytes, the same hashes
    monkeypatch.setattr(scan, "__version__", "99.0")
    assert _changed(before, _hashes(params)) == set(before)


def test_digests_follow_the_templates_of_each_kind_and_the_engines_notebooks(tmp_path):
    templates, notebooks = tmp_path / "templates", tmp_path / "notebooks"
    shutil.copytree(ROOT / "templates", templates)
    shutil.copytree(ROOT / "notebooks", notebooks)
    direct = scan.digests(templates, "direct", notebooks)
    papermill = scan.digests(templates, "papermill", notebooks)
    assert direct.engine == "direct" and papermill.engine != direct.engine
    assert papermill.kinds == direct.kinds and papermill.templates == direct.templates

    (notebooks / "profile.ipynb").write_text((notebooks / "profile.ipynb").read_text() + "\n")
    assert scan.digests(templates, "direct", notebooks) == direct  # direct runs no notebook
    assert scan.digests(templates, "papermill", notebooks).engine != papermill.engine

    (templates / "province-summary" / "extra.md.j2").write_text("new\n")
    after = scan.digests(templates, "direct", notebooks)
    assert after.templates != direct.templates  # a worker drops its cached templates
    assert {k for k in after.kinds if after.kinds[k] != direct.kinds[k]} == {"province-summary"}


def test_digests_of_every_kind_follow_the_package_version(tmp_path, monkeypatch):
    before = scan.digests(ROOT / "templates", "direct", ROOT / "notebooks")
    monkeypatch.setattr(scan, "__version__", "99.0")
    after = scan.digests(ROOT / "templates", "direct", ROOT / "notebooks")
    assert all(after.kinds[k] != before.kinds[k] for k in before.kinds)
    assert after.templates == before.templates
