"""Wording of the SMIDeP-era clusters of the shipped sample (2015/2016 plans, an ex-post evaluation in
2021, field facilitators or working groups, women-led firms, in-kind programmes), read in the composed
documents of both languages as an official reader meets them."""

from __future__ import annotations

import dataclasses

import pytest
from test_polish_wording import _text

from cluster_reports.compose import composer
from cluster_reports.domain import summary

SAMOSIR, TEGAL, PALU, PONTIANAK = ("samosir-ulos-weaving", "kota-tegal-ship-parts", "palu-cacao-processing",
                                   "pontianak-rattan-furniture")


@pytest.fixture(scope="module")
def text(sample, sample_by_id, templates):
    peers = [summary.summarise(i) for i in sample]
    made: dict[tuple[str, str, str], str] = {}

    def get(cluster: str, kind: str, lang: str) -> str:
        if (cluster, kind, lang) not in made:
            document = composer.compose(sample_by_id[cluster], kind, lang, peers, templates)
            made[cluster, kind, lang] = _text(document)
        return made[cluster, kind, lang]

    return get


# --- 1. an ex-post evaluation after the plan year: conditions and completion are the plan year's --------

def test_monitoring_with_ex_post_evaluation_reports_the_plan_year_state(text):
    en, id_ = text(SAMOSIR, "monitoring", "en"), text(SAMOSIR, "monitoring", "id")
    assert ("Plan year 2016 · observations up to 31 December 2016 · Ex-post evaluation 30 June 2021 ·"
            in en)
    assert "observations up to 30 June 2021" not in en
    assert "with the firms of the cluster at the end of Q4 2016." in en
    assert "Latest assessment, Q4 2016" in en
    assert "what had been done by the end of Q4 2016." in en
    assert "ex-post evaluation of 30 June 2021: its status" not in en
    assert "pengamatan sampai 31 Desember 2016 · Evaluasi pascaproyek 30 Juni 2021 ·" in id_
    assert "bersama IKM sentra pada akhir Triwulan IV 2016." in id_
    assert "Penilaian terakhir, Triwulan IV 2016" in id_
    assert "dengan pelaksanaannya sampai akhir Triwulan IV 2016." in id_


# --- 11. one Indonesian term for the ex-post evaluation ------------------------------------------------

def test_ex_post_evaluation_has_one_indonesian_term(text):
    id_ = text(SAMOSIR, "monitoring", "id")
    assert "pascapelaksanaan" not in id_
    assert "serta dari hasil evaluasi pascaproyek pada 30 Juni 2021." in id_
    assert "Evaluasi pascaproyek ini dilakukan pada 30 Juni 2021, setelah tahun rencana 2016 berakhir." in id_
    assert ("Evaluasi pascaproyek JICA untuk pengembangan industri kecil dan menengah (SMIDeP, 2013–2016) "
            "tidak memiliki catatan semacam ini") in id_


# --- 2. an evaluation that measured indicators but recorded no turnover --------------------------------

def test_evaluation_without_turnover_says_no_turnover_was_recorded(text):
    en, id_ = text(SAMOSIR, "monitoring", "en"), text(SAMOSIR, "monitoring", "id")
    assert "It measured one of the plan's" in en and "which had reached its target at the visit." in en
    assert "No firm's turnover was recorded at this evaluation." in en
    assert "No firm was observed" not in en
    assert "Pada evaluasi ini tidak ada omzet IKM yang dicatat." in id_
    assert "Tidak ada IKM yang diamati pada evaluasi ini." not in id_


# --- 3. lessons drawn from the plan year and the evaluation after it -----------------------------------

