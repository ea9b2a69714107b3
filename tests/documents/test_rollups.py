"""The roll-ups: a province's identification of potential clusters and the national summary.

Domain numbers are checked on the shipped sample (the study's ten clusters of its Table 3.1, round
jica-2004, and the later SMIDeP-era clusters, counted from the params files) and on a generated national
set of a few thousand summaries; the documents are rendered by the CLI and opened in LibreOffice,
Chromium and the Nu HTML checker, as a reader would."""

from __future__ import annotations

import random
import subprocess
import sys
from collections import Counter
from pathlib import Path

import pytest
import sample_facts
from checks import LEFTOVERS, flat, other_language_labels, page_in_chromium
from clients import docx_to_pdf, pdf_text, validate_html
from conftest import SAMPLE

from cluster_reports import render
from cluster_reports.documents import i18n, national_summary, province_summary
from cluster_reports.domain import scoring, subsectors
from cluster_reports.domain.summary import ClusterSummary, summarise
from cluster_reports.inputs import regions

LANGS = ("id", "en")
GROUPS = ("metal-machinery", "export-oriented", "rural-indigenous")
# Codes the package names, plus two it does not (named after their clusters' descriptions).
CODES = [*subsectors.NAMES, "3699", "3240"]


def generated(n: int, seed: int = 7, synthetic: bool = True) -> list[ClusterSummary]:
    """A national set of ``n`` cluster summaries over every province, as a batch would collect."""
    rng = random.Random(seed)
    provinces = list(regions.provinces().values())
    by_province = {p.code: regions.regency_names(p) for p in provinces}
    items = []
    for i in range(n):
        p = provinces[i % len(provinces)] if i < len(provinces) else rng.choice(provinces)
        code = rng.choice(CODES)
        growth, action = rng.randint(10, 54), rng.randint(0, 36)
        workers = None if rng.random() < 0.03 else rng.randint(20, 3000)
        items.append(ClusterSummary(
            id=f"c{i:05d}", name_en=f"Cluster {i} (EN)", name_id=f"Sentra {i} (ID)", province=p.name,
            province_slug=p.slug, regency=rng.choice(by_province[p.code]), group=rng.choice(GROUPS),
            isic=code, industry_en=f"Industry {code}", industry_id=f"Industri {code}",
            firms=rng.randint(5, 600), workers=workers,
            annual_sales=rng.randint(1, 60) * 10**9,
            value_added=None if rng.random() < 0.03 else rng.randint(1, 30) * 10**9,
            growth=growth, action=action, percentage=float(scoring.selection_percentage(growth, action)),
            social_capital=rng.randint(1, 5),
            potentially_viable=None if rng.random() < 0.2 else rng.randint(0, 30),
            above_reference=None if rng.random() < 0.5 else rng.randint(0, 5),
            selection_round=p.slug, synthetic=synthetic,
        ))
    return items


@pytest.fixture(scope="module")
def sample_summaries(sample) -> list[ClusterSummary]:
    return [summarise(item) for item in sample]


@pytest.fixture(scope="module")
def study_summaries(sample_summaries) -> list[ClusterSummary]:
    """The ten clusters of the 2004 study, whose figures and Table 3.1 the tests below check."""
    found = [s for s in sample_summaries if s.selection_round == sample_facts.STUDY_ROUND]
    assert sorted(s.id for s in found) == sample_facts.in_round(sample_facts.STUDY_ROUND)
    return found


@pytest.fixture(scope="module")
def national_set() -> list[ClusterSummary]:
    return generated(3000)


def labels(templates: Path, lang: str = "en") -> i18n.Labels:
    return i18n.labels(templates, lang)


def province_ctx(summaries, slug, templates, lang="en"):
    """As the batch makes it: the province's clusters and their round peers of other provinces."""
    return province_summary.context(province_summary.members(summaries, slug), slug, labels(templates, lang))


# --- domain: the sample ------------------------------------------------------------------------

