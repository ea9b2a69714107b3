"""The profiling report's prices and volumes, its firm-list annex and its findings and
recommendations (issue 13), read in the composed documents as a reader reads them: the figures of the
prices table with capacity use computed, the annex's numbered rows and size classes, findings that
name the weakest condition and the reference programmes that answer it, both languages, one Word
file through python-docx, and clusters without the data."""

from __future__ import annotations

import shutil
from pathlib import Path

import docx
import pytest
import yaml
from checks import tree_lines
from conftest import SAMPLE

from cluster_reports import render, resources
from cluster_reports.compose import composer
from cluster_reports.documents import i18n
from cluster_reports.domain import findings, summary
from cluster_reports.inputs import params_io, programmes
from cluster_reports.inputs.schema import ClusterParams
from cluster_reports.inputs.schema.cluster import size_class
from cluster_reports.inputs.yaml_io import ParamsError

KEBUMEN = SAMPLE / "jawa-tengah" / "kebumen-roof-tile.yaml"
PILOTS = ("jawa-tengah/kebumen-roof-tile", "jawa-tengah/kota-tegal-ship-parts",
          "jawa-tengah/serenan-klaten-wood-furniture", "jawa-timur/waru-sidoarjo-metalwork",
          "kalimantan-barat/pontianak-rattan-furniture", "sulawesi-tengah/palu-cacao-processing",
          "sumatera-utara/samosir-ulos-weaving")
NO_TABLE = SAMPLE / "kalimantan-selatan" / "amuntai-rattan.yaml"  # counts by size only, no prices


def _lines(item: params_io.LoadedParams, lang: str) -> list[str]:
    document = composer.compose(item, "profile", lang, [summary.summarise(item)], resources.templates())
    return [" ".join(line.split()) for line in tree_lines(document, cover=False)]


def _section(lines: list[str], start: str, end: str | None) -> list[str]:
    """The lines from the one that starts with ``start`` up to the one that starts with ``end``."""
    i = next(n for n, line in enumerate(lines) if line.startswith(start))
    j = next((n for n, line in enumerate(lines[i + 1:], i + 1) if end and line.startswith(end)), len(lines))
    return lines[i:j]


def _copy(tmp_path: Path, source: Path, change) -> params_io.LoadedParams:
    """A sample cluster file with its data changed, in a folder of its own (no sidecars)."""
    folder = tmp_path / "clusters" / source.parent.name
    folder.mkdir(parents=True)
    data = yaml.safe_load(source.read_text(encoding="utf-8"))
    change(data)
    path = folder / source.name
    path.write_text(yaml.safe_dump(data, allow_unicode=True, sort_keys=False), encoding="utf-8")
    return params_io.load_file(path)


@pytest.fixture(scope="module")
def kebumen() -> dict[str, list[str]]:
    item = params_io.load_file(KEBUMEN)
    return {lang: _lines(item, lang) for lang in ("en", "id")}


# --- prices and volumes ---

def test_prices_table_gives_unit_prices_dollars_volumes_and_the_computed_capacity_use(kebumen):
    en, id_ = kebumen["en"], kebumen["id"]
    assert ("Pressed clay roof tiles sold under the Kebumen Sokka name | Rp 550 per tile | US$ 0.07 | "
            "6,000,000 tiles per month | 8,000,000 tiles per month | 75.0%") in en
    assert "Ridge tiles and special shapes | Rp 1,500 per piece | US$ 0.19 | 300,000 pieces per month | " \
           "500,000 pieces per month | 60.0%" in en
    assert ("Genteng tanah liat pres dengan nama Genteng Sokka Kebumen | Rp 550 per buah genteng | "
            "US$ 0,07 | 6.000.000 buah genteng per bulan | 8.000.000 buah genteng per bulan | 75,0%") in id_
    said = " ".join(_section(en, "The table gives the unit prices", "Pressed clay"))
    assert "sells at Rp 550 per tile (US$ 0.07)" in said
    assert ("The cluster makes 6,000,000 tiles per month, 75.0% of its capacity of 8,000,000 tiles "
            "per month.") in said
    assert "Capacity use ranges from 60.0% (ridge tiles and special shapes) to 75.0%" in said
    assert any("Sentra menghasilkan 6.000.000 buah genteng per bulan, atau 75,0% dari kapasitasnya" in line
               for line in id_)
    # The sample's figures are illustrative, and the chapter says so.
    prices = _section(en, "The table gives the unit prices", "Profiling recorded")
    assert any(line.startswith("Some values in this section are illustrative") for line in prices)


