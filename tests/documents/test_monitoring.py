"""The monitoring and evaluation report of the three pilots, rendered through the CLI and checked in
real clients (LibreOffice, Chromium, the Nu HTML checker); bad monitoring input; the notebook."""

from __future__ import annotations

import csv
import io
import json
import re
import shutil
import subprocess
import sys
from pathlib import Path

import docx
import papermill as pm
import pytest
import sample_facts
import yaml
from checks import LEFTOVERS, flat, other_language_labels, page_in_chromium
from clients import docx_to_pdf, require_pdftotext, validate_html
from conftest import ROOT, SAMPLE

from cluster_reports.compose import composer
from cluster_reports.documents import i18n
from cluster_reports.domain import budget, indicators
from cluster_reports.inputs import params_io
from cluster_reports.writers.docx.properties import read_custom_properties

LANGS = ("id", "en")
PILOTS = ("waru-sidoarjo-metalwork", "serenan-klaten-wood-furniture", "kebumen-roof-tile")
NOTEBOOK = ROOT / "notebooks" / "monitoring.ipynb"


def appears(needle: str, text: str) -> bool:
    """Whether the needle's words appear in order in PDF text, allowing up to three tokens between
    them: a wrapped table cell may have its neighbour's value (a unit such as '%') on its line."""
    words = needle.split()
    # a hyphen where a narrow cell breaks the line ("rata-|rata") comes out of pdftotext dropped
    pattern = r"\s+(?:\S+\s+){0,3}?".join(re.escape(w).replace(r"\-", "-?") for w in words)
    return re.search(pattern, text) is not None


def pdf_reading_text(pdf: Path) -> str:
    """The PDF's text in reading order (not laid out), so a table cell that wraps onto two lines
    stays one run of words instead of interleaving with its neighbours."""
    result = subprocess.run([require_pdftotext(), str(pdf), "-"], capture_output=True, text=True,
                            timeout=60, check=True)
    return result.stdout


@pytest.fixture(scope="module")
def rendered(tmp_path_factory) -> tuple[Path, subprocess.CompletedProcess]:
    out = tmp_path_factory.mktemp("outputs")
    result = subprocess.run(
        [sys.executable, "-m", "cluster_reports.cli", "render", str(SAMPLE), "--doc", "monitoring",
         "--lang", "id,en", "--format", "docx,html", "--out", str(out)],
        capture_output=True, text=True, timeout=900,
    )
    assert result.returncode == 0, result.stderr
    return out, result


def path_of(out: Path, item, lang: str, fmt: str) -> Path:
    province = item.params.location.province_record.slug
    return out / province / item.params.id / f"monitoring.{lang}.{fmt}"


def expected(item, lang: str) -> list[str]:
    """What a reader looks for: indicator names, % achieved as the language writes it, the number
    of success cases and their firms, the budget totals."""
    f = i18n.Formatter(lang)
    plan, monitoring = item.plan, item.monitoring
    rows = indicators.indicator_rows(plan, monitoring)
    found = [i18n.capfirst(r.name.get(lang)) for r in rows]  # each begins its table row
    found += [f.percent(r.achievement.pct, 0) for r in rows
              if r.achievement is not None and r.achievement.pct is not None]
    cases = indicators.success_cases(plan, monitoring, indicators.baseline_sales(item.params))
    supported = len(indicators.supported_firms(monitoring))
    count = f"Of the {supported} supported firms, {len(cases)}" if lang == "en" else (
        f"Dari {supported} IKM yang didampingi, {len(cases)}")
    found += [count, *(c.firm for c in cases)]
    return found


def test_pilots_rendered_others_not_available(rendered, sample):
    out, result = rendered
    # The study's three pilots and every SMIDeP-era cluster have a plan and its monitoring.
    monitored = set(sample_facts.with_sidecar("plan")) & set(sample_facts.with_sidecar("monitoring"))
    assert monitored - set(sample_facts.in_round("smidep-2014")) == set(PILOTS)
    for item in sample:
        files = [path_of(out, item, lang, fmt) for lang in LANGS for fmt in ("docx", "html")]
        if item.params.id in monitored:
            assert all(p.stat().st_size > 5_000 for p in files)
        else:
            assert not any(p.exists() for p in files)
            assert f"monitoring for {item.params.id}" in flat(result.stdout)
    assert "not available" in result.stdout
    assert not list(out.rglob("*.part"))


