"""Market channels as the documents show them: rows of one channel are one channel (one table row, one
bar, the summed share as the main channel's), every channel is named in both languages, and channels
with equal shares are reported as equal, not one of them as the main channel."""

from __future__ import annotations

import html
import re
import shutil
from pathlib import Path

import pytest
import yaml
from conftest import SAMPLE

from cluster_reports import render
from cluster_reports.documents import i18n, profile
from cluster_reports.inputs import params_io

TEGAL = SAMPLE / "jawa-tengah" / "tegal-metalwork.yaml"
HOTELS = {"en": "Hotels and restaurants", "id": "Hotel dan restoran"}


def market(channel: str, share: float, where: str = "Buyers", **extra) -> dict:
    return {"channel": channel, "destination": {"en": where, "id": where}, "share_pct": share, **extra}


def cluster_with(tmp_path: Path, markets: list[dict]) -> params_io.LoadedParams:
    data = yaml.safe_load(TEGAL.read_text(encoding="utf-8"))
    data["markets"] = markets
    path = tmp_path / "params" / "tegal-metalwork.yaml"
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(yaml.safe_dump(data, allow_unicode=True, sort_keys=False), encoding="utf-8")
    return params_io.load_file(path)


def text_of(page: Path) -> str:
    """The page's words as a reader sees them: no markup, no scripts, whitespace flattened."""
    source = re.sub(r"<(script|style)\b[^>]*>.*?</\1>", " ", page.read_text(encoding="utf-8"), flags=re.S)
    return " ".join(html.unescape(re.sub(r"<[^>]+>", " ", source)).split())


def rendered(loaded: params_io.LoadedParams, kind: str, out: Path, templates: Path) -> dict[str, str]:
    outcome = render.render_cluster(loaded, [kind], ["en", "id"], ["html"], out, [], templates)
    assert outcome.error is None, outcome.error
    folder = out / loaded.params.location.province_record.slug / loaded.params.id
    return {lang: text_of(folder / f"{kind}.{lang}.html") for lang in ("en", "id")}


def market_table(text: str) -> str:
    """The profile's market table, from its caption to the next figure."""
    start = text.index("Market channels and their share of sales" if "Market channels" in text
                       else "Saluran pemasaran")
    return text[start:text.index("Figure" if "Figure" in text[start:] else "Gambar", start)]


def test_two_rows_of_one_channel_are_one_bar_and_the_main_channel(tmp_path, templates):
    loaded = cluster_with(tmp_path, [
        market("subcontract", 40, "Assemblers"), market("intermediary", 35, "Traders in Jakarta"),
        market("intermediary", 25, "Traders in Semarang")])
    labels, fmt = i18n.labels(templates, "en"), i18n.Formatter("en")
    ctx = profile.context(loaded.params, [], labels)
    summed = [(r.channel.value, r.share_pct) for r in ctx["markets"]]
    assert summed == [("intermediary", 60), ("subcontract", 40)]
    chart, alt_text = profile.chart_specs(ctx, labels, fmt)["markets"]
    bars = chart.to_dict()["data"]["values"] if "values" in chart.to_dict().get("data", {}) else [
        v for values in chart.to_dict()["datasets"].values() for v in values]
    assert sorted(b["channel"] for b in bars) == ["Intermediaries (traders)",
                                                  "Subcontracting to larger firms"]
    assert alt_text.count("Intermediaries (traders)") == 1 and "60%" in alt_text
    assert profile.tables(ctx, labels)["markets"].values.tolist()[0] == [
        "Intermediaries (traders)", "Traders in Jakarta; Traders in Semarang", 60]

    text = rendered(loaded, "profile", tmp_path / "out", templates)
    assert ("The main market channel is intermediaries (traders), with 60% of sales "
            "(destinations: Traders in Jakarta; Traders in Semarang).") in text["en"]
    assert ("Saluran pemasaran utama adalah perantara (pedagang pengumpul), dengan "
            "60") in text["id"]
    table = market_table(text["en"])
    assert table.count("Intermediaries (traders)") == 1 and "60%" in table


