"""The facilitator guideline: the general edition (no cluster) and tailored editions for a pilot with
a plan, a cluster without one, and a cluster whose plan (written here) sets its own routine. Rendered
through the CLI and checked in LibreOffice, Chromium and the Nu HTML checker, as a reader would."""

from __future__ import annotations

import datetime as dt
import html
import json
import re
import shutil
import subprocess
import sys
from pathlib import Path

import docx
import papermill as pm
import pytest
from checks import LEFTOVERS, flat, other_language_labels, page_in_chromium
from clients import docx_to_pdf, pdf_text, validate_html
from conftest import ROOT, SAMPLE

from cluster_reports.compose import composer
from cluster_reports.documents import guideline, i18n
from cluster_reports.domain import routine
from cluster_reports.inputs import params_io
from cluster_reports.writers.docx.properties import read_custom_properties

LANGS = ("id", "en")
NOTEBOOK = ROOT / "notebooks" / "guideline.ipynb"
STEP_NUMBERS = ("i", "ii", "iii", "iv", "v", "vi", "vii", "viii")
# Second Tuesdays of 2003 (checked with GNU date), the routine of the plan written below.
SECOND_TUESDAYS = ["2003-01-14", "2003-02-11", "2003-03-11", "2003-04-08", "2003-05-13", "2003-06-10",
                   "2003-07-08", "2003-08-12", "2003-09-09", "2003-10-14", "2003-11-11", "2003-12-09"]

PLAN = """\
cluster: tegal-metalwork
year: 2003
vision:
  en: A supplier of metal parts to national assemblers.
  id: Pemasok komponen logam bagi perakit nasional.
medium_plan:
  - goal: {en: More firms working to drawings, id: Lebih banyak IKM bekerja dengan gambar teknik}
    indicator: {id: firms-with-drawings, name: {en: Firms using drawings, id: IKM yang memakai gambar teknik},
                unit: {en: firms, id: IKM}, baseline: 2}
    targets: [4, 6, 8]
programmes:
  - id: drawing-course
    title: {en: Course in reading technical drawings, id: Kursus membaca gambar teknik}
    objective: {en: Firms read and use drawings, id: IKM dapat membaca dan memakai gambar teknik}
    lead: disperindag-tegal
    partners: [midc]
    start_month: 2
    duration_months: 3
    funding: regency-budget
    budget:
      - {item: {en: Trainer, id: Pelatih}, quantity: 1, unit: {en: trainer, id: pelatih}, times: 3,
         times_unit: {en: month, id: bulan}, rate: 1500000}
    indicator: {id: p-drawing-course, name: {en: Participants, id: Peserta}, unit: {en: firms, id: IKM},
                baseline: 0, target: 10}
success_goal:
  description: {en: Works to a drawing for a buyer, id: Bekerja sesuai gambar teknik untuk pembeli}
routine:
  meeting_weekday: tuesday
  meeting_week: 2
  seminar_months: [3, 6, 9, 12]
provenance:
  - {field: vision, source: illustrative}
  - {field: medium_plan, source: illustrative}
  - {field: programmes, source: illustrative}
  - {field: success_goal, source: illustrative}
"""


def _render(targets: list[str], out: Path, *extra: str) -> None:
    result = subprocess.run(
        [sys.executable, "-m", "cluster_reports.cli", "render", *targets, "--doc", "guideline",
         "--lang", "id,en", "--format", "docx,html", "--out", str(out), *extra],
        capture_output=True, text=True, timeout=900,
    )
    assert result.returncode == 0, result.stdout + result.stderr


@pytest.fixture(scope="module")
def planned_root(tmp_path_factory) -> Path:
    """A params folder with Tegal (not a pilot) and an action plan written for it."""
    root = tmp_path_factory.mktemp("params") / "clusters"
    folder = root / "jawa-tengah"
    folder.mkdir(parents=True)
    shutil.copy(SAMPLE / "jawa-tengah" / "tegal-metalwork.yaml", folder)
    (folder / "tegal-metalwork.plan.yaml").write_text(PLAN, encoding="utf-8")
    return root


