"""Writing a cluster's params (or an empty template) to an Excel workbook with openpyxl: the sheets of
``layout``, two header rows (Indonesian, English), dropdowns for every choice, number and date formats,
frozen headers, and an instructions sheet first."""

from __future__ import annotations

from pathlib import Path

from openpyxl import Workbook
from openpyxl.styles import Alignment, Font, PatternFill
from openpyxl.utils import get_column_letter
from openpyxl.worksheet.datavalidation import DataValidation

from ... import atomic
from .. import regions
from . import instructions, layout, values
from .layout import FIRST_ROW, FORM_VALUE, Column, Sheet

# Rows a table's dropdowns and formats reach below its last item, for the rows a user adds.
SPARE_ROWS = 500
_HEADER_FILL = PatternFill("solid", fgColor="DDEBF7")
_ENGLISH_FONT = Font(italic=True, color="555555")
_WRAP = Alignment(wrap_text=True, vertical="top")


def get(node: object, keys: tuple[str, ...]) -> object:
    for key in keys:
        if node is None:
            return None
        node = getattr(node, key)
    return node


def rows_of(sheet: Sheet, parts: dict, parent_rows: dict[str, list]) -> list[tuple[object, object]]:
    """(parent reference, item) for each row of a table sheet, in order."""
    if sheet.parent is None:
        return [(None, item) for item in get(parts.get(sheet.part), sheet.keys) or []]
    found = []
    for number, (_, parent_item) in enumerate(parent_rows[sheet.parent.path], start=FIRST_ROW):
        ref = parent_item.id if sheet.parent_key else number
        found += [(ref, item) for item in get(parent_item, sheet.keys) or []]
    return found


def _quote(name: str) -> str:
    return "'" + name.replace("'", "''") + "'"


class _Lists:
    """The hidden sheet of dropdown values: provinces, regencies, ya/tidak, each set of choices."""

    def __init__(self, ws, province: str | None):
        self.ws = ws
        self.columns: dict[tuple[str, ...], str] = {}
        found = regions.find_province(province) if province else None
        names = [p.name for p in regions.provinces().values()]
        regencies = (regions.regency_names(found) if found else
                     [r.name for r in regions.regencies().values()])
        self.provinces = self._add(("province",), tuple(names))
        self.regencies = self._add(("regency",), tuple(regencies))
        self.flags = self._add(("flag",), (values.YES, values.NO))

    def _add(self, key: tuple[str, ...], choices: tuple[str, ...]) -> str:
        col = get_column_letter(len(self.columns) + 1)
        self.ws[f"{col}1"] = key[0] if len(key) == 1 else ""
        for n, choice in enumerate(choices, start=2):
            self.ws[f"{col}{n}"] = choice
        ref = f"{_quote(self.ws.title)}!${col}$2:${col}${len(choices) + 1}"
        self.columns[key] = ref
        return ref

    def choices(self, options: tuple[str, ...]) -> str:
        return self.columns.get(options) or self._add(options, options)


def _dropdown(column: Column, lists: _Lists) -> str | None:
    if column.cell_kind != "scalar":
        return None
    if column.path.endswith("location.province"):
        return lists.provinces
    if column.path.endswith("location.regency"):
        return lists.regencies
    if column.field.annotation is bool:
        return lists.flags
    if column.field.choices:
        return lists.choices(column.field.choices)
    return None


def _validation(ws, ref: str, cells: str, lang: str) -> None:
    dv = DataValidation(type="list", formula1=ref, allow_blank=True, showErrorMessage=True)
    dv.errorTitle = instructions.text("choice_title", lang)
    dv.error = instructions.text("choice_error", lang)
    dv.add(cells)
    ws.add_data_validation(dv)


def _headers(ws, heads: list[tuple[str, str]]) -> None:
    for n, (id_text, en_text) in enumerate(heads, start=1):
        top, bottom = ws.cell(1, n, id_text), ws.cell(2, n, en_text)
        top.font = Font(bold=True)
        bottom.font = _ENGLISH_FONT
        top.fill = bottom.fill = _HEADER_FILL
        top.alignment = bottom.alignment = _WRAP


