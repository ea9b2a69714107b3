"""Why a cell's value was refused, in Indonesian or English: pydantic's error, said for a consultant
reading a workbook ("harus bilangan bulat >= 0" / "must be a whole number >= 0").

Pydantic's own error types are said from their type and context (a bound's ``ctx`` says whether the
field holds whole numbers: an int field's bound is an int, a float field's a float). The project's
own messages (``value_error``: the validators of ``schema/*.py`` and ``bounds.py``) are English
already; in English they are given as they are, in Indonesian their common families are translated
by pattern, part by part where a message joins several with "; " (a part's field path, such as
``en:`` or ``[0].by:``, is kept, so that the reader still splits them by field).

The one exception to a reason in the language asked for: a ``value_error`` whose English message
matches no family here is given in Indonesian as its English text (a validator added since, or a
rare cross-field check), rather than lost or half translated. An unknown error type is said
generically in Indonesian ("nilai tidak dapat diterima") with pydantic's English message after it.
"""

from __future__ import annotations

import re
from collections.abc import Callable

from pydantic_core import ErrorDetails

from ..schema.common import SLUG_PATTERN

LANGS = ("id", "en")

# The form a pattern asks for, by the patterns the schema uses (ids, industry codes, links, versions).
PATTERNS = {
    SLUG_PATTERN: ("hanya boleh berisi huruf kecil, angka dan tanda hubung, tanpa spasi (mis. dinas-kebumen)",
                   "may hold only lower-case letters, digits and hyphens, no spaces (e.g. dinas-kebumen)"),
    r"^\d{4}$": ("harus kode empat angka (ISIC), mis. 3691", "must be a four-digit code (ISIC), e.g. 3691"),
    r"^\d{5}$": ("harus kode lima angka (KBLI), mis. 23921", "must be a five-digit code (KBLI), e.g. 23921"),
    r"^https?://\S+$": ("harus alamat web yang diawali http:// atau https://, tanpa spasi",
                        "must be a web address starting with http:// or https://, without spaces"),
    r"^[0-9A-Za-z][0-9A-Za-z.-]*$": (
        "hanya boleh berisi huruf, angka, titik dan tanda hubung, diawali huruf atau angka (mis. 1.0)",
        "may hold only letters, digits, points and hyphens, starting with a letter or digit (e.g. 1.0)"),
}

GROUP = ("harus kelompok isian, bukan satu nilai", "must be a group of fields, not one value")
# Reasons that need no context: (Indonesian, English).
PLAIN = {
    "missing": ("wajib diisi", "required: enter a value"),
    "extra_forbidden": ("isian tidak dikenal (salah ketik, atau tidak termasuk isian yang tersedia)",
                        "unknown field (misspelt, or not one of the fields there are)"),
    "int_parsing": ("harus bilangan bulat", "must be a whole number"),
    "int_type": ("harus bilangan bulat", "must be a whole number"),
    "int_from_float": ("harus bilangan bulat, tanpa desimal", "must be a whole number, without decimals"),
    "int_parsing_size": ("bilangan terlalu besar", "the number is too large"),
    "float_parsing": ("harus bilangan", "must be a number"),
    "float_type": ("harus bilangan", "must be a number"),
    "finite_number": ("harus bilangan terhingga (bukan tak hingga atau NaN)",
                      "must be a finite number (not infinity or NaN)"),
    "bool_parsing": ("harus ya atau tidak", "must be yes or no"),
    "bool_type": ("harus ya atau tidak", "must be yes or no"),
    "string_type": ("harus teks", "must be text"),
    "list_type": ("harus daftar nilai", "must be a list of values"),
    "dict_type": ("harus pasangan kunci: nilai", "must be key: value pairs"),
    "model_type": GROUP,
    "model_attributes_type": GROUP,
    "date_type": ("harus tanggal (TTTT-BB-HH, mis. 2026-12-01)",
                  "must be a date (YYYY-MM-DD, e.g. 2026-12-01)"),
    "date_from_datetime_inexact": ("harus tanggal saja, tanpa jam", "must be a date alone, without a time"),
    "date_future": ("harus tanggal yang akan datang", "must be a date in the future"),
    "date_past": ("harus tanggal yang sudah lewat", "must be a date in the past"),
}
DATE_PARSING = ("date_parsing", "date_from_datetime_parsing", "datetime_parsing",
                "datetime_from_date_parsing")