def test_the_pilots_sample_is_a_year_of_quarters(sample_by_id):
    for cluster_id in PILOTS:
        monitoring = sample_by_id[cluster_id].monitoring
        assert [p.id for p in monitoring.periods] == ["q1", "q2", "q3", "q4"]
        assert {o.period for o in monitoring.firms} == {"q1", "q2", "q3", "q4"}
        assert monitoring.provenance
    # Kebumen keeps its firm observations in a CSV beside the YAML; the others in the YAML.
    kebumen = SAMPLE / "jawa-tengah" / "kebumen-roof-tile.monitoring.yaml"
    assert yaml.safe_load(kebumen.read_text(encoding="utf-8"))["firms_csv"].endswith(".csv")
    # The study: Klaten and Kebumen moved more conditions than Waru-Sidoarjo.
    moved = {
        cid: sum(r.change for r in indicators.condition_changes(sample_by_id[cid].params,
                                                                 sample_by_id[cid].monitoring))
        for cid in PILOTS
    }
    assert moved["waru-sidoarjo-metalwork"] < min(moved["serenan-klaten-wood-furniture"],
                                                  moved["kebumen-roof-tile"])


@pytest.mark.clients
@pytest.mark.parametrize("lang", LANGS)
def test_word_documents_open_in_libreoffice(rendered, sample_by_id, templates, lang, tmp_path):
    out, _ = rendered
    for cluster_id in PILOTS:
        item = sample_by_id[cluster_id]
        source = path_of(out, item, lang, "docx")
        text = pdf_reading_text(docx_to_pdf(source, tmp_path))
        joined = flat(text)
        assert item.params.name.get(lang) in joined
        for needle in expected(item, lang):
            assert appears(needle, joined), (source, needle)
        assert not LEFTOVERS.search(text), (source, LEFTOVERS.search(text))
        for label in other_language_labels(templates, lang, ('monitoring.heading.', 'monitoring.caption.')):
            assert label not in joined, (source, label)


def test_percentages_follow_the_language(rendered, sample_by_id):
    out, _ = rendered
    item = sample_by_id["kebumen-roof-tile"]
    table = {}
    for lang in LANGS:
        html = path_of(out, item, lang, "html").read_text(encoding="utf-8")
        start = html.index('id="tbl-goals"')
        table[lang] = html[start: html.index("</table>", start)]
    # consortium members: (22 - 0) / (20 - 0); outside-Java sales 4.5% against 2 -> 5.
    assert "110%" in table["id"] and "110%" in table["en"]
    assert "4,5" in table["id"] and "4.5" in table["en"]


@pytest.mark.parametrize("lang", LANGS)
def test_word_structure_and_properties(rendered, sample_by_id, lang):
    out, _ = rendered
    for cluster_id in PILOTS:
        item = sample_by_id[cluster_id]
        source = path_of(out, item, lang, "docx")
        document = docx.Document(str(source))
        assert {"Title", "Heading 1", "Heading 2", "Caption"} <= {p.style.name for p in document.paragraphs}
        custom = read_custom_properties(source)
        assert custom["document_kind"] == "monitoring"
        assert custom["params_hash"] == composer.input_hash(item, "monitoring")
        assert len(document.tables) >= 7
        assert document.element.body.xml.count('descr="') >= 4, "charts missing or without alt text"


@pytest.mark.clients
def test_html_pages_are_valid(rendered):
    out, _ = rendered
    pages = sorted(out.rglob("*.html"))
    # a report in two languages for each cluster with a plan and its monitoring
    monitored = set(sample_facts.with_sidecar("plan")) & set(sample_facts.with_sidecar("monitoring"))
    assert len([p for p in pages if p.name != "index.html"]) == 2 * len(monitored)  # and the index
    assert validate_html(pages) == []


@pytest.mark.clients
@pytest.mark.parametrize("lang", LANGS)
def test_html_pages_render_in_chromium(rendered, sample_by_id, templates, lang):
    out, _ = rendered
    for cluster_id in PILOTS:
        item = sample_by_id[cluster_id]
        page = path_of(out, item, lang, "html")
        text, dom = page_in_chromium(page, lang)
        for needle in expected(item, lang):
            assert flat(needle) in text, (page, needle)
        assert not LEFTOVERS.search(text), (page, LEFTOVERS.search(text))
        for block in ("summary", "indicators", "success-cases", "conditions", "completion",
                      "turnover", "channels", "lessons", "sources"):
            assert f'data-block-id="{block}"' in dom, (page, block)
        figures = re.findall(r'<img [^>]*src="data:image/svg\+xml[^>]*>', dom)
        assert len(figures) >= 4, "charts missing"
        assert all(re.search(r'alt="[^"]{20,}"', f) for f in figures), "a chart has no alt text"


