"""The facilitator guideline: what a cluster facilitator works from (study sections 3.3, 3.5, 4.4 (4),
5.2 (3)-(4)).

Two editions. The general one (``loaded=None``) explains the role, the eight on-the-job training
steps and the meeting routine, with blank forms and checklists. The tailored one fills in a
cluster's stakeholders and, when the cluster has a plan, turns the routine into a dated calendar of
the plan year and pre-fills the progress monitoring form with the plan's programmes and the firms
to trace. The wording is in the templates; this module decides the rows and dates.
"""

from __future__ import annotations

import calendar
import datetime as dt
from dataclasses import dataclass

import altair as alt
import pandas as pd
from babel.dates import get_day_names, get_month_names

from cluster_reports.domain import budget, facilitation, firms, routine
from cluster_reports.domain.summary import ClusterSummary
from cluster_reports.inputs.params_io import LoadedParams
from cluster_reports.inputs.schema import ClusterParams
from cluster_reports.inputs.schema.plan import Routine

from . import charts, contacts, guideline_manual, profile, provenance
from .i18n import Formatter, Labels

BLANK = "_" * 12  # a visible line to write on; empty cells would collapse in print and on screen
LONG_BLANK = "_" * 28
# Part 4 of the progress form (the supported firms): the willing firms by name, at most a page of
# them, and a few blank rows for firms that join the support during the year. A cluster of 2,000
# firms may have hundreds of willing ones: the form then names the first FORM_FIRMS, and the text
# says how many more there are, where all of them are listed and how to record them (copy the page,
# or keep a spreadsheet). With no firm named, FORM_BLANK_ONLY blank rows.
FORM_FIRMS = 20
FORM_BLANK = 3
FORM_BLANK_ONLY = 5


@dataclass(frozen=True)
class Step:
    """An on-the-job training step (section 5.2 (3)) and the documents that record its output."""

    number: str
    key: str
    documents: tuple[str, ...]
    start: int  # indicative months of the OJT year (the study gives only "about one year")
    end: int


STEPS = (
    Step("i", "profiling", ("profile",), 1, 2),
    Step("ii", "stakeholders", (), 2, 3),
    Step("iii", "needs", ("profile",), 3, 4),
    Step("iv", "strategy", ("strategy", "action-plan"), 4, 5),
    Step("v", "operation_group", ("action-plan",), 5, 6),
    Step("vi", "trial", ("action-plan",), 6, 11),
    Step("vii", "matching", (), 7, 11),
    Step("viii", "monitoring", ("monitoring",), 6, 12),
)

# Rows of the operational-structure table (section 3.3 (2)); without a working group its row goes.
STRUCTURE_BODIES = ("working_group", "pou", "facilitator", "forum")

CONDITIONS = ("demand", "factor", "firm_strategy", "related_supporting", "social_capital")


@dataclass(frozen=True)
class StepRow:
    number: str
    title: str
    task: str
    output: str
    documents: list[str]  # the documents that record the step's output, by their titles
    tool_note: str  # the form of this guideline that serves a step no document covers
    start: int
    end: int


@dataclass(frozen=True)
class StakeholderRow:
    name: str
    type: str
    role: str


@dataclass(frozen=True)
class CalendarRow:
    date: dt.date
    event: str
    details: str
    gathering: bool


@dataclass(frozen=True)
class ProgrammeRow:
    title: str
    lead: str
    schedule: str
    indicator: str
    target: float
    unit: str
    budget: int
    start_month: int
    end_month: int
    in_kind: bool = False  # carried out in kind: its planned budget is worded so, never "Rp 0"


def step_rows(labels: Labels, direct: bool = False, place: str = "kabupaten-kota") -> list[StepRow]:
    """``direct``: the cluster works without a working group, so the steps that the 2004 method runs
    through a stakeholders' group take their wording for that approach (``guideline.step_direct``).
    ``place``: the kind of the cluster's place, for a step that names its forum."""
    def text(key: str, part: str) -> str:
        worded = labels.entries.get(f"guideline.step_direct.{key}.{part}") if direct else None
        return worded or labels.of(f"guideline.step.{key}.{part}", place)

    return [
        StepRow(
            number=s.number,
            title=text(s.key, "title"),
            task=text(s.key, "task"),
            output=text(s.key, "output"),
            documents=[labels(f"document.{kind}") for kind in s.documents],
            # Only the steps without a document of their own have a note (which form to use).
            tool_note=labels.entries.get(f"guideline.step.{s.key}.tool", "-"),
            start=s.start,
            end=s.end,
        )
        for s in STEPS
    ]