def test_table_2_1_adds_up_to_its_subtotal():
    rows = subsectors.TABLE_2_1
    assert [r.workers for r in rows] == sorted((r.workers for r in rows), reverse=True)  # ordered by workers
    assert sum(r.enterprises for r in rows) == subsectors.TABLE_2_1_SUBTOTAL.enterprises == 371_110
    assert sum(r.workers for r in rows) == subsectors.TABLE_2_1_SUBTOTAL.workers == 974_230
    assert sum(r.value_added_thousand for r in rows) == subsectors.TABLE_2_1_SUBTOTAL.value_added_thousand
    assert sum(r.clusters for r in rows) == subsectors.TABLE_2_1_SUBTOTAL.clusters == 6_705


def test_study_regions_are_the_studys_shares_of_9800():
    # The study rounds loosely (1,102 of 9,800 is 11.2%, printed 11.3%): within a tenth.
    for key, clusters in national_summary.STUDY_REGION_CLUSTERS.items():
        assert clusters * 100 / 9_800 == pytest.approx(national_summary.STUDY_REGION_SHARES[key], abs=0.1)
    # Every province of the official list falls in one of the study's five regions.
    found = {national_summary._REGION_OF_CODE[p] for p in regions.provinces()}
    assert found == set(national_summary.REGION_ORDER)


def test_shares_add_up_to_100_unless_equal_values_would_differ():
    assert subsectors.shares([1, 1, 1]) == [33.3, 33.3, 33.3]  # equal values read equal
    assert sum(subsectors.shares([7, 2, 1, 0])) == 100.0
    assert subsectors.shares([0, 0]) == [0.0, 0.0]


def test_province_ranking_on_the_sample(study_summaries, templates):
    ctx = province_ctx(study_summaries, "jawa-tengah", templates)
    assert ctx["title_suffix"] == "Jawa Tengah"
    ranked = {g.group: [(r.name, r.rank, r.percentage) for r in g.clusters] for g in ctx["rankings"]}
    assert ranked == {
        "metal-machinery": [("Tegal metalwork cluster", 1, 45.6)],
        "export-oriented": [("Serenan-Klaten wood furniture cluster", 1, 62.2)],
        "rural-indigenous": [("Kebumen roof-tile cluster (Kebumen Sokka)", 1, 63.3)],
    }
    # The sample's round is the study's, which spans provinces: the document must say so.
    assert ctx["shared_rounds"] == ["jica-2004"]
    whole = ctx["whole"]
    assert (whole.clusters, whole.firms, whole.workers, whole.value_added) == (3, 607, 5_190, 54_200_000_000)
    assert [r.name for r in ctx["promising"]] == ["Serenan-Klaten wood furniture cluster",
                                                   "Kebumen roof-tile cluster (Kebumen Sokka)"]
    assert ctx["identification_budget"] == 9_000_000  # Rp 3 million for each of 3 regencies
    assert sum(ctx["regency_va_shares"]) == pytest.approx(100.0)


def test_a_province_of_both_eras_ranks_each_round_apart(sample_summaries, templates):
    """Jawa Tengah's SMIDeP-era cluster (Kota Tegal, round smidep-2014) is ranked in its own round,
    not against the study's Tegal metalwork cluster of the same group."""
    ctx = province_ctx(sample_summaries, "jawa-tengah", templates)
    assert ctx["whole"].clusters == sample_facts.by_province()["jawa-tengah"]
    rounds = sorted({sample_facts.group_round(rel)[1] for rel in sample_facts.clusters()
                     if rel.startswith("jawa-tengah/")})
    assert rounds == ["jica-2004", "smidep-2014"]
    # Only the study's round scored other provinces' clusters of Jawa Tengah's groups (no other
    # SMIDeP-era metal cluster is in the sample).
    assert ctx["shared_rounds"] == ["jica-2004"]
    metal = {g.selection_round: [(r.name, r.rank) for r in g.clusters]
             for g in ctx["rankings"] if g.group == "metal-machinery"}
    assert metal == {"jica-2004": [("Tegal metalwork cluster", 1)],
                     "smidep-2014": [("Tegal ship-parts cluster", 1)]}


