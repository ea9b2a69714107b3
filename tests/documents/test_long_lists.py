"""Lists that grow with the cluster: a 2,000-firm cluster's profile names a few of its willing firms
and counts the rest, its monitoring report does the same with its success cases, and the full lists
sit in an annex at the end; short lists stay where they were; the guideline's firm form has a page of
named rows and blank ones."""

from __future__ import annotations

import csv
import html
import re
import shutil
from pathlib import Path

import pytest
import yaml
from conftest import SAMPLE

from cluster_reports import render
from cluster_reports.documents import channels, guideline, i18n, long_lists
from cluster_reports.domain import indicators
from cluster_reports.inputs import params_io

PILOT = SAMPLE / "jawa-tengah"
KEBUMEN = "kebumen-roof-tile"
FIRMS = 2000
SUPPORTED = 300


def big_cluster(folder: Path) -> Path:
    """The Kebumen sample grown to a whole-sentra table of 2,000 firms, 300 of its willing firms
    followed through the plan year and two in five of those reaching the goal in the last quarter."""
    folder.mkdir(parents=True)
    data = yaml.safe_load((PILOT / f"{KEBUMEN}.yaml").read_text(encoding="utf-8"))
    table = []
    for i in range(FIRMS):
        workers = 1 + (i * 7) % 30
        table.append({"name": f"UD Genteng Sokka {i + 1:04d}", "workers": workers,
                      "annual_sales": 30_000_000 * workers, "willing_to_improve": i % 3 == 0})
    data["firms"] = {"table": table, "cooperative": data["firms"]["cooperative"]}
    data.pop("workers"), data.pop("annual_sales")
    (folder / f"{KEBUMEN}.yaml").write_text(yaml.safe_dump(data, allow_unicode=True, sort_keys=False),
                                            encoding="utf-8")
    for kind in ("plan", "strategy", "monitoring"):
        shutil.copy(PILOT / f"{KEBUMEN}.{kind}.yaml", folder)
    with open(folder / f"{KEBUMEN}.monitoring-firms.csv", "w", newline="", encoding="utf-8") as fh:
        rows = csv.writer(fh)
        rows.writerow(["firm", "period", "turnover", "channel", "reached_goal"])
        for n, firm in enumerate([f for f in table if f["willing_to_improve"]][:SUPPORTED]):
            for q in ("q1", "q2", "q3", "q4"):
                goal = q == "q4" and n % 5 < 2
                rows.writerow([firm["name"], q, firm["annual_sales"] // 4, "cooperative",
                               "yes" if goal else "no"])
    return folder / f"{KEBUMEN}.yaml"


def section(source: str, sec: str) -> str:
    """The HTML of one top-level section, from its heading to the next."""
    start = source.index(f'id="sec-{sec}"')
    end = source.find('<h2 id="sec-', start + 1)
    return source[start:end if end > 0 else None]


def text(fragment: str) -> str:
    fragment = re.sub(r"<(script|style)\b[^>]*>.*?</\1>", " ", fragment, flags=re.S)
    return " ".join(html.unescape(re.sub(r"<[^>]+>", " ", fragment)).split())


def prose(fragment: str) -> str:
    """The section's text without its tables: what a reader reads as sentences."""
    return text(re.sub(r"<table\b.*?</table>", " ", fragment, flags=re.S))


def first_cells(source: str, table_id: str) -> list[str]:
    """The first cell of each body row of a table."""
    table = re.search(rf'<table id="{table_id}">(.*?)</table>', source, flags=re.S).group(1)
    body = table.split("</thead>", 1)[-1]
    return [text(re.search(r"<t[hd][^>]*>(.*?)</t[hd]>", row, flags=re.S).group(1))
            for row in re.findall(r"<tr[^>]*>(.*?)</tr>", body, flags=re.S)]


