"""It installs like any Python tool: the wheel built from this checkout, installed into a new
virtualenv, works from a folder outside the repository with nothing of the checkout to lean on:
init, validate, render (every kind, and the general edition), batch with both engines, schema, and
a user's own template library named with --templates."""

from __future__ import annotations

import json
import os
import subprocess
import sys
import zipfile
from pathlib import Path

import pytest
import sample_facts
from checks import html_text
from conftest import ROOT

pytestmark = pytest.mark.wheel

KINDS = "profile,strategy,action-plan,monitoring,guideline"
PILOT = "kebumen-roof-tile"


@pytest.fixture(scope="module")
def installed(tmp_path_factory) -> tuple[Path, Path, Path]:
    """(the wheel, the new virtualenv's bin folder, a working folder outside the repository)."""
    base = tmp_path_factory.mktemp("wheel")
    assert not base.resolve().is_relative_to(ROOT.resolve())
    subprocess.run([sys.executable, "-m", "pip", "wheel", "--no-deps", "--quiet", "--wheel-dir",
                    str(base / "dist"), str(ROOT)], check=True, timeout=600)
    wheel = next((base / "dist").glob("cluster_reports-*.whl"))
    subprocess.run([sys.executable, "-m", "venv", str(base / "venv")], check=True, timeout=300)
    subprocess.run([str(base / "venv" / "bin" / "python"), "-m", "pip", "install", "--quiet", str(wheel)],
                   check=True, timeout=1200)
    work = base / "work"
    work.mkdir()
    return wheel, base / "venv" / "bin", work


def run(installed, *args: str, cwd: Path | None = None) -> subprocess.CompletedProcess:
    """A command of the installed tool, with an environment that names nothing of the checkout."""
    _wheel, bin_dir, work = installed
    env = {k: v for k, v in os.environ.items()
           if not k.startswith(("CLUSTER_REPORTS_", "PYTHON", "VIRTUAL_ENV", "JUPYTER"))}
    env["PATH"] = f"{bin_dir}{os.pathsep}{env.get('PATH', '')}"
    return subprocess.run([str(bin_dir / args[0]), *args[1:]], cwd=cwd or work, env=env,
                          capture_output=True, text=True, timeout=900)


@pytest.fixture(scope="module")
def workspace(installed) -> Path:
    result = run(installed, "cluster-reports", "init", "ws")
    assert result.returncode == 0, result.stderr
    return installed[2] / "ws"


def test_the_wheel_carries_the_library_and_not_the_tests(installed):
    names = zipfile.ZipFile(installed[0]).namelist()
    for needed in ("cluster_reports/shipped/templates/reference.docx",
                   "cluster_reports/shipped/templates/labels/id.yaml",
                   "cluster_reports/shipped/notebooks/profile.ipynb",
                   "cluster_reports/shipped/params/programmes/national.yaml",
                   f"cluster_reports/shipped/params/clusters/jawa-tengah/{PILOT}.plan.yaml",
                   "cluster_reports/inputs/data/regencies.csv",
                   "cluster_reports/compose/fonts/LiberationSans-Regular.ttf"):
        assert needed in names, needed
    assert any(n.endswith("licenses/LICENSE") for n in names)
    assert not [n for n in names if n.startswith("tests/") or "__pycache__" in n or ".ipynb_checkpoints" in n]


def test_the_installed_package_reads_its_own_library(installed):
    result = run(installed, "python", "-c",
                 "from cluster_reports import resources; print(resources.templates()); "
                 "print(resources.notebooks())")
    assert result.returncode == 0, result.stderr
    for line in result.stdout.split():
        assert "site-packages" in line and not Path(line).is_relative_to(ROOT)


