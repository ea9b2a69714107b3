"""Which lessons of the pilot projects (the 2004 study, 2002-2003) and of SMIDeP (2013-2016) apply to a
cluster's monitoring, and why: each lesson carries the condition under which the report quotes it.

- passion (2004, section 3.5(2)): only firms with the passion to improve use the support. Quoted when
  fewer than half of the supported firms are success cases.
- trust (2004, 3.5(2)): reciprocal trust among the members shapes all four determinants. Quoted when
  the social-capital score fell or stays at 3 of 5 or below, or a programme serving social capital is
  off its plan.
- facilitator (2004, 3.5(2)): a capable facilitator, backed by a working group of stakeholders, guides
  the firms. Quoted when a programme is off its schedule (delayed, suspended, cancelled, not started
  or not finished in its months).
- stimulus (2004, 3.5(3)): a demanding buyer or a visit to a more advanced cluster moves firms that
  serve low-price markets. Quoted when the demand-conditions score fell, or did not rise and stays at
  3 of 5 or below.
- working_group_cost (SMIDeP): forming and running a Local Working Group takes much time, staff and
  effort. Quoted when the cluster works without a working group.
- records (SMIDeP ex-post evaluation, 2021): the supported firms' turnover could not be verified
  without records tracing them. Quoted when no supported firm was followed, when a supported firm
  misses a routine period, or when one has no baseline in the firm table.

SMIDeP's lessons are quoted only for plans of its time or later (from 2013): a plan of 2003 and its
report come before SMIDeP and are not measured by it.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from cluster_reports.inputs.schema import Monitoring

from .indicators import ConditionChange, routine_periods
from .variances import Variance

SMIDEP_START = 2013
WEAK = 3  # a score at or below it is not a strength (1 very weak ... 5 very strong)
SCHEDULE = ("delayed", "suspended", "cancelled", "not_started", "behind")


@dataclass(frozen=True)
class Lesson:
    key: str
    source: str  # "jica-2004" or "smidep"
    why: str  # which condition holds (label monitoring.pilot_lesson.<key>.why.<why>)
    values: dict = field(default_factory=dict)  # the figures the reason names


def applicable(monitoring: Monitoring, conditions: list[ConditionChange], variances: list[Variance],
               social_programmes: set[str], success: int, supported: list[str],
               firm_table: set[str], without_working_group: bool) -> list[Lesson]:
    """The lessons that apply, in the order above."""
    found = []
    smidep = monitoring.plan_year >= SMIDEP_START
    if supported and success * 2 < len(supported):
        found.append(Lesson("passion", "jica-2004", "few_successes",
                            {"n": success, "total": len(supported)}))
    social = next(c for c in conditions if c.key == "social_capital")
    off_social = sorted({v.item for v in variances if v.kind == "programme" and v.item in social_programmes})
    if social.change < 0 or social.latest <= WEAK:
        found.append(Lesson("trust", "jica-2004", "score", {"baseline": social.baseline,
                                                             "latest": social.latest}))
    elif off_social:
        found.append(Lesson("trust", "jica-2004", "programme", {"items": off_social}))
    behind = sorted({v.item for v in variances if v.kind == "programme" and v.aspect in SCHEDULE})
    if behind:
        found.append(Lesson("facilitator", "jica-2004", "behind", {"items": behind}))
    demand = next(c for c in conditions if c.key == "demand")
    if demand.change < 0 or (demand.change == 0 and demand.latest <= WEAK):
        found.append(Lesson("stimulus", "jica-2004", "score", {"baseline": demand.baseline,
                                                                "latest": demand.latest}))
    if smidep and without_working_group:
        found.append(Lesson("working_group_cost", "smidep", "without"))
    records = records_lesson(monitoring, supported, firm_table)
    if smidep and records is not None:
        found.append(records)
    return found


def records_lesson(monitoring: Monitoring, supported: list[str], firm_table: set[str]) -> Lesson | None:
    """The SMIDeP ex-post lesson on records, where this cluster's records of its firms have a gap."""
    routine = {p.id for p in routine_periods(monitoring)}
    seen: dict[str, set[str]] = {}
    for obs in monitoring.firms:
        seen.setdefault(obs.firm, set()).add(obs.period)
    gaps = [f for f in supported if not routine <= seen.get(f, set())]
    unknown = [f for f in supported if f not in firm_table]
    if not supported:
        return Lesson("records", "smidep", "none")
    if gaps:
        return Lesson("records", "smidep", "gaps", {"n": len(gaps), "total": len(supported)})
    if unknown:
        return Lesson("records", "smidep", "no_baseline", {"n": len(unknown), "total": len(supported)})
    return None
