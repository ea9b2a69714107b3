"""What the monitoring and evaluation report presents, computed from a cluster's params, its plan
and its monitoring observations (``<id>.monitoring.yaml``, firm observations possibly in a CSV).

The arithmetic lives in ``indicators``; this module gathers it for the templates, describes the
charts (data, translated labels, alt text) and gives the notebook its tables.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

import altair as alt
import pandas as pd
from babel.dates import format_date

from cluster_reports.domain import (
    budget,
    dac,
    evaluations,
    facilitation,
    indicators,
    pilot_lessons,
    prices,
    variances,
)
from cluster_reports.domain.shares import adds_up
from cluster_reports.domain.summary import ClusterSummary
from cluster_reports.inputs.params_io import LoadedParams
from cluster_reports.inputs.schema import ClusterParams, Monitoring, Plan, Provenance

from . import channels as channel_names
from . import charts, long_lists, provenance
from .i18n import Formatter, Labels, capfirst

M = "monitoring."
SPENT = "#d08c2b"  # a warm second colour beside charts.ACCENT, readable in grey print
# One colour per channel; a period rarely has more channels than these, and past them they repeat.
CHANNEL_COLOURS = ["#1f6f78", "#9dbec2", "#d08c2b", "#e9c46a", "#6d597a", "#b56576", "#52796f", "#adb5bd",
                   "#8a5a44", "#c9ada7", "#355070", "#90a955", "#e07a5f", "#3d405b"]
MILLION = 1_000_000


def field_label(part: str, path: str, labels: Labels) -> str:
    """A provenance path in the report's words: ('monitoring', 'firms') -> 'Observations of ...'."""
    return provenance.field_label(path, labels, heads=(f"{M}data.{part}.",))


def catalogue(params: ClusterParams, plan: Plan, monitoring: Monitoring) -> provenance.Catalogue:
    return provenance.Catalogue(params.sources, plan.sources, monitoring.sources)


def chosen_entries(params: ClusterParams, plan: Plan, monitoring: Monitoring) -> list[tuple[str, Provenance]]:
    """Where the report's data come from: the monitoring file, the plan's targets and budgets, and
    the profiling data used as baseline (five-condition scores, the firms' annual sales)."""
    chosen = [("monitoring", e) for e in provenance.given(monitoring, monitoring.provenance)]
    chosen += [("plan", e) for e in provenance.given(plan, plan.provenance)
               if e.field.split(".")[0] in ("medium_plan", "programmes", "success_goal")]
    chosen += [("cluster", e) for e in provenance.given(params, params.provenance)
               if e.field.split(".")[0] in ("assessment", "firms")]
    return chosen


def source_rows(chosen: list[tuple[str, Provenance]], labels: Labels,
                cat: provenance.Catalogue) -> list[provenance.SourceRow]:
    return [provenance.source_row(field_label(part, e.field, labels), e, labels, cat) for part, e in chosen]


def document_sources(params: ClusterParams, plan: Plan, monitoring: Monitoring,
                     chosen: list[tuple[str, Provenance]], labels: Labels,
                     cat: provenance.Catalogue) -> provenance.DocumentSources:
    files = {"monitoring": tuple(monitoring.provenance), "plan": tuple(plan.provenance),
             "cluster": tuple(params.provenance)}
    return provenance.DocumentSources(files, tuple(e for _, e in chosen), cat, labels)


def month_span(start: int, end: int, year: int, lang: str) -> str:
    """'Mar–May 2003' / 'Mar–Mei 2003', with an en dash as a period is written (one month: 'Mar 2003')."""
    def name(month: int) -> str:
        return format_date(dt.date(year, month, 1), "MMM", locale=lang).rstrip(".")
    return f"{name(start)} {year}" if start == end else f"{name(start)}–{name(end)} {year}"


