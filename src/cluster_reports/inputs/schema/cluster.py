"""The one input schema: a cluster's params file, validated by pydantic.

Every model forbids unknown keys, so a misspelt key is an error rather than a silently ignored
value. Money is in Rupiah (integers); the US$ rate is Rupiah per US dollar. Texts that appear in a
document are given in both languages (``{en: ..., id: ...}``) so that neither edition is left
incomplete.
"""

from __future__ import annotations

from enum import StrEnum
from typing import Annotated, Literal

from pydantic import (
    Field,
    StringConstraints,
    ValidationInfo,
    field_validator,
    model_validator,
)

from cluster_reports.inputs import regions

from .common import (
    DataSource,
    FirmCount,
    FirmWorkers,
    Label,
    Line,
    Percent,
    PositiveRupiah,
    Provenance,
    Quantity,
    Rupiah,
    Slug,
    Strict,
    Text,
    UsdRate,
    WorkerCount,
    Year,
    YearSince1990,
    check_provenance,
    check_unique,
    small,
    source_of,
)
from .contacts import Contact, SupportService, check_phone
from .facilitation import Facilitation, check_facilitation
from .publication import Publication

GROWTH_OPPORTUNITY_MAX = 54
ACTION_CAPACITY_MAX = 36


class ClusterGroup(StrEnum):
    metal_machinery = "metal-machinery"
    export_oriented = "export-oriented"
    rural_indigenous = "rural-indigenous"


class Location(Strict):
    province: Line = Field(description="Province name or code, as in the official list")
    regency: Line = Field(description="Regency (kabupaten) or city (kota) name or code")
    district: Line | None = Field(None, description="Kecamatan")
    village: Line | None = Field(None, description="Desa / kelurahan")
    note: Text | None = Field(None, description="E.g. how the 2004 location maps to today's regency")

    @field_validator("province")
    @classmethod
    def _known_province(cls, value: str) -> str:
        if regions.find_province(value) is None:
            raise ValueError(f"unknown province {value!r}: not in the official list")
        return value

    @field_validator("regency")
    @classmethod
    def _known_regency(cls, value: str, info: ValidationInfo) -> str:
        province = regions.find_province(info.data.get("province") or "")
        if province is not None and regions.find_regency(value, province) is None:
            raise ValueError(
                f"unknown regency {value!r} in {province.name}: not in the official list"
            )
        return value

    @property
    def province_record(self) -> regions.Province:
        found = regions.find_province(self.province)
        assert found is not None  # checked at validation
        return found

    @property
    def regency_record(self) -> regions.Regency:
        found = regions.find_regency(self.regency, self.province_record)
        assert found is not None
        return found


# Prices and volumes of a product (the profile's chapter of that name): optional, each on its own.
Period = Literal["month", "year"]


class UnitPrice(Strict):
    amount: Annotated[PositiveRupiah, Field(description="Price of one unit in Rupiah, no decimals")]
    unit: Label = Field(description="The unit priced, in the singular: {en: tile, id: buah genteng}, m3, kg")


class Volume(Strict):
    quantity: Annotated[Quantity, Field(description="How many units in the period")]
    unit: Label = Field(description="The unit counted, as a sentence writes it after a number: "
                       "{en: tiles, id: buah genteng}, {en: m3, id: m3}")
    per: Period = Field(description="The period the quantity covers: month or year")


class Product(Strict):
    name: Label
    main: bool = False
    price: UnitPrice | None = Field(
        None, description="Unit price at the cluster (ex-works) in the reference year")
    output: Volume | None = Field(None, description="Output of the whole cluster in the reference year")
    capacity: Volume | None = Field(
        None, description="Production capacity of the whole cluster, in the unit and period of 'output'; "
        "capacity use (output / capacity) is computed, never given")

    @model_validator(mode="after")
    def _output_within_capacity(self) -> Product:
        if self.output is None or self.capacity is None:
            return self
        o, c = self.output, self.capacity
        if o.unit != c.unit or o.per != c.per:
            raise ValueError(
                f"output is in {o.unit.any} per {o.per} but capacity in {c.unit.any} per {c.per}: give "
                "both in the same unit and per the same period, so that capacity use can be computed")
        if o.quantity > c.quantity:
            raise ValueError(
                f"output ({o.quantity:g} {o.unit.any} per {o.per}) exceeds capacity ({c.quantity:g}): "
                "capacity is the most the cluster can make in the period")
        return self


