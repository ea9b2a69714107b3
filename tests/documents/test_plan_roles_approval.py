"""The action plan's responsibilities (lead, partners, the facilitator's part), its reporting calendar
with dated deadlines, and its approval page on a page of its own: the samples' content in both
languages, the method's standard calendar and the default signatories where a plan gives none, the
not-recorded wording, the docx and HTML page break, and the plan file's errors."""

from __future__ import annotations

import datetime as dt
from types import SimpleNamespace

import docx
import pytest
from checks import tree_lines
from conftest import SAMPLE
from monlife_tree import copy_tree, edit

from cluster_reports.compose import composer
from cluster_reports.compose import tree as d
from cluster_reports.documents import plan_roles
from cluster_reports.domain import reporting
from cluster_reports.inputs import params_io
from cluster_reports.inputs.yaml_io import ParamsError
from cluster_reports.writers.docx import write_docx
from cluster_reports.writers.html import render_html

PLAN = "kebumen-roof-tile.plan.yaml"


def lines(loaded, lang: str, templates) -> list[str]:
    """The plan as a reader meets it: checks.tree_lines, with headings and table headers in place."""
    document = composer.compose(loaded, "action-plan", lang, [], templates)
    found: list[str] = []
    for node in document.nodes:
        if isinstance(node, d.Heading):
            found.append("# " + d.plain(node.runs))
        elif isinstance(node, d.Table):
            found.append(" | ".join(d.plain(cell) for cell in node.header))
        if not isinstance(node, d.Heading):
            found += tree_lines(SimpleNamespace(nodes=[node]), cover=False)
    return found


def text(loaded, lang: str, templates) -> str:
    return "\n".join(lines(loaded, lang, templates))


def kebumen_copy(tmp_path, change_plan=None, change_cluster=None):
    folder = copy_tree(tmp_path)
    if change_plan:
        edit(folder / PLAN, change_plan)
    if change_cluster:
        edit(folder / "kebumen-roof-tile.yaml", change_cluster)
    return params_io.load_file(folder / "kebumen-roof-tile.yaml")


def without_roles(plan: dict) -> None:
    """A plan as written before these sections: no reporting, no approval, no facilitator's parts."""
    plan.pop("reporting")
    plan.pop("approval")
    plan["provenance"] = [e for e in plan["provenance"] if e["field"] not in ("reporting", "approval")]
    for p in plan["programmes"]:
        p.pop("facilitator_role")


# --- the samples ---------------------------------------------------------------------------------------

def test_responsibility_rows_name_lead_partners_and_the_facilitators_part(sample_by_id, templates):
    kebumen = sample_by_id["kebumen-roof-tile"]
    en, id_ = lines(kebumen, "en", templates), lines(kebumen, "id", templates)
    assert ("1. Introductory meetings | LPM Universitas Gadjah Mada (UGM), Yogyakarta | "
            "Dinas Perindustrian dan Perdagangan Kabupaten Kebumen; Kelompok Kerja Sentra Genteng Kebumen; "
            "Koperasi Genteng Sokka; Koperasi Perajin Genteng Pejagoan | Prepares and leads the village "
            "meetings, writes the leaflet and draws up the list of willing firms") in en
    assert any(row.startswith("1. ") and row.endswith(
        "| Menyiapkan dan memandu pertemuan desa, menulis selebaran, dan menyusun daftar IKM yang mau maju")
        for row in id_)
    # the tasks by stakeholder: the facilitator's university leads programmes 1 and 2, joins the rest
    assert "LPM Universitas Gadjah Mada (UGM), Yogyakarta | 1, 2 | 3, 4, 5, 6, 7" in en
    assert "Dinas Koperasi dan UKM Kabupaten Kebumen | 5 | –" in id_
    body = "\n".join(en)
    assert "The plan gives a part to 11 stakeholders." in body
    assert "not recorded" not in body.split("Responsibilities")[-1].split("Tasks by stakeholder")[0]


def test_every_sample_plan_fills_in_every_part(sample, templates):
    plans = [item for item in sample if item.plan is not None]
    assert len(plans) == 7
    for item in plans:
        assert all(p.facilitator_role is not None for p in item.plan.programmes), item.params.id
        assert item.plan.reporting and item.plan.approval and item.plan.approval.parties, item.params.id
        for lang, heading, standard in (("en", "# Approval of the plan", "records no reporting calendar"),
                                        ("id", "# Lembar Persetujuan", "tidak memuat jadwal pelaporan")):
            body = text(item, lang, templates)
            assert heading in body and standard not in body, item.params.id
            assert ("not recorded" if lang == "en" else "tidak tercatat") not in body.split(
                "Data sources" if lang == "en" else "Sumber Data")[0].split(
                "Responsibilities" if lang == "en" else "Pembagian Tugas")[-1], item.params.id


