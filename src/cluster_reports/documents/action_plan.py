"""What the action plan (Local Industry Action Plan, LIAP) presents: plain data from a cluster's plan.

The 10-year vision, the 3-year medium plan, the year's action programmes resolved against the
programme library (``budget``), their schedule and budget totals in Rupiah with the US dollar
equivalent at the plan's rate (``prices``: the plan's own, else the cluster's). Library budget lines
of another year than the plan's prices are said to be so, and in-kind programmes are worded as such.
The template decides wording and layout; this module decides the numbers, and describes the charts
(a Gantt chart of the year, the budget by funding source).
"""

from __future__ import annotations

from dataclasses import dataclass
from fractions import Fraction

import altair as alt
import pandas as pd
from babel.dates import get_day_names, get_month_names

from cluster_reports.domain import budget, prices, shares
from cluster_reports.domain.budget import Line, ResolvedProgramme
from cluster_reports.domain.extremes import extremes
from cluster_reports.domain.summary import ClusterSummary
from cluster_reports.inputs.params_io import LoadedParams
from cluster_reports.inputs.schema import ClusterParams, LibraryProgramme, Plan

from . import charts, plan_logframe, plan_roles, provenance
from .i18n import Formatter, Labels, capfirst

P = "plan."
MILLION = 1_000_000
WEEKDAY_INDEX = {d: i for i, d in enumerate(
    ("monday", "tuesday", "wednesday", "thursday", "friday", "saturday", "sunday"))}


@dataclass(frozen=True)
class LineRow:
    item: str
    calculation: str  # "2 managers × 1 month × Rp 1,500,000", in the document's language
    funding: str
    amount: int
    amount_text: str  # "Rp 1,500,000", or "in kind" for an item contributed at no rate


@dataclass(frozen=True)
class FundingShare:
    label: str  # "Regency budget (APBD kabupaten)" or "City budget (APBD kota)", for tables
    phrase: str  # "the regency budget (APBD kabupaten)", for sentences
    amount: int


@dataclass(frozen=True)
class ProgrammeView:
    number: int
    p: ResolvedProgramme
    title: str
    lead: str
    partners: list[str]
    months: str  # "March-May 2003"
    start_name: str  # "March"
    end_name: str  # "May"
    lines: list[LineRow]
    funding: str  # the programme's funding source, in words
    split: list[FundingShare]  # where its money comes from, largest first
    library_label: str | None  # "Table 5.1 no. 4: Enhancing social capital in the cluster"
    usd: float  # the exact conversion (the table and the sentences print usd_shown)
    share_pct: float  # of the plan's money, by largest remainder: the share column adds up to 100
    cost: str  # "Rp 3,000,000"; an in-kind programme: "In kind" or "Rp 3,000,000 + in kind"
    usd_text: str  # "US$ 375", or a dash where the programme costs nothing in money
    share_text: str
    price_note: str | None  # its library lines are in another year's prices (restated or not)
    # The US$ column: whole dollars adjusted by largest remainder to the rounded grand total, so
    # that the column adds up to the total printed under it (and to the same total by source).
    usd_shown: int = 0


@dataclass(frozen=True)
class GoalRow:
    goal: str
    indicator: str
    unit: str
    baseline: float
    targets: list[float]


@dataclass(frozen=True)
class FundingRow:
    key: str
    label: str
    phrase: str
    amount: int
    usd: int  # whole dollars, adjusted by largest remainder so the column adds up to its total
    share_pct: float  # by largest remainder: the column adds up to 100


# --- plain helpers (tested) ---------------------------------------------------------------------

def quantity(fmt: Formatter, value: float) -> str:
    """A count as written in a budget: whole numbers without decimals (2, 1,000), else two places."""
    return fmt.number(value) if float(value).is_integer() else fmt.decimal(value, 2)


def calculation(line: Line, fmt: Formatter, in_kind: str = "in kind") -> str:
    """'2 managers × 1 month × Rp 1,500,000', the way the study writes a budget line; an item
    contributed at no rate: '1 room × 12 months, in kind' (``in_kind``: the language's words)."""
    lang = fmt.lang
    parts = [f"{quantity(fmt, line.quantity)} {line.unit.get(lang)}"]
    if line.times_unit is not None or line.times != 1:
        unit = f" {line.times_unit.get(lang)}" if line.times_unit is not None else ""
        parts.append(f"{quantity(fmt, line.times)}{unit}")
    if line.rate == 0:
        return " × ".join(parts) + f", {in_kind}"
    parts.append(fmt.rupiah(line.rate))
    return " × ".join(parts)


