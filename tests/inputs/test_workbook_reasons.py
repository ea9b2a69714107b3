"""Why a workbook's cell was refused (issue 16): real validation errors of the schema's models, said
for a consultant in Indonesian and English, with no English left in an Indonesian reason."""

from __future__ import annotations

import re
from typing import Annotated

import pytest
from pydantic import BaseModel, Field, TypeAdapter, ValidationError

from cluster_reports.inputs.schema import bounds, common
from cluster_reports.inputs.schema.cluster import (
    ConditionAssessment,
    Firm,
    Firms,
    History,
    Industry,
    Location,
    Market,
    Product,
    Stakeholder,
    Volume,
)
from cluster_reports.inputs.schema.contacts import Contact
from cluster_reports.inputs.schema.monitoring import CorrectiveAction, Period, ProgrammeProgress
from cluster_reports.inputs.schema.plan import MediumGoal, Report, SuccessGoal
from cluster_reports.inputs.schema.strategy import Responsibility
from cluster_reports.inputs.workbook.reasons import reason, translated
from cluster_reports.inputs.yaml_io import _split

TEXT = {"en": "Roof tiles", "id": "Genteng"}
FIRM = {"name": "UD Sumber Rejeki", "workers": 5, "annual_sales": 120_000_000}
MARKET = {"channel": "wholesale", "destination": TEXT, "share_pct": 40}
INDICATOR = {"id": "members", "name": TEXT, "unit": TEXT, "baseline": 0}
PERIOD = {"id": "q1", "label": TEXT, "end": "2026-03-31"}


def errors(model: object, data: object) -> list[dict]:
    adapter = model if isinstance(model, TypeAdapter) else TypeAdapter(model)
    with pytest.raises(ValidationError) as caught:
        adapter.validate_python(data)
    return caught.value.errors()


def one(model: object, data: object, field: str | None = None) -> dict:
    """The one error of ``field`` (its location's last name), or the only error."""
    found = errors(model, data)
    if field is not None:
        found = [e for e in found if e["loc"] and e["loc"][-1] == field]
    assert len(found) == 1, found
    return found[0]


def both(error: dict) -> tuple[str, str]:
    return reason(error, "id"), reason(error, "en")


# English a reason must not hold in Indonesian (quoted values, allowed values and field paths aside).
ENGLISH = {"must", "should", "input", "valid", "the", "is", "not", "be", "of", "at", "least", "most",
           "field", "required", "unknown", "give", "number", "whole", "text", "date", "list", "remove",
           "position", "official", "line", "characters", "than", "equal", "greater", "less", "items",
           "value", "error", "or", "and", "with", "without", "count", "firms", "workers", "amount"}


def english_left(text: str) -> set[str]:
    text = re.sub(r"'[^']*'", "", text)  # values quoted from the input or the schema
    text = text.split("harus salah satu dari:")[0]  # the allowed values, as the schema spells them
    text = re.sub(r"^[\w.\[\]]+: ", "", text)  # a field path ('en:') the reader splits on
    return {w for w in re.findall(r"[A-Za-z]+", text) if w.lower() in ENGLISH}


# --- pydantic's own error types ------------------------------------------------------------------


def test_firm_workers_not_a_number():
    error = one(Firm, {**FIRM, "workers": "abc"})
    assert error["type"] == "int_parsing"
    assert both(error) == ("harus bilangan bulat", "must be a whole number")


@pytest.mark.parametrize(("data", "kind"), [({"workers": [5]}, "int_type"),
                                           ({"workers": 1.5}, "int_from_float")])
def test_firm_workers_not_whole(data, kind):
    error = one(Firm, {**FIRM, **data})
    assert error["type"] == kind
    said_id, said_en = both(error)
    assert said_id.startswith("harus bilangan bulat") and said_en.startswith("must be a whole number")
    if kind == "int_from_float":
        assert "desimal" in said_id and "decimals" in said_en


def test_whole_number_bounds_say_whole_number():
    # Rupiah is an int with ge=0: the reason says a whole number, as the consultant must type one.
    error = one(Firm, {**FIRM, "annual_sales": -5})
    assert error["type"] == "greater_than_equal"
    assert both(error) == ("harus bilangan bulat >= 0", "must be a whole number >= 0")
    error = one(Firm, {**FIRM, "workers": 0})
    assert both(error) == ("harus bilangan bulat >= 1", "must be a whole number >= 1")


