"""Sidecar files beside a cluster's params (strategy, plan, monitoring): found, checked against the
cluster, reported by file and field; documents that need a missing sidecar are 'not available'."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest
import yaml
from cli_run import cli, cli_in_process
from conftest import SAMPLE

from cluster_reports.documents import i18n
from cluster_reports.inputs import params_io

BASE = SAMPLE / "jawa-tengah" / "tegal-metalwork.yaml"


def text(en: str) -> dict:
    return {"en": en, "id": f"{en} (id)"}


def strategy(cluster_id: str, stakeholder: str) -> dict:
    condition = {"strategy": text("Do one thing well"), "actions": [text("First step")]}
    return {
        "cluster": cluster_id,
        "vision": text("A better cluster"),
        "conditions": {k: condition for k in (
            "demand", "factor", "firm_strategy", "related_supporting", "social_capital")},
        "three_c": {"competition": text("a"), "cooperation": text("b"), "concentration": text("c")},
        "beneficiaries": text("Willing firms first"),
        "transformation": {"current": "individual", "target": "informal-network",
                           "description": text("From alone to together"), "steps": [text("Meet")]},
        "responsibilities": [{"area": "social-capital", "lead": stakeholder}],
        "provenance": [{"field": s, "source": "illustrative"} for s in (
            "vision", "conditions", "three_c", "beneficiaries", "transformation", "responsibilities")],
    }


@pytest.fixture
def cluster_dir(tmp_path: Path) -> Path:
    folder = tmp_path / "params" / "jawa-tengah"
    folder.mkdir(parents=True)
    shutil.copy(BASE, folder / BASE.name)
    return folder


def write(path: Path, data: dict) -> Path:
    path.write_text(yaml.safe_dump(data, allow_unicode=True, sort_keys=False), encoding="utf-8")
    return path


def stakeholder_of(path: Path) -> str:
    return yaml.safe_load(path.read_text(encoding="utf-8"))["stakeholders"][0]["id"]


def test_a_valid_sidecar_is_loaded_with_its_hash(cluster_dir: Path):
    write(cluster_dir / "tegal-metalwork.strategy.yaml",
          strategy("tegal-metalwork", stakeholder_of(cluster_dir / BASE.name)))
    loaded = params_io.load_file(cluster_dir / BASE.name)
    assert loaded.strategy is not None and loaded.strategy.vision.en == "A better cluster"
    assert set(loaded.part_hashes) == {"strategy"}
    # Sidecars are not clusters of their own.
    assert params_io.discover([cluster_dir]) == [cluster_dir / BASE.name]


@pytest.mark.parametrize(
    ("change", "field", "reason"),
    [
        (lambda d: d.update(cluster="sukabumi-metalwork"), "cluster", "params file beside it is cluster"),
        (lambda d: d["responsibilities"][0].update(lead="nobody"), "responsibilities",
         "'nobody' is not a stakeholder of the cluster"),
        (lambda d: d.update(visoin=d["vision"]), "visoin", "unknown key"),
        (lambda d: d["transformation"].update(current="consortium"), "transformation", "comes before"),
    ],
    ids=["other-cluster", "unknown-stakeholder", "misspelt-key", "transformation-backwards"],
)
def test_bad_sidecar_is_named_by_file_and_field(cluster_dir: Path, change, field: str, reason: str):
    data = strategy("tegal-metalwork", stakeholder_of(cluster_dir / BASE.name))
    change(data)
    side = write(cluster_dir / "tegal-metalwork.strategy.yaml", data)
    with pytest.raises(params_io.ParamsError) as info:
        params_io.load_file(cluster_dir / BASE.name)
    problems = info.value.problems
    assert any(
        p.file == str(side) and p.field.startswith(field) and reason in p.reason for p in problems
    ), problems


def test_stray_and_unknown_sidecars_are_reported(cluster_dir: Path):
    (cluster_dir / "tegal-metalwork.notes.yaml").write_text("a: 1\n", encoding="utf-8")
    (cluster_dir / "nowhere.plan.yaml").write_text("a: 1\n", encoding="utf-8")
    result = cli("validate", str(cluster_dir), cwd=cluster_dir)
    assert result.returncode == 1
    assert "tegal-metalwork.notes.yaml: (file): unknown kind of params file 'notes'" in result.stderr
    assert "nowhere.plan.yaml: (file): no cluster params file nowhere.yaml beside it" in result.stderr
    assert "Traceback" not in result.stderr


def test_a_document_without_its_sidecar_is_not_available(cluster_dir: Path, tmp_path: Path):
    out = tmp_path / "out"
    result = cli("render", str(cluster_dir / BASE.name), "--doc", "profile,action-plan,monitoring",
                 "--lang", "en", "--format", "html", "--out", str(out), cwd=tmp_path)
    assert result.returncode == 0, result.stderr
    needs = "not available: {} for tegal-metalwork: it needs {}"
    assert needs.format("action-plan", "tegal-metalwork.plan.yaml") in result.stdout
    both = "tegal-metalwork.plan.yaml, tegal-metalwork.monitoring.yaml"
    assert needs.format("monitoring", both) in result.stdout
    written = sorted(str(p.relative_to(out)) for p in out.rglob("*.html"))
    assert written == ["index.html", "jawa-tengah/tegal-metalwork/profile.en.html"]  # the folder's index too


def test_a_cluster_document_needs_a_cluster(tmp_path: Path):
    result = cli("render", "--doc", "profile", "--out", str(tmp_path / "out"), cwd=tmp_path)
    assert result.returncode == 2
    assert "--doc profile: has no general edition" in result.stderr
    assert not (tmp_path / "out").exists()


def test_schema_of_every_file_kind(tmp_path: Path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    for kind, expected in [("cluster", "firms"), ("strategy", "three_c"), ("plan", "programmes"),
                           ("monitoring", "periods"), ("library", "programmes")]:
        result = cli_in_process("schema", "--kind", kind)
        assert result.returncode == 0, result.stderr
        assert f'"{expected}"' in result.stdout
    # One run of the real command line, as a user types it.
    bad = cli("schema", "--kind", "budget", cwd=tmp_path)
    assert bad.returncode == 2 and "unknown 'budget'" in bad.stderr


def test_a_label_defined_twice_is_refused(tmp_path: Path, templates: Path):
    copy = tmp_path / "templates"
    shutil.copytree(templates / "labels", copy / "labels")
    (copy / "labels" / "extra.en.yaml").write_text("writer:\n  table: Tabel\n", encoding="utf-8")
    with pytest.raises(i18n.CatalogueError, match="'writer.table' is defined in both"):
        i18n.labels(copy, "en")
    assert any("extra.id.yaml is missing" in p for p in i18n.check_catalogues(copy))