DASH = "–"


def cost_text(total: int, in_kind: bool, labels: Labels, fmt: Formatter) -> str:
    """What a programme costs in words: never 'Rp 0' alone for one carried out in kind."""
    if not in_kind:
        return fmt.rupiah(total)
    if total == 0:
        return labels(P + "in_kind.cell")
    return labels(P + "in_kind.cell_with").format(amount=fmt.rupiah(total))


def index_value(fmt: Formatter, value: float) -> str:
    """An index figure as given: 100, 213, 112.5."""
    if float(value).is_integer():
        return fmt.number(value)
    return fmt.decimal(value, 1 if round(value, 1) == value else 2)


def index_text(basis: prices.PriceBasis, years: list[int], fmt: Formatter) -> str:
    """'2003 = 100; 2015 = 213': the index values of the years a restatement used."""
    return "; ".join(f"{y} = {index_value(fmt, basis.index[y])}" for y in sorted({*years, basis.year}))


def price_note(p: ResolvedProgramme, basis: prices.PriceBasis, labels: Labels, fmt: Formatter) -> str | None:
    """The note under a programme's budget table when its library lines are of another year."""
    if not prices.out_of_year(p, basis):
        return None
    assert p.costed_year is not None
    if p.restated:
        return labels(P + "prices.restated").format(
            costed=p.costed_year, year=basis.year, index=index_text(basis, [p.costed_year], fmt))
    return labels(P + "prices.unchanged").format(costed=p.costed_year, year=basis.year)


@dataclass(frozen=True)
class VisionSpan:
    """The years a plan's vision covers, from the plan year to the year it looks to, both counted."""

    start: int
    end: int

    @property
    def years(self) -> int:
        return self.end - self.start + 1


def vision_span(plan: Plan) -> VisionSpan:
    """The plan year to its vision year; a vision without one looks to the end of the plan's tenth
    year (2003-2012 for a plan starting in 2003)."""
    return VisionSpan(plan.year, plan.vision_year if plan.vision_year is not None else plan.year + 9)


def month_names(lang: str, width: str = "wide") -> dict[int, str]:
    return dict(get_month_names(width, locale=lang))


def month_span(start: int, end: int, year: int, lang: str) -> str:
    """'March–May 2003' / 'Maret–Mei 2003' (an en dash, as a period is written); one month: 'March 2003'."""
    names = month_names(lang)
    return f"{names[start]} {year}" if start == end else f"{names[start]}–{names[end]} {year}"


def library_label(entry: LibraryProgramme | None, labels: Labels) -> str | None:
    if entry is None:
        return None
    where = (labels(P + "library.national").format(number=entry.number) if entry.source == "national"
             and entry.number is not None else labels(P + "library.pilot"))
    return f"{where}: {entry.title.get(labels.lang)}"


def stakeholder_names(params: ClusterParams) -> dict[str, str]:
    return {s.id: s.name for s in params.stakeholders}


def programme_views(params: ClusterParams, plan: Plan, resolved: list[ResolvedProgramme],
                    labels: Labels) -> list[ProgrammeView]:
    lang, fmt = labels.lang, Formatter(labels.lang)
    names = stakeholder_names(params)
    place = params.location.regency_record.kind
    basis = prices.basis(plan, params)
    rate = basis.usd_rate
    free = labels(P + "in_kind.line")
    usd_column = shares.apportion([Fraction(p.total) / Fraction(str(rate)) for p in resolved])
    share_column = shares.shares([p.total for p in resolved])
    views = []
    for n, p in enumerate(resolved, start=1):
        rows = [
            LineRow(line.item.get(lang), calculation(line, fmt, free),
                    # an item contributed in kind: who contributes it, not a source of money
                    labels.of(P + ("funding." if line.rate else "contributed.") + line.funding.value, place),
                    line.amount,
                    fmt.rupiah(line.amount) if line.rate else free)
            for line in p.lines
        ]
        no_money = p.in_kind and p.total == 0
        split = sorted(budget.by_funding([p]).items(), key=lambda kv: -kv[1])
        month = month_names(lang)
        views.append(ProgrammeView(
            number=n,
            p=p,
            title=p.title.get(lang),
            lead=names[p.lead],
            partners=[names[s] for s in p.partners],
            months=month_span(p.start_month, p.end_month, plan.year, lang),
            start_name=month[p.start_month],
            end_name=month[p.end_month],
            lines=rows,
            funding=labels.of(P + "funding." + p.funding.value, place),
            split=[FundingShare(labels.of(P + "funding." + source.value, place),
                                labels.of(P + "from_funding." + source.value, place), amount)
                   for source, amount in split],
            library_label=library_label(p.library, labels),
            usd=p.total / rate,
            share_pct=share_column[n - 1],
            cost=cost_text(p.total, p.in_kind, labels, fmt),
            usd_text=DASH if no_money else fmt.usd(usd_column[n - 1]),
            share_text=DASH if no_money else fmt.percent(share_column[n - 1]),
            price_note=price_note(p, basis, labels, fmt),
            usd_shown=usd_column[n - 1],
        ))
    return views