def test_number_bounds_of_floats_say_number():
    error = one(Market, {**MARKET, "share_pct": -1})
    assert error["type"] == "greater_than_equal"
    assert both(error) == ("harus bilangan >= 0", "must be a number >= 0")
    error = one(Volume, {"quantity": 0, "unit": TEXT, "per": "year"})
    assert error["type"] == "greater_than"
    assert both(error) == ("harus bilangan > 0", "must be a number > 0")


def test_greater_than_for_a_whole_number():
    error = one(SuccessGoal, {"description": TEXT, "min_annual_sales": 0})
    assert error["type"] == "greater_than"
    assert both(error) == ("harus bilangan bulat > 0", "must be a whole number > 0")


def test_less_than_equal_of_a_score():
    error = one(ConditionAssessment, {"score": 7, "note": TEXT})
    assert error["type"] == "less_than_equal"
    assert both(error) == ("harus bilangan bulat <= 5", "must be a whole number <= 5")


def test_less_than_and_bounds_in_each_language_s_figures():
    # The schema has no lt= today; a field that had one is said the same way.
    error = one(Annotated[float, Field(lt=2500.5)], 3000)
    assert error["type"] == "less_than"
    assert both(error) == ("harus bilangan < 2.500,5", "must be a number < 2,500.5")


def test_market_channel_misspelt_lists_the_channels():
    error = one(Market, {**MARKET, "channel": "wholsale"})
    assert error["type"] == "enum"
    said_id, said_en = both(error)
    assert said_id.startswith("harus salah satu dari: intermediary, direct-retail, wholesale,")
    assert said_en.startswith("must be one of: intermediary, direct-retail, wholesale,")
    assert said_id.endswith(", other") and "'" not in said_id


def test_literal_lists_the_values():
    error = one(Volume, {"quantity": 5, "unit": TEXT, "per": "week"})
    assert error["type"] == "literal_error"
    assert both(error) == ("harus salah satu dari: month, year", "must be one of: month, year")


def test_missing_and_extra():
    error = one(Firm, {"workers": 5, "annual_sales": 1})
    assert error["type"] == "missing"
    assert both(error) == ("wajib diisi", "required: enter a value")
    error = one(Firm, {**FIRM, "wokers": 5})
    assert error["type"] == "extra_forbidden"
    said_id, said_en = both(error)
    assert said_id.startswith("isian tidak dikenal") and said_en.startswith("unknown field")


def test_float_and_bool_and_string_types():
    error = one(Market, {**MARKET, "share_pct": "forty"})
    assert error["type"] == "float_parsing"
    assert both(error) == ("harus bilangan", "must be a number")
    error = one(Market, {**MARKET, "share_pct": [40]})
    assert error["type"] == "float_type"
    assert both(error) == ("harus bilangan", "must be a number")
    error = one(Firm, {**FIRM, "cooperative_member": "maybe"})
    assert error["type"] == "bool_parsing"
    assert both(error) == ("harus ya atau tidak", "must be yes or no")
    error = one(Firm, {**FIRM, "cooperative_member": [1]})
    assert error["type"] == "bool_type"
    assert both(error) == ("harus ya atau tidak", "must be yes or no")
    error = one(Firm, {**FIRM, "name": 5})
    assert error["type"] == "string_type"
    assert both(error) == ("harus teks", "must be text")


def test_string_lengths():
    error = one(Firm, {**FIRM, "name": "  "})
    assert error["type"] == "string_too_short"
    assert both(error) == ("tidak boleh kosong", "must not be empty")
    error = one(Stakeholder, {"id": "a" * 81, "name": "Dinas", "type": "cooperative", "role": TEXT}, "id")
    assert error["type"] == "string_too_long"
    assert both(error) == ("terlalu panjang: paling banyak 80 karakter", "too long: at most 80 characters")


