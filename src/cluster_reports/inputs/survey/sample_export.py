"""Writing an export as KoboToolbox or ODK Central would, from firms or observations: to try the
import without a server, and for the tests and the benchmark.

KoboToolbox: group prefixes ``group/field``, semicolons in CSV, its ``_id``, ``_uuid``,
``_submission_time``, ``_index`` columns, the XLSX sheet named after the form. ODK Central:
``group-field``, commas, ``SubmissionDate`` first and ``meta-instanceID``, ``KEY`` after.
"""

from __future__ import annotations

import csv
import io
from pathlib import Path

from cluster_reports.atomic import write_atomic, write_bytes_atomic

from . import forms

STYLES = ("kobo", "odk")


def _header(question: forms.Question, style: str) -> str:
    return ("/" if style == "kobo" else "-").join((*question.groups, question.name))


def answers_of_firm(firm: dict, cluster: str) -> dict:
    """A firm of the table (as the params file gives it) as the firm survey's answers by question name."""
    yes = {True: "yes", False: "no"}
    products = firm.get("products") or {}
    return {
        "start": "2026-11-20T08:00:00.000+07:00", "end": "2026-11-20T08:40:00.000+07:00",
        "cluster": cluster, "enumerator": "Siti Rahayu", "survey_date": "2026-11-20",
        "firm_id": firm.get("id"), "name": firm["name"], "address": firm.get("address"),
        "phone": firm.get("phone"), "established": firm.get("established"),
        "women_led": yes.get(firm.get("women_led")),
        "cooperative_member": yes[bool(firm.get("cooperative_member"))],
        "workers": firm["workers"], "women_workers": firm.get("women_workers"),
        "annual_sales": str(firm["annual_sales"]),
        "products_id": products.get("id"), "products_en": products.get("en"),
        "plans_improvement": "yes", "joined_activities": "no", "shares_costs": "yes",
        "willing_to_improve": yes[bool(firm.get("willing_to_improve"))],
    }


def rows(kind: str, answers: list[dict], style: str) -> list[list]:
    form = forms.load(kind)
    questions = list(form.questions)
    header = [_header(q, style) if q.type not in ("start", "end") else q.name for q in questions]
    if style == "kobo":
        header += ["_id", "_uuid", "_submission_time", "_validation_status", "_index", "meta/instanceID"]
    else:
        header = ["SubmissionDate", *header, "meta-instanceID", "KEY", "SubmitterID", "ReviewState"]
    table = [header]
    for n, given in enumerate(answers, start=1):
        cells = [given.get(q.name) for q in questions]
        uuid = f"uuid:00000000-0000-4000-8000-{n:012d}"
        if style == "kobo":
            cells += [n, uuid[5:], "2026-11-20T01:40:00", "", n, uuid]
        else:
            cells = ["2026-11-20T01:40:00.000Z", *cells, uuid, uuid, 7, ""]
        table.append(["" if c is None else c for c in cells])
    return table


def write_csv(kind: str, answers: list[dict], style: str, path: Path) -> None:
    buffer = io.StringIO()
    csv.writer(buffer, delimiter=";" if style == "kobo" else ",", lineterminator="\n").writerows(
        rows(kind, answers, style))
    write_bytes_atomic(path, buffer.getvalue().encode("utf-8"))


def write_xlsx(kind: str, answers: list[dict], style: str, path: Path) -> None:
    from openpyxl import Workbook

    book = Workbook(write_only=True)
    sheet = book.create_sheet(forms.load(kind).spec["title"]["id"][:31])
    for row in rows(kind, answers, style):
        sheet.append([None if c == "" else c for c in row])
    write_atomic(path, lambda tmp: book.save(tmp))
