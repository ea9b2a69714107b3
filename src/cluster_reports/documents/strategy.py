"""What the cluster development strategy presents: plain data from a cluster's params and its
strategy sidecar (``<cluster-id>.strategy.yaml``).

The strategy answers the profile: each condition's strategy is shown beside that condition's score,
the profile's note on it and the profile's constraints that bear on it; the target beneficiaries are
the potentially viable firms of the firm table; the responsibility matrix follows Table 4.1 of the
2004 study with this cluster's own stakeholders. The template decides wording and layout.
"""

from __future__ import annotations

from dataclasses import dataclass

import altair as alt
import pandas as pd

from cluster_reports.domain import firms, shares
from cluster_reports.domain.extremes import extremes
from cluster_reports.domain.summary import ClusterSummary
from cluster_reports.inputs.params_io import LoadedParams
from cluster_reports.inputs.schema import ClusterParams, Firm, Provenance, Strategy
from cluster_reports.inputs.schema.strategy import OrganisationStage, ResponsibilityArea

from . import charts, long_lists, profile, provenance
from .i18n import Formatter, Labels

CONDITIONS = ("demand", "factor", "firm_strategy", "related_supporting", "social_capital")

# Which of the profile's constraints (categories of the study's Table 2.2) bear on which condition:
# - products and market say what buyers get and how they are reached: demand conditions;
# - technology is a production factor (skills, machinery, process): factor conditions;
# - price is set by rivalry in the low-end market, where the study finds firms "caught in price
#   competition" (section 4.1): firm strategy, structure and rivalry;
# - institutional constraints concern how firms are organised (cooperatives, joint orders) and what
#   support institutions offer: firm strategy and structure, and related and supporting industries;
# - social constraints (trust, meetings, seasonal work) are social capital.
CONSTRAINT_CONDITIONS: dict[str, tuple[str, ...]] = {
    "products": ("demand",),
    "market": ("demand",),
    "technology": ("factor",),
    "price": ("firm_strategy",),
    "institutional": ("firm_strategy", "related_supporting"),
    "social": ("social_capital",),
}

# Scores at or below this are the strategy's priorities ("weak" or "very weak").
PRIORITY_SCORE = 2

# Table 4.1 puts its first five areas under "cluster strengthening", the rest under "cluster and SME
# strengthening"; the enum lists them in the table's order.
AREAS = tuple(ResponsibilityArea)
CLUSTER_AREAS = AREAS[:5]

LEAD, SUPPORT = "lead", "support"


@dataclass(frozen=True)
class ConstraintRef:
    category: str
    text: str


@dataclass(frozen=True)
class ConditionPlan:
    key: str
    label: str
    score: int
    word: str
    finding: str
    constraints: list[ConstraintRef]
    strategy: str
    actions: list[str]
    priority: bool


@dataclass(frozen=True)
class BeneficiaryRow:
    name: str
    workers: int
    size: str
    annual_sales: int
    cooperative_member: bool
    above_reference: bool


@dataclass(frozen=True)
class Beneficiaries:
    rows: list[BeneficiaryRow] | None  # named firms, when the params have a firm table
    estimated: int | None  # potentially viable firms in the whole sentra, when estimated
    table_firms: int | None  # firms in the firm table
    surveyed: bool  # the table is a sample of a larger sentra
    workers: int | None
    sales: int | None
    sales_share_pct: float | None  # share of the table's sales
    above_reference: int | None
    cooperative_members: int | None

    @property
    def named(self) -> bool:
        return bool(self.rows)


@dataclass(frozen=True)
class StageRow:
    key: str
    label: str
    phrase: str  # the form as a sentence names it ("a collaboration unit")
    status: str  # "current", "target", "between" (on the way), or "" (before or beyond the path)
    bodies: tuple[str, ...] = ()  # the cluster's recorded bodies of this form (stakeholders), if any

    @property
    def exists(self) -> bool:
        return bool(self.bodies)


@dataclass(frozen=True)
class MatrixColumn:
    id: str
    short: str
    name: str
    type: str


