"""The action plan's logical framework and its risks: plain rows for the template.

The logical framework (logframe) reads the plan at four levels: the goal is the vision, measured by
the success cases; the purpose is the medium plan's goals with their indicators and yearly targets;
the outputs are what each programme delivers (its objective and indicator); the activities are each
programme's content, measured by its months and budget. Means of verification come from the
indicators, assumptions from the goals and programmes; the activities' assumption is the one every
schedule makes: that the money (or the contribution in kind) is there when the programme starts.
A cell the plan does not fill says "not recorded", never nothing.
"""

from __future__ import annotations

from dataclasses import dataclass

from cluster_reports.inputs.schema import ClusterParams, Plan

from .i18n import Formatter, Labels, capfirst, series

L = "plan.logframe."
R = "plan.risks."


@dataclass(frozen=True)
class LogframeRow:
    level: str  # "Purpose 2", in the document's language
    narrative: str
    indicator: str
    target: str
    verification: str
    assumptions: str
    # The row's key in its cells' block ids: "goal", "purpose-2", "output-<programme id>",
    # "activities-<programme id>" (stable when rows are added or removed around it).
    key: str = ""


@dataclass(frozen=True)
class RiskRow:
    number: int
    risk: str
    bears_on: str  # "3. Study tour" or "The whole plan"
    likelihood: str
    impact: str
    mitigation: str
    owner: str
    severe: bool  # high likelihood and high impact
    whole: bool  # bears on the whole plan, not on one programme


def _or_not_recorded(text, labels: Labels) -> str:
    return text.get(labels.lang) if text is not None else labels(L + "not_recorded")


def _named(name: str, unit: str) -> str:
    """'Firms that attended (average, firms)' where the name already ends in brackets."""
    name = capfirst(name)
    return f"{name[:-1]}, {unit})" if name.endswith(")") else f"{name} ({unit})"


def logframe_rows(plan: Plan, views: list, labels: Labels, vision_end: int) -> list[LogframeRow]:
    """The matrix, level by level; ``views`` are the action plan's programme views (title, months,
    cost and funding in the document's words)."""
    lang, fmt = labels.lang, Formatter(labels.lang)
    goal = plan.success_goal
    rows = [LogframeRow(
        labels(L + "level.goal"),
        plan.vision.get(lang),
        labels(L + "success_cases"),
        (labels(L + "target_cases").format(n=fmt.number(goal.target_cases), year=vision_end)
         if goal.target_cases is not None else labels(L + "not_recorded")),
        _or_not_recorded(goal.verification, labels),
        _or_not_recorded(goal.assumptions, labels),
        key="goal",
    )]
    years = [plan.year, plan.year + 1, plan.year + 2]
    for n, g in enumerate(plan.medium_plan, start=1):
        targets = ", ".join(f"{_figure(fmt, t)} ({y})" for t, y in zip(g.targets, years, strict=True))
        rows.append(LogframeRow(
            labels(L + "level.purpose").format(n=n),
            g.goal.get(lang),
            _named(g.indicator.name.get(lang), g.indicator.unit.get(lang)),
            labels(L + "target_with_baseline").format(
                targets=targets, baseline=_figure(fmt, g.indicator.baseline)),
            _or_not_recorded(g.indicator.verification, labels),
            _or_not_recorded(g.assumptions, labels),
            key=f"purpose-{n}",
        ))
    given = {p.id: p for p in plan.programmes}
    for v in views:
        ind = v.p.indicator
        rows.append(LogframeRow(
            labels(L + "level.output").format(n=v.number),
            f"{v.title}: {v.p.objective.get(lang)}",
            _named(ind.name.get(lang), ind.unit.get(lang)),
            labels(L + "target_with_baseline").format(
                targets=f"{_figure(fmt, ind.target)} ({plan.year})", baseline=_figure(fmt, ind.baseline)),
            _or_not_recorded(ind.verification, labels),
            _or_not_recorded(given[v.p.id].assumptions, labels),
            key=f"output-{v.p.id}",
        ))
    for v in views:
        content = [c.get(lang) for c in v.p.content]
        rows.append(LogframeRow(
            labels(L + "level.activities").format(n=v.number),
            # numbered as a logframe numbers activities (1.1, 1.2), so that items keep their own case
            f"{v.title}: " + "; ".join(f"{v.number}.{k} {c}" for k, c in enumerate(content, start=1))
            if content else v.title,
            labels(L + "activity_indicator"),
            f"{v.months}; {v.cost}",
            labels(L + "activity_verification"),
            _activity_assumption(v, plan.year, labels),
            key=f"activities-{v.p.id}",
        ))
    return rows


def _figure(fmt: Formatter, value: float) -> str:
    return fmt.number(value) if float(value).is_integer() else fmt.decimal(value, 1)


def _activity_assumption(v, year: int, labels: Labels) -> str:
    """The money each source gives is there by the programme's first month; a programme carried out
    in kind needs its contributions then."""
    start = f"{v.start_name} {year}"
    if not v.split:
        return labels(L + "assume_in_kind").format(start=start)
    phrases = [f.phrase for f in v.split]
    key = "assume_money_in_kind" if v.p.in_kind else "assume_money"
    return labels(L + key).format(sources=series(phrases, labels(L + "and"), labels.lang), start=start)


def risk_rows(params: ClusterParams, plan: Plan, views: list, labels: Labels) -> list[RiskRow]:
    lang = labels.lang
    names = {s.id: s.name for s in params.stakeholders}
    titles = {v.p.id: f"{v.number}. {v.title}" for v in views}
    return [
        RiskRow(n, r.risk.get(lang),
                labels(R + "whole_plan") if r.programme is None else titles[r.programme],
                labels(R + "rating." + r.likelihood), labels(R + "rating." + r.impact),
                r.mitigation.get(lang), names[r.owner], r.likelihood == "high" and r.impact == "high",
                r.programme is None)
        for n, r in enumerate(plan.risks, start=1)
    ]


def unset(rows: list[LogframeRow], labels: Labels) -> bool:
    """Whether any target, means of verification or assumption of the matrix is not recorded."""
    missing = labels(L + "not_recorded")
    return any(missing in (r.target, r.verification, r.assumptions) for r in rows)
