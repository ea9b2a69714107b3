"""Who does what in an action plan: the responsibility table of the programmes, the reporting
calendar with its dated deadlines, and the approval page's signatories.

Stakeholders are printed by name, the facilitator by the name the cluster's params give it. Where
the plan records no reporting calendar, the method's standard one is shown and said to be so (the
facilitator's progress monitoring report after each information seminar, the yearly monitoring and
evaluation report), but only where the cluster records a facilitator to write it; without one the
calendar is not recorded. Where the plan names no signatories, the default parties are those the
method foresees: the head of the office in charge of industry, the chair of the steering working
group, the chairs of the cooperatives and the facilitator.
"""

from __future__ import annotations

from dataclasses import dataclass

from babel.dates import get_month_names

from cluster_reports.domain import facilitation, reporting
from cluster_reports.domain.budget import ResolvedProgramme
from cluster_reports.inputs.schema import ClusterParams, Plan, Stakeholder
from cluster_reports.inputs.schema.plan import FACILITATOR, Report

from .facilitation import Wording, and_list, wording
from .i18n import Formatter, Labels, capfirst

R = "plan.roles."
C = "plan.reporting."
A = "plan.approval."
BLANK_NAME = "……………………………"  # a dotted line to write a name in


@dataclass(frozen=True)
class RoleRow:
    number: int
    title: str
    lead: str
    partners: list[str]
    facilitator: str | None  # the facilitator's part; None: not recorded


@dataclass(frozen=True)
class StakeholderTasks:
    name: str
    leads: list[int]  # programme numbers
    joins: list[int]


@dataclass(frozen=True)
class ReportRow:
    report: str
    by: str
    to: str
    frequency: str
    due: str
    dues: list[reporting.Due]
    once: bool = False  # a one-off report (test results, a survey) covers no period of the year


@dataclass(frozen=True)
class DueRow:
    date: str
    report: str
    period: str


@dataclass(frozen=True)
class Signatory:
    party: str
    position: str
    name: str  # the person's name, or a dotted line


def industry_office(params: ClusterParams) -> Stakeholder | None:
    """The regency or city office in charge of industry (Disperindag), if listed."""
    return next((s for s in params.stakeholders if s.type.value == "regency-government"
                 and "perindustrian" in s.name.casefold()), None)


def facilitator_name(params: ClusterParams, labels: Labels) -> str:
    return params.facilitator.name if params.facilitator is not None else capfirst(labels(R + "facilitator"))


def party_name(party: str, params: ClusterParams, labels: Labels) -> str:
    if party == FACILITATOR:
        return facilitator_name(params, labels)
    return next(s.name for s in params.stakeholders if s.id == party)


def role_rows(params: ClusterParams, plan: Plan, resolved: list[ResolvedProgramme],
              lang: str) -> list[RoleRow]:
    names = {s.id: s.name for s in params.stakeholders}
    given = {p.id: p.facilitator_role for p in plan.programmes}
    return [RoleRow(n, p.title.get(lang), names[p.lead], [names[s] for s in p.partners],
                    given[p.id].get(lang) if given.get(p.id) is not None else None)
            for n, p in enumerate(resolved, start=1)]


def stakeholder_tasks(params: ClusterParams, resolved: list[ResolvedProgramme]) -> list[StakeholderTasks]:
    """Each stakeholder with a part in the plan, in the params' order: the programmes it leads and joins."""
    rows = []
    for s in params.stakeholders:
        leads = [n for n, p in enumerate(resolved, start=1) if p.lead == s.id]
        joins = [n for n, p in enumerate(resolved, start=1) if s.id in p.partners]
        if leads or joins:
            rows.append(StakeholderTasks(s.name, leads, joins))
    return rows


def month_name(month: int, lang: str) -> str:
    return get_month_names("wide", locale=lang)[month]


def period_text(due: reporting.Due, year: int, lang: str) -> str:
    """'January–March 2003', one month 'March 2003', as the plan writes its programmes' months."""
    first, last = month_name(due.first_month, lang), month_name(due.last_month, lang)
    return f"{first} {year}" if first == last else f"{first}–{last} {year}"


def due_text(r: Report, dues: list[reporting.Due], labels: Labels) -> str:
    fmt = Formatter(labels.lang)
    if len(dues) == 1:
        return labels(C + "due.by").format(date=fmt.date(dues[0].date))
    key = r.frequency.value + ("_day" if r.due_day is not None else "_end")
    return labels(C + "due." + key).format(day=day_text(r.due_day, labels.lang) if r.due_day else "")


def day_text(day: int, lang: str) -> str:
    """The day of a month as a deadline names it: '10th', '1st', '22nd' in English, '10' in Indonesian."""
    if lang != "en":
        return str(day)
    suffix = "th" if 11 <= day % 100 <= 13 else {1: "st", 2: "nd", 3: "rd"}.get(day % 10, "th")
    return f"{day}{suffix}"