class Industry(Strict):
    isic: Annotated[str, StringConstraints(pattern=r"^\d{4}$")] = Field(
        description="ISIC Rev.2 four-digit code, as the study's Table 2.1 uses"
    )
    kbli: Annotated[str, StringConstraints(pattern=r"^\d{5}$")] | None = Field(
        None, description="KBLI 2020 five-digit code"
    )
    description: Text


class Currency(Strict):
    usd_rate: UsdRate
    rate_note: Text | None = None


# The study's (and BPS's) size classes by workers: a definition the firm data is validated by.
SIZE_CLASSES = ("micro", "small", "medium", "large")
# Lower bound of workers for each class.
SIZE_BOUNDS = {"micro": 1, "small": 5, "medium": 20, "large": 100}


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


class SizeCounts(Strict):
    """Firms by the study's size classes: micro 1-4, small 5-19, medium 20-99, large 100+ workers."""

    micro: FirmCount = 0
    small: FirmCount = 0
    medium: FirmCount = 0
    large: FirmCount = 0


class Firm(Strict):
    # A stable id lets a survey (ODK Collect, KoboToolbox) find the firm again when its name is
    # spelt differently; the monitoring file still matches firms by name.
    id: Slug | None = Field(None, description="Stable id of the firm, unique in the table, e.g. kbm-001")
    name: Line
    workers: FirmWorkers
    annual_sales: Rupiah
    cooperative_member: bool = False
    willing_to_improve: bool = False
    established: Year | None = None
    products: Label | None = None
    # Sex-disaggregated figures, as development M&E reports give them; left out where not recorded.
    women_led: bool | None = Field(None, description="Whether a woman leads (owns or manages) the firm")
    women_workers: WorkerCount | None = Field(
        None, description="Women among the firm's workers (at most 'workers')"
    )
    address: Line | None = Field(None, description="The firm's address, as written in Indonesian")
    phone: Line | None = Field(
        None, description="Telephone with the area code, e.g. '(0287) 381234' or '+62 812 2345 6789'"
    )

    @field_validator("phone")
    @classmethod
    def _phone(cls, value: str | None) -> str | None:
        return None if value is None else check_phone(value)

    @model_validator(mode="after")
    def _women_within_workers(self) -> Firm:
        if self.women_workers is not None and self.women_workers > self.workers:
            raise ValueError(
                f"firm {self.name!r}: women_workers ({self.women_workers}) exceeds its {self.workers} workers"
            )
        return self


