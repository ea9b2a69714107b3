"""The cluster development strategy: its domain logic, the three pilots' documents rendered through
the CLI and opened in real clients (LibreOffice, Chromium, the Nu HTML checker), bad strategy files,
and the notebook run by papermill. What is asserted is what a reader would check."""

from __future__ import annotations

import json
import re
import shutil
import subprocess
import sys
from pathlib import Path

import docx
import papermill as pm
import pytest
import yaml
from checks import LEFTOVERS, flat, other_language_labels, page_in_chromium
from clients import docx_to_pdf, require_pdftotext, validate_html
from conftest import ROOT, SAMPLE

from cluster_reports.compose import composer
from cluster_reports.documents import i18n, strategy
from cluster_reports.inputs.schema import ConstraintCategory
from cluster_reports.writers.docx.properties import read_custom_properties

HEADINGS = ("strategy.heading.", "strategy.caption.", "strategy.sub.")
LANGS = ("id", "en")
PILOTS = ("waru-sidoarjo-metalwork", "serenan-klaten-wood-furniture", "kebumen-roof-tile")
NOT_A_PILOT = "tegal-metalwork"
NOTEBOOK = ROOT / "notebooks" / "strategy.ipynb"


def cli(*args: str, cwd: Path = ROOT) -> subprocess.CompletedProcess:
    return subprocess.run([sys.executable, "-m", "cluster_reports.cli", *args],
                          cwd=cwd, capture_output=True, text=True, timeout=900)


def unhyphenated(text: str) -> str:
    """pdftotext joins words LibreOffice split at a line-end hyphen ("IKM-nya" -> "IKMnya")."""
    return flat(text).replace("-", "")


def shows(label: str, text: str) -> bool:
    """Whether a label stands in the text as words of its own ("Strategi" is not in "Strategies")."""
    return re.search(rf"(?<!\w){re.escape(label)}(?!\w)", text) is not None


def pdf_text(pdf: Path) -> str:
    """pdftotext in reading order (not -layout): a table cell's wrapped lines stay together."""
    result = subprocess.run([require_pdftotext(), str(pdf), "-"], capture_output=True, text=True,
                            timeout=60, check=True)
    return result.stdout


@pytest.fixture(scope="module")
def rendered(tmp_path_factory) -> tuple[Path, subprocess.CompletedProcess]:
    """The three pilots and one cluster without a strategy, in one run of the CLI."""
    out = tmp_path_factory.mktemp("outputs")
    targets = [*PILOTS, NOT_A_PILOT]
    result = cli("render", *targets, "--doc", "strategy", "--lang", "id,en", "--format", "docx,html",
                 "--out", str(out), "--params-root", str(SAMPLE))
    assert result.returncode == 0, result.stderr
    return out, result


@pytest.fixture(scope="module")
def contexts(sample_by_id, templates) -> dict[tuple[str, str], dict]:
    return {
        (cid, lang): strategy.context(sample_by_id[cid], [], i18n.labels(templates, lang))
        for cid in PILOTS for lang in LANGS
    }


def path_of(out: Path, item, lang: str, fmt: str) -> Path:
    return out / item.params.location.province_record.slug / item.params.id / f"strategy.{lang}.{fmt}"


def expected_texts(item, ctx: dict, lang: str, full_names: bool = True) -> list[str]:
    """What a reader of the pilot's strategy looks for, in the language's words and number format.

    The matrix's stakeholders are looked for by their short names (the column heads) and, where the
    text keeps table cells whole (HTML), by their full names too.
    """
    f = i18n.Formatter(lang)
    ben = ctx["ben"]
    texts = [
        item.params.name.get(lang),
        item.strategy.vision.get(lang),
        *(p.label for p in ctx["conditions"]),
        *(c.short for c in ctx["columns"]),
        *(c.name for c in ctx["columns"] if full_names),
        *(r.name for r in ben.rows),
        f.rupiah(ben.sales),
        f.percent(ben.sales_share_pct),
        f.rupiah(ben.rows[0].annual_sales),
    ]
    return texts


# --- domain logic ---------------------------------------------------------------------------------


def test_every_constraint_category_bears_on_some_condition():
    assert set(strategy.CONSTRAINT_CONDITIONS) == {c.value for c in ConstraintCategory}
    for conditions in strategy.CONSTRAINT_CONDITIONS.values():
        assert conditions and set(conditions) <= set(strategy.CONDITIONS)