def test_completion_totals_and_illustrative_notes(rendered, sample_by_id):
    out, _ = rendered
    item = sample_by_id["serenan-klaten-wood-furniture"]
    html = path_of(out, item, "en", "html").read_text(encoding="utf-8")
    start = html.index('id="tbl-completion"')
    table = html[start: html.index("</table>", start)]
    result = indicators.completion(budget.resolve_plan(item.plan, item.library), item.monitoring)
    f = i18n.Formatter("en")
    assert f.rupiah(result.planned) in table and f.rupiah(result.spent) in table
    assert f"{result.done}/{result.count}" in table
    assert "illustrative, not survey data" in html
    html_id = path_of(out, item, "id", "html").read_text(encoding="utf-8")
    assert "bersifat ilustratif, bukan data survei" in html_id


# --- bad monitoring input -----------------------------------------------------------------------------

KEBUMEN_FILES = ("kebumen-roof-tile.yaml", "kebumen-roof-tile.plan.yaml", "kebumen-roof-tile.monitoring.yaml",
                 "kebumen-roof-tile.monitoring-firms.csv")


@pytest.fixture
def tree(tmp_path) -> Path:
    """A copy of Kebumen's files and the programme library in a params tree of its own."""
    root = tmp_path / "params"
    shutil.copytree(SAMPLE.parent / "programmes", root / "programmes")
    folder = root / "clusters" / "jawa-tengah"
    folder.mkdir(parents=True)
    for name in KEBUMEN_FILES:
        shutil.copy(SAMPLE / "jawa-tengah" / name, folder / name)
    return folder


def edit_monitoring(folder: Path, change) -> Path:
    path = folder / "kebumen-roof-tile.monitoring.yaml"
    data = yaml.safe_load(path.read_text(encoding="utf-8"))
    change(data)
    path.write_text(yaml.safe_dump(data, allow_unicode=True, sort_keys=False), encoding="utf-8")
    return path


def problems_of(folder: Path) -> list[str]:
    with pytest.raises(params_io.ParamsError) as failure:
        params_io.load_file(folder / "kebumen-roof-tile.yaml")
    return [str(p) for p in failure.value.problems]


def test_the_copied_tree_is_valid(tree):
    assert params_io.load_file(tree / "kebumen-roof-tile.yaml").monitoring is not None


@pytest.mark.parametrize(
    ("change", "needles"),
    [
        (lambda d: d["indicators"][1].update(indicator="tiles-exported"),
         ["indicators[1].indicator", "'tiles-exported' is not an indicator of the plan"]),
        (lambda d: d["programmes"][2].update(programme="kiln-building"),
         ["programmes[2].programme", "'kiln-building' is not a programme of the plan"]),
        (lambda d: d["indicators"][0]["actuals"].update(q5=30),
         ["indicators[0].actuals", "unknown period 'q5'"]),
        (lambda d: d["programmes"][0].update(status="done", done_pct=60),
         ["programmes[0]", "status is 'done' but done_pct is 60"]),
    ],
    ids=["unknown-indicator", "unknown-programme", "unknown-period", "done-but-unfinished"],
)
def test_monitoring_errors_name_file_and_field(tree, change, needles):
    path = edit_monitoring(tree, change)
    message = "\n".join(problems_of(tree))
    assert str(path) in message
    for needle in needles:
        assert needle in message, message


def test_firm_not_in_the_firm_table(tree):
    def in_yaml(d):
        d.pop("firms_csv")
        d["firms"] = [{"firm": "PT Genteng Fiktif", "period": "q1", "turnover": 1000, "channel": "export"}]
    path = edit_monitoring(tree, in_yaml)
    message = "\n".join(problems_of(tree))
    assert str(path) in message
    assert "firms[0].firm: 'PT Genteng Fiktif' is not in the cluster's firm table" in message


