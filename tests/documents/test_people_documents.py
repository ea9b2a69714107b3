"""Women-led firms and women workers in the profile and the monitoring report: shown where the params
give them (a sentence, a table row or column), with how many firms they are known for where only some
record them, and absent, without a word about it, where none do."""

from __future__ import annotations

import html
import re
import shutil
from pathlib import Path

import yaml
from conftest import SAMPLE

from cluster_reports import render
from cluster_reports.inputs import params_io

PILOT = SAMPLE / "jawa-tengah"
KEBUMEN = "kebumen-roof-tile"  # by_size counts (264 firms) and a table of the 38 firms surveyed
TEGAL = SAMPLE / "jawa-tengah" / "tegal-metalwork.yaml"  # counts only: 227 firms, 1,640 workers
WORDS = re.compile(r"women|perempuan", re.I)


def text_of(page: Path) -> str:
    source = re.sub(r"<(script|style)\b[^>]*>.*?</\1>", " ", page.read_text(encoding="utf-8"), flags=re.S)
    return " ".join(html.unescape(re.sub(r"<[^>]+>", " ", source)).split())


def section(page: Path, sec: str) -> str:
    """The reader's text of one top-level section (from its heading to the next one)."""
    source = page.read_text(encoding="utf-8")
    start = source.index(f'id="sec-{sec}"')
    end = source.find('<h2 id="sec-', start + 1)
    return text_of_html(source[start:end if end > 0 else None])


def text_of_html(fragment: str) -> str:
    return " ".join(html.unescape(re.sub(r"<[^>]+>", " ", fragment.split(">", 1)[1])).split())


def table_rows(page: Path, table_id: str) -> list[list[str]]:
    source = page.read_text(encoding="utf-8")
    table = re.search(rf'<table id="{table_id}">(.*?)</table>', source, flags=re.S).group(1)
    return [[" ".join(html.unescape(re.sub(r"<[^>]+>", " ", c)).split())
             for c in re.findall(r"<t[hd][^>]*>(.*?)</t[hd]>", row, flags=re.S)]
            for row in re.findall(r"<tr[^>]*>(.*?)</tr>", table, flags=re.S)]


def kebumen_with(tmp_path: Path, change) -> params_io.LoadedParams:
    folder = tmp_path / "params" / "jawa-tengah"
    folder.mkdir(parents=True)
    for side in PILOT.glob(f"{KEBUMEN}.*"):
        shutil.copy(side, folder)
    data = yaml.safe_load((PILOT / f"{KEBUMEN}.yaml").read_text(encoding="utf-8"))
    change(data)
    (folder / f"{KEBUMEN}.yaml").write_text(yaml.safe_dump(data, allow_unicode=True, sort_keys=False),
                                            encoding="utf-8")
    return params_io.load_file(folder / f"{KEBUMEN}.yaml")


def rendered(loaded: params_io.LoadedParams, kinds: list[str], out: Path, templates: Path) -> Path:
    outcome = render.render_cluster(loaded, kinds, ["en", "id"], ["html"], out, [], templates)
    assert outcome.error is None, outcome.error
    return out / loaded.params.location.province_record.slug / loaded.params.id


