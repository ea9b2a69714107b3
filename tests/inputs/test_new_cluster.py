"""`cluster-reports new`: the started files validate and render with their starting values flagged as
illustrative; every refusal names its reason, exits 2 and writes nothing."""

from __future__ import annotations

import datetime as dt
import re
import zipfile
from pathlib import Path

import pytest
import yaml
from checks import LEFTOVERS
from typer.testing import CliRunner

from cluster_reports.cli import app
from cluster_reports.inputs import new_cluster, params_io

ALL = "strategy,plan,monitoring"


def run(*args: str):
    return CliRunner().invoke(app, list(args))


def new(params: Path, *args: str):
    return run("new", *args, "--params", str(params))


def files_under(root: Path) -> list[Path]:
    return sorted(p for p in root.rglob("*") if p.is_file()) if root.exists() else []


def validates(path: Path) -> None:
    result = run("validate", str(path))
    assert result.exit_code == 0, result.output
    assert "1 valid, 0 invalid" in result.output


def sources_cited(path: Path) -> dict[str, set[str]]:
    """Section -> the kinds of the sources its provenance cites."""
    data = yaml.safe_load(path.read_text(encoding="utf-8"))
    kinds = {s["id"]: s["kind"] for s in data.get("sources", [])}
    return {e["field"]: {kinds.get(i, i) for i in ([e["source"]] if isinstance(e["source"], str)
                                                    else e["source"])}
            for e in data["provenance"]}


@pytest.fixture(scope="module")
def started(tmp_path_factory) -> Path:
    """A regency's cluster with all its sidecars, started once for the module."""
    params = tmp_path_factory.mktemp("params")
    result = new(params, "kebumen-new-tile", "--province", "Jawa Tengah", "--regency", "Kabupaten Kebumen",
                 "--group", "rural-indigenous", "--with", ALL)
    assert result.exit_code == 0, result.output
    return params / "clusters" / "jawa-tengah" / "kebumen-new-tile.yaml"


def test_regency_cluster_with_sidecars_validates(started):
    assert sorted(p.name for p in started.parent.iterdir()) == [
        "kebumen-new-tile.monitoring.yaml", "kebumen-new-tile.plan.yaml",
        "kebumen-new-tile.strategy.yaml", "kebumen-new-tile.yaml"]
    validates(started)
    loaded = params_io.load_file(started)
    assert loaded.params.location.regency_record.kind == "kabupaten"
    assert loaded.params.reference_year == dt.date.today().year
    assert set(loaded.parts) == {"strategy", "plan", "monitoring"}
    assert loaded.plan.year == dt.date.today().year + 1


def test_every_section_cites_the_illustrative_starting_values(started):
    loaded = params_io.load_file(started)
    (source,) = loaded.params.sources
    assert source.kind == "illustrative" and source.not_survey_data
    assert source.title.en == "Starting values to be replaced by the survey"
    assert source.title.id == "Nilai awal yang akan diganti dengan hasil survei"
    cited = sources_cited(started)
    for section in ("products", "industry", "currency", "firms", "swot", "assessment", "selection"):
        assert cited[section] == {"illustrative"}, section
    for part in ("strategy", "plan", "monitoring"):
        side = started.with_name(f"kebumen-new-tile.{part}.yaml")
        assert all(e.source == [new_cluster.SOURCE_ID] for e in loaded.parts[part].provenance), part
        assert side.read_text(encoding="utf-8").startswith("#")


def test_comments_explain_sections_in_both_languages(started):
    text = started.read_text(encoding="utf-8")
    assert "Bank Indonesia" in text and "not known" in text and "tidak diketahui" in text
    for key in ("products", "firms", "swot", "assessment", "selection", "currency", "provenance"):
        block = text.split(f"\n{key}:")[0].rsplit("\n\n", 1)[-1].splitlines()
        assert len(block) >= 2 and all(line.startswith("# ") for line in block), key


def test_city_cluster_without_sidecars(tmp_path):
    result = new(tmp_path, "tegal-new-parts", "--province", "jawa tengah", "--regency", "Kota Tegal",
                 "--group", "metal-machinery")
    assert result.exit_code == 0, result.output
    path = tmp_path / "clusters" / "jawa-tengah" / "tegal-new-parts.yaml"
    assert files_under(tmp_path) == [path]
    validates(path)
    loaded = params_io.load_file(path).params
    assert loaded.location.regency_record.kind == "kota"
    assert loaded.location.province == "Jawa Tengah"  # written as the official list spells it