def test_priorities_are_the_weak_conditions_or_else_the_weakest():
    weak = {"factor", "social_capital"}
    assert strategy.priorities({"demand": 3, "factor": 2, "social_capital": 1}) == weak
    assert strategy.priorities({"demand": 4, "factor": 3, "social_capital": 3}) == weak


def test_conditions_carry_the_profiles_findings(contexts, sample_by_id):
    item = sample_by_id["waru-sidoarjo-metalwork"]
    plans = {p.key: p for p in contexts[("waru-sidoarjo-metalwork", "en")]["conditions"]}
    assert plans["factor"].score == item.params.assessment.factor.score == 2
    assert plans["factor"].finding == item.params.assessment.factor.note.en
    assert plans["factor"].priority and not plans["related_supporting"].priority
    technology = [k.text.en for k in item.params.constraints if k.category.value == "technology"]
    assert [k.text for k in plans["factor"].constraints] == technology
    assert plans["demand"].strategy == item.strategy.conditions.demand.strategy.en


def test_beneficiaries_are_the_willing_firms_largest_first(sample_by_id):
    item = sample_by_id["kebumen-roof-tile"]
    ben = strategy.beneficiaries(item.params)
    willing = [f for f in item.params.firms.table if f.willing_to_improve]
    assert [r.name for r in ben.rows] == [f.name for f in sorted(willing, key=lambda f: -f.annual_sales)]
    assert ben.surveyed and ben.table_firms == len(item.params.firms.table)
    assert ben.sales == sum(f.annual_sales for f in willing)
    assert ben.above_reference == sum(1 for f in willing if f.annual_sales > 700_000_000)


def test_matrix_has_one_lead_per_area_and_only_stakeholders_involved(contexts, sample_by_id):
    for cid in PILOTS:
        ctx, item = contexts[(cid, "en")], sample_by_id[cid]
        assigned = {r.area.value: r for r in item.strategy.responsibilities}
        in_order = [a.value for a in strategy.AREAS if a.value in assigned]
        assert [r.area for r in ctx["matrix_rows"]] == in_order
        for row in ctx["matrix_rows"]:
            assert row.marks.count(strategy.LEAD) == 1
            lead = ctx["columns"][row.marks.index(strategy.LEAD)].id
            assert lead == assigned[row.area].lead
            supports = {c.id for c, m in zip(ctx["columns"], row.marks, strict=True) if m == strategy.SUPPORT}
            assert supports == set(assigned[row.area].support)
        for column in ctx["columns"]:
            duty = next(d for d in ctx["duties"] if d.column == column)
            assert duty.leads or duty.supports, column


def test_stages_run_from_current_to_target(contexts):
    stages = {r.key: r.status for r in contexts[("waru-sidoarjo-metalwork", "en")]["stages"]}
    # Waru's eight leading firms formed their informal network in the pilot: the strategy starts there.
    assert stages == {"individual": "", "cooperative": "", "informal-network": "current",
                      "collaboration-unit": "target", "consortium": ""}


# --- the rendered documents -----------------------------------------------------------------------


def test_pilots_are_written_and_a_cluster_without_strategy_is_not_available(rendered, sample_by_id):
    out, result = rendered
    for cid in PILOTS:
        for lang in LANGS:
            for fmt in ("docx", "html"):
                assert path_of(out, sample_by_id[cid], lang, fmt).stat().st_size > 5_000
    assert f"not available: strategy for {NOT_A_PILOT}" in flat(result.stdout)
    assert f"{NOT_A_PILOT}.strategy.yaml" in flat(result.stdout)
    assert not list(out.rglob(f"*{NOT_A_PILOT}*"))
    assert not list(out.rglob("*.part"))


@pytest.mark.clients
@pytest.mark.parametrize("lang", LANGS)
def test_word_documents_open_in_libreoffice(rendered, sample_by_id, contexts, templates, lang, tmp_path):
    out, _ = rendered
    labels = i18n.labels(templates, lang)
    for cid in PILOTS:
        item = sample_by_id[cid]
        source = path_of(out, item, lang, "docx")
        text = flat(pdf_text(docx_to_pdf(source, tmp_path)))
        for expected in expected_texts(item, contexts[(cid, lang)], lang, full_names=False):
            assert unhyphenated(expected) in unhyphenated(text), (source, expected)
        for key in ("summary", "vision", "conditions", "three_c", "beneficiaries", "transformation",
                    "responsibilities", "sources"):
            assert labels(f"strategy.heading.{key}") in text, (source, key)
        assert labels("strategy.legend") in text
        assert ("Tabel 5" if lang == "id" else "Table 5") in text
        assert not LEFTOVERS.search(text), (source, LEFTOVERS.search(text))
        for label in other_language_labels(templates, lang, HEADINGS):
            assert not shows(label, text), (source, label)