@pytest.mark.parametrize("rel", PILOTS)
def test_every_pilot_shows_its_prices_with_capacity_use_computed_from_output_and_capacity(rel):
    item = params_io.load_file(SAMPLE / f"{rel}.yaml")
    lines = _lines(item, "en")
    fmt = i18n.Formatter("en")
    shown = [p for p in item.params.products if p.price or p.output]
    assert len(shown) >= 2
    for p in shown:
        row = next(line for line in lines if line.startswith(p.name.en[:1].upper() + p.name.en[1:] + " | Rp"))
        assert f"{fmt.rupiah(p.price.amount)} per {p.price.unit.en}" in row
        if p.capacity:
            assert row.endswith(" | " + fmt.percent(p.output.quantity / p.capacity.quantity * 100))
        else:
            assert row.endswith(" | not recorded | -")


def test_a_product_without_capacity_says_not_recorded_and_gets_no_percentage(tmp_path):
    def drop(data):
        data["products"][0].pop("capacity")
        data["provenance"] = [e for e in data["provenance"] if e["field"] != "products.0.capacity"]
    item = _copy(tmp_path, KEBUMEN, drop)
    en = _lines(item, "en")
    assert any(line.startswith("Pressed clay roof tiles") and line.endswith(
        "| 6,000,000 tiles per month | not recorded | -") for line in en)
    assert any("The cluster makes 6,000,000 tiles per month; its production capacity is not recorded." in line
               for line in en)
    assert any("kapasitas produksinya tidak tercatat" in line for line in _lines(item, "id"))


@pytest.mark.parametrize("change, message", [
    (lambda p: p["output"].update(quantity=9_000_000), "exceeds capacity"),
    (lambda p: p["capacity"].update(per="year"), "same unit and per the same period"),
    (lambda p: p["capacity"].update(unit={"en": "m3", "id": "m3"}), "same unit and per the same period"),
    (lambda p: p["price"].update(amount=0), "greater than 0"),
    (lambda p: p["output"].update(quantity=-5), "greater than 0"),
    (lambda p: p["output"].update(per="week"), "'month' or 'year'"),
])
def test_bad_prices_and_volumes_are_refused_with_the_reason(tmp_path, change, message):
    data = yaml.safe_load(KEBUMEN.read_text(encoding="utf-8"))
    change(data["products"][0])
    path = tmp_path / "kebumen-roof-tile.yaml"
    path.write_text(yaml.safe_dump(data, allow_unicode=True, sort_keys=False), encoding="utf-8")
    with pytest.raises(ParamsError) as err:
        params_io.load_file(path)
    said = "\n".join(map(str, err.value.problems))
    assert "products" in said and message in said, said


# --- the firm list annex ---