def month_span(fmt: Formatter, start: int, end: int) -> str:
    names = get_month_names("abbreviated", locale=fmt.lang)
    return names[start] if start == end else f"{names[start]}–{names[end]}"


def weekday_name(lang: str, weekday: str) -> str:
    return get_day_names("wide", locale=lang)[routine.WEEKDAYS.index(weekday)]


def stakeholder_rows(params: ClusterParams, labels: Labels) -> list[StakeholderRow]:
    place = params.location.regency_record.kind
    return [
        StakeholderRow(s.name, labels.of(f"stakeholder.{s.type.value}", place), s.role.get(labels.lang))
        for s in params.stakeholders
    ]


def calendar_rows(loaded: LoadedParams, labels: Labels) -> tuple[list[CalendarRow], list]:
    """The plan year's dated calendar and the resolved programmes it refers to."""
    plan = loaded.plan
    assert plan is not None
    lang = labels.lang
    resolved = [budget.resolve(p, loaded.library, plan.prices) for p in plan.programmes]
    titles = {p.id: p.title.get(lang) for p in resolved}
    names = {s.id: s.name for s in loaded.params.stakeholders}
    rows = []
    for event in routine.working_calendar(plan.year, plan.routine, resolved):
        if event.kind in (routine.EventKind.start, routine.EventKind.end):
            details = "; ".join(
                f"{titles[pid]} ({labels('guideline.calendar.lead')} {names[p.lead]})"
                for pid in event.programmes for p in resolved if p.id == pid
            )
            gathering = False
        else:
            under_way = routine.running(resolved, event.date.month)
            details = (
                f"{labels('guideline.calendar.under_way')} {'; '.join(titles[i] for i in under_way)}"
                if under_way else labels("guideline.calendar.none_under_way")
            )
            gathering = True
        event_name = labels(f"guideline.event.{event.kind.value}")
        rows.append(CalendarRow(event.date, event_name, details, gathering))
    return rows, resolved


def programme_rows(loaded: LoadedParams, resolved: list, labels: Labels) -> list[ProgrammeRow]:
    fmt = Formatter(labels.lang)
    names = {s.id: s.name for s in loaded.params.stakeholders}
    return [
        ProgrammeRow(
            title=p.title.get(labels.lang),
            lead=names[p.lead],
            schedule=month_span(fmt, p.start_month, p.end_month),
            indicator=p.indicator.name.get(labels.lang),
            target=p.indicator.target,
            unit=p.indicator.unit.get(labels.lang),
            budget=p.total,
            start_month=p.start_month,
            end_month=p.end_month,
            in_kind=p.in_kind,
        )
        for p in resolved
    ]


def source_rows(loaded: LoadedParams | None, labels: Labels) -> list[provenance.SourceRow]:
    def row(key: str, source: str, reference: str, illustrative: bool = False) -> provenance.SourceRow:
        return provenance.SourceRow(labels(f"guideline.sources.{key}"), source, reference, illustrative)

    # The method's facts come from the 2004 study and the SMIDeP evaluation, whatever the cluster.
    study = provenance.cite(provenance.STUDY_2004, labels)
    rows = [
        row(key, study, labels(f"guideline.sources.{key}_ref"))
        for key in ("services", "steps", "routine", "structure", "lessons")
    ]
    ref = "guideline.sources.{}_ref".format
    rows.append(row("smidep", provenance.cite(provenance.SMIDEP_2021, labels), labels(ref("smidep"))))
    rows.append(row("step_months", labels("source.illustrative"), labels(ref("step_months")), True))
    rows += guideline_manual.source_rows(labels)
    if loaded is None:
        return rows
    params = loaded.params
    entry = params.source_of("stakeholders")
    if params.stakeholders and entry is not None:
        rows.append(provenance.source_row(
            labels("guideline.sources.stakeholders"), entry, labels, profile.catalogue(params),
            default_reference=labels("document.profile"),
        ))
    rows += guideline_manual.cluster_source_rows(loaded, labels)
    for path, key in (("stakeholders.contact", "contacts.sources.contacts"),
                      ("support_services", "contacts.sources.services")):
        entry = params.source_of(path)
        if entry is not None and provenance.given(params, [entry]) and (
                path != "stakeholders.contact" or any(s.contact for s in params.stakeholders)):
            rows.append(provenance.source_row(labels(key), entry, labels, profile.catalogue(params)))
    if loaded.plan is not None:
        rows.append(row("calendar", labels("guideline.sources.plan_source"),
                        f"{labels('document.action-plan')} {loaded.plan.year}"))
    return rows


