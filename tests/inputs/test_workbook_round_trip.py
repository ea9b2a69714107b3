"""A cluster's params to an Excel workbook and back: the same params for every sample cluster (with all
its sidecars), as written by us and as re-saved by LibreOffice Calc; the workbook's dropdowns, headers
in both languages and frozen header rows."""

from __future__ import annotations

import shutil
import subprocess
from pathlib import Path

import openpyxl
import pytest
from openpyxl.utils import get_column_letter
from typer.testing import CliRunner

from cluster_reports.cli import app
from cluster_reports.inputs import params_io, regions
from cluster_reports.inputs.workbook import labels, layout, write

REPO = Path(__file__).resolve().parents[2]
CLUSTERS = REPO / "params" / "clusters"
SAMPLES = params_io.discover([CLUSTERS])


def _parts(loaded: params_io.LoadedParams) -> dict:
    return write.parts_of(loaded)


@pytest.fixture(scope="module")
def workbooks(tmp_path_factory) -> dict[str, tuple[Path, dict]]:
    """Every sample cluster's workbook, written through the command, with the params it came from."""
    folder = tmp_path_factory.mktemp("workbooks")
    found = {}
    for path in SAMPLES:
        out = folder / f"{path.stem}.xlsx"
        result = CliRunner().invoke(app, ["workbook", str(path), "--out", str(out)], catch_exceptions=False)
        assert result.exit_code == 0, result.output
        found[path.stem] = (out, _parts(params_io.load_file(path)))
    return found


def _params_dir(tmp_path: Path) -> Path:
    """An empty params tree with the sample programme library (the plans draw on it)."""
    shutil.copytree(REPO / "params" / "programmes", tmp_path / "programmes")
    (tmp_path / "clusters").mkdir()
    return tmp_path / "clusters"


def _import_and_load(workbook: Path, target: Path, province_slug: str, cluster_id: str) -> dict:
    result = CliRunner().invoke(app, ["import", str(workbook), "--out", str(target), "--lang", "en"],
                                catch_exceptions=False)
    assert result.exit_code == 0, result.output
    return _parts(params_io.load_file(target / province_slug / f"{cluster_id}.yaml"))


def test_every_sample_cluster_round_trips(workbooks, tmp_path):
    assert len(workbooks) == len(SAMPLES) >= 10
    target = _params_dir(tmp_path)
    for path in SAMPLES:
        workbook, original = workbooks[path.stem]
        again = _import_and_load(workbook, target, path.parent.name, path.stem)
        assert set(again) == set(original), path.stem
        for part, model in original.items():
            assert again[part] == model, f"{path.stem}: {part} differs after the round trip"
    # Sidecars with all three parts, and a monitoring file whose observations are in a CSV, were covered.
    assert any(set(parts) == {"cluster", "strategy", "plan", "monitoring"} for _, parts in workbooks.values())
    assert (target / "jawa-tengah" / "kebumen-roof-tile.monitoring-firms.csv").exists()


def test_import_again_reports_files_unchanged(workbooks, tmp_path):
    target = _params_dir(tmp_path)
    workbook = workbooks["kebumen-roof-tile"][0]
    first = CliRunner().invoke(app, ["import", str(workbook), "--out", str(target), "--lang", "en"])
    assert first.exit_code == 0 and "written" in first.output
    cluster_file = target / "jawa-tengah" / "kebumen-roof-tile.yaml"
    # A commented file holding the same params is left as it is: its comments stay.
    commented = "# a comment\n" + cluster_file.read_text(encoding="utf-8")
    cluster_file.write_text(commented, encoding="utf-8")
    second = CliRunner().invoke(app, ["import", str(workbook), "--out", str(target), "--lang", "en"])
    assert second.exit_code == 0
    assert f"unchanged {cluster_file}" in second.output
    assert cluster_file.read_text(encoding="utf-8") == commented
    assert "unchanged" in second.output and "kebumen-roof-tile.plan.yaml" in second.output
    # One whose params differ is replaced, and the output says its comments are gone.
    changed = commented.replace("reference_year: 2003", "reference_year: 2004")
    cluster_file.write_text(changed, encoding="utf-8")
    assert "reference_year: 2004" in cluster_file.read_text(encoding="utf-8")
    third = CliRunner().invoke(app, ["import", str(workbook), "--out", str(target), "--lang", "en"])
    assert f"replaced {cluster_file}; its comments are not kept" in third.output
    text = cluster_file.read_text(encoding="utf-8")
    assert "!!python" not in text and "Kebumen" in text


