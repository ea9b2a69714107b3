"""The survey forms (ODK Collect, KoboToolbox) kept as data, and written as XLSForms.

A form is a YAML file beside this module (``forms/<kind>.yaml``): its questions, in groups, each
with its labels and hints in both languages and, where it fills a params field, that ``field``.
The same file tells the import which export column goes where, so form and import cannot drift.
"""

from __future__ import annotations

import functools
from dataclasses import dataclass
from pathlib import Path

import yaml

from cluster_reports import resources
from cluster_reports.atomic import write_atomic

_Loader = getattr(yaml, "CSafeLoader", yaml.SafeLoader)
KINDS = ("firms", "monitoring")
FORMS = Path(__file__).with_name("forms")
# The language columns as ODK and Kobo name them: "label::<Language name> (<code>)".
LANGUAGES = {"id": "Bahasa Indonesia (id)", "en": "English (en)"}
TRANSLATED = ("label", "hint", "constraint_message")
PLAIN = ("required", "relevant", "constraint", "appearance", "default", "calculation")


@dataclass(frozen=True)
class Question:
    name: str
    type: str
    groups: tuple[str, ...]  # the groups it sits in, outermost first
    spec: dict

    @property
    def field(self) -> str | None:
        return self.spec.get("field")

    @property
    def role(self) -> str | None:
        return self.spec.get("role")

    @property
    def list_name(self) -> str | None:
        return self.type.split()[1] if self.type.startswith("select_one ") else None

    @property
    def rupiah(self) -> bool:
        return bool(self.spec.get("rupiah"))

    @property
    def required(self) -> bool:
        return self.spec.get("required") is True


@dataclass(frozen=True)
class Form:
    kind: str
    spec: dict
    questions: tuple[Question, ...]
    choices: dict[str, list[dict]]  # list name -> [{name, label: {id, en}}]

    def question(self, name: str) -> Question:
        return next(q for q in self.questions if q.name == name)


@functools.cache
def load(kind: str) -> Form:
    if kind not in KINDS:
        raise ValueError(f"unknown survey form {kind!r}: {' or '.join(KINDS)}")
    spec = yaml.load((FORMS / f"{kind}.yaml").read_text(encoding="utf-8"), Loader=_Loader)
    questions: list[Question] = []

    def walk(items: list[dict], groups: tuple[str, ...]) -> None:
        for item in items:
            if "group" in item:
                walk(item["questions"], (*groups, item["group"]))
            else:
                questions.append(Question(item["name"], item["type"], groups, item))

    walk(spec["questions"], ())
    choices = {name: (channel_choices() if given == "from-labels" else given)
               for name, given in spec.get("choices", {}).items()}
    return Form(kind, spec, tuple(questions), choices)


def channel_choices() -> list[dict]:
    """The schema's channels, each named as the documents name it (so a form and a report agree)."""
    from cluster_reports.inputs.schema import Channel

    labels = {lang: yaml.load((resources.shipped("templates") / "labels" / f"{lang}.yaml")
                              .read_text(encoding="utf-8"), Loader=_Loader)["channel"] for lang in LANGUAGES}
    return [{"name": c.value, "label": {lang: labels[lang][c.value] for lang in LANGUAGES}} for c in Channel]


def _columns() -> list[str]:
    cols = ["type", "name"]
    for key in TRANSLATED:
        cols += [f"{key}::{LANGUAGES[lang]}" for lang in LANGUAGES]
    return cols + list(PLAIN)


def survey_rows(form: Form) -> list[dict]:
    """The survey sheet's rows: groups opened and closed around their questions."""
    rows: list[dict] = []

    def cells(item: dict, kind: str, name: str) -> dict:
        row = {"type": kind, "name": name}
        for key in TRANSLATED:
            for lang, language in LANGUAGES.items():
                if key in item:
                    row[f"{key}::{language}"] = item[key][lang]
        for key in PLAIN:
            if key in item:
                value = item[key]
                row[key] = "yes" if value is True else value
        return row

    def walk(items: list[dict]) -> None:
        for item in items:
            if "group" in item:
                rows.append(cells(item, "begin_group", item["group"]))
                walk(item["questions"])
                rows.append({"type": "end_group", "name": item["group"]})
            else:
                rows.append(cells(item, item["type"], item["name"]))

    walk(form.spec["questions"])
    return rows


def build(kind: str):
    """The XLSForm of a survey, as an openpyxl workbook (survey, choices and settings sheets)."""
    from openpyxl import Workbook

    form = load(kind)
    book = Workbook()
    survey = book.active
    survey.title = "survey"
    columns = _columns()
    survey.append(columns)
    for row in survey_rows(form):
        survey.append([row.get(c) for c in columns])
    choices = book.create_sheet("choices")
    choice_cols = ["list_name", "name"] + [f"label::{LANGUAGES[lang]}" for lang in LANGUAGES]
    choices.append(choice_cols)
    for list_name, items in form.choices.items():
        for item in items:
            choices.append([list_name, item["name"], *(item["label"][lang] for lang in LANGUAGES)])
    settings = book.create_sheet("settings")
    settings.append(["form_title", "form_id", "version", "default_language"])
    settings.append([form.spec["title"]["id"], form.spec["form_id"], form.spec["version"], LANGUAGES["id"]])
    for sheet in book.worksheets:
        for column in sheet.columns:
            sheet.column_dimensions[column[0].column_letter].width = 24
    return book


def write(kind: str, out: Path) -> None:
    book = build(kind)
    write_atomic(out, lambda tmp: book.save(tmp))