@dataclass(frozen=True)
class MatrixRow:
    number: int
    area: str
    label: str
    marks: list[str]  # LEAD, SUPPORT or "" per column


@dataclass(frozen=True)
class Duty:
    column: MatrixColumn
    leads: list[str]  # area labels
    supports: list[str]


# --- domain logic -------------------------------------------------------------------------------


def related_constraints(params: ClusterParams, condition: str, labels: Labels) -> list[ConstraintRef]:
    return [
        ConstraintRef(labels(f"constraint.{k.category.value}"), k.text.get(labels.lang))
        for k in params.constraints
        if condition in CONSTRAINT_CONDITIONS[k.category.value]
    ]


def priorities(scores: dict[str, int]) -> set[str]:
    """The conditions the strategy must lift first: the weak ones, or else the weakest."""
    weak = {k for k, s in scores.items() if s <= PRIORITY_SCORE}
    if weak:
        return weak
    return set(extremes(scores, scores.__getitem__).weakest)


def condition_plans(params: ClusterParams, strategy: Strategy, labels: Labels) -> list[ConditionPlan]:
    lang = labels.lang
    scores = {k: getattr(params.assessment, k).score for k in CONDITIONS}
    first = priorities(scores)
    plans = []
    for key in CONDITIONS:
        found = getattr(params.assessment, key)
        chosen = getattr(strategy.conditions, key)
        plans.append(ConditionPlan(
            key=key,
            label=labels(f"condition.{key}"),
            score=found.score,
            word=labels(f"score_word.{found.score}"),
            finding=found.note.get(lang),
            constraints=related_constraints(params, key, labels),
            strategy=chosen.strategy.get(lang),
            actions=[a.get(lang) for a in chosen.actions],
            priority=key in first,
        ))
    return plans


def beneficiary_list(params: ClusterParams, labels: Labels) -> dict:
    """The beneficiaries as the text names them (largest sales first), and whether their table goes to
    the annex at the end (a long list)."""
    rows = beneficiaries(params).rows or []
    return {"ben_long": long_lists.is_long(rows),
            "ben_named": long_lists.named([r.name for r in rows], labels)}


def beneficiaries(params: ClusterParams) -> Beneficiaries:
    """The potentially viable firms (willing to improve), largest sales first."""
    fs = firms.structure(params)
    table = params.firms.table or []
    willing: list[Firm] = sorted(fs.potentially_viable or [], key=lambda f: (-f.annual_sales, f.name))
    if not table:
        return Beneficiaries(None, fs.potentially_viable_count, None, False, None, None, None, None, None)
    rows = [
        BeneficiaryRow(f.name, f.workers, firms.size_class(f.workers), f.annual_sales,
                       f.cooperative_member, f.annual_sales > firms.SALES_REFERENCE)
        for f in willing
    ]
    table_sales = sum(f.annual_sales for f in table)
    sales = sum(r.annual_sales for r in rows)
    return Beneficiaries(
        rows=rows,
        estimated=params.firms.potentially_viable,
        table_firms=len(table),
        surveyed=fs.surveyed is not None,
        workers=sum(r.workers for r in rows),
        sales=sales,
        sales_share_pct=shares.share(sales, table_sales) if table_sales else None,
        above_reference=sum(1 for r in rows if r.above_reference),
        cooperative_members=sum(1 for r in rows if r.cooperative_member),
    )


def existing_bodies(params: ClusterParams, labels: Labels) -> dict[str, tuple[str, ...]]:
    """The bodies the cluster's data record, by form of organisation: stakeholders whose type is a
    form (a cooperative, an informal network, a collaboration unit, a consortium), and the cooperative
    the firm data name. A form found here exists: the strategy strengthens it and founds nothing."""
    found: dict[str, list[str]] = {}
    for s in params.stakeholders:
        if s.type.value in {stage.value for stage in OrganisationStage}:
            found.setdefault(s.type.value, []).append(s.name)
    if params.firms.cooperative and OrganisationStage.cooperative.value not in found:
        found[OrganisationStage.cooperative.value] = [params.firms.cooperative.get(labels.lang)]
    return {form: tuple(names) for form, names in found.items()}


