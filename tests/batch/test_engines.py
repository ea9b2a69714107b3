"""The engines a batch task renders with: direct (in the worker) and papermill (the notebooks, kept as
the audit trail). Both give the same text; a failure is reported per document, with its cell."""

from __future__ import annotations

import shutil

import nbformat
import pytest
from checks import docx_text, html_text
from conftest import ROOT

from cluster_reports.batch import engines
from cluster_reports.batch.engines import Job
from cluster_reports.domain import summary
from cluster_reports.inputs import params_io

SAMPLE = ROOT / "params" / "clusters"
KEBUMEN = SAMPLE / "jawa-tengah" / "kebumen-roof-tile.yaml"


@pytest.fixture
def fixed_date(monkeypatch):
    monkeypatch.setenv("SOURCE_DATE_EPOCH", "1767225600")


@pytest.fixture(scope="module")
def peers() -> list[summary.ClusterSummary]:
    loaded, problems = params_io.load_many([SAMPLE])
    assert not problems
    return [summary.summarise(item) for item in loaded]


def test_direct_and_papermill_write_the_same_text(tmp_path, templates, peers, fixed_date):
    loaded = params_io.load_file(KEBUMEN)
    jobs = [Job("profile", "en", ("docx", "html")), Job("monitoring", "id", ("html",))]
    direct = engines.render_direct(loaded, jobs, tmp_path / "d", peers, templates)
    paper = engines.render_papermill(loaded, jobs, tmp_path / "p", SAMPLE, templates)
    assert [(r.kind, r.lang, r.fmt, r.status) for r in direct] == [
        ("profile", "en", "docx", "rendered"),
        ("profile", "en", "html", "rendered"),
        ("monitoring", "id", "html", "rendered"),
    ]
    assert [(r.kind, r.lang, r.fmt, r.status) for r in paper] == [
        (r.kind, r.lang, r.fmt, r.status) for r in direct
    ]
    for d, p in zip(direct, paper, strict=True):
        assert p.path == tmp_path / "p" / d.path.relative_to(tmp_path / "d")
        if d.fmt == "docx":
            assert docx_text(d.path) == docx_text(p.path)
        else:
            assert html_text(d.path)[0] == html_text(p.path)[0]
    # The executed notebooks stay beside the documents, outputs included.
    folder = tmp_path / "p" / "jawa-tengah" / "kebumen-roof-tile"
    executed = nbformat.read(folder / "profile.ipynb", as_version=4)
    assert any(cell.get("outputs") for cell in executed.cells if cell.cell_type == "code")
    assert (folder / "monitoring.ipynb").is_file()


def test_a_kind_without_its_data_is_not_available_in_both_engines(tmp_path, templates, peers):
    loaded = params_io.load_file(SAMPLE / "jawa-tengah" / "tegal-metalwork.yaml")
    jobs = [Job("strategy", "en", ("html",))]
    for results in (
        engines.render_direct(loaded, jobs, tmp_path, peers, templates),
        engines.render_papermill(loaded, jobs, tmp_path, SAMPLE, templates),
    ):
        assert [(r.status, r.path) for r in results] == [("not available", None)]
        assert "tegal-metalwork.strategy.yaml" in results[0].error
    assert not list(tmp_path.rglob("*.ipynb"))  # no notebook was run for it


def test_an_error_in_a_notebook_is_recorded_with_its_cell(tmp_path, templates):
    broken = tmp_path / "templates"
    shutil.copytree(templates, broken)
    source = broken / "profile" / "en.md.j2"
    source.write_text(
        source.read_text().replace("{% block summary %}", "{% block summary %}{{ missing_value }}")
    )
    loaded = params_io.load_file(KEBUMEN)
    results = engines.render_papermill(
        loaded, [Job("profile", "en", ("html",))], tmp_path / "out", SAMPLE, broken
    )
    assert [r.status for r in results] == ["failed"]
    error = results[0].error
    # Which notebook and cell, what it ran, and the error, in that order.
    assert error.startswith("profile.ipynb: cell ")
    assert "session.render()" in error
    assert "ParameterError" in error and "missing_value" in error
    assert not list((tmp_path / "out").rglob("*.html"))
    # The failed run is kept as the audit trail, with the traceback in the failing cell.
    executed = nbformat.read(tmp_path / "out" / "jawa-tengah" / "kebumen-roof-tile" / "profile.ipynb", 4)
    assert any(o.get("output_type") == "error" for c in executed.cells for o in c.get("outputs", []))


def test_direct_reports_a_template_error_per_document(tmp_path, templates, peers):
    broken = tmp_path / "templates"
    shutil.copytree(templates, broken)
    source = broken / "profile" / "en.md.j2"
    source.write_text(
        source.read_text().replace("{% block summary %}", "{% block summary %}{{ missing_value }}")
    )
    loaded = params_io.load_file(KEBUMEN)
    results = engines.render_direct(
        loaded,
        [Job("profile", "en", ("html",)), Job("profile", "id", ("html",))],
        tmp_path / "out",
        peers,
        broken,
    )
    assert [(r.lang, r.status) for r in results] == [("en", "failed"), ("id", "rendered")]
    assert "missing_value" in results[0].error