def main_channel_of(shares: list[indicators.ChannelShare],
                    labels: Labels) -> dict[str, channel_names.MainChannel]:
    """Per period, its main channel (or the channels tied for it) in the report's words."""
    return {
        period: channel_names.MainChannel(
            period=period,
            label=tied[0].label,
            share_pct=tied[0].share_shown,  # the value the channel table prints
            phrase=channel_names.enumerate_([channel_names.phrase(s.channel, s.name, labels) for s in tied],
                                            labels),
            tied=len(tied) > 1,
        )
        for period, tied in indicators.main_channels(shares).items()
    }


def context(loaded: LoadedParams | None, peers: list[ClusterSummary], labels: Labels) -> dict:
    assert loaded is not None and loaded.plan is not None and loaded.monitoring is not None
    params, plan, monitoring = loaded.params, loaded.plan, loaded.monitoring
    lang = labels.lang
    resolved = budget.resolve_plan(plan, loaded.library)
    rows = indicators.indicator_rows(plan, monitoring)
    observed = [r for r in rows if r.achievement is not None]
    conditions = indicators.condition_changes(params, monitoring)
    turnover = indicators.turnover_by_period(params, monitoring)
    latest_period = monitoring.periods[-1]
    firm_rows = {f.name: f for f in (params.firms.table or [])}
    completion = indicators.completion(resolved, monitoring)
    success = indicators.success_cases(plan, monitoring, indicators.baseline_sales(params))
    year_total = sum(r.total for r in turnover)
    baselines = [r.baseline for r in turnover]
    year_baseline = sum(baselines) if None not in baselines else None  # type: ignore[arg-type]
    channels = indicators.channel_mix(monitoring)  # firms of one channel summed, per routine period
    main_channel = main_channel_of(channels, labels)
    found = evaluations.evaluations(params, plan, monitoring)
    routine = indicators.routine_periods(monitoring)
    cat = catalogue(params, plan, monitoring)
    chosen = chosen_entries(params, plan, monitoring)
    rate = prices.basis(plan, params).usd_rate
    return {
        "c": params,
        "province": params.location.province_record,
        "regency": params.location.regency_record,
        "plan": plan,
        "mon": monitoring,
        "periods": routine,  # the columns of the indicator tables
        "latest_period": latest_period,
        # The year's result, not a state of things "so far", only when the routine records reach the
        # year's end: an evaluation after a monitoring that stopped mid-year does not complete them.
        "year_over": routine[-1].end >= dt.date(plan.year, 12, 31),
        "last_routine": routine[-1],
        "routine_span": routine_span(routine, plan.year),
        "evaluations": found,
        "evaluation_channel": {e.period.id: main_channel_of(e.channels, labels).get(e.period.id)
                               for e in found},
        "period_name": {p.id: p.label.get(lang) for p in monitoring.periods},
        "goals": [r for r in rows if r.level == "goal"],
        "programme_indicators": [r for r in rows if r.level == "programme"],
        "observed_count": len(observed),
        "met_count": sum(1 for r in observed if r.achievement.met),
        "indicator_count": len(rows),
        "success": success,
        "success_by_goal": sum(1 for s in success if s.by_goal),
        "success_by_sales_only": sum(1 for s in success if not s.by_goal),
        "year_total": year_total,
        "year_change_pct": (year_total - year_baseline) / year_baseline * 100 if year_baseline else None,
        "success_goal": plan.success_goal,
        "supported": indicators.supported_firms(monitoring),
        "firm_table": firm_rows,
        "conditions": conditions,
        "improved": [r for r in conditions if r.change > 0],
        "worse": [r for r in conditions if r.change < 0],
        "completion": completion,
        "months": {p.id: month_span(p.start_month, p.end_month, plan.year, lang) for p in resolved},
        "turnover": turnover,
        "channels": channels,
        # Every period's shares as printed add up to 100, unless equal values were rounded apart.
        "channels_add_up": all(
            adds_up([s.share_shown for s in channels if s.period == period])
            for period in dict.fromkeys(s.period for s in channels)
        ),
        "main_channel": main_channel,
        "channel_label": lambda share: channel_names.label(share.channel, share.name, labels),
        "sources": source_rows(chosen, labels, cat),
        "illustrative": lambda path: provenance.is_illustrative(monitoring.provenance, path, cat),
        "baseline_illustrative": provenance.is_illustrative(params.provenance, "assessment", cat),
        **document_sources(params, plan, monitoring, chosen, labels, cat).context(),
        "usd": lambda rupiah: rupiah / rate,  # the plan's rate
        **firm_lists(params, monitoring, success, labels),
        "series": lambda items: channel_names.enumerate_(list(items), labels),  # "a, b and c"
        **variances_and_evaluation(
            loaded, resolved, rows, completion, conditions, success, found,
            (year_total - year_baseline) / year_baseline * 100 if year_baseline else None),
    }


