"""Shares and means as a reader checks them in the rendered documents: equal counts read as equal
shares, a column that does not add up to 100 says why, and a mean score is the share of the points."""

from __future__ import annotations

import dataclasses

import pytest

from cluster_reports.compose import composer
from cluster_reports.compose.tree import Document, Table, plain
from cluster_reports.documents import province_summary
from cluster_reports.domain import firms, summary

LANGS = ("en", "id")


def text(node: object) -> str:
    """Every text of a document, in one line (runs, captions, cells, notes)."""
    def words(n: object) -> list[str]:
        if isinstance(n, str):
            return [n]
        if isinstance(n, (list, tuple)):
            return [w for item in n for w in words(item)]
        if dataclasses.is_dataclass(n) and not isinstance(n, type):
            return [w for f in dataclasses.fields(n) if f.name != "charts" for w in words(getattr(n, f.name))]
        return []
    return " ".join(" ".join(words(node)).split())


def table(document: Document, id_: str) -> Table:
    return next(n for n in document.nodes if isinstance(n, Table) and n.id == id_)


def cells(t: Table) -> list[list[str]]:
    return [[" ".join(plain(c).split()) if not isinstance(c, str) else c for c in row] for row in t.rows]


@pytest.fixture(scope="module")
def peers(sample):
    return [summary.summarise(item) for item in sample]


@pytest.fixture(scope="module")
def national(peers, templates) -> dict[str, Document]:
    return {lang: composer.compose_rollup("national-summary", peers, None, lang, templates) for lang in LANGS}


def test_provinces_with_one_cluster_each_read_the_same_share(national, peers):
    per_province: dict[str, int] = {}
    for s in peers:
        per_province[s.province] = per_province.get(s.province, 0) + 1
    ones = {p for p, n in per_province.items() if n == 1}
    assert len(ones) > 1  # the sample has several
    for lang, doc in national.items():
        rows = [r for r in cells(table(doc, "tbl-provinces")) if r[0] in ones]
        assert len({r[3] for r in rows}) == 1, rows
        assert rows[0][3] == ("7.1%" if lang == "en" else "7,1%")  # 1 of 14
        note = {"en": "Because of rounding, the shares may not add up to 100%.",
                "id": "Karena pembulatan, jumlah porsi dapat tidak tepat 100%."}[lang]
        assert note in text(doc)


def test_the_summary_quotes_the_count_with_its_share(national):
    en = text(national["en"])
    assert "Java-Bali has the largest share of the clusters, 8 of the 14 clusters (57.1%)." in en
    assert "yaitu 8 dari 14 sentra (57,1%)" in text(national["id"])
    assert "57.2%" not in en


def test_a_provinces_mean_score_is_its_share_of_the_points(national, peers):
    barat = [s for s in peers if s.province == "Jawa Barat"]
    points = sum(s.growth + s.action for s in barat)
    assert (points, len(barat)) == (89, 2)  # 51 + 38 of 2 x 90: 49.4%, not the mean of 56.7 and 42.2
    row = next(r for r in cells(table(national["en"], "tbl-provinces")) if r[0] == "Jawa Barat")
    assert row[6] == "49.4%"


@pytest.mark.parametrize("cluster", ["kebumen-roof-tile", "kota-tegal-ship-parts"])
def test_each_periods_channel_shares_as_printed_add_up_or_say_why(sample, peers, templates, cluster):
    item = next(i for i in sample if i.params.id.endswith(cluster) or cluster in str(i.path))
    for lang in LANGS:
        doc = composer.compose(item, "monitoring", lang, peers, templates)
        rows = cells(table(doc, "tbl-channels"))
        totals: dict[str, float] = {}
        for r in rows:
            totals[r[0]] = totals.get(r[0], 0) + float(r[4].rstrip("%").replace(",", "."))
        off = {p: round(v, 1) for p, v in totals.items() if round(v, 1) != 100.0}
        note = "Because of rounding" if lang == "en" else "Karena pembulatan"
        assert not off or note in text(doc), off


def province(peers, templates, slug: str, lang: str) -> str:
    members = province_summary.members(peers, slug)  # as the batch gives them, round peers included
    return text(composer.compose_rollup("province-summary", members, slug, lang, templates))


