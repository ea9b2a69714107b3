"""The engines a batch task renders with: direct (in the worker) and papermill (the notebooks, kept as
the audit trail, each with an HTML copy). Both give the same text; a failure is reported per
document, with its cell.

A papermill run takes seconds: the tests share one good run and one failing run (module fixtures)."""

from __future__ import annotations

import base64
import html
import re
import shutil
from dataclasses import dataclass
from html.parser import HTMLParser
from pathlib import Path

import nbformat
import pytest
from checks import docx_text, flat, html_text, page_in_chromium
from conftest import ROOT

from cluster_reports.batch import engines, index_page
from cluster_reports.batch.engines import DocResult, Job
from cluster_reports.batch.manifest import RENDERED, ClusterRow, DocumentRow, Manifest
from cluster_reports.domain import summary
from cluster_reports.inputs import params_io

SAMPLE = ROOT / "params" / "clusters"
KEBUMEN = SAMPLE / "jawa-tengah" / "kebumen-roof-tile.yaml"
SOURCE = "jawa-tengah/kebumen-roof-tile.yaml"
JOBS = [Job("profile", "en", ("docx", "html")), Job("monitoring", "id", ("html",))]


@pytest.fixture(scope="module")
def peers() -> list[summary.ClusterSummary]:
    loaded, problems = params_io.load_many([SAMPLE])
    assert not problems
    return [summary.summarise(item) for item in loaded]


@dataclass
class Runs:
    loaded: params_io.LoadedParams
    direct_out: Path
    paper_out: Path
    direct: list[DocResult]
    paper: list[DocResult]

    @property
    def folder(self) -> Path:
        return self.paper_out / "jawa-tengah" / "kebumen-roof-tile"


@pytest.fixture(scope="module")
def runs(tmp_path_factory, templates, peers) -> Runs:
    """Kebumen's profile (en) and monitoring report (id), rendered by both engines."""
    tmp = tmp_path_factory.mktemp("engines")
    loaded = params_io.load_file(KEBUMEN)
    # A "python3" kernel spec of some other Python first on Jupyter's path (as one installed for the
    # user or the system would be): the engine must still run the notebooks with this Python.
    spec = tmp / "jupyter" / "kernels" / "python3"
    spec.mkdir(parents=True)
    (spec / "kernel.json").write_text(
        '{"argv": ["/nonexistent/python", "-m", "ipykernel_launcher", "-f", "{connection_file}"],'
        ' "display_name": "Python 3 (elsewhere)", "language": "python"}'
    )
    with pytest.MonkeyPatch.context() as mp:
        mp.setenv("SOURCE_DATE_EPOCH", "1767225600")  # the same date in both runs' documents
        mp.setenv("JUPYTER_PATH", str(tmp / "jupyter"))
        direct = engines.render_direct(loaded, JOBS, tmp / "d", peers, templates)
        paper = engines.render_papermill(loaded, JOBS, tmp / "p", SAMPLE, templates)
    return Runs(loaded, tmp / "d", tmp / "p", direct, paper)


@pytest.fixture(scope="module")
def failed(tmp_path_factory, templates) -> tuple[list[DocResult], Path]:
    """Kebumen's profile from a template with an error: the notebook fails at session.render()."""
    tmp = tmp_path_factory.mktemp("failed")
    broken = tmp / "templates"
    shutil.copytree(templates, broken)
    source = broken / "profile" / "en.md.j2"
    source.write_text(
        source.read_text().replace("{% block summary %}", "{% block summary %}{{ missing_value }}")
    )
    loaded = params_io.load_file(KEBUMEN)
    results = engines.render_papermill(loaded, [Job("profile", "en", ("html",))], tmp / "out", SAMPLE, broken)
    return results, tmp / "out" / "jawa-tengah" / "kebumen-roof-tile"


def page_text(page: Path) -> str:
    """The page's text as written (tags dropped, entities resolved, whitespace flattened)."""
    return flat(html.unescape(re.sub(r"<[^>]+>", "", page.read_text(encoding="utf-8"))))


class _Images(HTMLParser):
    def __init__(self):
        super().__init__()
        self.found: list[dict] = []

    def handle_starttag(self, tag, attrs):
        if tag == "img":
            self.found.append(dict(attrs))


