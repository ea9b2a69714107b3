"""A field's value as a cell holds it, and back: flags as ya/tidak, lists of ids as ``a; b``, mappings
as ``key: value`` lines, dates as dates, Rupiah as whole numbers. Reading gives pydantic what the
cell says (a text in a number column stays text), so the schema's own check names what is wrong."""

from __future__ import annotations

import datetime as dt
from enum import Enum

from .layout import LIST_SEPARATOR, Column

YES, NO = "ya", "tidak"
_TRUE = {"ya", "yes", "true", "benar", "y"}
_FALSE = {"tidak", "no", "false", "salah", "t", "n"}

RUPIAH_FIELDS = {"annual_sales", "value_added", "turnover", "spent", "rate", "amount", "min_annual_sales"}
YEAR_FIELDS = {"year", "established", "start", "end", "appointed", "reference_year", "plan_year",
               "vision_year"}
RUPIAH_FORMAT = '"Rp "#,##0'
PERCENT_FORMAT = '0.##"%"'
DATE_FORMAT = "yyyy-mm-dd"


def number_format(column: Column) -> str | None:
    kind = column.field.annotation
    name = column.keys[-1] if column.keys else ""
    if column.cell_kind != "scalar":
        return "@"
    if kind is dt.date:
        return DATE_FORMAT
    if kind is int and name in RUPIAH_FIELDS:
        return RUPIAH_FORMAT
    if kind is float and name.endswith("_pct"):
        return PERCENT_FORMAT
    if kind is int and name in YEAR_FIELDS:
        return "0"
    if kind is int:
        return "#,##0"
    if kind is float:
        return "General"  # a measure or a quantity: shown as given, never rounded
    if kind is bool:
        return None
    return "@"  # text: an id of digits (an ISIC code) stays text


def _scalar_out(value: object) -> object:
    if isinstance(value, Enum):
        return value.value
    if isinstance(value, bool):
        return YES if value else NO
    return value


def to_cell(column: Column, value: object) -> object:
    """The value a cell is given for a field's value (None: left blank)."""
    if value is None:
        return None
    if column.cell_kind == "list":
        return LIST_SEPARATOR.join(str(_scalar_out(v)) for v in value) if value else None
    if column.cell_kind == "map":
        return "\n".join(f"{_scalar_out(k)}: {_plain(v)}" for k, v in value.items()) if value else None
    if column.cell_kind in ("text", "line-or-text"):
        if isinstance(value, str):  # a line printed so in both languages: the Indonesian column alone
            return value if column.lang == "id" else None
        # A language not given stays a blank cell (get would give the other language's text).
        return value.get(column.lang) if isinstance(value, dict) else getattr(value, column.lang)
    return _scalar_out(value)


def _plain(value: object) -> str:
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    return str(_scalar_out(value))


def blank(value: object) -> bool:
    return value is None or (isinstance(value, str) and not value.strip())


def from_cell(column: Column, value: object) -> object:
    """What a non-blank cell gives the schema for its field."""
    kind = column.field.annotation if column.cell_kind == "scalar" else None
    if column.cell_kind == "list":
        return [part.strip() for part in _text(value).split(";") if part.strip()]
    if column.cell_kind == "map":
        found: dict = {}
        for line in _text(value).splitlines():
            if line.strip():
                key, _, item = line.partition(":")
                found[key.strip()] = item.strip()
        return found
    if kind is bool:
        if isinstance(value, str) and value.strip().casefold() in _TRUE | _FALSE:
            return value.strip().casefold() in _TRUE
        return value  # anything else: the schema says it is no flag
    if kind is dt.date and isinstance(value, dt.datetime):
        return value.date()
    if kind in (int, float) or kind is dt.date:
        return value
    return _text(value)


def _text(value: object) -> str:
    """A text field's value: a number typed into it (an ISIC code, a phone number) as its digits."""
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    if isinstance(value, dt.datetime):
        return value.date().isoformat()
    if isinstance(value, bool):
        return YES if value else NO
    return value if isinstance(value, str) else str(value)