def test_patterns_name_the_form_expected():
    error = one(Stakeholder, {"id": "Dinas Kebumen", "name": "Dinas", "type": "cooperative", "role": TEXT})
    assert error["type"] == "string_pattern_mismatch"
    said_id, said_en = both(error)
    assert "huruf kecil, angka dan tanda hubung" in said_id
    assert "lower-case letters, digits and hyphens" in said_en
    said = both(one(Industry, {"isic": "36", "description": TEXT}))
    assert "empat angka" in said[0] and "ISIC" in said[0] and "four-digit" in said[1]
    said = both(one(Industry, {"isic": "3691", "kbli": "2392", "description": TEXT}))
    assert "lima angka" in said[0] and "KBLI" in said[0] and "five-digit" in said[1]
    said = both(one(common.DataSource, {"id": "bps", "title": "Statistik", "author": "BPS", "kind": "survey",
                                        "url": "www.bps.go.id"}))
    assert "http:// atau https://" in said[0] and "http:// or https://" in said[1]
    assert all("^" not in s for s in said)  # the pattern itself is no consultant's business


def test_list_lengths():
    goal = {"goal": TEXT, "indicator": INDICATOR}
    error = one(MediumGoal, {**goal, "targets": [1, 2]})
    assert error["type"] == "too_short"
    assert both(error) == ("harus berisi paling sedikit 3 butir (kini 2)",
                           "must hold at least 3 items (now 2)")
    error = one(MediumGoal, {**goal, "targets": [1, 2, 3, 4]})
    assert error["type"] == "too_long"
    assert both(error) == ("harus berisi paling banyak 3 butir (kini 4)", "must hold at most 3 items (now 4)")


def test_dates():
    error = one(Period, {**PERIOD, "end": "2026-13-01"})
    assert error["type"] == "date_from_datetime_parsing"
    said_id, said_en = both(error)
    assert said_id == "harus tanggal (TTTT-BB-HH, mis. 2026-12-01): bulan harus dari 1 sampai 12"
    assert said_en.startswith("must be a date (YYYY-MM-DD, e.g. 2026-12-01): month value")
    error = one(CorrectiveAction, {"action": TEXT, "by": "dinas", "due": "2026-06-01T10:00",
                                   "addresses": "members"})
    assert error["type"] == "date_from_datetime_inexact"
    assert both(error) == ("harus tanggal saja, tanpa jam", "must be a date alone, without a time")
    error = one(Period, {**PERIOD, "end": [2026]})
    assert error["type"] == "date_type"
    assert both(error)[0].startswith("harus tanggal")
    error = one(TypeAdapter(__import__("datetime").date), "yesterday")
    assert error["type"] in ("date_parsing", "date_from_datetime_parsing")
    assert both(error)[0].startswith("harus tanggal (TTTT-BB-HH")


# --- the project's own messages ------------------------------------------------------------------


def test_unknown_regency_and_province():
    error = one(Location, {"province": "Jawa Tengah", "regency": "Atlantis"})
    assert error["type"] == "value_error"
    assert both(error) == ("kabupaten/kota 'Atlantis' di Jawa Tengah tidak dikenal: tidak ada dalam "
                           "daftar resmi",
                           "unknown regency 'Atlantis' in Jawa Tengah: not in the official list")
    error = one(Location, {"province": "Narnia", "regency": "Atlantis"}, "province")
    assert both(error) == ("provinsi 'Narnia' tidak dikenal: tidak ada dalam daftar resmi",
                           "unknown province 'Narnia': not in the official list")


