"""Firm structure of a cluster: size classes, totals and shares, and the growth seeds."""

from __future__ import annotations

from dataclasses import dataclass

from .schema import ClusterParams, Firm

SIZE_CLASSES = ("micro", "small", "medium", "large")
# Lower bound of workers for each class, as the study and BPS define them.
SIZE_BOUNDS = {"micro": 1, "small": 5, "medium": 20, "large": 100}
# Average annual sales of a small industry in the study (Rp): a reference line for growth seeds.
SALES_REFERENCE = 700_000_000


def size_class(workers: int) -> str:
    if workers < 1:
        raise ValueError("a firm has at least one worker")
    if workers < 5:
        return "micro"
    if workers < 20:
        return "small"
    if workers < 100:
        return "medium"
    return "large"


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
    potentially_viable: list[Firm] | None  # named firms, when the params have a firm table
    potentially_viable_count: int | None
    above_reference: list[Firm] | None
    cooperative_members: int | None

    @property
    def has_table(self) -> bool:
        return self.potentially_viable is not None


def _share(part: int, whole: int) -> float:
    return round(100 * part / whole, 1) if whole else 0.0


def structure(params: ClusterParams) -> FirmStructure:
    firms = params.firms
    if firms.table:
        table = firms.table
        counts = {s: 0 for s in SIZE_CLASSES}
        workers = {s: 0 for s in SIZE_CLASSES}
        for f in table:
            cls = size_class(f.workers)
            counts[cls] += 1
            workers[cls] += f.workers
        total = len(table)
        rows = [SizeRow(s, counts[s], _share(counts[s], total), workers[s]) for s in SIZE_CLASSES]
        viable = [f for f in table if f.willing_to_improve]
        above = sorted(
            (f for f in table if f.annual_sales > SALES_REFERENCE), key=lambda f: -f.annual_sales
        )
        return FirmStructure(
            rows=rows,
            total_firms=total,
            total_workers=sum(f.workers for f in table),
            total_sales=sum(f.annual_sales for f in table),
            potentially_viable=viable,
            potentially_viable_count=len(viable),
            above_reference=above,
            cooperative_members=sum(1 for f in table if f.cooperative_member),
        )
    assert firms.by_size is not None  # the schema requires one of the two
    counts = firms.by_size.model_dump()
    total = sum(counts.values())
    rows = [SizeRow(s, counts[s], _share(counts[s], total), None) for s in SIZE_CLASSES]
    return FirmStructure(
        rows=rows,
        total_firms=total,
        total_workers=params.workers,
        total_sales=params.annual_sales,
        potentially_viable=None,
        potentially_viable_count=firms.potentially_viable,
        above_reference=None,
        cooperative_members=firms.cooperative_members,
    )