def test_the_annex_lists_every_surveyed_firm_numbered_largest_first_with_its_size_class(kebumen):
    params = params_io.load_file(KEBUMEN).params
    table = params.firms.table
    for lang, size_word in (("en", {"micro": "Micro", "small": "Small", "medium": "Medium"}),
                            ("id", {"micro": "Mikro", "small": "Kecil", "medium": "Menengah"})):
        rows = [line.split(" | ") for line in kebumen[lang] if line.split(" | ")[0].isdigit()
                and len(line.split(" | ")) == 8]
        assert [int(r[0]) for r in rows] == list(range(1, len(table) + 1))
        assert {r[1] for r in rows} == {f.name for f in table}
        workers = [int(r[2]) for r in rows]
        assert workers == sorted(workers, reverse=True)
        by_name = {f.name: f for f in table}
        for r in rows:
            firm = by_name[r[1]]
            assert r[3] == size_word[size_class(firm.workers)]
            assert r[4] == (str(firm.established) if firm.established else "-")
            assert (r[7] != "-") == firm.willing_to_improve
    en = kebumen["en"]
    assert "1 | Genteng Sokka Makmur | 62 | Medium | 1975 | Rp 2,650,000,000 | yes | yes" in en
    assert any(line.startswith("The list gives the 38 firms surveyed in profiling, of the 264 firms of the "
                               "cluster.")
               and "Growth seeds are the firms willing to improve: 12 of the 38." in line for line in en)
    assert any(line.startswith("The annex lists the 38 firms surveyed") for line in en)
    assert any(line.startswith("Daftar ini memuat 38 unit usaha yang disurvei dalam penyusunan profil "
                               "sentra, dari 264 unit usaha di sentra.") for line in kebumen["id"])
    # A short list of growth seeds keeps its table in its own chapter beside the annex.
    assert "Genteng Sokka Makmur | 62 | Rp 2,650,000,000 | yes | yes" in en


def test_a_cluster_with_counts_only_says_there_is_no_firm_list_and_no_prices():
    item = params_io.load_file(NO_TABLE)
    assert item.params.firms.table is None
    en, id_ = _lines(item, "en"), _lines(item, "id")
    assert ("No list of firms was recorded: the cluster's firms are known only by their numbers in each "
            "size class.") in en
    assert ("Daftar IKM tidak tercatat: unit usaha sentra hanya diketahui jumlahnya menurut skala "
            "usaha.") in id_
    assert "The prices, output and production capacity of the cluster's products are not recorded." in en
    assert "Harga, produksi, dan kapasitas produksi produk sentra tidak tercatat." in id_
    assert not [line for line in en if line.startswith(("The list gives", "1 | "))]
    assert not [line for line in en if "per month" in line or "Capacity use" in line]


# --- findings and recommendations ---

def _library() -> dict:
    return programmes.load(resources.shipped_programmes()).programmes


def test_findings_name_the_weakest_condition_and_the_programmes_that_answer_it(kebumen):
    lib = _library()
    answering = [p for p in lib.values() if "related_supporting" in p.addresses]
    assert answering
    en, id_ = kebumen["en"], kebumen["id"]
    assert any(line.startswith("Support should above all strengthen the cluster where it is weakest: related "
                               "and supporting industries, with a score of 2 (weak).") for line in en)
    assert any(line.startswith("Dukungan perlu terutama memperkuat kondisi terlemah sentra, yaitu industri "
                               "terkait dan pendukung, dengan skor 2 (lemah).") for line in id_)
    row = next(line for line in en if line.startswith("Related and supporting industries: score 2 (weak) | "))
    for p in answering:
        assert p.title.en in row
    assert "Capacity building of cluster facilitators (Table 5.1 no. 3)" in row
    # Each recorded category of constraints has its row, counted.
    assert any(line.startswith("Technology constraints: 2 constraints recorded | ") for line in en)
    assert any(line.startswith("Kendala teknologi: 2 kendala tercatat | ") for line in id_)
    assert any("Profiling recorded 7 constraints in all six categories of Table 2.2." in line for line in en)
    # The programme that answers the weak condition and a recorded constraint leads.
    recorded = {f"constraint:{k.category.value}" for k in params_io.load_file(KEBUMEN).params.constraints}
    leading = [p for p in answering if set(p.addresses) & recorded]
    assert [p.id for p in leading] == ["pilot-study-tour"]
    assert any(line.startswith("Study tour (pilot programme type, Box 3.1) answers a weak condition and a "
                               "recorded constraint at once.") for line in en)
    assert any(line.startswith("Studi banding (jenis program percontohan, Kotak 3.1) sekaligus menjawab")
               for line in id_)


def _scores(data: dict, scores: dict[str, int]) -> None:
    for key, score in scores.items():
        data["assessment"][key]["score"] = score