def context(loaded: LoadedParams | None, peers: list[ClusterSummary], labels: Labels) -> dict:
    """Both editions' data; a tailored edition adds ``c`` (so the cover names the cluster)."""
    lang = labels.lang
    plan = loaded.plan if loaded is not None else None
    the_routine = plan.routine if plan is not None else Routine()
    months = get_month_names("wide", locale=lang)
    ctx: dict = {
        "tailored": loaded is not None,
        "steps": step_rows(labels),
        "routine": the_routine,
        "weekday": weekday_name(lang, the_routine.meeting_weekday),
        "week": labels(f"guideline.ordinal.{the_routine.meeting_week}"),
        "seminar_months": [months[m] for m in sorted(set(the_routine.seminar_months))],
        "conditions": [labels(f"condition.{k}") for k in CONDITIONS],
        "blank": BLANK,
        "long_blank": LONG_BLANK,
        "sources": source_rows(loaded, labels),
        "references": references(loaded, labels),
        "plan": plan,
        "calendar": [],
        "programmes": [],
        "traced_firms": [],
        "traced_total": 0,
        "form_blank": FORM_BLANK_ONLY,
        "place": "kabupaten-kota",  # the general edition speaks of no one regency or city
        "structure_bodies": STRUCTURE_BODIES,
        **contacts.context(None, labels),
    }
    ctx.update(guideline_manual.context(loaded, labels, BLANK, LONG_BLANK))
    if loaded is None:
        return ctx
    ctx.update(contacts.context(loaded.params, labels))
    params = loaded.params
    arrangement = facilitation.arrangement(params)  # its wording ('fa') comes with every cluster's context
    ctx["steps"] = step_rows(labels, place=params.location.regency_record.kind)
    if arrangement.without_working_group:
        ctx.update(steps=step_rows(labels, direct=True, place=params.location.regency_record.kind),
                   structure_bodies=[b for b in STRUCTURE_BODIES if b != "working_group"])
    by_type = lambda kind: [s.name for s in params.stakeholders if s.type.value == kind]  # noqa: E731
    viable = firms.structure(params).potentially_viable or []
    ctx.update(
        c=params,
        regency=params.location.regency_record,
        place=params.location.regency_record.kind,
        province=params.location.province_record,
        stakeholders=stakeholder_rows(params, labels),
        # Only a working group that steers (none under other approaches); the form names whom the
        # reports go to where the params name it.
        working_groups=[s.name for s in arrangement.working_groups],
        submitted_to="; ".join(s.name for s in arrangement.working_groups) or (
            arrangement.reports_to.name if arrangement.reports_to is not None else None),
        cooperatives=by_type("cooperative"),
        forums=by_type("forum"),
        facilitator=params.facilitator,
        traced_firms=[f.name for f in viable[:FORM_FIRMS]],
        traced_total=len(viable),
        form_blank=FORM_BLANK if viable else FORM_BLANK_ONLY,
        stakeholders_illustrative=profile.is_illustrative(params, "stakeholders"),
        stakeholders_note=profile.document_sources(params, labels).note("stakeholders"),
    )
    if plan is not None:
        dated, resolved = calendar_rows(loaded, labels)
        ctx.update(calendar=dated, programmes=programme_rows(loaded, resolved, labels))
    return ctx


def references(loaded: LoadedParams | None, labels: Labels) -> list[provenance.Reference]:
    """The method's sources, and a tailored edition's sources of the cluster's stakeholders."""
    cited = list(provenance.METHOD_SOURCES)
    if loaded is not None and loaded.params.stakeholders:
        entry = loaded.params.source_of("stakeholders")
        cited += profile.catalogue(loaded.params).used([entry] if entry else [])
    if loaded is not None:
        cited += profile.catalogue(loaded.params).used(e for _, e in guideline_manual.cluster_entries(loaded))
    if loaded is not None:  # the sources of the contact list and of the directory of services
        params = loaded.params
        found = [params.source_of("stakeholders.contact")] if any(
            s.contact for s in params.stakeholders) else []
        found += [params.source_of("support_services")] if params.support_services else []
        cited += profile.catalogue(params).used([e for e in found if e is not None])
    return provenance.references(cited, labels)


