"""Importing survey exports (KoboToolbox, ODK Central; CSV and XLSX) into a copy of a sample cluster."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest
import yaml
from typer.testing import CliRunner

from cluster_reports.cli import app
from cluster_reports.inputs import params_io
from cluster_reports.inputs.survey import importing, sample_export

REPO = Path(__file__).resolve().parents[2]


def copy_cluster(tmp_path: Path, province: str, cluster: str) -> Path:
    """The cluster's files, the programme library and publication.yaml in a params tree below tmp_path."""
    folder = tmp_path / "params" / "clusters" / province
    folder.mkdir(parents=True)
    for path in (REPO / "params" / "clusters" / province).glob(f"{cluster}*"):
        shutil.copy(path, folder / path.name)
    shutil.copytree(REPO / "params" / "programmes", tmp_path / "params" / "programmes")
    shutil.copy(REPO / "params" / "publication.yaml", tmp_path / "params" / "publication.yaml")
    return folder / f"{cluster}.yaml"


def table_of(path: Path) -> list[dict]:
    return yaml.safe_load(path.read_text(encoding="utf-8"))["firms"]["table"]


def surveyed(table: list[dict]) -> list[dict]:
    """The sample's firms as a later survey round found them: sales and contact details changed."""
    firms = []
    for n, firm in enumerate(table):
        firm = dict(firm, annual_sales=firm["annual_sales"] + 1000 * n,
                    address=f"Jl. Sokka {n + 1}, Pejagoan", phone=f"(0287) 38{n:04d}",
                    products={"en": "pressed roof tiles", "id": "genteng press"})
        firms.append(firm)
    return firms


def write(kind: str, answers: list[dict], style: str, fmt: str, path: Path) -> Path:
    (sample_export.write_csv if fmt == "csv" else sample_export.write_xlsx)(kind, answers, style, path)
    return path


@pytest.mark.parametrize("style", sample_export.STYLES)
@pytest.mark.parametrize("fmt", ["csv", "xlsx"])
def test_firm_export_updates_the_table_by_id(tmp_path: Path, style: str, fmt: str):
    params = copy_cluster(tmp_path, "jawa-tengah", "kebumen-roof-tile")
    before = table_of(params)
    expected = surveyed(before)
    answers = [sample_export.answers_of_firm(f, "kebumen-roof-tile") for f in expected]
    export = write("firms", answers, style, fmt, tmp_path / f"survey.{fmt}")
    assert importing.is_survey_export(export)
    outcome = importing.import_export(export, params, None, "id")
    assert outcome.problems == []
    assert (outcome.kind, outcome.added, outcome.updated) == ("firms", 0, len(before))
    assert outcome.written == [params]
    assert table_of(params) == expected
    text = params.read_text(encoding="utf-8")
    assert "# The firms marked willing_to_improve took an active part" in text  # comments kept
    assert params_io.load_file(params).params.firms.table[0].phone == "(0287) 380000"


def test_a_new_firm_is_added_and_the_others_kept(tmp_path: Path):
    params = copy_cluster(tmp_path, "jawa-tengah", "kebumen-roof-tile")
    before = table_of(params)
    new = {"id": "kbm-900", "name": "Genteng Sokka Baru", "workers": 3, "annual_sales": 90000000,
           "cooperative_member": False, "willing_to_improve": True, "established": 2024}
    export = write("firms", [sample_export.answers_of_firm(new, "kebumen-roof-tile")], "odk", "csv",
                   tmp_path / "one.csv")
    outcome = importing.import_export(export, params, "firms", "en")
    assert outcome.problems == [] and (outcome.added, outcome.updated) == (1, 0)
    assert table_of(params) == [*before, new]


def observation_answers(firm_id: str, period: str, channel: str = "wholesale") -> dict:
    return {"cluster": "waru-sidoarjo-metalwork", "enumerator": "Budi", "visit_date": "2003-04-02",
            "period": period, "firm_id": firm_id, "turnover": "612000000", "channel": channel,
            "reached_goal": "yes"}


