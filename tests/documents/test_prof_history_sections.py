"""The profile's chapters on the cluster's history and its production process (issue 13), read as a
reader gets them in both languages: their place among the numbered chapters, the founding years
summarised from the firm table, the milestones, past support and production steps of the sample, the
"not recorded" sentences of a cluster without the data, a Word file read back through python-docx,
and the params checks of the new fields."""

from __future__ import annotations

from pathlib import Path

import docx
import pytest
import yaml
from checks import tree_lines
from conftest import SAMPLE

from cluster_reports import render
from cluster_reports.compose import composer
from cluster_reports.compose.tree import Heading, heading_text
from cluster_reports.documents import i18n
from cluster_reports.domain import shares, summary
from cluster_reports.inputs import params_io

LANGS = ("en", "id")


def _compose(item: params_io.LoadedParams, lang: str, templates: Path):
    return composer.compose(item, "profile", lang, [summary.summarise(item)], templates)


def _words(document) -> str:
    return "\n".join(" ".join(line.split()) for line in tree_lines(document, cover=False))


def _headings(document) -> list[str]:
    return [heading_text(n) for n in document.nodes if isinstance(n, Heading)]


def _variant(tmp_path: Path, cluster: str, edit) -> params_io.LoadedParams:
    """A sample cluster's params file alone (no sidecars), changed by ``edit(data)``."""
    source = next(SAMPLE.glob(f"*/{cluster}.yaml"))
    folder = tmp_path / "clusters" / source.parent.name
    folder.mkdir(parents=True)
    data = yaml.safe_load(source.read_text(encoding="utf-8"))
    edit(data)
    (folder / source.name).write_text(yaml.safe_dump(data, allow_unicode=True, sort_keys=False),
                                      encoding="utf-8")
    loaded, problems = params_io.load_many([tmp_path / "clusters"])
    assert not problems, "\n".join(map(str, problems))
    return loaded[0]


def _problems(tmp_path: Path, cluster: str, edit) -> str:
    source = next(SAMPLE.glob(f"*/{cluster}.yaml"))
    folder = tmp_path / "bad" / source.parent.name
    folder.mkdir(parents=True)
    data = yaml.safe_load(source.read_text(encoding="utf-8"))
    edit(data)
    (folder / source.name).write_text(yaml.safe_dump(data, allow_unicode=True, sort_keys=False),
                                      encoding="utf-8")
    loaded, problems = params_io.load_many([tmp_path / "bad"])
    assert not loaded
    return "\n".join(str(p) for p in problems if p.severity == "error")


@pytest.fixture(scope="module")
def kebumen(sample_by_id, templates) -> dict[str, object]:
    item = sample_by_id["kebumen-roof-tile"]
    return {lang: _compose(item, lang, templates) for lang in LANGS}


@pytest.mark.parametrize("lang", LANGS)
def test_the_two_chapters_are_numbered_in_their_places(kebumen, lang):
    heads = [h.split(" ", 1) for h in _headings(kebumen[lang]) if h[:1].isdigit()]
    names = [name for _, name in heads]
    t = {"en": ("Basic data", "History of the cluster", "Firms by size class",
                "Products and raw materials", "Production process", "Markets and value chain"),
         "id": ("Data Pokok", "Sejarah Sentra", "Unit Usaha menurut Skala",
                "Produk dan Bahan Baku", "Proses Produksi", "Pasar dan Rantai Nilai")}[lang]
    basic, history, firms_, products, process, markets = (names.index(n) for n in t)
    assert basic < history < firms_ and products < process < markets
    assert history == basic + 1, "history follows the basic data directly"
    # Numbered as the chapters around them: one more than the chapter before.
    assert int(heads[history][0]) == int(heads[basic][0]) + 1
    assert int(heads[process][0]) == int(heads[products][0]) + 1


