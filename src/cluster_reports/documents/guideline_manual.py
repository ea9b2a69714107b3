"""The facilitator guideline's field tools: the profiling questionnaire, the cluster workshop guide,
and the annex for the person who prepares the documents.

The questionnaire asks one question per field of a firm in the firm table (``Firm``), in the order
of the schema, so that what a facilitator collects is what the profiling report can use: a field
added to the schema without its question is a missing label, not a silent gap. The workshop's
scoring sheet is printed from the criteria of the selection method (``domain.selection_criteria``).
Only the annex at the end names files, fields and commands; the body speaks of documents by title.
"""

from __future__ import annotations

import types
import typing
from dataclasses import dataclass

from cluster_reports.domain import firms, scoring, selection_criteria
from cluster_reports.inputs.params_io import LoadedParams
from cluster_reports.inputs.schema import Assessment, Firm
from cluster_reports.inputs.schema.cluster import ConstraintCategory

from . import profile, provenance
from .i18n import Labels
from .markdown_text import MarkdownText

Q = "guideline.questionnaire."
W = "guideline.workshop."
OP = "guideline.operator."

# The workshop day: session key, start and end (hour, minute). Indicative times (the study gives no
# agenda), in the order of the exercises the guide describes.
AGENDA = (
    ("opening", (8, 30), (9, 0)),
    ("findings", (9, 0), (9, 30)),
    ("swot", (9, 30), (10, 30)),
    ("break", (10, 30), (10, 45)),
    ("diamond", (10, 45), (12, 0)),
    ("lunch", (12, 0), (13, 0)),
    ("chain", (13, 0), (13, 45)),
    ("3c", (13, 45), (14, 30)),
    ("ideas", (14, 30), (15, 15)),
    ("closing", (15, 15), (15, 30)),
)

# The worked example of the scoring: Waru-Sidoarjo's scores in Table 3.1 of the 2004 study.
EXAMPLE_SCORES = (38, 21)

# Each document kind and the sidecar files it needs beside the cluster's own params file (the
# registry's ``requires``; a test keeps the two equal, since the registry imports this package).
DOCUMENT_FILES = (
    ("profile", ()),
    ("strategy", ("strategy",)),
    ("action-plan", ("plan",)),
    ("monitoring", ("plan", "monitoring")),
    ("guideline", ()),
)

# Where the answers of the questionnaire's parts B and C and of the workshop go in the params.
CLUSTER_FIELDS = (("history", "history"), ("process", "production_process"),
                  ("prices", "products[].price, output, capacity"), ("markets", "markets"),
                  ("raw_materials", "raw_materials"), ("constraints", "constraints"))
WORKSHOP_FIELDS = (("swot", "swot"), ("diamond", "assessment.<condition>.score"),
                   ("growth", "selection.growth_opportunity"), ("action", "selection.action_capacity"))


@dataclass(frozen=True)
class Question:
    number: str
    field: str  # the Firm field the answer fills in (named only in the annex)
    question: str
    answer: str


def code(text: str) -> MarkdownText:
    """A name of the tool's world (file, field, command) as a code span: for the annex only."""
    assert "`" not in text
    return MarkdownText(f"`{text}`")


def answer_kind(annotation: object) -> str:
    """'yes_no', 'number' or 'text', from a field's type (``X | None`` and ``Annotated`` unwrapped)."""
    args = [a for a in typing.get_args(annotation) if a is not type(None)]
    if typing.get_origin(annotation) in (typing.Union, types.UnionType) and len(args) == 1:
        return answer_kind(args[0])
    if typing.get_origin(annotation) is typing.Annotated:
        return answer_kind(args[0])
    if annotation is bool:
        return "yes_no"
    if annotation in (int, float):
        return "number"
    return "text"


