"""Founding years of a cluster's firms, summarised from the firm table's ``established`` field.

The history chapter of the profile states how many firms have the year recorded, the earliest and
the latest, the year by which half of them had been founded, and how many were founded per decade.
A firm without the year is counted as not recorded, never guessed.
"""

from __future__ import annotations

from dataclasses import dataclass

from cluster_reports.inputs.schema import ClusterParams

from . import shares


@dataclass(frozen=True)
class Decade:
    first: int  # 1980 for the years 1980-1989
    firms: int
    share_pct: float  # of the firms with the year recorded; shares add up to 100 (largest remainder)
    until: int | None = None  # the last decade ends with the reference year: "2000-2003" in a 2003 report

    @property
    def last(self) -> int:
        return self.until if self.until is not None else self.first + 9


@dataclass(frozen=True)
class FoundingYears:
    firms: int  # firms in the table (the whole sentra, or the firms surveyed)
    recorded: int  # of them, with the founding year recorded
    surveyed: bool  # the table is a sample of the sentra, not all its firms
    earliest: int | None
    latest: int | None
    # The lower median: at least half of the recorded firms were founded in this year or earlier, so
    # "half were founded by 1990" stays true for an even count (no year 1990.5).
    half_by: int | None
    oldest: tuple[str, ...]  # firms founded in the earliest year (ties kept)
    decades: tuple[Decade, ...]

    @property
    def complete(self) -> bool:
        return self.recorded == self.firms


def founding_years(params: ClusterParams) -> FoundingYears:
    table = params.firms.table or []
    years = sorted(f.established for f in table if f.established is not None)
    surveyed = bool(table) and params.firms.by_size is not None
    if not years:
        return FoundingYears(len(table), 0, surveyed, None, None, None, (), ())
    # Every decade from the first to the last, a decade without a founding included (a gap is a fact).
    firsts = list(range(years[0] - years[0] % 10, years[-1] - years[-1] % 10 + 1, 10))
    counts = [sum(1 for y in years if y - y % 10 == d) for d in firsts]
    decade_shares = shares.shares(counts)
    until = max(years[-1], params.reference_year)
    return FoundingYears(
        firms=len(table),
        recorded=len(years),
        surveyed=surveyed,
        earliest=years[0],
        latest=years[-1],
        half_by=years[(len(years) - 1) // 2],
        oldest=tuple(f.name for f in table if f.established == years[0]),
        decades=tuple(Decade(d, n, s, min(d + 9, until) if d == firsts[-1] else None)
                      for d, n, s in zip(firsts, counts, decade_shares, strict=True)),
    )
