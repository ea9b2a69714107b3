"""Languages: the label catalogue (templates/labels/<lang>.yaml) and Babel formatting.

Labels are data: the words a document uses for categories, table headers and the writers' own
words ("Table", "Contents"). Both catalogues must have the same keys, so no document can fall back
to the other language's word.
"""

from __future__ import annotations

import datetime as dt
import math
from dataclasses import dataclass
from decimal import Decimal
from functools import cache
from pathlib import Path

import yaml
from babel import Locale
from babel.dates import format_date
from babel.numbers import format_decimal

from cluster_reports.domain.shares import half_up_decimal
from cluster_reports.inputs.schema.common import Untranslated

LANGUAGES = ("id", "en")
LOCALES = {"id": "id_ID", "en": "en_US"}


# The scales of money in running text and their words (Indonesian "miliar" is 10^9).
SCALES = (Decimal(10) ** 6, Decimal(10) ** 9, Decimal(10) ** 12)
SCALE_WORDS = {"id": ("juta", "miliar", "triliun"), "en": ("million", "billion", "trillion")}


def _three_figures(value: Decimal) -> Decimal:
    """The value rounded half away from zero to three significant figures (14.849 -> 14.8,
    999.5 -> 1E+3), trailing zeros dropped."""
    if value.is_zero():
        return Decimal(0)
    return half_up_decimal(value, 2 - value.adjusted()).normalize()


class CatalogueError(ValueError):
    pass


def capfirst(text: str) -> str:
    """The text with its first letter raised and the rest left as written.

    User text (product and indicator names, value-chain stages) is written as it reads inside a
    sentence ("genteng Sokka", "LWG meetings held"): a document never lowers it, and where such a
    text begins a sentence or a table cell only its first letter is raised, so brands and acronyms
    keep their case. Leading quotes or brackets are skipped; a text that starts with a digit is
    left alone. Markup stays Markup (raising a letter changes no escaping).
    """
    plain = str(text)
    for i, ch in enumerate(plain):
        if ch.isalnum():
            if not ch.islower():
                return text
            raised = plain[:i] + ch.upper() + plain[i + 1:]
            if isinstance(text, Untranslated):  # still the other language's text, to be marked
                return Untranslated(raised, text.lang)  # type: ignore[return-value]
            # type(text) keeps a Markup a Markup; its constructor does not escape again
            return type(text)(raised)
    return text


@cache
def _load_catalogue(path: Path) -> dict[str, str]:
    data = yaml.safe_load(path.read_text(encoding="utf-8"))
    flat: dict[str, str] = {}

    def walk(prefix: str, node: object) -> None:
        if isinstance(node, dict):
            for key, value in node.items():
                walk(f"{prefix}.{key}" if prefix else str(key), value)
        else:
            flat[prefix] = str(node)

    walk("", data)
    return flat


@dataclass(frozen=True)
class Labels:
    lang: str
    entries: dict[str, str]

    def __call__(self, key: str) -> str:
        try:
            return self.entries[key]
        except KeyError:
            raise CatalogueError(f"label '{key}' is missing from the {self.lang} catalogue") from None

    def of(self, key: str, place: str) -> str:
        """The label of a key for a place of a kind ('kabupaten', 'kota', or 'kabupaten-kota' where
        no one place is meant): ``key.<kind>`` where the catalogue words the key per kind (the
        regency budget and the city budget are different terms, each written out whole in one place),
        else ``key`` itself, so callers need not know which terms depend on the place."""
        if f"{key}.kabupaten" in self.entries or f"{key}.kota" in self.entries:
            return self(f"{key}.{place}")
        return self(key)

    def count(self, key: str, n: int, **values: object) -> str:
        """A count in words: the form of ``key`` for ``n``, its ``{n}`` the number as the language
        writes it and its other ``{name}`` fields the given values.

        A count label has the forms ``zero`` (the wording for none: "no firm", "belum ada IKM"),
        ``single`` (the wording for exactly one where it is not a number: "the only firm",
        "satu-satunya unit usaha"), ``one`` (English: CLDR gives Indonesian no singular form) and
        ``other``. Only ``other`` is required; ``one`` and ``other`` follow CLDR's plural rule of
        the language, through Babel. A key written as one text has no forms.
        """
        if key in self.entries:
            form = self.entries[key]
        else:
            # A form for the number itself ("10": "kesepuluh") wins over the general forms.
            forms = [f"{key}.{n}"] + ([f"{key}.zero"] if n == 0 else [f"{key}.single"] if n == 1 else [])
            forms += [f"{key}.{plural_category(self.lang, n)}"]
            form = next((self.entries[f] for f in forms if f in self.entries), None) or self(f"{key}.other")
        return form.format_map({"n": Formatter(self.lang).number(n), **values})

    def group(self, prefix: str) -> dict[str, str]:
        """Every label below a prefix, keyed by the rest of the key."""
        start = prefix + "."
        return {k[len(start):]: v for k, v in self.entries.items() if k.startswith(start)}


