"""Bounds: numbers finite and within what a report can print, one-line texts without line breaks, no
text with control characters; each refused by validate as file: field: reason, before any render."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest
import yaml
from conftest import ROOT, SAMPLE
from pydantic import TypeAdapter, ValidationError
from rich.console import Console
from typer.testing import CliRunner

from cluster_reports.cli import app
from cluster_reports.inputs import params_io, synth
from cluster_reports.inputs.schema import bounds, common

KEBUMEN = SAMPLE / "jawa-tengah" / "kebumen-roof-tile"
PARTS = ("", ".strategy", ".plan", ".monitoring")  # the sample cluster's files, the cluster's first
CSV = "kebumen-roof-tile.monitoring-firms.csv"
LITERAL = "@@literal@@"  # where a case writes its value as YAML text, as a person would type it


def literal(text: str):
    """A value written into the file as this YAML text (1e309, .inf: what PyYAML would not dump)."""
    return (LITERAL, text)


def put(data: dict, path: str, value) -> None:
    """Set a dotted path such as 'firms.table[0].name' (a missing last key is added)."""
    keys = [int(k) if k.isdigit() else k for k in path.replace("[", ".").replace("]", "").split(".")]
    node = data
    for key in keys[:-1]:
        node = node[key]
    node[keys[-1]] = value


NUL, ESC, NEL = "\x00", "\x1b", "\x85"

# case -> (part of the cluster: '' or '.plan', field, value, the reason validate gives)
CASES: dict[str, tuple[str, str, object, str]] = {
    "usd-rate-inf": ("", "currency.usd_rate", literal(".inf"),
                     "must be a finite number (Rupiah per US dollar): this one reads as infinite"),
    "usd-rate-nan": ("", "currency.usd_rate", literal(".nan"),
                     "must be a finite number (Rupiah per US dollar): this one reads as NaN, not a number"),
    "usd-rate-1e309": ("", "currency.usd_rate", literal("1e309"),
                       "must be a finite number (Rupiah per US dollar): this one reads as infinite"),
    "usd-rate-1e-320": ("", "currency.usd_rate", literal("1e-320"),
                        "must be at least 1 (Rupiah per US dollar)"),
    "usd-rate-million": ("", "currency.usd_rate", 1_000_001,
                         "must be at most 1,000,000 (Rupiah per US dollar)"),
    "plan-usd-rate-1e309": (".plan", "prices", {"year": 2003, "usd_rate": literal("1e309")},
                            "must be a finite number (Rupiah per US dollar): this one reads as infinite"),
    "firm-count-1e30": ("", "firms.by_size.micro", literal("1" + "0" * 30),
                        "must be at most 10,000,000 (a count of firms)"),
    "firm-count-1.0e+30": ("", "firms.by_size.small", literal("1.0e+30"),
                           "must be at most 10,000,000 (a count of firms)"),
    "worker-count-1e30": ("", "workers", literal("1" + "0" * 30),
                          "must be at most 10,000,000 (a count of workers)"),
    "firm-workers-1e30": ("", "firms.table[0].workers", literal("1" + "0" * 30),
                          "must be at most 10,000,000 (a count of workers)"),
    "sales-10^400-as-float": ("", "annual_sales", literal("1.0e+400"),
                              "must be a finite number (an amount in Rupiah): this one reads as infinite"),
    "sales-10^400-digits": ("", "annual_sales", literal("1" + "0" * 400),
                            "must be at most 1,000,000,000,000,000, a quadrillion (an amount in Rupiah)"),
    "firm-sales-10^400": ("", "firms.table[0].annual_sales", literal("1.0e+400"),
                          "must be a finite number (an amount in Rupiah): this one reads as infinite"),
    "share-nan": ("", "markets[0].share_pct", literal(".nan"),
                  "must be a finite number (a percentage): this one reads as NaN, not a number"),
    "share-over-100": ("", "markets[0].share_pct", 101, "must be at most 100 (a percentage)"),
    "score-1e30": ("", "assessment.demand.score", literal("1.0e+30"), "must be from 1 to 5 (a score)"),
    "year-inf": ("", "reference_year", literal(".inf"),
                 "must be a finite number (a year): this one reads as infinite"),
    "output-1e-320": ("", "products[0].output.quantity", literal("1.0e-320"), "must be 0 or at least 1e-06 "
                      "in size: a smaller number prints as 0 (a quantity of units)"),
    "budget-rate-10^16": (".plan", "programmes[1].budget[0].rate", 10**16,
                          "must be at most 1,000,000,000,000,000, a quadrillion (an amount in Rupiah)"),
    "indicator-actual-inf": (".monitoring", "indicators[0].actuals.q1", literal("-.inf"),
                             "must be a finite number (an indicator's value): this one reads as infinite"),
    "spent-10^400": (".monitoring", "programmes[0].spent", literal("1.0e+400"),
                     "must be a finite number (an amount in Rupiah): this one reads as infinite"),
    "newline-in-programme-title": (".plan", "programmes[0].title.en", {"en": "Initial\nsocialisation",
                                                                      "id": "Sosialisasi awal"},
                                   "must be one line: remove the line break (U+000A at position 8)"),
    "newline-in-firm-name": ("", "firms.table[0].name", "UD Sokka\nJaya",
                             "must be one line: remove the line break (U+000A at position 9)"),
    "newline-in-cluster-name": ("", "name.id", {"en": "Kebumen roof tile", "id": "Sentra\ngenteng"},
                                "must be one line: remove the line break (U+000A at position 7)"),
    "tab-in-stakeholder-name": ("", "stakeholders[0].name", "Dinas\tPerindustrian",
                                "must be one line: replace the tab (U+0009 at position 6) with a space"),
    "line-separator-in-title": ("", "name.en", {"en": "Kebumen\u2028roof tile", "id": "Sentra genteng"},
                                "must be one line: remove the line break (U+2028 at position 8)"),
    **{
        f"{name}-in-{where}": ("", field, value,
                               f"holds the control character U+{ord(ch):04X} at position 4: remove it")
        for ch, name in ((NUL, "nul"), (ESC, "esc"), (NEL, "u0085"))
        for where, field, value in (
            ("text-en", "name.en", {"en": f"Keb{ch}umen", "id": "Sentra genteng"}),
            ("text-id", "swot.strengths[0].id", {"en": "Strong", "id": f"Kua{ch}t sekali"}),
            ("plain-str", "stakeholders[0].name", f"Din{ch}as"),
        )
    },
    "del-in-programme-objective": (".plan", "programmes[0].objective.en",
                                   {"en": "Get\x7f going", "id": "Mulai"},
                                   "holds the control character U+007F at position 4: remove it"),
    "noncharacter-in-lesson": (".monitoring", "lessons[0].en", {"en": "Les\ufffeson", "id": "Pelajaran"},
                               "holds the noncharacter U+FFFE at position 4: remove it"),
}


def write_case(root: Path, case: str) -> Path:
    """The sample's Kebumen cluster with one bad value, as its own cluster in ``root/<case>/``: its id
    and its sidecars' ``cluster`` made unique. Returns the file the problem is in."""
    part, field, value, _ = CASES[case]
    folder = root / case
    folder.mkdir(parents=True)
    new_id = "bounds-" + "".join(c if c.isalnum() else "-" for c in case.lower()).strip("-")
    new_id = "-".join(filter(None, new_id.split("-")))
    shutil.copy(KEBUMEN.parent / CSV, folder / CSV)
    target = None
    for suffix in PARTS:
        source = KEBUMEN.parent / f"{KEBUMEN.name}{suffix}.yaml"
        data = yaml.safe_load(source.read_text(encoding="utf-8"))
        put(data, "id" if suffix == "" else "cluster", new_id)
        text_value = None
        if suffix == part:
            if isinstance(value, dict) and isinstance(value.get("usd_rate"), tuple):
                value, text_value = {**value, "usd_rate": LITERAL}, value["usd_rate"][1]
            if isinstance(value, tuple) and value[0] == LITERAL:
                value, text_value = LITERAL, value[1]
            # A text pair's case names the language at fault; the pair is put in the field above it.
            put(data, field.removesuffix(".en").removesuffix(".id") if isinstance(value, dict) else field,
                value)
        # Not allow_unicode: a raw U+0085 in a YAML file is a line break (folded to a space); the
        # escape \N is how it gets into a value, as \0 and \e for NUL and ESC.
        text = yaml.safe_dump(data, allow_unicode=False, sort_keys=False, width=10_000)
        if text_value is not None:
            assert text.count(f"'{LITERAL}'") == 1, text
            text = text.replace(f"'{LITERAL}'", text_value)
        path = folder / f"{new_id}{suffix}.yaml"
        path.write_text(text, encoding="utf-8")
        if suffix == part:
            target = path
    assert target is not None
    return target


