"""Wording for zero, missing, tied and single values (issue 11), read in the composed documents of
both languages as a reader gets them.

The edge set is the shipped sample with these changes:
- Kebumen: all five conditions scored 3; selection 0 + 0, alone in a round of its own; monitoring with
  one period, no firm observed and no indicator measured; one indicator that should fall.
- Sukabumi: 1 firm, workers, sales and value added not recorded, no potentially viable firm, and the
  same selection points as Waru-Sidoarjo (a tie at the top of the metal group). Garut is removed, so
  Sukabumi is the only cluster of Jawa Barat.
"""

from __future__ import annotations

import re
import shutil
from pathlib import Path

import pytest
import sample_facts
import yaml
from checks import tree_lines
from conftest import SAMPLE

from cluster_reports.compose import composer
from cluster_reports.documents import i18n
from cluster_reports.domain import summary
from cluster_reports.inputs import params_io

LANGS = ("en", "id")


def _load(path: Path) -> dict:
    return yaml.safe_load(path.read_text(encoding="utf-8"))


def _dump(path: Path, data: dict) -> None:
    path.write_text(yaml.safe_dump(data, allow_unicode=True, sort_keys=False), encoding="utf-8")


@pytest.fixture(scope="module")
def edge(tmp_path_factory) -> dict[str, params_io.LoadedParams]:
    root = tmp_path_factory.mktemp("edge") / "clusters"
    shutil.copytree(SAMPLE, root)

    kebumen = root / "jawa-tengah" / "kebumen-roof-tile.yaml"
    data = _load(kebumen)
    for condition in data["assessment"].values():
        condition["score"] = 3
    data["selection"] = {"growth_opportunity": 0, "action_capacity": 0, "round": "edge-round"}
    _dump(kebumen, data)
    monitoring = root / "jawa-tengah" / "kebumen-roof-tile.monitoring.yaml"
    data = _load(monitoring)
    data.pop("firms_csv")
    data["firms"], data["indicators"], data["periods"] = [], [], data["periods"][:1]
    _dump(monitoring, data)
    plan = root / "jawa-tengah" / "kebumen-roof-tile.plan.yaml"
    data = _load(plan)
    for programme in data["programmes"]:
        if programme["indicator"]["id"] == "p-marketing-strategy":
            programme["indicator"].update(baseline=5, target=2)
    _dump(plan, data)

    sukabumi = root / "jawa-barat" / "sukabumi-metalwork.yaml"
    data = _load(sukabumi)
    data["firms"].update(by_size={"micro": 1, "small": 0, "medium": 0, "large": 0},
                         potentially_viable=0, cooperative_members=0)
    for key in ("workers", "annual_sales", "value_added"):
        data.pop(key, None)
    waru = _load(root / "jawa-timur" / "waru-sidoarjo-metalwork.yaml")["selection"]
    data["selection"].update(growth_opportunity=waru["growth_opportunity"],
                             action_capacity=waru["action_capacity"])
    _dump(sukabumi, data)
    (root / "jawa-barat" / "garut-vetiver-oil.yaml").unlink()

    loaded, problems = params_io.load_many([root])
    assert not problems, "\n".join(map(str, problems))
    return {item.params.id: item for item in loaded}


def _text(document) -> str:
    """The document's words, a paragraph or table row per line, as a reader meets them."""
    lines = tree_lines(document)
    return "\n".join(" ".join(line.split()) for line in lines)


@pytest.fixture(scope="module")
def text(edge, templates):
    peers = [summary.summarise(item) for item in edge.values()]
    made: dict[tuple[str, str, str], str] = {}

    def get(cluster: str, kind: str, lang: str) -> str:
        if (cluster, kind, lang) not in made:
            document = composer.compose(edge[cluster], kind, lang, peers, templates)
            made[cluster, kind, lang] = _text(document)
        return made[cluster, kind, lang]

    return get


@pytest.fixture(scope="module")
def rollup(edge, templates):
    summaries = [summary.summarise(item) for item in edge.values()]

    def get(kind: str, province: str | None, lang: str) -> str:
        members = [s for s in summaries if province is None or s.province_slug == province]
        return _text(composer.compose_rollup(kind, members, province, lang, templates))

    return get