def given_rows(params: ClusterParams, plan: Plan, labels: Labels) -> list[ReportRow]:
    lang = labels.lang
    rows = []
    for r in plan.reporting:
        dues = reporting.due_dates(plan.year, r.frequency.value, r.due_day, r.month)
        rows.append(ReportRow(
            r.report.get(lang), party_name(r.by, params, labels),
            and_list([party_name(t, params, labels) for t in r.to], labels),
            labels(C + "frequency." + r.frequency.value), due_text(r, dues, labels), dues,
            once=r.frequency.value == "once"))
    return rows


def standard_rows(params: ClusterParams, plan: Plan, fa: Wording, labels: Labels) -> list[ReportRow]:
    """The method's reporting: the facilitator's progress monitoring report after each seminar, and
    the yearly monitoring and evaluation report (by the working group where one steers the plan)."""
    if params.facilitator is None:
        return []
    place = params.location.regency_record.kind
    fmt = Formatter(labels.lang)
    months = [month_name(m, labels.lang) for m in sorted(set(plan.routine.seminar_months))]
    seminars = reporting.after_seminars(plan.year, plan.routine.seminar_months)
    year_end = reporting.due_dates(plan.year, "yearly")
    office = industry_office(params)
    office_name = office.name if office is not None else capfirst(labels.of("facilitation.office", place))
    if fa.working_group:
        evaluator = and_list(fa.group_names, labels) if fa.group_names else capfirst(
            labels("facilitation.working_group"))
        evaluated_to = office_name
    else:
        evaluator, evaluated_to = params.facilitator.name, capfirst(fa.recipient)
    return [
        ReportRow(labels(C + "standard.progress"), params.facilitator.name, capfirst(fa.recipient),
                  labels(C + "standard.after_seminar").format(months=and_list(months, labels)),
                  labels(C + "due.seminar_month"), seminars),
        ReportRow(labels(C + "standard.evaluation"), evaluator, evaluated_to,
                  labels(C + "frequency.yearly"),
                  labels(C + "due.by").format(date=fmt.date(year_end[0].date)), year_end),
    ]


def due_rows(rows: list[ReportRow], year: int, lang: str) -> list[DueRow]:
    """Every delivery of the year in date order (the calendar's order for one day)."""
    fmt = Formatter(lang)
    found = [(d.date, n, DueRow(fmt.date(d.date), r.report, "–" if r.once else period_text(d, year, lang)))
             for n, r in enumerate(rows) for d in r.dues]
    return [row for _, _, row in sorted(found, key=lambda t: (t[0], t[1]))]


def default_place(params: ClusterParams) -> str:
    """'Kabupaten Kebumen' -> 'Kebumen', 'Kota Tegal' -> 'Tegal'."""
    name = params.location.regency_record.name
    return name.split(" ", 1)[1] if " " in name else name


def signatories(params: ClusterParams, plan: Plan, labels: Labels) -> tuple[list[Signatory], bool]:
    """The parties who sign the plan, and whether they are the default ones."""
    lang = labels.lang
    if plan.approval is not None and plan.approval.parties:
        return [Signatory(party_name(p.party, params, labels), p.position.get(lang), p.name or BLANK_NAME)
                for p in plan.approval.parties], False
    arr = facilitation.arrangement(params)
    found: list[Signatory] = []
    office = industry_office(params)
    if office is not None:
        found.append(Signatory(office.name, labels(A + "position.head"), BLANK_NAME))
    if arr.with_working_group:
        found += [Signatory(g.name, labels(A + "position.chair"), BLANK_NAME) for g in arr.working_groups]
    found += [Signatory(s.name, labels(A + "position.chair"), BLANK_NAME)
              for s in params.stakeholders if s.type.value == "cooperative"]
    if params.facilitator is not None:
        kind = "field-facilitator" if params.facilitator.type == "field-facilitator" else "other"
        position = labels(A + "position.facilitator." + kind)
        found.append(Signatory(params.facilitator.name, position, BLANK_NAME))
    return found, True


def context(params: ClusterParams, plan: Plan, resolved: list[ResolvedProgramme], labels: Labels) -> dict:
    fa = wording(params, labels)
    given = given_rows(params, plan, labels)
    rows = given or standard_rows(params, plan, fa, labels)
    parties, default_parties = signatories(params, plan, labels)
    given_place = plan.approval.place if plan.approval is not None else None
    place = given_place or default_place(params)
    return {
        "roles": role_rows(params, plan, resolved, labels.lang),
        "stakeholder_tasks": stakeholder_tasks(params, resolved),
        "reports": rows,
        "reports_standard": bool(rows) and not given,
        "report_dues": due_rows(rows, plan.year, labels.lang),
        "signatories": parties,
        "signatories_default": default_parties,
        "approval_place": place,
    }
