"""The national action programmes of the study's Table 5.1 in a roll-up (sections 5.2-5.3): each with
its lead, the agencies involved, its schedule and the budget the study gives, from the programme
library; and what the area's cluster plans put into it, from the clusters' summaries.

A plan's money is in the prices of one year (its own, or the library's costing year for library
lines it takes unchanged): the sums here are per price year and never add Rupiah of different years.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path

from cluster_reports import resources
from cluster_reports.domain import budget
from cluster_reports.domain.summary import ClusterSummary
from cluster_reports.inputs import programmes
from cluster_reports.inputs.programmes import ProgrammeLibrary
from cluster_reports.inputs.schema import LibraryProgramme

from .i18n import Formatter, Labels


@dataclass(frozen=True)
class Draw:
    """What one cluster's plan puts into a programme, in one year's prices."""

    cluster: str  # the cluster's name in the document's language
    cluster_id: str
    province: str
    year: int
    amount: int


@dataclass(frozen=True)
class YearSum:
    """The plans' budget for a programme in one year's prices (one province's, or the area's)."""

    year: int
    plans: int
    amount: int
    province: str | None = None  # the national table's rows are per province


@dataclass(frozen=True)
class ProgrammeRow:
    id: str
    number: int | None
    title: str
    lead: str
    agencies: str
    schedule: str
    budget: str  # the study's estimate as a table cell ("Rp 3.000.000 per kabupaten")
    costed_year: int | None  # None: the study gives no figure
    draws: list[Draw] = field(default_factory=list)
    by_year: list[YearSum] = field(default_factory=list)  # over the whole area, per price year
    by_province: list[YearSum] = field(default_factory=list)  # per province and price year

    @property
    def plans(self) -> int:
        return len({d.cluster_id for d in self.draws})


def library_for(folder: Path | None) -> ProgrammeLibrary:
    """The programme library a roll-up presents: the one given, else the shipped one."""
    return programmes.load(folder or resources.shipped_programmes())


def _schedule(p: LibraryProgramme, lang: str, labels: Labels, prefix: str) -> str:
    steps = []
    for step in p.schedule:
        when = []
        if step.months is not None and float(step.months).is_integer():
            when.append(labels.count(prefix + "programmes.months", int(step.months)))
        elif step.months is not None:  # 1.5 months: "1,5 bulan", "1.5 months"
            decimal = Formatter(lang).decimal(step.months)
            when.append(labels(prefix + "programmes.months.other").format(n=decimal))
        if step.note is not None:
            when.append(step.note.get(lang))
        steps.append(step.activity.get(lang) + (f": {', '.join(when)}" if when else ""))
    return "; ".join(steps) if steps else labels(prefix + "programmes.no_schedule")


def _budget(p: LibraryProgramme, lang: str, labels: Labels, prefix: str) -> str:
    if not p.budget:
        return labels(prefix + "programmes.not_costed")
    fmt = Formatter(lang)
    total = sum(budget.amount(line) for line in p.budget)
    only = p.budget[0]
    if len(p.budget) == 1 and only.quantity == 1 and only.times == 1:  # a rate per unit (per regency)
        return labels(prefix + "programmes.per_unit").format(amount=fmt.rupiah(total),
                                                             unit=only.unit.get(lang))
    return fmt.rupiah(total)


def _sums(draws: list[Draw], by_province: bool) -> list[YearSum]:
    groups: dict[tuple, list[Draw]] = {}
    for d in draws:
        groups.setdefault((d.province if by_province else None, d.year), []).append(d)
    return [YearSum(year, len({d.cluster_id for d in items}), sum(d.amount for d in items), province)
            for (province, year), items in sorted(groups.items(), key=lambda kv: (kv[0][0] or "", kv[0][1]))]


def chapter(summaries: list[ClusterSummary], library: ProgrammeLibrary | None, labels: Labels,
            prefix: str) -> dict:
    """The chapter's context for the clusters of the area (their round peers left out by the caller);
    ``prefix``: the roll-up's label prefix ("province-summary.", "national-summary.")."""
    lang = labels.lang
    library = library or library_for(None)
    national = sorted((p for p in library.programmes.values() if p.source == "national"),
                      key=lambda p: (p.number or 99, p.id))
    draws: dict[str, list[Draw]] = {}
    for s in sorted(summaries, key=lambda s: (s.province, getattr(s, f"name_{lang}"), s.id)):
        for key, year, amount in s.plan_programmes:
            draws.setdefault(key, []).append(Draw(getattr(s, f"name_{lang}"), s.id, s.province, year, amount))
    rows = [
        ProgrammeRow(
            id=p.id, number=p.number, title=p.title.get(lang),
            lead=(p.initiative or p.who).get(lang), agencies=p.who.get(lang),
            schedule=_schedule(p, lang, labels, prefix), budget=_budget(p, lang, labels, prefix),
            costed_year=p.costed_year if p.budget else None,
            draws=draws.get(p.id, []),
            by_year=_sums(draws.get(p.id, []), False),
            by_province=_sums(draws.get(p.id, []), True),
        )
        for p in national
    ]
    with_plan = [s for s in summaries if s.plan_year is not None]
    known = {r.id for r in rows}
    drawing = {s.id for s in with_plan if any(k in known for k, _, _ in s.plan_programmes)}
    most = max((r.plans for r in rows), default=0)
    return {
        "rows": rows,
        "plans": len(with_plan),
        "plans_drawing": len(drawing),
        "provinces_drawing": len({s.province for s in with_plan if s.id in drawing}),
        "undrawn": [r for r in rows if not r.draws],
        "most_drawn": [r for r in rows if most and r.plans == most],
        "most_plans": most,
        "price_years": sorted({d.year for r in rows for d in r.draws}),
        "costed_years": sorted({r.costed_year for r in rows if r.costed_year is not None}),
        "costed": sum(1 for r in rows if r.costed_year is not None),
    }