class Firms(Strict):
    """Firms of the cluster: counts by size class for the whole sentra, and/or a per-firm table.

    With counts alone the report describes the sentra as a whole. With a table alone the table is
    the whole sentra. With both, the table holds the surveyed firms (a sample of the sentra): the
    counts describe the sentra, the table names its growth seeds.
    """

    by_size: SizeCounts | None = None
    table: list[Firm] | None = None
    cooperative: Label | None = Field(None, description="Name of the cluster's cooperative(s), if any")
    cooperative_members: FirmCount | None = None
    potentially_viable: FirmCount | None = Field(
        None, description="Firms with willingness to improve in the whole sentra, if estimated"
    )
    women_led: FirmCount | None = Field(
        None, description="Women-led firms in the whole sentra, where counted (no firm table needed)"
    )
    women_workers: WorkerCount | None = Field(
        None, description="Women workers in the whole sentra, where counted (at most 'workers')"
    )

    @model_validator(mode="after")
    def _consistent(self) -> Firms:
        if self.by_size is None and not self.table:
            raise ValueError("give 'by_size' counts, a firm 'table', or both")
        if self.table:
            names = [f.name for f in self.table]
            check_unique(names, "firm names")
            check_unique((f.id for f in self.table if f.id is not None), "firm ids")
        if self.by_size is not None and self.table:
            for size in SIZE_CLASSES:
                listed = sum(1 for f in self.table if size_class(f.workers) == size)
                if listed > getattr(self.by_size, size):
                    raise ValueError(
                        f"the table lists {listed} {size} firms but by_size counts only "
                        f"{getattr(self.by_size, size)} in the whole sentra"
                    )
        total = (
            sum(self.by_size.model_dump().values()) if self.by_size is not None else len(self.table or [])
        )
        if self.potentially_viable is not None and self.potentially_viable > total:
            raise ValueError(f"potentially_viable ({self.potentially_viable}) exceeds the {total} firms")
        self._check_women(total)
        return self

    def _check_women(self, total: int) -> None:
        """The sentra's count of women-led firms lies between the table's firms said to be women-led
        and those not said to be other (the table may be a sample, or leave some firms unrecorded)."""
        if self.women_led is None:
            return
        table = self.table or []
        led = sum(1 for f in table if f.women_led)
        not_led = sum(1 for f in table if f.women_led is False)
        if self.women_led > total - not_led:
            raise ValueError(
                f"women_led ({self.women_led}) exceeds the {total} firms"
                + (f" less the {not_led} the table says are not women-led" if not_led else "")
            )
        if self.women_led < led:
            raise ValueError(
                f"women_led ({self.women_led}) is fewer than the {led} women-led firms of the table"
            )


class Channel(StrEnum):
    """How a cluster's firms sell. The older values keep their meaning, so existing files stay valid.
    ``online`` is the firm's own online selling (website, social media, chat); ``online-marketplace``
    a platform that lists many sellers under its own terms and fees. ``export`` stays export as a
    whole (how it went abroad not said, or the firm's own); ``export-agent`` names export through an
    exporter, trading house or buying agent, where the firm does not meet its foreign buyer.
    ``government`` already is government procurement: a second value for it would split one channel
    in two, the very fault that summing by channel removes."""

    intermediary = "intermediary"
    direct_retail = "direct-retail"
    wholesale = "wholesale"
    cooperative = "cooperative"
    subcontract = "subcontract"
    export = "export"
    government = "government"
    online = "online"
    tourism = "tourism"
    modern_retail = "modern-retail"
    online_marketplace = "online-marketplace"
    export_agent = "export-agent"
    other = "other"  # named by the row itself (``name``)


def check_channel_name(name: Text | None, channel: Channel | None) -> Text | None:
    """A channel's name comes from the label catalogue, except for ``other``, which has no label:
    its name is given in both languages, and only there (a second name would contradict the label)."""
    if channel is Channel.other and name is None:
        raise ValueError(
            "channel 'other' needs its name in both languages (en, id), e.g. {en: Hotels and "
            "restaurants, id: Hotel dan restoran}, so that the documents can name it"
        )
    if channel is not None and channel is not Channel.other and name is not None:
        raise ValueError(
            f"only channel 'other' takes a name; {channel.value!r} is named by the documents "
            "themselves: leave 'name' out, or make the channel 'other'"
        )
    return name


class Market(Strict):
    channel: Channel
    name: Label | None = Field(
        None, validate_default=True, description="Name of the channel in both languages: for 'other' only"
    )
    destination: Label
    share_pct: Percent

    @field_validator("name")
    @classmethod
    def _named_if_other(cls, value: Text | None, info: ValidationInfo) -> Text | None:
        return check_channel_name(value, info.data.get("channel"))


class RawMaterial(Strict):
    name: Label
    origin: Label
    note: Text | None = None


class ConstraintCategory(StrEnum):
    """The categories of the study's Table 2.2."""

    products = "products"
    technology = "technology"
    market = "market"
    price = "price"
    institutional = "institutional"
    social = "social"


class Constraint(Strict):
    category: ConstraintCategory
    text: Text