def images(page: Path) -> list[dict]:
    parser = _Images()
    parser.feed(page.read_text(encoding="utf-8"))
    return parser.found


def test_direct_and_papermill_write_the_same_text(runs):
    direct, paper, tmp_d, tmp_p = runs.direct, runs.paper, runs.direct_out, runs.paper_out
    assert [(r.kind, r.lang, r.fmt, r.status) for r in direct] == [
        ("profile", "en", "docx", "rendered"),
        ("profile", "en", "html", "rendered"),
        ("monitoring", "id", "html", "rendered"),
    ]
    assert [(r.kind, r.lang, r.fmt, r.status) for r in paper] == [
        (r.kind, r.lang, r.fmt, r.status) for r in direct
    ]
    for d, p in zip(direct, paper, strict=True):
        assert p.path == tmp_p / d.path.relative_to(tmp_d)
        if d.fmt == "docx":
            assert docx_text(d.path) == docx_text(p.path)
        else:
            assert html_text(d.path)[0] == html_text(p.path)[0]
    # The executed notebooks stay beside the documents, outputs included.
    executed = nbformat.read(runs.folder / "profile.ipynb", as_version=4)
    assert any(cell.get("outputs") for cell in executed.cells if cell.cell_type == "code")
    assert (runs.folder / "monitoring.ipynb").is_file()


def test_each_executed_notebook_has_an_html_copy_beside_it_that_is_no_document(runs):
    copies = sorted(p.name for p in runs.folder.glob("*.notebook.html"))
    assert copies == ["monitoring.notebook.html", "profile.notebook.html"]
    for kind in ("profile", "monitoring"):
        assert engines.notebook_html_path(runs.folder / f"{kind}.ipynb").is_file()
    assert not any(r.path and r.path.name.endswith(".notebook.html") for r in runs.paper)
    # The language of the tables and charts shown (the kind's first), a title naming document and cluster.
    profile = (runs.folder / "profile.notebook.html").read_text(encoding="utf-8")
    assert '<html lang="en"' in profile
    assert f"<title>Cluster Profiling Report: {runs.loaded.params.name.en} (notebook)</title>" in profile
    monitoring = (runs.folder / "monitoring.notebook.html").read_text(encoding="utf-8")
    assert '<html lang="id"' in monitoring
    title = f"Laporan Pemantauan dan Evaluasi: {runs.loaded.params.name.id} (notebook)"
    assert f"<title>{title}</title>" in monitoring


def test_the_html_copy_shows_the_cells_code_and_outputs(runs):
    page = runs.folder / "profile.notebook.html"
    text = page_text(page)
    # The code of the cells, the injected parameters among them, and what they printed.
    assert 'tables = session.tables(lang) charts = session.charts(lang) tables["firm_sizes"]' in text
    assert f'output_dir = "{runs.paper_out.resolve()}"' in text
    assert "Kebumen roof-tile cluster" in text or runs.loaded.params.name.en in text
    # A table with its numbers (Kebumen's firms by size class: 160 micro, 95 small, 9 medium).
    source = page.read_text(encoding="utf-8")
    assert re.search(r"<td>Micro \(1–4 workers\)</td>\s*<td>160</td>", source)
    assert re.search(r"<td>Small \(5–19 workers\)</td>\s*<td>95</td>", source)
    # The three charts as drawings (SVG) with their alternative text, not as the script that needs Vega.
    drawn = [img for img in images(page) if img["src"].startswith("data:image/svg+xml;base64,")]
    assert len(drawn) == 3
    svg = base64.b64decode(drawn[0]["src"].split(",", 1)[1]).decode()
    assert svg.startswith("<svg") and ">Micro (1–4 workers)</text>" in svg and ">160</text>" in svg
    assert "Micro (1–4 workers) 160" in drawn[0]["alt"]
    assert "vegaEmbed" not in source and "altair-viz" not in source


def test_the_written_files_the_notebook_links_are_found_from_beside_it(runs):
    # The executed notebook runs in its own folder, as Jupyter runs a notebook: its list of the files
    # written links them relative to where the notebook (and its HTML copy) lie.
    source = (runs.folder / "profile.notebook.html").read_text(encoding="utf-8")
    hrefs = [html.unescape(h) for h in re.findall(r'<a href="([^"#]+)" target="_blank">', source)]
    assert {Path(h).name for h in hrefs} == {"profile.en.docx", "profile.en.html"}
    assert all((runs.folder / h).is_file() for h in hrefs)