def goal_rows(plan: Plan, lang: str) -> list[GoalRow]:
    return [
        GoalRow(g.goal.get(lang), g.indicator.name.get(lang), g.indicator.unit.get(lang),
                g.indicator.baseline, list(g.targets))
        for g in plan.medium_plan
    ]


def funding_rows(resolved: list[ResolvedProgramme], usd_rate: float, labels: Labels,
                 place: str) -> list[FundingRow]:
    """The budget by funding source; ``place`` is the cluster's kind of region, which names the
    local budget (APBD kabupaten or APBD kota)."""
    sums = budget.by_funding(resolved)
    usd = shares.apportion([Fraction(a) / Fraction(str(usd_rate)) for a in sums.values()])
    share = shares.shares(list(sums.values()))
    return [
        FundingRow(source.value, labels.of(P + "funding." + source.value, place),
                   labels.of(P + "from_funding." + source.value, place), amount, dollars, pct)
        for (source, amount), dollars, pct in zip(sums.items(), usd, share, strict=True)
    ]


def schedule_grid(resolved: list[ResolvedProgramme]) -> list[list[bool]]:
    """For each programme, twelve flags: is it running in that month of the plan year."""
    return [[p.start_month <= m <= p.end_month for m in range(1, 13)] for p in resolved]


def busiest_months(resolved: list[ResolvedProgramme]) -> tuple[int, list[int]]:
    """The largest number of programmes running at once, and the months when that happens."""
    counts = {m: sum(1 for p in resolved if p.start_month <= m <= p.end_month) for m in range(1, 13)}
    peak = max(counts.values())
    return peak, [m for m, c in counts.items() if c == peak]


def catalogue(params: ClusterParams, plan: Plan) -> provenance.Catalogue:
    return provenance.Catalogue(params.sources, plan.sources)


def is_illustrative(plan: Plan, path: str, cat: provenance.Catalogue) -> bool:
    return provenance.is_illustrative(plan.provenance, path, cat)


def field_label(path: str, labels: Labels) -> str:
    """A provenance path in the document's words: 'programmes.2.budget' -> 'Programmes: item 3, budget'."""
    words = (P + "data.", P + "data_prices.")
    return provenance.field_label(path, labels, heads=words, parts=words)


def source_rows(plan: Plan, labels: Labels, cat: provenance.Catalogue) -> list[provenance.SourceRow]:
    return [provenance.source_row(field_label(e.field, labels), e, labels, cat)
            for e in provenance.given(plan, plan.provenance)]


def routine_text(plan: Plan, labels: Labels) -> dict:
    """The meeting routine in words: weekday, which week, and the seminar months."""
    lang = labels.lang
    days = get_day_names("wide", locale=lang)
    names = month_names(lang)
    return {
        "weekday": days[WEEKDAY_INDEX[plan.routine.meeting_weekday]],
        "week": labels(P + f"ordinal.{plan.routine.meeting_week}"),
        "seminar_months": [names[m] for m in sorted(set(plan.routine.seminar_months))],
    }


# --- the document's context ---------------------------------------------------------------------