def test_a_lone_cluster_holds_the_whole_value_added_not_100_percent(peers, templates):
    en, id_ = province(peers, templates, "jawa-timur", "en"), province(peers, templates, "jawa-timur", "id")
    assert "is the whole of the value added recorded for the province's clusters" in en
    assert "merupakan seluruh nilai tambah yang tercatat untuk sentra di provinsi ini" in id_
    assert "100.0% of the value added" not in en and "100,0% dari nilai tambah" not in id_
    assert "The cluster was scored in the selection round of the 2004 study." in en


def test_the_forum_sentence_for_a_province_of_one_cluster(peers, templates):
    en = province(peers, templates, "daerah-khusus-ibukota-jakarta", "en")
    assert "should therefore start its identification of potential clusters with this cluster." in en
    assert "first." not in en.split("The provincial cluster forum")[1][:120]
    id_ = province(peers, templates, "daerah-khusus-ibukota-jakarta", "id")
    assert "perlu memulai identifikasi sentra potensial dari sentra ini." in id_


def test_a_shared_round_counts_the_clusters_it_scored_and_mixed_years_are_noted(peers, templates):
    tengah = [s for s in peers if s.province_slug == "jawa-tengah"]
    in_study = sum(1 for s in tengah if s.selection_round == "jica-2004")
    assert 0 < in_study < len(tengah)  # Kota Tegal was scored on 2014 data
    en = province(peers, templates, "jawa-tengah", "en")
    scored = (f"Of the {len(tengah)} clusters, {in_study} were scored "
              "in the selection round of the 2004 study.")
    assert scored in en
    assert "The clusters were scored in" not in en
    years = ", ".join(str(y) for y in sorted({s.reference_year for s in tengah if s.value_added is not None}))
    assert f"describe different reference years ({years}) and are summed in the Rupiah of their own" in en
    id_ = province(peers, templates, "jawa-tengah", "id")
    assert f"Dari {len(tengah)} sentra, {in_study} sentra dinilai dalam putaran seleksi studi 2004." in id_
    assert f"tahun acuan yang berbeda ({years})" in id_
    # one reference year: no note
    assert "reference years" not in province(peers, templates, "jawa-timur", "en")


def cluster_text(sample, peers, templates, cluster: str, kind: str, lang: str) -> str:
    item = next(i for i in sample if i.params.id.endswith(cluster) or cluster in str(i.path))
    return text(composer.compose(item, kind, lang, peers, templates))


def test_the_sales_line_count_says_how_many_willing_firms_it_holds(sample, peers, templates):
    item = next(i for i in sample if "kebumen-roof-tile" in str(i.path))
    fs = firms.structure(item.params)
    surveyed, willing, above = fs.surveyed, len(fs.potentially_viable), len(fs.above_reference)
    both = sum(1 for f in fs.potentially_viable if f in fs.above_reference)
    assert 1 < both < above  # the sample's case: not every firm above the line is willing
    en = cluster_text(sample, peers, templates, "kebumen-roof-tile", "profile", "en")
    assert (f"Of the {surveyed} firms surveyed, {willing} are willing to improve. "
            f"{above} of the {surveyed} sell more than Rp 700 million a year, the average annual sales "
            f"of a small industry in the 2004 study; {both} of them are among the willing firms.") in en
    id_ = cluster_text(sample, peers, templates, "kebumen-roof-tile", "profile", "id")
    assert f"Sebanyak {above} dari {surveyed} unit usaha itu memiliki penjualan di atas Rp 700 juta" in id_
    assert f"; {both} di antaranya termasuk unit usaha yang memiliki kemauan untuk maju." in id_


def test_the_estimate_of_potentially_viable_firms_is_for_the_whole_cluster(sample, peers, templates):
    item = next(i for i in sample if "palu-cacao-processing" in str(i.path))
    fs = firms.structure(item.params)
    total, estimate = fs.total_firms, fs.potentially_viable_count
    assert estimate > len(fs.potentially_viable)  # 22 estimated, 18 named of the firms surveyed
    en = cluster_text(sample, peers, templates, "palu-cacao-processing", "profile", "en")
    assert f"The estimate for the whole cluster of {total} firms is {estimate} potentially viable" in en
    strategy = cluster_text(sample, peers, templates, "palu-cacao-processing", "strategy", "en")
    assert ("all of them. This list covers only the firms surveyed. The estimate for the whole cluster of "
            f"{total} firms is {estimate} potentially viable firms.") in strategy
    strategy_id = cluster_text(sample, peers, templates, "palu-cacao-processing", "strategy", "id")
    assert (f"Untuk seluruh sentra, yang terdiri atas {total} unit usaha, diperkirakan terdapat {estimate} "
            "IKM berpotensi layak.") in strategy_id