@pytest.mark.parametrize("cluster, en_head, id_head", [
    (SAMOSIR, "together with the firms, drew the lessons below from the plan year and the ex-post evaluation "
              "of 30 June 2021.",
     "bersama IKM sentra, menarik pelajaran berikut dari pelaksanaan tahun rencana serta dari hasil "
     "evaluasi pascaproyek pada 30 Juni 2021."),
    (PALU, "The facilitator and the working group drew the lessons below from the plan year and the ex-post "
           "evaluation of 30 June 2021.",
     "Fasilitator dan kelompok kerja menarik pelajaran berikut dari pelaksanaan tahun rencana serta "
     "dari hasil evaluasi pascaproyek pada 30 Juni 2021."),
])
def test_lessons_name_the_evaluation_after_the_plan_year(text, cluster, en_head, id_head):
    assert en_head in text(cluster, "monitoring", "en")
    assert id_head in text(cluster, "monitoring", "id")
    assert "lessons below from the year" not in text(cluster, "monitoring", "en")


# --- 4. a field facilitator runs the plan; a working group kept from SMIDeP only reviews it ------------

def test_working_group_that_only_reviews_is_not_denied(text):
    lwg = "Kelompok Kerja Lokal (LWG) Kota Tegal"
    en = {kind: text(TEGAL, kind, "en") for kind in ("monitoring", "guideline", "action-plan")}
    id_ = {kind: text(TEGAL, kind, "id") for kind in ("monitoring", "guideline", "action-plan")}
    assert "works without one" not in en["monitoring"] + en["guideline"]
    assert "works without a working group" not in en["guideline"]
    # The SMIDeP lesson on the working group's cost is quoted among the pilots' lessons that apply.
    assert ("It applies here because the field facilitator runs "
            f"the plan with the firms, and {lwg} only reviews it.") in en["monitoring"]
    assert ("In the Tegal ship-parts cluster, no working group runs the plan, as under the lighter "
            f"approach of the SMIDeP project (2013–2016); {lwg} only reviews it.") in en["guideline"]
    assert ("In this cluster too, the field facilitator (TPL-IKM) runs the plan, and the working group "
            "only reviews it.") in en["guideline"]
    assert ("A working group of stakeholders advised the cluster and opened doors outside it."
            in en["guideline"])
    assert (f"No working group runs this plan; {lwg} only reviews it. The field facilitator (TPL-IKM) "
            "prepares it with the firms") in en["action-plan"]
    assert "bekerja tanpa kelompok kerja" not in id_["monitoring"] + id_["guideline"]
    assert ("Pelajaran ini berlaku karena TPL-IKM menjalankan rencana bersama IKM, "
            f"sedangkan {lwg} hanya menelaahnya.") in id_["monitoring"]
    assert ("rencana tidak dijalankan oleh kelompok kerja, sesuai dengan pendekatan yang lebih ringan "
            f"pada proyek SMIDeP (2013–2016); {lwg} hanya menelaahnya.") in id_["guideline"]
    assert (f"Rencana ini tidak dijalankan oleh kelompok kerja; {lwg} hanya menelaahnya."
            in id_["action-plan"])


def test_field_facilitator_without_any_working_group_still_works_without_one(sample_by_id, templates):
    """Without a stakeholder of type working-group, the documents say the cluster works without one."""
    item = sample_by_id[TEGAL]
    params = item.params.model_copy(update={"stakeholders": [s for s in item.params.stakeholders
                                                             if s.type.value != "working-group"]})
    alone = dataclasses.replace(item, params=params)
    en = _text(composer.compose(alone, "monitoring", "en", [], templates))
    assert "It applies here because this cluster works without a working group." in en
    id_ = _text(composer.compose(alone, "guideline", "id", [], templates))
    assert "(TPL-IKM). Sentra ini pun bekerja tanpa kelompok kerja." in id_


# --- 5. the profile names the facilitator's type without nested brackets, and its role truthfully -----