class Swot(Strict):
    strengths: list[Text] = Field(min_length=1)
    weaknesses: list[Text] = Field(min_length=1)
    opportunities: list[Text] = Field(min_length=1)
    threats: list[Text] = Field(min_length=1)


ConditionScore = small(1, 5, "a score", description="1 very weak ... 5 very strong")
GrowthScore = small(0, GROWTH_OPPORTUNITY_MAX, "a score")
ActionScore = small(0, ACTION_CAPACITY_MAX, "a score")


class ConditionAssessment(Strict):
    score: ConditionScore
    note: Text


class Assessment(Strict):
    """The five conditions: Porter's four determinants and social capital."""

    demand: ConditionAssessment
    factor: ConditionAssessment
    firm_strategy: ConditionAssessment
    related_supporting: ConditionAssessment
    social_capital: ConditionAssessment


class Selection(Strict):
    """Scores of the selection method (Table 3.1)."""

    growth_opportunity: GrowthScore
    action_capacity: ActionScore
    round: Slug | None = Field(
        None,
        description="The selection round: the clusters scored together and ranked against each other "
        "(e.g. 'jica-2004' for the study's ten). Default: the cluster's province, whose forum "
        "identifies potential clusters.",
    )


class StakeholderType(StrEnum):
    national_government = "national-government"
    provincial_government = "provincial-government"
    # The cluster's kabupaten or kota: documents say regency or city government from the place.
    regency_government = "regency-government"
    cooperative = "cooperative"
    association = "association"
    bds_provider = "bds-provider"
    university = "university"
    bank = "bank"
    large_firm = "large-firm"
    donor = "donor"
    working_group = "working-group"
    forum = "forum"
    # Forms of cluster organisation (the strategy's stages, Figure 4.8 of the 2004 study): a body of
    # one of these types exists, so a strategy strengthens it and does not propose to found it.
    informal_network = "informal-network"
    collaboration_unit = "collaboration-unit"
    consortium = "consortium"
    other = "other"


class Stakeholder(Strict):
    id: Slug
    name: Line
    type: StakeholderType
    role: Text
    contact: Contact | None = Field(
        None, description="The office's contact details, for the facilitator guideline's contact list"
    )


class ValueChainStage(Strict):
    stage: Label
    actors: Text
    note: Text | None = None


class Facilitator(Strict):
    name: Line
    organisation: Line
    type: Literal["bds-provider", "university-lpm", "field-facilitator", "consultant", "other",
                  "government-officer", "working-group-team"]
    appointed: YearSince1990 | None = None


# --- History of the cluster and its production process (profiling report, issue 13) ---


def check_chronological(years: list[int], what: str) -> None:
    """Entries of a history are listed as a reader reads them: earliest first."""
    for n, (earlier, later) in enumerate(zip(years, years[1:], strict=False), start=1):
        if later < earlier:
            raise ValueError(
                f"{what} are not in chronological order: item {n + 1} ({later}) comes after "
                f"item {n} ({earlier}); list them earliest first"
            )


class HistoryBeginning(Strict):
    year: Year | None = Field(None, description="Year the cluster began, where known")
    text: Text = Field(description="How the cluster began: who started it, where, with what")


class Milestone(Strict):
    year: Year
    text: Text = Field(description="What happened that year, as one sentence")


class SupportProgramme(Strict):
    start: Year = Field(description="First year of the programme")
    end: Year | None = Field(None, description="Last year, where it ran longer than one year")
    programme: Text = Field(description="Name or content of the programme")
    provider: Label = Field(description="Who gave it (ministry, office, donor, university, bank)")
    result: Text | None = Field(None, description="What came of it; left out where not recorded")

    @model_validator(mode="after")
    def _period(self) -> SupportProgramme:
        if self.end is not None and self.end < self.start:
            raise ValueError(f"support programme ends ({self.end}) before it starts ({self.start})")
        return self