# --- variances, corrective actions, the OECD DAC criteria and the pilots' lessons that apply ---------------

def variances_and_evaluation(loaded: LoadedParams, resolved: list[budget.ResolvedProgramme],
                             rows: list[indicators.IndicatorRow], completion: indicators.Completion,
                             conditions: list[indicators.ConditionChange],
                             success: list[indicators.SuccessCase],
                             found: list[evaluations.Evaluation], year_change_pct: float | None) -> dict:
    params, plan, monitoring = loaded.params, loaded.plan, loaded.monitoring
    assert plan is not None and monitoring is not None
    off = (variances.indicator_variances(plan, monitoring, rows)
           + variances.programme_variances(plan, monitoring, completion))
    # An action is judged by the latest routine records: a later evaluation visit (an ex-post one
    # years on) is not the plan's monitoring, and its date would make every action look overdue.
    as_of = indicators.routine_periods(monitoring)[-1].end
    supported = indicators.supported_firms(monitoring)
    social = {p.id for p in resolved if p.condition is not None and p.condition.value == "social_capital"}
    figures = dac.figures(resolved, rows, completion, conditions, len(success), len(supported),
                          year_change_pct, found)
    return {
        "variances": off,
        "unexplained": [v for v in off if v.explanation is None],
        "actions": variances.corrective_actions(plan, resolved, monitoring, as_of),
        "records_date": as_of,
        "stakeholder_name": {s.id: s.name for s in params.stakeholders},
        "title_of": {p.id: p.title for p in resolved},
        "dac": dac.criteria(monitoring, figures),
        "dac_given": monitoring.dac,
        "dac_period": next((p for p in monitoring.periods
                            if monitoring.dac is not None and p.id == monitoring.dac.period), None),
        "dac_assessed": [k for k in dac.DAC_CRITERIA if monitoring.dac is not None
                         and getattr(monitoring.dac, k) is not None],
        "pilot_lessons": pilot_lessons.applicable(
            monitoring, conditions, off, social, len(success), supported,
            {f.name for f in (params.firms.table or [])},
            facilitation.arrangement(params).without_working_group),
    }


# --- the supported firms and success cases: long lists, and who leads the firms -----------------------

@dataclass(frozen=True)
class SupportedRow:
    """A supported firm as the report's table of supported firms shows it."""

    firm: str
    women_led: bool | None  # from the firm table, where recorded
    periods: int  # periods in which it was observed
    annual_turnover: int | None  # plan-year turnover scaled to a year; None if seen at evaluations only
    baseline_sales: int | None  # its annual sales in the firm table
    success: bool


@dataclass(frozen=True)
class WomenSplit:
    """Supported firms and success cases, women-led firms and other firms, counted over the supported
    firms for which the firm table records whether a woman leads them (``known`` of ``supported``)."""

    supported: int
    known: int
    led: int
    led_success: int
    other: int
    other_success: int

    @property
    def complete(self) -> bool:
        return self.known == self.supported


def supported_rows(params: ClusterParams, monitoring: Monitoring,
                   success: list[indicators.SuccessCase]) -> list[SupportedRow]:
    """The supported firms in the order first observed, each with its year."""
    table = {f.name: f for f in (params.firms.table or [])}
    annual = indicators.annualised_turnover(monitoring)
    periods: dict[str, set[str]] = {}
    for obs in monitoring.firms:
        periods.setdefault(obs.firm, set()).add(obs.period)
    successes = {s.firm for s in success}
    return [
        SupportedRow(
            firm=name,
            women_led=table[name].women_led if name in table else None,
            periods=len(periods[name]),
            annual_turnover=annual.get(name),
            baseline_sales=table[name].annual_sales if name in table else None,
            success=name in successes,
        )
        for name in indicators.supported_firms(monitoring)
    ]