def test_bounds_translated_with_indonesian_figures():
    said = both(one(Firm, {**FIRM, "annual_sales": 10**16}))
    assert said == ("tidak boleh lebih dari 1.000.000.000.000.000, seribu triliun (jumlah dalam Rupiah)",
                    "must be at most 1,000,000,000,000,000, a quadrillion (an amount in Rupiah)")
    said = both(one(Firm, {**FIRM, "workers": 20_000_000}))
    assert said[0] == "tidak boleh lebih dari 10.000.000 (jumlah tenaga kerja)"
    said = both(one(Market, {**MARKET, "share_pct": 101}))
    assert said == ("tidak boleh lebih dari 100 (persentase)", "must be at most 100 (a percentage)")
    said = both(one(Market, {**MARKET, "share_pct": "nan"}))
    assert said[0] == "harus bilangan terhingga (persentase): nilai ini terbaca sebagai NaN, bukan bilangan"
    said = both(one(Market, {**MARKET, "share_pct": 1e-9}))
    assert said[0].startswith("harus 0, atau nilai mutlaknya paling sedikit 0,000001")
    said = both(one(bounds.Measure, -1e16))
    assert said[0] == "tidak boleh kurang dari -1.000.000.000.000.000 (nilai indikator)"
    said = both(one(ConditionAssessment, {"score": 1e30, "note": TEXT}))
    assert said == ("harus dari 1 sampai 5 (skor)", "must be from 1 to 5 (a score)")
    said = both(one(ConditionAssessment, {"score": float("inf"), "note": TEXT}))
    assert said[0] == "harus bilangan terhingga (skor), dari 1 sampai 5"
    said = both(one(bounds.Months, 200))
    assert said[0] == "tidak boleh lebih dari 120, sepuluh tahun (lama dalam bulan)"
    said = both(one(bounds.UsdRate, 0.5))
    assert said[0] == "tidak boleh kurang dari 1 (Rupiah per dolar AS)"


# Every bounded number type of bounds.py, with a value past its upper bound (and one that is infinite).
BOUNDED = [bounds.FirmCount, bounds.WorkerCount, bounds.FirmWorkers, bounds.Cases, bounds.Rupiah,
           bounds.PositiveRupiah, bounds.UsdRate, bounds.Percent, bounds.Quantity, bounds.Measure,
           bounds.PriceIndex, bounds.Months, bounds.Kilometres, bounds.Year, bounds.YearSince1900,
           bounds.YearSince1990]


@pytest.mark.parametrize("kind", BOUNDED)
@pytest.mark.parametrize("value", [10**17, float("inf"), -(10**17)])
def test_every_bound_of_bounds_is_translated(kind, value):
    error = one(kind, value)
    if error["type"] != "value_error":  # a sign: pydantic's own, said above
        assert error["type"] in ("greater_than_equal", "greater_than")
    said_id = reason(error, "id")
    assert not english_left(said_id), said_id
    assert said_id != reason(error, "en")


def test_text_checks():
    said = both(one(Firm, {**FIRM, "name": "UD\x1bRejeki"}))
    assert said == ("memuat karakter kendali U+001B pada posisi 3: hapus karakter itu",
                    "holds the control character U+001B at position 3: remove it")
    said = both(one(Firm, {**FIRM, "name": "UD Sumber\nRejeki"}))
    assert said == ("harus satu baris: hapus jeda baris (U+000A pada posisi 10)",
                    "must be one line: remove the line break (U+000A at position 10)")
    said = both(one(Firm, {**FIRM, "name": "UD\tRejeki"}))
    assert said[0] == "harus satu baris: ganti tab (U+0009 pada posisi 3) dengan spasi"


def test_a_label_s_parts_keep_their_language_for_the_reader():
    # Both languages of a one-line text wrong: one message joined by '; ', each part named by its
    # language; the Indonesian keeps the names, so the reader still puts each on its own cell.
    error = one(Volume, {"quantity": 5, "unit": {"en": "roof\ntiles", "id": "buah\tgenteng"}, "per": "year"})
    said_id, said_en = both(error)
    assert said_id == ("en: harus satu baris: hapus jeda baris (U+000A pada posisi 5); "
                       "id: harus satu baris: ganti tab (U+0009 pada posisi 5) dengan spasi")
    assert [where for where, _ in _split(("unit",), said_id)] == [("unit", "en"), ("unit", "id")]
    assert [text for _, text in _split(("unit",), said_id)][1].startswith("harus satu baris")
    assert said_en.startswith("en: must be one line")


def test_contacts():
    said = both(one(Contact, {"phone": "call me"}))
    assert said[0].startswith("'call me' bukan nomor telepon: tulis seperti yang dicetak kantor, "
                              "dengan kode wilayah")
    assert said[1].startswith("'call me' is not a telephone number")
    said = both(one(Contact, {"email": "dinas.kebumen"}))
    assert said[0] == "'dinas.kebumen' bukan alamat surel (nama@domain, mis. 'dinas@kebumenkab.go.id')"


