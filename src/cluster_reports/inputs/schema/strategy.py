"""The cluster development strategy: a sidecar file ``<cluster-id>.strategy.yaml``.

It holds what the consultant decides after profiling: the vision, one strategy per condition, how
the 3C principle applies, the intended change of the cluster's organisation, and who is responsible
for what (in the manner of Table 4.1 of the 2004 study). Stakeholders are named by their ids in the
cluster's params file.
"""

from __future__ import annotations

from enum import StrEnum
from typing import ClassVar

from pydantic import Field, ValidationInfo, field_validator, model_validator

from .common import Provenance, Sidecar, Slug, Strict, Text, check_unique, line, stakeholder_problems

# A column head of the responsibility matrix: one short line.
ShortName = line(30)


class ConditionStrategy(Strict):
    strategy: Text
    actions: list[Text] = Field(min_length=1)


class ConditionStrategies(Strict):
    demand: ConditionStrategy
    factor: ConditionStrategy
    firm_strategy: ConditionStrategy
    related_supporting: ConditionStrategy
    social_capital: ConditionStrategy


class ThreeC(Strict):
    """The 3C principle: competition, cooperation, concentration, as it applies to this cluster."""

    competition: Text
    cooperation: Text
    concentration: Text


class OrganisationStage(StrEnum):
    """Forms of cluster organisation, from firms working alone to a consortium (Figure 4.8)."""

    individual = "individual"
    cooperative = "cooperative"
    informal_network = "informal-network"
    collaboration_unit = "collaboration-unit"
    consortium = "consortium"


class Transformation(Strict):
    current: OrganisationStage
    target: OrganisationStage
    description: Text
    steps: list[Text] = Field(min_length=1)

    @model_validator(mode="after")
    def _moves_forward(self) -> Transformation:
        # Checked here rather than on Strategy so that the error names the field 'transformation'.
        order = list(OrganisationStage)
        if order.index(self.target) < order.index(self.current):
            raise ValueError(
                f"target {self.target.value!r} comes before current {self.current.value!r} "
                f"(stages in order: {', '.join(order)})"
            )
        return self


class ResponsibilityArea(StrEnum):
    """The rows of Table 4.1: strategies required for capacity strengthening of SME clusters."""

    identification = "identification"
    growth_seeds = "growth-seeds"
    social_capital = "social-capital"
    facilitator = "facilitator"
    regional_strengthening = "regional-strengthening"
    open_information = "open-information"
    directory = "directory"
    market_technology = "market-technology"
    financial_services = "financial-services"
    one_stop_service = "one-stop-service"


class Responsibility(Strict):
    area: ResponsibilityArea
    lead: Slug = Field(description="Stakeholder id of the one who takes the initiative")
    support: list[Slug] = Field(default_factory=list, description="Stakeholder ids")

    @model_validator(mode="after")
    def _lead_not_support(self) -> Responsibility:
        if self.lead in self.support:
            raise ValueError(f"{self.lead!r} is the lead and cannot also be listed in support")
        if len(set(self.support)) < len(self.support):
            raise ValueError("a stakeholder is listed twice in support")
        return self


class Strategy(Sidecar):
    """A cluster's development strategy."""

    cluster: Slug = Field(description="Id of the cluster, as in its params file")
    vision: Text
    conditions: ConditionStrategies
    three_c: ThreeC
    beneficiaries: Text = Field(description="Who the support goes to first, and why")
    transformation: Transformation
    responsibilities: list[Responsibility] = Field(min_length=1)
    short_names: dict[Slug, ShortName] = Field(
        default_factory=dict,
        description="Short names of stakeholders for the matrix's column heads (e.g. 'BRI Sidoarjo')",
    )
    provenance: list[Provenance] = Field(min_length=1)

    DATA_SECTIONS: ClassVar[tuple[str, ...]] = (
        "vision", "conditions", "three_c", "beneficiaries", "transformation", "responsibilities",
    )

    @field_validator("responsibilities")
    @classmethod
    def _known_stakeholders(cls, items: list[Responsibility], info: ValidationInfo) -> list[Responsibility]:
        areas = [r.area for r in items]
        check_unique((a.value for a in areas), "areas")
        ids = {}
        for n, r in enumerate(items):
            ids[f"[{n}].lead"] = r.lead
            ids.update({f"[{n}].support[{k}]": s for k, s in enumerate(r.support)})
        problems = stakeholder_problems(ids, info.context)
        if problems:
            raise ValueError("; ".join(problems))
        return items

    @field_validator("short_names")
    @classmethod
    def _known_short_names(cls, names: dict[str, str], info: ValidationInfo) -> dict[str, str]:
        problems = stakeholder_problems({f"[{k}]": k for k in names}, info.context)
        if problems:
            raise ValueError("; ".join(problems))
        return names
