"""The prices a plan's money is in: which year's prices, which US dollar rate, and how old the
library budget lines it takes are.

A plan gives its own ``prices`` (year, rate, optional price index); without them its amounts are
read in the cluster's reference year at the cluster's rate, the way every plan was read before
plans could say so.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from cluster_reports.inputs.schema import ClusterParams, Plan, Text

from .budget import ResolvedProgramme


@dataclass(frozen=True)
class PriceBasis:
    year: int
    usd_rate: float
    rate_note: Text | None
    from_cluster: bool  # the plan gives no prices: the cluster's reference year and rate
    index: dict[int, float] = field(default_factory=dict)
    index_note: Text | None = None


def basis(plan: Plan, params: ClusterParams) -> PriceBasis:
    if plan.prices is None:
        return PriceBasis(params.reference_year, params.currency.usd_rate, params.currency.rate_note, True)
    p = plan.prices
    return PriceBasis(p.year, p.usd_rate, p.rate_note, False, dict(p.index), p.index_note)


def out_of_year(programme: ResolvedProgramme, prices: PriceBasis) -> bool:
    """Its budget lines come from the library in the prices of another year than the plan's, whether
    they were restated by the plan's index or taken unchanged."""
    return programme.costed_year is not None and programme.costed_year != prices.year
