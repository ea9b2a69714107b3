"""One rounding rule for every figure, and shares of a whole that add up.

- **Half away from zero** (62.5 -> 63, 0.25 -> 0.3, -2.5 -> -3): what a reader expects and what
  government reports print; Python's ``round`` and Babel round half to even (62.5 -> 62).
- **Largest remainder** for the shares of one whole shown together (size classes, market channels,
  budget by source): each share is cut to its places, then the units still missing to 100 go to the
  shares with the largest cut-off remainders, so the shown shares add up to exactly 100. Equal
  remainders are never treated differently (equal values, or 8 and 1 of 14, both .428 over): where
  the last unit would go to one of them and not the other, each share is rounded half up on its own
  instead, and the column may then miss 100 a little (``adds_up`` tells, for the table's note).
- **Apportioning a rounded total** (a converted US$ column): the same method on whole units, so that
  lines rounded one by one add up to the rounded total printed under them.

Figures are turned into exact decimals first (a float by its shortest repr, so 2.675 is 2.675, not
the binary 2.67499...), so a half is a half.
"""

from __future__ import annotations

from decimal import ROUND_HALF_UP, Decimal
from fractions import Fraction


def exact(value: float | int | Decimal | Fraction) -> Decimal | Fraction:
    """A figure as an exact number: a float by the digits it prints as."""
    if isinstance(value, bool):
        raise ValueError(f"cannot round {value!r} as a number")
    if isinstance(value, float):
        return Decimal(repr(value))
    if isinstance(value, int):
        return Decimal(value)
    return value


def half_up_decimal(value: float | int | Decimal | Fraction, places: int = 0) -> Decimal:
    """The figure rounded half away from zero to ``places`` decimals, as an exact Decimal (never a
    negative zero: -0.04 to one place is 0.0, not -0.0)."""
    number = exact(value)
    if isinstance(number, Fraction):
        # A Fraction has no quantize: scale, round the magnitude half up, scale back.
        magnitude = abs(number) * Fraction(10) ** places
        whole = int(magnitude) + (1 if magnitude - int(magnitude) >= Fraction(1, 2) else 0)
        number = Decimal(whole if number >= 0 else -whole).scaleb(-places)
    rounded = number.quantize(Decimal(1).scaleb(-places), rounding=ROUND_HALF_UP)
    return rounded.copy_abs() if rounded.is_zero() else rounded


def half_up(value: float | int | Decimal | Fraction, places: int = 0) -> float | int:
    """The figure rounded half away from zero: an int for no places, else a float."""
    rounded = half_up_decimal(value, places)
    return int(rounded) if places <= 0 else float(rounded)


def share(part: float | int, whole: float | int, places: int = 1) -> float:
    """One share of a whole in percent, rounded half away from zero (0.0 for a zero whole)."""
    if not whole:
        return 0.0
    return float(half_up_decimal(Fraction(exact(part)) * 100 / Fraction(exact(whole)), places))


def _largest_remainder(values: list[Fraction], units: int) -> list[int]:
    """Whole units of ``units`` in all, in proportion to the values (all at least 0, sum above 0)."""
    total = sum(values)
    quotas = [v * units / total for v in values]
    floors = [int(q) for q in quotas]  # values are not negative, so int() is the floor
    missing = units - sum(floors)
    order = sorted(range(len(values)), key=lambda i: (-(quotas[i] - floors[i]), -values[i], i))
    for i in order[:missing]:
        floors[i] += 1
    return floors


def _fractions(values: list[float | int | Decimal]) -> list[Fraction]:
    out = [Fraction(exact(v)) for v in values]
    negative = [v for v, f in zip(values, out, strict=True) if f < 0]
    if negative:
        raise ValueError(f"shares of a whole cannot be negative: {negative[0]!r}")
    return out


def shares(values: list[float | int | Decimal], places: int = 1) -> list[float]:
    """Percentages of the values' total, rounded to ``places`` by largest remainder so that they add
    up to exactly 100. A zero total gives zero shares (there is no whole to share out); a single
    value with a total above zero gets 100."""
    parts = _fractions(values)
    if not parts or sum(parts) == 0:
        return [0.0 for _ in values]
    unit = 10 ** places
    total = sum(parts)
    quotas = [p * 100 * unit / total for p in parts]
    remainders = sorted((q - int(q) for q in quotas), reverse=True)
    missing = 100 * unit - sum(int(q) for q in quotas)
    if 0 < missing < len(parts) and remainders[missing - 1] == remainders[missing]:
        # The last unit would go to one of equal remainders and not the other (equal values, or 8
        # and 1 of 14): that would be arbitrary, so each share is rounded on its own (the column
        # may then miss 100 by a little, which the table notes).
        return [float(half_up_decimal(p * 100 / total, places)) for p in parts]
    return [n / unit if places else float(n) for n in _largest_remainder(parts, 100 * unit)]


def adds_up(shown: list[float], places: int = 1) -> bool:
    """Whether shares as shown (rounded to ``places``) add up to exactly 100, or are all zero (no
    whole): where not, the table says that shares may not add up to 100 because of rounding."""
    total = sum(half_up_decimal(v, places) for v in shown)
    return total == 100 or all(not v for v in shown)


def apportion(values: list[float | int | Decimal], total: int | None = None) -> list[int]:
    """The values as whole units that add up to ``total`` (by default the values' sum rounded half
    away from zero), by largest remainder: each line is its value cut to a whole, and the units
    still missing go to the lines with the largest remainders. A converted column (US$ beside exact
    Rupiah) rounded this way adds up to the rounded total printed under it, and no line moves by
    more than one unit from its own rounding."""
    parts = _fractions(values)
    if not parts:
        return []
    target = half_up(sum(parts)) if total is None else total
    floors = [p.numerator // p.denominator for p in parts]
    missing = target - sum(floors)
    if not 0 <= missing <= len(parts):
        # A total far from the values' sum: share it out in proportion to the values instead.
        return _largest_remainder(parts, target) if sum(parts) else [0 for _ in parts]
    order = sorted(range(len(parts)), key=lambda i: (-(parts[i] - floors[i]), -parts[i], i))
    for i in order[:missing]:
        floors[i] += 1
    return floors
