"""The monitoring report over a programme's life: an ex-post evaluation five years on, in a section of
its own; programme statuses with their reasons and notes; in-kind programmes; the count of programmes
per status in one true sentence. Read in the rendered HTML, as an official reader would."""

from __future__ import annotations

import csv
import dataclasses
import datetime as dt
import io
import re

import pytest
from checks import LEFTOVERS, html_text
from monlife_tree import copy_tree, edit, monitoring_file, with_ex_post

from cluster_reports import render, resources
from cluster_reports.compose import composer, templating
from cluster_reports.documents import i18n
from cluster_reports.domain import budget, indicators
from cluster_reports.inputs import params_io

LANGS = ("id", "en")
COVID = {"en": "Gatherings were banned under the COVID-19 restrictions",
         "id": "Pertemuan dilarang selama pembatasan COVID-19"}
COVID_NOTE = {"en": "Two meetings were held online before the ban",
              "id": "Dua pertemuan diadakan daring sebelum larangan"}
CLAY = {"en": "The partner institute has not yet tested the clay",
        "id": "Lembaga mitra belum menguji tanah liat"}
MERGED = {"en": "The two cooperatives merged, so revitalising each is moot",
          "id": "Kedua koperasi bergabung sehingga revitalisasi masing-masing tidak diperlukan lagi"}


def life(folder):
    """Statuses of a year that went wrong."""
    def statuses(d):
        by_id = {p["programme"]: p for p in d["programmes"]}
        by_id["social-capital-meetings"].update(status="suspended", done_pct=40, reason=COVID,
                                                note=COVID_NOTE)
        by_id["process-improvement"].update(status="delayed", reason=CLAY)
        by_id["cooperative-revitalisation"].update(status="cancelled", reason=MERGED)
    edit(monitoring_file(folder), statuses)
    return folder


@pytest.fixture(scope="module")
def pages(tmp_path_factory) -> dict[str, str]:
    tmp = tmp_path_factory.mktemp("life")
    folder = life(with_ex_post(copy_tree(tmp)))
    loaded = params_io.load_file(folder / "kebumen-roof-tile.yaml")
    templates = resources.templates()
    found = {}
    for lang in LANGS:
        doc = composer.compose(loaded, "monitoring", lang, [], templates)
        path = tmp / f"monitoring.{lang}.html"
        render.write(doc, path, "html", templates)
        found[lang] = html_text(path)[0]
        found[lang + "-html"] = path.read_text(encoding="utf-8")
    found["csv"] = (folder / "kebumen-roof-tile.monitoring-firms.csv").read_text(encoding="utf-8")
    return found


def section(html: str, heading_id: str) -> str:
    """The text of the HTML from a heading's id up to the next heading of the same level."""
    start = html.index(f'id="{heading_id}"')
    level = html[html.rindex("<h", 0, start) + 2]
    end = html.find(f"<h{level}", start)
    text = re.sub(r"<[^>]+>", " ", html[start: end if end > 0 else None])
    return " ".join(text.replace("&#x27;", "'").replace("&#39;", "'").split())


def test_the_ex_post_evaluation_has_its_own_section(pages):
    f = {lang: i18n.Formatter(lang) for lang in LANGS}
    en = section(pages["en-html"], "sec-evaluations")
    assert "Ex-post evaluation 2021" in en
    visit = f["en"].date(dt.date(2021, 3, 15))
    assert f"This ex-post evaluation was made on {visit}, after the plan year 2016 had ended." in en
    assert "At an evaluation, a firm's turnover is its sales over the twelve months before the visit." in en
    ind = section(pages["id-html"], "sec-evaluations")
    assert ("Evaluasi pascaproyek ini dilakukan pada 15 Maret 2021, setelah tahun rencana 2016 "
            "berakhir.") in ind
    assert "Pada evaluasi, omzet IKM adalah penjualannya selama dua belas bulan sebelum kunjungan." in ind
    # Against the plan's targets: consortium members 25 at the visit, 22 in Q4 2016, target 20 from 0.
    # (the last routine value's period is the last figure of its row in the indicator tables)
    assert "22 25 125%" in en and "22 25 125%" in ind
    # Against the last routine period: the two firms seen in Q4 2016 too, their Q4 sales times 366/92.
    rows = list(csv.DictReader(io.StringIO(pages["csv"])))
    q4 = sum(int(r["turnover"]) for r in rows
             if r["period"] == "q4" and r["firm"] in ("Genteng Sokka Makmur", "Genteng Sokka Mas"))
    scaled = round(q4 * 366 / 92)
    for lang, text in (("en", en), ("id", ind)):
        assert f[lang].rupiah(scaled) in text and f[lang].rupiah(5_100_000_000) in text
        assert f[lang].rupiah(5_190_000_000) in text  # three firms' annual turnover at the visit
    assert "Of them, 2 were also observed in Q4 2016, the last routine period before the visit" in en
    assert "Dari jumlah itu, 2 IKM juga diamati pada Triwulan IV 2016" in ind


