"""A text given in one language only is accepted (issue 16): validate warns, naming each field, and
counts what is left to translate; a text given in neither language is an error."""

from __future__ import annotations

import json
import re
from pathlib import Path

import pytest
from one_language_tree import CLUSTER, MISSING, PRODUCT_ID, build, read, write
from typer.testing import CliRunner

from cluster_reports.cli import app
from cluster_reports.inputs import params_io
from cluster_reports.inputs.schema import Text, Untranslated

NAMES = {"en": "English", "id": "Indonesian"}


def run(*args: str):
    return CliRunner().invoke(app, list(args), catch_exceptions=False)


@pytest.fixture
def cluster_file(tmp_path: Path) -> Path:
    return build(tmp_path)


def test_validate_warns_for_each_text_and_counts_what_is_left(cluster_file: Path):
    result = run("validate", str(cluster_file.parent))
    assert result.exit_code == 0, result.output
    warnings = [line for line in result.stderr.splitlines() if line.startswith("warning ")]
    assert not [line for line in result.stderr.splitlines() if line.startswith("error ")]
    expected = []
    for name, fields in MISSING.items():
        for field, missing in fields.items():
            given = NAMES["id" if missing == "en" else "en"]
            expected.append(f"{name}: {field}: given in {given} only; the {NAMES[missing]} documents show "
                            f"it in {given}, marked as not yet translated")
    for line in expected:
        assert any(line in w for w in warnings), (line, warnings)
    assert len(warnings) == len(expected), warnings
    # The line of the field in the file, as for errors.
    assert re.search(r"products\[0\]\.name: .*\(line \d+\)", result.stderr)
    assert "4 texts to translate into English, 1 text to translate into Indonesian" in result.stdout
    assert "1 cluster: 1 valid, 0 invalid" in result.stdout


def test_a_text_in_neither_language_is_an_error_naming_the_field(cluster_file: Path):
    data = read(cluster_file)
    data["products"][1]["name"] = {"en": "", "id": "  "}
    write(cluster_file, data)
    result = run("validate", str(cluster_file))
    assert result.exit_code == 1
    errors = [line for line in result.stderr.splitlines() if line.startswith("error ")]
    assert len(errors) == 1, errors
    assert f"{cluster_file}: products[1].name: give the text in at least one language" in errors[0]


def test_the_loaded_text_says_which_language_it_lacks(cluster_file: Path):
    loaded, problems = params_io.load_many([cluster_file])
    assert loaded and not [p for p in problems if p.severity == "error"]
    name = loaded[0].params.products[0].name
    assert name.missing == "en" and name.id == PRODUCT_ID
    shown = name.get("en")
    assert isinstance(shown, Untranslated) and shown == PRODUCT_ID and shown.lang == "id"
    assert name.any == PRODUCT_ID  # for messages and keys: never None
    assert name.get("id") == PRODUCT_ID and not isinstance(name.get("id"), Untranslated)
    # Dumped as given: the Indonesian is not written back as an English text.
    assert name.model_dump(exclude_none=True) == {"id": PRODUCT_ID}


def test_a_published_title_as_one_line_still_reads(cluster_file: Path):
    loaded = params_io.load_file(cluster_file)
    titles = [s.title for s in loaded.params.sources]
    assert any(isinstance(t, str) for t in titles) and any(isinstance(t, Text) for t in titles)


def test_render_says_the_count_once_and_renders(cluster_file: Path, tmp_path: Path):
    out = tmp_path / "out"
    result = run("render", CLUSTER, "--params-root", str(cluster_file.parents[1]), "--doc", "profile",
                 "--lang", "en", "--format", "html", "--out", str(out))
    assert result.exit_code == 0, result.output
    said = (result.stdout + result.stderr).count("texts to translate into English")
    assert said == 1, result.output
    assert "warning" in result.stdout and "products[0].name" not in result.stdout + result.stderr
    assert list(out.rglob("profile.en.html"))


def test_the_json_schema_states_the_rule():
    result = run("schema", "--kind", "cluster")
    schema = json.loads(result.stdout)
    text = schema["$defs"]["Text"]
    assert {"anyOf": [{"required": ["en"]}, {"required": ["id"]}]}.items() <= text.items()
    assert "At least one language is required" in text["description"]
    assert not set(text.get("required", []))


def test_the_workbook_keeps_a_missing_language_missing(cluster_file: Path, tmp_path: Path):
    """Written to a workbook, the English cell of an Indonesian-only text is left blank (not filled
    with the Indonesian); imported back, the blank cell is a missing language, not an empty text."""
    import shutil

    import openpyxl

    book = tmp_path / "kebumen.xlsx"
    result = run("workbook", str(cluster_file), "--out", str(book))
    assert result.exit_code == 0, result.output
    cells = [c.value for ws in openpyxl.load_workbook(book).worksheets for row in ws.iter_rows()
             for c in row]
    assert cells.count(PRODUCT_ID) == 1  # the Indonesian column only
    target = tmp_path / "imported" / "clusters"
    target.mkdir(parents=True)
    shutil.copytree(cluster_file.parents[2] / "programmes", target.parent / "programmes")
    result = run("import", str(book), "--out", str(target), "--lang", "en")
    assert result.exit_code == 0, result.output
    imported = target / "jawa-tengah" / f"{CLUSTER}.yaml"
    name = read(imported)["products"][0]["name"]
    assert name == {"id": PRODUCT_ID}
    again = params_io.load_file(imported)
    assert again.params == params_io.load_file(cluster_file).params


def test_an_unpublished_source_title_in_one_language_is_a_warning(cluster_file: Path):
    """A LineOrLabel: one line as published (both languages) or a pair, which may lack one language."""
    data = read(cluster_file)
    pair = next(n for n, s in enumerate(data["sources"]) if isinstance(s["title"], dict))
    data["sources"][pair]["title"] = {"id": data["sources"][pair]["title"]["id"]}
    write(cluster_file, data)
    loaded, problems = params_io.check_file(cluster_file)
    assert loaded is not None
    assert f"sources[{pair}].title" in {p.field for p in problems if p.severity == "warning"}
    assert loaded.params.sources[pair].title.missing == "en"