def test_strong_conditions_and_no_constraints_recommend_no_programme(tmp_path):
    def strong(data):
        _scores(data, {"demand": 4, "factor": 5, "firm_strategy": 4, "related_supporting": 4,
                       "social_capital": 5})
        data["constraints"] = []
        for step in data.get("production_process", []):  # its steps may not name a constraint then
            step.pop("constraints", None)
        data["provenance"] = [e for e in data["provenance"] if not e["field"].startswith("constraints")]
    item = _copy(tmp_path, KEBUMEN, strong)
    en, id_ = _lines(item, "en"), _lines(item, "id")
    said = " ".join(_section(en, "Even the weakest", None))
    assert said.startswith("Even the weakest conditions score 4 (strong): demand conditions; firm "
                           "strategy, structure and rivalry; and related and supporting industries. No "
                           "condition is weak, so support can build on the cluster's strengths.")
    assert "The cluster's constraints are not recorded either. The assessment therefore gives no ground to " \
           "recommend a programme." in said
    assert not [line for line in en if " | " in line and "(Table 5.1 no." in line]
    assert any("Kendala sentra juga tidak tercatat." in line for line in id_)


def test_all_weak_and_equal_conditions_are_all_to_strengthen(tmp_path):
    item = _copy(tmp_path, KEBUMEN, lambda data: _scores(data, dict.fromkeys(
        ("demand", "factor", "firm_strategy", "related_supporting", "social_capital"), 2)))
    en = _lines(item, "en")
    assert any(line.startswith("All five conditions share the score 2 (weak). No condition is weaker "
                               "than the others, so support must strengthen all five.") for line in en)
    assert sum(1 for line in en if ": score 2 (weak) | " in line) == 5
    found = findings.findings(item.params, _library())
    assert len(found.conditions) == 5 and not found.unanswered


def test_a_finding_no_programme_answers_is_said_from_the_nearest_library(tmp_path):
    """A project's own library (the 'programmes' folder above its clusters) answers only demand: the
    findings say which findings no programme answers."""
    item_dir = tmp_path / "clusters" / "jawa-tengah"
    item_dir.mkdir(parents=True)
    shutil.copy(KEBUMEN, item_dir)
    (tmp_path / "programmes").mkdir()
    (tmp_path / "programmes" / "own.yaml").write_text(yaml.safe_dump({
        "title": "Own programmes",
        "programmes": [{
            "id": "buyer-days", "source": "pilot", "addresses": ["demand", "constraint:social"],
            "reference": {"en": "Regency plan 2024", "id": "Rencana kabupaten 2024"},
            "title": {"en": "Buyer days", "id": "Hari temu pembeli"},
            "why": {"en": "Meet buyers.", "id": "Bertemu pembeli."}, "who": {"en": "Dinas", "id": "Dinas"},
            "what": [{"en": "Invite buyers", "id": "Mengundang pembeli"}]}]}), encoding="utf-8")
    item = params_io.load_file(item_dir / KEBUMEN.name)
    en = _lines(item, "en")
    assert "Social constraints: 1 constraint recorded | Buyer days (pilot programme type, Box 3.1)" in en
    assert "Related and supporting industries: score 2 (weak) | no reference programme" in en
    said = " ".join(en)
    assert ("No reference programme answers these findings: related and supporting industries; product "
            "constraints; technology constraints; market constraints; price constraints; and institutional "
            "constraints.") in said
    assert "The action plan must design programmes of its own for them." in said


def test_library_addresses_are_validated_with_the_choices_named(tmp_path):
    folder = tmp_path / "programmes"
    folder.mkdir()
    (folder / "bad.yaml").write_text(yaml.safe_dump({
        "title": "Bad", "programmes": [{
            "id": "x", "source": "pilot", "addresses": ["social"],
            "reference": {"en": "a", "id": "a"}, "title": {"en": "a", "id": "a"},
            "why": {"en": "a", "id": "a"}, "who": {"en": "a", "id": "a"},
            "what": [{"en": "a", "id": "a"}]}]}), encoding="utf-8")
    with pytest.raises(ParamsError) as err:
        programmes.load(folder)
    said = "\n".join(map(str, err.value.problems))
    assert "addresses" in said and "social_capital" in said and "constraint:social" in said