def cluster_file(target: Path) -> Path:
    return next(p for p in target.parent.glob("*.yaml") if p.name.count(".") == 1)


def errors_of(cluster: Path) -> list[tuple[str, str, str]]:
    _, problems = params_io.check_file(cluster, ROOT / "params" / "programmes")
    return [(p.file, p.field, p.reason) for p in problems if p.severity == "error"]


@pytest.mark.parametrize("case", sorted(CASES))
def test_each_bad_value_is_one_problem_naming_its_field(case, tmp_path):
    target = write_case(tmp_path, case)
    _, field, value, reason = CASES[case]
    field = "prices.usd_rate" if field == "prices" else field
    assert errors_of(cluster_file(target)) == [(str(target), field, reason)]


def test_a_monitoring_csv_is_held_to_the_same_bounds(tmp_path, monkeypatch):
    monkeypatch.setitem(CASES, "csv", ("", "workers", 2400, ""))  # the cluster as shipped
    cluster = write_case(tmp_path, "csv")
    csv = cluster.parent / CSV
    rows = csv.read_text(encoding="utf-8").splitlines()
    rows[1] = rows[1].replace("556000000", "1" + "0" * 400)
    rows[2] = rows[2].replace("Genteng Sokka Makmur", "Genteng\x85Sokka Makmur", 1)
    csv.write_text("\n".join(rows) + "\n", encoding="utf-8")
    assert errors_of(cluster) == [
        (str(csv), "row 2, column 'turnover'",
         "must be at most 1,000,000,000,000,000, a quadrillion (an amount in Rupiah)"),
        (str(csv), "row 3, column 'firm'", "holds the control character U+0085 at position 8: remove it"),
    ]