@pytest.fixture(scope="module")
def big(tmp_path_factory, templates) -> tuple[params_io.LoadedParams, dict[str, str]]:
    root = tmp_path_factory.mktemp("big")
    loaded = params_io.load_file(big_cluster(root / "params" / "jawa-tengah"))
    out = root / "out"
    kinds = ["profile", "strategy", "monitoring", "guideline"]
    outcome = render.render_cluster(loaded, kinds, ["en", "id"], ["html"], out, [], templates)
    assert outcome.error is None, outcome.error
    folder = out / "jawa-tengah" / KEBUMEN
    return loaded, {f"{kind}.{lang}": (folder / f"{kind}.{lang}.html").read_text(encoding="utf-8")
                    for kind in kinds for lang in ("en", "id")}


@pytest.fixture(scope="module")
def pilot(sample_by_id, tmp_path_factory, templates) -> dict[str, str]:
    out = tmp_path_factory.mktemp("pilot")
    kinds = ["profile", "strategy", "monitoring", "guideline"]
    outcome = render.render_cluster(sample_by_id[KEBUMEN], kinds, ["en"], ["html"], out, [], templates)
    assert outcome.error is None, outcome.error
    folder = out / "jawa-tengah" / KEBUMEN
    return {kind: (folder / f"{kind}.en.html").read_text(encoding="utf-8") for kind in kinds}


def test_a_long_list_is_named_by_its_first_five_and_counted(templates):
    en, id_ = i18n.labels(templates, "en"), i18n.labels(templates, "id")
    names = [f"F{n}" for n in range(1, 1001)]
    assert long_lists.named(names, en) == "F1, F2, F3, F4, F5 and 995 others"
    assert long_lists.named(names, id_) == "F1, F2, F3, F4, F5, dan 995 lainnya"
    twelve = names[:long_lists.LONG]
    assert long_lists.named(twelve, en) == ", ".join(twelve[:-1]) + " and F12"
    assert channels.enumerate_(names[:3], en, shown=2) == "F1, F2 and one other"
    assert channels.enumerate_(names[:3], id_) == "F1, F2, dan F3"


def marked_rows(source: str, table_id: str, column: int) -> list[str]:
    """The firm (second cell) of each body row of a table whose ``column`` cell is not '-'."""
    table = re.search(rf'<table id="{table_id}">(.*?)</table>', source, flags=re.S).group(1)
    body = table.split("</thead>", 1)[-1]
    rows = [[text(c) for c in re.findall(r"<t[hd][^>]*>(.*?)</t[hd]>", row, flags=re.S)]
            for row in re.findall(r"<tr[^>]*>(.*?)</tr>", body, flags=re.S)]
    return [r[1] for r in rows if r[column] != "-"]


def test_profile_names_five_willing_firms_and_the_firm_list_annex_marks_all(big):
    """The long list of growth seeds is read in the annex's list of firms, which marks every one of
    them: no second annex repeats those firms."""
    loaded, pages = big
    willing = [f.name for f in loaded.params.firms.table if f.willing_to_improve]
    assert len(willing) == 667
    for lang, others in (("en", "and 662 others; the list of firms in the annex marks all of them"),
                         ("id", "dan 662 lainnya; daftar IKM dalam lampiran menandai semuanya")):
        page = pages[f"profile.{lang}"]
        seeds = section(page, "growth-seeds")
        assert "<table" not in seeds
        said = prose(seeds)
        named = [n for n in willing if n in said]
        assert named == willing[:5], named
        assert others in said
        assert 'id="sec-annex-growth-seeds"' not in page and 'id="tbl-growth-seeds"' not in page
        annex = section(page, "annex-firm-list")
        assert len(first_cells(annex, "tbl-firm-list")) == FIRMS
        assert sorted(marked_rows(annex, "tbl-firm-list", 7)) == sorted(willing)
        # Nowhere before the annex does the document name a sixth willing firm.
        assert willing[5] not in text(page[:page.index('id="sec-annex-firm-list"')])