def test_two_other_rows_of_one_name_are_one_channel(tmp_path, templates):
    loaded = cluster_with(tmp_path, [
        market("subcontract", 40), market("other", 30, name=HOTELS),
        market("other", 30, name={"en": "hotels and restaurants", "id": "Hotel dan restoran"})])
    ctx = profile.context(loaded.params, [], i18n.labels(templates, "id"))
    assert [(r.label, r.share_pct) for r in ctx["markets"]] == [("Hotel dan restoran", 60),
                                                                ("Subkontrak dengan perusahaan besar", 40)]
    assert ctx["markets"][0].phrase == "Hotel dan restoran"  # the user's name keeps its case


NEW_LABELS = {
    "tourism": ("Tourists and souvenir shops", "Wisatawan dan toko cendera mata"),
    "modern-retail": ("Modern retail (supermarkets)", "Toko modern (pasar swalayan)"),
    "online-marketplace": ("Online marketplaces", "Lokapasar daring (marketplace)"),
    "export-agent": ("Export through exporters or buying agents",
                     "Ekspor melalui eksportir atau agen pembeli"),
    "other": ("Hotels and restaurants", "Hotel dan restoran"),
}


def test_each_new_channel_is_named_in_both_languages(tmp_path, templates):
    rows = [market(c, 15, name=HOTELS if c == "other" else None) for c in NEW_LABELS]
    rows = [{k: v for k, v in r.items() if v is not None} for r in rows] + [market("wholesale", 25)]
    text = rendered(cluster_with(tmp_path, rows), "profile", tmp_path / "out", templates)
    for channel, (en, id_) in NEW_LABELS.items():
        assert en in market_table(text["en"]), channel
        assert id_ in market_table(text["id"]), channel
    assert "The main market channel is wholesalers, with 25% of sales" in text["en"]


def test_a_tie_is_worded_as_a_tie(tmp_path, templates):
    loaded = cluster_with(tmp_path, [market("subcontract", 40), market("online-marketplace", 40),
                                     market("wholesale", 20)])
    text = rendered(loaded, "profile", tmp_path / "out", templates)
    assert ("The main market channels are subcontracting to larger firms and online marketplaces, "
            "with 40% of sales each.") in text["en"]
    assert ("Saluran pemasaran utama adalah subkontrak dengan perusahaan besar dan lokapasar daring "
            "(marketplace), masing-masing dengan 40") in text["id"]
    assert "The main market channel is" not in text["en"]


SERENAN = ("serenan-klaten-wood-furniture.yaml", "serenan-klaten-wood-furniture.plan.yaml",
           "serenan-klaten-wood-furniture.monitoring.yaml")


@pytest.fixture
def serenan(tmp_path) -> Path:
    root = tmp_path / "params"
    shutil.copytree(SAMPLE.parent / "programmes", root / "programmes")
    folder = root / "clusters" / "jawa-tengah"
    folder.mkdir(parents=True)
    for name in SERENAN:
        shutil.copy(SAMPLE / "jawa-tengah" / name, folder / name)
    return folder


def test_monitoring_sums_firms_of_one_channel_and_words_a_tie(serenan, tmp_path, templates):
    path = serenan / "serenan-klaten-wood-furniture.monitoring.yaml"
    data = yaml.safe_load(path.read_text(encoding="utf-8"))
    q4 = [o for o in data["firms"] if o["period"] == "q4"]
    # The last period split in two halves of equal turnover: a tie between export and an 'other'
    # channel that two firms name in different case.
    for n, obs in enumerate(q4):
        obs["turnover"] = 100_000_000
        if n % 2:
            obs.update(channel="other", channel_name=HOTELS if n % 4 == 1 else
                       {"en": "hotels and restaurants", "id": "hotel dan restoran"})
        else:
            obs["channel"] = "export"
    assert len(q4) % 2 == 0
    path.write_text(yaml.safe_dump(data, allow_unicode=True, sort_keys=False), encoding="utf-8")
    loaded = params_io.load_file(serenan / "serenan-klaten-wood-furniture.yaml")
    text = rendered(loaded, "monitoring", tmp_path / "out", templates)
    assert ("in Q4 2003 the largest shares, 50.0% each, went equally through export sales and Hotels and "
            "restaurants.") in text["en"]
    assert ("pada Triwulan IV 2003, pangsa terbesar terbagi sama besar antara saluran ekspor dan Hotel "
            "dan restoran, masing-masing 50,0%.") in text["id"]
    table = text["en"][text["en"].index("Main market channels of the supported firms"):]
    assert table.count("Q4 2003 Hotels and restaurants") == 1