# --- what stays allowed -------------------------------------------------------------------------

ALLOWED = {
    "newline-in-a-note": ("", "raw_materials[0].note",
                          {"en": "First line.\nSecond line.", "id": "Satu.\nDua."}),
    "tab-in-a-paragraph": ("", "swot.strengths[0]", {"en": "Strong\tand old", "id": "Kuat"}),
    "bidi-controls-in-a-name": ("", "stakeholders[0].name",
                                "Dinas \u202b\u0627\u0644\u0639\u0631\u0628\u064a\u0629\u202c"
                                " \u2067x\u2069 \u200e\u200f"),
    "line-break-at-the-end-of-a-title": ("", "name", {"en": "Kebumen roof tile\n", "id": "Sentra genteng\n"}),
    "largest-count": ("", "firms.by_size.micro", 10_000_000),
    "usd-rate-of-1": ("", "currency.usd_rate", 1),
}


@pytest.mark.parametrize("case", sorted(ALLOWED))
def test_what_a_real_file_may_hold_still_validates(case, tmp_path, monkeypatch):
    part, field, value = ALLOWED[case]
    monkeypatch.setitem(CASES, case, (part, field, value, ""))
    target = write_case(tmp_path, case)
    problems = [e for e in errors_of(cluster_file(target))
                if not (case == "largest-count" and e[1] == "firms")]  # more micro firms than the table: fine
    assert problems == []


# --- the types themselves -----------------------------------------------------------------------

