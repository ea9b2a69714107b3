"""The facilitator guideline's tools: the stakeholder contact list and the directory of support
services near the cluster (from the params, blank forms where they are not recorded and in the
general edition), and the meeting-minutes and progress-report forms, each on a page of its own with
rows tall enough to write in. Checked in the composed tree in both languages and in the written
.docx through python-docx; the new params fields' validation errors as a user meets them."""

from __future__ import annotations

import shutil
from pathlib import Path

import docx
import pytest
import yaml
from checks import tree_lines
from conftest import SAMPLE
from docx.oxml.ns import qn

from cluster_reports.compose import composer
from cluster_reports.compose import tree as d
from cluster_reports.documents import contacts, guideline
from cluster_reports.inputs import params_io
from cluster_reports.writers.docx import write_docx
from cluster_reports.writers.docx.tables import FORM_ROW_TWIPS

LANGS = ("id", "en")
PILOTS = ("kebumen-roof-tile", "kota-tegal-ship-parts", "serenan-klaten-wood-furniture",
          "waru-sidoarjo-metalwork", "pontianak-rattan-furniture", "palu-cacao-processing",
          "samosir-ulos-weaving")


@pytest.fixture(scope="module")
def composed(sample_by_id, templates):
    """The guideline of Waru-Sidoarjo, of a cluster that records no contacts or services
    (tegal-metalwork), and the general edition, in both languages."""
    found = {}
    for lang in LANGS:
        found["waru", lang] = composer.compose(sample_by_id["waru-sidoarjo-metalwork"], "guideline",
                                               lang, [], templates)
        found["tegal", lang] = composer.compose(sample_by_id["tegal-metalwork"], "guideline", lang,
                                                [], templates)
        found["general", lang] = composer.compose(None, "guideline", lang, [], templates)
    return found


def table(document: d.Document, ident: str) -> d.Table:
    return next(n for n in document.nodes if isinstance(n, d.Table) and n.id == ident)


def rows(document: d.Document, ident: str) -> list[list[str]]:
    return [[d.plain(c) for c in r] for r in table(document, ident).rows]


def heading_after(document: d.Document, ident: str) -> str:
    """The text of the heading with ``ident``."""
    return next(d.plain(n.runs) for n in document.nodes if isinstance(n, d.Heading) and n.id == ident)


def test_every_pilot_records_contacts_and_services(sample_by_id):
    for cid in PILOTS:
        params = sample_by_id[cid].params
        assert sum(s.contact is not None for s in params.stakeholders) >= 8, cid
        assert len(params.support_services) >= 5, cid
        # the contact details and the services are marked illustrative
        assert contacts.profile.is_illustrative(params, "stakeholders.contact"), cid
        assert contacts.profile.is_illustrative(params, "support_services"), cid


@pytest.mark.parametrize("lang", LANGS)
def test_contact_list_of_waru(composed, lang):
    doc = composed["waru", lang]
    contact = rows(doc, "tbl-contacts")
    assert table(doc, "tbl-contacts").form
    assert len(contact) == 12  # every stakeholder, recorded or not
    first = {r[0]: r for r in contact}
    office = first["Dinas Perindustrian dan Perdagangan Kabupaten Sidoarjo"]
    position = {"en": "Head of the Industry Division", "id": "Kepala Bidang Perindustrian"}[lang]
    assert office[1:] == [position, "(031) 8921954; disperindag@sidoarjokab.go.id",
                          "Kompleks Perkantoran Pemerintah Kabupaten Sidoarjo, Sidoarjo 61212"]
    # a cooperative with a telephone and no e-mail
    assert first["Koperasi Industri Logam Waru"][2] == "(031) 8531270"
    # a stakeholder without contact details: lines to write on, no "None"
    assert first["Jaringan IKM Unggulan Waru"][1:] == [guideline.BLANK] * 3
    text = "\n".join(tree_lines(doc))
    assert {"en": "Contact details are recorded for 10 of the 12 stakeholders; the others are not "
                  "recorded.",
            "id": "Kontak tercatat untuk 10 dari 12 pemangku kepentingan; kontak lainnya tidak "
                  "tercatat."}[lang] in text
    assert "None" not in text
    assert heading_after(doc, "sec-contacts") == {
        "en": "Contact list of the stakeholders", "id": "Daftar Kontak Pemangku Kepentingan"}[lang]