def test_cross_field_messages_of_the_firm_table():
    said = both(one(Firm, {**FIRM, "women_workers": 9}))
    assert said[0] == "usaha 'UD Sumber Rejeki': tenaga kerja perempuan (9) melebihi 5 tenaga kerjanya"
    table = [FIRM, {**FIRM, "workers": 3}]
    said = both(one(Firms, {"table": table}))
    assert said == ("nama usaha berulang: UD Sumber Rejeki", "firm names repeat: UD Sumber Rejeki")


def test_progress_messages():
    said = both(one(ProgrammeProgress, {"programme": "p1", "status": "done", "done_pct": 80, "spent": 0}))
    assert said[0] == "status 'done' (selesai), tetapi kemajuannya 80%: jadikan 100"


def test_untranslated_project_message_falls_back_to_english():
    # The documented exception: a message no family here covers stays English in Indonesian.
    volume = {"quantity": 10, "unit": {"en": "tiles", "id": "buah genteng"}, "per": "year"}
    product = {"name": TEXT, "output": volume, "capacity": {**volume, "unit": {"en": "m3", "id": "m3"}}}
    error = one(Product, product)
    assert error["type"] == "value_error"
    said_id, said_en = both(error)
    assert said_id == said_en
    assert said_en.startswith("output is in tiles per year but capacity in m3 per year")
    assert not translated(said_en)


def test_cross_field_messages_translated():
    said = both(one(Firms, {}))
    assert said == ("isi jumlah usaha menurut skala ('by_size'), daftar unit usaha ('table'), atau keduanya",
                    "give 'by_size' counts, a firm 'table', or both")
    by_size = {"micro": 0, "small": 5, "medium": 0, "large": 0}
    said = both(one(Firms, {"by_size": by_size, "table": [FIRM | {"workers": 2}]}))
    assert said[0] == ("daftar unit usaha memuat 1 usaha mikro, tetapi by_size hanya mencatat 0 di seluruh "
                       "sentra")
    said = both(one(Market, {**MARKET, "channel": "other"}))
    assert said[0].startswith("saluran 'other' (lainnya) memerlukan nama dalam kedua bahasa (en, id)")
    said = both(one(Market, {**MARKET, "name": TEXT}))
    assert said[0].startswith("hanya saluran 'other' (lainnya) yang diberi nama; 'wholesale' sudah dinamai")
    said = both(one(History, {"milestones": [{"year": 1990, "text": TEXT}, {"year": 1980, "text": TEXT}]}))
    assert said[0] == ("tonggak sejarah tidak urut menurut waktu: butir 2 (1980) berada setelah butir 1 "
                       "(1990); urutkan dari yang paling awal")
    said = both(one(Responsibility, {"area": "identification", "lead": "dinas", "support": ["dinas"]}))
    assert said[0] == "'dinas' adalah pemrakarsa, sehingga tidak dapat dicantumkan juga sebagai pendukung"
    said = both(one(Report, {"report": TEXT, "by": "facilitator", "to": ["dinas"], "frequency": "once"}))
    assert said[0].startswith("frekuensi 'once' (sekali) memerlukan 'month'")
    said = both(one(Contact, {}))
    assert said[0].startswith("kontak memuat paling sedikit satu dari narahubung")
    said = both(one(ProgrammeProgress, {"programme": "p1", "status": "ongoing", "done_pct": 10, "spent": 0,
                                        "reason": TEXT}))
    assert said[0].startswith("alasan hanya untuk program yang terlambat") and "'ongoing'" in said[0]
    assert not english_left(said[0])


class _Lengths(BaseModel):
    tags: list[int] = Field(min_length=1)


COVERED = ["missing", "extra_forbidden", "int_parsing", "int_type", "int_from_float", "float_parsing",
           "float_type", "bool_parsing", "bool_type", "string_type", "string_too_short", "string_too_long",
           "string_pattern_mismatch", "enum", "literal_error", "greater_than_equal", "less_than_equal",
           "greater_than", "less_than", "too_short", "too_long", "date_from_datetime_parsing",
           "date_from_datetime_inexact", "date_type", "value_error"]


