"""Bounds of what a params file may hold: numbers a report can print, and text that is only text.

A number is finite and within a range no real cluster comes near (so that a misplaced exponent, or
a YAML ``1e309`` read as infinity, is refused at validation rather than failing a render later). A
text holds no control character (C0 but tab and line feed, DEL, C1), no noncharacter and no lone
surrogate; a one-line text (a name, a title, a label) holds no line break or tab either. Bidirectional
controls stay allowed: a name in Arabic script may need them (the writers isolate them).

Every reason says what is wrong and where, e.g. "must be at most 10,000,000 (a count of firms)",
"holds the control character U+001B at position 7: remove it".
"""

from __future__ import annotations

import math
import re
from typing import Annotated

from pydantic import BeforeValidator, Field, StringConstraints

# --- numbers ---------------------------------------------------------------------------------

# Nothing a report prints is smaller than this without being 0: a smaller number prints as 0, and a
# divisor that small (a rate, an index, a target) makes a figure infinite.
SMALLEST = 1e-6
# What an integer of more digits than Python reads from text stands for: more than any bound.
TOO_MANY_DIGITS = 10**4300


def _given(value: object, integer: bool) -> int | float | None:
    """The number a field's input stands for (YAML and CSV give numbers as text too), else None: the
    type's own check then says what is wrong."""
    if isinstance(value, bool):
        return None
    if isinstance(value, int | float):
        return value
    if isinstance(value, str):
        text = value.strip()
        try:
            return int(text) if integer else float(text)
        except ValueError:
            digits = text.lstrip("+-")
            if integer and digits.isascii() and digits.isdigit():  # beyond int's 4,300 digits
                return -TOO_MANY_DIGITS if text.startswith("-") else TOO_MANY_DIGITS
            return None
    return None


def _figure(x: float) -> str:
    return f"{int(x):,}" if float(x).is_integer() else f"{x:,g}"


def bounded(kind: type, low: float, high: float, what: str, *, above: bool = False,
            floor: float | None = None, smallest: bool = False, high_name: str = "",
            description: str | None = None):
    """A finite number type of at least ``low`` (more than it, ``above``) and at most ``high``.

    ``what`` says what it is in the reasons ("a count of firms"), ``high_name`` names the upper bound
    ("a quadrillion"). The sign (``low``) is pydantic's own constraint and message, as before bounds;
    ``floor``: a positive value must be at least this (a rate of Rp 0.5 per US dollar is none);
    ``smallest``: a non-zero value must be at least SMALLEST in size (floats that divide, or print
    with few decimals)."""
    integer = kind is int

    def check(value: object) -> object:
        number = _given(value, integer)
        if number is None:
            return value
        if isinstance(number, float) and not math.isfinite(number):
            read = "NaN, not a number" if math.isnan(number) else "infinite"
            raise ValueError(f"must be a finite number ({what}): this one reads as {read}")
        if number > high:
            raise ValueError(f"must be at most {_figure(high)}{high_name and ', ' + high_name} ({what})")
        if number < low and (low < 0 or number < -high):  # else the sign's own message
            raise ValueError(f"must be at least {_figure(low)} ({what})")
        if floor is not None and low < number < floor:
            raise ValueError(f"must be at least {_figure(floor)} ({what})")
        if smallest and number and abs(number) < SMALLEST:
            raise ValueError(f"must be 0 or at least {SMALLEST:g} in size: a smaller number prints as 0 "
                             f"({what})")
        return value

    sign = {"gt": low} if above else {"ge": low}
    extra = {} if integer else {"allow_inf_nan": False}
    return Annotated[kind, Field(le=high, description=description, **sign, **extra),
                     BeforeValidator(check)]


def small(low: int, high: int, what: str, description: str | None = None):
    """A small whole number (a score, a month, a day): pydantic's own range messages, as before
    bounds, except for what no int check reads well (infinity, 1e30): those are said here."""

    def check(value: object) -> object:
        number = _given(value, True)
        if number is None:
            return value
        if isinstance(number, float) and not math.isfinite(number):
            raise ValueError(f"must be a finite number ({what}), from {low} to {high}")
        if abs(number) > 10**9:
            raise ValueError(f"must be from {low} to {high} ({what})")
        return value

    return Annotated[int, Field(ge=low, le=high, description=description), BeforeValidator(check)]


COUNT_MAX = 10_000_000  # ten million: more firms (or workers) than any cluster, or province, has
RUPIAH_MAX = 10**15  # a quadrillion Rupiah: some US$ 60 billion, beyond any cluster's sales
QUANTITY_MAX = 10**12  # units a year: ten thousand firms making a hundred million each
MEASURE_MAX = 10**15  # an indicator's value: as large as a Rupiah amount, of either sign