@pytest.mark.parametrize("fmt", ["csv", "xlsx"])
def test_monitoring_export_is_matched_by_firm_id(tmp_path: Path, fmt: str):
    params = copy_cluster(tmp_path, "jawa-timur", "waru-sidoarjo-metalwork")
    side = params.with_name("waru-sidoarjo-metalwork.monitoring.yaml")
    names = {f["id"]: f["name"] for f in table_of(params)}
    before = yaml.safe_load(side.read_text(encoding="utf-8"))["firms"]
    export = write("monitoring", [observation_answers("waru-001", "q2", "export"),
                                  observation_answers("waru-008", "q4")], "kobo", fmt, tmp_path / f"m.{fmt}")
    outcome = importing.import_export(export, params, None, "id")
    assert outcome.problems == []
    assert outcome.kind == "monitoring" and outcome.written == [side]
    after = yaml.safe_load(side.read_text(encoding="utf-8"))["firms"]
    by_key = {(o["firm"], o["period"]): o for o in after}
    assert by_key[names["waru-001"], "q2"] == {
        "firm": names["waru-001"], "period": "q2", "turnover": 612000000, "channel": "export",
        "reached_goal": True}
    assert (names["waru-008"], "q4") in by_key
    keys = {(o["firm"], o["period"]) for o in before}
    new = [k for k in ((names["waru-001"], "q2"), (names["waru-008"], "q4")) if k not in keys]
    assert len(after) == len(before) + len(new)
    assert (outcome.added, outcome.updated) == (len(new), 2 - len(new))
    others = [o for o in after if (o["firm"], o["period"]) not in by_key or o["firm"] not in
              (names["waru-001"], names["waru-008"])]
    assert all(o in before for o in others)  # the other observations stay as they were
    assert params_io.load_file(params).monitoring is not None


def test_monitoring_export_into_the_firms_csv(tmp_path: Path):
    params = copy_cluster(tmp_path, "jawa-tengah", "kebumen-roof-tile")
    csv_file = params.with_name("kebumen-roof-tile.monitoring-firms.csv")
    answers = dict(observation_answers("kbm-001", "q1", "cooperative"), cluster="kebumen-roof-tile")
    export = write("monitoring", [answers], "odk", "csv", tmp_path / "m.csv")
    outcome = importing.import_export(export, params, "monitoring", "en")
    assert outcome.problems == [] and outcome.written == [csv_file] and outcome.updated == 1
    assert "Genteng Sokka Makmur,q1,612000000,cooperative,yes" in csv_file.read_text(encoding="utf-8")


def snapshot(folder: Path) -> dict[Path, bytes]:
    return {p: p.read_bytes() for p in folder.rglob("*") if p.is_file()}


def run(export: Path, params: Path, *extra: str):
    return CliRunner().invoke(app, ["import", str(export), "--cluster", str(params), *extra])


@pytest.mark.parametrize("fmt", ["csv", "xlsx"])
def test_bad_firm_rows_are_named_by_row_and_column_and_nothing_is_written(tmp_path: Path, fmt: str):
    params = copy_cluster(tmp_path, "jawa-tengah", "kebumen-roof-tile")
    firms = table_of(params)
    answers = [sample_export.answers_of_firm(f, "kebumen-roof-tile") for f in firms[:3]]
    answers[1]["workers"] = "banyak"  # text in a number column: row 3
    answers[2]["name"] = None  # a missing required value: row 4
    export = write("firms", answers, "kobo", fmt, tmp_path / f"bad.{fmt}")
    files = snapshot(tmp_path / "params")
    result = run(export, params, "--lang", "en")
    assert result.exit_code == 1
    if fmt == "csv":
        assert f"{export}: row 3, workers: must be a whole number" in result.output
        assert f"{export}: row 4, name: required: enter a value" in result.output
    else:
        assert f"{export}: Survei unit usaha sentra IKM!M3, workers: must be a whole number" in result.output
        assert f"{export}: Survei unit usaha sentra IKM!G4, name: required" in result.output
    assert "2 problems; nothing written" in result.output
    assert snapshot(tmp_path / "params") == files
    indonesian = run(export, params)
    assert indonesian.exit_code == 1 and "workers: harus bilangan bulat" in indonesian.output
    assert "name: wajib diisi" in indonesian.output


def test_bad_monitoring_rows_unknown_firm_and_misspelt_channel(tmp_path: Path):
    params = copy_cluster(tmp_path, "jawa-timur", "waru-sidoarjo-metalwork")
    export = write("monitoring", [observation_answers("waru-001", "q2"),
                                  observation_answers("waru-404", "q2"),
                                  observation_answers("waru-002", "q2", "whole-sale")], "odk", "csv",
                   tmp_path / "m.csv")
    files = snapshot(tmp_path / "params")
    result = run(export, params, "--lang", "en")
    assert result.exit_code == 1
    assert (f"{export}: row 3, firm_id: 'waru-404' is not a firm id of the cluster's firm table "
            "(waru-sidoarjo-metalwork.yaml)") in result.output
    assert f"{export}: row 4, channel: " in result.output and "wholesale" in result.output
    assert snapshot(tmp_path / "params") == files


