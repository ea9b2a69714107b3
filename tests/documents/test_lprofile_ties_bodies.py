"""One tie rule for the profile and the strategy, and a strategy that strengthens the bodies the
cluster's data record instead of proposing to found them (issue 12), read in the composed documents of
both languages as a reader gets them."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest
import yaml
from checks import tree_lines
from conftest import SAMPLE

from cluster_reports.compose import composer
from cluster_reports.domain import summary
from cluster_reports.inputs import params_io

CONDITIONS = ("demand", "factor", "firm_strategy", "related_supporting", "social_capital")


def _words(document) -> str:
    lines = tree_lines(document, cover=False)
    return "\n".join(" ".join(line.split()) for line in lines)


def _kebumen(tmp_path: Path, scores: dict[str, int] | None = None,
             consortium_type: str | None = None, one_firm: bool = False) -> params_io.LoadedParams:
    """The sample's Kebumen cluster and its strategy, with other condition scores, another type for
    its recorded consortium, or a survey of its first firm only."""
    folder = tmp_path / "clusters" / "jawa-tengah"
    folder.mkdir(parents=True)
    for suffix in (".yaml", ".strategy.yaml"):
        shutil.copy(SAMPLE / "jawa-tengah" / f"kebumen-roof-tile{suffix}", folder)
    path = folder / "kebumen-roof-tile.yaml"
    data = yaml.safe_load(path.read_text(encoding="utf-8"))
    for key, score in (scores or {}).items():
        data["assessment"][key]["score"] = score
    if one_firm:
        data["firms"]["table"] = data["firms"]["table"][:1]
    if consortium_type:
        for s in data["stakeholders"]:
            if s["id"] == "konsorsium-genteng":
                s["type"] = consortium_type
    path.write_text(yaml.safe_dump(data, allow_unicode=True, sort_keys=False), encoding="utf-8")
    # The strategy starts from the two cooperatives, so that a target consortium the cluster already
    # records is the case under test (the sample starts from the consortium itself).
    strategy_path = folder / "kebumen-roof-tile.strategy.yaml"
    strategy = yaml.safe_load(strategy_path.read_text(encoding="utf-8"))
    strategy["transformation"]["current"] = "cooperative"
    strategy_path.write_text(yaml.safe_dump(strategy, allow_unicode=True, sort_keys=False), encoding="utf-8")
    loaded, problems = params_io.load_many([tmp_path / "clusters"])
    assert not problems, "\n".join(map(str, problems))
    return loaded[0]


def _documents(item: params_io.LoadedParams, templates: Path) -> dict[tuple[str, str], str]:
    peers = [summary.summarise(item)]
    return {(kind, lang): _words(composer.compose(item, kind, lang, peers, templates))
            for kind in ("profile", "strategy") for lang in ("en", "id")}


def _scores(**given: int) -> dict[str, int]:
    return {key: given.get(key, 3) for key in CONDITIONS}


def test_one_strongest_and_one_weakest_are_named_alike_in_both_documents(tmp_path, templates):
    docs = _documents(_kebumen(tmp_path, _scores(demand=5, factor=1)), templates)
    en = ("The strongest condition is demand conditions (score 5 of 5). "
          "The weakest is factor conditions (score 1 of 5).")
    id_ = ("Kondisi terkuat adalah kondisi permintaan (skor 5 dari 5). "
           "Kondisi terlemah adalah kondisi faktor (skor 1 dari 5).")
    for kind in ("profile", "strategy"):
        assert en in docs[kind, "en"], kind
        assert id_ in docs[kind, "id"], kind
    assert f"{en} The strategy gives priority to this weakest condition and builds on the strongest." \
        in docs["strategy", "en"]
    assert f"{id_} Strategi ini memprioritaskan kondisi terlemah tersebut dan bertumpu pada kondisi " \
           "terkuat." \
        in docs["strategy", "id"]


def test_tied_conditions_are_named_together_never_as_both(tmp_path, templates):
    docs = _documents(_kebumen(tmp_path, _scores(demand=4, factor=4, related_supporting=2,
                                                 social_capital=2)), templates)
    en = ("The strongest conditions are demand conditions and factor conditions, each with a score of 4 "
          "of 5. The weakest are related and supporting industries as well as social capital, each with a "
          "score of 2 of 5.")
    id_ = ("Kondisi terkuat adalah kondisi permintaan dan kondisi faktor, masing-masing dengan skor 4 "
           "dari 5. "
           "Kondisi terlemah adalah industri terkait dan pendukung serta modal sosial, masing-masing dengan "
           "skor 2 dari 5.")
    for kind in ("profile", "strategy"):
        assert en in docs[kind, "en"], kind
        assert id_ in docs[kind, "id"], kind
        assert "The strongest condition is" not in docs[kind, "en"]
    assert "The strategy gives priority to these weakest conditions and builds on the strongest ones." \
        in docs["strategy", "en"]
    assert "Strategi ini memprioritaskan kondisi-kondisi terlemah tersebut dan bertumpu pada " \
           "kondisi-kondisi terkuat." in docs["strategy", "id"]


def test_priorities_beyond_the_weakest_are_not_called_the_weakest(tmp_path, templates):
    """Two conditions are weak (2 and 1): both are priorities, but only the one scored 1 is the weakest."""
    docs = _documents(_kebumen(tmp_path, _scores(demand=4, firm_strategy=2, related_supporting=1)), templates)
    strategy = docs["strategy", "en"]
    assert "The weakest is related and supporting industries (score 1 of 5)." in strategy
    assert ("The strategy gives priority to every condition scored 2 or lower: firm strategy, structure and "
            "rivalry (score 2) and related and supporting industries (score 1). It builds on the strongest "
            "condition.") in strategy
    assert ("Strategi ini memprioritaskan setiap kondisi dengan skor 2 atau kurang, yaitu strategi, "
            "struktur, dan persaingan usaha (skor 2) dan industri terkait dan pendukung (skor 1), dan "
            "bertumpu pada kondisi terkuat.") in docs["strategy", "id"]


def test_all_equal_scores_are_said_as_such_in_both_documents(tmp_path, templates):
    docs = _documents(_kebumen(tmp_path, _scores()), templates)
    en = "All five conditions have the same score, 3 of 5 (moderate): none is the strongest or the weakest."
    id_ = ("Kelima kondisi memperoleh skor yang sama, yaitu 3 dari 5 (sedang); tidak ada kondisi yang "
           "terkuat atau terlemah.")
    for kind in ("profile", "strategy"):
        assert en in docs[kind, "en"] and id_ in docs[kind, "id"], kind
        assert "The strongest" not in docs[kind, "en"] and "The weakest" not in docs[kind, "en"]
        assert "Kondisi terkuat adalah" not in docs[kind, "id"]
    assert f"{en} The strategy therefore gives all five conditions the same priority." \
        in docs["strategy", "en"]


@pytest.mark.parametrize("lang, exists, founds", [
    ("en", "The cluster already has a consortium, the Konsorsium Genteng Sokka Kebumen. The strategy "
           "strengthens this consortium rather than founding a new one.", "The strategy founds a consortium"),
    ("id", "Sentra ini sudah memiliki konsorsium, yaitu Konsorsium Genteng Sokka Kebumen. Strategi ini "
           "memperkuat konsorsium tersebut, bukan membentuk yang baru.", "Strategi ini membentuk konsorsium"),
])
def test_a_recorded_consortium_is_strengthened_not_founded(tmp_path, templates, lang, exists, founds):
    strategy = _documents(_kebumen(tmp_path), templates)["strategy", lang]
    assert strategy.count(exists) == 2  # in the summary and in the section on the organisation
    assert founds not in strategy
    assert "Konsorsium Genteng Sokka Kebumen |" in strategy  # the stage table names the body


@pytest.mark.parametrize("lang, founds", [
    ("en", "The cluster is now organised as a cooperative. The strategy founds a consortium, which the "
           "cluster does not yet have."),
    ("id", "Saat ini organisasi sentra berupa koperasi. Strategi ini membentuk konsorsium, yang belum ada "
           "di sentra ini."),
])
def test_a_consortium_not_recorded_is_founded(tmp_path, templates, lang, founds):
    strategy = _documents(_kebumen(tmp_path, consortium_type="other"), templates)["strategy", lang]
    assert founds in strategy
    assert "already has a consortium" not in strategy and "sudah memiliki konsorsium" not in strategy


def test_the_recorded_cooperative_of_a_cluster_is_revived_not_founded(sample_by_id, templates):
    item = sample_by_id["samosir-ulos-weaving"]
    peers = [summary.summarise(s) for s in sample_by_id.values()]
    en = _words(composer.compose(item, "strategy", "en", peers, templates))
    assert "The cluster is now organised as a cooperative." in en
    assert "The strategy founds a cooperative" not in en
    assert "The strategy founds a collaboration unit, which the cluster does not yet have." in en


def test_a_survey_of_one_firm_is_worded_for_one_firm(tmp_path, templates):
    docs = _documents(_kebumen(tmp_path, one_firm=True), templates)
    assert ("The only firm surveyed is recorded as willing to improve. It employs 62 workers and sells "
            "Rp 2.65 billion a year. It sells more than Rp 700 million a year, the study's average for a "
            "small industry, and it is a member of a cooperative.") in docs["strategy", "en"]
    assert ("Satu-satunya unit usaha yang disurvei tercatat memiliki kemauan untuk maju. Unit usaha tersebut "
            "mempekerjakan 62 tenaga kerja dengan penjualan Rp 2,65 miliar setahun. Penjualannya melebihi "
            "Rp 700 juta setahun") in docs["strategy", "id"]
    for wrong in ("Of these, 1", "of the sales of all firms", "Of the 1 firm", "firms are listed"):
        assert wrong not in docs["strategy", "en"] + docs["profile", "en"], wrong
    assert "The willing firm is listed in the table below." in docs["profile", "en"]