def test_yaml_is_readable(workbooks, tmp_path):
    target = _params_dir(tmp_path)
    _import_and_load(workbooks["samosir-ulos-weaving"][0], target, "sumatera-utara", "samosir-ulos-weaving")
    text = (target / "sumatera-utara" / "samosir-ulos-weaving.yaml").read_text(encoding="utf-8")
    assert text.startswith("id: samosir-ulos-weaving\nname:")  # the schema's order
    assert "\\u" not in text and "!!" not in text
    assert "synthetic: false" not in text  # defaults left out


@pytest.fixture(scope="module")
def kebumen(workbooks) -> openpyxl.Workbook:
    return openpyxl.load_workbook(workbooks["kebumen-roof-tile"][0])


def _sheet(path: str) -> layout.Sheet:
    return next(s for s in layout.layout() if s.path == path)


def _covered(ws, cell: str) -> list[str]:
    """The list formulas of the data validations that cover a cell."""
    return [dv.formula1 for dv in ws.data_validations.dataValidation if cell in dv.sqref]


def test_dropdowns_cover_every_choice(kebumen):
    for sheet in layout.layout():
        ws = kebumen[sheet.name("id")]
        offset = 1 if sheet.parent else 0
        for n, column in enumerate(sheet.columns):
            if column.cell_kind != "scalar" or not (column.field.choices or column.field.annotation is bool):
                continue
            if sheet.kind == "form":
                cell = f"C{layout.FIRST_ROW + n}"
            else:
                cell = f"{get_column_letter(n + 1 + offset)}{layout.FIRST_ROW + 10}"
            assert _covered(ws, cell), f"{ws.title}!{cell} ({column.path}) has no dropdown"
    # The choices themselves, from the hidden lists sheet: the firm table's flags are ya / tidak.
    lists = kebumen[labels.sheet("lists", "id")]
    assert lists.sheet_state == "hidden"
    table = _sheet("cluster.firms.table")
    flag = next(n for n, c in enumerate(table.columns) if c.keys == ("cooperative_member",))
    (formula,) = _covered(kebumen[table.name("id")], f"{get_column_letter(flag + 1)}3")
    column = formula.split("!")[1].split(":")[0].replace("$", "")[0]
    assert [lists[f"{column}{r}"].value for r in (2, 3)] == ["ya", "tidak"]


def test_province_and_regency_dropdowns(kebumen):
    form = _sheet("cluster")
    ws = kebumen[form.name("id")]
    lists = kebumen[labels.sheet("lists", "id")]
    for keys, expected in ((("location", "province"), "Jawa Tengah"),
                           (("location", "regency"), "Kabupaten Kebumen")):
        row = layout.FIRST_ROW + next(n for n, c in enumerate(form.columns) if c.keys == keys)
        (formula,) = _covered(ws, f"C{row}")
        start, end = formula.split("!")[1].replace("$", "").split(":")
        names = [c.value for (c,) in lists[f"{start}:{end}"]]
        assert expected in names
    # The regencies listed are those of the cluster's province, as the official list has them.
    province = regions.find_province("Jawa Tengah")
    assert set(regions.regency_names(province)) <= set(names)
    assert len(names) == len(regions.regency_names(province))


def test_headers_in_both_languages_and_frozen(kebumen):
    table = _sheet("cluster.firms.table")
    ws = kebumen[table.name("id")]
    workers = next(n for n, c in enumerate(table.columns) if c.keys == ("workers",)) + 1
    assert ws.cell(1, workers).value.removesuffix(" *") == labels.label("cluster.firms.table.workers", "id")
    assert ws.cell(2, workers).value == labels.label("cluster.firms.table.workers", "en")
    name = next(n for n, c in enumerate(table.columns) if c.keys == ("products",)) + 1
    assert ws.cell(1, name).value.endswith("(bahasa Indonesia)")
    assert ws.cell(1, name + 1).value.endswith("(bahasa Inggris)")
    assert ws.cell(2, name).value.endswith("(Indonesian)")
    assert ws.cell(2, name + 1).value.endswith("(English)")
    for sheet in layout.layout():
        assert kebumen[sheet.name("id")].freeze_panes in ("A3", "B3", "C3"), sheet.path
    assert kebumen.sheetnames[0] == labels.sheet("instructions", "id")
    guide = " ".join(str(c.value) for (c,) in kebumen.worksheets[0]["A1:A30"] if c.value)
    assert "bahasa Inggris" in guide and "both languages" in guide and "import" in guide


def test_rupiah_and_date_formats(kebumen):
    table = _sheet("cluster.firms.table")
    sales = next(n for n, c in enumerate(table.columns) if c.keys == ("annual_sales",)) + 1
    cell = kebumen[table.name("id")].cell(3, sales)
    assert isinstance(cell.value, int) and "#,##0" in cell.number_format and "." not in cell.number_format
    periods = _sheet("monitoring.periods")
    end = next(n for n, c in enumerate(periods.columns) if c.keys == ("end",)) + 1
    assert kebumen[periods.name("id")].cell(3, end).is_date