@pytest.mark.parametrize("lang", LANGS)
def test_services_directory_of_waru(composed, lang):
    doc = composed["waru", lang]
    services = {r[0]: r for r in rows(doc, "tbl-services")}
    assert not table(doc, "tbl-services").form and len(services) == 6
    its = services["Institut Teknologi Sepuluh Nopember (ITS), Surabaya"]
    tel = {"en": "Tel.", "id": "Telp."}[lang]
    assert its[1] == {"en": "University", "id": "Perguruan tinggi"}[lang]
    assert its[3] == f"Sukolilo, Surabaya 60111; {tel} (031) 5953759; " + (
        {"en": "E-mail", "id": "Surel"}[lang] + " lppm@its.ac.id")
    assert its[4] == "20"
    assert services["UPT Logam Sidoarjo"][1] == {
        "en": "Government technical unit", "id": "Unit pelaksana teknis pemerintah"}[lang]
    text = "\n".join(tree_lines(doc))
    assert {"en": "The directory lists 6 support services near the cluster",
            "id": "Direktori ini memuat 6 layanan pendukung di sekitar sentra"}[lang] in text
    # the illustrative mark under both lists, and their rows in the table of data sources
    notes = [n.kind for n in doc.nodes if isinstance(n, d.Note)]
    assert "illustrative-contacts" in notes and "illustrative-services" in notes
    sources = {r[0]: r for r in rows(doc, "tbl-sources")}
    for key in ("contacts", "services"):
        label = {"en": {"contacts": "Contact details of the stakeholders",
                        "services": "Support services near the cluster"},
                 "id": {"contacts": "Kontak pemangku kepentingan",
                        "services": "Layanan pendukung di sekitar sentra"}}[lang][key]
        assert label in sources


def test_a_distance_not_recorded_says_so(sample_by_id, templates):
    doc = composer.compose(sample_by_id["pontianak-rattan-furniture"], "guideline", "id", [], templates)
    services = {r[0]: r for r in rows(doc, "tbl-services")}
    assert services["Balai Besar Kerajinan dan Batik (BBKB), Yogyakarta"][4] == "tidak tercatat"
    assert services["Balai Riset dan Standardisasi Industri (Baristand) Pontianak"][4] == "6"


@pytest.mark.parametrize("lang", LANGS)
def test_not_recorded_path(composed, lang):
    doc = composed["tegal", lang]
    text = "\n".join(tree_lines(doc))
    assert {"en": "The contact details of the stakeholders are not recorded.",
            "id": "Kontak para pemangku kepentingan tidak tercatat."}[lang] in text
    assert {"en": "The support services near the cluster are not recorded.",
            "id": "Layanan pendukung di sekitar sentra tidak tercatat."}[lang] in text
    # the contact list names the stakeholders with lines to fill in; the directory is a blank form
    contact = rows(doc, "tbl-contacts")
    assert contact and all(r[1:] == [guideline.BLANK] * 3 for r in contact)
    services = table(doc, "tbl-services")
    assert services.form and rows(doc, "tbl-services") == [[guideline.BLANK] * 5] * contacts.BLANK_SERVICES
    assert not [n for n in doc.nodes if isinstance(n, d.Note) and n.kind.startswith("illustrative-con")]


@pytest.mark.parametrize("lang", LANGS)
def test_general_edition_offers_blank_forms(composed, lang):
    doc = composed["general", lang]
    assert rows(doc, "tbl-contacts") == [[guideline.BLANK] * 4] * contacts.BLANK_CONTACTS
    assert rows(doc, "tbl-services") == [[guideline.BLANK] * 5] * contacts.BLANK_SERVICES
    assert table(doc, "tbl-contacts").form and table(doc, "tbl-services").form
    text = "\n".join(tree_lines(doc))
    assert {"en": "Record on this form the stakeholders of the cluster",
            "id": "Catat pada formulir ini para pemangku kepentingan sentra"}[lang] in text


@pytest.mark.parametrize("lang", LANGS)
def test_forms_each_on_a_page_of_their_own(composed, lang):
    doc = composed["general", lang]
    nodes = doc.nodes
    for ident in ("sec-minutes", "sec-progress", "sec-checklists"):
        at = next(i for i, n in enumerate(nodes) if isinstance(n, d.Heading) and n.id == ident)
        assert isinstance(nodes[at - 1], d.PageBreak), ident
    for ident in ("tbl-minutes", "tbl-minutes-items", "tbl-progress", "tbl-progress-programmes",
                  "tbl-progress-conditions", "tbl-progress-firms", "tbl-progress-problems"):
        assert table(doc, ident).form, ident
    items = rows(doc, "tbl-minutes-items")
    assert [r[0] for r in items] == [str(n) for n in range(1, 9)]  # eight rows to write in
    # the header lines of the minutes: date, place, participants
    fields = [r[0] for r in rows(doc, "tbl-minutes")]
    wanted = {"en": ["Date", "Place", "Number of firms present", "Other participants (stakeholders)"],
              "id": ["Tanggal", "Tempat", "Jumlah IKM yang hadir", "Peserta lain (pemangku kepentingan)"]}
    assert set(wanted[lang]) <= set(fields)