def test_province_ranking_of_the_studys_round(sample_summaries, templates):
    """The whole sample in one 'province' call: the study's ten clusters reproduce Table 3.1's ranks
    (round jica-2004), and the SMIDeP-era clusters rank among themselves (round smidep-2014)."""
    rankings = province_summary.rank_groups(sample_summaries, "en")
    ranks = {r.id: r.rank for g in rankings for r in g.clusters}
    assert ranks["waru-sidoarjo-metalwork"] == 1 and ranks["sukabumi-metalwork"] == 2
    assert ranks["tegal-metalwork"] == 3
    assert ranks["serenan-klaten-wood-furniture"] == 1 and ranks["amuntai-rattan"] == 4
    assert ranks["kebumen-roof-tile"] == 1 and ranks["mampang-tempe-tofu"] == 2
    assert ranks["garut-vetiver-oil"] == 2 and ranks["lima-puluh-kota-gambier"] == 3
    assert ranks["samosir-ulos-weaving"] == 1 and ranks["palu-cacao-processing"] == 2
    assert ranks["kota-tegal-ship-parts"] == 1 and ranks["pontianak-rattan-furniture"] == 1


def test_national_on_the_studys_ten(study_summaries, templates):
    ctx = national_summary.context(study_summaries, None, labels(templates))
    regions_ = {r.totals.key: (r.totals.clusters, r.share_pct) for r in ctx["regions"]}
    assert regions_ == {"java-bali": (7, 70.0), "sumatra": (2, 20.0), "kalimantan": (1, 10.0),
                        "sulawesi": (0, 0.0), "east-indonesia": (0, 0.0)}
    metal = next(t for t in ctx["subsectors"] if t.key == "3819")
    assert (metal.clusters, metal.firms, metal.workers) == (3, 554, 4_080)
    assert ctx["subsectors"][0].key == "3819"  # the most workers, as Table 2.1 orders
    assert {t.key for t in ctx["in_both"]} == {"3321", "3642", "3124"}
    assert ctx["provinces"][0].totals.label == "Jawa Tengah"
    assert sum(p.totals.clusters for p in ctx["provinces"]) == 10
    assert ctx["study_region_total"] == 9_427


def test_national_on_the_whole_sample_counts_every_cluster(sample_summaries, templates):
    ctx = national_summary.context(sample_summaries, None, labels(templates))
    assert ctx["whole"].clusters == sample_facts.count()
    assert sum(r.totals.clusters for r in ctx["regions"]) == sample_facts.count()
    by_province = Counter(data["location"]["province"] for data in sample_facts.clusters().values())
    assert {p.totals.key: p.totals.clusters for p in ctx["provinces"]} == dict(by_province)
    assert ctx["provinces"][0].totals.label == by_province.most_common(1)[0][0] == "Jawa Tengah"


# --- domain: a national set --------------------------------------------------------------------

def test_national_sums_at_scale(national_set, templates):
    ctx = national_summary.context(national_set, None, labels(templates))
    whole = ctx["whole"]
    assert whole.clusters == 3000 and whole.synthetic == 3000
    assert whole.firms == sum(s.firms for s in national_set)
    assert whole.workers == sum(s.workers for s in national_set if s.workers is not None)
    assert whole.workers_missing == sum(1 for s in national_set if s.workers is None) > 0
    for items in (ctx["subsectors"], [r.totals for r in ctx["regions"]], [p.totals for p in ctx["provinces"]],
                  ctx["groups"]):
        assert sum(t.clusters for t in items) == 3000
        assert sum(t.firms for t in items) == whole.firms
        assert sum(t.value_added for t in items) == whole.value_added
    assert sum(r.share_pct for r in ctx["regions"]) == pytest.approx(100.0, abs=1e-9)
    # Equal counts read as equal shares; where that keeps the column from 100, the table says so.
    by_count = {}
    for p, pct in zip(ctx["provinces"], ctx["province_shares"], strict=True):
        assert by_count.setdefault(p.totals.clusters, pct) == pct
    if ctx["province_shares_add_up"]:
        assert sum(ctx["province_shares"]) == pytest.approx(100.0, abs=1e-9)
    else:
        assert sum(ctx["province_shares"]) == pytest.approx(100.0, abs=0.05 * 38)
    assert len(ctx["provinces"]) == 38
    counts = [p.totals.clusters for p in ctx["provinces"]]
    assert counts == sorted(counts, reverse=True)
    assert len(ctx["top"]) == 10 and ctx["top_total"].workers == sum(t.workers for t in ctx["top"])
    workers = [t.workers for t in ctx["subsectors"]]
    assert workers == sorted(workers, reverse=True)
    # A code the package does not name takes its clusters' description.
    assert next(t for t in ctx["subsectors"] if t.key == "3699").label == "Industry 3699"
    java = Counter(national_summary.region_of(s) for s in national_set)["java-bali"]
    assert next(r for r in ctx["regions"] if r.totals.key == "java-bali").totals.clusters == java


