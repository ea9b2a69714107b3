"""Firm structure of a cluster: size classes, totals and shares, the growth seeds, and the
sex-disaggregated figures (women-led firms, women workers) where the params give them."""

from __future__ import annotations

from dataclasses import dataclass

from cluster_reports.inputs.schema import ClusterParams, Firm
from cluster_reports.inputs.schema.cluster import SIZE_BOUNDS, SIZE_CLASSES, size_class  # noqa: F401 - part of this module's surface

from . import shares

# Average annual sales of a small industry in the study (Rp): a reference line for growth seeds.
SALES_REFERENCE = 700_000_000


@dataclass(frozen=True)
class SizeRow:
    size: str
    firms: int
    share_pct: float
    workers: int | None


@dataclass(frozen=True)
class WomenShare:
    """A sex-disaggregated figure: ``count`` of ``base``, recorded for ``known`` of the ``firms`` it
    covers. Women-led firms: the base is the firms known. Women workers: the base is the workers of
    the firms known (None where the sentra's workers are not given). ``surveyed`` when those firms are
    the table's sample of a larger sentra."""

    count: int
    base: int | None
    known: int
    firms: int
    surveyed: bool = False

    @property
    def complete(self) -> bool:
        return self.known == self.firms

    @property
    def share_pct(self) -> float | None:
        return _share(self.count, self.base) if self.base else None


def women_led_among(firms: list[Firm], surveyed: bool = False) -> WomenShare | None:
    """Women-led firms among these firms; None when it is recorded for none of them."""
    known = [f for f in firms if f.women_led is not None]
    if not known:
        return None
    led = sum(1 for f in known if f.women_led)
    return WomenShare(led, len(known), len(known), len(firms), surveyed)


def women_workers_among(firms: list[Firm], surveyed: bool = False) -> WomenShare | None:
    """Women workers of these firms, against the workers of the firms that record them."""
    known = [f for f in firms if f.women_workers is not None]
    if not known:
        return None
    return WomenShare(sum(f.women_workers for f in known), sum(f.workers for f in known), len(known),
                      len(firms), surveyed)


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
    women_led: WomenShare | None = None  # the sentra's count, else the firm table's
    women_workers: WomenShare | None = None

    @property
    def has_table(self) -> bool:
        return self.potentially_viable is not None

    @property
    def micro_small_share_pct(self) -> float:
        """Micro and small firms' share of all, from their counts (28 of 33 is 84.8%, while the
        rounded class shares 18.2 and 66.7 would add up to 84.9)."""
        small = sum(r.firms for r in self.rows if r.size in ("micro", "small"))
        return _share(small, self.total_firms)

    @property
    def workers_by_class(self) -> bool:
        """Workers per size class are known only when the table is the whole sentra."""
        return self.has_table and self.surveyed is None


def _share(part: int, whole: int) -> float:
    return shares.share(part, whole)


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
    # The size classes share out the firms: their shares add up to 100 (largest remainder).
    class_shares = dict(zip(SIZE_CLASSES, shares.shares([counts[s] for s in SIZE_CLASSES]), strict=True))
    rows = [
        SizeRow(s, counts[s], class_shares[s], workers[s] if whole else None)
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
        **_women(params, total, table, whole),
    )


def _women(params: ClusterParams, total: int, table: list[Firm], whole: bool) -> dict:
    """The sentra's own counts where given (they cover every firm), else what the firm table records."""
    firms = params.firms
    led = women_led_among(table, surveyed=not whole)
    if firms.women_led is not None:
        led = WomenShare(firms.women_led, total, total, total)
    workers = women_workers_among(table, surveyed=not whole)
    if firms.women_workers is not None:
        all_workers = params.workers if params.workers is not None else (
            sum(f.workers for f in table) if whole and table else None)
        workers = WomenShare(firms.women_workers, all_workers, total, total)
    return {"women_led": led, "women_workers": workers}
