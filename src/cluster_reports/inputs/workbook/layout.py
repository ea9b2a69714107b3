"""Where each field of a cluster's params goes in a workbook, from the one walk of the schema (``fields``).

Each part (cluster, strategy, plan, monitoring) has a form sheet: one row per scalar of the part and
of the single models inside it (location, currency, selection, assessment ...). Each list of models is
a table sheet, one row per item; a list inside a list's item (a programme's budget lines) is a table of
its own whose first column names the parent row (its id where the parent has one, else its row
number). A list of texts is a table of an Indonesian and an English column. A list of scalars (ids,
months, targets) is one cell, its values separated by ``; ``; a mapping (period -> value) one cell of
``key: value`` lines. Writer and reader both walk this layout, so they agree cell for cell.
"""

from __future__ import annotations

import functools
from dataclasses import dataclass, field
from typing import get_origin

from . import fields, labels
from .fields import Field

FIRST_ROW = 3  # two header rows: Indonesian, then English
# Form sheets: one row per value (a text's two languages on two rows): label (id), label (en), value.
FORM_VALUE = 3
LIST_SEPARATOR = "; "
# Excel refuses these in a sheet's name.
_BAD_SHEET_CHARS = set(":\\/?*[]")


@dataclass
class Column:
    """One value of an item (a table's column) or of a part (a form's row)."""

    path: str  # the field's path (labels' key)
    keys: tuple[str, ...]  # from the item (or the part) down to the value
    field: Field
    lang: str | None = None  # 'id' or 'en' for one language of a text
    cell_kind: str = "scalar"  # scalar | text | line-or-text | list | map

    @property
    def required(self) -> bool:
        return self.field.required


@dataclass
class Sheet:
    path: str  # the part's key (form) or the list's path
    kind: str  # form | table | texts
    part: str
    keys: tuple[str, ...]  # from the owner (part root, or a parent table's item) to the list
    field: Field | None
    parent: Sheet | None = None
    columns: list[Column] = field(default_factory=list)
    children: list[Sheet] = field(default_factory=list)
    names: dict[str, str] = field(default_factory=dict)  # lang -> sheet name
    # The required single models under an item (or the part), by keys: read as given though empty, so
    # that the schema names each required field missing in them rather than the model as a whole.
    required_models: list[tuple[str, ...]] = field(default_factory=list)

    @property
    def parent_key(self) -> str | None:
        """The field of the parent's items that a child row names its parent by (None: row number)."""
        if self.parent is None:
            return None
        names = {f.path.rsplit(".", 1)[-1] for f in self.parent.field.fields} if self.parent.field else set()
        return "id" if "id" in names else None

    def name(self, lang: str) -> str:
        return self.names[lang]


def _is_map(f: Field) -> bool:
    return f.kind == "scalar" and get_origin(f.annotation) is dict


def _columns(fs: tuple[Field, ...], keys: tuple[str, ...], owner: Sheet, sheets: list[Sheet],
             optional: bool = False) -> list[Column]:
    """The columns of a model's fields (nested single models flattened); lists become sheets."""
    found: list[Column] = []
    for f in fs:
        name = f.path.rsplit(".", 1)[-1]
        here = (*keys, name)
        # A field of an optional model is required only once the model is given: shown as optional.
        shown = f if not optional or not f.required else Field(f.path, f.kind, False, f.annotation, f.choices,
                                                                f.item, f.fields)
        if f.kind == "model":
            if f.required and not optional:
                owner.required_models.append(here)
            found += _columns(f.fields, here, owner, sheets, optional or not f.required)
        elif f.kind == "list" and f.item is not None and f.item.kind == "scalar":
            found.append(Column(f.path, here, shown, cell_kind="list"))
        elif f.kind == "list":
            _list_sheet(f, here, owner, sheets)
        elif _is_map(f):
            found.append(Column(f.path, here, shown, cell_kind="map"))
        elif f.kind in ("text", "line-or-text"):
            found += [Column(f.path, here, shown, lang, f.kind) for lang in ("id", "en")]
        else:
            found.append(Column(f.path, here, shown))
    return found


def _list_sheet(f: Field, keys: tuple[str, ...], owner: Sheet, sheets: list[Sheet]) -> None:
    parent = owner if owner.kind != "form" else None
    # Keys from the owner: from the part root for a form's lists, from the parent item for a table's.
    sheet = Sheet(f.path, "texts" if f.item.kind == "text" else "table", owner.part, keys, f, parent)
    sheets.append(sheet)
    owner.children.append(sheet)
    if f.item.kind == "text":
        sheet.columns = [Column(f.path, (), f.item, lang, "text") for lang in ("id", "en")]
    elif f.item.kind == "model":
        sheet.columns = _columns(f.item.fields, (), sheet, sheets)
    else:
        raise TypeError(f"{f.path}: a list of {f.item.kind} the workbook cannot lay out")


class CatalogueError(Exception):
    """The label catalogue gives two sheets one name (or a name Excel refuses)."""


def _sheet_name(path: str, lang: str) -> str:
    name = labels.sheet(path, lang)
    if name == path.rsplit(".", 1)[-1][:31] and "." in path:
        # Not in the catalogue yet: the field's name alone repeats across parts (provenance, sources),
        # so the fallback says whose it is.
        name = " ".join(path.split(".")[-2:]).replace("_", " ")[-31:].strip()
    return name


@functools.cache
def layout() -> tuple[Sheet, ...]:
    """Every sheet of a workbook, in the method's order: each part's form, then its lists."""
    sheets: list[Sheet] = []
    for part in fields.PARTS:
        form = Sheet(part, "form", part, (), None)
        sheets.append(form)
        form.columns = _columns(fields.part_fields(part), (), form, sheets)
    for sheet in sheets:
        sheet.names = {code: _sheet_name(sheet.path, code) for code in ("id", "en")}
    _check_names(sheets)
    return tuple(sheets)


def special_names() -> dict[str, dict[str, str]]:
    return {key: {code: labels.sheet(key, code) for code in ("id", "en")}
            for key in ("instructions", "lists")}


def _check_names(sheets: list[Sheet]) -> None:
    extra = special_names()
    for code in ("id", "en"):
        seen: dict[str, str] = {}
        owners = [(s.path, s.names[code]) for s in sheets] + [(k, v[code]) for k, v in extra.items()]
        for path, name in owners:
            if not name or len(name) > 31 or _BAD_SHEET_CHARS & set(name):
                raise CatalogueError(f"labels.yaml: sheet name {name!r} ({code}) of {path} is not one Excel "
                                     f"takes (1 to 31 characters, none of : \\ / ? * [ ])")
            key = name.casefold()  # Excel compares sheet names ignoring case
            if key in seen:
                raise CatalogueError(f"labels.yaml: sheets {seen[key]} and {path} are both named {name!r} "
                                     f"({code}); a workbook's sheet names must differ")
            seen[key] = path


def header(column: Column, lang: str) -> str:
    """A column's header (or a form row's name) in ``lang``; a text's two columns say their language."""
    text = labels.label(column.path, lang)
    if column.lang is None:
        return text
    return f"{text} ({LANGUAGE_NAMES[lang][column.lang]})"


LANGUAGE_NAMES = {"id": {"id": "bahasa Indonesia", "en": "bahasa Inggris"},
                  "en": {"id": "Indonesian", "en": "English"}}