TYPES = [
    (bounds.FirmCount, 10_000_000, True), (bounds.FirmCount, 10_000_001, False),
    (bounds.FirmCount, "12", True),
    (bounds.Rupiah, 10**15, True), (bounds.Rupiah, 10**15 + 1, False), (bounds.Rupiah, "9" * 5001, False),
    (bounds.Rupiah, float("inf"), False), (bounds.Rupiah, 1.5, False),
    (bounds.UsdRate, 8000, True), (bounds.UsdRate, 0.5, False), (bounds.UsdRate, 0, False),
    (bounds.UsdRate, "1e309", False), (bounds.UsdRate, 1_000_000, True),
    (bounds.Percent, 100, True), (bounds.Percent, 100.01, False), (bounds.Percent, float("nan"), False),
    (bounds.Measure, -5.5, True), (bounds.Measure, -1e16, False), (bounds.Measure, 0, True),
    (bounds.PriceIndex, 0.0001, False), (bounds.PriceIndex, 213, True),
    (bounds.Months, 121, False), (bounds.Kilometres, 2000.5, False),
    (bounds.Year, 1799, False), (bounds.Year, 2100, True), (bounds.YearSince1990, 1e30, False),
]


@pytest.mark.parametrize(("kind", "value", "valid"), TYPES)
def test_bounded_types(kind, value, valid):
    adapter = TypeAdapter(kind)
    if valid:
        adapter.validate_python(value)
    else:
        with pytest.raises(ValidationError):
            adapter.validate_python(value)


@pytest.mark.parametrize(("text", "why"), [
    ("ok \u202e\u2066 ok", None),
    ("a\ud800b", "holds a lone surrogate (half of a character), U+D800 at position 2: remove it"),
    ("a\U0010ffffb", "holds the noncharacter U+10FFFF at position 2: remove it"),
    ("a\ufdd0", "holds the noncharacter U+FDD0 at position 2: remove it"),
    ("\x9bx", "holds the control character U+009B at position 1: remove it"),
    ("x\ry", "holds the control character U+000D at position 2: remove it"),
])
def test_clean_text(text, why):
    assert bounds.clean_text(text) == why


def test_a_text_built_in_code_is_checked_too():
    with pytest.raises(ValidationError, match=r"U\+001B at position 2"):
        common.Text(en="a\x1b", id="b")
    assert common.Text(en="a\nb", id="c").en == "a\nb"


# --- end to end: validate refuses every case, render never starts -------------------------------


def run(*args: str):
    """The CLI in this process, as tests/inputs/test_validate_all.py runs it (a subprocess would spend
    most of its time importing)."""
    return CliRunner().invoke(app, list(args), catch_exceptions=False)


# The cases, each in its own cluster of one params tree (all the cases are checked in-process above).
END_TO_END = ("usd-rate-inf", "usd-rate-1e309", "usd-rate-1e-320", "firm-count-1e30", "sales-10^400-as-float",
              "newline-in-programme-title", "newline-in-firm-name", "nul-in-text-en", "esc-in-text-id",
              "u0085-in-plain-str")


def test_validate_refuses_every_case_and_render_writes_nothing(tmp_path):
    clusters = tmp_path / "params" / "clusters"
    shutil.copytree(ROOT / "params" / "programmes", tmp_path / "params" / "programmes")
    targets = {case: write_case(clusters, case) for case in END_TO_END}

    result = run("validate", str(clusters))
    assert result.exit_code == 1, result.stdout + result.stderr
    assert "Traceback" not in result.stderr + result.stdout
    lines = result.stderr.splitlines()
    for case, target in targets.items():
        _, field, _, reason = CASES[case]
        field = "prices.usd_rate" if field == "prices" else field
        assert any(f"{target}: {field}: {reason}" in line for line in lines), (case, result.stderr)
    assert f"{len(END_TO_END)} clusters: 0 valid, {len(END_TO_END)} invalid" in result.stdout

    out = tmp_path / "out"
    result = run("render", str(clusters), "--out", str(out), "--params-root", str(clusters))
    assert result.exit_code != 0
    assert "Traceback" not in result.stderr + result.stdout
    assert "cannot convert" not in result.stderr and "raqm" not in result.stderr
    assert not out.exists() or not any(out.rglob("*.*"))


# --- the shipped sample and a synthetic national set still validate ------------------------------


def test_the_sample_still_validates(sample):
    assert len(sample) >= 14


def test_a_synthetic_national_set_still_validates(tmp_path):
    out = tmp_path / "synth"
    console, errors = Console(record=True, width=200), Console(record=True, width=200)
    assert synth.main(50, 3, out, console, errors) == 0, errors.export_text()
    items, problems = params_io.load_many([out])
    assert not problems, "\n".join(map(str, problems[:10]))
    assert len(items) == 50
