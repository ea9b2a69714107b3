"""The action plan (Local Industry Action Plan) of the three pilot clusters, rendered through the CLI
and checked in real clients (LibreOffice -> PDF text, the Nu HTML checker, Chromium); the plan's
validation messages for bad input; the notebook under papermill."""

from __future__ import annotations

import json
import shutil
import subprocess
import sys
from fractions import Fraction
from pathlib import Path

import docx
import papermill as pm
import pytest
import yaml
from checks import LEFTOVERS, flat, other_language_labels, page_in_chromium
from clients import docx_to_pdf, pdf_text, validate_html
from conftest import ROOT, SAMPLE

from cluster_reports import resources
from cluster_reports.compose import composer
from cluster_reports.documents import action_plan, i18n
from cluster_reports.domain import budget, shares
from cluster_reports.writers.docx.properties import read_custom_properties

LANGS = ("id", "en")
PILOTS = {
    "waru-sidoarjo-metalwork": "jawa-timur",
    "serenan-klaten-wood-furniture": "jawa-tengah",
    "kebumen-roof-tile": "jawa-tengah",
}
NOTEBOOK = ROOT / "notebooks" / "action-plan.ipynb"


def cli(*args: str, cwd: Path | None = None) -> subprocess.CompletedProcess:
    return subprocess.run([sys.executable, "-m", "cluster_reports.cli", *args], capture_output=True,
                          text=True, timeout=900, cwd=cwd)


@pytest.fixture(scope="module")
def rendered(tmp_path_factory) -> tuple[Path, subprocess.CompletedProcess]:
    out = tmp_path_factory.mktemp("outputs")
    result = cli("render", *PILOTS, "tegal-metalwork", "--doc", "action-plan", "--lang", "id,en",
                 "--format", "docx,html", "--out", str(out), "--params-root", str(SAMPLE))
    assert result.returncode == 0, result.stderr
    return out, result


def path_of(out: Path, cluster_id: str, lang: str, fmt: str) -> Path:
    return out / PILOTS[cluster_id] / cluster_id / f"action-plan.{lang}.{fmt}"


def expected(item, lang: str) -> list[str]:
    """What a reader checks: programme titles, each programme's total, the grand total and the
    US$ equivalents, formatted as the language writes them."""
    f = i18n.Formatter(lang)
    resolved = budget.resolve_plan(item.plan, item.library)
    grand = budget.total(resolved)
    rate = item.params.currency.usd_rate
    found = [item.params.name.get(lang), f.rupiah(grand), f.usd(grand / rate)]
    # the programmes' US$ figures are apportioned so that the column adds up to the total under it
    dollars = shares.apportion([Fraction(p.total) / Fraction(str(rate)) for p in resolved])
    for p, usd in zip(resolved, dollars, strict=True):
        found += [p.title.get(lang), f.rupiah(p.total), f.usd(usd)]
    return found


# --- rendering ------------------------------------------------------------------------------------

def test_pilots_are_written_and_other_clusters_are_not_available(rendered):
    out, result = rendered
    for cluster_id in PILOTS:
        for lang in LANGS:
            for fmt in ("docx", "html"):
                assert path_of(out, cluster_id, lang, fmt).stat().st_size > 5_000
    assert "not available: action-plan for tegal-metalwork" in result.stdout + result.stderr
    assert not list(out.rglob("tegal-metalwork/*"))
    assert not list(out.rglob("*.part"))


@pytest.mark.clients
@pytest.mark.parametrize("lang", LANGS)
def test_word_documents_show_titles_and_money_per_language(rendered, sample_by_id, templates, lang, tmp_path):
    out, _ = rendered
    for cluster_id in PILOTS:
        source = path_of(out, cluster_id, lang, "docx")
        text = pdf_text(docx_to_pdf(source, tmp_path))
        words = flat(text)
        for value in expected(sample_by_id[cluster_id], lang):
            assert value in words, (source, value)
        assert ("Tabel 1" if lang == "id" else "Table 1") in words
        assert not LEFTOVERS.search(text), (source, LEFTOVERS.search(text))
        for label in other_language_labels(templates, lang, ('plan.heading.', 'plan.caption.')):
            assert label not in words, (source, label)
    # The facilitator's month as a budget line, in the Word table itself (in the PDF the
    # calculation wraps inside its cell and interleaves with the next column).
    document = docx.Document(str(path_of(out, "kebumen-roof-tile", lang, "docx")))
    cells = {c.text for t in document.tables for row in t.rows for c in row.cells}
    line = {"id": "1 fasilitator × 2 bulan × Rp 1.500.000", "en": "1 facilitator × 2 months × Rp 1,500,000"}
    assert line[lang] in cells
    assert line["en" if lang == "id" else "id"] not in cells