def stage_rows(strategy: Strategy, labels: Labels,
               bodies: dict[str, tuple[str, ...]] | None = None) -> list[StageRow]:
    """The forms of cluster organisation in order, marked from where the cluster is to where it goes,
    each with the cluster's recorded bodies of that form."""
    bodies = bodies or {}
    order = list(OrganisationStage)
    now, goal = order.index(strategy.transformation.current), order.index(strategy.transformation.target)
    rows = []
    for n, stage in enumerate(order):
        if n == now:
            status = "current"
        elif n == goal:
            status = "target"
        elif now < n < goal:
            status = "between"
        else:
            status = ""
        rows.append(StageRow(stage.value, labels(f"strategy.stage.{stage.value}"),
                             labels(f"strategy.stage_phrase.{stage.value}"), status,
                             bodies.get(stage.value, ())))
    return rows


def matrix(params: ClusterParams, strategy: Strategy,
           labels: Labels) -> tuple[list[MatrixColumn], list[MatrixRow], list[Duty]]:
    """Table 4.1 for this cluster: the areas the strategy assigns, the stakeholders involved.

    Columns keep the order of the params file's stakeholder list; rows keep Table 4.1's order.
    """
    by_area = {r.area: r for r in strategy.responsibilities}
    involved = {r.lead for r in strategy.responsibilities} | {
        s for r in strategy.responsibilities for s in r.support
    }
    columns = [
        MatrixColumn(s.id, strategy.short_names.get(s.id, s.name), s.name,
                     labels.of(f"stakeholder.{s.type.value}", params.location.regency_record.kind))
        for s in params.stakeholders if s.id in involved
    ]
    rows = []
    for number, area in enumerate(AREAS, start=1):
        item = by_area.get(area)
        if item is None:
            continue
        marks = [LEAD if c.id == item.lead else SUPPORT if c.id in item.support else "" for c in columns]
        rows.append(MatrixRow(number, area.value, labels(f"strategy.area.{area.value}"), marks))
    duties = [
        Duty(
            column=c,
            leads=[r.label for r in rows if r.marks[i] == LEAD],
            supports=[r.label for r in rows if r.marks[i] == SUPPORT],
        )
        for i, c in enumerate(columns)
    ]
    return columns, rows, duties


def catalogue(params: ClusterParams, strategy: Strategy) -> provenance.Catalogue:
    return provenance.Catalogue(params.sources, strategy.sources)


def is_illustrative(strategy: Strategy, path: str, cat: provenance.Catalogue) -> bool:
    """Whether any value under a path is illustrative: the path's own source or a narrower entry's."""
    return provenance.is_illustrative(strategy.provenance, path, cat, narrower=True)


def field_label(path: str, labels: Labels) -> str:
    """A provenance path in the document's words: 'conditions.demand' -> 'Strategies: Demand conditions'."""
    return provenance.field_label(path, labels, heads=("strategy.section.",), parts=("strategy.field.",))


# Parts of the params file this document shows (findings, constraints, firm table, stakeholders);
# their provenance is listed after the strategy file's own.
PROFILE_SECTIONS = ("assessment", "constraints", "firms", "stakeholders")


def profile_entries(params: ClusterParams) -> list[Provenance]:
    return [e for e in provenance.given(params, params.provenance)
            if e.field.split(".")[0] in PROFILE_SECTIONS]


def source_rows(params: ClusterParams, strategy: Strategy, labels: Labels,
                cat: provenance.Catalogue) -> list[provenance.SourceRow]:
    rows = [provenance.source_row(field_label(e.field, labels), e, labels, cat)
            for e in provenance.given(strategy, strategy.provenance)]
    suffix = labels("strategy.from_profile")
    rows += [
        provenance.source_row(f"{profile.field_label(e.field, labels)} ({suffix})", e, labels, cat)
        for e in profile_entries(params)
    ]
    return rows