@pytest.mark.parametrize("lang", LANGS)
def test_word_structure_and_properties(rendered, sample_by_id, contexts, lang):
    out, _ = rendered
    for cid in PILOTS:
        item, ctx = sample_by_id[cid], contexts[(cid, lang)]
        source = path_of(out, item, lang, "docx")
        document = docx.Document(str(source))
        assert {"Title", "Heading 1", "Heading 2", "Caption"} <= {p.style.name for p in document.paragraphs}
        custom = read_custom_properties(source)
        assert custom["document_kind"] == "strategy"
        assert custom["params_hash"] == composer.input_hash(item, "strategy") != item.sha256
        matrix = next(t for t in document.tables if t.rows[0].cells[-1].text == ctx["columns"][-1].short)
        assert [c.text for c in matrix.rows[0].cells[1:]] == [c.short for c in ctx["columns"]]
        marks = [c.text for row in matrix.rows[1:] for c in row.cells[1:]]
        assert marks.count("●") == len(ctx["matrix_rows"])
        assert marks.count("○") == sum(len(r.support) for r in item.strategy.responsibilities)
        body = document.element.body.xml
        assert body.count('descr="') >= 2, "charts have no alt text"
        assert 'w:orient="landscape"' in body, "the wide matrix is not on a landscape page"


@pytest.mark.clients
def test_html_pages_are_valid(rendered):
    out, _ = rendered
    pages = sorted(out.rglob("strategy.*.html"))
    assert len(pages) == 6
    assert validate_html(pages) == []


@pytest.mark.clients
@pytest.mark.parametrize("lang", LANGS)
def test_html_pages_render_in_chromium(rendered, sample_by_id, contexts, templates, lang):
    out, _ = rendered
    for cid in PILOTS:
        item = sample_by_id[cid]
        page = path_of(out, item, lang, "html")
        text, dom = page_in_chromium(page, lang)
        for expected in expected_texts(item, contexts[(cid, lang)], lang):
            assert expected in text, (page, expected)
        assert not LEFTOVERS.search(text), (page, LEFTOVERS.search(text))
        for label in other_language_labels(templates, lang, HEADINGS):
            assert not shows(label, text), (page, label)
        blocks = ["summary", "vision", "conditions", "three-c", "beneficiaries", "transformation",
                  "responsibilities", "sources"]
        blocks += [f"condition-{k.replace('_', '-')}" for k in strategy.CONDITIONS]
        for block in blocks:
            assert f'data-block-id="{block}"' in dom, (page, block)
        charts = re.findall(r'<img src="data:image/svg\+xml;base64,[^"]+" alt="([^"]+)"', dom)
        assert len(charts) == 2, page
        assert contexts[(cid, lang)]["conditions"][0].label in charts[0]


def test_illustrative_values_are_said_so(rendered, sample_by_id):
    out, _ = rendered
    item = sample_by_id["serenan-klaten-wood-furniture"]
    en = path_of(out, item, "en", "html").read_text(encoding="utf-8")
    assert "illustrative, not survey data" in en
    sources = en[en.index('id="tbl-sources"'):]
    sources = sources[: sources.index("</table>")]
    assert "Box 3.1(b)" in sources and "Table 4.1" in sources
    assert "<strong>Illustrative value (not survey data): Values prepared for illustration" in sources
    assert "from the profile" in sources  # the firm table's own provenance is listed too
    id_ = path_of(out, item, "id", "html").read_text(encoding="utf-8")
    assert "bersifat ilustratif, bukan data survei" in id_


# --- bad strategy files ---------------------------------------------------------------------------


def _break(data: dict, case: str) -> None:
    if case == "unknown-stakeholder":
        data["responsibilities"][1]["support"].append("bappeda-kebumen")
    elif case == "unknown-lead":
        data["responsibilities"][0]["lead"] = "bank-indonesia"
    elif case == "cluster-mismatch":
        data["cluster"] = "tegal-metalwork"
    elif case == "unknown-key":
        data["visoin"] = data["vision"]
    elif case == "transformation-backwards":
        data["transformation"].update(current="consortium", target="informal-network")
    elif case == "lead-also-supports":
        data["responsibilities"][0]["support"].append(data["responsibilities"][0]["lead"])
    elif case == "one-language-only":
        data["three_c"]["competition"] = data["three_c"]["competition"]["en"]