def test_init_then_validate_and_render_every_kind(installed, workspace):
    assert (workspace / "params" / "programmes" / "national.yaml").is_file()
    assert sorted(p.name for p in (workspace / "notebooks").iterdir()) == [
        f"{k}.ipynb" for k in sorted(KINDS.split(","))]
    again = run(installed, "cluster-reports", "init", "ws")
    assert again.returncode == 2 and "already has params" in again.stderr
    result = run(installed, "cluster-reports", "validate", "params/clusters", cwd=workspace)
    assert result.returncode == 0, result.stderr
    n = sample_facts.count()  # the wheel ships the whole sample, both eras
    assert f"{n} clusters: {n} valid, 0 invalid" in result.stdout
    result = run(installed, "cluster-reports", "render", PILOT, "--doc", KINDS, "--lang", "id,en",
                 "--format", "docx,html", "--out", "outputs", cwd=workspace)
    assert result.returncode == 0, result.stderr
    folder = workspace / "outputs" / "jawa-tengah" / PILOT
    written = sorted(p.name for p in folder.iterdir() if p.is_file())
    assert written == sorted(f"{k}.{lang}.{fmt}" for k in KINDS.split(",") for lang in ("id", "en")
                             for fmt in ("docx", "html"))
    text, _links = html_text(folder / "profile.en.html")
    assert "Kebumen" in text and "Cluster Profiling Report" in text
    general = run(installed, "cluster-reports", "render", "--doc", "guideline", "--out", "outputs",
                  cwd=workspace)
    assert general.returncode == 0, general.stderr
    assert {p.name for p in (workspace / "outputs" / "general").iterdir()} == {
        "guideline.id.docx", "guideline.id.html", "guideline.en.docx", "guideline.en.html"}


def test_batch_with_the_direct_engine(installed, workspace):
    result = run(installed, "cluster-reports", "batch", "params/clusters", "--out", "batch",
                 "--doc", "profile,province-summary,national-summary", "--lang", "en",
                 "--format", "html", "--workers", "1", cwd=workspace)
    assert result.returncode == 0, result.stdout + result.stderr
    out = workspace / "batch"
    assert (out / "index.html").is_file() and (out / "national-summary.en.html").is_file()
    assert len(list(out.glob("*/*/profile.en.html"))) == sample_facts.count()


def test_batch_with_the_papermill_engine_and_the_shipped_programme_library(installed, workspace):
    # One pilot in a folder of its own, with no programmes/ folder above it: its plan is checked
    # against the library shipped in the wheel, and the notebooks are the wheel's.
    one = workspace / "one" / "jawa-tengah"
    one.mkdir(parents=True)
    for source in (workspace / "params" / "clusters" / "jawa-tengah").glob(f"{PILOT}.*"):
        (one / source.name).write_bytes(source.read_bytes())
    result = run(installed, "cluster-reports", "batch", "one", "--out", "nb", "--doc", "profile,action-plan",
                 "--lang", "en", "--format", "html", "--workers", "1", "--engine", "papermill",
                 cwd=workspace)
    assert result.returncode == 0, result.stdout + result.stderr
    folder = workspace / "nb" / "jawa-tengah" / PILOT
    assert {"profile.ipynb", "action-plan.ipynb", "profile.en.html", "action-plan.en.html"} <= {
        p.name for p in folder.iterdir()}
    executed = json.loads((folder / "action-plan.ipynb").read_text(encoding="utf-8"))
    assert executed["metadata"]["papermill"]["parameters"]["cluster"].endswith(f"{PILOT}.yaml")


def test_the_schema_prints_from_anywhere(installed):
    for kind in ("cluster", "plan", "library"):
        result = run(installed, "cluster-reports", "schema", "--kind", kind)
        assert result.returncode == 0, result.stderr
        assert json.loads(result.stdout)["title"] == f"cluster-reports {kind} file"


def test_a_users_own_templates(installed):
    result = run(installed, "cluster-reports", "init", "own", "--templates")
    assert result.returncode == 0, result.stderr
    own = installed[2] / "own"
    labels = own / "templates" / "labels" / "en.yaml"
    text = labels.read_text(encoding="utf-8")
    assert "Cluster Profiling Report" in text
    labels.write_text(text.replace("Cluster Profiling Report", "Sentra Profile, Regency Edition"),
                      encoding="utf-8")
    result = run(installed, "cluster-reports", "render", PILOT, "--lang", "en", "--format", "html",
                 "--out", "outputs", "--templates", "templates", cwd=own)
    assert result.returncode == 0, result.stderr
    page, _links = html_text(own / "outputs" / "jawa-tengah" / PILOT / "profile.en.html")
    assert "Sentra Profile, Regency Edition" in page and "Cluster Profiling Report" not in page
    missing = run(installed, "cluster-reports", "render", PILOT, "--templates", "nowhere", cwd=own)
    assert missing.returncode == 2 and "--templates nowhere: no such folder of templates" in missing.stderr
