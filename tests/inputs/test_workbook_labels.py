"""The workbook's label catalogue (issue 16): every field of every part is named in both languages,
sheet names are ones Excel takes and tell the sheets apart, and the columns of one sheet differ."""

from __future__ import annotations

import re
from typing import get_origin

import pytest

from cluster_reports.inputs.workbook import fields, labels
from cluster_reports.inputs.workbook.fields import Field

LANGS = ("id", "en")
PATHS = [f.path for f in fields.every_path()]
LISTS = [f.path for f in fields.every_path() if f.kind == "list"]
SPECIAL = ["instructions", "lists"]


def _catalogue() -> dict:
    return labels._catalogue()


def _sheets() -> dict[str, list[str]]:
    """Each sheet of a workbook (a part's form, a list's table) and the fields whose headers it holds:
    single models are flattened into their owner, a list of scalars is one column of its owner, a
    list of models or texts is a sheet of its own (as the workbook lays them out)."""
    sheets: dict[str, list[str]] = {}

    def columns(fs: tuple[Field, ...], owner: str) -> None:
        for f in fs:
            if f.kind == "model":
                columns(f.fields, owner)
            elif f.kind == "list" and f.item is not None and f.item.kind != "scalar":
                sheets[f.path] = [f.path] if f.item.kind == "text" else []
                columns(f.item.fields, f.path)
            else:
                sheets[owner].append(f.path)

    for part in fields.PARTS:
        sheets[part] = []
        columns(fields.part_fields(part), part)
    return sheets


def test_every_path_has_both_labels():
    catalogued = _catalogue()["fields"]
    missing = [(p, lang) for p in PATHS for lang in LANGS
               if not isinstance((catalogued.get(p) or {}).get(lang), str) or not catalogued[p][lang].strip()]
    assert missing == []
    assert len(PATHS) == len(set(PATHS)) > 300  # the walk found the whole schema, not a part of it


def test_catalogue_names_only_fields_of_the_schema():
    # A key left behind by a renamed field would silently stop naming anything.
    cat = _catalogue()
    assert sorted(set(cat["fields"]) - set(PATHS)) == []
    assert sorted(set(cat.get("hints", {})) - set(PATHS)) == []
    assert sorted(set(cat["sheets"]) - set(LISTS) - set(fields.PARTS) - set(SPECIAL)) == []


def test_label_reads_the_catalogue_and_falls_back_for_unknown_paths():
    assert labels.label("cluster.firms.table.workers", "id") == "tenaga kerja"
    assert labels.label("cluster.firms.table.workers", "en") == "workers"
    assert labels.label("cluster.firms.table.annual_sales", "id") == "penjualan tahunan (Rp)"
    assert labels.label("plan.medium_plan.indicator.baseline", "id") == "nilai dasar"
    assert labels.label("cluster.new_field_name", "en") == "new field name"
    assert labels.sheet("cluster.new_list", "id") == "new_list"
    assert labels.hint("cluster.new_field_name", "id") is None
    with pytest.raises(ValueError, match="language"):
        labels.label("cluster.id", "fr")


def test_firm_table_and_special_sheets():
    assert labels.sheet("cluster.firms.table", "id") == "Usaha"
    assert labels.sheet("cluster.firms.table", "en") == "Firms"
    assert labels.sheet("instructions", "id") == "Petunjuk"
    assert labels.sheet("instructions", "en") == "Instructions"
    assert labels.sheet("lists", "id") and labels.sheet("lists", "en")


@pytest.mark.parametrize("lang", LANGS)
def test_sheet_names_valid_and_unique(lang):
    catalogued = _catalogue()["sheets"]
    keys = [*fields.PARTS, *LISTS, *SPECIAL]
    assert [k for k in keys if k not in catalogued] == []
    names = [labels.sheet(k, lang) for k in keys]
    bad = [n for n in names if not n.strip() or len(n) > 28 or re.search(r"[\[\]:*?/\\]", n)
           or n != n.strip() or n.startswith("'")]
    assert bad == []
    folded = [n.casefold() for n in names]  # Excel compares sheet names ignoring case
    assert sorted({n for n in names if folded.count(n.casefold()) > 1}) == []