def women_split(rows: list[SupportedRow]) -> WomenSplit | None:
    """None when the firm table records for none of the supported firms whether a woman leads it."""
    known = [r for r in rows if r.women_led is not None]
    if not known:
        return None
    led = [r for r in known if r.women_led]
    other = [r for r in known if not r.women_led]
    return WomenSplit(len(rows), len(known), len(led), sum(r.success for r in led), len(other),
                      sum(r.success for r in other))


def firm_lists(params: ClusterParams, monitoring: Monitoring, success: list[indicators.SuccessCase],
               labels: Labels) -> dict:
    """The success cases as the text names them, the supported firms' table, and which of the two
    go to the annex at the end (long lists)."""
    rows = supported_rows(params, monitoring, success)
    return {
        "success_long": long_lists.is_long(success),
        "success_named": long_lists.named([s.firm for s in success], labels),
        "supported_rows": rows,
        "supported_long": long_lists.is_long(rows),
        "women": women_split(rows),
    }


# --- charts -------------------------------------------------------------------------------------------

def grouped_bar(rows: list[dict], category: str, series: str, value: str, value_title: str,
                series_order: list[str], colours: list[str], value_format: str = ",.0f",
                domain: tuple[float, float] | None = None) -> alt.Chart:
    """Horizontal bars, one per series within each category (e.g. baseline and latest), valued."""
    order = list(dict.fromkeys(r[category] for r in rows))
    base = alt.Chart(alt.Data(values=rows)).encode(
        y=alt.Y(f"{category}:N", sort=order, title=None),
        yOffset=alt.YOffset(f"{series}:N", sort=series_order),
        x=alt.X(f"{value}:Q", title=value_title,
                scale=alt.Scale(domain=list(domain)) if domain else alt.Undefined,
                # whole-number ticks for scores (0 to 5), the default ticks otherwise
                axis=alt.Axis(values=list(range(int(domain[1]) + 1))) if domain and domain[1] <= 10
                else alt.Undefined),
    )
    bars = base.mark_bar(height=12).encode(
        color=alt.Color(f"{series}:N", sort=series_order, title=None,
                        scale=alt.Scale(domain=series_order, range=colours),
                        legend=alt.Legend(orient="bottom")),
    )
    text = base.mark_text(align="left", dx=3, fontSize=10, color="#333333").encode(
        text=alt.Text(f"{value}:Q", format=value_format)
    )
    height = max(80, 34 * len(order))
    return charts.style((bars + text).properties(width=charts.WIDTH, height=height))


def stacked_share(rows: list[dict], category: str, series: str, value: str, value_title: str,
                  series_order: list[str]) -> alt.Chart:
    """One 100 % bar per category (a period), split by series (market channels), in series order."""
    order = list(dict.fromkeys(r[category] for r in rows))
    chart = alt.Chart(alt.Data(values=rows)).mark_bar(height=20).encode(
        y=alt.Y(f"{category}:N", sort=order, title=None),
        x=alt.X(f"{value}:Q", title=value_title, stack="zero", scale=alt.Scale(domain=[0, 100])),
        color=alt.Color(f"{series}:N", sort=series_order, title=None,
                        scale=alt.Scale(domain=series_order, range=[CHANNEL_COLOURS[n % len(CHANNEL_COLOURS)]
                                                                  for n in range(len(series_order))]),
                        legend=alt.Legend(orient="bottom", columns=2)),
        order=alt.Order("rank:Q"),
    )
    return charts.style(chart.properties(width=charts.WIDTH, height=max(80, 32 * len(order))))


