"""The manifest and the batch's up-to-date check: raw-byte hashes, what counts as a change, leftovers
of a killed run. No Dask here; see test_batch.py for whole runs."""

from __future__ import annotations

import shutil
import sqlite3
from pathlib import Path

import pytest
import sample_facts
from conftest import ROOT

from cluster_reports.batch import manifest, record, scan, staleness
from cluster_reports.batch.manifest import ClusterRow, DocumentRow, Manifest

PARAMS = ROOT / "params"


@pytest.fixture
def params(tmp_path) -> Path:
    shutil.copytree(PARAMS, tmp_path / "params")
    return tmp_path / "params" / "clusters"


def _hashes(params: Path) -> dict[str, str]:
    return {s.rel: s.input_hash for s in scan.scan(params).sources}


def test_scan_finds_every_cluster_and_not_sidecars_or_library(params):
    found = scan.scan(params)
    assert len(found.sources) == sample_facts.count()
    assert "jawa-tengah/kebumen-roof-tile.yaml" in {s.rel for s in found.sources}
    assert not any("programmes" in s.rel or s.rel.count(".") != 1 for s in found.sources)
    assert found.problems == []


def test_input_hash_follows_the_cluster_its_sidecars_csv_and_library_only(params):
    before = _hashes(params)
    kebumen = "jawa-tengah/kebumen-roof-tile.yaml"
    # The monitoring CSV, a sidecar: the cluster's hash changes, no other's.
    csv = params / "jawa-tengah" / "kebumen-roof-tile.monitoring-firms.csv"
    csv.write_text(csv.read_text() + "\n")
    after = _hashes(params)
    assert [rel for rel in before if before[rel] != after[rel]] == [kebumen]
    # The programme library changes every cluster: a plan draws on it, and every profile's findings
    # point to its programmes.
    library = PARAMS.parent / "params" / "programmes"
    lib_copy = params.parent / "programmes" / "national.yaml"
    lib_copy.write_text((library / "national.yaml").read_text() + "\n# edited\n")
    changed = {rel for rel, h in _hashes(params).items() if h != after[rel]}
    assert changed == set(sample_facts.clusters())
    assert kebumen in changed and "jawa-barat/garut-vetiver-oil.yaml" in changed


def test_stray_sidecars_are_problems_named_by_file(params):
    (params / "jawa-barat" / "garut-vetiver-oil.stratgy.yaml").write_text("x: 1\n")
    (params / "jawa-barat" / "nobody.plan.yaml").write_text("x: 1\n")
    problems = dict(scan.scan(params).problems)
    assert "unknown kind of params file 'stratgy'" in problems["jawa-barat/garut-vetiver-oil.stratgy.yaml"]
    assert "no cluster params file nobody.yaml" in problems["jawa-barat/nobody.plan.yaml"]


def test_peer_digest_ignores_what_a_selection_table_does_not_show():
    a = {"id": "a", "name_en": "A", "name_id": "A", "growth": 3, "action": 4, "firms": 10}
    b = {"id": "b", "name_en": "B", "name_id": "B", "growth": 2, "action": 2, "firms": 5}
    digest = staleness.peer_digest([a, b])
    assert staleness.peer_digest([b, {**a, "firms": 99}]) == digest  # order and firm counts do not count
    assert staleness.peer_digest([{**a, "growth": 4}, b]) != digest
    assert staleness.peer_digest([{**a, "name_id": "A2"}, b]) != digest


def test_a_kinds_templates_exclude_the_other_kinds_folders(tmp_path):
    templates = tmp_path / "templates"
    shutil.copytree(ROOT / "templates", templates)
    before = scan.kind_template_digests(templates)
    (templates / "strategy" / "en.md.j2").write_text("changed\n")
    after = scan.kind_template_digests(templates)
    assert after["strategy"] != before["strategy"]
    assert after["profile"] == before["profile"]
    (templates / "labels" / "en.yaml").write_text((templates / "labels" / "en.yaml").read_text() + "\n")
    shared = scan.kind_template_digests(templates)
    assert all(shared[k] != after[k] for k in after)  # the shared label catalogue counts for all


def test_manifest_round_trip_and_one_transaction_per_record(tmp_path):
    m = Manifest(tmp_path)
    run = m.start_run({"kinds": ["profile"]})
    summary = {"id": "x", "province_slug": "p"}
    m.record_cluster(
        ClusterRow("p/x.yaml", "h1", "x", "p", summary, "ok", None, 0.5, run),
        [
            DocumentRow(
                "p/x.yaml",
                "profile",
                "en",
                "html",
                "k1",
                "p/x/profile.en.html",
                manifest.RENDERED,
                0.4,
                None,
                run,
            )
        ],
    )
    assert m.last_run_unfinished()
    m.finish_run({"rendered": 1})
    assert not m.last_run_unfinished()
    m.close()
    again = Manifest(tmp_path)
    assert again.clusters()["p/x.yaml"].summary == summary
    doc = again.documents()[("p/x.yaml", "profile", "en", "html")]
    assert (doc.key, doc.path, doc.status) == ("k1", "p/x/profile.en.html", "rendered")
    again.forget(["p/x.yaml"])
    assert again.clusters() == {} and again.documents() == {}


def test_a_failed_write_leaves_the_previous_record(tmp_path):
    m = Manifest(tmp_path)
    run = m.start_run({})
    row = ClusterRow("p/x.yaml", "h1", "x", "p", None, "ok", None, None, run)
    m.record_cluster(row, [])
    bad = DocumentRow("p/x.yaml", "profile", "en", "html", "k", None, None, None, None, run)  # status NULL
    with pytest.raises(sqlite3.IntegrityError):
        m.record_cluster(ClusterRow("p/x.yaml", "h2", "x", "p", None, "ok", None, None, run), [bad])
    assert m.clusters()["p/x.yaml"].input_hash == "h1"  # rolled back together


def test_a_manifest_that_is_not_one_is_refused_with_its_path(tmp_path):
    (tmp_path / manifest.FILENAME).write_text("not a database, " * 100)
    with pytest.raises(manifest.ManifestError, match="manifest.sqlite"):
        Manifest(tmp_path)


def test_sweep_removes_only_temporary_files_of_atomic_writes(tmp_path):
    folder = tmp_path / "jawa-tengah" / "x"
    folder.mkdir(parents=True)
    (folder / ".profile.en.docx.abc123.part").write_bytes(b"half")
    (folder / "profile.en.docx").write_bytes(b"whole")
    assert record.sweep_partial_files(tmp_path) == 1
    assert [p.name for p in folder.iterdir()] == ["profile.en.docx"]