BAD = {
    "unknown-stakeholder": ("responsibilities[1].support[3]",
                            "'bappeda-kebumen' is not a stakeholder of the cluster"),
    "unknown-lead": ("responsibilities[0].lead", "'bank-indonesia' is not a stakeholder of the cluster"),
    "cluster-mismatch": ("cluster", "is 'tegal-metalwork' but the params file beside it is cluster "
                                    "'kebumen-roof-tile'"),
    "unknown-key": ("visoin", "unknown key"),
    "transformation-backwards": ("transformation",
                                 "target 'informal-network' comes before current 'consortium'"),
    "lead-also-supports": ("responsibilities[0]", "is the lead and cannot also be listed in support"),
    # A plain string where a text is asked for (one language is a mapping with one key).
    "one-language-only": ("three_c.competition",
                          "give this text as a mapping with keys 'en' (English) and 'id' (Indonesian)"),
}


@pytest.mark.parametrize("case", sorted(BAD))
def test_bad_strategy_is_reported_by_file_and_field(case, tmp_path):
    field, reason = BAD[case]
    folder = tmp_path / "params"
    folder.mkdir()
    source = SAMPLE / "jawa-tengah" / "kebumen-roof-tile"
    params = folder / "kebumen-roof-tile.yaml"
    shutil.copy(source.with_suffix(".yaml"), params)
    data = yaml.safe_load(source.with_suffix(".strategy.yaml").read_text(encoding="utf-8"))
    _break(data, case)
    bad = folder / "kebumen-roof-tile.strategy.yaml"
    bad.write_text(yaml.safe_dump(data, allow_unicode=True, sort_keys=False), encoding="utf-8")

    result = cli("validate", str(params), cwd=tmp_path)
    assert result.returncode == 1
    assert "Traceback" not in result.stderr + result.stdout
    assert f"{bad}: {field}: " in result.stderr, result.stderr
    line = next(ln for ln in result.stderr.splitlines() if f"{bad}: {field}: " in ln)
    assert reason in line, line

    out = tmp_path / "out"
    result = cli("render", str(params), "--doc", "strategy", "--out", str(out),
                 "--params-root", str(folder), cwd=tmp_path)
    assert result.returncode != 0
    assert str(bad) in result.stderr and "Traceback" not in result.stderr
    assert not out.exists() or not any(out.rglob("*.*"))


# --- the notebook ---------------------------------------------------------------------------------


def test_notebook_renders_a_pilot(tmp_path):
    out = tmp_path / "docs"
    executed = tmp_path / "strategy.out.ipynb"
    pm.execute_notebook(
        str(NOTEBOOK), str(executed), cwd=str(NOTEBOOK.parent), kernel_name="python3",
        parameters={"cluster": "waru-sidoarjo-metalwork", "params_root": str(SAMPLE),
                    "languages": ["en"], "formats": ["docx", "html"], "output_dir": str(out)},
        progress_bar=False,
    )
    folder = out / "jawa-timur" / "waru-sidoarjo-metalwork"
    assert (folder / "strategy.en.docx").is_file() and (folder / "strategy.en.html").is_file()
    assert not (folder / "strategy.id.docx").exists()
    shown = json.dumps([c.get("outputs", []) for c in json.loads(executed.read_text())["cells"]],
                       ensure_ascii=False)
    assert "Waru" in shown and "LPB Mitra Usaha" in shown and "●" in shown
    assert "image/svg+xml" in shown or "image/png" in shown or "vega" in shown
    assert "strategy.en.docx" in shown


def test_notebook_says_when_a_cluster_has_no_strategy(tmp_path):
    with pytest.raises(pm.PapermillExecutionError) as failure:
        pm.execute_notebook(
            str(NOTEBOOK), str(tmp_path / "out.ipynb"), cwd=str(NOTEBOOK.parent), kernel_name="python3",
            parameters={"cluster": NOT_A_PILOT, "params_root": str(SAMPLE),
                        "output_dir": str(tmp_path / "docs")},
            progress_bar=False,
        )
    assert failure.value.ename == "ParameterError"
    assert f"{NOT_A_PILOT}.strategy.yaml" in failure.value.evalue
    assert not (tmp_path / "docs").exists()