def plural_category(lang: str, n: int) -> str:
    """CLDR's plural category of a number in a language ('one', 'other'), through Babel."""
    return _locale(lang).plural_form(abs(n))


@cache
def _locale(lang: str) -> Locale:
    return Locale.parse(LOCALES[lang])


# The forms of a count label that one language may have and the other not (an Indonesian count
# label has no 'one'; 'zero' and 'single' where a language words them apart): the catalogues'
# comparison asks each language for 'other' only.
OPTIONAL_FORMS = ("zero", "single", "one", "two", "few", "many")


def _plural_form_of(key: str, keys: set[str]) -> bool:
    parent, _, form = key.rpartition(".")
    return form in OPTIONAL_FORMS and f"{parent}.other" in keys


# The mark after a text shown in the other language (the consultant wrote it in one language
# only), in the document's language: square brackets are an editor's insertion in a ministry text.
UNTRANSLATED_MARK = {"en": "[not yet translated]", "id": "[belum diterjemahkan]"}


def untranslated_mark(text_lang: str) -> str:
    """The mark for a text in ``text_lang`` printed in a document of the other language."""
    return UNTRANSLATED_MARK["id" if text_lang == "en" else "en"]


def catalogue_files(templates: Path, lang: str) -> list[Path]:
    """The shared catalogue ``labels/<lang>.yaml`` and each document kind's ``labels/<kind>.<lang>.yaml``."""
    folder = templates / "labels"
    return [folder / f"{lang}.yaml", *sorted(folder.glob(f"*.{lang}.yaml"))]


def labels(templates: Path, lang: str) -> Labels:
    if lang not in LANGUAGES:
        raise CatalogueError(f"unknown language {lang!r}: choose from {', '.join(LANGUAGES)}")
    return Labels(lang, _merged(tuple(catalogue_files(templates, lang))))


@cache
def _merged(files: tuple[Path, ...]) -> dict[str, str]:
    merged: dict[str, str] = {}
    origin: dict[str, Path] = {}
    for path in files:
        for key, value in _load_catalogue(path).items():
            if key in merged:
                raise CatalogueError(f"label '{key}' is defined in both {origin[key]} and {path}")
            merged[key] = value
            origin[key] = path
    return merged


def check_catalogues(templates: Path) -> list[str]:
    """Keys present in one language's catalogue file and not in the other language's."""
    problems = []
    names = {
        lang: {p.name.removesuffix(f"{lang}.yaml"): p for p in catalogue_files(templates, lang)}
        for lang in LANGUAGES
    }
    for lang in LANGUAGES:
        for other in LANGUAGES:
            for prefix, path in names[other].items():
                mine = names[lang].get(prefix)
                if mine is None:
                    problems.append(f"labels/{prefix}{lang}.yaml is missing (labels/{path.name} exists)")
                    continue
                theirs, own = set(_load_catalogue(path)), set(_load_catalogue(mine))
                for key in sorted(theirs - own):
                    if _plural_form_of(key, own):
                        continue
                    problems.append(f"labels/{mine.name} lacks '{key}' (present in {path.name})")
    return problems