def test_every_shipped_programme_addresses_something_and_every_target_has_a_programme():
    lib = _library().values()
    assert all(p.addresses for p in lib)
    from cluster_reports.inputs.schema.library import ADDRESSABLE
    assert {a for p in lib for a in p.addresses} == set(ADDRESSABLE)


# --- Word ---

def test_the_word_profile_has_the_prices_table_findings_and_the_firm_list_annex(tmp_path, templates):
    item = params_io.load_file(KEBUMEN)
    outcome = render.render_cluster(item, ["profile"], ["en"], ["docx"], tmp_path, [], templates)
    assert outcome.error is None, outcome.error
    doc = docx.Document(str(tmp_path / "jawa-tengah" / "kebumen-roof-tile" / "profile.en.docx"))
    heads = [p.text for p in doc.paragraphs if p.style.name.startswith("Heading")]
    assert any(h.endswith("Prices and volumes") for h in heads)
    assert any(h.endswith("Findings and recommendations") for h in heads)
    assert heads[-1] == "Annex: list of firms"
    assert heads.index(next(h for h in heads if h.endswith("Prices and volumes"))) == \
        heads.index(next(h for h in heads if h.endswith("Markets and value chain"))) + 1
    assert heads.index(next(h for h in heads if h.endswith("Findings and recommendations"))) + 1 == \
        heads.index(next(h for h in heads if h.endswith("Data sources and provenance")))
    tables = {t.rows[0].cells[0].text: t for t in doc.tables}
    prices = next(t for t in doc.tables if t.rows[0].cells[-1].text == "Capacity use")
    assert [c.text for c in prices.rows[1].cells][-3:] == ["6,000,000 tiles per month",
                                                           "8,000,000 tiles per month", "75.0%"]
    firm_list = tables["No."]
    assert len(firm_list.rows) == 1 + len(item.params.firms.table)
    assert [c.text for c in firm_list.rows[1].cells][:4] == ["1", "Genteng Sokka Makmur", "62", "Medium"]
    assert "Finding" in tables


def test_the_parsed_sample_keeps_its_product_fields():
    params = ClusterParams.model_validate(yaml.safe_load(KEBUMEN.read_text(encoding="utf-8")))
    main = params.products[0]
    assert (main.price.amount, main.output.quantity, main.capacity.quantity, main.output.per) == \
        (550, 6_000_000, 8_000_000, "month")


def test_notebook_tables_give_the_prices_with_capacity_use_and_the_firm_list(templates):
    from cluster_reports.documents import profile

    item = params_io.load_file(KEBUMEN)
    labels = i18n.labels(templates, "en")
    ctx = profile.context(item.params, [summary.summarise(item)], labels, _library())
    tables = profile.tables(ctx, labels)
    first = tables["prices"].iloc[0]
    assert (first["Unit price"], first["Output"], first["Capacity"], first["Capacity use"]) == \
        (550, 6_000_000, 8_000_000, 75.0)
    assert len(tables["firm_list"]) == len(item.params.firms.table)
    assert tables["firm_list"].iloc[0]["Size class"] == "Medium"


def test_a_one_firm_list_is_written_for_one_firm(tmp_path):
    """No sorting, 'each' or '1 of the 1' for a firm table of one firm."""
    def one(data):
        data["firms"]["table"] = data["firms"]["table"][:1]
        data["firms"]["table"][0]["willing_to_improve"] = False
    item = _copy(tmp_path, KEBUMEN, one)
    en, id_ = " ".join(_lines(item, "en")), " ".join(_lines(item, "id"))
    assert ("The annex lists the only firm surveyed, with its size class and whether it is a growth "
            "seed.") in en
    assert ("The year the firm was established is recorded. Growth seeds are the firms willing to improve; "
            "this firm is not one yet.") in en
    assert "1 of the 1" not in en and "largest first" not in en
    assert "Benih pertumbuhan adalah unit usaha yang memiliki kemauan untuk maju; unit usaha ini belum " \
           "termasuk di dalamnya." in id_
    assert "dari 1 unit usaha" not in id_
