"""Wording the reviewers asked for in the sample documents: 'all of N' in words, the routine periods
by their kind, singular forms for one evaluation or one condition, lists whose items hold commas, an
indicator name with its unit, and sentences that no longer run into the next one."""

from __future__ import annotations

import pytest
from test_polish_wording import _text

from cluster_reports.compose import composer
from cluster_reports.domain import summary

KEBUMEN, TEGAL, PONTIANAK = "kebumen-roof-tile", "kota-tegal-ship-parts", "pontianak-rattan-furniture"


@pytest.fixture(scope="module")
def text(sample, sample_by_id, templates):
    # the session's sample (conftest), not a second load of the same files
    peers = [summary.summarise(i) for i in sample]
    made: dict[tuple[str, str, str], str] = {}

    def get(cluster: str, kind: str, lang: str) -> str:
        if (cluster, kind, lang) not in made:
            document = composer.compose(sample_by_id[cluster], kind, lang, peers, templates)
            made[cluster, kind, lang] = _text(document)
        return made[cluster, kind, lang]

    return get


def test_monitoring_says_all_indicators_and_names_the_quarters(text):
    en, id_ = text(KEBUMEN, "monitoring", "en"), text(KEBUMEN, "monitoring", "id")
    assert "Kesepuluh indikator dalam rencana diukur sepanjang tahun rencana" in id_
    assert "All 10 indicators of the plan were measured in the plan year" in en
    assert "Dari 10 indikator dalam rencana, 10" not in id_ and "Of the plan's 10 indicators, 10" not in en
    assert "untuk empat triwulan pemantauan sampai 31 Desember 2003." in id_
    assert "records of four quarters of monitoring up to 31 December 2003." in en
    # The pilots' lessons are quoted one by one where they apply (issue 13), no longer as one series.
    assert "Fasilitator yang cakap dengan dukungan kelompok kerja" in id_
    assert "A capable facilitator, backed by a working group" in en
    assert "Menurut rencana aksi, IKM yang didampingi dihitung sebagai kasus keberhasilan" in id_
    assert "According to the action plan, a supported firm counts as a success case" in en
    assert "sebagai berikut" not in id_ and "rencanakan pendorong" not in id_


def test_monitoring_one_evaluation_and_conditions_with_commas(text):
    en, id_ = text(TEGAL, "monitoring", "en"), text(TEGAL, "monitoring", "id")
    assert "Seluruh 11 indikator dalam rencana diukur" in id_
    assert "dua semester pemantauan sampai 31 Desember 2015" in id_
    assert "Tabel berikut membandingkan indikator tersebut dengan targetnya" in id_
    assert "Hasil evaluasi dibandingkan" in id_ and "Hasil setiap evaluasi" not in id_
    assert "The table sets it against its target" in en and "Its results are reported below" in en
    assert ("kondisi permintaan (3 menjadi 4); strategi, struktur, dan persaingan usaha (2 menjadi 3); "
            "serta industri terkait dan pendukung (2 menjadi 3)") in id_
    assert ("demand conditions (3 to 4); firm strategy, structure and rivalry (2 to 3); and related and "
            "supporting industries (2 to 3)") in en


def test_action_plan_units_commas_and_quotes(text):
    en, id_ = text(KEBUMEN, "action-plan", "en"), text(KEBUMEN, "action-plan", "id")
    assert "(average, firms)" in en and "(average) (firms)" not in en
    assert "(rata-rata, IKM)" in id_ and "(rata-rata) (IKM)" not in id_
    assert "dipimpin oleh Balai Besar Keramik, Bandung, bersama" in id_
    assert "Balai Besar Keramik, Bandung, leads this programme" in en
    assert "Di luar program-program tersebut" not in id_ and "Besides the programmes" not in en
    palu = text("palu-cacao-processing", "action-plan", "en")
    assert "\"Packaging and a shared 'Cokelat Palu' label\"" in palu
    assert "(APBD provinsi)" not in palu


def test_guideline_sentences_do_not_run_together(text):
    en, id_ = text(PONTIANAK, "guideline", "en"), text(PONTIANAK, "guideline", "id")
    assert "action planand" not in en and "action plan and" in en
    assert "sulit mencapai kata sepakat" in id_
    assert "penyedia layanan pengembangan bisnis (BDS)" in id_
    strategy = text(PONTIANAK, "strategy", "en")
    assert "first.In" not in strategy
