"""Reading a workbook back into the params' data: each part's fields as the schema takes them, and for
every value the cell it came from (``Sheet!C14``), so that a validation error names its cell.

The sheets are found by their names in either language and read by position (the layout fixes both);
a header that is not the expected one is reported, rather than a column read as another."""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path

from openpyxl.utils import get_column_letter

from ..yaml_io import Problem
from . import layout, values
from .layout import FIRST_ROW, FORM_VALUE, Column, Sheet


@dataclass
class Read:
    data: dict[str, dict] = field(default_factory=dict)  # part -> its fields
    cells: dict[str, dict[tuple, str]] = field(default_factory=dict)  # part -> location -> Sheet!C14
    forms: dict[str, str] = field(default_factory=dict)  # part -> its form sheet's name
    given: set[str] = field(default_factory=set)  # parts with any value given
    names: dict[str, str] = field(default_factory=dict)  # sheet path -> its name in this workbook
    problems: list[Problem] = field(default_factory=list)

    def cell_of(self, part: str, loc: tuple) -> str:
        """The cell a location was read from, else that of the nearest enclosing one, else the form."""
        cells = self.cells.get(part, {})
        for end in range(len(loc), 0, -1):
            if loc[:end] in cells:
                return cells[loc[:end]]
        return self.forms.get(part, part)


WORDS = {
    "sheet": {"id": "(lembar)", "en": "(sheet)"},
    "missing": {"id": "lembar ini tidak ada di buku kerja", "en": "the sheet is missing from the workbook"},
    "row": {"id": "(baris)", "en": "(row)"},
    "moved_row": {"id": "seharusnya baris {!r}: baris dipindah atau dihapus",
                  "en": "expected the row {!r}: rows were moved or removed"},
    "column": {"id": "(kolom)", "en": "(column)"},
    "moved_column": {"id": "seharusnya kolom {!r}: kolom dipindah atau dihapus",
                     "en": "expected the column {!r}: columns were moved or removed"},
    "parent": {"id": "Induk", "en": "Parent"},
    "no_parent": {"id": "{!r} tidak menunjuk baris mana pun di lembar {}",
                  "en": "{!r} names no row of sheet {}"},
    "by_id": {"id": " (tulis id-nya)", "en": " (give its id)"},
    "by_row": {"id": " (tulis nomor barisnya)", "en": " (give its row number)"},
}


class WorkbookError(Exception):
    """The file is no workbook that can be read."""


def grids(path: Path) -> dict[str, list[list]]:
    """Every sheet's cells, row by row (blank cells None), read with python-calamine."""
    from python_calamine import CalamineWorkbook

    try:
        wb = CalamineWorkbook.from_path(str(path))
    except Exception as exc:  # noqa: BLE001 - calamine raises its own kinds for a broken or foreign file
        raise WorkbookError(f"{path}: is not an Excel workbook that can be read ({exc})") from None
    found = {}
    for name in wb.sheet_names:
        rows = wb.get_sheet_by_name(name).to_python(skip_empty_area=False)
        found[name] = [[None if v == "" else v for v in row] for row in rows]
    return found


def _at(grid: list[list], row: int, col: int) -> object:
    """The value of a 1-based cell, None beyond the sheet's used area."""
    if row - 1 < len(grid) and col - 1 < len(grid[row - 1]):
        value = grid[row - 1][col - 1]
        return None if values.blank(value) else value
    return None


def _put(target: dict, keys: tuple[str, ...], value: object) -> None:
    for key in keys[:-1]:
        target = target.setdefault(key, {})
    target[keys[-1]] = value


def _place(target: dict, cells: dict, loc: tuple, column: Column, value: object, ref: str,
           pairs: dict) -> None:
    """A cell's value into the part's data at ``loc``; its cell recorded for every location it answers."""
    keys = column.keys
    for end in range(1, len(keys) + 1):
        cells.setdefault((*loc, *keys[:end]), ref)
    if column.lang is not None:
        cells[(*loc, *keys, column.lang)] = ref
    if value is None:
        return
    if column.lang is None:
        _put(target, keys, values.from_cell(column, value))
    else:
        pairs.setdefault(keys, {})[column.lang] = values.from_cell(column, value)


def _require(target: dict, sheet: Sheet) -> None:
    for keys in sheet.required_models:
        node = target
        for key in keys:
            node = node.setdefault(key, {})


def _settle(target: dict, pairs: dict, kinds: dict) -> None:
    """Texts into place: a line-or-text given in the Indonesian column alone is one line for both."""
    for keys, pair in pairs.items():
        if kinds.get(keys) == "line-or-text" and set(pair) == {"id"}:
            _put(target, keys, pair["id"])
        else:
            _put(target, keys, pair)


def _expected(column: Column) -> set[str]:
    return {layout.header(column, code) for code in ("id", "en")}


def _label_ok(text: object, column: Column) -> bool:
    return isinstance(text, str) and text.removesuffix(" *").strip() in _expected(column)