def test_summary_and_indicator_tables_name_their_periods(pages):
    visit = i18n.Formatter("en").date(dt.date(2021, 3, 15))
    assert f"and on the ex-post evaluation of {visit}." in section(pages["en-html"], "sec-summary")
    assert "serta dari hasil evaluasi pascaproyek pada 15 Maret 2021." in pages["id"]
    goals_en = section(pages["en-html"], "sec-indicators-goals")
    goals_id = section(pages["id-html"], "sec-indicators-goals")
    # the achievement cell is the share alone: the period is the last column with a figure
    assert "22 110%" in goals_en and "22 110%" in goals_id
    assert "(Q4 2016)" not in goals_en and "(Triwulan IV 2016)" not in goals_id
    assert "Ex-post" not in goals_en and "pascaproyek" not in goals_id  # routine periods only


def test_statuses_reasons_and_notes_are_printed(pages):
    for lang in LANGS:
        table = section(pages[f"{lang}-html"], "sec-completion")
        for text in (COVID, COVID_NOTE, CLAY, MERGED):
            assert text[lang] in table, (lang, text[lang])
    en, ind = section(pages["en-html"], "sec-completion"), section(pages["id-html"], "sec-completion")
    assert "suspended" in en and "delayed" in en and "cancelled" in en
    assert "dihentikan sementara" in ind and "terlambat dari jadwal" in ind and "dibatalkan" in ind
    sentence_en = ("Of the 7 action programmes, 4 are finished, 1 is delayed, 1 is suspended and 1 has been "
                   "cancelled.")
    sentence_id = ("Dari 7 program aksi, 4 telah selesai, 1 terlambat dari jadwal, 1 dihentikan sementara, "
                   "dan 1 dibatalkan.")
    assert sentence_en in en and sentence_en in section(pages["en-html"], "sec-summary")
    assert sentence_id in ind and sentence_id in section(pages["id-html"], "sec-summary")
    assert "under way" not in sentence_en  # no programme is ongoing now, so that status is not named


def test_no_leftovers(pages):
    for lang in LANGS:
        assert not LEFTOVERS.search(pages[lang]), LEFTOVERS.search(pages[lang])


def markdown_text(templates, lang: str, ctx: dict) -> str:
    """The report's Markdown with its escapes undone and its whitespace flattened."""
    source = templating.render(templates, f"monitoring/{lang}.md.j2", lang, ctx)
    return " ".join(re.sub(r"\\(.)", r"\1", source).split())


# --- the count of programmes per status, sentence by sentence ------------------------------------------

@pytest.fixture(scope="module")
def base_context(tmp_path_factory):
    folder = copy_tree(tmp_path_factory.mktemp("counts"))
    loaded = params_io.load_file(folder / "kebumen-roof-tile.yaml")
    templates = resources.templates()
    return {lang: composer.make_context(loaded, "monitoring", [], i18n.labels(templates, lang))
            for lang in LANGS}, templates