def test_monitoring_names_five_success_cases_and_the_annex_lists_them_and_every_supported_firm(big):
    loaded, pages = big
    cases = [c.firm for c in indicators.success_cases(loaded.plan, loaded.monitoring,
                                                      indicators.baseline_sales(loaded.params))]
    supported = indicators.supported_firms(loaded.monitoring)
    assert (len(cases), len(supported)) == (120, SUPPORTED)
    for lang, others in (("en", "and 115 others. The annex lists all of them"),
                         ("id", "dan 115 lainnya. Lampiran memuat seluruhnya")):
        page = pages[f"monitoring.{lang}"]
        said = text(section(page, "success"))
        assert [n for n in cases if n in said] == cases[:5]
        assert others in said
        assert 'id="tbl-success"' not in section(page, "success")
        assert 'id="tbl-supported"' not in section(page, "firms")
        annex = section(page, "annex-firms")
        assert first_cells(annex, "tbl-success") == cases
        assert first_cells(annex, "tbl-supported") == supported
        summary = text(section(page, "summary"))
        assert not [n for n in supported if n in summary]


def test_strategy_names_five_beneficiaries_and_the_annex_lists_all(big):
    loaded, pages = big
    willing = sorted((f for f in loaded.params.firms.table if f.willing_to_improve),
                     key=lambda f: (-f.annual_sales, f.name))
    names = [f.name for f in willing]
    for lang, others in (("en", "and 662 others; the annex lists all of them"),
                         ("id", "dan 662 lainnya; lampiran dokumen ini memuat daftar lengkapnya")):
        page = pages[f"strategy.{lang}"]
        part = section(page, "beneficiaries")
        assert "<table" not in part
        said = prose(part)
        assert [n for n in names if n in said] == names[:5] and others in said
        assert first_cells(section(page, "annex-beneficiaries"), "tbl-beneficiaries")[:-1] == names


def test_guideline_form_names_a_page_of_firms_and_says_how_many_more(big):
    loaded, pages = big
    willing = [f.name for f in loaded.params.firms.table if f.willing_to_improve]
    for lang in ("en", "id"):
        rows = first_cells(pages[f"guideline.{lang}"], "tbl-progress-firms")
        assert rows[:guideline.FORM_FIRMS] == willing[:guideline.FORM_FIRMS]
        assert rows[guideline.FORM_FIRMS:] == [guideline.LONG_BLANK] * guideline.FORM_BLANK
    said = text(section(pages["guideline.en"], "progress"))
    assert "Part 4 names the first 20 of the 667 potentially viable firms of the cluster" in said
    assert "For the other 647, copy the page" in said
    assert "Bagian 4 memuat 20 IKM pertama dari 667 IKM" in text(section(pages["guideline.id"], "progress"))


def test_short_lists_stay_in_their_sections(pilot, sample_by_id):
    loaded = sample_by_id[KEBUMEN]
    willing = [f.name for f in loaded.params.firms.table if f.willing_to_improve]
    assert len(willing) <= long_lists.LONG
    assert first_cells(section(pilot["profile"], "growth-seeds"), "tbl-growth-seeds") == willing
    # The profile's one annex is its list of firms (every profile with a firm table has it).
    assert not [kind for kind, page in pilot.items()
                if 'id="sec-annex' in page.replace('id="sec-annex-firm-list"', "")]
    assert 'id="tbl-beneficiaries"' in section(pilot["strategy"], "beneficiaries")
    cases = [c.firm for c in indicators.success_cases(loaded.plan, loaded.monitoring,
                                                      indicators.baseline_sales(loaded.params))]
    said = text(section(pilot["monitoring"], "success"))
    assert all(n in said for n in cases) and "others" not in said
    supported = indicators.supported_firms(loaded.monitoring)
    assert first_cells(section(pilot["monitoring"], "firms"), "tbl-supported") == supported
    # The form names every willing firm and leaves three rows for firms that join during the year.
    assert first_cells(pilot["guideline"], "tbl-progress-firms") == willing + [guideline.LONG_BLANK] * 3