# What pydantic-core says is wrong with a date it could not read (ctx 'error'), in Indonesian.
DATE_DETAILS = {
    "input is too short": "terlalu pendek",
    "input is too long": "terlalu panjang",
    "month value is outside expected range of 1-12": "bulan harus dari 1 sampai 12",
    "day value is outside expected range": "tanggal di luar rentang bulan itu",
    "invalid character in year": "karakter tidak sah pada tahun",
    "invalid character in month": "karakter tidak sah pada bulan",
    "invalid character in day": "karakter tidak sah pada tanggal",
    "invalid date separator, expected `-`": "pemisah tanggal harus tanda hubung (-)",
    "unexpected extra characters at the end of the input": "ada karakter lebih di akhir",
}

COMPARISONS = {"greater_than": ("gt", ">"), "greater_than_equal": ("ge", ">="),
               "less_than": ("lt", "<"), "less_than_equal": ("le", "<=")}


def number(value: float, lang: str) -> str:
    """A figure as each language writes it: 1.234.567,5 in Indonesian, 1,234,567.5 in English."""
    if isinstance(value, float) and value.is_integer() and abs(value) < 1e18:
        value = int(value)
    text = f"{value:,}" if isinstance(value, int) else f"{value:,.10f}".rstrip("0").rstrip(".")
    return text.translate(str.maketrans(",.", ".,")) if lang == "id" else text


def _figure(english: str, lang: str) -> str:
    """A figure of an English message ('1,000,000', '1e-06', '0.5') as ``lang`` writes it."""
    plain = english.replace(",", "")
    try:
        value: float = int(plain)
    except ValueError:
        try:
            value = float(plain)
        except ValueError:
            return english
    return number(value, lang)


def _choices(expected: str) -> str:
    """pydantic's "'a', 'b' or 'c'" as "a, b, c"."""
    found = re.findall(r"'([^']*)'", expected)
    return ", ".join(found) if found else expected


def _kind(bound: object, lang: str) -> str:
    whole = isinstance(bound, int) and not isinstance(bound, bool)
    return {("id", True): "bilangan bulat", ("id", False): "bilangan",
            ("en", True): "a whole number", ("en", False): "a number"}[lang, whole]


# A number typed as text the way a document prints it: thousands separated, or a decimal comma.
_GROUPED = re.compile(r"[-+]?\d{1,3}(?:([.,])\d{3})(?:\1\d{3})*")
_DECIMAL_COMMA = re.compile(r"[-+]?\d+,\d+")


def _typed_as_text(kind: str, given: object, lang: str) -> str:
    """What to change in a number typed as text that Python does not read ("1.500.000", "65,6")."""
    if kind not in ("int_parsing", "float_parsing") or not isinstance(given, str):
        return ""
    text = given.strip()
    if _GROUPED.fullmatch(text):
        example = re.sub(r"[.,]", "", text)
        return (f" (without thousands separators, e.g. {example})" if lang == "en"
                else f" (tanpa pemisah ribuan, mis. {example})")
    if kind == "float_parsing" and _DECIMAL_COMMA.fullmatch(text):
        example = text.replace(",", ".")
        return (f" (with a decimal point, e.g. {example})" if lang == "en"
                else f" (desimal ditulis dengan titik, mis. {example})")
    return ""


