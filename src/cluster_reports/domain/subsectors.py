"""Sub-sectors (4-digit ISIC) and what roll-ups add up over cluster summaries.

Holds the study's Table 2.1 (the ten largest sub-sectors of clusters, 1996, source MOIT) as data,
the names of sub-sectors in both languages, and the sums and shares every roll-up table uses.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from fractions import Fraction

from .extremes import extremes
from .scoring import TOTAL_MAX
from .shares import half_up, share
from .shares import shares as largest_remainder_shares
from .summary import ClusterSummary


@dataclass(frozen=True)
class StudySubsector:
    """A row of Table 2.1. Value added is in thousand Rupiah, as the table gives it."""

    number: int
    isic: str
    name_en: str
    name_id: str
    enterprises: int
    workers: int
    value_added_thousand: int
    clusters: int

    @property
    def value_added(self) -> int:
        """In Rupiah."""
        return self.value_added_thousand * 1000


# Table 2.1 of the 2004 study, ordered as there: by number of workers ("labors").
TABLE_2_1: tuple[StudySubsector, ...] = (
    StudySubsector(1, "3313", "Plaited goods of wood, rattan and bamboo",
                   "Barang anyaman dari kayu, rotan, dan bambu", 107_350, 229_000, 86_789_000, 1_433),
    StudySubsector(2, "3642", "Bricks and roof tiles", "Batu bata dan genteng",
                   45_530, 175_000, 243_412_000, 935),
    StudySubsector(3, "3118", "Sugar processing", "Pengolahan gula", 63_760, 126_000, 20_643_000, 677),
    StudySubsector(4, "3211", "Spinning, weaving and textiles", "Pemintalan, pertenunan, dan tekstil",
                   51_930, 117_500, 73_028_000, 880),
    StudySubsector(5, "3124", "Tempe from soybeans", "Tempe kedelai", 25_660, 65_500, 295_317_000, 660),
    StudySubsector(6, "3125", "Chips of all kinds (food)", "Aneka keripik (makanan)",
                   22_630, 64_700, 27_624_000, 413),
    StudySubsector(7, "3221", "Wearing apparel", "Pakaian jadi", 16_030, 62_400, 67_104_000, 454),
    StudySubsector(8, "3321", "Furniture of wood, rattan and bamboo", "Mebel dari kayu, rotan, dan bambu",
                   13_030, 53_690, 50_284_000, 468),
    StudySubsector(9, "3127", "Cakes, pastries and similar products", "Kue, roti, dan sejenisnya",
                   15_210, 44_490, 17_649_000, 327),
    StudySubsector(10, "3710", "Basic iron and steel products", "Produk dasar besi dan baja",
                   9_980, 35_950, 22_598_000, 458),
)


@dataclass(frozen=True)
class StudyTotals:
    enterprises: int
    workers: int
    value_added_thousand: int
    clusters: int

    @property
    def value_added(self) -> int:
        return self.value_added_thousand * 1000


# The table's sub-total of the ten and its total over all sub-sectors (1996).
TABLE_2_1_SUBTOTAL = StudyTotals(371_110, 974_230, 904_448_000, 6_705)
TABLE_2_1_TOTAL = StudyTotals(475_000, 1_295_000, 1_270_405_380, 9_800)

# Sub-sectors outside Table 2.1 that the sample uses, named after ISIC Rev. 2. Other codes take the
# description their clusters give most often.
OTHER_NAMES: dict[str, tuple[str, str]] = {
    "3529": ("Chemical products not elsewhere classified", "Produk kimia lainnya"),
    "3811": ("Cutlery, hand tools and general hardware",
             "Alat potong, perkakas tangan, dan barang logam umum"),
    "3819": ("Fabricated metal products not elsewhere classified",
             "Barang dari logam yang tidak diklasifikasikan di tempat lain"),
}

NAMES: dict[str, tuple[str, str]] = {
    **OTHER_NAMES,
    **{row.isic: (row.name_en, row.name_id) for row in TABLE_2_1},
}


def subsector_name(isic: str, lang: str, members: Iterable[ClusterSummary] = ()) -> str:
    """The sub-sector's name; for a code the package does not name, its clusters' commonest
    description (the shortest of equally common ones)."""
    known = NAMES.get(isic)
    if known:
        return known[0] if lang == "en" else known[1]
    counts = Counter(getattr(s, f"industry_{lang}") for s in members)
    if not counts:
        return isic
    return min(counts, key=lambda text: (-counts[text], len(text), text))


def shares(values: list[int | float], places: int = 1) -> list[float]:
    """Percentages of the total, rounded so that the rounded ones add up to exactly 100
    (largest remainder), as a reader adding up a share column expects."""
    return largest_remainder_shares(values, places)


@dataclass(frozen=True)
class Totals:
    """Sums over a set of clusters. Workers, value added and growth seeds are summed over the
    clusters that record them; ``*_missing`` counts the others."""

    key: str
    label: str
    clusters: int
    firms: int
    workers: int
    workers_missing: int
    value_added: int
    value_added_missing: int
    growth_seeds: int
    growth_seeds_missing: int
    mean_percentage: float  # of the selection points of all the clusters, not a mean of percentages
    synthetic: int
    points: int = 0  # selection points (growth + action) summed over the clusters

    @property
    def value_added_million(self) -> int:
        return half_up(Fraction(self.value_added, 1_000_000))

    @property
    def complete(self) -> bool:
        return not (self.workers_missing or self.value_added_missing)

    # What a table shows: None ("not recorded", a dash) where clusters are counted and none of them
    # records the figure, so that a sum over nothing never reads as 0.
    @property
    def workers_shown(self) -> int | None:
        return self.workers if self.workers_missing < self.clusters or not self.clusters else None

    @property
    def value_added_million_shown(self) -> int | None:
        return (self.value_added_million if self.value_added_missing < self.clusters or not self.clusters
                else None)


def totals(members: list[ClusterSummary], key: str = "", label: str = "") -> Totals:
    workers = [s.workers for s in members if s.workers is not None]
    added = [s.value_added for s in members if s.value_added is not None]
    seeds = [s.potentially_viable for s in members if s.potentially_viable is not None]
    points = sum(s.growth + s.action for s in members)
    return Totals(
        key=key,
        label=label,
        clusters=len(members),
        firms=sum(s.firms for s in members),
        workers=sum(workers),
        workers_missing=len(members) - len(workers),
        value_added=sum(added),
        value_added_missing=len(members) - len(added),
        growth_seeds=sum(seeds),
        growth_seeds_missing=len(members) - len(seeds),
        # From the points (51 + 38 of 180 is 49.4%), not from the rounded percentages (49.5%).
        mean_percentage=share(points, TOTAL_MAX * len(members)),
        synthetic=sum(1 for s in members if s.synthetic),
        points=points,
    )


def group_by(summaries: Iterable[ClusterSummary], key: Callable[[ClusterSummary], str]
             ) -> dict[str, list[ClusterSummary]]:
    groups: dict[str, list[ClusterSummary]] = {}
    for s in summaries:
        groups.setdefault(key(s), []).append(s)
    return groups


def by_subsector(summaries: list[ClusterSummary], lang: str) -> list[Totals]:
    """Sub-sectors ordered as Table 2.1 orders them: most workers first (then clusters, code)."""
    rows = [
        totals(members, isic, subsector_name(isic, lang, members))
        for isic, members in group_by(summaries, lambda s: s.isic).items()
    ]
    return sorted(rows, key=lambda t: (-t.workers, -t.clusters, t.key))


def most_workers(rows: list[Totals]) -> tuple[Totals, ...]:
    """The rows with the most workers, all of them when tied (the one rule for ties), among the rows
    whose clusters record workers; none when no row records them."""
    recorded = [t for t in rows if t.workers_shown is not None and t.clusters]
    return extremes(recorded, lambda t: t.workers).strongest if recorded else ()


def by_count(groups: dict[str, list[ClusterSummary]], label: Callable[[str], str]) -> list[Totals]:
    """Totals per key, the key with most clusters first (then by label)."""
    rows = [totals(members, key, label(key)) for key, members in groups.items()]
    return sorted(rows, key=lambda t: (-t.clusters, t.label))
