"""The selection method of the 2004 study (Table 3.1): growth opportunity plus action-taking capacity.

The percentage is (growth + action) / 90, to one decimal, rounded half up as the study's table is.
Clusters are ranked within their group. The first of a group is its pilot only by a real lead: a
score above 0 that no other cluster of the group shares. A score of 0 leads nothing, and clusters
tied at the top leave the choice to the forum (the method gives no rule to break the tie), so such a
group has no pilot by the score.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from decimal import ROUND_HALF_UP, Decimal

from cluster_reports.inputs.schema import ACTION_CAPACITY_MAX, GROWTH_OPPORTUNITY_MAX, ClusterParams

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
    selected: bool  # the group's pilot: first, alone, and above 0
    tied: bool = False  # shares its rank with another cluster of the group

    @property
    def total(self) -> int:
        return self.growth + self.action


@dataclass(frozen=True)
class Entry:
    """What ranking needs of a cluster."""

    id: str
    group: str
    growth: int
    action: int


def rank(entries: Iterable[Entry]) -> dict[str, ScoredCluster]:
    """Score and rank every cluster within its group; equal percentages share a rank."""
    by_group: dict[str, list[Entry]] = {}
    for e in entries:
        by_group.setdefault(e.group, []).append(e)
    result: dict[str, ScoredCluster] = {}
    for group, members in by_group.items():
        scored = [(selection_percentage(e.growth, e.action), e) for e in members]
        scored.sort(key=lambda pe: (-pe[0], pe[1].id))
        position_rank = 0
        previous = None
        counts: dict[Decimal, int] = {}
        for pct, _ in scored:
            counts[pct] = counts.get(pct, 0) + 1
        for position, (pct, e) in enumerate(scored, start=1):
            if pct != previous:
                position_rank, previous = position, pct
            result[e.id] = ScoredCluster(
                cluster_id=e.id,
                group=group,
                growth=e.growth,
                action=e.action,
                percentage=pct,
                rank=position_rank,
                selected=position_rank == 1 and counts[pct] == 1 and pct > 0,
                tied=counts[pct] > 1,
            )
    return result


def entry(params: ClusterParams) -> Entry:
    return Entry(params.id, params.group.value, params.selection.growth_opportunity,
                 params.selection.action_capacity)


def rank_clusters(clusters: Iterable[ClusterParams]) -> dict[str, ScoredCluster]:
    return rank(entry(c) for c in clusters)