def test_the_reporting_calendar_gives_who_reports_to_whom_and_the_dated_deadlines(sample_by_id, templates):
    samosir = sample_by_id["samosir-ulos-weaving"]
    id_, en = lines(samosir, "id", templates), lines(samosir, "en", templates)
    assert ("Laporan kemajuan bulanan | Tim TPL-IKM Kabupaten Samosir | Dinas Perindustrian dan Perdagangan "
            "Kabupaten Samosir | Bulanan | Paling lambat tanggal 5 bulan berikutnya") in id_
    assert ("Monthly progress report | Tim TPL-IKM Kabupaten Samosir | Dinas Perindustrian dan Perdagangan "
            "Kabupaten Samosir | Monthly | By the 5th of the following month") in en
    assert ("Monitoring and evaluation report of the year | Tim TPL-IKM Kabupaten Samosir | Dinas "
            "Perindustrian dan Perdagangan Kabupaten Samosir | Yearly | By 20 January 2017") in en
    # 5 March 2016 is a Saturday: the deadline moves to Monday 7 March
    assert "7 Maret 2016 | Laporan kemajuan bulanan | Februari 2016" in id_
    assert "15 April 2016 | Quarterly progress monitoring report | January–March 2016" in en
    assert "20 Januari 2017 | Laporan pemantauan dan evaluasi (monev) tahunan | Januari–Desember 2016" in id_
    body = "\n".join(en)
    assert "The plan sets 4 reports for 2016." in body
    assert "21 deadlines of the year's reports in date order, from 5 February 2016 to 20 January 2017" in body
    # a one-off report, due on Saturday 14 November 2015, moves to Monday 16 November
    tegal = lines(sample_by_id["kota-tegal-ship-parts"], "en", templates)
    assert ("Results of the product tests and classification | Dinas Perindustrian dan Perdagangan Kota "
            "Tegal | Koperasi Produsen Komponen Kapal Bahari Tegal and Kelompok Kerja Lokal (LWG) Kota "
            "Tegal | Once | By 16 November 2015") in tegal


def test_the_approval_page_lists_the_parties_with_places_to_sign(sample_by_id, templates):
    samosir = sample_by_id["samosir-ulos-weaving"]
    for lang, rows, place in (
        ("id", ["1. Dinas Perindustrian dan Perdagangan Kabupaten Samosir | Kepala Dinas | "
                "…………………………… |  | ",
                "4. Tim TPL-IKM Kabupaten Samosir | Tenaga Penyuluh Lapangan IKM (TPL-IKM) | "
                "…………………………… |  | "],
         "Pangururan, .............................. 20....."),
        ("en", ["2. Koperasi Perajin Ulos Samosir | Chair | …………………………… |  | "],
         "Pangururan, .............................. 20....."),
    ):
        got = lines(samosir, lang, templates)
        for row in rows:
            assert row in got
        assert place in got
        assert ("Party | Position | Name | Signature | Date" if lang == "en"
                else "Pihak | Jabatan | Nama | Tanda tangan | Tanggal") in got
    body = text(samosir, "id", templates)
    assert "Dengan menandatangani lembar ini, para pihak menyetujui Rencana Aksi Industri Daerah" in body
    assert "tidak menyebutkan penanda tangannya" not in body
    # the approval page comes last, after the references
    assert body.rindex("Lembar Persetujuan") > body.rindex("Daftar Pustaka" if "Daftar Pustaka" in body
                                                           else "Sumber Data")