def test_the_html_copy_needs_no_network(runs):
    for page in sorted(runs.folder.glob("*.notebook.html")):
        source = page.read_text(encoding="utf-8")
        assert "<script" not in source, page  # no require.js, MathJax, Mermaid or Vega loader
        assert not re.search(r"""(src|href)\s*=\s*["']?(https?:)?//""", source), page
        assert not re.search(r"""url\(\s*["']?(https?:)?//|@import""", source), page


@pytest.mark.clients
def test_the_html_copy_opens_in_a_browser_with_its_text(runs):
    text, dom = page_in_chromium(runs.folder / "profile.notebook.html", "en")
    assert "Cluster profiling report / Laporan profil sentra" in text  # the notebook's first cell
    assert "Micro (1–4 workers) 160 60.6" in text
    # Chromium's text has a space between highlighted code tokens: compared without spaces.
    assert 'written=session.render()links(written)' in text.replace(" ", "")
    assert dom.count('src="data:image/svg+xml;base64,') == 3
    text, _ = page_in_chromium(runs.folder / "monitoring.notebook.html", "id")
    assert "Kinerja Indikator" in text


def test_the_index_links_each_notebook_and_its_html_copy(runs, templates):
    out = runs.paper_out
    manifest = Manifest(out)
    try:
        run_id = manifest.start_run({})
        cluster = ClusterRow(SOURCE, "hash", runs.loaded.params.id, "jawa-tengah",
                             summary.summarise(runs.loaded).to_dict(), RENDERED, None, 0.0, run_id)
        docs = [DocumentRow(SOURCE, r.kind, r.lang, r.fmt, None, str(r.path.relative_to(out)), r.status,
                            r.duration, None, run_id) for r in runs.paper]
        manifest.record_cluster(cluster, docs)
        page = index_page.write(out, manifest, run_id, ["profile", "monitoring"], ["en", "id"],
                                ["docx", "html"], [SOURCE], templates, notebooks=True)
    finally:
        manifest.close()
    text, links = html_text(page)
    folder = "jawa-tengah/kebumen-roof-tile"
    for kind in ("profile", "monitoring"):
        assert f"{folder}/{kind}.ipynb" in links and f"{folder}/{kind}.notebook.html" in links
        assert f"{kind} ipynb" in text and f"{kind} html" in text
        assert all((out / link).is_file() for link in links if link.startswith(folder))


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


def test_an_error_in_a_notebook_is_recorded_with_its_cell(failed):
    results, folder = failed
    assert [r.status for r in results] == ["failed"]
    error = results[0].error
    # Which notebook and cell, what it ran, and the error, in that order.
    assert error.startswith("profile.ipynb: cell ")
    assert "session.render()" in error
    assert "ParameterError" in error and "missing_value" in error
    # No document was written; the notebook and its copy were.
    assert sorted(p.name for p in folder.iterdir()) == ["profile.ipynb", "profile.notebook.html"]
    # The failed run is kept as the audit trail, with the traceback in the failing cell.
    executed = nbformat.read(folder / "profile.ipynb", 4)
    assert any(o.get("output_type") == "error" for c in executed.cells for o in c.get("outputs", []))


@pytest.mark.clients
def test_the_html_copy_of_a_failed_notebook_shows_the_failing_cell_and_its_error(failed):
    _, folder = failed
    text, _ = page_in_chromium(folder / "profile.notebook.html", "en")
    # The cells before it ran (their outputs are there), then the failing cell's code and its error.
    assert "Micro (1–4 workers) 160" in text
    code = text.replace(" ", "")  # as Chromium has it, with a space between highlighted code tokens
    failing = code.index("written=session.render()links(written)")
    assert "ParameterError" in code[failing:] and "missing_value" in code[failing:]
    # Said in the notebook's words, not in those of the tool that ran it.
    stopped = re.search(r"The notebook stopped at In \[(\d+)\] with an error / Notebook berhenti di In "
                        r"\[(\d+)\] karena terjadi kesalahan", text)
    assert stopped and stopped[1] == stopped[2]
    assert f"In [{stopped[1]}]:" in text[text.index("The notebook stopped here"):]  # the failing cell
    assert "papermill" not in text.lower()


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