@pytest.mark.parametrize(
    ("by_status", "en", "id_"),
    [
        ({"done": 1}, "The plan's only action programme is finished.",
         "Satu-satunya program aksi dalam rencana telah selesai."),
        ({"suspended": 1}, "The plan's only action programme is suspended.",
         "Satu-satunya program aksi dalam rencana dihentikan sementara."),
        ({"done": 2}, "Both action programmes are finished.", "Kedua program aksi telah selesai."),
        ({"done": 4}, "All 4 action programmes are finished.", "Seluruh 4 program aksi telah selesai."),
        ({"planned": 3}, "None of the 3 action programmes has started yet.",
         "Belum satu pun dari 3 program aksi yang dimulai."),
        ({"planned": 2}, "Neither action programme has started yet.", "Kedua program aksi belum dimulai."),
        ({"done": 12}, "All 12 action programmes are finished.",
         "Seluruh 12 program aksi telah selesai."),
        ({"done": 2, "ongoing": 1}, "Of the 3 action programmes, 2 are finished and 1 is under way.",
         "Dari 3 program aksi, 2 telah selesai dan 1 sedang berjalan."),
        ({"done": 1, "suspended": 1, "cancelled": 2},
         "Of the 4 action programmes, 1 is finished, 1 is suspended and 2 have been cancelled.",
         "Dari 4 program aksi, 1 telah selesai, 1 dihentikan sementara, dan 2 dibatalkan."),
        ({"ongoing": 2, "not-reported": 1},
         "Of the 3 action programmes, 2 are under way and 1 has not been reported on.",
         "Dari 3 program aksi, 2 sedang berjalan dan 1 belum dilaporkan kemajuannya."),
    ],
)
def test_each_status_count_sentence(base_context, by_status, en, id_):
    contexts, templates = base_context
    for lang, expected in (("en", en), ("id", id_)):
        ctx = dict(contexts[lang], year_over=False)  # a report in the course of the year
        ctx["completion"] = dataclasses.replace(ctx["completion"], by_status=by_status,
                                                count=sum(by_status.values()))
        text = markdown_text(templates, lang, ctx)
        assert text.count(expected) == 2, (lang, expected)  # in the summary and in the completion section


def test_an_in_kind_programme_is_worded_as_such(base_context, tmp_path):
    """A plan programme without a budget in Rupiah (in kind): no Rp 0, no percentage of nothing."""
    contexts, templates = base_context
    loaded = params_io.load_file(copy_tree(tmp_path) / "kebumen-roof-tile.yaml")
    resolved = [dataclasses.replace(p, total=0, lines=[]) if p.id == "business-planning" else p
                for p in budget.resolve_plan(loaded.plan, loaded.library)]
    completion = indicators.completion(resolved, loaded.monitoring)
    row = next(r for r in completion.rows if r.id == "business-planning")
    assert row.in_kind and row.spent_pct is None and completion.in_kind == 1
    expected = {"en": ("In kind", "One programme has no budget in Rupiah, being contributed in kind"),
                "id": ("Kontribusi nontunai", "Satu program tidak dianggarkan dalam rupiah karena "
                       "dilaksanakan dengan kontribusi nontunai.")}
    for lang in LANGS:
        ctx = dict(contexts[lang], completion=completion)
        text = markdown_text(templates, lang, ctx)
        title = row.title.get(lang)
        cells = text[text.index(f"| {title} |"):].split(" | ")[:8]
        assert cells[4] == expected[lang][0], cells  # the planned budget
        assert cells[6] == "-", cells  # no share spent of nothing
        assert expected[lang][1] in text


def test_a_year_whose_routine_records_stop_midway_is_not_worded_as_finished(tmp_path):
    """Routine monitoring stopped after Q2 and the ex-post visit came in 2021: the plan year is long
    over, but its figures are not complete, so the report keeps the wording of a year in course."""
    folder = with_ex_post(copy_tree(tmp_path))

    def stop_after_q2(d):
        d["periods"] = [p for p in d["periods"] if p["id"] not in ("q3", "q4")]
        for item in d["indicators"]:
            item["actuals"] = {k: v for k, v in item["actuals"].items() if k not in ("q3", "q4")}
        d["indicators"] = [i for i in d["indicators"] if i["actuals"]]
    edit(monitoring_file(folder), stop_after_q2)
    csv_file = folder / "kebumen-roof-tile.monitoring-firms.csv"
    kept = [line for line in csv_file.read_text(encoding="utf-8").splitlines()
            if line.split(",")[1:2] not in (["q3"], ["q4"])]
    csv_file.write_text("\n".join(kept) + "\n", encoding="utf-8")
    loaded = params_io.load_file(folder / "kebumen-roof-tile.yaml")
    templates = resources.templates()
    en = html_text_of(composer.compose(loaded, "monitoring", "en", [], templates), tmp_path / "en.html")
    assert "has been spent" in en and "was spent in the plan year" not in en
    assert "were measured in the plan year" not in en


def html_text_of(document, path) -> str:
    render.write(document, path, "html", resources.templates())
    return html_text(path)[0]