def test_province_rankings_at_scale(national_set, templates):
    by_province = Counter(s.province_slug for s in national_set)
    slug = by_province.most_common(1)[0][0]
    members = [s for s in national_set if s.province_slug == slug]
    ctx = province_summary.context(members, slug, labels(templates, "id"))
    assert sum(g.total for g in ctx["rankings"]) == len(members)
    for g in ctx["rankings"]:
        expected = scoring.rank(scoring.Entry(s.id, s.group, s.growth, s.action)
                                for s in members if s.group == g.group)
        assert {r.id: r.rank for r in g.clusters} == {k: v.rank for k, v in expected.items()}
        pcts = [r.percentage for r in g.clusters]
        assert pcts == sorted(pcts, reverse=True)
        assert len(g.shown) == min(10, g.total)
        for a, b in zip(g.clusters, g.clusters[1:], strict=False):
            if a.rank == b.rank:  # ties: stronger social capital first
                assert a.social_capital >= b.social_capital
    assert sum(t.clusters for t in ctx["regencies"]) == len(members)
    assert sum(t.clusters for t in ctx["subsectors"]) == len(members)
    assert sum(ctx["group_shares"].values()) == pytest.approx(100.0)
    assert not ctx["shared_rounds"]  # the batch's default round is the province


def test_bad_calls_say_what_is_wrong(sample_summaries, templates):
    # A cluster of another province is welcome only as a peer in one of the province's rounds
    # and groups (Garut, export-oriented, 2004 study, beside Serenan-Klaten); Palu (SMIDeP round,
    # rural group) is in none of Jawa Tengah's.
    with pytest.raises(ValueError, match="another province.*palu-cacao-processing"):
        province_summary.context(sample_summaries, "jawa-tengah", labels(templates))
    peers = province_summary.members(sample_summaries, "jawa-tengah")
    assert "garut-vetiver-oil" in {s.id for s in peers}
    assert province_summary.context(peers, "jawa-tengah", labels(templates))["whole"].clusters == 4
    with pytest.raises(ValueError, match="no cluster"):
        national_summary.context([], None, labels(templates))
    odd = sample_summaries[0].__class__(**{**sample_summaries[0].to_dict(), "province": "Atlantis",
                                           "documents": ()})
    with pytest.raises(ValueError, match="mampang-tempe-tofu.*Atlantis"):
        national_summary.context([odd], None, labels(templates))


# --- documents ---------------------------------------------------------------------------------

def study_files() -> list[str]:
    """The params files of the study's ten clusters (round jica-2004): the roll-ups rendered over them
    carry the study's figures, which a reader checks below."""
    return [str(SAMPLE / rel) for rel in sample_facts.clusters()
            if sample_facts.group_round(rel)[1] == sample_facts.STUDY_ROUND]


@pytest.fixture(scope="module")
def rendered(tmp_path_factory) -> Path:
    out = tmp_path_factory.mktemp("rollups")
    result = subprocess.run(
        [sys.executable, "-m", "cluster_reports.cli", "render", *study_files(), "--doc",
         "province-summary,national-summary", "--lang", "id,en", "--format", "docx,html", "--out", str(out)],
        capture_output=True, text=True, timeout=900,
    )
    assert result.returncode == 0, result.stderr
    return out


def test_every_rollup_is_written(rendered, sample):
    study = sample_facts.in_round(sample_facts.STUDY_ROUND)
    provinces = {item.params.location.province_record.slug for item in sample if item.params.id in study}
    assert len(provinces) == 7  # the study's ten clusters lie in seven provinces
    assert {p.parent.name for p in rendered.glob("*/province-summary.en.html")} == provinces
    for lang in LANGS:
        for fmt in ("docx", "html"):
            for slug in provinces:
                path = render.rollup_path(rendered, "province-summary", slug, lang, fmt)
                assert path.stat().st_size > 5_000
            assert render.rollup_path(rendered, "national-summary", None, lang, fmt).stat().st_size > 5_000
    assert not list(rendered.rglob("*.part")), "temporary files left behind"


