"""The figures that bear on each OECD DAC evaluation criterion, taken from what the monitoring report
already computes (never estimated): the evaluator's assessment is set beside them.

- relevance: the weakest conditions at baseline and how many programmes mainly serve them;
- coherence: the stakeholders who lead or join the programmes, and the funding sources;
- effectiveness: indicators at their target, success cases among the supported firms;
- efficiency: budget spent against planned, programmes finished, the budget-weighted completion;
- impact: the supported firms' turnover against baseline (routine periods and the latest evaluation),
  conditions whose score rose;
- sustainability: the share of the budget the firms fund themselves, the social-capital score, and
  the programmes that build the cluster's social capital (its meetings) finished.
"""

from __future__ import annotations

from dataclasses import dataclass

from cluster_reports.inputs.schema import Monitoring
from cluster_reports.inputs.schema.monitoring import DAC_CRITERIA, DacAssessment
from cluster_reports.inputs.schema.plan import Funding

from .budget import ResolvedProgramme, by_funding
from .evaluations import Evaluation
from .indicators import Completion, ConditionChange, IndicatorRow


@dataclass(frozen=True)
class Figure:
    key: str  # the measure (label monitoring.dac.figure.<key>)
    # "of": n of total; "pct": a share or a change in %; "rp_of": Rupiah n of total; "score": from n to
    # total; "count": n; "conditions": the condition keys in names, at score n
    kind: str
    n: float
    total: float | None = None
    names: tuple[str, ...] = ()
    period: str | None = None  # the evaluation period a figure is from


@dataclass(frozen=True)
class Criterion:
    key: str
    assessment: DacAssessment | None  # None: not assessed
    figures: list[Figure]


def figures(programmes: list[ResolvedProgramme], rows: list[IndicatorRow], completion: Completion,
            conditions: list[ConditionChange], success: int, supported: int,
            year_change_pct: float | None, evaluations: list[Evaluation]) -> dict[str, list[Figure]]:
    found: dict[str, list[Figure]] = {k: [] for k in DAC_CRITERIA}
    low = min(c.baseline for c in conditions)
    weakest = tuple(c.key for c in conditions if c.baseline == low)
    found["relevance"].append(Figure("weakest", "conditions", low, names=weakest))
    named = [p for p in programmes if p.condition is not None]
    if named:
        serving = sum(1 for p in named if p.condition.value in weakest)
        found["relevance"].append(Figure("serving_weakest", "of", serving, len(programmes)))
    involved = {p.lead for p in programmes} | {s for p in programmes for s in p.partners}
    found["coherence"].append(Figure("stakeholders", "count", len(involved)))
    found["coherence"].append(Figure("leads", "count", len({p.lead for p in programmes})))
    funding = by_funding(programmes)
    if funding:
        found["coherence"].append(Figure("funding_sources", "count", len(funding)))
    met = sum(1 for r in rows if r.achievement is not None and r.achievement.met)
    found["effectiveness"].append(Figure("indicators_met", "of", met, len(rows)))
    if supported:
        found["effectiveness"].append(Figure("success_cases", "of", success, supported))
    if completion.planned:
        found["efficiency"].append(Figure("budget_spent", "rp_of", completion.spent, completion.planned))
        found["efficiency"].append(Figure("spent_share", "pct", completion.spent_pct or 0.0))
    found["efficiency"].append(Figure("programmes_done", "of", completion.done, completion.count))
    found["efficiency"].append(Figure("completion", "pct", completion.done_pct))
    if year_change_pct is not None:
        found["impact"].append(Figure("turnover_change", "pct", year_change_pct))
    later = [e for e in evaluations if e.firms is not None and e.firms.change_pct is not None]
    if later:
        e = later[-1]
        found["impact"].append(Figure("evaluation_turnover_change", "pct", e.firms.change_pct,
                                      period=e.period.id))
    found["impact"].append(Figure("conditions_improved", "of", sum(1 for c in conditions if c.change > 0),
                                  len(conditions)))
    total = sum(funding.values())
    if total:
        found["sustainability"].append(Figure("self_funded", "pct",
                                              funding.get(Funding.self_funded, 0) / total * 100))
    social = next(c for c in conditions if c.key == "social_capital")
    found["sustainability"].append(Figure("social_capital", "score", social.baseline, social.latest))
    meetings = [r for r, p in zip(completion.rows, programmes, strict=True)
                if p.condition is not None and p.condition.value == "social_capital"]
    if meetings:
        found["sustainability"].append(Figure("social_programmes_done", "of",
                                              sum(1 for r in meetings if r.status == "done"), len(meetings)))
    return found


def criteria(monitoring: Monitoring, found: dict[str, list[Figure]]) -> list[Criterion]:
    """The six criteria in order, each with the evaluator's assessment where given."""
    given = monitoring.dac
    return [Criterion(k, getattr(given, k) if given is not None else None, found[k]) for k in DAC_CRITERIA]
