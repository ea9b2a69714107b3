"""The selection method of the 2004 study (Table 3.1): growth opportunity plus action-taking capacity.

The percentage is (growth + action) / 90, to one decimal, rounded half up as the study's table is.
Clusters are ranked within their group; the first of each group is its pilot.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from decimal import ROUND_HALF_UP, Decimal

from .schema import ACTION_CAPACITY_MAX, GROWTH_OPPORTUNITY_MAX, ClusterParams

TOTAL_MAX = GROWTH_OPPORTUNITY_MAX + ACTION_CAPACITY_MAX


def selection_percentage(growth: int, action: int) -> Decimal:
    if not 0 <= growth <= GROWTH_OPPORTUNITY_MAX or not 0 <= action <= ACTION_CAPACITY_MAX:
        raise ValueError(f"scores out of range: growth {growth}, action {action}")
    share = Decimal(growth + action) * 100 / TOTAL_MAX
    return share.quantize(Decimal("0.1"), rounding=ROUND_HALF_UP)


@dataclass(frozen=True)
class ScoredCluster:
    cluster_id: str
    group: str
    growth: int
    action: int
    percentage: Decimal
    rank: int
    selected: bool

    @property
    def total(self) -> int:
        return self.growth + self.action


def rank_clusters(clusters: Iterable[ClusterParams]) -> dict[str, ScoredCluster]:
    """Score and rank every cluster within its group; equal percentages share a rank."""
    by_group: dict[str, list[ClusterParams]] = {}
    for c in clusters:
        by_group.setdefault(c.group.value, []).append(c)
    result: dict[str, ScoredCluster] = {}
    for group, members in by_group.items():
        scored = [
            (selection_percentage(c.selection.growth_opportunity, c.selection.action_capacity), c)
            for c in members
        ]
        scored.sort(key=lambda pc: (-pc[0], pc[1].id))
        rank = 0
        previous = None
        for position, (pct, c) in enumerate(scored, start=1):
            if pct != previous:
                rank, previous = position, pct
            result[c.id] = ScoredCluster(
                cluster_id=c.id,
                group=group,
                growth=c.selection.growth_opportunity,
                action=c.selection.action_capacity,
                percentage=pct,
                rank=rank,
                selected=rank == 1,
            )
    return result