def test_the_approval_page_starts_a_page_of_its_own_in_word_and_in_html(sample_by_id, templates, tmp_path):
    kebumen = sample_by_id["kebumen-roof-tile"]
    document = composer.compose(kebumen, "action-plan", "en", [], templates)
    path = tmp_path / "plan.docx"
    write_docx(document, path, templates / "reference.docx")
    word = docx.Document(str(path))
    # the last one: the first is its line in the table of contents
    heading = [p for p in word.paragraphs if p.text.strip() == "Approval of the plan"][-1]
    assert heading.paragraph_format.page_break_before is True
    assert heading.style.name.startswith("Heading")
    sign = next(t for t in word.tables if [c.text for c in t.rows[0].cells][-2:] == ["Signature", "Date"])
    assert len(sign.rows) == 1 + len(kebumen.plan.approval.parties)
    assert [c.text.strip() for c in sign.rows[1].cells][-2:] == ["", ""]
    assert sign.rows[1].cells[0].text.startswith("1. Dinas Perindustrian dan Perdagangan Kabupaten Kebumen")
    responsibilities = next(t for t in word.tables if t.rows[0].cells[-1].text == "Facilitator's part")
    assert len(responsibilities.rows) == 1 + len(kebumen.plan.programmes)
    page = render_html(document, templates)
    assert page.index('class="page-break"') < page.index('id="sec-approval"')
    references = page.index('id="sec-references"')
    assert references < page.index('class="page-break"', references) < page.index('id="sec-approval"')


# --- the standard calendar, the default signatories, not recorded ---------------------------------------

def test_a_plan_without_the_new_fields_shows_the_methods_standard_and_default_parties(tmp_path, templates):
    loaded = kebumen_copy(tmp_path, without_roles)
    en, id_ = lines(loaded, "en", templates), lines(loaded, "id", templates)
    en_text, id_text = "\n".join(en), "\n".join(id_)
    assert "The facilitator's part is not recorded for any programme." in en_text
    assert "Peran fasilitator dalam semua program tidak tercatat." in id_text
    assert any(r.startswith("1. Introductory meetings |") and r.endswith("| not recorded") for r in en)
    assert ("The plan records no reporting calendar of its own. The table gives the standard calendar of the "
            "method that the facilitator guideline describes") in en_text
    assert ("Progress monitoring report | Tim Fasilitator LPM-UGM | Kelompok Kerja Sentra Genteng Kebumen | "
            "After each information seminar (March, June, September and December) | By the last working day "
            "of the seminar's month") in en
    assert ("Laporan pemantauan dan evaluasi (monev) tahunan | Kelompok Kerja Sentra Genteng Kebumen | "
            "Dinas Perindustrian dan Perdagangan Kabupaten Kebumen | Tahunan | "
            "Paling lambat 31 Desember 2003") in id_
    assert "30 June 2003 | Progress monitoring report | April–June 2003" in en
    # the default signatories, said to be so
    assert "The plan does not name its signatories." in en_text
    assert "Rencana ini tidak menyebutkan penanda tangannya." in id_text
    page = en[en.index("# Approval of the plan"):]
    parties = [r.split(" | ")[:2] for r in page if r.count(" | ") == 4][1:]
    assert parties == [["1. Dinas Perindustrian dan Perdagangan Kabupaten Kebumen", "Head of the office"],
                       ["2. Kelompok Kerja Sentra Genteng Kebumen", "Chair"],
                       ["3. Koperasi Genteng Sokka", "Chair"],
                       ["4. Koperasi Perajin Genteng Pejagoan", "Chair"],
                       ["5. Tim Fasilitator LPM-UGM", "Cluster facilitator"]]
    assert "Kebumen, .............................. 20....." in en


def test_without_a_facilitator_the_reporting_calendar_is_not_recorded(tmp_path, templates):
    def no_facilitator(cluster: dict) -> None:
        cluster.pop("facilitator")
        cluster["provenance"] = [e for e in cluster["provenance"] if not e["field"].startswith("facilitator")]

    loaded = kebumen_copy(tmp_path, without_roles, no_facilitator)
    en, id_ = text(loaded, "en", templates), text(loaded, "id", templates)
    assert "The reporting calendar is not recorded." in en
    assert "Jadwal pelaporan tidak tercatat." in id_
    assert "Report | Prepared by | Submitted to" not in en and "Report deadlines of 2003" not in en
    assert "Cluster facilitator" not in en.split("Approval of the plan")[-1]


def test_a_plan_without_signatories_says_so():
    from cluster_reports import resources
    from cluster_reports.compose import templating
    from cluster_reports.documents import i18n

    loaded = params_io.load_file(SAMPLE / "jawa-tengah" / "kebumen-roof-tile.yaml")
    templates = resources.templates()
    for lang, sentence in (("en", "The parties who approve the plan are not recorded."),
                           ("id", "Para pihak yang menyetujui rencana ini tidak tercatat.")):
        ctx = composer.make_context(loaded, "action-plan", [], i18n.labels(templates, lang))
        ctx["signatories"] = []
        source = templating.render(templates, f"action-plan/{lang}.md.j2", lang, ctx)
        assert sentence in source.replace("\\", "")
        assert "::: table tbl-approval" not in source