@pytest.mark.parametrize("lang", LANGS)
def test_headers_of_one_sheet_differ(lang):
    clashes = {}
    for sheet, paths in _sheets().items():
        heads = [labels.label(p, lang).casefold() for p in paths]
        repeated = sorted({h for h in heads if heads.count(h) > 1})
        if repeated:
            clashes[sheet] = repeated
    assert clashes == {}


def test_sheet_layout_of_the_test_is_the_schema():
    # The grouping the test checks must see the sheets that matter, or the check above proves nothing.
    sheets = _sheets()
    assert "cluster.location.regency" in sheets["cluster"]
    assert "cluster.assessment.demand.score" in sheets["cluster"]
    assert "cluster.assessment.factor.score" in sheets["cluster"]
    assert "plan.programmes.indicator.id" in sheets["plan.programmes"]
    assert "plan.programmes.id" in sheets["plan.programmes"]
    assert "plan.programmes.budget.rate" in sheets["plan.programmes.budget"]
    assert "cluster.firms.table.women_workers" in sheets["cluster.firms.table"]


# Words the glossary rules out in Indonesian.
FORBIDDEN_ID = re.compile(r"\b(pengrajin|kooperasi|lokal)\b", re.IGNORECASE)


def _header_words_ok(text: str) -> bool:
    """Lower case, as a header cell is written, but for acronyms and symbols (IKM, ISIC, Rp, US$)."""
    for word in re.findall(r"[A-Za-z$]+", text):
        if word != word.lower() and not word.isupper() and word not in {"Rp", "US$"}:
            return False
    return True


@pytest.mark.parametrize("lang", LANGS)
def test_labels_are_short_lower_case_headers(lang):
    texts = {p: labels.label(p, lang) for p in PATHS}
    assert [p for p, t in texts.items() if not _header_words_ok(t)] == []
    assert [p for p, t in texts.items() if len(t) > 45 or "\n" in t or t != t.strip()] == []


def test_indonesian_follows_the_glossary():
    cat = _catalogue()
    wordings = [e["id"] for section in ("fields", "sheets", "hints") for e in cat.get(section, {}).values()]
    assert [w for w in wordings if FORBIDDEN_ID.search(w)] == []
    # The glossary's terms where the schema has their concepts.
    assert labels.label("cluster.markets.channel", "id") == "saluran pemasaran"
    assert labels.label("cluster.stakeholders", "id") == "pemangku kepentingan"
    assert labels.label("monitoring.firms.turnover", "id") == "omzet (Rp)"
    assert labels.label("cluster.raw_materials", "id") == "bahan baku"
    assert labels.label("cluster.firms.potentially_viable", "id") == "IKM berpotensi layak"


def test_hints_in_both_languages_say_units():
    cat = _catalogue()["hints"]
    assert [p for p, e in cat.items() if not (e.get("id", "").strip() and e.get("en", "").strip())] == []
    # Every Rupiah amount a consultant types says it is whole Rupiah.
    amounts = ("annual_sales", "spent", "turnover", "price.amount", "budget.rate")
    rupiah = [p for p in PATHS if p.endswith(amounts)]
    assert rupiah and [p for p in rupiah if "Rupiah" not in (labels.hint(p, "id") or "")] == []
    assert labels.hint("cluster.firms.table.annual_sales", "id") == "Rupiah, tanpa desimal"
    assert labels.hint("cluster.firms.table.annual_sales", "en") == "Rupiah, no decimals"


def test_maps_and_scalar_lists_have_hints_on_how_to_write_them():
    # A mapping or a list of values shares one cell: the comment says how to write several.
    one_cell = [f.path for f in fields.every_path()
                if (f.kind == "list" and f.item is not None and f.item.kind == "scalar")
                or (f.kind == "scalar" and get_origin(f.annotation) is dict)]
    assert one_cell and [p for p in one_cell if labels.hint(p, "en") is None] == []