def constraint_map(labels: Labels) -> list[tuple[str, list[str]]]:
    """CONSTRAINT_CONDITIONS in the document's words, by condition, for the narrative that explains it."""
    return [
        (labels(f"condition.{condition}"),
         [labels(f"constraint.{cat}") for cat, conds in CONSTRAINT_CONDITIONS.items() if condition in conds])
        for condition in CONDITIONS
    ]


# --- what the template gets ---------------------------------------------------------------------


def context(loaded: LoadedParams | None, peers: list[ClusterSummary], labels: Labels) -> dict:
    if loaded is None or loaded.strategy is None:  # compose checks this first; keep the reason clear
        raise ValueError("the strategy is written for a cluster with a <cluster-id>.strategy.yaml beside it")
    params, strategy = loaded.params, loaded.strategy
    lang = labels.lang
    plans = condition_plans(params, strategy, labels)
    cond = extremes(plans, lambda p: p.score)
    columns, rows, duties = matrix(params, strategy, labels)
    stages = stage_rows(strategy, labels, existing_bodies(params, labels))
    cat = catalogue(params, strategy)
    shown = (*provenance.given(strategy, strategy.provenance), *profile_entries(params))
    return {
        "c": params,
        "s": strategy,
        "province": params.location.province_record,
        "regency": params.location.regency_record,
        "fs": firms.structure(params),
        "sales_reference": firms.SALES_REFERENCE,
        "conditions": plans,
        "priorities": [p for p in plans if p.priority],
        **profile.condition_extremes(plans, labels),  # as the profile names them, in its words
        "three_c": [(k, labels(f"strategy.three_c.{k}"), getattr(strategy.three_c, k).get(lang))
                    for k in ("competition", "cooperation", "concentration")],
        "ben": beneficiaries(params),
        **beneficiary_list(params, labels),
        "stages": stages,
        "current": next(r for r in stages if r.status == "current"),
        "target": next((r for r in stages if r.status == "target"), None),  # None: the form stays
        # Whether the strategy's priorities are exactly the weakest conditions, and whether the
        # strongest are above the priority line (so that the strategy can build on them).
        "priorities_weakest": {p.key for p in plans if p.priority} == {p.key for p in cond.weakest},
        "build_on": cond.high > PRIORITY_SCORE,
        "columns": columns,
        "matrix_rows": rows,
        "cluster_areas": sum(1 for r in rows if ResponsibilityArea(r.area) in CLUSTER_AREAS),
        "duties": duties,
        "sources": source_rows(params, strategy, labels, cat),
        "constraint_map": constraint_map(labels),
        "priority_score": PRIORITY_SCORE,
        "illustrative": lambda path: is_illustrative(strategy, path, cat),
        "firms_illustrative": profile.is_illustrative(params, "firms", cat),
        **provenance.DocumentSources(
            {"strategy": tuple(strategy.provenance), "cluster": tuple(params.provenance)}, shown, cat, labels
        ).context(),
    }


# --- charts and notebook tables -----------------------------------------------------------------


def _conditions_chart(ctx: dict, labels: Labels) -> alt.Chart:
    focus, other = labels("strategy.chart.priority"), labels("strategy.chart.build_on")
    rows = [{"condition": p.label, "score": p.score, "focus": focus if p.priority else other}
            for p in ctx["conditions"]]
    base = alt.Chart(alt.Data(values=rows)).encode(
        y=alt.Y("condition:N", sort=[r["condition"] for r in rows], title=None),
        x=alt.X("score:Q", title=labels("chart.score"), scale=alt.Scale(domain=[0, 5])),
    )
    bars = base.mark_bar(height=18).encode(
        color=alt.Color("focus:N", title=None,
                        scale=alt.Scale(domain=[focus, other], range=[charts.ACCENT, charts.MUTED]),
                        legend=alt.Legend(orient="bottom"))
    )
    text = base.mark_text(align="left", dx=4, fontSize=11).encode(text=alt.Text("score:Q", format=",.0f"))
    return charts.style((bars + text).properties(width=charts.WIDTH, height=28 * len(rows)))