def firm_questions(labels: Labels, blank: str, long_blank: str) -> list[Question]:
    """Part A: one question per field of the firm table, in the schema's order."""
    lines = {"yes_no": labels(Q + "yes_no"), "number": blank, "text": long_blank}
    rows = []
    for number, (name, info) in enumerate(Firm.model_fields.items(), start=1):
        kind = answer_kind(info.annotation)
        shape = labels.entries.get(f"{Q}firm.{name}.answer")  # e.g. "Rp {line}", "{line} people"
        answer = shape.format(line=lines[kind]) if shape else lines[kind]
        rows.append(Question(f"A{number}", name, labels(f"{Q}firm.{name}.question"), answer))
    return rows


def seed_questions(labels: Labels) -> list[list[str]]:
    """Part B: the questions on willingness and passion to improve, each answered yes or no."""
    questions = labels.group(Q + "seed")
    return [[f"B{n}", questions[n], labels(Q + "yes_no")] for n in sorted(questions, key=int)]


def cluster_questions(labels: Labels, long_blank: str) -> list[list[str]]:
    """Part C: the cluster's history, production process, prices and volumes, markets and raw
    materials (what the profile's chapters need), and its constraints in the categories of the
    study's Table 2.2 (the schema's categories, so that none is left unasked)."""
    rows = [[labels(f"{Q}cluster.{key}.topic"), labels(f"{Q}cluster.{key}.question"), long_blank]
            for key in ("history", "process", "prices", "markets", "raw_materials")]
    for category in ConstraintCategory:
        rows.append([f"{labels(Q + 'cluster.constraints.topic')}: {labels(f'constraint.{category.value}')}",
                     labels(f"{Q}constraint.{category.value}"), long_blank])
    return rows


def agenda_rows(labels: Labels) -> list[list[str]]:
    sep = "." if labels.lang == "id" else ":"  # PUEBI writes 08.30; English 08:30

    def clock(hm: tuple[int, int]) -> str:
        return f"{hm[0]:02d}{sep}{hm[1]:02d}"

    return [[f"{clock(start)}–{clock(end)}", labels(f"{W}agenda.{key}.session"),
             labels(f"{W}agenda.{key}.content"), labels(f"{W}agenda.{key}.lead")]
            for key, start, end in AGENDA]


@dataclass(frozen=True)
class ScoreRow:
    criterion: str
    basis: str
    points: int
    total: bool = False  # a part's total or the whole, printed in bold


def scoring_rows(labels: Labels) -> list[ScoreRow]:
    """The scoring sheet: each criterion with its basis and most points, then the two parts'
    totals and the whole."""
    rows = []
    for part in (selection_criteria.GROWTH, selection_criteria.ACTION):
        for c in selection_criteria.of_part(part):
            name = labels(f"condition.{c.key}") if part == selection_criteria.GROWTH else \
                labels(f"{W}criterion.{c.key}")
            rows.append(ScoreRow(name, labels(f"{W}basis.{c.key}"), c.points))
        rows.append(ScoreRow(labels(W + "total." + part), "", selection_criteria.MAXIMA[part], True))
    rows.append(ScoreRow(labels(W + "total.all"), "", scoring.TOTAL_MAX, True))
    return rows


def operator_documents(loaded: LoadedParams | None, labels: Labels) -> list[list[object]]:
    cluster = loaded.params.id if loaded is not None else labels(OP + "placeholder.cluster")
    target = cluster if loaded is not None else f"<{cluster}>"
    rows = []
    for kind, parts in DOCUMENT_FILES:
        files = [f"{target}.yaml"] + [f"{target}.{part}.yaml" for part in parts]
        if kind == "action-plan" or kind == "monitoring":
            files.append("params/programmes/")
        command = f"cluster-reports render {target} --doc {kind}"
        rows.append([labels(f"document.{kind}"), MarkdownText(", ").join(code(f) for f in files),
                     code(command)])
    if loaded is not None:
        rows.append([f"{labels('document.guideline')} ({labels(OP + 'general_edition')})", "-",
                     code("cluster-reports render --doc guideline")])
    return rows


def operator_folder(loaded: LoadedParams | None) -> MarkdownText:
    """Where the render command writes this edition (the default output folder)."""
    if loaded is None:
        return code("outputs/general/")
    return code(f"outputs/{loaded.params.location.province_record.slug}/{loaded.params.id}/")


