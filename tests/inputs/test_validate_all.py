"""validate checks what render reads: a cluster that validates renders, and a broken one fails both,
with the same messages naming the file at fault; every file of a cluster is checked at once."""

from __future__ import annotations

import re
import shutil
from pathlib import Path

import pytest
import sample_facts
from conftest import ROOT
from typer.testing import CliRunner

from cluster_reports.cli import app

KEBUMEN = Path("clusters") / "jawa-tengah" / "kebumen-roof-tile"
CLUSTERS = sample_facts.count()  # the copied sample's clusters, one of which is broken below


def run(*args: str):
    return CliRunner().invoke(app, list(args), catch_exceptions=False)


@pytest.fixture
def params(tmp_path: Path) -> Path:
    """A copy of the shipped sample and programme library, as `init` lays them out."""
    shutil.copytree(ROOT / "params", tmp_path / "params", ignore=shutil.ignore_patterns("*.overrides.yaml"))
    return tmp_path / "params"


def edit(path: Path, old: str, new: str) -> Path:
    text = path.read_text(encoding="utf-8")
    assert old in text, f"{old!r} not in {path}"
    path.write_text(text.replace(old, new, 1), encoding="utf-8")
    return path


def errors(stderr: str) -> list[str]:
    return [line for line in stderr.splitlines() if line.startswith("error ")]


def render(params: Path, out: Path, cluster: str = str(KEBUMEN) + ".yaml"):
    return run("render", str(params / cluster), "--doc", "profile,strategy,action-plan,monitoring",
               "--lang", "en", "--format", "html", "--out", str(out),
               "--params-root", str(params / "clusters"))


def test_the_sample_validates_and_renders_every_document(params: Path, tmp_path: Path):
    result = run("validate", str(params / "clusters"))
    assert result.exit_code == 0, result.stderr
    assert "0 invalid" in result.stdout and not result.stderr
    done = render(params, tmp_path / "out")
    assert done.exit_code == 0, done.stderr
    written = sorted(p.name for p in (tmp_path / "out").rglob("*.html"))
    assert written == ["action-plan.en.html", "index.html", "monitoring.en.html", "profile.en.html",
                       "strategy.en.html"]  # the four documents and the output folder's index


# (file to break, text there, its replacement, the file to blame, what the message says)
BROKEN = {
    "library-programme-unknown": (
        ".plan.yaml", "library: pilot-study-tour", "library: pilot-study-trip", ".plan.yaml",
        "programmes[1].library: 'pilot-study-trip' is not a programme of the programme library",
    ),
    "plan-lead-unknown": (
        ".plan.yaml", "lead: disperindag-kebumen", "lead: dinas-pariwisata", ".plan.yaml",
        "programmes[1].lead: 'dinas-pariwisata' is not a stakeholder of the cluster",
    ),
    "strategy-lead-unknown": (
        ".strategy.yaml", "lead: lpm-ugm, support:", "lead: lpm-undip, support:", ".strategy.yaml",
        "'lpm-undip' is not a stakeholder of the cluster",
    ),
    "monitoring-indicator-unknown": (
        ".monitoring.yaml", "- indicator: sales-outside-java", "- indicator: sales-outside-jawa",
        ".monitoring.yaml", "indicators[2].indicator: 'sales-outside-jawa' is not an indicator of the plan",
    ),
    "csv-firm-unknown": (
        ".monitoring-firms.csv", "Genteng Sokka Mas,q2", "Genteng Sokka Emas,q2", ".monitoring-firms.csv",
        "column 'firm': 'Genteng Sokka Emas' is not in the cluster's firm table",
    ),
}


@pytest.mark.parametrize("case", sorted(BROKEN))
def test_a_broken_cluster_fails_validate_and_render_alike_naming_the_file(case, params: Path, tmp_path: Path):
    part, old, new, blamed, message = BROKEN[case]
    edit(params / f"{KEBUMEN}{part}", old, new)
    blamed_file = str(params / f"{KEBUMEN}{blamed}")

    checked = run("validate", str(params / "clusters"))
    assert checked.exit_code == 1
    found = errors(checked.stderr)
    assert found and all(line.startswith(f"error {blamed_file}: ") for line in found), checked.stderr
    assert any(message in line for line in found), checked.stderr
    assert f"{blamed_file}: {len(found)} problem" in checked.stdout
    assert f"{CLUSTERS} clusters: {CLUSTERS - 1} valid, 1 invalid" in checked.stdout

    rendered = render(params, tmp_path / "out")
    assert rendered.exit_code == 1
    assert errors(rendered.stderr) == found, "render says what validate says"
    assert not list(tmp_path.glob("out/**/*.html")), "nothing is written from invalid input"


def test_a_library_programme_is_looked_up_where_render_looks(params: Path, tmp_path: Path):
    """A cluster with no programmes folder above it draws on the shipped library, in validate too."""
    alone = tmp_path / "alone"
    alone.mkdir()
    for path in (params / KEBUMEN).parent.glob("kebumen-roof-tile.*"):
        shutil.copy(path, alone / path.name)
    plan = edit(alone / "kebumen-roof-tile.plan.yaml", "library: social-capital", "library: social-capitol")
    result = run("validate", str(alone))
    assert result.exit_code == 1
    assert f"error {plan}: programmes[6].library: 'social-capitol' is not a programme" in result.stderr