def test_sheet_names_unique_or_a_clear_error(monkeypatch):
    names = [s.name("id") for s in layout.layout()]
    assert len({n.casefold() for n in names}) == len(names)
    monkeypatch.setattr(labels, "sheet", lambda path, lang: "Sama")
    layout.layout.cache_clear()
    try:
        with pytest.raises(layout.CatalogueError, match="both named 'Sama'"):
            layout.layout()
    finally:
        monkeypatch.undo()
        layout.layout.cache_clear()


def test_template_imports_to_a_list_of_what_is_missing(tmp_path):
    template = tmp_path / "template.xlsx"
    result = CliRunner().invoke(app, ["workbook", "--out", str(template), "--province", "Jawa Tengah"])
    assert result.exit_code == 0, result.output
    target = _params_dir(tmp_path)
    result = CliRunner().invoke(app, ["import", str(template), "--out", str(target), "--lang", "en"])
    assert result.exit_code == 1
    form = _sheet("cluster").name("id")
    id_row = layout.FIRST_ROW + next(n for n, c in enumerate(_sheet("cluster").columns) if c.keys == ("id",))
    assert f"{form}!C{id_row}: {labels.label('cluster.id', 'en')}:" in result.output
    assert "problems; no file written" in result.output
    # Each required field of the nested models is named at its row, not the model as a whole.
    regency = layout.FIRST_ROW + next(n for n, c in enumerate(_sheet("cluster").columns)
                                      if c.keys == ("location", "regency"))
    assert f"{form}!C{regency}: {labels.label('cluster.location.regency', 'en')}:" in result.output
    # The template's regency dropdown lists the province's regencies and cities only.
    lists = openpyxl.load_workbook(template)[labels.sheet("lists", "id")]
    listed = {c.value for row in lists.iter_rows(min_row=2) for c in row if c.value}
    assert "Kabupaten Kebumen" in listed and "Kota Surabaya" not in listed
    assert "Traceback" not in result.output
    assert list(target.iterdir()) == []


@pytest.mark.clients
def test_resaved_by_calc_imports_to_the_same_params(workbooks, tmp_path):
    """One Calc run re-saves several workbooks (the slow part), then each imports to its params."""
    soffice = shutil.which("soffice")
    assert soffice, "install LibreOffice Calc (apt-get install libreoffice-calc)"
    names = ["kebumen-roof-tile", "samosir-ulos-weaving", "amuntai-rattan"]
    outdir = tmp_path / "calc"
    subprocess.run([soffice, f"-env:UserInstallation=file://{tmp_path}/lo-profile", "--headless",
                    "--convert-to", "xlsx", "--outdir", str(outdir), *(str(workbooks[n][0]) for n in names)],
                   check=True, capture_output=True, timeout=300)
    target = _params_dir(tmp_path / "params")
    for path in (p for p in SAMPLES if p.stem in names):
        resaved = outdir / f"{path.stem}.xlsx"
        assert resaved.exists() and resaved.read_bytes() != workbooks[path.stem][0].read_bytes()
        again = _import_and_load(resaved, target, path.parent.name, path.stem)
        assert again == workbooks[path.stem][1], path.stem


def test_exact_values_come_back(tmp_path):
    """Rupiah integers near the top of the range, texts with line breaks and text that looks like a
    number come back as they were."""
    from cluster_reports.inputs.schema.common import Text
    from cluster_reports.inputs.workbook import importing

    loaded = params_io.load_file(CLUSTERS / "jawa-tengah" / "kebumen-roof-tile.yaml")
    cluster = loaded.params
    firm = cluster.firms.table[0].model_copy(update={"annual_sales": 987_654_321_098_765})
    cluster = cluster.model_copy(update={
        "location": cluster.location.model_copy(update={"note": Text(en="one\ntwo", id="satu\n\ndua")}),
        "firms": cluster.firms.model_copy(update={"table": [firm, *cluster.firms.table[1:]]}),
        "annual_sales": None,
    })
    path = tmp_path / "exact.xlsx"
    write.save(write.build({"cluster": cluster}), path)
    outcome = importing.check(path, tmp_path / "clusters", None, "en")
    assert not outcome.problems, outcome.problems
    again = outcome.models["cluster"]
    assert again.firms.table[0].annual_sales == 987_654_321_098_765
    assert again.location.note == Text(en="one\ntwo", id="satu\n\ndua")
    assert again.industry.isic == cluster.industry.isic and isinstance(again.industry.isic, str)
    assert again == cluster
