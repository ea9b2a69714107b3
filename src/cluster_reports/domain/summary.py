"""A cluster in a few numbers: what provincial and national roll-ups need, small enough to collect
for every sentra of the country (the batch keeps one per cluster, not the params themselves)."""

from __future__ import annotations

from dataclasses import asdict, dataclass

from cluster_reports.inputs.params_io import LoadedParams
from cluster_reports.inputs.schema import ClusterParams, Source
from cluster_reports.inputs.schema.common import LEGACY_KINDS, NOT_SURVEY_DATA

from . import firms, scoring


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

    def to_dict(self) -> dict:
        data = asdict(self)
        data["documents"] = list(self.documents)
        return data

    @classmethod
    def from_dict(cls, data: dict) -> ClusterSummary:
        return cls(**{**data, "documents": tuple(data.get("documents", ()))})


def summarise(loaded: LoadedParams, documents: tuple[str, ...] = ()) -> ClusterSummary:
    p = loaded.params
    fs = firms.structure(p)
    growth, action = p.selection.growth_opportunity, p.selection.action_capacity
    return ClusterSummary(
        id=p.id,
        name_en=p.name.en,
        name_id=p.name.id,
        province=p.location.province_record.name,
        province_slug=p.location.province_record.slug,
        regency=p.location.regency_record.name,
        group=p.group.value,
        isic=p.industry.isic,
        industry_en=p.industry.description.en,
        industry_id=p.industry.description.id,
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
    )


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