@pytest.fixture(scope="module")
def rendered(tmp_path_factory, planned_root) -> dict[str, Path]:
    """Folder of each edition: general, kebumen (pilot, plan), tegal (no plan), planned (tegal + plan)."""
    out = tmp_path_factory.mktemp("outputs")
    _render([], out / "a")
    _render(["kebumen-roof-tile", "tegal-metalwork"], out / "a", "--params-root", str(SAMPLE))
    _render([str(planned_root / "jawa-tengah" / "tegal-metalwork.yaml")], out / "b",
            "--params-root", str(planned_root))
    return {
        "general": out / "a" / "general",
        "kebumen-roof-tile": out / "a" / "jawa-tengah" / "kebumen-roof-tile",
        "tegal-metalwork": out / "a" / "jawa-tengah" / "tegal-metalwork",
        "planned": out / "b" / "jawa-tengah" / "tegal-metalwork",
    }


def edition_facts(edition: str, lang: str, templates: Path, sample_by_id, planned_root) -> dict:
    """What a reader must find: step labels, form titles, names, dated gatherings."""
    labels = i18n.labels(templates, lang)
    fmt = i18n.Formatter(lang)
    facts: dict = {
        "headings": [labels(f"guideline.heading.{k}") for k in ("steps", "forms", "minutes", "progress",
                                                                 "checklists", "lessons", "routine")],
        "captions": [labels(f"guideline.caption.{k}") for k in ("minutes", "minutes_items", "progress",
                                                                 "progress_programmes", "progress_firms")],
        "steps": [labels(f"guideline.step.{s.key}.title") for s in guideline.STEPS],
        "names": [], "paragraph_names": [], "dates": [], "absent": [],
    }
    if edition == "general":
        facts["absent"] = [sample_by_id["kebumen-roof-tile"].params.name.get(lang)]
        facts["text"] = ["Untuk setiap sentra, fasilitator mendata pemangku kepentingannya" if lang == "id"
                         else "For each cluster, the facilitator lists its stakeholders"]
        return facts
    loaded = (sample_by_id[edition] if edition != "planned"
              else params_io.load_file(planned_root / "jawa-tengah" / "tegal-metalwork.yaml"))
    params = loaded.params
    facts["names"] = [s.name for s in params.stakeholders]
    facts["paragraph_names"] = [params.name.get(lang)] + [
        s.name for s in params.stakeholders if s.type.value in ("working-group", "cooperative")]
    plan = loaded.plan
    if edition == "planned":
        facts["dates"] = [fmt.date(dt.date.fromisoformat(d)) for d in SECOND_TUESDAYS]
    elif plan is not None:
        facts["dates"] = [fmt.date(e.date) for e in routine.working_calendar(plan.year, plan.routine)]
    facts["text"] = ["belum memiliki rencana aksi" if lang == "id" else "has no action plan yet"] \
        if plan is None else [labels("guideline.heading.calendar")]
    return facts


EDITIONS = ("general", "kebumen-roof-tile", "tegal-metalwork", "planned")


def test_every_edition_is_written(rendered):
    for edition in EDITIONS:
        for lang in LANGS:
            for fmt in ("docx", "html"):
                assert (rendered[edition] / f"guideline.{lang}.{fmt}").stat().st_size > 5_000, edition
    assert not list(rendered["general"].parent.rglob("*.part"))


def test_the_pilot_plan_gives_twelve_gatherings(sample_by_id):
    # Guards the assumption of the tailored-edition tests below: the pilot has a plan.
    plan = sample_by_id["kebumen-roof-tile"].plan
    assert plan is not None and plan.year == 2003