# Of the surveyed table: women-led for every third firm; women workers a third of each firm's.
def every_firm(data: dict) -> None:
    for n, firm in enumerate(data["firms"]["table"]):
        firm.update(women_led=n % 3 == 0, women_workers=firm["workers"] // 3)


def every_other_firm(data: dict) -> None:
    for n, firm in enumerate(data["firms"]["table"]):
        if n % 2 == 0:
            firm.update(women_led=n % 4 == 0, women_workers=firm["workers"] // 3)


def test_without_the_figures_neither_document_says_a_word_of_them(sample_by_id, tmp_path, templates):
    folder = rendered(sample_by_id[KEBUMEN], ["profile", "monitoring"], tmp_path, templates)
    for kind in ("profile", "monitoring"):
        for lang in ("en", "id"):
            page = folder / f"{kind}.{lang}.html"
            assert not WORDS.search(text_of(page)), (kind, lang, WORDS.findall(text_of(page)))
            assert 'id="tbl-success-women"' not in page.read_text(encoding="utf-8")


def test_profile_gives_the_surveyed_firms_figures_in_text_and_table(tmp_path, templates):
    loaded = kebumen_with(tmp_path, every_firm)
    table = loaded.params.firms.table
    led = sum(1 for f in table if f.women_led)
    women = sum(f.women_workers for f in table)
    workers = sum(f.workers for f in table)
    folder = rendered(loaded, ["profile"], tmp_path / "out", templates)
    en, id_ = folder / "profile.en.html", folder / "profile.id.html"
    share = f"{100 * led / 38:.1f}"
    assert f"Of the 38 firms surveyed, {led} are women-led firms ({share}%)." in section(en, "firms")
    assert (f"Dari 38 unit usaha yang disurvei, {led} unit usaha ({share.replace('.', ',')}%) merupakan "
            "IKM yang dipimpin perempuan.") in section(id_, "firms")
    worker_share = f"{100 * women / workers:.1f}"
    assert (f"The firms surveyed employ {women} women workers, {worker_share}% of their {workers} "
            "workers.") in section(en, "firms")
    assert f"mempekerjakan {women} tenaga kerja perempuan" in section(id_, "firms")
    # A sample's figures are not the sentra's: the basic-data table (the whole sentra) leaves them out.
    assert not WORDS.search(" ".join(" ".join(r) for r in table_rows(en, "tbl-basic-data")))
    # The growth seeds' table gains a column, filled for each willing firm.
    seeds = table_rows(en, "tbl-growth-seeds")
    assert seeds[0][-1] == "Women-led"
    willing = [f for f in table if f.willing_to_improve]
    assert [r[-1] for r in seeds[1:]] == ["yes" if f.women_led else "no" for f in willing]
    assert table_rows(id_, "tbl-growth-seeds")[0][-1] == "Dipimpin perempuan"
    seeds_led = sum(1 for f in willing if f.women_led)
    assert f"Of the willing firms, {seeds_led} are women-led firms." in section(en, "growth-seeds")


def test_profile_says_for_how_many_firms_it_is_known(tmp_path, templates):
    loaded = kebumen_with(tmp_path, every_other_firm)
    table = loaded.params.firms.table
    known = [f for f in table if f.women_led is not None]
    led = sum(1 for f in known if f.women_led)
    folder = rendered(loaded, ["profile"], tmp_path / "out", templates)
    firms_text = section(folder / "profile.en.html", "firms")
    assert (f"Whether a woman leads the firm is recorded for {len(known)} of the 38 firms surveyed; "
            f"of these, {led} are women-led firms") in firms_text
    assert f"Women workers are recorded for {len(known)} of the 38 firms surveyed" in firms_text
    assert (f"Keterangan apakah unit usaha dipimpin perempuan tercatat untuk {len(known)} dari 38 unit usaha "
            "yang disurvei") in section(folder / "profile.id.html", "firms")
    # Firms without the value show a dash in the column, not a word.
    seeds = table_rows(folder / "profile.en.html", "tbl-growth-seeds")
    willing = [f for f in table if f.willing_to_improve]
    assert [r[-1] for r in seeds[1:]] == [
        "-" if f.women_led is None else ("yes" if f.women_led else "no") for f in willing]


def test_profile_of_a_counts_only_cluster_shows_the_sentras_figures(tmp_path, templates):
    data = yaml.safe_load(TEGAL.read_text(encoding="utf-8"))
    data["firms"].update(women_led=40, women_workers=500)
    path = tmp_path / "params" / "jawa-tengah" / TEGAL.name
    path.parent.mkdir(parents=True)
    path.write_text(yaml.safe_dump(data, allow_unicode=True, sort_keys=False), encoding="utf-8")
    folder = rendered(params_io.load_file(path), ["profile"], tmp_path / "out", templates)
    basic = {r[0]: r[1] for r in table_rows(folder / "profile.en.html", "tbl-basic-data")}
    assert basic["Women-led firms"] == "40 (17.6%)" and basic["Women workers"] == "500 (30.5%)"
    basic_id = {r[0]: r[1] for r in table_rows(folder / "profile.id.html", "tbl-basic-data")}
    assert basic_id["IKM yang dipimpin perempuan"] == "40 (17,6%)"
    assert basic_id["Tenaga kerja perempuan"] == "500 (30,5%)"
    assert ("Of the 227 firms, 40 are women-led firms (17.6%). The cluster's firms employ 500 women "
            "workers, 30.5% of their 1,640 workers.") in section(folder / "profile.en.html", "firms")


def test_monitoring_splits_supported_firms_and_success_cases_by_who_leads_them(tmp_path, templates):
    from cluster_reports.domain import indicators

    loaded = kebumen_with(tmp_path, every_firm)
    table = {f.name: f for f in loaded.params.firms.table}
    supported = indicators.supported_firms(loaded.monitoring)
    success = {c.firm for c in indicators.success_cases(loaded.plan, loaded.monitoring,
                                                         indicators.baseline_sales(loaded.params))}
    led = [n for n in supported if table[n].women_led]
    other = [n for n in supported if not table[n].women_led]
    assert led and other, "the test data must have both kinds of firm"
    folder = rendered(loaded, ["monitoring"], tmp_path / "out", templates)
    en = folder / "monitoring.en.html"
    rows = table_rows(en, "tbl-success-women")
    led_success, other_success = len(success & set(led)), len(success & set(other))
    assert rows[1][:3] == ["Women-led firms", str(len(led)), str(led_success)]
    assert rows[2][:3] == ["Other firms", str(len(other)), str(other_success)]
    assert rows[1][3] == f"{100 * led_success / len(led):.1f}%"
    text = section(en, "success")
    assert f"Of the {len(supported)} supported firms, {len(led)} are women-led firms" in text
    rows_id = table_rows(folder / "monitoring.id.html", "tbl-success-women")
    assert rows_id[1][0] == "IKM yang dipimpin perempuan"
    # The supported firms' table has the column too.
    supported_rows = table_rows(en, "tbl-supported")
    assert supported_rows[0][1] == "Women-led"
    assert [r[1] for r in supported_rows[1:]] == ["yes" if table[n].women_led else "no" for n in supported]


def test_monitoring_says_for_how_many_supported_firms_it_is_known(tmp_path, templates):
    from cluster_reports.domain import indicators

    loaded = kebumen_with(tmp_path, every_other_firm)
    table = {f.name: f for f in loaded.params.firms.table}
    supported = indicators.supported_firms(loaded.monitoring)
    known = [n for n in supported if table[n].women_led is not None]
    assert 0 < len(known) < len(supported)
    folder = rendered(loaded, ["monitoring"], tmp_path / "out", templates)
    assert (f"Whether a woman leads the firm is recorded for {len(known)} of the {len(supported)} supported "
            "firms") in section(folder / "monitoring.en.html", "success")
    assert (f"Keterangan apakah IKM dipimpin perempuan tercatat untuk {len(known)} dari {len(supported)} IKM "
            "yang didampingi") in section(folder / "monitoring.id.html", "success")
    rows = table_rows(folder / "monitoring.en.html", "tbl-success-women")
    assert int(rows[1][1]) + int(rows[2][1]) == len(known)