def test_docx_forms_have_tall_rows_and_start_new_pages(sample_by_id, templates, tmp_path):
    doc = composer.compose(sample_by_id["kebumen-roof-tile"], "guideline", "en", [], templates)
    path = tmp_path / "guideline.en.docx"
    write_docx(doc, path, templates / "reference.docx")
    word = docx.Document(str(path))
    starts = {p.text for p in word.paragraphs if p.paragraph_format.page_break_before}
    assert any(t.endswith("Meeting minutes") for t in starts)
    assert any(t.endswith("Progress monitoring report") for t in starts)
    by_caption = {}
    body = list(word.element.body.iterchildren())
    for n, element in enumerate(body):
        if element.tag == qn("w:tbl"):
            caption = "".join(t.text for t in body[n - 1].iter(qn("w:t")))
            by_caption[caption] = element
    items = next(t for c, t in by_caption.items() if "part 2: agenda" in c)
    heights = [r.find(f"{qn('w:trPr')}/{qn('w:trHeight')}") for r in items.findall(qn("w:tr"))]
    assert heights[0] is None and len(heights) == 9
    assert all(h.get(qn("w:val")) == str(FORM_ROW_TWIPS) and h.get(qn("w:hRule")) == "atLeast"
               for h in heights[1:])
    contact = next(t for c, t in by_caption.items() if "Contact list" in c)
    assert contact.find(f"{qn('w:tblPr')}/{qn('w:tblBorders')}") is not None
    texts = ["".join(t.text for t in r.iter(qn("w:t"))) for r in contact.findall(qn("w:tr"))]
    assert any(t.startswith("Dinas Perindustrian dan Perdagangan Kabupaten Kebumen"
                            "Head of the Industry Division(0287) 381025; disperindag@kebumenkab.go.id")
               for t in texts)


# --- validation of the new fields -------------------------------------------------------------


def _problems(tmp_path: Path, edit) -> str:
    source = SAMPLE / "jawa-timur" / "waru-sidoarjo-metalwork.yaml"
    path = tmp_path / source.name
    shutil.copy(source, path)
    data = yaml.safe_load(path.read_text(encoding="utf-8"))
    edit(data)
    path.write_text(yaml.safe_dump(data, allow_unicode=True, sort_keys=False), encoding="utf-8")
    with pytest.raises(params_io.ParamsError) as caught:
        params_io.load_file(path)
    return str(caught.value)


def test_a_bad_phone_or_email_is_refused_with_the_field(tmp_path):
    def edit(data):
        data["stakeholders"][0]["contact"]["phone"] = "8921954x"
        data["support_services"][0]["contact"]["email"] = "lppm-at-its"

    message = _problems(tmp_path, edit)
    assert "waru-sidoarjo-metalwork.yaml: stakeholders[0].contact.phone: '8921954x' is not a " \
           "telephone number" in message
    assert "'(0287) 381234'" in message  # how to write it
    assert "support_services[0].contact.email: 'lppm-at-its' is not an e-mail address" in message


def test_unknown_keys_types_and_empty_contacts_are_refused(tmp_path):
    def edit(data):
        data["support_services"][0]["fax"] = "(031) 5953760"
        data["support_services"][1]["type"] = "consultancy"
        data["stakeholders"][1]["contact"] = {}

    message = _problems(tmp_path, edit)
    assert "support_services[0].fax: unknown key" in message
    assert "support_services[1].type" in message and "bds-provider" in message
    assert "stakeholders[1].contact" in message and "leave 'contact' out" in message


def test_repeated_service_ids_are_refused(tmp_path):
    def edit(data):
        data["support_services"][2]["id"] = data["support_services"][3]["id"]

    assert "support service ids repeat: lpb-mitra-usaha" in _problems(tmp_path, edit)


def test_a_phone_too_short_is_refused(tmp_path):
    message = _problems(tmp_path, lambda data: data["stakeholders"][0]["contact"].update(phone="0287"))
    assert "stakeholders[0].contact.phone: '0287' is not a telephone number" in message


def test_provenance_of_contacts_needs_contacts(tmp_path):
    def edit(data):
        for s in data["stakeholders"]:
            s.pop("contact", None)

    message = _problems(tmp_path, edit)
    assert "names 'stakeholders.contact', which is not a field of this file" in message


@pytest.mark.parametrize("lang", LANGS)
def test_the_profile_does_not_cite_what_only_the_guideline_shows(sample_by_id, templates, lang):
    doc = composer.compose(sample_by_id["waru-sidoarjo-metalwork"], "profile", lang, [], templates)
    sections = [r[0] for r in rows(doc, "tbl-sources")]
    assert sections and not [s for s in sections if "contact" in s.lower() or "kontak" in s.lower()
                             or "Support services" in s or "Layanan pendukung" in s]