class History(Strict):
    """When and how the cluster began, its milestones and the support it has had, earliest first."""

    began: HistoryBeginning | None = None
    milestones: list[Milestone] = Field(default_factory=list, description="Earliest first")
    support: list[SupportProgramme] = Field(
        default_factory=list, description="Past support programmes, by first year, earliest first"
    )

    @model_validator(mode="after")
    def _in_order(self) -> History:
        if self.began is None and not self.milestones and not self.support:
            raise ValueError("give 'began', 'milestones' or 'support', or leave 'history' out")
        check_chronological([m.year for m in self.milestones], "milestones")
        check_chronological([s.start for s in self.support], "support programmes")
        began = self.began.year if self.began else None
        if began is not None and self.milestones and self.milestones[0].year < began:
            raise ValueError(
                f"the first milestone ({self.milestones[0].year}) is earlier than the year the "
                f"cluster began ({began})"
            )
        return self


ConstraintRef = small(0, 10_000, "a position in the list of constraints")


class ProductionStep(Strict):
    """One step from raw material to product, as the cluster's firms carry it out."""

    step: Label = Field(description="Short name of the step, e.g. {en: drying, id: pengeringan}")
    description: Text = Field(description="What is done, by whom and with what equipment")
    value_added: Text | None = Field(None, description="What the step adds to the product's value")
    constraints: list[ConstraintRef] = Field(
        default_factory=list,
        description="The cluster's constraints that bite at this step: positions in its "
        "'constraints' list, counted from 0 as provenance paths count them",
    )


def check_step_constraints(steps: list[ProductionStep], constraints: list[Constraint]) -> None:
    for n, s in enumerate(steps):
        for ref in s.constraints:
            if ref >= len(constraints):
                raise ValueError(
                    f"step {n} ({s.step.any!r}) names constraint {ref}, but the cluster lists "
                    f"{len(constraints)} constraints (positions 0 to {len(constraints) - 1})"
                    if constraints else
                    f"step {n} ({s.step.any!r}) names constraint {ref}, but the cluster lists no constraints"
                )
        if len(set(s.constraints)) != len(s.constraints):
            raise ValueError(f"step {n} ({s.step.any!r}) names a constraint twice")


# Top-level sections whose values carry a provenance entry.
DATA_SECTIONS = (
    "location", "products", "industry", "currency", "firms", "workers", "annual_sales",
    "value_added", "markets", "raw_materials", "constraints", "swot", "assessment", "selection",
    "stakeholders", "value_chain", "facilitator", "support_services",
    "history", "production_process",
)


