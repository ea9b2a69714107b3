"""The covers' publication details: params/publication.yaml (the project's defaults) and a cluster's
own publication: block over it, validated like every params file (file, field, reason)."""

from __future__ import annotations

import json
import shutil
from pathlib import Path

import pytest
from conftest import ROOT
from typer.testing import CliRunner

from cluster_reports.cli import app
from cluster_reports.inputs import params_io
from cluster_reports.inputs.schema import Publication, Status

KEBUMEN = Path("clusters") / "jawa-tengah" / "kebumen-roof-tile.yaml"
PNG = b"\x89PNG\r\n\x1a\n" + b"\0" * 32
JPEG = b"\xff\xd8\xff\xe0" + b"\0" * 32


def run(*args: str):
    return CliRunner().invoke(app, list(args), catch_exceptions=False)


@pytest.fixture
def params(tmp_path: Path) -> Path:
    shutil.copytree(ROOT / "params", tmp_path / "params", ignore=shutil.ignore_patterns("*.overrides.yaml"))
    return tmp_path / "params"


def add_block(cluster: Path, block: str) -> None:
    with cluster.open("a", encoding="utf-8") as handle:
        handle.write("\n" + block)


def problems_of(path: Path) -> list[str]:
    loaded, problems = params_io.check_file(path)
    assert loaded is None
    return [str(p) for p in problems if p.severity == "error"]


def test_the_sample_takes_the_project_defaults(sample):
    for item in sample:
        cover = item.publication
        assert cover.agency.id == ("Direktorat Jenderal Industri Kecil, Menengah, dan Aneka, "
                                   "Kementerian Perindustrian")
        assert cover.agency.en == ("Directorate General of Small, Medium and Miscellaneous Industries, "
                                   "Ministry of Industry")
        assert (cover.status, cover.version, cover.logo) == (Status.draft, "0.1", None)


def test_a_cluster_block_overrides_field_by_field(params: Path):
    (params / "clusters" / "jawa-tengah" / "logo-dinas.png").write_bytes(PNG)
    add_block(params / KEBUMEN, "publication:\n  status: final\n  version: '1.0'\n  logo: logo-dinas.png\n")
    loaded = params_io.load_file(params / KEBUMEN)
    cover = loaded.publication
    assert (cover.status, cover.version) == (Status.final, "1.0")
    assert cover.agency.en.startswith("Directorate General of Small")  # from the project's file
    # The logo is found beside the file that names it, whichever folder the cover is made in.
    assert Path(cover.logo) == (params / "clusters" / "jawa-tengah" / "logo-dinas.png").resolve()


def test_the_project_logo_is_relative_to_publication_yaml(params: Path):
    (params / "emblem.jpg").write_bytes(JPEG)
    text = (params / "publication.yaml").read_text(encoding="utf-8")
    (params / "publication.yaml").write_text(text + "logo: emblem.jpg\n", encoding="utf-8")
    loaded = params_io.load_file(params / KEBUMEN)
    assert Path(loaded.publication.logo) == (params / "emblem.jpg").resolve()


def test_without_a_publication_file_a_cover_is_a_draft_without_agency(params: Path):
    (params / "publication.yaml").unlink()
    cover = params_io.load_file(params / KEBUMEN).publication
    assert cover == Publication()  # compose says: Draft, no agency line, no logo, no version


@pytest.mark.parametrize(
    ("block", "files", "field", "reason"),
    [
        ("publication:\n  logo: missing.png\n", {}, "publication.logo", "no such file"),
        ("publication:\n  logo: fake.png\n", {"fake.png": b"GIF89a not a png"}, "publication.logo",
         "is not a PNG or JPEG image"),
        ("publication:\n  logo: emblem.gif\n", {"emblem.gif": b"GIF89a"}, "publication.logo",
         "is not a PNG or JPEG file"),
        ("publication:\n  status: published\n", {}, "publication.status", "'draft' or 'final'"),
        ("publication:\n  agency: Dinas Perindustrian\n", {}, "publication.agency", ""),
        ("publication:\n  version: 'versi satu'\n", {}, "publication.version", ""),
        ("publication:\n  editor: x\n", {}, "publication.editor", ""),
    ],
)
def test_a_bad_cluster_block_is_named_by_file_and_field(params, block, files, field, reason):
    folder = (params / KEBUMEN).parent
    for name, data in files.items():
        (folder / name).write_bytes(data)
    add_block(params / KEBUMEN, block)
    found = problems_of(params / KEBUMEN)
    assert any(p.startswith(f"{params / KEBUMEN}: {field}: ") and reason in p for p in found), found


def test_a_bad_project_file_is_every_clusters_problem_and_validate_says_so(params: Path):
    project = params / "publication.yaml"
    project.write_text(project.read_text(encoding="utf-8").replace("status: draft", "status: drafts"),
                       encoding="utf-8")
    result = run("validate", str(params / "clusters"))
    assert result.exit_code == 1
    lines = [line for line in result.stderr.splitlines() if line.startswith("error ")]
    # Said once, naming the project's file and its field, not once per cluster.
    assert len([line for line in lines if "publication.yaml: status:" in line]) == 1, lines
    assert "'draft' or 'final'" in result.stderr
    assert "0 valid" in result.stdout


def test_publication_yaml_is_not_taken_for_a_cluster(params: Path):
    result = run("validate", str(params))
    assert result.exit_code == 0, result.stderr
    assert "publication.yaml" not in result.stderr


def test_schema_lists_the_publication_file_and_the_cluster_block():
    result = run("schema", "--kind", "publication")
    assert result.exit_code == 0
    document = json.loads(result.stdout)
    assert set(document["properties"]) == {"agency", "logo", "status", "version"}
    cluster = json.loads(run("schema", "--kind", "cluster").stdout)
    assert "publication" in cluster["properties"]
    assert any(d.get("enum") == ["draft", "final"] for d in cluster["$defs"].values())
