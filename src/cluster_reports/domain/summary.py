"""A cluster in a few numbers: what provincial and national roll-ups need, small enough to collect
for every sentra of the country (the batch keeps one per cluster, not the params themselves)."""

from __future__ import annotations

from dataclasses import asdict, dataclass

from cluster_reports.inputs.params_io import LoadedParams
from cluster_reports.inputs.schema import ClusterParams, Source
from cluster_reports.inputs.schema.common import LEGACY_KINDS, NOT_SURVEY_DATA

from . import budget, firms, prices, scoring


@dataclass(frozen=True)
class ClusterSummary:
    id: str
    name_en: str
    name_id: str
    province: str  # official name
    province_slug: str
    regency: str
    group: str  # ClusterGroup value
    isic: str
    industry_en: str
    industry_id: str
    firms: int
    workers: int | None
    annual_sales: int | None
    value_added: int | None
    growth: int  # selection scores (Table 3.1)
    action: int
    percentage: float
    social_capital: int  # the fifth condition's score, 1-5
    potentially_viable: int | None  # growth seeds, when known
    above_reference: int | None  # firms selling more than the Rp 700 million reference
    selection_round: str
    synthetic: bool
    documents: tuple[str, ...] = ()  # the cluster documents rendered for it, e.g. ("profile",)
    reference_year: int | None = None  # the year its data describe (None in records written before)
    illustrative: bool = False  # any figure a roll-up sums is not survey data (cover mark)
    # The year whose prices its plan's money is in (None: no plan), and what the plan puts into each
    # national programme of the library (Table 5.1) it draws on: (library id, price year, Rupiah),
    # one entry per id and price year. The year is the plan's, or the library's costing year where
    # the plan takes library lines unchanged: the roll-ups never add Rupiah of different years.
    plan_year: int | None = None
    plan_programmes: tuple[tuple[str, int, int], ...] = ()

    def to_dict(self) -> dict:
        data = asdict(self)
        data["documents"] = list(self.documents)
        data["plan_programmes"] = [list(d) for d in self.plan_programmes]
        return data

    @classmethod
    def from_dict(cls, data: dict) -> ClusterSummary:
        return cls(**{**data, "documents": tuple(data.get("documents", ())),
                      "plan_programmes": tuple(tuple(d) for d in data.get("plan_programmes", ()))})


def summarise(loaded: LoadedParams, documents: tuple[str, ...] = ()) -> ClusterSummary:
    p = loaded.params
    fs = firms.structure(p)
    growth, action = p.selection.growth_opportunity, p.selection.action_capacity
    return ClusterSummary(
        id=p.id,
        name_en=p.name.get("en"),
        name_id=p.name.get("id"),
        province=p.location.province_record.name,
        province_slug=p.location.province_record.slug,
        regency=p.location.regency_record.name,
        group=p.group.value,
        isic=p.industry.isic,
        industry_en=p.industry.description.get("en"),
        industry_id=p.industry.description.get("id"),
        firms=fs.total_firms,
        workers=fs.total_workers,
        annual_sales=fs.total_sales,
        value_added=p.value_added,
        growth=growth,
        action=action,
        percentage=float(scoring.selection_percentage(growth, action)),
        social_capital=p.assessment.social_capital.score,
        potentially_viable=(
            fs.potentially_viable_count if fs.potentially_viable_count is not None
            else len(fs.potentially_viable) if fs.potentially_viable is not None else None
        ),
        above_reference=len(fs.above_reference) if fs.above_reference is not None else None,
        selection_round=p.selection_round,
        synthetic=p.synthetic,
        documents=documents,
        reference_year=p.reference_year,
        illustrative=summed_illustrative(p),
        plan_year=prices.basis(loaded.plan, p).year if loaded.plan is not None else None,
        plan_programmes=national_draws(loaded),
    )


def national_draws(loaded: LoadedParams) -> tuple[tuple[str, int, int], ...]:
    """The plan's budget per national library programme it draws on, summed per price year."""
    if loaded.plan is None:
        return ()
    basis = prices.basis(loaded.plan, loaded.params)
    sums: dict[tuple[str, int], int] = {}
    for p in budget.resolve_plan(loaded.plan, loaded.library):
        if p.library is None or p.library.source != "national":
            continue
        # Library lines taken unchanged stay in the prices of the year they were costed in.
        year = p.costed_year if prices.out_of_year(p, basis) and not p.restated else basis.year
        assert year is not None
        sums[p.library.id, year] = sums.get((p.library.id, year), 0) + p.total
    return tuple((key, year, total) for (key, year), total in sorted(sums.items()))


# The fields a roll-up sums or ranks by: where any of them is illustrative, so is the roll-up.
SUMMED = ("firms", "workers", "annual_sales", "value_added", "selection", "assessment")


def summed_illustrative(p: ClusterParams) -> bool:
    """Whether a provenance entry of a summed field (or of a part of one) cites a source that is
    not survey data."""
    kinds = {s.id: s.kind for s in p.sources}
    for entry in p.provenance:
        if entry.field.split(".")[0] not in SUMMED:
            continue
        if any((kinds.get(i) or LEGACY_KINDS[Source(i)]) in NOT_SURVEY_DATA for i in entry.source):
            return True
    return False