def rewrite_csv(folder: Path, row: int, column: str, value: str) -> Path:
    """Set one cell of the firm CSV; row numbers count the header as row 1, as a spreadsheet does."""
    path = folder / "kebumen-roof-tile.monitoring-firms.csv"
    rows = list(csv.reader(io.StringIO(path.read_text(encoding="utf-8"))))
    rows[row - 1][rows[0].index(column)] = value
    buffer = io.StringIO()
    csv.writer(buffer, lineterminator="\n").writerows(rows)
    path.write_text(buffer.getvalue(), encoding="utf-8")
    return path


def test_bad_csv_row_is_named_by_file_and_row(tree, tmp_path):
    path = rewrite_csv(tree, 7, "turnover", "lima ratus juta")
    result = subprocess.run(
        [sys.executable, "-m", "cluster_reports.cli", "render", str(tree / "kebumen-roof-tile.yaml"),
         "--doc", "monitoring", "--lang", "en", "--format", "html", "--out", str(tmp_path / "out")],
        capture_output=True, text=True, timeout=300,
    )
    assert result.returncode != 0
    message = flat(result.stderr)
    assert str(path.name) in message and "row 7, column 'turnover'" in message, message
    assert "valid integer" in message
    assert "Traceback" not in result.stderr
    assert not list(tmp_path.rglob("*.html")), "nothing is written from invalid input"


def test_unknown_firm_in_csv_names_the_csv_row(tree):
    path = rewrite_csv(tree, 3, "firm", "UD Tidak Ada")
    message = "\n".join(problems_of(tree))
    assert f"{path}: row 3, column 'firm': 'UD Tidak Ada' is not in the cluster's firm table" in message


def test_unknown_period_in_csv_names_the_csv_row(tree):
    path = rewrite_csv(tree, 10, "period", "q5")
    message = "\n".join(problems_of(tree))
    expected = "row 10, column 'period': period 'q5' is not one of the periods (q1, q2, q3, q4)"
    assert f"{path}: {expected}" in message


def test_monitoring_without_a_plan(tree):
    (tree / "kebumen-roof-tile.plan.yaml").unlink()
    message = "\n".join(problems_of(tree))
    assert "kebumen-roof-tile.monitoring.yaml" in message
    assert "has no plan" in message


def test_monitoring_plan_year_must_match(tree):
    edit_monitoring(tree, lambda d: d.update(plan_year=2004))
    message = "\n".join(problems_of(tree))
    assert "plan_year: is 2004 but the cluster's plan is for 2003" in message


# --- the notebook -------------------------------------------------------------------------------------

def test_notebook_renders_the_monitoring_report(tmp_path):
    out = tmp_path / "docs"
    executed = tmp_path / "monitoring.out.ipynb"
    pm.execute_notebook(
        str(NOTEBOOK), str(executed), cwd=str(NOTEBOOK.parent), kernel_name="python3",
        parameters={"cluster": "waru-sidoarjo-metalwork", "params_root": str(SAMPLE),
                    "languages": ["id"], "formats": ["html"], "output_dir": str(out)},
        progress_bar=False,
    )
    folder = out / "jawa-timur" / "waru-sidoarjo-metalwork"
    assert (folder / "monitoring.id.html").is_file()
    assert not (folder / "monitoring.en.html").exists()
    nb = json.loads(executed.read_text(encoding="utf-8"))
    shown = json.dumps([c.get("outputs", []) for c in nb["cells"]], ensure_ascii=False)
    assert "CV Logam Jaya Waru" in shown  # a success case in the table
    assert "Capaian" in shown  # Indonesian column names
    assert "vega" in shown or "image/png" in shown or "image/svg+xml" in shown
    assert "monitoring.id.html" in shown


def test_notebook_stops_clearly_for_a_cluster_without_monitoring(tmp_path):
    with pytest.raises(pm.PapermillExecutionError) as failure:
        pm.execute_notebook(
            str(NOTEBOOK), str(tmp_path / "out.ipynb"), cwd=str(NOTEBOOK.parent), kernel_name="python3",
            parameters={"cluster": "tegal-metalwork", "params_root": str(SAMPLE),
                        "output_dir": str(tmp_path / "docs")},
            progress_bar=False,
        )
    assert failure.value.ename == "ParameterError"
    assert "tegal-metalwork.monitoring.yaml" in failure.value.evalue
