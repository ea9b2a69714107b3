"""The four SMIDeP-era sample clusters (2015-2016 LIAPs): they validate, all five documents render in
both languages, and the reports say what the 2021 ex-post evaluation counted (20 ulos weavers, 4
ship-part makers, 16 cacao processors as success cases) and that the illustrative rattan plan failed."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest
from checks import LEFTOVERS, html_text
from conftest import SAMPLE

from cluster_reports.domain import indicators
from cluster_reports.inputs import params_io

KINDS = ("profile", "strategy", "action-plan", "monitoring", "guideline")
LANGS = ("id", "en")
# id: (params file, place as the documents name it, success cases, supported firms)
SMIDEP = {
    "samosir-ulos-weaving": ("sumatera-utara/samosir-ulos-weaving.yaml",
                             "Kabupaten Samosir, Sumatera Utara", 20, 25),
    "kota-tegal-ship-parts": ("jawa-tengah/kota-tegal-ship-parts.yaml", "Kota Tegal, Jawa Tengah", 4, 10),
    "palu-cacao-processing": ("sulawesi-tengah/palu-cacao-processing.yaml",
                              "Kota Palu, Sulawesi Tengah", 16, 18),
    "pontianak-rattan-furniture": ("kalimantan-barat/pontianak-rattan-furniture.yaml",
                                   "Kota Pontianak, Kalimantan Barat", 0, 10),
}
SUCCEEDED = ["samosir-ulos-weaving", "kota-tegal-ship-parts", "palu-cacao-processing"]


def _files() -> list[str]:
    return [str(SAMPLE / path) for path, *_ in SMIDEP.values()]


def _run(*args: str) -> subprocess.CompletedProcess:
    return subprocess.run([sys.executable, "-m", "cluster_reports.cli", *args],
                          capture_output=True, text=True, timeout=600)


@pytest.fixture(scope="module")
def out(tmp_path_factory) -> Path:
    target = tmp_path_factory.mktemp("smidep")
    result = _run("render", *_files(), "--doc", ",".join(KINDS), "--lang", "id,en", "--format", "html",
                  "--out", str(target), "--params-root", str(SAMPLE))
    assert result.returncode == 0, result.stdout + result.stderr
    return target


def text(out: Path, cluster: str, kind: str, lang: str) -> str:
    province = SMIDEP[cluster][0].split("/")[0]
    return html_text(out / province / cluster / f"{kind}.{lang}.html")[0]


def test_the_four_clusters_validate_with_their_sidecars():
    result = _run("validate", *_files())
    assert result.returncode == 0, result.stdout + result.stderr
    assert "4 valid, 0 invalid" in result.stdout
    for cluster, (path, *_) in SMIDEP.items():
        loaded = params_io.load_file(SAMPLE / path)
        assert loaded.params.id == cluster
        assert {"strategy", "plan", "monitoring"} <= set(loaded.parts), cluster
        assert loaded.params.selection.round == "smidep-2014"
        assert loaded.plan.year in (2015, 2016) and loaded.params.reference_year == loaded.plan.year - 1


def test_every_document_renders_in_both_languages_and_names_the_place(out):
    for cluster, (_, place, *_) in SMIDEP.items():
        for kind in KINDS:
            for lang in LANGS:
                body = text(out, cluster, kind, lang)
                # "None of the 10 supported firms ..." is the rattan report's own sentence.
                assert not LEFTOVERS.search(body.replace("None of the", "")), (cluster, kind, lang)
                assert place in body, (cluster, kind, lang)


@pytest.mark.parametrize("cluster", SUCCEEDED)
def test_monitoring_reports_the_evaluations_success_cases(out, cluster):
    _, _, success, supported = SMIDEP[cluster]
    en = text(out, cluster, "monitoring", "en")
    assert f"{success} of the {supported} supported firms count as success cases." in en
    assert f"{success} of the {supported} supported firms are success cases:" in en
    idn = text(out, cluster, "monitoring", "id")
    assert f"Sebanyak {success} dari {supported} IKM yang didampingi tergolong kasus keberhasilan." in idn
    assert f"Sebanyak {success} dari {supported} IKM yang didampingi merupakan kasus keberhasilan:" in idn
    # The firms named as success cases are firms of the cluster's own table.
    loaded = params_io.load_file(SAMPLE / SMIDEP[cluster][0])
    cases = indicators.success_cases(loaded.plan, loaded.monitoring, indicators.baseline_sales(loaded.params))
    table = {f.name for f in loaded.params.firms.table}
    assert len(cases) == success and {c.firm for c in cases} <= table
    assert all(c.firm in en for c in cases)


def test_the_rattan_report_says_the_goal_was_not_reached(out):
    en = text(out, "pontianak-rattan-furniture", "monitoring", "en")
    assert "0 of the 10 supported firms count as success cases." in en
    assert "None of the 10 supported firms has reached the goal so far." in en
    assert "The goal of the plan was not reached." in en
    idn = text(out, "pontianak-rattan-furniture", "monitoring", "id")
    assert ("Sampai saat ini belum ada satu pun dari 10 IKM yang didampingi yang mencapai sasaran "
            "tersebut.") in idn
    assert "Sasaran rencana tidak tercapai." in idn


def test_the_smidep_clusters_rank_among_themselves_not_against_the_2004_ten(out):
    palu = text(out, "palu-cacao-processing", "profile", "en")
    assert "ranks 2 of 2 in the group \"rural, indigenous products\"" in palu
    assert "The group's pilot cluster is Samosir ulos weaving cluster." in palu
    assert "Kebumen" not in palu and "Mampang" not in palu