def test_all_five_conditions_equal_name_no_strongest(text):
    en, id_ = text("kebumen-roof-tile", "profile", "en"), text("kebumen-roof-tile", "profile", "id")
    same_en = ("All five conditions have the same score, 3 of 5 (moderate): none is the strongest or the "
               "weakest.")
    same_id = ("Kelima kondisi memperoleh skor yang sama, yaitu 3 dari 5 (sedang); tidak ada kondisi yang "
               "terkuat atau terlemah.")
    assert same_en in en and "The strongest" not in en and "The weakest" not in en
    assert same_id in id_ and "Kondisi terkuat adalah" not in id_ and "Kondisi terlemah adalah" not in id_
    strategy_en = text("kebumen-roof-tile", "strategy", "en")
    strategy_id = text("kebumen-roof-tile", "strategy", "id")
    assert f"{same_en} The strategy therefore gives all five conditions the same priority." in strategy_en
    assert "The strongest" not in strategy_en
    assert f"{same_id} Karena itu, strategi ini memberi kelima kondisi prioritas yang sama." in strategy_id
    assert "Kondisi terkuat adalah" not in strategy_id


def test_profile_and_strategy_name_tied_strongest_alike(sample_by_id, templates):
    """Kebumen's sample scores firm strategy and social capital 4 each: both documents name both."""
    item = sample_by_id["kebumen-roof-tile"]
    peers = [summary.summarise(s) for s in sample_by_id.values()]
    both = "firm strategy, structure and rivalry as well as social capital"
    profile = _text(composer.compose(item, "profile", "en", peers, templates))
    strategy = _text(composer.compose(item, "strategy", "en", peers, templates))
    sentence = (f"The strongest conditions are {both}, each with a score of 4 of 5. "
                "The weakest is related and supporting industries (score 2 of 5).")
    assert sentence in profile and sentence in strategy
    both_id = "strategi, struktur, dan persaingan usaha serta modal sosial"
    sentence_id = (f"Kondisi terkuat adalah {both_id}, masing-masing dengan skor 4 dari 5. "
                   "Kondisi terlemah adalah industri terkait dan pendukung (skor 2 dari 5).")
    assert sentence_id in _text(composer.compose(item, "profile", "id", peers, templates))
    assert sentence_id in _text(composer.compose(item, "strategy", "id", peers, templates))


def test_a_score_of_zero_alone_in_its_round_is_no_pilot_and_has_no_rank(text):
    en, id_ = text("kebumen-roof-tile", "profile", "en"), text("kebumen-roof-tile", "profile", "id")
    assert ("for action-taking capacity, or 0.0%. It is the only cluster of its group in its selection "
            "round.") in en
    assert "ranks 1 of 1" not in en and "ranks first" not in en
    assert "which makes it the group's pilot cluster" not in en
    # its round is not the 2004 study's: the top of a group is a candidate for a LIAP, not a pilot
    assert ("With a score of 0 the cluster is not the group's candidate for a Local Industry Action Plan "
            "(LIAP) in this round. A candidate is chosen only by a lead in points") in en
    assert "peringkat pertama" not in id_ and "sehingga menjadi sentra percontohan" not in id_
    assert "Sentra ini satu-satunya sentra kelompoknya dalam putaran seleksinya." in id_
    assert "Dengan skor 0, sentra ini tidak menjadi sentra calon LIAP kelompoknya." in id_


def test_a_tie_at_the_top_chooses_no_pilot(text):
    en, id_ = text("sukabumi-metalwork", "profile", "en"), text("sukabumi-metalwork", "profile", "id")
    tie = ("The Sukabumi metalwork cluster and the Waru-Sidoarjo metalwork cluster share the highest score, "
           "65.6%.")
    assert tie in en and "the score chooses no pilot cluster" in en
    assert "pilot cluster is" not in en and "which makes it the group's pilot cluster" not in en
    assert "sama-sama memperoleh skor tertinggi, yaitu 65,6" in id_
    assert "skor tidak menentukan sentra percontohan" in id_
    waru = text("waru-sidoarjo-metalwork", "profile", "en")
    assert tie in waru and "which makes it the group's pilot cluster" not in waru