def reason(error: ErrorDetails, lang: str) -> str:
    """The reason of one validation error in ``lang`` ('id' or 'en'), without its location."""
    if lang not in LANGS:
        raise ValueError(f"language {lang!r} is not one of {', '.join(LANGS)}")
    en = lang == "en"
    kind = error["type"]
    ctx = error.get("ctx") or {}
    if kind in PLAIN:
        return PLAIN[kind][en] + _typed_as_text(kind, error.get("input"), lang)
    if kind in COMPARISONS:
        key, sign = COMPARISONS[kind]
        bound = ctx.get(key)
        if isinstance(bound, int | float) and not isinstance(bound, bool):
            said = f"{_kind(bound, lang)} {sign} {number(bound, lang)}"
        else:  # a bound of another kind (a date): said as it is
            said = f"{sign} {bound}"
        return f"must be {said}" if en else f"harus {said}"
    if kind == "string_too_short":
        n = ctx.get("min_length", 1)
        if n <= 1:
            return "must not be empty" if en else "tidak boleh kosong"
        return f"must be at least {n} characters long" if en else f"harus paling sedikit {n} karakter"
    if kind == "string_too_long":
        n = ctx.get("max_length")
        return f"too long: at most {number(n, lang)} characters" if en else \
            f"terlalu panjang: paling banyak {number(n, lang)} karakter"
    if kind == "string_pattern_mismatch":
        pattern = str(ctx.get("pattern", ""))
        if pattern in PATTERNS:
            return PATTERNS[pattern][en]
        return f"does not have the form asked for (pattern {pattern})" if en else \
            f"tidak sesuai dengan bentuk yang diminta (pola {pattern})"
    if kind in ("enum", "literal_error"):
        allowed = _choices(str(ctx.get("expected", "")))
        return f"must be one of: {allowed}" if en else f"harus salah satu dari: {allowed}"
    if kind in ("too_short", "too_long"):
        least = kind == "too_short"
        n = ctx.get("min_length" if least else "max_length")
        actual = ctx.get("actual_length")
        if en:
            items = "item" if n == 1 else "items"
            return f"must hold at {'least' if least else 'most'} {n} {items} (now {actual})"
        return f"harus berisi paling {'sedikit' if least else 'banyak'} {n} butir (kini {actual})"
    if kind in DATE_PARSING:
        detail = str(ctx.get("error", ""))
        base = PLAIN["date_type"][en]
        if en:
            return f"{base}: {detail}" if detail else base
        said = next((v for k, v in DATE_DETAILS.items() if detail.startswith(k)), None)
        return f"{base}: {said}" if said else base
    if kind in ("value_error", "assertion_error"):
        message = error["msg"].removeprefix("Value error, ").removeprefix("Assertion failed, ")
        return message if en else translate(message)
    # A type the schema does not produce today: said generically, pydantic's words kept for detail.
    return error["msg"] if en else f"nilai tidak dapat diterima ({error['msg']})"


# --- the project's own messages -----------------------------------------------------------------

# What a bounded number is (bounds.py, the schema's small() ranges), in Indonesian.
WHAT = {
    "a count of firms": "jumlah unit usaha",
    "a count of workers": "jumlah tenaga kerja",
    "an amount in Rupiah": "jumlah dalam Rupiah",
    "Rupiah per US dollar": "Rupiah per dolar AS",
    "a percentage": "persentase",
    "a quantity of units": "banyaknya satuan",
    "an indicator's value": "nilai indikator",
    "a price index, e.g. 100 in its base year": "indeks harga, mis. 100 pada tahun dasarnya",
    "a duration in months": "lama dalam bulan",
    "a distance by road in km": "jarak tempuh melalui jalan, dalam km",
    "a year": "tahun",
    "a score": "skor",
    "a month": "bulan",
    "a week of the month": "minggu dalam bulan",
    "a day of the month": "tanggal dalam bulan",
    "a position in the list of constraints": "nomor urut dalam daftar kendala",
    "a number in Table 5.1": "nomor pada Tabel 5.1",
}
# Names of upper bounds.
HIGH_NAMES = {"a quadrillion": "seribu triliun", "ten years": "sepuluh tahun"}
# What repeats (check_unique).
REPEATED = {
    "firm names": "nama usaha", "source ids": "kode sumber", "stakeholder ids": "kode pemangku kepentingan",
    "support service ids": "kode layanan pendukung", "programme ids": "kode program",
    "period ids": "kode periode", "indicator ids": "kode indikator",
    "approval parties": "pihak penanda tangan", "areas": "bidang",
}
SIZES = {"micro": "mikro", "small": "kecil", "medium": "menengah", "large": "besar"}
CHRONOLOGICAL = {"milestones": "tonggak sejarah", "support programmes": "program bantuan"}
# As the monitoring report names them (templates/labels/monitoring.id.yaml).
EVALUATIONS = {"mid-term": "paruh waktu", "final": "akhir", "ex-post": "pascaproyek"}
CHARACTERS = {"the control character": "karakter kendali",
              "a lone surrogate (half of a character),": "surogat tunggal (separuh karakter)",
              "the noncharacter": "nonkarakter"}
