"""The consultant's notebook, executed with papermill as JupyterLab would run it."""

from __future__ import annotations

import json
import re

import altair as alt
import papermill as pm
import pytest
from conftest import ROOT, SAMPLE

from cluster_reports.compose import charts as drawing
from cluster_reports.documents.charts import BarChart
from cluster_reports.notebook import Session

NOTEBOOK = ROOT / "notebooks" / "profile.ipynb"


def same_output(a, b) -> bool:
    """Equal but for the element id Altair draws a chart into, new at each display."""
    def unnamed(x):
        return re.sub(r"altair-viz-[0-9a-f]+", "altair-viz", x) if isinstance(x, str) else x
    return unnamed(a) == unnamed(b)


@pytest.mark.parametrize("kind", ["profile", "strategy", "action-plan", "monitoring", "guideline"])
def test_notebook_is_stored_clean_with_a_parameters_cell(kind: str):
    nb = json.loads((ROOT / "notebooks" / f"{kind}.ipynb").read_text(encoding="utf-8"))
    code = [c for c in nb["cells"] if c["cell_type"] == "code"]
    assert all(not c.get("outputs") and c.get("execution_count") is None for c in code)
    tagged = [c for c in code if "parameters" in c.get("metadata", {}).get("tags", [])]
    assert len(tagged) == 1
    source = "".join(tagged[0]["source"])
    for name in ("cluster", "params_root", "languages", "formats", "output_dir"):
        assert f"{name} =" in source
    assert 'output_dir = "../outputs"' in source and 'params_root = "../params/clusters"' in source
    assert f'documents=["{kind}"]' in "".join("".join(c["source"]) for c in code)


def test_notebook_renders_a_cluster(tmp_path):
    out = tmp_path / "docs"
    executed = tmp_path / "profile.out.ipynb"
    pm.execute_notebook(
        str(NOTEBOOK), str(executed), cwd=str(NOTEBOOK.parent), kernel_name="python3",
        parameters={"cluster": "serenan-klaten-wood-furniture", "params_root": str(SAMPLE),
                    "languages": ["en"], "formats": ["docx", "html"], "output_dir": str(out)},
        progress_bar=False,
    )
    folder = out / "jawa-tengah" / "serenan-klaten-wood-furniture"
    assert (folder / "profile.en.docx").is_file() and (folder / "profile.en.html").is_file()
    assert not (folder / "profile.id.docx").exists()
    nb = json.loads(executed.read_text(encoding="utf-8"))
    shown = json.dumps([c.get("outputs", []) for c in nb["cells"]])
    assert "Serenan" in shown
    assert "image/svg+xml" in shown  # charts inline, with their drawing
    assert "profile.en.docx" in shown  # links to the written files


@pytest.mark.parametrize(
    ("parameters", "message"),
    [
        ({"cluster": "no-such-cluster"}, "cluster = 'no-such-cluster'"),
        ({"languages": ["fr"]}, "languages = ['fr']"),
        ({"formats": "pdf"}, "formats = 'pdf'"),
    ],
)
def test_wrong_parameter_stops_with_a_clear_message(tmp_path, parameters, message):
    base = {"cluster": "kebumen-roof-tile", "params_root": str(SAMPLE),
            "output_dir": str(tmp_path / "docs")}
    with pytest.raises(pm.PapermillExecutionError) as failure:
        pm.execute_notebook(
            str(NOTEBOOK), str(tmp_path / "out.ipynb"), cwd=str(NOTEBOOK.parent),
            kernel_name="python3", parameters={**base, **parameters}, progress_bar=False,
        )
    assert failure.value.ename == "ParameterError"
    assert message in failure.value.evalue
    assert not (tmp_path / "docs").exists()