@dataclass(frozen=True)
class Formatter:
    """Numbers, money and dates in the conventions of one language (Rp 1.500.000 in Indonesian)."""

    lang: str

    @property
    def locale(self) -> str:
        return LOCALES[self.lang]

    @staticmethod
    def _check(value: object) -> float | int | Decimal:
        if value is None or isinstance(value, bool):
            raise ValueError(f"cannot format {value!r} as a number")
        if isinstance(value, float) and math.isnan(value):
            raise ValueError("cannot format NaN as a number")
        return value  # type: ignore[return-value]

    def number(self, value: float | int | Decimal) -> str:
        return self.decimal(value, 0)

    def decimal(self, value: float | int | Decimal, places: int = 1) -> str:
        # Rounded here, half away from zero, so Babel (which rounds half to even) only formats.
        pattern = "#,##0." + "0" * places if places else "#,##0"
        return format_decimal(half_up_decimal(self._check(value), places), format=pattern, locale=self.locale)

    def percent(self, value: float | int | Decimal, places: int = 1) -> str:
        """A percentage given in percent units (65.6 -> '65,6%' / '65.6%'): no space before the sign
        in either language (PUEBI writes "65,6%")."""
        return f"{self.decimal(value, places)}%"

    def rupiah(self, value: int | float | Decimal) -> str:
        return "Rp " + self.number(self._check(value))

    def usd(self, value: float | Decimal) -> str:
        return "US$ " + self.number(self._check(value))

    def rupiah_rounded(self, value: int | float | Decimal) -> str:
        """An amount as running text gives it: 'Rp 14,8 miliar', 'Rp 198 juta' (see ``rounded``)."""
        return "Rp " + self.rounded(value)

    def usd_rounded(self, value: float | Decimal) -> str:
        """A dollar amount as running text gives it: 'US$ 1,1 juta' / 'US$ 1.1 million', and under a
        million to three significant figures too ('about US$ 8,260' for 8,259.38): a converted
        amount is an approximation, and its last digits would claim a precision it does not have."""
        whole = half_up_decimal(self._check(value), 0)
        if SCALES[0] > abs(whole) >= 1000:  # 999,999 rounds into the millions: "US$ 1 million"
            near = _three_figures(whole)
            return "US$ " + (self.number(near) if abs(near) < SCALES[0] else self.rounded(near))
        return "US$ " + self.rounded(value)

    def rounded(self, value: int | float | Decimal) -> str:
        """An amount rounded as a report rounds it in a sentence: three significant figures and the
        word for the scale ('14,8 miliar', '198 juta', '1,1 juta'; '14.8 billion'), trailing zeros
        dropped. Under a million the exact whole figure stays ('999.999'): rounding it would save
        no word. An amount that rounds up into the next scale takes its word (999,500,000 is
        '1 miliar', not '1.000 juta')."""
        whole = half_up_decimal(self._check(value), 0)
        if abs(whole) < SCALES[0]:
            return self.number(whole)
        for i, size in enumerate(SCALES):
            mantissa = _three_figures(whole / size)
            if abs(mantissa) < 1000 or i == len(SCALES) - 1:
                places = max(0, -mantissa.as_tuple().exponent)
                return f"{self.decimal(mantissa, places)} {SCALE_WORDS[self.lang][i]}"
        raise AssertionError("unreachable: the last scale always returns")

    def date(self, value: dt.date) -> str:
        # Day, month, year in both languages: the international style of Indonesian English documents.
        return format_date(value, format="d MMMM y", locale=self.lang)

    def month_year(self, value: dt.date) -> str:
        return format_date(value, format="MMMM y", locale=self.lang)


def series(items: list[str], conjunction: str, lang: str) -> str:
    """'A', 'A and B', 'A, B and C' (Indonesian: 'A, B, dan C', the PUEBI series comma)."""
    if len(items) <= 2:
        return f" {conjunction} ".join(items)
    comma = "," if lang == "id" else ""
    return f"{', '.join(items[:-1])}{comma} {conjunction} {items[-1]}"