def test_profile_facilitator_sentence(text):
    assert ("The cluster facilitator is TPL-IKM Kota Tegal of Direktorat Jenderal IKM, Kementerian "
            "Perindustrian, a field facilitator (TPL-IKM). The facilitator works with the firms directly, "
            "links them with the stakeholders as the programmes need and reports on the action programmes "
            "to Dinas Perindustrian dan Perdagangan Kota Tegal.") in text(TEGAL, "profile", "en")
    assert ("Fasilitator sentra adalah TPL-IKM Kota Tegal dari Direktorat Jenderal IKM, Kementerian "
            "Perindustrian, selaku Tenaga Penyuluh Lapangan IKM (TPL-IKM). Fasilitator bekerja langsung "
            "bersama IKM, menghubungkan IKM dengan pemangku kepentingan sesuai kebutuhan program, dan "
            "melaporkan "
            "pelaksanaan program aksi kepada Dinas Perindustrian dan Perdagangan Kota Tegal.") in text(
        TEGAL, "profile", "id")
    for cluster in (TEGAL, SAMOSIR):
        assert "secretariat" not in text(cluster, "profile", "en")
        assert "(TPL-IKM))" not in text(cluster, "profile", "en") + text(cluster, "profile", "id")
    # a working group's facilitator still serves as its secretariat
    assert (", a university's community service institute (LPM). The facilitator coordinates the "
            "stakeholders and serves as the secretariat of the action programmes.") \
        in text(PALU, "profile", "en")


# --- 6. the profile names the 2004 study it cites ------------------------------------------------------

def test_profile_names_the_2004_study(text):
    assert "The size classes are those of the 2004 JICA study: micro firms have 1–4 workers" \
        in text(PALU, "profile", "en")
    id_ = text(PALU, "profile", "id")
    assert "Skala usaha mengikuti studi JICA 2004: usaha mikro mempekerjakan 1–4 orang" in id_
    assert "Studi ini" not in id_


# --- 7. no success case at a closed plan year: no "yet" -------------------------------------------------

def test_zero_success_cases_at_a_closed_plan_year(text):
    en, id_ = text(PONTIANAK, "monitoring", "en"), text(PONTIANAK, "monitoring", "id")
    assert en.count("None of the 10 supported firms became a success case in the plan year.") == 2
    assert "success case yet" not in en
    assert id_.count("Tidak satu pun dari 10 IKM yang didampingi tergolong kasus keberhasilan pada tahun "
                     "rencana.") == 2
    assert "Belum satu pun dari 10 IKM" not in id_


# --- 8. channel names inside sentences ---------------------------------------------------------------

def test_channel_names_read_as_parts_of_sentences(text):
    assert ("in Q4 2016 the largest share, 55.1%, went through the cooperative."
            in text(SAMOSIR, "monitoring", "en"))
    assert ("pada Triwulan IV 2016, pangsa terbesar (55,1%) melalui saluran koperasi."
            in text(SAMOSIR, "monitoring", "id"))
    # the tables keep the channels' names
    assert "Q4 2016 | Cooperative | 13 |" in text(SAMOSIR, "monitoring", "en")


# --- 9. all or none of the supported firms women-led ----------------------------------------------------

def _women_led(item, flag: bool):
    table = [f.model_copy(update={"women_led": flag}) for f in item.params.firms.table]
    firms = item.params.firms.model_copy(update={"table": table})
    return dataclasses.replace(item, params=item.params.model_copy(update={"firms": firms}))


def test_women_led_all_or_none(text, sample_by_id, templates):
    assert ("All 25 supported firms are women-led firms, and 20 of them are success cases. The last table of "
            "this section gives these figures.") in text(SAMOSIR, "monitoring", "en")
    assert ("Seluruh 25 IKM yang didampingi merupakan IKM yang dipimpin perempuan, dan 20 di antaranya "
            "tergolong kasus keberhasilan.") in text(SAMOSIR, "monitoring", "id")
    assert "25 are women-led firms" not in text(SAMOSIR, "monitoring", "en")
    none = _women_led(sample_by_id[SAMOSIR], False)
    en = _text(composer.compose(none, "monitoring", "en", [], templates))
    assert "Of the 25 supported firms, none is a women-led firm. The last table of this section gives" in en
    id_ = _text(composer.compose(none, "monitoring", "id", [], templates))
    assert "Dari 25 IKM yang didampingi, tidak satu pun merupakan IKM yang dipimpin perempuan." in id_