# --- the dates -----------------------------------------------------------------------------------------

def test_deadlines_fall_on_working_days():
    monthly = reporting.due_dates(2016, "monthly", due_day=5)
    assert len(monthly) == 12 and monthly[1].date == dt.date(2016, 3, 7)  # 5 March 2016: a Saturday
    assert monthly[-1].date == dt.date(2017, 1, 5)
    assert (monthly[-1].first_month, monthly[-1].last_month) == (12, 12)
    quarters = reporting.due_dates(2003, "quarterly")
    assert [(q.first_month, q.last_month) for q in quarters] == [(1, 3), (4, 6), (7, 9), (10, 12)]
    assert quarters[1].date == dt.date(2003, 6, 30) and quarters[2].date == dt.date(2003, 9, 30)
    assert reporting.due_dates(2003, "half-yearly", due_day=15)[0].date == dt.date(2003, 7, 15)
    assert reporting.due_dates(2015, "once", due_day=14, month=11)[0].date == dt.date(2015, 11, 16)
    # 31 May 2003 is a Saturday: the end-of-period deadline is the Friday before
    assert reporting.due_dates(2003, "once", month=5)[0].date == dt.date(2003, 5, 30)
    with pytest.raises(ValueError, match="one-off report needs its month"):
        reporting.due_dates(2003, "once")
    seminars = reporting.after_seminars(2003, [6, 3, 12])
    assert [(s.first_month, s.last_month) for s in seminars] == [(1, 3), (4, 6), (7, 12)]


def test_english_deadlines_write_ordinal_days():
    assert [plan_roles.day_text(n, "en") for n in (1, 2, 3, 4, 11, 12, 13, 21, 22, 23, 28)] == [
        "1st", "2nd", "3rd", "4th", "11th", "12th", "13th", "21st", "22nd", "23rd", "28th"]
    assert plan_roles.day_text(21, "id") == "21"


# --- the plan file's errors ----------------------------------------------------------------------------

@pytest.mark.parametrize(("change", "message"), [
    (lambda d: d["reporting"][0].update(by="nobody"),
     "reporting[0].by: 'nobody' is not a stakeholder of the cluster nor 'facilitator'"),
    (lambda d: d["reporting"][1].update(to=["disperindag-kebumen", "bupati"]),
     "[1].to[1]: 'bupati' is not a stakeholder of the cluster nor 'facilitator'"),
    (lambda d: d["reporting"][3].pop("month"), "frequency 'once' needs 'month'"),
    (lambda d: d["reporting"][0].update(month=3), "'month' is for frequency 'once' only, not 'monthly'"),
    (lambda d: d["reporting"][0].update(due_day=31), "due_day"),
    (lambda d: d["reporting"][0].update(frequency="weekly"), "frequency"),
    (lambda d: d["reporting"][0].update(deadline="soon"), "deadline"),
    (lambda d: d["approval"]["parties"].append({"party": "lurah", "position": {"en": "Head", "id": "Lurah"}}),
     "parties[6].party: 'lurah' is not a stakeholder of the cluster nor 'facilitator'"),
    (lambda d: d["approval"]["parties"].append(dict(d["approval"]["parties"][0])), "approval parties"),
    (lambda d: d["approval"]["parties"][0].pop("position"), "position"),
    (lambda d: d["programmes"][0].update(facilitator_role="helps"), "facilitator_role"),
])
def test_bad_roles_are_refused_with_the_field_and_the_reason(tmp_path, change, message):
    folder = copy_tree(tmp_path)
    edit(folder / PLAN, change)
    with pytest.raises(ParamsError) as caught:
        params_io.load_file(folder / "kebumen-roof-tile.yaml")
    assert PLAN in str(caught.value)
    assert message in str(caught.value)


def test_the_facilitator_cannot_report_where_the_cluster_records_none(tmp_path):
    def no_facilitator(cluster: dict) -> None:
        cluster.pop("facilitator")
        cluster["provenance"] = [e for e in cluster["provenance"] if not e["field"].startswith("facilitator")]

    folder = copy_tree(tmp_path)
    edit(folder / "kebumen-roof-tile.yaml", no_facilitator)
    with pytest.raises(ParamsError) as caught:
        params_io.load_file(folder / "kebumen-roof-tile.yaml")
    message = str(caught.value)
    assert "'facilitator' names the cluster's facilitator, but its params file records none" in message