def chart_specs(ctx: dict, labels: Labels, fmt: Formatter) -> dict[str, tuple[alt.Chart, str]]:
    lang = labels.lang
    name = ctx["c"].name.get(lang)
    before, after = labels(M + "chart.baseline"), labels(M + "chart.latest")
    latest_label = ctx["last_routine"].label.get(lang)  # the scores are those of the plan year
    after = f"{after} ({latest_label})"
    cond_rows = []
    for r in ctx["conditions"]:
        cond_rows += [{"condition": labels(f"condition.{r.key}"), "when": before, "score": r.baseline},
                      {"condition": labels(f"condition.{r.key}"), "when": after, "score": r.latest}]
    cond_alt = f"{labels(M + 'caption.conditions_chart')}, {name}: " + "; ".join(
        f"{labels(f'condition.{r.key}')} {r.baseline} → {r.latest}" for r in ctx["conditions"]
    )
    specs = {
        "conditions": (
            grouped_bar(cond_rows, "condition", "when", "score", labels("chart.score"), [before, after],
                        [charts.MUTED, charts.ACCENT], domain=(0, 5)),
            cond_alt,
        ),
    }
    completion = ctx["completion"]
    planned_word, spent_word = labels(M + "chart.planned"), labels(M + "chart.spent")
    budget_rows = []
    for r in completion.rows:
        title = r.title.get(lang)
        budget_rows += [{"programme": title, "what": planned_word, "amount": r.planned / MILLION},
                        {"programme": title, "what": spent_word, "amount": r.spent / MILLION}]
    in_kind = labels(M + "programme.in_kind")
    budget_alt = f"{labels(M + 'caption.budget_chart')}: " + "; ".join(
        f"{r.title.get(lang)} {in_kind if r.in_kind else fmt.rupiah(r.planned)} / {fmt.rupiah(r.spent)}"
        for r in completion.rows
    )
    specs["budget"] = (
        grouped_bar(budget_rows, "programme", "what", "amount", labels(M + "chart.rp_million"),
                    [planned_word, spent_word], [charts.MUTED, SPENT], value_format=",.1f"),
        budget_alt,
    )
    if ctx["turnover"]:
        actual_word, base_word = labels(M + "chart.turnover"), labels(M + "chart.turnover_baseline")
        turnover_rows = []
        for r in ctx["turnover"]:
            period = r.label.get(lang)
            if r.baseline is not None:
                turnover_rows.append({"period": period, "what": base_word, "amount": r.baseline / MILLION})
            turnover_rows.append({"period": period, "what": actual_word, "amount": r.total / MILLION})
        series = [base_word, actual_word] if any(r.baseline is not None for r in ctx["turnover"]) else [
            actual_word]
        turnover_alt = f"{labels(M + 'caption.turnover_chart')}: " + "; ".join(
            f"{r.label.get(lang)} {fmt.rupiah(r.total)}" for r in ctx["turnover"]
        )
        specs["turnover"] = (
            grouped_bar(turnover_rows, "period", "what", "amount", labels(M + "chart.rp_million"), series,
                        [charts.MUTED, charts.ACCENT][-len(series):], value_format=",.0f"),
            turnover_alt,
        )
    if ctx["channels"]:
        label = ctx["channel_label"]
        names = list(dict.fromkeys(label(s) for s in ctx["channels"]))
        channel_rows = [
            {"period": s.label.get(lang), "channel": label(s), "share": s.share_shown,
             "rank": names.index(label(s))}
            for s in ctx["channels"]
        ]
        channel_alt = f"{labels(M + 'caption.channels_chart')}: " + "; ".join(
            f"{s.label.get(lang)} {label(s)} {fmt.percent(s.share_shown)}" for s in ctx["channels"]
        )
        specs["channels"] = (
            stacked_share(channel_rows, "period", "channel", "share", labels(M + "chart.share"), names),
            channel_alt,
        )
    return specs


# --- tables for notebooks -----------------------------------------------------------------------------

def _achieved(row: indicators.IndicatorRow) -> float | None:
    return row.achievement.pct if row.achievement is not None else None


