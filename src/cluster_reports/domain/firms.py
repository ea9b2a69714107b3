"""Firm structure of a cluster: size classes, totals and shares, and the growth seeds."""

from __future__ import annotations

from dataclasses import dataclass

from cluster_reports.inputs.schema import ClusterParams, Firm
from cluster_reports.inputs.schema.cluster import SIZE_BOUNDS, SIZE_CLASSES, size_class  # noqa: F401 - part of this module's surface

# Average annual sales of a small industry in the study (Rp): a reference line for growth seeds.
SALES_REFERENCE = 700_000_000


@dataclass(frozen=True)
class SizeRow:
    size: str
    firms: int
    share_pct: float
    workers: int | None


@dataclass(frozen=True)
class FirmStructure:
    rows: list[SizeRow]
    total_firms: int
    total_workers: int | None
    total_sales: int | None
    surveyed: int | None  # firms in the table, when it is a sample of a larger sentra
    potentially_viable: list[Firm] | None  # named firms, when the params have a firm table
    potentially_viable_count: int | None
    above_reference: list[Firm] | None
    cooperative_members: int | None

    @property
    def has_table(self) -> bool:
        return self.potentially_viable is not None

    @property
    def workers_by_class(self) -> bool:
        """Workers per size class are known only when the table is the whole sentra."""
        return self.has_table and self.surveyed is None


def _share(part: int, whole: int) -> float:
    return round(100 * part / whole, 1) if whole else 0.0


def structure(params: ClusterParams) -> FirmStructure:
    firms = params.firms
    table = firms.table or []
    counts = {s: 0 for s in SIZE_CLASSES}
    workers = {s: 0 for s in SIZE_CLASSES}
    for f in table:
        cls = size_class(f.workers)
        counts[cls] += 1
        workers[cls] += f.workers
    whole = firms.by_size is None  # the table, if any, is the whole sentra
    if not whole:
        counts = firms.by_size.model_dump()
    total = sum(counts.values())
    rows = [
        SizeRow(s, counts[s], _share(counts[s], total), workers[s] if whole else None)
        for s in SIZE_CLASSES
    ]
    viable = [f for f in table if f.willing_to_improve] if table else None
    above = sorted(
        (f for f in table if f.annual_sales > SALES_REFERENCE), key=lambda f: -f.annual_sales
    ) if table else None
    table_workers = sum(f.workers for f in table) if whole and table else None
    table_sales = sum(f.annual_sales for f in table) if whole and table else None
    if firms.potentially_viable is not None:
        viable_count = firms.potentially_viable
    else:
        viable_count = len(viable) if viable is not None and whole else None
    members = firms.cooperative_members
    if members is None and whole and table:
        members = sum(1 for f in table if f.cooperative_member)
    return FirmStructure(
        rows=rows,
        total_firms=total,
        total_workers=params.workers if params.workers is not None else table_workers,
        total_sales=params.annual_sales if params.annual_sales is not None else table_sales,
        surveyed=None if whole else len(table) or None,
        potentially_viable=viable,
        potentially_viable_count=viable_count,
        above_reference=above,
        cooperative_members=members,
    )