def _founding_expected(params) -> dict:
    years = sorted(f.established for f in params.firms.table if f.established is not None)
    decades = sorted({y - y % 10 for y in years})
    decades = list(range(decades[0], decades[-1] + 10, 10))
    counts = [sum(1 for y in years if y - y % 10 == d) for d in decades]
    return {"years": years, "decades": decades, "counts": counts, "shares": shares.shares(counts)}


def test_founding_years_are_summarised_from_the_firm_table(kebumen, sample_by_id):
    params = sample_by_id["kebumen-roof-tile"].params
    e = _founding_expected(params)
    years, n = e["years"], len(params.firms.table)
    oldest = [f.name for f in params.firms.table if f.established == years[0]]
    assert len(years) == n == 38 and len(oldest) == 1
    half = years[(len(years) - 1) // 2]
    assert sum(1 for y in years if y <= half) >= len(years) / 2  # "half ... or earlier" is true
    en, id_ = _words(kebumen["en"]), _words(kebumen["id"])
    assert (f"The founding year is recorded for all {n} firms surveyed. The oldest, {oldest[0]}, was "
            f"established in {years[0]}, and the youngest in {years[-1]}. Half of them were "
            f"established in {half} or earlier.") in en
    assert (f"Tahun pendirian tercatat untuk seluruh {n} IKM yang disurvei. IKM tertua, {oldest[0]}, "
            f"didirikan pada tahun {years[0]}, dan yang termuda pada tahun {years[-1]}. Separuh dari "
            f"IKM tersebut didirikan pada tahun {half} atau sebelumnya.") in id_
    for lang, text in (("en", en), ("id", id_)):
        f = i18n.Formatter(lang)
        for first, count, share in zip(e["decades"], e["counts"], e["shares"], strict=True):
            # the last decade ends with the report's reference year (or the latest founding after it)
            end = max(years[-1], params.reference_year)
            last = first + 9 if first != e["decades"][-1] else min(first + 9, end)
            assert f"{first}–{last} | {f.number(count)} | {f.percent(share)}" in text, (lang, first)
        total = "Total" if lang == "en" else "Jumlah"
        assert f"{total} | {len(years)} | {f.percent(100)}" in text
    assert "1990–1999 | 21 | 55.3%" in en and "1990–1999 | 21 | 55,3%" in id_


def test_history_tables_and_sentences_of_the_sample(sample_by_id, templates):
    item = sample_by_id["serenan-klaten-wood-furniture"]
    en, id_ = (_words(_compose(item, lang, templates)) for lang in LANGS)
    assert "The cluster began in 1975, 28 years before the reference year of this report." in en
    assert "Sentra ini bermula pada tahun 1975, 28 tahun sebelum tahun acuan laporan ini." in id_
    # The summary states the age in one sentence, from the same field.
    assert en.split("\n")[0].count("The cluster began in 1975.") == 1
    assert id_.split("\n")[0].count("Sentra ini bermula pada tahun 1975.") == 1
    assert ("The table lists the 5 milestones of the cluster that are recorded, from 1988 to 2003."
            in en)
    assert ("Tabel menyajikan 5 tonggak sejarah sentra yang tercatat, dari tahun 1988 sampai tahun "
            "2003.") in id_
    assert "1996 | The furniture makers found Koperasi Mebel Serenan." in en
    assert "1996 | Para perajin mebel mendirikan Koperasi Mebel Serenan." in id_
    # A programme without its result says so in the table and in the text, in words.
    assert ("1991–1995 | Training in woodworking and carving | Departemen Perindustrian dan "
            "Perdagangan (Deperindag) | not recorded") in en
    assert ("1991–1995 | Pelatihan pertukangan kayu dan ukir | Departemen Perindustrian dan "
            "Perdagangan (Deperindag) | tidak tercatat") in id_
    assert "The result of 1 programme is not recorded." in en
    assert "Hasil 1 program tidak tercatat." in id_
    assert "2002–2003 | JICA pilot project:" in en and "2002–2003 | Proyek percontohan JICA:" in id_
    # Illustrative history is marked so, and its row is in the data-sources table.
    assert "History of the cluster | Illustrative value (not survey data)" in en
    assert "Sejarah sentra | Nilai ilustratif (bukan data survei)" in id_


def test_production_steps_name_the_constraints_that_bite(sample_by_id, templates):
    item = sample_by_id["waru-sidoarjo-metalwork"]
    p = item.params
    docs = {lang: _words(_compose(item, lang, templates)) for lang in LANGS}
    assert ("The production process runs through 5 steps, from order intake and measuring to "
            "inspection and delivery.") in docs["en"]
    assert ("Recorded constraints apply at 3 of the 5 steps: order intake and measuring; machining, welding "
            "and casting; and inspection and delivery. Of the 7 constraints recorded, 3 are tied to "
            "a step") in docs["en"]
    assert ("Kendala dihadapi pada 3 dari 5 tahap, yaitu penerimaan pesanan dan pengukuran; "
            "pemesinan, pengelasan, dan pengecoran; dan pemeriksaan dan pengiriman.") in docs["id"]
    assert "Sebanyak 3 dari 7 kendala yang tercatat terkait dengan tahap tertentu" in docs["id"]
    for lang, text in docs.items():
        rows = [line for line in text.split("\n") if line.startswith(("1. ", "2. ", "3. ", "4. ", "5. "))]
        for n, step in enumerate(p.production_process, start=1):
            row = next(r for r in rows if r.startswith(f"{n}. "))
            for ref in step.constraints:
                assert " ".join(p.constraints[ref].text.get(lang).split()) in row, (lang, n, ref)
            if step.value_added is None:
                assert row.split(" | ")[2] == "-", (lang, row)


def test_a_cluster_without_the_data_says_it_is_not_recorded(sample_by_id, templates):
    item = sample_by_id["tegal-metalwork"]  # no history, no steps, no firm table
    assert item.params.history is None and not item.params.production_process
    en, id_ = (_compose(item, lang, templates) for lang in LANGS)
    en_words, id_words = _words(en), _words(id_)
    assert "The history of the cluster is not recorded." in en_words
    assert ("The founding years of the cluster's firms are not recorded, as no firm-by-firm data "
            "are available.") in en_words
    assert "The production process of the cluster is not recorded." in en_words
    assert "Sejarah sentra tidak tercatat." in id_words
    assert ("Tahun pendirian IKM di sentra tidak tercatat karena data per unit usaha tidak "
            "tersedia.") in id_words
    assert "Proses produksi sentra tidak tercatat." in id_words
    assert "began in" not in en_words and "bermula pada" not in id_words
    assert "History of the cluster" in " ".join(_headings(en))
    assert "Proses Produksi" in " ".join(_headings(id_))
    for text in (en_words, id_words):
        assert "None" not in text and "Decade |" not in text and "Dasawarsa |" not in text


def test_founding_years_partly_recorded_tied_or_of_one_firm(tmp_path, templates):
    def partly(data):
        data.pop("history")
        data["provenance"] = [e for e in data["provenance"] if not e["field"].startswith("history")]
        for firm in data["firms"]["table"][:8]:
            firm.pop("established")
        for firm in data["firms"]["table"][8:10]:
            firm["established"] = 1960  # two oldest firms, tied
    item = _variant(tmp_path / "a", "kebumen-roof-tile", partly)
    en, id_ = (_words(_compose(item, lang, templates)) for lang in LANGS)
    names = [f.name for f in item.params.firms.table[8:10]]
    assert "The history of the cluster is not recorded." in en
    assert "The founding year is recorded for 30 of the 38 firms surveyed." in en
    assert f"The oldest, {names[0]} and {names[1]}, were established in 1960, and the youngest in 2003." in en
    assert "Tahun pendirian tercatat untuk 30 dari 38 IKM yang disurvei." in id_
    assert f"IKM tertua, {names[0]} dan {names[1]}, didirikan pada tahun 1960" in id_
    assert "1950–1959" not in en and "1960–1969 | 2 |" in en  # the table starts at the first decade

    def one(data):
        data["firms"]["table"] = data["firms"]["table"][:1]
    item = _variant(tmp_path / "b", "kebumen-roof-tile", one)
    first = item.params.firms.table[0]
    en, id_ = (_words(_compose(item, lang, templates)) for lang in LANGS)
    assert f"The only firm surveyed was established in {first.established}." in en
    assert f"Satu-satunya IKM yang disurvei didirikan pada tahun {first.established}." in id_
    assert "Decade | Firms" not in en and "Dasawarsa |" not in id_

    def none(data):
        data.pop("production_process")
        data["provenance"] = [e for e in data["provenance"] if e["field"] != "production_process"]
        for firm in data["firms"]["table"]:
            firm.pop("established")
    item = _variant(tmp_path / "c", "kebumen-roof-tile", none)
    en, id_ = (_words(_compose(item, lang, templates)) for lang in LANGS)
    assert "The founding years of the 38 firms surveyed are not recorded." in en
    assert "Tahun pendirian 38 IKM yang disurvei tidak tercatat." in id_
    assert "The production process of the cluster is not recorded." in en


def test_the_word_file_has_the_chapters_and_tables(sample_by_id, templates, tmp_path):
    item = sample_by_id["kebumen-roof-tile"]
    path = tmp_path / "profile.en.docx"
    render.write(_compose(item, "en", templates), path, "docx", templates)
    document = docx.Document(str(path))
    headings = [p.text for p in document.paragraphs if p.style.name.startswith("Heading")]
    assert any(h.endswith("History of the cluster") for h in headings), headings
    assert any(h.endswith("Production process") for h in headings), headings
    rows = {tuple(c.text for c in row.cells) for table in document.tables for row in table.rows}
    assert ("1990–1999", "21", "55.3%") in rows
    assert ("2003", "The two cooperatives form the Konsorsium Genteng Sokka Kebumen for joint "
            "marketing, clay supply and a common facility.") in rows
    assert ("Step", "Work done", "Value added", "Constraints at this step") in rows
    step = next(r for r in rows if r[0] == "5. Firing")
    assert step[3] == "Technology: Traditional wood-fired kilns heat unevenly and use much fuel."
    text = " ".join(p.text for p in document.paragraphs)
    assert "Half of them were established in 1993 or earlier." in text


@pytest.mark.parametrize(("edit", "expected"), [
    (lambda d: d["history"]["milestones"][0].update(year=1700),
     "history.milestones[0].year"),
    (lambda d: d["history"].update(begun={"year": 1950}),
     "history.begun: unknown key"),
    (lambda d: d["history"]["milestones"].reverse(),
     "milestones are not in chronological order"),
    (lambda d: d["history"]["support"][0].update(end=1980),
     "support programme ends (1980) before it starts (1990)"),
    (lambda d: d["production_process"][0].update(constraints=[9]),
     "names constraint 9, but the cluster lists 7 constraints (positions 0 to 6)"),
    (lambda d: d["production_process"][0].update(stage="x"),
     "production_process[0].stage: unknown key"),
    (lambda d: d.update(provenance=[e for e in d["provenance"] if not e["field"].startswith("history")]),
     "does not say where these come from: history"),
])
def test_the_new_fields_are_validated(tmp_path, edit, expected):
    problems = _problems(tmp_path, "kebumen-roof-tile", edit)
    assert expected in problems, problems


def test_a_history_without_content_is_refused(tmp_path):
    problems = _problems(tmp_path, "kebumen-roof-tile", lambda d: d.update(history={}))
    assert "give 'began', 'milestones' or 'support', or leave 'history' out" in problems