def _duties_chart(ctx: dict, labels: Labels) -> alt.Chart:
    lead, support = labels("strategy.chart.leads"), labels("strategy.chart.supports")
    order = [d.column.short for d in ctx["duties"]]
    rows = []
    for d in ctx["duties"]:
        rows.append({"stakeholder": d.column.short, "role": lead, "areas": len(d.leads), "rank": 0})
        rows.append({"stakeholder": d.column.short, "role": support, "areas": len(d.supports), "rank": 1})
    chart = alt.Chart(alt.Data(values=rows)).mark_bar(height=18).encode(
        y=alt.Y("stakeholder:N", sort=order, title=None),
        x=alt.X("sum(areas):Q", title=labels("strategy.chart.areas"), axis=alt.Axis(tickMinStep=1)),
        color=alt.Color("role:N", title=None,
                        scale=alt.Scale(domain=[lead, support], range=[charts.ACCENT, charts.MUTED]),
                        legend=alt.Legend(orient="bottom")),
        order=alt.Order("rank:Q"),
    )
    return charts.style(chart.properties(width=charts.WIDTH, height=28 * len(order)))


def chart_specs(ctx: dict, labels: Labels, fmt: Formatter) -> dict[str, tuple[alt.Chart, str]]:
    """The strategy's charts with their alt texts, keyed by the names the template uses."""
    name = ctx["c"].name.get(labels.lang)
    cond_alt = (
        f"{labels('strategy.caption.conditions_chart')}, {name}: "
        + "; ".join(f"{p.label} {fmt.number(p.score)}" for p in ctx["conditions"])
        + f". {labels('strategy.chart.priority')}: "
        + ", ".join(p.label for p in ctx["priorities"])
    )
    duty_alt = f"{labels('strategy.caption.duties_chart')}, {name}: " + "; ".join(
        f"{d.column.short} {fmt.number(len(d.leads))} {labels('strategy.chart.leads').lower()}, "
        f"{fmt.number(len(d.supports))} {labels('strategy.chart.supports').lower()}"
        for d in ctx["duties"]
    )
    return {
        "conditions": (_conditions_chart(ctx, labels), cond_alt),
        "duties": (_duties_chart(ctx, labels), duty_alt),
    }


def tables(ctx: dict, labels: Labels) -> dict[str, pd.DataFrame]:
    """The key tables of the strategy, for notebooks, with the document's labels as column names."""
    t = labels
    conditions = pd.DataFrame(
        [(p.label, p.score, t("head.answer_yes") if p.priority else "", p.strategy, len(p.actions),
          len(p.constraints)) for p in ctx["conditions"]],
        columns=[t("head.condition"), t("head.score"), t("strategy.head.priority"),
                 t("strategy.head.strategy"), t("strategy.head.actions"), t("strategy.head.constraints")],
    )
    three_c = pd.DataFrame([(label, text) for _, label, text in ctx["three_c"]],
                           columns=[t("strategy.head.principle"), t("strategy.head.application")])
    ben = ctx["ben"]
    beneficiaries = pd.DataFrame(
        [(r.name, r.workers, t(f"size.{r.size}"), r.annual_sales, r.cooperative_member)
         for r in ben.rows or []],
        columns=[t("head.firm"), t("head.workers"), t("head.size_class"), t("head.annual_sales"),
                 t("head.cooperative_member")],
    )
    marks = {LEAD: t("strategy.mark.lead"), SUPPORT: t("strategy.mark.support"), "": ""}
    matrix_table = pd.DataFrame(
        [[r.label, *(marks[m] for m in r.marks)] for r in ctx["matrix_rows"]],
        columns=[t("strategy.head.area"), *(c.short for c in ctx["columns"])],
    )
    stages = pd.DataFrame(
        [(r.label, t(f"strategy.status.{r.status}") if r.status else "") for r in ctx["stages"]],
        columns=[t("strategy.head.stage"), t("strategy.head.this_cluster")],
    )
    return {"conditions": conditions, "three_c": three_c, "beneficiaries": beneficiaries,
            "matrix": matrix_table, "stages": stages}