def tables(ctx: dict, labels: Labels) -> dict[str, pd.DataFrame]:
    """The report's key tables, with the document's labels as column names."""
    lang = labels.lang
    periods = [p.label.get(lang) for p in ctx["periods"]]
    head = lambda key: labels(M + "head." + key)  # noqa: E731 - a short local alias
    indicator_table = pd.DataFrame(
        [[labels(M + "level." + r.level), capfirst(r.name.get(lang)), r.unit.get(lang), r.baseline, r.target,
          *r.actuals, _achieved(r)]
         for r in ctx["goals"] + ctx["programme_indicators"]],
        columns=[head("level"), head("indicator"), head("unit"), head("baseline"), head("target"), *periods,
                 head("achieved")],
    )
    success = pd.DataFrame(
        [[s.firm, ctx["period_name"][s.goal_period] if s.goal_period else "-", s.annual_turnover,
          s.by_goal, s.by_sales] for s in ctx["success"]],
        columns=[labels("head.firm"), head("goal_period"), head("annual_turnover"), head("by_goal"),
                 head("by_sales")],
    )
    conditions = pd.DataFrame(
        [[labels(f"condition.{r.key}"), r.baseline, r.latest, r.change] for r in ctx["conditions"]],
        columns=[labels("head.condition"), head("baseline_score"), head("latest_score"), head("change")],
    )
    completion = pd.DataFrame(
        [[r.title.get(lang), ctx["months"][r.id], labels(M + "status." + r.status), r.done_pct, r.planned,
          r.spent, r.spent_pct, r.reason.get(lang) if r.reason else None,
          r.note.get(lang) if r.note else None]
         for r in ctx["completion"].rows],
        columns=[head("programme"), head("months"), head("status"), head("done"), head("planned"),
                 head("spent"), head("spent_share"), labels(M + "programme.reason"),
                 labels(M + "programme.note")],
    )
    turnover = pd.DataFrame(
        [[r.label.get(lang), r.firms, r.total, r.baseline, r.change_pct] for r in ctx["turnover"]],
        columns=[head("period"), head("firms_observed"), head("turnover_total"), head("turnover_baseline"),
                 head("change_baseline")],
    )
    channels = pd.DataFrame(
        [[s.label.get(lang), ctx["channel_label"](s), s.firms, s.turnover, s.share_shown]
         for s in ctx["channels"]],
        columns=[head("period"), labels("head.channel"), labels("head.firms"), head("turnover_total"),
                 labels("head.share")],
    )
    V = M + "monev.variance."
    variance_table = pd.DataFrame(
        [[capfirst(v.name.get(lang)), labels(V + "aspect." + v.aspect), v.target, v.actual, v.gap,
          v.explanation.get(lang) if v.explanation else labels(V + "needed")] for v in ctx["variances"]],
        columns=[labels(V + "head.item"), labels(V + "head.variance"), labels(V + "head.target"),
                 labels(V + "head.actual"), labels(V + "head.gap"), labels(V + "head.reason")],
    )
    actions = pd.DataFrame(
        [[a.action.get(lang), capfirst(a.addresses_name.get(lang)), ctx["stakeholder_name"][a.by], a.due,
          a.past_due] for a in ctx["actions"]],
        columns=[labels(V + "head.action"), labels(V + "head.addresses"), labels(V + "head.by"),
                 labels(V + "head.due"), labels(V + "past_due")],
    )
    return {"indicators": indicator_table, "success_cases": success, "conditions": conditions,
            "completion": completion, "turnover": turnover, "channels": channels,
            "variances": variance_table, "corrective_actions": actions}


SPANS = {1: "month", 3: "quarter", 6: "half", 12: "year"}


def routine_span(routine: list, year: int) -> str | None:
    """The common length of the routine periods as a word key ('quarter' for four periods of three
    months), so that the report can say "empat triwulan"; None where they differ or are irregular."""
    months = set()
    start = dt.date(year, 1, 1)
    for p in routine:
        first = p.start or start
        nxt = p.end + dt.timedelta(days=1)
        span = (nxt.year - first.year) * 12 + nxt.month - first.month
        if first.day != 1 or nxt.day != 1:
            return None
        months.add(span)
        start = nxt
    return SPANS.get(months.pop()) if len(months) == 1 else None
