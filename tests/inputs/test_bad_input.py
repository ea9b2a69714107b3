"""Bad input: a clear message naming file, field and reason; non-zero exit; no traceback; no output."""

from __future__ import annotations

import shutil

import pytest
import sample_facts
import yaml
from cli_run import cli, cli_in_process
from conftest import SAMPLE

BASE = SAMPLE / "jawa-tengah" / "tegal-metalwork.yaml"


def base_data() -> dict:
    return yaml.safe_load(BASE.read_text(encoding="utf-8"))


def dump(data: dict) -> str:
    return yaml.safe_dump(data, allow_unicode=True, sort_keys=False)


def with_change(change) -> str:
    data = base_data()
    change(data)
    return dump(data)


CASES = {
    "malformed-yaml": (
        lambda: BASE.read_text(encoding="utf-8").replace("group:", "group: [unclosed", 1),
        "line", "malformed YAML",
    ),
    "unknown-key": (
        lambda: with_change(lambda d: d.update(reference_yaer=2003)),
        "reference_yaer", "unknown key",
    ),
    "wrong-type": (
        lambda: with_change(lambda d: d["currency"].update(usd_rate="eight thousand")),
        "currency.usd_rate", "valid number",
    ),
    "score-over-maximum": (
        lambda: with_change(lambda d: d["selection"].update(growth_opportunity=60)),
        "selection.growth_opportunity", "less than or equal to 54",
    ),
    "unknown-regency": (
        lambda: with_change(lambda d: d["location"].update(regency="Kabupaten Atlantis")),
        "location.regency", "unknown regency 'Kabupaten Atlantis'",
    ),
    "path-separator-in-id": (
        lambda: with_change(lambda d: d.update(id="../../etc/evil")),
        "id", "is not a valid id",
    ),
}


@pytest.mark.parametrize("case", sorted(CASES))
def test_bad_file_is_reported_and_nothing_is_written(case, tmp_path):
    make, field, reason = CASES[case]
    bad = tmp_path / "params" / "bad.yaml"
    bad.parent.mkdir()
    bad.write_text(make(), encoding="utf-8")

    result = cli_in_process("validate", str(bad))
    assert result.returncode != 0
    assert "Traceback" not in result.stderr + result.stdout
    line = next((ln for ln in result.stderr.splitlines() if str(bad) in ln), "")
    assert field in line and reason in line, result.stderr

    out = tmp_path / "out"
    result = cli("render", str(bad), "--out", str(out), "--params-root", str(bad.parent),
                 cwd=tmp_path)
    assert result.returncode != 0
    assert "Traceback" not in result.stderr + result.stdout
    assert str(bad) in result.stderr
    assert not out.exists() or not any(out.rglob("*.*"))


def test_non_utf8_file(tmp_path):
    bad = tmp_path / "latin1.yaml"
    bad.write_bytes(BASE.read_text(encoding="utf-8").replace("Tegal", "Tégal").encode("latin-1"))
    result = cli("validate", str(bad), cwd=tmp_path)
    assert result.returncode != 0
    assert "Traceback" not in result.stderr
    assert f"{bad}: (file): is not UTF-8" in result.stderr


def test_duplicate_id_across_files(tmp_path):
    folder = tmp_path / "clusters"
    folder.mkdir()
    shutil.copy(BASE, folder / "a.yaml")
    shutil.copy(BASE, folder / "b.yaml")
    result = cli("validate", str(folder), cwd=tmp_path)
    assert result.returncode != 0
    assert "duplicate id 'tegal-metalwork'" in result.stderr
    assert str(folder / "a.yaml") in result.stderr and str(folder / "b.yaml") in result.stderr
    out = tmp_path / "out"
    result = cli("render", str(folder), "--out", str(out), "--params-root", str(folder),
                 cwd=tmp_path)
    assert result.returncode != 0
    assert not out.exists() or not any(out.rglob("*.*"))


def test_every_problem_of_a_file_is_listed(tmp_path):
    def change(d):
        d["selection"]["action_capacity"] = 40
        d["colour"] = "red"
        del d["swot"]
    bad = tmp_path / "many.yaml"
    bad.write_text(with_change(change), encoding="utf-8")
    result = cli("validate", str(bad), cwd=tmp_path)
    assert result.returncode == 1
    for field in ("selection.action_capacity", "colour", "swot"):
        assert f"{bad}: {field}:" in result.stderr


def test_valid_sample_validates(tmp_path):
    result = cli("validate", str(SAMPLE), cwd=tmp_path)
    assert result.returncode == 0, result.stderr
    n = sample_facts.count()
    assert f"{n} clusters: {n} valid, 0 invalid" in result.stdout


def test_schema_is_json_schema_forbidding_unknown_keys(tmp_path):
    import json

    result = cli("schema", cwd=tmp_path)
    assert result.returncode == 0
    schema = json.loads(result.stdout)
    assert schema["additionalProperties"] is False
    assert "selection" in schema["properties"]
    assert schema["$defs"]["Selection"]["properties"]["growth_opportunity"]["maximum"] == 54


def test_unknown_document_language_or_format(tmp_path):
    for option, value in (("--doc", "brochure"), ("--lang", "fr"), ("--format", "pdf")):
        # The last as a user runs it; the others in process (the same parsing, without the start-up).
        args = ("render", str(BASE), option, value, "--out", str(tmp_path / "o"))
        result = cli(*args, cwd=tmp_path) if option == "--format" else cli_in_process(*args)
        assert result.returncode != 0
        assert value in result.stderr and "Traceback" not in result.stderr
    assert not (tmp_path / "o").exists()