def _write_form(ws, sheet: Sheet, model: object, lists: _Lists, lang: str) -> None:
    _headers(ws, [(instructions.text("field", "id"), instructions.text("field", "en")),
                  (instructions.text("field_en", "id"), instructions.text("field_en", "en")),
                  (instructions.text("value", "id"), instructions.text("value", "en"))])
    for row, column in enumerate(sheet.columns, start=FIRST_ROW):
        ws.cell(row, 1, layout.header(column, "id") + (" *" if column.required else ""))
        ws.cell(row, 2, layout.header(column, "en")).font = _ENGLISH_FONT
        cell = ws.cell(row, FORM_VALUE, values.to_cell(column, get(model, column.keys)))
        fmt = values.number_format(column)
        if fmt:
            cell.number_format = fmt
        cell.alignment = _WRAP
        ref = _dropdown(column, lists)
        if ref:
            _validation(ws, ref, cell.coordinate, lang)
    ws.column_dimensions["A"].width = 42
    ws.column_dimensions["B"].width = 42
    ws.column_dimensions["C"].width = 60
    ws.freeze_panes = "C3"


def _parent_heads(sheet: Sheet) -> tuple[str, str]:
    parent = sheet.parent
    if sheet.parent_key:
        return (instructions.text("parent_id", "id").format(parent.name("id")),
                instructions.text("parent_id", "en").format(parent.name("en")))
    return (instructions.text("parent_row", "id").format(parent.name("id")),
            instructions.text("parent_row", "en").format(parent.name("en")))


def _write_table(ws, sheet: Sheet, rows: list[tuple[object, object]], lists: _Lists, lang: str) -> None:
    offset = 1 if sheet.parent else 0
    heads = [_parent_heads(sheet)] if sheet.parent else []
    heads += [(layout.header(c, "id") + (" *" if c.required else ""), layout.header(c, "en"))
              for c in sheet.columns]
    _headers(ws, heads)
    formats = [values.number_format(c) for c in sheet.columns]
    wrap = [c.cell_kind in ("text", "line-or-text") for c in sheet.columns]
    for row, (ref, item) in enumerate(rows, start=FIRST_ROW):
        if sheet.parent:
            ws.cell(row, 1, ref)
        for n, column in enumerate(sheet.columns):
            value = item if sheet.kind == "texts" else get(item, column.keys)
            cell = ws.cell(row, n + 1 + offset, values.to_cell(column, value))
            if formats[n]:
                cell.number_format = formats[n]
            if wrap[n]:
                cell.alignment = _WRAP
    last = FIRST_ROW + len(rows) + SPARE_ROWS
    for n, column in enumerate(sheet.columns):
        letter = get_column_letter(n + 1 + offset)
        ref = _dropdown(column, lists)
        if ref:
            _validation(ws, ref, f"{letter}{FIRST_ROW}:{letter}{last}", lang)
        width = 40 if wrap[n] else min(max(len(heads[n + offset][0]), len(heads[n + offset][1]), 10) + 2, 30)
        ws.column_dimensions[letter].width = width
    if sheet.parent:
        ws.column_dimensions["A"].width = 18
    ws.freeze_panes = ws.cell(FIRST_ROW, 1 + offset).coordinate


def build(parts: dict[str, object], lang: str = "id", province: str | None = None) -> Workbook:
    """A workbook of a cluster's parts ({'cluster': ClusterParams, 'plan': Plan, ...}; none: a template)."""
    sheets = layout.layout()
    special = layout.special_names()
    wb = Workbook()
    guide = wb.active
    guide.title = special["instructions"][lang]
    instructions.fill(guide, sheets, lang)
    tables = {}
    for sheet in sheets:
        tables[sheet.path] = wb.create_sheet(sheet.name(lang))
    lists_ws = wb.create_sheet(special["lists"][lang])
    lists_ws.sheet_state = "hidden"
    cluster = parts.get("cluster")
    lists = _Lists(lists_ws, province or (cluster.location.province if cluster is not None else None))
    parent_rows: dict[str, list] = {}
    for sheet in sheets:
        ws = tables[sheet.path]
        if sheet.kind == "form":
            _write_form(ws, sheet, parts.get(sheet.part), lists, lang)
            continue
        rows = rows_of(sheet, parts, parent_rows)
        parent_rows[sheet.path] = rows
        _write_table(ws, sheet, rows, lists, lang)
    return wb


def parts_of(loaded) -> dict[str, object]:
    """The parts of loaded params (params_io.LoadedParams) a workbook holds."""
    found: dict[str, object] = {"cluster": loaded.params}
    for part in ("strategy", "plan", "monitoring"):
        if loaded.parts.get(part) is not None:
            found[part] = loaded.parts[part]
    return found


def save(wb: Workbook, path: Path) -> None:
    atomic.write_atomic(path, lambda tmp: wb.save(tmp))