class ClusterParams(Strict):
    """A cluster's params file."""

    id: Slug = Field(description="Stable slug of the cluster, also its folder in the outputs")
    name: Label
    synthetic: bool = Field(False, description="True for generated demonstration data")
    group: ClusterGroup
    location: Location
    products: list[Product] = Field(min_length=1)
    industry: Industry
    reference_year: YearSince1990
    currency: Currency
    firms: Firms
    workers: WorkerCount | None = Field(
        None, description="Total workers; follows from the firm table when there is one"
    )
    annual_sales: Rupiah | None = Field(None, description="Total annual sales of the cluster")
    value_added: Rupiah | None = None
    markets: list[Market] = Field(default_factory=list)
    raw_materials: list[RawMaterial] = Field(default_factory=list)
    constraints: list[Constraint] = Field(default_factory=list)
    swot: Swot
    assessment: Assessment
    selection: Selection
    stakeholders: list[Stakeholder] = Field(default_factory=list)
    value_chain: list[ValueChainStage] = Field(default_factory=list)
    history: History | None = Field(
        None, description="When and how the cluster began, its milestones and past support programmes"
    )
    production_process: list[ProductionStep] = Field(
        default_factory=list, description="The steps from raw material to product, in order"
    )
    facilitator: Facilitator | None = None
    support_services: list[SupportService] = Field(
        default_factory=list, description="Support services near the cluster (BDS providers, "
        "training centres, laboratories, banks, associations, government units, universities), "
        "for the facilitator guideline's directory",
    )
    sources: list[DataSource] = Field(
        default_factory=list, description="The reports, surveys and statistics its provenance cites"
    )
    provenance: list[Provenance] = Field(min_length=1)
    facilitation: Facilitation | None = Field(
        None, description="How the cluster is facilitated; derived from the stakeholders and the "
        "facilitator's type when left out",
    )
    publication: Publication | None = Field(
        None, description="The cover's agency, logo, status and version for this cluster's documents, "
        "over the project's publication.yaml",
    )

    @field_validator("markets")
    @classmethod
    def _shares_add_up(cls, markets: list[Market]) -> list[Market]:
        total = sum(m.share_pct for m in markets)
        if markets and abs(total - 100) > 0.5:
            raise ValueError(f"market shares add up to {total:g} %, not 100 %")
        return markets

    @field_validator("production_process")
    @classmethod
    def _steps_name_constraints(cls, steps: list[ProductionStep],
                                info: ValidationInfo) -> list[ProductionStep]:
        if "constraints" in info.data:  # else the constraints' own errors are reported
            check_step_constraints(steps, info.data["constraints"])
        return steps

    @field_validator("provenance")
    @classmethod
    def _provenance_covers_the_data(cls, entries: list[Provenance], info: ValidationInfo) -> list[Provenance]:
        listed = info.data.get("sources")  # absent when it failed validation
        check_provenance(entries, info.data, DATA_SECTIONS, listed and [s.id for s in listed])
        return entries

    @field_validator("sources")
    @classmethod
    def _unique_sources(cls, items: list[DataSource]) -> list[DataSource]:
        check_unique((s.id for s in items), "source ids")
        return items

    @field_validator("stakeholders")
    @classmethod
    def _unique_stakeholders(cls, items: list[Stakeholder]) -> list[Stakeholder]:
        ids = [s.id for s in items]
        check_unique(ids, "stakeholder ids")
        return items

    @field_validator("support_services")
    @classmethod
    def _unique_services(cls, items: list[SupportService]) -> list[SupportService]:
        check_unique((s.id for s in items), "support service ids")
        return items

    @field_validator("facilitation")
    @classmethod
    def _facilitation_consistent(cls, value: Facilitation | None,
                                 info: ValidationInfo) -> Facilitation | None:
        if "stakeholders" in info.data:  # else the stakeholders' own errors are reported
            check_facilitation(value, info.data["stakeholders"], info.data.get("facilitator"))
        return value

    @model_validator(mode="after")
    def _consistent(self) -> ClusterParams:
        table_is_whole = self.firms.table and self.firms.by_size is None
        if table_is_whole:
            for name, counted in (
                ("workers", sum(f.workers for f in self.firms.table)),
                ("annual_sales", sum(f.annual_sales for f in self.firms.table)),
            ):
                given = getattr(self, name)
                if given is not None and given != counted:
                    raise ValueError(
                        f"'{name}' is {given} but the firm table adds up to {counted}: "
                        f"leave '{name}' out or make them agree"
                    )
        mains = [p for p in self.products if p.main]
        if len(mains) > 1:
            raise ValueError("only one product may be marked 'main'")
        return self

    @model_validator(mode="after")
    def _women_workers_within(self) -> ClusterParams:
        """The sentra's women workers: no fewer than the firm table records, no more than its workers."""
        given = self.firms.women_workers
        if given is None:
            return self
        recorded = sum(f.women_workers or 0 for f in self.firms.table or [])
        if given < recorded:
            raise ValueError(
                f"firms.women_workers ({given}) is fewer than the {recorded} women workers of the firm table"
            )
        workers = self.workers
        if workers is None and self.firms.table and self.firms.by_size is None:
            workers = sum(f.workers for f in self.firms.table)
        if workers is not None and given > workers:
            raise ValueError(f"firms.women_workers ({given}) exceeds the {workers} workers of the cluster")
        return self

    @property
    def selection_round(self) -> str:
        return self.selection.round or self.location.province_record.slug

    def source_of(self, path: str) -> Provenance | None:
        """The most specific provenance entry covering a dotted path."""
        return source_of(self.provenance, path)