def _samples() -> list[dict]:
    stake = {"id": "dinas", "name": "Dinas", "type": "cooperative", "role": TEXT}
    goal = {"goal": TEXT, "indicator": INDICATOR}
    cases = [
        (Firm, {**FIRM, "workers": "abc", "annual_sales": -1, "wokers": 1, "cooperative_member": "maybe",
                "women_led": [1], "established": 1990.5}),
        (Firm, {"workers": [1], "annual_sales": 10**16, "name": 5}),
        (Firm, {**FIRM, "name": ""}),
        (Firm, {"workers": 1, "annual_sales": 1}),
        (Market, {**MARKET, "channel": "wholsale", "share_pct": "x"}),
        (Market, {**MARKET, "share_pct": [1]}),
        (Volume, {"quantity": 0, "unit": TEXT, "per": "week"}),
        (Stakeholder, {**stake, "id": "Dinas X"}),
        (Stakeholder, {**stake, "id": "a" * 81}),
        (ConditionAssessment, {"score": 9, "note": TEXT}),
        (Annotated[int, Field(lt=3)], 4),
        (MediumGoal, {**goal, "targets": [1]}),
        (MediumGoal, {**goal, "targets": [1, 2, 3, 4]}),
        (Period, {**PERIOD, "end": "2026-02-30"}),
        (Period, {**PERIOD, "end": [1]}),
        (CorrectiveAction, {"action": TEXT, "by": "dinas", "due": "2026-06-01T10:00", "addresses": "m"}),
        (Location, {"province": "Jawa Tengah", "regency": "Atlantis"}),
    ]
    return [e for model, data in cases for e in errors(model, data)]


def test_every_covered_type_is_said_in_indonesian_without_english():
    samples = _samples()
    assert sorted({e["type"] for e in samples} - set(COVERED)) == []
    assert sorted(set(COVERED) - {e["type"] for e in samples}) == []  # each covered type built for real
    for error in samples:
        said_id, said_en = both(error)
        assert said_id and said_en and said_id != said_en, error
        assert not english_left(said_id), (error["type"], said_id)
        assert "Input should" not in said_en and "Value error" not in said_en


def test_language_asked_must_be_known():
    error = one(Firm, {**FIRM, "workers": "abc"})
    with pytest.raises(ValueError, match="language"):
        reason(error, "fr")


def test_numbers_typed_as_text_say_what_to_change():
    # A consultant may type a figure as the documents print it: the reason says how to write it.
    said = both(one(Firm, {**FIRM, "annual_sales": "1.500.000"}))
    assert said == ("harus bilangan bulat (tanpa pemisah ribuan, mis. 1500000)",
                    "must be a whole number (without thousands separators, e.g. 1500000)")
    said = both(one(Market, {**MARKET, "share_pct": "65,6"}))
    assert said == ("harus bilangan (desimal ditulis dengan titik, mis. 65.6)",
                    "must be a number (with a decimal point, e.g. 65.6)")
    assert both(one(Firm, {**FIRM, "workers": "lima"})) == ("harus bilangan bulat", "must be a whole number")


def test_one_line_or_label_messages():
    # A pair may give one language (a text to translate); it must give one.
    common.DataSource.model_validate({"id": "bps", "title": {"en": "Statistics"}, "author": "BPS",
                                      "kind": "survey"})
    said = both(one(common.DataSource, {"id": "bps", "title": {"en": " "}, "author": "BPS",
                                        "kind": "survey"}))
    assert said == ("isi teks ini sekurang-kurangnya dalam satu bahasa: id (bahasa Indonesia), en (bahasa "
                    "Inggris), atau keduanya",
                    "give the text in at least one language: en (English), id (Indonesian), or both")
    said = both(one(common.DataSource, {"id": "bps", "title": 2015, "author": "BPS", "kind": "survey"}))
    assert said[0] == "isi satu baris teks, atau teks dalam kedua bahasa sebagai {en: ..., id: ...}"
    said = both(one(common.DataSource, {"id": "bps", "title": {"en": "a", "id": "b", "fr": "c"},
                                        "author": "BPS", "kind": "survey"}))
    assert said[0].startswith("fr: isian tidak dikenal")