@pytest.mark.clients
@pytest.mark.parametrize("lang", LANGS)
@pytest.mark.parametrize("edition", EDITIONS)
def test_word_documents_read_right_in_libreoffice(rendered, sample_by_id, planned_root, templates,
                                                   edition, lang, tmp_path):
    source = rendered[edition] / f"guideline.{lang}.docx"
    text = pdf_text(docx_to_pdf(source, tmp_path))
    whole = flat(text)
    facts = edition_facts(edition, lang, templates, sample_by_id, planned_root)
    for wanted in facts["headings"] + facts["captions"] + facts["paragraph_names"] + facts["text"]:
        assert flat(wanted) in whole, (source, wanted)
    for number, title in zip(STEP_NUMBERS, facts["steps"], strict=True):
        # a table cell's first line holds at least its number and first word
        assert f"{number}. {title.split()[0]}" in whole, (source, number)
    for day in facts["dates"]:
        assert day in whole, (source, day)
    for name in facts["absent"]:
        assert name not in whole, (source, name)
    assert "☐" in text
    assert "____" in text  # the forms' lines to write on
    assert not LEFTOVERS.search(text), (source, LEFTOVERS.search(text))
    for label in other_language_labels(templates, lang, ('guideline.heading.', 'guideline.caption.')):
        assert label not in whole, (source, label)


@pytest.mark.parametrize("lang", LANGS)
@pytest.mark.parametrize("edition", EDITIONS)
def test_word_structure_tables_and_properties(rendered, sample_by_id, planned_root, templates, edition, lang):
    source = rendered[edition] / f"guideline.{lang}.docx"
    document = docx.Document(str(source))
    assert {"Title", "Heading 1", "Heading 2", "Caption"} <= {p.style.name for p in document.paragraphs}
    cells = {" ".join(c.text.split()) for t in document.tables for r in t.rows for c in r.cells}
    facts = edition_facts(edition, lang, templates, sample_by_id, planned_root)
    for number, title in zip(STEP_NUMBERS, facts["steps"], strict=True):
        assert f"{number}. {title}" in cells
    for name in facts["names"]:
        assert name in cells, name
    for day in facts["dates"]:
        assert day in cells, day
    custom = read_custom_properties(source)
    assert custom["document_kind"] == "guideline"
    expected_id = {"general": "", "kebumen-roof-tile": "kebumen-roof-tile"}.get(edition, "tegal-metalwork")
    assert custom["cluster_id"] == expected_id
    assert document.core_properties.language == {"id": "id-ID", "en": "en-US"}[lang]


def test_calendar_rows_of_the_written_plan(rendered):
    page = (rendered["planned"] / "guideline.en.html").read_text(encoding="utf-8")
    table = page[page.index('id="tbl-calendar"'):]
    table = table[: table.index("</table>")]
    rows = re.findall(r"<tr>(.*?)</tr>", table, flags=re.S)[1:]
    cells = [[flat(re.sub(r"<[^>]+>", " ", c)) for c in re.findall(r"<td[^>]*>(.*?)</td>", r, re.S)]
             for r in rows]
    assert [c[0] for c in cells] == [
        "14 January 2003", "3 February 2003", "11 February 2003", "11 March 2003", "8 April 2003",
        "30 April 2003", "13 May 2003", "10 June 2003", "8 July 2003", "12 August 2003",
        "9 September 2003", "14 October 2003", "11 November 2003", "9 December 2003",
    ]
    by_date = {c[0]: c for c in cells}
    assert by_date["11 March 2003"][1].startswith("Information seminar")
    assert "Course in reading technical drawings" in by_date["11 March 2003"][2]  # under way in March
    # 1 February 2003 was a Saturday (and Chinese New Year): the start moves to Monday 3 February.
    assert by_date["3 February 2003"][1] == "Action programmes start"
    assert "lead: Dinas Perindustrian dan Perdagangan Kabupaten Tegal" in by_date["3 February 2003"][2]
    assert by_date["30 April 2003"][1] == "Action programmes end"
    assert "Rp 4,500,000" in page  # planned budget pre-filled in the progress form (1 x 3 x 1,500,000)