def test_a_chart_shows_itself_and_its_drawing(tmp_path):
    """JupyterLab takes the chart's own output (interactive); a viewer without Vega, such as the HTML copy
    of an executed notebook, takes the SVG the documents draw: natively for the house bar chart, through
    Vega for the others (the action plan's schedule)."""
    session = Session("kebumen-roof-tile", SAMPLE, "id", "html", tmp_path, documents="action-plan")
    charts = session.charts("id")
    kinds = {name: type(shown.chart) for name, shown in charts.items()}
    assert kinds["funding"] is BarChart and issubclass(kinds["gantt"], alt.TopLevelMixin)
    for name in ("funding", "gantt"):
        shown = charts[name]
        data, metadata = shown._repr_mimebundle_()
        own = shown.chart._repr_mimebundle_()
        own = own[0] if isinstance(own, tuple) else own
        assert set(data) == {*own, "image/svg+xml"}
        assert all(same_output(data[k], own[k]) for k in own)
        assert data["image/svg+xml"] == drawing.render(shown.chart, shown.alt, "id_ID").svg
        assert data["image/svg+xml"].startswith("<svg")
        assert metadata["image/svg+xml"] == {"alt": shown.alt} and shown.alt
    # Not drawn when the viewer asks for other types only; the chart's own attributes stay at hand.
    data, _ = charts["gantt"]._repr_mimebundle_(include=["text/html"])
    assert "image/svg+xml" not in data
    assert charts["gantt"].to_dict() == charts["gantt"].chart.to_dict()
    assert not tmp_path.exists() or not any(tmp_path.iterdir())  # showing charts writes nothing


@pytest.fixture(scope="module")
def cluster_workbook(tmp_path_factory):
    """A consultant's workbook of a sample cluster, and a params tree of their own to import it into."""
    import shutil

    from typer.testing import CliRunner

    from cluster_reports.cli import app

    folder = tmp_path_factory.mktemp("workbook")
    shutil.copytree(SAMPLE.parent, folder / "params")
    (folder / "params" / "clusters" / "kalimantan-selatan" / "amuntai-rattan.yaml").unlink()
    workbook = folder / "amuntai.xlsx"
    made = CliRunner().invoke(app, ["workbook", str(SAMPLE / "kalimantan-selatan" / "amuntai-rattan.yaml"),
                                    "--out", str(workbook)])
    assert made.exit_code == 0, made.output
    return workbook, folder / "params" / "clusters"


def test_notebook_takes_a_workbook(tmp_path, cluster_workbook):
    workbook, params_root = cluster_workbook
    out = tmp_path / "docs"
    pm.execute_notebook(
        str(NOTEBOOK), str(tmp_path / "profile.out.ipynb"), cwd=str(NOTEBOOK.parent), kernel_name="python3",
        parameters={"cluster": str(workbook), "params_root": str(params_root), "languages": ["id"],
                    "formats": ["html"], "output_dir": str(out)},
        progress_bar=False,
    )
    assert (params_root / "kalimantan-selatan" / "amuntai-rattan.yaml").is_file()  # imported first
    html = (out / "kalimantan-selatan" / "amuntai-rattan" / "profile.id.html").read_text(encoding="utf-8")
    assert "Amuntai" in html


def test_a_wrong_cell_in_the_workbook_stops_the_notebook_naming_it(tmp_path, cluster_workbook):
    import openpyxl

    workbook, params_root = cluster_workbook
    book = openpyxl.load_workbook(workbook)
    row = next(c.row for c in book["Sentra"]["A"] if str(c.value).startswith("kabupaten/kota"))
    book["Sentra"][f"C{row}"] = "Kabupaten Tidak Ada"
    bad = tmp_path / "bad.xlsx"
    book.save(bad)
    before = sorted(p.name for p in params_root.rglob("*"))
    with pytest.raises(Exception) as failure:
        Session(str(bad), params_root, ["id"], ["html"], tmp_path / "docs", ["profile"])
    assert type(failure.value).__name__ == "ParameterError"
    assert f"Sentra!C{row}" in str(failure.value) and "Kabupaten Tidak Ada" in str(failure.value)
    assert sorted(p.name for p in params_root.rglob("*")) == before