def test_one_firm_no_workers_no_growth_seeds(text):
    en, id_ = text("sukabumi-metalwork", "profile", "en"), text("sukabumi-metalwork", "profile", "id")
    assert "has 1 firm making" in en and "1 firms" not in en
    assert "terdiri atas 1 unit usaha yang membuat" in id_
    assert "employed" not in en and "0 workers" not in en  # workers not recorded: said so, not 0
    assert "The cluster's workers and sales are not recorded." in en
    assert "Jumlah tenaga kerja dan penjualan sentra ini tidak tercatat." in id_
    assert not re.search(r"^Workers \| \d", en, re.M) and not re.search(r"^Tenaga kerja \| \d", id_, re.M)
    assert ("No firm of the cluster is yet estimated to be potentially viable, that is, to show the "
            "willingness") in en
    assert "0 firms" not in en and "Support should start with" not in en
    assert "Belum ada unit usaha yang diperkirakan tergolong IKM berpotensi layak" in id_


def test_monitoring_with_no_firm_followed_and_no_indicator_measured(text):
    en, id_ = text("kebumen-roof-tile", "monitoring", "en"), text("kebumen-roof-tile", "monitoring", "id")
    for wrong in ("0 of the 0", "None of the 0", "0 firms", "1 periods"):
        assert wrong not in en, wrong
    assert re.search(r"records of one (quarter|month|half-year|routine monitoring period)"
                     r"( of monitoring)? up to", en), en
    assert "None of the plan's 10 indicators has been measured yet." in en
    assert "No supported firm has been followed yet, so there is no success case to count." in en
    assert "The facilitator followed no supported firm during 2003." in en
    for wrong in ("0 dari 0", "ada 0 IKM", "dari 0 IKM"):
        assert wrong not in id_, wrong
    assert "Belum satu pun dari 10 indikator dalam rencana yang telah diukur." in id_
    assert ("Sepanjang tahun 2003, fasilitator belum mengikuti perkembangan satu pun IKM yang "
            "didampingi.") in id_


def test_monitoring_counts_a_single_success_case(sample_by_id, templates):
    peers = [summary.summarise(s) for s in sample_by_id.values()]
    item = sample_by_id["waru-sidoarjo-metalwork"]
    en = _text(composer.compose(item, "monitoring", "en", peers, templates))
    assert "Of the 8 supported firms, 1 is a success case." in en
    assert "Dari 8 IKM yang didampingi, 1 tergolong kasus keberhasilan." in _text(
        composer.compose(item, "monitoring", "id", peers, templates))


def test_indicator_targets_read_with_their_unit_and_direction(text):
    en, id_ = text("kebumen-roof-tile", "action-plan", "en"), text("kebumen-roof-tile", "action-plan", "id")
    assert ("Its indicator is business plan of the consortium approved by its members (plans). By the end of "
            "the year it should rise from 0 to 1.") in en
    assert "to 1 plans" not in en
    assert "(agents). By the end of the year it should fall from 5 to 2." in en
    assert "Pada akhir tahun, indikator ini diharapkan naik dari 0 menjadi 1 rencana." in id_
    assert "Pada akhir tahun, indikator ini diharapkan turun dari 5 menjadi 2 agen." in id_


def test_province_of_one_cluster_without_workers(rollup):
    en, id_ = rollup("province-summary", "jawa-barat", "en"), rollup("province-summary", "jawa-barat", "id")
    assert "1 cluster · 1 regency or city · 1 firm" in en
    assert "1 clusters" not in en and "1 regencies" not in en
    assert "This report covers one cluster of Jawa Barat, in Kabupaten Sukabumi." in en
    assert "It has 1 firm. No cluster records its workers or its value added." in en
    assert "0 workers" not in en and "employ" not in en.split("Workers are not recorded")[0]
    assert "1 sentra · 1 kabupaten/kota · 1 unit usaha" in id_
    assert "mencakup satu sentra di Provinsi Jawa Barat" in id_
    assert "Tidak ada sentra yang mencatat tenaga kerja ataupun nilai tambahnya" in id_
    assert "0 tenaga kerja" not in id_