def test_a_labels_export_is_refused(tmp_path: Path):
    params = copy_cluster(tmp_path, "jawa-timur", "waru-sidoarjo-metalwork")
    answers = observation_answers("waru-001", "q2", "wholesale")
    answers["reached_goal"] = "Ya"
    export = write("monitoring", [answers], "kobo", "csv", tmp_path / "m.csv")
    # A labels export names the channel by its label too.
    export.write_text(export.read_text(encoding="utf-8").replace(";wholesale;", ";Pedagang besar;"),
                      encoding="utf-8")
    files = snapshot(tmp_path / "params")
    result = run(export, params, "--lang", "en")
    assert result.exit_code == 1 and "export it again with XML values" in result.output
    assert snapshot(tmp_path / "params") == files


def test_an_import_that_breaks_the_cluster_as_a_whole_writes_nothing(tmp_path: Path):
    params = copy_cluster(tmp_path, "jawa-tengah", "kebumen-roof-tile")
    # Every row valid alone, but a firm named as another firm already is: the table's names repeat.
    twin = {"id": "kbm-901", "name": table_of(params)[0]["name"], "workers": 2, "annual_sales": 1,
            "cooperative_member": False}
    export = write("firms", [sample_export.answers_of_firm(twin, "kebumen-roof-tile")], "kobo", "csv",
                   tmp_path / "twin.csv")
    files = snapshot(tmp_path / "params")
    result = run(export, params, "--lang", "en")
    assert result.exit_code == 1 and "firm names repeat" in result.output
    assert snapshot(tmp_path / "params") == files


def test_only_the_surveyed_firms_lines_change(tmp_path: Path):
    params = copy_cluster(tmp_path, "jawa-tengah", "kebumen-roof-tile")
    before = params.read_text(encoding="utf-8").split("\n")
    firm = dict(table_of(params)[4], workers=table_of(params)[4]["workers"] + 1)
    export = write("firms", [sample_export.answers_of_firm(firm, "kebumen-roof-tile")], "kobo", "csv",
                   tmp_path / "one.csv")
    assert importing.import_export(export, params, None, "en").problems == []
    after = params.read_text(encoding="utf-8").split("\n")
    changed = [n for n, (a, b) in enumerate(zip(before, after, strict=True)) if a != b]
    assert len(changed) == 1 and firm["id"] in after[changed[0]]
    line = f'    - {{id: {firm["id"]}, name: "{firm["name"]}", workers: {firm["workers"]},'
    assert after[changed[0]].startswith(line)  # in the style of its neighbours: one line, name quoted


def test_is_survey_export_tells_an_export_from_other_files(tmp_path: Path):
    other = tmp_path / "budget.csv"
    other.write_text("item,amount\nkiln,1000\n", encoding="utf-8")
    assert not importing.is_survey_export(other)
    assert not importing.is_survey_export(tmp_path / "missing.csv")
    export = write("monitoring", [observation_answers("waru-001", "q2")], "odk", "xlsx", tmp_path / "m.xlsx")
    assert importing.is_survey_export(export)


def test_an_export_of_another_cluster_and_an_unknown_period_in_indonesian(tmp_path: Path):
    params = copy_cluster(tmp_path, "jawa-timur", "waru-sidoarjo-metalwork")
    answers = dict(observation_answers("waru-001", "q9"), cluster="kebumen-roof-tile")
    export = write("monitoring", [answers], "kobo", "csv", tmp_path / "m.csv")
    files = snapshot(tmp_path / "params")
    result = run(export, params)
    assert result.exit_code == 1
    assert ("baris 2, cluster: 'kebumen-roof-tile' bukan sentra berkas waru-sidoarjo-metalwork.yaml "
            "(waru-sidoarjo-metalwork)") in result.output
    assert "baris 2, period: 'q9' bukan periode dalam berkas pemantauan" in result.output
    assert "2 masalah; tidak ada berkas yang ditulis" in result.output
    assert snapshot(tmp_path / "params") == files