def timeline(rows: list[dict], month_labels: list[str], axis_title: str,
             points: list[dict] | None = None) -> alt.Chart:
    """Bars over the twelve months of a year (rows: label, start, end months, 1-12, inclusive).

    ``points``: markers (label, at: months from the year's start, fractional) drawn on their own rows.
    """
    order = [r["label"] for r in rows] + [p["label"] for p in points or [] if p["label"] not in
                                           {r["label"] for r in rows}]
    order = list(dict.fromkeys(order))
    bars_data = [{"label": r["label"], "x0": r["start"] - 1, "x1": r["end"]} for r in rows]
    names = ", ".join(f"'{m}'" for m in month_labels)
    x_axis = alt.Axis(values=[i + 0.5 for i in range(12)], labelExpr=f"[{names}][floor(datum.value)]",
                      title=axis_title, ticks=False)
    scale = alt.Scale(domain=[0, 12])
    y = alt.Y("label:N", sort=order, title=None)
    layers = [
        alt.Chart(alt.Data(values=bars_data)).mark_bar(height=14, color=charts.ACCENT).encode(
            y=y, x=alt.X("x0:Q", scale=scale, axis=x_axis), x2="x1:Q"
        )
    ]
    if points:
        layers.append(
            alt.Chart(alt.Data(values=points)).mark_point(filled=True, size=60, color=charts.ACCENT,
                                                          shape="diamond").encode(
                y=y, x=alt.X("at:Q", scale=scale, axis=x_axis)
            )
        )
    height = max(60, 26 * len(order))
    return charts.style(alt.layer(*layers).properties(width=charts.WIDTH, height=height))


def chart_specs(ctx: dict, labels: Labels, fmt: Formatter) -> dict[str, tuple[alt.Chart, str]]:
    """The OJT steps over the training year; with a plan, the joint actions and gatherings of its year."""
    steps = [{"label": f"{s.number}. {s.title}", "start": s.start, "end": s.end} for s in ctx["steps"]]
    step_alt = f"{labels('guideline.caption.steps_chart')}: " + "; ".join(
        f"{r['label']} {labels('guideline.chart.months')} {r['start']}-{r['end']}" for r in steps
    )
    specs = {
        "ojt-steps": (
            timeline(steps, [str(m) for m in range(1, 13)], labels("guideline.chart.ojt_month")),
            step_alt,
        )
    }
    if ctx["programmes"]:
        plan = ctx["plan"]
        rows = [{"label": p.title, "start": p.start_month, "end": p.end_month} for p in ctx["programmes"]]
        points = [
            {"label": labels("guideline.chart.gatherings"), "at": _at(r.date)}
            for r in ctx["calendar"] if r.gathering
        ]
        month_names = get_month_names("abbreviated", locale=labels.lang)
        plan_alt = f"{labels('guideline.caption.plan_chart')} {plan.year}: " + "; ".join(
            f"{r['label']} {month_span(fmt, r['start'], r['end'])}" for r in rows
        )
        specs["plan-year"] = (
            timeline(rows, [month_names[m] for m in range(1, 13)], str(plan.year), points),
            plan_alt,
        )
    return specs


def _at(day: dt.date) -> float:
    """A date as months from the year's start (15 March -> 2.45), to place it on the timeline."""
    days = calendar.monthrange(day.year, day.month)[1]
    return day.month - 1 + (day.day - 0.5) / days


def tables(ctx: dict, labels: Labels) -> dict[str, pd.DataFrame]:
    """The guideline's key tables for the notebook, with the document's labels as column names."""
    fmt = Formatter(labels.lang)
    g = "guideline.head."
    steps = pd.DataFrame(
        [(s.number, s.title, s.output, "; ".join(s.documents) or s.tool_note) for s in ctx["steps"]],
        columns=[labels(g + "number"), labels(g + "step"), labels(g + "output"), labels(g + "tool")],
    )
    result = {"steps": steps}
    if ctx["tailored"]:
        result["stakeholders"] = pd.DataFrame(
            [(s.name, s.type, s.role) for s in ctx["stakeholders"]],
            columns=[labels("head.stakeholder"), labels("head.type"), labels("head.role")],
        )
    if ctx["calendar"]:
        result["calendar"] = pd.DataFrame(
            [(fmt.date(r.date), r.event, r.details) for r in ctx["calendar"]],
            columns=[labels(g + "date"), labels(g + "event"), labels(g + "details")],
        )
    return result