@pytest.mark.parametrize("lang", LANGS)
def test_word_structure_and_properties(rendered, sample_by_id, lang):
    out, _ = rendered
    for cluster_id in PILOTS:
        item = sample_by_id[cluster_id]
        source = path_of(out, cluster_id, lang, "docx")
        document = docx.Document(str(source))
        headings = [p.text for p in document.paragraphs if p.style.name.startswith("Heading")]
        chapters = [p.text for p in document.paragraphs if p.style.name == "Heading 1"]
        labels = i18n.labels(resources.templates(), lang)
        # Chapters are numbered 1, 2, ... (the back matter is not: the list of references and the
        # approval page).
        back_matter = (labels("sources.references"), labels("plan.approval.heading"))
        numbered = [c for c in chapters if c not in back_matter]
        assert [c.split(" ", 1)[0] for c in numbered] == [str(n) for n in range(1, len(numbered) + 1)]
        texts = [c.split(" ", 1)[1] for c in numbered]
        for key in ("vision", "medium_plan", "programmes", "schedule", "budget", "sources"):
            assert labels(f"plan.heading.{key}") in texts, (source, key)
        # A programme's heading keeps its programme number, as every table names it.
        for n, p in enumerate(budget.resolve_plan(item.plan, item.library), start=1):
            assert f"{n}. {p.title.get(lang)}" in headings
        custom = read_custom_properties(source)
        assert custom["document_kind"] == "action-plan"
        assert custom["params_hash"] == composer.input_hash(item, "action-plan")
        assert 'descr="' in document.element.body.xml, "charts have no alt text"


@pytest.mark.clients
def test_html_pages_are_valid(rendered):
    out, _ = rendered
    pages = sorted(out.rglob("*.html"))  # the documents and the output folder's index
    assert len([p for p in pages if p.name != "index.html"]) == 6
    assert validate_html(pages) == []


@pytest.mark.clients
@pytest.mark.parametrize("lang", LANGS)
def test_html_pages_render_in_chromium(rendered, sample_by_id, templates, lang):
    out, _ = rendered
    for cluster_id in PILOTS:
        item = sample_by_id[cluster_id]
        page = path_of(out, cluster_id, lang, "html")
        text, dom = page_in_chromium(page, lang)
        for value in expected(item, lang):
            assert value in text, (page, value)
        assert not LEFTOVERS.search(text)
        for label in other_language_labels(templates, lang, ('plan.heading.', 'plan.caption.')):
            assert label not in text, (page, label)
        blocks = ["summary", "vision", "medium-plan", "success-goal", "programmes", "schedule", "routine",
                  "budget", "sources"] + [f"programme-{p.id}" for p in item.plan.programmes]
        for block in blocks:
            assert f'data-block-id="{block}"' in dom, (page, block)


def test_illustrative_parts_are_said_so(rendered):
    out, _ = rendered
    html = path_of(out, "kebumen-roof-tile", "en", "html").read_text(encoding="utf-8")
    assert "illustrative, not survey data" in html
    # The vision comes from Box 3.1 of the study, named as the source it is.
    assert "Study: The Study on Strengthening Capacity of SME Clusters in Indonesia" in html
    assert "Box 3.1 (c), vision and strategy of the Kebumen pilot" in html
    assert "Table 5.1 no. 4: Enhancing social capital in the cluster" in html
    html_id = path_of(out, "kebumen-roof-tile", "id", "html").read_text(encoding="utf-8")
    assert "Tabel 5.1 no. 4" in html_id and "Jenis program pada Kotak 3.1" in html_id


# --- the context: plain numbers -------------------------------------------------------------------

@pytest.mark.parametrize("cluster_id", list(PILOTS))
def test_context_totals_and_schedule(sample_by_id, templates, cluster_id):
    item = sample_by_id[cluster_id]
    ctx = action_plan.context(item, [], i18n.labels(templates, "en"))
    views = ctx["programmes"]
    assert ctx["grand_total"] == sum(v.p.total for v in views) > 0
    assert sum(r.amount for r in ctx["funding"]) == ctx["grand_total"]
    assert ctx["grand_usd"] == pytest.approx(ctx["grand_total"] / 8000)
    assert sum(v.share_pct for v in views) == pytest.approx(100)
    for view, months in zip(views, ctx["grid"], strict=True):
        assert sum(months) == view.p.duration_months
        assert months[view.p.start_month - 1] and months[view.p.end_month - 1]
        assert view.lead in {s.name for s in item.params.stakeholders}
    assert [g.indicator for g in ctx["goals"]]
    assert ctx["years"] == [2003, 2004, 2005]