def test_general_edition_has_no_cluster_on_its_cover(rendered):
    for lang in LANGS:
        path = rendered["general"] / f"guideline.{lang}.html"
        page = path.read_text(encoding="utf-8")
        assert 'id="tbl-calendar"' not in page and 'id="tbl-stakeholders"' not in page
        # Nothing of the tool before the annex for the person who prepares the documents, which
        # says how (test_guide_manual_body checks the whole body in both editions and formats).
        body, annex = page.split('id="sec-operator"')
        assert "cluster-reports render " not in body and ".yaml" not in body
        assert "cluster-reports render " in annex and ".yaml" in annex
        # Each step names the document that writes its output, as its readers know it: no command.
        steps = re.search(r'<table[^>]*id="tbl-steps".*?</table>', page, re.S).group()
        assert "cluster-reports" not in steps and "--doc" not in steps
        assert {"en": "Cluster Profiling Report", "id": "Laporan Profil Sentra"}[lang] in steps


@pytest.mark.clients
def test_html_pages_are_valid(rendered):
    pages = sorted(p for folder in rendered.values() for p in folder.glob("*.html"))
    assert len(pages) == 8
    assert validate_html(pages) == []


@pytest.mark.clients
@pytest.mark.parametrize("lang", LANGS)
def test_html_pages_render_in_chromium(rendered, sample_by_id, planned_root, templates, lang):
    for edition in EDITIONS:
        page = rendered[edition] / f"guideline.{lang}.html"
        text, dom = page_in_chromium(page, lang)
        facts = edition_facts(edition, lang, templates, sample_by_id, planned_root)
        for wanted in facts["steps"] + facts["names"] + facts["dates"] + facts["captions"]:
            assert html.unescape(flat(wanted)) in html.unescape(text), (page, wanted)
        assert not LEFTOVERS.search(text), (page, LEFTOVERS.search(text))
        for block in ("about", "services", "steps", "routine", "checklist-meeting", "checklist-report",
                      "lessons", "lessons-smidep", "sources"):
            assert f'data-block-id="{block}"' in dom, (page, block)
        assert ("data-block-id=\"calendar\"" in dom) == (edition != "general")


def test_general_context_has_no_cluster(templates):
    labels = i18n.labels(templates, "en")
    ctx = composer.make_context(None, "guideline", [], labels)
    assert "c" not in ctx and ctx["tailored"] is False
    assert ctx["steps"][0].documents == ["Cluster Profiling Report"]
    assert [s.number for s in ctx["steps"] if not s.documents] == ["ii", "vii"]


@pytest.mark.parametrize(("cluster", "folder", "shown"), [
    ("", "general", "General edition"),
    ("kebumen-roof-tile", "jawa-tengah/kebumen-roof-tile", "Kebumen"),
])
def test_notebook_runs_for_general_and_cluster(tmp_path, cluster, folder, shown):
    out = tmp_path / "docs"
    executed = tmp_path / "guideline.out.ipynb"
    pm.execute_notebook(
        str(NOTEBOOK), str(executed), cwd=str(NOTEBOOK.parent), kernel_name="python3",
        parameters={"cluster": cluster, "params_root": str(SAMPLE), "languages": ["en"],
                    "formats": ["html"], "output_dir": str(out)},
        progress_bar=False,
    )
    assert (out / folder / "guideline.en.html").is_file()
    assert not (out / folder / "guideline.id.html").exists()
    shown_text = json.dumps([c.get("outputs", []) for c in json.loads(executed.read_text())["cells"]])
    assert shown in shown_text
    assert "Cluster profiling" in shown_text  # the steps table
    assert "guideline.en.html" in shown_text
    if cluster:
        assert "BRI Cabang Kebumen" in shown_text  # stakeholders table (pandas cuts long cells)


def test_notebook_tables_have_distinct_labelled_columns(sample_by_id, templates):
    for lang in LANGS:
        labels = i18n.labels(templates, lang)
        for loaded in (None, sample_by_id["kebumen-roof-tile"]):
            ctx = composer.make_context(loaded, "guideline", [], labels)
            found = guideline.tables(ctx, labels)
            assert set(found) == ({"steps"} if loaded is None else {"steps", "stakeholders", "calendar"})
            for frame in found.values():
                assert frame.columns.is_unique and len(frame) > 0
            assert len(found["steps"]) == 8