LANGUAGE_PREFIX = re.compile(r"^((?:[A-Za-z_]\w*|\[\d+\])(?:\.[A-Za-z_]\w*|\[\d+\])*): (.+)$", re.S)

FIG = r"-?[\d,.]+(?:e[-+]?\d+)?"


def _what(text: str) -> str | None:
    return WHAT.get(text)


def _bounded(template: str) -> Callable[[re.Match], str | None]:
    """A bound's message: the figures as Indonesian writes them, what the number is translated."""
    def said(m: re.Match) -> str | None:
        groups = m.groupdict()
        what = _what(groups["what"])
        if what is None:
            return None
        high = groups.get("name")
        if high is not None and high not in HIGH_NAMES:
            return None
        return template.format(
            n=_figure(groups.get("n") or "", "id"), low=_figure(groups.get("low") or "", "id"),
            high=_figure(groups.get("high") or "", "id"), what=what,
            name=f", {HIGH_NAMES[high]}" if high else "")
    return said


def _fixed(text: str) -> Callable[[re.Match], str]:
    return lambda m: text.format(**m.groupdict())


def _ids(text: str) -> str:
    return "tidak ada" if text == "none" else text


_FAMILIES: list[tuple[str, Callable[[re.Match], str | None]]] = [
    # bounds.py: numbers
    (r"must be a finite number \((?P<what>.+?)\): this one reads as NaN, not a number",
     _bounded("harus bilangan terhingga ({what}): nilai ini terbaca sebagai NaN, bukan bilangan")),
    (r"must be a finite number \((?P<what>.+?)\): this one reads as infinite",
     _bounded("harus bilangan terhingga ({what}): nilai ini terbaca sebagai tak hingga")),
    (rf"must be a finite number \((?P<what>.+?)\), from (?P<low>{FIG}) to (?P<high>{FIG})",
     _bounded("harus bilangan terhingga ({what}), dari {low} sampai {high}")),
    (rf"must be at most (?P<n>{FIG})(?:, (?P<name>[^()]+))? \((?P<what>.+)\)",
     _bounded("tidak boleh lebih dari {n}{name} ({what})")),
    (rf"must be at least (?P<n>{FIG}) \((?P<what>.+)\)", _bounded("tidak boleh kurang dari {n} ({what})")),
    (rf"must be 0 or at least (?P<n>{FIG}) in size: a smaller number prints as 0 \((?P<what>.+)\)",
     _bounded("harus 0, atau nilai mutlaknya paling sedikit {n}: bilangan yang lebih kecil tercetak "
              "sebagai 0 ({what})")),
    (rf"must be from (?P<low>{FIG}) to (?P<high>{FIG}) \((?P<what>.+)\)",
     _bounded("harus dari {low} sampai {high} ({what})")),
    (rf"the line's amount \(quantity x times x rate\) must be at most (?P<n>{FIG}), (?P<name>a quadrillion) "
     rf"\((?P<what>an amount in Rupiah)\)",
     _bounded("jumlah baris anggaran (volume x frekuensi x harga satuan) tidak boleh lebih dari {n}{name} "
              "({what})")),
    # bounds.py: texts
    (r"holds (?P<what>the control character|a lone surrogate \(half of a character\),|the noncharacter) "
     r"U\+(?P<cp>[0-9A-F]+) at position (?P<n>\d+): remove it",
     lambda m: f"memuat {CHARACTERS[m['what']]} U+{m['cp']} pada posisi {m['n']}: hapus karakter itu"),
    (r"must be one line: replace the tab \(U\+0009 at position (?P<n>\d+)\) with a space",
     _fixed("harus satu baris: ganti tab (U+0009 pada posisi {n}) dengan spasi")),
    (r"must be one line: remove the line break \(U\+(?P<cp>[0-9A-F]+) at position (?P<n>\d+)\)",
     _fixed("harus satu baris: hapus jeda baris (U+{cp} pada posisi {n})")),
    # common.py
    (r"give the text in at least one language: en \(English\), id \(Indonesian\), or both",
     _fixed("isi teks ini sekurang-kurangnya dalam satu bahasa: id (bahasa Indonesia), en (bahasa "
            "Inggris), atau keduanya")),
    (r"give one line of text, or the text in both languages as \{en: \.\.\., id: \.\.\.\}",
     _fixed("isi satu baris teks, atau teks dalam kedua bahasa sebagai {{en: ..., id: ...}}")),
    (r"required field is missing", _fixed("wajib diisi")),
    (r"unknown key \(misspelt, or not part of the schema\)", lambda m: PLAIN["extra_forbidden"][0]),
    (r"String should have at least 1 character", _fixed("tidak boleh kosong")),
    (r"String should have at most (?P<n>\d+) characters?",
     lambda m: f"terlalu panjang: paling banyak {number(int(m['n']), 'id')} karakter"),
    (r"(?P<what>.+) repeat: (?P<values>.+)",
     lambda m: f"{REPEATED[m['what']]} berulang: {m['values']}" if m["what"] in REPEATED else None),
    (r"(?P<v>'.*') is not a stakeholder of the cluster \(its params file defines: (?P<ids>.*)\)",
     lambda m: f"{m['v']} bukan pemangku kepentingan sentra (berkas parameternya memuat: {_ids(m['ids'])})"),
    (r"is (?P<v>'.*') but the params file beside it is cluster (?P<c>'.*')",
     _fixed("bernilai {v}, padahal berkas parameter di sampingnya adalah sentra {c}")),
    # cluster.py
    (r"unknown province (?P<v>'.*'): not in the official list",
     _fixed("provinsi {v} tidak dikenal: tidak ada dalam daftar resmi")),
    (r"unknown regency (?P<v>'.*') in (?P<p>.+): not in the official list",
     _fixed("kabupaten/kota {v} di {p} tidak dikenal: tidak ada dalam daftar resmi")),
    (r"a firm has at least one worker", _fixed("satu unit usaha mempunyai paling sedikit satu tenaga kerja")),
    (r"firm (?P<n>'.*'): women_workers \((?P<w>\d+)\) exceeds its (?P<k>\d+) workers",
     _fixed("usaha {n}: tenaga kerja perempuan ({w}) melebihi {k} tenaga kerjanya")),
    (r"market shares add up to (?P<t>[\d.]+) %, not 100 %",
     lambda m: f"pangsa saluran pemasaran berjumlah {_figure(m['t'], 'id')}%, bukan 100%"),
    (r"only one product may be marked 'main'",
     _fixed("hanya satu produk yang boleh ditandai sebagai produk utama (main)")),
    (r"support programme ends \((?P<e>\d+)\) before it starts \((?P<s>\d+)\)",
     _fixed("program bantuan berakhir ({e}) sebelum dimulai ({s})")),
    # contacts.py, publication.py
    (r"(?P<v>'.*') is not a telephone number: write it as offices print it, with the area code, e\.g\. "
     r"'\(0287\) 381234', '0287-381234' or '\+62 287 381234'",
     _fixed("{v} bukan nomor telepon: tulis seperti yang dicetak kantor, dengan kode wilayah, mis. "
            "'(0287) 381234', '0287-381234' atau '+62 287 381234'")),
    (r"(?P<v>'.*') is not an e-mail address \(name@domain, e\.g\. (?P<ex>'.*')\)",
     _fixed("{v} bukan alamat surel (nama@domain, mis. {ex})")),
    (r"(?P<v>'.*') is not a PNG or JPEG file \(name it \.png, \.jpg or \.jpeg\)",
     _fixed("{v} bukan berkas PNG atau JPEG (beri nama berakhiran .png, .jpg atau .jpeg)")),
    # plan.py, monitoring.py
    (r"(?P<v>'.*') is not an indicator of the plan \(it has: (?P<ids>.*)\)",
     _fixed("{v} bukan indikator rencana aksi (indikatornya: {ids})")),
    (r"(?P<v>'.*') is not a programme of the plan \(it has: (?P<ids>.*)\)",
     _fixed("{v} bukan program rencana aksi (programnya: {ids})")),
    (r"(?P<v>'.*') is neither an indicator nor a programme of the plan \(it has: (?P<ids>.*)\)",
     _fixed("{v} bukan indikator maupun program rencana aksi (yang ada: {ids})")),
    (r"(?P<v>'.*') is not in the cluster's firm table \(firms\.table of its params file\)",
     _fixed("{v} tidak ada dalam daftar unit usaha sentra (firms.table pada berkas parameternya)")),
    (r"is (?P<v>\d+) but the cluster's plan is for (?P<y>\d+)",
     _fixed("bernilai {v}, padahal rencana aksi sentra untuk tahun {y}")),
    (r"status is 'done' but done_pct is (?P<p>[\d.]+): make it 100",
     lambda m: f"status 'done' (selesai), tetapi kemajuannya {_figure(m['p'], 'id')}%: jadikan 100"),
    (r"status is (?P<s>'.*'): give its reason \(reason: \{en: \.\.\., id: \.\.\.\}\)",
     _fixed("status {s}: isi alasannya (reason: {{en: ..., id: ...}})")),
    (r"status is 'planned' \(not started\) but done_pct or spent is above 0",
     _fixed("status 'planned' (belum dimulai), tetapi kemajuan atau realisasi anggarannya di atas 0")),
    # cluster.py: the firms, markets, history and production process
    (r"give 'by_size' counts, a firm 'table', or both",
     _fixed("isi jumlah usaha menurut skala ('by_size'), daftar unit usaha ('table'), atau keduanya")),
    (r"the table lists (?P<n>\d+) (?P<size>micro|small|medium|large) firms but by_size counts only "
     r"(?P<k>\d+) in the whole sentra",
     lambda m: f"daftar unit usaha memuat {m['n']} usaha {SIZES[m['size']]}, tetapi by_size hanya mencatat "
               f"{m['k']} di seluruh sentra"),
    (r"potentially_viable \((?P<n>\d+)\) exceeds the (?P<t>\d+) firms",
     _fixed("IKM berpotensi layak (potentially_viable, {n}) melebihi {t} unit usaha")),
    (r"women_led \((?P<n>\d+)\) exceeds the (?P<t>\d+) firms",
     _fixed("usaha dipimpin perempuan (women_led, {n}) melebihi {t} unit usaha")),
    (r"women_led \((?P<n>\d+)\) exceeds the (?P<t>\d+) firms less the (?P<k>\d+) the table says are not "
     r"women-led",
     _fixed("usaha dipimpin perempuan (women_led, {n}) melebihi {t} unit usaha dikurangi {k} yang menurut "
            "daftar tidak dipimpin perempuan")),
    (r"women_led \((?P<n>\d+)\) is fewer than the (?P<k>\d+) women-led firms of the table",
     _fixed("usaha dipimpin perempuan (women_led, {n}) kurang dari {k} usaha dipimpin perempuan pada "
            "daftar")),
    (r"firms\.women_workers \((?P<n>\d+)\) exceeds the (?P<k>\d+) workers of the cluster",
     _fixed("tenaga kerja perempuan (firms.women_workers, {n}) melebihi {k} tenaga kerja sentra")),
    (r"firms\.women_workers \((?P<n>\d+)\) is fewer than the (?P<k>\d+) women workers of the firm table",
     _fixed("tenaga kerja perempuan (firms.women_workers, {n}) kurang dari {k} tenaga kerja perempuan pada "
            "daftar unit usaha")),
    (r"'(?P<f>workers|annual_sales)' is (?P<g>\d+) but the firm table adds up to (?P<c>\d+): "
     r"leave '(?P=f)' out or make them agree",
     _fixed("'{f}' bernilai {g}, tetapi daftar unit usaha berjumlah {c}: kosongkan '{f}' atau samakan "
            "keduanya")),
    (r"channel 'other' needs its name in both languages \(en, id\), e\.g\. \{en: Hotels and restaurants, id: "
     r"Hotel dan restoran\}, so that the documents can name it",
     _fixed("saluran 'other' (lainnya) memerlukan nama dalam kedua bahasa (en, id), mis. {{en: Hotels and "
            "restaurants, id: Hotel dan restoran}}, agar dokumen dapat menyebutnya")),
    (r"only channel 'other' takes a name; (?P<c>'.*') is named by the documents themselves: "
     r"leave 'name' out, or make the channel 'other'",
     _fixed("hanya saluran 'other' (lainnya) yang diberi nama; {c} sudah dinamai oleh dokumen: kosongkan "
            "'name', atau jadikan salurannya 'other'")),
    (r"(?P<what>milestones|support programmes) are not in chronological order: "
     r"item (?P<a>\d+) \((?P<x>\d+)\) comes after item (?P<b>\d+) \((?P<y>\d+)\); list them earliest first",
     lambda m: f"{CHRONOLOGICAL[m['what']]} tidak urut menurut waktu: butir {m['a']} ({m['x']}) berada "
               f"setelah butir {m['b']} ({m['y']}); urutkan dari yang paling awal"),
    (r"give 'began', 'milestones' or 'support', or leave 'history' out",
     _fixed("isi 'began', 'milestones' atau 'support', atau kosongkan 'history'")),
    (r"the first milestone \((?P<a>\d+)\) is earlier than the year the cluster began \((?P<b>\d+)\)",
     _fixed("tonggak sejarah pertama ({a}) lebih awal daripada tahun awal sentra ({b})")),
    (r"step (?P<n>\d+) \((?P<s>'.*')\) names a constraint twice",
     _fixed("tahap {n} ({s}) menyebut satu kendala dua kali")),
    # contacts.py, facilitation.py, strategy.py
    (r"a contact gives at least one of person, position, phone, email or address; leave 'contact' out where "
     r"none is known",
     _fixed("kontak memuat paling sedikit satu dari narahubung, jabatan, telepon, surel atau alamat; "
            "kosongkan 'contact' jika tidak ada yang diketahui")),
    (r"'working_group' is for approach 'working-group' only, not (?P<a>'.*'): leave it out, or set "
     r"'approach: working-group'",
     _fixed("'working_group' hanya untuk pendekatan 'working-group', bukan {a}: kosongkan, atau tetapkan "
            "'approach: working-group'")),
    (r"'reports_to' is for approaches without a working group: under 'working-group' the working group "
     r"receives the reports; leave it out",
     _fixed("'reports_to' hanya untuk pendekatan tanpa kelompok kerja: pada 'working-group' kelompok "
            "kerjalah yang menerima laporan; kosongkan")),
    (r"'reports_to' is (?P<r>'.*'), which is not a stakeholder id: name one of (?P<ids>.+)",
     lambda m: f"'reports_to' bernilai {m['r']}, yang bukan kode pemangku kepentingan: sebut salah satu "
               + ("pemangku kepentingan (belum ada yang dicantumkan)"
                  if m["ids"].startswith("the stakeholders") else f"dari {m['ids']}")),
    (r"(?P<l>'.*') is the lead and cannot also be listed in support",
     _fixed("{l} adalah pemrakarsa, sehingga tidak dapat dicantumkan juga sebagai pendukung")),
    (r"a stakeholder is listed twice in support",
     _fixed("satu pemangku kepentingan tercantum dua kali sebagai pendukung")),
    (r"names (?P<f>'.*'), which is not a field of this file",
     _fixed("menyebut {f}, yang bukan isian berkas ini")),
    (r"does not say where these come from: (?P<s>.+)", _fixed("tidak menyebutkan asal data berikut: {s}")),
    # plan.py
    (r"programme (?P<p>'.*'): (?P<l>'.*') is the lead, so it is not also a partner",
     _fixed("program {p}: {l} adalah penanggung jawab, sehingga bukan juga mitra")),
    (r"programme (?P<p>'.*'): partners repeat: (?P<v>.+)", _fixed("program {p}: mitra berulang: {v}")),
    (r"(?P<v>'.*') is not a programme of the programme library \((?P<w>.+)\)",
     _fixed("{v} bukan program dalam pustaka program ({w})")),
    (r"line (?P<l>[\d, ]+) has rate 0: give the rate in Rupiah, or set in_kind: true on the programme if the "
     r"item is contributed in kind",
     _fixed("baris {l} berharga satuan 0: isi harga satuan dalam Rupiah, atau tetapkan in_kind: true pada "
            "program jika barang itu merupakan kontribusi nontunai")),
    (r"gives no value for (?P<y>\d+), the year of the plan's prices",
     _fixed("tidak memuat nilai untuk {y}, tahun harga rencana")),
    (r"say what the index is and where its figures come from",
     _fixed("jelaskan indeks apa itu dan dari mana angka-angkanya")),
    (r"frequency 'once' needs 'month': the month of the plan year the report is due in",
     _fixed("frekuensi 'once' (sekali) memerlukan 'month': bulan dalam tahun rencana saat laporan harus "
            "diserahkan")),
    (r"'month' is for frequency 'once' only, not (?P<f>'.*'): leave it out \(the periods follow from the "
     r"frequency\), or set frequency: once",
     _fixed("'month' hanya untuk frekuensi 'once' (sekali), bukan {f}: kosongkan (periodenya mengikuti "
            "frekuensi), atau tetapkan frequency: once")),
    (r"'facilitator' names the cluster's facilitator, but its params file records none \(add 'facilitator' "
     r"there, or name a stakeholder\)",
     _fixed("'facilitator' merujuk pada fasilitator sentra, tetapi berkas parameternya tidak mencatatnya "
            "(tambahkan 'facilitator' di sana, atau sebut seorang pemangku kepentingan)")),
    # monitoring.py
    (r"a reason is for a delayed, suspended or cancelled programme, and this one is (?P<s>'.*'): put the "
     r"remark in note",
     _fixed("alasan hanya untuk program yang terlambat, dihentikan sementara atau dibatalkan, sedangkan "
            "status program ini {s}: tulis keterangannya pada catatan (note)")),
    (r"(?P<p>'.*') (?P<verb>ends|starts) on (?P<d>[\d-]+), before the plan starts \(1 January (?P<y>\d+), "
     r"plan_year\): monitoring begins with the plan",
     lambda m: f"{m['p']} {'berakhir' if m['verb'] == 'ends' else 'dimulai'} pada {m['d']}, sebelum rencana "
               f"dimulai (1 Januari {m['y']}, plan_year): pemantauan dimulai bersama rencana"),
    (r"(?P<p>'.*') is an? (?P<k>mid-term|final|ex-post) evaluation, a visit on one day \(end\): remove its "
     r"start; firms' turnover at an evaluation is their annual turnover",
     lambda m: f"{m['p']} adalah evaluasi {EVALUATIONS[m['k']]}, kunjungan satu hari (end): hapus tanggal "
               "mulainya; omzet unit usaha pada evaluasi adalah omzet tahunannya"),
    (r"there is no routine period: the report follows the plan through routine monitoring \(kind: routine, "
     r"the default\), and evaluations add to it",
     _fixed("tidak ada periode rutin: laporan mengikuti rencana melalui pemantauan rutin (kind: routine, "
            "bawaannya), dan evaluasi melengkapinya")),
    (r"programme (?P<p>'.*') starts in month (?P<s>\d+) and lasts (?P<d>\d+) months, so it runs past "
     r"December of the plan year",
     _fixed("program {p} dimulai pada bulan {s} dan berlangsung {d} bulan, sehingga melewati Desember "
            "tahun rencana")),
]
# Each family matches a whole message (or part), never a prefix of a longer one.
FAMILIES = [(re.compile(pattern + r"\Z", re.S), said) for pattern, said in _FAMILIES]


def _one(text: str) -> str | None:
    for pattern, said in FAMILIES:
        if (m := pattern.match(text)) is not None and (done := said(m)) is not None:
            return done
    return None


def _part(text: str) -> str | None:
    """One part of a message, its field path (``en:``, ``[0].by:``) kept as the reader splits on it."""
    if (done := _one(text)) is not None:
        return done
    if (m := LANGUAGE_PREFIX.match(text)) is not None and (done := _part(m.group(2))) is not None:
        return f"{m.group(1)}: {done}"
    return None


def translate(message: str) -> str:
    """A project message in Indonesian: the whole, else each of its '; ' parts; the English message
    where a part matches no family (see the module's docstring)."""
    if (done := _part(message)) is not None:
        return done
    parts = [_part(p) for p in message.split("; ")]
    return "; ".join(parts) if len(parts) > 1 and None not in parts else message  # type: ignore[arg-type]


def translated(message: str) -> bool:
    """Whether ``translate`` says a project message in Indonesian (a test's and a reviewer's check)."""
    return translate(message) != message
