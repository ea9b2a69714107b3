"""Reading a survey export as ODK Central and KoboToolbox write it: CSV (comma or semicolon) or XLSX.

Columns are found by the form's question names, with or without their groups: ``firm/name``
(KoboToolbox), ``firm-name`` (ODK Central) or ``name``. The platforms' own columns (``_id``,
``_uuid``, ``KEY``, ``SubmissionDate``, ``meta/instanceID``, ``start``, ``end`` ...) are not read.
Every cell keeps where it is, so that a problem can name its row and column.
"""

from __future__ import annotations

import csv
import io
from dataclasses import dataclass
from pathlib import Path

from cluster_reports.inputs import files
from cluster_reports.inputs.yaml_io import ParamsError, Problem, decode, read_bytes

from .forms import Form

# The platforms' own columns: not questions of the form.
META = {
    "start", "end", "today", "deviceid", "subscriberid", "simserial", "phonenumber", "username", "audit",
    "instanceid", "instancename", "key", "parent_key", "submissiondate", "submitterid", "submittername",
    "attachmentspresent", "attachmentsexpected", "status", "reviewstate", "edits", "formversion",
    "__version__",
}
EXPORT_LIMIT = 64 * 1024 * 1024  # an export of some hundred thousand submissions


@dataclass(frozen=True)
class Export:
    path: Path
    sheet: str | None  # the XLSX sheet read; None for a CSV
    header: list[str]
    rows: list[tuple[int, list[object]]]  # (row number as the spreadsheet shows it, cells)
    columns: dict[str, int]  # question name -> column index

    def where(self, row: int, question: str, lang: str) -> str:
        if self.sheet is not None:
            from openpyxl.utils import get_column_letter

            return f"{self.sheet}!{get_column_letter(self.columns[question] + 1)}{row}, {question}"
        return f"{'row' if lang == 'en' else 'baris'} {row}, {question}"


def is_meta(header: str) -> bool:
    name = header.strip()
    last = name.replace("-", "/").split("/")[-1].lower()
    return (name.startswith("_") or name.lower().startswith(("meta/", "meta-"))
            or name.lower() in META or last == "instanceid")


def read(path: Path) -> tuple[str | None, list[list[object]]]:
    """The sheet name (XLSX) and the rows of an export, header first."""
    if path.suffix.lower() in (".xlsx", ".xlsm"):
        from python_calamine import CalamineWorkbook

        files.read_limited(path, EXPORT_LIMIT)  # a regular file within the limit, else refused
        try:
            book = CalamineWorkbook.from_path(str(path))
            # Kobo puts the submissions on the first sheet (named after the form), repeats on others.
            sheet = book.sheet_names[0]
            return sheet, book.get_sheet_by_name(sheet).to_python(skip_empty_area=False)
        except Exception as exc:  # calamine's errors name no class worth telling apart
            why = f"is not a readable XLSX workbook: {exc}"
            raise ParamsError([Problem(str(path), "(file)", why)]) from None
    raw = read_bytes(path, EXPORT_LIMIT)
    text = decode(raw, path)
    first = text.split("\n", 1)[0]
    # KoboToolbox writes semicolons by default, ODK Central commas.
    delimiter = ";" if first.count(";") > first.count(",") else ","
    try:
        return None, list(csv.reader(io.StringIO(text), delimiter=delimiter))
    except csv.Error as exc:
        raise ParamsError([Problem(str(path), "(file)", f"is not readable as CSV: {exc}")]) from None


def header_names(form: Form) -> dict[str, str]:
    """Every header a question may have in an export -> the question's name."""
    names: dict[str, str] = {}
    for q in form.questions:
        for variant in (q.name, "/".join((*q.groups, q.name)), "-".join((*q.groups, q.name))):
            names[variant] = q.name
    return names


def open_export(path: Path, form: Form) -> Export:
    sheet, records = read(path)
    if not records:
        raise ParamsError([Problem(str(path), "(file)", "is empty: no header, no submissions")])
    header = ["" if h is None else str(h).strip() for h in records[0]]
    known = header_names(form)
    columns: dict[str, int] = {}
    for n, name in enumerate(header):
        if name in known:  # a meta column the form asks for (start, end) is found, and not imported
            columns.setdefault(known[name], n)
    rows = []
    for number, record in enumerate(records[1:], start=2):  # the header is row 1
        cells = list(record) + [None] * (len(header) - len(record))
        if any(c not in (None, "") and str(c).strip() for c in cells):
            rows.append((number, cells))
    return Export(path, sheet, header, rows, columns)


def labels_of(form: Form) -> set[str]:
    """The question labels of a form, in both languages: the headers of a "labels" export."""
    return {q.spec["label"][lang].strip().lower() for q in form.questions if "label" in q.spec
            for lang in ("id", "en")}