# --- 10. "the" before a cluster's name in English ---------------------------------------------------

def test_english_puts_the_before_cluster_names(text):
    assert ("action programmes for the Tegal ship-parts cluster in"
            in text(TEGAL, "action-plan", "en"))
    palu = text(PALU, "profile", "en")
    assert "The Palu cacao-processing cluster scores 35 + 19 = 54 points" in palu
    # Palu has a plan of its own: the other cluster only leads the group, it is not "the candidate".
    assert "The group's highest-scoring cluster in this round is the Samosir ulos weaving cluster." in palu
    assert "The group's candidate for a Local Industry Action Plan (LIAP) in this round is" not in palu
    guide = text(PALU, "guideline", "en")
    assert "This edition is prepared for the Palu cacao-processing cluster in" in guide
    assert "The working group of the Palu cacao-processing cluster is" in guide


# --- 12. items contributed in kind: who contributes them ------------------------------------------------

def test_in_kind_lines_say_who_contributes(text, sample_by_id, templates):
    en, id_ = text(TEGAL, "action-plan", "en"), text(TEGAL, "action-plan", "id")
    assert ("Metal and furnace time for the practice castings | 10 firms, in kind | Contributed by the "
            "firms | in kind") in en
    assert ("Logam dan waktu tungku untuk praktik pengecoran | 10 IKM, kontribusi nontunai | Disumbangkan "
            "oleh IKM | kontribusi nontunai") in id_
    # money lines keep their funding source
    assert ("Monthly meetings (snacks) | 8 meetings × 12 participants × Rp 20,000 | Self-funded by the "
            "firms |") in en
    # a contributed line without a funding source of its own takes the programme's (here the national budget)
    item = sample_by_id[TEGAL]
    programmes = []
    for p in item.plan.programmes:
        if p.in_kind:
            p = p.model_copy(update={"budget": [line.model_copy(update={"funding": None}) if not line.rate
                                                else line for line in p.budget]})
        programmes.append(p)
    plan = item.plan.model_copy(update={"programmes": programmes})
    changed = dataclasses.replace(item, parts={**item.parts, "plan": plan})
    en = _text(composer.compose(changed, "action-plan", "en", [], templates))
    assert ("The foundries' workshops as the training venue | 2 workshops × 6 days, in kind | Contributed "
            "by the national government | in kind") in en


def test_a_province_of_two_selection_rounds_names_them_by_their_years_not_their_ids(sample, templates):
    from cluster_reports.compose import composer
    from cluster_reports.domain import summary

    members = [summary.summarise(item) for item in sample if item.params.location.province_record.slug
               == "jawa-tengah"]
    assert {s.selection_round for s in members} >= {"jica-2004", "smidep-2014"}  # Tegal's ship parts
    # The study's own round is named as such; any other by the years of its data.
    for lang, words in (("en", ("selection round of the 2004 study", "selection round on 2014 data")),
                        ("id", ("putaran seleksi studi 2004", "putaran seleksi dengan data 2014"))):
        document = composer.compose_rollup("province-summary", members, "jawa-tengah", lang, templates)
        text = _words(document.nodes)
        assert "jica-2004" not in text and "smidep-2014" not in text
        assert all(w in text for w in words), lang


def _words(nodes) -> str:
    """What a reader sees of a document tree: its paragraphs, covers and table cells."""
    from cluster_reports.compose.tree import Block, Cover, Note, Paragraph, Table, plain

    found = []
    for node in nodes:
        if isinstance(node, Paragraph):
            found.append(plain(node.runs))
        elif isinstance(node, (Block, Note)):
            found.append(_words(node.children))
        elif isinstance(node, Cover):
            found.extend(plain(line) for line in node.lines)
        elif isinstance(node, Table):
            found.extend(plain(cell) for row in node.rows for cell in row)
    return " ".join(" ".join(found).split())