def operator_fields(firm_rows: list[Question], labels: Labels) -> list[list[object]]:
    """Where each answer goes in the params: part A to the firm table, parts B and C and the
    workshop to the cluster's sections."""
    rows: list[list[object]] = [[f"{q.number}. {q.question}", code(f"firms.table[].{q.field}")]
                                for q in firm_rows]
    for key, field in CLUSTER_FIELDS:
        rows.append([f"{labels(Q + 'part.c')}: {labels(f'{Q}cluster.{key}.topic')}", code(field)])
    for key, field in WORKSHOP_FIELDS:
        rows.append([labels(f"{OP}workshop.{key}"), code(field)])
    return rows


def source_rows(labels: Labels) -> list[provenance.SourceRow]:
    """Where the field tools come from: the study for what they ask and score; the guideline's own
    choice (illustrative) for the agenda's times and the split of the points among the criteria."""
    study = provenance.cite(provenance.STUDY_2004, labels)
    illustrative = labels("source.illustrative")
    return [provenance.SourceRow(labels(f"{Q}source.{key}"), source, labels(f"{Q}source.{key}_ref"), marked)
            for key, source, marked in (("questions", study, False), ("scoring", study, False),
                                        ("agenda", illustrative, True), ("points", illustrative, True))]


# The cluster's own data the workshop guide shows: the five conditions' scores and the selection scores.
SHOWN = ("assessment", "selection")


def cluster_entries(loaded: LoadedParams) -> list[tuple[str, object]]:
    params = loaded.params
    return [(section, entry) for section in SHOWN if (entry := params.source_of(section)) is not None]


def cluster_source_rows(loaded: LoadedParams | None, labels: Labels) -> list[provenance.SourceRow]:
    """A tailored edition's sources of the scores it shows, as the profile cites them."""
    if loaded is None:
        return []
    cat = profile.catalogue(loaded.params)
    return [provenance.source_row(labels(f"{Q}source.cluster_{section}"), entry, labels, cat,
                                  default_reference=labels("document.profile"))
            for section, entry in cluster_entries(loaded)]


def context(loaded: LoadedParams | None, labels: Labels, blank: str, long_blank: str) -> dict:
    questions = firm_questions(labels, blank, long_blank)
    ctx: dict = {
        "questionnaire": questions,
        "seed_questions": seed_questions(labels),
        "cluster_questions": cluster_questions(labels, long_blank),
        "agenda": agenda_rows(labels),
        "scoring_rows": scoring_rows(labels),
        "score_max": {"growth": selection_criteria.MAXIMA[selection_criteria.GROWTH],
                      "action": selection_criteria.MAXIMA[selection_criteria.ACTION],
                      "total": scoring.TOTAL_MAX},
        "sales_reference": firms.SALES_REFERENCE,
        "condition_keys": list(Assessment.model_fields),  # the five conditions, as the profile scores them
        "score_example": {"growth": EXAMPLE_SCORES[0], "action": EXAMPLE_SCORES[1],
                          "percentage": scoring.selection_percentage(*EXAMPLE_SCORES)},
        "operator_out": operator_folder(loaded),
        "own_scores": None,
        "assessment_note": None,
        "selection_note": None,
        "operator_documents": operator_documents(loaded, labels),
        "operator_fields": operator_fields(questions, labels),
        "code": code,
    }
    if loaded is not None:
        selection = loaded.params.selection
        params = loaded.params
        notes = profile.document_sources(params, labels)
        # Scores that are not survey data say so where they are shown, as the profile does.
        for section in SHOWN:
            ctx[f"{section}_note"] = notes.note(section) if profile.is_illustrative(params, section) else None
        growth, action = selection.growth_opportunity, selection.action_capacity
        ctx["own_scores"] = {"growth": growth, "action": action,
                             "percentage": scoring.selection_percentage(growth, action)}
    return ctx