def test_a_broken_library_file_is_named(params: Path):
    library = edit(params / "programmes" / "pilot.yaml", "  - id: pilot-guidance", "  - id: Pilot Guidance")
    result = run("validate", str(params / "clusters" / "jawa-tengah"))
    assert result.exit_code == 1
    assert f"error {library}: programmes[0].id: 'Pilot Guidance' is not a valid id" in result.stderr
    plan = params / f"{KEBUMEN}.plan.yaml"
    assert f"note {plan}: (file): its library programmes (library:)" in result.stderr


def test_every_file_of_a_cluster_is_checked_even_when_the_cluster_file_is_invalid(params: Path):
    cluster = edit(params / f"{KEBUMEN}.yaml", "reference_year:", "reference_yaer:")
    strategy = edit(params / f"{KEBUMEN}.strategy.yaml", "three_c:", "three_cs:")
    plan = edit(params / f"{KEBUMEN}.plan.yaml", "library: pilot-study-tour", "library: pilot-study-trip")
    plan = edit(plan, "start_month: 1", "start_month: 13")
    firms = params / f"{KEBUMEN}.monitoring-firms.csv"
    edit(firms, ",q2,730000000,", ",q2,7.3e8,")

    result = run("validate", str(params / "clusters"))
    assert result.exit_code == 1
    lines = result.stderr.splitlines()
    assert f"error {cluster}: reference_year: required field is missing" in lines
    # The line of the misspelt key in the file as it stands (the sample grows above it).
    source = cluster.read_text(encoding="utf-8").splitlines()
    at = source.index(next(ln for ln in source if ln.startswith("reference_yaer:"))) + 1
    assert any(ln.startswith(f"error {cluster}: reference_yaer: unknown key (misspelt, or not part of the "
                             f"schema) (line {at})") for ln in lines), result.stderr
    assert any(ln.startswith(f"error {strategy}: three_cs: unknown key") for ln in lines), result.stderr
    assert any(ln.startswith(f"error {plan}: programmes[1].library: 'pilot-study-trip'") for ln in lines)
    assert any(ln.startswith(f"error {plan}: programmes[0].start_month: Input should be less than")
               for ln in lines), result.stderr
    assert any(ln.startswith(f"error {firms}: row 3, column 'turnover': ") for ln in lines), result.stderr
    # What needed the cluster file is said, per sidecar, not left out silently.
    for side, what in ((strategy, "its cluster id and stakeholders"),
                       (plan, "its cluster id and the stakeholders it names"),
                       (params / f"{KEBUMEN}.monitoring.yaml", "its cluster id and its firms")):
        assert f"note {side}: (file): {what}" in result.stderr
        assert f"could not be checked: {cluster} is invalid" in result.stderr
    # A count per file, and all the other clusters were checked after the bad one.
    counts = dict(re.findall(r"^  (\S+): (\d+) problems?$", result.stdout, re.M))
    assert counts == {str(cluster): "2", str(strategy): "2", str(plan): "2", str(firms): "1"}, result.stdout
    assert f"{CLUSTERS} clusters: {CLUSTERS - 1} valid, 1 invalid" in result.stdout


def test_a_sidecar_named_alone_is_checked_with_its_cluster(params: Path):
    plan = edit(params / f"{KEBUMEN}.plan.yaml", "lead: disperindag-kebumen", "lead: dinas-pariwisata")
    result = run("validate", str(plan))
    assert result.exit_code == 1
    assert f"error {plan}: programmes[1].lead: 'dinas-pariwisata' is not a stakeholder" in result.stderr
    assert "1 cluster: 0 valid, 1 invalid" in result.stdout


def test_a_cluster_named_with_its_own_sidecar_is_checked_once(params: Path):
    cluster = params / f"{KEBUMEN}.yaml"
    result = run("validate", str(cluster), str(params / f"{KEBUMEN}.plan.yaml"))
    assert result.exit_code == 0, result.stderr
    assert "duplicate id" not in result.stderr
    assert "1 cluster: 1 valid, 0 invalid" in result.stdout


def test_an_unreadable_firm_csv_is_a_problem_named_by_file(params: Path, monkeypatch):
    import errno

    from cluster_reports.inputs import files

    real = files.read_limited

    def unreadable(path: Path, *args, **kwargs) -> bytes:
        if path.suffix == ".csv":  # as root, chmod 000 does not stop a read
            raise PermissionError(errno.EACCES, "Permission denied")
        return real(path, *args, **kwargs)
    monkeypatch.setattr(files, "read_limited", unreadable)
    result = run("validate", str(params / f"{KEBUMEN}.yaml"))
    assert result.exit_code == 1
    # Named where it is named (the monitoring file's firms_csv), and which file could not be read.
    assert (f"error {params / KEBUMEN}.monitoring.yaml: firms_csv: {params / KEBUMEN}.monitoring-firms.csv: "
            "cannot be read: Permission denied") in result.stderr