def test_like_a_sample_copies_it_as_illustrative(tmp_path):
    result = new(tmp_path, "sidoarjo-new-metal", "--province", "Jawa Timur", "--regency",
                 "Kabupaten Sidoarjo", "--like", "waru-sidoarjo-metalwork", "--with", ALL)
    assert result.exit_code == 0, result.output
    path = tmp_path / "clusters" / "jawa-timur" / "sidoarjo-new-metal.yaml"
    validates(path)
    text = path.read_text(encoding="utf-8")
    assert text.splitlines()[1].startswith("# Started from the sample cluster waru-sidoarjo-metalwork")
    loaded = params_io.load_file(path)
    sample = params_io.load_file(new_cluster.find_like("waru-sidoarjo-metalwork", tmp_path))
    assert loaded.params.group == sample.params.group  # taken from the sample when not given
    assert loaded.params.firms == sample.params.firms
    assert loaded.params.selection.round == "sidoarjo-new-metal"  # not ranked in the sample's round
    assert [s.kind for s in loaded.params.sources] == ["illustrative"]
    assert "waru-sidoarjo-metalwork" in loaded.params.sources[0].note.en
    assert all(e.source == [new_cluster.SOURCE_ID] for e in loaded.params.provenance)
    covered = {e.field for e in loaded.params.provenance}
    assert {"firms", "markets", "swot", "assessment", "stakeholders"} <= covered
    assert loaded.plan.programmes == sample.plan.programmes
    for part in loaded.parts.values():
        assert all(e.source == [new_cluster.SOURCE_ID] for e in part.provenance)
    # The comments of the sections are those of a fresh start.
    assert "# Strengths, weaknesses, opportunities and threats" in text


def test_like_a_sample_without_sidecars_starts_them_fresh(tmp_path):
    result = new(tmp_path, "hsu-new-rattan", "--province", "Kalimantan Selatan", "--regency",
                 "Kabupaten Tabalong", "--like", "amuntai-rattan", "--with", ALL,
                 "--group", "export-oriented")
    assert result.exit_code == 0, result.output
    path = tmp_path / "clusters" / "kalimantan-selatan" / "hsu-new-rattan.yaml"
    validates(path)
    loaded = params_io.load_file(path)
    assert loaded.strategy.responsibilities[0].lead == new_cluster.OFFICE_ID
    offices = {s.id: s.name for s in loaded.params.stakeholders}
    assert offices[new_cluster.OFFICE_ID].endswith("Kabupaten Tabalong")
    assert "amuntai" not in path.with_name("hsu-new-rattan.plan.yaml").read_text(encoding="utf-8")


REFUSALS = [
    (["Kebumen-Tile", "--province", "Jawa Tengah", "--regency", "Kabupaten Kebumen", "--group",
      "rural-indigenous"], "lower-case letters"),
    (["a" * 81, "--province", "Jawa Tengah", "--regency", "Kabupaten Kebumen", "--group",
      "rural-indigenous"], "at most 80"),
    (["x-tile", "--province", "Jawa Tngah", "--regency", "Kabupaten Kebumen", "--group",
      "rural-indigenous"], "closest: 'Jawa Tengah'"),
    (["x-tile", "--province", "Jawa Tengah", "--regency", "Kebumen", "--group", "rural-indigenous"],
     "closest: 'Kabupaten Kebumen'"),
    (["x-tile", "--province", "DKI Jakarta", "--regency", "Jakarta Selatan", "--group", "rural-indigenous"],
     "closest: 'Daerah Khusus Ibukota Jakarta'"),
    (["x-tile", "--province", "Jawa Barat", "--regency", "Kabupaten Kebumen", "--group",
      "rural-indigenous"], "is in Jawa Tengah, not in Jawa Barat"),
    (["x-tile", "--province", "Jawa Tengah", "--regency", "Kabupaten Kebumen", "--group", "rural"],
     "not a group of the method"),
    (["x-tile", "--province", "Jawa Tengah", "--regency", "Kabupaten Kebumen"], "--group is required"),
    (["x-tile", "--province", "Jawa Tengah", "--regency", "Kabupaten Kebumen", "--like", "kebumen-tile"],
     "closest: 'kebumen-roof-tile'"),
    (["x-tile", "--province", "Jawa Tengah", "--regency", "Kabupaten Kebumen", "--group",
      "rural-indigenous", "--with", "monitoring"], "ask for both: --with plan,monitoring"),
    (["x-tile", "--province", "Jawa Tengah", "--regency", "Kabupaten Kebumen", "--group",
      "rural-indigenous", "--with", "budget"], "--with budget: unknown"),
]


@pytest.mark.parametrize(("args", "reason"), REFUSALS, ids=[r for _, r in REFUSALS])
def test_refusals_name_the_reason_and_write_nothing(tmp_path, args, reason):
    result = new(tmp_path, *args)
    assert result.exit_code == 2, result.output
    assert reason in result.output and "nothing was written" in result.output
    assert files_under(tmp_path) == []