def test_gantt_uses_months_of_the_document_language(sample_by_id, templates):
    item = sample_by_id["kebumen-roof-tile"]
    labels = i18n.labels(templates, "id")
    ctx = action_plan.context(item, [], labels)
    chart, alt_text = action_plan.chart_specs(ctx, labels, i18n.Formatter("id"))["gantt"]
    spec = json.dumps(chart.to_dict())
    assert '"x2"' in spec and "Mei" in spec and "Agu" in spec and "Des" in spec
    assert "Studi banding, Maret 2003" in alt_text
    money, money_alt = action_plan.chart_specs(ctx, labels, i18n.Formatter("id"))["funding"]
    assert "Swadaya IKM Rp 12.000.000" in money_alt  # 8 monthly meetings besides 4 seminars


def test_notebook_tables(sample_by_id, templates):
    item = sample_by_id["waru-sidoarjo-metalwork"]
    labels = i18n.labels(templates, "en")
    tables = action_plan.tables(action_plan.context(item, [], labels), labels)
    assert set(tables) == {"medium_plan", "programmes", "budget_lines", "by_funding", "logframe", "risks",
                           "responsibilities", "reporting"}
    assert len(tables["responsibilities"]) == 4 and len(tables["reporting"]) == len(item.plan.reporting)
    assert tables["responsibilities"]["Lead"].tolist() == tables["programmes"]["Lead"].tolist()
    assert len(tables["logframe"]) == 1 + 3 + 2 * 4 and len(tables["risks"]) == len(item.plan.risks)
    assert len(tables["programmes"]) == 4
    assert tables["by_funding"]["Amount (Rp)"].sum() == tables["programmes"]["Amount (Rp)"].sum()
    assert list(tables["medium_plan"].columns[-3:]) == ["2003", "2004", "2005"]


# --- validation -----------------------------------------------------------------------------------

@pytest.fixture
def kebumen_copy(tmp_path: Path) -> Path:
    """A params tree with Kebumen, its plan and the programme library; returns the plan file."""
    root = tmp_path / "params"
    shutil.copytree(ROOT / "params" / "programmes", root / "programmes")
    folder = root / "clusters" / "jawa-tengah"
    folder.mkdir(parents=True)
    for name in ("kebumen-roof-tile.yaml", "kebumen-roof-tile.plan.yaml"):
        shutil.copy(SAMPLE / "jawa-tengah" / name, folder / name)
    return folder / "kebumen-roof-tile.plan.yaml"


def change_plan(path: Path, edit) -> None:
    data = yaml.safe_load(path.read_text(encoding="utf-8"))
    edit(data)
    path.write_text(yaml.safe_dump(data, allow_unicode=True, sort_keys=False), encoding="utf-8")


def programme(data: dict, pid: str) -> dict:
    return next(p for p in data["programmes"] if p["id"] == pid)


def past_december(d):
    programme(d, "business-planning")["duration_months"] = 5  # September + 5 months


def zero_quantity(d):
    programme(d, "study-tour")["budget"][0]["quantity"] = 0


def negative_rate(d):
    programme(d, "study-tour")["budget"][1]["rate"] = -75000


def unknown_library(d):
    programme(d, "study-tour")["library"] = "pilot-field-trip"


def lead_not_stakeholder(d):
    programme(d, "study-tour")["lead"] = "bupati-kebumen"


def partner_not_stakeholder(d):
    programme(d, "study-tour")["partners"].append("dinas-pariwisata")


def no_budget_anywhere(d):
    del programme(d, "business-planning")["budget"]  # pilot-business-planning has no budget lines


@pytest.mark.parametrize(("edit", "field", "reason"), [
    (past_december, "programmes[5]", "programme 'business-planning' starts in month 9 and lasts 5 months, "
                                     "so it runs past December of the plan year"),
    (zero_quantity, "programmes[1].budget[0].quantity", "greater than 0"),
    (negative_rate, "programmes[1].budget[1].rate", "greater than or equal to 0"),  # 0: in-kind only
    (unknown_library, "programmes[1].library",
     "'pilot-field-trip' is not a programme of the programme library"),
    (lead_not_stakeholder, "programmes[1].lead", "'bupati-kebumen' is not a stakeholder of the cluster"),
    (partner_not_stakeholder, "programmes[1].partners[4]",
     "'dinas-pariwisata' is not a stakeholder of the cluster"),
    (no_budget_anywhere, "programmes[5]", "programme 'business-planning' needs budget lines "
                                          "(library programme 'pilot-business-planning' has none)"),
])
def test_bad_plan_is_named_by_file_field_and_reason(kebumen_copy: Path, edit, field: str, reason: str):
    change_plan(kebumen_copy, edit)
    result = cli("validate", str(kebumen_copy.parents[1]))
    assert result.returncode != 0
    output = result.stdout + result.stderr
    line = next((ln for ln in output.splitlines() if f"{kebumen_copy.name}: {field}:" in ln), None)
    assert line is not None, output
    assert reason in line
    assert str(kebumen_copy.relative_to(kebumen_copy.parents[3])) in line or str(kebumen_copy) in line