def test_national_summary_counts_on_its_cover(rollup):
    en = rollup("national-summary", None, "en")
    # The sample without Garut (its province keeps Sukabumi), counted from the params files.
    clusters, provinces = sample_facts.count() - 1, len(sample_facts.by_province())
    assert f"{clusters} clusters · {provinces} provinces · " in en
    assert "They have " in en and "counting the clusters that record these figures" in en


def test_count_labels_follow_the_plural_rule(templates):
    en, id_ = i18n.labels(templates, "en"), i18n.labels(templates, "id")
    assert [en.count("count.cluster", n) for n in (0, 1, 2, 1234)] == [
        "0 clusters", "1 cluster", "2 clusters", "1,234 clusters"]
    assert [id_.count("count.cluster", n) for n in (1, 1234)] == ["1 sentra", "1.234 sentra"]
    assert id_.count("count.regency_city", 1) == "1 kabupaten/kota"
    # zero and single forms, and named fields
    assert en.count("monitoring.count.success_cases", 0, total="5") == (
        "None of the 5 supported firms is a success case yet")
    assert id_.count("profile.count.none_willing_surveyed", 1).startswith("Satu-satunya unit usaha")
    assert en.count("profile.count.none_willing_surveyed", 3) == "None of the 3 firms surveyed has yet shown"


def test_a_count_label_without_its_other_form_is_an_error():
    labels = i18n.Labels("id", {"count.thing.one": "{n} thing"})
    with pytest.raises(i18n.CatalogueError, match="count.thing.other"):
        labels.count("count.thing", 2)


def test_catalogue_check_asks_each_language_for_other_only(tmp_path):
    def library(name: str, id_forms: str):
        folder = tmp_path / name / "labels"
        folder.mkdir(parents=True)
        (folder / "en.yaml").write_text("count:\n  firm: {one: '{n} firm', other: '{n} firms'}\n")
        (folder / "id.yaml").write_text("count:\n  firm: {" + id_forms + "}\n")
        return folder.parent

    assert i18n.check_catalogues(library("ok", "other: '{n} unit usaha'")) == []
    problems = i18n.check_catalogues(library("bad", "zero: 'tidak ada'"))
    assert any("lacks 'count.firm.other'" in p for p in problems), problems


def test_size_classes_of_one_firm(text):
    en = text("sukabumi-metalwork", "profile", "en")
    assert "In this cluster 1 firm (100.0%) is micro and none is small." in en
    assert "Di sentra ini 1 unit usaha (100,0%) tergolong mikro dan tidak ada yang tergolong kecil." in text(
        "sukabumi-metalwork", "profile", "id")


def test_no_potentially_viable_firm_is_estimated(text):
    en = text("sukabumi-metalwork", "profile", "en")
    assert "None of the 1 firm is estimated to be potentially viable." in en
    assert "cannot be named here" not in en
    assert "Diperkirakan belum ada satu pun dari 1 unit usaha yang tergolong berpotensi layak." in text(
        "sukabumi-metalwork", "profile", "id")


def test_province_of_one_cluster_has_no_rank_or_most(rollup):
    en, id_ = rollup("province-summary", "jawa-barat", "en"), rollup("province-summary", "jawa-barat", "id")
    assert ("Sukabumi metalwork cluster is the only cluster of Jawa Barat, with a score of 65.6% "
            "(38 + 21 points)") in en
    assert "ranks first" not in en and "has the most clusters" not in en
    assert "The cluster works in one sub-sector, ISIC 3819" in en
    assert "merupakan satu-satunya sentra Provinsi Jawa Barat dalam kelompok ini, dengan skor 65,6%" in id_
    assert "menempati peringkat pertama" not in id_ and "memiliki sentra terbanyak" not in id_
    assert "Sentra ini bergerak dalam satu subsektor, yaitu ISIC 3819" in id_