def _expected(lang: str) -> dict[str, list[str]]:
    """What a reader looks for: the province, the ranked clusters, numbers as the language writes them."""
    f = i18n.Formatter(lang)
    en = lang == "en"
    kebumen = "Kebumen roof-tile cluster (Kebumen Sokka)" if en else "Sentra IKM genteng Kebumen (Sokka)"
    waru = "Waru-Sidoarjo metalwork cluster" if lang == "en" else "Sentra IKM logam Waru, Sidoarjo"
    return {
        "jawa-tengah": ["Jawa Tengah", kebumen, f.percent(63.3), f.percent(45.6), f.number(5_190),
                        f.number(54_200), f.rupiah_rounded(9_000_000)],
        "jawa-timur": ["Jawa Timur", waru, f.percent(65.6), f.number(1_520), "Kabupaten Sidoarjo"],
        "national": [f.number(13_725), f.number(123_100), f.percent(70.0), f.percent(46.5), f.number(9_800),
                     f.number(1_295_000), f.number(229_000), "Jawa Tengah"],
    }


@pytest.mark.clients
@pytest.mark.parametrize("lang", LANGS)
def test_word_rollups_open_in_libreoffice(rendered, templates, lang, tmp_path):
    for key, expected in _expected(lang).items():
        slug = None if key == "national" else key
        kind = "national-summary" if slug is None else "province-summary"
        source = render.rollup_path(rendered, kind, slug, lang, "docx")
        text = pdf_text(docx_to_pdf(source, tmp_path))
        page = flat(text)
        for wanted in expected:
            assert wanted in page, (source, wanted)
        assert not LEFTOVERS.search(text), (source, LEFTOVERS.search(text))
        for label in other_language_labels(templates, lang, (f"{kind}.heading.", f"{kind}.caption.")):
            assert label not in page, (source, label)
        assert ("Tabel 1" if lang == "id" else "Table 1") in page
        assert "synthetic" not in page.lower() and "sintetis" not in page.lower()


@pytest.mark.clients
def test_html_rollups_are_valid(rendered):
    pages = sorted(rendered.rglob("*.html"))
    # the study's seven provinces and the national one (and the output folder's index)
    assert len([p for p in pages if p.name != "index.html"]) == (7 + 1) * len(LANGS)
    assert validate_html(pages) == []


@pytest.mark.clients
@pytest.mark.parametrize("lang", LANGS)
def test_html_rollups_render_in_chromium(rendered, templates, lang):
    for key, expected in _expected(lang).items():
        slug = None if key == "national" else key
        kind = "national-summary" if slug is None else "province-summary"
        page = render.rollup_path(rendered, kind, slug, lang, "html")
        text, dom = page_in_chromium(page, lang)
        for wanted in expected:
            assert wanted in text, (page, wanted)
        assert not LEFTOVERS.search(text), (page, LEFTOVERS.search(text))
        for label in other_language_labels(templates, lang, (f"{kind}.heading.", f"{kind}.caption.")):
            assert label not in text, (page, label)
        assert "data:image/svg+xml;base64," in page.read_text(encoding="utf-8")  # charts inside the page


def test_synthetic_clusters_are_said_so(tmp_path, templates):
    items = generated(300, seed=3)
    slug = Counter(s.province_slug for s in items).most_common(1)[0][0]
    members = [s for s in items if s.province_slug == slug]
    outcomes = [
        render.render_rollup("province-summary", members, slug, list(LANGS), ["html"], tmp_path, templates),
        render.render_rollup("national-summary", items, None, list(LANGS), ["html"], tmp_path, templates),
    ]
    assert [o.error for o in outcomes] == [None, None]
    for path in (p for o in outcomes for p in o.written):
        lang = path.name.split(".")[1]
        html = path.read_text(encoding="utf-8")
        word = labels(templates, lang)("cover.synthetic")
        assert word.replace("&", "&amp;") in html, path
        assert "note-synthetic" in html  # the boxed note at the start
        said = "describe no real cluster" if lang == "en" else "tidak menggambarkan sentra yang nyata"
        assert said in html