FirmCount = bounded(int, 0, COUNT_MAX, "a count of firms")
WorkerCount = bounded(int, 0, COUNT_MAX, "a count of workers")
FirmWorkers = bounded(int, 1, COUNT_MAX, "a count of workers")  # a firm has at least one
Cases = bounded(int, 1, COUNT_MAX, "a count of firms")  # a plan's target of success cases
Rupiah = bounded(int, 0, RUPIAH_MAX, "an amount in Rupiah", high_name="a quadrillion",
                 description="Amount in Rupiah (IDR), no decimals")
PositiveRupiah = bounded(int, 0, RUPIAH_MAX, "an amount in Rupiah", above=True, high_name="a quadrillion")
# Rupiah per US dollar: Rp 8,000 in 2003, some Rp 16,000 in 2025; never below Rp 1 or near a million.
UsdRate = bounded(float, 0, 1_000_000, "Rupiah per US dollar", above=True, floor=1,
                  description="Rupiah per US dollar (from 1 to 1,000,000)")
Percent = bounded(float, 0, 100, "a percentage", smallest=True)
Quantity = bounded(float, 0, QUANTITY_MAX, "a quantity of units", above=True, smallest=True)
Measure = bounded(float, -MEASURE_MAX, MEASURE_MAX, "an indicator's value", smallest=True)
# A price index by year (100 in its base year, or 1): restated amounts are multiplied by a ratio of two.
PriceIndex = bounded(float, 0, 1_000_000, "a price index, e.g. 100 in its base year", above=True,
                     floor=0.001)
Months = bounded(float, 0, 120, "a duration in months", above=True, high_name="ten years", smallest=True)
Kilometres = bounded(float, 0, 2000, "a distance by road in km")
Year = bounded(int, 1800, 2100, "a year")
YearSince1900 = bounded(int, 1900, 2100, "a year")
YearSince1990 = bounded(int, 1990, 2100, "a year")


# --- texts -----------------------------------------------------------------------------------

LINE_BREAKS = {"\n", "\r", "\v", "\f", "\x85", "\u2028", "\u2029"}


def _not_text(ch: str) -> str | None:
    """What a character is if it has no place in a text, else None."""
    cp = ord(ch)
    if (cp < 0x20 and ch not in "\t\n") or 0x7F <= cp <= 0x9F:
        return "the control character"
    if 0xD800 <= cp <= 0xDFFF:
        return "a lone surrogate (half of a character),"
    if 0xFDD0 <= cp <= 0xFDEF or (cp & 0xFFFE) == 0xFFFE:
        return "the noncharacter"
    return None


# Every character ``_not_text`` names, as one class: the search runs in C, where a loop over the
# characters in Python cost a third of validating the sample.
_NOT_TEXT = re.compile("[\x00-\x08\x0b-\x1f\x7f-\x9f\ud800-\udfff\ufdd0-\ufdef"
                       + "".join(chr(plane << 16 | 0xFFFE) + chr(plane << 16 | 0xFFFF) for plane in range(17))
                       + "]")
_LINE_BREAK_OR_TAB = re.compile("[" + "".join(sorted(LINE_BREAKS)) + "\t]")


def clean_text(value: str) -> str | None:
    """Why a text cannot be used (its first control character, noncharacter or lone surrogate, by
    code point and position, counted from 1), else None."""
    found = _NOT_TEXT.search(value)
    if found is None:
        return None
    ch = found.group()
    return f"holds {_not_text(ch)} U+{ord(ch):04X} at position {found.start() + 1}: remove it"


def one_line(value: str) -> str | None:
    """Why a text is not one line (a line break or tab inside it; at its ends they are trimmed), or
    not clean, else None."""
    if (why := clean_text(value)) is not None:
        return why
    start = len(value) - len(value.lstrip())
    found = _LINE_BREAK_OR_TAB.search(value.strip())
    if found is None:
        return None
    ch, n = found.group(), found.start() + start + 1
    if ch == "\t":
        return f"must be one line: replace the tab (U+0009 at position {n}) with a space"
    return f"must be one line: remove the line break (U+{ord(ch):04X} at position {n})"


def check_text(value: object, *, single: bool) -> object:
    """The validator every text type shares: a one-line text (``single``) or a paragraph."""
    if isinstance(value, str) and (why := (one_line if single else clean_text)(value)) is not None:
        raise ValueError(why)
    return value


def _line(value: object) -> object:
    return check_text(value, single=True)


def _paragraph(value: object) -> object:
    return check_text(value, single=False)


def line(max_length: int = 2000, min_length: int = 1, strip: bool = True, pattern: str | None = None):
    """A one-line text type (a name, a title, a path, a link) of at most ``max_length`` characters."""
    return Annotated[str, StringConstraints(strip_whitespace=strip, min_length=min_length,
                                            max_length=max_length, pattern=pattern),
                     BeforeValidator(_line)]


def paragraph(max_length: int = 2000, min_length: int = 1, strip: bool = True):
    """A text that may run over several lines (a note, a description, a reviewer's paragraph)."""
    return Annotated[str, StringConstraints(strip_whitespace=strip, min_length=min_length,
                                            max_length=max_length),
                     BeforeValidator(_paragraph)]


Line = line()
Paragraph = paragraph()
