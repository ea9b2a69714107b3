"""The consultant's notebook, executed with papermill as JupyterLab would run it."""

from __future__ import annotations

import json

import papermill as pm
import pytest
from conftest import ROOT, SAMPLE

NOTEBOOK = ROOT / "notebooks" / "profile.ipynb"


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
    assert "image/svg+xml" in shown or "image/png" in shown or "vega" in shown  # charts inline
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
