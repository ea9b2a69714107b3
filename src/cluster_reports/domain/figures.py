"""Figures as a text writes them ("264", "1.511", "55%", "Rp 2,5 miliar", "2024"), and which of them
a reviewer's wording still quotes after the data changed.

A reviewer's wording replaces the generated text of a block (``overrides``); the figures it took from
the data are frozen in it. Comparing the figures of what was generated when the wording was harvested
(the basis) with those generated now tells which changed; the wording is stale where it still quotes
an old one.
"""

from __future__ import annotations

import re
from collections import Counter
from dataclasses import dataclass
from decimal import Decimal, InvalidOperation
from difflib import SequenceMatcher

# A number as written: digits with group or decimal separators ('1,511', '1.511', '2,5'), maybe a sign
# (a hyphen or minus sign not joining two words or figures, as in '2020-2024'), a currency before it
# and a percent sign or a scale word after it. Digits inside a word ('SDG8', 'CO2') are no figure.
_SCALES = {
    "ribu": 10**3, "thousand": 10**3,
    "juta": 10**6, "million": 10**6,
    "miliar": 10**9, "milyar": 10**9, "billion": 10**9,
    "triliun": 10**12, "trillion": 10**12,
}
_PERCENT = r"%|persen\b|percent\b|per\s+cent\b"
_FIGURE = re.compile(
    r"(?<![\w.,])"
    r"(?P<currency>(?:Rp|IDR|USD|US\$|\$)\.?\s?)?"
    r"(?P<sign>(?<![\w\d])[-\u2212](?=\d))?"
    r"(?P<number>\d+(?:[.,]\d+)*)"
    r"(?![\w])"
    rf"(?:[ \u00a0\u202f]?(?P<percent>{_PERCENT})"
    rf"|[ \u00a0\u202f](?P<scale>{'|'.join(_SCALES)})\b)?",
    re.IGNORECASE,
)


@dataclass(frozen=True)
class Figure:
    """A figure as written, and what it stands for: its value, and '%' for a percentage."""

    text: str
    value: Decimal
    unit: str = ""

    @property
    def key(self) -> tuple[Decimal, str]:
        return self.value, self.unit


def _value(number: str, lang: str) -> Decimal:
    """'1.511' is 1511 in Indonesian and 1.511 in English; a figure written the other language's way
    ('2.5' or '1,234.5' in an Indonesian text) is read as its writer meant it."""
    group, point = (".", ",") if lang == "id" else (",", ".")
    if point in number and group in number.rpartition(point)[2]:
        group, point = point, group
    whole, _, fraction = number.rpartition(point) if point in number else (number, "", "")
    parts = whole.split(group)
    grouped = 1 <= len(parts[0]) <= 3 and all(len(p) == 3 for p in parts[1:])
    if len(parts) == 2 and not grouped and not fraction:  # '2.5' in Indonesian: a point
        whole, fraction = parts
    whole, fraction = re.sub(r"\D", "", whole), re.sub(r"\D", "", fraction)
    try:
        return Decimal(f"{whole}.{fraction}" if fraction else whole).normalize()
    except InvalidOperation:  # unreachable for the digits the pattern takes; kept safe
        return Decimal(0)


def figures(text: str, lang: str) -> list[Figure]:
    """The figures of a text in document order (``lang`` "id" or "en" tells its separators)."""
    found = []
    for match in _FIGURE.finditer(text):
        value = _value(match["number"], lang)
        if match["scale"]:
            value = (value * _SCALES[match["scale"].lower()]).normalize()
        if match["sign"]:
            value = -value
        found.append(Figure(match.group(0).strip(), value, "%" if match["percent"] else ""))
    return found


def _all(paragraphs: list[str], lang: str) -> list[Figure]:
    return [f for text in paragraphs for f in figures(text, lang)]


def _pairs(old: list[Figure], new: list[Figure]) -> list[tuple[Figure, Figure | None]]:
    """Each old figure with the new one in its place. The same template with other data gives as
    many figures, in the same places: paired in order. Otherwise the two are aligned, a figure the
    new text lacks paired with None."""
    if len(old) == len(new):
        return list(zip(old, new, strict=True))
    pairs: list[tuple[Figure, Figure | None]] = []
    matcher = SequenceMatcher(a=[f.key for f in old], b=[f.key for f in new], autojunk=False)
    for tag, i1, i2, j1, j2 in matcher.get_opcodes():
        if tag in ("replace", "delete", "equal"):
            pairs += [(figure, new[j1 + k] if j1 + k < j2 else None) for k, figure in enumerate(old[i1:i2])]
    return pairs


def stale(basis: list[str], now: list[str], wording: list[str], lang: str) -> list[tuple[str, str | None]]:
    """The figures ``wording`` still quotes that the generated text gave when it was harvested
    (``basis``) and gives no longer (``now``): (old figure, the figure in its place now, or None when
    none took its place), each old figure once, in the order of the basis.

    A changed figure is paired with the one in its place now (see ``_pairs``). A figure the new text
    still gives elsewhere counts as stale only when the wording quotes it more often than it does.
    """
    old, new = _all(basis, lang), _all(now, lang)
    replaced: dict[tuple[Decimal, str], tuple[str, str | None]] = {}
    for figure, partner in _pairs(old, new):
        if partner is None or partner.key != figure.key:
            replaced.setdefault(figure.key, (figure.text, partner.text if partner else None))
    if not replaced:
        return []
    counts_old = Counter(f.key for f in old)
    counts_new = Counter(f.key for f in new)
    counts_wording = Counter(f.key for f in _all(wording, lang))
    return [
        pair for key, pair in replaced.items()
        if counts_old[key] > counts_new[key] and counts_wording[key] > counts_new[key]
    ]