def context(loaded: LoadedParams | None, peers: list[ClusterSummary], labels: Labels) -> dict:
    assert loaded is not None and loaded.plan is not None  # compose checks the plan is there
    params, plan = loaded.params, loaded.plan
    lang = labels.lang
    basis = prices.basis(plan, params)
    rate = basis.usd_rate
    place = params.location.regency_record.kind
    resolved = budget.resolve_plan(plan, loaded.library)
    views = programme_views(params, plan, resolved, labels)
    grand = budget.total(resolved)
    cat = catalogue(params, plan)
    funding = funding_rows(resolved, rate, labels, place)
    restated = [v for v in views if v.p.restated]
    peak, peak_months = busiest_months(resolved)
    names = month_names(lang)
    frame = plan_logframe.logframe_rows(plan, views, labels, vision_span(plan).end)
    return {
        "c": params,
        "province": params.location.province_record,
        "regency": params.location.regency_record,
        "plan": plan,
        "year": plan.year,
        "years": [plan.year, plan.year + 1, plan.year + 2],
        "vision_year": vision_span(plan).end,
        "vision": vision_span(plan),
        "goals": goal_rows(plan, lang),
        "programmes": views,
        "grid": schedule_grid(resolved),
        "month_short": month_names(lang, "abbreviated"),
        "peak": peak,
        "peak_months": [names[m] for m in peak_months],
        # Three or more consecutive busiest months read as a range: "April–September".
        "peak_range": (f"{names[peak_months[0]]}–{names[peak_months[-1]]}" if len(peak_months) > 2
                       and list(peak_months) == list(range(peak_months[0], peak_months[-1] + 1)) else None),
        "funding": funding,
        "funding_by_key": {r.key: r for r in funding},
        # The sources with the most money, all of them when tied; none when every programme is
        # carried out in kind (no money, so no main source)
        "main_funding": extremes(funding, lambda r: r.amount).strongest if funding else (),
        "first_start": names[min(p.start_month for p in resolved)],
        "last_end": names[max(p.end_month for p in resolved)],
        "grand_total": grand,
        "grand_usd": grand / rate,
        "grand_cost": cost_text(grand, any(v.p.in_kind for v in views) and not grand, labels,
                                Formatter(lang)),
        "largest": extremes(views, lambda v: v.p.total).strongest if grand else (),  # ties named together
        "prices": basis,
        "rate": rate,
        "in_kind": [v for v in views if v.p.in_kind],
        "unchanged_library": [v for v in views if prices.out_of_year(v.p, basis) and not v.p.restated],
        "restated_library": restated,
        "index_text": index_text(basis, [v.p.costed_year for v in restated if v.p.costed_year],
                                 Formatter(lang)) if restated else None,
        "from_library": [v for v in views if v.p.library is not None],
        "library_budgets": [v for v in views if v.p.budget_from_library],
        "routine": routine_text(plan, labels),
        # the logical framework and the risks (issue 13)
        "logframe": frame,
        "logframe_unset": plan_logframe.unset(frame, labels),
        "risks": plan_logframe.risk_rows(params, plan, views, labels),
        "sources": source_rows(plan, labels, cat),
        "illustrative": lambda path: is_illustrative(plan, path, cat),
        **provenance.DocumentSources(
            {"plan": tuple(plan.provenance)}, tuple(provenance.given(plan, plan.provenance)), cat, labels
        ).context(),
        "usd": lambda rupiah: rupiah / rate,
        # who does what, the reporting calendar and the approval page
        **plan_roles.context(params, plan, resolved, labels),
    }


# --- charts -------------------------------------------------------------------------------------

def gantt(rows: list[dict], month_labels: list[str], year_title: str) -> alt.Chart:
    """One bar per programme from the start of its first month to the end of its last month.

    Months are positions 0-12 on a linear axis; the labels sit in the middle of each month and
    are the document language's month names (vl-convert formats dates in English only).
    """
    order = [r["programme"] for r in rows]
    names = "[" + ",".join(repr(m) for m in month_labels) + "]"
    x = alt.X(
        "start:Q", title=year_title, scale=alt.Scale(domain=[0, 12], nice=False),
        axis=alt.Axis(values=[m + 0.5 for m in range(12)], labelExpr=f"{names}[floor(datum.value)]",
                      grid=False, ticks=False, labelAngle=0),
    )
    base = alt.Chart(alt.Data(values=rows)).encode(
        y=alt.Y("programme:N", sort=order, title=None))
    grid = alt.Chart(alt.Data(values=[{"m": m} for m in range(13)])).mark_rule(
        color="#dddddd", strokeWidth=1).encode(x=alt.X("m:Q"))
    bars = base.mark_bar(height=16, color=charts.ACCENT, cornerRadius=2).encode(
        x=x, x2="end:Q", tooltip=["programme:N", "months:N"],
    )
    height = max(60, 28 * len(rows))
    return charts.style((grid + bars).properties(width=charts.WIDTH, height=height))