def test_a_programme_without_lines_takes_the_library_budget(kebumen_copy: Path, tmp_path: Path):
    def adapt_directory(d):
        d["programmes"].append({
            **{k: v for k, v in programme(d, "study-tour").items() if k not in ("budget", "content")},
            "id": "directory", "library": "manufacturers-directory", "start_month": 10,
            "duration_months": 2, "funding": "regency-budget",
            "indicator": {**programme(d, "study-tour")["indicator"], "id": "p-directory"},
        })
    change_plan(kebumen_copy, adapt_directory)
    out = tmp_path / "out"
    result = cli("render", str(kebumen_copy.with_name("kebumen-roof-tile.yaml")), "--doc", "action-plan",
                 "--lang", "id", "--format", "html", "--out", str(out))
    assert result.returncode == 0, result.stderr
    html = next(out.rglob("action-plan.id.html")).read_text(encoding="utf-8")
    assert "Direktori produsen" in html and "Rp 10.500.000" in html
    assert "30 halaman × 1.000 eksemplar × Rp 150" in html


@pytest.mark.parametrize("where", ["same-file", "other-file"])
def test_an_invalid_library_is_reported(kebumen_copy: Path, where: str):
    library = kebumen_copy.parents[2] / "programmes"
    if where == "same-file":
        data = yaml.safe_load((library / "pilot.yaml").read_text(encoding="utf-8"))
        data["programmes"].append(dict(data["programmes"][0]))
        (library / "pilot.yaml").write_text(yaml.safe_dump(data, allow_unicode=True), encoding="utf-8")
        needle = ("pilot.yaml: programmes: ", "programme ids repeat: pilot-guidance")
    else:
        data = yaml.safe_load((library / "national.yaml").read_text(encoding="utf-8"))
        data["programmes"] = data["programmes"][3:4]  # social-capital, again
        (library / "zz-extra.yaml").write_text(yaml.safe_dump(data, allow_unicode=True), encoding="utf-8")
        needle = ("zz-extra.yaml: programmes[0].id: ", "'social-capital' is also defined in")
    result = cli("validate", str(kebumen_copy.parents[1]))
    assert result.returncode != 0
    output = result.stdout + result.stderr
    assert any(needle[0] in ln and needle[1] in ln for ln in output.splitlines()), output


def test_the_sample_validates():
    result = cli("validate", str(SAMPLE))
    assert result.returncode == 0, result.stdout + result.stderr
    assert "0 invalid" in result.stdout + result.stderr


# --- the notebook ---------------------------------------------------------------------------------

def test_notebook_renders_a_pilot_plan(tmp_path):
    out = tmp_path / "docs"
    executed = tmp_path / "action-plan.out.ipynb"
    pm.execute_notebook(
        str(NOTEBOOK), str(executed), cwd=str(NOTEBOOK.parent), kernel_name="python3",
        parameters={"cluster": "waru-sidoarjo-metalwork", "params_root": str(SAMPLE),
                    "languages": ["en"], "formats": ["html"], "output_dir": str(out)},
        progress_bar=False,
    )
    assert (out / "jawa-timur" / "waru-sidoarjo-metalwork" / "action-plan.en.html").is_file()
    shown = json.dumps([c.get("outputs", []) for c in json.loads(executed.read_text())["cells"]])
    assert "Core product development" in shown and "Factory management training" in shown
    assert "action-plan.en.html" in shown


def test_notebook_refuses_a_cluster_without_a_plan(tmp_path):
    with pytest.raises(pm.PapermillExecutionError) as failure:
        pm.execute_notebook(
            str(NOTEBOOK), str(tmp_path / "out.ipynb"), cwd=str(NOTEBOOK.parent), kernel_name="python3",
            parameters={"cluster": "tegal-metalwork", "params_root": str(SAMPLE),
                        "output_dir": str(tmp_path / "docs")},
            progress_bar=False,
        )
    assert failure.value.ename == "ParameterError"
    assert "tegal-metalwork.plan.yaml" in str(failure.value)