def test_an_existing_id_anywhere_under_the_params_tree_is_refused(tmp_path):
    other = tmp_path / "clusters" / "aceh" / "x-tile.yaml"
    other.parent.mkdir(parents=True)
    other.write_text("kept as it was\n", encoding="utf-8")
    result = new(tmp_path, "x-tile", "--province", "Jawa Tengah", "--regency", "Kabupaten Kebumen",
                 "--group", "rural-indigenous")
    assert result.exit_code == 2
    assert "already used by" in result.output and str(other) in result.output
    assert files_under(tmp_path) == [other] and other.read_text(encoding="utf-8") == "kept as it was\n"


def test_a_cluster_file_giving_the_id_under_another_name_is_refused(tmp_path):
    other = tmp_path / "clusters" / "aceh" / "renamed.yaml"
    other.parent.mkdir(parents=True)
    other.write_text("# a cluster renamed by hand\nid: x-tile\n", encoding="utf-8")
    result = new(tmp_path, "x-tile", "--province", "Aceh", "--regency", "Kabupaten Aceh Selatan",
                 "--group", "export-oriented")
    assert result.exit_code == 2 and str(other) in result.output
    assert files_under(tmp_path) == [other]


def test_like_an_invalid_cluster_is_refused_not_copied(tmp_path):
    shipped = new_cluster.find_like("amuntai-rattan", tmp_path)
    data = yaml.safe_load(shipped.read_text(encoding="utf-8"))
    data["id"] = "broken-sample"
    del data["swot"]
    broken = tmp_path / "clusters" / "aceh" / "broken-sample.yaml"
    broken.parent.mkdir(parents=True)
    broken.write_text(yaml.safe_dump(data, allow_unicode=True), encoding="utf-8")
    result = new(tmp_path, "x-tile", "--province", "Aceh", "--regency", "Kabupaten Aceh Selatan",
                 "--like", "broken-sample")
    assert result.exit_code == 2, result.output
    assert "--like 'broken-sample'" in result.output and "swot" in result.output
    assert files_under(tmp_path) == [broken]


def test_the_clusters_folder_given_as_params_is_refused(tmp_path):
    result = new(tmp_path / "clusters", "x-tile", "--province", "Aceh", "--regency",
                 "Kabupaten Aceh Selatan", "--group", "export-oriented")
    assert result.exit_code == 2 and "give the params folder" in result.output
    assert files_under(tmp_path) == []


def test_starting_scores_rank_no_real_cluster(started):
    """A new cluster is a selection round of its own until scored: its midpoint scores must not
    outrank (or be ranked with) the province's scored clusters."""
    params = params_io.load_file(started).params
    assert params.selection_round == "kebumen-new-tile"


def test_files_appearing_while_writing_are_not_replaced(tmp_path):
    first, second = tmp_path / "a.yaml", tmp_path / "b.yaml"
    second.write_text("someone else's\n", encoding="utf-8")
    with pytest.raises(FileExistsError):
        new_cluster.write({first: "id: a\n", second: "id: b\n"})
    assert files_under(tmp_path) == [second] and second.read_text(encoding="utf-8") == "someone else's\n"


def test_user_text_is_quoted_not_read_as_yaml_or_markers():
    text = new_cluster.fill("# @@a@@\nkey: @@a@@\nother: @@b@@\n", {"a": "x: [1]\n@@b@@ #c", "b": 7})
    assert yaml.safe_load(text) == {"key": "x: [1]\n@@b@@ #c", "other": 7}
    assert text.splitlines()[0] == "# x: [1] @@b@@ #c"


def test_profile_renders_in_both_languages_with_placeholders_flagged(started, tmp_path):
    out = tmp_path / "out"
    result = run("render", str(started), "--doc", "profile", "--lang", "id,en", "--format", "docx,html",
                 "--out", str(out))
    assert result.exit_code == 0, result.output
    folder = out / "jawa-tengah" / "kebumen-new-tile"
    assert {p.name for p in folder.iterdir()} >= {"profile.en.docx", "profile.id.docx", "profile.en.html",
                                                  "profile.id.html"}
    flag = {"en": "Illustrative value (not survey data)", "id": "Nilai ilustratif (bukan data survei)"}
    for lang in ("en", "id"):
        page = (folder / f"profile.{lang}.html").read_text(encoding="utf-8")
        body = re.sub(r"<(style|script)\b.*?</\1>", "", page, flags=re.S)
        text = re.sub(r"<[^>]+>", " ", body)
        with zipfile.ZipFile(folder / f"profile.{lang}.docx") as docx:
            word = re.sub(r"<[^>]+>", "", docx.read("word/document.xml").decode("utf-8"))
        for written in (text, word):
            assert not LEFTOVERS.search(written), (lang, LEFTOVERS.search(written))
            assert not re.search(r"@@|\bnull\b", written), lang
        assert flag[lang] in text and flag[lang] in word
        assert 'class="note note-illustrative"' in page
        # The placeholder texts read as sentences, not as template leftovers.
        assert {"en": "new SME cluster (name to be given)",
                "id": "sentra IKM baru (nama akan ditetapkan)"}[lang].lower() in text.lower()
