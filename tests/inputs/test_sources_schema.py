"""Sources as data (issue 11): a params file lists its sources and its provenance cites them by id,
one or several; the old form (a kind of source in place of an id) still reads; a sidecar cites its
own sources and the cluster's; an unknown id or an id listed twice is an error naming file, field
and reason."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest
import yaml
from conftest import SAMPLE

from cluster_reports.inputs import params_io
from cluster_reports.inputs.schema import SourceKind

CLUSTER = "kebumen-roof-tile"
# The migrated sample's ids and the legacy kinds they stood for (the shipped files before issue 11).
LEGACY = {"jica-2004": "study-text", "sample-illustrative": "illustrative",
          "kbli-2020": "official-statistics"}


def _first(source: str | list[str]) -> str:
    """The old form named one kind per entry: an entry citing several sources takes its first."""
    return source[0] if isinstance(source, list) else source

EVALUATION = {
    "id": "smidep-2021", "title": "Ex-post Evaluation of SMIDeP (2013-2016)", "author": "JICA",
    "year": 2021, "kind": "evaluation",
}
STATISTICS = {
    "id": "bps-2015", "title": "Kabupaten Kebumen Dalam Angka 2015", "author": "BPS Kabupaten Kebumen",
    "year": 2015, "kind": "official-statistics", "url": "https://kebumenkab.bps.go.id",
}
WORKSHOP = {
    "id": "lwg-workshop-2015",
    "title": {"en": "Record of the LWG planning workshop", "id": "Catatan lokakarya perencanaan LWG"},
    "author": {"en": "Kebumen Local Working Group", "id": "Kelompok Kerja Lokal Kebumen"},
    "year": 2015, "kind": "workshop",
}


def read(path: Path) -> dict:
    return yaml.safe_load(path.read_text(encoding="utf-8"))


def write(path: Path, data: dict) -> Path:
    path.write_text(yaml.safe_dump(data, allow_unicode=True, sort_keys=False), encoding="utf-8")
    return path


@pytest.fixture
def folder(tmp_path: Path) -> Path:
    """The Kebumen pilot with all its sidecars, copied to a folder of its own."""
    target = tmp_path / "jawa-tengah"
    target.mkdir()
    for source in (SAMPLE / "jawa-tengah").glob(f"{CLUSTER}.*"):
        shutil.copy(source, target / source.name)
    return target


def problems_of(path: Path) -> list[params_io.Problem]:
    """The problems of the cluster whose file (or sidecar) ``path`` is."""
    with pytest.raises(params_io.ParamsError) as caught:
        params_io.load_file(path.with_name(f"{CLUSTER}.yaml"))
    return caught.value.problems


def test_the_sample_lists_the_2004_study_and_cites_it_by_id(folder):
    loaded = params_io.load_file(folder / f"{CLUSTER}.yaml")
    study = next(s for s in loaded.params.sources if s.id == "jica-2004")
    assert study.title == "The Study on Strengthening Capacity of SME Clusters in Indonesia"
    assert (study.year, study.kind) == (2004, SourceKind.study)
    assert loaded.params.source_of("selection").source == ["jica-2004"]
    illustrative = next(s for s in loaded.params.sources if s.id == "sample-illustrative")
    assert illustrative.kind is SourceKind.illustrative and illustrative.not_survey_data
    # The sidecars list nothing of their own: they cite the cluster's sources.
    assert loaded.plan.sources == [] and loaded.plan.provenance[0].source == ["jica-2004"]


def test_one_id_or_several(folder):
    path = folder / f"{CLUSTER}.yaml"
    data = read(path)
    data["sources"] += [EVALUATION, STATISTICS]
    entry = next(e for e in data["provenance"] if e["field"] == "workers")
    entry["source"] = ["smidep-2021", "bps-2015"]
    loaded = params_io.load_file(write(path, data))
    assert loaded.params.source_of("workers").source == ["smidep-2021", "bps-2015"]
    assert next(s for s in loaded.params.sources if s.id == "bps-2015").url == "https://kebumenkab.bps.go.id"


def test_legacy_kinds_still_read(folder):
    """A file of the old form: no sources listed, each entry naming a kind of source."""
    for path in folder.glob("*.yaml"):
        data = read(path)
        data.pop("sources", None)
        for entry in data["provenance"]:
            entry["source"] = LEGACY[_first(entry["source"])]
        write(path, data)
    loaded = params_io.load_file(folder / f"{CLUSTER}.yaml")
    assert loaded.params.sources == []
    assert loaded.params.source_of("selection").source == ["study-text"]
    assert loaded.monitoring.provenance[0].source == ["illustrative"]


def test_a_listed_source_wins_over_a_legacy_kind_of_the_same_name(folder):
    path = folder / f"{CLUSTER}.yaml"
    data = read(path)
    data["sources"].append({**STATISTICS, "id": "survey", "kind": "survey"})
    next(e for e in data["provenance"] if e["field"] == "firms")["source"] = "survey"
    loaded = params_io.load_file(write(path, data))
    assert next(s for s in loaded.params.sources if s.id == "survey").kind is SourceKind.survey


def test_an_unknown_id_is_named_with_the_ids_that_exist(folder):
    path = folder / f"{CLUSTER}.yaml"
    data = read(path)
    next(e for e in data["provenance"] if e["field"] == "firms")["source"] = ["jica-2004", "smidep-2012"]
    [problem] = [p for p in problems_of(write(path, data)) if p.severity == "error"]
    assert problem.file == str(path) and problem.field == "provenance"
    assert "field 'firms'" in problem.reason and "'smidep-2012'" in problem.reason
    assert "jica-2004, kbli-2020, sample-illustrative" in problem.reason  # what may be cited
    assert "study-text" in problem.reason  # ... and the legacy kinds


def test_an_id_listed_twice_in_one_file(folder):
    path = folder / f"{CLUSTER}.yaml"
    data = read(path)
    data["sources"].append({**EVALUATION, "id": "jica-2004"})
    [problem] = [p for p in problems_of(write(path, data)) if p.severity == "error"]
    assert problem.field == "sources" and "jica-2004" in problem.reason and "repeat" in problem.reason


def test_a_sidecar_cites_its_own_sources_and_the_clusters(folder):
    plan_path = folder / f"{CLUSTER}.plan.yaml"
    plan = read(plan_path)
    plan["sources"] = [WORKSHOP]
    next(e for e in plan["provenance"] if e["field"] == "programmes")["source"] = [
        "lwg-workshop-2015", "jica-2004"]
    write(plan_path, plan)
    loaded = params_io.load_file(folder / f"{CLUSTER}.yaml")
    assert [s.id for s in loaded.plan.sources] == ["lwg-workshop-2015"]
    assert loaded.plan.sources[0].title.en == "Record of the LWG planning workshop"


def test_a_sidecar_may_not_list_a_source_of_the_cluster_again(folder):
    plan_path = folder / f"{CLUSTER}.plan.yaml"
    plan = read(plan_path)
    plan["sources"] = [{**WORKSHOP, "id": "jica-2004"}]
    problems = problems_of(write(plan_path, plan))
    clash = next(p for p in problems if p.field == "sources")
    assert clash.file == str(plan_path)
    assert "'jica-2004' is also listed in the cluster's params file" in clash.reason


def test_a_sidecar_citing_what_nobody_lists(folder):
    path = folder / f"{CLUSTER}.monitoring.yaml"
    data = read(path)
    data["provenance"][0]["source"] = "lwg-workshop-2015"  # listed by no file
    [problem] = [p for p in problems_of(write(path, data)) if p.severity == "error"]
    assert problem.file == str(path) and problem.field == "provenance"
    assert "'lwg-workshop-2015'" in problem.reason and "jica-2004" in problem.reason


@pytest.mark.parametrize("change, field, words", [
    ({"kind": "guess"}, "sources[3].kind", "'study'"),
    ({"year": 15}, "sources[3].year", "1900"),
    ({"url": "kebumenkab.bps.go.id"}, "sources[3].url", "pattern"),
])
def test_a_malformed_source(folder, change, field, words):
    path = folder / f"{CLUSTER}.yaml"
    data = read(path)
    data["sources"].append({**STATISTICS, **change})
    problems = problems_of(write(path, data))
    assert any(p.field == field and words in p.reason for p in problems), problems