def read(path: Path, lang: str = "id") -> Read:
    found = grids(path)
    result = Read()
    say = {key: words[lang] for key, words in WORDS.items()}
    by_name = {name.casefold(): name for name in found}
    items: dict[str, list[tuple[int, object, tuple, dict]]] = {}  # sheet path -> (row, id, loc, item)
    for sheet in layout.layout():
        name = next((by_name[n.casefold()] for n in (sheet.name("id"), sheet.name("en"))
                     if n.casefold() in by_name), None)
        cells = result.cells.setdefault(sheet.part, {})
        data = result.data.setdefault(sheet.part, {})
        if sheet.kind == "form":
            result.forms[sheet.part] = name or sheet.name("id")
        if name is None:
            result.problems.append(Problem(sheet.name("id"), say["sheet"], say["missing"]))
            continue
        grid = found[name]
        result.names[sheet.path] = name
        if sheet.kind == "form":
            _read_form(sheet, name, grid, data, cells, result, say)
        else:
            _read_table(sheet, name, grid, data, cells, result, items, say)
    return result


def _read_form(sheet: Sheet, name: str, grid, data: dict, cells: dict, result: Read, say: dict) -> None:
    pairs: dict = {}
    kinds = {c.keys: c.cell_kind for c in sheet.columns}
    for row, column in enumerate(sheet.columns, start=FIRST_ROW):
        if not _label_ok(_at(grid, row, 1), column):
            result.problems.append(Problem(f"{name}!A{row}", say["row"],
                                           say["moved_row"].format(layout.header(column, "id"))))
            continue
        value = _at(grid, row, FORM_VALUE)
        if value is not None:
            result.given.add(sheet.part)
        _place(data, cells, (), column, value, f"{name}!{get_column_letter(FORM_VALUE)}{row}", pairs)
    _settle(data, pairs, kinds)
    _require(data, sheet)


def _read_table(sheet: Sheet, name: str, grid, data: dict, cells: dict, result: Read,
                items: dict, say: dict) -> None:
    offset = 1 if sheet.parent else 0
    for n, column in enumerate(sheet.columns):
        text = _at(grid, 1, n + 1 + offset)
        if not _label_ok(text, column):
            letter = get_column_letter(n + 1 + offset)
            result.problems.append(Problem(f"{name}!{letter}1", say["column"],
                                           say["moved_column"].format(layout.header(column, "id"))))
            return
    mine = items.setdefault(sheet.path, [])
    kinds = {c.keys: c.cell_kind for c in sheet.columns}
    parents = {}
    if sheet.parent is not None:
        for row, ident, loc, item in items.get(sheet.parent.path, []):
            parents[str(ident if sheet.parent_key else row)] = (loc, item)
    cells.setdefault(sheet.keys, f"{name}!A{FIRST_ROW}")
    for row in range(FIRST_ROW, len(grid) + 1):
        line = [_at(grid, row, n + 1) for n in range(len(sheet.columns) + offset)]
        if all(v is None for v in line):
            continue
        result.given.add(sheet.part)
        if sheet.parent is None:
            owner_loc, owner = (), data
        else:
            ref = line[0]
            key = str(int(ref)) if isinstance(ref, float) and ref.is_integer() else str(ref or "").strip()
            if key not in parents:
                parent_name = result.names.get(sheet.parent.path, sheet.parent.name("id"))
                result.problems.append(Problem(
                    f"{name}!A{row}", say["parent"], say["no_parent"].format(ref, parent_name)
                    + (say["by_id"] if sheet.parent_key else say["by_row"])))
                continue
            owner_loc, owner = parents[key]
        target = owner
        for key in sheet.keys[:-1]:
            target = target.setdefault(key, {})
        bucket = target.setdefault(sheet.keys[-1], [])
        index = len(bucket)
        loc = (*owner_loc, *sheet.keys, index)
        first = f"{name}!{get_column_letter(1 + offset)}{row}"
        cells[loc] = first
        cells.setdefault((*owner_loc, *sheet.keys), f"{name}!A{FIRST_ROW}")
        if sheet.kind == "texts":
            item: dict = {}
            for n, column in enumerate(sheet.columns):
                ref_cell = f"{name}!{get_column_letter(n + 1 + offset)}{row}"
                cells[(*loc, column.lang)] = ref_cell
                if line[n + offset] is not None:
                    item[column.lang] = values.from_cell(column, line[n + offset])
            bucket.append(item)
            continue
        item = {}
        pairs: dict = {}
        for n, column in enumerate(sheet.columns):
            ref_cell = f"{name}!{get_column_letter(n + 1 + offset)}{row}"
            _place(item, {}, (), column, line[n + offset], ref_cell, pairs)
            for end in range(1, len(column.keys) + 1):
                cells.setdefault((*loc, *column.keys[:end]), ref_cell)
            if column.lang is not None:
                cells[(*loc, *column.keys, column.lang)] = ref_cell
        _settle(item, pairs, kinds)
        _require(item, sheet)
        bucket.append(item)
        mine.append((row, item.get("id"), loc, item))
