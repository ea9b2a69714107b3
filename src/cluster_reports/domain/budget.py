"""Plan arithmetic: programmes resolved against the library, budget lines, totals.

Amounts are whole Rupiah: quantity x times x rate, rounded half up (budgets are written that way by
hand). A programme without its own budget lines takes its library programme's lines, in the prices of
the year the library costed them in, or restated in the plan's prices where the plan gives a price
index (``prices.index``). An in-kind programme never takes the library's lines and may cost Rp 0.
"""

from __future__ import annotations

from dataclasses import dataclass
from decimal import ROUND_HALF_UP, Decimal

from cluster_reports.inputs.programmes import ProgrammeLibrary
from cluster_reports.inputs.schema import BudgetLine, Funding, LibraryProgramme, Plan, Programme, Text
from cluster_reports.inputs.schema.common import Condition
from cluster_reports.inputs.schema.plan import Prices, ProgrammeIndicator


@dataclass(frozen=True)
class Line:
    item: Text
    quantity: float
    unit: Text
    times: float
    times_unit: Text | None
    rate: int
    funding: Funding
    amount: int


@dataclass(frozen=True)
class ResolvedProgramme:
    id: str
    title: Text
    objective: Text
    content: list[Text]
    library: LibraryProgramme | None
    condition: Condition | None
    lead: str
    partners: list[str]
    start_month: int
    end_month: int
    duration_months: int
    funding: Funding
    lines: list[Line]
    total: int
    indicator: ProgrammeIndicator
    budget_from_library: bool
    in_kind: bool = False
    # The year whose prices the library lines taken are in (None: the plan's own lines), and whether
    # they were restated in the plan's prices by its price index.
    costed_year: int | None = None
    restated: bool = False


def amount(line: BudgetLine) -> int:
    value = Decimal(str(line.quantity)) * Decimal(str(line.times)) * line.rate
    return int(value.quantize(Decimal(1), rounding=ROUND_HALF_UP))


def restated_rate(rate: int, costed_year: int, prices: Prices) -> int:
    """A rate of ``costed_year`` in the plan's prices: rate x index(plan year) / index(costed year),
    whole Rupiah rounded half up."""
    value = Decimal(rate) * Decimal(str(prices.index[prices.year])) / Decimal(str(prices.index[costed_year]))
    return int(value.quantize(Decimal(1), rounding=ROUND_HALF_UP))


def resolve(programme: Programme, library: ProgrammeLibrary | None,
            prices: Prices | None = None) -> ResolvedProgramme:
    """``prices``: the plan's, whose index (if any) restates library lines of another year."""
    entry = library.get(programme.library) if library is not None and programme.library else None
    if programme.library and entry is None:
        raise ValueError(f"programme {programme.id!r}: library programme {programme.library!r} not found")
    own_budget = bool(programme.budget) or programme.in_kind
    source_lines = programme.budget if own_budget else (entry.budget if entry else [])
    costed_year = entry.costed_year if entry is not None and not own_budget and source_lines else None
    restate = (costed_year is not None and prices is not None and costed_year != prices.year
               and costed_year in prices.index and prices.year in prices.index)
    if restate:
        assert costed_year is not None and prices is not None
        source_lines = [b.model_copy(update={"rate": restated_rate(b.rate, costed_year, prices)})
                        for b in source_lines]
    lines = [
        Line(
            item=b.item, quantity=b.quantity, unit=b.unit, times=b.times, times_unit=b.times_unit,
            rate=b.rate, funding=b.funding or programme.funding, amount=amount(b),
        )
        for b in source_lines
    ]
    title = programme.title or (entry.title if entry else None)
    objective = programme.objective or (entry.why if entry else None)
    if title is None or objective is None:
        raise ValueError(f"programme {programme.id!r} has no title or objective")
    return ResolvedProgramme(
        id=programme.id,
        title=title,
        objective=objective,
        content=programme.content or (list(entry.what) if entry else []),
        library=entry,
        condition=programme.condition,
        lead=programme.lead,
        partners=list(programme.partners),
        start_month=programme.start_month,
        end_month=programme.end_month,
        duration_months=programme.duration_months,
        funding=programme.funding,
        lines=lines,
        total=sum(line.amount for line in lines),
        indicator=programme.indicator,
        budget_from_library=not own_budget,
        in_kind=programme.in_kind,
        costed_year=costed_year,
        restated=restate,
    )


def resolve_plan(plan: Plan, library: ProgrammeLibrary | None) -> list[ResolvedProgramme]:
    """The plan's programmes in schedule order (start month, then plan order)."""
    resolved = [resolve(p, library, plan.prices) for p in plan.programmes]
    return sorted(resolved, key=lambda p: p.start_month)


def total(programmes: list[ResolvedProgramme]) -> int:
    return sum(p.total for p in programmes)


def by_funding(programmes: list[ResolvedProgramme]) -> dict[Funding, int]:
    """Budget per funding source, in the order of the Funding enumeration; sources with nothing left out."""
    sums = {source: 0 for source in Funding}
    for programme in programmes:
        for line in programme.lines:
            sums[line.funding] += line.amount
    return {source: value for source, value in sums.items() if value}


def months_active(programme: ResolvedProgramme) -> list[int]:
    return list(range(programme.start_month, programme.end_month + 1))