def chart_specs(ctx: dict, labels: Labels, fmt: Formatter) -> dict[str, tuple[alt.Chart, str]]:
    plan: Plan = ctx["plan"]
    short = ctx["month_short"]
    rows = [
        {"programme": f"{v.number}. {v.title}", "start": v.p.start_month - 1, "end": v.p.end_month,
         "months": v.months}
        for v in ctx["programmes"]
    ]
    gantt_alt = f"{labels(P + 'caption.gantt')} {plan.year}: " + "; ".join(
        f"{r['programme']}, {r['months']}" for r in rows
    )
    money = [{"source": r.label, "amount": r.amount / MILLION} for r in ctx["funding"]]
    funding_alt = f"{labels(P + 'caption.funding_chart')}: " + "; ".join(
        f"{r.label} {fmt.rupiah(r.amount)}" for r in ctx["funding"]
    )
    # In-kind programmes that cost no money have no bar: the table beside the chart lists them.
    paid = [v for v in ctx["programmes"] if v.p.total]
    per_programme = [{"programme": f"{v.number}. {v.title}", "amount": v.p.total / MILLION} for v in paid]
    programme_alt = f"{labels(P + 'caption.programme_chart')}: " + "; ".join(
        f"{v.number}. {v.title} {fmt.rupiah(v.p.total)}" for v in paid
    )
    return {
        "gantt": (gantt(rows, [short[m] for m in range(1, 13)], str(plan.year)), gantt_alt),
        "funding": (charts.bar(money, "source", "amount", labels(P + "chart.rp_million"),
                               value_format=",.1f"), funding_alt),
        "programme-budgets": (charts.bar(per_programme, "programme", "amount",
                                         labels(P + "chart.rp_million"), value_format=",.1f"),
                              programme_alt),
    }


# --- tables for notebooks -----------------------------------------------------------------------

def tables(ctx: dict, labels: Labels) -> dict[str, pd.DataFrame]:
    head = lambda key: labels(P + "head." + key)  # noqa: E731
    years = ctx["years"]
    medium = pd.DataFrame(
        [[g.goal, capfirst(g.indicator), g.unit, g.baseline, *g.targets] for g in ctx["goals"]],
        columns=[head("goal"), head("indicator"), head("unit"), head("baseline"), *map(str, years)],
    )
    programmes = pd.DataFrame(
        [[v.number, v.title, v.lead, v.months, v.funding, v.p.total, v.usd_shown,
          capfirst(v.p.indicator.name.get(labels.lang)), v.p.indicator.target, v.library_label or "-"]
         for v in ctx["programmes"]],
        columns=["#", head("programme"), head("lead"), head("months"), head("funding"), head("amount"),
                 head("usd"), head("indicator"), head("target"), head("library")],
    )
    lines = pd.DataFrame(
        [[v.number, v.title, r.item, r.calculation, r.funding, r.amount]
         for v in ctx["programmes"] for r in v.lines],
        columns=["#", head("programme"), head("item"), head("calculation"), head("funding"), head("amount")],
    )
    funding = pd.DataFrame(
        [[r.label, r.amount, r.usd, r.share_pct] for r in ctx["funding"]],
        columns=[head("funding"), head("amount"), head("usd"), head("share")],
    )
    lf = lambda key: labels(P + "logframe.head." + key)  # noqa: E731
    logframe = pd.DataFrame(
        [[r.level, r.narrative, r.indicator, r.target, r.verification, r.assumptions]
         for r in ctx["logframe"]],
        columns=[lf("level"), lf("narrative"), lf("indicator"), lf("target"), lf("verification"),
                 lf("assumptions")],
    )
    rk = lambda key: labels(P + "risks.head." + key)  # noqa: E731
    risks = pd.DataFrame(
        [[r.number, r.risk, r.bears_on, r.likelihood, r.impact, r.mitigation, r.owner] for r in ctx["risks"]],
        columns=[rk("number"), rk("risk"), rk("bears_on"), rk("likelihood"), rk("impact"), rk("mitigation"),
                 rk("owner")],
    )
    ro = lambda key: labels(P + "roles." + key)  # noqa: E731
    roles = pd.DataFrame(
        [[f"{r.number}. {r.title}", r.lead, "; ".join(r.partners) or labels(P + "none"),
          r.facilitator or ro("not_recorded")] for r in ctx["roles"]],
        columns=[head("programme"), head("lead"), head("partners"), ro("head_facilitator")],
    )
    rp = lambda key: labels(P + "reporting." + key)  # noqa: E731
    reporting = pd.DataFrame(
        [[r.report, r.by, r.to, r.frequency, r.due] for r in ctx["reports"]],
        columns=[rp("head_report"), rp("head_by"), rp("head_to"), rp("head_frequency"), rp("head_due")],
    )
    return {"medium_plan": medium, "programmes": programmes, "budget_lines": lines, "by_funding": funding,
            "logframe": logframe, "risks": risks, "responsibilities": roles, "reporting": reporting}

